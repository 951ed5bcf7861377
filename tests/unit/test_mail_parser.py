"""E-mail (.eml): envelope and body segments dated to the second, attachments handed back bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import mail
from leh.pipeline.parsers.base import ParseContext, ParseLimits
from tests.support import samples

BROKEN = (b"From: a@example.com\nTo: b@example.com\nSubject: x\nMIME-Version: 1.0\n"
          b"Content-Type: multipart/mixed; boundary=\"XYZ\"\n\nno boundary anywhere\n")
SMIME = (b"From: a@example.com\nTo: b@example.com\nSubject: x\nMIME-Version: 1.0\n"
         b"Content-Type: application/pkcs7-mime; smime-type=enveloped-data\n\nMIIB\n")


def _parse(tmp_path: Path, data: bytes, limits: ParseLimits | None = None):  # type: ignore[no-untyped-def]
    path = tmp_path / "mail.eml"
    path.write_bytes(data)
    assert detect_type(path, "noext").type == "email"
    return mail.parse(path, ParseContext(filename=path.name, limits=limits or ParseLimits()))


def test_envelope_and_body_are_dated_to_the_second_and_spoken_by_the_sender(tmp_path: Path) -> None:
    result = _parse(tmp_path, samples.eml_bytes())
    assert [s.text for s in result.segments] == [
        "보낸 사람: 홍길동 <hong@example.com>\n받는 사람: 김영희 <kim@example.com>\n참조: lee@example.com\n"
        "날짜: 2024-03-02 23:42:11\n제목: 생활비 문제", "이번 달 생활비는 못 보냅니다.", "알아서 하세요."]
    assert {(s.ts, s.ts_precision) for s in result.segments} == {("2024-03-02T23:42:11+09:00", "second")}
    assert [s.speaker for s in result.segments] == [None, "홍길동", "홍길동"]
    assert result.meta["recipients"] == ["kim@example.com", "lee@example.com"]


def test_html_only_mail_is_reduced_to_its_visible_text(tmp_path: Path) -> None:
    html = "<html><head><style>p{color:red}</style></head><body><p>안녕 &amp; 잘가</p><script>steal()</script></body></html>"
    result = _parse(tmp_path, samples.eml_bytes(html=html))
    assert [s.text for s in result.segments[1:]] == ["안녕 & 잘가"]


def test_attachments_are_handed_back_within_the_limits(tmp_path: Path) -> None:
    inner = samples.eml_bytes(subject="전달")
    data = samples.eml_bytes(attachments=[("a.txt", b"one"), ("b.txt", b"two"), ("c.txt", b"three")], mails=[inner])
    result = _parse(tmp_path, data)
    assert [(a.filename, a.data) for a in result.attachments[:3]] == [("a.txt", b"one"), ("b.txt", b"two"),
                                                                       ("c.txt", b"three")]
    assert result.attachments[3].data.startswith(b"From: ") and result.warnings == []
    bounded = _parse(tmp_path, data, ParseLimits(max_attachments=2))
    assert [a.filename for a in bounded.attachments] == ["a.txt", "b.txt"]
    assert bounded.warnings == ["EMAIL_ATTACHMENTS_SKIPPED"] and bounded.meta["attachments"] == 4
    by_size = _parse(tmp_path, data, ParseLimits(max_attachment_bytes=6))
    assert [a.filename for a in by_size.attachments] == ["a.txt", "b.txt"]


@pytest.mark.parametrize(("data", "code"), [(BROKEN, "EMAIL_CORRUPT"), (SMIME, "EMAIL_ENCRYPTED")])
def test_broken_or_encrypted_mail_fails_with_its_code(tmp_path: Path, data: bytes, code: str) -> None:
    with pytest.raises(EvidenceError) as info:
        _parse(tmp_path, data)
    assert info.value.code == code


def test_a_memo_that_starts_like_a_header_is_not_mail(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("From: 남편\n어제 또 늦게 들어왔다.\n", encoding="utf-8")
    assert detect_type(path, path.name).type == "text"
