"""Evidence lifecycle rules and safe names (pure domain code)."""

from __future__ import annotations

import pytest

from leh.domain.errors import Conflict
from leh.domain.evidence import (
    display_name,
    new_evidence_doc,
    parse_raw_object_key,
    raw_object_key,
    safe_name,
    transition,
)

CASE, EV = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"


@pytest.mark.parametrize("raw", ["../../etc/passwd", "a\x00b.txt", "가" * 300 + ".txt", "..", "", "C:\\x\\메모.txt", "a/b/../c"])
def test_safe_name_never_escapes_and_fits_a_file_system(raw: str) -> None:
    name = safe_name(raw)
    assert "/" not in name and "\x00" not in name and name not in ("", ".", "..")
    assert len(f"{EV}_{name}".encode()) <= 255


def test_long_korean_name_keeps_its_extension() -> None:
    assert safe_name("가" * 300 + ".txt").endswith("가.txt")
    assert display_name("가" * 300 + ".txt") == "가" * 251 + ".txt"


def test_raw_key_round_trip() -> None:
    key = raw_object_key(CASE, EV, "../카톡 대화.txt")
    assert key == f"cases/{CASE}/raw/{EV}_카톡 대화.txt"
    assert parse_raw_object_key(key) == (CASE, EV)
    assert parse_raw_object_key(f"tmp/{EV}") is None


def test_lifecycle_records_history_and_refuses_bad_moves() -> None:
    doc = new_evidence_doc(case_id=CASE, evidence_id=EV, filename="a.txt", size=1, uploaded_by="u")
    for status in ("queued", "processing", "done", "queued", "processing", "failed"):
        transition(doc, status)
    assert [h["status"] for h in doc["status_history"]] == [
        "uploading", "queued", "processing", "done", "queued", "processing", "failed"]
    with pytest.raises(Conflict):
        transition(doc, "done")  # failed → done skips processing
    transition(doc, "deleted")
    with pytest.raises(Conflict):
        transition(doc, "queued")  # deleted is final
