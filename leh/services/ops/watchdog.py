"""The worker-pool watchdog: finds dead workers (silent for five heartbeats, or their process gone on this
machine), hands their items back to `queued`, removes them from the pool and logs the loss by evidence id."""

# The queue is SQS-shaped: a message's visibility is changed with its receipt. Workers write the receipt of
# the message in hand to their heartbeat row, so the watchdog makes a dead worker's message visible again at
# once (without it, the message would come back only when its visibility timeout lapses). Its receive count
# keeps counting, so an item that keeps killing workers still reaches the DLQ with WORKER_CRASHED
# (leh.pipeline.worker). The watchdog also fixes what the queue cannot see: the evidence state.

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete

from leh.domain.documents import EvidenceDoc
from leh.domain.errors import NotFound
from leh.domain.evidence import EvidenceStatus, transition
from leh.models import WorkerHeartbeat
from leh.ports import Ports
from leh.services.ops.workers import list_workers, process_gone, stale_after_seconds

log = logging.getLogger("leh.ops.watchdog")


def _claim(c: Ports, worker_id: str, cutoff: datetime | None) -> bool:
    """Remove a dead worker's row; only one watchdog wins. With a cutoff (death known from silence only),
    a worker that beat again in the meantime is left alone; without one, its process is known to be gone."""
    with c.sessions() as db:
        q = delete(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == worker_id)
        if cutoff is not None:
            q = q.where(WorkerHeartbeat.heartbeat_at < cutoff)
        gone = db.execute(q)
        db.commit()
        return bool(getattr(gone, "rowcount", 0))


def _hand_back(c: Ports, evidence_id: str, dead: str) -> bool:
    """processing → queued, only if the dead worker still owns it (a redelivery may have moved it on)."""
    moved = False

    def back_to_queue(d: EvidenceDoc) -> EvidenceDoc:
        nonlocal moved
        if d["status"] == EvidenceStatus.PROCESSING and d.get("worker_id") == dead:
            moved = True
            return transition(d, EvidenceStatus.QUEUED, stage=None, progress=0.0, worker_id=None)
        return d

    try:
        c.evidence.mutate(evidence_id, back_to_queue)
    except NotFound:
        return False
    return moved


def reclaim(c: Ports, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """One watchdog pass: returns what was reclaimed, as [{worker_id, held, requeued}]."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(seconds=stale_after_seconds(c.settings))
    out = []
    for w in list_workers(c, now=now):
        if w.alive or not _claim(c, w.worker_id, None if process_gone(w.host, w.pid) else cutoff):
            continue
        held = sorted({*w.holding, *([w.current_evidence_id] if w.current_evidence_id else [])})
        requeued = [eid for eid in held if _hand_back(c, eid, w.worker_id)]
        if w.current_receipt:
            try:
                c.queue.change_visibility(w.current_receipt, 0)
            except Exception:  # a stale receipt (already redelivered) is fine: the queue has it back
                log.info("dead worker's receipt no longer valid", extra={"worker_id": w.worker_id})
        if held:
            log.warning("worker lost while processing: item handed back to the queue",
                        extra={"worker_id": w.worker_id, "evidence_id": held[0], "held": len(held),
                               "silent_s": w.age_seconds, "requeued": len(requeued)})
        else:
            log.info("silent worker removed from the pool", extra={"worker_id": w.worker_id, "silent_s": w.age_seconds})
        out.append({"worker_id": w.worker_id, "held": held, "requeued": requeued})
    return out
