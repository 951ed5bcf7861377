"""Evidence-only answers: composed sentences with numbered citations, and the exact refusal when nothing answers."""

from __future__ import annotations

import uuid

import pytest

from leh.container import Container
from leh.domain.errors import ValidationFailed
from leh.services.ask import NO_ANSWER, ask
from tests.unit.test_search_service import done_doc


@pytest.fixture
def case(container: Container) -> tuple[str, dict, dict]:  # type: ignore[type-arg]
    case_id = str(uuid.uuid4())
    chat = done_doc(container, case_id, [
        ("2023-12-20T21:00:00+09:00", "김영희", "남편이 해외 출장 간다고 했어"),
        ("2023-12-25T22:20:00+09:00", "홍길동", "한 번만 더 그 얘기 하면 가만 안 둔다"),
        ("2023-12-25T22:30:00+09:00", "김영희", "어제 또 때렸잖아 멍 든 거 사진 찍어놨어"),
        ("2023-12-26T09:00:00+09:00", "홍길동", "남편이 뭘 했다고 그래"),
        ("2023-12-27T09:00:00+09:00", "김영희", "위자료는 변호사님이랑 얘기할게"),
    ])
    other = done_doc(container, str(uuid.uuid4()), [(None, "박민수", "남편이 해외 도박으로 돈을 다 날렸어")])
    return case_id, chat, other


def _ask(c: Container, case_id: str, q: str) -> dict:  # type: ignore[type-arg]
    return ask(c.evidence, c.index, c.answerer, case_id, q)


def test_absent_fact_is_refused_exactly_even_with_shared_words(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, _, _ = case
    # 남편, 해외, 했어 all occur in the case; gambling occurs only in another case
    assert _ask(container, case_id, "남편이 해외 도박을 했어?") == {"answer": NO_ANSWER, "citations": []}
    assert _ask(container, case_id, "남편이 뭐 했어?") == {"answer": NO_ANSWER, "citations": []}


def test_an_answer_is_a_sentence_with_numbered_citations(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, chat, _ = case
    out = _ask(container, case_id, "남편이 때린 적 있어?")
    assert [(c["evidence_id"], c["seq"]) for c in out["citations"]] == [(chat["evidence_id"], 2)]
    assert out["answer"].split("\n") == ["예, 증거에서 다음 내용이 확인됩니다.",
                                         "- 2023년 12월 25일 오후 10:30 김영희: “어제 또 때렸잖아 멍 든 거 사진 찍어놨어” [1]"]
    assert out["citations"][0]["snippet"] == "어제 또 때렸잖아 멍 든 거 사진 찍어놨어"


def test_words_without_a_label_still_answer_when_the_topic_is_there(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, chat, _ = case
    out = _ask(container, case_id, "위자료 얘기가 나온 적 있어?")
    assert [(c["evidence_id"], c["seq"]) for c in out["citations"]] == [(chat["evidence_id"], 4)]
    threat = _ask(container, case_id, "협박한 적 있어?")
    assert [c["seq"] for c in threat["citations"]] == [1]


def test_a_denial_is_quoted_as_it_is(container: Container) -> None:
    case_id = str(uuid.uuid4())
    d = done_doc(container, case_id, [(None, "홍길동", "나 도박 안 했어 진짜야")])
    assert d["labels"] == []
    out = _ask(container, case_id, "도박했어?")
    assert [c["seq"] for c in out["citations"]] == [0] and "“나 도박 안 했어 진짜야” [1]" in out["answer"]


def test_a_question_for_an_amount_needs_a_stated_amount(container: Container) -> None:
    case_id = str(uuid.uuid4())
    done_doc(container, case_id, [("2024-04-06T20:10:00+09:00", "홍길동", "월급 받으면 생각해볼게"),
                                  ("2024-04-06T20:11:00+09:00", "김영희", "월급은 다 어디에 쓰는데?"),
                                  ("2024-04-07T10:00:00+09:00", "김영희", "카드값이 120만원 나왔어")])
    assert _ask(container, case_id, "남편의 월급은 얼마인가요?") == {"answer": NO_ANSWER, "citations": []}
    out = _ask(container, case_id, "카드값은 얼마였나요?")
    assert out["answer"].startswith("증거에 적힌 값은 “120만원”입니다 [1].") and [c["seq"] for c in out["citations"]] == [2]


def test_how_often_counts_days_and_cites_each(container: Container) -> None:
    case_id = str(uuid.uuid4())
    done_doc(container, case_id, [("2024-01-05T21:00:00+09:00", "김영희", "또 술 마시고 들어왔어"),
                                  ("2024-01-05T21:05:00+09:00", "김영희", "술 냄새 나"),
                                  ("2024-01-19T23:00:00+09:00", "김영희", "오늘도 술 마셨지"),
                                  ("2024-01-20T10:00:00+09:00", "홍길동", "해장하러 간다")])
    out = _ask(container, case_id, "남편이 술을 몇 번 마셨나요?")
    lines = out["answer"].split("\n")
    assert lines[0] == "증거에서 날짜가 확인되는 것은 모두 2차례입니다: 2024년 1월 5일, 2024년 1월 19일."
    assert [c["seq"] for c in out["citations"]] == [0, 2]  # "술 냄새 나" names the drink, not the drinking
    assert lines[-1] == "증거에 나타난 횟수이며 실제 횟수와 다를 수 있습니다."


def test_a_day_without_evidence_is_refused(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, _, _ = case
    assert _ask(container, case_id, "2023년 12월 1일에 무슨 일이 있었나요?") == {"answer": NO_ANSWER, "citations": []}
    out = _ask(container, case_id, "12월 25일에 무슨 일이 있었나요?")
    assert [c["seq"] for c in out["citations"]] == [1, 2]
    assert out["answer"].split("\n")[1] == "- 오후 10:20 홍길동: “한 번만 더 그 얘기 하면 가만 안 둔다” [1]"


def test_an_empty_or_huge_question_is_400(container: Container) -> None:
    with pytest.raises(ValidationFailed):
        ask(container.evidence, container.index, container.answerer, str(uuid.uuid4()), "   ")
    with pytest.raises(ValidationFailed):
        ask(container.evidence, container.index, container.answerer, str(uuid.uuid4()), "가" * 501)
