"""Streaming text decoding: encoding detection, line splitting, replacement counting, failures, memory."""

from __future__ import annotations

import codecs
import os
import random
import tracemalloc
import zlib
from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers import textdecode
from leh.pipeline.parsers.textdecode import CHUNK_BYTES, detect_encoding, open_text

KOREAN = (
    "한지은 님과 카카오톡 대화\n"
    "저장한 날짜 : 2024-03-02 21:14:05\n"
    "\n"
    "--------------- 2023년 11월 3일 금요일 ---------------\n"
    "[정민호] [오후 11:42] 오늘도 늦어. 먼저 자\n"
    "[한지은] [오후 11:43] 벌써 이번 주만 네 번째야. 가정법원 상담 예약했어\n"
    "똠방각하 펲시 콜라 (cp949 확장 한글)\n"
)
EXPECTED_LINES = KOREAN.split("\n")[:-1]


def read_all(path: Path) -> tuple[str, list[str], textdecode.DecodedLines]:
    enc, lines = open_text(path)
    with lines:
        out = list(lines)
    return enc, out, lines


# EUC-KR has no 똠/펲 (CP949 extensions), so that variant uses only KS X 1001 syllables.
EUC_KR_TEXT = KOREAN.replace("똠방각하 펲시 콜라", "가정 법원")


@pytest.mark.parametrize(
    ("data", "text", "encoding", "bom"),
    [
        (KOREAN.encode("utf-8"), KOREAN, "utf-8", False),
        (KOREAN.encode("utf-8-sig"), KOREAN, "utf-8-sig", True),
        (codecs.BOM_UTF16_LE + KOREAN.encode("utf-16-le"), KOREAN, "utf-16-le", True),
        (codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"), KOREAN, "utf-16-be", True),
        (KOREAN.encode("utf-16-le"), KOREAN, "utf-16-le", False),
        (KOREAN.encode("utf-16-be"), KOREAN, "utf-16-be", False),
        (KOREAN.encode("cp949"), KOREAN, "cp949", False),
        (EUC_KR_TEXT.encode("euc-kr"), EUC_KR_TEXT, "cp949", False),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp949", "euc-kr"],
)
def test_same_korean_text_in_every_encoding(tmp_path: Path, data: bytes, text: str, encoding: str, bom: bool) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(data)
    enc, out, lines = read_all(p)
    assert (enc, lines.bom, lines.replaced) == (encoding, bom, 0)
    assert out == text.split("\n")[:-1]
    assert out[0] == "한지은 님과 카카오톡 대화"  # no BOM character left at the start


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(KOREAN.replace("\n", newline).encode("utf-8"))
    _, out, _ = read_all(p)
    assert out == EXPECTED_LINES


def test_last_line_without_newline_and_blank_lines_kept(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes("첫 줄\n\n\n마지막".encode())
    assert read_all(p)[1] == ["첫 줄", "", "", "마지막"]


def test_chunk_boundaries_split_nothing(tmp_path: Path) -> None:
    # A CRLF whose CR ends the first chunk, and a 3-byte Korean character cut by the second boundary.
    first = b"a" * (CHUNK_BYTES - 1) + b"\r"
    second = b"\n" + b"b" * (CHUNK_BYTES - 2) + "가".encode() + "나다\r\n끝".encode()
    p = tmp_path / "t.txt"
    p.write_bytes(first + second)
    enc, out, lines = read_all(p)
    assert enc == "utf-8"
    assert out == ["a" * (CHUNK_BYTES - 1), "b" * (CHUNK_BYTES - 2) + "가나다", "끝"]
    assert lines.replaced == 0


def test_utf16_surrogate_pair_across_chunk_boundary(tmp_path: Path) -> None:
    text = "x" * (CHUNK_BYTES // 2 - 1) + "😀 이모지\n둘째"
    p = tmp_path / "t.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert read_all(p)[1] == ["x" * (CHUNK_BYTES // 2 - 1) + "😀 이모지", "둘째"]


def test_invalid_bytes_are_replaced_and_counted_utf8(tmp_path: Path) -> None:
    good = ("가정법원 조정 기일 안내\n" * 500).encode()
    p = tmp_path / "t.txt"
    p.write_bytes(good + b"bad \xff here \xc3 and \xed\xa0\x80 end\n" + "끝".encode())
    enc, out, lines = read_all(p)
    assert enc == "utf-8"
    # \xff, the truncated \xc3, and the encoded surrogate \xed\xa0\x80 (three invalid bytes, as CPython counts them)
    assert lines.replaced == 1 + 1 + 3
    assert out[-2].startswith("bad \ufffd here \ufffd and ")
    assert out[-1] == "끝"
    assert out[:500] == ["가정법원 조정 기일 안내"] * 500


def test_invalid_bytes_are_replaced_and_counted_cp949(tmp_path: Path) -> None:
    good = ("가정법원 조정 기일 안내\n" * 500).encode("cp949")
    p = tmp_path / "t.txt"
    p.write_bytes(good + b"\xff\xff\n" + "끝".encode("cp949"))
    enc, out, lines = read_all(p)
    assert enc == "cp949"
    assert lines.replaced == 2
    assert out[-2:] == ["\ufffd\ufffd", "끝"]


def test_cp949_body_after_long_ascii_head_is_still_cp949(tmp_path: Path) -> None:
    head = ("Date Saved : 2024-01-02 10:00:00 padding padding padding\n" * 2000).encode()
    assert len(head) > textdecode.SAMPLE_BYTES
    p = tmp_path / "t.txt"
    p.write_bytes(head + "[홍길동] [오후 10:20] 안녕하세요\n".encode("cp949"))
    enc, out, lines = read_all(p)
    assert (enc, lines.replaced) == ("cp949", 0)
    assert out[-1] == "[홍길동] [오후 10:20] 안녕하세요"


def test_charset_normalizer_fallback(tmp_path: Path) -> None:
    text = "東京都の天気は晴れです。明日は雨が降るでしょう。家庭裁判所の調停期日。\n" * 40
    p = tmp_path / "t.txt"
    p.write_bytes(text.encode("shift_jis"))
    enc, out, _ = read_all(p)
    assert enc == "cp932"
    assert out == text.split("\n")[:-1]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(random.Random(1).randbytes(200_000), id="random"),
        pytest.param(random.Random(2).randbytes(200_000).replace(b"\x00", b"\x01"), id="random-no-nul"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + zlib.compress(os.urandom(50_000)), id="png"),
        pytest.param(b"PK\x03\x04" + zlib.compress(b"x" * 1000) + os.urandom(5000), id="zip"),
    ],
)
def test_binary_file_fails(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "b.txt"
    p.write_bytes(data)
    with pytest.raises(EvidenceError) as e:
        open_text(p)
    assert e.value.code == "TEXT_DECODE_FAILED"
    assert e.value.retryable is False


def test_text_head_with_binary_body_fails_while_streaming(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    body = random.Random(3).randbytes(2_000_000).replace(b"\x00", b"\x01")
    p.write_bytes(("가정법원 조정 기일 안내\n" * 4000).encode() + body)
    enc, lines = open_text(p)
    assert enc == "utf-8"
    with pytest.raises(EvidenceError) as e, lines:
        for _ in lines:
            pass
    assert e.value.code == "TEXT_DECODE_FAILED"


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "e.txt"
    p.write_bytes(data)
    with pytest.raises(EvidenceError) as e:
        open_text(p)
    assert e.value.code == "EMPTY_FILE"


def test_max_bytes(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(KOREAN.encode())
    with pytest.raises(EvidenceError) as e:
        open_text(p, max_bytes=10)
    assert e.value.code == "FILE_TOO_LARGE"
    encoding, lines = open_text(p, max_bytes=len(KOREAN.encode()))
    with lines:
        assert encoding == "utf-8"


def test_overlong_line_is_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small chunks so the line spans many reads, as a newline-free 500 MB file would.
    monkeypatch.setattr(textdecode, "CHUNK_BYTES", 256)
    monkeypatch.setattr(textdecode, "MAX_LINE_CHARS", 1000)
    p = tmp_path / "t.txt"
    p.write_bytes(("가" * 2500 + "\n끝").encode())
    assert [len(x) for x in read_all(p)[1]] == [1000, 1000, 500, 1]


def test_early_close_closes_the_file(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(KOREAN.encode())
    _, lines = open_text(p)
    with lines:
        assert next(iter(lines)) == "한지은 님과 카카오톡 대화"
    assert lines._fh.closed


def test_detect_encoding_order() -> None:
    assert detect_encoding(codecs.BOM_UTF8 + b"abc", at_eof=True) == ("utf-8-sig", 3)
    assert detect_encoding(codecs.BOM_UTF32_LE + "a".encode("utf-32-le"), at_eof=True) == ("utf-32-le", 4)
    assert detect_encoding(b"plain ascii", at_eof=True) == ("utf-8", 0)
    # A sample cut inside a UTF-8 character is still UTF-8 when more of the file follows…
    cut = "가나다".encode()[:-1]
    assert detect_encoding(cut, at_eof=False) == ("utf-8", 0)
    # …and bytes valid only in CP949 are CP949.
    assert detect_encoding("이혼 조정".encode("cp949"), at_eof=True) == ("cp949", 0)


def test_50mb_file_decodes_in_bounded_memory(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    block = ("[정민호] [오후 11:42] 오늘도 늦어. 먼저 자 😀\r\n" * 2000).encode()
    with p.open("wb") as f:
        for _ in range(50_000_000 // len(block) + 1):
            f.write(block)
    size = p.stat().st_size
    assert size >= 50_000_000
    tracemalloc.start()
    try:
        _, lines = open_text(p)
        n = 0
        total = 0
        with lines:
            for line in lines:
                n += 1
                total += len(line)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == size // len(block) * 2000
    assert total == n * len("[정민호] [오후 11:42] 오늘도 늦어. 먼저 자 😀")
    assert peak < 6_000_000, peak
