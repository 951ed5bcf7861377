"""Bank and card statements exported as CSV or XLSX: one segment per transaction, dated by the transaction.

A table is a statement when one of its first rows is a header naming a transaction date column (거래일자,
거래일시, 이용일자 …) and an amount column (출금, 입금, 이용금액, 금액 …); the rows above it (account number,
period) are skipped, and rows without a readable date below it (totals, footers) are left out. Each
transaction's segment reads `2024-03-01 23:10 ○○모텔 출금 55,000원 (잔액 1,200,000원)` and its ref carries the
row, the signed amount in won (withdrawals negative), the direction and the merchant, so that the lawyer can
sort and sum them.

CSV arrives through the text parser (any encoding `textdecode` reads); a CSV that is not a statement stays
text. An XLSX workbook comes here directly (`parse_xlsx`, sandboxed): statement sheets become transactions,
and any other sheet becomes one segment per non-empty row.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree

from lxml.etree import LxmlError

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers import dating
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.dates import DEFAULT_TZ, Dated, find_dated, make_datetime

HEADER_SCAN_ROWS: Final = 30
MAX_XLSX_UNCOMPRESSED: Final = 512 * 1024 * 1024  # all parts of a workbook, as its zip directory declares them
MAX_XLSX_RATIO: Final = 200  # a part inflating more than this is a zip bomb, not a statement

_DATE_HEADERS: Final = ("거래일시", "거래일자", "거래일", "이용일시", "이용일자", "이용일", "승인일시", "승인일자",
                        "승인일", "거래날짜", "일자", "날짜", "일시")
_TIME_HEADERS: Final = ("거래시간", "이용시간", "승인시간", "거래시각", "시간", "시각")
_MERCHANT_HEADERS: Final = ("가맹점명", "이용가맹점", "가맹점", "이용하신곳", "적요", "거래내용", "내용", "기재내용",
                            "받는분", "보낸분", "거래처", "상호", "메모")
_OUT_HEADERS: Final = ("출금액", "출금", "찾으신금액", "지급액", "인출액")
_IN_HEADERS: Final = ("입금액", "입금", "맡기신금액", "입금금액")
_AMOUNT_HEADERS: Final = ("이용금액", "승인금액", "거래금액", "결제금액", "금액")
_BALANCE_HEADERS: Final = ("거래후잔액", "잔액", "잔고")
_CORRUPT: Final = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, IndexError, AttributeError,
                   LxmlError, ElementTree.ParseError, zlib.error)
_NUMBER_RX: Final = re.compile(r"^[-+]?\(?[\d,]+(?:\.\d+)?\)?$")


@dataclass(frozen=True)
class Columns:
    """Indexes of the statement's columns in its header row (None: not present)."""

    header: tuple[str, ...]
    when: int
    time: int | None
    merchant: int | None
    out: int | None
    into: int | None
    amount: int | None
    balance: int | None


def _norm(cell: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(cell or ""))).strip("()[]*")


def _find(header: Sequence[str], names: Sequence[str], taken: set[int]) -> int | None:
    """The first column whose name is one of `names` (best first), exactly, else containing it."""
    for exact in (True, False):
        for name in names:
            for i, cell in enumerate(header):
                if i not in taken and (cell == name if exact else name in cell):
                    return i
    return None


def header_columns(row: Sequence[Any]) -> Columns | None:
    """The statement columns if `row` is a statement's header row."""
    header = tuple(_norm(c) for c in row)
    if not any(header) or max(len(c) for c in header) > 20:
        return None
    taken: set[int] = set()
    found: dict[str, int | None] = {}
    for key, names in (("when", _DATE_HEADERS), ("time", _TIME_HEADERS), ("out", _OUT_HEADERS),
                       ("into", _IN_HEADERS), ("balance", _BALANCE_HEADERS), ("amount", _AMOUNT_HEADERS),
                       ("merchant", _MERCHANT_HEADERS)):
        found[key] = _find(header, names, taken)
        if found[key] is not None:
            taken.add(found[key])  # type: ignore[arg-type]
    when = found["when"]
    if when is None or (found["out"] is None and found["into"] is None and found["amount"] is None):
        return None
    return Columns(header=header, when=when, time=found["time"], merchant=found["merchant"], out=found["out"],
                   into=found["into"], amount=found["amount"], balance=found["balance"])


def find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, Columns] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cols = header_columns(row)
        if cols is not None:
            return index, cols
    return None


def _amount(cell: Any) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return round(cell)
    text = _norm(cell).removesuffix("원").replace("₩", "").replace("\\", "")
    if not text or not _NUMBER_RX.match(text):
        return None
    negative = text.startswith("-") or text.startswith("(")
    try:
        value = round(float(text.strip("-+()").replace(",", "")))
    except OverflowError:  # hundreds of digits (float → inf): no amount of money
        return None
    return -value if negative else value


def _when(cell: Any, time_cell: Any, tz: str) -> Dated | None:
    """The transaction's date and time with its precision: a spreadsheet datetime, or text (`20240301`, `2024.03.01
    14:22`), joined with a separate time column when there is one."""
    if isinstance(cell, datetime) and (cell.time() != time(0) or time_cell in (None, "")):
        clock = cell.time()
        at = make_datetime(cell.year, cell.month, cell.day, clock.hour, clock.minute, clock.second, tz=tz)
        if clock == time(0):
            return Dated(at, "day")
        return Dated(at, "second" if clock.second else "minute")
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        cell = cell.isoformat()
    text = str(cell or "").strip()
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2})(?::?(\d{2}))?)?", text)
    if compact:
        y, m, d, hh, mm, ss = compact.groups()
        text = f"{y}-{m}-{d}" + (f" {hh}:{mm}" + (f":{ss}" if ss else "") if hh else "")
    if isinstance(time_cell, time):
        time_cell = time_cell.strftime("%H:%M:%S" if time_cell.second else "%H:%M")
    if time_cell not in (None, "") and ":" in str(time_cell) and ":" not in text:
        text = f"{text} {str(time_cell).strip()}"
    return find_dated(text, tz) if text else None


def _won(value: int) -> str:
    return f"{value:,}원"


def transaction(row: Sequence[Any], cols: Columns, number: int, tz: str) -> Segment | None:
    """One transaction's segment, or None for a row without a readable date (a total, a footer)."""
    def cell(i: int | None) -> Any:
        return row[i] if i is not None and i < len(row) else None

    dated = _when(cell(cols.when), cell(cols.time), tz)
    if dated is None:
        return None
    out, into, plain = _amount(cell(cols.out)), _amount(cell(cols.into)), _amount(cell(cols.amount))
    merchant = unicodedata.normalize("NFC", str(cell(cols.merchant) or "")).strip()
    ref: dict[str, Any] = {"row": number}
    shown = {"day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M"}.get(dated.precision, "%Y-%m-%d %H:%M:%S")
    parts = [dated.at.strftime(shown)]
    if merchant:
        parts.append(merchant)
        ref["merchant"] = merchant
    if out:
        parts.append("출금 " + _won(out))
        ref.update(amount=-abs(out), direction="out")
    elif into:
        parts.append("입금 " + _won(into))
        ref.update(amount=abs(into), direction="in")
    elif plain is not None:
        parts.append(("취소 " if plain < 0 else "") + _won(abs(plain)))
        ref["amount"] = -plain  # a card charge is money going out; a negative charge is a refund
        ref["direction"] = "in" if plain < 0 else "out"
    balance = _amount(cell(cols.balance))
    if balance is not None:
        parts.append(f"(잔액 {_won(balance)})")
        ref["balance"] = balance
    used = {cols.when, cols.time, cols.merchant, cols.out, cols.into, cols.amount, cols.balance}
    extra = [f"{cols.header[i]} {str(row[i]).strip()}" for i in range(min(len(row), len(cols.header)))
             if i not in used and cols.header[i] and str(row[i] or "").strip()]
    text = " ".join(parts + extra)
    seg = Segment(seq=0, text=text, kind="text", ref=ref)
    dating.stamp(seg, dated)
    return seg


def transactions(rows: Iterable[Sequence[Any]], cols: Columns, first_row: int, tz: str,
                 max_segments: int | None, extra_ref: dict[str, Any] | None = None) -> Iterator[Segment]:
    count = 0
    for number, row in enumerate(rows, start=first_row):
        seg = transaction(row, cols, number, tz)
        if seg is None:
            continue
        if max_segments is not None and count >= max_segments:
            raise EvidenceError("TOO_MANY_SEGMENTS")
        count += 1
        seg.ref.update(extra_ref or {})
        yield seg


def _result(segments: list[Segment], meta: dict[str, Any]) -> ParseResult:
    for n, seg in enumerate(segments):
        seg.seq = n
    first = dating.earliest(segments)
    return ParseResult(segments=segments, event_time=first.iso if first else None,
                       event_time_precision=first.precision if first else None, detected_type="statement",
                       meta={**meta, "transactions": sum(1 for s in segments if "amount" in s.ref or s.ts)})


# ------------------------------------------------------------------------------------------------ CSV
def csv_statement_header(lines: Sequence[str]) -> tuple[int, Columns] | None:
    """(row index, columns) when the first lines of a text file are a statement table in CSV (or TSV)."""
    if not lines:
        return None
    sample = "\n".join(lines)
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:  # a field past csv's size limit (a huge single line): no statement table has one
        return None
    return find_header(rows)


def parse_csv_lines(lines: Iterable[str], head: Sequence[str], tz: str = DEFAULT_TZ,
                    *, max_segments: int | None = None) -> ParseResult | None:
    """A statement's transactions from CSV lines (`head` = the first lines, also at the start of `lines`),
    or None when the file is not a statement."""
    found = csv_statement_header(head)
    if found is None:
        return None
    index, cols = found
    sample = "\n".join(head)
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = csv.reader(lines, delimiter=delimiter)
    for _ in range(index + 1):
        next(rows, None)
    try:
        segments = list(transactions(rows, cols, index + 2, tz, max_segments))
    except csv.Error:  # a row the csv module cannot read (an over-long field): read the file as plain text
        return None
    if not segments:
        return None
    return _result(segments, {"engine": "csv", "header_row": index + 1})


# ------------------------------------------------------------------------------------------------ XLSX
def parse_xlsx(path: Path, ctx: ParseContext) -> ParseResult:
    """ref = {"sheet": name, "row": n (1-based)} plus amount/direction/merchant/balance for transactions."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with path.open("rb") as fh:
        if fh.read(8) == bytes.fromhex("d0cf11e0a1b11ae1"):
            raise EvidenceError("OFFICE_ENCRYPTED")  # a password-protected workbook is an OLE "EncryptedPackage"
    _check_zip(path)
    with path.open("rb") as fh:
        # A file object, not the path: openpyxl refuses paths without an Excel extension (the worker's copy has none).
        try:
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except (*_CORRUPT, InvalidFileException) as exc:
            raise EvidenceError("SHEET_CORRUPT") from exc
        segments, statement = _read_sheets(workbook, ctx)
    meta = {"engine": "openpyxl", "sheets": len(workbook.sheetnames)}
    if statement:
        return _result(segments, meta)
    for n, seg in enumerate(segments):
        seg.seq = n
    doc_date = dating.date_segments(segments, ctx.timezone)
    first = doc_date or dating.earliest(segments)
    return ParseResult(segments=segments, event_time=first.iso if first else None,
                       event_time_precision=first.precision if first else None, detected_type="spreadsheet",
                       meta=meta)


def _read_sheets(workbook: Any, ctx: ParseContext) -> tuple[list[Segment], bool]:
    """Every sheet's segments, and whether any sheet was a statement."""
    segments: list[Segment] = []
    statement = False
    try:
        for sheet in workbook.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            found = find_header(rows)
            budget = None if ctx.limits.max_segments is None else ctx.limits.max_segments - len(segments)
            if found is not None:
                statement = True
                index, cols = found
                segments += transactions(rows[index + 1:], cols, index + 2, ctx.timezone, budget,
                                         {"sheet": sheet.title})
            else:
                segments += _plain_rows(rows, sheet.title, budget)
    except _CORRUPT as exc:
        raise EvidenceError("SHEET_CORRUPT") from exc
    finally:
        workbook.close()
    return segments, statement


def _plain_rows(rows: list[list[Any]], sheet: str, budget: int | None) -> Iterator[Segment]:
    count = 0
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(c) for c in row]
        text = " | ".join(c for c in cells if c)
        if not text:
            continue
        if budget is not None and count >= budget:
            raise EvidenceError("TOO_MANY_SEGMENTS")
        count += 1
        # "table" keys the row for dating: a date cell dates the other cells' row (one segment per row here).
        yield Segment(seq=0, text=text, kind="text", ref={"sheet": sheet, "table": sheet, "row": number})


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M" if cell.time() != time(0) else "%Y-%m-%d")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unicodedata.normalize("NFC", str(cell)).strip()


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would inflate past the limits before any XML is read."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise EvidenceError("SHEET_CORRUPT") from exc
    if sum(i.file_size for i in infos) > MAX_XLSX_UNCOMPRESSED or any(
            i.file_size > 1024 * 1024 and i.file_size > MAX_XLSX_RATIO * max(i.compress_size, 1) for i in infos):
        raise EvidenceError("SHEET_TOO_LARGE")
