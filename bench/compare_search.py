"""Search latency of two checkouts of LEH, interleaved on the same machine (issue 13: "within 1.5× in the same run").

Each checkout runs in its own long-lived Python process (its own `leh` package): it builds the bench's indexes
once (`bench/bench_search.py`'s `make_docs`, same seed, same sizes), then answers "run SIZE" by running
`query_latencies` (300 queries, ¾ filtered) and printing the figures. This driver alternates the two processes
round by round, flipping which goes first, so that both see the same machine load; the ratio is taken per pair and
the median of the pairs is reported. Run from a checkout of the new code:
`OMP_THREAD_LIMIT=1 .venv/bin/python bench/compare_search.py --old /path/to/old/checkout [--rounds 8]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]

# The child: import the checkout's own bench module, build the indexes, then serve "run SIZE" lines.
CHILD = r"""
import json, sys, tempfile, uuid
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import bench.bench_search as b
from leh.adapters.sqlite_search import SqliteSearchIndex
tmp = Path(tempfile.mkdtemp(prefix="leh-cmp-"))
built = {}
for size in map(int, sys.argv[2].split(",")):
    case_id = str(uuid.uuid4())
    index = SqliteSearchIndex(tmp / f"s{size}.db")
    for doc in b.make_docs(case_id, size):
        index.index_evidence(doc)
    built[size] = (index, case_id)
print("ready", flush=True)
for line in sys.stdin:
    size = int(line.split()[1])
    index, case_id = built[size]
    print(json.dumps(b.query_latencies(index, case_id, int(sys.argv[3]))), flush=True)
"""


def _start(checkout: Path, sizes: list[int], rounds: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(checkout), ",".join(map(str, sizes)), str(rounds)],
                            cwd=tempfile.gettempdir(), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return proc


def _line(stream: IO[str] | None) -> str:
    assert stream is not None
    return stream.readline()


def _ask(proc: subprocess.Popen[str], size: int) -> dict[str, Any]:
    assert proc.stdin is not None
    proc.stdin.write(f"run {size}\n")
    proc.stdin.flush()
    return dict(json.loads(_line(proc.stdout)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--old", type=Path, required=True, help="checkout of the baseline code")
    ap.add_argument("--new", type=Path, default=ROOT, help="checkout of the code under test (default: this one)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    ap.add_argument("--rounds", type=int, default=8, help="interleaved old/new pairs per size")
    ap.add_argument("--query-rounds", type=int, default=15, help="passes over the 20-query mix per measurement")
    args = ap.parse_args()
    procs = {name: _start(path.resolve(), args.sizes, args.query_rounds) for name, path in
             (("old", args.old), ("new", args.new))}
    try:
        for name, proc in procs.items():
            if _line(proc.stdout).strip() != "ready":
                raise SystemExit(f"{name}: the index build failed")
        for size in args.sizes:
            pairs = []
            for r in range(args.rounds):
                order = ("old", "new") if r % 2 == 0 else ("new", "old")
                got = {name: _ask(procs[name], size) for name in order}
                pairs.append((got["old"]["p95_ms"], got["new"]["p95_ms"]))
                print(json.dumps({"size": size, "round": r + 1, "load": os.getloadavg()[0],
                                  "old_p95_ms": got["old"]["p95_ms"], "new_p95_ms": got["new"]["p95_ms"],
                                  "old_p50_ms": got["old"]["p50_ms"], "new_p50_ms": got["new"]["p50_ms"]}), flush=True)
            ratios = [new / old for old, new in pairs]
            print(json.dumps({"size": size, "median_ratio_p95": round(statistics.median(ratios), 2),
                              "ratios": [round(x, 2) for x in ratios],
                              "old_p95_median": statistics.median(p[0] for p in pairs),
                              "new_p95_median": statistics.median(p[1] for p in pairs)}), flush=True)
    finally:
        for proc in procs.values():
            proc.kill()


if __name__ == "__main__":
    main()
