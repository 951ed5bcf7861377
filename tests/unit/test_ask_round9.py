"""Round 9 (issue #13): the doer filter reads a line's own words before its labels (another kind of act, a message
that is itself the slur, a reason clause's subject), and a person is found right after the office a question asks
("속기사", "의사", "변호사") whatever the question calls the document."""

from __future__ import annotations

import uuid

from leh.analysis import whether as act_whether
from leh.analysis.answer import Passage
from leh.analysis.fields import field_person, office_person
from leh.analysis.morph import morphs
from leh.analysis.question import Wants, question_wants
from leh.container import Container
from leh.services.ask import NO_ANSWER, plan_question, set_aside
from leh.services.ask_doer import another_act_only, line_doers, party_words, spoken
from tests.support.api_case import lawyer
from tests.support.ask_cases import ask_case, cited, put_evidence


def _act(question: str) -> act_whether.Act:
    act = act_whether.read_act(question, morphs(question))
    assert act is not None
    return act


def _doc(filename: str, seq: int, text: str) -> Passage:
    return Passage(evidence_id=filename, seq=seq, text=text, ts=None, speaker=None, filename=filename, kind="text")


# ------------------------------------------------------------------ the doer filter reads the words first
def test_a_line_of_another_kind_of_act_does_not_show_the_asked_one() -> None:
    blow = _act("원고가 피고를 때린 적이 있나요?")
    assert another_act_only("어제 그릇 던진 거 생각은 나? 애가 무서워서 울었어", blow)
    assert another_act_only("- 상대방도 같은 날 의뢰인의 노트북을 바닥에 던진 사실을 인정함.", _act("피고가 원고를 밀친 적?"))
    # a body part or an injury may be a blow by a thrown thing; a sign of the asked kind is one
    assert not another_act_only("리모컨 던져서 이마 찢어졌잖아", blow)
    assert not another_act_only("접시를 던지고 내 목을 졸랐어", blow)
    assert not another_act_only("밥 먹었어?", blow)  # no act at all: the labels decide
    # asked as a throw, the throw is the act
    assert not another_act_only("어제 그릇 던진 거 생각은 나?", _act("원고가 물건을 던진 적이 있나요?"))


def test_a_message_that_is_itself_the_slur_or_threat_is_its_writers_act() -> None:
    insult, threat = _act("원고가 피고에게 욕설을 한 적이 있나요?"), _act("피고가 원고를 협박한 적이 있나요?")
    assert spoken("미친년아 문 열라고", insult)
    assert spoken("한 번만 더 그러면 가만 안 둬", threat)
    assert not spoken("니가 나한테 미친년이라고 했잖아", insult)  # said of the reader
    assert not spoken("장모님이 너 가만 안 둔대", threat)  # a relative's words, passed on
    assert not spoken("가만 안 둔다고 했다며", threat)  # quoted
    assert not spoken("오늘 늦어", insult)


def test_the_subject_of_a_reason_clause_is_not_the_doer() -> None:
    words = party_words([{"name": "문재현", "aliases": ["남편"], "party": "client", "role": "원고"},
                         {"name": "길수아", "aliases": ["아내"], "party": "opponent", "role": "피고"}])
    insult = _act("원고가 피고에게 욕설을 한 적이 있나요?")
    line = "2024. 4. 3. 밤 제가 술에 취해 아내가 문을 열어주지 않는다고 '미친년'이라는 욕설을 문자로 보냈습니다."
    assert line_doers(line, words, insult, "client")[0] == {"client"}
    # one subject only: the reason clause is its own ("남편이 … 죽여버린다고 협박")
    threat = _act("피고가 원고를 협박한 적이 있나요?")
    assert line_doers("2024. 5. 1. 아내가 저에게 죽여버린다고 협박했습니다.", words, threat, "client")[0] == {"opponent"}


CHAT = """수아 님과 카카오톡 대화
저장한 날짜 : 2024-07-08 20:31:12

--------------- 2024년 4월 3일 수요일 ---------------
[문재현] [오후 11:02] 미친년아 문 열라고
[수아] [오후 11:30] 이런 욕 듣고 내가 어떻게 살아
--------------- 2024년 4월 4일 목요일 ---------------
[수아] [오전 9:12] 어제 그릇 던진 거 생각은 나? 애가 무서워서 울었어
"""


def test_the_asked_partys_slur_is_cited_and_a_throw_is_no_blow(container: Container) -> None:
    with lawyer(container, "round9@test.local") as me:
        parties = {"client": {"name": "문재현", "aliases": ["남편"]}, "opponent": {"name": "길수아", "aliases": ["수아", "아내"]}}
        cid = me.new_case(parties)
        me.upload(container, cid, {"카카오톡_대화_길수아.txt": CHAT})
        his = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "원고가 피고에게 욕설을 한 적이 있나요?"})
        assert "미친년아 문 열라고" in " ".join(c["snippet"] for c in his["citations"])
        blow = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "원고가 피고를 때린 적이 있나요?"})
        assert blow["answer"] == NO_ANSWER
        hers = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "피고가 원고에게 욕설을 한 적이 있나요?"})
        assert "미친년아" not in " ".join(c["snippet"] for c in hers["citations"])


# ------------------------------------------------------------------ a person right after the asked office
def test_the_person_after_the_asked_office_is_who_is_asked() -> None:
    passages = [_doc("녹취록_0301.txt", 0, "녹 취 록\n작성자: 속기사 남궁별"),
                _doc("진단서_표만수.txt", 4, "발행일: 2025. 7. 4.\n정형외과 전문의 국하람 (인)"),
                _doc("통지서.txt", 1, "발신인: 길수아의 대리인 변호사 예도윤 (법무법인 다온)"),
                _doc("진술서.txt", 2, "의사 선생님이 이마를 세 바늘 꿰매야 한다고 했습니다.")]
    claims = office_person("녹음을 받아 적은 속기사 누구?", passages)
    assert claims and "남궁별" in claims[0].text and claims[0].sources[0].focus == "작성자: 속기사 남궁별"
    doctor = field_person("진단서에 서명한 의사 이름", passages)  # 의사 ~ 전문의; the field has no "key:"
    assert doctor and "국하람" in doctor[0].text
    assert "예도윤" in office_person("상대방 대리인 변호사 성함", passages)[0].text
    # no office asked, or no person asked: nothing; "의사 선생님이" names nobody
    assert office_person("남편은 누구인가요?", passages) == []
    assert office_person("속기사가 작성한 날짜는?", passages) == []
    assert office_person("진술서의 의사 이름", passages[3:]) == []


# ------------------------------------------------------------------ a line that says the thing asked was not done
def test_a_line_that_says_one_of_the_things_asked_was_not_done_answers(container: Container) -> None:
    """"병원 치료를 받았는지" ~ "병원에는 가지 않았고": the line writes one of the things (병원), not the other (치료)."""
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "상담일지_길수아.txt", [
        (None, None, "상담일지"),
        (None, None, "의뢰인은 2024년 5월 2일 남편에게 맞은 뒤 병원에는 가지 않았고 사진만 찍어 두었다고 함."),
        (None, None, "의뢰인은 이혼 후 딸의 양육을 원한다고 함."),
    ])
    out = ask_case(container, cid, "의뢰인이 맞은 뒤 병원 치료를 받았는지?")
    assert out["answer"].startswith("증거에는 다음과 같이 그러지 않았다는 내용이 있습니다.")
    assert "병원에는 가지 않았고" in cited(out)
    # a line that writes the thing without saying it was not done says nothing of the kind
    other = str(uuid.uuid4())
    put_evidence(container, other, "상담일지_예소담.txt", [
        (None, None, "상담일지"),
        (None, None, "의뢰인은 2024년 6월 1일 병원 앞에서 남편과 말다툼을 했다고 함."),
    ])
    assert not ask_case(container, other, "의뢰인이 맞은 뒤 병원 치료를 받았는지?")["answer"].startswith("증거에는 다음과 같이 그러지")


# ------------------------------------------------------------------ what a question sets aside, and a day not known
def test_what_a_question_sets_aside_is_no_topic_and_no_answer(container: Container) -> None:
    assert set_aside("카드론 말고 다른 빚도 있어?") == (("카드론",), ("카드론",))
    assert set_aside("한빛은행 대출 말고 다른 빚은?") == (("한빛은행",), ("한빛은행", "대출"))  # the bank singles it out
    assert set_aside("편의점·학원 말고 병원에서 쓴 돈")[0] == ("편의점", "학원")
    assert set_aside("남편이 접시를 던졌나요?") == ((), ())
    assert "카드론" not in plan_question("카드론 말고 다른 빚도 있어?").topic.nouns
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_길수아.txt", [
        ("2025-03-02T21:00:00+09:00", "문재현", "당신 이름으로 카드론 800만원 나왔던데 이게 뭐야?"),
        ("2025-03-02T21:05:00+09:00", "길수아", "그거 말고는 빚 없어"),
    ])
    out = ask_case(container, cid, "카드론 말고 다른 빚도 있어?")
    assert "카드론" not in cited(out)


def test_a_line_that_says_the_day_is_not_known_dates_nothing(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "상담일지_길수아.txt", [
        (None, None, "상담일지"),
        (None, None, "2025. 7. 2. 아이는 밤마다 울어서 소아과 진료 예약을 함(예약일 미정)."),
    ])
    assert ask_case(container, cid, "아이 소아과 진료일은 언제인가요?")["answer"] == NO_ANSWER
    dated = str(uuid.uuid4())
    put_evidence(container, dated, "상담일지_예소담.txt", [
        (None, None, "상담일지"),
        (None, None, "2025. 7. 2. 아이는 2025. 7. 9. 소아과 진료를 받기로 함."),
    ])
    out = ask_case(container, dated, "아이 소아과 진료일은 언제인가요?")  # a line that writes the day answers
    assert out["answer"] != NO_ANSWER and "2025. 7. 9. 소아과 진료" in cited(out)


def test_a_family_roles_name_is_asked_whatever_date_describes_them() -> None:
    plan = plan_question("2023년 봄부터 같이 살게 된 시모 이름이 뭐였죠")
    assert plan.kind == "who" and plan.role == "시어머니"
    assert plan_question("3월 5일에 만난 사람 이름은?").kind == "on_date"  # no family role: that day's events
    assert plan_question("3월 5일에 시어머니가 한 말은?").kind == "on_date"  # the role's words, not its name


def test_a_number_asked_is_stated_only_by_a_line_that_writes_one(container: Container) -> None:
    assert question_wants("바꾼 현관 새 비밀번호가 뭔지 알 수 있나요") == Wants.NUMBER
    assert question_wants("현관 비밀번호를 바꾼 날은 언제인가요?") != Wants.NUMBER  # the day asked, not the number
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_문재현.txt", [
        ("2025-02-15T09:30:00+09:00", "문재현", "현관 비밀번호 바꿨다. 짐은 택배로 보낼게"),
    ])
    assert ask_case(container, cid, "바꾼 현관 새 비밀번호가 뭔지 알 수 있나요")["answer"] == NO_ANSWER
    put_evidence(container, cid, "카카오톡_대화_길수아.txt", [
        ("2025-02-16T10:00:00+09:00", "길수아", "현관 비밀번호 4821로 바꾼 거 맞지? 애 짐 가지러 갈게"),
    ])
    assert "4821" in cited(ask_case(container, cid, "바꾼 현관 새 비밀번호가 뭔지 알 수 있나요"))
