"""Search index on SQLite FTS5 over Korean morpheme tokens (the embedded default for OpenSearch).

One SQLite file per case (`<data>/search/<case_id>.db`): a query opens only its own case's file, so it can
never see another case's documents, and BM25 statistics are the case's own. Rows also carry the case id
and every query filters on it. With an embedder (OpenAI), segment vectors are stored next to the text
and results are BM25 and vector similarity fused by reciprocal rank fusion.

Files are emptied, never deleted, when a case is dropped: another process may hold the file open, and a
deleted-but-open file would keep serving (or silently absorb writes to) the old index.

Queries are parsed outside this adapter (`leh.analysis.query`: dates, morphemes, related words); this adapter
only compiles the parsed query to FTS5 MATCH expressions. Each row keeps the tokens it was indexed with (and
their character spans, for highlighting), so a row can be removed from the contentless FTS table exactly.
Index format: `meta.format`. A case file of an older format (format 1: character bigrams, no stored tokens)
is rebuilt in place from its own stored segment texts the first time this code opens it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

from leh.adapters._sqlite import SqliteFile
from leh.analysis.embeddings import embed_segments, from_blobs, rrf_fuse, to_blob, top_k
from leh.analysis.query import all_phrases, highlight, parse_query
from leh.analysis.tokens import index_many, known_tokens
from leh.domain.documents import EvidenceDoc
from leh.ports import Embedder, QueryTerm, SearchFilters, SearchHit, SearchQuery

log = logging.getLogger("leh.search")

# auto_vacuum must be set before the first table exists; it lets a dropped case's file shrink again.
_SCHEMA: Final = """
PRAGMA auto_vacuum=INCREMENTAL;
CREATE TABLE IF NOT EXISTS segments (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  evidence_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  ts TEXT,
  day TEXT,
  speaker TEXT,
  type TEXT,
  grounds TEXT NOT NULL DEFAULT '[]',
  tokens TEXT NOT NULL DEFAULT '',
  spans TEXT NOT NULL DEFAULT '',
  UNIQUE(evidence_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_segments_evidence ON segments(evidence_id);
CREATE INDEX IF NOT EXISTS ix_segments_day ON segments(day);
CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5(tokens, content='', tokenize='unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS vectors (segment_id INTEGER PRIMARY KEY, model TEXT NOT NULL, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('version', 0);
"""

SNIPPET_CHARS: Final = 60
FORMAT: Final = 2  # 1: character bigrams; 2: Kiwi morphemes with stored tokens and spans
MIGRATE_BATCH: Final = 2000
OPEN_FILES: Final = 64  # per process; older case files are closed when more are in use
VECTOR_CANDIDATES: Final = 50
_SAFE_ID: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,63}$")


def segment_grounds(doc: Mapping[str, Any]) -> dict[int, list[str]]:
    """{seq: [grounds]} from the evidence document's labels."""
    out: dict[int, set[str]] = {}
    for label in doc.get("labels") or []:
        for seq in label.get("segments") or []:
            out.setdefault(int(seq), set()).add(label["ground"])
    return {k: sorted(v) for k, v in out.items()}


SEQ_BITS: Final = 24  # up to 16.7 million segments per evidence
EVIDENCE_BITS: Final = 38


def segment_rowid(evidence_id: str, seq: int) -> int:
    """A row id from (evidence id, seq): the same in every rebuild, so ties in rank keep one order.

    The evidence's hash picks a block and the segment number is the offset inside it, so one evidence's
    rows are contiguous: inserts append and FTS5's delta-encoded row lists stay small.
    """
    digest = hashlib.blake2b(evidence_id.encode(), digest_size=8).digest()
    block = int.from_bytes(digest, "big") >> (64 - EVIDENCE_BITS)
    return (block << SEQ_BITS) | (seq & ((1 << SEQ_BITS) - 1))


class SqliteSearchIndex:
    """The SearchIndex port on per-case SQLite files, optionally hybrid with an embedder's vectors."""

    def __init__(self, path: Path, *, embedder: Embedder | None = None):
        # `path` names the index ("search.db"); the per-case files live in the directory of the same stem.
        path = Path(path)
        self.root = path.with_suffix("") if path.suffix == ".db" else path
        self.root.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self._files: OrderedDict[str, SqliteFile] = OrderedDict()
        self._lock = threading.Lock()
        self._vector_cache: dict[str, tuple[int, list[int], Any]] = {}

    # ------------------------------------------------------------ files
    def _path(self, case_id: str) -> Path:
        name = case_id if _SAFE_ID.match(case_id) else "h-" + hashlib.sha256(case_id.encode()).hexdigest()[:40]
        return self.root / f"{name}.db"

    def _db(self, case_id: str, *, create: bool) -> SqliteFile | None:
        with self._lock:
            db = self._files.get(case_id)
            if db is not None:
                self._files.move_to_end(case_id)
                return db
            path = self._path(case_id)
            if not create and not path.exists():
                return None
            db = SqliteFile(path, _SCHEMA)
            self._upgrade(db)
            self._files[case_id] = db
            while len(self._files) > OPEN_FILES:
                # Dropping the last reference closes every thread's connection to that file.
                self._files.popitem(last=False)
            return db

    @staticmethod
    def _upgrade(db: SqliteFile) -> None:
        """Bring a case file to the current index format; an older one is re-tokenised from its stored texts."""
        conn = db.conn()
        if "tokens" in {r["name"] for r in conn.execute("PRAGMA table_info(segments)")}:
            row = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is not None and row[0] >= FORMAT:
                return
        with db.write() as conn:
            cols = {r["name"] for r in conn.execute("PRAGMA table_info(segments)")}
            for col in ("tokens", "spans"):
                if col not in cols:
                    conn.execute(f"ALTER TABLE segments ADD COLUMN {col} TEXT NOT NULL DEFAULT ''")
            row = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is not None and row[0] >= FORMAT:
                return  # another process upgraded it meanwhile
            total = conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
            if total:
                log.warning("search index of an older format: rebuilding it", extra={"segments": total,
                                                                                     "format": FORMAT})
                conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('delete-all')")
                last = -(1 << 62)
                while batch := conn.execute("SELECT id, text FROM segments WHERE id > ? ORDER BY id LIMIT ?",
                                            (last, MIGRATE_BATCH)).fetchall():
                    for r, ix in zip(batch, index_many([r["text"] for r in batch]), strict=True):
                        conn.execute("UPDATE segments SET tokens=?, spans=? WHERE id=?", (ix.tokens, ix.spans, r["id"]))
                        conn.execute("INSERT INTO segments_fts(rowid, tokens) VALUES (?, ?)", (r["id"], ix.tokens))
                    last = batch[-1]["id"]
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('format', ?)", (FORMAT,))
            SqliteSearchIndex._bump(conn)

    @staticmethod
    def _bump(conn: Any) -> None:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")

    # ------------------------------------------------------------ writes
    def index_evidence(self, doc: EvidenceDoc, tokens: Sequence[tuple[str, str]] | None = None) -> int:
        """(Re)index every segment of one evidence; replaces what was there, so it is idempotent."""
        grounds = segment_grounds(doc)
        segments = doc.get("segments") or []
        vectors = self._embed(doc, segments)
        indexed = known_tokens(segments, tokens) or index_many([seg["text"] for seg in segments])  # Kiwi, before the write lock is taken
        db = self._db(doc["case_id"], create=True)
        assert db is not None
        fallback_ts = doc.get("event_time")
        with db.write() as conn:
            self._remove(conn, doc["evidence_id"])
            for i, seg in enumerate(segments):
                ts = seg.get("ts") or fallback_ts
                ix = indexed[i]
                row = (doc["case_id"], doc["evidence_id"], seg["seq"], seg["text"], ts, ts[:10] if ts else None,
                       seg.get("speaker"), doc.get("type"), json.dumps(grounds.get(int(seg["seq"]), [])),
                       ix.tokens, ix.spans)
                rowid = self._insert(conn, segment_rowid(doc["evidence_id"], int(seg["seq"])), row)
                conn.execute("INSERT INTO segments_fts(rowid, tokens) VALUES (?, ?)", (rowid, ix.tokens))
                if vectors is not None:
                    conn.execute("INSERT INTO vectors(segment_id, model, vec) VALUES (?,?,?)",
                                 (rowid, self.embedder.model if self.embedder else "", to_blob(vectors[i])))
            self._bump(conn)
            return len(segments)

    @staticmethod
    def _insert(conn: Any, rowid: int, row: tuple[Any, ...]) -> int:
        for probe in range(8):  # two evidence hashing to one block is rare; the next block is then used
            candidate = rowid + (probe << SEQ_BITS)
            try:
                conn.execute("INSERT INTO segments(id, case_id, evidence_id, seq, text, ts, day, speaker, type, grounds, "
                             "tokens, spans) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (candidate, *row))
                return candidate
            except sqlite3.IntegrityError:
                if conn.execute("SELECT 1 FROM segments WHERE evidence_id=? AND seq=?", (row[1], row[2])).fetchone():
                    raise
        raise RuntimeError("no free segment id")

    def _embed(self, doc: Mapping[str, Any], segments: Sequence[Mapping[str, Any]]) -> list[list[float]] | None:
        return embed_segments(self.embedder, doc, segments)

    @staticmethod
    def _remove(conn: Any, evidence_id: str) -> None:
        rows = conn.execute("SELECT id, tokens FROM segments WHERE evidence_id=?", (evidence_id,)).fetchall()
        for row in rows:
            # contentless FTS5 tables are deleted from with the special 'delete' command and the original tokens
            conn.execute("INSERT INTO segments_fts(segments_fts, rowid, tokens) VALUES ('delete', ?, ?)",
                         (row["id"], row["tokens"]))
            conn.execute("DELETE FROM vectors WHERE segment_id=?", (row["id"],))
        conn.execute("DELETE FROM segments WHERE evidence_id=?", (evidence_id,))

    def remove_evidence(self, case_id: str, evidence_id: str) -> None:
        db = self._db(case_id, create=False)
        if db is None:
            return
        with db.write() as conn:
            self._remove(conn, evidence_id)
            self._bump(conn)

    def drop_case(self, case_id: str) -> None:
        db = self._db(case_id, create=False)
        if db is None:
            return
        with db.write() as conn:
            conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('delete-all')")
            conn.execute("DELETE FROM vectors")
            conn.execute("DELETE FROM segments")
            self._bump(conn)
        db.conn().execute("PRAGMA incremental_vacuum")
        self._vector_cache.pop(case_id, None)

    # ------------------------------------------------------------ reads
    def count(self, case_id: str) -> dict[str, int]:
        db = self._db(case_id, create=False)
        if db is None:
            return {}
        rows = db.conn().execute(
            "SELECT evidence_id, COUNT(*) AS n FROM segments WHERE case_id=? GROUP BY evidence_id", (case_id,))
        return {r["evidence_id"]: r["n"] for r in rows}

    @staticmethod
    def _where(case_id: str, f: SearchFilters, q: SearchQuery) -> tuple[list[str], list[Any]] | None:
        """SQL conditions for the filters and the query's own dates (both apply); None when they exclude all."""
        where, args = ["s.case_id = ?"], [case_id]
        if f.type:
            where.append("s.type = ?")
            args.append(f.type)
        if f.speaker:
            where.append("s.speaker = ?")
            args.append(f.speaker)
        start = max((d[:10] for d in (f.date_from, q.date_from) if d), default=None)
        end = min((d[:10] for d in (f.date_to, q.date_to) if d), default=None)
        if start and end and start > end:
            return None
        if start:
            where.append("s.day >= ?")
            args.append(start)
        if end:
            where.append("s.day <= ?")
            args.append(end)
        if q.month_day_from and q.month_day_to:
            joint = "AND" if q.month_day_from <= q.month_day_to else "OR"  # 12-28 … 01-03 wraps over New Year
            where.append(f"(substr(s.day, 6, 5) >= ? {joint} substr(s.day, 6, 5) <= ?)")
            args.extend([q.month_day_from, q.month_day_to])
        if f.grounds:
            marks = ",".join("?" * len(f.grounds))
            where.append(f"EXISTS (SELECT 1 FROM json_each(s.grounds) g WHERE g.value IN ({marks}))")
            args.extend(f.grounds)
        return where, args

    def search(self, case_id: str, query: str | SearchQuery, *, filters: SearchFilters | None = None,
               limit: int = 20) -> list[SearchHit]:
        q = query if isinstance(query, SearchQuery) else parse_query(query)
        db = self._db(case_id, create=False)
        if db is None or not (q.terms or q.has_dates):
            return []
        clause = self._where(case_id, filters or SearchFilters(), q)
        if clause is None:
            return []
        where, args = clause
        conn = db.conn()
        if not q.terms:  # a date alone: that period's segments in time order
            dated = conn.execute(f"SELECT s.* FROM segments s WHERE {' AND '.join(where)} "
                                 "ORDER BY s.day, s.ts, s.id LIMIT ?", [*args, limit]).fetchall()
            return [self._hit(r, [], round(1 / (60 + rank), 6)) for rank, r in enumerate(dated, 1)]
        fetch = max(limit, VECTOR_CANDIDATES) if self.embedder else limit
        bm25 = self._bm25(conn, q.terms, where, args, fetch)
        vec = self._vector(conn, case_id, q.text, where, args) if self.embedder else []
        # Scores are reciprocal-rank scores in both modes, so they mean the same with or without vectors
        # (raw BM25 degenerates to ~0 on a small case, where every word is rare and common at once).
        rows = {r["id"]: r for r in bm25}
        missing = [sid for sid, _ in vec if sid not in rows]
        if missing:
            marks = ",".join("?" * len(missing))
            for r in conn.execute(f"SELECT s.* FROM segments s WHERE s.id IN ({marks})", missing):
                rows[r["id"]] = r
        fused = rrf_fuse([r["id"] for r in bm25], [sid for sid, _ in vec])
        phrases = all_phrases(q)
        return [self._hit(rows[sid], phrases, round(score, 6)) for sid, score in fused[:limit] if sid in rows]

    @staticmethod
    def _match_expressions(terms: list[QueryTerm]) -> list[str]:
        """FTS5 expressions, best matches first: every word literally; every word, some through a related
        word; then (several words) any word literally; any related word.

        A pass only runs when the passes before it found all their matches (`_bm25`), so a pass after a
        literal one needs only the related words, not the literal ones again.
        """

        def alternatives(phrases: list[tuple[str, ...]]) -> str:
            return "(" + " OR ".join('"' + " ".join(p) + '"' for p in phrases) + ")"

        widened = [p for t in terms for p in t.widened]
        out = [" AND ".join(alternatives(t.literal) for t in terms)]
        if len(terms) > 1:
            if widened:
                out.append(" AND ".join(alternatives([*t.literal, *t.widened]) for t in terms))
            out.append(" OR ".join(alternatives(t.literal) for t in terms))
        if widened:
            out.append(alternatives(widened))
        return out

    def _bm25(self, conn: Any, terms: list[QueryTerm], where: list[str], args: list[Any], limit: int) -> list[Any]:
        """Rows by BM25, pass by pass (`_match_expressions`): a later pass only adds segments not found before.

        Each pass may return `limit` more rows than already found, so when it returns fewer than it may, it has
        found all its matches. Ties are broken by the segment id, which is derived from (evidence id, seq), so
        the order is the same after a rebuild. Without filters the top ids come from the FTS table alone and
        only they are read.
        """
        if len(where) == 1:
            sql = ("SELECT rowid AS id FROM segments_fts WHERE segments_fts MATCH ? "
                   "ORDER BY bm25(segments_fts), rowid LIMIT ?")
        else:
            sql = ("SELECT s.id FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid "
                   f"WHERE segments_fts MATCH ? AND {' AND '.join(where[1:])} ORDER BY bm25(segments_fts), s.id LIMIT ?")
        ids: dict[int, None] = {}
        for expr in self._match_expressions(terms):
            if len(ids) >= limit:
                break  # enough segments matched better: weaker matches would not be shown
            for (sid,) in conn.execute(sql, [expr, *args[1:], limit + len(ids)]):
                if len(ids) < limit:
                    ids.setdefault(sid)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in conn.execute(f"SELECT * FROM segments s WHERE s.id IN ({marks}) AND {where[0]}",
                                                 [*ids, args[0]])}
        return [rows[i] for i in ids if i in rows]

    def _vector(self, conn: Any, case_id: str, query: str, where: list[str], args: list[Any]) -> list[tuple[int, float]]:
        """(segment id, cosine) of the segments nearest to the query that pass the filters."""
        assert self.embedder is not None
        version = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0]
        cached = self._vector_cache.get(case_id)
        if cached is None or cached[0] != version:
            rows = conn.execute("SELECT segment_id, vec FROM vectors WHERE model = ? ORDER BY segment_id",
                                (self.embedder.model,)).fetchall()
            cached = (version, [r["segment_id"] for r in rows], from_blobs([r["vec"] for r in rows]))
            self._vector_cache[case_id] = cached
        _, ids, matrix = cached
        if not ids:
            return []
        try:
            qvec = self.embedder.embed([query], case_id=case_id)[0]
        except Exception as exc:  # without the query vector, full-text results still stand
            log.warning("query embedding failed, full-text results only", extra={"case_id": case_id,
                                                                                  "error": type(exc).__name__})
            return []
        mask = None
        if len(where) > 1:  # filters beyond the case itself
            allowed = {r[0] for r in conn.execute(f"SELECT s.id FROM segments s WHERE {' AND '.join(where)}", args)}
            mask = np.fromiter((i in allowed for i in ids), dtype=bool, count=len(ids))
        return [(ids[row], sim) for row, sim in top_k(matrix, qvec, VECTOR_CANDIDATES, mask)]

    @staticmethod
    def _hit(r: Any, phrases: list[tuple[str, ...]], score: float) -> SearchHit:
        return SearchHit(evidence_id=r["evidence_id"], seq=r["seq"],
                         snippet=highlight(r["text"], r["tokens"], r["spans"], phrases, SNIPPET_CHARS),
                         score=score, grounds=json.loads(r["grounds"]), ts=r["ts"], speaker=r["speaker"], type=r["type"])
