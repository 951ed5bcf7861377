"""Search service validation and the reindex-case rebuild (identical results, deleted evidence left out)."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.analyzer import analyze_document
from leh.container import Container
from leh.domain.errors import ValidationFailed
from leh.domain.evidence import new_evidence_doc
from leh.services.reindex import reindex_case
from leh.services.search import search_case


def done_doc(c: Container, case_id: str, lines: list[tuple[str, str, str]], *, status: str = "done") -> dict:  # type: ignore[type-arg]
    eid = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case_id, evidence_id=eid, filename="kakao.txt", size=1, uploaded_by="u1")
    segments = [{"seq": i, "ts": ts, "speaker": who, "text": t, "kind": "speech", "ref": {"line": i}}
                for i, (ts, who, t) in enumerate(lines)]
    doc.update(type="kakaotalk", status=status, segments=segments, **analyze_document(segments, event_time=None))
    c.evidence.put(doc)
    if status == "done":
        c.index.index_evidence(doc)
    return doc


def test_reindex_rebuilds_identical_results_without_deleted_evidence(container: Container) -> None:
    case = str(uuid.uuid4())
    a = done_doc(container, case, [("2023-12-25T22:20:00+09:00", "홍길동", "이혼하자고? 한 번만 더 그러면 가만 안 둔다"),
                                   ("2023-12-25T22:21:00+09:00", "김영희", "이혼 소장 접수했어")])
    b = done_doc(container, case, [("2024-01-02T10:00:00+09:00", "김영희", "위자료를 청구할 거야 이혼은 확정")])
    gone = done_doc(container, case, [("2024-01-03T10:00:00+09:00", "김영희", "이혼 상담 메모")])
    container.evidence.update(gone["evidence_id"], {"status": "deleted"})
    container.index.remove_evidence(case, gone["evidence_id"])
    queued = done_doc(container, case, [(None, "x", "이혼 서류")], status="queued")
    before = [search_case(container.index, case, q) for q in ("이혼", "위자료", "가만 안 둔다")]
    before_grounds = search_case(container.index, case, "이혼", ground="840-3")

    counts = reindex_case(container.evidence, container.index, case)

    assert counts == {"case_id": case, "evidence": 2, "segments": 3, "skipped": 2}
    assert [search_case(container.index, case, q) for q in ("이혼", "위자료", "가만 안 둔다")] == before
    assert search_case(container.index, case, "이혼", ground="840-3") == before_grounds
    assert {h["evidence_id"] for h in before[0]} == {a["evidence_id"], b["evidence_id"]}
    assert container.index.count(case) == {a["evidence_id"]: 2, b["evidence_id"]: 1}
    assert queued["evidence_id"] not in container.index.count(case)


def test_a_ground_filter_accepts_ids_and_tags(container: Container) -> None:
    case = str(uuid.uuid4())
    done_doc(container, case, [(None, "홍길동", "한 번만 더 그러면 가만 안 둔다"), (None, "김영희", "한 번만 더 말할게")])
    assert [h["seq"] for h in search_case(container.index, case, "한 번만", ground="840-3")] == [0]
    assert [h["seq"] for h in search_case(container.index, case, "한 번만", ground="협박")] == [0]
    assert search_case(container.index, case, "한 번만", ground="840-1") == []


@pytest.mark.parametrize("kwargs", [{"ground": "840-9"}, {"ground": "이혼"}, {"date_from": "2024-13-01"},
                                    {"date_from": "2024-02-01", "date_to": "2024-01-01"}])
def test_bad_filters_are_400_with_a_korean_message(container: Container, kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationFailed) as err:
        search_case(container.index, str(uuid.uuid4()), "이혼", **kwargs)
    assert err.value.http_status == 400 and err.value.message_ko.endswith("해주세요.")
