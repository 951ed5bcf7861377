"""What a question asks besides its act (leh.analysis.asked): by what proof, for what use, which address, why, a
third person there, the deed rather than a promise of it. An answer stands only on passages that state it;
otherwise the refusal. Also the whether-reader's signs in any conjugation and acts done together."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.answer import Passage
from leh.analysis.asked import Detail, asked_details, asks_intent, is_party, only_promised
from leh.analysis.morph import morphs
from leh.analysis.whether import candidates, read_act, shows, stem_text
from leh.container import Container
from leh.services.ask import NO_ANSWER
from tests.support.ask_cases import ask_case, cited
from tests.support.ask_cases import put_evidence as _put


def _kinds(question: str, people: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    return [d.kind for d in asked_details(question, people)]


# ------------------------------------------------------------------ reading what is asked
@pytest.mark.parametrize(("question", "kind"), [
    ("주차장 블랙박스로 두 사람이 함께 있는 게 찍혔는지?", "medium"),
    ("녹음 파일에서 남편이 욕설을 인정했는지 확인 바랍니다", "medium"),
    ("상간녀가 사는 빌라의 주소를 알 수 있나요", "address"),
    ("경마 사이트 도메인 확인 바랍니다", "address"),
    ("보험 해약금을 아내가 어디에 썼는지 확인 바랍니다", "use"),
    ("빼 간 돈의 사용처가 나오는지", "use"),
])
def test_the_detail_a_question_asks_is_read_from_its_grammar(question: str, kind: str) -> None:
    assert kind in _kinds(question)


@pytest.mark.parametrize("question", [
    "남편이 아내를 밀친 적이 있나요?",
    "아내가 생활비를 끊었는지 확인 바랍니다",
    "시어머니가 모욕적인 말을 한 정황이 있는지",
])
def test_a_plain_whether_question_asks_no_detail(question: str) -> None:
    assert _kinds(question) == []


def test_a_named_third_person_is_a_detail_and_may_be_written_by_role() -> None:
    people = {"남도윤": ("아들",)}
    details = asked_details("그날 도윤이가 집에 같이 있었는지", people)
    assert [d.kind for d in details] == ["person"]
    assert details[0].stated("아들이 방에서 울고 있었다")
    assert not details[0].stated("남편이 컵을 던졌다")
    assert asked_details("남편이 컵을 던졌는지", people) == []


def test_one_of_the_couple_named_by_a_document_is_no_third_person() -> None:
    docs = ["내용증명\n수신인: 탁무성\n수신인은 2025. 3. 1. 집을 나간 뒤 돌아오지 않았습니다.", "아들 탁은호(2019년생)"]
    assert is_party("탁무성", docs) and not is_party("탁은호", docs)
    assert is_party("탁무성", ["의뢰인은 2015년 탁무성과 혼인신고를 하였다고 함."])


def test_a_reason_is_not_a_detail_read_here() -> None:
    assert _kinds("지분을 넘긴 이유에 대한 남편의 해명은?") == [] and _kinds("왜 나갔나요?") == []


def test_a_passage_that_says_the_detail_is_unknown_states_none() -> None:
    use = Detail("use")
    assert use.stated("찾은 돈은 카지노에 다 썼어")
    assert not use.stated("해약금을 어디에 사용했는지는 확인되지 않음")
    assert not use.stated("보험을 해약했다")
    assert Detail("address").stated("서구 둔산로 123, 4동 502호")
    assert not Detail("address").stated("상간녀 집 근처에서 봤다")
    medium = asked_details("블랙박스로 확인됐는지")[0]
    assert medium.stated("주차 내역", around="블랙박스 영상 캡처") and not medium.stated("주차 내역 3시간")


@pytest.mark.parametrize(("text", "promised"), [
    ("보험금은 다음 주에 돌려놓는다니까", True),
    ("그 돈 돌려놓을게", True),
    ("내일 돌려놓겠다", True),
    ("어제 그 돈 다 돌려놓았어", False),
    ("돌려놓았어. 나머지는 다음 달에 돌려놓을게", False),
    ("또 늦게 오면 돈 안 돌려놓는다", True),  # a condition: a threat, not the deed
    ("늦게 오면 돌려놓았다", False),
])
def test_a_deed_is_not_shown_by_a_promise_of_it(text: str, promised: bool) -> None:
    assert only_promised(["돌려놓"], morphs(text), text) is promised


def test_a_question_about_a_promise_is_not_a_deed_question() -> None:
    assert asks_intent("남편이 돈을 돌려놓겠다고 한 적 있나요?")
    assert not asks_intent("남편이 돈을 돌려놓은 날짜는?")


# ------------------------------------------------------------------ the whether-reader
def _p(seq: int, text: str, speaker: str | None) -> Passage:
    return Passage(evidence_id="e1" if speaker else "d1", seq=seq, text=text, ts="2025-04-02T20:00:00", speaker=speaker,
                   filename="카카오톡.txt" if speaker else "진술서.txt", kind="speech" if speaker else "text")


def test_a_sign_written_in_another_conjugation_is_found_in_its_base_forms() -> None:
    ps = [_p(0, "3. 시어머니 공말순은 2025. 4. 2. 제게 전화하여 \"집안 수치\"라고 소리쳤습니다.", None),
          _p(1, "4. 시어머니 공말순은 2025. 4. 9. 반찬을 보내 주셨습니다.", None)]
    q = "시어머니가 의뢰인에게 막말을 한 정황이 있는지"
    act = read_act(q, morphs(q))
    assert act is not None
    assert candidates(act, ps) == []  # the surface words alone do not find it
    stems = {p.text: stem_text(morphs(p.text)) for p in ps}
    assert [p.text for p in shows(act, candidates(act, ps, stems), stems=stems)] == [ps[0].text]


def test_an_act_done_together_needs_the_other_one_named_not_as_its_doer() -> None:
    ps = [_p(0, "유세아랑 제주 다녀온 거 다 알아", "아내"), _p(1, "주말에 부산 출장 다녀왔어", "남편")]
    q = "남편과 유세아가 함께 여행을 다녀온 흔적이 있는지"
    act = read_act(q, morphs(q), {}, ["남편", "아내"])
    assert act is not None and act.joint and act.actor == "유세아"
    assert [p.text for p in shows(act, candidates(act, ps))] == [ps[0].text]


# ------------------------------------------------------------------ through ask
def test_ask_refuses_what_the_passages_do_not_state_and_answers_what_they_do(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화_명태오.txt", [
        ("2025-05-03T22:10:00", "진아름", "통장에서 1,800만원 왜 빠졌어?"),
        ("2025-05-03T22:30:00", "명태오", "내가 해약했어. 다음 달에 돌려놓는다니까"),
        ("2025-05-20T09:00:00", "진아름", "어제 모텔 결제 문자 왔던데 누구랑 간 거야"),
    ])
    _put(container, case_id, "상담일지_진아름.txt", [
        (None, None, "상담일지"),
        (None, None, "의뢰인: 진아름 / 아들 명하람(2021년생)"),
        (None, None, "2025. 5. 3. 남편이 보험을 해약하여 1,800만원을 인출함. 사용처는 확인되지 않음."),
        (None, None, "2025. 5. 19. 남편 명의 카드로 모텔 결제."),
    ])
    # the act is there: answered
    assert ask_case(container, case_id, "남편이 보험을 해약해 돈을 빼냈는지 확인 바랍니다")["answer"] != NO_ANSWER
    # what it went on, a proof, a person there, the deed promised: refused
    for q in ("보험 해약금을 남편이 어디에 썼는지 확인 바랍니다", "모텔 CCTV로 동행인이 확인됐는지?",
              "5월 19일 하람이가 그 자리에 있었는지", "남편이 해약금을 다시 돌려놓은 날짜는?"):
        assert ask_case(container, case_id, q) == {"answer": NO_ANSWER, "citations": []}, q
    out = ask_case(container, case_id, "남편이 모텔에 간 정황이 있는지")
    assert out["answer"].startswith("예,") and "모텔" in cited(out)


def test_a_name_asked_of_a_thing_is_written_next_to_that_thing(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서_진아름.txt", [
        (None, None, "1. 남편은 하나카드 카드론 900만원과 캐피탈 대출을 제게 알리지 않고 받았습니다."),
    ])
    assert ask_case(container, case_id, "남편이 대출받은 캐피탈 이름을 특정해 주십시오.") == {
        "answer": NO_ANSWER, "citations": []}


def test_a_name_kiwi_splits_is_no_topic_noun_and_a_stated_negative_answers(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화_표가온.txt", [
        ("2025-06-01T10:00:00", "표가온", "이번 달 양육비 80만원 보냈어"),
        ("2025-06-01T10:05:00", "엄채린", "받았어"),
    ])
    _put(container, case_id, "진술서_엄채린.txt", [
        (None, None, "1. 남편은 2025. 6.부터 아이 피아노 학원비를 보내지 않고 있습니다."),
        (None, None, "2. 저는 남편의 연봉은 모른다고 말씀드렸습니다."),
    ])
    out = ask_case(container, case_id, "표가온이 양육비를 보내고 있는지 확인 바랍니다")
    assert out["answer"] != NO_ANSWER and "80만원 보냈어" in cited(out)
    out = ask_case(container, case_id, "피아노 학원비를 남편이 부담했는지?")
    assert "그러지 않았다" in out["answer"] and "보내지 않고" in cited(out) and not out["answer"].startswith("예")
    # a line saying the thing is not known is no answer
    assert ask_case(container, case_id, "남편의 연봉이 올랐는지?") == {"answer": NO_ANSWER, "citations": []}


def test_a_word_of_lack_inside_a_quotation_is_no_stated_negative(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서_엄채린.txt", [
        (None, None, "3. 시어머니는 제게 \"애 엄마 자격도 없는 게\"라고 했습니다."),
    ])
    assert ask_case(container, case_id, "아들을 엄마와 떼어 놓은 일이 있었는지") == {"answer": NO_ANSWER, "citations": []}


def test_a_person_is_no_thing_a_line_can_say_was_not_done(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서_엄채린.txt", [(None, None, "1. 진술인은 표가온과 혼인하여 아들 표하늘(2018년생)을 두고 있습니다.")])
    _put(container, case_id, "카카오톡_대화_표가온.txt", [
        ("2025-06-14T10:31:00", "엄채린", "하늘이랑 친정에 와 있어 당분간 안 들어가"),
        ("2025-06-14T10:40:00", "엄채린", "장모님은 아이를 못 본 지 오래야"),
        ("2025-06-14T10:45:00", "표가온", "하늘이는 엄마 안 보고 싶대"),
    ])
    for q in ("아내가 하늘이를 때리거나 방치했다는 자료가 있나요?", "장모가 아이를 학대했나요?", "아들을 엄마와 떼어 놓은 일이 있었나요?"):
        assert ask_case(container, case_id, q) == {"answer": NO_ANSWER, "citations": []}, q


def test_which_thing_asked_needs_a_line_that_writes_it(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서_엄채린.txt", [
        (None, None, "5. 남편은 아이 돌반지를 제 동의 없이 팔았습니다."),
        (None, None, "6. 남편은 제 노트북을 중고나라에 팔았습니다."),
    ])
    assert ask_case(container, case_id, "돌반지를 어느 금은방에 팔았는지 확인 바랍니다") == {"answer": NO_ANSWER, "citations": []}
    assert ask_case(container, case_id, "남편이 돌반지를 판 적이 있나요?")["answer"] != NO_ANSWER
