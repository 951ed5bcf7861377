"""The per-process read models (ask passages, timeline rows) follow every write to the case's evidence."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

from leh.adapters.sqlite_evidence import SqliteEvidenceStore
from leh.domain.evidence import new_evidence_doc, transition
from leh.services import read_cache
from leh.services.ask import case_passages
from leh.services.timeline import case_timeline


def _done(store: SqliteEvidenceStore, case_id: str, text: str, ts: str = "2024-03-09T21:00:00+09:00") -> str:
    doc = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.uuid4()), filename="대화.txt", size=10,
                           uploaded_by="u", type_hint="text")
    # Uploaded in the order of the messages: passages follow upload order, and two uploads in one millisecond
    # (a loaded CI machine) would otherwise tie and fall back to the random evidence id.
    doc.update(type="kakaotalk", sha256=uuid.uuid4().hex * 2, speakers=["김민수"], uploaded_at=ts,
               segments=[{"seq": 0, "ts": ts, "speaker": "김민수", "text": text, "ref": {"line": 1}, "kind": "speech"}],
               timeline=[{"ts": ts, "description": f"김민수: {text}", "grounds": [], "segments": [0]}])
    transition(doc, "queued")
    transition(doc, "processing")
    store.put(transition(doc, "done"))
    return doc["evidence_id"]


def test_a_write_to_any_evidence_of_the_case_rebuilds_the_models(tmp_path: Path) -> None:
    store = SqliteEvidenceStore(tmp_path / "evidence.db")
    case = str(uuid.uuid4())
    first = _done(store, case, "생활비 안 보낼 거야")
    assert [p.text for p in case_passages(store, case)] == ["생활비 안 보낼 거야"]
    assert [t["description"] for t in case_timeline(store, case, timezone="Asia/Seoul")] == ["김민수: 생활비 안 보낼 거야"]

    _done(store, case, "집에 안 들어간다", ts="2024-03-10T09:00:00+09:00")  # a new evidence
    assert [p.text for p in case_passages(store, case)] == ["생활비 안 보낼 거야", "집에 안 들어간다"]
    assert len(case_timeline(store, case, timezone="Asia/Seoul")) == 2

    store.update(first, {"status": "deleted"})  # a changed one
    assert [p.text for p in case_passages(store, case)] == ["집에 안 들어간다"]
    assert [t["ts"][:10] for t in case_timeline(store, case, timezone="Asia/Seoul")] == ["2024-03-10"]

    other = SqliteEvidenceStore(tmp_path / "evidence.db")  # another process's view of the same file
    _done(other, case, "연락하지 마", ts="2024-03-11T09:00:00+09:00")
    assert len(case_passages(store, case)) == 2


def test_a_request_changing_its_timeline_does_not_change_the_next_ones(tmp_path: Path) -> None:
    store = SqliteEvidenceStore(tmp_path / "evidence.db")
    case = str(uuid.uuid4())
    _done(store, case, "가만 안 둔다")
    got = case_timeline(store, case, timezone="Asia/Seoul")
    got[0]["description"] = "바뀜"
    got[0]["segments"].append(99)
    again = case_timeline(store, case, timezone="Asia/Seoul")
    assert again[0]["description"] == "김민수: 가만 안 둔다" and again[0]["segments"] == [0]


def test_concurrent_requests_build_a_missing_model_once(tmp_path: Path) -> None:
    store = SqliteEvidenceStore(tmp_path / "evidence.db")
    case = str(uuid.uuid4())
    _done(store, case, "한 번만")
    builds = []

    def build() -> tuple[str, ...]:
        builds.append(1)
        time.sleep(0.05)  # a slow build, so the other threads arrive while it runs
        return ("model",)

    results: list[tuple[str, ...]] = []
    threads = [threading.Thread(target=lambda: results.append(read_cache.cached(store, case, "t", build)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert builds == [1] and results == [("model",)] * 8


def test_the_case_pages_evidence_rows_follow_every_write(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from leh.web.views import case_evidence_rows as case_rows

    store = SqliteEvidenceStore(tmp_path / "evidence.db")
    ports = SimpleNamespace(evidence=store)
    case = str(uuid.uuid4())
    first = _done(store, case, "생활비 안 보낼 거야")
    got = case_rows(ports, case)  # type: ignore[arg-type]
    assert [r["evidence_id"] for r in got["evidence"]] == [first] and got["counts"] == {"done": 1}
    assert case_rows(ports, case) is got  # unchanged case: the same rows, not read again

    second = _done(SqliteEvidenceStore(tmp_path / "evidence.db"), case, "집에 안 들어간다")  # another process
    again = case_rows(ports, case)  # type: ignore[arg-type]
    assert {r["evidence_id"] for r in again["evidence"]} == {first, second} and again["counts"] == {"done": 2}
    store.update(first, {"status": "deleted"})
    assert [r["evidence_id"] for r in case_rows(ports, case)["evidence"]] == [second]  # type: ignore[arg-type]
