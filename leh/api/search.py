"""Per-case search (DESIGN.md section 7): hybrid when an embedder is configured, BM25 otherwise."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from leh.api.deps import AuditDep, CurrentUser, DbDep, EvidenceDep, IndexDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import SearchHitDoc
from leh.domain.paging import PageRequest, info
from leh.services import parties as case_parties
from leh.services.cases import require_case
from leh.services.search import MAX_LIMIT, search_case

router = APIRouter(tags=["search"], responses=ERROR_RESPONSES)


@router.get("/api/cases/{case_id}/search", response_model=Envelope[list[SearchHitDoc]])
def search(case_id: str, request: Request, index: IndexDep, evidence: EvidenceDep, db: DbDep, user: CurrentUser, audit: AuditDep,
           q: str = Query(min_length=1, max_length=500), ground: str | None = None, type: str | None = None,
           speaker: str | None = None, from_: str | None = Query(None, alias="from"), to: str | None = None,
           limit: int = Query(20, ge=1, le=MAX_LIMIT),
           offset: int = Query(0, ge=0, le=MAX_LIMIT - 1, description=f"hits to skip; search ranks the best {MAX_LIMIT}")
           ) -> JSONResponse:
    require_case(db, user, case_id)
    page = PageRequest(offset, min(limit, MAX_LIMIT - offset))  # the ranking goes no deeper than MAX_LIMIT hits
    ranked = search_case(index, case_id, q, ground=ground, type=type, speaker=speaker, date_from=from_, date_to=to,
                         limit=min(page.end + 1, MAX_LIMIT), aliases=case_parties.alias_map(case_parties.load(db, case_id)),
                         evidence=evidence)
    hits = ranked[page.offset:page.end]
    audit(AuditAction.CASE_SEARCH, object_type="case", object_id=case_id, detail={"results": len(hits)})
    return ok(request, hits, page=info(page, None, has_more=len(ranked) > page.end))
