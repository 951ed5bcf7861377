"""Liveness and readiness: `/api/health` answers while the process lives; `/ready` checks every port."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import Response

from leh.api.deps import ContainerDep
from leh.api.responses import UNEXPECTED_ERROR, Envelope, ok
from leh.api.schemas import Health, Readiness

router = APIRouter(prefix="/api/health", tags=["health"], responses=UNEXPECTED_ERROR)


@router.get("", response_model=Envelope[Health])
def health(request: Request) -> Response:
    return ok(request, {"status": "ok"})


@router.get("/ready", response_model=Envelope[Readiness],
            responses={503: {"model": Envelope[Readiness], "description": "A port failed its check"}})
def ready(request: Request, c: ContainerDep) -> Response:
    checks: dict[str, str] = {}

    def check(name: str, fn: Callable[[], object]) -> None:
        try:
            fn()
            checks[name] = "ok"
        except Exception as exc:  # the point is to report, not to raise
            checks[name] = f"error: {type(exc).__name__}"

    def db() -> None:
        with c.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    check("database", db)
    check("object_store", lambda: c.objects.head("health/none"))
    check("evidence_store", lambda: c.evidence.get("00000000-0000-0000-0000-000000000000"))
    check("queue", c.queue.depth)
    check("search_index", lambda: c.index.count("00000000-0000-0000-0000-000000000000"))
    ready_ = all(v == "ok" for v in checks.values())
    return ok(request, {"status": "ready" if ready_ else "degraded", "checks": checks}, 200 if ready_ else 503)
