"""Rebuild a case's search index from the evidence store, and restore a case closed by mistake (runbook scenario B).

`reindex_case` is the rebuild itself (also used by backup restore); `reindex` and `restore_case` are what
`leh ops reindex` / `leh ops restore-case` and the admin API run: they report the index counts afterwards.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from leh.domain.errors import NotFound
from leh.domain.evidence import EvidenceStatus, counted_ids
from leh.models import Case
from leh.ports import EvidenceStore, SearchIndex
from leh.services import cases
from leh.services.ops.index_check import compare_case

log = logging.getLogger("leh.search")
log_ops = logging.getLogger("leh.ops.cases")


def reindex_case(evidence: EvidenceStore, index: SearchIndex, case_id: str) -> dict[str, Any]:
    """Drop the case from the index and index every `done` evidence again: {evidence, segments, skipped}.

    Indexing the same documents gives the same index, so search results before and after are identical.
    Evidence that a worker finishes while this runs is picked up by a second look at the store. Of identical
    copies only the counted one is indexed (`counted_ids`); the others count as skipped.
    """
    index.drop_case(case_id)
    indexed: set[str] = set()
    segments = 0
    for _ in range(2):
        done = [d for d in evidence.list_case(case_id) if d["status"] == EvidenceStatus.DONE]
        counted = counted_ids(done)
        for doc in done:
            if doc["evidence_id"] in counted and doc["evidence_id"] not in indexed:
                segments += index.index_evidence(doc)
                indexed.add(doc["evidence_id"])
    skipped = sum(1 for d in evidence.list_case(case_id) if d["evidence_id"] not in indexed)
    log.info("case index rebuilt", extra={"case_id": case_id, "evidence": len(indexed), "segments": segments})
    return {"case_id": case_id, "evidence": len(indexed), "segments": segments, "skipped": skipped}


def reindex(db: Session, evidence: EvidenceStore, index: SearchIndex, case_id: str) -> dict[str, Any]:
    """Rebuild the case's index (a closed case's index is emptied) and report the counts after the rebuild."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound("CASE_NOT_FOUND")
    closed = case.status == "closed"
    if closed:
        # A closed case is out of search by design; "rebuilding" it means making sure nothing is left.
        index.drop_case(case_id)
        result: dict[str, Any] = {}
    else:
        result = reindex_case(evidence, index, case_id)
    after = compare_case(evidence, index, case_id, closed=closed)
    log_ops.info("case reindexed", extra={"case_id": case_id, "segments": after["indexed_segments"], "consistent": after["ok"]})
    return {"case_id": case_id, "case_status": case.status, "indexed_evidence": after["indexed_evidence"],
            "indexed_segments": after["indexed_segments"], "consistent": after["ok"], "reindex": result}


def restore_case(db: Session, evidence: EvidenceStore, index: SearchIndex, case_id: str) -> dict[str, Any]:
    """closed → active (step 1), then rebuild the index from the evidence store (step 2)."""
    case = cases.reopen_case(db, case_id)
    db.commit()
    log_ops.warning("case restored", extra={"case_id": case_id})
    return {**reindex(db, evidence, index, case.id), "status": case.status}
