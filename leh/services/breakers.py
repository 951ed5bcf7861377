"""Per-case AI circuit breakers (runbook scenario C): while open, the case's evidence waits as `paused`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.models import CaseBreaker


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
