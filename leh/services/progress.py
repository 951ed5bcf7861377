"""Live processing state for /staff/progress: what is in flight and what failed recently, per viewer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from leh.domain.documents import EvidenceDoc
from leh.domain.evidence import EvidenceStatus
from leh.models import Case, User
from leh.ports import EvidenceStore, Queue
from leh.services.breakers import list_open
from leh.services.cases import member_case_ids

IN_FLIGHT = [EvidenceStatus.UPLOADING, EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING, EvidenceStatus.PAUSED]


def _age_seconds(doc: EvidenceDoc) -> float:
    hist = doc.get("status_history") or []
    since = hist[-1]["at"] if hist else doc.get("uploaded_at")
    return max(0.0, (datetime.now(UTC) - datetime.fromisoformat(since)).total_seconds()) if since else 0.0


def snapshot(db: Session, evidence: EvidenceStore, queue: Queue, user: User, *, recent_failures: int = 50) -> dict[str, Any]:
    case_ids = set(member_case_ids(db, user))
    titles = {cid: t for cid, t in db.query(Case.id, Case.title).filter(Case.id.in_(case_ids))} if case_ids else {}
    docs = [d for d in evidence.list_by_status([*IN_FLIGHT, EvidenceStatus.FAILED]) if d["case_id"] in case_ids]
    items: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    counts = {s.value: 0 for s in [*IN_FLIGHT, EvidenceStatus.FAILED]}
    for d in docs:
        counts[d["status"]] = counts.get(d["status"], 0) + 1
        row = {"evidence_id": d["evidence_id"], "case_id": d["case_id"], "case_title": titles.get(d["case_id"]),
               "filename": d["filename"], "type": d.get("type"), "status": d["status"], "stage": d.get("stage"),
               "progress": d.get("progress") or 0.0, "age_seconds": round(_age_seconds(d), 1), "error": d.get("error")}
        (failures if d["status"] == EvidenceStatus.FAILED else items).append(row)
    failures.sort(key=lambda r: r["age_seconds"])
    out: dict[str, Any] = {"items": sorted(items, key=lambda r: -r["age_seconds"]),
                           "recent_failures": failures[:recent_failures], "counts": counts,
                           "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    if user.role == "admin":
        out["dlq_depth"] = queue.depth().get("dlq", 0)
        out["open_breakers"] = [{"case_id": b.case_id, "reason": b.reason} for b in list_open(db)]
    return out
