"""Long segments cut into pieces of at most MAX_SEGMENT_CHARS, whatever parser produced them.

A chat message, a Word paragraph or a PDF page can hold a whole file's text on one line. Analysis (Kiwi, the
label rules) and search work per segment, so one huge segment costs far more than its share and cannot show its
progress. Each piece keeps the segment's fields (time, speaker, kind, ref) and adds `ref["char"]`: where the piece
starts in the segment's text (added to a `char` the parser already gave), so a citation still points at the right
text. Cuts fall on a line break, else after a sentence's end, else on a space, in the second half of the window;
a run without any is cut hard. Pieces are numbered again in order; text without a long segment is left as it is.
"""

from __future__ import annotations

from typing import Any, Final

from leh.domain.documents import SegmentDoc

MAX_SEGMENT_CHARS: Final = 2000  # as the text parser's paragraphs (`leh.pipeline.parsers.text`)
_SENTENCE_ENDS: Final = (". ", "? ", "! ", "。", ".\t", "?\t", "!\t")


def cut_at(text: str, start: int, limit: int) -> int:
    """End of the piece of `text` that begins at `start`: the best boundary in the window's second half."""
    end = start + limit
    if end >= len(text):
        return len(text)
    low = start + limit // 2
    newline = text.rfind("\n", low, end)
    if newline > start:
        return newline + 1
    found = [at + len(mark) for mark in _SENTENCE_ENDS if (at := text.rfind(mark, low, end)) >= 0]
    if found:
        return max(found)
    space = max(text.rfind(" ", low, end), text.rfind("\t", low, end))
    return space + 1 if space > start else end


def pieces(text: str, limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) of `text` cut at boundaries, each piece stripped; `text[offset:offset+len(piece)] == piece`."""
    out: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        end = cut_at(text, pos, limit)
        raw = text[pos:end]
        piece = raw.strip()
        if piece:
            out.append((pos + len(raw) - len(raw.lstrip()), piece))
        pos = end
    return out


def split_long_segments(segments: list[SegmentDoc], limit: int = MAX_SEGMENT_CHARS) -> list[SegmentDoc]:
    """The segments with every one longer than `limit` characters cut into pieces (see the module's note)."""
    if all(len(str(s.get("text") or "")) <= limit for s in segments):
        return segments
    out: list[SegmentDoc] = []
    for seg in segments:
        text = str(seg.get("text") or "")
        if len(text) <= limit:
            out.append(seg)
            continue
        ref: dict[str, Any] = dict(seg.get("ref") or {})
        base = int(ref.get("char") or 0)
        for offset, piece in pieces(text, limit):
            part: dict[str, Any] = {**seg, "text": piece, "ref": {**ref, "char": base + offset}}
            out.append(part)  # type: ignore[arg-type]
    for n, seg in enumerate(out):
        seg["seq"] = n
    return out
