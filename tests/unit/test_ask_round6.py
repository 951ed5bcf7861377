"""Round 6: who a document names in one of its fields ("진료확인서 주치의 성함"), and a document line that says an
asked experience never happened ("…ㄴ 적이 있는지" answered by "…ㄴ 적은 없다고")."""

from __future__ import annotations

import uuid

from leh.analysis.answer import Passage
from leh.analysis.fields import field_person
from leh.analysis.never import asked_object, experience_act, never_done
from leh.container import Container
from leh.services.ask import NO_ANSWER
from tests.support.ask_cases import ask_case as _ask
from tests.support.ask_cases import cited as _cited
from tests.support.ask_cases import put_evidence as _put


def _doc(filename: str, seq: int, text: str) -> Passage:
    return Passage(evidence_id=filename, seq=seq, text=text, ts=None, speaker=None, filename=filename, kind="text")


# ------------------------------------------------------------------ a person in a document's field
def _forms_case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진료확인서_탁수진.txt", [
        (None, None, "진 료 확 인 서"),
        (None, None, "환자 성명: 탁수진\n진료일: 2024. 3. 2."),
        (None, None, "병명: 안면부 타박상"),
        (None, None, "발행일: 2024. 3. 4.\n의료기관: 한결내과의원\n주치의: 남궁현 (인)"),
    ])
    _put(container, case_id, "확인서_곽은비.txt", [
        (None, None, "확인서"),
        (None, None, "성명: 곽은비\n관계: 의뢰인의 직장 동료"),
        (None, None, "본인은 2024. 2. 28. 회사 앞에서 의뢰인의 남편이 소리를 지르는 것을 보았습니다."),
        (None, None, "작성일: 2024. 3. 10.\n확인자: 곽은비 (서명)"),
    ])
    _put(container, case_id, "카카오톡_대화.txt", [
        ("2024-03-02T21:00:00+09:00", "탁수진", "병원 다녀왔어. 의사 선생님이 멍이 심하대"),
    ])
    return case_id


def test_the_doctor_a_medical_record_names_is_who_is_asked(container: Container) -> None:
    out = _ask(container, _forms_case(container), "진료확인서 주치의 성함은?")
    assert "남궁현" in out["answer"]
    assert "주치의: 남궁현" in _cited(out)


def test_a_word_for_the_same_role_finds_the_field(container: Container) -> None:
    """The question says 의사, the record's field is 주치의."""
    out = _ask(container, _forms_case(container), "진료확인서를 발급한 의사는 누구인가요")
    assert "남궁현" in out["answer"] and "주치의: 남궁현" in _cited(out)


def test_the_writer_of_a_statement_is_cited_with_the_relation_it_states(container: Container) -> None:
    out = _ask(container, _forms_case(container), "확인서 작성자와 의뢰인의 관계는?")
    assert "확인자: 곽은비" in _cited(out)
    assert "의뢰인의 직장 동료" in _cited(out)


def test_a_question_naming_no_document_of_the_case_is_not_read_as_a_field() -> None:
    passages = [_doc("진료확인서_탁수진.txt", 0, "진 료 확 인 서"),
                _doc("진료확인서_탁수진.txt", 3, "주치의: 남궁현 (인)")]
    assert field_person("녹취록 주치의는 누구?", passages) == []
    assert field_person("진료확인서 주치의는 누구?", passages) != []


def test_a_field_that_holds_no_person_is_no_answer() -> None:
    """"발생 장소: 신고자 주거지" writes the word 신고자 before a place, not a person."""
    passages = [_doc("112신고_처리결과.txt", 0, "112신고 사건처리결과"),
                _doc("112신고_처리결과.txt", 1, "발생 장소: 신고자 주거지")]
    assert field_person("112신고 기록의 신고자는 누구?", passages) == []


def test_a_role_the_question_ends_with_is_asked_without_a_question_word() -> None:
    passages = [_doc("상담기록_온누리.txt", 0, "학생 상담 기록"),
                _doc("상담기록_온누리.txt", 1, "상담자: 담임교사 예소담\n상담일: 2024. 5. 2.")]
    claims = field_person("상담기록 작성한 교사?", passages)
    assert claims and "예소담" in claims[0].text


# ------------------------------------------------------------------ "…ㄴ 적이 있는지" and "…ㄴ 적은 없다"
def test_the_act_of_an_experience_question_and_its_object() -> None:
    assert experience_act("아내가 의뢰인에게 맞은 적이 있나요?") == ("맞은", "맞")
    assert experience_act("남편이 딸을 밀친 적 있어?") == ("밀친", "밀치")
    assert experience_act("의뢰인이 폭언이나 손찌검을 한 적이 있습니까") == ("손찌검",)
    assert experience_act("남편이 딸을 밀쳤나요?") == ()
    assert asked_object("남편이 딸을 밀친 적 있어?") == "딸"
    assert asked_object("남편이 의뢰인을 밀친 적 있어?") is None  # one of the couple


def _pushing_case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화.txt", [
        ("2024-04-02T22:00:00+09:00", "봉다은", "어제 당신이 나 밀쳐서 넘어졌잖아"),
        ("2024-04-02T22:05:00+09:00", "도윤재", "밀친 적 없어. 네가 혼자 넘어진 거지"),
    ])
    _put(container, case_id, "상담일지.txt", [
        (None, None, "상담일지"),
        (None, None, "상담일: 2024. 4. 10.\n의뢰인: 봉다은 / 상대방: 도윤재 (남편) / 자녀: 도하린"),
        (None, None, "의뢰인은 상대방이 하린이를 밀친 적은 없다고 진술하였다."),
    ])
    return case_id


def test_a_document_saying_it_never_happened_answers_the_experience_question(container: Container) -> None:
    """The chat's pushing is of the client, not of the child the question names: only the log's line answers."""
    out = _ask(container, _pushing_case(container), "상대방이 하린이를 밀친 적이 있는지?")
    assert out["answer"] != NO_ANSWER
    assert "하린이를 밀친 적은 없다고" in _cited(out)
    assert "어제 당신이 나 밀쳐서" not in _cited(out)
    assert not out["answer"].startswith("예")


def test_a_never_line_about_another_person_does_not_answer() -> None:
    passages = [_doc("상담일지.txt", 2, "의뢰인은 상대방이 하린이를 밀친 적은 없다고 진술하였다.")]
    assert never_done("남편이 의뢰인을 밀친 적이 있는지?", passages) == []
    assert never_done("남편이 하린이를 밀친 적이 있는지?", passages) != []


def test_a_message_denying_it_is_no_statement_that_it_never_happened() -> None:
    message = Passage(evidence_id="c", seq=1, text="밀친 적 없어. 네가 혼자 넘어진 거지", ts="2024-04-02T22:05:00+09:00",
                      speaker="도윤재", filename="카카오톡_대화.txt")
    assert never_done("남편이 의뢰인을 밀친 적이 있는지?", [message]) == []
