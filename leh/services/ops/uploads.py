"""Upload-log analysis and the per-user upload rate limit (runbook scenario C, step 2: 대량 업로드 공격 여부).

Reads `upload_log` (one row per accepted upload): per user and case, uploads and bytes in a window,
floods of one file (same sha256) and bursts far above the account's own history.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leh.config import Settings
from leh.domain.errors import RateLimited
from leh.models import UploadLog, User
from leh.services.ops.findings import Finding, Level, Status, human_duration

RATE_WINDOW_SECONDS = 60.0
DEFAULT_WINDOW_SECONDS = 3600
HISTORY_DAYS = 7
MIN_BURST = 50
BURST_FACTOR = 10.0
DUPLICATE_THRESHOLD = 5


def _utc(at: datetime) -> datetime:
    # Bound as aware UTC: PostgreSQL compares real instants, SQLite stores the UTC wall time without a zone.
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


class _SlidingWindow:
    """Attempts per key in the last minute, in this process (catches presigned-URL floods before any upload lands)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> int:
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and q[0] <= now - RATE_WINDOW_SECONDS:
                q.popleft()
            q.append(now)
            return len(q)


_attempts = _SlidingWindow()


def check_upload_rate(db: Session, settings: Settings, user: User) -> None:
    """Refuse (429) an upload past LEH_UPLOAD_RATE_PER_MINUTE for this user; 0 or less disables the limit."""
    # Two counts, the larger wins: accepted uploads in the shared upload log (true across server processes)
    # and attempts seen by this process (true even for presigned URLs that were never completed).
    limit = settings.upload_rate_per_minute
    if limit <= 0:
        return
    attempts = _attempts.hit(user.id, time.monotonic())
    since = _utc(datetime.now(UTC) - timedelta(seconds=RATE_WINDOW_SECONDS))
    accepted = db.scalar(select(func.count()).select_from(UploadLog)
                         .where(UploadLog.user_id == user.id, UploadLog.at >= since)) or 0
    if max(attempts, accepted + 1) > limit:
        raise RateLimited("RATE_LIMITED", f"업로드 요청이 너무 많습니다(1분에 최대 {limit}건). 1분 후 다시 시도해주세요.")


def upload_anomalies(db: Session, *, window_seconds: int = DEFAULT_WINDOW_SECONDS, history_days: int = HISTORY_DAYS,
                     min_burst: int = MIN_BURST, burst_factor: float = BURST_FACTOR,
                     duplicate_threshold: int = DUPLICATE_THRESHOLD, now: datetime | None = None) -> dict[str, Any]:
    """Per (user, case) upload statistics for the window and the users whose pattern looks like an attack."""
    now = now or datetime.now(UTC)
    since = now - timedelta(seconds=window_seconds)
    history_from = since - timedelta(days=history_days)
    emails = dict(db.execute(select(User.id, User.email)).all())
    stats = db.execute(select(UploadLog.user_id, UploadLog.case_id, func.count(), func.sum(UploadLog.size),
                              func.count(func.distinct(UploadLog.sha256)))
                       .where(UploadLog.at >= _utc(since)).group_by(UploadLog.user_id, UploadLog.case_id)).all()
    dups = db.execute(select(UploadLog.user_id, UploadLog.case_id, UploadLog.sha256, func.count())
                      .where(UploadLog.at >= _utc(since), UploadLog.sha256.is_not(None))
                      .group_by(UploadLog.user_id, UploadLog.case_id, UploadLog.sha256)
                      .having(func.count() >= duplicate_threshold)).all()
    history = dict(db.execute(select(UploadLog.user_id, func.count())
                              .where(UploadLog.at >= _utc(history_from), UploadLog.at < _utc(since))
                              .group_by(UploadLog.user_id)).all())
    per_user_window: dict[str, int] = {}
    for user_id, _case_id, n, _size, _distinct in stats:
        per_user_window[user_id] = per_user_window.get(user_id, 0) + int(n)
    windows_in_history = history_days * 86400 / window_seconds

    rows: list[dict[str, Any]] = []
    for user_id, case_id, n, size, distinct in stats:
        # The account's own normal: its average uploads per window over the history period.
        baseline = history.get(user_id, 0) / windows_in_history
        total = per_user_window[user_id]
        reasons = []
        floods = [{"sha256": str(sha)[:12], "count": int(k)} for uid, cid, sha, k in dups if uid == user_id and cid == case_id]
        if floods:
            reasons.append("duplicate_flood")
        if total >= min_burst and total > burst_factor * baseline:
            reasons.append("burst")
        rows.append({"user_id": user_id, "email": emails.get(user_id), "case_id": case_id, "uploads": int(n),
                     "bytes": int(size or 0), "distinct_files": int(distinct), "user_uploads_in_window": total,
                     "baseline_per_window": round(baseline, 2), "duplicate_floods": floods, "reasons": reasons,
                     "suspicious": bool(reasons)})
    rows.sort(key=lambda r: (not r["suspicious"], -r["uploads"]))
    return {"window_seconds": window_seconds, "since": since.isoformat(timespec="seconds"), "history_days": history_days,
            "thresholds": {"min_burst": min_burst, "burst_factor": burst_factor, "duplicate_threshold": duplicate_threshold},
            "stats": rows, "suspicious": [r for r in rows if r["suspicious"]]}


def anomaly_findings(result: dict[str, Any]) -> list[Finding]:
    """One finding per suspicious account. Lv1: a suspicion for the on-call to judge before blocking anyone."""
    by_user: dict[str, list[dict[str, Any]]] = {}
    for row in result["suspicious"]:
        by_user.setdefault(row["user_id"], []).append(row)
    if not by_user:
        return [Finding("uploads.anomalies", "업로드 로그 분석", Status.OK, Level.LV1,
                        f"최근 {human_duration(result['window_seconds'])} 동안 의심스러운 업로드가 없습니다.")]
    out = []
    for user_id, rows in by_user.items():
        reasons = sorted({r for row in rows for r in row["reasons"]})
        label = {"duplicate_flood": "같은 파일 반복 업로드", "burst": "평소보다 급증한 업로드"}
        out.append(Finding(
            "uploads.anomalies", "업로드 로그 분석", Status.FAIL, Level.LV1,
            f"{rows[0]['email'] or user_id}: {', '.join(label[r] for r in reasons)} "
            f"({sum(r['uploads'] for r in rows)}건, {sum(r['bytes'] for r in rows):,} bytes)",
            action=f"공격으로 판단되면 계정을 차단하세요: leh admin block {rows[0]['email'] or user_id} "
                   "(사건 AI 처리 중지: leh ops breaker open CASE --reason …)",
            detail={"user_id": user_id, "cases": [r["case_id"] for r in rows], "reasons": reasons}))
    return out
