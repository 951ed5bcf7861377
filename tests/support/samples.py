"""Evidence files made on the spot for tests: Korean text images, PDFs, speech, video, docx, chat exports."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"


def korean_text_png(lines: list[str], *, size: int = 32) -> bytes:
    """Black NanumGothic text on white, one margin of the font size around it, 1.8 line spacing."""
    font = ImageFont.truetype(FONT_PATH, size)
    width = int(max(font.getlength(line) for line in lines)) + 2 * size
    image = Image.new("RGB", (width, int(size * 1.8) * len(lines) + 2 * size), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size + i * int(size * 1.8)), line, font=font, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
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
