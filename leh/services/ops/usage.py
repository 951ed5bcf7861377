"""AI usage accounting and the per-case token budget (runbook scenario C: bill shock).

Every AI call records its tokens in `ai_usage`; the offline engines record their work too (characters
analysed, about one token per Korean character), so the budget and the breaker work without OpenAI.
When a case spends more than LEH_CASE_TOKEN_BUDGET within LEH_CASE_BUDGET_WINDOW its breaker opens.
`UsageLedger` is the `UsageRecorder` port on the relational database: the container builds it and hands it to
the AI adapters, so an adapter never calls a service.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from leh.config import Settings
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import EvidenceDoc, SegmentDoc
from leh.models import AiUsage, Case, CaseBreaker, User
from leh.ports import UsageRecorder
from leh.services import audit
from leh.services.breakers import open_for_budget

log = logging.getLogger("leh.ops.usage")

LOCAL_PROVIDER = "local"
LOCAL_MODEL = "leh-offline"


def local_work_units(segments: list[SegmentDoc]) -> int:
    """Work of the offline engines in token-like units: characters of the text they analysed."""
    return sum(len(s.get("text") or "") for s in segments)


def _utc(at: datetime) -> datetime:
    # Bound as aware UTC: PostgreSQL compares real instants, SQLite stores the UTC wall time without a zone.
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def budget_since(db: Session, case_id: str, window_start: datetime) -> datetime:
    """Where the case's budget starts counting: the window start, or the breaker's last opening if later."""
    # An operator who closes a breaker has accepted the spending that tripped it; counting from the moment it
    # opened (nothing is spent while it is open) keeps it from tripping again at once on that old usage.
    breaker = db.get(CaseBreaker, case_id)
    opened = breaker.opened_at if breaker is not None else None
    if opened is None:
        return window_start
    opened = opened if opened.tzinfo else opened.replace(tzinfo=UTC)
    return max(window_start, opened)


def tokens_since(db: Session, case_id: str, since: datetime) -> int:
    """Input plus output tokens the case spent since `since`."""
    total = db.scalar(select(func.sum(AiUsage.input_tokens + AiUsage.output_tokens))
                      .where(AiUsage.case_id == case_id, AiUsage.at >= _utc(since)))
    return int(total or 0)


def case_budget(s: Settings, db: Session, case_id: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Tokens the case spent against its budget: {used, budget, window, since, over}."""
    now = now or datetime.now(UTC)
    since = budget_since(db, case_id, now - timedelta(seconds=s.budget_window_seconds))
    used = tokens_since(db, case_id, since)
    return {"case_id": case_id, "used": used, "budget": s.case_token_budget, "window": s.case_budget_window,
            "since": since.isoformat(timespec="seconds"), "over": used > s.case_token_budget,
            "percent": round(used / s.case_token_budget * 100, 1) if s.case_token_budget else None}


def check_budget(s: Settings, sessions: sessionmaker[Session], db: Session, case_id: str) -> bool:
    """Open the case's breaker if it is over budget; True when this call opened it."""
    b = case_budget(s, db, case_id)
    if not b["over"]:
        return False
    reason = f"토큰 예산 초과: {b['used']:,} / {b['budget']:,} 토큰 (기간 {b['window']})"
    if not open_for_budget(db, case_id, reason):
        return False
    log.warning("case token budget exceeded: breaker opened",
                extra={"case_id": case_id, "used": b["used"], "budget": b["budget"]})
    audit.record(sessions, action=AuditAction.OPS_BREAKER_AUTO_OPEN, object_type="case", object_id=case_id,
                 detail={"used_tokens": b["used"], "budget_tokens": b["budget"], "window": b["window"]})
    return True


class UsageLedger:
    """The UsageRecorder port: one ai_usage row per AI call, then the case's budget check."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings):
        self.sessions, self.settings = sessions, settings

    def record(self, *, case_id: str | None, user_id: str | None, evidence_id: str | None, provider: str,
               model: str, input_tokens: int, output_tokens: int = 0, cost_usd: float = 0.0) -> bool:
        """Record one AI call and check the case's budget; True when this call tripped the breaker."""
        with self.sessions() as db:
            db.add(AiUsage(case_id=case_id, user_id=user_id, evidence_id=evidence_id, provider=provider, model=model,
                           input_tokens=int(input_tokens), output_tokens=int(output_tokens), cost_usd=float(cost_usd)))
            db.commit()
            return check_budget(self.settings, self.sessions, db, case_id) if case_id else False


# OpenAI bills transcription by audio minute, not by token.
WHISPER_USD_PER_MINUTE = 0.006


def record_transcription(usage: UsageRecorder, doc: EvidenceDoc, meta: dict[str, Any]) -> None:
    """After the extract stage: a recording transcribed by OpenAI is a billed call (runs in the worker, because
    the parser itself runs in a sandboxed child without access to the database)."""
    if meta.get("engine") != "openai":
        return
    minutes = float(meta.get("duration_s") or 0.0) / 60
    try:
        usage.record(case_id=doc["case_id"], user_id=doc.get("uploaded_by"), evidence_id=doc["evidence_id"],
                     provider="openai", model="whisper-1", input_tokens=int(meta.get("words") or 0),
                     cost_usd=round(minutes * WHISPER_USD_PER_MINUTE, 6))
    except Exception:
        log.exception("usage accounting failed", extra={"evidence_id": doc.get("evidence_id"), "code": "USAGE_RECORD_FAILED"})


def record_analysis(usage: UsageRecorder, doc: EvidenceDoc, segments: list[SegmentDoc]) -> None:
    """The pipeline's hook after the analyze stage: the offline engines' work, then the budget check."""
    # Accounting must never cost the lawyer their evidence: a failure is logged (diagnose shows it), not raised.
    try:
        usage.record(case_id=doc["case_id"], user_id=doc.get("uploaded_by"), evidence_id=doc["evidence_id"],
                     provider=LOCAL_PROVIDER, model=LOCAL_MODEL, input_tokens=local_work_units(segments))
    except Exception:
        log.exception("usage accounting failed", extra={"evidence_id": doc.get("evidence_id"), "code": "USAGE_RECORD_FAILED"})


def usage_summary(s: Settings, db: Session, *, window_seconds: int, now: datetime | None = None) -> dict[str, Any]:
    """Tokens and cost per case and per user over the window, biggest first, with each case's budget state."""
    now = now or datetime.now(UTC)
    since = _utc(now - timedelta(seconds=window_seconds))
    tokens = func.sum(AiUsage.input_tokens + AiUsage.output_tokens)
    cost = func.sum(AiUsage.cost_usd)
    by_case = db.execute(select(AiUsage.case_id, Case.title, tokens, cost, func.count())
                         .outerjoin(Case, Case.id == AiUsage.case_id).where(AiUsage.at >= since)
                         .group_by(AiUsage.case_id, Case.title).order_by(tokens.desc())).all()
    by_user = db.execute(select(AiUsage.user_id, User.email, tokens, cost, func.count())
                         .outerjoin(User, User.id == AiUsage.user_id).where(AiUsage.at >= since)
                         .group_by(AiUsage.user_id, User.email).order_by(tokens.desc())).all()
    cases: list[dict[str, Any]] = []
    for case_id, title, tok, usd, calls in by_case:
        row = {"case_id": case_id, "title": title, "tokens": int(tok or 0), "cost_usd": round(float(usd or 0), 6),
               "calls": int(calls)}
        if case_id:
            b = case_budget(s, db, case_id, now=now)
            breaker = db.get(CaseBreaker, case_id)
            row.update(budget_used=b["used"], budget=b["budget"], budget_percent=b["percent"],
                       breaker=breaker.state if breaker else "closed")
        cases.append(row)
    users = [{"user_id": uid, "email": email, "tokens": int(tok or 0), "cost_usd": round(float(usd or 0), 6),
              "calls": int(calls)} for uid, email, tok, usd, calls in by_user]
    return {"window_seconds": window_seconds, "since": since.isoformat(timespec="seconds"),
            "budget": s.case_token_budget, "budget_window": s.case_budget_window,
            "total_tokens": sum(r["tokens"] for r in cases), "total_cost_usd": round(sum(r["cost_usd"] for r in cases), 6),
            "by_case": cases, "by_user": users}
