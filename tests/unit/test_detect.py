"""Content-based type detection: every supported format, disguised files, archives and executables, text encodings."""

from __future__ import annotations

import gzip
import io
import random
import struct
import wave
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfWriter

from leh.domain.errors import EvidenceError
from leh.domain.evidence import EvidenceType
from leh.pipeline.detect import detect_type

KOREAN = "2023년 12월 25일 남편이 집을 나갔습니다.\n양육비를 보내지 않겠다고 했습니다.\n"


def _image(fmt: str, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (32, 24), "white").save(buf, format=fmt)
    return buf.getvalue()


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    box = struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands
    return box + struct.pack(">I", 16) + b"mdat" + b"\x00" * 8


def _mp3_frames() -> bytes:
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
    return (b"\xff\xfb\x90\x64" + b"\x00" * 413) * 3


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    return buf.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("증거 문서")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _hwp5() -> bytes:
    # OLE compound-file header, then directory names and the FileHeader stream's signature as HWP 5 writes them.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "FileHeader".encode("utf-16-le").ljust(128, b"\x00") + "HwpSummaryInformation".encode("utf-16-le")
    return header + directory.ljust(512, b"\x00") + b"HWP Document File".ljust(256, b"\x00")


def _exe() -> bytes:
    dos = bytearray(b"MZ" + b"\x90\x00" * 29)
    dos = dos.ljust(0x40, b"\x00")
    dos[0x3C:0x40] = struct.pack("<I", 0x80)
    return bytes(dos.ljust(0x80, b"\x00")) + b"PE\x00\x00" + b"\x00" * 200


def _noise() -> bytes:
    rng = random.Random(7)
    return b"\x00\x01\x02" + bytes(rng.randrange(256) for _ in range(4096))


CASES: list[tuple[str, Callable[[], bytes], str, str]] = [
    # (file name, content, expected type, id)
    ("doc.pdf", _pdf, EvidenceType.PDF, "pdf"),
    ("photo.jpg", lambda: _pdf(), EvidenceType.PDF, "jpg-that-is-pdf"),
    ("photo.jpg", lambda: _image("JPEG"), EvidenceType.IMAGE, "jpeg"),
    ("shot.png", lambda: _image("PNG"), EvidenceType.IMAGE, "png"),
    ("shot.png", lambda: _image("JPEG"), EvidenceType.IMAGE, "png-that-is-jpeg"),
    ("shot.webp", lambda: _image("WEBP"), EvidenceType.IMAGE, "webp"),
    ("anim.gif", lambda: _image("GIF", "P"), EvidenceType.IMAGE, "gif"),
    ("scan.bmp", lambda: _image("BMP"), EvidenceType.IMAGE, "bmp"),
    ("scan.tif", lambda: _image("TIFF"), EvidenceType.IMAGE, "tiff"),
    ("IMG_0001.HEIC", lambda: _ftyp(b"heic", b"mif1", b"heic"), EvidenceType.IMAGE, "heic"),
    ("call.mp3", lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + _mp3_frames(), EvidenceType.AUDIO, "mp3-id3"),
    ("call.mp3", _mp3_frames, EvidenceType.AUDIO, "mp3-frame-sync"),
    ("memo.m4a", lambda: _ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), EvidenceType.AUDIO, "m4a"),
    ("call.m4a", lambda: _ftyp(b"mp42", b"isom", b"mp42"), EvidenceType.AUDIO, "m4a-generic-brand"),
    ("clip.mp4", lambda: _ftyp(b"isom", b"isom", b"iso2", b"mp41"), EvidenceType.VIDEO, "mp4"),
    ("clip.mov", lambda: _ftyp(b"qt  ", b"qt  "), EvidenceType.VIDEO, "mov"),
    ("clip.txt", lambda: _ftyp(b"mp42", b"isom"), EvidenceType.VIDEO, "mp4-named-txt"),
    ("rec.wav", _wav, EvidenceType.AUDIO, "wav"),
    ("voice.ogg", lambda: b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis" + b"\x00" * 40, EvidenceType.AUDIO, "ogg"),
    ("voice.amr", lambda: b"#!AMR\n" + b"\x3c" * 64, EvidenceType.AUDIO, "amr"),
    ("rec.aiff", lambda: b"FORM\x00\x00\x10\x00AIFFCOMM" + b"\x00" * 64, EvidenceType.AUDIO, "aiff-via-filetype"),
    ("clip.flv", lambda: b"FLV\x01\x05" + b"\x00" * 64, EvidenceType.VIDEO, "flv-via-filetype"),
    ("song.mid", lambda: b"MThd\x00\x00\x00\x06" + b"\x00" * 64, "unsupported", "midi"),
    ("brief.docx", _docx, EvidenceType.DOCX, "docx"),
    ("brief.pdf", _docx, EvidenceType.DOCX, "docx-named-pdf"),
    ("brief.hwp", _hwp5, "hwp", "hwp5"),
    ("brief.hwp", lambda: b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + b"\x00" * 64, "hwp", "hwp3"),
    ("brief.hwpx", lambda: _zip({"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<a/>"}), "hwp",
     "hwpx"),
    ("report.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "unsupported", "ole-not-hwp"),
    ("chat.txt", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "unsupported", "elf-named-txt"),
    ("chat.txt", lambda: _zip({"a.txt": KOREAN.encode()}), "unsupported", "zip-named-txt"),
    ("book.xlsx", lambda: _zip({"xl/workbook.xml": b"<w/>", "[Content_Types].xml": b"<t/>"}), "spreadsheet", "xlsx"),
    ("chat.txt", lambda: gzip.compress(KOREAN.encode()), "unsupported", "gzip"),
    ("chat.txt", lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 64, "unsupported", "7z"),
    ("chat.txt", lambda: b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "unsupported", "rar"),
    ("setup.exe", _exe, "unsupported", "pe-exe"),
    ("data.bin", _noise, "unsupported", "random-binary"),
    ("chat.txt", lambda: KOREAN.encode("utf-8"), EvidenceType.TEXT, "utf8"),
    ("chat.txt", lambda: b"\xef\xbb\xbf" + KOREAN.encode("utf-8"), EvidenceType.TEXT, "utf8-bom"),
    ("chat.txt", lambda: KOREAN.encode("utf-16"), EvidenceType.TEXT, "utf16-bom"),
    ("chat.txt", lambda: KOREAN.encode("utf-16-le"), EvidenceType.TEXT, "utf16-le-no-bom"),
    ("chat.txt", lambda: KOREAN.encode("cp949"), EvidenceType.TEXT, "cp949"),
    ("chat.jpg", lambda: KOREAN.encode("utf-8"), EvidenceType.TEXT, "text-named-jpg"),
    ("memo.txt", lambda: "MZ세대 부부의 대화\n".encode() * 20, EvidenceType.TEXT, "text-starting-MZ"),
    ("memo.txt", lambda: "BMW 차량 명의 이전\n".encode() * 20, EvidenceType.TEXT, "text-starting-BM"),
    ("memo.txt", lambda: ("가" * 30_000 + "나" * 10_000).encode(), EvidenceType.TEXT, "utf8-cut-at-64k"),
]


@pytest.mark.parametrize(("name", "make", "expected"), [c[:3] for c in CASES], ids=[c[3] for c in CASES])
def test_detects_type_from_content(tmp_path: Path, name: str, make: Callable[[], bytes], expected: str) -> None:
    data = make()
    path = tmp_path / name
    path.write_bytes(data)
    detected = detect_type(path, name)
    assert detected.type == expected, detected
    assert detected.mime and detected.reason


def test_zero_byte_file_is_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EvidenceError) as err:
        detect_type(path, "empty.txt")
    assert err.value.code == "EMPTY_FILE"


def test_mime_of_common_types(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(_pdf())
    assert detect_type(path, "x.jpg").mime == "application/pdf"
    path.write_bytes(_image("PNG"))
    assert detect_type(path, "").mime == "image/png"
