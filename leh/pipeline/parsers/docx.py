"""Word (.docx) parser: body paragraphs and table cells in document order, one segment per non-empty paragraph
(and per dated line inside one), dated from the text and the document's own date (상담일, 작성일 …).

Runs in the sandbox child: a hostile zip (e.g. a huge document.xml) hits the child's memory cap, not the worker.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.dating import date_segments, split_dated_lines
from leh.pipeline.parsers.messages import as_messages

_CORRUPT = (PackageNotFoundError, zipfile.BadZipFile, LxmlError, KeyError, ValueError, TypeError, AttributeError,
            IndexError, OSError, EOFError, NotImplementedError)


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    """ref = {"paragraph": n} (1-based, counting every paragraph walked, empty ones too, so numbers are stable);
    paragraphs inside tables add {"table": t, "row": r, "col": c} (1-based)."""
    try:
        document = docx.Document(str(path))
        walked = list(_walk(document))
    except _CORRUPT as exc:
        raise EvidenceError("DOCX_CORRUPT") from exc
    segments: list[Segment] = []
    for number, (paragraph, cell) in enumerate(walked, start=1):
        text = unicodedata.normalize("NFC", paragraph.text).strip()
        if not text:
            continue
        ref: dict[str, Any] = {"paragraph": number, **cell}
        # A paragraph with line breaks (Shift+Enter) listing dated events gives one segment per dated line.
        for _, piece in split_dated_lines(text.split("\n")):
            segments.append(Segment(seq=len(segments), text=piece, kind="text", ts=None, ref=dict(ref)))
    segments = as_messages(segments, ctx.timezone)  # a 문자 내역 typed in Word: each row its sender's message
    doc_date = date_segments(segments, ctx.timezone)
    tables = sum(1 for _ in document.tables)
    return ParseResult(segments=segments, event_time=doc_date.iso if doc_date else None,
                       event_time_precision=doc_date.precision if doc_date else None,
                       meta={"paragraphs": len(walked), "tables": tables, "engine": "python-docx",
                             "document_date": doc_date is not None})


def _walk(document: Any) -> Iterator[tuple[Paragraph, dict[str, int]]]:
    """(paragraph, table position or {}) for the body in reading order, descending into (nested) tables."""
    counter = [0]
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block, {}
        elif isinstance(block, Table):
            yield from _table(block, counter)


def _table(table: Table, counter: list[int]) -> Iterator[tuple[Paragraph, dict[str, int]]]:
    counter[0] += 1
    number = counter[0]
    seen: set[Any] = set()  # the cells' XML elements; holding them keeps their proxies (and identity) alive
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            # A merged cell is returned once per grid position it spans; read it once.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    yield block, {"table": number, "row": r, "col": c}
                elif isinstance(block, Table):
                    yield from _table(block, counter)
