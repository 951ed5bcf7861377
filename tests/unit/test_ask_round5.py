"""Round 5 of answers that generalise: where a place is stated (not a place left), a document's dated field by the
word it dates, bare ledger amounts, the noun a note asks for before its request words, who-questions that ask for
another person than the one they name, frequency words, a name written next to the thing asked."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.question import Kind, Wants, question_kind, question_topic, question_wants, value_in, who_name
from leh.container import Container
from leh.services.ask import NO_ANSWER, plan_question
from tests.support.ask_cases import ask_case as _ask
from tests.support.ask_cases import cited as _cited
from tests.support.ask_cases import put_evidence as _put


# ------------------------------------------------------------------ a date question asking where
def _moving_case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화.txt", [
        ("2024-09-03T10:00:00+09:00", "오민규", "나 오늘 나간다. 애들은 당신이 챙겨"),
        ("2024-10-12T18:00:00+09:00", "오민규", "당분간 형 오피스텔에 있을 거야 연락하지 마"),
    ])
    _put(container, case_id, "진술서.txt", [
        (None, None, "진술서"),
        (None, None, "2024. 9. 3. 남편은 아이들을 두고 집을 나갔습니다."),
        (None, None, "2024. 10. 12. 남편은 짐을 싸서 형의 오피스텔로 옮겼습니다."),
    ])
    return case_id


def test_where_on_a_day_is_answered_by_the_place_gone_to(container: Container) -> None:
    out = _ask(container, _moving_case(container), "10/12 남편이 향한 곳은 어디인지 확인 바랍니다")
    assert out["answer"] != NO_ANSWER
    assert "오피스텔" in _cited(out)


def test_where_on_a_day_is_refused_when_only_leaving_is_written(container: Container) -> None:
    """"집을 나갔습니다" and "나 오늘 나간다" say where from, not where to."""
    out = _ask(container, _moving_case(container), "2024.9.3 남편이 간 곳이 어디인지?")
    assert out == {"answer": NO_ANSWER, "citations": []}


def test_a_where_questions_verb_of_going_is_no_topic() -> None:
    plan = plan_question("3/7 아내가 머문 곳은 어디?")
    assert plan.kind == Kind.ON_DATE and "머물" not in plan.topic.verbs and "머무르" not in plan.topic.verbs


def test_a_generic_event_noun_on_a_date_asks_what_happened() -> None:
    assert question_topic("6/2자 사건 관련 기재 확인 바랍니다").empty
    assert "항목" not in question_topic("2024.6.2 카드 결제 항목").nouns


# ------------------------------------------------------------------ a document's dated field
def _loan_case(container: Container) -> str:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "대출안내문.txt", [
        (None, None, "대출 안내 (한빛캐피탈)\n수신: 노은채 귀하"),
        (None, None, "대출 실행일: 2024년 8월 9일\n대출 금액: 15,000,000원"),
    ])
    _put(container, case_id, "진단서.txt", [
        (None, None, "진단서\n환자 성명: 노은채"),
        (None, None, "진료 일자: 2024년 9월 1일\n향후 치료 의견: 2주간 안정"),
    ])
    return case_id


def test_a_two_word_field_is_the_date_asked_with_the_document_named_by_its_heading(container: Container) -> None:
    out = _ask(container, _loan_case(container), "한빛캐피탈 대출 실행일?")
    assert "대출 실행일: 2024년 8월 9일" in _cited(out)


def test_a_field_of_another_word_does_not_date_what_is_asked(container: Container) -> None:
    """The 진단서's 진료 일자 is no 수술 예정일."""
    out = _ask(container, _loan_case(container), "진단서상 수술 예정일")
    assert out == {"answer": NO_ANSWER, "citations": []}


# ------------------------------------------------------------------ amounts in ledger rows
def test_a_ledger_rows_bare_figure_is_an_amount() -> None:
    assert value_in(Wants.AMOUNT, "2024.05.10 입금 850,000 생활비") == "850,000"
    assert value_in(Wants.AMOUNT, "계좌 123-456-7890 조회") is None
    assert value_in(Wants.AMOUNT, "2024.05.10 입금") is None


def test_the_last_transfer_and_its_amount_from_bank_rows(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "거래내역.txt", [
        (None, None, "입출금 거래내역"),
        (None, None, "2024.05.10 입금 1,200,000 우태오 생활비"),
        (None, None, "2024.06.10 입금 900,000 우태오 생활비"),
        (None, None, "2024.06.20 출금 50,000 관리비"),
    ])
    out = _ask(container, case_id, "생활비 마지막 입금일 및 금액")
    assert out["answer"].startswith("마지막 증거는 2024년 6월 10일")


def test_an_amount_of_another_persons_row_is_not_the_asked_persons(container: Container) -> None:
    """A row that writes another person the document names ("급여 우태오") is no income of 남보미."""
    case_id = str(uuid.uuid4())
    _put(container, case_id, "거래내역.txt", [
        (None, None, "공동계좌 거래내역 (예금주 우태오·남보미)"),
        (None, None, "2024.05.07 입금 3,100,000 급여 우태오"),
        (None, None, "2024.05.09 출금 400,000 남보미 체크 → 쇼핑몰"),
    ])
    assert _ask(container, case_id, "남보미의 월 수입은?") == {"answer": NO_ANSWER, "citations": []}


# ------------------------------------------------------------------ what a note asks for
def test_the_noun_before_a_notes_request_words_is_asked_for() -> None:
    assert question_topic("경마 사이트 도메인 확인 바랍니다").head == "도메인"
    assert question_wants("아내 연봉 확인 바랍니다") == Wants.AMOUNT


def test_a_thing_is_named_only_by_a_name_written_next_to_it(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "내용증명.txt", [
        (None, None, "내용증명"),
        (None, None, "1. 수신인은 신한카드 카드론 1,000만원과 캐피탈 대출을 발신인 몰래 받았습니다."),
    ])
    assert _ask(container, case_id, "캐피탈 이름을 특정해 주십시오.") == {"answer": NO_ANSWER, "citations": []}
    _put(container, case_id, "상담일지.txt", [(None, None, "상담일지"), (None, None, "담당 변호사: 진하람")])
    out = _ask(container, case_id, "담당 변호사 성명")
    assert "진하람" in _cited(out)


# ------------------------------------------------------------------ who
@pytest.mark.parametrize("question", [
    "편도현이 만나던 여성이 누구인지 특정해 주세요.",
    "남궁솔이 때린 사람은 누구?",
])
def test_a_name_that_acts_in_a_clause_is_not_who_is_asked(question: str) -> None:
    assert who_name(question) is None


@pytest.mark.parametrize("question", ["편도현에 대한 재판 선고일이 언제죠?", "내용증명에 대해 상대방이 회신한 날짜?"])
def test_something_asked_about_a_name_is_not_who_it_is(question: str) -> None:
    assert who_name(question) is None
    assert question_kind(question) == Kind.WHEN
    assert who_name("편도현에 대해 알려줘") == "편도현"


def test_the_person_met_is_found_by_the_questions_own_act(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화.txt", [
        ("2024-04-02T21:00:00+09:00", "류시온", "그래 만났어. 서진이랑. 끝낼게"),
        ("2024-04-02T21:05:00+09:00", "도하나", "회사 사람이잖아"),
    ])
    _put(container, case_id, "상담일지.txt", [
        (None, None, "상담일지"),
        (None, None, "2024. 5. 1. 의뢰인은 남편의 직장 동료 탁서진과의 관계를 의심함."),
        (None, None, "2024. 5. 20. 남편이 탁서진과 주말마다 외출한다고 함."),
    ])
    out = _ask(container, case_id, "류시온이 만나던 여성이 누구인지 특정해 주세요.")
    assert out["answer"].startswith("관련 기재에 나오는 사람은 탁서진입니다")
    assert "만났어" in _cited(out)


# ------------------------------------------------------------------ how often
def test_how_common_asks_how_often() -> None:
    question = "술 마신 날 물건을 부순 일이 얼마나 잦았는지?"
    assert question_kind(question) == Kind.HOW_OFTEN
    assert question_wants(question) == Wants.NONE


# ------------------------------------------------------------------ the act asked
def test_a_records_verb_is_no_act_the_evidence_must_write() -> None:
    topic = question_topic("꽃집 결제가 찍힌 날짜 알려주세요.")
    assert "찍히" not in topic.verbs and "결제" in topic.nouns


def test_a_predicate_that_is_the_whole_topic_needs_every_act(container: Container) -> None:
    """"취해서 전화하는 일 언제부터": a line about drinking alone is not it; "감시하거나 추적한" takes either."""
    case_id = str(uuid.uuid4())
    _put(container, case_id, "상담일지.txt", [
        (None, None, "상담일지"),
        (None, None, "2024. 3. 2. 남편이 술에 취해 물건을 부쉈다고 함."),
        (None, None, "2024. 6. 11. 남편이 새벽마다 취해서 전화한다고 함."),
        (None, None, "2024. 7. 1. 남편이 전화로 아이 안부를 물었다고 함."),
    ])
    out = _ask(container, case_id, "남편이 밤마다 취해서 전화하는 일은 언제부터 있었나요?")
    assert out["answer"].startswith("가장 이른 증거는 2024년 6월 11일") and "3월 2일" not in out["answer"]


def test_the_last_time_is_not_another_relatives_act_nor_a_line_saying_it_did_not_happen(container: Container) -> None:
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화.txt", [
        ("2024-09-21T19:00:00+09:00", "엄태식", "벌써 2주째 아이 전화 안 받네"),
    ])
    _put(container, case_id, "상담일지.txt", [
        (None, None, "상담일지"),
        ("2024-09-28T00:00:00+09:00", None, "2024. 9. 28. 아내가 집을 나간 뒤 아들에게 전화한 것은 9월 3일 한 번뿐이라고 함."),
        ("2024-09-28T00:00:00+09:00", None, "2024. 9. 28. 장모 공미란이 의뢰인에게 전화해 아들 얘기를 했다고 함."),
    ])
    out = _ask(container, case_id, "아내가 아들과 마지막으로 통화한 날")
    assert "2024년 9월 3일" in out["answer"] and "한 번뿐" in _cited(out)
    assert "장모" not in _cited(out) and "안 받네" not in _cited(out)


def test_the_latest_incident_is_not_the_day_a_log_wrote_down_a_report(container: Container) -> None:
    """"2024. 11. 5. 내담자는 … 봄부터 … 진술함" was written on 5 November; the last blow it knows is 9 October.
    A card row's own date ("2024. 3. 16. 한솔모텔 70,000원") is its event."""
    case_id = str(uuid.uuid4())
    _put(container, case_id, "카카오톡_대화.txt", [
        ("2024-10-09T22:00:00+09:00", "변소율", "또 술 먹고 나를 밀쳤지 애들 다 봤어"),
    ])
    _put(container, case_id, "상담기록.txt", [
        (None, None, "상담기록"),
        ("2024-11-05T00:00:00+09:00", None, "2024. 11. 5. 내담자는 남편이 올봄부터 술만 마시면 폭력을 휘둘렀다고 진술함."),
    ])
    out = _ask(container, case_id, "남편의 폭력 중 가장 최근 것은 언제인가요?")
    assert "증거는 2024년 10월 9일" in out["answer"] and "증거는 2024년 11월 5일" not in out["answer"]
    rows = str(uuid.uuid4())
    _put(container, rows, "카드이용내역.txt", [
        (None, None, "카드 이용내역"),
        ("2024-03-01T00:00:00+09:00", None, "2024. 3. 1. 한솔모텔 60,000원"),
        ("2024-03-16T00:00:00+09:00", None, "2024. 3. 16. 한솔모텔 70,000원"),
    ])
    assert _ask(container, rows, "모텔 결제가 마지막으로 있었던 날은?")["answer"].startswith("마지막 증거는 2024년 3월 16일")
