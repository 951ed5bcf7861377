"""API under load (issue #16 item 4): 50 concurrent clients for 60 s against a case of 1,000 evidence.

Seeds a fresh data directory through the evidence store and the search index (processed-looking chat exports of
20 messages each, with labels and timeline events, as bench_web.py does), starts `leh serve` as a subprocess and
runs a closed-loop load generator on loopback in this process: each client sends its next request as soon as
the previous one is answered (no think time), cycling through case list, evidence list, timeline, search and
ask. Bounded in count and time: at most --clients connections, stops issuing at --seconds.

Prints one JSON line per endpoint (requests, errors, p50/p95/p99 ms) and one for all together, with the goal
(p99 ≤ 200 ms, 0 errors on 2 cores). Exits 1 when it could not measure. Run:
`.venv/bin/python bench/bench_api_load.py [--evidence 1000] [--clients 50] [--seconds 60]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_web  # noqa: E402 - the same seeded case as the case-page benchmark

from leh.config import Settings  # noqa: E402
from leh.container import Container  # noqa: E402

GOAL_P99_MS = 200
_QUERIES = ("생활비", "협박", "폭언", "3월 9일", "학원비", "연락")
_QUESTIONS = ("생활비를 언제부터 주지 않았나요?", "남편이 협박한 적이 있나요?", "2023년 3월 9일에 무슨 일이 있었나요?")


def seed(data_dir: Path, n_evidence: int) -> tuple[str, str]:
    """(case id, bearer token): the case of bench_web.py, and every document in the search index too."""
    case_id, token, _ = bench_web.seed(data_dir, n_evidence, 0)
    c = Container(Settings(data_dir=data_dir, demo=False, secret_key=bench_web.SECRET))
    for doc in c.evidence.list_case(case_id):
        c.index.index_evidence(doc)
    return case_id, token


def requests_for(case_id: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(name, method, path, kwargs) in the order the clients cycle through them."""
    plan: list[tuple[str, str, str, dict[str, Any]]] = [
        ("case_list", "GET", "/api/cases", {}),
        ("evidence_list", "GET", f"/api/cases/{case_id}/evidence", {}),
        ("timeline", "GET", f"/api/cases/{case_id}/timeline", {}),
    ]
    plan += [("search", "GET", f"/api/cases/{case_id}/search", {"params": {"q": q}}) for q in _QUERIES[:2]]
    plan += [("ask", "POST", f"/api/cases/{case_id}/ask", {"json": {"question": _QUESTIONS[0]}})]
    return plan


async def client_loop(http: httpx.AsyncClient, plan: list[tuple[str, str, str, dict[str, Any]]], stop_at: float,
                      rng: random.Random, times: dict[str, list[float]], errors: dict[str, list[str]],
                      sizes: dict[str, int]) -> None:
    i = rng.randrange(len(plan))
    while time.perf_counter() < stop_at:
        name, method, path, kw = plan[i % len(plan)]
        if name == "search":
            kw = {"params": {"q": rng.choice(_QUERIES)}}
        elif name == "ask":
            kw = {"json": {"question": rng.choice(_QUESTIONS)}}
        start = time.perf_counter()
        try:
            resp = await http.request(method, path, **kw)
            body = await resp.aread()
            elapsed = (time.perf_counter() - start) * 1000
            if resp.status_code != 200:
                errors[name].append(f"{resp.status_code}: {body[:200]!r}")
            else:
                sizes[name] = max(sizes[name], len(body))
            times[name].append(elapsed)
        except httpx.HTTPError as exc:
            errors[name].append(type(exc).__name__)
            times[name].append((time.perf_counter() - start) * 1000)
        i += 1


def pct(values: list[float], q: int) -> float | None:
    if len(values) < 2:
        return round(values[0], 1) if values else None
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


async def load(base: str, token: str, case_id: str, clients: int, seconds: float) -> dict[str, Any]:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    plan = requests_for(case_id)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60,
                                 limits=limits) as http:
        for name, method, path, kw in plan:  # warm-up: one of each, not counted
            resp = await http.request(method, path, **kw)
            if resp.status_code != 200:
                raise RuntimeError(f"warm-up {name}: {resp.status_code} {resp.text[:300]}")
        start = time.perf_counter()
        stop_at = start + seconds
        await asyncio.gather(*(client_loop(http, plan, stop_at, random.Random(n), times, errors, sizes)
                               for n in range(clients)))
        wall = time.perf_counter() - start
    return {"times": times, "errors": errors, "sizes": sizes, "wall": wall}


def report(out: dict[str, Any], args: argparse.Namespace, processes: int) -> bool:
    """Print the figure lines of one run; False when nothing completed."""
    everything: list[float] = []
    total_errors = 0
    for name, values in sorted(out["times"].items()):
        errs = out["errors"].get(name, [])
        total_errors += len(errs)
        everything += values
        print(json.dumps({"bench": "api_load.endpoint", "server_processes": processes, "endpoint": name,
                          "requests": len(values), "errors": len(errs), "first_error": errs[0] if errs else None,
                          "p50_ms": pct(values, 50), "p95_ms": pct(values, 95), "p99_ms": pct(values, 99),
                          "max_bytes": out["sizes"].get(name, 0)}, ensure_ascii=False), flush=True)
    if not everything:
        return False
    print(json.dumps({"bench": "api_load.all", "server_processes": processes, "evidence": args.evidence,
                      "clients": args.clients, "seconds": round(out["wall"], 1), "requests": len(everything),
                      "requests_per_second": round(len(everything) / out["wall"], 1), "errors": total_errors,
                      "p50_ms": pct(everything, 50), "p99_ms": pct(everything, 99),
                      "goal": f"p99 ≤ {GOAL_P99_MS} ms, 0 errors"}, ensure_ascii=False), flush=True)
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--evidence", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--server-processes", type=int, nargs="+", default=[1, 2],
                    help="LEH_SERVER_PROCESSES values to measure in turn (default: 1 then 2)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="leh-bench-load-") as tmp:
        data = Path(tmp) / "var"
        data.mkdir()
        case_id, token = seed(data, args.evidence)
        for processes in args.server_processes:
            try:
                proc, base = bench_web.serve(data, processes)
            except RuntimeError as exc:
                print(f"bench_api_load: could not start: {exc}", file=sys.stderr)
                return 1
            try:
                out = asyncio.run(load(base, token, case_id, args.clients, args.seconds))
            except (RuntimeError, httpx.HTTPError) as exc:
                print(f"bench_api_load: could not measure: {exc}", file=sys.stderr)
                return 1
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            if not report(out, args, processes):
                print("bench_api_load: no request completed", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
