"""The embedded evidence store: atomic read-modify-write and list summaries without evidence text."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.adapters.sqlite_evidence import SqliteEvidenceStore
from leh.domain.errors import Conflict, NotFound
from leh.domain.evidence import new_evidence_doc, transition

CASE_A, CASE_B = "a" * 8 + "-0000-0000-0000-" + "0" * 12, "b" * 8 + "-0000-0000-0000-" + "0" * 12


def _doc(case: str, n: int) -> dict:
    doc = new_evidence_doc(case_id=case, evidence_id=f"{n:08d}-0000-0000-0000-000000000000", filename=f"f{n}.txt",
                           size=n, uploaded_by="u")
    doc["segments"] = [{"seq": 0, "text": "비밀 증거 내용"}]
    return doc


def test_summaries_carry_only_the_asked_fields_and_the_last_status_time(tmp_path: Path) -> None:
    store = SqliteEvidenceStore(tmp_path / "e.db")
    for n, case in enumerate([CASE_A, CASE_A, CASE_B]):
        store.put(_doc(case, n))
    store.mutate(_doc(CASE_A, 1)["evidence_id"], lambda d: transition(d, "queued", at="2024-01-01T00:00:00+00:00"))
    store.mutate(_doc(CASE_A, 0)["evidence_id"], lambda d: transition(d, "deleted"))
    rows = store.list_summaries(case_ids=[CASE_A], fields=["filename", "since"])
    assert rows == [{"evidence_id": _doc(CASE_A, 1)["evidence_id"], "case_id": CASE_A, "status": "queued",
                     "filename": "f1.txt", "since": "2024-01-01T00:00:00+00:00"}]
    single = store.list_summaries(statuses=["uploading"], fields=["size"])
    assert [(r["case_id"], r["size"]) for r in single] == [(CASE_B, 2)]
    assert "비밀" not in repr(store.list_summaries(fields=["filename", "labels", "error"]))
    with pytest.raises(ValueError):
        store.list_summaries(fields=["x') , ('$.segments"])


def test_update_with_expected_status_is_atomic(tmp_path: Path) -> None:
    store = SqliteEvidenceStore(tmp_path / "e.db")
    doc = _doc(CASE_A, 7)
    store.put(doc)
    store.update(doc["evidence_id"], {"stage": "extract"}, expect_status=["uploading"])
    with pytest.raises(Conflict):
        store.update(doc["evidence_id"], {"stage": "index"}, expect_status=["processing"])
    assert store.get(doc["evidence_id"])["stage"] == "extract"
    with pytest.raises(NotFound):
        store.update("missing", {"stage": "x"})
    assert store.count_by_status(CASE_A) == {"uploading": 1}


def test_a_store_made_before_heads_still_lists_and_counts(tmp_path: Path) -> None:
    import json
    import sqlite3

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript("CREATE TABLE evidence (evidence_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, status TEXT NOT NULL, "
                      "doc TEXT NOT NULL, updated_at REAL NOT NULL);")
    doc = _doc(CASE_A, 3)
    doc["segments"] = [{"seq": i, "text": "비밀 증거 내용"} for i in range(5)]
    old.execute("INSERT INTO evidence VALUES (?,?,?,?,0)", (doc["evidence_id"], CASE_A, doc["status"], json.dumps(doc)))
    old.commit()
    old.close()
    store = SqliteEvidenceStore(path)
    rows = store.list_summaries(case_ids=[CASE_A], fields=["filename", "segment_count", "timeline_count"])
    assert [(r["filename"], r["segment_count"], r["timeline_count"]) for r in rows] == [("f3.txt", 5, 0)]
    store.put(doc)  # the next write fills the head
    head = json.loads(store.db.conn().execute("SELECT head FROM evidence_list").fetchone()[0])
    assert "segments" not in head and head["segment_count"] == 5 and head["filename"] == "f3.txt"
    assert SqliteEvidenceStore(path).list_summaries(case_ids=[CASE_A], fields=["segment_count"])[0]["segment_count"] == 5
