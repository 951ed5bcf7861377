"""The case timeline (DESIGN.md section 7): date-ordered events of the processed evidence."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from leh.api.deps import CurrentUser, DbDep, EvidenceDep, PageDep, SettingsDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.domain.documents import TimelineItem
from leh.domain.paging import cut
from leh.services.cases import require_case
from leh.services.timeline import case_timeline

router = APIRouter(tags=["timeline"], responses=ERROR_RESPONSES)


@router.get("/api/cases/{case_id}/timeline", response_model=Envelope[list[TimelineItem]])
def timeline(case_id: str, request: Request, settings: SettingsDep, evidence: EvidenceDep, db: DbDep, user: CurrentUser,
             ground: str | None = None, from_: str | None = Query(None, alias="from"), to: str | None = None,
             type: str | None = None, speaker: str | None = None, *, page: PageDep) -> JSONResponse:
    require_case(db, user, case_id)
    items, info = cut(case_timeline(evidence, case_id, timezone=settings.timezone, ground=ground, date_from=from_,
                                    date_to=to, type=type or None, speaker=speaker or None), page)
    return ok(request, items, page=info)
