"""Audit-log and app-log PII sampling (weekly checklist 4): any plain 주민등록번호, password, phone, card or
account number found is a leak (Lv3).

Scans a random sample of audit rows (all of them when there are few) and the newest lines of every log
file. Reports where a value was found and its kind, never the value itself.
"""

from __future__ import annotations

import json
import random
from collections import deque
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leh.analysis.masking import IDENTIFIER_KEYS, PLACEHOLDERS, REDACTED, contains_pii, looks_like_email
from leh.config import Settings
from leh.models import AuditLog
from leh.services.ops.findings import Finding, Level, Status
from leh.services.ops.logs import log_files

# E-mail addresses are not on the runbook's list: operators' own addresses legitimately appear in logs.
SENSITIVE_KINDS = frozenset({"rrn", "password", "phone", "card", "account"})
DEFAULT_SAMPLE = 500
LOG_TAIL_LINES = 20_000


def _strings(value: Any) -> list[str]:
    """Every string (and long integer) inside a JSON value, scanned one by one so that neighbours never join."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (_strings(k) + _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    return []


def _plain_identifiers(value: Any) -> bool:
    """A login identifier kept in clear that is not an e-mail address: most likely a password typed into the
    e-mail field (rows written before identifiers were masked, or a call site that skipped the masking)."""
    if isinstance(value, dict):
        return any((isinstance(k, str) and k.lower() in IDENTIFIER_KEYS and isinstance(v, str) and v
                    and v != REDACTED and v not in PLACEHOLDERS.values() and not looks_like_email(v))
                   or _plain_identifiers(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_plain_identifiers(v) for v in value)
    return False


def scan_text_values(value: Any) -> list[str]:
    """Sensitive PII kinds found in a JSON-like value."""
    kinds: list[str] = ["password"] if _plain_identifiers(value) else []
    for s in _strings(value):
        for kind in contains_pii(s):
            if kind in SENSITIVE_KINDS and kind not in kinds:
                kinds.append(kind)
    return kinds


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, TypeError):
        return text


def sample_audit(db: Session, sample: int, rng: random.Random) -> tuple[int, list[dict[str, Any]]]:
    """(rows scanned, hits) over a random sample of the audit log."""
    total = db.scalar(select(func.count()).select_from(AuditLog)) or 0
    if total <= sample:
        rows = list(db.scalars(select(AuditLog)))
    else:
        lo, hi = db.execute(select(func.min(AuditLog.seq), func.max(AuditLog.seq))).one()
        picks = rng.sample(range(int(lo), int(hi) + 1), min(sample, int(hi) - int(lo) + 1))
        rows = []
        for i in range(0, len(picks), 500):
            rows.extend(db.scalars(select(AuditLog).where(AuditLog.seq.in_(picks[i:i + 500]))))
    hits = []
    for row in rows:
        kinds = scan_text_values([row.action, row.object_type, row.object_id, _json_or_text(row.detail_masked)])
        if kinds:
            hits.append({"where": f"audit_log seq={row.seq}", "action": row.action, "kinds": kinds})
    return len(rows), hits


def _tail(path: Path, n: int) -> list[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return list(deque(enumerate(fh, 1), maxlen=n))


def scan_logs(settings: Settings, *, tail_lines: int = LOG_TAIL_LINES) -> tuple[int, list[dict[str, Any]]]:
    """(lines scanned, hits) over the newest lines of every log file, rotated ones included."""
    scanned, hits = 0, []
    for path in log_files(settings):
        for no, line in _tail(path, tail_lines):
            scanned += 1
            kinds = scan_text_values(_json_or_text(line.strip()))
            if kinds:
                hits.append({"where": f"{path.name}:{no}", "kinds": kinds})
    return scanned, hits


def check_pii(settings: Settings, db: Session, *, sample: int = DEFAULT_SAMPLE, seed: int | None = None) -> Finding:
    """Weekly item 4: a random audit sample and the newest log lines, Lv3 on any hit."""
    rows, audit_hits = sample_audit(db, sample, random.Random(seed))
    lines, log_hits = scan_logs(settings)
    hits = audit_hits + log_hits
    detail = {"audit_rows_sampled": rows, "log_lines_scanned": lines, "hits": hits[:50], "hit_count": len(hits)}
    title = "감사 로그·앱 로그 민감정보 샘플링"
    if not hits:
        return Finding("audit.pii", title, Status.OK, Level.LV3,
                       f"감사 로그 {rows}건, 앱 로그 {lines:,}줄에서 평문 민감정보가 없습니다.", detail=detail)
    kinds = sorted({k for h in hits for k in h["kinds"]})
    return Finding("audit.pii", title, Status.FAIL, Level.LV3,
                   f"평문 민감정보 {len(hits)}건 발견 ({', '.join(kinds)}): 감사 로그 {len(audit_hits)}건, 앱 로그 {len(log_hits)}건.",
                   action="즉시 CTO/PM에 보고하고, 유출 경로(마스킹 누락 코드)를 찾아 수정한 뒤 해당 로그를 폐기하세요.",
                   detail=detail)
