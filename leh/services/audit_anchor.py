"""The audit chain's anchor outside the database it protects (issue #15, ASVS V16 level 3).

The hash chain alone shows an edited row, but not a rewritten log (edit a row and recompute every later hash) nor
a truncated one (delete the newest rows). So the chain's tail is checkpointed: `{seq, id, hash, at}` signed with
an HMAC whose key the database never holds (`LEH_AUDIT_ANCHOR_KEY`, or `LEH_DATA_DIR/audit-anchor.key`), written
write-once to the object store under `audit/checkpoints/` and logged. Workers write one every few minutes when
the log grew (leh.services.ops.housekeeping), and `leh ops verify-audit` after every clean verification.
`verify_anchors` holds the log against every checkpoint: a checkpointed row that is gone (truncation) or whose
hash differs (rewrite) fails, and so does a checkpoint whose signature does not verify (forged).
Rows appended after the newest checkpoint are protected by the chain alone until the next checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from leh.domain.errors import LehError
from leh.domain.evidence import now_iso
from leh.models import AuditLog
from leh.ports import ObjectStore
from leh.services import audit

log = logging.getLogger("leh.audit")
PREFIX = "audit/checkpoints/"
CHECKPOINT_EVERY_SECONDS = 300.0
_SIGNED = ("seq", "id", "hash", "at")


def _mac(key: str, body: dict[str, Any]) -> str:
    canonical = json.dumps({k: body[k] for k in _SIGNED}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def write_checkpoint(sessions: sessionmaker[Session], objects: ObjectStore, anchor_key: str) -> dict[str, Any] | None:
    """Checkpoint the chain's current tail (None when the log is empty). Idempotent for an unchanged tail."""
    with sessions() as db:
        tail = db.scalar(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1))
        if tail is None:
            return None
        body: dict[str, Any] = {"seq": tail.seq, "id": tail.id, "hash": tail.hash, "at": now_iso()}
    body["mac"] = _mac(anchor_key, body)
    key = f"{PREFIX}{body['seq']:012d}-{str(body['hash'])[:16]}.json"
    try:
        objects.put(key, io.BytesIO(json.dumps(body, sort_keys=True).encode()))
    except LehError as exc:
        if exc.code != "OBJECT_EXISTS":
            raise
        return body  # this tail is anchored already
    log.info("audit checkpoint", extra={"seq": body["seq"], "audit_hash": body["hash"], "mac": body["mac"],
                                        "object_key": key})
    return body


@dataclass
class AnchorReport:
    ok: bool
    checkpoints: int = 0
    anchored_seq: int = 0  # the newest checkpointed row
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checkpoints": self.checkpoints, "anchored_seq": self.anchored_seq,
                "problems": self.problems[:20]}


def _load(objects: ObjectStore, anchor_key: str, report: AnchorReport) -> list[dict[str, Any]]:
    valid = []
    for info in objects.list(PREFIX):
        try:
            with objects.open(info.key) as fh:
                cp = json.loads(fh.read())
            good = hmac.compare_digest(str(cp.get("mac")), _mac(anchor_key, cp))
        except (ValueError, KeyError, TypeError):
            good = False
        if good:
            valid.append(cp)
        else:
            report.problems.append({"checkpoint": info.key, "reason": "forged: the signature does not verify"})
    return sorted(valid, key=lambda cp: int(cp["seq"]))


def verify_anchors(sessions: sessionmaker[Session], objects: ObjectStore, anchor_key: str) -> AnchorReport:
    report = AnchorReport(ok=True)
    checkpoints = _load(objects, anchor_key, report)
    report.checkpoints = len(checkpoints)
    with sessions() as db:
        last_seq = int(db.scalar(select(func.max(AuditLog.seq))) or 0)
        for cp in checkpoints:
            seq = int(cp["seq"])
            report.anchored_seq = max(report.anchored_seq, seq)
            row = db.scalar(select(AuditLog).where(AuditLog.seq == seq))
            if row is None:
                report.problems.append({"seq": seq, "reason": "truncated: a checkpointed row is gone"
                                        + (f" (the log ends at {last_seq})" if last_seq < seq else "")})
            elif row.hash != cp["hash"] or row.id != cp["id"]:
                report.problems.append({"seq": seq, "reason": "rewritten: the row's hash differs from its checkpoint"})
    report.ok = not report.problems
    return report


def verify_log(sessions: sessionmaker[Session], objects: ObjectStore, anchor_key: str, *,
               checkpoint: bool = True) -> dict[str, Any]:
    """The whole audit check: the hash chain, then every checkpoint; a clean log is checkpointed anew."""
    with sessions() as db:
        chain = audit.verify(db)
    anchors = verify_anchors(sessions, objects, anchor_key)
    ok = chain.ok and anchors.ok
    if ok and checkpoint:
        write_checkpoint(sessions, objects, anchor_key)
    reason = chain.reason if not chain.ok else (anchors.problems[0]["reason"] if anchors.problems else None)
    return {"ok": ok, "checked": chain.checked, "first_bad_id": chain.first_bad_id, "reason": reason,
            "anchors": anchors.to_dict()}
