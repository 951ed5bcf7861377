"""Runbook scenario A (업로드 후 무한 '처리 중') end to end on a running LEH: a worker dies mid-item, an item
keeps killing workers, the AI provider is down; `leh ops diagnose`, `logs`, `redrive`, `reprocess` and the
admin API carry out the recovery."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from leh.adapters.sqlite_queue import SqliteQueue
from leh.config import Settings
from leh.container import Container
from tests.conftest import ADMIN, make_user
from tests.support.live import Api, LehProcesses, running_leh
from tests.support.wait import wait_until

SECRET_LINE = "생활비 얘기"


def ops(env: dict[str, str], *args: str, **extra_env: str) -> tuple[int, Any]:
    """Run `leh ops … --json` as the operator would; (exit code, parsed output)."""
    r = subprocess.run([sys.executable, "-m", "leh", "ops", *args, "--json"], env={**env, **extra_env},
                       capture_output=True, text=True, timeout=120)
    assert r.stdout.strip(), r.stderr[-2000:]
    return r.returncode, json.loads(r.stdout)


class Webhook:
    """A local HTTP receiver standing in for LEH_ALERT_WEBHOOK_URL."""

    def __init__(self) -> None:
        self.alerts: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                outer.alerts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def kakao_export(n: int) -> bytes:
    lines = ["--------------- 2023년 12월 25일 월요일 ---------------"]
    lines += [f"[{'김영희' if i % 2 else '홍길동'}] [오후 10:{i % 60:02d}] 메시지 {i} {SECRET_LINE}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def evidence_row(leh: LehProcesses, evidence_id: str) -> dict[str, Any]:
    with sqlite3.connect(leh.data_dir / "evidence.db") as conn:
        row = conn.execute("SELECT doc FROM evidence WHERE evidence_id=?", (evidence_id,)).fetchone()
    return json.loads(row[0]) if row else {}


def status_of(leh: LehProcesses, evidence_id: str) -> str:
    with sqlite3.connect(leh.data_dir / "evidence.db") as conn:
        row = conn.execute("SELECT status FROM evidence WHERE evidence_id=?", (evidence_id,)).fetchone()
    return row[0] if row else ""


def wait_for(leh: LehProcesses, evidence_id: str, statuses: set[str], timeout: float = 30) -> dict[str, Any]:
    """Poll the status column (cheap even for a 10,000-segment document), then read the document once."""
    wait_until(lambda: status_of(leh, evidence_id) in statuses, timeout=timeout,
               message=lambda: f"{evidence_id} stayed {status_of(leh, evidence_id)}, wanted {statuses}")
    return evidence_row(leh, evidence_id)


def kill_while_processing(leh: LehProcesses, worker: subprocess.Popen[bytes], evidence_id: str) -> str:
    """SIGKILL `worker` as soon as it is processing the item; returns the dead worker's id."""
    wait_until(lambda: status_of(leh, evidence_id) == "processing", interval=0.01,
               message="the worker never started the item")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    return str(evidence_row(leh, evidence_id)["worker_id"])


def indexed(leh: LehProcesses, case_id: str, evidence_id: str) -> int:
    """Segments the search index holds for one evidence, read through the real index adapter."""
    return Container(Settings(data_dir=leh.data_dir, secret_key=leh.env["LEH_SECRET_KEY"])).index.count(case_id).get(evidence_id, 0)


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LehProcesses]:
    """One server for the scenario-A tests (they run in order on separate cases)."""
    with running_leh(tmp_path_factory.mktemp("ops-a") / "var") as procs:
        yield procs


@pytest.fixture
def leh(live: LehProcesses) -> Iterator[LehProcesses]:
    """The shared LEH with the test's own workers and settings: both are undone when the test ends."""
    env = dict(live.env)
    yield live
    for w in live.workers:
        if w.poll() is None:
            w.send_signal(signal.SIGTERM)
    for w in live.workers:
        w.wait(timeout=30)
    live.workers.clear()
    live.env = env


@pytest.fixture
def admin_api(live: LehProcesses) -> Api:
    return Api(live.base_url).login(*ADMIN)


def test_dead_worker_is_diagnosed_and_its_item_finished_by_another(leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "a1@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "워커 중단"})
    n = 1_500
    leh.env["LEH_QUEUE_VISIBILITY_SECONDS"] = "4"
    victim = leh.start_worker()
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                     files={"file": ("KakaoTalk_chat.txt", kakao_export(n), "text/plain")})
    dead_id = kill_while_processing(leh, victim, ev["id"])
    time.sleep(1.2)  # its process is gone (same machine): dead at once; the item is over --stuck-after 1s

    hook = Webhook()
    try:
        # The provider is down too (OpenAI configured, nothing listening): the runbook's first question.
        rc, rep = ops(leh.env, "diagnose", "--stuck-after", "1s", OPENAI_API_KEY="sk-test",
                      LEH_OPENAI_BASE_URL=f"http://127.0.0.1:{dead_port()}/v1", LEH_ALERT_WEBHOOK_URL=hook.url)
    finally:
        hook.close()
    assert rc == 1 and rep["level"] == "Lv1" and not rep["ok"]
    f = {x["check"]: x for x in rep["findings"]}
    assert f["ai.provider"]["status"] == "fail" and "status.openai.com" in rep["steps"][0]
    assert f["workers"]["status"] == "fail" and f["workers"]["detail"]["alive"] == 0
    [w] = f["workers"]["detail"]["workers"]
    assert (w["worker_id"], w["alive"], w["holding"]) == (dead_id, False, [ev["id"]])
    [item] = f["stuck"]["detail"]["items"]
    assert (item["evidence_id"], item["status"], item["cause"]) == (ev["id"], "processing", "worker_dead")
    assert f["dlq"]["status"] == "ok"
    assert {a["check"] for a in hook.alerts} == {"ai.provider", "workers", "stuck"}
    assert all(a["level"] == "Lv1" and a["command"] == "diagnose" for a in hook.alerts)
    assert SECRET_LINE not in json.dumps(hook.alerts, ensure_ascii=False)

    leh.start_worker()  # its watchdog hands the dead worker's item back; the queue redelivers it
    doc = wait_for(leh, ev["id"], {"done", "failed"}, timeout=60)
    assert doc["status"] == "done", doc["error"]
    assert [h["status"] for h in doc["status_history"]] == ["uploading", "queued", "processing", "queued", "processing", "done"]
    assert doc["attempts"] == 2 and len(doc["segments"]) == n and indexed(leh, case["id"], ev["id"]) == n
    with sqlite3.connect(leh.data_dir / "leh.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM worker_heartbeats WHERE worker_id=?", (dead_id,)).fetchone() == (0,)

    rc, lines = ops(leh.env, "logs", "--level", "WARNING", "--since", "10m", "--evidence", ev["id"])
    assert rc == 0
    [lost] = [x for x in lines if x["msg"].startswith("worker lost")]
    assert lost["worker_id"] == dead_id and lost["level"] == "WARNING" and lost["process"].startswith("worker-")
    every_log = "".join(p.read_text() for p in (leh.data_dir / "logs").iterdir())
    assert ev["id"] in every_log and SECRET_LINE not in every_log  # ids, never evidence text

    api_lines = admin_api.data("GET", "/api/admin/logs", params={"level": "WARNING", "since": "10m", "evidence_id": ev["id"]})
    assert [x["msg"] for x in api_lines] == [x["msg"] for x in lines]
    rc, rep = ops(leh.env, "diagnose", "--stuck-after", "1s")
    assert rc == 0 and rep["ok"], rep["steps"]
    assert admin_api.data("GET", "/api/admin/diagnose", params={"stuck_after": "1s"})["ok"]
    assert lawyer.call("GET", "/api/admin/diagnose", 403).json()["error"]["code"] == "FORBIDDEN"


def test_item_that_keeps_killing_workers_is_dead_lettered_then_redriven_and_reprocessed(
        leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "a2@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "독이 든 파일"})
    n = 1_500
    leh.env.update(LEH_QUEUE_VISIBILITY_SECONDS="2", LEH_QUEUE_MAX_ATTEMPTS="1")
    first = leh.start_worker()
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                     files={"file": ("KakaoTalk_poison.txt", kakao_export(n), "text/plain")})
    kill_while_processing(leh, first, ev["id"])
    second = leh.start_worker()  # receives it again: one attempt was allowed, a worker died on it
    doc = wait_for(leh, ev["id"], {"failed", "done"})
    assert doc["status"] == "failed" and doc["error"]["code"] == "WORKER_CRASHED"
    assert doc["error"]["message"] == "처리 중 작업자가 반복해서 중단되었습니다. 관리자에게 재처리를 요청해주세요."

    rc, rep = ops(leh.env, "diagnose", "--stuck-after", "1h")
    assert rc == 1 and rep["level"] == "Lv1"
    f = {x["check"]: x for x in rep["findings"]}
    assert f["dlq"]["status"] == "fail" and f["dlq"]["detail"]["by_reason"] == {"WORKER_CRASHED": 1}
    assert f["dlq"]["detail"]["evidence_ids"] == [ev["id"]] and "leh ops reprocess" in f["dlq"]["action"]
    assert f["errors"]["detail"]["failed_evidence_by_code"] == {"WORKER_CRASHED": 1}
    assert f["errors"]["detail"]["log_errors_by_code"]["WORKER_CRASHED"] == 1

    # After the fix: redrive (runbook A-2) puts it back; it completes.
    rc, out = ops(leh.env, "redrive")
    assert (rc, out) == (0, {"redriven": 1})
    doc = wait_for(leh, ev["id"], {"done"})
    assert len(doc["segments"]) == n and indexed(leh, case["id"], ev["id"]) == n

    # Reprocess (runbook A-3) once by CLI and twice by API while no worker runs: three events, one run.
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)
    runs = [h["status"] for h in doc["status_history"]].count("processing")
    rc, out = ops(leh.env, "reprocess", ev["id"])
    assert (rc, out["status"]) == (0, "queued")
    for _ in range(2):
        assert admin_api.data("POST", "/api/admin/reprocess-evidence", json={"evidence_id": ev["id"]})["status"] == "queued"
    assert evidence_row(leh, ev["id"])["segments"] == []  # derived data reset
    leh.start_worker()
    wait_for(leh, ev["id"], {"done"})
    queue = SqliteQueue(leh.data_dir / "queue.db")
    # the two duplicate events are consumed (and skipped)
    wait_until(lambda: not sum(queue.depth().values()), message=lambda: str(queue.depth()))
    again = evidence_row(leh, ev["id"])
    assert again["status"] == "done" and [h["status"] for h in again["status_history"]].count("processing") == runs + 1
    assert again["segments"] == doc["segments"] and indexed(leh, case["id"], ev["id"]) == n
    assert admin_api.data("GET", "/api/admin/dlq")["depth"] == {"visible": 0, "in_flight": 0, "delayed": 0, "dlq": 0}
    missing = admin_api.call("POST", "/api/admin/reprocess-evidence", 404, json={"evidence_id": "0" * 36}).json()
    assert missing["error"]["code"] == "EVIDENCE_NOT_FOUND"
    actions = [r["action"] for r in admin_api.data("GET", "/api/admin/audit?limit=1000") if r["action"].startswith("admin.")]
    assert actions.count("admin.reprocess") == 3 and "admin.dlq_redrive" in actions
