"""Maps errors to HTTP in one place: LehError by its status, validation to 400, anything else to 500."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from leh.api.responses import error
from leh.domain.errors import ERROR_MESSAGES_KO, LehError

log = logging.getLogger("leh.api")

# (request, status, code, Korean message) -> an HTML page: the web UI's renderer for non-/api paths.
HtmlErrorRenderer = Callable[[Request, int, str, str], Awaitable[Response]]

_STATUS_CODES = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
                 413: "FILE_TOO_LARGE", 429: "RATE_LIMITED"}


def install_error_handlers(app: FastAPI, html_handler: HtmlErrorRenderer | None = None) -> None:
    @app.exception_handler(LehError)
    async def _leh(request: Request, exc: LehError) -> Response:
        if html_handler and not request.url.path.startswith("/api"):
            return await html_handler(request, exc.http_status, exc.code, exc.message_ko)
        resp = error(exc.code, exc.message_ko, exc.http_status)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            resp.headers["Retry-After"] = str(retry_after)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors())
        msg = ERROR_MESSAGES_KO["VALIDATION_ERROR"] + (f" (항목: {fields})" if fields else "")
        return error("VALIDATION_ERROR", msg, 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "HTTP_ERROR")
        if html_handler and not request.url.path.startswith("/api"):
            return await html_handler(request, exc.status_code, code, ERROR_MESSAGES_KO.get(code, ""))
        return error(code, ERROR_MESSAGES_KO.get(code, "요청을 처리할 수 없습니다. 주소와 입력값을 확인해주세요."), exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        if html_handler and not request.url.path.startswith("/api"):
            return await html_handler(request, 500, "INTERNAL_ERROR", ERROR_MESSAGES_KO["INTERNAL_ERROR"])
        return error("INTERNAL_ERROR", ERROR_MESSAGES_KO["INTERNAL_ERROR"], 500)
