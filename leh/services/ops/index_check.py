"""Index consistency (runbook scenario B): does the search index hold exactly what the evidence store says?

Expected per case: every `done` evidence with its segment count (one copy of identical files); nothing at all for a closed case (closing
drops it from the index). Items being processed right now are left out on both sides. A mismatch is Lv2
(data integrity) and `leh ops reindex CASE` repairs it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.domain.errors import NotFound
from leh.domain.evidence import EvidenceStatus, counted_ids
from leh.models import Case
from leh.ports import EvidenceStore, SearchIndex
from leh.services.ops.findings import Finding, Level, Status


def compare_case(evidence: EvidenceStore, index: SearchIndex, case_id: str, *, closed: bool) -> dict[str, Any]:
    """Expected vs indexed segment counts for one case: {expected, indexed, missing, extra, mismatched, ok}."""
    docs = evidence.list_case(case_id)
    in_flight = {d["evidence_id"] for d in docs if d["status"] == EvidenceStatus.PROCESSING}
    counted = counted_ids([d for d in docs if d["status"] == EvidenceStatus.DONE])  # one copy of identical files
    expected = {} if closed else {d["evidence_id"]: len(d.get("segments") or []) for d in docs
                                  if d["evidence_id"] in counted and d.get("segments")}
    indexed = {eid: n for eid, n in index.count(case_id).items() if eid not in in_flight}
    missing = sorted(set(expected) - set(indexed))
    extra = sorted(set(indexed) - set(expected))
    mismatched = sorted(e for e in set(expected) & set(indexed) if expected[e] != indexed[e])
    return {"case_id": case_id, "closed": closed, "expected_evidence": len(expected),
            "expected_segments": sum(expected.values()), "indexed_evidence": len(indexed),
            "indexed_segments": sum(indexed.values()), "missing": missing, "extra": extra, "mismatched": mismatched,
            "ok": not (missing or extra or mismatched)}


def check_index(db: Session, evidence: EvidenceStore, index: SearchIndex, case_id: str | None = None) -> list[Finding]:
    """One finding per case that is out of sync (or one OK finding); a named case is always reported."""
    if case_id:
        case = db.get(Case, case_id)
        if case is None:
            raise NotFound("CASE_NOT_FOUND")
        cases = [(case.id, case.status)]
    else:
        cases = list(db.execute(select(Case.id, Case.status)).tuples())
    results = [compare_case(evidence, index, cid, closed=status == "closed") for cid, status in cases]
    bad = [r for r in results if not r["ok"]]
    if not bad:
        seg = sum(r["indexed_segments"] for r in results)
        return [Finding("index.consistency", "검색 인덱스 정합성", Status.OK, Level.LV2,
                        f"사건 {len(results)}건의 인덱스가 증거 저장소와 일치합니다 (세그먼트 {seg:,}개).",
                        detail={"cases": results} if case_id else {"cases_checked": len(results)})]
    return [Finding("index.consistency", "검색 인덱스 정합성", Status.FAIL, Level.LV2,
                    f"사건 {r['case_id']}: 인덱스 불일치 (누락 {len(r['missing'])}, 잉여 {len(r['extra'])}, "
                    f"개수 차이 {len(r['mismatched'])})",
                    action=f"증거 저장소 기준으로 인덱스를 다시 만드세요: leh ops reindex {r['case_id']}"
                    if not r["closed"] else f"종료된 사건의 인덱스를 비우세요: leh ops reindex {r['case_id']}",
                    detail=r) for r in bad]
