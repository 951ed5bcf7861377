"""Image parser: OCR lines with boxes, EXIF capture time, and chat times read off KakaoTalk screenshots.

Runs in the sandbox child. Pixel count is checked from the header before decoding, so a decompression bomb
(huge dimensions in a tiny file) fails before it allocates anything.
"""

from __future__ import annotations

import math
import re
import struct
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final, cast

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.dates import hour_24, iso, make_datetime, zone
from leh.pipeline.parsers.dating import date_segments, earliest
from leh.ports import OcrEngine, OcrLine

MAX_FRAMES: Final = 50  # pages of a multi-page TIFF scan that are OCR'd
_HEIF_BRANDS: Final = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
_DECODE_ERRORS: Final = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError,
                         ZeroDivisionError)
# KakaoTalk date divider (`2023년 12월 25일 월요일`) and message time (`오후 10:20`, English UI `10:20 PM`).
_DIVIDER = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일(?:\s*[가-힣]요일)?")
_TIME_KO = re.compile(r"(오전|오후)\s*(\d{1,2})\s*[:;.]\s*(\d{2})(?!\d)")
_TIME_EN = re.compile(r"(?<!\d)(\d{1,2})\s*[:;]\s*(\d{2})\s*([AaPp][Mm])\b")
# OCR leaves a little debris around a divider (the pill's edge read as `(` or `|`); allow a few characters.
_DIVIDER_SLACK: Final = 3


def parse(path: Path, ctx: ParseContext, ocr: OcrEngine | None = None) -> ParseResult:
    """OCR every frame (TIFF pages; the first frame of anything else); EXIF and chat times give ts/event_time."""
    if ocr is None:
        # In the sandbox child: the engine comes from its name (ctx.engines) through the one registry.
        from leh.engines import ocr as ocr_engine

        ocr = ocr_engine(ctx.engines)
    _register_heif_if_needed(path)
    limit = ctx.limits.max_image_pixels
    # Pillow's own guard (a warning past the limit, an error past twice the limit), made strict. It is a
    # process global: restored afterwards for in-process callers (in the sandbox child it does not matter).
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limit
    try:
        lines_by_frame, meta, exif_time = _read(path, ctx, ocr, limit)
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit
    frames = meta["frames"]

    segments: list[Segment] = []
    chat_times: list[datetime] = []
    for page, lines in lines_by_frame:
        # Lines arrive in the engine's reading order (top to bottom for a chat screen), which the chat-time
        # pass relies on; re-sorting by box would interleave the columns of a two-column page.
        stamps = chat_timestamps([line.text for line in lines], ctx.timezone)
        for line, stamp in zip(lines, stamps, strict=True):
            ref: dict[str, Any] = {"box": list(line.box), "conf": line.confidence}
            if frames > 1:
                ref["page"] = page
            kind = "system" if stamp.ui else "text"
            segments.append(Segment(seq=len(segments), text=line.text, ref=ref, kind=kind,
                                    **_stamp_time(stamp, ctx.timezone)))
            if stamp.at is not None:
                chat_times.append(stamp.at)
    # A photographed document (진단서, 상담일지 …): its own date and dated lines; chat times above are kept.
    doc_date = None if chat_times else date_segments(segments, ctx.timezone)
    meta["ocr_lines"] = len(segments)
    meta["engine"] = "tesseract"
    if chat_times:
        meta["chat_screenshot"] = True
    if exif_time is not None:
        meta["exif_time"] = iso(exif_time)
    # The chat's own time, or the document's own date, is when the evidence happened; EXIF only says when the
    # picture was taken.
    # The first chat time, or the day of a bubble whose time was not read.
    first = earliest(segments) if chat_times else None
    if first is not None:
        return ParseResult(segments=segments, event_time=first.iso, event_time_precision=first.precision, meta=meta)
    if doc_date is not None:
        meta["document_date"] = True
    else:
        # A chat screenshot whose times were not read (its divider's day), or a photographed note's dated line.
        doc_date = earliest(segments)
    if doc_date is not None:
        return ParseResult(segments=segments, event_time=doc_date.iso, event_time_precision=doc_date.precision,
                           meta=meta)
    return ParseResult(segments=segments, event_time=iso(exif_time) if exif_time else None,
                       event_time_precision="second" if exif_time else None, meta=meta)


def _read(path: Path, ctx: ParseContext, ocr: OcrEngine,
          limit: int) -> tuple[list[tuple[int, list[OcrLine]]], dict[str, Any], datetime | None]:
    """Decode and OCR each frame; decoding problems become IMAGE_TOO_LARGE / IMAGE_CORRUPT."""
    lines_by_frame: list[tuple[int, list[OcrLine]]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                exif_time = _exif_time(image, ctx.timezone)
                frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
                meta: dict[str, Any] = {"format": image.format, "width": image.width, "height": image.height,
                                        "frames": frames}
                location = exif_location(image)
                if location is not None:
                    meta["location"] = location  # stored on the evidence by the worker
                with tempfile.TemporaryDirectory(prefix="leh-img-") as tmp:
                    for index in range(min(frames, MAX_FRAMES)):
                        image.seek(index)
                        if image.width * image.height > limit:
                            raise EvidenceError("IMAGE_TOO_LARGE")
                        png = Path(tmp) / f"frame-{index}.png"
                        _upright(image).save(png, compress_level=1)
                        lines_by_frame.append((index + 1, list(ocr.read(png, languages="kor+eng"))))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise EvidenceError("IMAGE_TOO_LARGE") from exc
        except UnidentifiedImageError as exc:
            raise EvidenceError("IMAGE_CORRUPT") from exc
        except EvidenceError:
            raise
        except _DECODE_ERRORS as exc:
            raise EvidenceError("IMAGE_CORRUPT") from exc
    return lines_by_frame, meta, exif_time


def _register_heif_if_needed(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(32)
    if head[4:8] != b"ftyp" or not any(brand in head[8:32] for brand in _HEIF_BRANDS):
        return
    import pillow_heif  # imported only for HEIF files: it loads libheif

    pillow_heif.register_heif_opener()


def _upright(image: Image.Image) -> Image.Image:
    """The frame as displayed: EXIF orientation applied, in a mode PNG and the OCR engine accept."""
    frame = ImageOps.exif_transpose(image) or image
    if frame.mode in ("1", "L", "LA", "RGB", "RGBA", "P"):
        return frame
    if frame.mode.startswith("I;16") or frame.mode in ("I", "F"):
        # 16-bit/float scans: scale to 8 bits rather than clip everything above 255 to white.
        frame = frame.convert("I") if frame.mode.startswith("I;16") else frame
        low, high = cast(tuple[float, float], frame.getextrema())
        span = (high - low) or 1
        return frame.point(lambda v: (v - low) * 255 / span).convert("L")
    return frame.convert("RGB")


# ---------------------------------------------------------------- EXIF
_EXIF_DATETIME_ORIGINAL: Final = 0x9003
_EXIF_DATETIME_DIGITIZED: Final = 0x9004
_EXIF_OFFSET_ORIGINAL: Final = 0x9011
_EXIF_OFFSET_DIGITIZED: Final = 0x9012
_EXIF_STAMP = re.compile(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")


def _exif_time(image: Image.Image, tz: str) -> datetime | None:
    """DateTimeOriginal (else DateTimeDigitized) with its OffsetTime*, else read in the case's timezone."""
    try:
        exif = image.getexif()
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except _DECODE_ERRORS:
        return None  # a broken EXIF block is no reason to reject the picture
    for stamp_tag, offset_tag in ((_EXIF_DATETIME_ORIGINAL, _EXIF_OFFSET_ORIGINAL),
                                  (_EXIF_DATETIME_DIGITIZED, _EXIF_OFFSET_DIGITIZED)):
        stamp = _text(sub.get(stamp_tag))
        m = _EXIF_STAMP.search(stamp or "")
        if not m:
            continue
        year, month, day, hour, minute, second = (int(g) for g in m.groups())
        offset = _EXIF_OFFSET.fullmatch((_text(sub.get(offset_tag)) or "").strip())
        try:
            if offset:
                sign = -1 if offset[1] == "-" else 1
                tzinfo = timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3])))
                return datetime(year, month, day, hour, minute, second, tzinfo=tzinfo)
            return datetime(year, month, day, hour, minute, second, tzinfo=zone(tz))
        except ValueError:
            continue  # "0000:00:00 00:00:00" and other placeholders cameras write
    return None


_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_AREA = 1, 2, 3, 4, 28
_EXIF_CHARSETS: Final = {b"ASCII\x00\x00\x00": "utf-8", b"UNICODE\x00": "utf-16", b"JIS\x00\x00\x00\x00\x00": "shift_jis"}


def exif_location(image: Image.Image) -> dict[str, Any] | None:
    """Where the photo was taken: {"lat", "lon", "source": "exif"} in decimal degrees from the GPS IFD, plus
    "address" when the camera wrote GPSAreaInformation. None without a (plausible) position."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "S")
        lon = _degrees(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "W")
    except (*_DECODE_ERRORS, ZeroDivisionError):
        return None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0.0, 0.0):
        return None
    found: dict[str, Any] = {"lat": round(lat, 6), "lon": round(lon, 6), "source": "exif"}
    address = _area(gps.get(_GPS_AREA))
    if address:
        found["address"] = address
    return found


def _degrees(value: Any, ref: Any, negative: str) -> float | None:
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    d, m, s = (float(v) for v in value)
    if any(math.isnan(v) for v in (d, m, s)):
        return None
    sign = -1.0 if (_text(ref) or "").upper() == negative else 1.0
    return sign * (d + m / 60 + s / 3600)


def _area(value: Any) -> str | None:
    """GPSAreaInformation: an 8-byte character-code prefix, then the text (UNICODE in either byte order)."""
    if isinstance(value, str):
        return value.strip("\x00 ")[:200] or None
    if not isinstance(value, bytes) or len(value) <= 8:
        return None
    encoding = _EXIF_CHARSETS.get(value[:8], "utf-8")
    body = value[8:] if value[:8] in _EXIF_CHARSETS or value[:8] == b"\x00" * 8 else value
    if encoding == "utf-16":
        options = [body.decode(e, "replace") for e in ("utf-16-be", "utf-16-le")]
        text = max(options, key=lambda t: sum(ch.isprintable() and (ch.isascii() or "가" <= ch <= "힣") for ch in t))
    else:
        text = body.decode(encoding, "replace")
    return unicodedata.normalize("NFC", text).strip("\x00 ")[:200] or None


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="ignore")
    return value.strip("\x00 ") if isinstance(value, str) else None


# ---------------------------------------------------------------- KakaoTalk screenshots
@dataclass(frozen=True)
class ChatStamp:
    at: datetime | None  # when the line was sent, if the screenshot shows it
    ui: bool  # a date divider or a bare time label: screen furniture, not anybody's words
    day: date | None = None  # the divider's day above the line, known even when no time label is read


def chat_timestamps(texts: list[str], tz: str) -> list[ChatStamp]:
    """Per OCR line (top to bottom), the chat time shown on a KakaoTalk screen, if any.

    The date comes from the nearest divider above (`2023년 12월 25일 월요일`); the time from the nearest
    `오후 10:20` at or below the line before the next divider, because KakaoTalk prints the time beside the
    LAST bubble of a run (sender name and earlier lines of the run sit above it). Lines before the first
    divider, or with no time below them, stay undated.
    """
    stamps: list[ChatStamp] = [ChatStamp(None, False)] * len(texts)
    day: date | None = None
    waiting: list[int] = []
    for index, text in enumerate(texts):
        divider = _divider_date(text)
        if divider is not None:
            day, waiting = divider, []
            stamps[index] = ChatStamp(None, True)
            continue
        clock = _clock(text)
        bare_time = clock is not None and _is_bare_time(text)
        stamps[index] = ChatStamp(None, bare_time, day)
        if day is None:
            continue
        waiting.append(index)
        if clock is None:
            continue
        try:
            at = make_datetime(day.year, day.month, day.day, clock[0], clock[1], 0, tz)
        except ValueError:
            waiting = []
            continue
        for waiting_index in waiting:
            stamps[waiting_index] = ChatStamp(at, stamps[waiting_index].ui, day)
        waiting = []
    return stamps


def _stamp_time(stamp: ChatStamp, tz: str) -> dict[str, Any]:
    """ts and precision of a screenshot line: its chat time, else (a bubble whose time was not read) the day
    of the divider above it, as a day; dividers and time labels themselves stay undated."""
    if stamp.at is not None:
        return {"ts": iso(stamp.at), "ts_precision": "minute"}
    if stamp.day is not None and not stamp.ui:
        return {"ts": iso(make_datetime(stamp.day.year, stamp.day.month, stamp.day.day, tz=tz)),
                "ts_precision": "day"}
    return {"ts": None}


def _divider_date(text: str) -> date | None:
    m = _DIVIDER.search(text)
    if not m:
        return None
    rest = text[:m.start()] + text[m.end():]
    if sum(1 for ch in rest if ch.isalnum()) > _DIVIDER_SLACK:
        return None  # a date inside a message, not a divider
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _clock(text: str) -> tuple[int, int] | None:
    """(hour, minute) of the first 12-hour time label in the line, or None."""
    m = _TIME_KO.search(text)
    if m:
        hour, minute, marker = int(m[2]), int(m[3]), m[1]
    else:
        m = _TIME_EN.search(text)
        if not m:
            return None
        hour, minute, marker = int(m[1]), int(m[2]), m[3].upper()
    if minute > 59:
        return None
    try:
        return hour_24(hour, marker), minute
    except ValueError:
        return None


def _is_bare_time(text: str) -> bool:
    stripped = _TIME_KO.sub("", _TIME_EN.sub("", text))
    return sum(1 for ch in stripped if ch.isalnum()) <= 1
