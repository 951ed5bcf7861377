"""What every parser takes and returns. One parser module per format; they know nothing of queues or stores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.ports import EngineChoice

__all__ = ["EngineChoice", "ParseContext", "ParseLimits", "ParseResult", "Parser", "bounded"]


@dataclass(frozen=True)
class ParseLimits:
    """Per-format size and time limits (from settings). Sizes in bytes, times in seconds."""

    max_text_bytes: int = 600 * 1024 * 1024
    max_pdf_pages: int = 1000
    max_image_pixels: int = 80_000_000
    max_audio_seconds: int = 4 * 3600
    parse_timeout_seconds: int = 1800
    child_memory_mb: int = 4096
    # Segments live in the evidence document, so one evidence holds at most this many (≈ 200,000 chat
    # messages plus slack); a parser stops reading as soon as a file would pass it.
    max_segments: int = 300_000


@dataclass(frozen=True)
class ParseContext:
    """Everything a parser may use besides the file itself (picklable: it crosses into the sandbox child)."""

    filename: str
    timezone: str = "Asia/Seoul"
    limits: ParseLimits = field(default_factory=ParseLimits)
    engines: EngineChoice = field(default_factory=EngineChoice)


@dataclass
class ParseResult:
    """Segments in document order (seq 0..n-1) plus facts about the whole file."""

    segments: list[Segment]
    event_time: str | None = None  # ISO 8601 with offset: when the evidence happened (EXIF, chat date …)
    detected_type: str | None = None  # e.g. "kakaotalk" when a .txt turned out to be a chat export
    meta: dict[str, Any] = field(default_factory=dict)  # engine, pages, duration_s, encoding … (no evidence text)
    # Codes of problems that did not fail the file but that the lawyer must see (e.g. STT_EMPTY); their Korean
    # messages live beside the error messages in `leh.domain.errors`.
    warnings: list[str] = field(default_factory=list)


class Parser(Protocol):
    def __call__(self, path: Path, ctx: ParseContext) -> ParseResult: ...


def bounded(segments: Iterable[Segment], max_segments: int | None) -> Iterator[Segment]:
    """Pass segments through, failing with TOO_MANY_SEGMENTS the moment there would be one too many."""
    for n, seg in enumerate(segments):
        if max_segments is not None and n >= max_segments:
            raise EvidenceError("TOO_MANY_SEGMENTS")
        yield seg
