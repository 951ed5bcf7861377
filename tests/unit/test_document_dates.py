"""Dates outside chats (issue #13): document dates, one segment per dated line, statement rows, precision.

Every file is made here: a 상해진단서 photo rendered with NanumGothic and read by Tesseract, a 상담일지 .docx, a
진술서 .txt and a card statement PDF drawn with reportlab.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from leh.pipeline.parsers import docx as docx_parser
from leh.pipeline.parsers import image, pdf, text
from leh.pipeline.parsers.base import ParseContext
from leh.pipeline.parsers.dates import find_dated
from leh.pipeline.parsers.dating import document_date, split_dated_lines
from leh.ports import OcrLine
from tests.support.samples import FONT_PATH, korean_text_png

KST = "+09:00"


@pytest.fixture(autouse=True)
def _one_omp_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


def _ctx(name: str) -> ParseContext:
    return ParseContext(filename=name)


def test_injury_certificate_photo_is_dated_by_its_treatment_day(tmp_path: Path) -> None:
    path = tmp_path / "진단서.png"
    path.write_bytes(korean_text_png(["상해진단서", "환자 성명: 김영희", "진료 일자: 2024년 3월 3일",
                                      "병명: 안면부 타박상", "향후 2주간의 치료를 요함"], size=40))
    result = image.parse(path, _ctx(path.name))
    assert result.event_time == f"2024-03-03T00:00:00{KST}"
    assert result.event_time_precision == "day"
    assert result.meta["document_date"] is True
    # Every OCR line is governed by the document's date, as a day: no line claims a time.
    assert {(s.ts, s.ts_precision) for s in result.segments} == {(f"2024-03-03T00:00:00{KST}", "day")}
    assert any("진료" in s.text for s in result.segments)


def test_counselling_record_docx_is_dated_by_its_counselling_day(tmp_path: Path) -> None:
    path = tmp_path / "상담일지.docx"
    document = docx.Document()
    document.add_heading("상담일지", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "상담일"
    table.cell(0, 1).text = "2024. 3. 5."
    table.cell(1, 0).text = "작성일"
    table.cell(1, 1).text = "2024. 3. 6."
    document.add_paragraph("내담자는 남편의 폭언으로 불면을 호소함.")
    document.add_paragraph("2024년 2월 28일 밤 남편이 물건을 던졌다고 진술함.")
    document.save(str(path))

    result = docx_parser.parse(path, _ctx(path.name))
    assert result.event_time == f"2024-03-05T00:00:00{KST}" and result.event_time_precision == "day"
    by_text = {s.text: s for s in result.segments}
    governed = by_text["내담자는 남편의 폭언으로 불면을 호소함."]
    assert (governed.ts, governed.ts_precision) == (f"2024-03-05T00:00:00{KST}", "day")
    own = by_text["2024년 2월 28일 밤 남편이 물건을 던졌다고 진술함."]  # its own date wins over the document's
    assert (own.ts, own.ts_precision, own.ts_part_of_day) == (f"2024-02-28T00:00:00{KST}", "day", "밤")
    assert by_text["2024. 3. 6."].ts == f"2024-03-06T00:00:00{KST}"


STATEMENT = """진술서

2023년 12월 25일 밤 남편이 술을 마시고 들어와 저를 밀쳤습니다.
2024. 1. 3. 남편이 "죽고 싶냐"라고 소리를 질렀습니다.
2024년 2월 14일 오후 10시 20분 남편이 휴대폰을 던졌습니다.
그 뒤로 저는 친정에 머물렀습니다.
2024.03.01 남편이 생활비를 주지 않겠다고 했습니다.
"""


def test_statement_with_four_dated_lines_gives_four_dated_segments(tmp_path: Path) -> None:
    path = tmp_path / "진술서.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    result = text.parse(path, _ctx(path.name))
    got = [(s.text.split(" ")[0], s.ts, s.ts_precision, s.ts_part_of_day, s.ref) for s in result.segments]
    assert got == [
        ("진술서", None, None, None, {"line": 1}),
        ("2023년", f"2023-12-25T00:00:00{KST}", "day", "밤", {"line": 3}),
        ("2024.", f"2024-01-03T00:00:00{KST}", "day", None, {"line": 4}),
        ("2024년", f"2024-02-14T22:20:00{KST}", "minute", None, {"line": 5}),
        ("2024.03.01", f"2024-03-01T00:00:00{KST}", "day", None, {"line": 7}),
    ]
    # An undated line under a dated one is its continuation, not a segment of its own.
    assert result.segments[3].text.endswith("그 뒤로 저는 친정에 머물렀습니다.")
    assert result.event_time == f"2023-12-25T00:00:00{KST}" and result.event_time_precision == "day"
    # Stored without the fields it does not have.
    assert "ts_precision" not in result.segments[0].to_dict()
    assert result.segments[1].to_dict()["ts_part_of_day"] == "밤"


def test_a_date_heading_dates_the_undated_lines_below_it() -> None:
    result = text.parse_paragraphs(["2024년 3월 10일 (일)", "남편이 또 집을 나갔다.", "", "2024년 3월 12일",
                                    "돌아오지 않았다."])
    assert [(s.text, s.ts) for s in result.segments] == [
        ("2024년 3월 10일 (일)\n남편이 또 집을 나갔다.", f"2024-03-10T00:00:00{KST}"),
        ("2024년 3월 12일\n돌아오지 않았다.", f"2024-03-12T00:00:00{KST}")]
    result = text.parse_paragraphs(["2024년 3월 10일", "", "남편이 또 집을 나갔다.", "", "2024년 3월 11일 남편이 전화했다.",
                                    "", "받지 않았다.", "", "2024년 3월 12일 오후 3시 5분", "", "돌아오지 않았다."])
    # A paragraph that is only a date governs the paragraphs below it (as a day: the lines below say nothing of
    # the minute); a dated sentence does not.
    assert [(s.ts, s.ts_precision) for s in result.segments] == [
        (f"2024-03-10T00:00:00{KST}", "day"), (f"2024-03-10T00:00:00{KST}", "day"),
        (f"2024-03-11T00:00:00{KST}", "day"), (f"2024-03-10T00:00:00{KST}", "day"),
        (f"2024-03-12T15:05:00{KST}", "minute"), (f"2024-03-12T00:00:00{KST}", "day")]


def _statement_pdf(rows: list[str]) -> bytes:
    """A card statement: a header block, then the charges as a table (rows 16 pt apart: one text block)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", FONT_PATH))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("NanumGothic", 12)
    y = 780
    for line in ["○○카드 이용대금 명세서", "결제일: 2024년 4월 15일", "이용기간: 2024.03.01 ~ 2024.03.31"]:
        c.drawString(72, y, line)
        y -= 36
    for row in rows:
        date, merchant, amount = row.split("|")
        c.drawString(72, y, date)
        c.drawString(180, y, merchant)
        c.drawRightString(520, y, amount)
        y -= 16
    c.showPage()
    c.save()
    return out.getvalue()


def test_card_statement_gives_one_segment_per_charge_dated_by_the_charge(tmp_path: Path) -> None:
    path = tmp_path / "명세서.pdf"
    path.write_bytes(_statement_pdf(["이용일자|가맹점명|이용금액", "2024.03.02|스타벅스 강남점|5,600", "03.09|○○무인텔|45,000",
                                     "24.03.15|쿠팡|32,000", "03.23|△△주얼리|1,200,000", "합계||1,282,600"]))
    result = pdf.parse(path, _ctx(path.name))
    charges = [(s.text, s.ts, s.ts_precision) for s in result.segments if "," in s.text and "합계" not in s.text]
    assert charges == [
        ("2024.03.02 스타벅스 강남점 5,600", f"2024-03-02T00:00:00{KST}", "day"),
        ("03.09 ○○무인텔 45,000", f"2024-03-09T00:00:00{KST}", "day"),
        ("24.03.15 쿠팡 32,000", f"2024-03-15T00:00:00{KST}", "day"),
        ("03.23 △△주얼리 1,200,000", f"2024-03-23T00:00:00{KST}", "day"),
    ]
    payment_day = f"2024-04-15T00:00:00{KST}"
    # The payment day dates its own line only: not the charges, not the total, not the evidence.
    assert [s.text for s in result.segments if s.ts == payment_day] == ["결제일: 2024년 4월 15일"]
    total = next(s for s in result.segments if s.text.startswith("합계"))
    assert total.ts is None
    assert result.event_time is None  # no document date: the analysis takes the earliest charge


def test_year_less_rows_count_back_from_the_payment_day() -> None:
    result = text.parse_paragraphs(["결제일: 2024년 1월 15일", "12.28 ○○호텔 180,000", "01.03 꽃집 55,000원"])
    assert [(s.text, s.ts) for s in result.segments][1:] == [
        ("12.28 ○○호텔 180,000", f"2023-12-28T00:00:00{KST}"), ("01.03 꽃집 55,000원", f"2024-01-03T00:00:00{KST}")]


def test_precision_and_part_of_day_are_read_from_the_text() -> None:
    night = find_dated("2023년 12월 25일 밤 남편이 때렸다")
    assert night is not None and (night.iso, night.precision, night.part_of_day) == (
        f"2023-12-25T00:00:00{KST}", "day", "밤")
    ten = find_dated("2023년 12월 25일 밤 10시경 남편이 때렸다")  # the part of day makes a bare hour readable
    assert ten is not None and (ten.iso, ten.precision) == (f"2023-12-25T22:00:00{KST}", "minute")
    exact = find_dated("2024-01-02 10:00:05 입금")
    assert exact is not None and exact.precision == "second"
    assert find_dated("2024년 1월 3일부터 2024년 1월 5일까지") is None
    label = document_date(["발급일: 2024년 3월 20일", "진료 일자: 2024년 3월 3일"])
    assert label is not None and label.iso == f"2024-03-03T00:00:00{KST}"  # the treatment day before the paper's
    assert document_date(["결제일: 2024년 4월 15일"]) is None  # a payment day is not the document's date
    memo = document_date(["상담 메모", "2023년 12월 26일 상담. 의뢰인은 친정에 머무르고 있음."])
    assert memo is not None and memo.iso == f"2023-12-26T00:00:00{KST}"  # a memo opening with its meeting day
    assert document_date(["2023년 12월 25일 밤 남편이 상담을 거부함."]) is None  # an event, not the memo's day
    assert split_dated_lines(["진술서", "남편이 때렸다."]) == [(0, "진술서\n남편이 때렸다.")]


def test_every_line_that_opens_with_its_own_date_is_a_segment_and_a_heading_stays_apart() -> None:
    # A 사실확인서: its heading lines, then one dated line with the lines that go on telling of that day.
    confirmation = ["사실확인서", "작성일: 2024년 6월 12일", "작성자: 윤정숙", "2024년 5월 2일 며느리가 저를 밀쳤습니다.",
                    "그날 손목을 삐었습니다."]
    assert split_dated_lines(confirmation) == [(0, "사실확인서\n작성일: 2024년 6월 12일\n작성자: 윤정숙"),
                                              (3, "2024년 5월 2일 며느리가 저를 밀쳤습니다.\n그날 손목을 삐었습니다.")]
    # A month, or a day without its year (after 저도/그 후), opens a line of its own in a dated paragraph.
    statement = ["2024년 5월 20일 처는 집을 나갔습니다.", "2024년 6월부터 처는 양육비를 보내지 않았습니다.",
                 "저도 5월 3일 처에게 욕설을 했습니다.", "그 후 7월 1일에 연락이 왔습니다.", "이 점은 반성합니다."]
    assert [i for i, _ in split_dated_lines(statement)] == [0, 1, 2, 3]
    # Alone, such a line dates nothing: a paragraph with no full date is not split on "5월 3일".
    assert split_dated_lines(["메모", "5월 3일 남편이 늦게 옴"]) == [(0, "메모\n5월 3일 남편이 늦게 옴")]
    # Its day, through the parser: the year-less line keeps the document's date as its own (the analysis adds the
    # inferred day); the dated line after the heading has its own.
    result = text.parse_paragraphs(["\n".join(confirmation)])
    assert [(s.text.split("\n")[0], s.ts) for s in result.segments] == [
        ("사실확인서", f"2024-06-12T00:00:00{KST}"), ("2024년 5월 2일 며느리가 저를 밀쳤습니다.", f"2024-05-02T00:00:00{KST}")]


class _Lines:
    """An OCR engine that reads fixed lines (the screen as OCR would give it, top to bottom)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def read(self, image_path: Path, *, languages: str = "kor+eng") -> list[OcrLine]:
        return [OcrLine(line, (0, 40 * i, 300, 30), 0.9) for i, line in enumerate(self.lines)]


def test_chat_screenshot_bubble_without_a_readable_time_keeps_its_divider_day(tmp_path: Path) -> None:
    path = tmp_path / "screen.png"
    path.write_bytes(korean_text_png(["화면"]))
    ocr = _Lines(["2023년 12월 25일 월요일", "홍길동", "한 번만 더 그러면 가만 안 둔다", "2023년 12월 26일 화요일",
                  "미안해", "오전 9:00"])
    result = image.parse(path, _ctx(path.name), ocr=ocr)
    got = [(s.text, s.ts, s.ts_precision) for s in result.segments]
    assert got == [
        ("2023년 12월 25일 월요일", None, None),  # the divider is screen furniture
        ("홍길동", f"2023-12-25T00:00:00{KST}", "day"),
        ("한 번만 더 그러면 가만 안 둔다", f"2023-12-25T00:00:00{KST}", "day"),  # its time was not read: a day
        ("2023년 12월 26일 화요일", None, None),
        ("미안해", f"2023-12-26T09:00:00{KST}", "minute"),
        ("오전 9:00", f"2023-12-26T09:00:00{KST}", "minute"),
    ]
    assert result.event_time == f"2023-12-25T00:00:00{KST}" and result.event_time_precision == "day"


def test_bank_ledger_table_in_docx_dates_each_row_by_its_date_cell(tmp_path: Path) -> None:
    path = tmp_path / "거래내역.docx"
    document = docx.Document()
    document.add_paragraph("입출금 거래내역")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("거래일", "내용", "금액"), ("2024.03.02", "○○무인텔", "45,000"),
                             ("2024.03.16", "생활비 이체 중단", "0")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(path))
    result = docx_parser.parse(path, _ctx(path.name))
    dated = {s.text: s.ts for s in result.segments}
    assert dated["○○무인텔"] == dated["45,000"] == f"2024-03-02T00:00:00{KST}"
    assert dated["생활비 이체 중단"] == f"2024-03-16T00:00:00{KST}"
    assert dated["거래일"] is None and dated["입출금 거래내역"] is None


def test_a_staff_notes_list_items_are_separate_facts_with_their_own_dates() -> None:
    notes = ["상담일지", "", "상담일: 2024년 7월 10일", "의뢰인: 한도윤", "",
             "- 의뢰인은 아내가 2024. 3.경부터 다른 남성과 교제한다고 주장함.\n"
             "- 2024. 6. 8. 밤 상대방이 리모컨으로 의뢰인의 이마를 가격하였다고 함.\n"
             "- 의뢰인 본인도 상대방에게 욕설 카톡을 보낸 사실을 인정함.\n"
             "  (2024. 5.경, 카톡 캡처 확보)"]
    result = text.parse_paragraphs("\n".join(notes).split("\n\n"))
    got = [(s.text.split("\n")[0][:10], s.ts, s.ts_precision) for s in result.segments]
    assert got[-3:] == [
        ("- 의뢰인은 아내가", f"2024-03-01T00:00:00{KST}", "month"),
        ("- 2024. 6.", f"2024-06-08T00:00:00{KST}", "day"),
        # The client's own admission is its own segment (its continuation line stays with it).
        ("- 의뢰인 본인도 ", f"2024-05-01T00:00:00{KST}", "month")]
    assert result.segments[-1].text.endswith("(2024. 5.경, 카톡 캡처 확보)")


def test_a_statement_is_dated_by_its_signature_not_by_the_first_day_it_tells_of() -> None:
    statement = ["진 술 서", "진술인: 한도윤", "저는 2018. 10. 13. 오수진과 혼인하였습니다.",
                 "2024. 6. 1. 밤 아내는 다른 남자를 좋아한다고 인정하였습니다.", "위 내용은 사실입니다.",
                 "2024. 7. 12.\n진술인 한도윤 (인)"]
    result = text.parse_paragraphs(statement)
    assert (result.event_time, result.event_time_precision) == (f"2024-07-12T00:00:00{KST}", "day")
    assert result.segments[0].ts == f"2018-10-13T00:00:00{KST}"  # a line's own date stays its own
    # Without a signer's line, a date at the end is only a line's date, not the paper's.
    unsigned = text.parse_paragraphs(statement[:-1] + ["2024. 7. 12."])
    assert unsigned.event_time == f"2018-10-13T00:00:00{KST}"
