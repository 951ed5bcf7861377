"""Named exclusive locks held until the session's transaction ends: how concurrent writers claim work.

Several `leh serve` and `leh worker` processes share one relational database. Work that reads a value and
writes what follows from it (the audit chain's tail, "is this breaker already open?", "is there a user
yet?") takes `claim(db, name)` first, then reads, writes and commits; whoever comes second waits and then
reads the first one's committed result.

- PostgreSQL: `pg_advisory_xact_lock(key)`, released by COMMIT/ROLLBACK. Chosen over `SELECT … FOR UPDATE`
  because the thing to protect is often a row that does not exist yet (the first admin, a case's first
  breaker row, the next audit row), and locking "the last audit row" does not work either: a waiter wakes up
  on the old tail, which still matches its query, and chains onto it. An advisory lock needs no extra table
  or migration. Under READ COMMITTED every statement after the lock sees what the previous holder committed.
- SQLite: `BEGIN IMMEDIATE` takes the database's single write lock before the first read (the file is the
  lock, so the name does not matter); waiters queue on the busy timeout. If the transaction already wrote,
  it holds that lock already.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["claim", "lock_key"]


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (PostgreSQL advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def claim(db: Session, name: str) -> None:
    """Hold the exclusive lock `name` until `db`'s current transaction commits or rolls back."""
    conn = db.connection()
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    elif dialect == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not getattr(raw, "in_transaction", False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
