"""AI provider reachability (runbook scenario A, step 1: 외부 장애 확인): is OpenAI answering, when it is used?

The HTTP call is the `ProviderProbe` adapter (`leh.adapters.http_ops`), None when no API key is set; this
module reads its reply as a finding with the runbook's next step.
"""

from __future__ import annotations

from leh.ports import ProviderProbe
from leh.services.ops.findings import Finding, Level, Status

STATUS_PAGE = "https://status.openai.com"
_OUTAGE_ACTION = (f"OpenAI 상태 페이지({STATUS_PAGE})를 확인하세요. 외부 장애라면 사용자에게 공지하고 복구를 기다린 뒤 "
                  "leh ops redrive 로 DLQ를 재처리합니다 (런북 A-1).")


def probe_provider(probe: ProviderProbe | None, *, timeout: float = 5.0) -> Finding:
    """The provider's answer to the cheapest authenticated call, read as a finding (OK offline: nothing to reach)."""
    title = "AI 제공자 연결"
    if probe is None:
        return Finding("ai.provider", title, Status.OK, Level.LV1, "오프라인 엔진을 사용합니다 (외부 AI 호출 없음).",
                       detail={"provider": "local"})
    reply = probe.probe(timeout=timeout)
    base = reply.base_url
    if reply.status is None:
        return Finding("ai.provider", title, Status.FAIL, Level.LV1,
                       f"OpenAI API에 연결할 수 없습니다 ({reply.error}).", action=_OUTAGE_ACTION,
                       detail={"provider": "openai", "base_url": base, "error": reply.error})
    status = reply.status
    detail = {"provider": "openai", "base_url": base, "http_status": status, "latency_ms": reply.latency_ms}
    if status in (401, 403):
        return Finding("ai.provider", title, Status.FAIL, Level.LV1, "OpenAI가 API 키를 거부했습니다.",
                       action="OPENAI_API_KEY 가 유효한지, 결제 상태가 정상인지 확인하세요.", detail=detail)
    if status == 429:
        return Finding("ai.provider", title, Status.WARN, Level.LV1, "OpenAI 요청 한도(429)에 걸렸습니다.",
                       action="사용량을 확인하세요: leh ops usage (비용 급증이면 런북 C).", detail=detail)
    if status >= 500:
        return Finding("ai.provider", title, Status.FAIL, Level.LV1, f"OpenAI 서버 오류 (HTTP {status}).",
                       action=_OUTAGE_ACTION, detail=detail)
    if status >= 400:
        return Finding("ai.provider", title, Status.FAIL, Level.LV1, f"OpenAI 응답 오류 (HTTP {status}).",
                       action="LEH_OPENAI_BASE_URL 설정을 확인하세요.", detail=detail)
    return Finding("ai.provider", title, Status.OK, Level.LV1, f"OpenAI 응답 정상 ({detail['latency_ms']} ms).", detail=detail)
