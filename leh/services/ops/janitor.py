"""The tmp/ janitor (weekly checklist 1): deletes objects under `tmp/` older than LEH_TMP_TTL_HOURS.

Runs from every worker's housekeeping; deleting is idempotent, so several workers sweeping at once is harmless.
On S3 a lifecycle rule does the same job (leh.adapters.s3_lifecycle, checked weekly); the janitor stays as the backstop.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from leh.config import Settings
from leh.ports import ObjectStore

log = logging.getLogger("leh.ops.janitor")
TMP_PREFIX = "tmp/"


def tmp_report(objects: ObjectStore, settings: Settings, *, now: float | None = None) -> dict[str, Any]:
    """What is under tmp/: count, bytes, age of the oldest object, and how many are past the TTL."""
    now = now or time.time()
    ttl = settings.tmp_ttl_hours * 3600
    count = size = expired = expired_bytes = 0
    oldest = 0.0
    for obj in objects.list(TMP_PREFIX):
        age = now - obj.modified_at
        count += 1
        size += obj.size
        oldest = max(oldest, age)
        if age > ttl:
            expired += 1
            expired_bytes += obj.size
    return {"objects": count, "bytes": size, "oldest_hours": round(oldest / 3600, 2), "expired": expired,
            "expired_bytes": expired_bytes, "ttl_hours": settings.tmp_ttl_hours}


def sweep_tmp(objects: ObjectStore, settings: Settings, *, now: float | None = None) -> dict[str, Any]:
    """Delete expired tmp/ objects; returns counts (deleted, bytes) and what remains."""
    now = now or time.time()
    ttl = settings.tmp_ttl_hours * 3600
    # Listed first, deleted after: deleting while a directory walk is in progress would disturb it.
    expired = [obj for obj in objects.list(TMP_PREFIX) if now - obj.modified_at > ttl]
    for obj in expired:
        objects.delete(obj.key)
    freed = sum(o.size for o in expired)
    if expired:
        log.info("tmp/ janitor swept", extra={"deleted": len(expired), "bytes": freed})
    return {"deleted": len(expired), "deleted_bytes": freed, **tmp_report(objects, settings, now=now)}
