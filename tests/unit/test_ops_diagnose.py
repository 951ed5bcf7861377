"""Diagnose's judgements on real adapters: why an item is stuck, which DLQ reasons a redrive fixes, the AI
provider probe against a local HTTP server, and the tmp/ check with and without --apply."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from leh.container import Container
from leh.domain.events import object_created
from leh.domain.evidence import new_evidence_doc, transition
from leh.services.ops.backup import make_backup
from leh.services.ops.diagnose import check_dlq, check_stuck, diagnose
from leh.services.ops.findings import Status
from leh.services.ops.provider import probe_provider
from leh.services.ops.weekly import check_backups, check_tmp
from leh.services.ops.workers import WorkerState

CASE = "22222222-2222-2222-2222-222222222222"


def _queued(c: Container, evidence_id: str, minutes_ago: float) -> dict:  # type: ignore[type-arg]
    doc = new_evidence_doc(case_id=CASE, evidence_id=evidence_id, filename="a.txt", size=1, uploaded_by="u")
    transition(doc, "queued", at=(datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat())
    c.evidence.put(doc)
    return doc


def _alive() -> list[WorkerState]:
    return [WorkerState("w", "h", 1, "now", 0.5, True, None, 0)]


def test_a_waiting_item_with_no_message_left_is_told_apart_from_a_backlog(container: Container) -> None:
    c = container
    doc = _queued(c, "33333333-3333-3333-3333-333333333333", minutes_ago=30)
    _queued(c, "44444444-4444-4444-4444-444444444444", minutes_ago=1)  # recent: not stuck
    now = datetime.now(UTC)
    lost = check_stuck(c, _alive(), c.queue.depth(), stuck_after=600, now=now)
    assert lost.status == Status.FAIL and [i["cause"] for i in lost.detail["items"]] == ["message_lost"]
    assert "leh ops reprocess" in (lost.action or "")
    c.queue.send(object_created(doc["object_key"], 1))
    backlog = check_stuck(c, _alive(), c.queue.depth(), stuck_after=600, now=now)
    assert [i["cause"] for i in backlog.detail["items"]] == ["backlog"] and "워커를 늘리세요" in (backlog.action or "")
    nobody = check_stuck(c, [], c.queue.depth(), stuck_after=600, now=now)
    assert [i["cause"] for i in nobody.detail["items"]] == ["no_worker"]


def test_dlq_advice_depends_on_the_reason(container: Container) -> None:
    c = container
    doc = _queued(c, "55555555-5555-5555-5555-555555555555", minutes_ago=0)
    c.queue.send(object_created(doc["object_key"], 1))
    [msg] = c.queue.receive()
    c.queue.dead_letter(msg.receipt, "OBJECT_MISSING")
    transient = check_dlq(c, c.queue.depth())
    assert transient.status == Status.FAIL and transient.detail["by_reason"] == {"OBJECT_MISSING": 1}
    assert "leh ops redrive" in (transient.action or "") and "핫픽스" not in (transient.action or "")
    c.queue.send(object_created(doc["object_key"], 1))
    [msg] = c.queue.receive()
    c.queue.dead_letter(msg.receipt, "INTERNAL_ERROR: KeyError")
    c.queue.send(object_created(doc["object_key"], 1))
    [msg] = c.queue.receive()
    c.queue.dead_letter(msg.receipt, "PDF_CORRUPT")
    bug = check_dlq(c, c.queue.depth())
    assert bug.detail["by_reason"] == {"OBJECT_MISSING": 1, "INTERNAL_ERROR": 1, "PDF_CORRUPT": 1}
    assert "핫픽스" in (bug.action or "")


@pytest.fixture
def fake_openai() -> Iterator[tuple[str, list[int]]]:
    """A local stand-in for the OpenAI API whose /models answers with the status at the head of `codes`."""
    codes = [200]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            ok = self.path == "/v1/models" and self.headers.get("Authorization") == "Bearer sk-test"
            self.send_response(codes[0] if ok else 404)
            self.end_headers()
            self.wfile.write(json.dumps({"data": []}).encode())

        def log_message(self, *_args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", codes
    finally:
        server.shutdown()
        server.server_close()


def test_provider_probe(container: Container, fake_openai: tuple[str, list[int]]) -> None:
    s = container.settings
    assert probe_provider(container.provider_probe).detail == {"provider": "local"}
    s.openai_api_key, s.openai_base_url = "sk-test", fake_openai[0]
    codes = fake_openai[1]
    assert probe_provider(container.provider_probe).status == Status.OK
    codes[0] = 401
    assert "API 키" in probe_provider(container.provider_probe).summary
    codes[0] = 429
    assert probe_provider(container.provider_probe).status == Status.WARN
    codes[0] = 503
    failed = probe_provider(container.provider_probe)
    assert failed.status == Status.FAIL and "status.openai.com" in (failed.action or "")
    report = diagnose(container)
    assert not report["ok"] and "status.openai.com" in report["steps"][0]


def test_tmp_check_fails_on_leftovers_and_apply_sweeps_them(container: Container) -> None:
    c = container
    c.objects.put("tmp/left.part", io.BytesIO(b"x" * 10))
    t = time.time() - 3 * 86400
    os.utime(c.settings.data_dir / "objects" / "tmp/left.part", (t, t))
    before = check_tmp(c)
    assert before.status == Status.FAIL and before.detail["expired"] == 1
    after = check_tmp(c, apply=True)
    assert after.status == Status.OK and after.detail["deleted"] == 1 and after.detail["objects"] == 0


def test_backup_check_age_integrity_and_place(container: Container, tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = container
    assert check_backups(c).status == Status.FAIL
    made = make_backup(c)
    beside = check_backups(c)
    assert beside.status == Status.WARN and beside.detail["same_disk"] and "LEH_BACKUP_DIR" in (beside.action or "")
    c.settings.backup_dir = tmp_path / "elsewhere"
    made = make_backup(c)
    fine = check_backups(c)
    assert fine.status == Status.OK and fine.detail["newest"]["name"] == made["name"]
    assert check_backups(c, now=datetime.now(UTC) + timedelta(hours=25)).status == Status.FAIL
    with open(f"{made['path']}/evidence.jsonl.gz", "ab") as fh:
        fh.write(b"tampered")
    broken = check_backups(c)
    assert broken.status == Status.FAIL and broken.detail["corrupt_files"] == ["evidence.jsonl.gz"]


def test_processed_evidence_with_a_warning_is_counted(container: Container) -> None:
    c = container
    clean = _queued(c, "55555555-5555-5555-5555-555555555555", minutes_ago=1)
    deaf = _queued(c, "66666666-6666-6666-6666-666666666666", minutes_ago=1)
    for doc, warnings in ((clean, []), (deaf, [{"code": "STT_EMPTY", "message": "…"}])):
        c.evidence.mutate(doc["evidence_id"], lambda d, w=warnings: {**transition(transition(d, "processing"), "done"),
                                                                    "warnings": w})
    report = diagnose(c)
    finding = next(f for f in report["findings"] if f["check"] == "warnings")
    assert finding["status"] == "warn"
    assert finding["detail"]["by_code"] == {"STT_EMPTY": 1}
    assert finding["detail"]["evidence_ids"]["STT_EMPTY"] == [deaf["evidence_id"]]
    assert "leh ops reprocess" in finding["action"]
    c.evidence.mutate(deaf["evidence_id"], lambda d: {**d, "warnings": []})
    assert next(f for f in diagnose(c)["findings"] if f["check"] == "warnings")["status"] == "ok"
