"""PDF parser: the text layer per page (pypdf), OCR for pages that have none (pypdfium2 render + OcrEngine).

Runs in the sandbox child (native code, untrusted files). The page count is checked before any page is
read, so a 2,000-page upload fails in milliseconds instead of after an hour of OCR.
"""

from __future__ import annotations

import math
import re
import tempfile
import unicodedata
import warnings
from pathlib import Path
from typing import Any, Final

import pypdf
import pypdfium2
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from leh.domain.errors import EvidenceError
from leh.domain.evidence import ParseStage, Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.dating import date_segments, split_dated_lines
from leh.ports import OcrEngine, OcrLine, report_progress

OCR_DPI: Final = 300
# A page whose text layer has fewer visible characters than this, and that carries an image, is a scan with
# at most a stray page number or stamp in text: it is OCR'd.
MIN_TEXT_CHARS: Final = 20
# Text layers made with broken fonts (no ToUnicode map) extract as private-use or control characters.
MIN_READABLE_SHARE: Final = 0.6

_BLANK_LINES = re.compile(r"\n\s*\n")


def parse(path: Path, ctx: ParseContext, ocr: OcrEngine | None = None) -> ParseResult:
    """Segments per paragraph (text layer) or per OCR line (scanned pages); ref carries the 1-based page."""
    reader = _open(path)
    try:
        page_count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise EvidenceError("PDF_CORRUPT") from exc
    if page_count > ctx.limits.max_pdf_pages:
        raise EvidenceError("PDF_TOO_MANY_PAGES")
    if page_count == 0:
        raise EvidenceError("PDF_CORRUPT")

    segments: list[Segment] = []
    ocr_pages: list[int] = []
    document: pypdfium2.PdfDocument | None = None
    try:
        for number in range(1, page_count + 1):
            page = _page(reader, number)
            paragraphs = _paragraphs(page)
            needs_ocr = _needs_ocr(page, paragraphs)
            report_progress((number - 1) / page_count, ParseStage.OCR if needs_ocr else ParseStage.READ_PAGES)
            if needs_ocr:
                if ocr is None:
                    # In the sandbox child: the engine comes from its name (ctx.engines) through the one registry.
                    from leh.engines import ocr as ocr_engine

                    ocr = ocr_engine(ctx.engines)
                if document is None:
                    document = _pdfium(path)
                ocr_pages.append(number)
                for line in _ocr_page(document, number, ocr, ctx.limits.max_image_pixels):
                    segments.append(Segment(seq=len(segments), text=line.text, kind="text", ts=None,
                                            ref={"page": number, "box": list(line.box), "conf": line.confidence}))
                continue
            for text in paragraphs:
                # Statement and ledger rows (one dated charge per line) become one segment per row.
                for _, piece in split_dated_lines(text.split("\n")):
                    segments.append(Segment(seq=len(segments), text=piece, kind="text", ts=None,
                                            ref={"page": number}))
    finally:
        if document is not None:
            document.close()
    doc_date = date_segments(segments, ctx.timezone)
    meta: dict[str, Any] = {"pages": page_count, "ocr_pages": len(ocr_pages), "engine": "pypdf",
                            "document_date": doc_date is not None}
    if ocr_pages:
        meta["ocr_page_numbers"] = ocr_pages
        meta["engine"] = "pypdf+ocr"
    return ParseResult(segments=segments, event_time=doc_date.iso if doc_date else None,
                       event_time_precision=doc_date.precision if doc_date else None, meta=meta)


def _open(path: Path) -> pypdf.PdfReader:
    """A reader that is decrypted (empty password) or an EvidenceError: PDF_ENCRYPTED or PDF_CORRUPT."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(path, strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise EvidenceError("PDF_CORRUPT") from exc
    if reader.is_encrypted:
        # Many PDFs are "encrypted" only with an owner password (no printing/copying) and open with an
        # empty user password, as in any viewer.
        try:
            decrypted = reader.decrypt("")
        except (DependencyError, NotImplementedError, PyPdfError, ValueError) as exc:
            raise EvidenceError("PDF_ENCRYPTED") from exc
        if decrypted == pypdf.PasswordType.NOT_DECRYPTED:
            raise EvidenceError("PDF_ENCRYPTED")
    return reader


def _page(reader: pypdf.PdfReader, number: int) -> pypdf.PageObject:
    try:
        return reader.pages[number - 1]
    except FileNotDecryptedError as exc:
        raise EvidenceError("PDF_ENCRYPTED") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise EvidenceError("PDF_CORRUPT") from exc


def _paragraphs(page: pypdf.PageObject) -> list[str]:
    """Non-empty paragraphs of the page's text layer, split at blank lines, whitespace tidied, NFC."""
    try:
        # Layout mode keeps vertical gaps as blank lines, which is where paragraphs end; plain mode does not.
        text = page.extract_text(extraction_mode="layout")
    except FileNotDecryptedError as exc:
        raise EvidenceError("PDF_ENCRYPTED") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError,
            RecursionError):
        try:
            text = page.extract_text()
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError,
                RecursionError) as exc:
            raise EvidenceError("PDF_CORRUPT") from exc
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        # Layout mode pads with runs of spaces to keep columns; one space is what the reader sees.
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def _needs_ocr(page: pypdf.PageObject, paragraphs: list[str]) -> bool:
    text = "".join("".join(p.split()) for p in paragraphs)
    if not text:
        return True
    readable = sum(1 for ch in text if unicodedata.category(ch)[0] in "LNPS" and unicodedata.category(ch) != "Co")
    if readable < MIN_READABLE_SHARE * len(text):
        return True
    return len(text) < MIN_TEXT_CHARS and _has_image(page)


def _has_image(page: pypdf.PageObject) -> bool:
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects.get_object())
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False


def _pdfium(path: Path) -> pypdfium2.PdfDocument:
    try:
        # pypdf already accepted the empty password; pdfium needs it passed explicitly.
        return pypdfium2.PdfDocument(str(path), password="")
    except pypdfium2.PdfiumError as exc:
        raise EvidenceError("PDF_CORRUPT") from exc


def _ocr_page(document: pypdfium2.PdfDocument, number: int, ocr: OcrEngine, max_pixels: int) -> list[OcrLine]:
    """Render one page to grayscale PNG at OCR_DPI (less for huge pages, capped at max_pixels) and OCR it."""
    with tempfile.TemporaryDirectory(prefix="leh-pdf-") as tmp:
        png = Path(tmp) / f"page-{number}.png"
        try:
            page = document[number - 1]
            try:
                width_pt, height_pt = page.get_size()
                scale = OCR_DPI / 72
                if width_pt * height_pt * scale * scale > max_pixels:
                    scale = math.sqrt(max_pixels / (width_pt * height_pt))
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    # to_pil() shares the bitmap's memory: save before the bitmap is closed.
                    bitmap.to_pil().save(png, compress_level=1)
                finally:
                    bitmap.close()
            finally:
                page.close()
        except pypdfium2.PdfiumError as exc:
            raise EvidenceError("PDF_CORRUPT") from exc
        return list(ocr.read(png, languages="kor+eng"))
