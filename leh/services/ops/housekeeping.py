"""Chores every worker runs from its loop: the watchdog each heartbeat, the tmp/ janitor every few minutes.

Scheduled from `leh.pipeline.worker.Worker.run` with one `tick(c)` per loop turn, so they run wherever
workers run (`leh run` or `leh worker` on many machines) without a separate scheduler process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from leh.ports import Ports
from leh.services import audit_anchor
from leh.services.ops import janitor, watchdog

log = logging.getLogger("leh.ops.housekeeping")
JANITOR_EVERY_SECONDS = 600.0


@dataclass
class _Due:
    watchdog: float = 0.0
    janitor: float = 0.0  # 0: sweep right after start, so a restarted pool catches up at once
    audit_anchor: float = 0.0


_ATTR = "_ops_housekeeping_due"


def tick(c: Ports, *, now: float | None = None) -> None:
    """Run whatever is due; never raises (a failing chore must not stop the worker from processing)."""
    now = time.monotonic() if now is None else now
    # Kept on the container (one per process): the schedule lives and dies with the ports it works on.
    due = c.__dict__.setdefault(_ATTR, _Due())
    if now >= due.watchdog:
        due.watchdog = now + c.settings.worker_heartbeat_seconds
        try:
            watchdog.reclaim(c)
        except Exception:
            log.exception("watchdog pass failed")
    if now >= due.janitor:
        due.janitor = now + JANITOR_EVERY_SECONDS
        try:
            janitor.sweep_tmp(c.objects, c.settings)
        except Exception:
            log.exception("tmp/ janitor failed")
    if now >= due.audit_anchor:
        due.audit_anchor = now + audit_anchor.CHECKPOINT_EVERY_SECONDS
        try:
            audit_anchor.write_checkpoint(c.sessions, c.objects, c.settings.resolved_anchor_key())
        except Exception:
            log.exception("audit checkpoint failed")
