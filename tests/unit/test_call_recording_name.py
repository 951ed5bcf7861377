"""Samsung call recordings: the counterpart and the call's start from the recorder's file name."""

from __future__ import annotations

import pytest

from leh.pipeline.parsers.audio import call_recording


@pytest.mark.parametrize(("name", "who", "start"), [
    ("통화 녹음 홍길동_240302_234211.m4a", "홍길동", "2024-03-02T23:42:11+09:00"),
    ("통화녹음 010-1234-5678_231225_080005.m4a", "010-1234-5678", "2023-12-25T08:00:05+09:00"),
    ("Call recording 김 변호사_240101_000000(1).m4a", "김 변호사", "2024-01-01T00:00:00+09:00"),
])
def test_counterpart_and_start_from_the_name(name: str, who: str, start: str) -> None:
    found = call_recording(name, "Asia/Seoul")
    assert found is not None and (found.counterpart, found.start.isoformat()) == (who, start)


@pytest.mark.parametrize("name", ["녹음_240302_234211.m4a", "통화 녹음 홍길동_241332_234211.m4a", "통화 녹음 홍길동.m4a"])
def test_other_names_say_nothing(name: str) -> None:
    assert call_recording(name, "Asia/Seoul") is None
