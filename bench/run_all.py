"""`make bench`: runs every bench/bench_*.py in turn, prints their JSON lines and appends them to RESULTS.md.

The appended block carries the date, the machine (CPU model, cores, memory, load average before and after), the
commit and, for every script, each figure line as printed — goals are part of the lines (`goal…` fields) — or
"could not measure" with the exit status. Interpretation (against the goals of the issues) is written by hand
in the sections above the appended runs. `python bench/run_all.py bench_ingest bench_search` runs a selection;
`--no-record` only prints. Then the long variants of the reliability suites (`python bench/run_all.py
reliability` runs only those); their outcome is recorded too.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{cpu}, {os.cpu_count()} cores, {mem_kb / 1024 ** 2:.0f} GiB, Python {platform.python_version()}"


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE.parent, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=HERE.parent,
                           capture_output=True, text=True).stdout.strip()
    return (out.stdout.strip() or "unknown") + (" (+ uncommitted changes)" if dirty else "")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(script: Path) -> tuple[int, list[str], float]:
    """Exit status, the JSON figure lines the script printed (echoed as they come), seconds."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(script)], cwd=HERE.parent, stdout=subprocess.PIPE, text=True)
    figures = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        if line.startswith("{"):
            try:
                json.loads(line)
            except ValueError:
                continue
            figures.append(line.strip())
    return proc.wait(), figures, time.monotonic() - start


def main(argv: list[str]) -> int:
    record = "--no-record" not in argv
    only = {a for a in argv if not a.startswith("--")}
    started = datetime.now(UTC)
    block = [f"\n### `make bench` run, {started:%Y-%m-%d %H:%M} UTC — commit {commit()}",
             f"Machine: {machine()}. Load average at the start: {load()}.", ""]
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only:
            continue
        print(f"== {script.name}", flush=True)
        status, figures, seconds = run(script)
        failed += status != 0
        verdict = "" if status == 0 else f" — **could not measure (exit {status})**"
        block.append(f"- `{script.name}` ({seconds:.0f} s){verdict}")
        block += [f"  - `{line}`" for line in figures]
    if not only or "reliability" in only:
        start = time.monotonic()
        status = run_reliability()
        failed += status != 0
        block.append(f"- tests/reliability long variants ({time.monotonic() - start:.0f} s): "
                     + ("passed" if status == 0 else f"**failed (exit {status})**"))
    block.append(f"\nLoad average at the end: {load()}.")
    if record:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n".join(block) + "\n")
        print(f"appended to {RESULTS}", flush=True)
    return 1 if failed else 0


def run_reliability() -> int:
    """The long variants of tests/reliability (bigger batches, more kills, bigger files): LEH_RELIABILITY_LONG=1."""
    print("== tests/reliability (long variants)", flush=True)
    env = {**os.environ, "LEH_RELIABILITY_LONG": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=3600",
                           "tests/reliability"], cwd=HERE.parent, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
