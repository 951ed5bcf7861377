"""The local object store's signed URLs: PUT uploads and GET downloads, authorised by the token (as S3).

An upload URL is single-use: it writes only a new key (write-once store) of evidence never confirmed, whose
uploader is still an active, writing member of the open case — so it dies with confirmation, removal and blocking.
A download never lets the bytes act in LEH's origin (leh.domain.originals) and never serves bytes that differ from
the SHA-256 recorded at confirmation (leh.services.integrity).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from leh.adapters.local_objects import LocalObjectStore
from leh.api.deps import ContainerDep
from leh.api.responses import ok
from leh.container import Container
from leh.domain import originals
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import NotFound, TooLarge
from leh.domain.evidence import parse_raw_object_key
from leh.services import audit, integrity
from leh.services import evidence as evidence_svc

router = APIRouter(prefix="/api/objects", tags=["objects"], include_in_schema=False)


def _store(c: Container) -> LocalObjectStore:
    if not isinstance(c.objects, LocalObjectStore):
        raise NotFound()
    return c.objects


@router.put("/{token}")
async def put_object(token: str, request: Request, c: ContainerDep) -> Response:
    store = _store(c)
    claims = store.verify_token(token, "put")
    with c.sessions() as db:
        evidence_svc.check_upload_open(db, c.evidence, str(claims["key"]))
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
    ids = parse_raw_object_key(key)
    doc = c.evidence.get(ids[1]) if ids else None
    try:
        if doc is not None:
            # Checked before the first byte is sent: a changed original is never served as the evidence.
            integrity.check_object(c.sessions, c.objects, doc, where="download")
        fh = store.open(key)
    except FileNotFoundError as exc:
        raise NotFound() from exc
    audit.record(c.sessions, action=AuditAction.EVIDENCE_DOWNLOAD, object_type="evidence", object_id=ids[1] if ids else None,
                 ip_hash=audit.hash_ip(request.client.host if request.client else None, c.settings.resolved_secret_key()),
                 detail={"case_id": ids[0] if ids else None})
    headers = {"Content-Disposition": originals.disposition(doc, filename, inline_asked=claims.get("disp") == "inline",
                                                            fetch_dest=request.headers.get("sec-fetch-dest")),
               **originals.OBJECT_HEADERS}
    info = store.head(key)
    if info is not None:
        headers["Content-Length"] = str(info.size)
    body = integrity.verified_chunks(c.sessions, fh, doc, where="download") if doc is not None else _iter(fh)
    return StreamingResponse(body, media_type=originals.served_type(doc), headers=headers)


def _iter(fh: BinaryIO) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(1024 * 1024):
            yield chunk
