"""Summary, insights, speakers, event time and timeline from the offline analyzer."""

from __future__ import annotations

from datetime import datetime, timedelta

from leh.analysis.analyzer import analyze_document
from leh.analysis.summary import josa, when

KST = "+09:00"


def seg(seq: int, ts: str | None, speaker: str | None, text: str, kind: str = "speech") -> dict:  # type: ignore[type-arg]
    return {"seq": seq, "ts": ts, "speaker": speaker, "text": text, "kind": kind, "ref": {"line": seq}}


CHAT = [
    seg(0, f"2023-12-25T22:18:00{KST}", "김영희", "생활비는 언제 보내줄 거야?"),
    seg(1, f"2023-12-25T22:20:00{KST}", "홍길동", "한 번만 더 그 얘기 하면 가만 안 둔다"),
    seg(2, f"2023-12-25T22:21:00{KST}", "홍길동", "집에 들어가면 다 부숴버릴 거야"),
    seg(3, f"2023-12-25T22:25:00{KST}", "김영희", "무서워서 친정에 와 있어\n내일 얘기해"),
    seg(4, None, None, "사진", "system"),
    seg(5, f"2023-12-26T09:00:00{KST}", "홍길동", "어제 소리 지른 건 미안해"),
]


def test_summary_names_date_speaker_and_act() -> None:
    out = analyze_document(CHAT, event_time=None)
    assert out["summary"].startswith("2023-12-25 22:20, 홍길동이 협박성 발언을 함(“한 번만 더 그 얘기 하면 가만 안 둔다”)")
    assert "김영희·홍길동의 대화 5건" in out["summary"]  # the system line is nobody's words
    assert out["speakers"] == ["김영희", "홍길동"]
    assert out["event_time"] == f"2023-12-25T22:18:00{KST}"
    assert out["analysis"]["engine"].startswith("offline")


def test_insights_list_threats_and_admissions() -> None:
    insights = analyze_document(CHAT, event_time=None)["insights"]
    assert insights[:2] == ["협박: 2023-12-25 22:20 홍길동 “한 번만 더 그 얘기 하면 가만 안 둔다”",
                            "협박: 2023-12-25 22:21 홍길동 “집에 들어가면 다 부숴버릴 거야”"]
    assert "인정: 2023-12-26 09:00 홍길동 “어제 소리 지른 건 미안해” (폭언)" in insights


def test_repeated_pattern_is_counted_over_its_span() -> None:
    start = datetime(2024, 1, 3, 23, 0)
    insults = ["미친년아", "씨발 그만해", "병신아 꺼져"]
    segs = [seg(i, (start + timedelta(days=7 * i)).isoformat() + KST, "홍길동", insults[i % 3]) for i in range(14)]
    segs.append(seg(14, (start + timedelta(days=2)).isoformat() + KST, "김영희", "그만 좀 해"))
    insights = analyze_document(segs, event_time=None)["insights"]
    assert "3개월간 홍길동의 폭언 14회" in insights  # 13 weeks between the first and the last


def test_timeline_merges_a_burst_and_orders_by_time() -> None:
    tl = analyze_document(CHAT, event_time=None)["timeline"]
    assert [e["segments"] for e in tl] == [[1, 2], [5]]
    assert tl[0]["ts"] == f"2023-12-25T22:20:00{KST}" and tl[0]["grounds"] == ["840-3"]
    assert tl[0]["description"] == "홍길동이 협박성 발언을 함: “한 번만 더 그 얘기 하면 가만 안 둔다” 외 1건"
    assert tl[1]["description"].startswith("홍길동이 폭언 사실을 인정하는 취지로 말함")


def test_evidence_without_labels_gets_one_overview_event_and_says_so() -> None:
    out = analyze_document([seg(0, None, None, "2024년 1월 5일 상담 메모: 양육권 문의", "text")],
                           event_time="2024-01-05T10:00:00+09:00")
    assert out["labels"] == [] and out["insights"] == []
    assert out["summary"] == "2024-01-05 10:00, 텍스트 1개 구간. 이혼 사유와 관련된 표현은 발견되지 않음."
    assert out["timeline"] == [{"ts": "2024-01-05T10:00:00+09:00", "description": "2024-01-05 10:00, 텍스트 1개 구간.",
                                "grounds": [], "segments": [], "ts_precision": "minute"}]


def test_document_text_without_speaker_is_described_as_written() -> None:
    out = analyze_document([seg(0, None, None, "남편이 가출한 지 2년이 지났다", "text")], event_time=None)
    assert out["labels"][0]["tag"] == "가출"
    assert out["summary"].startswith("가출 관련 내용이 기재됨")


def test_korean_particles_follow_the_last_syllable() -> None:
    assert josa("홍길동", "이/가") == "홍길동이" and josa("김영희", "이/가") == "김영희가"
    assert josa("Kim", "이/가") == "Kim이(가)"
    # The particle fits the word before a parenthesis, as Korean orthography has it, and skips a name's emoji.
    assert josa("피고(한소영)", "이/가") == "피고(한소영)가" and josa("원고(김준호)", "은/는") == "원고(김준호)는"
    assert josa("소송대리인(법무법인 정)", "을/를") == "소송대리인(법무법인 정)을"
    assert josa("준호🙂", "이/가") == "준호🙂가" and josa("지은!!", "이/가") == "지은!!이"
    assert when("2023-12-25T22:20:00+09:00") == "2023-12-25 22:20" and when("2023-12-25") == "2023-12-25"


def test_a_day_without_a_time_reads_as_the_day_alone() -> None:
    from leh.analysis.summary import when

    assert when("2023-12-25T00:00:00+09:00") == "2023-12-25"
    assert when("2023-12-25T22:20:00+09:00") == "2023-12-25 22:20"
    assert when("2023-12-25T00:05:00+09:00") == "2023-12-25 00:05"
    assert when("2023-12-25") == "2023-12-25"
    assert when(None) is None
