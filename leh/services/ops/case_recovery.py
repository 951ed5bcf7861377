"""Runbook scenario B (사건 실수 종료): reopen a closed case and rebuild its search index from the evidence store."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from leh.container import Container
from leh.domain.errors import NotFound
from leh.models import Case
from leh.services import cases
from leh.services.ops.index_check import compare_case

log = logging.getLogger("leh.ops.cases")


def reindex(c: Container, db: Session, case_id: str) -> dict[str, Any]:
    """Rebuild the case's index (a closed case's index is emptied) and report the counts after the rebuild."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound("CASE_NOT_FOUND")
    closed = case.status == "closed"
    if closed:
        # A closed case is out of search by design; "rebuilding" it means making sure nothing is left.
        c.index.drop_case(case_id)
        result: dict[str, Any] = {}
    else:
        from leh.services.reindex import reindex_case

        result = reindex_case(c, case_id)
    after = compare_case(c, case_id, closed=closed)
    log.info("case reindexed", extra={"case_id": case_id, "segments": after["indexed_segments"], "consistent": after["ok"]})
    return {"case_id": case_id, "case_status": case.status, "indexed_evidence": after["indexed_evidence"],
            "indexed_segments": after["indexed_segments"], "consistent": after["ok"], "reindex": result}


def restore_case(c: Container, db: Session, case_id: str) -> dict[str, Any]:
    """closed → active (step 1), then rebuild the index from the evidence store (step 2)."""
    case = cases.reopen_case(db, case_id)
    db.commit()
    log.warning("case restored", extra={"case_id": case_id})
    return {**reindex(c, db, case.id), "status": case.status}
