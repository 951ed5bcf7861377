"""한글 documents: HWP 5 (compound file, assembled by tests/support/cfb.py) and HWPX (zipped XML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import hwp
from leh.pipeline.parsers.base import ParseContext
from tests.support import samples

LINES = ["진술서", "2024. 3. 1. 남편이 폭언을 했다.\n2024. 3. 2. 집을 나갔다."]


def _parse(tmp_path: Path, name: str, data: bytes) -> list[tuple[str, str | None, str | None]]:
    path = tmp_path / name
    path.write_bytes(data)
    assert detect_type(path, name).type == "hwp"
    result = hwp.parse(path, ParseContext(filename=name))
    return [(s.text, s.ts, s.ts_precision) for s in result.segments]


EXPECTED = [("진술서", None, None), ("2024. 3. 1. 남편이 폭언을 했다.", "2024-03-01T00:00:00+09:00", "day"),
            ("2024. 3. 2. 집을 나갔다.", "2024-03-02T00:00:00+09:00", "day")]


@pytest.mark.parametrize("compressed", [True, False])
def test_hwp5_paragraphs_skip_controls_and_are_dated(tmp_path: Path, compressed: bool) -> None:
    assert _parse(tmp_path, "a.hwp", samples.hwp5_bytes(LINES, compressed=compressed)) == EXPECTED


def test_hwp5_keeps_characters_outside_the_bmp_and_nonbreaking_spaces(tmp_path: Path) -> None:
    text = "웃음😀" + "\x1e".join(["", "끝"])
    assert _parse(tmp_path, "b.hwp", samples.hwp5_bytes([text]))[0][0] == "웃음😀 끝"


def test_hwpx_paragraphs_and_line_breaks(tmp_path: Path) -> None:
    assert _parse(tmp_path, "a.hwpx", samples.hwpx_bytes(LINES)) == EXPECTED


@pytest.mark.parametrize(("name", "make", "code"), [
    ("password.hwp", lambda: samples.hwp5_bytes(LINES, flags=2), "HWP_ENCRYPTED"),
    ("distribution.hwp", lambda: samples.hwp5_bytes(LINES, flags=4), "HWP_ENCRYPTED"),
    ("viewtext.hwp", lambda: samples.hwp5_bytes([], extra={"ViewText/Section0": b"\x01" * 64}), "HWP_ENCRYPTED"),
    ("bad-deflate.hwp", lambda: samples.hwp5_bytes(LINES, compressed=False, flags=1), "HWP_CORRUPT"),
    ("cut-record.hwp", lambda: samples.hwp5_bytes([], section=samples.hwp5_record(67, b"ab")[:5]), "HWP_CORRUPT"),
    ("truncated.hwp", lambda: samples.hwp5_bytes(LINES)[:3000], "HWP_CORRUPT"),
    ("entities.hwpx", lambda: samples.hwpx_bytes([], extra={"Contents/section1.xml": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')}), "HWP_CORRUPT"),
    ("deep.hwpx", lambda: samples.hwpx_bytes([], extra={"Contents/section1.xml": b"<a>" * 300 + b"</a>" * 300}),
     "HWP_CORRUPT"),
    ("encrypted.hwpx", lambda: samples.hwpx_bytes(LINES, extra={"META-INF/encryption.xml": b"<e/>"}),
     "HWP_ENCRYPTED"),
    ("password.hwpx", lambda: samples.hwpx_bytes(LINES, extra={"META-INF/manifest.xml": (
        b'<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><odf:file-entry '
        b'odf:full-path="Contents/section0.xml"><odf:encryption-data/></odf:file-entry></odf:manifest>')}),
     "HWP_ENCRYPTED"),
    ("old.hwp", lambda: b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + b"\x00" * 200, "HWP_UNSUPPORTED"),
])
def test_broken_or_locked_documents_fail_with_their_code(tmp_path: Path, name: str, make, code: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(EvidenceError) as info:
        hwp.parse(path, ParseContext(filename=name))
    assert info.value.code == code
