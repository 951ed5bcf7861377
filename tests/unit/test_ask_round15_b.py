"""Round 15b: a question that dates or counts an act the evidence tells in other words ("쫓겨난 날짜" ← "당장 이 집에서
나가", "손댄 횟수" ← "뺨을 때렸습니다") is read by meaning, as whether-questions are (`ask.act_shown`), and its
lines dated or counted (`leh.analysis.act_event`); "바꿔버린 날은요?" asks a date; a few legal and everyday words for
the same thing (소 ↔ 소송, GPS ↔ 위치추적기, 넘기다 ↔ 인계)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from leh.analysis.act_event import act_event, nouns_first
from leh.analysis.answer import Passage
from leh.analysis.concepts import synonyms
from leh.analysis.morph import morphs
from leh.analysis.question import Kind, Topic, question_kind
from leh.analysis.whether import read_act
from leh.container import Container
from leh.pipeline.parsers.dating import document_date
from leh.services.ask import NO_ANSWER, ask
from tests.support.ask_cases import cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "봉서윤", "aliases": ["서윤", "아내"], "party": "client", "role": "원고"},
    {"name": "채도겸", "aliases": ["도겸", "남편"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    out: dict[str, Any] = ask(c.evidence, c.index, None, cid, question, parties=_PARTIES)
    return out


@pytest.mark.parametrize("question", ["남편이 현관 비번 바꿔버린 날은요?", "아내가 짐 싸서 나간 때는요?",
                                      "시어머니가 찾아온 날요?", "처음 맞은 날이요"])
def test_a_clause_and_nal_with_yo_asks_a_date(question: str) -> None:
    assert question_kind(question) in (Kind.WHEN, Kind.BEGAN)


@pytest.mark.parametrize("question", ["뭘 해요?", "그럼 어떻게 해요?", "남편이 때린 적 있어요?"])
def test_a_polite_ending_alone_asks_no_date(question: str) -> None:
    assert question_kind(question) not in (Kind.WHEN, Kind.BEGAN)


@pytest.mark.parametrize(("question", "kind"), [
    ("피고가 한밤중에 원고를 내쫓은 날짜", "축출"),
    ("의뢰인이 집에서 쫓겨난 시점이 언제죠", "축출"),
    ("남편이 도어락 비밀번호를 바꾼 날", "축출"),
    ("남편이 아내 몸에 손댄 횟수", "폭행"),
    ("시어머니를 밀친 날이 며칠이었는지", "폭행"),
    ("와이프가 휴대폰을 집어던진 게 며칠이에요", "손괴"),
    ("남편이 장모님 출입을 막겠다고 한 메시지 일자", "축출"),
])
def test_an_act_that_a_date_or_count_describes_is_read_for_an_event_question(question: str, kind: str) -> None:
    act = read_act(question, morphs(question), event=True)
    assert act is not None and kind in {k.name for k in act.kinds}, question


@pytest.mark.parametrize("question", ["해지한 적금을 아내가 다시 채워 넣은 날짜는?", "때린 다음 날 병원에 데려간 날짜",
                                      "내쫓은 뒤에 짐을 보내준 횟수"])
def test_an_act_that_only_describes_what_a_later_verb_is_done_to_is_not_the_event(question: str) -> None:
    act = read_act(question, morphs(question), event=True)
    assert act is None, question


def test_without_event_a_verb_before_a_noun_still_only_describes_it() -> None:
    # "빼간 이천만 원을 돌려놓았나요?" asks about returning the money; a date word is no act word of a whether-question
    q = "빼간 이천만 원을 돌려놓았나요?"
    assert read_act(q, morphs(q)) is None
    q = "쫓겨난 날짜"
    assert read_act(q, morphs(q)) is None
    assert read_act(q, morphs(q), event=True) is not None


def _p(seq: int, text: str, ts: str | None) -> Passage:
    return Passage(evidence_id="e1", seq=seq, text=text, ts=ts, speaker="채도겸", filename="카카오톡_대화.txt",
                   kind="speech")


def test_the_lines_writing_a_noun_of_the_question_are_the_incident_asked() -> None:
    topic = Topic(nouns=("휴대폰",), verbs=("던지",), tags=frozenset(), tag_words=frozenset(), negated=False)
    shown = [_p(1, "리모컨을 벽에 던졌잖아", "2025-03-01T21:00:00"), _p(2, "휴대폰 던진 건 미안해", "2025-04-02T22:10:00")]
    assert [p.seq for p in nouns_first(topic, shown)] == [2]
    assert [p.seq for p in nouns_first(replace_nouns(topic, ("지갑",)), shown)] == [1, 2]  # none writes it: all
    claims = act_event(Kind.WHEN, topic, shown)
    assert claims and "2025년 4월 2일" in " ".join(c.text for c in claims)


def replace_nouns(topic: Topic, nouns: tuple[str, ...]) -> Topic:
    return replace(topic, nouns=nouns)


def test_an_act_without_a_dated_line_dates_nothing() -> None:
    topic = Topic(nouns=(), verbs=("밀치",), tags=frozenset(), tag_words=frozenset(), negated=False)
    undated = [Passage(evidence_id="e2", seq=0, text="남편이 저를 밀쳤습니다.", ts=None, speaker=None,
                       filename="진술서.txt", kind="text")]
    assert act_event(Kind.WHEN, topic, undated) == []
    assert act_event(Kind.WHETHER, topic, undated) == []


def test_a_when_question_is_answered_by_the_act_told_in_other_words(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_채도겸.txt", [
        ("2025-02-14T23:05:00", "채도겸", "당장 이 집에서 나가. 네 짐은 내가 다 싸서 현관에 내놓을 테니까"),
        ("2025-02-14T23:20:00", "봉서윤", "지금 밤 열한 시야. 애들은 어떡하라고"),
        ("2025-03-01T10:00:00", "채도겸", "이번 주말에 애들 데리고 놀이공원 갈게"),
    ])
    for question in ("원고가 한밤중에 집에서 쫓겨난 날짜", "남편이 아내를 내쫓은 게 언제예요?", "쫓겨난 날 특정 바랍니다"):
        out = _ask(container, cid, question)
        assert out["answer"] != NO_ANSWER, question
        assert "당장 이 집에서 나가" in cited(out), question
        assert "2025년 2월 14일" in out["answer"], question
        assert "놀이공원" not in cited(out), question


def test_a_count_is_answered_by_the_acts_told_in_other_words(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_봉서윤.txt", [
        (None, None, "진술서"),
        (None, None, "진술인: 봉서윤"),
        ("2025-04-19", None, "2025년 4월 19일 밤 남편이 손바닥으로 제 왼쪽 뺨을 두 번 때렸습니다."),
        ("2025-06-02", None, "2025년 6월 2일 남편과 아이 문제로 상담을 받았습니다."),
        ("2025-07-12", None, "2025년 7월 12일 밤 남편이 제 어깨를 세게 밀쳐 제가 신발장에 부딪혔습니다."),
    ])
    for question in ("남편이 몸에 손댄 횟수", "배우자가 손찌검한 건 몇 번입니까?", "남편한테 맞은 게 몇 차례나 되나요"):
        out = _ask(container, cid, question)
        assert "2차례" in out["answer"], question
        assert "뺨" in cited(out) and "어깨" in cited(out), question
        assert "상담" not in cited(out), question


def test_a_date_of_an_act_nothing_shows_is_refused(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_채도겸.txt", [
        ("2025-05-03T20:00:00", "채도겸", "주말에 애들 데리고 캠핑 갈게"),
        ("2025-05-04T09:00:00", "봉서윤", "알겠어 조심히 다녀와"),
    ])
    for question in ("남편이 아내를 집에서 쫓아낸 날짜", "남편이 아내 뺨 때린 날은요?", "시어머니를 밀친 횟수"):
        assert _ask(container, cid, question)["answer"] == NO_ANSWER, question


def test_a_blow_by_another_doer_dates_no_blow_by_the_relative_asked(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_봉서윤.txt", [
        (None, None, "진술서"),
        ("2025-02-03", None, "2025. 2. 3. 남편이 밤 11시경 현관에서 저를 밀쳐 왼쪽 어깨를 문에 부딪혔습니다."),
        ("2025-02-09", None, "2025. 2. 9. 시어머니가 전화로 제게 집을 나가라고 소리쳤습니다."),
    ])
    for question in ("시모가 의뢰인을 때린 일자", "시어머니가 며느리를 밀친 날은요?", "장모님께서 남편을 때린 횟수"):
        assert _ask(container, cid, question)["answer"] == NO_ANSWER, question
    assert "2025년 2월 3일" in _ask(container, cid, "남편이 아내를 밀친 날짜")["answer"]


@pytest.mark.parametrize(("word", "other"), [("소", "소송"), ("GPS", "위치추적기"), ("넘기", "인계")])
def test_words_for_the_same_thing(word: str, other: str) -> None:
    assert other in synonyms(word)


@pytest.mark.parametrize(("lines", "day"), [
    (["녹취록", "녹음 일시: 2025. 2. 14. 23:05 ~ 23:11", "녹음 장소: 자택 거실", "작성일: 2025. 3. 2."], 14),
    (["녹취록 (통화)", "녹취 일시: 2025년 2월 9일 21:50경", "작성일: 2025년 2월 20일"], 9),
    (["통화 녹음 풀이", "통화 일시: 2025년 2월 3일 오후 8시 12분", "작성자: 남궁지안"], 3),
])
def test_a_transcripts_recording_date_is_its_date_not_the_day_it_was_typed(lines: list[str], day: int) -> None:
    found = document_date(lines)
    assert found is not None and found.at.day == day
