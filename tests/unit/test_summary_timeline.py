"""The case timeline service: events of every processed evidence, time-ordered, stable, filtered."""

from __future__ import annotations

import uuid

from leh.container import Container
from leh.domain.evidence import new_evidence_doc
from leh.services.timeline import case_timeline


def put(c: Container, case_id: str, timeline: list[dict], *, status: str = "done", uploaded_at: str = "2024-02-01T00:00:00",
        labels: list[dict] | None = None) -> str:  # type: ignore[type-arg]
    eid = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case_id, evidence_id=eid, filename=f"{eid[:4]}.txt", size=1, uploaded_by="u")
    doc.update(status=status, timeline=timeline, uploaded_at=uploaded_at, labels=labels or [])
    c.evidence.put(doc)
    return eid


def ev(ts: str | None, grounds: list[str], seg: int) -> dict:  # type: ignore[type-arg]
    return {"ts": ts, "description": f"event {seg}", "grounds": grounds, "segments": [seg]}


def test_events_are_time_ordered_across_evidence_and_stable_for_equal_times(container: Container) -> None:
    case = str(uuid.uuid4())
    late = put(container, case, [ev("2024-01-05T09:00:00+09:00", ["840-3"], 3)], uploaded_at="2024-02-02")
    early = put(container, case, [ev("2023-12-25T22:20:00+09:00", ["840-3"], 1), ev(None, [], 9)], uploaded_at="2024-02-03")
    # the same instant written in UTC: equal times keep upload order, then evidence id, then segment
    utc_first = put(container, case, [ev("2024-01-05T00:00:00+00:00", ["840-6"], 0)], uploaded_at="2024-02-01")
    put(container, case, [ev("2023-01-01T00:00:00+09:00", ["840-1"], 0)], status="processing")
    put(container, case, [ev("2023-01-01T00:00:00+09:00", ["840-1"], 0)], status="deleted")

    first = case_timeline(container.evidence, case, timezone=container.settings.timezone)
    assert [(e["evidence_id"], e["segments"]) for e in first] == [
        (early, [1]), (utc_first, [0]), (late, [3]), (early, [9])]
    assert all(case_timeline(container.evidence, case, timezone=container.settings.timezone) == first for _ in range(3))
    assert set(first[0]) >= {"ts", "description", "grounds", "evidence_id", "segments"}


def test_ground_and_date_filters(container: Container) -> None:
    case = str(uuid.uuid4())
    a = put(container, case, [ev("2023-12-25T22:20:00+09:00", ["840-3"], 1), ev("2024-01-10T10:00:00+09:00", ["840-6"], 4)])
    assert [e["segments"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, ground="840-6")] == [[4]]
    assert [e["segments"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, ground="폭언")] == [[1]]
    assert [e["segments"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, date_from="2024-01-01")] == [[4]]
    assert [e["segments"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, date_to="2023-12-25")] == [[1]]
    assert case_timeline(container.evidence, case, timezone=container.settings.timezone, date_from="2024-02-01") == []
    assert {e["evidence_id"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone)} == {a}


def test_evidence_analysed_before_timelines_still_appears(container: Container) -> None:
    case = str(uuid.uuid4())
    eid = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case, evidence_id=eid, filename="old.txt", size=1, uploaded_by="u")
    doc.update(status="done", event_time="2023-05-01T10:00:00+09:00", summary="예전 요약", timeline=[],
               labels=[{"ground": "840-2", "tag": "가출", "confidence": 0.9, "segments": [0]}])
    container.evidence.put(doc)
    assert case_timeline(container.evidence, case, timezone=container.settings.timezone) == [{"ts": "2023-05-01T10:00:00+09:00", "description": "예전 요약",
                                              "grounds": ["840-2"], "evidence_id": eid, "segments": [],
                                              "filename": "old.txt", "type": "unknown",
                                              "ts_precision": "minute", "ts_label": "2023. 5. 1. 10:00"}]


def test_type_and_speaker_filters(container: Container) -> None:
    case = str(uuid.uuid4())
    chat = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case, evidence_id=chat, filename="chat.txt", size=1, uploaded_by="u")
    doc.update(status="done", type="kakaotalk", speakers=["김영희", "홍길동"],
               segments=[{"seq": 0, "speaker": "홍길동", "text": "가만 안 둔다"}, {"seq": 1, "speaker": "김영희", "text": "무서워"}],
               timeline=[ev("2023-12-25T22:20:00+09:00", ["840-3"], 0)])
    container.evidence.put(doc)
    memo = put(container, case, [{"ts": None, "description": "메모", "grounds": [], "segments": []}])
    assert [e["evidence_id"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, type="kakaotalk")] == [chat]
    assert [e["evidence_id"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, type="unknown")] == [memo]
    assert [e["segments"] for e in case_timeline(container.evidence, case, timezone=container.settings.timezone, speaker="홍길동")] == [[0]]
    assert case_timeline(container.evidence, case, timezone=container.settings.timezone, speaker="김영희") == []  # she speaks in the chat, not in this event
