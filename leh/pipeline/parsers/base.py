"""What every parser takes and returns. One parser module per format; they know nothing of queues or stores.

The parser port itself (`Parser`, `ParseContext`, `ParseLimits`, `ParseResult`, `EngineChoice`) lives in
`leh.ports` with the other ports; it is re-exported here for the parser modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.ports import EngineChoice, ParseContext, ParsedAttachment, ParseLimits, Parser, ParseResult

__all__ = ["EngineChoice", "ParseContext", "ParseLimits", "ParseResult", "ParsedAttachment", "Parser", "bounded"]


def bounded(segments: Iterable[Segment], max_segments: int | None) -> Iterator[Segment]:
    """Pass segments through, failing with TOO_MANY_SEGMENTS the moment there would be one too many."""
    for n, seg in enumerate(segments):
        if max_segments is not None and n >= max_segments:
            raise EvidenceError("TOO_MANY_SEGMENTS")
        yield seg
