"""Per-case search (DESIGN.md section 7)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query, Request

from leh.api.deps import AuditDep, ContainerDep, CurrentUser, DbDep
from leh.api.responses import ok
from leh.ports import SearchFilters
from leh.services.cases import require_case

router = APIRouter(tags=["search"])


@router.get("/api/cases/{case_id}/search")
def search(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: CurrentUser, audit: AuditDep,
           q: str = Query(min_length=1, max_length=500), ground: str | None = None, type: str | None = None,
           speaker: str | None = None, from_: str | None = Query(None, alias="from"), to: str | None = None,
           limit: int = Query(20, ge=1, le=200)):  # type: ignore[no-untyped-def]
    require_case(db, user, case_id)
    filters = SearchFilters(grounds=[ground] if ground else None, type=type, speaker=speaker, date_from=from_, date_to=to)
    hits = c.index.search(case_id, q, filters=filters, limit=limit)
    audit("case.search", object_type="case", object_id=case_id, detail={"results": len(hits)})
    return ok(request, [{k: v for k, v in asdict(h).items()} for h in hits])
