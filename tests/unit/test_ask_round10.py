"""Round 10: no offline answer states a number its cited passages do not hold, not even a piece of one."""

from __future__ import annotations

from leh.analysis.answer import Passage, item, quote
from leh.analysis.answer_check import unsupported

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
