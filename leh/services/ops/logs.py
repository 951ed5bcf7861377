"""Reads the JSON-lines logs back (`leh ops logs`): this system's `filter-log-events --filter-pattern ERROR`.

The records come from a `LogSource` port: by default `LocalLogFiles`, the live and the rotated files of every
process under LEH_DATA_DIR/logs (lines that are not JSON, such as a crash printed by the interpreter, are
skipped rather than failing the search); with `LEH_CLOUDWATCH_LOG_GROUP` the container gives the CloudWatch
Logs reader instead. The filters (level, time, evidence, process) are the same for both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from leh.config import Settings
from leh.logs import log_dir
from leh.ports import LogSource

LEVELS: dict[str, int] = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
_LOG_FILE = re.compile(r"^(?P<process>.+)\.log(?:\.(?P<n>\d+))?$")


def level_number(level: str) -> int:
    """The numeric level for a name; a Korean validation error for an unknown one."""
    try:
        return LEVELS[level.upper()]
    except KeyError as exc:
        from leh.domain.errors import ValidationFailed

        raise ValidationFailed("INVALID_LOG_LEVEL", "로그 레벨은 DEBUG, INFO, WARNING, ERROR, CRITICAL 중 하나여야 합니다.") from exc


def log_files(settings: Settings) -> list[Path]:
    """Every log file, oldest rotation first (`x.log.5` … `x.log.1`, `x.log`)."""
    folder = log_dir(settings)
    if not folder.is_dir():
        return []
    entries = []
    for path in folder.iterdir():
        m = _LOG_FILE.match(path.name)
        if m and path.is_file():
            entries.append((m["process"], -int(m["n"] or 0), path))
    return [path for _process, _n, path in sorted(entries)]


def iter_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each JSON line of one file."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for no, line in enumerate(fh, 1):
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                yield no, rec


class LocalLogFiles:
    """The LogSource of the embedded profile: the JSON-lines files under LEH_DATA_DIR/logs."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def records(self, *, since_ms: int | None, evidence_id: str | None = None) -> Iterator[dict[str, Any]]:
        for path in log_files(self.settings):
            for _no, rec in iter_lines(path):
                yield {**rec, "file": path.name}


def _parse_at(value: object) -> datetime | None:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def read_logs(settings: Settings, *, level: str = "INFO", since_seconds: float | None = None,
              evidence_id: str | None = None, process: str | None = None, limit: int | None = 200,
              now: datetime | None = None, source: LogSource | None = None) -> list[dict[str, Any]]:
    """Records at or above `level`, newer than `since_seconds`, optionally for one evidence or process; oldest first.

    `source` is where they are read (the container's `log_source`); the local files when not given."""
    floor = level_number(level)
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=since_seconds) if since_seconds else None
    since_ms = int(cutoff.timestamp() * 1000) if cutoff else None
    out: list[tuple[datetime, dict[str, Any]]] = []
    for rec in (source or LocalLogFiles(settings)).records(since_ms=since_ms, evidence_id=evidence_id):
        if LEVELS.get(str(rec.get("level", "")).upper(), 0) < floor:
            continue
        if evidence_id and rec.get("evidence_id") != evidence_id:
            continue
        if process and rec.get("process") != process:
            continue
        at = _parse_at(rec.get("at"))
        if at is None or (cutoff and at < cutoff):
            continue
        out.append((at, rec))
    out.sort(key=lambda pair: pair[0])
    records = [rec for _at, rec in out]
    return records[-limit:] if limit else records


def group_by_code(records: list[dict[str, Any]]) -> dict[str, int]:
    """How many records per error code (the message when a record has no code), most frequent first."""
    counts: dict[str, int] = {}
    for rec in records:
        key = str(rec.get("code") or rec.get("exc_type") or rec.get("msg") or "?")
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))
