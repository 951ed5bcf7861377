"""Worker liveness from the `worker_heartbeats` table: who is alive, who went silent holding an item."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from leh.config import Settings
from leh.domain.evidence import EvidenceStatus
from leh.models import WorkerHeartbeat
from leh.ports import Ports

# A worker beats every LEH_WORKER_HEARTBEAT_SECONDS; missing five beats in a row is death, not a slow disk.
MISSED_BEATS = 5
MIN_STALE_SECONDS = 5.0


def stale_after_seconds(settings: Settings) -> float:
    """How long without a heartbeat before a worker counts as dead."""
    return max(MISSED_BEATS * settings.worker_heartbeat_seconds, MIN_STALE_SECONDS)


def process_gone(host: str, pid: int) -> bool:
    """True when the worker ran on this machine and its process no longer exists (known without waiting)."""
    if host != socket.gethostname() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by someone else
        return False
    return False


def as_utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; everything LEH writes is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WorkerState:
    """One worker as diagnose and the watchdog see it."""
    worker_id: str
    host: str
    pid: int
    heartbeat_at: str
    age_seconds: float
    alive: bool
    current_evidence_id: str | None
    processed: int
    holding: tuple[str, ...] = ()  # evidence in `processing` under this worker's id
    current_receipt: str | None = None  # queue receipt of the message in hand


    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_workers(c: Ports, *, now: datetime | None = None) -> list[WorkerState]:
    """Every worker row with its liveness and the items it holds (from the evidence documents' `worker_id`)."""
    # The documents, not only the heartbeat: a worker killed within its first second never beat with its item.
    now = now or datetime.now(UTC)
    limit = stale_after_seconds(c.settings)
    with c.sessions() as db:
        rows = list(db.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.heartbeat_at.desc())))
    held: dict[str, list[str]] = {}
    for doc in c.evidence.list_by_status([EvidenceStatus.PROCESSING]) if rows else []:
        if worker_id := doc.get("worker_id"):
            held.setdefault(worker_id, []).append(doc["evidence_id"])
    out = []
    for hb in rows:
        age = (now - as_utc(hb.heartbeat_at)).total_seconds()
        out.append(WorkerState(worker_id=hb.worker_id, host=hb.host, pid=hb.pid,
                               heartbeat_at=as_utc(hb.heartbeat_at).isoformat(timespec="seconds"),
                               age_seconds=round(age, 1), alive=age <= limit and not process_gone(hb.host, hb.pid),
                               current_evidence_id=hb.current_evidence_id, processed=hb.processed,
                               holding=tuple(held.get(hb.worker_id, ())), current_receipt=hb.current_receipt))
    return out
