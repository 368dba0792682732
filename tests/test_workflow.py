"""The pull-request workflow is valid YAML, a valid GitHub workflow, and runs the gates."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "validate.yml"


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def test_yamllint_passes():
    result = subprocess.run([_tool("yamllint"), "-c", str(REPO / ".yamllint.yml"),
                             str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_workflow_schema():
    result = subprocess.run([_tool("check-jsonschema"), "--builtin-schema",
                             "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_the_gates():
    text = WORKFLOW.read_text()
    for command in ("incidents validate --format github", "frictionless validate",
                    "incidents fmt --check", "incidents build --check", "pytest --mpl",
                    "python scripts/update_readme.py --check"):
        assert command in text
