"""Case pages: the case list, one case (upload, live status, timeline, search, ask, draft) and one evidence."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from leh.api.deps import SESSION_COOKIE, AuditDep, ContainerDep, DbDep
from leh.domain.errors import LehError, NotFound
from leh.services import accounts
from leh.services import cases as case_svc
from leh.services import evidence as evidence_svc
from leh.web import views as web_views
from leh.web.pages.common import CSRF_FIELD, PageUser, check_csrf, json_for_script, redirect, render

router = APIRouter(include_in_schema=False)

STREAM_INTERVAL_SECONDS = 1.0
SEGMENTS_PER_PAGE = 500
ROWS_PER_PAGE = 200
_NOTICES = {"closed": "사건을 종료했습니다. 종료된 사건은 '종료' 필터에서 볼 수 있습니다.",
            "deleted": "증거를 삭제했습니다.", "created": "사건을 만들었습니다. 이제 증거를 업로드하세요."}


@router.get("/cases")
def case_list(request: Request, c: ContainerDep, db: DbDep, user: PageUser, q: str | None = None,
              status: str = Query("active", pattern="^(active|closed|all)$"), notice: str | None = None) -> Response:
    """My cases with evidence counts; htmx asks for just the table while the user types."""
    rows = web_views.case_rows(c, db, user, status=status, q=(q or "").strip() or None)
    ctx: dict[str, Any] = {"cases": rows, "q": q or "", "status": status, "notice": _NOTICES.get(notice or ""),
                           "error": None, "form": {"title": "", "description": ""}}
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "case-table":
        return render(request, "_case_table.html", **ctx)
    return render(request, "cases.html", **ctx)


@router.post("/cases")
async def case_create(request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep) -> Response:
    """Create a case from the dialog and open it."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    title, description = str(form.get("title") or ""), str(form.get("description") or "")
    try:
        case = case_svc.create_case(db, user, title=title, description=description[:10_000])
    except LehError as exc:
        rows = web_views.case_rows(c, db, user, status="active", q=None)
        return render(request, "cases.html", status_code=exc.http_status, cases=rows, q="", status="active", notice=None,
                      error=exc.message_ko, form={"title": title, "description": description})
    db.commit()
    audit("case.create", object_type="case", object_id=case.id, detail={"title": case.title, "via": "web"})
    return redirect(f"/cases/{case.id}?notice=created")


@router.get("/cases/{case_id}")
def case_page(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep,
              notice: str | None = None) -> Response:
    """One case: header, upload, evidence table (first page), timeline, search, ask, draft."""
    view = web_views.case_view(c, db, user, case_id)
    audit("case.view", object_type="case", object_id=case_id, detail={"via": "web"})
    writable = view["my_role"] in ("owner", "member") and view["case"]["status"] == "active"
    # What the page's script needs about every evidence (also rows not rendered yet): names, never contents.
    known = {"evidence": {r["evidence_id"]: {"filename": r["filename"], "type": r["type"], "status": r["status"],
                                             "speakers": r["speakers"]} for r in view["evidence"]}}
    return render(request, "case.html", **view, can_write=writable, is_owner=view["my_role"] == "owner",
                  notice=_NOTICES.get(notice or ""), page_data=json_for_script(known),
                  **_rows_page(view["evidence"], 0, case_id))


def _rows_page(rows: list[dict[str, Any]], offset: int, case_id: str) -> dict[str, Any]:
    """One page of evidence rows (newest first) and where the next page starts."""
    end = offset + ROWS_PER_PAGE
    return {"rows": rows[offset:end], "next_offset": end if end < len(rows) else None,
            "remaining": max(0, len(rows) - end), "case_id": case_id}


@router.get("/cases/{case_id}/evidence-rows")
def evidence_rows(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                  offset: int = Query(0, ge=0)) -> Response:
    """The next page of the evidence table (htmx partial)."""
    view = web_views.case_view(c, db, user, case_id)
    writable = view["my_role"] in ("owner", "member") and view["case"]["status"] == "active"
    return render(request, "_evidence_rows.html", can_write=writable, **_rows_page(view["evidence"], offset, case_id))


@router.post("/cases/{case_id}/close")
async def case_close(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep) -> Response:
    """Close the case (owner only, after the confirm dialog)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    case = case_svc.close_case(db, user, case_id)
    db.commit()
    c.index.drop_case(case_id)  # as the API does: a closed case leaves the search index
    audit("case.close", object_type="case", object_id=case.id, detail={"via": "web"})
    return redirect("/cases?notice=closed")


@router.get("/cases/{case_id}/stream")
async def case_stream(case_id: str, request: Request, c: ContainerDep) -> Response:
    """Server-sent events: `status` with the evidence whose state changed since the last event."""
    token = request.cookies.get(SESSION_COOKIE) or ""

    def allowed() -> bool:
        """Whether the session may still see this case."""
        with c.sessions() as db:
            try:
                user, _ = accounts.user_for_token(db, token, c.settings)
                case_svc.require_case(db, user, case_id)
            except LehError:
                return False
        return True

    if not await run_in_threadpool(allowed):
        return Response(status_code=204)  # EventSource stops reconnecting; the page shows it is offline

    sent: dict[str, dict[str, Any]] = {}

    def changes(first: bool) -> list[dict[str, Any]] | None:
        """Rows that changed since the last event (all rows the first time), or None."""
        nonlocal sent
        current = web_views.live_rows(c, case_id)
        changed = [row for eid, row in current.items() if sent.get(eid) != row]
        gone = set(sent) - set(current)
        finals = web_views.departed_states(c, case_id, gone)
        changed += [finals.get(eid) or {"evidence_id": eid, "status": "deleted"} for eid in gone]
        sent = current
        return changed if changed or first else None

    async def events() -> AsyncIterator[dict[str, str]]:
        """Push changes once a second until the browser goes away or access ends."""
        first = True
        while not await request.is_disconnected():
            if not await run_in_threadpool(allowed):
                yield {"event": "ended", "data": "{}"}
                return
            items = await run_in_threadpool(changes, first)
            first = False
            if items is not None:
                yield {"event": "status", "data": json.dumps({"items": items}, ensure_ascii=False)}
            await asyncio.sleep(STREAM_INTERVAL_SECONDS)

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})


@router.get("/cases/{case_id}/evidence-status")
def evidence_status(case_id: str, c: ContainerDep, db: DbDep, user: PageUser, ids: str = "") -> Response:
    """The state of named evidence (the page asks for items it has not heard of from the stream)."""
    wanted = [i for i in ids.split(",") if i][:200]
    items = web_views.evidence_states(c, db, user, case_id, wanted)
    return JSONResponse({"items": items}, headers={"Cache-Control": "no-store"})


@router.post("/cases/{case_id}/evidence/{evidence_id}/retry")
def evidence_retry(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                   audit: AuditDep) -> Response:
    """Queue a failed evidence again (the 재시도 button)."""
    check_csrf(request)
    row = web_views.retry_evidence(c, db, user, case_id, evidence_id)
    audit("evidence.retry", object_type="evidence", object_id=evidence_id, detail={"case_id": case_id, "via": "web"})
    return JSONResponse({"item": row})


@router.get("/cases/{case_id}/evidence/{evidence_id}")
def evidence_page(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                  audit: AuditDep, page: int = Query(1, ge=1), seq: int | None = None) -> Response:
    """One evidence: segments with labels, summary, original, info; `seq` opens the page holding it."""
    doc = evidence_svc.get_evidence_for(c, db, user, evidence_id)
    if doc["case_id"] != case_id:
        raise NotFound("EVIDENCE_NOT_FOUND")
    case = case_svc.require_case(db, user, case_id)
    member = case_svc.membership(db, user, case_id)
    audit("evidence.view", object_type="evidence", object_id=evidence_id, detail={"case_id": case_id, "via": "web"})
    segments = doc.get("segments") or []
    pages = max(1, -(-len(segments) // SEGMENTS_PER_PAGE))
    index_of = {s.get("seq"): i for i, s in enumerate(segments)}
    if seq is not None and seq in index_of:
        page = index_of[seq] // SEGMENTS_PER_PAGE + 1  # a link to one segment opens the page that holds it
    page = min(page, pages)
    seg_labels: dict[Any, list[dict[str, Any]]] = {}
    for label in doc.get("labels") or []:
        for seq in label.get("segments") or []:
            seg_labels.setdefault(seq, []).append(label)
    labels = [{**lb, "page": index_of.get((lb.get("segments") or [None])[0], 0) // SEGMENTS_PER_PAGE + 1}
              for lb in doc.get("labels") or []]
    shown = segments[(page - 1) * SEGMENTS_PER_PAGE: page * SEGMENTS_PER_PAGE]
    url = evidence_svc.download_url(c, doc) if doc["status"] != "uploading" else None
    writable = member is not None and member.role in ("owner", "member") and case.status == "active"
    return render(request, "evidence.html", case=case_svc.case_public(case), doc=doc, segments=shown,
                  seg_labels=seg_labels, labels=labels, page=page, pages=pages, download_url=url,
                  url_seconds=evidence_svc.DOWNLOAD_URL_SECONDS, can_write=writable)


@router.post("/cases/{case_id}/evidence/{evidence_id}/delete")
async def evidence_delete(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                          audit: AuditDep) -> Response:
    """Soft-delete the evidence after the confirm dialog."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    doc = evidence_svc.get_evidence_for(c, db, user, evidence_id, write=True)
    if doc["case_id"] != case_id:
        raise NotFound("EVIDENCE_NOT_FOUND")
    evidence_svc.delete_evidence(c, db, user, evidence_id)
    audit("evidence.delete", object_type="evidence", object_id=evidence_id, detail={"case_id": case_id, "via": "web"})
    return redirect(f"/cases/{case_id}?notice=deleted")
