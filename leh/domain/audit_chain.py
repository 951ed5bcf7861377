"""The audit log's hash chain: each row's hash covers its fields and the previous row's hash, so an edited,
deleted or reordered row is detectable (`leh ops verify-audit`). Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

__all__ = ["GENESIS_HASH", "HASHED_FIELDS", "ChainReport", "canonical_row", "row_hash", "verify_chain"]

GENESIS_HASH: Final = "0" * 64
# `id` and `hash` are deliberately not hashed: `hash` is the output, and tampering with `id` alone changes
# no recorded fact (the chain position is fixed by prev_hash).
HASHED_FIELDS: Final = (
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "ip_hash",
    "detail_masked",
    "prev_hash",
)

_REASON_PREV: Final = "prev_hash mismatch: a row before this one was deleted, inserted or reordered"
_REASON_HASH: Final = "hash mismatch: this row was changed after it was written"


@dataclass(frozen=True)
class ChainReport:
    """Outcome of `verify_chain`. `checked` counts the rows that verified before the first bad one."""

    ok: bool
    checked: int
    first_bad_id: str | None = None
    reason: str | None = None


def _json_default(value: object) -> str:
    # Rows should carry `at` as the ISO string that was hashed; a datetime from the DB driver is accepted
    # in its ISO form so the hash does not depend on the column type.
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"audit field of type {type(value).__name__} is not JSON-serialisable")


def canonical_row(row: Mapping[str, object]) -> bytes:
    """The bytes that are hashed: the audit fields as JSON with sorted keys, UTF-8, no whitespace.

    Stable across processes and databases, so a row re-read from storage hashes exactly as when written.
    Raises KeyError when a hashed field is missing.
    """
    fields = {name: row[name] for name in HASHED_FIELDS}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default).encode(
        "utf-8"
    )


def row_hash(row: Mapping[str, object], prev_hash: str) -> str:
    """sha256 hex of `row` chained to `prev_hash` (which overrides any `prev_hash` in `row`)."""
    return hashlib.sha256(canonical_row({**row, "prev_hash": prev_hash})).hexdigest()


def verify_chain(rows: Iterable[Mapping[str, object]]) -> ChainReport:
    """Recompute the chain over `rows` in log order and report the first row that breaks it.

    Streams (any iterable works). Removing rows from the end of the log cannot be seen from the rows
    alone; compare the last hash with one recorded elsewhere for that.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    for row in rows:
        row_id = str(row.get("id"))
        missing = [name for name in (*HASHED_FIELDS, "hash") if name not in row]
        if missing:
            return ChainReport(False, checked, row_id, f"missing field(s): {', '.join(missing)}")
        if row["prev_hash"] != expected_prev:
            return ChainReport(False, checked, row_id, _REASON_PREV)
        if row_hash(row, expected_prev) != row["hash"]:
            return ChainReport(False, checked, row_id, _REASON_HASH)
        expected_prev = str(row["hash"])
        checked += 1
    return ChainReport(True, checked)
