"""What the benchmarks share: timing child processes in pairs, their peak memory, packages.

Every figure a benchmark prints is a ratio against a baseline measured in the same run, as
the median over pairs of runs that alternate which command goes first, so that a machine
that slows down or speeds up during the run (two cores, other work) touches both alike.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
sys.path.insert(0, str(HERE.parent))
from incidents.vocab import TABLES  # noqa: E402  (the tables of a package, links included)


@dataclass
class Run:
    """One finished child process."""

    seconds: float
    max_rss_kb: int
    returncode: int
    stdout: str
    cpu_seconds: float = 0.0  # user + system time of the child, all its threads


def run(cmd: list[str], timeout: float | None = None, capture: bool = False) -> Run:
    """Run ``cmd`` to its end; wall time, CPU time and the peak RSS of that child alone.

    ``os.wait4`` gives the rusage of the one child, where ``RUSAGE_CHILDREN`` would give the
    largest of all children so far.

    Parameters
    ----------
    cmd : list of str
        The command.
    timeout : float, optional
        Kill the child after this many seconds (the run then has returncode -9).
    capture : bool
        Keep standard output (it goes to a temporary file, so a large report cannot block).

    Returns
    -------
    Run
    """
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out if capture else subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace") if capture else ""
    return Run(seconds, usage.ru_maxrss, child.returncode, text,
               usage.ru_utime + usage.ru_stime)


@dataclass
class Paired:
    """Paired runs of a command and its baseline."""

    subject: list[Run]
    baseline: list[Run]

    @property
    def ratios(self) -> list[float]:
        return [s.seconds / b.seconds for s, b in zip(self.subject, self.baseline, strict=True)]

    @property
    def ratio(self) -> float:
        """Median over pairs of subject time / baseline time."""
        return statistics.median(self.ratios)

    @property
    def subject_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.subject)

    @property
    def subject_cpu_seconds(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.subject)

    @property
    def baseline_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.baseline)

    @property
    def subject_rss_kb(self) -> int:
        return max(r.max_rss_kb for r in self.subject)


def paired(subject: list[str], baseline: list[str], pairs: int, warmup: bool = True,
           check: bool = True, capture: bool = False) -> Paired:
    """Run ``subject`` and ``baseline`` ``pairs`` times each, interleaved, order alternating.

    Parameters
    ----------
    subject, baseline : list of str
        The two commands.
    pairs : int
        Number of pairs.
    warmup : bool
        Run each once first, untimed, so both start with a warm page cache.
    check : bool
        Fail when the subject exits with an error (the baseline must always succeed).
    capture : bool
        Keep the subject's standard output (``Run.stdout``).

    Returns
    -------
    Paired
    """
    if warmup:
        compile_package()
        run(subject)
        run(baseline)
    subject_runs, baseline_runs = [], []
    for i in range(pairs):
        first, second = (subject, baseline) if i % 2 == 0 else (baseline, subject)
        a, b = (run(cmd, capture=capture and cmd is subject) for cmd in (first, second))
        s, base = (a, b) if i % 2 == 0 else (b, a)
        if base.returncode != 0 or (check and s.returncode != 0):
            raise SystemExit(f"a benchmark command failed: {subject} -> {s.returncode}, "
                             f"{baseline} -> {base.returncode}")
        subject_runs.append(s)
        baseline_runs.append(base)
    return Paired(subject_runs, baseline_runs)


def compile_package() -> None:
    """Write the package's bytecode first, as ``pip install`` does for a user.

    Where PYTHONDONTWRITEBYTECODE is set (CI machines) an editable install would otherwise
    compile every module from source in every timed run (0.1 s of a validate run).
    """
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(HERE.parent / "incidents")],
                   check=True, capture_output=True)


def incidents_command(python: str = PYTHON) -> list[str]:
    """The ``incidents`` console script of ``python``'s environment."""
    script = Path(python).parent / "incidents"
    return [str(script)] if script.exists() else [python, "-m", "incidents.cli"]


def pandas_baseline(root: Path, python: str = PYTHON) -> list[str]:
    """A process that imports pandas and reads the package's four CSV files, nothing else."""
    paths = [str(root / "data" / f"{t}.csv") for t in TABLES]
    code = f"import pandas\nfor p in {paths!r}:\n    pandas.read_csv(p)\n"
    return [python, "-c", code]


def installed_python() -> str:
    """The interpreter of a fresh environment holding the package as users install it.

    ``pip install`` of this checkout into a new virtual environment beside the generated
    packages: the runtime dependencies only, bytecode compiled. The development
    environment also holds the test tools, and pandera imports hypothesis whenever it is
    installed, which loads its plugins (trio, pytest): 0.35 s more at every start.
    """
    venv = bench_dir() / "venv-installed"
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    done = subprocess.run([python, "-m", "pip", "install", "--quiet", str(HERE.parent)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pip install into {venv} failed:\n{done.stdout}{done.stderr}")
    return python


def add_installed_option(parser: argparse.ArgumentParser) -> None:
    """The ``--installed`` option of the benchmarks that time the ``incidents`` command."""
    parser.add_argument("--installed", action="store_true",
                        help="time the commands in a fresh environment holding the package "
                             "as `pip install` gives it to users (not the development one)")


def environment(installed: bool) -> str:
    """The interpreter to time with (see :func:`installed_python`); prints which it is."""
    python = installed_python() if installed else PYTHON
    print(f"environment: {Path(python).parent.parent}"
          f"{' (pip install of this checkout)' if installed else ''}", flush=True)
    return python


def bench_dir() -> Path:
    """Where generated packages (and the installed environment) are kept."""
    return Path(os.environ.get("INCIDENTS_BENCH_DIR",
                               Path(tempfile.gettempdir()) / "incidents-bench"))


def csv_bytes(root: Path) -> int:
    """Size on disk of the package's four CSV files."""
    return sum((root / "data" / f"{t}.csv").stat().st_size for t in TABLES)


def _generator_stamp() -> str:
    # the schema decides the generated descriptor: a changed schema makes new packages too
    digest = hashlib.sha256((HERE / "generate.py").read_bytes())
    digest.update((HERE.parent / "incidents" / "schema.py").read_bytes())
    return digest.hexdigest()[:12]


def package(claims: int, seed: int = 0, bad_share: float = 0.0) -> Path:
    """A generated package, made once and kept in the temporary directory.

    The directory name carries a hash of generate.py, so a changed generator makes new
    packages.
    """
    sys.path.insert(0, str(HERE))
    import generate

    root = bench_dir() / f"claims{claims}-seed{seed}-bad{bad_share}-{_generator_stamp()}"
    done = root / ".complete"
    if not done.exists():
        generate.generate(root, claims, seed, bad_share)
        done.touch()
    return root


def machine() -> dict[str, str]:
    """nproc, CPU model and the versions that decide the figures."""
    import numpy
    import pandas
    import pyarrow

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": model,
            "python": platform.python_version(), "pandas": pandas.__version__,
            "pyarrow": pyarrow.__version__, "numpy": numpy.__version__}


def print_machine() -> None:
    """One line saying where the figures were measured."""
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))


def fmt_rows(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (it reads as plain text too)."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = lambda cells: "| " + " | ".join(  # noqa: E731
        str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"
    return "\n".join([line(header), "| " + " | ".join("-" * w for w in widths) + " |",
                      *(line(r) for r in rows)])
