"""Round 10: no offline answer states a number its cited passages do not hold, not even a piece of one; the affair
partner asked by the role's word ("상간녀가 …") is the person the evidence names in that role."""

from __future__ import annotations

import uuid

from leh.analysis.answer import Claim, Passage, item, quote, render
from leh.analysis.answer_check import unsupported
from leh.container import Container
from leh.services.ask import CaseContext, _names, plan_question
from tests.support.ask_cases import ask_case, cited, put_evidence

STATEMENT = Passage(evidence_id="e1", seq=0,
                    text="새별카드 이용대금 명세서 회원명: 위소담 이용기간: 2025.04.01 ~ 2025.04.30 결제일: 2025.05.25",
                    ts="2025-04-01T00:00:00+09:00", speaker=None, filename="카드이용내역.txt", kind="text")


def test_a_quote_is_never_cut_inside_a_number() -> None:
    line = "성명: 위소담 소속: 새길재활병원 간호부 3병동 직종: 간호사 (입사 2019년 3월) 확인 기간: 2025. 3. 1. ~ 8. 31."
    cut = quote(line)
    assert cut.endswith("확인 기간:…”")  # not "확인 기간: 202…"
    assert quote(STATEMENT.text).endswith("결제일:…”")  # not "결제일: 2…"
    assert quote("짧은 줄 123") == "“짧은 줄 123”"
    assert quote("가" * 58 + " 12345") == "“" + "가" * 58 + "…”"


def test_a_quote_holding_a_piece_of_a_number_is_unsupported() -> None:
    assert unsupported("2025년 4월 1일 카드이용내역.txt에 기재: “회원명: 위소담 이용기간: 2025.04.01 ~ 2025.04.30 결제일: 2…” [1]",
                       [STATEMENT], []) == "number_not_in_sources"
    assert unsupported("2025년 4월 1일 카드이용내역.txt에 기재: “회원명: 위소담 이용기간: 2025.04.01 ~ 2025.04.30 결제일:…” [1]",
                       [STATEMENT], []) is None


def test_an_answer_line_quoting_a_long_document_line_passes_the_check() -> None:
    claim = item(STATEMENT)
    assert "2…" not in claim.text
    assert unsupported(claim.text + " [1]", claim.sources, ["위소담"]) is None


def test_the_affair_partner_asked_by_the_roles_word_is_the_person_the_evidence_names(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_남궁해린.txt", [
        (None, None, "진술서"),
        (None, None, "1. 남편은 2024년 봄부터 회사 동료 여은채와 외도를 하였습니다."),
        (None, None, "2. 남편은 2024년 5월 여은채와 제주도로 여행을 다녀왔고 호텔에서 함께 숙박하였습니다."),
        (None, None, "3. 여은채는 2025년 1월 9일 저에게 전화하여 남편과 내년에 결혼할 것이라고 말하였습니다."),
    ])
    put_evidence(container, cid, "카카오톡_대화_남편.txt", [
        ("2024-06-02T22:10:00+09:00", "남궁해린", "그 여자랑 바람피운 거 다 알아"),
        ("2024-06-02T22:12:00+09:00", "도경민", "그만 좀 해"),
    ])
    out = ask_case(container, cid, "상간녀가 남편이랑 결혼한다고 한 적 있나요?")
    assert "결혼할 것이라고" in cited(out)  # her act, not any line about the affair
    assert "바람피운" not in cited(out) and "제주도로 여행" not in cited(out)
    # a who-question still asks for the person in that role
    assert "여은채" in ask_case(container, cid, "상간녀로 의심되는 사람은 누구야?")["answer"]


def test_a_sentence_naming_a_person_of_the_case_its_passages_do_not_name_is_dropped() -> None:
    other = Passage(evidence_id="e2", seq=1, text="남편은 그날 밤 집에 들어오지 않았습니다.", ts=None, speaker=None,
                    filename="진술서.txt", kind="text")
    ctx = CaseContext(around={}, roles={}, people=("여은채", "남편은"))
    names = _names([STATEMENT, other], plan_question("남편이 외박했나요?"), None, ctx)
    assert "여은채" in names and "남편은" not in names  # a person the documents name; not a word that looks like one
    text, cited_ = render([Claim("여은채와 함께 있었습니다.", [other]), item(other)], names)
    assert "여은채" not in text and cited_ == [other]
