"""The two HTTP calls of `leh ops`: the alert webhook POST and the AI provider's reachability probe (httpx).

They implement `leh.ports.AlertSink` and `leh.ports.ProviderProbe`; what to send and what a reply means
(levels, runbook steps) is decided in `leh.services.ops.alerts` and `leh.services.ops.provider`.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from leh.ports import AlertFailed, ProviderReply

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"


class WebhookAlertSink:
    """One JSON POST per alert to LEH_ALERT_WEBHOOK_URL."""

    def __init__(self, url: str, *, timeout_s: float = 5.0):
        self.url, self.timeout_s = url, timeout_s

    def send(self, payload: dict[str, Any]) -> None:
        try:
            httpx.post(self.url, json=payload, timeout=self.timeout_s).raise_for_status()
        except httpx.HTTPError as exc:
            raise AlertFailed(type(exc).__name__) from exc


class OpenAiProviderProbe:
    """Lists models with the configured key: the cheapest call that proves network, DNS, TLS and key all work."""

    def __init__(self, api_key: str, base_url: str | None = None):
        self.api_key = api_key
        self.base_url = (base_url or DEFAULT_OPENAI_BASE_URL).rstrip("/")

    def probe(self, *, timeout: float) -> ProviderReply:
        started = time.monotonic()
        try:
            resp = httpx.get(f"{self.base_url}/models", headers={"Authorization": f"Bearer {self.api_key}"},
                             timeout=timeout)
        except httpx.HTTPError as exc:
            return ProviderReply(self.base_url, error=type(exc).__name__)
        return ProviderReply(self.base_url, status=resp.status_code,
                             latency_ms=round((time.monotonic() - started) * 1000))
