"""Search index on SQLite FTS5 over Korean bigram tokens (the embedded default for OpenSearch).

One row per segment, always filtered by case_id, so a query can never see another case's documents.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from leh.adapters._sqlite import SqliteFile
from leh.analysis.tokens import fts_query, fts_query_any, index_tokens, query_words
from leh.ports import SearchFilters, SearchHit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  evidence_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  ts TEXT,
  speaker TEXT,
  type TEXT,
  grounds TEXT NOT NULL DEFAULT '[]',
  UNIQUE(evidence_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_segments_case ON segments(case_id, evidence_id);
CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5(tokens, content='', tokenize='unicode61 remove_diacritics 0');
"""

SNIPPET_CHARS = 60


def segment_grounds(doc: dict[str, Any]) -> dict[int, list[str]]:
    """{seq: [grounds]} from the evidence document's labels."""
    out: dict[int, set[str]] = {}
    for label in doc.get("labels") or []:
        for seq in label.get("segments") or []:
            out.setdefault(int(seq), set()).add(label["ground"])
    return {k: sorted(v) for k, v in out.items()}


def make_snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """HTML-escaped excerpt around the first query word, each occurrence wrapped in <mark>."""
    lowered = text.lower()
    first = min((i for w in words if (i := lowered.find(w.lower())) >= 0), default=0)
    start = max(0, first - width // 2)
    end = min(len(text), start + width + (len(words[0]) if words else 0))
    piece = text[start:end]
    out = html.escape(piece)
    for w in sorted(set(words), key=len, reverse=True):
        out = re.sub(re.escape(html.escape(w)), lambda m: f"<mark>{m.group()}</mark>", out, flags=re.IGNORECASE)
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


class SqliteSearchIndex:
    def __init__(self, path: Path):
        self.db = SqliteFile(path, _SCHEMA)

    def index_evidence(self, doc: dict[str, Any]) -> int:
        """(Re)index every segment of one evidence; replaces what was there, so it is idempotent."""
        grounds = segment_grounds(doc)
        with self.db.write() as conn:
            self._remove(conn, doc["evidence_id"])
            n = 0
            for seg in doc.get("segments") or []:
                cur = conn.execute(
                    "INSERT INTO segments(case_id, evidence_id, seq, text, ts, speaker, type, grounds) VALUES (?,?,?,?,?,?,?,?)",
                    (doc["case_id"], doc["evidence_id"], seg["seq"], seg["text"], seg.get("ts"), seg.get("speaker"),
                     doc.get("type"), json.dumps(grounds.get(int(seg["seq"]), []))),
                )
                conn.execute("INSERT INTO segments_fts(rowid, tokens) VALUES (?, ?)", (cur.lastrowid, index_tokens(seg["text"])))
                n += 1
            return n

    @staticmethod
    def _remove(conn: Any, evidence_id: str) -> None:
        rows = conn.execute("SELECT id, text FROM segments WHERE evidence_id=?", (evidence_id,)).fetchall()
        for row in rows:
            # contentless FTS5 tables are deleted from with the special 'delete' command and the original tokens
            conn.execute("INSERT INTO segments_fts(segments_fts, rowid, tokens) VALUES ('delete', ?, ?)",
                         (row["id"], index_tokens(row["text"])))
        conn.execute("DELETE FROM segments WHERE evidence_id=?", (evidence_id,))

    def remove_evidence(self, case_id: str, evidence_id: str) -> None:
        with self.db.write() as conn:
            self._remove(conn, evidence_id)

    def drop_case(self, case_id: str) -> None:
        with self.db.write() as conn:
            for row in conn.execute("SELECT DISTINCT evidence_id FROM segments WHERE case_id=?", (case_id,)).fetchall():
                self._remove(conn, row["evidence_id"])

    def count(self, case_id: str) -> dict[str, int]:
        rows = self.db.conn().execute(
            "SELECT evidence_id, COUNT(*) AS n FROM segments WHERE case_id=? GROUP BY evidence_id", (case_id,))
        return {r["evidence_id"]: r["n"] for r in rows}

    def search(self, case_id: str, query: str, *, filters: SearchFilters | None = None, limit: int = 20) -> list[SearchHit]:
        words = query_words(query)
        match_all, match_any = fts_query(query), fts_query_any(query)
        if not match_all or not match_any:
            return []
        f = filters or SearchFilters()
        where, args = ["s.case_id = ?"], [case_id]
        if f.type:
            where.append("s.type = ?")
            args.append(f.type)
        if f.speaker:
            where.append("s.speaker = ?")
            args.append(f.speaker)
        if f.date_from:
            where.append("substr(s.ts, 1, 10) >= ?")
            args.append(f.date_from[:10])
        if f.date_to:
            where.append("substr(s.ts, 1, 10) <= ?")
            args.append(f.date_to[:10])
        if f.grounds:
            marks = ",".join("?" * len(f.grounds))
            where.append(f"EXISTS (SELECT 1 FROM json_each(s.grounds) g WHERE g.value IN ({marks}))")
            args.extend(f.grounds)
        sql = (
            "SELECT s.evidence_id, s.seq, s.text, s.ts, s.speaker, s.type, s.grounds, bm25(segments_fts) AS rank "
            "FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid "
            f"WHERE segments_fts MATCH ? AND {' AND '.join(where)} ORDER BY rank LIMIT ?"
        )
        conn = self.db.conn()
        seen: set[tuple[str, int]] = set()
        hits: list[SearchHit] = []
        # Segments holding every query word rank first; segments holding some of them fill the rest.
        for expr in (match_all, match_any) if len(words) > 1 else (match_all,):
            for r in conn.execute(sql, [expr, *args, limit]):
                key = (r["evidence_id"], r["seq"])
                if key in seen or len(hits) >= limit:
                    continue
                seen.add(key)
                hits.append(SearchHit(
                    evidence_id=r["evidence_id"], seq=r["seq"], snippet=make_snippet(r["text"], words),
                    score=round(-float(r["rank"]), 4) if expr is match_all else round(-float(r["rank"]) / 10, 4),
                    grounds=json.loads(r["grounds"]), ts=r["ts"], speaker=r["speaker"], type=r["type"],
                ))
        return hits
