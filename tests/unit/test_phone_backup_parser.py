"""Android SMS/MMS and call-log backups (SMS Backup & Restore XML): one segment per message or call."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import phone_backup
from leh.pipeline.parsers.base import ParseContext
from tests.support import samples

T = "1709390531000"  # 2024-03-02 23:42:11 KST


def _parse(tmp_path: Path, data: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "sms.xml"
    path.write_bytes(data)
    assert detect_type(path, "backup").type == "sms"
    return phone_backup.parse(path, ParseContext(filename=path.name))


def test_messages_have_their_counterpart_and_time(tmp_path: Path) -> None:
    result = _parse(tmp_path, samples.sms_backup_xml([
        {"tag": "sms", "address": "01012345678", "date": T, "type": "1", "body": "어디야?", "contact_name": "홍길동"},
        {"tag": "sms", "address": "01012345678", "date": "1709390592000", "type": "2", "body": "집이야",
         "contact_name": "홍길동"},
        {"tag": "mms", "address": "01099998888", "date": "1709390600000", "msg_box": "1", "text": "사진 봐",
         "contact_name": "(Unknown)"},
    ]))
    assert result.detected_type == "sms"
    assert [(s.speaker, s.text, s.ts, s.ts_precision) for s in result.segments] == [
        ("홍길동", "어디야?", "2024-03-02T23:42:11+09:00", "second"),
        ("나", "집이야", "2024-03-02T23:43:12+09:00", "second"),
        ("01099998888", "사진 봐", "2024-03-02T23:43:20+09:00", "second")]
    assert result.segments[1].ref == {"counterpart": "홍길동", "number": "01012345678", "direction": "out",
                                      "kind": "sms", "item": 2}
    assert result.event_time == "2024-03-02T23:42:11+09:00"


def test_calls_read_as_direction_and_length(tmp_path: Path) -> None:
    result = _parse(tmp_path, samples.sms_backup_xml([
        {"tag": "call", "number": "01012345678", "duration": "125", "date": T, "type": "1", "contact_name": "홍길동"},
        {"tag": "call", "number": "01012345678", "duration": "0", "date": T, "type": "3", "contact_name": "홍길동"},
        {"tag": "call", "number": "0212345678", "duration": "30", "date": T, "type": "2", "contact_name": "null"},
    ], root="calls"))
    assert result.detected_type == "call_log"
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("홍길동", "수신 통화 2분 5초 (홍길동)"), ("홍길동", "부재중 전화 (홍길동)"), ("나", "발신 통화 0분 30초 (0212345678)")]
    assert result.segments[0].ref["duration_s"] == 125


@pytest.mark.parametrize("data", [
    samples.sms_backup_xml([{"tag": "sms", "address": "1", "date": T, "type": "1", "body": "x"}])[:-12],
    b"<?xml version='1.0'?><!DOCTYPE smses [<!ENTITY a 'b'>]><smses><sms body='&a;' date='1'/></smses>",
])
def test_broken_backups_fail_with_their_code(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    with pytest.raises(EvidenceError) as info:
        phone_backup.parse(path, ParseContext(filename=path.name))
    assert info.value.code == "PHONE_BACKUP_CORRUPT"
