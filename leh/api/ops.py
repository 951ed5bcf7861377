"""Operator API for the runbook (DESIGN.md section 9): breakers, usage, upload anomalies, case restore and
reindex, diagnose, index check, weekly checklist and logs. Admins only; every change is audited."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from leh.api.deps import AdminUser, AuditDep, ContainerDep, DbDep, EvidenceDep, IndexDep, QueueDep, SettingsDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.api.schemas import BreakerChange, BreakerStatus, CaseRecovery, Report, UploadAnomalies, Usage
from leh.config import parse_duration_seconds
from leh.domain.audit_actions import AuditAction
from leh.domain.cases import BreakerDoc, BreakerState
from leh.domain.errors import ValidationFailed
from leh.services import breakers as breaker_svc
from leh.services import reindex
from leh.services.ops.diagnose import diagnose as run_diagnose
from leh.services.ops.findings import make_report
from leh.services.ops.index_check import check_index as run_check_index
from leh.services.ops.logs import read_logs
from leh.services.ops.uploads import anomaly_findings, upload_anomalies
from leh.services.ops.usage import case_budget, usage_summary
from leh.services.ops.weekly import weekly as run_weekly

router = APIRouter(prefix="/api/admin", tags=["ops"], responses=ERROR_RESPONSES)


class BreakerIn(BaseModel):
    """Open or close a case's AI breaker; the reason is audited."""
    state: BreakerState
    reason: str = Field(min_length=1, max_length=1000)


class CaseRef(BaseModel):
    """A case to act on."""
    case_id: str


def _seconds(text: str) -> int:
    try:
        return parse_duration_seconds(text)
    except ValueError as exc:
        raise ValidationFailed("INVALID_DURATION", f"기간 형식이 올바르지 않습니다: {text} (예: 90s, 15m, 1h, 7d)") from exc


@router.get("/breakers", response_model=Envelope[list[BreakerDoc]])
def breakers(request: Request, evidence: EvidenceDep, db: DbDep, _admin: AdminUser) -> JSONResponse:
    """Every case breaker, open ones first, with paused counts."""
    return ok(request, breaker_svc.list_breakers(db, evidence))


@router.get("/cases/{case_id}/breaker", response_model=Envelope[BreakerStatus])
def breaker_status(case_id: str, request: Request, settings: SettingsDep, evidence: EvidenceDep, db: DbDep,
                   _admin: AdminUser) -> JSONResponse:
    """One case's breaker and its token budget."""
    return ok(request, {**breaker_svc.status(db, evidence, case_id), "budget": case_budget(settings, db, case_id)})


@router.post("/cases/{case_id}/breaker", response_model=Envelope[BreakerChange])
def set_breaker(case_id: str, body: BreakerIn, request: Request, evidence: EvidenceDep, index: IndexDep, queue: QueueDep,
                db: DbDep, admin: AdminUser, audit_: AuditDep) -> JSONResponse:
    """Runbook C-1: open or close a case's breaker by hand; closing resumes paused items."""
    out = breaker_svc.set_breaker(db, evidence, index, queue, case_id, state=body.state, reason=body.reason, actor=admin.id)
    audit_(AuditAction.ADMIN_BREAKER_OPEN if body.state == BreakerState.OPEN else AuditAction.ADMIN_BREAKER_CLOSE, object_type="case",
           object_id=case_id, detail={"reason": body.reason, "resumed": out["resumed"]})
    return ok(request, out)


@router.post("/restore-case", response_model=Envelope[CaseRecovery])
def restore_case(body: CaseRef, request: Request, evidence: EvidenceDep, index: IndexDep, db: DbDep, _admin: AdminUser,
                 audit_: AuditDep) -> JSONResponse:
    """Runbook B: closed → active, then rebuild the case's search index."""
    out = reindex.restore_case(db, evidence, index, body.case_id)
    audit_(AuditAction.ADMIN_CASE_RESTORE, object_type="case", object_id=body.case_id,
           detail={"indexed_segments": out["indexed_segments"]})
    return ok(request, out)


@router.post("/reindex-case", response_model=Envelope[CaseRecovery])
def reindex_case(body: CaseRef, request: Request, evidence: EvidenceDep, index: IndexDep, db: DbDep, _admin: AdminUser,
                 audit_: AuditDep) -> JSONResponse:
    """Runbook B-2: rebuild one case's search index from the evidence store."""
    out = reindex.reindex(db, evidence, index, body.case_id)
    audit_(AuditAction.ADMIN_CASE_REINDEX, object_type="case", object_id=body.case_id,
           detail={"indexed_segments": out["indexed_segments"]})
    return ok(request, out)


@router.get("/check-index", response_model=Envelope[Report])
def check_index(request: Request, evidence: EvidenceDep, index: IndexDep, db: DbDep, _admin: AdminUser,
                case_id: str | None = None) -> JSONResponse:
    """Evidence store vs search index, per case (Lv2 on mismatch)."""
    return ok(request, make_report("check-index", run_check_index(db, evidence, index, case_id)))


@router.get("/usage", response_model=Envelope[Usage])
def usage(request: Request, settings: SettingsDep, db: DbDep, _admin: AdminUser, window: str | None = None) -> JSONResponse:
    """AI tokens and cost per case and user over a window (default LEH_CASE_BUDGET_WINDOW)."""
    seconds = _seconds(window) if window else settings.budget_window_seconds
    return ok(request, usage_summary(settings, db, window_seconds=seconds))


@router.get("/uploads/anomalies", response_model=Envelope[UploadAnomalies])
def upload_anomalies_(request: Request, db: DbDep, _admin: AdminUser, window: str = "1h",
                      min_burst: int = Query(50, ge=1), dup_threshold: int = Query(5, ge=2)) -> JSONResponse:
    """Runbook C-2: upload-log analysis per user and case, with suspicious accounts."""
    result = upload_anomalies(db, window_seconds=_seconds(window), min_burst=min_burst, duplicate_threshold=dup_threshold)
    return ok(request, {**result, "report": make_report("uploads", anomaly_findings(result))})


@router.get("/diagnose", response_model=Envelope[Report])
def diagnose(request: Request, c: ContainerDep, _admin: AdminUser, stuck_after: str | None = None) -> JSONResponse:
    """Runbook A: the `leh ops diagnose` report."""
    return ok(request, run_diagnose(c, stuck_after_seconds=_seconds(stuck_after) if stuck_after else None))


@router.get("/weekly", response_model=Envelope[Report])
def weekly(request: Request, c: ContainerDep, _admin: AdminUser, sample: int = Query(500, ge=1, le=100_000)) -> JSONResponse:
    """Runbook section 3: the weekly checklist (read-only; `leh ops weekly --apply` fixes)."""
    return ok(request, run_weekly(c, sample=sample))


@router.get("/logs", response_model=Envelope[list[dict[str, Any]]])
def logs(request: Request, c: ContainerDep, _admin: AdminUser, level: str = "ERROR", since: str = "1h",
         evidence_id: str | None = None, limit: int = Query(200, ge=1, le=5000)) -> JSONResponse:
    """Runbook A: search the JSON-lines logs of server and workers (local files or the CloudWatch log group)."""
    return ok(request, read_logs(c.settings, level=level, since_seconds=_seconds(since), evidence_id=evidence_id,
                                 limit=limit, source=c.log_source))
