"""Crash convergence (issue #16): a mixed batch (KakaoTalk, text, PDF, photo) ingested by two worker processes while
a random busy worker is SIGKILLed again and again (and replaced). Every evidence ends done — or failed with a code
when it kept killing workers —, none is lost, none is processed twice (one index entry per segment, one `done`
transition), and reprocessing everything afterwards converges to the same state and the same search results."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from leh.domain.documents import EvidenceDoc
from tests.reliability.corpus import mixed_batch
from tests.reliability.helpers import (
    FINAL,
    TIMEOUT,
    assert_indexed_once,
    docs_of,
    done_transitions,
    korean_error,
    local,
    open_case,
    scaled,
    search_all,
    upload,
    wait_final,
    wait_queue_empty,
)
from tests.support.live import Api, LehProcesses, running_leh
from tests.support.wait import wait_until

pytestmark = TIMEOUT

QUERIES = ["생활비", "학원비", "아이들", "진술서", "이혼 변호사", "2024년 3월"]
DERIVED = ("labels", "summary", "speakers", "event_time", "event_time_precision", "timeline", "speakers_map")


def fingerprint(doc: EvidenceDoc) -> dict[str, Any]:
    """What processing made of the evidence (not when or by whom)."""
    segments = [(s["seq"], s["text"], s.get("speaker"), s.get("ts")) for s in doc.get("segments") or []]
    return {"status": doc["status"], "type": doc.get("type"), "segments": segments,
            **{k: doc.get(k) for k in DERIVED}}  # type: ignore[misc]


def search(api: Api, case_id: str) -> dict[str, list[tuple[Any, ...]]]:
    return {q: [(h["evidence_id"], h["seq"], h["snippet"]) for h in hits]
            for q, hits in search_all(api, case_id, QUERIES).items()}


class Storm:
    """Kills a random worker that holds an item (SIGKILL: no cleanup at all), at a random moment of its work, and
    starts a replacement, so two workers are always running."""

    def __init__(self, leh: LehProcesses, seed: int) -> None:
        self.leh, self.rng, self.kills = leh, random.Random(seed), 0

    def live(self) -> list[subprocess.Popen[bytes]]:
        return [p for p in self.leh.workers if p.poll() is None]

    def busy(self, docs: dict[str, EvidenceDoc]) -> list[subprocess.Popen[bytes]]:
        holders = {str(d.get("worker_id")) for d in docs.values() if d["status"] == "processing"}
        return [p for p in self.live() if any(f"-{p.pid}-" in h for h in holders)]

    def strike(self, victims: list[subprocess.Popen[bytes]]) -> None:
        victim = self.rng.choice(victims)
        time.sleep(self.rng.uniform(0, 1.5))  # somewhere in extract, analyze or index (or just after)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        self.kills += 1
        self.leh.start_worker()
        assert len(self.live()) == 2


def _finals(docs: dict[str, EvidenceDoc]) -> int:
    return sum(d["status"] in FINAL for d in docs.values())


def _all_final(docs: dict[str, EvidenceDoc]) -> bool:
    return all(d["status"] in FINAL for d in docs.values())


def test_sigkill_storm_loses_nothing_duplicates_nothing_and_a_rerun_converges(tmp_path: Path) -> None:
    kills, size = scaled(10, 40), scaled(12, 120)
    waves = [mixed_batch(size, seed=11)[i:i + 4] for i in range(0, size, 4)]
    with running_leh(tmp_path / "var", workers=2) as leh:
        admin, lawyer, case_id = open_case(leh.base_url, "storm@test.local", "작업자 강제 종료")
        c = local(leh)
        storm = Storm(leh, seed=16)
        uploaded: dict[str, Any] = {}
        extra = 0
        while storm.kills < kills:
            if _all_final(docs_of(c, case_id)):
                if not waves:  # the batch went through before enough kills: more of the same kinds
                    extra += 1
                    waves.append(mixed_batch(4, seed=1000 * extra))
                uploaded.update(upload(lawyer, case_id, waves.pop(0)))
            victims = wait_until(lambda: storm.busy(docs_of(c, case_id)) or _all_final(docs_of(c, case_id)),
                                 timeout=120, interval=0.1, message="no worker ever picked up an item")
            if isinstance(victims, list):
                finished = _finals(docs_of(c, case_id))
                storm.strike(victims)
                # The next strike after the pool made progress again: kills spread over the batch, not all on one item.
                wait_until(lambda n=finished: _finals(d := docs_of(c, case_id)) > n or _all_final(d), timeout=180,
                           interval=0.2, message="no evidence finished after a kill")
        for wave in waves:  # the rest of the batch, with the workers left in peace
            uploaded.update(upload(lawyer, case_id, wave))
        docs = wait_final(c, case_id, uploaded, timeout=scaled(240, 900))

        assert storm.kills >= kills and len(storm.live()) == 2
        assert set(docs) == set(uploaded)  # nothing lost, nothing invented
        crashed = {e for e, d in docs.items() if d["status"] == "failed"}
        for doc in docs.values():
            if doc["evidence_id"] in crashed:  # kept killing workers: dead-lettered with its code, never half-done
                korean_error(doc["error"], "WORKER_CRASHED")
                assert not doc.get("segments")
            else:
                assert done_transitions(doc) == 1, (doc["filename"], doc["status_history"])
                assert doc.get("error") is None and doc.get("segments")
        assert len(crashed) <= len(docs) // 4, f"too many dead-lettered: {len(crashed)} of {len(docs)}"
        assert_indexed_once(leh.data_dir, case_id, docs)
        dlq = admin.data("GET", "/api/admin/dlq")
        assert {m["evidence_id"] for m in dlq["messages"]} == crashed
        assert {m["reason"] for m in dlq["messages"]} <= {"WORKER_CRASHED"}
        before = {eid: fingerprint(d) for eid, d in docs.items()}
        hits_before = search(lawyer, case_id)

        # The rerun: reprocess everything, no kills. Every evidence is done, identical to what the storm left.
        for eid in docs:
            admin.data("POST", "/api/admin/reprocess-evidence", json={"evidence_id": eid})
        latest: dict[str, EvidenceDoc] = {}

        def rerun_done() -> dict[str, EvidenceDoc] | None:
            nonlocal latest
            latest = docs_of(c, case_id)
            return latest if all(latest[e]["status"] == "done" and done_transitions(latest[e]) == 2 - (e in crashed)
                                 for e in uploaded) else None

        after = wait_until(rerun_done, timeout=scaled(240, 900), interval=0.5, message=lambda: "rerun: " + ", ".join(
            f"{d['filename']}={d['status']}/{(d.get('error') or {}).get('code')}" for d in latest.values()
            if d["status"] != "done"))
        changed = [after[e]["filename"] for e in uploaded if e not in crashed and fingerprint(after[e]) != before[e]]
        assert not changed, f"the rerun changed: {changed}"
        assert_indexed_once(leh.data_dir, case_id, after)
        if not crashed:
            assert search(lawyer, case_id) == hits_before
        wait_queue_empty(leh.data_dir, dlq_too=not crashed)
