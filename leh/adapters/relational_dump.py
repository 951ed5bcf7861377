"""Copies of the relational database for backups: SQLite's online backup API, or pg_dump / pg_restore.

Both implement `leh.ports.RelationalDump`; `leh.container` picks the one for the configured database URL and
`leh.services.ops.backup` decides what goes into a backup and how it is put back.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from leh.models import Case
from leh.ports import Progress

_PAGES_PER_STEP = 256


class SqliteDump:
    """The embedded database, copied page by page with SQLite's online backup API."""
    engine, filename = "sqlite", "leh.db"

    def __init__(self, db_path: Path):
        self.db_path = db_path

    @staticmethod
    def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, progress: Progress) -> None:
        src.backup(dst, pages=_PAGES_PER_STEP,
                   progress=lambda _status, remaining, total: progress("database", total - remaining, total))

    def dump(self, dest: Path, progress: Progress) -> None:
        src, dst = sqlite3.connect(self.db_path, timeout=30), sqlite3.connect(dest)
        try:
            self._copy(src, dst, progress)
            # A self-contained file: no -wal/-shm companions appear when the backup is opened later.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            src.close()
            dst.close()

    def restore(self, src: Path, progress: Progress) -> None:
        source, dst = sqlite3.connect(f"file:{src}?mode=ro", uri=True), sqlite3.connect(self.db_path, timeout=30)
        try:
            self._copy(source, dst, progress)
        finally:
            source.close()
            dst.close()

    def case_ids(self, dump: Path) -> list[str]:
        conn = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            return [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY created_at")]
        finally:
            conn.close()


class PgDump:
    """pg_dump / pg_restore, the password passed in the environment rather than on the command line."""

    engine, filename = "postgresql", "leh.pgdump"

    def __init__(self, url: str, sessions: sessionmaker[Session]):
        parsed = make_url(url).set(drivername="postgresql")
        self._password = parsed.password
        self._dsn = parsed.set(password=None).render_as_string(hide_password=False)
        self._sessions = sessions

    def _run(self, args: list[str]) -> None:
        env = {**os.environ, **({"PGPASSWORD": str(self._password)} if self._password else {})}
        subprocess.run(args, env=env, check=True, capture_output=True)

    def dump(self, dest: Path, progress: Progress) -> None:
        progress("database", 0, 1)
        self._run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dest), "--dbname", self._dsn])
        progress("database", 1, 1)

    def restore(self, src: Path, progress: Progress) -> None:
        progress("database", 0, 1)
        self._run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                   "--dbname", self._dsn, str(src)])
        progress("database", 1, 1)

    def case_ids(self, dump: Path) -> list[str]:
        # A custom-format dump cannot be queried; read right after the dump (cases are never hard-deleted).
        with self._sessions() as db:
            return list(db.scalars(select(Case.id).order_by(Case.created_at)))
