"""Whether-questions about an act, answered by meaning (leh.analysis.whether): the act asked in lawyers' words,
shown by the evidence in its own words, and refused when the only passages share a word but not the meaning."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.answer import Passage
from leh.analysis.morph import morphs
from leh.analysis.whether import candidates, read_act, role_people, shows
from leh.container import Container
from leh.services.ask import NO_ANSWER, ask
from tests.support.ask_cases import put_evidence as _put


def _act_names(question: str) -> list[str] | None:
    act = read_act(question, morphs(question))
    return None if act is None else [k.name for k in act.kinds]


# ------------------------------------------------------------------ reading the question
@pytest.mark.parametrize(("question", "kind"), [
    ("상대방이 의뢰인 어머니에게 손찌검한 사실이 있는지?", "폭행"),
    ("제성필 씨가 장인어른에게 물리력을 쓴 일이 확인되나요?", "폭행"),
    ("남편이 생활비를 끊은 적 있나요?", "생활비 미지급"),
    ("아내가 다른 남자와 숙박업소에 간 정황이 있습니까?", "숙박"),
    ("피고가 처가 어머니를 위협하는 말을 한 증거가 있습니까?", "협박"),
    ("부부 공동 자금을 아내가 임의로 인출했나요", "재산 처분"),
])
def test_the_act_asked_is_read_from_the_lawyers_words(question: str, kind: str) -> None:
    names = _act_names(question)
    assert names is not None and kind in names


@pytest.mark.parametrize("question", [
    "엄마가 졸업식에 참석했나요?",  # no act of art. 840: answered by the topic's words as before
    "지금 사는 아파트가 남편 명의인가요?",
    "아내가 빼간 이천만 원을 다시 돌려놓았나요?",  # 빼간 only describes the money; returning it is asked
    "의뢰인은 상간남의 주소를 알고 있습니까?",  # the address is asked, not the affair
])
def test_a_question_without_an_act_or_with_the_act_only_describing_a_noun_is_not_read_as_one(question: str) -> None:
    assert _act_names(question) is None


def test_who_it_was_done_to_and_the_deed_are_read() -> None:
    q = "피고가 처가 어머니를 위협하는 말을 한 증거가 있습니까?"
    act = read_act(q, morphs(q))
    assert act is not None and act.victim == "장모" and act.actor is None and not act.deed
    q = "시어머니가 며느리에게 손찌검한 일이 있나요?"
    act = read_act(q, morphs(q))
    assert act is not None and act.actor == "시어머니"
    q = "친정아버지가 사위 때문에 넘어져 다치신 건 맞아?"
    act = read_act(q, morphs(q))
    assert act is not None and act.victim == "친정아버지" and act.actor is None
    q = "남편이 실제로 아이를 데리고 집을 나갔나요?"
    act = read_act(q, morphs(q))
    assert act is not None and act.deed


def test_the_names_written_after_a_relative_word_are_that_relative() -> None:
    roles = role_people(["의뢰인은 시아버지 하만길에게서 모욕적인 메시지를 받았다고 함.", "딸 제다온(2023년생)"])
    assert roles["시아버지"] == ("하만길",) and roles["딸"] == ("제다온",)


# ------------------------------------------------------------------ passages that show it
def _p(seq: int, text: str, speaker: str | None = "남편", day: str = "2025-06-07") -> Passage:
    return Passage(evidence_id="e1" if speaker else "d1", seq=seq, text=text, ts=f"{day}T21:10:00", speaker=speaker,
                   filename="카카오톡_대화.txt" if speaker else "진술서.txt", kind="speech" if speaker else "text")


def _shown(question: str, passages: list[Passage], roles: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    act = read_act(question, morphs(question), roles, sorted({p.speaker for p in passages if p.speaker}))
    assert act is not None
    cands = candidates(act, passages)
    return [p.text for p in shows(act, cands, roles)]


PUSHED_FATHER = [
    _p(0, "아빠 어깨를 확 밀어버리면 어떡해 그대로 넘어지셨잖아", "아내"),
    _p(1, "장인어른이 먼저 나한테 훈계했잖아", "남편"),
    _p(2, "2. 남편은 아버지의 어깨를 두 손으로 밀어 아버지가 거실 바닥에 주저앉으셨습니다. 어머니도 그 자리에 "
          "함께 계셨습니다.", None),
    _p(3, "오늘 저녁 뭐 먹을까", "남편"),
]


def test_a_push_written_in_everyday_words_shows_violence_to_the_father() -> None:
    shown = _shown("남편이 의뢰인 아버지에게 손을 댄 적이 있나요?", PUSHED_FATHER)
    assert PUSHED_FATHER[0].text in shown and PUSHED_FATHER[2].text in shown
    assert PUSHED_FATHER[1].text not in shown and PUSHED_FATHER[3].text not in shown


def test_violence_to_the_father_does_not_answer_a_question_about_the_mother_nor_the_client() -> None:
    assert _shown("남편이 의뢰인의 어머니를 밀친 일이 있습니까?", PUSHED_FATHER) == []
    assert _shown("남편 때문에 의뢰인 몸에 상처가 난 적 있습니까?", PUSHED_FATHER) == []


def test_an_in_law_is_not_shown_by_the_husbands_act() -> None:
    assert _shown("장인어른이 사위 멱살을 잡은 적이 있어?", PUSHED_FATHER) == []


def test_a_threat_is_not_the_deed_when_the_deed_is_asked() -> None:
    threat = [_p(0, "계속 이러면 애 데리고 나간다 너는 평생 못 보게 할 거야", "남편")]
    assert _shown("남편이 실제로 아이를 데리고 집을 나갔나요?", threat) == []
    assert _shown("남편이 아이를 못 보게 하겠다며 겁을 준 일이 있나요?", threat) == [threat[0].text]


def test_a_message_that_says_the_other_did_it_is_not_the_writers_act() -> None:
    ps = [_p(0, "니가 내 허락 없이 친정 갔으니까", "제성필"), _p(1, "오늘 저녁 뭐 먹을까", "국혜원")]
    assert _shown("제성필이 집을 나가 돌아오지 않고 있나요?", ps) == []


def test_money_stopped_and_a_lodging_receipt_are_found_in_other_words() -> None:
    ps = [_p(0, "이번 달부터 돈 안 보낸다 알아서 살아", "남편"), _p(1, "차 조수석에서 대실 영수증 나왔어 누구랑 간 거야", "아내"),
          _p(2, "주말에 애들이랑 공원 가자", "남편")]
    assert _shown("남편 쪽에서 아이 엄마에게 주던 돈을 끊어버렸다고 볼 자료가 있어?", ps) == [ps[0].text]
    assert _shown("배우자가 숙박업소를 이용했다는 흔적이 보이나요", ps) == [ps[1].text]


def test_a_child_only_overhearing_is_not_violence_to_the_child() -> None:
    ps = [_p(0, "아까 내 뺨 후려친 거 하늘이가 방에서 다 들었어", "남편")]
    roles = {"아들": ("설하늘",)}
    assert _shown("아내가 하늘이를 때린 적이 있나요?", ps, roles) == []
    assert _shown("아내가 남편에게 신체적인 공격을 가한 사실이 나옵니까", ps, roles) == [ps[0].text]


# ------------------------------------------------------------------ through ask


def test_ask_answers_yes_with_the_cited_line_and_refuses_what_only_shares_a_word(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화_구민석.txt", [
        ("2025-08-02T21:44:00", "구민석", "장모 또 우리 집 오면 그땐 다리 하나로 안 끝난다고 전해"),
        ("2025-08-02T21:50:00", "염태희", "우리 엄마 건드리지 마 캡처했어"),
        ("2025-08-03T10:00:00", "구민석", "장모님 생신 선물은 내가 살게"),
    ])
    out = ask(container.evidence, container.index, None, case_id, "피고가 처가 어머니를 위협하는 말을 한 증거가 있습니까?")
    assert out["answer"].startswith("예,")
    assert "다리 하나로" in out["citations"][0]["snippet"] and "2025년 8월 2일" in out["answer"]
    assert "[1]" in out["answer"] and all("생신" not in c["snippet"] for c in out["citations"])
    refused = ask(container.evidence, container.index, None, case_id, "피고가 장모를 실제로 때린 적이 있습니까?")
    assert refused == {"answer": NO_ANSWER, "citations": []}


def test_a_threat_without_the_instrument_asked_does_not_answer_it() -> None:
    ps = [_p(0, "신고하면 가만 안 둔다", "남편"), _p(1, "부엌칼 들고 와서 죽여버린다고 했잖아", "아내")]
    assert _shown("남편이 칼로 위협한 적이 있나요?", ps) == [ps[1].text]
    assert _shown("남편이 의뢰인을 위협한 적이 있나요?", ps[:1]) == [ps[0].text]


def test_a_multi_line_document_is_quoted_by_its_line_that_shows_the_act(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "상담일지_변정란.txt", [
        (None, None, "상담일지\n상담일: 2025년 9월 20일\n의뢰인: 변정란\n의뢰인은 2012년 6월 2일 혼인신고를 하였다고 함.\n"
                     "의뢰인은 시아버지 하만길에게서 못된 년이라는 욕을 들었다고 함."),
    ])
    out = ask(container.evidence, container.index, None, case_id, "시아버지가 의뢰인에게 욕설을 한 기록이 있습니까?")
    assert out["answer"].startswith("예,") and out["citations"][0]["snippet"].startswith("의뢰인은 시아버지 하만길")


def test_a_witness_is_no_doer_and_a_blows_victim_is_the_one_hit() -> None:
    ps = [_p(0, "어젯밤에 유나 앞에서 내 머리를 벽에 밀친 거 기억은 해?", "아내")]
    roles = {"딸": ("좌유나",)}
    assert _shown("아이가 보는 데서 폭력이 있었나요?", ps, roles) == [ps[0].text]
    assert _shown("남편이 딸 유나를 때린 적 있습니까?", ps, roles) == []


def test_the_mother_of_the_client_is_not_the_mother_in_law() -> None:
    ps = [_p(0, "4. 시어머니 범순자는 2025년 4월 5일 집에 찾아와 저에게 큰 소리로 고함을 쳤습니다.", None)]
    assert _shown("친정 엄마한테 남편이 막말을 퍼부은 일이 확인됩니까", ps) == []
    assert _shown("시어머니한테서 고함이나 폭언을 들은 일이 있는지 알려주세요", ps, {"시어머니": ("범순자",)}) == [ps[0].text]


def test_a_line_the_labeller_reads_as_another_ground_far_more_does_not_show_the_act() -> None:
    # "새벽까지" hints at a night out, but the labeller is all but sure this is gambling (840-6): no affair shown.
    casino = [_p(0, "또 새벽까지 카지노 사이트 하고 있던데 이번이 몇 번째야", "남편"),
              _p(1, "그 여자랑 새벽까지 모텔에 있었던 거 다 알아", "남편")]
    assert _shown("아내가 외도를 했나요?", casino) == [casino[1].text]
    # A trip asked about: who went with whom is the question's premise, so the labeller's doubt does not refuse it.
    trip = [_p(0, "1. 남편은 2024년 5월 4일 서가은과 제주도 여행을 다녀왔습니다.", None)]
    assert _shown("남편이 다른 여자와 여행을 간 증거가 있어?", trip) == [trip[0].text]


def test_a_question_that_asks_for_a_person_is_not_answered_by_whether_the_act_happened(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "문자내역_카드승인.txt", [
        ("2025-03-29T01:12:00+09:00", None, "2025.03.29 01:12 [Web발신] 신한카드 승인 55,000원 무인텔 쉼표"),
    ])
    asked = ask(container.evidence, container.index, None, case_id, "무인텔 쉼표 업주가 누군지 특정 가능한지")
    assert not asked["answer"].startswith("예,"), asked["answer"]  # the row shows a stay, not who owns the place
    stayed = ask(container.evidence, container.index, None, case_id, "남편이 숙박업소를 이용한 흔적이 있나요?")
    assert stayed["answer"].startswith("예,") and "무인텔 쉼표" in stayed["citations"][0]["snippet"]


def test_a_child_asked_by_the_given_name_is_who_the_blow_must_be_done_to() -> None:
    # "이준이한테": a given name with its 이 (no role the evidence names): a blow to the table is not a blow to him.
    table = [_p(0, "2025. 1. 11. 새벽 남편이 술에 취해 주먹으로 유리 탁자를 내려쳐 깨뜨리고 나를 밀쳤음.", None)]
    assert _shown("남편이 이준이한테 손찌검한 적 있음?", table) == []
    hit = [_p(0, "2025. 1. 12. 남편이 이준이를 주먹으로 때렸음.", None)]
    assert _shown("남편이 이준이한테 손찌검한 적 있음?", hit) == [hit[0].text]
    # a writer of the messages called by the given name is a party, not another victim
    question = "남편이 보경이한테 손찌검한 적 있음?"
    act = read_act(question, morphs(question), None, ["심보경", "성무진"])
    assert act is not None and act.victim is None


def test_an_admission_is_a_yes_to_the_others_question_about_the_act() -> None:
    asked = Passage(evidence_id="e1", seq=0, text="솔직하게 말해. 그 여자 따로 만나는 거 맞지?", ts="2025-03-15T23:05:00",
                    speaker="아내", filename="카카오톡_대화.txt", kind="speech")
    yes = Passage(evidence_id="e1", seq=1, text="그래 만난다. 이제 속이 시원하냐", ts="2025-03-15T23:31:00",
                  speaker="남편", filename="카카오톡_대화.txt", kind="speech")
    other = Passage(evidence_id="e1", seq=2, text="응 밥 먹었어", ts="2025-03-16T12:00:00",
                    speaker="남편", filename="카카오톡_대화.txt", kind="speech")
    context = {1: f"남편 아내 {asked.text}", 2: "남편 아내 점심은 먹었어?"}
    question = "남편이 바람피운 걸 인정한 적 있는지 확인 바랍니다"
    act = read_act(question, morphs(question), None, ["남편", "아내"])
    assert act is not None and act.admitted
    ps = [asked, yes, other]
    shown = shows(act, candidates(act, ps), None, lambda p: context.get(p.seq, "남편 아내"))
    assert yes in shown and other not in shown and asked not in shown
    # not an admission asked: a yes is no sign of the act by itself
    plain = read_act("남편이 바람피운 적 있나요", morphs("남편이 바람피운 적 있나요"), None, ["남편", "아내"])
    assert plain is not None and yes not in shows(plain, candidates(plain, ps), None, lambda p: context.get(p.seq, ""))
