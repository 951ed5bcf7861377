"""Queue messages: the shape of an S3 `ObjectCreated` notification, so local and SQS deliveries look alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from leh.domain.evidence import parse_raw_object_key


@dataclass(frozen=True)
class ObjectCreated:
    key: str
    case_id: str
    evidence_id: str
    size: int
    sha256: str | None = None


def object_created(key: str, size: int, *, sha256: str | None = None, bucket: str = "local", reason: str = "upload") -> dict[str, Any]:
    return {"Records": [{"eventSource": "leh", "eventName": "ObjectCreated:Put", "leh": {"sha256": sha256, "reason": reason},
                         "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": size}}}]}


def parse_events(body: dict[str, Any]) -> list[ObjectCreated]:
    """The raw-evidence objects a message announces; other records (s3:TestEvent, tmp/ keys) are ignored."""
    out: list[ObjectCreated] = []
    for rec in body.get("Records") or []:
        if not str(rec.get("eventName", "")).startswith("ObjectCreated"):
            continue
        obj = (rec.get("s3") or {}).get("object") or {}
        key = unquote_plus(str(obj.get("key", "")))  # S3 URL-encodes keys in notifications
        ids = parse_raw_object_key(key)
        if ids:
            out.append(ObjectCreated(key=key, case_id=ids[0], evidence_id=ids[1], size=int(obj.get("size") or 0),
                                     sha256=(rec.get("leh") or {}).get("sha256")))
    return out
