"""Evidence files made on the spot for tests: Korean text images, PDFs, speech, video, docx, chat exports."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"


def korean_text_image(lines: list[str], *, size: int = 32) -> Image.Image:
    """Black NanumGothic text on white, one margin of the font size around it, 1.8 line spacing."""
    font = ImageFont.truetype(FONT_PATH, size)
    width = int(max(font.getlength(line) for line in lines)) + 2 * size
    image = Image.new("RGB", (width, int(size * 1.8) * len(lines) + 2 * size), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size + i * int(size * 1.8)), line, font=font, fill="black")
    return image


def korean_text_png(lines: list[str], *, size: int = 32) -> bytes:
    """`korean_text_image` as PNG bytes."""
    out = io.BytesIO()
    korean_text_image(lines, size=size).save(out, format="PNG")
    return out.getvalue()


def text_pdf(pages: list[list[str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", FONT_PATH))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for lines in pages:
        c.setFont("NanumGothic", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 780 - i * 36, line)  # a blank line between lines: one paragraph each
        c.showPage()
    c.save()
    return out.getvalue()


def scanned_pdf(lines: list[str]) -> bytes:
    """A PDF page that is only a picture of text (no text layer), as a scanner makes it."""
    image = Image.open(io.BytesIO(korean_text_png(lines, size=48))).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200.0)
    return out.getvalue()


def encrypted_pdf(lines: list[str], password: str = "secret-pw") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([lines]))))
    writer.encrypt(user_password=password, owner_password=password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with_corrupt_member(paragraphs: list[str]) -> bytes:
    """A valid Word document plus a media member whose stored CRC is wrong: the text must still be read."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes(paragraphs))) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("word/media/image1.png", b"\x89PNG" + b"A" * 200)
    raw = bytearray(buf.getvalue())
    raw[raw.find(b"\x89PNGAAAA") + 50] ^= 0xFF  # the member's bytes no longer match its CRC
    return bytes(raw)


def english_speech_wav(text: str, dest: Path) -> Path:
    """espeak-ng at 120 wpm: slow enough for the tiny.en Whisper model to hear every word."""
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "120", "-w", str(dest), text], check=True, capture_output=True)
    return dest


def korean_speech_wav(text: str, dest: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(dest), text], check=True, capture_output=True)
    return dest


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", *map(str, args)], check=True, capture_output=True)


def video_with_audio(wav: Path, dest: Path, *, creation_time: str | None = None) -> Path:
    meta = ["-metadata", f"creation_time={creation_time}"] if creation_time else []
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=160x120:r=10", "-i", wav, "-shortest", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-c:a", "aac", *meta, dest)
    return dest


def kakao_android(messages: list[tuple[str, str, str]]) -> str:
    """Android export lines from (date-time `2023년 12월 25일 오후 10:20`, speaker, text)."""
    lines = ["홍길동 님과 카카오톡 대화", "저장한 날짜 : 2024년 1월 5일 오전 9:12", ""]
    for when, who, text in messages:
        lines.append(f"{when}, {who} : {text}")
    return "\n".join(lines) + "\n"


def word_recall(expected_lines: list[str], got: str) -> float:
    """Share of the expected words (with repeats) that appear as whole words in `got`: OCR quality."""
    words = [w for line in expected_lines for w in line.split()]
    found = Counter(got.split())
    hits = 0
    for word in words:
        if found[word] > 0:
            found[word] -= 1
            hits += 1
    return hits / len(words)


# ------------------------------------------------------------------------------------------------ 한글 (HWP)
HWPX_NS = ('xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
           'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"')


def hwpx_bytes(paragraphs: list[str], *, extra: dict[str, bytes] | None = None) -> bytes:
    """An HWPX package as Hangul writes one (mimetype first, stored), with one section of `hp:p` paragraphs.

    A "\\n" in a paragraph becomes an `hp:lineBreak` inside its run.
    """
    import zipfile
    from xml.sax.saxutils import escape

    def run(text: str) -> str:
        inner = "<hp:lineBreak/>".join(escape(part) for part in text.split("\n"))
        return f'<hp:p id="0"><hp:run charPrIDRef="0"><hp:t>{inner}</hp:t></hp:run></hp:p>'

    section = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><hs:sec {HWPX_NS}>'
               + "".join(run(p) for p in paragraphs) + "</hs:sec>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/hwp+zip")
        zf.writestr("version.xml", b'<?xml version="1.0"?><hv:HCFVersion xmlns:hv="urn:x"/>', zipfile.ZIP_DEFLATED)
        zf.writestr("Contents/section0.xml", section.encode(), zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            zf.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def hwp5_record(tag: int, body: bytes, level: int = 0) -> bytes:
    import struct

    if len(body) >= 0xFFF:
        return struct.pack("<II", tag | (level << 10) | (0xFFF << 20), len(body)) + body
    return struct.pack("<I", tag | (level << 10) | (len(body) << 20)) + body


def hwp5_para_text(text: str) -> bytes:
    """A PARA_TEXT body: the text in UTF-16LE ("\\n" as the line-break control 10), then the paragraph end (13)."""
    return text.encode("utf-16-le") + b"\x0d\x00"


def hwp5_bytes(paragraphs: list[str], *, compressed: bool = True, flags: int = 0, section: bytes | None = None,
               extra: dict[str, bytes] | None = None) -> bytes:
    """An HWP 5.0 document (tests/support/cfb.py writes the compound file): FileHeader + BodyText/Section0.

    Each paragraph is a PARA_HEADER (tag 66) then a PARA_TEXT record (tag 67); a table-like inline control
    (extended control 11, 8 WCHARs) opens the first paragraph so that the reader must skip it.
    """
    import struct
    import zlib

    from tests.support.cfb import write_cfb

    records = b""
    for n, text in enumerate(paragraphs):
        control = (struct.pack("<H", 11) + b"lbt " + b"\x00" * 8 + struct.pack("<H", 11)) if n == 0 else b""
        records += hwp5_record(66, b"\x00" * 22) + hwp5_record(67, control + hwp5_para_text(text), level=1)
    body = section if section is not None else records
    if compressed:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = packer.compress(body) + packer.flush()
    props = flags | (1 if compressed else 0)
    header = b"HWP Document File".ljust(32, b"\x00") + struct.pack("<II", 0x05000300, props)
    return write_cfb({"FileHeader": header.ljust(256, b"\x00"), "BodyText/Section0": body,
                      "DocInfo": b"\x00" * 16, **(extra or {})})


# ------------------------------------------------------------------------------------------------ statements
BANK_CSV = (
    "계좌번호,123-456-789\n"
    "조회기간,2024.03.01 ~ 2024.03.31\n"
    "\n"
    "거래일시,적요,출금액,입금액,거래후잔액,거래점\n"
    "2024.03.01 23:10:05,○○모텔,\"55,000\",0,\"1,200,000\",인터넷\n"
    "2024.03.02 09:00:00,급여,0,\"3,000,000\",\"4,200,000\",본점\n"
    "합계,,\"55,000\",\"3,000,000\",,\n"
)


def card_xlsx(rows: list[tuple[object, ...]], *, title_rows: int = 1) -> bytes:
    """A card statement workbook written with openpyxl: title rows, the header, then the charges."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "이용내역"
    for _ in range(title_rows):
        sheet.append(["○○카드 이용대금 명세서"])
    sheet.append(["이용일자", "이용시간", "가맹점명", "이용금액"])
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ e-mail
def eml_bytes(*, subject: str = "생활비 문제", body: str = "이번 달 생활비는 못 보냅니다.\n\n알아서 하세요.",
              html: str | None = None, attachments: list[tuple[str, bytes]] | None = None,
              mails: list[bytes] | None = None, date: str = "Sat, 02 Mar 2024 23:42:11 +0900") -> bytes:
    """A mail written with the standard library: text/plain (or only HTML), files and attached mails."""
    from email.message import EmailMessage
    from email.parser import BytesParser
    from email.policy import default

    msg = EmailMessage()
    msg["From"] = "홍길동 <hong@example.com>"
    msg["To"] = "김영희 <kim@example.com>"
    msg["Cc"] = "lee@example.com"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = "<test-1@example.com>"
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    for name, data in attachments or []:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    for inner in mails or []:
        msg.add_attachment(BytesParser(policy=default).parsebytes(inner))
    return msg.as_bytes()


# ------------------------------------------------------------------------------------------------ phone backups
def sms_backup_xml(items: list[dict[str, str]], root: str = "smses") -> bytes:
    """An "SMS Backup & Restore" file: each item's "tag" (sms, mms, call) with its attributes; an mms's "text"
    goes into a text/plain part."""
    from xml.sax.saxutils import quoteattr

    out = [f"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<!--File Created By SMS Backup & Restore-->\n"
           f'<{root} count="{len(items)}">']
    for item in items:
        attrs = " ".join(f"{k}={quoteattr(v)}" for k, v in item.items() if k not in ("tag", "text"))
        if item["tag"] == "mms":
            part = f'<part seq="0" ct="text/plain" text={quoteattr(item.get("text", ""))} />'
            out.append(f"  <mms {attrs}><parts>{part}</parts></mms>")
        else:
            out.append(f"  <{item['tag']} {attrs} />")
    out.append(f"</{root}>")
    return "\n".join(out).encode()


def gps_jpeg(lat: tuple[float, float, float], lon: tuple[float, float, float], *, refs: str = "NE",
             area: str | None = None, lines: list[str] | None = None) -> bytes:
    """A JPEG (Korean text drawn on it when `lines`) whose EXIF GPS IFD holds the position (and GPSAreaInformation)."""
    from PIL.TiffImagePlugin import IFDRational

    image = Image.open(io.BytesIO(korean_text_png(lines))) if lines else Image.new("RGB", (64, 64), "white")

    def dms(value: tuple[float, float, float]) -> tuple[IFDRational, ...]:
        return tuple(IFDRational(round(v * 100), 100) for v in value)

    exif = Image.Exif()
    gps: dict[int, object] = {1: refs[0], 2: dms(lat), 3: refs[1], 4: dms(lon)}
    if area is not None:
        gps[28] = b"UNICODE\x00" + area.encode("utf-16-be")
    exif[0x8825] = gps
    exif[0x8769] = {0x9003: "2024:03:02 23:50:00"}  # DateTimeOriginal, in the Exif sub-IFD
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def msg_bytes(*, subject: str = "생활비 문제", body: str = "이번 달 생활비는 못 보냅니다.\r\n\r\n알아서 하세요.",
              when: str | None = "2024-03-02T14:42:11+00:00", attachments: list[tuple[str, bytes]] | None = None,
              ansi_subject: bool = False, html: bytes | None = None, html_cpid: int = 65001,
              item_subject: str | None = None) -> bytes:
    """An Outlook .msg ([MS-OXMSG]) assembled with tests/support/cfb.py: UTF-16LE string streams, the submit time
    as a FILETIME in the top-level property stream, a recipient and attachment storages. Attachments should be
    at least 4096 bytes: cfb.py pads shorter streams with NULs. `item_subject` attaches an Outlook item (a mail
    from 이철수 sent 2024-03-01 10:00:00 UTC) instead of files."""
    import struct
    from datetime import UTC, datetime

    from tests.support.cfb import write_cfb

    def text(prop: int, value: str) -> tuple[str, bytes]:
        return f"__substg1.0_{prop:04X}001F", value.encode("utf-16-le") + b"\x00\x00"

    entries = b""
    if when is not None:
        ticks = int((datetime.fromisoformat(when) - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds()) * 10_000_000
        entries += struct.pack("<IIQ", (0x0039 << 16) | 0x0040, 6, ticks)
    entries += struct.pack("<IIQ", (0x3FFD << 16) | 0x0003, 6, 949)
    entries += struct.pack("<IIQ", (0x3FDE << 16) | 0x0003, 6, html_cpid)
    header = b"\x00" * 8 + struct.pack("<IIII", 1, len(attachments or []), 1, len(attachments or [])) + b"\x00" * 8
    streams = dict([text(0x0C1A, "홍길동"), text(0x0C1F, "hong@example.com"), text(0x0E04, "김영희"),
                    text(0x0E03, "lee@example.com")])
    if html is not None:  # PR_HTML only, as Outlook keeps an HTML mail without a plain-text body
        streams["__substg1.0_10130102"] = html
    else:
        streams.update([text(0x1000, body)])
    if ansi_subject:
        streams["__substg1.0_0037001E"] = subject.encode("cp949")
    else:
        streams.update([text(0x0037, subject)])
    streams["__properties_version1.0"] = header + entries
    name, value = text(0x39FE, "kim@example.com")
    streams[f"__recip_version1.0_#00000000/{name}"] = value
    for n, (filename, data) in enumerate(attachments or []):
        name, value = text(0x3707, filename)
        streams[f"__attach_version1.0_#{n:08X}/{name}"] = value
        streams[f"__attach_version1.0_#{n:08X}/__substg1.0_37010102"] = data
    if item_subject is not None:
        item = "__attach_version1.0_#00000000"
        name, value = text(0x3001, item_subject)
        streams[f"{item}/{name}"] = value
        sent = int((datetime(2024, 3, 1, 10, tzinfo=UTC) - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds()) * 10_000_000
        inner = {"__properties_version1.0": b"\x00" * 24 + struct.pack("<IIQ", (0x0039 << 16) | 0x0040, 6, sent),
                 **dict([text(0x0037, item_subject), text(0x0C1A, "이철수"), text(0x0C1F, "lee@example.com"),
                         text(0x1000, "원래 메일 본문입니다.")])}
        streams.update({f"{item}/__substg1.0_3701000D/{k}": v for k, v in inner.items()})
    return write_cfb(streams)
