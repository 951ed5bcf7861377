"""Object store on a local directory (the embedded default for S3), with HMAC-signed upload/download URLs.

Keys look like S3 keys (`cases/{case_id}/raw/{evidence_id}_{name}`). Signed URLs point at this server's
`/api/objects/{token}` route; the token is a short-lived JWT bound to one key, one operation and a size cap.
Objects are write-once (the port's contract): a key that exists is never replaced, and stored files are read-only.
So a key has one version only, reported as None; asked for any other version, the store has no such object.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import jwt

from leh.domain.errors import LehError, TooLarge
from leh.ports import ObjectInfo, UploadTarget

_CHUNK = 1024 * 1024
_AUDIENCE = "leh-object"


class InvalidSignedUrl(LehError):
    code = "UPLOAD_URL_INVALID"
    http_status = 403


class ObjectExists(LehError):
    code = "OBJECT_EXISTS"
    http_status = 409


class LocalObjectStore:
    def __init__(self, root: Path, *, secret: str):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._secret = secret

    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or "\x00" in key or any(p in ("..", ".") for p in key.split("/")):
            raise LehError("INVALID_FILENAME", http_status=400)
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise LehError("INVALID_FILENAME", http_status=400)
        return path

    def put(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> ObjectInfo:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        size = 0
        try:
            with open(tmp, "wb") as out:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge()
                    out.write(chunk)
            os.chmod(tmp, 0o444)
            try:
                # link() is atomic and refuses an existing name: readers never see half a file, and a stored
                # original is never replaced (write-once), even by two writers racing for the same key.
                os.link(tmp, path)
            except FileExistsError as exc:
                raise ObjectExists() from exc
        finally:
            tmp.unlink(missing_ok=True)
        return ObjectInfo(key=key, size=size, modified_at=path.stat().st_mtime)

    def open(self, key: str, *, version: str | None = None) -> BinaryIO:
        path = self._path(key)
        if version is not None or not path.is_file():
            raise FileNotFoundError(key)
        return open(path, "rb")

    def download_to(self, key: str, dest: Path, *, version: str | None = None) -> Path:
        with self.open(key, version=version) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)
        return dest

    def head(self, key: str, *, version: str | None = None) -> ObjectInfo | None:
        path = self._path(key)
        if version is not None or not path.is_file():
            return None
        st = path.stat()
        return ObjectInfo(key=key, size=st.st_size, modified_at=st.st_mtime)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        base = self.root / prefix
        start = base if base.is_dir() else base.parent
        if not start.exists():
            return
        for dirpath, _dirs, files in os.walk(start):
            for name in files:
                if name.startswith(".") and name.endswith(".part"):
                    continue
                path = Path(dirpath) / name
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    st = path.stat()
                    yield ObjectInfo(key=key, size=st.st_size, modified_at=st.st_mtime)

    # ------------------------------------------------------------ signed URLs
    def _sign(self, claims: dict[str, object], expires_in: int) -> str:
        claims = {**claims, "aud": _AUDIENCE, "exp": int(time.time()) + expires_in}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def presign_upload(self, key: str, *, max_bytes: int, content_type: str, expires_in: int) -> UploadTarget:
        self._path(key)
        token = self._sign({"op": "put", "key": key, "max": max_bytes}, expires_in)
        return UploadTarget(url=f"/api/objects/{token}", method="PUT", expires_in=expires_in,
                            headers={"Content-Type": content_type or "application/octet-stream"})

    def presign_download(self, key: str, *, filename: str, expires_in: int, inline: bool = False,
                         version: str | None = None) -> str:
        if version is not None:
            raise FileNotFoundError(key)
        claims: dict[str, object] = {"op": "get", "key": key, "fn": filename}
        if inline:
            claims["disp"] = "inline"
        token = self._sign(claims, expires_in)
        return f"/api/objects/{token}"

    def verify_token(self, token: str, op: str) -> dict[str, object]:
        """Claims of a signed URL token; refuses a tampered, expired or wrong-operation token."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], audience=_AUDIENCE)
        except jwt.PyJWTError as exc:
            raise InvalidSignedUrl() from exc
        if claims.get("op") != op:
            raise InvalidSignedUrl()
        return claims
