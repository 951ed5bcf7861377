"""Live processing state: a JSON snapshot and a server-sent-events stream of it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from leh.api.deps import ContainerDep, CurrentUser, DbDep, EvidenceDep, PageDep, QueueDep, token_from
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.api.schemas import Progress
from leh.domain.errors import LehError
from leh.domain.paging import cut
from leh.services import accounts
from leh.services.progress import snapshot

router = APIRouter(prefix="/api/staff", tags=["staff"], responses=ERROR_RESPONSES)
STREAM_INTERVAL_SECONDS = 1.0
_STREAM_DOC: dict[int | str, dict[str, Any]] = {200: {"description": "Server-sent events", "content": {
    "text/event-stream": {"schema": {"type": "string", "description": "`event: progress` whenever it changes, "
                                     "with the Progress object (as from GET /api/staff/progress) as JSON in `data`"}}}}}


@router.get("/progress", response_model=Envelope[Progress])
def progress(request: Request, evidence: EvidenceDep, queue: QueueDep, db: DbDep, user: CurrentUser,
             page: PageDep) -> Response:
    """One page of the in-flight `items` (oldest first; `items_total`, `meta.page`); counts are of every item."""
    snap = snapshot(db, evidence, queue, user)
    snap["items"], info = cut(snap["items"], page)
    snap["items_total"] = info["total"]
    return ok(request, snap, page=info)


@router.get("/progress/stream", response_class=EventSourceResponse, responses=_STREAM_DOC)
async def progress_stream(request: Request, c: ContainerDep, user: CurrentUser) -> Response:
    """Pushes the snapshot when it changes; every tick re-checks the session, so the stream ends (`event: ended`)
    as soon as the user is blocked, logs out or the token expires."""
    token = token_from(request)[0] or ""

    def take() -> dict[str, Any] | None:
        with c.sessions() as db:
            try:
                current, _ = accounts.user_for_token(db, token, c.settings)
            except LehError:
                return None
            snap = snapshot(db, c.evidence, c.queue, current)
        # The stream carries the first page of items, as GET /api/staff/progress without offset.
        snap["items_total"] = len(snap["items"])
        snap["items"] = snap["items"][:c.settings.page_limit_default]
        return snap

    async def events() -> AsyncIterator[dict[str, str]]:
        last = None
        while not await request.is_disconnected():
            snap = await run_in_threadpool(take)
            if snap is None:
                yield {"event": "ended", "data": ""}
                return
            body = json.dumps({k: v for k, v in snap.items() if k != "generated_at"}, ensure_ascii=False, sort_keys=True)
            if body != last:
                last = body
                yield {"event": "progress", "data": json.dumps(snap, ensure_ascii=False)}
            await asyncio.sleep(STREAM_INTERVAL_SECONDS)

    return EventSourceResponse(events(), ping=15)
