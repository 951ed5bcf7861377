"""The parser registry: which function extracts segments from which evidence type, and whether it runs isolated.

Parsers built on native libraries (PDF, image/OCR, audio/video, docx) run in a child process with a memory
and time cap (`leh.pipeline.sandbox`), so a segfault or runaway allocation fails one file, not the worker.

Detection (`leh.pipeline.detect`) reads bytes, so a KakaoTalk export arrives as TEXT: the text parser
recognises the chat from its first lines and hands it to the KakaoTalk parser (ParseResult.detected_type
"kakaotalk"). Evidence already known to be a chat goes to the KakaoTalk parser directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from leh.domain.evidence import EvidenceType


@dataclass(frozen=True)
class ParserSpec:
    target: str  # "module:function"
    isolated: bool


PARSERS: Final[dict[str, ParserSpec]] = {
    EvidenceType.TEXT: ParserSpec("leh.pipeline.parsers.text:parse", isolated=False),
    EvidenceType.KAKAOTALK: ParserSpec("leh.pipeline.parsers.kakaotalk:parse", isolated=False),
    EvidenceType.PDF: ParserSpec("leh.pipeline.parsers.pdf:parse", isolated=True),
    EvidenceType.IMAGE: ParserSpec("leh.pipeline.parsers.image:parse", isolated=True),
    EvidenceType.AUDIO: ParserSpec("leh.pipeline.parsers.audio:parse", isolated=True),
    EvidenceType.VIDEO: ParserSpec("leh.pipeline.parsers.video:parse", isolated=True),
    EvidenceType.DOCX: ParserSpec("leh.pipeline.parsers.docx:parse", isolated=True),
    EvidenceType.HWP: ParserSpec("leh.pipeline.parsers.hwp:parse", isolated=True),
    EvidenceType.SPREADSHEET: ParserSpec("leh.pipeline.parsers.statement:parse_xlsx", isolated=True),
    EvidenceType.EMAIL: ParserSpec("leh.pipeline.parsers.mail:parse", isolated=True),
    EvidenceType.SMS: ParserSpec("leh.pipeline.parsers.phone_backup:parse", isolated=True),
}
