"""The case page's panels as server-rendered partials (htmx): timeline, search, the open segment, ask and draft.

Each panel is rendered on the full page from the URL (`url_state`) and again alone when htmx asks; a panel that
changes what the page shows answers with `HX-Push-Url`, the page's URL with that panel's part replaced, so back,
reload and a shared link show the same state. The routes call the same services as the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from leh.adapters.docx_export import DOCX_MEDIA_TYPE
from leh.analysis.draft_writer import Claims
from leh.api.deps import AuditDep, ContainerDep, DbDep
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.draft.kinds import KIND_NAMES, default_kind, kinds_for
from leh.domain.errors import LehError, NotFound, ValidationFailed
from leh.domain.paging import PageRequest
from leh.models import User
from leh.services import drafts as draft_svc
from leh.services import evidence as evidence_svc
from leh.services import parties as case_parties
from leh.services.ask import MAX_QUESTION_CHARS, NO_ANSWER, ask, party_names
from leh.services.cases import membership, require_case
from leh.services.search import search_case
from leh.services.timeline import case_timeline
from leh.web import views as web_views
from leh.web.pages.common import PageUser, check_csrf, env, render

router = APIRouter(include_in_schema=False)

TIMELINE_KEYS = ("ground", "type", "from", "to", "speaker")
STATE_KEYS = (*TIMELINE_KEYS, "q", "open", "draft")
SEARCH_LIMIT = 30
TIMELINE_ROWS = 200  # events per page of the timeline panel ("더 보기" loads the next)
SEGMENT_CONTEXT = 2  # messages shown before and after the open one
ERROR_HEADER = "X-Leh-Partial"  # app.js swaps error responses that carry it (a panel that explains the error)
CLAIMS = ("alimony", "property_division", "custody", "child_support")

Audit = Callable[..., None]


def url_state(params: Mapping[str, str]) -> dict[str, str]:
    """The case page's state from its query string: timeline filters, search query, open segment, draft."""
    return {k: str(params.get(k) or "").strip()[:500] for k in STATE_KEYS if str(params.get(k) or "").strip()}


def push_url(request: Request, case_id: str, changes: Mapping[str, str]) -> str:
    """The page's current URL (from htmx's HX-Current-URL) with `changes` applied; empty values are dropped."""
    base = f"/cases/{case_id}"
    current = urlsplit(request.headers.get("hx-current-url") or "")
    state = url_state(dict(parse_qsl(current.query))) if current.path == base else {}
    for key, value in changes.items():
        if value:
            state[key] = value
        else:
            state.pop(key, None)
    ordered = {k: state[k] for k in STATE_KEYS if k in state}
    return base + ("?" + urlencode(ordered) if ordered else "")


def marked(snippet: Any) -> Markup:
    """A search snippet whose only markup is <mark>: everything else is escaped."""
    text = str(escape(str(snippet or "")))
    return Markup(text.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


def highlighted(text: Any, marks: Any) -> Markup:
    """A search hit's plain `snippet_text` with its `marks` ([start, end) offsets) in <mark>, escaped here at
    render time: nothing of the evidence's text is ever markup."""
    text = str(text or "")
    out: list[str] = []
    pos = 0
    for start, end in sorted((int(a), int(b)) for a, b in marks or []):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(f"{escape(text[pos:start])}<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def evidence_href(case_id: str, evidence_id: str, seq: Any = None) -> str:
    """The evidence page, opened at one segment when `seq` is given."""
    url = f"/cases/{case_id}/evidence/{evidence_id}"
    return url if seq is None else f"{url}?seq={seq}#seg-{seq}"


def open_href(case_id: str, state: Mapping[str, str], evidence_id: str, seq: Any) -> str:
    """This page with one segment open (what a 미리보기 link points to without htmx)."""
    merged = {**{k: v for k, v in state.items() if k != "open"}, "open": f"{evidence_id}:{seq}"}
    return f"/cases/{case_id}?" + urlencode({k: merged[k] for k in STATE_KEYS if k in merged}) + f"#seg-{seq}"


def _error(exc: LehError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message_ko, "status": exc.http_status}


env().globals.update(marked=marked, highlighted=highlighted, evidence_href=evidence_href, open_href=open_href)


# ---------------------------------------------------------------------------------------------- panel models
def timeline_panel(c: Container, case_id: str, state: Mapping[str, str], offset: int = 0) -> dict[str, Any]:
    """One page of the timeline (TIMELINE_ROWS events from `offset`) with where the next starts."""
    filters = {k: state.get(k, "") for k in TIMELINE_KEYS}
    try:
        items = case_timeline(c.evidence, case_id, timezone=c.settings.timezone, ground=filters["ground"] or None, date_from=filters["from"] or None,
                              date_to=filters["to"] or None, type=filters["type"] or None,
                              speaker=filters["speaker"] or None)
        error = None
    except LehError as exc:
        items, error = [], _error(exc)
    end = offset + TIMELINE_ROWS
    return {"items": items[offset:end], "total": len(items), "next_offset": end if end < len(items) else None,
            "remaining": max(0, len(items) - end), "filters": filters, "filtered": any(filters.values()), "error": error}


def search_panel(c: Container, case_id: str, q: str, audit: Audit) -> dict[str, Any]:
    if not q:
        return {"q": "", "hits": None, "error": None}
    try:
        with c.sessions() as db:
            aliases = case_parties.alias_map(case_parties.load(db, case_id))
        hits = search_case(c.index, case_id, q, limit=SEARCH_LIMIT, aliases=aliases, evidence=c.evidence)
    except LehError as exc:
        return {"q": q, "hits": None, "error": _error(exc)}
    audit(AuditAction.CASE_SEARCH, object_type="case", object_id=case_id, detail={"results": len(hits), "via": "web"})
    return {"q": q, "hits": hits, "error": None}


def segment_panel(c: Container, db: Session, user: User, case_id: str, open_: str, audit: Audit) -> dict[str, Any]:
    """The open segment with its neighbours (`open` is EVIDENCE_ID:SEQ)."""
    if not open_:
        return {"open": None}
    evidence_id, _, seq_text = open_.partition(":")
    try:
        try:
            seq = int(seq_text)
        except ValueError as exc:
            raise NotFound("SEGMENT_NOT_FOUND", "열 구간을 찾을 수 없습니다. 링크를 다시 확인해주세요.") from exc
        # Segments are numbered by position almost always: read the neighbourhood only, the whole list otherwise.
        start = max(0, seq - SEGMENT_CONTEXT)
        doc: Mapping[str, Any] = evidence_svc.get_evidence_page(
            db, c.evidence, user, evidence_id, PageRequest(start, 2 * SEGMENT_CONTEXT + 1))[0]
        if doc["case_id"] != case_id:
            raise NotFound("EVIDENCE_NOT_FOUND")
        segments = doc.get("segments") or []
        if not any(s.get("seq") == seq for s in segments):
            segments = evidence_svc.get_evidence_for(db, c.evidence, user, evidence_id).get("segments") or []
        index = next((i for i, s in enumerate(segments) if s.get("seq") == seq), None)
        if index is None:
            raise NotFound("SEGMENT_NOT_FOUND", "열 구간을 찾을 수 없습니다. 증거가 다시 처리되었을 수 있습니다.")
    except LehError as exc:
        return {"open": open_, "error": _error(exc)}
    labels: dict[Any, list[dict[str, Any]]] = {}
    for label in doc.get("labels") or []:
        for s in label.get("segments") or []:
            labels.setdefault(s, []).append(label)
    audit(AuditAction.EVIDENCE_VIEW, object_type="evidence", object_id=evidence_id,
          detail={"case_id": case_id, "seq": seq, "via": "web"})
    shown = segments[max(0, index - SEGMENT_CONTEXT): index + SEGMENT_CONTEXT + 1]
    return {"open": open_, "error": None, "seq": seq, "doc": {"evidence_id": evidence_id, "filename": doc.get("filename"),
            "type": doc.get("type")}, "segments": shown, "seg_labels": labels}


def kind_choice(db: Session, case_id: str, chosen: str | None = None) -> dict[str, Any]:
    """The draft kinds the lawyer may pick for this client (two for a defendant: 반소장 or 답변서; none to pick for a
    plaintiff), which one is ticked (the shown draft's, else the side's default) and every kind's Korean name."""
    side = case_parties.load(db, case_id).client_side
    allowed = kinds_for(side)
    ticked = chosen if chosen in allowed else str(default_kind(side))
    return {"kinds": [{"value": str(k), "label": KIND_NAMES[k]} for k in allowed], "kind": ticked,
            "kind_names": {str(k): v for k, v in KIND_NAMES.items()}}


def draft_panel(c: Container, db: Session, user: User, case_id: str, draft_id: str | None, audit: Audit,
                notice: str | None = None) -> dict[str, Any]:
    """The shown draft (default the latest) and the version history, or why there is none."""
    try:
        draft = draft_svc.get(db, c.evidence, user, case_id, draft_id or None)
    except LehError as exc:
        if exc.code not in ("DRAFT_NOT_FOUND", "NO_PROCESSED_EVIDENCE"):
            raise
        if exc.code == "DRAFT_NOT_FOUND":  # a link to a draft that is not (or no longer) this case's
            message = ("이 링크의 초안을 찾을 수 없습니다. 아래 생성 기록에서 초안을 고르거나 새로 생성하세요."
                       if draft_id else "아직 생성한 초안이 없습니다.")
        else:
            message = exc.message_ko
        return {"draft": None, "history": draft_svc.history(db, user, case_id) if draft_id else [],
                "status": message, "status_error": bool(draft_id), "empty": True, **kind_choice(db, case_id)}
    audit(AuditAction.DRAFT_VIEW, object_type="case", object_id=case_id, detail={"draft_id": draft["draft_id"], "via": "web"})
    return {"draft": draft, "history": draft_svc.history(db, user, case_id), "status": notice or "",
            "status_error": False, "empty": False, **kind_choice(db, case_id, draft.get("kind"))}


def panels_context(c: Container, db: Session, user: User, audit: Audit, case_id: str, state: Mapping[str, str],
                   names: dict[str, str], *, can_write: bool) -> dict[str, Any]:
    """What the case page renders for this URL state. Search and the open segment are rendered with the page;
    the timeline and the draft read every processed document, so the page carries their frames (the filters
    from the URL) and htmx loads them right after (`load`), keeping the page itself fast on a large case."""
    filters = {k: state.get(k, "") for k in TIMELINE_KEYS}
    return {"state": dict(state), "names": names,
            "timeline": {"items": [], "total": 0, "next_offset": None, "remaining": 0, "filters": filters,
                         "filtered": any(filters.values()), "error": None, "pending": True},
            "search": search_panel(c, case_id, state.get("q", ""), audit),
            "segment": segment_panel(c, db, user, case_id, state.get("open", ""), audit),
            "drafts": {"pending": True, "draft_id": state.get("draft", "")},
            "ask": None, "question": "", "MAX_QUESTION_CHARS": MAX_QUESTION_CHARS}


def _partial(request: Request, name: str, case_id: str, *, status: int = 200, push: Mapping[str, str] | None = None,
             **ctx: Any) -> HTMLResponse:
    response = render(request, name, status_code=status, case={"id": case_id}, case_id=case_id, **ctx)
    if status >= 400:
        response.headers[ERROR_HEADER] = "error"
    if push is not None and request.headers.get("hx-request"):
        response.headers["HX-Push-Url"] = push_url(request, case_id, push)
    return response


def _state_of(request: Request) -> dict[str, str]:
    """The page's state as htmx sees it (the panel routes render links that keep the rest of it)."""
    current = urlsplit(request.headers.get("hx-current-url") or "")
    return url_state(dict(parse_qsl(current.query)))


# ---------------------------------------------------------------------------------------------- routes
@router.get("/cases/{case_id}/timeline")
def timeline(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, live: str = "",
             offset: int = Query(0, ge=0)) -> Response:
    """The timeline panel for the filters in the query; `live=1` (a refresh after processing) keeps the URL;
    `offset` answers only the events of that page (the "더 보기" row)."""
    require_case(db, user, case_id)
    filters = {k: str(request.query_params.get(k) or "").strip() for k in TIMELINE_KEYS}
    state = {**_state_of(request), **filters}
    panel = timeline_panel(c, case_id, state, offset)
    if offset:
        return _partial(request, "_timeline_items.html", case_id, tl=panel, state=url_state(state))
    status = panel["error"]["status"] if panel["error"] else 200
    return _partial(request, "_timeline.html", case_id, status=status, push=None if live else filters,
                    timeline=panel, state=url_state(state), speakers=web_views.case_speakers(c, case_id))


@router.get("/cases/{case_id}/search")
def search(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep,
           q: str = "") -> Response:
    """Search results for `q` (the URL keeps the query)."""
    require_case(db, user, case_id)
    q = q.strip()[:500]
    panel = search_panel(c, case_id, q, audit)
    state = {**_state_of(request), "q": q}
    return _partial(request, "_search.html", case_id, status=panel["error"]["status"] if panel["error"] else 200,
                    push={"q": q}, search=panel, state=url_state(state), names=web_views.filenames(c, case_id))


@router.get("/cases/{case_id}/segment")
def segment(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep,
            open: str = "") -> Response:
    """The open segment panel (`open=EVIDENCE_ID:SEQ`; empty closes it)."""
    require_case(db, user, case_id)
    panel = segment_panel(c, db, user, case_id, open.strip(), audit)
    status = panel["error"]["status"] if panel.get("error") else 200
    return _partial(request, "_segment.html", case_id, status=status, push={"open": open.strip()}, segment=panel)


@router.post("/cases/{case_id}/ask")
async def ask_case(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                   audit: AuditDep) -> Response:
    """An answer from the case's evidence only, with its citations (not kept in the URL: it is a question)."""
    form = await request.form()
    check_csrf(request)
    require_case(db, user, case_id)
    question = str(form.get("question") or "").strip()
    try:
        if not question:
            raise ValidationFailed(message_ko="질문을 입력해주세요.")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValidationFailed(message_ko=f"질문은 {MAX_QUESTION_CHARS}자 이내로 입력해주세요.")
        result = ask(c.evidence, c.index, c.answerer, case_id, question, user_id=user.id,
                     parties=party_names(case_parties.load(db, case_id)))
    except LehError as exc:
        return _partial(request, "_ask.html", case_id, status=exc.http_status, ask=None, ask_error=_error(exc),
                        question=question, names={})
    # The question itself is not audited: it may name people and facts; what was answered is enough.
    audit(AuditAction.CASE_ASK, object_type="case", object_id=case_id,
          detail={"answered": result["answer"] != NO_ANSWER, "citations": len(result["citations"]), "via": "web"})
    return _partial(request, "_ask.html", case_id, ask=result, ask_error=None, question=question,
                    names=web_views.filenames(c, case_id), state=_state_of(request))


@router.get("/cases/{case_id}/draft")
def draft(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep,
          draft_id: str = "", live: str = "") -> Response:
    """The draft panel showing one version (default the latest); the URL keeps which."""
    case = require_case(db, user, case_id)
    panel = draft_panel(c, db, user, case_id, draft_id or None, audit)
    status = 404 if panel["status_error"] else 200
    return _partial(request, "_draft.html", case_id, status=status, push=None if live else {"draft": draft_id},
                    drafts=panel, can_write=_can_write(db, user, case_id, case.status))


@router.post("/cases/{case_id}/draft")
async def draft_generate(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: PageUser,
                         audit: AuditDep) -> Response:
    """Generate a new draft version from the ticked claims and show it (the URL drops any older version)."""
    form = await request.form()
    check_csrf(request)
    case = require_case(db, user, case_id)
    claims = Claims(**{k: form.get(k) in ("on", "true", "1") for k in CLAIMS})
    kind = str(form.get("kind") or "") or None
    try:
        made = draft_svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case_id, claims, kind)
    except LehError as exc:
        if exc.http_status == 404:
            raise
        db.rollback()
        panel: dict[str, Any] = {"draft": None, "history": draft_svc.history(db, user, case_id), "status": exc.message_ko,
                 "status_error": True, "empty": False, "code": exc.code, **kind_choice(db, case_id, kind)}
        return _partial(request, "_draft.html", case_id, status=exc.http_status, drafts=panel,
                        can_write=_can_write(db, user, case_id, case.status), claims=claims.to_dict())
    db.commit()
    engine = made.get("engine") or {}
    audit(AuditAction.DRAFT_GENERATE, object_type="case", object_id=case_id,
          detail={"draft_id": made["draft_id"], "kind": made["kind"], "evidence": len(made["evidence_ids"]),
                  "exhibits": len(made["exhibits"]),
                  "engine": engine.get("name"), "dropped_sentences": engine.get("dropped_sentences", 0), "via": "web"})
    panel = {"draft": made, "history": draft_svc.history(db, user, case_id),
             "status": "초안을 만들었습니다. 변호사의 검토 후 사용하세요.", "status_error": False, "empty": False,
             **kind_choice(db, case_id, made["kind"])}
    return _partial(request, "_draft.html", case_id, status=201, push={"draft": ""}, drafts=panel,
                    can_write=True, claims=claims.to_dict())


@router.get("/cases/{case_id}/draft.docx")
def draft_docx(case_id: str, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep,
               draft_id: str | None = None) -> Response:
    """The .docx of one draft version (default the latest), as a download."""
    data, shown = draft_svc.export_docx(db, c.evidence, c.docx_renderer, user, case_id, draft_id or None)
    audit(AuditAction.DRAFT_EXPORT, object_type="case", object_id=case_id, detail={"draft_id": shown["draft_id"], "via": "web"})
    disposition = draft_svc.download_disposition(shown, datetime.now(UTC).strftime("%Y%m%d"))
    return Response(content=data, media_type=DOCX_MEDIA_TYPE,
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def _can_write(db: Session, user: User, case_id: str, case_status: str) -> bool:
    member = membership(db, user, case_id)
    return member is not None and member.role in ("owner", "member") and case_status == "active"
