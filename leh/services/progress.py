"""Live processing state for /staff/progress: what is in flight and what failed recently, per viewer.

Who sees what (DESIGN §8): a member sees the items of their cases in full. An admin sees every in-flight and
failed item system-wide with its operational fields (evidence and case ids, type, stage, progress, age, error code,
worker) but not file names or case titles of cases they are not a member of: `filename` and `case_title` are None
and `member` is False on those rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.domain.documents import EvidenceDoc
from leh.domain.evidence import EvidenceStatus
from leh.models import Case, User
from leh.ports import EvidenceStore, Queue
from leh.services.breakers import list_open
from leh.services.cases import member_case_ids

IN_FLIGHT = [EvidenceStatus.UPLOADING, EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING, EvidenceStatus.PAUSED]
LIVE_STATUSES = [*IN_FLIGHT, EvidenceStatus.FAILED]
# Top-level fields a progress row reads; never segments, summaries or other evidence text.
ROW_FIELDS = ("filename", "type", "stage", "progress", "error", "since", "worker_id")


def age_seconds(since: str | None, now: datetime) -> float:
    if not since:
        return 0.0
    try:
        return max(0.0, (now - datetime.fromisoformat(since)).total_seconds())
    except ValueError:
        return 0.0


def viewer_scope(db: Session, user: User) -> tuple[list[str] | None, dict[str, str]]:
    """(case ids to read — None means every case, for an admin; titles of the viewer's own cases)."""
    mine = member_case_ids(db, user)
    titles = {cid: t for cid, t in db.execute(select(Case.id, Case.title).where(Case.id.in_(mine)))} if mine else {}
    return (None if user.role == "admin" else mine), titles


def live_docs(evidence: EvidenceStore, scope: list[str] | None) -> list[dict[str, Any]]:
    """In-flight and failed evidence summaries in scope (None: all cases)."""
    statuses = [str(s) for s in LIVE_STATUSES]
    if scope is None:
        # System-wide: by status (an index on the scale-out store, never a scan of every evidence), cut to the row.
        return [_cut(d) for d in evidence.list_by_status(statuses)]
    if not scope:
        return []
    return evidence.list_summaries(case_ids=scope, statuses=statuses, fields=list(ROW_FIELDS))


def _cut(doc: EvidenceDoc) -> dict[str, Any]:
    """A full document cut to what `list_summaries` returns for ROW_FIELDS (no evidence text leaves here)."""
    row: dict[str, Any] = {"evidence_id": doc["evidence_id"], "case_id": doc["case_id"], "status": doc["status"]}
    history = doc.get("status_history") or []
    for name in ROW_FIELDS:
        row[name] = (history[-1]["at"] if history else None) if name == "since" else doc.get(name)
    return row


def progress_row(d: dict[str, Any], titles: dict[str, str], now: datetime) -> dict[str, Any]:
    """One row; file name and case title only for the viewer's own cases."""
    member = d["case_id"] in titles
    return {"evidence_id": d["evidence_id"], "case_id": d["case_id"], "member": member,
            "case_title": titles.get(d["case_id"]) if member else None,
            "filename": (d.get("filename") or "") if member else None, "type": d.get("type"), "status": d["status"],
            "stage": d.get("stage"), "progress": float(d.get("progress") or 0.0),
            "age_seconds": round(age_seconds(d.get("since"), now), 1), "error": d.get("error"),
            "worker_id": d.get("worker_id")}


def snapshot(db: Session, evidence: EvidenceStore, queue: Queue, user: User, *, recent_failures: int = 50) -> dict[str, Any]:
    scope, titles = viewer_scope(db, user)
    now = datetime.now(UTC)
    items: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    counts = {s.value: 0 for s in LIVE_STATUSES}
    for d in live_docs(evidence, scope):
        counts[d["status"]] = counts.get(d["status"], 0) + 1
        row = progress_row(d, titles, now)
        (failures if d["status"] == EvidenceStatus.FAILED else items).append(row)
    failures.sort(key=lambda r: r["age_seconds"])
    out: dict[str, Any] = {"items": sorted(items, key=lambda r: -r["age_seconds"]),
                           "recent_failures": failures[:recent_failures], "counts": counts,
                           "generated_at": now.isoformat(timespec="seconds")}
    if user.role == "admin":
        out["dlq_depth"] = queue.depth().get("dlq", 0)
        out["open_breakers"] = [{"case_id": b.case_id, "reason": b.reason} for b in list_open(db)]
    return out
