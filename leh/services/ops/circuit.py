"""Per-case AI circuit breakers, operator side (runbook scenario C, step 1): open, close, status, list.

While a case's breaker is open its evidence waits as `paused` (leh.pipeline.processor checks before any
AI work); closing queues the paused items again, except those of blocked uploaders, which stay paused
until the account is unblocked.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.container import Container
from leh.domain.errors import NotFound, ValidationFailed
from leh.domain.evidence import EvidenceStatus
from leh.models import Case, CaseBreaker, User
from leh.services import breakers
from leh.services.evidence import requeue

log = logging.getLogger("leh.ops.breakers")

STATES = ("open", "closed")
BREAKER_OPEN_ACTION = "admin.breaker_open"
BREAKER_CLOSE_ACTION = "admin.breaker_close"
BREAKER_AUTO_OPEN_ACTION = "ops.breaker_auto_open"
BUDGET_ACTOR = "budget"


def breaker_public(case_id: str, b: CaseBreaker | None, *, title: str | None = None, paused: int = 0) -> dict[str, Any]:
    """A breaker as operators see it; a case that never had one reads as closed."""
    return {"case_id": case_id, "title": title, "state": b.state if b else "closed", "reason": b.reason if b else "",
            "opened_by": b.opened_by if b else None,
            "opened_at": b.opened_at.isoformat() if b and b.opened_at else None, "paused": paused}


def _paused_count(c: Container, case_id: str) -> int:
    return c.evidence.count_by_status(case_id).get(EvidenceStatus.PAUSED, 0)


def status(c: Container, db: Session, case_id: str) -> dict[str, Any]:
    """One case's breaker with its number of paused items."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound("CASE_NOT_FOUND")
    return breaker_public(case_id, db.get(CaseBreaker, case_id), title=case.title, paused=_paused_count(c, case_id))


def list_breakers(c: Container, db: Session) -> list[dict[str, Any]]:
    """Every breaker that was ever set, open ones first."""
    rows = db.execute(select(CaseBreaker, Case.title).outerjoin(Case, Case.id == CaseBreaker.case_id)).all()
    out = [breaker_public(b.case_id, b, title=title, paused=_paused_count(c, b.case_id)) for b, title in rows]
    return sorted(out, key=lambda r: (r["state"] != "open", r["case_id"]))


def resume_paused(c: Container, db: Session, case_id: str) -> int:
    """Queue the case's paused evidence again; a blocked uploader's items stay paused."""
    blocked = set(db.scalars(select(User.id).where(User.status == "blocked")))
    resumed = 0
    for doc in c.evidence.list_by_status([EvidenceStatus.PAUSED], case_id=case_id):
        if doc.get("uploaded_by") in blocked:
            continue
        requeue(c, doc["evidence_id"], reason="breaker_closed")
        resumed += 1
    return resumed


def set_breaker(c: Container, db: Session, case_id: str, *, state: str, reason: str, actor: str | None) -> dict[str, Any]:
    """Open or close a case's breaker by hand; closing resumes its paused items (reported as `resumed`)."""
    state = {"close": "closed"}.get(state, state)
    if state not in STATES:
        raise ValidationFailed("INVALID_STATE", "차단기 상태는 open 또는 closed 여야 합니다.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("REASON_REQUIRED", "사유를 입력해주세요. 감사 기록에 남습니다.")
    if db.get(Case, case_id) is None:
        raise NotFound("CASE_NOT_FOUND")
    breakers.set_state(db, case_id, state=state, reason=reason, actor=actor)
    db.commit()
    resumed = resume_paused(c, db, case_id) if state == "closed" else 0
    log.warning("case breaker set by hand", extra={"case_id": case_id, "state": state, "resumed": resumed})
    return {**status(c, db, case_id), "resumed": resumed}


def open_for_budget(c: Container, db: Session, case_id: str, reason: str) -> bool:
    """Open the breaker because the case spent its token budget; False if it was already open."""
    if breakers.is_open(db, case_id):
        return False
    breakers.set_state(db, case_id, state="open", reason=reason, actor=BUDGET_ACTOR)
    db.commit()
    return True
