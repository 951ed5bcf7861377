"""Alert webhook (LEH_ALERT_WEBHOOK_URL): one JSON POST per finding that is not OK.

Alerts carry ids, codes and counts only; the payload is PII-masked again on the way out as a last guard.
A webhook that is down never breaks the check that raised the alert.
"""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime
from typing import Any

import httpx

from leh.analysis.masking import mask_payload
from leh.config import Settings

log = logging.getLogger("leh.ops.alerts")
TIMEOUT_SECONDS = 5.0


def send_alerts(settings: Settings, report: dict[str, Any]) -> int:
    """POST each non-OK finding of a report to the webhook; returns how many were delivered (0 without a webhook)."""
    url = settings.alert_webhook_url
    problems = [f for f in report["findings"] if f["status"] != "ok"]
    if not url or not problems:
        return 0
    sent = 0
    with httpx.Client(timeout=TIMEOUT_SECONDS) as http:
        for f in problems:
            payload = mask_payload({"source": "leh", "command": report["kind"], "host": socket.gethostname(),
                                    "at": datetime.now(UTC).isoformat(timespec="seconds"), **f})
            try:
                http.post(url, json=payload).raise_for_status()
                sent += 1
            except httpx.HTTPError as exc:
                log.warning("alert webhook failed", extra={"check": f["check"], "error": type(exc).__name__})
    return sent
