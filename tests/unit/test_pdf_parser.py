"""PDF parser: exact text-layer extraction, OCR of scanned pages, encryption, damage and the page-count limit."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.base import ParseContext, ParseLimits
from leh.pipeline.parsers.pdf import parse
from leh.ports import OcrLine
from tests.support.samples import word_recall

FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
pdfmetrics.registerFont(TTFont("NanumGothic", FONT_PATH))

PAGE_1 = [["소 장"],
          ["원고 김철수는 피고 이영희에 대하여 이혼 및 위자료를 청구합니다.", "청구 취지는 다음과 같습니다."],
          ["2023년 12월 25일 오후 10시 20분에 피고가 집을 나갔습니다."]]
PAGE_2 = [["둘째 쪽 첫 문단입니다."], ["Email: lawyer@example.com, 전화 010-1234-5678"]]
SCANNED = ["배우자의 부정행위로 인하여 혼인관계가 파탄에 이르렀습니다.",
           "원고는 피고에게 위자료 삼천만 원을 청구합니다.",
           "피고는 지속적으로 폭언과 폭행을 하였습니다.",
           "재산분할 대상은 서울시 강남구 아파트 한 채입니다.",
           "상대방은 카카오톡으로 협박 메시지를 여러 차례 보냈습니다.",
           "아이들 양육비를 보내지 않겠다고 말했습니다."]


@pytest.fixture(autouse=True)
def _one_omp_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


def _ctx(**limits: int) -> ParseContext:
    return ParseContext(filename="evidence.pdf", limits=ParseLimits(**limits))


def _text_page(c: canvas.Canvas, paragraphs: list[list[str]]) -> None:
    c.setFont("NanumGothic", 12)
    y = 780.0
    for paragraph in paragraphs:
        for line in paragraph:
            c.drawString(72, y, line)
            y -= 18
        y -= 18  # a blank line between paragraphs
    c.showPage()


def _scan_png(lines: list[str], dpi: int = 300) -> Image.Image:
    """An A4 page at `dpi` with 12 pt Korean text, as a scanner would produce it (no text layer)."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_PATH, int(12 * dpi / 72))
    for i, line in enumerate(lines):
        draw.text((dpi, dpi + i * int(12 * dpi / 72 * 1.8)), line, font=font, fill=0)
    return image


def _scan_page(c: canvas.Canvas, lines: list[str]) -> None:
    c.drawImage(ImageReader(_scan_png(lines)), 0, 0, width=A4[0], height=A4[1])
    c.showPage()


def _write(path: Path, *pages: tuple[str, list[Any]]) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for kind, content in pages:
        (_text_page if kind == "text" else _scan_page)(c, content)
    c.save()
    return path


def test_text_pdf_pages_and_paragraphs_exact(tmp_path: Path) -> None:
    path = _write(tmp_path / "text.pdf", ("text", PAGE_1), ("text", PAGE_2))
    result = parse(path, _ctx())
    got = [(s.ref["page"], s.text) for s in result.segments]
    expected = [(1, "\n".join(p)) for p in PAGE_1] + [(2, "\n".join(p)) for p in PAGE_2]
    assert got == expected
    assert [s.seq for s in result.segments] == list(range(len(expected)))
    assert {s.kind for s in result.segments} == {"text"}
    assert result.meta["pages"] == 2 and result.meta["ocr_pages"] == 0
    dated = [s.ts for s in result.segments if s.ts]
    assert dated == ["2023-12-25T22:20:00+09:00"]


def test_scanned_page_is_ocrd_with_high_wordword_recall(tmp_path: Path) -> None:
    path = _write(tmp_path / "scan.pdf", ("scan", SCANNED))
    result = parse(path, _ctx())
    assert result.meta["pages"] == 1 and result.meta["ocr_pages"] == 1
    text = "\n".join(s.text for s in result.segments)
    assert word_recall(SCANNED, text) >= 0.9, text
    first = result.segments[0]
    assert first.ref["page"] == 1
    left, top, width, height = first.ref["box"]
    assert 0 <= left < 2480 and 0 <= top < 3508 and width > 100 and height > 10


class _FakeOcr:
    """Stands in for Tesseract where the test is about the parser's plumbing, not recognition."""

    def __init__(self) -> None:
        self.calls: list[Path] = []

    def read(self, image_path: Path, *, languages: str = "kor+eng") -> list[OcrLine]:
        self.calls.append(image_path)
        with Image.open(image_path) as image:
            width, height = image.size
        assert abs(width - 2480) <= 2 and abs(height - 3508) <= 2  # A4 rendered at 300 dpi
        return [OcrLine("2024년 1월 2일 스캔 문장", (300, 300, 900, 50), 0.9)]


def test_mixed_pdf_ocrs_only_pages_without_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.pdf", ("text", PAGE_2), ("scan", SCANNED[:1]), ("text", PAGE_2))
    ocr = _FakeOcr()
    result = parse(path, _ctx(), ocr=ocr)
    assert len(ocr.calls) == 1
    assert result.meta["ocr_pages"] == 1 and result.meta["ocr_page_numbers"] == [2]
    scanned = [s for s in result.segments if s.ref["page"] == 2]
    assert [(s.text, s.ref["box"], s.ts) for s in scanned] == [
        ("2024년 1월 2일 스캔 문장", [300, 300, 900, 50], "2024-01-02T00:00:00+09:00")]
    assert [s.ref["page"] for s in result.segments] == [1, 1, 2, 3, 3]


def test_password_protected_pdf_is_pdf_encrypted(tmp_path: Path) -> None:
    source = _write(tmp_path / "plain.pdf", ("text", PAGE_2))
    for algorithm in ("RC4-128", "AES-256"):
        writer = PdfWriter(clone_from=str(source))
        writer.encrypt("secret-password", algorithm=algorithm)
        path = tmp_path / f"locked-{algorithm}.pdf"
        writer.write(path)
        with pytest.raises(EvidenceError) as err:
            parse(path, _ctx())
        assert err.value.code == "PDF_ENCRYPTED"


def test_owner_password_only_pdf_opens_with_empty_password(tmp_path: Path) -> None:
    source = _write(tmp_path / "plain.pdf", ("text", PAGE_2))
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt("", owner_password="owner-only", algorithm="AES-128")
    path = tmp_path / "restricted.pdf"
    writer.write(path)
    result = parse(path, _ctx())
    assert [s.text for s in result.segments] == ["\n".join(p) for p in PAGE_2]


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_pdf_corrupt(tmp_path: Path, fraction: float) -> None:
    data = _write(tmp_path / "whole.pdf", ("text", PAGE_1), ("text", PAGE_2)).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx())
    assert err.value.code == "PDF_CORRUPT"


def test_garbage_after_pdf_header_is_pdf_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx())
    assert err.value.code == "PDF_CORRUPT"


def test_two_thousand_pages_fail_fast_with_pdf_too_many_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "huge.pdf"
    path.write_bytes(buf.getvalue())
    # Fail fast = refuse from the page count, before any page is read (no timing in tests: the behaviour).
    from leh.pipeline.parsers import pdf as pdf_parser

    read: list[int] = []
    real_page = pdf_parser._page
    monkeypatch.setattr(pdf_parser, "_page", lambda reader, number: read.append(number) or real_page(reader, number))
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx(max_pdf_pages=1000))
    assert err.value.code == "PDF_TOO_MANY_PAGES"
    assert read == []
