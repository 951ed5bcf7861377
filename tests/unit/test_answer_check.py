"""The parts of ask that read the question and check an answer sentence against the passages it cites."""

from __future__ import annotations

import pytest

from leh.analysis.answer import Passage
from leh.analysis.answer_check import unsupported
from leh.analysis.question import Kind, Wants, question_date, question_kind, question_wants, who_name

CHAT = Passage(evidence_id="e1", seq=4, text="이번 달 생활비가 안 들어왔어", ts="2024-03-16T19:00:00+09:00",
               speaker="김영희", filename="kakao.txt")
DOC = Passage(evidence_id="e2", seq=0, text="진료 일자: 2024년 3월 3일", ts="2024-03-03T00:00:00+09:00",
              speaker=None, filename="진단서.txt", kind="text")


@pytest.mark.parametrize(("sentence", "why"), [
    ("2024년 3월 16일 오후 7:00 김영희: “이번 달 생활비가 안 들어왔어” [1]", None),
    ("3월 16일 19시에 “생활비가 안 들어왔어”라고 했습니다 [1].", None),
    ("관련 증거는 1건입니다 [1].", None),  # a count no larger than the citations
    ("2024년 3월 17일에 보냈습니다 [1].", "number_not_in_sources"),
    ("생활비 250만 원이 끊겼습니다 [1].", "number_not_in_sources"),
    ("“생활비를 석 달째 못 받았어”라고 했습니다 [1].", "quote_not_in_sources"),
    ("홍길동이 생활비를 주지 않았습니다 [1].", "name_not_in_sources"),
])
def test_a_sentence_states_only_what_its_passages_hold(sentence: str, why: str | None) -> None:
    assert unsupported(sentence, [CHAT], ["김영희", "홍길동"]) == why


def test_a_date_only_document_supports_its_day_but_no_time() -> None:
    assert unsupported("2024년 3월 3일 진단서.txt에 기재 [1]", [DOC], []) is None
    assert unsupported("2024년 3월 3일 오전 12:00 진료 [1]", [DOC], []) == "number_not_in_sources"
    assert DOC.has_time() is False and CHAT.has_time() is True


@pytest.mark.parametrize(("question", "kind", "date"), [
    ("2023년 12월 25일에 무슨 일이 있었나요?", Kind.ON_DATE, "2023년 12월 25일"),
    ("3월 23일에 무슨 일이 있었나요?", Kind.ON_DATE, "3월 23일"),
    ("2024년 3월에는 어떤 일이 있었어?", Kind.ON_DATE, "2024년 3월"),
    ("박수진은 누구인가요?", Kind.WHO, None),
    ("언제부터 생활비를 주지 않았나요?", Kind.BEGAN, None),
    ("생활비는 언제까지 보냈나요?", Kind.STOPPED, None),
    ("남편이 몇 번 때렸나요?", Kind.HOW_OFTEN, None),
    ("남편이 집을 나간 것은 언제인가요?", Kind.WHEN, None),
    ("남편의 월급은 얼마인가요?", Kind.WHETHER, None),
])
def test_question_kinds_and_dates(question: str, kind: str, date: str | None) -> None:
    assert question_kind(question) == kind
    found = question_date(question)
    assert (found.label if found else None) == date


def test_date_ranges_match_days_of_any_year_when_the_question_names_none() -> None:
    day = question_date("3월 23일에 무슨 일이 있었나요?")
    month = question_date("2024년 3월에 무슨 일이 있었나요?")
    assert day is not None and day.contains(2024, 3, 23) and day.contains(2023, 3, 23) and not day.contains(2024, 3, 24)
    assert month is not None and month.contains(2024, 3, 1) and month.contains(2024, 3, 31)
    assert not month.contains(2023, 3, 5) and not month.contains(2024, 4, 1)
    assert question_date("2024년 2월 30일에 무슨 일이?") is None


def test_who_names_and_wanted_values() -> None:
    assert who_name("박수진은 누구인가요?") == "박수진"
    assert who_name("정하린이 누구야?") == "정하린"
    assert who_name("남편은 누구야?") is None
    assert question_wants("남편의 월급은 얼마인가요?") == Wants.AMOUNT
    assert question_wants("정하린의 나이는 몇 살인가요?") == Wants.AGE
    assert question_wants("치료 기간은 얼마나 되나요?") == Wants.DURATION
    assert question_wants("남편이 때린 적 있어?") == Wants.NONE
