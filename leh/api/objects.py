"""The local object store's signed URLs: PUT uploads and GET downloads, authorised by the token alone (as S3)."""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from leh.adapters.local_objects import LocalObjectStore
from leh.api.deps import ContainerDep
from leh.api.responses import ok
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import NotFound, TooLarge
from leh.domain.evidence import parse_raw_object_key
from leh.services import audit

router = APIRouter(prefix="/api/objects", tags=["objects"], include_in_schema=False)


def _store(c: Container) -> LocalObjectStore:
    if not isinstance(c.objects, LocalObjectStore):
        raise NotFound()
    return c.objects


@router.put("/{token}")
async def put_object(token: str, request: Request, c: ContainerDep) -> Response:
    store = _store(c)
    claims = store.verify_token(token, "put")
    max_bytes = int(str(claims["max"]))
    declared = request.headers.get("content-length")
    if declared and int(declared) > max_bytes:
        raise TooLarge()
    spool = await _spool(request, max_bytes)
    try:
        info = await run_in_threadpool(store.put, str(claims["key"]), spool, max_bytes=max_bytes)
    finally:
        spool.close()
    return ok(request, {"key": info.key, "size": info.size})


async def _spool(request: Request, max_bytes: int) -> BinaryIO:
    """Receive the body into a temp file (not memory), refusing it as soon as it passes max_bytes."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by the caller
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            spool.close()
            raise TooLarge()
        spool.write(chunk)
    spool.seek(0)
    return spool  # type: ignore[return-value]  # SpooledTemporaryFile is a binary file


@router.get("/{token}")
def get_object(token: str, request: Request, c: ContainerDep) -> Response:
    store = _store(c)
    claims = store.verify_token(token, "get")
    key, filename = str(claims["key"]), str(claims.get("fn") or "download")
    try:
        fh = store.open(key)
    except FileNotFoundError as exc:
        raise NotFound() from exc
    ids = parse_raw_object_key(key)
    audit.record(c.sessions, action=AuditAction.EVIDENCE_DOWNLOAD, object_type="evidence", object_id=ids[1] if ids else None,
                 ip_hash=audit.hash_ip(request.client.host if request.client else None, c.settings.resolved_secret_key()),
                 detail={"case_id": ids[0] if ids else None})
    media = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}", "Cache-Control": "no-store"}
    return StreamingResponse(_iter(fh), media_type=media, headers=headers)


def _iter(fh: BinaryIO) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(1024 * 1024):
            yield chunk
