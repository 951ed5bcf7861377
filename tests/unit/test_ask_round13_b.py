"""Round 13b: when something began said in words ("이번 달부터는", "결혼 3년 차부터", "워크숍 다녀온 뒤로"), in a
message too; a child the evidence calls by a given name is the 딸/아이 asked; a relation asked from the other side
("처남 되시는 분 성함", "제 매형"); a statement's month written only in its file name; a holiday dated by a
relative year ("작년 추석"); "가장 이른 시점" asks a beginning; a noun made a verb ("지목하는") is no name."""

from __future__ import annotations

import uuid
from typing import Any

from leh.analysis.answer import since_worded
from leh.analysis.question import Kind, question_kind, who_name
from leh.analysis.relations import child_given_names, relation_from_the_other_side
from leh.container import Container
from leh.services.ask import NO_ANSWER, file_months, plan_question
from tests.support.ask_cases import ask_case, cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "탁은결", "aliases": ["은결", "아내"], "party": "client", "role": "원고"},
    {"name": "반지호", "aliases": ["지호", "남편"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    return ask_case(c, cid, question, _PARTIES)


def test_a_time_said_in_words_before_buteo_is_a_stated_beginning() -> None:
    for said in ("이번 달부터는 양육비 못 보내", "2023년 봄 무렵부터 그랬습니다", "결혼 3년 차부터 시작됐어요",
                 "작년 겨울 동창회 끝나고부터 연락했대", "출장 다녀온 뒤로 밤마다 통화를 했습니다", "7월 초부터 안 들어와"):
        assert since_worded(said), said
    for not_said in ("처음부터 그랬어", "아까부터 기다렸어", "그 얘기부터 하자", "3시부터 회의"):
        assert not since_worded(not_said), not_said


def test_a_beginning_said_in_a_message_is_cited_before_the_earliest_line(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_반지호.txt", [
        ("2025-07-10T09:00:00", "탁은결", "이번 달 양육비 아직 안 들어왔어"),
        ("2025-07-12T21:30:00", "반지호", "이번 달부터는 양육비 못 보내. 나도 힘들어"),
        ("2025-09-02T08:10:00", "탁은결", "양육비 석 달째 안 들어왔어"),
    ])
    for question in ("양육비가 끊긴 건 언제부터예요?", "양육비 안 보내기 시작한 게 언제부터인지 확인 바랍니다", "양육비 중단 시점은 언제부터?"):
        out = _ask(container, cid, question)
        assert out["answer"] != NO_ANSWER, question
        first = out["answer"].split("\n")[0]
        assert "이번 달부터는" in first and "[1]" in first, question


def test_a_beginning_stated_in_a_statement_is_cited(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_탁은결.txt", [
        (None, None, "진술서"),
        (None, None, "진술인: 탁은결"),
        (None, None, "시어머니 노순임은 결혼 3년 차부터 저에게 폭언을 했습니다."),
    ])
    put_evidence(container, cid, "카카오톡_대화_노순임.txt", [
        ("2025-03-02T20:00:00", "노순임", "너 같은 게 무슨 며느리냐 이 폭언도 아깝다"),
    ])
    out = _ask(container, cid, "시어머니 폭언은 언제부터 있었나요")
    assert "결혼 3년 차부터" in cited(out)
    assert "결혼 3년 차부터" in out["answer"]


def test_a_child_called_by_a_given_name_is_the_daughter_asked(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_탁은결.txt", [
        (None, None, "진술서"),
        (None, None, "2025. 5. 3. 피고가 다솜이를 시댁으로 데려간 뒤로 딸은 그 집에서 지냅니다."),
        ("2025-05-24", None, "2025. 5. 24. 시댁 앞 공원에서 다솜이를 한 시간 만났습니다."),
        ("2025-06-14", None, "2025. 6. 14. 다솜이를 두 번째로 만났는데 헤어질 때 딸이 울었습니다."),
        ("2025-07-05", None, "2025. 7. 5. 다솜이를 다시 만났습니다."),
    ])
    for question in ("딸을 만난 횟수는요?", "떨어져 지낸 뒤 딸이랑 몇 번 만났나요", "아이를 만난 건 모두 몇 차례입니까?"):
        out = _ask(container, cid, question)
        assert "3차례" in out["answer"], question
        assert "5. 24." in cited(out) and "6. 14." in cited(out) and "7. 5." in cited(out), question


def test_child_given_names_needs_the_word_for_the_child_and_is_no_adult() -> None:
    texts = ["라온이를 데리러 갔는데 딸이 울었어", "라온이는 잘 자", "다온이랑 만났다고? 애가 다 들었어", "다온이랑 또 봤지"]
    found = child_given_names(texts, known=["추다온"])
    assert found.get("딸") == ("라온",) and found.get("아이") == ("라온",)
    assert "다온" not in found.get("애", ())
    assert child_given_names(["라온이를 데리러 갔어", "라온이는 잘 자"]) == {}  # no word for a child: no role


def test_a_relation_asked_from_the_other_side(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "사실확인서_탁무열.txt", [
        (None, None, "사실확인서"),
        (None, None, "작성자: 탁무열"),
        (None, None, "저는 원고의 동생이고 피고 반지호는 제 매형입니다."),
        (None, None, "2025년 4월 9일 매형이 누나에게 소리 지르는 것을 들었습니다."),
    ])
    for question in ("피고 쪽에서 보면 처남인 사람 이름?", "처남 되시는 분 성함 알려주세요", "피고의 처남은 누구입니까"):
        out = _ask(container, cid, question)
        assert "탁무열" in out["answer"], question
    assert plan_question("딸이 다니는 어린이집 이름은?").role is None  # the name of the 어린이집, not of the 딸


def test_relation_from_the_other_side_reads_the_writer() -> None:
    lines = ["확인서", "성명: 변하늘", "반지호 씨는 제 형부입니다."]
    assert relation_from_the_other_side("처제", lines) == "변하늘"
    assert relation_from_the_other_side("처남", lines) is None  # 형부 makes her his 처제, not 처남
    assert relation_from_the_other_side("며느리", ["진술인: 노순임", "제 시어머니는 …"]) == "노순임"
    assert relation_from_the_other_side("처남", ["반지호는 제 매형입니다."]) is None  # no writer line


def test_a_statements_month_written_only_in_its_file_name(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카드명세서_2025년4월.txt", [
        (None, None, "누리카드 이용대금 명세서"),
        (None, None, "결제일: 2025년 5월 15일"),
        ("2025-04-03", None, "04.03 마트 52,000원"),
    ])
    put_evidence(container, cid, "카드명세서_202505.txt", [
        (None, None, "누리카드 이용대금 명세서"),
        (None, None, "결제일: 2025년 6월 16일"),
        ("2025-05-07", None, "05.07 주유소 70,000원"),
    ])
    for question in ("5월분 카드 명세서 결제일?", "5월 명세서 결제일은 언제인가요", "카드 명세서 5월분 결제일 확인 바랍니다"):
        out = _ask(container, cid, question)
        assert "6월 16일" in cited(out) and "5월 15일" not in cited(out), question
    assert file_months("카드명세서_2025년4월.txt") == [(2025, 4)] and file_months("통장_20250301_20250331.txt") == []


def test_a_holiday_of_a_relative_year_is_found_by_the_lines_that_write_it(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "메모_탁은결.txt", [
        ("2024-09-17", None, "2024. 9. 17. 추석 당일 남편이 시댁에 오지 않고 친구와 낚시를 갔다고 함."),
        ("2025-01-29", None, "2025. 1. 29. 설날 시어머니가 나에게 집에서 나가라고 소리침."),
    ])
    out = _ask(container, cid, "작년 추석에 남편 관련해서 무슨 일 있었는지")
    assert "낚시" in cited(out) and "설날" not in cited(out)
    new_year = _ask(container, cid, "올해 설날에 시어머니가 한 말은 뭐였나요?")
    assert "나가라고" in cited(new_year) and "낚시" not in cited(new_year)


def test_the_earliest_asked_is_a_beginning_and_a_verb_of_a_noun_is_no_name() -> None:
    assert question_kind("남편과 상간녀 관계, 증거상 가장 이른 시점은?") == Kind.BEGAN
    assert "이르" not in plan_question("폭언이 있었던 증거상 가장 이른 날은?").topic.verbs
    for began in ("아이 결석은 며칠부터 이어지고 있나", "몇 월부터 생활비가 끊겼나요", "언제쯤부터 외박이 계속됐어요?"):
        plan = plan_question(began)
        assert plan.kind == Kind.BEGAN and not set(plan.topic.verbs) & {"이어지", "계속"}, began
    assert question_kind("며칠부터 며칠까지 여행 갔나요") != Kind.BEGAN  # a period, not a beginning
    assert who_name("원고 측이 바람 상대로 지목하는 남자가 누구인지 알려주세요") is None
    assert who_name("용하진은 누구인가요?") == "용하진"
