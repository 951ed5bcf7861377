"""Issue #15, Medium 7: the audit log cannot be edited, cut or rewritten undetected — the chain is anchored by
HMAC-signed checkpoints in the object store, with a key the database does not hold."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import delete, select

from leh.container import Container
from leh.domain.audit_chain import GENESIS_HASH, row_hash
from leh.models import AuditLog
from leh.services import audit, audit_anchor
from leh.services.audit import _as_mapping
from leh.services.ops import housekeeping
from leh.services.ops.weekly import check_audit_chain


@pytest.fixture
def logged(container: Container) -> Container:
    for i in range(30):
        audit.record(container.sessions, action="case.view", object_type="case", object_id=f"case-{i}",
                     detail={"n": i})
    housekeeping.tick(container, now=1e9)  # a worker's periodic checkpoint
    assert list(container.objects.list(audit_anchor.PREFIX))
    return container


def _verify(c: Container) -> dict:
    return audit_anchor.verify_log(c.sessions, c.objects, c.settings.resolved_anchor_key(), checkpoint=False)


def _chain_alone_ok(c: Container) -> bool:
    with c.sessions() as db:
        return audit.verify(db).ok


def test_an_intact_log_verifies_and_is_checkpointed_again(logged: Container) -> None:
    report = audit_anchor.verify_log(logged.sessions, logged.objects, logged.settings.resolved_anchor_key())
    assert report["ok"] and report["checked"] == 30 and report["anchors"]["anchored_seq"] == 30
    assert check_audit_chain(logged).status == "ok"
    # The key is not in the database: nothing in any table holds it.
    key = logged.settings.resolved_anchor_key()
    with logged.sessions() as db:
        assert all(key not in r.detail_masked for r in db.scalars(select(AuditLog)))
    assert key != logged.settings.resolved_secret_key()


def test_edited_row_is_detected(logged: Container) -> None:
    with logged.sessions() as db:
        row = db.scalar(select(AuditLog).where(AuditLog.seq == 5))
        assert row is not None
        row.detail_masked = json.dumps({"n": 999})
        db.commit()
    report = _verify(logged)
    assert not report["ok"] and "hash mismatch" in report["reason"]


def test_deleted_row_is_detected(logged: Container) -> None:
    with logged.sessions() as db:
        db.execute(delete(AuditLog).where(AuditLog.seq == 12))
        db.commit()
    assert not _verify(logged)["ok"]


def test_truncation_is_detected(logged: Container) -> None:
    with logged.sessions() as db:
        db.execute(delete(AuditLog).where(AuditLog.seq > 10))
        db.commit()
    assert _chain_alone_ok(logged)  # what the chain alone cannot see
    report = _verify(logged)
    assert not report["ok"] and report["reason"].startswith("truncated")
    assert check_audit_chain(logged).status == "fail"


def test_full_rewrite_recomputing_every_later_hash_is_detected(logged: Container) -> None:
    with logged.sessions() as db:
        rows = list(db.scalars(select(AuditLog).order_by(AuditLog.seq)))
        prev = GENESIS_HASH
        for row in rows:
            if row.seq == 5:
                row.detail_masked = json.dumps({"n": "지워진 사실"}, ensure_ascii=False)
            row.prev_hash = prev
            row.hash = row_hash(_as_mapping(row), prev)
            prev = row.hash
        db.commit()
    assert _chain_alone_ok(logged)  # what the chain alone cannot see
    report = _verify(logged)
    assert not report["ok"] and report["reason"].startswith("rewritten")


def test_a_checkpoint_signed_without_the_key_is_refused(logged: Container) -> None:
    forged = {"seq": 3, "id": "x", "hash": "0" * 64, "at": "2026-01-01T00:00:00+00:00", "mac": "f" * 64}
    logged.objects.put(f"{audit_anchor.PREFIX}000000000003-forged.json", io.BytesIO(json.dumps(forged).encode()))
    report = _verify(logged)
    assert not report["ok"] and report["reason"].startswith("forged")
