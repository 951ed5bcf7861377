"""A durable queue on SQLite with SQS semantics: visibility timeout, receive counts, a dead-letter queue, redrive.

The embedded default for SQS + DLQ. A received message stays invisible for the visibility timeout; if it is
not deleted in time (the worker died) it becomes visible again. A message received more than
`max_receive_count` times moves to the DLQ on its next receive, as SQS's redrive policy does.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from leh.adapters._sqlite import SqliteFile
from leh.ports import Message

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,              -- 'main' or 'dlq'
  body TEXT NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  visible_at REAL NOT NULL,
  created_at REAL NOT NULL,
  receipt TEXT,
  dlq_reason TEXT,
  dead_at REAL
);
CREATE INDEX IF NOT EXISTS ix_messages_visible ON messages(queue, visible_at);
"""


class SqliteQueue:
    def __init__(self, path: Path, *, visibility_seconds: int = 120, max_receive_count: int = 4,
                 clock: Callable[[], float] = time.time):
        """`clock` (epoch seconds) decides visibility and delays; tests pass a fake one instead of sleeping."""
        self.db = SqliteFile(path, _SCHEMA)
        self.clock = clock
        self.visibility_seconds = visibility_seconds
        self.max_receive_count = max_receive_count

    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str:
        mid, now = str(uuid.uuid4()), self.clock()
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO messages(id, queue, body, visible_at, created_at) VALUES (?,?,?,?,?)",
                (mid, "main", json.dumps(body, ensure_ascii=False), now + delay_seconds, now),
            )
        return mid

    def receive(self, *, max_messages: int = 1, visibility_seconds: int | None = None, wait_seconds: float = 0) -> list[Message]:
        deadline = time.monotonic() + wait_seconds
        while True:
            vis = self.visibility_seconds if visibility_seconds is None else visibility_seconds
            got = self._receive_once(max_messages, vis)
            if got or time.monotonic() >= deadline:
                return got
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))

    def _receive_once(self, max_messages: int, visibility: float) -> list[Message]:
        now = self.clock()
        out: list[Message] = []
        with self.db.write() as conn:
            rows = conn.execute(
                "SELECT id, body, receive_count FROM messages WHERE queue='main' AND visible_at<=? "
                "ORDER BY visible_at LIMIT ?",
                (now, max_messages * 4),
            ).fetchall()
            for row in rows:
                if row["receive_count"] >= self.max_receive_count:
                    conn.execute(
                        "UPDATE messages SET queue='dlq', receipt=NULL, dlq_reason=?, dead_at=? WHERE id=?",
                        ("MAX_RECEIVES_EXCEEDED", now, row["id"]),
                    )
                    continue
                if len(out) == max_messages:
                    break
                receipt = f"{row['id']}:{uuid.uuid4()}"
                count = row["receive_count"] + 1
                conn.execute(
                    "UPDATE messages SET receive_count=?, visible_at=?, receipt=? WHERE id=?",
                    (count, now + visibility, receipt, row["id"]),
                )
                out.append(Message(id=row["id"], body=json.loads(row["body"]), receipt=receipt, receive_count=count))
        return out

    def delete(self, receipt: str) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM messages WHERE receipt=?", (receipt,))

    def change_visibility(self, receipt: str, seconds: float) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE messages SET visible_at=? WHERE receipt=?", (self.clock() + seconds, receipt))

    def dead_letter(self, receipt: str, reason: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                "UPDATE messages SET queue='dlq', receipt=NULL, dlq_reason=?, dead_at=? WHERE receipt=?",
                (reason, self.clock(), receipt),
            )

    def dlq_messages(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.conn().execute(
            "SELECT id, body, receive_count, dlq_reason, dead_at, created_at FROM messages WHERE queue='dlq' "
            "ORDER BY dead_at LIMIT ?",
            (limit,),
        )
        return [
            {"id": r["id"], "body": json.loads(r["body"]), "receive_count": r["receive_count"],
             "reason": r["dlq_reason"], "dead_at": r["dead_at"], "created_at": r["created_at"]}
            for r in rows
        ]

    def redrive(self, ids: Iterable[str] | None = None) -> int:
        """Move dead letters (all, or the given ids) back to the main queue with a fresh receive count."""
        now = self.clock()
        with self.db.write() as conn:
            if ids is None:
                cur = conn.execute(
                    "UPDATE messages SET queue='main', receive_count=0, visible_at=?, receipt=NULL, dlq_reason=NULL, "
                    "dead_at=NULL WHERE queue='dlq'", (now,))
                return cur.rowcount
            n = 0
            for mid in ids:
                n += conn.execute(
                    "UPDATE messages SET queue='main', receive_count=0, visible_at=?, receipt=NULL, dlq_reason=NULL, "
                    "dead_at=NULL WHERE queue='dlq' AND id=?", (now, mid)).rowcount
            return n

    def depth(self) -> dict[str, int]:
        now = self.clock()
        row = self.db.conn().execute(
            "SELECT "
            "SUM(queue='main' AND visible_at<=? AND receipt IS NULL) AS visible, "
            "SUM(queue='main' AND receipt IS NOT NULL AND visible_at>?) AS in_flight, "
            "SUM(queue='main' AND receipt IS NULL AND visible_at>?) AS delayed, "
            "SUM(queue='main' AND receipt IS NOT NULL AND visible_at<=?) AS returned, "
            "SUM(queue='dlq') AS dlq FROM messages",
            (now, now, now, now),
        ).fetchone()
        visible = (row["visible"] or 0) + (row["returned"] or 0)
        return {"visible": visible, "in_flight": row["in_flight"] or 0, "delayed": row["delayed"] or 0, "dlq": row["dlq"] or 0}
