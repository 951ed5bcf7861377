"""Round 11 (issue #13 item 3): the learned fallback answers a whether-question "yes" only where a passage writes
the act as done — not denied, not asked, not said as a condition or a promise — and reads the question's date and
slot as gates. Questions and lines written here, in other words than any evaluation set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from leh.analysis.answer import Passage, render
from leh.analysis.ask_rank import ASSERTED, NOT_ASSERTED, NOT_WRITTEN, Model, act_asserted
from leh.analysis.morph import morphs
from leh.services.ask import _build_context, plan_question
from leh.services.ask_fallback import answer_by_meaning, assess

GENEROUS = Model(coef={"coverage": 20.0}, intercept=-20.0 / 3, threshold=0.5, mean={}, scale={})
PARTIES = [{"name": "피수아", "aliases": ["수아", "아내"], "party": "opponent", "role": "피고"},
           {"name": "감도현", "aliases": ["도현", "남편"], "party": "client", "role": "원고"}]


def _chat(seq: int, day: str, speaker: str, text: str) -> Passage:
    return Passage(evidence_id="chat", seq=seq, text=text, ts=f"{day}T20:00:00+09:00", speaker=speaker,
                   filename="대화.txt", precision="minute", doc_year=int(day[:4]))


def _answer(question: str, passages: Sequence[Passage]) -> tuple[str, list[Passage]]:
    plan = plan_question(question)
    return render(answer_by_meaning(plan, passages, _build_context(passages), PARTIES, GENEROUS), ["피수아", "감도현"])


@pytest.mark.parametrize(("verb", "line", "expected"), [
    ("숨기", "통장은 내가 장롱 속에 숨겼어", ASSERTED),
    ("숨기", "통장 안 숨겼다니까", NOT_ASSERTED),  # denied before the verb
    ("숨기", "통장을 숨기지 않았습니다", NOT_ASSERTED),  # denied after it
    ("숨기", "통장 숨긴 적 없어", NOT_ASSERTED),  # an experience denied
    ("숨기", "통장 어디 숨겼어?", NOT_ASSERTED),  # asked
    ("숨기", "왜 통장을 숨겨", NOT_ASSERTED),  # asked without a question mark
    ("숨기", "자꾸 캐물으면 통장 숨긴다", NOT_ASSERTED),  # a condition: still to come
    ("숨기", "내일 통장 숨길 거야", NOT_ASSERTED),  # a plan
    ("숨기", "화나면 통장을 숨긴 일이 있었다고 함", ASSERTED),  # a past habit, though after a condition
    ("숨기", "오늘 장 보고 왔어", NOT_WRITTEN),
])
def test_an_act_is_asserted_only_where_it_is_written_as_done(verb: str, line: str, expected: float) -> None:
    assert act_asserted((verb,), morphs(line), line) == expected


TRIP = [
    _chat(1, "2025-04-03", "피수아", "나 어제 친구들이랑 제주 여행 다녀왔어"),
    _chat(2, "2025-04-09", "감도현", "애는 누가 봐?"),
]


def test_a_paraphrased_act_is_found_and_answered_yes() -> None:
    slap = [_chat(1, "2025-04-03", "감도현", "어젯밤 수아가 내 뺨을 후려쳤어"),
            _chat(2, "2025-04-04", "피수아", "애는 누가 봐?")]
    text, chosen = _answer("아내가 남편을 때린 적이 있나요?", slap)  # 때리 ~ 후려치: a near word of the act
    assert [p.seq for p in chosen] == [1] and "뺨을 후려쳤어" in text
    slap[0] = _chat(1, "2025-04-03", "감도현", "수아가 내 뺨을 후려쳤냐고? 아니")
    assert _answer("아내가 남편을 때린 적이 있나요?", slap) == ("", [])


def test_a_whether_question_over_a_denied_asked_or_threatened_act_is_refused() -> None:
    lines = [
        _chat(1, "2025-05-01", "피수아", "니 통장 내가 숨긴 거 아니야. 나 안 숨겼어"),
        _chat(2, "2025-05-02", "감도현", "내 통장 어디 숨겼어?"),
        _chat(3, "2025-05-03", "피수아", "계속 의심하면 진짜 통장 숨긴다"),
    ]
    plan = plan_question("아내가 남편의 통장을 숨긴 사실이 있나요?")
    assert assess(plan, lines, _build_context(lines), PARTIES) is None
    assert _answer("아내가 남편의 통장을 숨긴 사실이 있나요?", lines) == ("", [])
    done = [*lines, _chat(4, "2025-05-20", "피수아", "통장은 내가 친정에 숨겨놨어 찾지 마")]
    text, chosen = _answer("아내가 남편의 통장을 숨긴 사실이 있나요?", done)
    assert [p.seq for p in chosen] == [4] and "친정에 숨겨놨어" in text


def test_a_match_without_the_slot_asked_is_refused() -> None:
    undated = [Passage(evidence_id="memo", seq=1, text="아내가 통장을 친정에 숨겼다고 함(날짜 기억 못 함)", ts=None,
                       speaker=None, filename="메모.txt", kind="text", precision=None, doc_year=None)]
    assert assess(plan_question("아내가 통장을 숨긴 날짜는?"), undated, _build_context(undated), PARTIES) is None
    assert _answer("아내가 통장을 숨긴 날짜는?", undated) == ("", [])


def test_the_date_asked_filters_the_passages() -> None:
    trips = [*TRIP, _chat(3, "2025-06-14", "피수아", "이번 주말에도 제주 여행 다녀왔어")]
    text, chosen = _answer("6월 14일에 아내가 제주도 여행을 다녀왔나요?", trips)
    assert [p.seq for p in chosen] == [3] and "2025년 6월 14일" in text
    assert _answer("5월 10일에 아내가 제주도 여행을 다녀왔나요?", trips) == ("", [])


def test_a_whether_question_needs_the_act_itself_not_only_its_nouns() -> None:
    lines = [_chat(1, "2025-05-01", "피수아", "남편 통장 비밀번호 알려줘 공과금 내야 돼")]
    assert _answer("아내가 남편의 통장을 숨긴 적이 있나요?", lines) == ("", [])


def test_a_third_person_asked_as_the_doer_must_be_in_the_passage() -> None:
    slap = [_chat(1, "2025-04-03", "감도현", "어젯밤 수아가 내 뺨을 후려쳤어")]
    assert _answer("시누이가 남편을 때린 적이 있나요?", slap) == ("", [])  # the wife's act, not the sister-in-law's
    slap.append(_chat(2, "2025-04-10", "감도현", "시누이가 집에 와서 내 뺨을 후려쳤어"))
    text, chosen = _answer("시누이가 남편을 때린 적이 있나요?", slap)
    assert [p.seq for p in chosen] == [2] and "시누이가" in text


def test_a_threat_is_the_act_whatever_its_tense() -> None:
    line = _chat(1, "2025-06-01", "감도현", "한 번만 더 연락 안 받으면 죽여버린다")
    assert _answer("남편이 아내를 협박한 적이 있나요?", [line]) == ("", [])  # unlabelled: a condition only
    labelled = replace(line, tags=frozenset({"협박"}))  # the labeller read it as a threat
    text, chosen = _answer("남편이 아내를 협박한 적이 있나요?", [labelled])
    assert [p.seq for p in chosen] == [1] and "죽여버린다" in text


def test_the_fallbacks_amount_must_be_the_asked_things_own() -> None:
    """A generous model answers "학원비는 얼마" with any line naming 학원비 and an amount; ask() holds the fallback to
    the composer's rule that the amount belongs to the thing asked."""
    from leh.services.ask import _amounts_of_the_topic

    plan = plan_question("아이 학원비는 얼마였어?")
    both = _chat(1, "2024-03-12", "감도현", "관리비 12만원 이번 달도 내가 냈어 아이 학원비도 내가 다 냈고")
    own = _chat(2, "2024-03-13", "감도현", "학원비 35만원 이체했다")
    passages = [both, own]
    claims = answer_by_meaning(plan, [both], _build_context(passages), PARTIES, GENEROUS)
    assert claims and _amounts_of_the_topic(plan, claims) == []  # 12만원 is the 관리비
    claims = answer_by_meaning(plan, [own], _build_context(passages), PARTIES, GENEROUS)
    assert {p.seq for c in _amounts_of_the_topic(plan, claims) for p in c.sources} == {2}
    other = plan_question("아이 학원비는 누가 냈어?")  # no amount asked: the rule does not apply
    assert _amounts_of_the_topic(other, claims) == claims
