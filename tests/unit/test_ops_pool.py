"""The worker pool's chores: the watchdog hands a dead worker's item back, the janitor sweeps tmp/, and
housekeeping schedules both; plus the store-vs-index comparison behind `leh ops check-index`."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from leh.container import Container
from leh.domain.errors import Conflict, NotFound
from leh.domain.evidence import EvidenceStatus, new_evidence_doc, transition
from leh.models import Case, WorkerHeartbeat
from leh.services import accounts, cases
from leh.services.ops import housekeeping, janitor, watchdog
from leh.services.ops.backup import restore_backup
from leh.services.ops.findings import Level, Status
from leh.services.ops.index_check import check_index, compare_case
from leh.services.ops.workers import list_workers

CASE = "11111111-1111-1111-1111-111111111111"


def _doc(evidence_id: str, status: str, *, worker_id: str | None = None, segments: int = 0) -> dict[str, Any]:
    doc = new_evidence_doc(case_id=CASE, evidence_id=evidence_id, filename="a.txt", size=1, uploaded_by="u")
    for st in {"queued": ["queued"], "processing": ["queued", "processing"], "done": ["queued", "processing", "done"],
               "deleted": ["queued", "deleted"]}[status]:
        transition(doc, st)
    doc.update(worker_id=worker_id, segments=[{"seq": i, "text": f"문장 {i}"} for i in range(segments)])
    return doc


def _beat(c: Container, worker_id: str, age_s: float, current: str | None) -> None:
    with c.sessions() as db:
        db.add(WorkerHeartbeat(worker_id=worker_id, host="h", pid=1, current_evidence_id=current,
                               heartbeat_at=(datetime.now(UTC) - timedelta(seconds=age_s)).replace(tzinfo=None)))
        db.commit()


def test_watchdog_hands_back_only_the_dead_workers_own_item(container: Container) -> None:
    c = container
    c.evidence.put(_doc("e-dead", "processing", worker_id="dead"))
    c.evidence.put(_doc("e-moved", "processing", worker_id="alive"))  # already redelivered to a live worker
    c.evidence.put(_doc("e-live", "processing", worker_id="alive"))
    _beat(c, "dead", 60, "e-dead")
    _beat(c, "dead-too", 60, "e-moved")
    _beat(c, "alive", 0.2, "e-live")
    _beat(c, "idle-dead", 600, None)
    c.evidence.put(_doc("e-early", "processing", worker_id="early"))
    _beat(c, "early", 60, None)  # died before its heartbeat named the item: the document still does

    out = watchdog.reclaim(c)
    assert sorted((r["worker_id"], r["held"], r["requeued"]) for r in out) == [
        ("dead", ["e-dead"], ["e-dead"]), ("dead-too", ["e-moved"], []), ("early", ["e-early"], ["e-early"]),
        ("idle-dead", [], [])]
    doc = c.evidence.get("e-dead")
    assert doc["status"] == EvidenceStatus.QUEUED and doc["worker_id"] is None
    assert [h["status"] for h in doc["status_history"]][-2:] == ["processing", "queued"]
    assert c.evidence.get("e-moved")["status"] == EvidenceStatus.PROCESSING
    assert c.evidence.get("e-live")["status"] == EvidenceStatus.PROCESSING
    with c.sessions() as db:
        assert list(db.scalars(select(WorkerHeartbeat.worker_id))) == ["alive"]
    assert watchdog.reclaim(c) == []  # claimed once: a second pass (another worker's watchdog) finds nothing


def test_a_worker_whose_process_is_gone_is_dead_before_it_falls_silent(container: Container) -> None:
    c = container
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped: this pid names no process now
    c.evidence.put(_doc("e-killed", "processing", worker_id="killed"))
    with c.sessions() as db:
        db.add(WorkerHeartbeat(worker_id="killed", host=socket.gethostname(), pid=proc.pid, current_evidence_id=None,
                               heartbeat_at=datetime.now(UTC).replace(tzinfo=None)))
        db.add(WorkerHeartbeat(worker_id="me", host=socket.gethostname(), pid=os.getpid(), current_evidence_id=None,
                               heartbeat_at=datetime.now(UTC).replace(tzinfo=None)))
        db.commit()
    assert {w.worker_id: w.alive for w in list_workers(c)} == {"killed": False, "me": True}
    assert [(r["worker_id"], r["requeued"]) for r in watchdog.reclaim(c)] == [("killed", ["e-killed"])]


def test_a_clean_stop_hands_back_the_item_of_a_worker_too_slow_to_finish(container: Container,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from leh.cli import processes

    c = container
    # A worker busy past the stop grace (it ignores SIGTERM, as one deep in a long recording would seem to).
    slow = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
                             " print('ready', flush=True); time.sleep(120)"], stdout=subprocess.PIPE)
    assert slow.stdout is not None and slow.stdout.readline() == b"ready\n"
    quick = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # stops at SIGTERM
    c.evidence.put(_doc("e-slow", "processing", worker_id="slow"))
    c.evidence.put(_doc("e-other", "processing", worker_id="other"))
    with c.sessions() as db:
        for worker_id, pid, current in (("slow", slow.pid, "e-slow"), ("other", os.getpid(), "e-other")):
            db.add(WorkerHeartbeat(worker_id=worker_id, host=socket.gethostname(), pid=pid, current_evidence_id=current,
                                   heartbeat_at=datetime.now(UTC).replace(tzinfo=None)))
        db.commit()
    monkeypatch.setattr(processes, "WORKER_STOP_SECONDS", 1.0)
    t0 = time.monotonic()
    processes._stop_workers(c, [slow, quick])
    assert time.monotonic() - t0 < 30
    slow.stdout.close()
    assert slow.poll() is not None and quick.poll() is not None
    assert c.evidence.get("e-slow")["status"] == EvidenceStatus.QUEUED  # handed back, not left `processing`
    assert c.evidence.get("e-other")["status"] == EvidenceStatus.PROCESSING  # a live worker's item stays its own


def test_a_single_server_process_loads_the_korean_analyser_while_it_starts(container: Container,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import uvicorn

    from leh.analysis import morph
    from leh.cli import processes

    loaded = threading.Event()
    served: list[Any] = []
    monkeypatch.setattr(morph, "kiwi", loaded.set)
    # uvicorn.run blocks while the server runs: the analyser loads beside it, not before the first request.
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append((app, loaded.wait(10))))
    processes._http(container)
    assert len(served) == 1 and served[0][1] is True
    assert loaded.is_set()


def _tmp(c: Container, key: str, size: int, age_hours: float) -> None:
    c.objects.put(key, io.BytesIO(b"x" * size))
    path = c.settings.data_dir / "objects" / key
    t = time.time() - age_hours * 3600
    os.utime(path, (t, t))


def test_janitor_deletes_only_expired_tmp_objects(container: Container) -> None:
    c = container
    _tmp(c, "tmp/old-upload.part", 100, 30)
    _tmp(c, "tmp/sub/older.bin", 50, 72)
    _tmp(c, "tmp/fresh.bin", 7, 1)
    _tmp(c, f"cases/{CASE}/raw/keep.txt", 9, 500)  # evidence is never touched, however old
    before = janitor.tmp_report(c.objects, c.settings)
    assert (before["objects"], before["expired"], before["expired_bytes"]) == (3, 2, 150)
    out = janitor.sweep_tmp(c.objects, c.settings)
    assert (out["deleted"], out["deleted_bytes"], out["objects"], out["bytes"], out["expired"]) == (2, 150, 1, 7, 0)
    assert c.objects.head(f"cases/{CASE}/raw/keep.txt") is not None
    assert c.objects.head("tmp/fresh.bin") is not None


def test_housekeeping_runs_each_chore_when_due(container: Container) -> None:
    c = container
    _tmp(c, "tmp/a.bin", 1, 48)
    _beat(c, "gone", 60, None)
    housekeeping.tick(c, now=1000.0)  # first tick: both run
    assert c.objects.head("tmp/a.bin") is None
    with c.sessions() as db:
        assert db.scalar(select(WorkerHeartbeat)) is None
    _tmp(c, "tmp/b.bin", 1, 48)
    _beat(c, "gone-2", 60, None)
    housekeeping.tick(c, now=1000.0 + c.settings.worker_heartbeat_seconds)  # watchdog due, janitor not yet
    assert c.objects.head("tmp/b.bin") is not None
    with c.sessions() as db:
        assert db.scalar(select(WorkerHeartbeat)) is None
    housekeeping.tick(c, now=1000.0 + housekeeping.JANITOR_EVERY_SECONDS)
    assert c.objects.head("tmp/b.bin") is None


def test_index_check_compares_store_and_index(container: Container) -> None:
    c = container
    with c.sessions() as db:
        user = accounts.create_user(db, email="i@test.local", password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="인덱스")
        db.commit()
        case_id = case.id
    docs = {name: {**_doc(f"{name:-<36}"[:36], status, segments=n), "case_id": case_id}
            for name, status, n in (("done-a", "done", 3), ("done-b", "done", 2), ("inflight", "processing", 4),
                                    ("deleted", "deleted", 2))}
    for d in docs.values():
        c.evidence.put(d)
    c.index.index_evidence(docs["done-a"])
    c.index.index_evidence({**docs["done-b"], "segments": docs["done-b"]["segments"][:1]})  # one segment short
    c.index.index_evidence(docs["inflight"])  # being indexed right now: not a mismatch
    c.index.index_evidence(docs["deleted"])  # a deleted item still searchable: a mismatch
    r = compare_case(c.evidence, c.index, case_id, closed=False)
    eid = {k: d["evidence_id"] for k, d in docs.items()}
    assert (r["missing"], r["extra"], r["mismatched"]) == ([], [eid["deleted"]], [eid["done-b"]])
    with c.sessions() as db:
        [finding] = check_index(db, c.evidence, c.index)
    assert finding.status == Status.FAIL and finding.level == Level.LV2
    assert f"leh ops reindex {case_id}" in (finding.action or "")

    c.index.index_evidence(docs["done-b"])
    c.index.remove_evidence(case_id, eid["deleted"])
    with c.sessions() as db:
        [ok] = check_index(db, c.evidence, c.index, case_id)
        assert ok.status == Status.OK
        # A closed case is expected to have no index at all.
        db.get(Case, case_id).status = "closed"
        db.commit()
        [closed] = check_index(db, c.evidence, c.index, case_id)
    assert closed.status == Status.FAIL and closed.detail["extra"] == sorted([eid["done-a"], eid["done-b"]])


def test_restore_is_refused_while_a_worker_lives(container: Container) -> None:
    with container.sessions() as db:
        db.add(WorkerHeartbeat(worker_id="busy", host=socket.gethostname(), pid=os.getpid(), current_evidence_id=None,
                               heartbeat_at=datetime.now(UTC).replace(tzinfo=None)))
        db.commit()
    with pytest.raises(Conflict) as err:
        restore_backup(container)
    assert err.value.code == "WORKERS_RUNNING" and "--force" in err.value.message_ko
    with pytest.raises(NotFound):  # forced: past the guard, and there is no backup to restore
        restore_backup(container, force=True)
