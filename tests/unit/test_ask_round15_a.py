"""Round 15a: whether someone saw an act, read by meaning (`leh.analysis.witness`).

The evidence tells a witness by the one who saw and a seeing verb, rarely with the question's words: "아이가 그날
일을 목격했는지" ~ "다인이가 다 봤어" (after the line telling what happened), "큰딸이 거실에서 그것을 보았습니다",
"동생이 … 팔짱을 끼고 걷는 것을 보았다고 함". Not a yes: the witness denied ("못 봤어"), asked ("봤어?"), another
person seeing, something else seen, another day; and an act done before someone ("보는 앞에서") stays the act asked."""

from __future__ import annotations

import uuid
from typing import Any

from leh.analysis.witness import read_witness
from leh.container import Container
from leh.services.ask import NO_ANSWER, ask
from tests.support.ask_cases import cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "라소민", "aliases": ["소민", "아내"], "party": "client", "role": "원고"},
    {"name": "지태건", "aliases": ["태건", "남편"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    out: dict[str, Any] = ask(c.evidence, c.index, None, cid, question, parties=_PARTIES)
    return out


def _case(c: Container) -> str:
    cid = str(uuid.uuid4())
    put_evidence(c, cid, "진술서_라소민.txt", [
        (None, None, "진 술 서"),
        (None, None, "진술인: 라소민"),
        (None, None, "1. 큰딸 지다인(8세)은 2학년입니다."),
        (None, None, "2. 2025. 3. 14. 밤 남편은 술에 취해 제 어깨를 세게 밀쳤고, 다인이가 방문 틈으로 그것을 보았습니다."),
        (None, None, "3. 2025. 4. 2. 남편은 현관에서 저에게 욕을 했습니다."),
    ])
    put_evidence(c, cid, "카카오톡_대화_지태건.txt", [
        ("2025-05-10T23:40:00+09:00", "지태건", "아까는 내가 너무 흥분해서 그랬어"),
        ("2025-05-11T07:50:00+09:00", "라소민", "손목에 멍 들었어. 다인이가 다 봤어"),
        ("2025-05-20T20:00:00+09:00", "라소민", "다인이 어제 만화 영화 봤어"),
    ], refers={0: "2025-05-10"})
    put_evidence(c, cid, "상담일지_라소민.txt", [
        (None, None, "상담일지"),
        (None, None, "- 의뢰인의 동생 라준휘가 2025년 6월 초 수원의 한 식당 앞에서 남편과 직장 동료 여성이 팔짱을 끼고 걷는 것을 보았다고 함."),
    ])
    return cid


def test_a_witness_question_is_read_by_its_parts() -> None:
    child = read_witness("애가 그 장면을 목격했는지 확인 부탁드립니다", {"딸": ("지다인",)})
    assert child is not None and "다인이" in child.forms and "딸" in child.forms
    anyone = read_witness("남편이 다른 여자랑 팔짱 끼고 다니는 걸 본 사람이 있나요")
    assert anyone is not None and anyone.anyone and "팔짱" in anyone.lemmas
    blow = read_witness("딸내미 말고 큰딸이 아빠의 폭행을 봤는지?")
    assert blow is not None and any(k.name == "폭행" for k in blow.kinds)
    # not a witness question: the act done before someone, a person seen, a party seeing, no seeing at all
    assert read_witness("원고가 아이가 보는 앞에서 소리를 질렀는지") is None
    assert read_witness("아이 얼굴은 그날 봤나요?") is None
    assert read_witness("의뢰인이 직접 목격했는지 여부") is None
    assert read_witness("남편이 딸을 때린 적이 있나요?") is None
    assert read_witness("딸이 아빠를 만나 보았나요?") is None  # 보 as an auxiliary


def test_the_child_saw_it_by_given_name_and_pro_form(container: Container) -> None:
    cid = _case(container)
    for question in ("아이가 3월 14일 일을 목격했는지 확인 바랍니다", "딸이 아빠의 폭력을 본 적이 있나요?",
                     "큰딸이 2025. 3. 14. 그 일을 봤다는 자료 있음?"):
        out = _ask(container, cid, question)
        assert "그것을 보았습니다" in cited(out), question
    told = _ask(container, cid, "5월 10일 일을 딸이 보았다는 내용이 있습니까")  # 다 봤어 after the night before
    assert "다인이가 다 봤어" in cited(told)


def test_anyone_who_saw_the_act_in_the_line(container: Container) -> None:
    cid = _case(container)
    out = _ask(container, cid, "남편이 동료 여자와 팔짱 끼고 있는 걸 목격한 사람이 있는지")
    assert "팔짱을 끼고 걷는 것을 보았다고 함" in cited(out)


def test_no_yes_from_seeing_something_else_or_denied(container: Container) -> None:
    cid = _case(container)
    put_evidence(container, cid, "카카오톡_대화_라준휘.txt", [
        ("2025-07-01T10:00:00+09:00", "라준휘", "누나 나는 그날 못 봤어"),
        ("2025-07-01T10:01:00+09:00", "라소민", "다인이 그거 봤어?"),
    ])
    cartoon = _ask(container, cid, "딸이 5월 20일 무슨 장면을 목격했는지 여부")  # a cartoon is no act asked
    assert "만화 영화 봤어" not in cited(cartoon)
    other_day = _ask(container, cid, "아이가 4월 2일 일을 목격했나요?")  # nobody saw the 2 April insult
    assert "그것을 보았습니다" not in cited(other_day) and "다 봤어" not in cited(other_day)
    denied = _ask(container, cid, "동생이 남편의 폭행을 직접 목격했는지")
    assert "못 봤어" not in cited(denied) and "그거 봤어?" not in cited(denied)


def test_a_witness_asked_with_nothing_seen_is_refused(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_라소민.txt", [
        (None, None, "진 술 서"),
        (None, None, "1. 2025. 2. 1. 남편이 제 휴대폰을 바닥에 던졌습니다."),
        (None, None, "2. 아들은 그때 학원에 있었습니다."),
    ])
    out = _ask(container, cid, "아들이 휴대폰 던진 걸 봤는지 확인 바랍니다")
    assert out["answer"] == NO_ANSWER or "학원에 있었습니다" not in cited(out)


def test_a_child_the_case_names_only_by_a_given_name(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_라소민.txt", [
        (None, None, "진 술 서"),
        (None, None, "1. 2025. 2. 3. 저녁 남편이 식탁을 엎고 제 팔을 비틀었습니다."),
        (None, None, "2. 그날 서준이는 2월 3일 일을 처음부터 끝까지 보았습니다."),
    ])
    put_evidence(container, cid, "카카오톡_대화_지태건.txt", [
        ("2025-02-04T08:00:00+09:00", "지태건", "태건이는 그런 거 안 봤다고 해"),
    ])
    out = _ask(container, cid, "애가 2월 3일 일을 목격했는지 확인 바랍니다")
    assert "서준이는 2월 3일 일을 처음부터 끝까지 보았습니다" in cited(out)
    assert "안 봤다고" not in cited(out)


# ------------------------------------------------------------------ a detail asked by its own noun
def test_a_detail_named_by_its_noun_is_read() -> None:
    from leh.analysis.asked import all_stated, asked_details

    job = asked_details("상대 남자 백씨는 어디서 일하는 사람인가요")
    assert [d.kind for d in job] == ["job"]
    assert all_stated(job, "백도진은 판교의 게임 회사에 다닌다고 함") and not all_stated(job, "백도진과 모텔에 들어감")
    assert not all_stated(job, "백도진의 직업은 모름")  # unknown states nothing
    result = asked_details("접근금지 신청 결과가 어떻게 됐는지 알려주세요")
    assert [d.kind for d in result] == ["result"] and all_stated(result, "2025. 6. 2. 법원이 접근금지 결정을 내림")
    assert not all_stated(result, "2025. 5. 20. 접근금지를 신청함")
    assert [d.kind for d in asked_details("장모님이 허리 수술 하셨나요?")] == ["surgery"]
    weeks = asked_details("갈비뼈 다친 거 전치 몇 주 진단이야?")
    assert [d.kind for d in weeks] == ["weeks"] and all_stated(weeks, "전치 4주의 늑골 골절 진단")
    assert not all_stated(weeks, "정형외과에서 늑골 골절 진단을 받음")
    # the verb 처분하다 and a place of work asked are no such detail
    assert asked_details("아내가 아이 적금을 마음대로 처분했나요?") == []
    assert asked_details("시누이가 직장에 찾아온 적 있어요?") == []
    assert asked_details("남편이 새벽마다 욕하는 일은 언제부터였나요?") == []  # an act's 하는 일, no job


def test_lines_about_the_topic_without_the_detail_are_refused(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "상담일지_라소민.txt", [
        (None, None, "상담일지"),
        (None, None, "- 2025. 4. 8. 의뢰인은 남편과 만나는 여성 백수아를 처음 알게 되었다고 함."),
        (None, None, "- 2025. 4. 20. 의뢰인이 남편을 스토킹으로 신고함."),
        (None, None, "- 2025. 4. 22. 의뢰인의 어머니가 계단에서 넘어져 무릎을 다침."),
    ])
    for question in ("백수아라는 여자 무슨 일 하는 사람이에요?", "스토킹 신고한 건 처분 결과 나왔나요",
                     "어머니가 무릎 수술을 받으셨는지"):
        assert _ask(container, cid, question)["answer"] == NO_ANSWER, question
    told = _ask(container, cid, "의뢰인이 남편을 신고한 적 있나요?")  # the act alone still answers
    assert "스토킹으로 신고함" in cited(told)
