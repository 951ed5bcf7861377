"""Round 14: a document line saying the act was never done to one person is no answer to whether it was done to
another ("남편이 아이를 때린 적" against "남편은 저에게 손찌검을 한 적은 없습니다"): neither a yes nor a denial.
The one asked about may be written as the object ("…를 때린") or as the one it was done to ("…에게 손 댄"); a
party's own name, a spouse word and the doer of a passive act ("아빠한테 맞은") are not such a person."""

from __future__ import annotations

import uuid
from typing import Any

from leh.analysis.intent import asked_done, only_meant
from leh.analysis.never import asked_person
from leh.container import Container
from tests.support.ask_cases import ask_case, cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "도윤경", "aliases": ["윤경", "아내"], "party": "client", "role": "원고"},
    {"name": "함태석", "aliases": ["태석", "남편"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    return ask_case(c, cid, question, _PARTIES)


def _statement(c: Container, cid: str) -> None:
    put_evidence(c, cid, "진술서_도윤경.txt", [
        (None, None, "진 술 서"),
        (None, None, "진술인: 도윤경"),
        (None, None, "1. 남편은 술을 마시면 집안 물건을 발로 차곤 했습니다."),
        (None, None, "2. 남편은 저에게 손찌검을 한 적은 없습니다."),
        (None, None, "3. 아들 시온이는 그런 날마다 방에 숨어 울었습니다."),
    ])
    put_evidence(c, cid, "메모_도윤경.txt", [
        (None, None, "2025. 4. 3.\n시온이 학교 상담 다녀옴. 담임이 요즘 시온이가 많이 위축돼 보인다고 함.\n\n"
                     "적어 둘 것: 칠 년 사는 동안 남편이 나한테 손찌검한 적은 없음. 물건만 부숨."),
    ])


def test_the_person_asked_about(container: Container) -> None:
    assert asked_person("남편이 막내 하람이를 때린 적이 있나요") == "하람이"
    assert asked_person("피고가 하람이에게 손 댄 적 있는지") == "하람이"
    assert asked_person("시어머니가 며느리한테 폭언한 적 있나") is None  # a spouse word
    assert asked_person("하람이가 아빠한테 맞은 적 있어?") is None  # a passive act: 아빠 is the doer
    assert asked_person("함태석이 도윤경에게 손찌검한 사실 있음?", {"도윤경", "윤경"}) is None  # a party
    assert asked_person("도윤경에게 손찌검한 사실 있음?") == "도윤경"  # no parties named: a name is a person


def test_a_denial_about_another_person_is_no_answer(container: Container) -> None:
    cid = str(uuid.uuid4())
    _statement(container, cid)
    for question in ("남편이 시온이를 때린 적 있는지 확인 바랍니다", "피고가 시온이에게 손 댄 적 있나요?"):
        out = _ask(container, cid, question)
        assert "손찌검을 한 적은 없습니다" not in cited(out), question
        assert "손찌검한 적은 없음" not in cited(out), question


def test_a_denial_about_the_asked_one_still_answers(container: Container) -> None:
    cid = str(uuid.uuid4())
    _statement(container, cid)
    put_evidence(container, cid, "상담일지_도윤경.txt", [
        (None, None, "상담일지"),
        (None, None, "- 의뢰인은 남편이 시온이에게는 손을 댄 적이 없다고 진술함."),
    ])
    spouse = _ask(container, cid, "남편이 아내를 때린 적이 있나요?")
    assert "손찌검을 한 적은 없습니다" in cited(spouse)
    named = _ask(container, cid, "함태석이 도윤경에게 손찌검한 사실 있음?")  # the parties by their names
    assert "손찌검을 한 적은 없습니다" in cited(named)
    child = _ask(container, cid, "시온이가 아빠한테 맞은 적 있어?")  # 아빠 is the doer, 시온이 the one asked
    assert "시온이에게는 손을 댄 적이 없다" in cited(child)


# ------------------------------------------------------------------ an act only meant is not done
def test_a_verb_only_meant_threatened_or_forbidden() -> None:
    taken = asked_done("시누이가 아이를 몰래 데려간 적 있나요?")
    assert taken == frozenset({"데려가"})
    assert only_meant(taken, "주말에 아이 데려갈 거니까 그렇게 알아")
    assert only_meant(taken, "할머니라도 함부로 데려가지 마세요")
    assert not only_meant(taken, "어제 학원 앞에서 아이를 데려갔어요")  # done
    assert not only_meant(taken, "데려갈 거라더니 정말 데려갔네")  # meant, then done
    assert not only_meant(taken, "아이는 요즘 잘 지내요")  # the verb not written: not this rule's to judge
    torn = asked_done("찢어 버리겠다던 통장 실제로 찢었는지")
    assert torn == frozenset({"찢"}) and only_meant(torn, "통장 다 찢어 버릴 거야")
    assert asked_done("아이 학원은 어디예요?") == frozenset()


def test_a_threat_is_no_yes_to_whether_it_was_done(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_함태석.txt", [
        ("2025-05-02T21:00:00+09:00", "함태석", "니 패딩 전부 가위로 잘라 버릴 거다"),
        ("2025-05-02T21:05:00+09:00", "도윤경", "제발 그만해"),
        ("2025-05-09T22:10:00+09:00", "함태석", "니 노트북 던져 버렸다. 속이 시원하네"),
    ])
    cut = _ask(container, cid, "남편이 아내 패딩을 실제로 잘랐는지")
    assert "잘라 버릴 거다" not in cited(cut)
    thrown = _ask(container, cid, "남편이 노트북을 던진 적 있나요?")  # the act told as done still answers
    assert "노트북 던져 버렸다" in cited(thrown)
