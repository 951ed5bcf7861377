"""`leh ops diagnose` (runbook scenario A, 업로드 후 무한 '처리 중'): what is stuck, why, and the step to take.

Looks at workers and their heartbeats, items queued or processing for too long, the DLQ, recent errors
grouped by code, the AI provider and open breakers; ends in a verdict with the runbook steps in order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from leh.domain.documents import EvidenceDoc
from leh.domain.evidence import EvidenceStatus
from leh.ports import Ports
from leh.services import admin as admin_svc
from leh.services.breakers import list_open
from leh.services.ops.findings import Finding, Level, Status, human_duration, make_report
from leh.services.ops.integrity import check_integrity
from leh.services.ops.logs import group_by_code, read_logs
from leh.services.ops.provider import probe_provider
from leh.services.ops.workers import WorkerState, list_workers

ERROR_WINDOW_SECONDS = 3600
# DLQ reasons a plain redrive can fix (the cause was outside the file); anything else needs a fix first.
TRANSIENT_REASONS = ("OBJECT_MISSING", "AI_PROVIDER_UNAVAILABLE", "INTERNAL_ERROR", "MAX_RECEIVES_EXCEEDED")


def _since(doc: EvidenceDoc) -> datetime | None:
    hist = doc.get("status_history") or []
    at = hist[-1]["at"] if hist else doc.get("uploaded_at")
    return datetime.fromisoformat(at) if at else None


def check_workers(workers: list[WorkerState]) -> Finding:
    """Lv1 when no worker lives; a warning while live workers' watchdogs recover a dead one's items."""
    alive = [w for w in workers if w.alive]
    dead_holding = [w for w in workers if not w.alive and (w.holding or w.current_evidence_id)]
    detail = {"alive": len(alive), "workers": [w.to_dict() for w in workers]}
    if not alive:
        return Finding("workers", "AI 워커", Status.FAIL, Level.LV1,
                       "실행 중인 워커가 없습니다." + (f" 중단된 워커가 항목 {len(dead_holding)}건을 잡고 있었습니다."
                                               if dead_holding else ""),
                       action="워커를 시작하세요: leh run (또는 leh worker). 중단된 워커의 항목은 다른 워커가 이어서 처리합니다.",
                       detail=detail)
    if dead_holding:
        # Live workers run the watchdog: the item is handed back within a heartbeat or two.
        return Finding("workers", "AI 워커", Status.WARN, Level.LV1,
                       f"워커 {len(alive)}개 실행 중. 중단된 워커 {len(dead_holding)}개의 항목은 감시자가 다시 대기열로 돌립니다.",
                       detail=detail)
    return Finding("workers", "AI 워커", Status.OK, Level.LV1, f"워커 {len(alive)}개 실행 중 (하트비트 정상).", detail=detail)


def check_stuck(c: Ports, workers: list[WorkerState], depth: dict[str, int], *, stuck_after: float,
                now: datetime) -> Finding:
    """Items waiting or processing longer than `stuck_after` seconds, each with its likely cause."""
    alive_ids = {w.worker_id for w in workers if w.alive}
    stuck = []
    for doc in c.evidence.list_by_status([EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING]):
        since = _since(doc)
        age = (now - since).total_seconds() if since else 0.0
        if age < stuck_after:
            continue
        if doc["status"] == EvidenceStatus.PROCESSING:
            cause = "worker_alive" if doc.get("worker_id") in alive_ids else "worker_dead"
        elif not alive_ids:
            cause = "no_worker"
        elif not (depth.get("visible") or depth.get("in_flight") or depth.get("delayed")):
            cause = "message_lost"  # waiting, workers idle, queue empty: nothing will ever pick it up
        else:
            cause = "backlog"
        stuck.append({"evidence_id": doc["evidence_id"], "case_id": doc["case_id"], "status": doc["status"],
                      "stage": doc.get("stage"), "age_seconds": round(age), "attempts": doc.get("attempts", 0),
                      "worker_id": doc.get("worker_id"), "cause": cause})
    title = "처리 지연 항목"
    if not stuck:
        return Finding("stuck", title, Status.OK, Level.LV1, f"{human_duration(stuck_after)} 넘게 대기·처리 중인 항목이 없습니다.")
    causes = {s["cause"] for s in stuck}
    if "message_lost" in causes:
        action = "대기열에 메시지가 없는 항목은 개별 재처리하세요: leh ops reprocess <evidence_id> (런북 A-3)."
    elif causes & {"no_worker", "worker_dead"}:
        action = "워커를 다시 시작하세요: leh run (또는 leh worker). 중단된 항목은 자동으로 이어서 처리됩니다."
    else:
        action = "처리량이 부족하면 워커를 늘리세요 (LEH_WORKERS 또는 leh worker 추가)."
    return Finding("stuck", title, Status.FAIL, Level.LV1,
                   f"{len(stuck)}건이 {human_duration(stuck_after)} 넘게 '처리 중' 또는 '대기' 상태입니다.", action=action,
                   detail={"items": stuck[:100], "count": len(stuck), "causes": sorted(causes)})


def check_dlq(c: Ports, depth: dict[str, int]) -> Finding:
    """Dead letters by reason, advising redrive (cause outside the file) or a fix then reprocess."""
    title = "DLQ (처리 실패 메시지)"
    n = depth.get("dlq", 0)
    if not n:
        return Finding("dlq", title, Status.OK, Level.LV1, "DLQ가 비어 있습니다.", detail={"depth": depth})
    items = admin_svc.dlq_items(c.evidence, c.queue, limit=200)
    reasons: dict[str, int] = {}
    for item in items:
        code = str(item["reason"] or "?").split(":")[0]
        reasons[code] = reasons.get(code, 0) + 1
    if set(reasons) <= set(TRANSIENT_REASONS):
        action = "일시적 오류입니다: 원인이 해소되었으면 DLQ를 재전송하세요: leh ops redrive (런북 A-2)."
    else:
        action = ("파일 또는 코드 문제입니다: 핫픽스 배포 후 leh ops reprocess <evidence_id> 로 개별 재처리하거나 "
                  "leh ops redrive 로 재전송하세요 (런북 A-3).")
    return Finding("dlq", title, Status.FAIL, Level.LV1, f"DLQ에 메시지 {n}건이 쌓여 있습니다 ({', '.join(reasons)}).",
                   action=action, detail={"depth": depth, "by_reason": reasons,
                                          "evidence_ids": [i["evidence_id"] for i in items if i["evidence_id"]][:100]})


def check_errors(c: Ports, *, window_seconds: int, now: datetime) -> Finding:
    """ERROR log lines of the window and failed evidence, grouped by code (a warning, not a failure)."""
    records = read_logs(c.settings, level="ERROR", since_seconds=window_seconds, limit=None, now=now,
                        source=c.log_source)
    failed: dict[str, int] = {}
    for doc in c.evidence.list_by_status([EvidenceStatus.FAILED]):
        since = _since(doc)
        if since and (now - since).total_seconds() <= window_seconds:
            error = doc.get("error")
            code = (error.get("code") if error else None) or "?"
            failed[code] = failed.get(code, 0) + 1
    detail: dict[str, Any] = {"window_seconds": window_seconds, "log_errors_by_code": group_by_code(records),
              "failed_evidence_by_code": failed, "last_errors": records[-10:]}
    if not records:
        return Finding("errors", "최근 오류", Status.OK, Level.LV1,
                       f"최근 {human_duration(window_seconds)} 동안 ERROR 로그가 없습니다.", detail=detail)
    top = ", ".join(f"{k} {v}건" for k, v in list(detail["log_errors_by_code"].items())[:5])
    return Finding("errors", "최근 오류", Status.WARN, Level.LV1,
                   f"최근 {human_duration(window_seconds)} 동안 ERROR 로그 {len(records)}건: {top}",
                   action="오류 로그를 확인하세요: leh ops logs --level ERROR --since 1h", detail=detail)


def check_warnings(c: Ports) -> Finding:
    """Processed evidence that carries a warning (e.g. STT_EMPTY: loud audio, no words): done, but not to be trusted."""
    by_code: dict[str, list[str]] = {}
    for doc in c.evidence.list_by_status([EvidenceStatus.DONE]):
        for warning in doc.get("warnings") or ():
            by_code.setdefault(str(warning.get("code") or "?"), []).append(doc["evidence_id"])
    title = "경고가 있는 처리 완료 항목"
    if not by_code:
        return Finding("warnings", title, Status.OK, Level.LV1, "처리 완료 항목 중 경고가 있는 항목이 없습니다.")
    counts = {code: len(ids) for code, ids in by_code.items()}
    summary = ", ".join(f"{code} {n}건" for code, n in sorted(counts.items()))
    action = "항목별 경고 코드를 확인하세요."
    if "STT_EMPTY" in counts:
        action = ("음성 인식 엔진이 말소리가 있는 녹음에서 아무것도 인식하지 못했습니다: 엔진 설정(LEH_STT_ENGINE, 모델, "
                  "스레드 수)을 점검한 뒤 leh ops reprocess <evidence_id> 로 재처리하세요.")
    return Finding("warnings", title, Status.WARN, Level.LV1, f"처리는 끝났지만 경고가 있는 항목: {summary}",
                   action=action, detail={"by_code": counts,
                                          "evidence_ids": {k: v[:100] for k, v in by_code.items()}})


def check_breakers(c: Ports) -> Finding:
    """Open case breakers: intentional pauses, reported as a warning."""
    with c.sessions() as db:
        open_ = [{"case_id": b.case_id, "reason": b.reason, "opened_by": b.opened_by} for b in list_open(db)]
    if not open_:
        return Finding("breakers", "사건별 AI 차단기", Status.OK, Level.LV1, "열린 차단기가 없습니다.")
    return Finding("breakers", "사건별 AI 차단기", Status.WARN, Level.LV1,
                   f"사건 {len(open_)}건의 AI 처리가 일시 정지되어 있습니다 (해당 증거는 paused).",
                   action="정지 사유를 확인한 뒤 해제하세요: leh ops breaker close CASE --reason … (런북 C)",
                   detail={"open": open_})


def diagnose(c: Ports, *, stuck_after_seconds: float | None = None, now: datetime | None = None,
             error_window_seconds: int = ERROR_WINDOW_SECONDS) -> dict[str, Any]:
    """The whole scenario-A diagnosis as a report (see `make_report`)."""
    now = now or datetime.now(UTC)
    stuck_after = stuck_after_seconds if stuck_after_seconds is not None else c.settings.stuck_after_minutes * 60
    workers = list_workers(c, now=now)
    depth = c.queue.depth()
    # Runbook order: an outside outage first (wait), then workers, then the queue (redrive), then single items.
    findings = [probe_provider(c.provider_probe), check_workers(workers),
                check_stuck(c, workers, depth, stuck_after=stuck_after, now=now), check_dlq(c, depth),
                check_errors(c, window_seconds=error_window_seconds, now=now), check_warnings(c), check_breakers(c),
                check_integrity(c, now=now)]
    return make_report("diagnose", findings, queue=depth, stuck_after_seconds=stuck_after)
