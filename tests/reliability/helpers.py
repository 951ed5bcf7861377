"""What the reliability suites share: the short/long switch and their timeout, a lawyer with a case, uploading a
batch, searching, reading the stores directly (not through the API, whose paging may change), and checks that every
evidence ended in a final state exactly once."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from leh.config import Settings
from leh.container import Container
from leh.domain.documents import EvidenceDoc
from leh.domain.errors import ERROR_MESSAGES_KO
from tests.conftest import ADMIN, make_user
from tests.reliability.corpus import Item
from tests.support.live import Api, LehProcesses
from tests.support.wait import wait_until

# `make bench` (bench/run_all.py) sets this: bigger batches, more kills, bigger files. `make test` runs the short ones.
LONG = os.environ.get("LEH_RELIABILITY_LONG") == "1"
FINAL = frozenset({"done", "failed"})
_HANGUL = re.compile(r"[가-힣]")


def scaled(short: int, long: int) -> int:
    return long if LONG else short


# Real processes on a shared machine: more than pytest's default 300 s per test (each suite's `pytestmark`).
TIMEOUT = pytest.mark.timeout(scaled(900, 3600))


def open_case(base_url: str, email: str, title: str) -> tuple[Api, Api, str]:
    """The admin's client, a new lawyer's (`email`) and the id of the lawyer's new case (`title`)."""
    admin = Api(base_url).login(*ADMIN)
    lawyer = make_user(admin, email)
    return admin, lawyer, lawyer.data("POST", "/api/cases", 201, json={"title": title})["id"]


def local(leh: LehProcesses) -> Container:
    """A container on the running installation's data directory (embedded defaults), for reading its stores."""
    return Container(Settings(data_dir=leh.data_dir, secret_key=leh.env["LEH_SECRET_KEY"]))


def upload(api: Api, case_id: str, items: Iterable[Item], per_request: int = 8) -> dict[str, Item]:
    """Upload the items (several files per request, as the upload page does); evidence id → item."""
    items = list(items)
    out: dict[str, Item] = {}
    for start in range(0, len(items), per_request):
        chunk = items[start:start + per_request]
        created = api.data("POST", f"/api/cases/{case_id}/evidence", 201,
                           files=[("file", (it.filename, it.data, "application/octet-stream")) for it in chunk])
        created = created if isinstance(created, list) else [created]
        assert [d["filename"] for d in created] == [it.filename for it in chunk]
        out.update({d["id"]: it for d, it in zip(created, chunk, strict=True)})
    return out


def search_all(api: Api, case_id: str, queries: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Each query's search hits in the case (up to 50, best first)."""
    # A generous timeout: the server loads its morpheme analyser on the first query (seconds on a loaded machine).
    return {q: api.call("GET", f"/api/cases/{case_id}/search", 200, params={"q": q, "limit": 50},
                        timeout=180).json()["data"] for q in queries}


def docs_of(c: Container, case_id: str) -> dict[str, EvidenceDoc]:
    return {d["evidence_id"]: d for d in c.evidence.list_case(case_id)}


def wait_final(c: Container, case_id: str, ids: Iterable[str], timeout: float, *,
               also: Any = None) -> dict[str, EvidenceDoc]:
    """Wait until every listed evidence (and every file found inside one: attachments) is done or failed.

    `also()` is called on every poll (e.g. to check that no worker died); it raises to stop the wait."""
    wanted = set(ids)
    last: dict[str, EvidenceDoc] = {}

    def settled() -> dict[str, EvidenceDoc] | None:
        nonlocal last
        if also is not None:
            also()
        last = docs_of(c, case_id)
        missing = wanted - set(last)
        assert not missing, f"evidence lost: {sorted(missing)}"
        return last if all(d["status"] in FINAL for d in last.values() if d["status"] != "deleted") else None

    return wait_until(settled, timeout=timeout, interval=0.5, message=lambda: "not final: " + ", ".join(
        f"{d['filename']}={d['status']}/{d.get('stage')}" for d in last.values() if d["status"] not in FINAL))


def korean_error(err: dict[str, Any] | None, code: str) -> None:
    """The evidence failed with `code` and the Korean message that says what to do."""
    assert err is not None and err["code"] == code, err
    assert err["message"] == ERROR_MESSAGES_KO[code] and _HANGUL.search(err["message"])


def done_transitions(doc: EvidenceDoc) -> int:
    return [h["status"] for h in doc.get("status_history") or []].count("done")


def index_rows(data_dir: Path, case_id: str) -> dict[str, list[int]]:
    """evidence id → the seqs indexed for it in the case's embedded search index (duplicates kept)."""
    path = data_dir / "search" / f"{case_id}.db"
    if not path.exists():
        return {}
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT evidence_id, seq FROM segments ORDER BY evidence_id, seq").fetchall()
    out: dict[str, list[int]] = {}
    for evidence_id, seq in rows:
        out.setdefault(evidence_id, []).append(int(seq))
    return out


def assert_indexed_once(data_dir: Path, case_id: str, docs: dict[str, EvidenceDoc]) -> None:
    """Each done evidence counted in the index has exactly one entry per segment; failed ones have none."""
    rows = index_rows(data_dir, case_id)
    for eid, doc in docs.items():
        if doc["status"] == "done" and not doc.get("duplicate_of"):
            assert rows.get(eid, []) == list(range(len(doc.get("segments") or []))), doc["filename"]
        elif doc["status"] == "failed":
            assert eid not in rows, doc["filename"]


def _queue_empty(data_dir: Path, *, dlq_too: bool = True) -> bool:
    where = "" if dlq_too else " WHERE queue='main'"
    with sqlite3.connect(data_dir / "queue.db") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM messages" + where).fetchone()[0]) == 0


def wait_queue_empty(data_dir: Path, *, dlq_too: bool = True) -> None:
    """Wait until no message is left on the embedded queue (nor, with dlq_too, on its dead-letter queue)."""
    wait_until(lambda: _queue_empty(data_dir, dlq_too=dlq_too), timeout=30, message="messages left on the queue")
