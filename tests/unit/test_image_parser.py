"""Image parser: OCR recall on rendered Korean, EXIF time and orientation, KakaoTalk screenshot times, bombs, damage."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.base import ParseContext, ParseLimits
from leh.pipeline.parsers.image import chat_timestamps, parse
from leh.ports import OcrLine
from tests.support.samples import korean_text_image, word_recall

FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
LINES = ["2023년 12월 25일 월요일 오후에 남편이 집을 나갔습니다.",
         "아이들 양육비를 보내지 않겠다고 말했습니다.",
         "배우자의 부정행위로 인하여 혼인관계가 파탄에 이르렀습니다.",
         "상대방은 카카오톡으로 협박 메시지를 여러 차례 보냈습니다.",
         "Email: lawyer@example.com 010-1234-5678"]


@pytest.fixture(autouse=True)
def _one_omp_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


def _ctx(**limits: int) -> ParseContext:
    return ParseContext(filename="evidence.png", limits=ParseLimits(**limits))


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


def _kakao_screenshot() -> Image.Image:
    """A KakaoTalk-like screen: blue background, date-divider pills, white/yellow bubbles, times beside them."""
    width = 1080
    image = Image.new("RGB", (width, 1000), (178, 199, 217))
    draw = ImageDraw.Draw(image)
    body, small, name = _font(40), _font(28), _font(32)
    y = 40

    def divider(text: str) -> None:
        nonlocal y
        w = small.getlength(text)
        x = (width - w) / 2
        draw.rounded_rectangle((x - 30, y, x + w + 30, y + 56), radius=28, fill=(154, 172, 188))
        draw.text((x, y + 12), text, font=small, fill="white")
        y += 100

    def theirs(sender: str, message: str, time: str) -> None:
        nonlocal y
        draw.ellipse((30, y, 130, y + 100), fill=(120, 150, 200))
        draw.text((150, y), sender, font=name, fill=(60, 60, 60))
        y += 45
        w = body.getlength(message)
        draw.rounded_rectangle((150, y, 200 + w, y + 80), radius=20, fill="white")
        draw.text((175, y + 18), message, font=body, fill="black")
        draw.text((215 + w, y + 45), time, font=small, fill=(80, 90, 100))
        y += 120

    def mine(message: str, time: str) -> None:
        nonlocal y
        w = body.getlength(message)
        x1 = width - 40
        x0 = x1 - w - 50
        draw.rounded_rectangle((x0, y, x1, y + 80), radius=20, fill=(254, 229, 0))
        draw.text((x0 + 25, y + 18), message, font=body, fill="black")
        draw.text((x0 - 15 - small.getlength(time), y + 45), time, font=small, fill=(80, 90, 100))
        y += 120

    divider("2023년 12월 24일 일요일")
    mine("내일 저녁에 갈게", "오후 9:07")
    divider("2023년 12월 25일 월요일")
    theirs("남편", "양육비는 못 보내", "오후 10:20")
    return image


class _FakeOcr:
    """Records the upright image the parser hands to OCR; returns one fixed line."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def read(self, image_path: Path, *, languages: str = "kor+eng") -> list[OcrLine]:
        with Image.open(image_path) as image:
            self.sizes.append(image.size)
        return [OcrLine("가족 사진", (1, 2, 30, 10), 0.8)]


def _save(image: Image.Image, path: Path, **params: Any) -> Path:
    image.save(path, **params)
    return path


def test_clean_korean_text_is_read_with_high_wordword_recall(tmp_path: Path) -> None:
    result = parse(_save(korean_text_image(LINES), tmp_path / "text.png"), _ctx())
    text = "\n".join(s.text for s in result.segments)
    assert word_recall(LINES, text) >= 0.9, text
    assert {s.kind for s in result.segments} == {"text"}
    for segment in result.segments:
        left, top, width, height = segment.ref["box"]
        assert left >= 0 and top >= 0 and width > 0 and height > 0
    assert result.meta["ocr_lines"] == len(result.segments)


def test_exif_date_time_original_is_event_time_in_case_timezone(tmp_path: Path) -> None:
    image = Image.new("RGB", (64, 48), "white")
    exif = image.getexif()
    exif.get_ifd(0x8769)[0x9003] = "2023:12:25 22:20:00"
    path = _save(image, tmp_path / "photo.jpg", exif=exif)
    result = parse(path, _ctx(), ocr=_FakeOcr())
    assert result.event_time == "2023-12-25T22:20:00+09:00"
    assert [s.text for s in result.segments] == ["가족 사진"]
    assert result.segments[0].ts is None


def test_exif_offset_time_original_wins_over_case_timezone(tmp_path: Path) -> None:
    image = Image.new("RGB", (64, 48), "white")
    exif = image.getexif()
    exif.get_ifd(0x8769).update({0x9003: "2024:03:01 08:15:30", 0x9011: "-05:00"})
    path = _save(image, tmp_path / "photo.jpg", exif=exif)
    assert parse(path, _ctx(), ocr=_FakeOcr()).event_time == "2024-03-01T08:15:30-05:00"


def test_exif_orientation_is_applied_before_ocr(tmp_path: Path) -> None:
    image = Image.new("RGB", (80, 40), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    ocr = _FakeOcr()
    parse(_save(image, tmp_path / "rotated.jpg", exif=exif), _ctx(), ocr=ocr)
    assert ocr.sizes == [(40, 80)]


def test_kakaotalk_screenshot_lines_get_chat_times(tmp_path: Path) -> None:
    result = parse(_save(_kakao_screenshot(), tmp_path / "kakao.png"), _ctx())
    by_text = {s.text: s for s in result.segments}
    money = next(s for s in result.segments if "양육비" in s.text)
    assert money.ts == "2023-12-25T22:20:00+09:00"
    assert by_text["오후 10:20"].ts == "2023-12-25T22:20:00+09:00"
    mine = next(s for s in result.segments if "저녁에" in s.text)
    assert mine.ts == "2023-12-24T21:07:00+09:00"
    dividers = [s for s in result.segments if s.kind == "system" and "2023년" in s.text]
    assert len(dividers) == 2 and all(d.ts is None for d in dividers)
    assert result.event_time == "2023-12-24T21:07:00+09:00"
    assert result.meta["chat_screenshot"] is True


def test_chat_timestamps_date_from_divider_above_time_from_label_below() -> None:
    texts = ["오후 11:58", "2023년 12월 25일 월요일", "남편", "첫 줄", "둘째 줄 오후 10:20",
             "오전 12:05", "12월 말에 보자", "2023년 12월 26일 화요일", "시간이 안 보이는 줄"]
    stamps = chat_timestamps(texts, "Asia/Seoul")
    got = [(s.at.isoformat() if s.at else None, s.ui) for s in stamps]
    assert got == [
        (None, True),  # before any divider: no date
        (None, True),
        ("2023-12-25T22:20:00+09:00", False),
        ("2023-12-25T22:20:00+09:00", False),
        ("2023-12-25T22:20:00+09:00", False),
        ("2023-12-25T00:05:00+09:00", True),
        (None, False),  # no time below it before the next divider
        (None, True),
        (None, False),
    ]


def test_decompression_bomb_is_image_too_large(tmp_path: Path) -> None:
    # A valid PNG header claiming 30000 x 30000 pixels (900 MP) with one tiny compressed row: ~100 bytes.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 1, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" * 3751)) + chunk(b"IEND", b""))
    path = tmp_path / "bomb.png"
    path.write_bytes(png)
    assert path.stat().st_size < 200
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx(), ocr=_FakeOcr())
    assert err.value.code == "IMAGE_TOO_LARGE"


def test_image_just_over_the_pixel_limit_is_image_too_large(tmp_path: Path) -> None:
    # Between the limit and twice the limit Pillow only warns; the parser must still refuse.
    path = _save(Image.new("L", (40, 40), 255), tmp_path / "big.png")
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx(max_image_pixels=1000), ocr=_FakeOcr())
    assert err.value.code == "IMAGE_TOO_LARGE"


def test_truncated_jpeg_is_image_corrupt(tmp_path: Path) -> None:
    buf = io.BytesIO()
    korean_text_image(LINES[:2]).save(buf, format="JPEG", quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx(), ocr=_FakeOcr())
    assert err.value.code == "IMAGE_CORRUPT"


def test_unreadable_bytes_are_image_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "noise.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx(), ocr=_FakeOcr())
    assert err.value.code == "IMAGE_CORRUPT"


def test_heic_photo_is_decoded_and_read(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = _save(korean_text_image(LINES), tmp_path / "IMG_0001.HEIC", quality=95)
    assert path.read_bytes()[4:12] == b"ftypheic"
    result = parse(path, _ctx())
    assert word_recall(LINES, "\n".join(s.text for s in result.segments)) >= 0.9


def test_truncated_heic_is_image_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0002.HEIC"
    path.write_bytes(struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    with pytest.raises(EvidenceError) as err:
        parse(path, _ctx(), ocr=_FakeOcr())
    assert err.value.code == "IMAGE_CORRUPT"


def test_webp_is_read_through_pillow(tmp_path: Path) -> None:
    ocr = _FakeOcr()
    result = parse(_save(Image.new("RGB", (120, 60), "white"), tmp_path / "shot.webp", lossless=True), _ctx(), ocr=ocr)
    assert ocr.sizes == [(120, 60)]
    assert result.meta["format"] == "WEBP"


def test_multi_page_tiff_pages_are_referenced(tmp_path: Path) -> None:
    pages = [Image.new("L", (50, 70), 255) for _ in range(3)]
    path = tmp_path / "fax.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    result = parse(path, _ctx(), ocr=_FakeOcr())
    assert [s.ref["page"] for s in result.segments] == [1, 2, 3]
    assert [s.seq for s in result.segments] == [0, 1, 2]


def _fake_tesseract(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-tesseract"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def test_tesseract_gets_one_omp_thread_and_syllables_are_joined_by_its_own_spacing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    from leh.adapters.tesseract_ocr import TesseractOcr

    # Words 30 px high: above the upscale threshold, so one pass and boxes as given.
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    words = [("오후", 10, 90), ("10:20", 60, 90), ("그게", 130, 80), ("무", 200, 70), ("슨", 222, 70),
             ("말", 260, 96), ("이", 282, 96), ("야", 300, 96)]
    rows = [header] + [f"5\t1\t1\t1\t1\t{i}\t{left}\t20\t20\t30\t{conf}\t{text}"
                       for i, (text, left, conf) in enumerate(words, start=1)]
    tsv = "\\n".join(rows) + "\\n"
    # $2 is the output base; the real CLI writes $2.txt and $2.tsv the same way.
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")  # the adapter must override what the worker has
    script = _fake_tesseract(tmp_path, f'echo "$OMP_THREAD_LIMIT" > "{tmp_path}/omp"\n'
                                       f'printf "오후 10:20 그게 무슨 말이야\\n\\f" > "$2.txt"\n'
                                       f'printf "{tsv}" > "$2.tsv"\n')
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(script))
    image = tmp_path / "in.png"
    Image.new("L", (400, 80), 255).save(image)
    lines = TesseractOcr().read(image)
    assert [(line.text, line.box) for line in lines] == [("오후 10:20 그게 무슨 말이야", (10, 20, 310, 30))]
    assert lines[0].confidence == pytest.approx(sum(c for _, _, c in words) / len(words) / 100, abs=0.001)
    assert (tmp_path / "omp").read_text().strip() == "1"


def test_tesseract_run_past_its_timeout_is_parse_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    from leh.adapters.tesseract_ocr import TesseractOcr

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(_fake_tesseract(tmp_path, "exec sleep 10\n")))
    image = tmp_path / "in.png"
    Image.new("L", (40, 40), 255).save(image)
    with pytest.raises(EvidenceError) as err:
        TesseractOcr(timeout_s=0.5).read(image)
    assert err.value.code == "PARSE_TIMEOUT"
