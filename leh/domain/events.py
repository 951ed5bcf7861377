"""Queue messages: the shape of an S3 `ObjectCreated` notification, so local and SQS deliveries look alike.

A worker reads three kinds of message: LEH's own (`object_created`, sent on upload-complete, direct upload,
reprocess and redrive, `eventSource: "leh"`), S3's event notifications (`eventSource: "aws:s3"`, keys
URL-encoded, possibly wrapped in an SNS envelope when the bucket notifies a topic), and S3's `s3:TestEvent`,
sent once when a notification is configured, which carries no object and is dropped without a word.
"""

from __future__ import annotations

import json
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
    source: str = "leh"  # eventSource: "leh" for LEH's own messages, "aws:s3" for S3's notifications
    waited: bool = False  # an S3 notification the worker already held back once for upload-complete
    version: str | None = None  # the object's versionId, in S3's notifications from a versioned bucket


def object_created(key: str, size: int, *, sha256: str | None = None, bucket: str = "local", reason: str = "upload") -> dict[str, Any]:
    return {"Records": [{"eventSource": "leh", "eventName": "ObjectCreated:Put", "leh": {"sha256": sha256, "reason": reason},
                         "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": size}}}]}


def _unwrap(body: dict[str, Any]) -> dict[str, Any]:
    """The S3 event inside an SNS notification envelope (S3 → SNS → SQS without raw delivery), else body."""
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        try:
            inner = json.loads(body["Message"])
        except ValueError:
            return {}
        return inner if isinstance(inner, dict) else {}
    return body


def is_test_event(body: dict[str, Any]) -> bool:
    """S3's `s3:TestEvent`: proof that a notification works, nothing to process."""
    return _unwrap(body).get("Event") == "s3:TestEvent"


def parse_events(body: dict[str, Any]) -> list[ObjectCreated]:
    """The raw-evidence objects a message announces; other records (s3:TestEvent, tmp/ keys) are ignored."""
    out: list[ObjectCreated] = []
    for rec in _unwrap(body).get("Records") or []:
        if not isinstance(rec, dict):
            continue
        if not str(rec.get("eventName", "")).startswith("ObjectCreated"):
            continue
        obj = (rec.get("s3") or {}).get("object") or {}
        key = unquote_plus(str(obj.get("key", "")))  # S3 URL-encodes keys in notifications
        ids = parse_raw_object_key(key)
        if ids:
            out.append(ObjectCreated(key=key, case_id=ids[0], evidence_id=ids[1], size=int(obj.get("size") or 0),
                                     sha256=(rec.get("leh") or {}).get("sha256"),
                                     source=str(rec.get("eventSource") or "leh"),
                                     waited=bool((rec.get("leh") or {}).get("waited")),
                                     version=str(obj["versionId"]) if obj.get("versionId") else None))
    return out


def mark_waited(body: dict[str, Any]) -> dict[str, Any]:
    """The message (unwrapped from SNS) with each record marked as held back once already."""
    inner = _unwrap(body)
    records = [{**rec, "leh": {**(rec.get("leh") or {}), "waited": True}} if isinstance(rec, dict) else rec
               for rec in inner.get("Records") or []]
    return {**inner, "Records": records}
