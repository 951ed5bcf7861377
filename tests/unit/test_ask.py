"""Evidence-only answers: extractive quotes with citations, and the exact refusal when nothing relevant exists."""

from __future__ import annotations

import uuid

import pytest

from leh.container import Container
from leh.domain.errors import ValidationFailed
from leh.services.ask import ANSWER_HEADER, NO_ANSWER, ask
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


def test_absent_fact_is_refused_exactly_even_with_shared_words(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, _, _ = case
    # 남편, 해외, 했어 all occur in the case; gambling occurs only in another case
    assert ask(container.evidence, container.index, container.answerer, case_id, "남편이 해외 도박을 했어?") == {"answer": NO_ANSWER, "citations": []}
    assert ask(container.evidence, container.index, container.answerer, case_id, "남편이 뭐 했어?") == {"answer": NO_ANSWER, "citations": []}


def test_answer_quotes_only_the_cited_segments(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, chat, _ = case
    out = ask(container.evidence, container.index, container.answerer, case_id, "남편이 때린 적 있어?")
    assert [(c["evidence_id"], c["seq"]) for c in out["citations"]] == [(chat["evidence_id"], 2)]
    lines = out["answer"].split("\n")
    assert lines[0] == ANSWER_HEADER
    assert lines[1] == "1. 2023-12-25 22:30 김영희: “어제 또 때렸잖아 멍 든 거 사진 찍어놨어” (kakao.txt)"
    assert out["citations"][0]["snippet"] == "어제 또 때렸잖아 멍 든 거 사진 찍어놨어"


def test_words_without_a_label_still_answer_when_every_word_is_there(container: Container, case) -> None:  # type: ignore[no-untyped-def]
    case_id, chat, _ = case
    out = ask(container.evidence, container.index, container.answerer, case_id, "위자료 얘기가 나온 적 있어?")
    assert [(c["evidence_id"], c["seq"]) for c in out["citations"]] == [(chat["evidence_id"], 4)]
    threat = ask(container.evidence, container.index, container.answerer, case_id, "협박한 적 있어?")
    assert [c["seq"] for c in threat["citations"]] == [1]


def test_a_denial_is_quoted_as_it_is(container: Container) -> None:
    case_id = str(uuid.uuid4())
    d = done_doc(container, case_id, [(None, "홍길동", "나 도박 안 했어 진짜야")])
    assert d["labels"] == []
    out = ask(container.evidence, container.index, container.answerer, case_id, "도박했어?")
    assert [c["seq"] for c in out["citations"]] == [0] and "나 도박 안 했어 진짜야" in out["answer"]


def test_an_empty_or_huge_question_is_400(container: Container) -> None:
    with pytest.raises(ValidationFailed):
        ask(container.evidence, container.index, container.answerer, str(uuid.uuid4()), "   ")
    with pytest.raises(ValidationFailed):
        ask(container.evidence, container.index, container.answerer, str(uuid.uuid4()), "가" * 501)
