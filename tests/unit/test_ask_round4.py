"""Round 4 of answers that generalise: a lawyer's terse note read as a question (request words, asides in
brackets, date nouns such as 발생일), identity questions without "누구", a person a document calls by a role,
a document's own dated field, a quoted phrase, and counts a document writes."""

from __future__ import annotations

import uuid

import pytest

from leh.analysis.question import Kind, question_kind, question_topic, who_name
from leh.container import Container
from leh.services.ask import NO_ANSWER, plan_question
from tests.support.ask_cases import ask_case as _ask
from tests.support.ask_cases import cited as _cited
from tests.support.ask_cases import put_evidence as _put


# ------------------------------------------------------------------ reading a lawyer's note
@pytest.mark.parametrize(("question", "kind"), [
    ("가정폭력 최초 발생일", Kind.BEGAN),
    ("동거 종료일 특정 요망", Kind.WHEN),
    ("위자료 송금일(계좌 이체 포함)", Kind.WHEN),
    ("자녀 학원비 미납 횟수 및 일자", Kind.HOW_OFTEN),
])
def test_a_date_noun_asks_when(question: str, kind: str) -> None:
    assert question_kind(question) == kind


@pytest.mark.parametrize("question", ["토요일에 누구를 만났어?", "집안일을 나눠서 했나요?", "하루종일 연락이 없었나요?"])
def test_a_weekday_or_housework_is_no_date_noun(question: str) -> None:
    assert question_kind(question) not in (Kind.BEGAN, Kind.STOPPED)
    assert question_kind(question) != Kind.WHEN or "요일" in question


def test_request_words_and_asides_are_not_the_topic() -> None:
    topic = question_topic("처가 방문 경위 확인 바랍니다 (통화 기록 포함)")
    assert topic.nouns == ("처가", "방문")
    assert question_topic("2024. 7. 9.(화) 장모 통화 관련 기재").nouns == ("장모", "통화")
    assert question_topic("경제적 학대 여부 특정 요망").nouns == ("학대",)


@pytest.mark.parametrize(("question", "name"), [
    ("백승호 신원", "백승호"),
    ("편가은 — 원고와의 관계 확인 바랍니다.", "편가은"),
    ("기록에 등장하는 국민재라는 사람은 누구를 말합니까?", "국민재"),
    ("탁미소 씨는 이 사건과 어떤 관련이 있는 인물인지?", "탁미소"),
])
def test_a_name_and_a_word_of_identity_ask_who(question: str, name: str) -> None:
    assert who_name(question) == name
    assert question_kind(question) == Kind.WHO


def test_a_common_noun_with_a_particle_is_no_name() -> None:
    assert who_name("그 남자가 사건에서 맡은 역할") is None
    assert who_name("조서에 적힌 내용과 사건의 관계") is None


def test_a_role_written_another_way_asks_for_that_relative() -> None:
    plan = plan_question("시모 성명 확인 요망")
    assert (plan.kind, plan.role) == (Kind.WHO, "시어머니")


# ------------------------------------------------------------------ answers
@pytest.fixture
def note_case(container: Container) -> str:
    cid = str(uuid.uuid4())
    _put(container, cid, "통지서_연보라.txt", [
        (None, None, "통지서"),
        (None, None, "발신인: 연보라\n수신인: 진태오\n작성일: 2023년 5월 2일"),
        (None, None, "1. 수신인은 2023년 4월 9일 짐을 챙겨 집을 나간 뒤 연락이 없습니다."),
    ])
    _put(container, cid, "확인서_곽다은.txt", [
        (None, None, "확인서"),
        (None, None, "작성자: 곽다은 (연보라의 직장 동료)\n작성일: 2023년 6월 1일"),
        (None, None, "1. 본인은 2023년 3월 중 두 차례(3월 4일, 3월 18일) 연보라의 팔에 든 멍을 보았습니다."),
    ])
    _put(container, cid, "카카오톡_진태오.txt", [
        ("2023-03-04T21:00:00+09:00", "진태오", "또 대들면 그땐 진짜 끝이다"),
        ("2023-03-18T22:00:00+09:00", "진태오", "나가 죽어 버려"),
        ("2023-04-20T10:00:00+09:00", "연보라", "당신 어디 있는지 애들이 물어"),
    ])
    return cid


def test_a_person_a_document_calls_by_a_role_is_found_by_name(container: Container, note_case: str) -> None:
    out = _ask(container, note_case, "진태오가 집을 나간 날짜를 확인해 주세요.")
    assert "짐을 챙겨 집을 나간" in _cited(out)


def test_a_documents_own_dated_field_answers_when_it_was_written(container: Container, note_case: str) -> None:
    out = _ask(container, note_case, "동료의 확인서 작성 일자는?")
    assert "작성일: 2023년 6월 1일" in _cited(out)
    assert "2023년 5월 2일" not in out["answer"]


def test_a_quoted_phrase_is_found_where_it_is_written(container: Container, note_case: str) -> None:
    out = _ask(container, note_case, "'나가 죽어'라는 메시지를 받은 날은 언제인가요?")
    assert "나가 죽어 버려" in _cited(out)
    assert "대들면" not in _cited(out)


def test_a_count_the_document_writes_is_stated(container: Container, note_case: str) -> None:
    out = _ask(container, note_case, "동료가 멍을 본 것은 몇 차례인지 확인 바랍니다.")
    assert "두 차례" in out["answer"] and "두 차례" in _cited(out)


def test_an_identity_note_is_answered_by_the_relation_written(container: Container, note_case: str) -> None:
    out = _ask(container, note_case, "곽다은 — 의뢰인과의 관계 확인 바랍니다.")
    assert "직장 동료" in out["answer"]
    assert _ask(container, note_case, "백승호 신원")["answer"] == NO_ANSWER


@pytest.fixture
def night_case(container: Container) -> str:
    cid = str(uuid.uuid4())
    _put(container, cid, "카카오톡_남궁결.txt", [
        ("2024-12-25T21:00:00+09:00", "위하늘", "크리스마스인데 오늘도 늦어?"),
        ("2024-12-25T23:40:00+09:00", "위하늘", "애들 다 잠들었어"),
        ("2025-01-04T20:00:00+09:00", "위하늘", "어제 편의점 영수증에 있던 추은솔은 누구야?"),
        ("2025-01-04T20:30:00+09:00", "남궁결", "헬스장 같이 다니는 동생이야 신경 꺼"),
        ("2025-01-10T22:00:00+09:00", "남궁결", "오늘 동생네 원룸에서 자고 간다"),
    ])
    _put(container, cid, "카드내역_위하늘.txt", [
        (None, None, "카드 이용내역"),
        (None, None, "2024. 11. 2. 22:10 ○○모텔 숙박 70,000원 (가족카드)"),
        (None, None, "2024. 12. 7. 21:30 ○○호텔 숙박 190,000원 (가족카드)"),
        (None, None, "2024. 12. 28. 19:00 ○○한식당 2인 식사 88,000원 (가족카드)"),
    ])
    return cid


def test_a_where_question_on_a_date_needs_a_passage_that_says_where(container: Container, night_case: str) -> None:
    assert _ask(container, night_case, "12월 25일 밤 남편은 어디에 있었나요?")["answer"] == NO_ANSWER
    assert "원룸에서 자고 간다" in _cited(_ask(container, night_case, "1월 10일 남편은 어디서 잤는지 확인 바랍니다."))


def test_a_reply_that_day_answers_what_someone_was_called(container: Container, night_case: str) -> None:
    out = _ask(container, night_case, "1월 4일 남편은 추은솔을 누구라고 했는지")
    assert "헬스장 같이 다니는 동생" in _cited(out)


def test_the_last_of_what_is_asked_is_not_the_last_of_a_part_of_it(container: Container, night_case: str) -> None:
    out = _ask(container, night_case, "가족카드로 숙박업소 결제된 마지막 일자")
    assert "○○호텔 숙박" in _cited(out)
    assert "한식당" not in _cited(out)


@pytest.fixture
def loan_case(container: Container) -> str:
    cid = str(uuid.uuid4())
    _put(container, cid, "카카오톡_차민혁.txt", [
        ("2024-05-02T09:00:00+09:00", "선우나래", "당신 경마장 가느라 진 빚 얼마야"),
        ("2024-05-02T09:30:00+09:00", "차민혁", "별거 아니야 금방 갚아"),
        ("2024-06-11T23:00:00+09:00", "선우나래", "오늘도 집에 안 들어와? 애가 기다려"),
    ])
    _put(container, cid, "진술서_선우나래.txt", [
        (None, None, "진술서"),
        (None, None, "1. 남편은 2024년 6월 10일 집을 나가 귀가하지 않고 있습니다."),
        (None, None, "2. 남편의 친구 국지한은 저에게 전화로 돈을 갚으라고 했습니다."),
    ])
    return cid


def test_a_name_asked_for_needs_a_name_written_next_to_the_thing(container: Container, loan_case: str) -> None:
    assert _ask(container, loan_case, "남편이 다닌 경마장의 이름은 무엇입니까?")["answer"] == NO_ANSWER


def test_a_message_sent_by_a_named_person_is_one_they_wrote(container: Container, loan_case: str) -> None:
    assert _ask(container, loan_case, "국지한이 원고에게 직접 보낸 카톡이 있나요?")["answer"] == NO_ANSWER
    assert "별거 아니야" in _cited(_ask(container, loan_case, "차민혁이 빚에 대해 보낸 메시지가 있나요?"))


def test_a_return_is_not_shown_by_a_line_that_says_he_did_not_come_back(container: Container,
                                                                         loan_case: str) -> None:
    assert question_topic("남편이 집을 나갔다가 다시 들어온 날은?").verbs == ("들어오",)
    assert _ask(container, loan_case, "남편이 집을 나갔다가 다시 들어온 날은 언제입니까?")["answer"] == NO_ANSWER


@pytest.mark.parametrize(("question", "kind"), [
    ("법인카드 주유 결제 건수", Kind.HOW_OFTEN),
    ("남편 야간 외출 및 외박 시작 시기", Kind.BEGAN),
    ("아내가 별거 의사를 처음 밝힌 날", Kind.BEGAN),
])
def test_count_and_start_nouns_ask_how_often_and_when_it_began(question: str, kind: str) -> None:
    assert question_kind(question) == kind
    assert "의사" not in question_topic("아내가 별거 의사를 처음 밝힌 날").nouns


def test_a_log_entrys_own_date_is_not_the_day_of_what_it_records() -> None:
    from leh.analysis.answer import Passage
    entry = Passage(evidence_id="e", seq=1, text="2024. 5. 20. 2차 상담. 내담자는 2024년 4월 2일 밤 맞았다고 함.", ts=None,
                    speaker=None, filename="상담일지.txt", kind="text", doc_year=2024)
    row = Passage(evidence_id="e", seq=2, text="2024. 5. 20. ○○약국 12,000원", ts=None, speaker=None,
                  filename="카드내역.txt", kind="text", doc_year=2024)
    assert entry.event_days() == [(2024, 4, 2)]
    assert row.event_days() == [(2024, 5, 20)]


@pytest.fixture
def log_case(container: Container) -> str:
    cid = str(uuid.uuid4())
    _put(container, cid, "상담일지_채하린.txt", [
        (None, None, "상담일지\n상담원: 봉미래\n내담자: 채하린"),
        (None, None, "2024. 5. 20. 1차 상담. 남편은 2024년 3월 9일, 4월 2일 두 차례 내담자의 몸에 손을 댔다고 함."),
        (None, None, "2024. 6. 3. 2차 상담. 남편은 2024년 5월 28일 짐을 빼서 누나 집으로 갔다고 함."),
    ])
    _put(container, cid, "카카오톡_도윤재.txt", [
        ("2024-02-14T20:00:00+09:00", "채하린", "오늘 초콜릿 사 왔는데 또 늦어?"),
        ("2024-02-14T23:00:00+09:00", "도윤재", "거래처 접대라 못 들어가"),
    ])
    return cid


def test_a_counselling_log_counts_the_days_it_records(container: Container, log_case: str) -> None:
    out = _ask(container, log_case, "남편이 의뢰인 몸에 손댄 횟수")
    assert "두 차례" in out["answer"]
    assert "2024년 5월 20일" not in out["answer"].split("\n")[0]


def test_a_place_on_a_date_and_a_named_day(container: Container, log_case: str) -> None:
    assert "누나 집으로 갔다" in _cited(_ask(container, log_case, "5월 28일 남편이 간 곳은 어디인지 확인 바랍니다."))
    assert "거래처 접대" in _cited(_ask(container, log_case, "발렌타인데이 당일 남편 행적"))


def test_the_person_of_a_role_is_a_name_not_a_proper_noun_of_a_thing(container: Container) -> None:
    cid = str(uuid.uuid4())
    _put(container, cid, "카드내역_진하람.txt", [
        (None, None, "카드 이용내역"),
        (None, None, "2024. 9. 6. 23:10 ○○모텔 숙박 80,000원 (가족카드)"),
        (None, None, "2024. 9. 20. 22:40 ○○모텔 숙박 80,000원 (가족카드)"),
    ])
    _put(container, cid, "진술서_진하람.txt", [
        (None, None, "진술서"),
        (None, None, "1. 남편은 2024년 9월부터 회사 후배 봉수아와 모텔에 드나들었습니다."),
        (None, None, "2. 봉수아는 남편의 회사 후배로 2024년 9월 6일에도 남편과 함께 있었습니다."),
    ])
    out = _ask(container, cid, "남편이 만난다는 여자 이름은")
    assert "봉수아" in out["answer"]
    assert "가족카드입니다" not in out["answer"]


def test_a_notes_nouns_are_found_in_everyday_words(container: Container) -> None:
    cid = str(uuid.uuid4())
    _put(container, cid, "상담기록_문새봄.txt", [
        (None, None, "상담기록\n내담자: 문새봄"),
        (None, None, "2024. 8. 1. 1회 상담. 남편이 2024년 2월 3일부터 술만 마시면 물건을 부수었다고 진술함."),
    ])
    assert "물건을 부수었다" in _cited(_ask(container, cid, "음주 후 기물 파손 시작 시기"))


def test_who_said_the_quoted_words_is_answered_by_the_messages_that_write_them(container: Container) -> None:
    cid = str(uuid.uuid4())
    _put(container, cid, "카카오톡_대화_구말순.txt", [
        ("2025-09-01T21:10:00+09:00", "구말순", "우리 아들 등골 빼먹는 이 식충이 같은 것아"),
        ("2025-09-01T21:12:00+09:00", "나다정", "어머님 그런 말씀은 너무하세요"),
    ])
    _put(container, cid, "상담일지_나다정.txt", [
        (None, None, "상담일지"),
        ("2025-09-03T00:00:00+09:00", None, "내담자는 시어머니에게서 '식충이'라는 말을 들었다고 함."),
    ])
    assert who_name("며느리더러 '식충이 같은 것'이라고 한 사람은 누구입니까?") is None  # the quote names nobody
    out = _ask(container, cid, "며느리더러 '식충이 같은 것'이라고 한 사람은 누구입니까?")
    assert "구말순이 “우리 아들 등골 빼먹는 이 식충이 같은 것아”라고 보냈습니다" in out["answer"], out["answer"]
    assert "2025년 9월 1일" in out["answer"] and "식충이 같은 것아" in _cited(out)
    # Words nobody wrote are refused, not guessed.
    assert _ask(container, cid, "'밥버러지'라고 한 사람은 누구죠?")["answer"] == NO_ANSWER
