"""Bad inputs found by the nasty-corpus suite (tests/reliability): each fails with its own code, or is read with a
warning where that is right — never "unsupported format" for a file of a format LEH reads, never an unexpected
exception (which the worker would retry into the DLQ as INTERNAL_ERROR)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from leh.domain.errors import ERROR_MESSAGES_KO, EvidenceError
from leh.domain.evidence import EvidenceType
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import kakaotalk, mail, phone_backup, text
from leh.pipeline.parsers.base import ParseContext
from tests.support import samples


def _write(tmp_path: Path, data: bytes, name: str = "raw") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _long_note(paragraphs: int = 300) -> bytes:
    return "\n\n".join(f"{i}번째 문단: 2024년 3월 2일 남편이 생활비 문제로 소리를 질렀다." for i in range(paragraphs)).encode()


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_a_file_holding_only_a_byte_order_mark_is_empty(tmp_path: Path, bom: bytes) -> None:
    with pytest.raises(EvidenceError) as e:
        detect_type(_write(tmp_path, bom), "메모.txt")
    assert e.value.code == "EMPTY_FILE"


def test_a_few_bad_bytes_in_a_long_text_are_replaced_with_a_warning(tmp_path: Path) -> None:
    data = bytearray(_long_note())
    data[200:200] = b"\xff\xfe"  # inside the head that detection reads
    data[-100:-100] = b"\xc3"
    path = _write(tmp_path, bytes(data))
    assert detect_type(path, "메모.txt").type == EvidenceType.TEXT
    result = text.parse(path, ParseContext(filename="메모.txt"))
    assert result.warnings == ["TEXT_CHARS_REPLACED"] and result.meta["replaced_chars"] == 3
    assert "\ufffd\ufffd" in "".join(s.text for s in result.segments)
    assert result.segments[0].text.startswith("0번째 문단") and len(result.segments) == 300
    assert "'�'" in ERROR_MESSAGES_KO["TEXT_CHARS_REPLACED"]


def test_a_cp949_paragraph_inside_a_utf8_text_is_read_with_a_warning(tmp_path: Path) -> None:
    data = _long_note(60) + b"\n\n" + "시어머니가 찾아와 욕설을 했다.".encode("cp949") + "\n\n끝.".encode()
    path = _write(tmp_path, data)
    assert detect_type(path, "메모.txt").type == EvidenceType.TEXT
    result = text.parse(path, ParseContext(filename="메모.txt"))
    assert result.warnings == ["TEXT_CHARS_REPLACED"] and result.segments[-1].text == "끝."


def test_a_clean_text_has_no_warning(tmp_path: Path) -> None:
    assert text.parse(_write(tmp_path, _long_note(5)), ParseContext(filename="메모.txt")).warnings == []


def test_stray_nul_bytes_are_replaced_but_binary_stays_refused(tmp_path: Path) -> None:
    chat = samples.kakao_android([(f"2023년 12월 25일 오후 10:{i:02d}", "홍길동", f"메시지 {i}") for i in range(40)])
    lines = chat.split("\n")
    lines[12] = "\x00 깨진 줄"
    path = _write(tmp_path, "\n".join(lines).encode())
    assert detect_type(path, "KakaoTalk.txt").type == EvidenceType.TEXT
    result = text.parse(path, ParseContext(filename="KakaoTalk.txt"))
    assert result.detected_type == "kakaotalk" and result.warnings == ["TEXT_CHARS_REPLACED"]
    assert not any("\x00" in s.text for s in result.segments)
    direct = kakaotalk.parse(path, ParseContext(filename="KakaoTalk.txt"))
    assert direct.warnings == ["TEXT_CHARS_REPLACED"]
    # Mostly NULs (a binary file) is still no text.
    assert detect_type(_write(tmp_path, b"\x00\x01\x02\x03" * 5000, "b"), "x.txt").type == "unsupported"


@pytest.mark.parametrize(("name", "expected"), [
    ("letter.docx", EvidenceType.DOCX), ("statement.xlsx", EvidenceType.SPREADSHEET), ("문서.hwpx", "hwp"),
    ("photos.zip", "unsupported"), ("archive.pdf", "unsupported"),
])
def test_a_cut_zip_goes_to_the_parser_its_name_claims(tmp_path: Path, name: str, expected: str) -> None:
    cut = samples.docx_bytes(["문단 하나", "문단 둘"])[:700]
    assert detect_type(_write(tmp_path, cut), name).type == expected


@pytest.mark.parametrize(("name", "expected"), [("문서.hwp", "hwp"), ("문서.hwpx", "hwp"),
                                                ("카드.xlsx", EvidenceType.SPREADSHEET), ("x.bin", "unsupported")])
def test_garbage_named_as_a_format_we_read_goes_to_that_parser(tmp_path: Path, name: str, expected: str) -> None:
    import random

    assert detect_type(_write(tmp_path, random.Random(5).randbytes(5000)), name).type == expected


def test_a_phone_backup_with_a_doctype_is_refused_as_a_damaged_backup(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY a "생활비"><!ENTITY b "&a;&a;&a;&a;">]>\n'
              '<smses count="1"><sms address="010" date="1709390000000" type="1" body="&b;" /></smses>\n').encode()
    path = _write(tmp_path, laughs)
    assert detect_type(path, "sms.xml").type == EvidenceType.SMS
    with pytest.raises(EvidenceError) as e:
        phone_backup.parse(path, ParseContext(filename="sms.xml"))
    assert e.value.code == "PHONE_BACKUP_CORRUPT"


@pytest.mark.parametrize("data", [b"[" * 200_000 + b"]" * 200_000, ("생활비 " * 100_000).encode(),
                                  ("거래일자,금액\n2024-03-01," + "9" * 200_000 + "\n").encode()])
def test_a_line_longer_than_the_csv_field_limit_is_read_as_text(tmp_path: Path, data: bytes) -> None:
    # Before: csv.Error "field larger than field limit" escaped the statement sniffing → INTERNAL_ERROR retries.
    result = text.parse(_write(tmp_path, data), ParseContext(filename="x.txt"))
    assert result.detected_type == "text" and len(result.segments) > 50
    assert sum(len(s.text) for s in result.segments) >= len(data.decode()) * 0.99 - 10_000


def test_bytes_without_a_single_mail_header_are_not_a_mail(tmp_path: Path) -> None:
    import random

    path = _write(tmp_path, random.Random(7).randbytes(5000))
    assert detect_type(path, "mail.msg").type == EvidenceType.EMAIL
    with pytest.raises(EvidenceError) as e:
        mail.parse(path, ParseContext(filename="mail.msg"))
    assert e.value.code == "EMAIL_CORRUPT"
    # A real mail still parses.
    good = mail.parse(_write(tmp_path, samples.eml_bytes(), "m.eml"), ParseContext(filename="m.eml"))
    assert good.segments[0].ref == {"part": "header"}


def test_a_docx_with_a_corrupt_media_member_is_still_read(tmp_path: Path) -> None:
    from leh.pipeline.parsers import docx

    raw = samples.docx_with_corrupt_member(["2024년 3월 2일 남편이 생활비를 주지 않았다."])
    result = docx.parse(_write(tmp_path, raw), ParseContext(filename="a.docx"))
    assert [s.text for s in result.segments] == ["2024년 3월 2일 남편이 생활비를 주지 않았다."]


def test_an_amount_of_hundreds_of_digits_is_no_amount() -> None:
    from leh.pipeline.parsers.statement import _amount

    # float("9" * 400) is inf and round(inf) raised OverflowError out of the parser (→ INTERNAL_ERROR retries).
    assert _amount("9" * 400) is None and _amount("-55,000") == -55000
