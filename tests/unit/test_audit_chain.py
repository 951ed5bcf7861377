"""Audit hash chain: a built chain verifies; edits, deletions and reorderings are caught at the right row."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from leh.domain.audit_chain import GENESIS_HASH, ChainReport, canonical_row, row_hash, verify_chain

Row = dict[str, object]


def _build_chain(n: int) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS_HASH
    for i in range(n):
        row: Row = {
            "id": f"00000000-0000-4000-8000-{i:012d}",
            "at": f"2024-01-0{i % 9 + 1}T09:00:00+09:00",
            "actor_id": f"user-{i % 3}",
            "action": "evidence.upload",
            "object_type": "evidence",
            "object_id": f"ev-{i}",
            "ip_hash": hashlib.sha256(f"10.0.0.{i}".encode()).hexdigest(),
            "detail_masked": json.dumps(
                {"filename": f"kakao_{i}.txt", "note": "연락처 [전화번호]"}, ensure_ascii=False
            ),
            "prev_hash": prev,
        }
        row["hash"] = row_hash(row, prev)
        prev = str(row["hash"])
        rows.append(row)
    return rows


def test_canonical_row_is_sorted_compact_utf8_of_the_hashed_fields() -> None:
    row = {
        "id": "r1",
        "prev_hash": GENESIS_HASH,
        "object_type": "case",
        "object_id": "c1",
        "at": "2024-01-01T09:00:00+09:00",
        "actor_id": "u1",
        "action": "case.close",
        "ip_hash": None,
        "detail_masked": "사유:종결",
        "hash": "ignored",
        "extra": "ignored",
    }
    expected = (
        '{"action":"case.close","actor_id":"u1","at":"2024-01-01T09:00:00+09:00","detail_masked":"사유:종결",'
        f'"ip_hash":null,"object_id":"c1","object_type":"case","prev_hash":"{GENESIS_HASH}"}}'
    ).encode()
    assert canonical_row(row) == expected
    assert canonical_row(dict(reversed(list(row.items())))) == expected


def test_canonical_row_accepts_datetime_at_as_iso() -> None:
    row = _build_chain(1)[0]
    as_datetime = {**row, "at": datetime(2024, 1, 1, 0, 0, tzinfo=UTC)}
    as_string = {**row, "at": "2024-01-01T00:00:00+00:00"}
    assert canonical_row(as_datetime) == canonical_row(as_string)


def test_canonical_row_requires_every_hashed_field() -> None:
    row = _build_chain(1)[0]
    del row["ip_hash"]
    with pytest.raises(KeyError):
        canonical_row(row)


def test_row_hash_is_sha256_hex_and_depends_on_prev_hash() -> None:
    row = _build_chain(1)[0]
    h = row_hash(row, GENESIS_HASH)
    assert len(h) == 64 and int(h, 16) >= 0
    assert h == hashlib.sha256(canonical_row(row)).hexdigest()
    assert row_hash(row, "f" * 64) != h
    assert GENESIS_HASH == "0" * 64


def test_built_chain_verifies() -> None:
    rows = _build_chain(6)
    assert verify_chain(rows) == ChainReport(ok=True, checked=6, first_bad_id=None, reason=None)


def test_empty_chain_verifies() -> None:
    assert verify_chain([]) == ChainReport(ok=True, checked=0)


def test_verify_chain_streams_an_iterator() -> None:
    rows = _build_chain(4)

    def stream() -> Iterator[Row]:
        yield from rows

    assert verify_chain(stream()).ok


@pytest.mark.parametrize(
    ("field", "value"),
    [("detail_masked", '{"filename":"other.txt"}'), ("actor_id", "user-evil"), ("hash", "a" * 64)],
)
def test_editing_one_row_fails_at_that_row(field: str, value: str) -> None:
    rows = _build_chain(5)
    rows[2][field] = value
    report = verify_chain(rows)
    assert not report.ok
    assert report.first_bad_id == rows[2]["id"]
    assert report.checked == 2
    assert report.reason is not None and report.reason.startswith("hash mismatch")


def test_editing_and_rehashing_a_row_fails_at_the_next_row() -> None:
    rows = _build_chain(5)
    rows[2]["detail_masked"] = "{}"
    rows[2]["hash"] = row_hash(rows[2], str(rows[2]["prev_hash"]))
    report = verify_chain(rows)
    assert not report.ok
    assert report.first_bad_id == rows[3]["id"]
    assert report.reason is not None and report.reason.startswith("prev_hash mismatch")


@pytest.mark.parametrize("deleted", [0, 2, 3])
def test_deleting_a_row_fails_at_the_row_after_it(deleted: int) -> None:
    rows = _build_chain(5)
    after_id = rows[deleted + 1]["id"]
    del rows[deleted]
    report = verify_chain(rows)
    assert not report.ok
    assert report.first_bad_id == after_id
    assert report.checked == deleted
    assert report.reason is not None and report.reason.startswith("prev_hash mismatch")


def test_swapping_two_rows_fails_at_the_first_moved_row() -> None:
    rows = _build_chain(5)
    rows[1], rows[2] = rows[2], rows[1]
    report = verify_chain(rows)
    assert not report.ok
    assert report.first_bad_id == rows[1]["id"]  # the original third row, now second
    assert report.checked == 1
    assert report.reason is not None and report.reason.startswith("prev_hash mismatch")


def test_first_row_must_chain_to_genesis() -> None:
    rows = _build_chain(3)
    rows[0]["prev_hash"] = "1" * 64
    rows[0]["hash"] = row_hash(rows[0], "1" * 64)
    report = verify_chain(rows)
    assert report.first_bad_id == rows[0]["id"]
    assert report.checked == 0


def test_row_missing_a_field_is_reported_not_raised() -> None:
    rows = _build_chain(3)
    del rows[1]["detail_masked"]
    report = verify_chain(rows)
    assert not report.ok
    assert report.first_bad_id == rows[1]["id"]
    assert report.reason is not None and "detail_masked" in report.reason
