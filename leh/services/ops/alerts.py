"""Alert webhook (LEH_ALERT_WEBHOOK_URL): one JSON POST per finding that is not OK.

Alerts carry ids, codes and counts only; the payload is PII-masked again on the way out as a last guard.
A webhook that is down never breaks the check that raised the alert. The POST itself is the `AlertSink`
adapter the container builds (`leh.adapters.http_ops`); None when no webhook is configured.
"""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime
from typing import Any

from leh.analysis.masking import mask_payload
from leh.ports import AlertFailed, AlertSink

log = logging.getLogger("leh.ops.alerts")


def send_alerts(sink: AlertSink | None, report: dict[str, Any]) -> int:
    """Send each non-OK finding of a report; returns how many were delivered (0 without a webhook)."""
    problems = [f for f in report["findings"] if f["status"] != "ok"]
    if sink is None or not problems:
        return 0
    sent = 0
    for f in problems:
        payload = mask_payload({"source": "leh", "command": report["kind"], "host": socket.gethostname(),
                                "at": datetime.now(UTC).isoformat(timespec="seconds"), **f})
        try:
            sink.send(payload)
            sent += 1
        except AlertFailed as exc:
            log.warning("alert webhook failed", extra={"check": f["check"], "error": str(exc)})
    return sent
