"""Round 3 of answers that generalise: holidays and part-of-month ranges, weekdays, light and framing words
that are not the topic, what a document's kind says of its lines, replies as answers, relatives and unnamed
persons, violence to someone else, and a request that leaves the case's shared passages as they were."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.morph import morphs
from leh.analysis.question import (
    Kind,
    question_date,
    question_kind,
    question_topic,
    time_frame_removed,
    topic_match,
    who_name,
)
from leh.container import Container
from leh.services.ask import NO_ANSWER, case_passages
from tests.support.ask_cases import ask_case as _ask
from tests.support.ask_cases import cited as _cited
from tests.support.ask_cases import put_evidence as _put


# ------------------------------------------------------------------ reading the question
@pytest.mark.parametrize(("question", "start", "end"), [
    ("5월 초순부터 하순까지 무슨 일이 있었는지 정리해 줘", (5, 1), (5, 31)),
    ("4월 중순에서 5월 초 사이에 어떤 일이 있었어?", (4, 11), (5, 10)),
    ("2024년 추석 연휴에 시댁에서 있었던 일은?", (9, 16), (9, 18)),
    ("2023년 설날에 무슨 일이 있었나요?", (1, 22), (1, 22)),
])
def test_part_of_month_ranges_and_lunar_holidays_are_periods(question: str, start: tuple[int, int],
                                                             end: tuple[int, int]) -> None:
    rng = question_date(question)
    assert rng is not None and (rng.start, rng.end) == (start, end)
    assert question_kind(question) == Kind.ON_DATE


def test_a_word_that_only_starts_like_a_holiday_is_no_date() -> None:
    assert question_date("2023년 설명서를 받은 적 있나요?") is None


@pytest.mark.parametrize("question", ["남편이 화분을 깬 게 무슨 요일이었어?", "경찰이 출동한 시각은?",
                                      "아내가 집에 들어온 건 몇 시였나요?"])
def test_weekday_and_time_of_day_questions_ask_when(question: str) -> None:
    assert question_kind(question) == Kind.WHEN


def test_a_name_then_what_role_they_play_is_a_who_question() -> None:
    assert who_name("이서준 씨가 이번 일에서 어떤 역할을 했어?") == "이서준"
    assert who_name("그 여자가 이번 일에서 어떤 역할을 했어?") is None


def test_procedure_and_degree_verbs_leave_the_noun_as_the_topic() -> None:
    topic = question_topic("장모가 치료를 받은 기록이 있어?")
    assert "치료" in topic.nouns and not topic.verbs
    for question in ("아내의 음주가 심해진 건 언제부터야?", "아내의 음주가 많아진 시기는?"):
        topic = question_topic(question)
        assert topic.nouns == ("음주",) and not topic.verbs


def test_a_clause_that_frames_the_time_is_not_the_topic() -> None:
    assert time_frame_removed("아내가 이사를 간 뒤 아이와 통화한 기록이 있어?") == "아내가 아이와 통화한 기록이 있어?"
    assert time_frame_removed("이틀 뒤 무슨 일이 있었어?") == "이틀 뒤 무슨 일이 있었어?"  # a time, not a clause
    topic = question_topic("아내가 이사를 간 뒤 아이와 통화한 기록이 있어?")
    assert "이사" not in topic.nouns


def test_sending_a_message_is_not_the_act_asked_about() -> None:
    topic = question_topic("남편이 겁주는 문자를 보낸 적 있나요?")
    assert "보내" not in topic.verbs


@pytest.mark.parametrize(("question", "tag"), [("시누이가 의뢰인을 비하한 적이 있나요?", "모욕"),
                                               ("남편이 손찌검을 한 날이 언제지?", "폭행")])
def test_a_paraphrase_of_an_act_asks_for_the_act(question: str, tag: str) -> None:
    assert tag in question_topic(question).tags


def test_a_kind_of_act_is_shown_by_its_kinds_but_not_the_other_way() -> None:
    thrown = "어젯밤에 화분을 바닥에 던져서 깨졌어"
    assert topic_match(question_topic("남편이 폭력적인 행동을 한 적 있어?"), thrown, morphs(thrown), set()) > 0
    hit = question_topic("남편이 때린 적 있어?")
    assert topic_match(hit, thrown, morphs(thrown), set()) == 0


def test_what_a_documents_kind_makes_true_supplies_the_act_but_only_there() -> None:
    row = "2024. 9. 3. 해오름 한정식 132,000원"
    topic = question_topic("카드로 결제한 적 있어?")
    assert topic_match(topic, row, morphs(row), set(), "카드 결제", frozenset({"카드", "결제", "이용"})) > 0
    assert topic_match(topic, row, morphs(row), set()) == 0


def test_a_relative_the_question_names_must_be_about_the_passage() -> None:
    line = "장모가 저에게 \"무능한 놈\"이라고 했습니다."
    assert topic_match(question_topic("장모가 욕을 한 적 있어?"), line, morphs(line), set()) > 0
    assert topic_match(question_topic("장인이 욕을 한 적 있어?"), line, morphs(line), set()) == 0


# ------------------------------------------------------------------ answers from a case
@pytest.fixture
def case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화_조민재.txt", [
        ("2024-06-02T20:10:00+09:00", "조민재", "집 팔아서 반 나눠 아니면 나 안 들어가"),
        ("2024-06-09T19:00:00+09:00", "허수아", "다음 주까지 학원비 45만원 보내줘"),
        ("2024-06-09T19:40:00+09:00", "조민재", "이번 달은 못 줘 알아서 해"),
        ("2024-06-21T23:30:00+09:00", "허수아", "방금 화분 던진 거 애들이 다 봤어"),
        ("2024-06-21T23:45:00+09:00", "조민재", "니가 먼저 시작했잖아"),
    ])
    _put(container, case_id, "카드이용내역_조민재.txt", [
        (None, None, "카드 이용내역서"),
        (None, None, "조회 기간: 2024. 6. 1. ~ 2024. 6. 30."),
        ("2024-06-14T20:30:00+09:00", None, "2024. 6. 14. 20:30 해오름 한정식 132,000원"),
    ])
    _put(container, case_id, "사건사고사실확인원_허수아.txt", [
        (None, None, "사건사고사실확인원"),
        (None, None, "신고 일시: 2024년 6월 28일 22시 10분"),
        (None, None, "신고 내용: 남편 조민재가 신고인의 모친을 밀쳐 넘어뜨렸다는 신고"),
    ])
    _put(container, case_id, "진술서_허수아.txt", [
        (None, None, "진술서"),
        (None, None, "1. 남편은 2024년 5월 4일 서가은과 제주도 여행을 다녀왔습니다."),
        (None, None, "2. 서가은은 남편 회사의 후배입니다."),
    ])
    return case_id


def test_the_reply_answers_a_question_about_how_someone_answered(container: Container, case: str) -> None:
    out = _ask(container, case, "학원비를 부탁했을 때 남편은 뭐라고 했나요?")
    assert "이번 달은 못 줘" in _cited(out)


def test_a_card_statement_row_answers_what_was_paid_that_day(container: Container, case: str) -> None:
    out = _ask(container, case, "6월 14일에 카드로 결제된 내역은?")
    assert "해오름 한정식" in _cited(out)


def test_a_statement_period_is_no_event_of_its_first_day(container: Container, case: str) -> None:
    assert _ask(container, case, "2024년 6월 1일에 있었던 일을 알려 줘") == {"answer": NO_ANSWER, "citations": []}


def test_violence_to_another_relative_is_not_violence_to_the_client(container: Container, case: str) -> None:
    assert _ask(container, case, "남편이 의뢰인을 때린 적 있어?") == {"answer": NO_ANSWER, "citations": []}
    assert "모친을 밀쳐" in _cited(_ask(container, case, "남편이 폭력을 쓴 적 있어?"))


def test_a_weekday_question_is_answered_with_the_day_of_the_week(container: Container, case: str) -> None:
    out = _ask(container, case, "화분을 던진 날이 무슨 요일이었지?")
    assert "2024년 6월 21일은 금요일입니다" in out["answer"]  # 2024-06-21 was a Friday
    assert "화분 던진" in _cited(out)


def test_an_unnamed_person_is_found_by_the_names_the_case_writes(container: Container, case: str) -> None:
    out = _ask(container, case, "남편이 다른 여자와 여행을 간 증거가 있어?")
    assert "제주도 여행" in _cited(out)


def test_a_kind_of_utterance_on_a_day_is_answered_by_that_days_messages(container: Container, case: str) -> None:
    out = _ask(container, case, "6월 2일에 남편이 한 요구는 뭐였어?")
    assert "집 팔아서" in _cited(out)
    assert _ask(container, case, "6월 3일에 남편이 한 요구는 뭐였어?")["answer"] == NO_ANSWER


def test_asking_leaves_the_cases_shared_passages_as_they_were(container: Container, case: str) -> None:
    before = [(p.focus, p.rank) for p in case_passages(container.evidence, case)]
    for q in ("6월 14일에 카드로 결제된 내역은?", "남편이 폭력을 쓴 적 있어?", "서가은은 누구야?"):
        _ask(container, case, q)
    assert [(p.focus, p.rank) for p in case_passages(container.evidence, case)] == before


def test_the_name_of_something_a_relative_uses_is_not_the_relatives_name() -> None:
    from leh.services.ask import plan_question

    assert plan_question("아들이 다니는 학원 이름은?").role is None
    assert plan_question("아들 이름이 뭐야?").role == "아들"


@pytest.fixture
def in_law_case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "상담일지_남궁별.txt", [
        (None, None, "상담일지"),
        (None, None, "의뢰인은 아내의 오빠 표지훈이 2024년 2월 3일 전화로 \"밤길 조심하라\"고 했다고 함."),
        (None, None, "의뢰인의 어머니 심영자가 2024년 2월 5일 병원에 입원하였다고 함."),
    ])
    _put(container, case_id, "카드명세서_남궁별.txt", [
        (None, None, "카드 이용 명세서"),
        ("2024-02-10T18:00:00+09:00", None, "2024. 2. 10. 한우마당 86,000원"),
        (None, None, "결제 예정일: 2024. 3. 14."),
    ])
    return case_id


def test_a_brother_in_law_is_found_by_the_name_written_after_오빠(container: Container, in_law_case: str) -> None:
    out = _ask(container, in_law_case, "처남이 협박성 발언을 한 적이 있는지 확인해 주세요")
    assert "밤길 조심하라" in _cited(out)
    assert _ask(container, in_law_case, "처제가 협박한 적 있어?")["answer"] == NO_ANSWER


def test_a_payment_due_date_is_no_event_of_that_day(container: Container, in_law_case: str) -> None:
    assert _ask(container, in_law_case, "2024년 3월 14일에 무슨 일이 있었나요?")["answer"] == NO_ANSWER
    assert "한우마당" in _cited(_ask(container, in_law_case, "2024년 2월 10일에 카드로 산 게 뭐야?"))


@pytest.mark.parametrize(("question", "kind"), [("5월 마지막 주에 무슨 일이 있었어?", Kind.ON_DATE),
                                                ("남편이 욕을 한 날은 모두 며칠이야?", Kind.HOW_OFTEN)])
def test_a_last_week_is_a_period_and_모두_며칠_counts(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_putting_property_in_another_name_is_a_transfer() -> None:
    topic = question_topic("남편이 집을 동생 명의로 돌린 적 있어?")
    assert "명의" not in topic.nouns and "넘기" in topic.verbs
    line = "2. 남편은 2024년 3월 2일 아파트를 남동생에게 증여하였습니다."
    assert topic_match(question_topic("남편이 재산을 다른 사람 명의로 돌린 적 있어?"), line, morphs(line), set()) > 0


def test_the_message_medium_is_dropped_when_the_question_names_what_it_was_about() -> None:
    topic = question_topic("아들 생일날 아내에게 보낸 메시지는?")
    assert "보내" not in topic.verbs and topic.nouns == ("아들", "생일")


def test_an_explanation_asked_for_is_the_reply(container: Container, case: str) -> None:
    out = _ask(container, case, "학원비 요구에 대한 남편의 해명은?")
    assert "이번 달은 못 줘" in _cited(out)


def test_a_label_models_middling_guess_without_a_word_of_the_act_does_not_answer(container: Container) -> None:
    case_id = str(uuid.uuid4())
    doc = _put(container, case_id, "사실확인서_공하늘.txt", [
        (None, None, "사실확인서"),
        (None, None, "1. 그날 모임에는 의뢰인 부부와 다른 손님 세 명이 있었습니다."),
    ])
    doc["hits"] = [{"seq": 1, "tag": "외도", "rule": "model:840-1", "weight": 0.8}]
    container.evidence.put(doc)
    assert _ask(container, case_id, "아내가 외도한 정황이 있나요?")["answer"] == NO_ANSWER
    doc["hits"] = [{"seq": 1, "tag": "외도", "rule": "model:840-1", "weight": 0.95}]
    container.evidence.put(doc)  # a confident guess stands on its own
    assert _ask(container, case_id, "아내가 외도한 정황이 있나요?")["answer"] != NO_ANSWER


@pytest.fixture
def phone_case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화_방세린.txt", [
        ("2024-03-02T23:10:00+09:00", "도건우", "방금 내 노트북 바닥에 던져서 화면 다 깨졌어"),
        ("2024-03-09T01:00:00+09:00", "방세린", "10분 안에 안 오면 너희 본가로 찾아간다"),
        ("2024-03-12T09:00:00+09:00", "도건우", "관리비 12만원 이번 달도 내가 냈어 아이 학원비도 내가 다 냈고"),
    ])
    _put(container, case_id, "노트북수리영수증.txt", [
        (None, None, "노트북 수리 영수증"),
        ("2024-03-04T00:00:00+09:00", None, "고객명: 도건우\n수리 내용: 화면 교체\n금액: 420,000원"),
    ])
    return case_id


def test_an_amount_must_belong_to_the_thing_asked(container: Container, phone_case: str) -> None:
    assert _ask(container, phone_case, "아이 학원비는 얼마였어?")["answer"] == NO_ANSWER  # 12만원 is the 관리비
    assert "12만원" in _ask(container, phone_case, "관리비는 얼마야?")["answer"]


def test_a_receipts_amount_answers_its_fee(container: Container, phone_case: str) -> None:
    assert "420,000원" in _ask(container, phone_case, "노트북 수리비는 얼마 들었어?")["answer"]


def test_a_threat_to_come_is_not_coming(container: Container, phone_case: str) -> None:
    assert "본가로 찾아간다" in _cited(_ask(container, phone_case, "아내가 본가로 찾아가겠다고 한 적 있어?"))
    assert _ask(container, phone_case, "아내가 실제로 본가에 찾아갔나요?")["answer"] == NO_ANSWER


def test_a_thrown_laptop_is_no_blow(container: Container, phone_case: str) -> None:
    assert _ask(container, phone_case, "아내가 의뢰인을 때린 적 있어?")["answer"] == NO_ANSWER


def test_a_concept_is_shown_by_its_kinds_but_a_kind_does_not_widen_back() -> None:
    from leh.analysis.concepts import synonyms

    assert "어린이집" in synonyms("육아") and "육아" not in synonyms("어린이집")
    assert "양육" not in synonyms("어린이집")
