"""/staff/progress: processing state rendered on the server and pushed again as HTML over server-sent events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from leh.api.deps import SESSION_COOKIE, ContainerDep, DbDep
from leh.domain.errors import LehError
from leh.services import accounts
from leh.web import views as web_views
from leh.web.pages.common import PageUser, render, render_string

router = APIRouter(include_in_schema=False)
STREAM_INTERVAL_SECONDS = 1.0


@router.get("/staff/progress")
def progress_page(request: Request, c: ContainerDep, db: DbDep, user: PageUser) -> Response:
    """The live processing table, rendered on the server (deep links and refresh always work)."""
    view = web_views.progress_view(c, db, user)
    return render(request, "progress.html", view=view)


@router.get("/staff/progress/stream")
async def progress_stream(request: Request, c: ContainerDep) -> Response:
    """Event `progress`: the live panel's HTML, sent whenever it changes (at most once a second)."""
    token = request.cookies.get(SESSION_COOKIE) or ""
    meter = web_views.ThroughputMeter()

    def panel() -> str | None:
        """The live panel's HTML for this viewer, or None once the session is no longer valid."""
        with c.sessions() as db:
            try:
                user, _ = accounts.user_for_token(db, token, c.settings)
            except LehError:
                return None
            view = web_views.progress_view(c, db, user, meter)
        return render_string("_progress_live.html", view=view)

    first = await run_in_threadpool(panel)
    if first is None:
        return Response(status_code=204)

    async def events() -> AsyncIterator[dict[str, str]]:
        """Yield the panel whenever it changed, once a second, until the browser goes away."""
        html: str | None = first
        last = None
        while html is not None and not await request.is_disconnected():
            if html != last:
                last = html
                yield {"event": "progress", "data": html}
            await asyncio.sleep(STREAM_INTERVAL_SECONDS)
            html = await run_in_threadpool(panel)
        yield {"event": "ended", "data": ""}

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})

