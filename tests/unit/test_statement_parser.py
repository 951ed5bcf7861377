"""Bank and card statements (CSV through the text parser, XLSX built with openpyxl): one segment per transaction."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import statement, text
from leh.pipeline.parsers.base import ParseContext
from tests.support import samples


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949"])
def test_bank_csv_gives_one_dated_segment_per_transaction(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "거래내역.csv"
    path.write_bytes(samples.BANK_CSV.encode(encoding))
    result = text.parse(path, ParseContext(filename=path.name))
    assert result.detected_type == "statement"
    assert [s.text for s in result.segments] == [
        "2024-03-01 23:10:05 ○○모텔 출금 55,000원 (잔액 1,200,000원) 거래점 인터넷",
        "2024-03-02 09:00:00 급여 입금 3,000,000원 (잔액 4,200,000원) 거래점 본점"]  # the total row is left out
    first = result.segments[0]
    assert (first.ts, first.ts_precision) == ("2024-03-01T23:10:05+09:00", "second")
    assert first.ref == {"row": 5, "merchant": "○○모텔", "amount": -55000, "direction": "out", "balance": 1200000}
    assert result.segments[1].ref["amount"] == 3_000_000
    assert result.event_time == "2024-03-01T23:10:05+09:00"


def test_a_csv_that_is_not_a_statement_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "명단.csv"
    path.write_text("이름,전화\n홍길동,010-0000-0000\n", encoding="utf-8")
    result = text.parse(path, ParseContext(filename=path.name))
    assert result.detected_type == "text"
    assert result.segments[0].text == "이름,전화\n홍길동,010-0000-0000"


def test_a_statement_header_without_rows_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "빈내역.csv"
    path.write_text("거래일자,적요,금액\n조회 결과가 없습니다\n", encoding="utf-8")
    result = text.parse(path, ParseContext(filename=path.name))
    assert result.detected_type == "text" and "조회 결과가 없습니다" in result.segments[0].text


def test_card_xlsx_transactions_with_separate_time_column_and_refunds(tmp_path: Path) -> None:
    path = tmp_path / "raw"  # the worker's copy has no extension
    path.write_bytes(samples.card_xlsx([(datetime(2024, 3, 5), "23:40", "로얄주얼리", 1250000),
                                        ("20240306", None, "○○호텔", -30000), (None, None, "합계", 1220000)]))
    assert detect_type(path, "statement.bin").type == "spreadsheet"
    result = statement.parse_xlsx(path, ParseContext(filename=path.name))
    assert result.detected_type == "statement"
    assert [(s.text, s.ts, s.ts_precision) for s in result.segments] == [
        ("2024-03-05 23:40 로얄주얼리 1,250,000원", "2024-03-05T23:40:00+09:00", "minute"),
        ("2024-03-06 ○○호텔 취소 30,000원", "2024-03-06T00:00:00+09:00", "day")]
    assert result.segments[0].ref == {"row": 3, "merchant": "로얄주얼리", "amount": -1250000, "direction": "out",
                                      "sheet": "이용내역"}


def test_other_workbooks_give_one_segment_per_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["날", "메모"])
    sheet.append([datetime(2024, 1, 2), "시어머니 방문"])
    path = tmp_path / "메모.xlsx"
    book.save(path)
    result = statement.parse_xlsx(path, ParseContext(filename=path.name))
    assert result.detected_type == "spreadsheet"
    assert [(s.text, s.ts) for s in result.segments] == [("날 | 메모", None),
                                                         ("2024-01-02 | 시어머니 방문", "2024-01-02T00:00:00+09:00")]


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize(("make", "code"), [
    (lambda: samples.card_xlsx([("2024-03-01", None, "a", 1)])[:2000], "SHEET_CORRUPT"),
    (_bomb, "SHEET_TOO_LARGE"),
    (lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"),
     "OFFICE_ENCRYPTED"),
])
def test_bad_workbooks_fail_with_their_code(tmp_path: Path, make, code: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make())
    with pytest.raises(EvidenceError) as info:
        statement.parse_xlsx(path, ParseContext(filename=path.name))
    assert info.value.code == code
