"""Answers that generalise: dates in many phrasings, the concept asked (not a shared word), people by role,
incidents counted once, and exact refusals when the passages do not state what is asked."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.concepts import name_forms, role_names
from leh.analysis.morph import morphs
from leh.analysis.question import (
    Kind,
    Wants,
    question_date,
    question_kind,
    question_topic,
    question_wants,
    topic_match,
)
from leh.container import Container
from leh.services.ask import NO_ANSWER
from tests.support.ask_cases import ask_case as _ask
from tests.support.ask_cases import put_evidence as _put


def _match(question: str, text: str, context: str = "") -> int:
    return topic_match(question_topic(question), text, morphs(text), set(), context)


@pytest.mark.parametrize(("question", "label", "start", "end"), [
    ("2023. 11. 4. 무슨 일이 있었죠?", "2023년 11월 4일", (11, 4), (11, 4)),
    ("11/4에 있었던 일 알려줘", "11월 4일", (11, 4), (11, 4)),
    ("22년 11월 4일 상황은?", "2022년 11월 4일", (11, 4), (11, 4)),
    ("2023년 11월 초에는 무슨 일이?", "2023년 11월 초", (11, 1), (11, 10)),
    ("11월 말에 무슨 일이 있었어?", "11월 말", (11, 21), (11, 30)),
    ("2023년 11월 3일부터 8일까지 무슨 일이?", "2023년 11월 3일부터 11월 8일까지", (11, 3), (11, 8)),
    ("2023년 11월 둘째 주에 무슨 일이 있었나요?", "2023년 11월 8일부터 11월 14일까지", (11, 8), (11, 14)),
    ("작년 11월에 무슨 일이 있었나요?", "11월", (11, 1), (11, 31)),
])
def test_a_date_or_period_is_read_in_the_ways_lawyers_write_it(question: str, label: str, start: tuple[int, int],
                                                                 end: tuple[int, int]) -> None:
    rng = question_date(question)
    assert rng is not None and (rng.label, rng.start, rng.end) == (label, start, end)
    assert question_kind(question) == Kind.ON_DATE


@pytest.mark.parametrize(("question", "kind"), [
    ("남편이 처음 손찌검한 날이 언제예요?", Kind.BEGAN),
    ("양육비가 끊긴 건 언제부터죠?", Kind.BEGAN),
    ("마지막으로 연락이 온 건 언제인가요?", Kind.STOPPED),
    ("가장 최근에 폭언한 건 언제야?", Kind.STOPPED),
    ("아내가 짐을 뺀 시점은?", Kind.WHEN),
    ("홍수민은 의뢰인과 어떤 관계인가요?", Kind.WHO),
    ("홍수민 씨는 누구죠?", Kind.WHO),
    ("욕설은 몇 차례나 있었나요?", Kind.HOW_OFTEN),
])
def test_question_kinds_in_other_phrasings(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_what_a_question_wants_without_saying_how_much() -> None:
    assert question_wants("남편의 연봉은?") == Wants.AMOUNT
    assert question_wants("대출 금리는?") == Wants.RATE
    assert question_wants("입원은 얼마나 걸린다고 했나요?") == Wants.DURATION
    assert question_wants("남편이 누구와 여행을 갔나요?") == Wants.PERSON
    assert question_wants("남편이 여행을 갔나요?") == Wants.NONE


@pytest.mark.parametrize(("question", "text"), [
    ("남편이 이혼을 요구했나요?", "그냥 이혼해 줘 더는 못 살겠다"),
    ("아내가 사과한 적 있나요?", "내가 잘못했어 정말 미안해"),
    ("남편이 시누이에게 돈을 빌렸나요?", "형님한테 300만원 빌려서 막았어"),
    ("계좌에서 빠져나간 돈은 얼마인가요?", "계좌에서 50만원 빠져나갔던데"),
    ("남편이 가상화폐에 투자했나요?", "코인에 또 투자했더라"),
])
def test_the_concept_matches_through_synonyms(question: str, text: str) -> None:
    assert _match(question, text) > 0


@pytest.mark.parametrize(("question", "text"), [
    ("장모가 의뢰인을 때린 적 있나요?", "장모님이 전화로 소리를 지르셨어"),
    ("아내가 외도를 했나요?", "의뢰인은 딸과 둘이 살고 있음"),
    ("경찰이 남편을 체포했나요?", "경찰이 출동해서 분리 조치만 했어"),
    ("진단서의 병명은 무엇인가요?", "진단서 떼러 병원 다녀왔어"),
])
def test_a_shared_word_without_the_concept_does_not_match(question: str, text: str) -> None:
    assert _match(question, text) == 0


def test_context_supplies_nouns_but_never_the_act() -> None:
    # a police record's line does not repeat 경찰; a form field takes its meaning from its document
    assert _match("경찰에 신고한 건 언제인가요?", "신고 일시: 2023년 3월 4일 21시", "경찰 신고 사건") > 0
    assert _match("경찰이 남편을 체포했나요?", "처리 결과: 현장 출동 후 귀가", "경찰 신고 사건") == 0


def test_names_after_a_role_word_are_a_surname_and_a_given_name() -> None:
    texts = ["의뢰인은 딸 남궁하은(6세)을 양육", "아들 박하준을 두고", "언니 집으로 나왔다"]
    assert role_names("딸", texts) == ["남궁하은"]
    assert role_names("아들", texts) == ["박하준"]
    assert role_names("언니", texts) == []
    assert name_forms("남궁하은") == ["남궁하은", "하은이", "하은"] and name_forms("박하준") == ["박하준", "하준이", "하준"]


def test_a_child_called_by_name_answers_a_question_about_the_child(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "상담일지.txt", [(None, None, "상담일지"), (None, None, "의뢰인은 아들 김도윤(5세)을 양육 중임.")])
    chat = _put(container, case_id, "kakao.txt", [("2024-05-02T20:00:00+09:00", "홍길동", "도윤이는 내가 데려갈게"),
                                                  ("2024-05-02T20:05:00+09:00", "김영희", "무슨 소리야")])
    out = _ask(container, case_id, "남편이 아이를 데려가겠다고 했나요?")
    assert (chat["evidence_id"], 0) in {(c["evidence_id"], c["seq"]) for c in out["citations"]}
    assert "“도윤이는 내가 데려갈게”" in out["answer"]


def test_a_reply_naming_the_act_brings_the_message_it_answers(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "kakao.txt", [("2024-06-01T21:00:00+09:00", "홍길동", "소송하면 애들 다시는 못 볼 줄 알아"),
                                           ("2024-06-01T21:02:00+09:00", "김영희", "그게 지금 협박이야?")])
    out = _ask(container, case_id, "남편이 아이들 문제로 협박했나요?")
    assert sorted(c["seq"] for c in out["citations"]) == [0, 1]


def test_a_weak_model_guess_does_not_establish_an_affair(container: Container) -> None:
    case_id = str(uuid.uuid4())
    weak = [{"seq": 1, "tag": "외도", "ground": "840-1", "weight": 0.6, "mode": "report", "start": 0, "end": 5,
             "rule": "model:840-1", "admission": False, "agent": "unknown"}]
    _put(container, case_id, "상담일지.txt", [(None, None, "상담일지"), (None, None, "의뢰인은 현재 딸과 둘이 살고 있음.")],
         hits=weak, labels=[{"ground": "840-1", "tag": "외도", "confidence": 0.6, "segments": [1], "source": "engine"}])
    assert _ask(container, case_id, "아내가 외도를 했나요?") == {"answer": NO_ANSWER, "citations": []}


def test_one_incident_told_twice_counts_once_and_the_count_is_in_times(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서.txt", [(None, None, "진술서"), (None, None, "2023년 8월 18일 아내가 유리컵을 던졌습니다."),
                                           (None, None, "2023년 10월 2일 아내가 리모컨을 던졌습니다.")])
    _put(container, case_id, "kakao.txt", [("2023-08-19T09:00:00+09:00", "김철수", "어제 던진 컵에 맞은 데가 아파")],
         refers={0: "2023-08-18T00:00:00+09:00"})
    out = _ask(container, case_id, "아내가 물건을 던진 건 몇 번인가요?")
    first = out["answer"].split("\n")[0]
    assert first == "증거에서 날짜가 확인되는 것은 모두 2차례입니다: 2023년 8월 18일, 2023년 10월 2일."
    assert len(out["citations"]) == 3


def test_a_month_named_by_a_document_answers_a_question_about_that_month(container: Container) -> None:
    case_id = str(uuid.uuid4())
    doc = _put(container, case_id, "상담일지.txt", [(None, None, "상담일지"),
                                                 (None, None, "남편은 2024년 9월 마이너스 통장에서 2,000만 원을 인출함.")])
    out = _ask(container, case_id, "2024년 9월 한 달 동안 있었던 일을 정리해 주세요")
    assert [(c["evidence_id"], c["seq"]) for c in out["citations"]] == [(doc["evidence_id"], 1)]
    assert "- 2024년 9월 상담일지.txt에 기재" in out["answer"]


def test_a_person_asked_by_role_is_the_one_the_evidence_names(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서.txt", [(None, None, "진술서"), (None, None, "시어머니 장말숙은 진술인을 무시했습니다.")])
    out = _ask(container, case_id, "시어머니는 누구인가요?")
    assert "장말숙" in out["answer"] and len(out["citations"]) == 1


def test_a_value_asked_for_must_be_stated(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "kakao.txt", [("2024-01-05T21:00:00+09:00", "홍길동", "연봉 협상 잘 끝났어"),
                                           ("2024-01-06T21:00:00+09:00", "홍길동", "대출 이자 내느라 힘들어")])
    assert _ask(container, case_id, "남편의 연봉은?") == {"answer": NO_ANSWER, "citations": []}
    assert _ask(container, case_id, "대출 이자율은 몇 퍼센트인가요?") == {"answer": NO_ANSWER, "citations": []}
    assert _ask(container, case_id, "남편이 누구와 연봉 협상을 했나요?") == {"answer": NO_ANSWER, "citations": []}
    other = str(uuid.uuid4())
    _put(container, other, "kakao.txt", [("2024-01-05T21:00:00+09:00", "홍길동", "올해 연봉 6천만원으로 올랐어")])
    assert _ask(container, other, "남편의 연봉은?")["answer"].startswith("증거에 적힌 값은 “6천만원”입니다 [1].")


def test_a_message_about_yesterday_is_dated_by_its_own_day(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "kakao.txt", [("2023-12-25T22:30:00+09:00", "김영희", "어제 또 때렸잖아 멍 들었어")],
         refers={0: "2023-12-24T00:00:00+09:00"})
    hit = _ask(container, case_id, "남편이 때린 적 있어?")
    assert hit["answer"].split("\n")[1] == "- 2023년 12월 25일 오후 10:30 김영희: “어제 또 때렸잖아 멍 들었어” [1]"
    day = _ask(container, case_id, "12월 24일에 무슨 일이 있었나요?")
    assert day["answer"].split("\n")[1] == "- 2023년 12월 25일 오후 10:30 김영희: “어제 또 때렸잖아 멍 들었어” [1]"


@pytest.mark.parametrize(("question", "kind"), [
    ("아내가 처음 물건을 던진 달은?", Kind.BEGAN),
    ("남편이 밀친 날은?", Kind.WHEN),
    ("남편이 술 마신 날이 있나요?", Kind.WHETHER),
])
def test_a_question_ending_in_a_day_asks_when(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_what_someone_said_on_a_day_is_that_days_evidence(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "kakao.txt", [("2024-02-03T10:00:00+09:00", "홍길동", "짐 다 뺐어 찾지 마"),
                                           ("2024-02-04T10:00:00+09:00", "홍길동", "연락하지 마")])
    out = _ask(container, case_id, "2월 3일 남편이 보낸 메시지는?")
    assert [c["seq"] for c in out["citations"]] == [0]


def test_the_affair_partner_asked_as_상대(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "진술서.txt", [(None, None, "진술서"),
                                           (None, None, "2024년 1월 6일 남편은 직장 동료 나은비와 모텔에 들어갔습니다."),
                                           (None, None, "2024년 2월 1일 남편은 나은비와 호텔에서 숙박했습니다.")])
    out = _ask(container, case_id, "남편이 바람 피운 상대는?")
    assert out["answer"].startswith("관련 기재에 나오는 사람은 나은비입니다")


def test_who_in_the_middle_of_a_question_and_a_role_word_that_is_no_person(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "상담일지.txt", [(None, None, "상담일지"), (None, None, "아파트는 의뢰인 단독 명의임."),
                                             (None, None, "시어머니 이옥자가 아이를 돌봄.")])
    who_out = _ask(container, case_id, "상담일지에 나오는 이옥자는 누구인가요?")
    assert "시어머니 이옥자" in who_out["answer"]
    owner = _ask(container, case_id, "아파트 명의자는 누구입니까?")
    assert [c["seq"] for c in owner["citations"]] == [1]
    assert _ask(container, case_id, "박서준은 누구인가요?") == {"answer": NO_ANSWER, "citations": []}


def test_a_passage_the_analysis_read_as_another_act_is_not_counted(container: Container) -> None:
    case_id = str(uuid.uuid4())
    doc = _put(container, case_id, "kakao.txt", [("2024-06-01T01:20:00+09:00", "홍길동", "문 열어 안 열면 다 부숴버린다"),
                                                 ("2024-06-22T22:10:00+09:00", "김영희", "오늘 또 때렸어 경찰에 신고할 거야")])
    assert {h["tag"] for h in doc["hits"] if h["seq"] == 0} == {"협박"}
    out = _ask(container, case_id, "남편이 폭행한 적이 몇 번 있나요?")
    assert out["answer"].split("\n")[0] == "증거에서 날짜가 확인되는 것은 모두 1차례입니다: 2024년 6월 22일."


def test_reported_words_are_verbal_abuse_only_when_they_insult() -> None:
    assert _match("시어머니가 폭언을 했나요?", "시어머니가 나한테 집안 망신시키는 며느리라고 하셨어") > 0
    assert _match("남편이 욕을 했나요?", "2024년 2월 14일 남편은 거래처 접대라고 했습니다.") == 0
    assert _match("남편이 가출했나요?", "주말에 애들 데리고 놀이공원 가자") == 0


def test_a_name_asked_for_is_a_person_named_after_the_role() -> None:
    assert _match("의사 이름은?", "의사 박정우 (서울중앙의원)") > 0
    assert _match("카지노 사이트 이름은 무엇인가요?", "또 새벽까지 카지노 사이트 하고 있던데") == 0
    assert _match("언니의 이름은 무엇인가요?", "민재 데리고 언니 집으로 나왔어") == 0
    assert _match("진단서 발급 병원은 어디인가요?", "담당의 오세훈 (서울밝은정형외과)", "진단서 병원 의사") > 0
