"""Benchmark for the web UI: server time to first byte of the case page with 1,000 evidence, and /staff/progress
(page and first SSE event) with 5,000 evidence in flight.

Seeds a fresh data directory straight through the evidence store (processed-looking documents with segments,
labels and timeline events), starts `leh serve` as a subprocess, signs in with a session cookie and times
sequential requests with httpx (TTFB = request sent → response headers received). Prints JSON lines. Run:
`.venv/bin/python bench/bench_web.py [--evidence 1000] [--in-flight 5000] [--requests 100]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from leh.config import Settings
from leh.container import Container
from leh.domain.evidence import new_evidence_doc, transition
from leh.services import accounts, cases

SECRET = "bench-secret-" + "x" * 32
_LINES = ("생활비는 이제 안 줄 거야", "가만 안 둔다 다 부숴버릴 거야", "오늘도 늦게 들어간다", "아이 학원비 보냈어?",
          "그만해 무서워", "집에 안 들어갈 거야", "연락하지 마", "알았어 내일 보낼게")
_GROUNDS = (("840-2", "생활비 미지급"), ("840-3", "협박"), ("840-3", "폭언"), ("840-6", "계속적 불화"))


def _done_doc(case_id: str, user_id: str, i: int, rng: random.Random) -> dict[str, Any]:
    """A document shaped like a processed 20-message chat export."""
    doc = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.uuid4()), filename=f"카카오톡_대화_{i:04d}.txt",
                           size=rng.randint(2_000, 90_000), uploaded_by=user_id, type_hint="text")
    day = datetime(2023, 1, 1, 21, 0, tzinfo=UTC) + timedelta(days=i % 365)
    segments = [{"seq": s, "ts": (day + timedelta(minutes=s)).isoformat(), "speaker": ("홍길동", "김영희")[s % 2],
                 "text": rng.choice(_LINES), "ref": {"line": s + 3}, "kind": "speech"} for s in range(20)]
    ground, tag = rng.choice(_GROUNDS)
    doc.update(type="kakaotalk", sha256=uuid.uuid4().hex * 2, segments=segments, speakers=["홍길동", "김영희"],
               labels=[{"ground": ground, "tag": tag, "confidence": 0.9, "segments": [1]}],
               summary=f"{day:%Y-%m-%d} 홍길동의 {tag} 관련 대화 20건.", insights=[f"{tag}: {segments[1]['text']}"],
               event_time=segments[0]["ts"],
               timeline=[{"ts": segments[1]["ts"], "description": f"홍길동이 {tag} 관련 발언을 함",
                          "grounds": [ground], "segments": [1]}])
    transition(doc, "queued")
    transition(doc, "processing")
    return transition(doc, "done", processed_at=datetime.now(UTC).isoformat())


def _in_flight_doc(case_id: str, user_id: str, i: int) -> dict[str, Any]:
    doc = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.uuid4()), filename=f"업로드_{i:05d}.pdf",
                           size=50_000, uploaded_by=user_id, type_hint="pdf")
    transition(doc, "queued")
    if i % 10 == 0:
        transition(doc, "processing", stage="extract", progress=0.3)
    return doc


def seed(data_dir: Path, n_evidence: int, n_in_flight: int) -> tuple[str, str, str]:
    """(case id with n_evidence processed items, session token of its lawyer, settings secret)."""
    settings = Settings(data_dir=data_dir, demo=False, secret_key=SECRET)
    c = Container(settings)
    c.migrate()
    rng = random.Random(7)
    with c.sessions() as db:
        lawyer = accounts.create_user(db, email="bench@leh.local", password="bench-password-1", role="lawyer")
        big = cases.create_case(db, lawyer, title="벤치마크 사건 (증거 1,000건)")
        busy = cases.create_case(db, lawyer, title="벤치마크 사건 (처리 대기 5,000건)")
        db.commit()
        token = accounts.issue_token(lawyer, settings).access_token
        big_id, busy_id, user_id = big.id, busy.id, lawyer.id
    for i in range(n_evidence):
        c.evidence.put(_done_doc(big_id, user_id, i, rng))
    for i in range(n_in_flight):
        c.evidence.put(_in_flight_doc(busy_id, user_id, i))
    return big_id, token, busy_id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data_dir: Path, processes: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEH_")}
    env.update(LEH_DATA_DIR=str(data_dir), LEH_DEMO="0", LEH_SECRET_KEY=SECRET, LEH_PORT=str(port),
               LEH_LOG_CONSOLE="0", LEH_ADMIN_EMAIL="admin@bench.local", LEH_ADMIN_PASSWORD="admin-password-1",
               LEH_SERVER_PROCESSES=str(processes))
    log = open(data_dir / "server.out", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "leh", "serve"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start: " + (data_dir / "server.out").read_text()[-2000:])


def ttfb(client: httpx.Client, path: str, n: int, warmup: int = 5) -> dict[str, Any]:
    """Sequential GETs: time to response headers, full-body time, the app's own Server-Timing and the size."""
    first, total, app = [], [], []
    size = 0
    for i in range(warmup + n):
        start = time.perf_counter()
        with client.stream("GET", path) as resp:
            headers_at = time.perf_counter()
            body = resp.read()
            done_at = time.perf_counter()
            assert resp.status_code == 200, (path, resp.status_code)
        if i < warmup:
            continue
        first.append((headers_at - start) * 1000)
        total.append((done_at - start) * 1000)
        app.append(float(resp.headers.get("server-timing", "app;dur=0").split("dur=")[1]))
        size = len(body)

    def pct(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)

    return {"path": path.split("?")[0], "requests": n, "ttfb_p50_ms": pct(first, 50), "ttfb_p95_ms": pct(first, 95),
            "ttfb_max_ms": round(max(first), 1), "full_p95_ms": pct(total, 95), "server_timing_p95_ms": pct(app, 95),
            "bytes": size}


def first_event(client: httpx.Client, path: str, n: int) -> dict[str, Any]:
    """Connect to an SSE stream and time the arrival of its first complete event."""
    times, size = [], 0
    for _ in range(n):
        start = time.perf_counter()
        with client.stream("GET", path, timeout=30) as resp:
            buf = b""
            for chunk in resp.iter_bytes():
                buf += chunk
                if b"\r\n\r\n" in buf or b"\n\n" in buf:
                    break
        times.append((time.perf_counter() - start) * 1000)
        size = len(buf)
    return {"path": path, "connects": n, "first_event_p50_ms": round(statistics.median(times), 1),
            "first_event_max_ms": round(max(times), 1), "event_bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--evidence", type=int, default=1000)
    ap.add_argument("--in-flight", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="leh-bench-web-") as tmp:
        data = Path(tmp) / "var"
        data.mkdir()
        t0 = time.perf_counter()
        case_id, token, busy_id = seed(data, args.evidence, args.in_flight)
        seeded = time.perf_counter() - t0
        proc, base = serve(data)
        try:
            with httpx.Client(base_url=base, cookies={"leh_session": token}, timeout=30) as client:
                out = ttfb(client, f"/cases/{case_id}", args.requests)
                print(json.dumps({"bench": "web.case_page", "evidence": args.evidence, "goal_ttfb_p95_ms": 150,
                                  "seed_seconds": round(seeded, 1), **out}, ensure_ascii=False), flush=True)
                out = ttfb(client, "/staff/progress", max(10, args.requests // 4))
                print(json.dumps({"bench": "web.staff_progress_page", "in_flight": args.in_flight, **out},
                                 ensure_ascii=False), flush=True)
                out = first_event(client, "/staff/progress/stream", 5)
                print(json.dumps({"bench": "web.staff_progress_stream", "in_flight": args.in_flight, **out},
                                 ensure_ascii=False), flush=True)
                out = first_event(client, f"/cases/{busy_id}/stream", 5)
                print(json.dumps({"bench": "web.case_stream", "in_flight": args.in_flight, **out},
                                 ensure_ascii=False), flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=15)


if __name__ == "__main__":
    main()
