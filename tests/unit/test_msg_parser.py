"""Outlook .msg (an OLE compound file assembled by tests/support/cfb.py): the .eml parser's segments and bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import mail
from leh.pipeline.parsers.base import ParseContext, ParseLimits, ParseResult
from tests.support import samples

NOTE = ("2024년 3월 1일 메모: 남편이 생활비를 끊겠다고 했다.\n" * 100).encode()


def _parse(tmp_path: Path, data: bytes, limits: ParseLimits | None = None, name: str = "mail.msg") -> ParseResult:
    path = tmp_path / name
    path.write_bytes(data)
    assert detect_type(path, "noext").type == "email"
    return mail.parse(path, ParseContext(filename=path.name, limits=limits or ParseLimits()))


def test_msg_envelope_and_body_match_the_eml_parser(tmp_path: Path) -> None:
    result = _parse(tmp_path, samples.msg_bytes(attachments=[("메모.txt", NOTE)]))
    assert [s.text for s in result.segments] == [
        "보낸 사람: 홍길동 <hong@example.com>\n받는 사람: 김영희\n참조: lee@example.com\n"
        "날짜: 2024-03-02 23:42:11\n제목: 생활비 문제", "이번 달 생활비는 못 보냅니다.", "알아서 하세요."]
    assert {(s.ts, s.ts_precision) for s in result.segments} == {("2024-03-02T23:42:11+09:00", "second")}
    assert [s.speaker for s in result.segments] == [None, "홍길동", "홍길동"]
    assert [s.ref for s in result.segments][0] == {"part": "header"}
    assert (result.event_time, result.detected_type) == ("2024-03-02T23:42:11+09:00", "email")
    assert result.meta["sender"] == "hong@example.com" and result.meta["recipients"] == ["kim@example.com"]
    assert [(a.filename, a.data) for a in result.attachments] == [("메모.txt", NOTE)]


def test_msg_attachments_are_bounded_like_eml(tmp_path: Path) -> None:
    data = samples.msg_bytes(attachments=[("a.txt", NOTE), ("b.txt", NOTE[::-1])])
    bounded = _parse(tmp_path, data, ParseLimits(max_attachments=1))
    assert [a.filename for a in bounded.attachments] == ["a.txt"]
    assert bounded.warnings == ["EMAIL_ATTACHMENTS_SKIPPED"] and bounded.meta["attachments"] == 2
    by_size = _parse(tmp_path, data, ParseLimits(max_attachment_bytes=len(NOTE) + 10))
    assert [a.filename for a in by_size.attachments] == ["a.txt"] and by_size.warnings


def test_msg_without_a_date_and_with_an_8bit_subject(tmp_path: Path) -> None:
    result = _parse(tmp_path, samples.msg_bytes(when=None, ansi_subject=True, subject="위자료 청구"))
    assert result.segments[0].text.endswith("\n제목: 위자료 청구") and "날짜" not in result.segments[0].text
    assert result.event_time is None and {s.ts for s in result.segments} == {None}


@pytest.mark.parametrize("cut", [1600, 3000, 9000])
def test_a_cut_off_msg_fails_with_email_corrupt(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "broken.msg"
    path.write_bytes(samples.msg_bytes(attachments=[("메모.txt", NOTE)])[:cut])
    assert detect_type(path, path.name).type == "email"
    with pytest.raises(EvidenceError) as info:
        mail.parse(path, ParseContext(filename=path.name))
    assert info.value.code == "EMAIL_CORRUPT"


def test_msg_is_detected_by_content_and_other_ole_files_are_not_mail(tmp_path: Path) -> None:
    path = tmp_path / "mail.bin"
    path.write_bytes(samples.msg_bytes())
    assert detect_type(path, path.name).type == "email"
    hwp = tmp_path / "doc.msg"
    hwp.write_bytes(samples.hwp5_bytes(["진술서"]))
    assert detect_type(hwp, hwp.name).type == "hwp"
    from tests.support.cfb import write_cfb

    other = tmp_path / "sheet.xls"
    other.write_bytes(write_cfb({"Workbook": b"\x09\x08" * 64}))
    assert detect_type(other, other.name).type == "unsupported"


def test_an_ole_file_named_msg_without_mapi_streams_fails_with_email_corrupt(tmp_path: Path) -> None:
    from tests.support.cfb import write_cfb

    path = tmp_path / "renamed.msg"
    path.write_bytes(write_cfb({"Workbook": b"\x09\x08" * 64}))
    assert detect_type(path, path.name).type == "email"
    with pytest.raises(EvidenceError) as info:
        mail.parse(path, ParseContext(filename=path.name))
    assert info.value.code == "EMAIL_CORRUPT"


def test_an_html_only_msg_is_reduced_to_its_visible_text(tmp_path: Path) -> None:
    html = "<html><head><style>p{}</style></head><body><p>오늘 밤 &amp; 내일</p><script>x()</script></body></html>"
    result = _parse(tmp_path, samples.msg_bytes(html=html.encode("cp949"), html_cpid=949))
    assert [(s.text, s.speaker) for s in result.segments[1:]] == [("오늘 밤 & 내일", "홍길동")]


def test_an_attached_outlook_item_is_handed_back_as_an_eml_the_mail_parser_reads(tmp_path: Path) -> None:
    result = _parse(tmp_path, samples.msg_bytes(item_subject="원래 메일"))
    assert [a.filename for a in result.attachments] == ["원래 메일.eml"]
    inner = _parse(tmp_path, result.attachments[0].data, name="inner.eml")
    assert [(s.text, s.speaker, s.ts) for s in inner.segments] == [
        ("보낸 사람: 이철수 <lee@example.com>\n날짜: 2024-03-01 19:00:00\n제목: 원래 메일", None, "2024-03-01T19:00:00+09:00"),
        ("원래 메일 본문입니다.", "이철수", "2024-03-01T19:00:00+09:00")]
