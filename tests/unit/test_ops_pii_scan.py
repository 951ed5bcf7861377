"""Audit-log and app-log PII sampling: real leaks are caught, ids/hashes/timestamps are not mistaken for PII."""

from __future__ import annotations

import json
import random
import uuid

from sqlalchemy import select

from leh.container import Container
from leh.models import AuditLog
from leh.services import audit
from leh.services.ops.findings import Level, Status
from leh.services.ops.pii_scan import check_pii, sample_audit, scan_text_values

EVIDENCE_ID = str(uuid.uuid4())
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
CLEAN_LOG = {"at": "2026-11-26T13:10:00.123+00:00", "level": "INFO", "logger": "leh.worker", "process": "worker-12345",
             "pid": 12345, "msg": "processing done", "evidence_id": EVIDENCE_ID, "case_id": str(uuid.uuid4()),
             "segments": 60000, "size": 1234567890, "sha256": SHA, "exc_where": "processor.py:123 > kakaotalk.py:456",
             "worker_id": "vm-1253-b76606", "delay_s": 0.4, "request_id": uuid.uuid4().hex}


def test_ids_hashes_timestamps_and_counts_are_not_pii() -> None:
    assert scan_text_values(CLEAN_LOG) == []
    assert scan_text_values({"detail": "[주민번호] [전화번호] [비밀번호]", "email": "admin@leh.local"}) == []


def test_each_sensitive_kind_is_found_without_neighbours_joining() -> None:
    assert scan_text_values({"title": "의뢰인 900101-1234567"}) == ["rrn"]
    assert scan_text_values(["연락처 010-9876-5432", {"n": "카드 4111-1111-1111-1111"}]) == ["phone", "card"]
    assert scan_text_values({"memo": "계좌 110-123-456789", "x": "password: hunter2"}) == ["account", "password"]
    # Two harmless numbers side by side must not read as one phone number.
    assert scan_text_values({"a": "010", "b": "98765432"}) == []


def _append(c: Container, n: int) -> None:
    for i in range(n):
        audit.record(c.sessions, action="case.view", object_type="case", object_id=str(uuid.uuid4()),
                     detail={"request_id": uuid.uuid4().hex, "title": f"사건 {i} 연락처 010-1234-{i:04d}"})


def test_masked_audit_rows_pass_and_a_seeded_leak_is_caught(container: Container) -> None:
    _append(container, 30)
    with container.sessions() as db:
        clean = check_pii(container.settings, db, sample=100)
    assert clean.status == Status.OK and clean.detail["audit_rows_sampled"] == 30
    # A bug writes a row that skipped masking.
    with container.sessions() as db:
        row = db.scalar(select(AuditLog).where(AuditLog.seq == 17))
        row.detail_masked = json.dumps({"title": "주민번호 900101-1234567"}, ensure_ascii=False)
        db.commit()
    logs = container.settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "server.log").write_text(json.dumps(CLEAN_LOG) + "\n" + json.dumps({**CLEAN_LOG, "msg": "call 010-2222-3333"}) + "\n")
    with container.sessions() as db:
        leak = check_pii(container.settings, db, sample=100)
    assert leak.status == Status.FAIL and leak.level == Level.LV3
    assert {h["where"]: h["kinds"] for h in leak.detail["hits"]} == {"audit_log seq=17": ["rrn"], "server.log:2": ["phone"]}
    assert "900101" not in json.dumps(leak.detail, ensure_ascii=False) and "2222" not in leak.summary


def test_large_logs_are_sampled_at_random(container: Container) -> None:
    _append(container, 40)
    with container.sessions() as db:
        row = db.scalar(select(AuditLog).where(AuditLog.seq == 23))
        row.detail_masked = json.dumps({"pw": "password=hunter2"})
        db.commit()
        found = []
        for seed in range(30):
            scanned, hits = sample_audit(db, 10, random.Random(seed))
            assert scanned == 10
            found.append(bool(hits))
    # A quarter of the rows per pass: some passes see the leak, some do not.
    assert any(found) and not all(found)
