"""Worker failure handling with real processes: retries into the DLQ and redrive; SIGKILL mid-item."""

from __future__ import annotations

import json
import signal
import sqlite3

import httpx

from leh.domain.events import object_created
from tests.conftest import make_user
from tests.support.live import Api, LehProcesses
from tests.support.wait import wait_until


def _send_raw(leh: LehProcesses, body: dict) -> None:
    """Put a message on the embedded queue the way an S3 notification would arrive."""
    from leh.adapters.sqlite_queue import SqliteQueue

    SqliteQueue(leh.data_dir / "queue.db").send(body)


def test_poisoned_message_is_retried_dead_lettered_and_redriven(leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "poison@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "DLQ"})
    text = "2023년 12월 25일 남편이 소리를 질렀다".encode()
    up = lawyer.data("POST", "/api/evidence/presigned-url", 201,
                     json={"case_id": case["id"], "filename": "note.txt", "size": len(text)})
    # The notification arrives, but the object is not there: every attempt fails with OBJECT_MISSING.
    _send_raw(leh, object_created(up["object_key"], len(text)))
    leh.start_worker()
    dlq = wait_until(lambda: (d := admin_api.data("GET", "/api/admin/dlq"))["messages"] and d, interval=0.2,
                     message="nothing reached the dead-letter queue")
    [dead] = dlq["messages"]
    assert dead["evidence_id"] == up["evidence_id"] and dead["reason"] == "OBJECT_MISSING"
    assert dead["receive_count"] == 3  # LEH_QUEUE_MAX_ATTEMPTS
    doc = lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")
    assert doc["status"] == "failed" and doc["error"]["code"] == "OBJECT_MISSING"
    assert doc["error"]["message"].endswith("업로드해주세요.")
    assert doc["attempts"] == 3
    # The file shows up (the transient problem is gone); the operator redrives, the evidence completes.
    assert httpx.put(up["upload_url"], content=text).status_code == 200
    assert admin_api.data("POST", "/api/admin/dlq/redrive", json={})["redriven"] == 1
    done = lawyer.wait_status(up["evidence_id"], {"done"}, timeout=30)
    assert done["segments"][0]["text"] == "2023년 12월 25일 남편이 소리를 질렀다"
    assert admin_api.data("GET", "/api/admin/dlq")["depth"]["dlq"] == 0


def _big_kakao_export(n: int) -> bytes:
    lines = ["--------------- 2023년 12월 25일 월요일 ---------------"]
    for i in range(n):
        lines.append(f"[{'김영희' if i % 2 else '홍길동'}] [오후 10:{i % 60:02d}] 메시지 번호 {i} 생활비 얘기")
    return ("\n".join(lines) + "\n").encode()


def _status(leh: LehProcesses, evidence_id: str) -> str:
    with sqlite3.connect(leh.data_dir / "evidence.db") as conn:
        row = conn.execute("SELECT status FROM evidence WHERE evidence_id=?", (evidence_id,)).fetchone()
    return row[0] if row else ""


def test_worker_killed_mid_item_is_redelivered_and_finished_exactly_once(tmp_path, admin_api: Api, leh: LehProcesses) -> None:  # type: ignore[no-untyped-def]
    lawyer = make_user(admin_api, "kill@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "SIGKILL"})
    n = 60_000
    leh.env["LEH_QUEUE_VISIBILITY_SECONDS"] = "3"
    victim = leh.start_worker()
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                     files={"file": ("KakaoTalk_big.txt", _big_kakao_export(n), "text/plain")})
    wait_until(lambda: _status(leh, ev["id"]) == "processing", interval=0.02, message="worker never started the item")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    assert _status(leh, ev["id"]) == "processing"
    leh.start_worker()
    doc = lawyer.wait_status(ev["id"], {"done", "failed"}, timeout=120)
    assert doc["status"] == "done", doc["error"]
    assert [h["status"] for h in doc["status_history"]].count("done") == 1
    assert doc["attempts"] == 2
    assert doc["segments_total"] == n  # the detail answers a page of them (docs/api.md "Paging")
    assert [s["seq"] for s in doc["segments"][:3]] == [0, 1, 2]
    with sqlite3.connect(leh.data_dir / "search" / f"{case['id']}.db") as conn:
        indexed = conn.execute("SELECT COUNT(*), COUNT(DISTINCT seq) FROM segments WHERE evidence_id=?", (ev["id"],)).fetchone()
    assert indexed == (n, n)  # no duplicate index entries from the killed attempt

    def queue_left() -> int:
        with sqlite3.connect(leh.data_dir / "queue.db") as conn:
            return int(conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0])

    # The worker deletes the message right after it writes "done": the API may show "done" a moment before.
    wait_until(lambda: queue_left() == 0, timeout=10, message=lambda: f"{queue_left()} message(s) left in the queue")
    assert json.loads(json.dumps(doc["status_history"]))[-1]["status"] == "done"
