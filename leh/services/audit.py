"""The audit log: who did what to which object, PII-masked before it is written, each row hash-chained.

Appending is serialised by `leh.services.locks.claim(db, "audit_chain")`: a PostgreSQL advisory
transaction lock (or SQLite's write lock via BEGIN IMMEDIATE) is taken *before* the chain's tail is read, so
two writers — threads, or several `leh serve` / `leh worker` processes on one database — never chain onto the
same row, and an append waits its turn instead of failing. The unique `seq` stays as the last line of
defence; a writer that hits it anyway (a database without the lock, a dropped connection) starts over.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from leh.analysis.masking import mask_payload
from leh.domain.audit_chain import GENESIS_HASH, ChainReport, row_hash, verify_chain
from leh.domain.evidence import now_iso
from leh.models import AuditLog
from leh.services.locks import claim

_RETRIES = 20
AUDIT_LOCK = "audit_chain"
# The threads of one process queue here, in order, rather than in the database's lock: under SQLite's write lock
# fifty request threads otherwise sleep in its busy handler and come back in no order (a lock convoy — every request
# of an API under load waited seconds for its audit row). Processes still serialise through `claim`.
_IN_PROCESS = threading.Lock()


def hash_ip(ip: str | None, secret: str) -> str | None:
    """IPs are personal data: keep a keyed hash that still groups requests from one address."""
    if not ip:
        return None
    return hashlib.sha256(f"{secret}|{ip}".encode()).hexdigest()[:32]


def record(
    sessions: sessionmaker[Session],
    *,
    action: str,
    actor_id: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    ip_hash: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one row in its own transaction (so a failed request is still audited)."""
    masked = json.dumps(mask_payload(detail or {}), ensure_ascii=False, sort_keys=True)
    with _IN_PROCESS:
        return _append(sessions, action=action, actor_id=actor_id, object_type=object_type, object_id=object_id,
                       ip_hash=ip_hash, masked=masked)


def _append(sessions: sessionmaker[Session], *, action: str, actor_id: str | None, object_type: str | None,
            object_id: str | None, ip_hash: str | None, masked: str) -> AuditLog:
    for attempt in range(_RETRIES):
        with sessions() as db:
            try:
                claim(db, AUDIT_LOCK)
                last = db.execute(select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)).first()
                row = AuditLog(seq=(last.seq + 1) if last else 1, at=now_iso(), actor_id=actor_id, action=action,
                               object_type=object_type, object_id=object_id, ip_hash=ip_hash, detail_masked=masked,
                               prev_hash=last.hash if last else GENESIS_HASH, hash="")
                row.hash = row_hash(_as_mapping(row), row.prev_hash)
                db.add(row)
                db.commit()
                return row
            except (IntegrityError, OperationalError):
                # Not expected under the lock; a lost connection or a lock wait past the busy timeout: start over.
                db.rollback()
                time.sleep(min(0.01 * (attempt + 1), 0.2))
    raise RuntimeError("audit log: could not append after retries")


def _as_mapping(row: AuditLog) -> dict[str, Any]:
    return {"id": row.id, "at": row.at, "actor_id": row.actor_id, "action": row.action,
            "object_type": row.object_type, "object_id": row.object_id, "ip_hash": row.ip_hash,
            "detail_masked": row.detail_masked, "prev_hash": row.prev_hash, "hash": row.hash}


def iter_rows(db: Session, batch: int = 1000) -> Iterator[dict[str, Any]]:
    last_seq = 0
    while True:
        rows = list(db.scalars(select(AuditLog).where(AuditLog.seq > last_seq).order_by(AuditLog.seq).limit(batch)))
        if not rows:
            return
        for row in rows:
            yield _as_mapping(row)
        last_seq = rows[-1].seq


def verify(db: Session) -> ChainReport:
    return verify_chain(iter_rows(db))


def list_rows(db: Session, *, action: str | None = None, actor_id: str | None = None, object_id: str | None = None,
              limit: int = 100) -> list[dict[str, Any]]:
    return list_page(db, action=action, actor_id=actor_id, object_id=object_id, offset=0, limit=limit)[0]


def list_page(db: Session, *, action: str | None = None, actor_id: str | None = None, object_id: str | None = None,
              offset: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
    """One page of audit rows, newest first, and how many rows match the filters."""
    where = [c for c in (AuditLog.action == action if action else None, AuditLog.actor_id == actor_id if actor_id else None,
                         AuditLog.object_id == object_id if object_id else None) if c is not None]
    q = select(AuditLog).where(*where).order_by(AuditLog.seq.desc()).offset(offset).limit(limit)
    total = int(db.scalar(select(func.count()).select_from(AuditLog).where(*where)) or 0)
    return [{**_as_mapping(r), "seq": r.seq, "detail": json.loads(r.detail_masked)} for r in db.scalars(q)], total
