"""Per-case AI circuit breakers (runbook scenario C): while open, the case's evidence waits as `paused`.

The pipeline (leh.pipeline.processor) and drafts check `is_open` before any AI work. Operators open, close
and list breakers (`leh ops breaker`, the admin API and page); closing queues the paused items again, except
those of blocked uploaders, which stay paused until the account is unblocked. The token budget
(leh.services.ops.usage) opens a breaker by itself through `open_for_budget`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.domain.errors import NotFound, ValidationFailed
from leh.domain.evidence import EvidenceStatus
from leh.models import Case, CaseBreaker, User
from leh.ports import EvidenceStore, Queue, SearchIndex
from leh.services.evidence import requeue
from leh.services.locks import claim

log = logging.getLogger("leh.ops.breakers")

STATES = ("open", "closed")
BUDGET_ACTOR = "budget"


def is_open(db: Session, case_id: str) -> bool:
    breaker = db.get(CaseBreaker, case_id)
    return breaker is not None and breaker.state == "open"


def set_state(db: Session, case_id: str, *, state: str, reason: str, actor: str | None) -> CaseBreaker:
    breaker = db.get(CaseBreaker, case_id) or CaseBreaker(case_id=case_id)
    breaker.state = state
    breaker.reason = reason
    if state == "open":
        breaker.opened_by = actor
        breaker.opened_at = datetime.now(UTC)
    db.add(breaker)
    db.flush()
    return breaker


def list_open(db: Session) -> list[CaseBreaker]:
    return list(db.scalars(select(CaseBreaker).where(CaseBreaker.state == "open")))


def breaker_public(case_id: str, b: CaseBreaker | None, *, title: str | None = None, paused: int = 0) -> dict[str, Any]:
    """A breaker as operators see it; a case that never had one reads as closed."""
    return {"case_id": case_id, "title": title, "state": b.state if b else "closed", "reason": b.reason if b else "",
            "opened_by": b.opened_by if b else None,
            "opened_at": b.opened_at.isoformat() if b and b.opened_at else None, "paused": paused}


def _paused_count(evidence: EvidenceStore, case_id: str) -> int:
    return evidence.count_by_status(case_id).get(EvidenceStatus.PAUSED, 0)


def status(db: Session, evidence: EvidenceStore, case_id: str) -> dict[str, Any]:
    """One case's breaker with its number of paused items."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound("CASE_NOT_FOUND")
    return breaker_public(case_id, db.get(CaseBreaker, case_id), title=case.title, paused=_paused_count(evidence, case_id))


def list_breakers(db: Session, evidence: EvidenceStore) -> list[dict[str, Any]]:
    """Every breaker that was ever set, open ones first."""
    rows = db.execute(select(CaseBreaker, Case.title).outerjoin(Case, Case.id == CaseBreaker.case_id)).all()
    out = [breaker_public(b.case_id, b, title=title, paused=_paused_count(evidence, b.case_id)) for b, title in rows]
    return sorted(out, key=lambda r: (r["state"] != "open", r["case_id"]))


def resume_paused(db: Session, evidence: EvidenceStore, index: SearchIndex, queue: Queue, case_id: str) -> int:
    """Queue the case's paused evidence again; a blocked uploader's items stay paused."""
    blocked = set(db.scalars(select(User.id).where(User.status == "blocked")))
    resumed = 0
    for doc in evidence.list_by_status([EvidenceStatus.PAUSED], case_id=case_id):
        if doc.get("uploaded_by") in blocked:
            continue
        requeue(evidence, index, queue, doc["evidence_id"], reason="breaker_closed")
        resumed += 1
    return resumed


def set_breaker(db: Session, evidence: EvidenceStore, index: SearchIndex, queue: Queue, case_id: str, *, state: str,
                reason: str, actor: str | None) -> dict[str, Any]:
    """Open or close a case's breaker by hand; closing resumes its paused items (reported as `resumed`)."""
    state = {"close": "closed"}.get(state, state)
    if state not in STATES:
        raise ValidationFailed("INVALID_STATE", "차단기 상태는 open 또는 closed 여야 합니다.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("REASON_REQUIRED", "사유를 입력해주세요. 감사 기록에 남습니다.")
    if db.get(Case, case_id) is None:
        raise NotFound("CASE_NOT_FOUND")
    claim(db, f"breaker:{case_id}")  # two operators at once: the second updates the row the first created
    db.get(CaseBreaker, case_id, populate_existing=True)
    set_state(db, case_id, state=state, reason=reason, actor=actor)
    db.commit()
    resumed = resume_paused(db, evidence, index, queue, case_id) if state == "closed" else 0
    log.warning("case breaker set by hand", extra={"case_id": case_id, "state": state, "resumed": resumed})
    return {**status(db, evidence, case_id), "resumed": resumed}


def open_for_budget(db: Session, case_id: str, reason: str) -> bool:
    """Open the breaker because the case spent its token budget; False if it was already open.

    Several workers can cross the budget at once: the case's breaker lock makes exactly one of them open it.
    """
    claim(db, f"breaker:{case_id}")
    breaker = db.get(CaseBreaker, case_id, populate_existing=True)
    if breaker is not None and breaker.state == "open":
        db.commit()
        return False
    set_state(db, case_id, state="open", reason=reason, actor=BUDGET_ACTOR)
    db.commit()
    return True
