"""Restart safety (issue #16): `leh run` (server + LEH_WORKERS workers, what `make run` starts) stopped and started
again in the middle of a batch — once cleanly (SIGTERM), once as a power cut (SIGKILL of the whole process group).
Nothing is lost, nothing stays `processing`, every evidence is done exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from leh.domain.documents import EvidenceDoc
from tests.reliability.corpus import mixed_batch
from tests.reliability.helpers import (
    TIMEOUT,
    assert_indexed_once,
    docs_of,
    done_transitions,
    local,
    open_case,
    scaled,
    upload,
    wait_final,
    wait_queue_empty,
)
from tests.support.live import REPO, LehProcesses, free_port, leh_env
from tests.support.wait import wait_until

pytestmark = TIMEOUT


@contextmanager
def leh_run(data_dir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`leh run` with two workers in its own process group (so a power cut can take the group down at once)."""
    env = leh_env(data_dir, LEH_PORT=str(port), LEH_WORKERS="2")
    with open(data_dir / "run.out", "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "leh", "run"], env=env, stdout=log, stderr=log, cwd=REPO,
                                start_new_session=True)

    def healthy() -> bool:
        assert proc.poll() is None, (data_dir / "run.out").read_text()[-3000:]
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, timeout=90, interval=0.2, message="leh run did not start")
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def _mid_batch(docs: dict[str, EvidenceDoc]) -> bool:
    statuses = [d["status"] for d in docs.values()]
    return "processing" in statuses and ("queued" in statuses or statuses.count("processing") > 1)


def test_leh_run_stopped_and_restarted_mid_batch_loses_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    port = free_port()
    size = scaled(8, 60)
    batch = mixed_batch(2 * size, seed=31)
    uploaded: dict[str, object] = {}
    with leh_run(data_dir, port) as run:
        _, lawyer, case_id = open_case(f"http://127.0.0.1:{port}", "restart@test.local", "재시작")
        c = local(LehProcesses(data_dir=data_dir, env=leh_env(data_dir)))
        uploaded.update(upload(lawyer, case_id, batch[:size]))
        wait_until(lambda: _mid_batch(docs_of(c, case_id)), timeout=120, interval=0.05, message="never mid-batch")
        # A clean stop: the workers finish the item in hand and leave; nothing is left `processing`.
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=120) == 0
        wait_until(lambda: _group_gone(run.pid), timeout=60, interval=0.2, message="workers outlived leh run")
        stopped = docs_of(c, case_id)
        assert set(stopped) == set(uploaded)
        assert "processing" not in {d["status"] for d in stopped.values()}
        assert {d["status"] for d in stopped.values()} & {"queued"}, "the batch was finished before the stop"

    with leh_run(data_dir, port) as run:
        docs = wait_final(c, case_id, uploaded, timeout=scaled(180, 600))
        assert all(d["status"] == "done" and done_transitions(d) == 1 for d in docs.values())
        # A power cut: the whole group (server, supervisor, workers) SIGKILLed mid-batch.
        more = upload(lawyer, case_id, batch[size:])
        uploaded.update(more)
        wait_until(lambda: _mid_batch(docs_of(c, case_id)), timeout=120, interval=0.05, message="never mid-batch")
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
        wait_until(lambda: _group_gone(run.pid), timeout=60, interval=0.2, message="processes outlived the cut")
        cut = docs_of(c, case_id)
        assert set(cut) == set(uploaded) and "processing" in {d["status"] for d in cut.values()}

    with leh_run(data_dir, port):
        # The new workers' watchdog sees the dead holders' processes gone and hands their items back at once.
        docs = wait_final(c, case_id, uploaded, timeout=scaled(180, 600))
        assert set(docs) == set(uploaded)
        wrong = {d["filename"]: (d["status"], d.get("error"), done_transitions(d)) for d in docs.values()
                 if d["status"] != "done" or done_transitions(d) != 1}
        assert not wrong
        assert_indexed_once(data_dir, case_id, docs)
        wait_queue_empty(data_dir)
        assert not [d for d in c.evidence.list_by_status(["processing", "queued"])]
