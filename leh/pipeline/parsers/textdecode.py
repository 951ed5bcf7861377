"""Streaming text decoding: detect the encoding from the head of a file, then decode it chunk by chunk.

Korean evidence arrives as UTF-8, UTF-8 with BOM, UTF-16 (Windows "Unicode" exports, with or without
BOM) and CP949/EUC-KR (older Windows tools). Files can be hundreds of MB, so nothing here reads a file
whole: memory stays at one chunk plus one line.
"""

from __future__ import annotations

import codecs
import os
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO, Final

from leh.domain.errors import EvidenceError
from leh.domain.evidence import ParseStage
from leh.ports import report_progress

SAMPLE_BYTES: Final = 64 * 1024
CHUNK_BYTES: Final = 256 * 1024
# An extra look-ahead when the head is pure ASCII (e.g. a long English header), so a CP949 body further
# down is still seen before choosing UTF-8.
ASCII_LOOKAHEAD_BYTES: Final = 8 * 1024 * 1024
# A "line" longer than this is cut, so a file without newlines cannot grow one unbounded string.
MAX_LINE_CHARS: Final = 1024 * 1024
# Above these shares of replaced or control characters the bytes are not text in that encoding.
MAX_BAD_SHARE_STRICT: Final = 0.01
MAX_BAD_SHARE_SAMPLE: Final = 0.05
MAX_BAD_SHARE_STREAM: Final = 0.2
# A stray NUL byte or two in text that is not UTF-16 (a sync tool's glitch): at most this share of the sample. Each is
# read as U+FFFD and counted as replaced, like an undecodable byte.
MAX_NUL_SHARE: Final = 0.001

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r and ESC, DEL, and C1 controls: never in real chat or document text.
_CONTROL: Final = frozenset(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B)]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
)
_CONTROL_TABLE: Final = {ord(c): None for c in _CONTROL}

_ERRORS: Final = "leh.replace_counted"
# The warning a text read with replaced characters carries (the file is processed; the lawyer checks the spots).
TEXT_CHARS_REPLACED: Final = "TEXT_CHARS_REPLACED"
_local = threading.local()


def _replace_counted(exc: UnicodeError) -> tuple[str, int]:
    """Like errors="replace" for decoding, counting each replacement on the active `_Counter`."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    counter = getattr(_local, "counter", None)
    if counter is not None:
        counter.n += 1
    return "\ufffd", exc.end


codecs.register_error(_ERRORS, _replace_counted)


class _Counter:
    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


def _decode(decoder: codecs.IncrementalDecoder, data: bytes, counter: _Counter, final: bool = False) -> str:
    _local.counter = counter
    try:
        return decoder.decode(data, final)
    finally:
        _local.counter = None


def _control_count(text: str) -> int:
    return len(text) - len(text.translate(_CONTROL_TABLE))


def sample_quality(sample: bytes, encoding: str, final: bool) -> tuple[str, int] | None:
    """(decoded sample, bad character count: undecodable bytes replaced plus control characters), or None if the
    codec is unknown."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(_ERRORS)
    except LookupError:
        return None
    counter = _Counter()
    text = _decode(decoder, sample, counter, final)
    return text, counter.n + _control_count(text)


def _strict_ok(sample: bytes, encoding: str, final: bool) -> bool:
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(sample, final)
    except UnicodeDecodeError:
        return False
    return _control_count(text) <= len(text) * MAX_BAD_SHARE_STRICT


def _utf16_by_nuls(sample: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters (spaces, digits, newlines, which every chat export has) put
    NUL bytes on one side of each byte pair. The other side gets a few too (가 is U+AC00), binary data
    gets them on both sides alike."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    if odd >= max(2, pairs * 0.02) and even <= odd * 0.3:
        return "utf-16-le"
    if even >= max(2, pairs * 0.02) and odd <= even * 0.3:
        return "utf-16-be"
    return None


def detect_encoding(sample: bytes, *, at_eof: bool) -> tuple[str, int]:
    """(codec name, BOM length) for a file's head. Raises EvidenceError("TEXT_DECODE_FAILED") for binary data.

    Order: BOM, NUL-pattern UTF-16, strict UTF-8, strict CP949, UTF-8/CP949 with a few bad bytes,
    then charset-normalizer; whatever is chosen must decode the sample to mostly printable text.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, len(bom)
    candidates: list[tuple[str, float]] = []
    utf16 = _utf16_by_nuls(sample)
    if utf16 is not None:
        candidates.append((utf16, MAX_BAD_SHARE_SAMPLE))
    elif sample.count(0) > len(sample) * MAX_NUL_SHARE:
        raise EvidenceError("TEXT_DECODE_FAILED")
    else:
        if _strict_ok(sample, "utf-8", at_eof):
            return "utf-8", 0
        if _strict_ok(sample, "cp949", at_eof):
            return "cp949", 0
        candidates += [("utf-8", MAX_BAD_SHARE_STRICT), ("cp949", MAX_BAD_SHARE_STRICT)]
        guess = _charset_normalizer_guess(sample)
        if guess:
            candidates.append((guess, MAX_BAD_SHARE_SAMPLE))
    for name, max_share in candidates:
        quality = sample_quality(sample, name, at_eof)
        if quality is None:
            continue
        text, bad = quality
        if text and bad <= len(text) * max_share:
            return name, 0
    raise EvidenceError("TEXT_DECODE_FAILED")


def _charset_normalizer_guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return None if best is None else str(best.encoding)


class DecodedLines(Iterator[str]):
    """The lines of a text file (without line endings), decoded as they are read.

    `replaced` counts undecodable byte sequences turned into U+FFFD so far; read it after iterating.
    Lines end at \\n, \\r\\n, or \\r when the file uses bare CR throughout.
    """

    def __init__(self, fh: BinaryIO, encoding: str, start: int, *, bom: bool, newline_cr: bool) -> None:
        self.encoding = encoding
        self.bom = bom
        self.replaced = 0
        self.chars = 0
        self._fh = fh
        self._start = start
        self._newline_cr = newline_cr
        self._gen = self._lines()

    def __iter__(self) -> Iterator[str]:
        return self._gen

    def __next__(self) -> str:
        return next(self._gen)

    def close(self) -> None:
        self._gen.close()
        self._fh.close()

    def __enter__(self) -> DecodedLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lines(self) -> Generator[str, None, None]:
        fh = self._fh
        try:
            fh.seek(self._start)
            decoder = codecs.getincrementaldecoder(self.encoding)(_ERRORS)
            counter = _Counter()
            tail = ""
            cr_only = self._newline_cr
            size = max(1, os.fstat(fh.fileno()).st_size)
            while True:
                data = fh.read(CHUNK_BYTES)
                final = not data
                report_progress(fh.tell() / size, ParseStage.READ_TEXT)  # bytes read so far
                text = _decode(decoder, data, counter, final)
                if "\x00" in text:  # U+0000 is never text: read as replaced
                    counter.n += text.count("\x00")
                    text = text.replace("\x00", "\ufffd")
                self.replaced = counter.n
                self.chars += len(text)
                if self.chars > SAMPLE_BYTES and self.replaced > self.chars * MAX_BAD_SHARE_STREAM:
                    raise EvidenceError("TEXT_DECODE_FAILED")
                buf = tail + text if tail else text
                if cr_only:
                    buf = buf.replace("\r", "\n")
                elif "\r" in buf:
                    # A CR ending the buffer stays in `tail` and meets its LF with the next chunk.
                    buf = buf.replace("\r\n", "\n")
                parts = buf.split("\n")
                tail = parts.pop()
                yield from parts
                while len(tail) > MAX_LINE_CHARS:
                    yield tail[:MAX_LINE_CHARS]
                    tail = tail[MAX_LINE_CHARS:]
                if final:
                    if tail:
                        yield tail.removesuffix("\r")
                    return
        finally:
            fh.close()


def open_text(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> tuple[str, DecodedLines]:
    """(encoding name, lines) for a text file, detecting the encoding from its first 64 KiB.

    Raises EvidenceError: EMPTY_FILE (no bytes, or only a BOM), FILE_TOO_LARGE (over `max_bytes`),
    TEXT_DECODE_FAILED (binary or no encoding fits). Close the returned lines if you stop early.
    """
    fh = Path(path).open("rb")  # noqa: SIM115 - handed to DecodedLines, which closes it
    try:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            raise EvidenceError("EMPTY_FILE")
        if max_bytes is not None and size > max_bytes:
            raise EvidenceError("FILE_TOO_LARGE")
        sample = fh.read(SAMPLE_BYTES)
        at_eof = len(sample) >= size
        if sample.isascii() and not at_eof:
            sample, at_eof = _ascii_lookahead(fh, sample, size)
        encoding, bom_len = detect_encoding(sample, at_eof=at_eof)
        if bom_len >= size:
            raise EvidenceError("EMPTY_FILE")
        head = codecs.decode(sample[bom_len : bom_len + 8192], encoding, "ignore")
        newline_cr = "\r" in head and "\n" not in head
        lines = DecodedLines(fh, encoding, bom_len, bom=bom_len > 0, newline_cr=newline_cr)
    except BaseException:
        fh.close()
        raise
    return encoding, lines


def _ascii_lookahead(fh: BinaryIO, sample: bytes, size: int) -> tuple[bytes, bool]:
    """Extend an all-ASCII head with the first non-ASCII window, so detection sees the real body."""
    read = len(sample)
    while read < min(size, SAMPLE_BYTES + ASCII_LOOKAHEAD_BYTES):
        chunk = fh.read(SAMPLE_BYTES)
        if not chunk:
            break
        read += len(chunk)
        if not chunk.isascii():
            more = fh.read(SAMPLE_BYTES)
            read += len(more)
            return sample + chunk + more, read >= size
    return sample, read >= size
