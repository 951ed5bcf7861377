"""Round 16b: who filled a role in an event. The one who did a document's activity ("상담을 진행한 사람" ← "상담자:
변호사 …", a 상담일지's "담당: …"); the one who did an act the question's clause names ("위치추적기 찾아낸 사람은?"):
the act found by meaning, then the doer of the line that shows it (a named subject, a party word a field names,
the first-person writer of a statement, the sender of a message); an in-law's abuse label keeps the insult asked
about."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from leh.analysis.answer import Passage
from leh.analysis.doer import act_line, doer_clause, line_doer, person_fields
from leh.analysis.fields import activity_person, field_person
from leh.analysis.morph import morphs
from leh.analysis.question import Topic, topic_match, who_name
from leh.container import Container
from leh.services.ask import NO_ANSWER, ask
from tests.support.ask_cases import cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "국하윤", "aliases": ["하윤", "아내"], "party": "client", "role": "원고"},
    {"name": "탁진호", "aliases": ["진호", "남편"], "party": "opponent", "role": "피고"},
]


def _doc(seq: int, text: str, name: str = "상담일지_국하윤.txt", eid: str = "d1") -> Passage:
    return Passage(evidence_id=eid, seq=seq, text=text, ts="2025-06-02T10:00:00", speaker=None, filename=name,
                   kind="text")


_LOG = [_doc(0, "법률 상담 기록"), _doc(1, "상담일: 2025. 6. 2."), _doc(2, "상담자: 변호사 표윤결"),
        _doc(3, "내담자: 국하윤 (아내)"), _doc(4, "- 남편이 5월부터 생활비를 끊었다고 함.")]


@pytest.mark.parametrize("question", ["상담을 진행한 사람은 누구인가요?", "누가 상담했나요?", "상담해 준 분 성함 알려주세요",
                                      "상담 맡았던 사람 이름?", "상담자 누구였죠", "이번 상담을 담당한 사람은?"])
def test_the_doer_of_a_documents_activity_is_its_field(question: str) -> None:
    claims = activity_person(question, _LOG)
    assert claims, question
    assert "표윤결" in claims[0].text and claims[0].sources[0].seq == 2, question


@pytest.mark.parametrize("question", ["상담받은 사람은 누구?", "상담에서 남편이 뭐라고 했나요?", "상담 날짜는 언제였죠?",
                                      "남편이 생활비를 끊은 시점은?"])
def test_a_question_that_does_not_ask_the_activitys_doer_gets_no_field(question: str) -> None:
    assert activity_person(question, _LOG) == [], question


def test_a_log_whose_person_field_is_in_charge_answers_for_its_kind() -> None:
    log = [_doc(0, "상담 일지", name="상담일지_0702.txt"), _doc(1, "담당: 사무장 연도하", name="상담일지_0702.txt"),
           _doc(2, "진료 예약 안내", name="안내문.txt", eid="d2"), _doc(3, "담당: 간호사 어수빈", name="안내문.txt", eid="d2")]
    claims = activity_person("상담 진행하신 분은 누구예요?", log)
    assert [c.sources[0].seq for c in claims] == [1]
    assert "연도하" in claims[0].text


def test_a_statement_named_with_who_wrote_it_asks_a_person_without_nugu() -> None:
    passages = [_doc(0, "사실확인서", name="사실확인서_연도하.txt"), _doc(1, "작성자: 연도하 (이웃)", name="사실확인서_연도하.txt")]
    claims = field_person("사실확인서를 작성한 사람은?", passages)
    assert claims and "연도하" in claims[0].text


@pytest.mark.parametrize(("question", "act"), [
    ("차에서 위치추적기 찾아낸 사람은?", "차에서 위치추적기 찾아낸"),
    ("목격한 내용을 의뢰인에게 전해준 사람은 누구였죠?", "목격한 내용을 의뢰인에게 전해준"),
    ("공동계좌에서 돈을 보낸 사람이 누구인지 거래내역상 확인 바랍니다.", "공동계좌에서 돈을 보낸"),
    ("112에 처음 신고한 분 성함", "112에 처음 신고한"),
])
def test_a_question_asking_who_did_an_act_gives_its_clause(question: str, act: str) -> None:
    assert doer_clause(question) == act


@pytest.mark.parametrize("question", ["아내가 만난 사람은 누구?", "남편이 외박한 상대는 누구야?", "국하윤은 누구인가요?",
                                      "남편이 때린 적 있나요?", "사람이 누구야"])
def test_a_question_with_its_own_subject_or_no_clause_asks_no_doer(question: str) -> None:
    assert doer_clause(question) is None


def test_the_doer_of_a_line_is_its_subject_its_fields_person_or_its_first_person_writer() -> None:
    fields = person_fields([_doc(0, "발신인: 국하윤 / 수신인: 탁진호", name="내용증명.txt"),
                            _doc(1, "작성자: 국하윤", name="내용증명.txt")])
    people = ["국하윤", "탁진호", "연도하"]
    line = "2. 수신인은 2025. 3.경부터 공동 계좌의 돈을 인출하였습니다."
    assert (d := line_doer(_doc(2, line), line, people, fields, ("인출",))) is not None and d.name == "탁진호"
    line = "본인은 그날 밤 남편 차에서 위치추적기를 발견하였습니다."
    assert (d := line_doer(_doc(3, line), line, people, fields, ("발견",))) is not None and d.name == "국하윤"
    line = "연도하 씨가 2025. 4. 1. 현관 앞에서 영수증을 발견하였습니다."
    assert (d := line_doer(_doc(4, line), line, people, fields, ("발견",))) is not None and d.name == "연도하"
    line = "아이가 장난감 상자에서 위치추적기를 발견했습니다."
    assert line_doer(_doc(5, line), line, people, fields, ("발견",)) is None
    msg = Passage(evidence_id="m1", seq=0, text="당신이 내 차에 추적기 붙였지?", ts="2025-04-01T10:00:00",
                  speaker="국하윤", filename="카톡.txt", kind="speech")
    assert line_doer(msg, msg.text, people, {}, ("붙이", "붙였")) is None
    msg = Passage(evidence_id="m1", seq=1, text="오늘 트렁크에서 추적기 찾았어", ts="2025-04-01T10:00:00",
                  speaker="국하윤", filename="카톡.txt", kind="speech")
    assert (d := line_doer(msg, msg.text, people, {}, ("찾",))) is not None and d.name == "국하윤"
    assert act_line("첫 줄입니다\n둘째 줄에서 발견했습니다", ("발견",)) == "둘째 줄에서 발견했습니다"


def test_who_did_an_act_is_answered_with_the_line_and_the_writers_field(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "사실확인서_연도하.txt", [
        (None, None, "사실확인서"),
        (None, None, "작성자: 연도하 (하늘카센터 대표)"),
        (None, None, "본인은 2025년 5월 3일 오후 국하윤 씨 차량을 점검하던 중 뒷바퀴 안쪽에 붙은 위치추적기를 발견하였습니다."),
    ])
    put_evidence(container, cid, "카카오톡_대화_탁진호.txt", [
        ("2025-05-03T18:00:00", "국하윤", "당신이 내 차에 추적기 붙였지?"),
        ("2025-05-03T18:05:00", "탁진호", "무슨 소리야"),
    ])
    for question in ("차에서 위치추적기 찾아낸 사람은?", "위치추적기를 발견한 사람이 누구인지 확인 바랍니다"):
        out: dict[str, Any] = ask(container.evidence, container.index, None, cid, question, parties=_PARTIES)
        assert out["answer"] != NO_ANSWER, question
        assert "연도하" in out["answer"] and "작성자: 연도하" in cited(out), question
        assert "탁진호" not in out["answer"], question


def test_an_in_laws_abuse_label_keeps_the_insult_asked_about() -> None:
    topic = Topic(nouns=("시어머니", "모욕"), verbs=(), tags=frozenset({"모욕"}), tag_words=frozenset({"모욕"}),
                  negated=False)
    text = '시어머니 어옥순은 명절마다 저에게 "집안 망신시키는 년"이라고 했습니다.'
    assert topic_match(topic, text, morphs(text), {"시댁 부당대우"}) > 0
    other = "시어머니 어옥순은 명절마다 저에게 용돈을 더 보내라고 했습니다."
    assert topic_match(topic, other, morphs(other), {"시댁 부당대우"}) == 0


def test_a_beginning_said_in_words_answers_though_its_verb_differs(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "사실확인서_연도하.txt", [
        (None, None, "사실확인서"),
        (None, None, "작성자: 연도하 (동호회 총무)"),
        (None, None, "국하윤 씨는 2022년 봄부터 저희 물빛 수영 동호회 회원으로 꾸준히 나왔습니다."),
    ])
    put_evidence(container, cid, "카카오톡_대화_탁진호.txt", [
        ("2025-03-02T21:00:00", "탁진호", "주말마다 나가서 뭐 하는데"),
        ("2025-03-02T21:10:00", "국하윤", "동네 산책하고 와"),
    ])
    for question in ("아내가 수영 동호회에 가입한 시기", "의뢰인이 동호회에 들어간 건 언제부터인가요?"):
        out: dict[str, Any] = ask(container.evidence, container.index, None, cid, question, parties=_PARTIES)
        assert out["answer"] != NO_ANSWER, question
        assert "2022년 봄부터" in cited(out), question
    out = ask(container.evidence, container.index, None, cid, "아내가 요가 학원에 등록한 시기", parties=_PARTIES)
    assert out["answer"] == NO_ANSWER


def test_online_slot_and_holdem_sites_are_gambling() -> None:
    topic = Topic(nouns=("도박",), verbs=(), tags=frozenset({"도박"}), tag_words=frozenset({"도박"}), negated=False)
    text = "남편은 밤마다 온라인 홀덤 사이트에 접속해 돈을 쓰고 있음."
    assert topic_match(topic, text, morphs(text), set()) > 0
    text = "남편은 밤마다 온라인 쇼핑몰에 접속해 돈을 쓰고 있음."
    assert topic_match(topic, text, morphs(text), set()) == 0


def test_a_doer_question_that_quotes_words_is_answered_by_who_wrote_them(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "녹취록_20250412.txt", [
        (None, None, "녹취록"),
        (None, None, "작성자: 속기사 연도하"),
        (None, None, "화자1: 탁진호 (남편) / 화자2: 국하윤 (아내)"),
        (None, None, "[00:02:10] 화자1: 너 같은 건 집에 들어오지 마"),
    ])
    out: dict[str, Any] = ask(container.evidence, container.index, None, cid,
                              "녹음에서 '집에 들어오지 마'라고 말한 사람은?", parties=_PARTIES)
    assert "연도하" not in out["answer"]
    assert "화자1: 탁진호" in cited(out)


@pytest.mark.parametrize(("question", "name"), [
    ("아내가 집을 나가서 누구 집으로 갔나요?", None), ("남편이 집 나와서 누구랑 살아?", None),
    ("나은서는 누구야?", "나은서"), ("이현서 누구야?", "이현서")])
def test_a_verb_with_a_connective_ending_is_no_name_asked_about(question: str, name: str | None) -> None:
    assert who_name(question) == name
