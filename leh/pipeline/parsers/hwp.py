"""한글 (Hancom) documents: HWPX (zipped XML) and HWP 5 (an OLE compound file); HWP 3 is refused with a code.

- **HWPX**: `Contents/section*.xml` in section order; one paragraph per `hp:p` (its `hp:t` runs joined, line
  breaks kept). XML is read with the standard library after refusing any DOCTYPE (so no entity, internal or
  external, is ever expanded), with a cap on each part's size and on element nesting.
- **HWP 5**: the `FileHeader` stream says whether the body is zlib-compressed and whether the document is
  password-encrypted or a distribution (read-only, encrypted) document; `BodyText/Section*` streams are
  records, and the HWPTAG_PARA_TEXT records (tag 67) hold each paragraph's UTF-16LE text with control
  characters (tables, pictures, fields …) inline, which are skipped.

Paragraphs are split at dated lines and dated like the other documents (`leh.pipeline.parsers.dating`).
Runs in the sandbox child: a decompression bomb hits the child's memory cap and the limits below.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Final, cast
from xml.etree import ElementTree

import olefile

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult, bounded
from leh.pipeline.parsers.dating import date_segments, split_dated_lines

MAX_PART_BYTES: Final = 64 * 1024 * 1024  # one section's XML or decompressed HWP 5 stream
MAX_SECTIONS: Final = 1000
MAX_XML_DEPTH: Final = 200
HWP_SIGNATURE: Final = b"HWP Document File"

_HP_NS: Final = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
_SECTION_RX: Final = re.compile(r"^Contents/section(\d+)\.xml$", re.IGNORECASE)

# FileHeader properties (HWP 5.0 spec, 3.2.1): bit 0 compressed, 1 password, 2 distribution, 4 DRM.
_COMPRESSED: Final = 1 << 0
_PROTECTED: Final = (1 << 1) | (1 << 2) | (1 << 4)
HWPTAG_PARA_TEXT: Final = 67
# Control characters in PARA_TEXT (spec 3.2.3 / table 6): these take one WCHAR, every other code below 32 takes 8.
_CHAR_CONTROLS: Final = frozenset({0, 10, 13, 24, 25, 26, 27, 28, 29, 30, 31})


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    """ref = {"section": s, "paragraph": p} (1-based, counting every paragraph of the section, empty ones too)."""
    with path.open("rb") as fh:
        head = fh.read(32)
    if head.startswith(b"PK"):
        paragraphs, engine = list(_hwpx(path)), "hwpx"
    elif head.startswith(bytes.fromhex("d0cf11e0a1b11ae1")):
        paragraphs, engine = list(_hwp5(path)), "hwp5"
    elif head.startswith(HWP_SIGNATURE):
        raise EvidenceError("HWP_UNSUPPORTED")  # HWP 3.0 (1990s): tell the user to save it again
    else:
        raise EvidenceError("HWP_CORRUPT")
    segments: list[Segment] = []

    def pieces() -> Iterator[Segment]:
        for section, number, raw in paragraphs:
            text = unicodedata.normalize("NFC", raw).strip()
            if not text:
                continue
            for _, piece in split_dated_lines(text.split("\n")):
                yield Segment(seq=0, text=piece, kind="text", ref={"section": section, "paragraph": number})

    for seg in bounded(pieces(), ctx.limits.max_segments):
        seg.seq = len(segments)
        segments.append(seg)
    doc_date = date_segments(segments, ctx.timezone)
    return ParseResult(segments=segments, event_time=doc_date.iso if doc_date else None,
                       event_time_precision=doc_date.precision if doc_date else None, detected_type="hwp",
                       meta={"engine": engine, "sections": len({p[0] for p in paragraphs}),
                             "paragraphs": len(paragraphs), "document_date": doc_date is not None})


# ------------------------------------------------------------------------------------------------ HWPX
def _hwpx(path: Path) -> Iterator[tuple[int, int, str]]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = sorted(((int(m.group(1)), info) for info in zf.infolist()
                            if (m := _SECTION_RX.match(info.filename))), key=lambda pair: pair[0])
            if not infos:
                raise EvidenceError("HWP_CORRUPT")
            if len(infos) > MAX_SECTIONS:
                raise EvidenceError("HWP_TOO_LARGE")
            if _hwpx_encrypted(zf):
                raise EvidenceError("HWP_ENCRYPTED")
            for number, info in infos:
                if info.file_size > MAX_PART_BYTES:
                    raise EvidenceError("HWP_TOO_LARGE")
                with zf.open(info) as fh:
                    data = fh.read(MAX_PART_BYTES + 1)
                if len(data) > MAX_PART_BYTES:
                    raise EvidenceError("HWP_TOO_LARGE")
                for p, text in enumerate(_section_paragraphs(data), start=1):
                    yield number + 1, p, text
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError, EOFError, RuntimeError,
            ElementTree.ParseError, zlib.error) as exc:
        raise EvidenceError("HWP_CORRUPT") from exc


def _hwpx_encrypted(zf: zipfile.ZipFile) -> bool:
    """A password-protected HWPX lists its encrypted parts in META-INF/manifest.xml (ODF-style encryption-data)."""
    names = zf.namelist()
    if any(name.lower().startswith("meta-inf/") and "encryption" in name.lower() for name in names):
        return True
    manifest = next((n for n in names if n.lower() == "meta-inf/manifest.xml"), None)
    if manifest is None or zf.getinfo(manifest).file_size > 1024 * 1024:
        return False
    return b"encryption-data" in zf.read(manifest)


def _section_paragraphs(data: bytes) -> list[str]:
    """Text of each top-level paragraph (`hp:p` not inside another's run: table cells come as their own)."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise EvidenceError("HWP_CORRUPT")  # HWPX never declares entities; refuse rather than expand them
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    depth = 0
    out: list[str] = []
    stack: list[list[str]] = []
    for start in range(0, len(data), 1 << 20):
        parser.feed(data[start:start + (1 << 20)])
        for pair in parser.read_events():
            event, elem = cast(tuple[str, ElementTree.Element], pair)  # only start/end events were asked for
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise EvidenceError("HWP_CORRUPT")
                if elem.tag == _HP_NS + "p":
                    stack.append([])
                continue
            depth -= 1
            _end(elem, stack, out)
    parser.close()
    return out


def _end(elem: ElementTree.Element, stack: list[list[str]], out: list[str]) -> None:
    tag = elem.tag
    if tag == _HP_NS + "t" and stack:
        stack[-1].append("".join(_t_text(elem)))
    elif tag == _HP_NS + "p" and stack:
        out.append("".join(stack.pop()))
        elem.clear()


def _t_text(elem: ElementTree.Element) -> Iterator[str]:
    """A `hp:t` run: its text, with `hp:lineBreak`/`hp:tab` children as newline/tab."""
    yield elem.text or ""
    for child in elem:
        if child.tag == _HP_NS + "lineBreak":
            yield "\n"
        elif child.tag == _HP_NS + "tab":
            yield "\t"
        yield child.tail or ""


# ------------------------------------------------------------------------------------------------ HWP 5
def _hwp5(path: Path) -> Iterator[tuple[int, int, str]]:
    try:
        ole = olefile.OleFileIO(str(path))
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise EvidenceError("HWP_CORRUPT") from exc
    try:
        if not ole.exists("FileHeader"):
            raise EvidenceError("HWP_CORRUPT")
        header = ole.openstream("FileHeader").read(256)
        if not header.startswith(HWP_SIGNATURE) or len(header) < 40:
            raise EvidenceError("HWP_CORRUPT")
        flags = struct.unpack("<I", header[36:40])[0]
        # A distribution (배포용) document keeps its encrypted text in ViewText/, whatever the flags say.
        if flags & _PROTECTED or any(entry[0] == "ViewText" for entry in ole.listdir()):
            raise EvidenceError("HWP_ENCRYPTED")
        sections = sorted((int(entry[1][len("Section"):]), entry) for entry in ole.listdir()
                          if len(entry) == 2 and entry[0] == "BodyText" and entry[1].startswith("Section")
                          and entry[1][len("Section"):].isdigit())
        if not sections:
            raise EvidenceError("HWP_CORRUPT")
        if len(sections) > MAX_SECTIONS:
            raise EvidenceError("HWP_TOO_LARGE")
        for number, entry in sections:
            size = ole.get_size("/".join(entry))
            if size > MAX_PART_BYTES:
                raise EvidenceError("HWP_TOO_LARGE")
            raw = ole.openstream(entry).read()
            if len(raw) < size:
                raise EvidenceError("HWP_CORRUPT")  # the file ends inside the stream
            data = _inflate(raw) if flags & _COMPRESSED else raw
            for p, text in enumerate(_para_texts(data), start=1):
                yield number + 1, p, text
    except (OSError, ValueError, IndexError, KeyError, struct.error, zlib.error, UnicodeDecodeError) as exc:
        raise EvidenceError("HWP_CORRUPT") from exc
    finally:
        ole.close()


def _inflate(raw: bytes) -> bytes:
    """HWP 5 streams are raw deflate (no zlib header), decompressed with an output cap."""
    inflater = zlib.decompressobj(-15)
    data = inflater.decompress(raw, MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise EvidenceError("HWP_TOO_LARGE")
    if not inflater.eof:
        raise EvidenceError("HWP_CORRUPT")  # the compressed stream was cut short
    return data


def _para_texts(data: bytes) -> Iterator[str]:
    """The text of every PARA_TEXT record in a section stream."""
    pos = 0
    while pos + 4 <= len(data):
        header = struct.unpack_from("<I", data, pos)[0]
        tag, size = header & 0x3FF, (header >> 20) & 0xFFF
        pos += 4
        if size == 0xFFF:
            size = struct.unpack_from("<I", data, pos)[0]
            pos += 4
        if pos + size > len(data):
            raise EvidenceError("HWP_CORRUPT")
        if tag == HWPTAG_PARA_TEXT:
            yield _decode_para(data[pos:pos + size])
        pos += size


def _decode_para(body: bytes) -> str:
    """UTF-16LE text without its controls: a line break (10) is a newline, a tab (9, an inline control) a tab."""
    units = struct.unpack(f"<{len(body) // 2}H", body[:len(body) // 2 * 2])
    out: list[str] = []
    i = 0
    while i < len(units):
        code = units[i]
        if code >= 32:
            out.append(chr(code))
            i += 1
            continue
        if code in _CHAR_CONTROLS:
            if code == 10:
                out.append("\n")
            elif code in (30, 31):  # non-breaking and fixed-width spaces
                out.append(" ")
            elif code == 24:
                out.append("-")
            i += 1
            continue
        if code == 9:
            out.append("\t")
        i += 8  # inline or extended control: the code, 6 WCHARs of data, the code again
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
