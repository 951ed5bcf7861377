"""Plain-text evidence parser: blank-line paragraphs and dated lines become segments, dated from their text.

A KakaoTalk export saved as .txt is recognised from its first lines and handed to the chat parser, so
users need not know which kind of text file they upload.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers import dates, dating, kakaotalk, messages, statement
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.textdecode import TEXT_CHARS_REPLACED, open_text
from leh.pipeline.split import MAX_SEGMENT_CHARS, pieces


def iter_paragraphs(lines: Iterable[str], limit: int = MAX_SEGMENT_CHARS) -> Iterator[tuple[str, dict[str, int]]]:
    """(text, ref) for each paragraph of at most `limit` characters; ref["line"] is its first line (1-based).

    A paragraph over the limit is split between lines; a single line over the limit is split inside the
    line, and its pieces also carry ref["char"], the 0-based offset of the piece in that line.
    """
    buf: list[str] = []
    size = 0
    start = 0
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line:
            if buf:
                yield "\n".join(buf), {"line": start}
                buf, size = [], 0
            continue
        if len(line) > limit:
            if buf:
                yield "\n".join(buf), {"line": start}
                buf, size = [], 0
            for offset, text in pieces(line, limit):
                yield text, {"line": n, "char": offset}
            continue
        if buf and size + 1 + len(line) > limit:
            yield "\n".join(buf), {"line": start}
            buf, size = [], 0
        if not buf:
            start = n
            size = len(line)
        else:
            size += 1 + len(line)
        buf.append(line)
    if buf:
        yield "\n".join(buf), {"line": start}


def parse_paragraphs(lines: Iterable[str], tz: str = dates.DEFAULT_TZ, *, max_segments: int | None = None,
                     max_chars: int | None = None) -> ParseResult:
    """A ParseResult of kind="text" segments: blank-line paragraphs, and within them each dated line its own.

    A segment is dated by the one date it names, else by the date heading above it, else by the document's
    own date (작성일, 상담일 …: `leh.pipeline.parsers.dating`), with the precision the text gives. Past `max_chars`
    characters of text (more than can be analysed) it stops reading: ANALYSIS_TOO_LARGE.
    """
    segments: list[Segment] = []
    chars = 0
    for paragraph, ref in iter_paragraphs(lines):
        chars += len(paragraph)
        if max_chars is not None and chars > max_chars:
            raise EvidenceError("ANALYSIS_TOO_LARGE")
        pieces = dating.split_dated_lines(paragraph.split("\n")) if "char" not in ref else [(0, paragraph)]
        for offset, text in pieces:
            if max_segments is not None and len(segments) >= max_segments:
                raise EvidenceError("TOO_MANY_SEGMENTS")
            piece_ref = {**ref, "line": ref["line"] + offset}
            segments.append(Segment(seq=len(segments), text=text, ts=None, speaker=None, ref=piece_ref, kind="text"))
    if not segments:
        raise EvidenceError("EMPTY_FILE")
    segments = messages.as_messages(segments, tz)  # a 문자 내역: each row its sender's message
    doc_date = dating.date_segments(segments, tz)
    event = doc_date or dating.earliest(segments)
    return ParseResult(
        segments=segments,
        event_time=event.iso if event is not None else None,
        event_time_precision=event.precision if event is not None else None,
        detected_type="text",
        meta={"paragraphs": len(segments), "dated_paragraphs": sum(1 for s in segments if s.ts),
              "messages": sum(1 for s in segments if s.kind == "speech"),
              "document_date": doc_date is not None},
    )


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    """Parse a text file of any supported encoding: a KakaoTalk export, or else paragraphs of plain text."""
    encoding, lines = open_text(path, max_bytes=ctx.limits.max_text_bytes)
    with lines:
        head = list(islice(lines, kakaotalk.HEAD_LINES))
        rest = chain(head, lines)
        if kakaotalk.looks_like_kakaotalk(head, ctx.timezone):
            result = kakaotalk.parse_lines(rest, ctx.timezone, max_segments=ctx.limits.max_segments)
        elif statement.csv_statement_header(head) is not None:
            # A bank or card statement exported as CSV: one segment per transaction (else plain text after all).
            result = statement.parse_csv_lines(rest, head, ctx.timezone, max_segments=ctx.limits.max_segments) \
                or _as_text(path, ctx)
        else:
            result = parse_paragraphs(rest, ctx.timezone, max_segments=ctx.limits.max_segments,
                                      max_chars=ctx.limits.max_analysis_chars)
        result.meta.update(encoding=encoding, replaced_chars=lines.replaced)
    if lines.replaced:
        result.warnings.append(TEXT_CHARS_REPLACED)  # read with U+FFFD in their place: the lawyer checks
    return result


def _as_text(path: Path, ctx: ParseContext) -> ParseResult:
    """Paragraphs of a file read again from its start (a table that looked like a statement but had no rows)."""
    _encoding, lines = open_text(path, max_bytes=ctx.limits.max_text_bytes)
    with lines:
        return parse_paragraphs(lines, ctx.timezone, max_segments=ctx.limits.max_segments,
                                max_chars=ctx.limits.max_analysis_chars)
