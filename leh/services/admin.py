"""Operator use cases shared by the admin API and `leh ops`: DLQ, redrive, reprocess, block."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.domain.documents import EvidenceDoc
from leh.domain.events import parse_events
from leh.domain.evidence import EvidenceStatus, transition
from leh.models import User
from leh.ports import EvidenceStore, Queue, SearchIndex
from leh.services import accounts
from leh.services.evidence import ensure_exists, requeue


def dlq_items(evidence: EvidenceStore, queue: Queue, limit: int = 100) -> list[dict[str, Any]]:
    """Dead letters with the evidence they concern (ids and error codes only)."""
    out = []
    for m in queue.dlq_messages(limit):
        events = parse_events(m["body"])
        ev = evidence.get(events[0].evidence_id) if events else None
        out.append({"message_id": m["id"], "reason": m["reason"], "receive_count": m["receive_count"],
                    "dead_at": m["dead_at"], "evidence_id": events[0].evidence_id if events else None,
                    "case_id": events[0].case_id if events else None,
                    "evidence_status": ev["status"] if ev else None, "error": ev.get("error") if ev else None})
    return out


def redrive(evidence: EvidenceStore, queue: Queue, ids: list[str] | None = None) -> int:
    """Move dead letters back to the queue; their evidence goes back to `queued` so users see it waiting."""
    items = [i for i in dlq_items(evidence, queue, limit=100_000) if ids is None or i["message_id"] in ids]
    for item in items:
        if item["evidence_id"] and item["evidence_status"] == EvidenceStatus.FAILED:
            evidence.mutate(item["evidence_id"], lambda d: transition(d, EvidenceStatus.QUEUED, attempts=0)
                            if d["status"] == EvidenceStatus.FAILED else d)
    return queue.redrive([i["message_id"] for i in items] if ids is not None else None)


def reprocess(evidence: EvidenceStore, index: SearchIndex, queue: Queue, evidence_id: str) -> EvidenceDoc:
    ensure_exists(evidence, evidence_id)
    return requeue(evidence, index, queue, evidence_id, reason="reprocess")


def block_user(db: Session, evidence: EvidenceStore, user: User) -> int:
    """Block the account: tokens stop at once; its queued evidence is paused so it spends nothing more."""
    accounts.set_blocked(db, user, True)
    paused = 0
    for doc in evidence.list_by_status([EvidenceStatus.QUEUED]):
        if doc.get("uploaded_by") == user.id:
            evidence.mutate(doc["evidence_id"], lambda d: transition(d, EvidenceStatus.PAUSED)
                            if d["status"] == EvidenceStatus.QUEUED else d)
            paused += 1
    return paused


def unblock_user(db: Session, evidence: EvidenceStore, index: SearchIndex, queue: Queue, user: User) -> int:
    accounts.set_blocked(db, user, False)
    resumed = 0
    for doc in evidence.list_by_status([EvidenceStatus.PAUSED]):
        if doc.get("uploaded_by") == user.id:
            requeue(evidence, index, queue, doc["evidence_id"], reason="unblock")
            resumed += 1
    return resumed


def find_user(db: Session, user_id_or_email: str) -> User:
    user = db.get(User, user_id_or_email) or db.scalar(select(User).where(User.email == user_id_or_email.lower()))
    if user is None:
        from leh.domain.errors import NotFound

        raise NotFound("USER_NOT_FOUND")
    return user
