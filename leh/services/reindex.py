"""Rebuild one case's search index from the evidence store (runbook scenario B, `leh ops reindex`)."""

from __future__ import annotations

import logging
from typing import Any

from leh.container import Container
from leh.domain.evidence import EvidenceStatus

log = logging.getLogger("leh.search")


def reindex_case(c: Container, case_id: str) -> dict[str, Any]:
    """Drop the case from the index and index every `done` evidence again: {evidence, segments, skipped}.

    Indexing the same documents gives the same index, so search results before and after are identical.
    Evidence that a worker finishes while this runs is picked up by a second look at the store.
    """
    c.index.drop_case(case_id)
    indexed: set[str] = set()
    segments = 0
    for _ in range(2):
        for doc in c.evidence.list_case(case_id):
            if doc["status"] == EvidenceStatus.DONE and doc["evidence_id"] not in indexed:
                segments += c.index.index_evidence(doc)
                indexed.add(doc["evidence_id"])
    skipped = sum(1 for d in c.evidence.list_case(case_id) if d["evidence_id"] not in indexed)
    log.info("case index rebuilt", extra={"case_id": case_id, "evidence": len(indexed), "segments": segments})
    return {"case_id": case_id, "evidence": len(indexed), "segments": segments, "skipped": skipped}
