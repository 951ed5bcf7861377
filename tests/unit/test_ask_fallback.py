"""Round 9b (issue #13 item 3): the learned fallback where the rule composer refuses — passages ranked by meaning
(shortenings, compound parts, word families), the slot asked as a gate, relative periods, a small logistic model."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest

from leh.analysis.answer import Passage, render
from leh.analysis.ask_rank import (
    ALL_FEATURES,
    FEATURES,
    MODEL_PATH,
    Model,
    abbreviates,
    part_of,
    relative_period,
    shipped_model,
)
from leh.container import Container
from leh.services import ask as ask_service
from leh.services import ask_fallback
from leh.services.ask import NO_ANSWER, _build_context, plan_question
from leh.services.ask_fallback import answer_by_meaning, assess
from tests.support.ask_cases import ask_case, cited, put_evidence

# answers whenever the best passage covers at least a third of the question's words
GENEROUS = Model(coef={"coverage": 20.0}, intercept=-20.0 / 3, threshold=0.5, mean={}, scale={})
NEVER = Model(coef={}, intercept=-30.0, threshold=0.99, mean={}, scale={})
PARTIES = [{"name": "우채린", "aliases": ["채린", "아내"], "party": "opponent", "role": "피고"},
           {"name": "탁민호", "aliases": ["민호", "남편"], "party": "client", "role": "원고"}]


def _chat(seq: int, ts: str, speaker: str, text: str) -> Passage:
    return Passage(evidence_id="chat", seq=seq, text=text, ts=ts, speaker=speaker, filename="대화.txt",
                   precision="minute", doc_year=int(ts[:4]))


def _answer(question: str, passages: Sequence[Passage], model: Model = GENEROUS,
            parties: list[dict[str, Any]] | None = None) -> tuple[str, list[Passage]]:
    plan = plan_question(question)
    claims = answer_by_meaning(plan, passages, _build_context(passages), parties, model)
    return render(claims, ["우채린", "탁민호"])


LOCK = [
    _chat(1, "2024-03-02T21:10:00+09:00", "우채린", "현관 비번 바꿔놨어 이제 당신 못 들어와"),
    _chat(2, "2024-03-02T21:12:00+09:00", "탁민호", "애 얼굴은 보게 해줘"),
    _chat(3, "2024-03-05T08:00:00+09:00", "우채린", "장 보러 마트 갈 건데 필요한 거 있어?"),
]


def test_a_shortening_and_a_compound_part_count_as_the_word() -> None:
    assert abbreviates("비번", "비밀번호") and abbreviates("카톡", "카카오톡")
    assert not abbreviates("비용", "비밀번호") and not abbreviates("비밀", "비밀번호")
    assert part_of("카드", "카드값") and part_of("번호", "도어락번호")
    assert not part_of("드값", "카드값값") and not part_of("카", "카드값")


def test_a_paraphrased_act_is_found_by_meaning_not_wording() -> None:
    text, chosen = _answer("도어락 비밀번호를 바꿔 버린 게 언제인지", LOCK)
    assert [p.seq for p in chosen] == [1]
    assert "2024년 3월 2일" in text and "비번 바꿔놨어" in text


def test_a_match_on_a_shared_word_without_the_slot_asked_is_refused() -> None:
    salary = [_chat(1, "2024-04-01T20:00:00+09:00", "우채린", "월급은 다 어디에 쓰는데?"),
              _chat(2, "2024-04-01T20:05:00+09:00", "탁민호", "월급날 얘기는 그만하자")]
    plan = plan_question("남편의 월급은 얼마인가요?")
    assert assess(plan, salary, _build_context(salary), PARTIES) is None  # no amount written: nothing can answer
    assert _answer("남편의 월급은 얼마인가요?", salary) == ("", [])
    with_amount = [*salary, _chat(3, "2024-04-02T09:00:00+09:00", "탁민호", "이번 달 월급 312만원 들어왔어")]
    text, chosen = _answer("남편의 월급은 얼마인가요?", with_amount)
    assert [p.seq for p in chosen] == [3] and "312만원" in text


def test_a_relative_period_is_read_against_the_newest_evidence() -> None:
    assert relative_period("작년 여름에 무슨 일이", (2025, 2, 1)) == ((2024, 6, 1), (2024, 8, 31))
    assert relative_period("재작년 겨울", (2025, 2, 1)) == ((2023, 12, 1), (2024, 2, 31))
    assert relative_period("올해 3월에", (2025, 5, 1)) == ((2025, 3, 1), (2025, 3, 31))
    assert relative_period("작년에", None) is None
    assert relative_period("올 때 뭐 사 와", (2025, 5, 1)) is None  # 올 alone is the verb


def test_the_question_period_filters_the_passages() -> None:
    phones = [
        _chat(1, "2024-07-10T22:00:00+09:00", "탁민호", "채린이 폰 집어던져서 액정 다 깨졌어"),
        _chat(2, "2024-12-01T22:00:00+09:00", "탁민호", "채린이 오늘 또 폰 집어던졌다"),
        _chat(3, "2025-02-01T10:00:00+09:00", "우채린", "짐은 다음 주에 가지러 갈게"),
    ]
    text, chosen = _answer("작년 여름에 채린 씨가 남편 폰을 집어던진 일이 있었는지", phones, parties=PARTIES)
    assert [p.seq for p in chosen] == [1] and "액정" in text
    text, chosen = _answer("작년 봄에 채린 씨가 폰을 집어던진 일이 있었는지", phones, parties=PARTIES)
    assert chosen == []  # nothing of that spring


def test_the_model_decides_and_the_answer_is_the_same_every_time() -> None:
    assert _answer("도어락 비밀번호를 바꿔 버린 게 언제인지", LOCK, NEVER) == ("", [])
    plan = plan_question("도어락 비밀번호를 바꿔 버린 게 언제인지")
    first = assess(plan, LOCK, _build_context(LOCK), PARTIES)
    again = assess(plan, list(LOCK), _build_context(LOCK), PARTIES)
    assert first is not None and again is not None
    assert first.features == again.features
    assert [(p.evidence_id, p.seq) for p in first.cited] == [(p.evidence_id, p.seq) for p in again.cited]
    assert set(FEATURES) <= set(first.features) == set(ALL_FEATURES)
    assert GENEROUS.probability(first.features) > 0.5 > NEVER.probability(first.features)


def test_the_shipped_model_has_every_feature() -> None:
    assert MODEL_PATH.exists()
    model = shipped_model()
    assert set(model.coef) == set(FEATURES) and 0.0 < model.threshold < 1.0


def test_ask_falls_back_only_where_the_composer_refuses(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "대화.txt", [(p.ts, p.speaker, p.text) for p in LOCK])
    # the fallback alone: the act read by meaning (round 15b) would date this lock-out after it
    monkeypatch.setattr(ask_service, "_act_dated", lambda *args, **kwargs: [])
    monkeypatch.setattr(ask_fallback, "shipped_model", lambda: NEVER)
    assert ask_case(container, case_id, "도어락 비밀번호를 바꿔 버린 게 언제인지")["answer"] == NO_ANSWER
    monkeypatch.setattr(ask_fallback, "shipped_model", lambda: GENEROUS)
    out = ask_case(container, case_id, "도어락 비밀번호를 바꿔 버린 게 언제인지")
    assert "비번 바꿔놨어" in cited(out) and "2024년 3월 2일" in out["answer"]
    assert "마트" not in cited(out)


def test_a_statements_period_line_is_never_the_answer() -> None:
    def line(seq: int, text: str) -> Passage:
        return Passage(evidence_id="bank", seq=seq, text=text, ts="2025-03-02T00:00:00+09:00", speaker=None,
                       filename="거래내역.txt", kind="text", precision="day", doc_year=2025)

    rows = [line(0, "거래내역 조회 (예금주 공동생활비 계좌, 결제대행 에이스페이 포함)\n조회기간: 2024.10.01 ~ 2025.02.28"),
            line(1, "2024.11.02 14:10 | 체크 → 에이스페이 | 300,000"),
            line(2, "2024.11.05 09:00 | 관리비 자동이체 | 180,000")]
    text, chosen = _answer("에이스페이로 돈이 나간 날이 언제인지", rows)
    assert [p.seq for p in chosen] == [1] and "2024년 11월 2일" in text
