"""Runs every bench/bench_*.py in turn and prints their JSON lines; results are recorded by hand in RESULTS.md.
Then the long variants of the reliability suites (`python bench/run_all.py reliability` runs only those)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    only = set(sys.argv[1:])
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only:
            continue
        print(f"== {script.name}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0
    if not only or "reliability" in only:
        failed += run_reliability() != 0
    return 1 if failed else 0


def run_reliability() -> int:
    """The long variants of tests/reliability (bigger batches, more kills, bigger files): LEH_RELIABILITY_LONG=1."""
    print("== tests/reliability (long variants)", flush=True)
    env = {**os.environ, "LEH_RELIABILITY_LONG": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=3600",
                           "tests/reliability"], cwd=HERE.parent, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
