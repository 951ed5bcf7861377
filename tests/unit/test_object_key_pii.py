"""Object keys hold no PII of a file's name (issue #15): numbers in any format and password-like words are left
out whole; the name's other words and its extension stay, so a key is still recognisable to an operator."""

from __future__ import annotations

import pytest

from leh.domain.evidence import parse_raw_object_key, raw_object_key

CASE, EV = "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"


@pytest.mark.parametrize(("name", "tail"), [
    ("메모 비번 Tiger!Lily#2291 8503142345678.txt", "메모 비번 _ _.txt"),
    ("pw_hunter2.txt", "pw__.txt"),
    ("카톡_850314-2345678_010-9876-5432.txt", "카톡____.txt"),
    ("주민 850314 - 2345678.txt", "주민 _ - _.txt"),
    ("통화 녹음.m4a", "통화 녹음.m4a"),
    ("..\\\\상담\\\\카톡 대화.txt", "카톡 대화.txt"),
])
def test_words_with_digits_stay_out_of_the_key(name: str, tail: str) -> None:
    key = raw_object_key(CASE, EV, name)
    assert key == f"cases/{CASE}/raw/{EV}_{tail}"
    assert parse_raw_object_key(key) == (CASE, EV)
    for secret in ("Tiger", "Lily", "hunter", "2291", "2345678", "9876"):
        assert secret not in key
