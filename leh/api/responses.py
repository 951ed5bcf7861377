"""The JSON envelope of every API answer: `{"data", "meta"}` on success, `{"error"}` on failure.

Routes return the envelope as a JSONResponse (the body is exactly what `ok` builds); `Envelope[T]` is the same
shape as a pydantic model, given to each route as `response_model` so `/api/openapi.json` documents it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from leh.domain.documents import ErrorInfo
from leh.domain.paging import PageInfo

T = TypeVar("T")


class Meta(BaseModel):
    request_id: str
    timestamp: str
    page: PageInfo | None = None  # lists only: offset, limit, total, next (the offset of the next page, or null)


class Envelope(BaseModel, Generic[T]):
    """A successful answer: the resource in `data`, the request id and time in `meta`."""

    data: T
    meta: Meta


class ErrorEnvelope(BaseModel):
    """Every failure: `{"error": {"code", "message"}}`."""

    error: ErrorInfo  # a stable code (e.g. CASE_NOT_FOUND) and a Korean message that says what to do


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


# "default" also replaces FastAPI's own 422 in the document: LEH answers validation errors with 400.
UNEXPECTED_ERROR: dict[int | str, dict[str, Any]] = {"default": _error("Any other error (500 INTERNAL_ERROR)")}
# Documented on every /api router but health.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Invalid input (VALIDATION_ERROR or a specific code)"),
    401: _error("No or invalid token"),
    403: _error("Forbidden, or the account is blocked"),
    404: _error("Not found, or not a member of the case (no existence leaks)"),
    409: _error("Conflict with the current state"),
    413: _error("File too large"),
    429: _error("Rate limited"),
    **UNEXPECTED_ERROR,
}


def request_id(request: Request) -> str:
    rid = getattr(request.state, "request_id", None)
    if rid is None:
        rid = request.state.request_id = uuid.uuid4().hex
    return str(rid)


def ok(request: Request, data: Any, status_code: int = 200, *, page: PageInfo | None = None) -> JSONResponse:
    meta: dict[str, Any] = {"request_id": request_id(request),
                            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds")}
    if page is not None:
        meta["page"] = page
    return JSONResponse({"data": data, "meta": meta}, status_code=status_code)


def error(code: str, message: str, status_code: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status_code)
