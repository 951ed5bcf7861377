"""The JSON envelope of every API answer: `{"data", "meta"}` on success, `{"error"}` on failure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse


def request_id(request: Request) -> str:
    rid = getattr(request.state, "request_id", None)
    if rid is None:
        rid = request.state.request_id = uuid.uuid4().hex
    return str(rid)


def ok(request: Request, data: Any, status_code: int = 200) -> JSONResponse:
    meta = {"request_id": request_id(request), "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds")}
    return JSONResponse({"data": data, "meta": meta}, status_code=status_code)


def error(code: str, message: str, status_code: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status_code)
