"""Evidence type detection from the file's CONTENT (magic bytes and structure); the filename is only a hint.

A `.jpg` that is really a PDF is a PDF. The name breaks ties only where the bytes cannot (an MP4 container
with a generic brand named `.m4a` is a voice recording).
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import filetype
import olefile

from leh.domain.errors import EvidenceError
from leh.domain.evidence import EvidenceType
from leh.pipeline.parsers.textdecode import sample_quality

HEAD_BYTES: Final = 64 * 1024
HWP_SCAN_BYTES: Final = 1024 * 1024
# Share of control characters (other than tab, newlines, form feed, ESC) and undecodable bytes above which decoded
# bytes are not text. Below it, a long text with a few bad bytes is text: the parser replaces them and warns.
MAX_CONTROL_SHARE: Final = 0.01
# A stray NUL or two (a sync tool's glitch) in text that is not UTF-16: at most this share of the head's bytes.
MAX_NUL_SHARE: Final = 0.001

DetectedKind = EvidenceType | Literal["hwp", "unsupported"]


@dataclass(frozen=True)
class DetectedType:
    type: DetectedKind
    mime: str
    reason: str


# ISO base media (ftyp) brands. Audio-only brands; everything else in an ftyp box is a video container.
_AUDIO_BRANDS: Final = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})
_IMAGE_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"})
_AUDIO_EXTS: Final = frozenset({"m4a", "m4b", "aac", "mp3", "wav", "ogg", "amr", "3ga"})

_ARCHIVES: Final[tuple[tuple[bytes, int, str, str], ...]] = (
    # (magic, offset, mime, reason)
    (b"\x7fELF", 0, "application/x-executable", "ELF executable"),
    (b"\x1f\x8b", 0, "application/gzip", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "application/x-7z-compressed", "7z archive"),
    (b"Rar!\x1a\x07", 0, "application/vnd.rar", "RAR archive"),
    (b"\xfd7zXZ\x00", 0, "application/x-xz", "xz archive"),
    (b"\x28\xb5\x2f\xfd", 0, "application/zstd", "zstd archive"),
    (b"BZh", 0, "application/x-bzip2", "bzip2 archive"),
    (b"ustar", 257, "application/x-tar", "tar archive"),
    (b"\xca\xfe\xba\xbe", 0, "application/x-mach-binary", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", 0, "application/x-mach-binary", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", 0, "application/x-mach-binary", "Mach-O executable"),
    (b"SQLite format 3\x00", 0, "application/vnd.sqlite3", "SQLite database"),
)


def detect_type(path: Path, filename_hint: str = "") -> DetectedType:
    """What the file really is. Raises EvidenceError(EMPTY_FILE) for a zero-byte file."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EvidenceError("EMPTY_FILE")
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise EvidenceError("EMPTY_FILE")  # a text file holding only its byte-order mark
    ext = filename_hint.rsplit(".", 1)[-1].lower() if "." in filename_hint else ""
    found = _by_magic(path, head, size, ext)
    if found is not None:
        return found
    if _PHONE_BACKUP_RX.match(head) or _PHONE_BACKUP_DOCTYPE_RX.match(head):
        return DetectedType(EvidenceType.SMS, "application/xml", "SMS/call-log backup XML")
    if looks_like_mail(head):
        return DetectedType(EvidenceType.EMAIL, "message/rfc822", "mail header block")
    if _looks_like_text(head, at_eof=size <= HEAD_BYTES):
        return DetectedType(EvidenceType.TEXT, "text/plain", "decodes as text")
    guess = filetype.guess(head)
    if guess is not None:
        # Other audio/video containers (AIFF, WMA/ASF, FLV …) go to the ffmpeg-based parsers, which
        # read far more than the formats named above; any other recognised format is not evidence we read.
        kind: DetectedKind = "unsupported"
        if guess.mime.startswith("audio/") and guess.mime != "audio/midi":  # MIDI is notes, not sound
            kind = EvidenceType.AUDIO
        elif guess.mime.startswith("video/"):
            kind = EvidenceType.VIDEO
        return DetectedType(kind, guess.mime, f"{guess.extension} signature")
    claimed = _CLAIMED.get(ext)
    if claimed is not None:
        # Named as a format we read but unrecognisable (a damaged or cut-off file): its own parser says what is
        # wrong (PDF_CORRUPT, IMAGE_CORRUPT …) instead of "unsupported format", which sends the user the wrong way.
        return DetectedType(claimed, "application/octet-stream", f"named .{ext}, content not recognised")
    return DetectedType("unsupported", "application/octet-stream", "binary data of an unknown format")


# Names that claim a format we read; used only when the bytes match no format at all.
_CLAIMED: Final[dict[str, DetectedKind]] = {
    "pdf": EvidenceType.PDF, "docx": EvidenceType.DOCX, "jpg": EvidenceType.IMAGE, "jpeg": EvidenceType.IMAGE,
    "png": EvidenceType.IMAGE, **{e: EvidenceType.AUDIO for e in ("m4a", "mp3", "wav", "aac", "amr", "3ga")},
    "mp4": EvidenceType.VIDEO, "mov": EvidenceType.VIDEO, "msg": EvidenceType.EMAIL,
    "hwp": "hwp", "hwpx": "hwp", "xlsx": EvidenceType.SPREADSHEET,
}
_ZIP_BASED: Final = frozenset({"docx", "xlsx", "hwpx"})


def _by_magic(path: Path, head: bytes, size: int, ext: str) -> DetectedType | None:
    # PDF readers accept a header anywhere in the first KiB (some scanners prepend junk), so look there.
    if b"%PDF-" in head[:1024]:
        return DetectedType(EvidenceType.PDF, "application/pdf", "PDF header")
    found = _media_signature(head, ext)
    if found is not None:
        return found
    # Checked before MPEG frame sync: FF FE is both the UTF-16LE BOM and a valid-looking frame-sync prefix.
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return None
    return _mpeg_audio(head) or _package_or_binary(path, head, size, ext)


# Fixed signatures at offset 0, checked in this order (images before the RIFF and ftyp containers, the rest after).
_IMAGE_SIGNATURES: Final = (
    (b"\xff\xd8\xff", DetectedType(EvidenceType.IMAGE, "image/jpeg", "JPEG signature")),
    (b"\x89PNG\r\n\x1a\n", DetectedType(EvidenceType.IMAGE, "image/png", "PNG signature")),
    (b"GIF87a", DetectedType(EvidenceType.IMAGE, "image/gif", "GIF signature")),
    (b"GIF89a", DetectedType(EvidenceType.IMAGE, "image/gif", "GIF signature")),
    (b"II*\x00", DetectedType(EvidenceType.IMAGE, "image/tiff", "TIFF signature")),
    (b"MM\x00*", DetectedType(EvidenceType.IMAGE, "image/tiff", "TIFF signature")),
)
_RIFF_KINDS: Final = {
    b"WEBP": DetectedType(EvidenceType.IMAGE, "image/webp", "RIFF WEBP"),
    b"WAVE": DetectedType(EvidenceType.AUDIO, "audio/wav", "RIFF WAVE"),
    b"AVI ": DetectedType(EvidenceType.VIDEO, "video/x-msvideo", "RIFF AVI"),
}
_MEDIA_SIGNATURES: Final = (
    (b"\x1a\x45\xdf\xa3", DetectedType(EvidenceType.VIDEO, "video/webm", "Matroska/WebM signature")),
    (b"#!AMR", DetectedType(EvidenceType.AUDIO, "audio/amr", "AMR signature")),
    (b"fLaC", DetectedType(EvidenceType.AUDIO, "audio/flac", "FLAC signature")),
    (b"ID3", DetectedType(EvidenceType.AUDIO, "audio/mpeg", "ID3 tag")),
)


def _media_signature(head: bytes, ext: str) -> DetectedType | None:
    """Images, RIFF (WebP/WAV/AVI), ISO media (ftyp), Ogg and the other audio/video signatures."""
    for magic, found in _IMAGE_SIGNATURES:
        if head.startswith(magic):
            return found
    if head[:4] == b"RIFF" and len(head) >= 12 and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if head[4:8] == b"ftyp":
        return _iso_bmff(head, ext)
    if head.startswith(b"OggS"):
        if b"\x80theora" in head[:4096]:
            return DetectedType(EvidenceType.VIDEO, "video/ogg", "Ogg Theora")
        return DetectedType(EvidenceType.AUDIO, "audio/ogg", "Ogg signature")
    for magic, found in _MEDIA_SIGNATURES:
        if head.startswith(magic):
            return found
    return None


def _package_or_binary(path: Path, head: bytes, size: int, ext: str) -> DetectedType | None:
    """Zip (DOCX/HWPX), OLE (HWP 5, Outlook .msg), HWP 3, archives and executables, and BMP (a two-letter magic)."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip(path, ext)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole(path, size, ext)
    if head.startswith(b"HWP Document File"):
        return DetectedType("hwp", "application/x-hwp", "HWP 3.0 signature")
    for magic, offset, mime, reason in _ARCHIVES:
        if head[offset:offset + len(magic)] == magic and (magic != b"BZh" or head[10:16] == b"1AY&SY"):
            return DetectedType("unsupported", mime, reason)
    # Two-letter magics need their structure checked too: a text file may well start with "MZ세대" or "BMW".
    if head.startswith(b"MZ") and _is_pe(head):
        return DetectedType("unsupported", "application/vnd.microsoft.portable-executable", "Windows executable")
    if head.startswith(b"BM") and _is_bmp(head, size):
        return DetectedType(EvidenceType.IMAGE, "image/bmp", "BMP header")
    return None


def _iso_bmff(head: bytes, ext: str) -> DetectedType:
    """MP4/MOV/M4A/HEIC by the ftyp box: major brand plus compatible brands."""
    box_size = struct.unpack(">I", head[:4])[0]
    end = min(max(box_size, 16), len(head), 4096)
    major = head[8:12]
    brands = {major} | {head[i:i + 4] for i in range(16, end - 3, 4)}
    if major in _IMAGE_BRANDS or (brands & _IMAGE_BRANDS and not brands & {b"isom", b"mp41", b"mp42", b"qt  "}):
        return DetectedType(EvidenceType.IMAGE, "image/heic", f"ftyp {major.decode('latin-1').strip()}")
    if major in _AUDIO_BRANDS:
        return DetectedType(EvidenceType.AUDIO, "audio/mp4", f"ftyp {major.decode('latin-1').strip()}")
    brand = major.decode("latin-1").strip()
    # Phone recorders write voice memos as MP4 with a generic brand (isom/mp42/3gp); only the name tells.
    if ext in _AUDIO_EXTS:
        return DetectedType(EvidenceType.AUDIO, "audio/mp4", f"ftyp {brand}, named .{ext}")
    mime = "video/quicktime" if major == b"qt  " else "video/mp4"
    return DetectedType(EvidenceType.VIDEO, mime, f"ftyp {brand}")


_MPEG_RATES: Final = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MPEG1_L3_KBPS: Final = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG2_L3_KBPS: Final = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def _mpeg_audio(head: bytes) -> DetectedType | None:
    """MP3 (Layer III frame, confirmed by the next frame header when the file is long enough) or AAC ADTS."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    if head[1] & 0xF6 == 0xF0:  # ADTS: sync 0xFFF, layer 00
        return DetectedType(EvidenceType.AUDIO, "audio/aac", "AAC ADTS frame")
    length = _mp3_frame_length(head, 0)
    if length is None:
        return None
    if len(head) >= length + 4 and _mp3_frame_length(head, length) is None:
        return None
    return DetectedType(EvidenceType.AUDIO, "audio/mpeg", "MPEG audio frame sync")


def _mp3_frame_length(data: bytes, at: int) -> int | None:
    if len(data) < at + 4 or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version = (data[at + 1] >> 3) & 3  # 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5, 1 reserved
    layer = (data[at + 1] >> 1) & 3  # 1 = Layer III
    bitrate_index, rate_index = data[at + 2] >> 4, (data[at + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    kbps = (_MPEG1_L3_KBPS if version == 3 else _MPEG2_L3_KBPS)[bitrate_index]
    rate = _MPEG_RATES[version][rate_index]
    padding = (data[at + 2] >> 1) & 1
    return (144 if version == 3 else 72) * kbps * 1000 // rate + padding


def _zip(path: Path, ext: str = "") -> DetectedType:
    """DOCX (word/document.xml), XLSX (xl/workbook.xml), HWPX (→ "hwp"), anything else zipped is unsupported.

    A damaged zip named as a zip-based format we read (.docx, .xlsx, .hwpx) goes to that parser, which says it is
    damaged (DOCX_CORRUPT …), instead of "unsupported format"."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:64] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError):
        claimed = _CLAIMED.get(ext) if ext in _ZIP_BASED else None
        if claimed is not None:
            return DetectedType(claimed, "application/zip", f"damaged zip named .{ext}")
        return DetectedType("unsupported", "application/zip", "damaged zip archive")
    if "word/document.xml" in names:
        return DetectedType(EvidenceType.DOCX,
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            "zip with word/document.xml")
    if "xl/workbook.xml" in names:
        return DetectedType(EvidenceType.SPREADSHEET, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            "zip with xl/workbook.xml")
    if mimetype.startswith(b"application/hwp") or any(n.lower().startswith("contents/section") for n in names):
        return DetectedType("hwp", "application/hwp+zip", "HWPX package")
    return DetectedType("unsupported", "application/zip", "zip archive")


def _ole(path: Path, size: int, ext: str) -> DetectedType:
    """OLE compound file: HWP 5 if its FileHeader stream signature is present, an Outlook .msg by its MAPI property
    streams, else (doc/xls …) unsupported."""
    with path.open("rb") as fh:
        data = fh.read(HWP_SCAN_BYTES)
    # The FileHeader stream is tiny and sits in the mini stream near the start; its first bytes are the signature.
    names = "FileHeader".encode("utf-16-le"), "HwpSummaryInformation".encode("utf-16-le")
    if b"HWP Document File" in data or all(name in data for name in names):
        return DetectedType("hwp", "application/x-hwp", "OLE file with HWP signature")
    if "EncryptedPackage".encode("utf-16-le") in data:
        # A password-protected .xlsx/.docx: the spreadsheet parser answers OFFICE_ENCRYPTED.
        return DetectedType(EvidenceType.SPREADSHEET, "application/x-ole-storage", "encrypted Office package")
    if _is_msg(path, data, size):
        return DetectedType(EvidenceType.EMAIL, "application/vnd.ms-outlook", "OLE file with MAPI property streams")
    if ext == "msg":
        # Named .msg but its streams are unreadable: the mail parser says EMAIL_CORRUPT.
        return DetectedType(EvidenceType.EMAIL, "application/vnd.ms-outlook", "named .msg, OLE streams not recognised")
    return DetectedType("unsupported", "application/x-ole-storage", "OLE compound file (not HWP)")


_MSG_NAMES: Final = ("__properties_version1.0".encode("utf-16-le"), "__substg1.0_".encode("utf-16-le"))


def _is_msg(path: Path, data: bytes, size: int) -> bool:
    """An Outlook item: `__properties_version1.0` and `__substg1.0_…` streams at the top level. The directory
    is usually near the start; in a larger file it may lie past the scanned bytes, so olefile lists it."""
    if all(name in data for name in _MSG_NAMES):
        return True
    if size <= len(data):
        return False
    try:
        with olefile.OleFileIO(str(path)) as ole:
            top = {entry[0] for entry in ole.listdir(streams=True, storages=False) if len(entry) == 1}
    except (OSError, ValueError, IndexError, KeyError, struct.error, RuntimeError):
        return False
    return "__properties_version1.0" in top and any(name.startswith("__substg1.0_") for name in top)


# "SMS Backup & Restore" (Android): <smses …> or <calls …> after the XML declaration and comments.
_PHONE_BACKUP_RX: Final = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:smses|calls)[\s>/]",
                                     re.DOTALL)
# The same with a DOCTYPE (backups never have one; the parser refuses it as PHONE_BACKUP_CORRUPT, never expanding
# an entity), rather than reading the entity declarations as plain text.
_PHONE_BACKUP_DOCTYPE_RX: Final = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,2000}?-->\s*)*<!DOCTYPE\s+(?:smses|calls)[\s\[>]",
    re.DOTALL)
_MAIL_HEADER_RX: Final = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,60}:")
_MAIL_HEADER_NAMES: Final = frozenset({"from", "to", "cc", "date", "subject", "message-id", "received",
                                       "mime-version", "return-path", "delivered-to", "reply-to", "x-mailer", "content-type"})


def looks_like_mail(head: bytes) -> bool:
    """The file opens with a mail header block naming From and at least one other mail header."""
    text = head[:16384].decode("utf-8", "replace").replace("\r\n", "\n")
    block = text.split("\n\n", 1)[0].split("\n")
    names: set[str] = set()
    for line in block:
        if line[:1] in (" ", "\t"):
            continue  # a folded header's continuation
        if not _MAIL_HEADER_RX.match(line):
            return False
        names.add(line.split(":", 1)[0].lower())
    return "from" in names and len(names & _MAIL_HEADER_NAMES) >= 2 and ("\n\n" in text or len(text) >= 16000)


def _is_pe(head: bytes) -> bool:
    if len(head) < 64:
        return False
    offset = struct.unpack("<I", head[0x3C:0x40])[0]
    return head[offset:offset + 4] == b"PE\x00\x00" if offset + 4 <= len(head) else b"\x00" in head[:64]


def _is_bmp(head: bytes, size: int) -> bool:
    if len(head) < 26:
        return False
    declared, pixel_offset, dib = struct.unpack("<I4xII", head[2:18])
    return dib in (12, 40, 52, 56, 64, 108, 124) and declared <= size and 14 + dib <= pixel_offset < size


def _looks_like_text(head: bytes, *, at_eof: bool) -> bool:
    """UTF-8 / UTF-16 (BOM or NUL pattern) / CP949 that decodes cleanly with almost no control characters."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return _decodes(head[len(bom):], encoding, at_eof)
    utf16 = _utf16_by_nuls(head)
    if utf16:
        return _decodes(head, utf16, at_eof)
    if head.count(0) > MAX_NUL_SHARE * len(head):
        return False
    return _decodes(head, "utf-8", at_eof) or _decodes(head, "cp949", at_eof)


def _utf16_by_nuls(head: bytes) -> str | None:
    # UTF-16 without a BOM: ASCII-range characters leave NUL in every other byte.
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str, at_eof: bool) -> bool:
    """Decodes to text: undecodable bytes (replaced) and control characters together at most MAX_CONTROL_SHARE.

    A few bad bytes in a long text (a sync glitch, a pasted line in another encoding) keep it text: the text
    parser reads it with those bytes replaced and a TEXT_CHARS_REPLACED warning, rather than refusing the file."""
    # final=False unless the whole file is here: the 64 KiB cut may split a multi-byte character.
    quality = sample_quality(data, encoding, at_eof)
    if quality is None:
        return False
    text, bad = quality
    return bool(text) and bad <= MAX_CONTROL_SHARE * len(text)
