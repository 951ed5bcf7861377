"""Case pages: the case list, one case (upload, live status, timeline, search, ask, draft) and one evidence."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from leh.api.deps import SESSION_COOKIE, AuditDep, ContainerDep, DbDep
from leh.domain import originals
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError, NotFound
from leh.domain.evidence import now_iso
from leh.domain.paging import PageRequest
from leh.ports import Ports
from leh.services import accounts
from leh.services import cases as case_svc
from leh.services import evidence as evidence_svc
from leh.services import parties as parties_svc
from leh.web import views as web_views
from leh.web.pages import case_panels as panels
from leh.web.pages import who
from leh.web.pages.common import CSRF_FIELD, PageUser, check_csrf, redirect, render, render_string

router = APIRouter(include_in_schema=False)

STREAM_INTERVAL_SECONDS = 1.0
SEGMENTS_PER_PAGE = 500
ROWS_PER_PAGE = 200
_NOTICES = {"closed": "사건을 종료했습니다. 종료된 사건은 '종료' 필터에서 볼 수 있습니다.",
            "deleted": "증거를 삭제했습니다.", "created": "사건을 만들었습니다. 이제 증거를 업로드하세요."}


@router.get("/cases")
def case_list(request: Request, c: ContainerDep, db: DbDep, user: PageUser, q: str | None = None,
              status: str = Query("active", pattern="^(active|closed|all)$"), notice: str | None = None,
              offset: int = Query(0, ge=0)) -> Response:
    """My cases with evidence counts, a page at a time; htmx asks for just the table while the user types, and
    for the next rows (`offset`) from the "더 보기" row."""
    page = web_views.case_rows_page(c, db, user, status=status, q=(q or "").strip() or None, offset=offset)
    ctx: dict[str, Any] = {**page, "q": q or "", "status": status, "notice": _NOTICES.get(notice or ""),
                           "error": None, "form": {"title": "", "description": ""}}
    if offset and request.headers.get("hx-request"):
        return render(request, "_case_rows.html", **ctx)
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
        page = web_views.case_rows_page(c, db, user, status="active", q=None)
        return render(request, "cases.html", status_code=exc.http_status, **page, q="", status="active", notice=None,
                      error=exc.message_ko, form={"title": title, "description": description})
    db.commit()
    audit(AuditAction.CASE_CREATE, object_type="case", object_id=case.id, detail={"title": case.title, "via": "web"})
    return redirect(f"/cases/{case.id}?notice=created")


@router.get("/cases/{case_id}")
def case_page(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep,
              notice: str | None = None) -> Response:
    """One case, every panel rendered from the URL: header, upload, evidence table (first page, kept live over
    server-sent events), timeline (?ground, type, from, to, speaker), search (?q), the open segment (?open=ID:SEQ),
    ask, and the draft (?draft=ID, default the latest). Back, reload and a shared link show the same state."""
    view = web_views.case_view(c, db, user, case_id)
    audit(AuditAction.CASE_VIEW, object_type="case", object_id=case_id, detail={"via": "web"})
    state = panels.url_state(request.query_params)
    names = {r["evidence_id"]: r["filename"] for r in view["evidence"]}
    ctx = panels.panels_context(c, db, user, audit, case_id, state, names, can_write=_writable(view))
    page = _rows_page(view["evidence"], 0, case_id)
    shown = page["rows"]
    live_url = "/cases/{}/stream?{}".format(case_id, urlencode(
        {"since": now_iso(), "cutoff": shown[-1]["uploaded_at"] or "" if page["next_offset"] else ""}))
    return render(request, "case.html", **view, can_write=_writable(view), is_owner=view["my_role"] == "owner",
                  notice=_NOTICES.get(notice or ""), live_url=live_url, **ctx, **page)


def _writable(view: dict[str, Any]) -> bool:
    return view["my_role"] in ("owner", "member") and view["case"]["status"] == "active"


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
    return render(request, "_evidence_rows.html", can_write=_writable(view),
                  **_rows_page(view["evidence"], offset, case_id))


@router.post("/cases/{case_id}/close")
async def case_close(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep) -> Response:
    """Close the case (owner only, after the confirm dialog)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    case = case_svc.close_case(db, c.index, user, case_id)
    audit(AuditAction.CASE_CLOSE, object_type="case", object_id=case.id, detail={"via": "web"})
    return redirect("/cases?notice=closed")


@router.get("/cases/{case_id}/stream")
async def case_stream(case_id: str, request: Request, c: ContainerDep, since: str = "", cutoff: str = "") -> Response:
    """Server-sent events for the case page, HTML only (htmx's sse extension swaps it in):

    `rows`: out-of-band swaps of the evidence rows whose state changed (a new upload goes on top, a deleted one
    leaves) and the counters; `evidence-done`: something finished processing (the timeline and an empty draft
    panel reload themselves). `since` is when the page was rendered (rows added after it are new to the page),
    `cutoff` the upload time of the oldest row the page rendered (older rows are not on the page).
    A reconnecting browser sends the last event's id, which is the time of that event.
    """
    token = request.cookies.get(SESSION_COOKIE) or ""
    since = request.headers.get("last-event-id") or since

    def allowed() -> tuple[bool, bool]:
        """Whether the session may still see this case, and may change it (the retry buttons)."""
        with c.sessions() as db:
            try:
                user, _ = accounts.user_for_token(db, token, c.settings)
                case = case_svc.require_case(db, user, case_id)
                member = case_svc.membership(db, user, case_id)
            except LehError:
                return False, False
        return True, member is not None and member.role in ("owner", "member") and case.status == "active"

    ok, can_write = await run_in_threadpool(allowed)
    if not ok:
        return Response(status_code=204)  # EventSource stops reconnecting; the page shows it is offline

    feed = _RowFeed(c, case_id, since=since, cutoff=cutoff, can_write=can_write)

    async def events() -> AsyncIterator[dict[str, str]]:
        """Push changes once a second until the browser goes away or access ends."""
        first = True
        while not await request.is_disconnected():
            if not (await run_in_threadpool(allowed))[0]:
                yield {"event": "ended", "data": ""}
                return
            out = await run_in_threadpool(feed.tick, first)
            first = False
            if out is not None:
                html, finished, stamp = out
                yield {"event": "rows", "data": html, "id": stamp}
                if finished:
                    yield {"event": "evidence-done", "data": ""}
            await asyncio.sleep(STREAM_INTERVAL_SECONDS)

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})


class _RowFeed:
    """What the case stream pushes: rows whose state changed since the last tick, as out-of-band HTML swaps.

    `since` is when the page was rendered (rows added after it are new to the page), `cutoff` the upload time of
    the oldest row the page rendered (older rows are not on the page).
    """

    def __init__(self, c: Ports, case_id: str, *, since: str, cutoff: str, can_write: bool):
        self.c, self.case_id, self.since, self.cutoff, self.can_write = c, case_id, since, cutoff, can_write
        self.sent: dict[str, dict[str, Any]] = {}
        self.inserted: set[str] = set()
        self.stamp = since
        self.counts: dict[str, int] | None = None

    def tick(self, first: bool) -> tuple[str, bool, str] | None:
        """The `rows` event's HTML, whether something finished, and the event id; None when nothing changed."""
        stamp = now_iso()
        current = web_views.live_rows(self.c, self.case_id)
        counts = web_views.case_counts(self.c, self.case_id)
        changed = self._changed(first, current, counts)
        self.sent = current
        self.stamp, self.counts = stamp, counts
        if not changed:
            return None
        parts = [part for row in changed.values() if (part := self._part(row)) is not None]
        finished = any(row["status"] == "done" for row in changed.values())
        html = render_string("_live_rows.html", parts=parts, counts=counts, can_write=self.can_write)
        return html, finished, stamp

    def _changed(self, first: bool, current: dict[str, dict[str, Any]], counts: dict[str, int]) -> dict[str, dict[str, Any]]:
        c, case_id = self.c, self.case_id
        if first:
            return web_views.changed_since(c, case_id, self.since) if self.since else dict(current)
        changed = {eid: row for eid, row in current.items() if self.sent.get(eid) != row}
        gone = set(self.sent) - set(current)
        finals = web_views.departed_states(c, case_id, gone)
        changed.update({eid: finals.get(eid) or {"evidence_id": eid, "status": "deleted"} for eid in gone})
        if counts != self.counts:
            # Something may have come and finished between two ticks (a small file takes a fraction of a
            # second): whatever changed status since the last tick is sent too.
            for eid, row in web_views.changed_since(c, case_id, self.stamp).items():
                changed.setdefault(eid, row)
        return changed

    def _on_page(self, row: dict[str, Any]) -> bool:
        return row["evidence_id"] in self.inserted or not self.cutoff or (row.get("uploaded_at") or "") >= self.cutoff

    def _part(self, row: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """("insert" | "update" | "delete", row), or None when the row is not on the page."""
        eid = row["evidence_id"]
        new = bool(self.since) and (row.get("uploaded_at") or "") > self.since
        if row["status"] == "deleted":
            shown = eid in self.inserted or (not new and self._on_page(row))
            self.inserted.discard(eid)
            return ("delete", row) if shown else None
        if new and eid not in self.inserted:
            self.inserted.add(eid)
            return ("insert", row)
        return ("update", row) if self._on_page(row) else None


@router.post("/cases/{case_id}/evidence/{evidence_id}/retry")
def evidence_retry(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                   audit: AuditDep) -> Response:
    """Queue a failed evidence again (the 재시도 button): htmx gets the table row, other callers JSON."""
    check_csrf(request)
    row = web_views.retry_evidence(c, db, user, case_id, evidence_id)
    audit(AuditAction.EVIDENCE_RETRY, object_type="evidence", object_id=evidence_id, detail={"case_id": case_id, "via": "web"})
    if request.headers.get("hx-request"):
        return render(request, "_evidence_row.html", e=row, can_write=True)
    return JSONResponse({"item": row})


def _evidence_page_of(c: ContainerDep, db: DbDep, user: PageUser, case_id: str, evidence_id: str, *, offset: int,
                      limit: int, seq: int | None = None) -> tuple[dict[str, Any], int, int]:
    """The evidence with the segments [offset, offset + limit) (404 unless the user may see it, in this case), how
    many segments it has and the offset read. With `seq`, the page that holds that segment: segments are
    numbered by position almost always, so its page is read first, and the whole list only when it is elsewhere."""
    if seq is not None and seq >= 0:
        offset = seq // limit * limit
    doc, total = evidence_svc.get_evidence_page(db, c.evidence, user, evidence_id, PageRequest(offset, limit))
    if doc["case_id"] != case_id:
        raise NotFound("EVIDENCE_NOT_FOUND")
    if seq is not None and not any(s.get("seq") == seq for s in doc["segments"]):
        full = evidence_svc.get_evidence_for(db, c.evidence, user, evidence_id)["segments"]
        index = next((i for i, s in enumerate(full) if s.get("seq") == seq), None)
        if index is not None:
            offset = index // limit * limit
            doc["segments"] = full[offset:offset + limit]
    return dict(doc), total, offset


def _seg_labels(doc: Mapping[str, Any]) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {}
    for label in doc.get("labels") or []:
        for seq in label.get("segments") or []:
            out.setdefault(seq, []).append(label)
    return out


def _more(offset: int, shown: int, total: int) -> dict[str, Any]:
    end = offset + shown
    return {"more_offset": end if end < total else None, "more_remaining": max(0, total - end)}


@router.get("/cases/{case_id}/evidence/{evidence_id}")
def evidence_page(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                  audit: AuditDep, page: int = Query(1, ge=1), seq: int | None = None, notice: str | None = None,
                  error: str | None = None, at: str | None = None) -> Response:
    """One evidence: one page of segments with labels ("더 보기" appends the next), summary, original, info;
    `seq` opens the page holding it. Only the shown segments are read from the evidence store."""
    doc, total, offset = _evidence_page_of(c, db, user, case_id, evidence_id, offset=(page - 1) * SEGMENTS_PER_PAGE,
                                           limit=SEGMENTS_PER_PAGE, seq=seq)
    pages = max(1, -(-total // SEGMENTS_PER_PAGE))
    if offset >= total > 0:  # past the last page: show the last one
        doc, total, offset = _evidence_page_of(c, db, user, case_id, evidence_id, offset=(pages - 1) * SEGMENTS_PER_PAGE,
                                               limit=SEGMENTS_PER_PAGE)
    page = offset // SEGMENTS_PER_PAGE + 1
    case = case_svc.require_case(db, user, case_id)
    member = case_svc.membership(db, user, case_id)
    audit(AuditAction.EVIDENCE_VIEW, object_type="evidence", object_id=evidence_id, detail={"case_id": case_id, "via": "web"})
    shown = doc["segments"]
    # A label's link opens the page of its first segment (by position; `?seq=` finds it wherever it is).
    labels = [{**lb, "page": int((lb.get("segments") or [0])[0]) // SEGMENTS_PER_PAGE + 1} for lb in doc.get("labels") or []]
    url = evidence_svc.download_url(c.objects, doc) if doc["status"] != "uploading" else None
    # An inline preview only of what LEH renders itself, by the type detected from the bytes (never the name).
    preview = originals.preview_kind(doc) if url else None
    preview_url = evidence_svc.download_url(c.objects, doc, inline=True) if preview else None
    writable = member is not None and member.role in ("owner", "member") and case.status == "active"
    return render(request, "evidence.html", case=case_svc.case_public(case), doc=doc, segments=shown,
                  seg_labels=_seg_labels(doc), labels=labels, page=page, pages=pages, segments_total=total,
                  download_url=url, preview=preview, preview_url=preview_url,
                  url_seconds=evidence_svc.DOWNLOAD_URL_SECONDS, can_write=writable,
                  **_more(offset, len(shown), total),
                  **who.evidence_context(c.evidence, doc, parties_svc.load(db, case_id), notice, error, at))


@router.get("/cases/{case_id}/evidence/{evidence_id}/segments")
def evidence_segments(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                      audit: AuditDep, offset: int = Query(0, ge=0)) -> Response:
    """The next chunk of the evidence page's segments and its own "더 보기" row (htmx partial)."""
    limit = c.settings.segments_page_default
    doc, total, offset = _evidence_page_of(c, db, user, case_id, evidence_id, offset=offset, limit=limit)
    case = case_svc.require_case(db, user, case_id)
    member = case_svc.membership(db, user, case_id)
    audit(AuditAction.EVIDENCE_VIEW, object_type="evidence", object_id=evidence_id,
          detail={"case_id": case_id, "offset": offset, "via": "web"})
    writable = member is not None and member.role in ("owner", "member") and case.status == "active"
    return render(request, "_evidence_segments.html", case=case_svc.case_public(case), doc=doc,
                  segments=doc["segments"], seg_labels=_seg_labels(doc), can_write=writable,
                  **_more(offset, len(doc["segments"]), total),
                  **who.evidence_context(c.evidence, doc, parties_svc.load(db, case_id), None, None))


@router.post("/cases/{case_id}/evidence/{evidence_id}/delete")
async def evidence_delete(case_id: str, evidence_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                          audit: AuditDep) -> Response:
    """Soft-delete the evidence after the confirm dialog."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    doc = evidence_svc.get_evidence_for(db, c.evidence, user, evidence_id, write=True)
    if doc["case_id"] != case_id:
        raise NotFound("EVIDENCE_NOT_FOUND")
    evidence_svc.delete_evidence(db, c.evidence, c.index, user, evidence_id)
    audit(AuditAction.EVIDENCE_DELETE, object_type="evidence", object_id=evidence_id, detail={"case_id": case_id, "via": "web"})
    return redirect(f"/cases/{case_id}?notice=deleted")
