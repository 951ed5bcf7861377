"""A document's labelled lines on one date are one timeline event, described by its most telling line."""

from __future__ import annotations

from leh.analysis.labels import Hit
from leh.analysis.timeline import timeline_events

DAY = "2024-03-03T00:00:00+09:00"


def _hit(seq: int, weight: float, tag: str = "폭행", ground: str = "840-3") -> Hit:
    return Hit(seq=seq, tag=tag, ground=ground, weight=weight, mode="report", start=0, end=0, rule="r")


def _seg(seq: int, text: str, ts: str | None = DAY, speaker: str | None = None) -> dict[str, object]:
    return {"seq": seq, "ts": ts, "speaker": speaker, "text": text, "kind": "text" if speaker is None else "speech"}


def test_a_certificates_title_and_diagnosis_are_one_event_quoting_the_diagnosis() -> None:
    segs = [_seg(0, "상해진단서"), _seg(1, "환자 성명: 김영희"), _seg(2, "진료 일자: 2024년 3월 3일"),
            _seg(3, "병명: 안면부 타박상, 좌측 상완부 좌상"), _seg(4, "향후 2주간의 치료를 요함")]
    events = timeline_events(segs, [_hit(0, 0.8), _hit(3, 0.8)], DAY, "overview")  # type: ignore[arg-type]
    assert len(events) == 1 and events[0]["segments"] == [0, 3]
    assert events[0]["description"].endswith("“병명: 안면부 타박상, 좌측 상완부 좌상” 외 1건")
    stronger_title = timeline_events(segs, [_hit(0, 0.95), _hit(3, 0.8)], DAY, "overview")  # type: ignore[arg-type]
    assert stronger_title[0]["description"].endswith("“병명: 안면부 타박상, 좌측 상완부 좌상” 외 1건")  # a title is no quote
    two = timeline_events(segs, [_hit(3, 0.7), _hit(4, 0.9)], DAY, "overview")  # type: ignore[arg-type]
    assert two[0]["description"].endswith("“향후 2주간의 치료를 요함” 외 1건")  # then the strongest line


def test_document_lines_of_other_dates_or_far_apart_stay_apart_and_chats_keep_their_first_message() -> None:
    dated = [_seg(0, "2024년 3월 2일 남편이 밀쳤다", "2024-03-02T00:00:00+09:00"),
             _seg(1, "2024년 3월 9일 남편이 때렸다", "2024-03-09T00:00:00+09:00")]
    assert len(timeline_events(dated, [_hit(0, 0.8), _hit(1, 0.9)], None, "o")) == 2  # type: ignore[arg-type]
    far = [_seg(i, f"줄 {i}") for i in range(7)]
    assert len(timeline_events(far, [_hit(0, 0.8), _hit(6, 0.8)], DAY, "o")) == 2  # type: ignore[arg-type]
    chat = [_seg(0, "가만 안 둔다", "2024-03-09T21:10:00+09:00", "홍길동"),
            _seg(1, "다 부숴버릴 거야 진짜로 다", "2024-03-09T21:11:00+09:00", "홍길동")]
    [event] = timeline_events(chat, [_hit(0, 0.7, "협박"), _hit(1, 0.9, "협박")], None, "o")  # type: ignore[arg-type]
    assert "“가만 안 둔다” 외 1건" in event["description"]
