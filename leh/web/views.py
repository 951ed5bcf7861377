"""View models for the server-rendered web UI: light projections of cases, evidence and processing state.

Thin helpers over the other services; nothing here returns evidence text except the evidence detail page.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leh.domain.errors import Conflict, NotFound, retry_can_help
from leh.domain.evidence import EvidenceStatus
from leh.models import AiUsage, AuditLog, Case, CaseBreaker, User
from leh.ports import Ports
from leh.services import breakers, cases, progress
from leh.services.evidence import requeue
from leh.services.progress import LIVE_STATUSES
from leh.services.read_cache import cached

PROGRESS_ROWS = 200
FAILURE_ROWS = 30

# The fields list views need; never segments, summaries or other evidence text.
SUMMARY_FIELDS = ("filename", "type", "stage", "progress", "error", "size", "event_time", "uploaded_at", "labels",
                  "speakers", "warnings", "since")


def summaries(c: Ports, *, case_ids: list[str] | None = None, statuses: Sequence[str] | None = None,
              exclude_deleted: bool = True, fields: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Evidence documents cut to the list fields, in store order (the store reads only those fields)."""
    return c.evidence.list_summaries(case_ids=case_ids, statuses=statuses, exclude_deleted=exclude_deleted,
                                     fields=list(fields or SUMMARY_FIELDS))


def evidence_row(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a list row needs: ids, name, type, status and where it stands (`since`: the last status change, so a
    retry that failed again between two looks still reads as a change); no evidence text."""
    grounds = sorted({str(lb.get("ground")) for lb in doc.get("labels") or [] if lb.get("ground")})
    return {"evidence_id": doc["evidence_id"], "case_id": doc["case_id"], "filename": doc.get("filename") or "",
            "type": doc.get("type") or "unknown", "status": doc["status"], "stage": doc.get("stage"),
            "progress": float(doc.get("progress") or 0.0), "error": doc.get("error"), "size": int(doc.get("size") or 0),
            "event_time": doc.get("event_time"), "uploaded_at": doc.get("uploaded_at"), "grounds": grounds,
            "speakers": list(doc.get("speakers") or []), "warnings": list(doc.get("warnings") or []),
            "since": doc.get("since") or ((doc.get("status_history") or [{}])[-1].get("at")),
            "retryable": retry_can_help((doc.get("error") or {}).get("code"))}


CASE_ROWS = 200  # cases per page of the case list ("더 보기" loads the next)


def case_rows_page(c: Ports, db: Session, user: User, *, status: str, q: str | None, offset: int = 0) -> dict[str, Any]:
    """One page of the case list (evidence counted for that page only) and where the next page starts."""
    found = cases.list_cases(db, user, status=status, q=q)
    end = offset + CASE_ROWS
    return {"cases": _with_counts(c, found[offset:end]), "next_offset": end if end < len(found) else None,
            "remaining": max(0, len(found) - end), "total": len(found)}


def case_rows(c: Ports, db: Session, user: User, *, status: str, q: str | None) -> list[dict[str, Any]]:
    """The user's cases with evidence counts per status (deleted evidence not counted)."""
    return _with_counts(c, cases.list_cases(db, user, status=status, q=q))


def _with_counts(c: Ports, found: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for case in found:
        counts = c.evidence.count_by_status(case.id)
        counts.pop(EvidenceStatus.DELETED, None)
        out.append({**cases.case_public(case), "evidence_count": sum(counts.values()), "status_counts": counts})
    return out


def case_view(c: Ports, db: Session, user: User, case_id: str) -> dict[str, Any]:
    """Everything the case page renders on the server: case, members, my role, evidence rows, filter choices."""
    case = cases.require_case(db, user, case_id)
    member = cases.membership(db, user, case_id)
    return {"case": cases.case_public(case), "members": cases.list_members(db, user, case_id),
            "my_role": member.role if member else None, **case_evidence_rows(c, case_id)}


def case_evidence_rows(c: Ports, case_id: str) -> dict[str, Any]:
    """The case's evidence rows (newest upload first), counts per status and the speaker and type choices; kept per
    process until any of the case's evidence changes (`read_cache`), so callers only read them."""
    return cached(c.evidence, case_id, "web.case_rows", lambda: _case_rows(c, case_id))


def _case_rows(c: Ports, case_id: str) -> dict[str, Any]:
    rows = [evidence_row(d) for d in summaries(c, case_ids=[case_id])]
    rows.sort(key=lambda r: r["uploaded_at"] or "", reverse=True)
    counts: dict[str, int] = {}
    speakers: dict[str, None] = {}
    types: dict[str, None] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        types.setdefault(r["type"], None)
        for s in r["speakers"]:
            speakers.setdefault(s, None)
    return {"evidence": rows, "counts": counts, "speakers": sorted(speakers), "types": sorted(types)}


def live_rows(c: Ports, case_id: str) -> dict[str, dict[str, Any]]:
    """The case's evidence that is not done yet (or failed), keyed by evidence id, as table rows."""
    return {d["evidence_id"]: evidence_row(d) for d in summaries(c, case_ids=[case_id], statuses=LIVE_STATUSES)}


def changed_since(c: Ports, case_id: str, since: str) -> dict[str, dict[str, Any]]:
    """Rows (deleted ones too) added or whose status changed after `since` (an ISO time), keyed by evidence id."""
    out = {}
    for d in summaries(c, case_ids=[case_id], exclude_deleted=False):
        if (d.get("since") or "") > since or (d.get("uploaded_at") or "") > since:
            out[d["evidence_id"]] = evidence_row(d)
    return out


def departed_states(c: Ports, case_id: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Final state of evidence that left the in-flight set (done, or deleted by someone), as table rows."""
    out = {}
    for evidence_id in ids:
        doc = c.evidence.get(evidence_id)
        if doc is not None and doc["case_id"] == case_id:
            out[evidence_id] = evidence_row(doc)
    return out


def case_counts(c: Ports, case_id: str) -> dict[str, int]:
    """Evidence per status (deleted not counted), for the case page's counters."""
    counts = dict(c.evidence.count_by_status(case_id))
    counts.pop(EvidenceStatus.DELETED, None)
    return {str(k): v for k, v in counts.items()}


def case_speakers(c: Ports, case_id: str) -> list[str]:
    """Every speaker named in the case's evidence (the timeline's speaker filter)."""
    return sorted({str(s) for d in summaries(c, case_ids=[case_id], fields=("speakers",)) for s in d.get("speakers") or []})


def filenames(c: Ports, case_id: str) -> dict[str, str]:
    """{evidence id: file name} of the case (search hits and citations name their evidence)."""
    return {d["evidence_id"]: d.get("filename") or "" for d in summaries(c, case_ids=[case_id], fields=("filename",))}


def retry_evidence(c: Ports, db: Session, user: User, case_id: str, evidence_id: str) -> dict[str, Any]:
    """A member with write access queues a failed evidence again (the 재시도 button)."""
    cases.require_case(db, user, case_id, write=True, allow_closed=False)
    doc = c.evidence.get(evidence_id)
    if doc is None or doc["case_id"] != case_id or doc["status"] == EvidenceStatus.DELETED:
        raise NotFound("EVIDENCE_NOT_FOUND")
    if doc["status"] != EvidenceStatus.FAILED:
        raise Conflict("NOT_FAILED", "실패한 증거만 다시 처리할 수 있습니다. 새로고침 후 상태를 확인해주세요.")
    return evidence_row(requeue(c.evidence, c.index, c.queue, evidence_id, reason="retry"))


class ThroughputMeter:
    """Items per minute that left processing, measured from consecutive snapshots of what is in flight."""

    def __init__(self, window_seconds: float = 300.0, warmup_seconds: float = 10.0):
        self.window, self.warmup = window_seconds, warmup_seconds
        self.started = time.monotonic()
        self.finished: deque[float] = deque()
        self.previous: set[str] | None = None

    def observe(self, in_flight_ids: set[str], now: float | None = None) -> None:
        """Count the items that left the in-flight set since the last snapshot."""
        now = time.monotonic() if now is None else now
        if self.previous is not None:
            for _ in self.previous - in_flight_ids:
                self.finished.append(now)
        self.previous = set(in_flight_ids)
        while self.finished and self.finished[0] < now - self.window:
            self.finished.popleft()

    def rate_per_minute(self, now: float | None = None) -> float | None:
        """None until the meter has watched long enough to say something honest."""
        now = time.monotonic() if now is None else now
        elapsed = min(now - self.started, self.window)
        if elapsed < self.warmup:
            return None
        return len(self.finished) * 60.0 / elapsed


def progress_view(c: Ports, db: Session, user: User, meter: ThroughputMeter | None = None) -> dict[str, Any]:
    """The /staff/progress model (the rows of `progress.snapshot`: admins see every case, with file names and
    titles only of their own), cut to what a table can show, with throughput and ETA when a meter watches."""
    scope, titles = progress.viewer_scope(db, user)
    now = datetime.now(UTC)
    items: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    counts = {str(s): 0 for s in LIVE_STATUSES}
    for d in progress.live_docs(c.evidence, scope):
        counts[d["status"]] = counts.get(d["status"], 0) + 1
        row = progress.progress_row(d, titles, now)
        (failures if d["status"] == EvidenceStatus.FAILED else items).append(row)
    items.sort(key=lambda r: -r["age_seconds"])
    failures.sort(key=lambda r: r["age_seconds"])
    rate = None
    if meter is not None:
        meter.observe({i["evidence_id"] for i in items})
        rate = meter.rate_per_minute()
    eta = len(items) / rate * 60.0 if rate and items else None
    view: dict[str, Any] = {"rows": items[:PROGRESS_ROWS], "rows_total": len(items), "failures": failures[:FAILURE_ROWS],
                            "counts": counts, "rate_per_minute": rate, "eta_seconds": eta,
                            "is_admin": user.role == "admin", "generated_at": now.isoformat(timespec="seconds"),
                            "dlq_depth": None, "open_breakers": None}
    if user.role == "admin":
        view["dlq_depth"] = c.queue.depth().get("dlq", 0)
        view["open_breakers"] = [{"case_id": b.case_id, "reason": b.reason} for b in breakers.list_open(db)]
    return view


def usage_summary(db: Session, *, days: int = 30) -> dict[str, Any]:
    """AI tokens and cost per case and per user over the last `days` days, biggest first."""
    since = datetime.now(UTC) - timedelta(days=days)
    tokens = func.sum(AiUsage.input_tokens + AiUsage.output_tokens)
    cost = func.sum(AiUsage.cost_usd)
    by_case = db.execute(
        select(AiUsage.case_id, Case.title, tokens, cost, func.count()).outerjoin(Case, Case.id == AiUsage.case_id)
        .where(AiUsage.at >= since).group_by(AiUsage.case_id, Case.title).order_by(tokens.desc()).limit(20)).all()
    by_user = db.execute(
        select(AiUsage.user_id, User.email, tokens, cost, func.count()).outerjoin(User, User.id == AiUsage.user_id)
        .where(AiUsage.at >= since).group_by(AiUsage.user_id, User.email).order_by(tokens.desc()).limit(20)).all()

    def rows(result: Any) -> list[dict[str, Any]]:
        """Rows with each one's share of the biggest, for the bar chart."""
        out = [{"id": r[0], "name": r[1] or (r[0] or "(없음)"), "tokens": int(r[2] or 0), "cost_usd": float(r[3] or 0.0),
                "calls": int(r[4] or 0)} for r in result]
        top = max((r["tokens"] for r in out), default=0)
        for r in out:
            r["share"] = (r["tokens"] / top * 100.0) if top else 0.0
        return out

    case_rows_, user_rows = rows(by_case), rows(by_user)
    return {"days": days, "by_case": case_rows_, "by_user": user_rows,
            "total_tokens": sum(r["tokens"] for r in case_rows_), "total_cost": sum(r["cost_usd"] for r in case_rows_)}


def breaker_rows(db: Session) -> list[dict[str, Any]]:
    """Every case breaker, open ones first, with the case title."""
    rows = db.execute(select(CaseBreaker, Case.title).outerjoin(Case, Case.id == CaseBreaker.case_id)
                      .order_by(CaseBreaker.state.desc(), CaseBreaker.opened_at.desc())).all()
    return [{"case_id": b.case_id, "title": title, "state": b.state, "reason": b.reason, "opened_by": b.opened_by,
             "opened_at": b.opened_at.isoformat() if b.opened_at else None} for b, title in rows]


def all_cases(db: Session) -> list[dict[str, Any]]:
    """Every case (id, title, status) for operator pickers."""
    return [{"id": cid, "title": title, "status": status}
            for cid, title, status in db.execute(select(Case.id, Case.title, Case.status).order_by(Case.created_at.desc()))]


def user_emails(db: Session, ids: set[str]) -> dict[str, str]:
    """{user id: email} for the given ids."""
    if not ids:
        return {}
    return {uid: email for uid, email in db.execute(select(User.id, User.email).where(User.id.in_(ids)))}


def audit_view(db: Session, *, action: str | None, actor: str | None, object_id: str | None,
               limit: int = 100) -> dict[str, Any]:
    """Audit rows newest first with actor emails; `actor` may be an email or a user id."""
    actor_id = None
    if actor:
        actor_id = db.scalar(select(User.id).where(User.email == actor.strip().lower())) or actor.strip()
    q = select(AuditLog).order_by(AuditLog.seq.desc()).limit(limit)
    if action:
        q = q.where(AuditLog.action == action)
    if actor_id:
        q = q.where(AuditLog.actor_id == actor_id)
    if object_id:
        q = q.where(AuditLog.object_id == object_id.strip())
    rows = list(db.scalars(q))
    emails = user_emails(db, {r.actor_id for r in rows if r.actor_id})
    actions = list(db.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))
    return {"rows": [{"seq": r.seq, "at": r.at, "actor": emails.get(r.actor_id or "", r.actor_id), "action": r.action,
                      "object_type": r.object_type, "object_id": r.object_id, "detail": r.detail_masked,
                      "hash": r.hash} for r in rows], "actions": actions}

