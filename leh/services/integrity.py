"""Evidence integrity: an original never changes, and every read of it is checked against the SHA-256 recorded
when it was confirmed. A mismatch is never served or processed as the evidence: it raises INTEGRITY_MISMATCH,
writes an ERROR log line (ids only) and an `integrity.mismatch` audit row — the Lv3 alarm that `leh ops diagnose`
and `leh ops weekly` report (check_integrity, which also re-hashes a sample of originals).

On a versioned store (S3) the original is also pinned to the version whose bytes were hashed at confirmation
(`raw_version`): every read asks for that version, so later writes to the key (a presigned POST that S3 still
accepts after confirmation) are never served or processed. Such a newer version is itself an integrity event:
an ERROR log line and an `integrity.newer_version` audit row (Lv3 as well), with nothing lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError
from leh.domain.evidence import EvidenceStatus
from leh.models import AuditLog
from leh.ports import EvidenceStore, ObjectStore
from leh.services import audit

log = logging.getLogger("leh.integrity")
_CHUNK = 1024 * 1024
CODE = "INTEGRITY_MISMATCH"


class IntegrityMismatch(LehError):
    code = CODE
    http_status = 409


def hash_stream(fh: BinaryIO) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    while chunk := fh.read(_CHUNK):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def hash_object(objects: ObjectStore, key: str, version: str | None = None) -> tuple[str, int]:
    with objects.open(key, version=version) as fh:
        return hash_stream(fh)


def raw_version(doc: Mapping[str, Any]) -> str | None:
    """The version of the original recorded at confirmation (None on a store without versions)."""
    version = doc.get("raw_version")
    return str(version) if version else None


def alarm(sessions: sessionmaker[Session], doc: Mapping[str, Any], *, where: str, actual: str | None,
          actor_id: str | None = None) -> IntegrityMismatch:
    """Record a mismatch (ERROR log line + audit row) and return the error to raise."""
    ids = {"evidence_id": doc.get("evidence_id"), "case_id": doc.get("case_id"), "where": where}
    log.error("original does not match its recorded SHA-256", extra={**ids, "code": CODE})
    audit.record(sessions, action=AuditAction.INTEGRITY_MISMATCH, actor_id=actor_id, object_type="evidence",
                 object_id=str(doc.get("evidence_id")),
                 detail={"case_id": doc.get("case_id"), "where": where, "expected_sha256": doc.get("sha256"),
                         "actual_sha256": actual})
    return IntegrityMismatch()


def check_object(sessions: sessionmaker[Session], objects: ObjectStore, doc: Mapping[str, Any], *, where: str,
                 actor_id: str | None = None) -> None:
    """Re-hash the stored original; raise (after the alarm) unless it matches the recorded SHA-256."""
    expected = doc.get("sha256")
    if not expected:
        return  # not confirmed yet: nothing recorded to compare with
    actual, _ = hash_object(objects, str(doc["object_key"]), raw_version(doc))
    if actual != expected:
        raise alarm(sessions, doc, where=where, actual=actual, actor_id=actor_id)


def newer_version(sessions: sessionmaker[Session], objects: ObjectStore, doc: Mapping[str, Any], *, where: str,
                  seen: str | None = None) -> str | None:
    """The version written over a confirmed original after its confirmation, if any: `seen` (a notification's
    versionId) or else the key's current version, when it is not the recorded one. Found, it is recorded as an
    integrity event (ERROR log line with ids, `integrity.newer_version` audit row). The recorded version stays
    what LEH reads, so nothing is lost."""
    recorded = raw_version(doc)
    if recorded is None:
        return None  # no versions (local store, unversioned bucket) or not confirmed yet
    if seen is None:
        current = objects.head(str(doc["object_key"]))
        seen = current.version if current is not None else None
    if seen is None or seen == recorded:
        return None
    ids = {"evidence_id": doc.get("evidence_id"), "case_id": doc.get("case_id"), "where": where}
    log.error("a newer version was written over a confirmed original (the recorded version is kept and used)",
              extra={**ids, "code": "INTEGRITY_NEWER_VERSION"})
    audit.record(sessions, action=AuditAction.INTEGRITY_NEWER_VERSION, object_type="evidence",
                 object_id=str(doc.get("evidence_id")),
                 detail={"case_id": doc.get("case_id"), "where": where, "recorded_version": recorded,
                         "newer_version": seen})
    return seen


def check_file(sessions: sessionmaker[Session], path: Path, doc: Mapping[str, Any], *, where: str) -> None:
    """The worker's copy of the original against the recorded SHA-256."""
    expected = doc.get("sha256")
    if not expected:
        return
    with open(path, "rb") as fh:
        actual, _ = hash_stream(fh)
    if actual != expected:
        raise alarm(sessions, doc, where=where, actual=actual)


def verified_chunks(sessions: sessionmaker[Session], fh: BinaryIO, doc: Mapping[str, Any], *, where: str) -> Iterator[bytes]:
    """Stream an original, hashing as it goes. The caller checked it before the first byte; should the stored
    bytes change while they are sent, the last chunk is withheld and the response breaks off short of its
    Content-Length, so the client never holds a complete file that is not the evidence."""
    expected = doc.get("sha256")
    sha = hashlib.sha256()
    with fh:
        pending = fh.read(_CHUNK)
        while pending:
            sha.update(pending)
            nxt = fh.read(_CHUNK)
            if not nxt and expected and sha.hexdigest() != expected:
                raise alarm(sessions, doc, where=where, actual=sha.hexdigest())
            yield pending
            pending = nxt


def recent_mismatches(db: Session, *, limit: int = 100,
                      action: AuditAction = AuditAction.INTEGRITY_MISMATCH) -> list[dict[str, Any]]:
    """The latest integrity audit rows of `action` (mismatches, or newer versions), newest first."""
    rows = db.scalars(select(AuditLog).where(AuditLog.action == str(action))
                      .order_by(AuditLog.seq.desc()).limit(limit))
    return [{"evidence_id": r.object_id, "at": r.at, **json.loads(r.detail_masked)} for r in rows]


def sample_check(sessions: sessionmaker[Session], objects: ObjectStore, evidence: EvidenceStore, *, sample: int = 20,
                 seed: int | None = None) -> dict[str, Any]:
    """Re-hash a random sample of confirmed originals (their recorded versions) and look for newer versions
    written over them; every mismatch and newer version raises its alarm. Returns counts."""
    docs = [d for d in evidence.list_by_status([EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING, EvidenceStatus.DONE,
                                                 EvidenceStatus.FAILED, EvidenceStatus.PAUSED]) if d.get("sha256")]
    chosen = random.Random(seed).sample(docs, min(sample, len(docs)))
    bad, missing, newer = [], [], []
    for doc in chosen:
        try:
            check_object(sessions, objects, doc, where="sample")
        except IntegrityMismatch:
            bad.append(doc["evidence_id"])
        except FileNotFoundError:
            missing.append(doc["evidence_id"])
        if newer_version(sessions, objects, doc, where="sample"):
            newer.append(doc["evidence_id"])
    return {"checked": len(chosen), "mismatched": bad, "missing": missing, "newer_version": newer}
