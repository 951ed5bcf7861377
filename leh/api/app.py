"""The FastAPI application: routers, error mapping, request ids and security headers."""

from __future__ import annotations

import re
import time
import uuid

from fastapi import FastAPI, Request
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from leh.api import (
    admin,
    ask,
    auth,
    cases,
    corrections,
    drafts,
    evidence,
    health,
    objects,
    ops,
    parties,
    search,
    staff,
    timeline,
)
from leh.api.errors import install_error_handlers
from leh.config import Settings
from leh.container import Container
from leh.domain.originals import OBJECT_HEADERS

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; object-src 'none'; "
    "form-action 'self'; base-uri 'none'",
}
# A client-chosen request id goes into audit rows and logs: only a short token of safe characters is kept.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContext(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        sent = request.headers.get("x-request-id") or ""
        request.state.request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        start = time.perf_counter()
        response = await call_next(request)
        if request.url.path.startswith("/api/objects/"):
            # Uploaded bytes and their errors alike: a sandboxed origin that can run nothing (leh.domain.originals).
            response.headers.update(OBJECT_HEADERS)
        response.headers["X-Request-ID"] = request.state.request_id
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
        for k, v in _SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def create_app(container: Container | None = None, settings: Settings | None = None) -> FastAPI:
    container = container or Container(settings or Settings())
    app = FastAPI(title="LEH — Legal Evidence Hub", version="0.1.0", openapi_url="/api/openapi.json",
                  docs_url="/api/docs", redoc_url=None)
    app.state.container = container
    app.add_middleware(RequestContext)
    for module in (health, auth, cases, evidence, corrections, objects, search, staff, admin, ops, drafts, timeline, ask,
                   parties):
        app.include_router(module.router)
    html_handler = None
    try:
        from leh.web import pages

        app.include_router(pages.router)
        pages.mount_static(app)
        html_handler = pages.html_error
    except ImportError:  # the web UI is optional for API-only deployments
        pass
    install_error_handlers(app, html_handler)
    return app
