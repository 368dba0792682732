"""Validation of a data package: read as text, typed, checked by pandera, then the rules.

``validate_package`` is what ``incidents validate`` and :func:`incidents.validate` run.
The modules: :mod:`~incidents.validate.read` (CSV as text with line numbers and structural
problems), :mod:`~incidents.validate.fields` (types, then the pandera models of
:mod:`incidents.schema`), :mod:`~incidents.validate.package` (the tables, the rules of
``incidents.schema.RULES``, the canonical form and the descriptor) and
:mod:`~incidents.validate.report` (the report and its three formats). Importing this
package is cheap; pandera is imported on the first validation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incidents.validate.read import DEFAULT_MAX_BYTES
from incidents.validate.report import Problem, Report, UsageError

__all__ = ["DEFAULT_MAX_BYTES", "Problem", "Report", "UsageError", "validate_package"]


def validate_package(path: str | Path | None = None, **options: Any) -> Report:
    """Check a data package and report every problem at once.

    See :func:`incidents.validate.package.validate_package` for the options.
    """
    from incidents.validate.package import validate_package as run

    return run(path, **options)
