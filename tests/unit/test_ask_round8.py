"""Round 8 (issue #13, dev): a 문자 내역's heading says whose messages its rows are, "몇 통" asks a count, and the
answer's same-day lines are ordered by upload, then file name, never by the random evidence id."""

from __future__ import annotations

import uuid

from leh.analysis.answer import Passage, on_date, render
from leh.analysis.question import Kind, question_date, question_kind
from leh.container import Container
from tests.support.ask_cases import ask_case, cited, put_evidence

TEXTS = [
    (None, None, "문자 메시지 내역 (주은결 휴대전화 수신, 발신자 하도겸 010-****-1234, 피고의 오빠)"),
    ("2024-05-02T21:10:00+09:00", None, "2024.05.02 21:10 | 동생 일 더 떠들고 다니면 가만 안 있어요"),
    ("2024-05-09T23:40:00+09:00", None, "2024.05.09 23:40 | 내일 회사 앞에서 봅시다"),
    ("2024-05-20T07:05:00+09:00", None, "2024.05.20 07:05 | 연락 안 받으면 집으로 갑니다"),
]


def test_a_message_logs_heading_says_whose_every_row_is(container: Container) -> None:
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "문자내역_하도겸.txt", TEXTS)
    put_evidence(container, case_id, "상담일지.txt", [
        ("2024-06-01T00:00:00+09:00", None, "1. 상대방의 오빠 하도겸이 협박 문자를 보낸다고 함.")])
    out = ask_case(container, case_id, "하도겸한테서 받은 문자는 총 몇 통입니까?")
    assert "모두 3건" in out["answer"]  # messages counted one by one (round 11), here one a day
    assert "내일 회사 앞에서" in cited(out) and "집으로 갑니다" in cited(out)
    assert "문자 메시지 내역" not in cited(out)  # the heading is no message
    began = ask_case(container, case_id, "하도겸 문자는 언제부터 오기 시작했나요?")
    assert "가장 이른 증거는 2024년 5월 2일" in began["answer"]


def test_a_long_line_that_is_a_sentence_is_no_heading(container: Container) -> None:
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "메모.txt", [
        (None, None, "저는 2024년 봄부터 남편의 휴대전화를 보지 못했고 그 뒤로 연락이 줄었습니다."),
        ("2024-05-02T21:10:00+09:00", None, "2024.05.02 21:10 | 내일 회사 앞에서 봅시다")])
    out = ask_case(container, case_id, "휴대전화 문자는 몇 통입니까?")
    assert "회사 앞에서" not in cited(out)  # 문자 is no word of this document's title or name


def test_how_many_messages_is_a_count_and_a_bankbook_is_not() -> None:
    assert question_kind("처남한테서 받은 문자는 몇 통인가요?") == Kind.HOW_OFTEN
    assert question_kind("몇 통화를 했나요?") == Kind.HOW_OFTEN
    assert question_kind("아내가 몇 통장에 돈을 나눠 넣었는지 확인 바랍니다") != Kind.HOW_OFTEN


def _doc(eid: str, name: str, uploaded: str, text: str) -> Passage:
    return Passage(evidence_id=eid, seq=1, text=text, ts="2024-05-02T00:00:00+09:00", speaker=None, filename=name,
                   kind="text", precision="day", uploaded=uploaded)


def test_same_day_lines_of_two_files_are_in_upload_order_then_by_file_name() -> None:
    rng = question_date("2024년 5월 2일에 무슨 일이 있었나요?")
    assert rng is not None
    first = _doc("ffff", "진술서.txt", "2024-06-01T09:00:00+00:00", "2024. 5. 2. 남편이 집을 나갔습니다.")
    second = _doc("0000", "가계부.txt", "2024-06-02T09:00:00+00:00", "2024. 5. 2. 생활비 입금 없음")
    for order in ([first, second], [second, first]):
        text, _ = render(on_date(rng, order), [])
        assert text.index("집을 나갔") < text.index("생활비 입금")  # uploaded first, whatever the evidence ids
    same = [_doc("ffff", "나.txt", "2024-06-01T09:00:00+00:00", "2024. 5. 2. 둘째 줄"),
            _doc("0000", "다.txt", "2024-06-01T09:00:00+00:00", "2024. 5. 2. 셋째 줄"),
            _doc("9999", "가.txt", "2024-06-01T09:00:00+00:00", "2024. 5. 2. 첫째 줄")]
    text, _ = render(on_date(rng, same), [])
    assert text.index("첫째") < text.index("둘째") < text.index("셋째")


def test_the_case_passages_keep_the_upload_time(container: Container) -> None:
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "나중.txt", [("2024-05-02T00:00:00+09:00", None, "2024. 5. 2. 나중에 올린 파일의 줄")],
                 uploaded_at="2024-06-02T09:00:00+00:00", evidence_id="00000000-0000-0000-0000-000000000000")
    put_evidence(container, case_id, "먼저.txt", [("2024-05-02T00:00:00+09:00", None, "2024. 5. 2. 먼저 올린 파일의 줄")],
                 uploaded_at="2024-06-01T09:00:00+00:00")
    out = ask_case(container, case_id, "2024년 5월 2일에 무슨 일이 있었나요?")
    assert out["answer"].index("먼저 올린") < out["answer"].index("나중에 올린")


def test_a_date_question_about_a_person_alone_is_answered_by_that_persons_lines(container: Container) -> None:
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "문자내역_하도겸.txt", TEXTS)
    put_evidence(container, case_id, "상담일지_주은결.txt", [
        (None, None, "상담일지"),
        ("2024-06-01T00:00:00+09:00", None, "1. 상대방의 오빠 하도겸이 협박 문자를 보낸다고 함."),
        ("2024-05-09T00:00:00+09:00", None, "2. 2024. 5. 9. 의뢰인이 시어머니와 통화함.")])
    put_evidence(container, case_id, "카카오톡.txt", [
        ("2024-05-09T08:00:00+09:00", "주은결", "오늘 오빠 회사로 간대"),
        ("2024-05-09T08:05:00+09:00", "하민아", "알겠어")])
    his = ask_case(container, case_id, "5월 9일 처남이 한 행동은?")
    assert "내일 회사 앞에서" in cited(his)  # his message, by the heading of the log it is a row of
    assert "알겠어" not in cited(his) and "시어머니와 통화" not in cited(his)
    hers = ask_case(container, case_id, "2024. 5. 9. 주은결 씨가 새로 알게 된 사실")
    assert "오빠 회사로 간대" in cited(hers) and "알겠어" not in cited(hers)
    nobody = ask_case(container, case_id, "5월 9일 변호사가 한 행동은?")  # no person the case names
    assert "알겠어" not in cited(nobody)


def test_a_row_of_a_message_log_is_about_a_person_only_when_it_or_its_heading_writes_them(container: Container) -> None:
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "문자내역_하도겸.txt", [
        (None, None, "문자 메시지 내역 (주은결 휴대전화 수신, 발신자 하도겸 010-****-1234, 남편)"),
        ("2024-05-02T21:10:00+09:00", None, "2024.05.02 21:10 | 하은이 주말에 내가 데려간다"),
        ("2024-05-09T23:40:00+09:00", None, "2024.05.09 23:40 | 내일 회사 앞에서 봅시다"),
        ("2024-05-20T07:05:00+09:00", None, "2024.05.20 07:05 | 하은이 생일에 내가 간다")])
    out = ask_case(container, case_id, "남편 문자 중 하은이를 언급한 건 몇 번?")
    assert "모두 2차례" in out["answer"]
    assert "회사 앞에서" not in cited(out)  # another row names 하은이, this one does not
