"""Backups (weekly checklist 2): a consistent copy of the relational DB plus an export of the evidence store.

SQLite is copied with its online backup API (consistent while the server and workers keep writing);
PostgreSQL with `pg_dump --format=custom` (both behind the `RelationalDump` port, in
`leh.adapters.relational_dump`; the container picks one). The evidence store is exported through its port as gzipped JSON
lines, for exactly the cases in the database copy. A backup is a directory under LEH_BACKUP_DIR, written
as `*.partial` and renamed when complete; `manifest.json` holds sizes and sha256 of every file.
The object store (raw files) is not copied: S3 keeps its own durability; the search index and the queue
are rebuilt from the evidence store on restore.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from leh.config import Settings
from leh.domain.errors import Conflict, NotFound
from leh.domain.evidence import EvidenceStatus
from leh.models import Case
from leh.ports import Ports, Progress

log = logging.getLogger("leh.ops.backup")

PREFIX = "leh-backup-"
MANIFEST = "manifest.json"
EVIDENCE_FILE = "evidence.jsonl.gz"
FORMAT = 1
_CHUNK = 1024 * 1024


def _no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class BackupInfo:
    """One complete backup directory and its manifest."""
    name: str
    path: Path
    manifest: dict[str, Any]

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["created_at"])

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "created_at": self.manifest["created_at"],
                "engine": self.manifest.get("engine"), "counts": self.manifest.get("counts", {}),
                "bytes": sum(f["bytes"] for f in self.manifest.get("files", {}).values())}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def backup_root(settings: Settings) -> Path:
    """LEH_BACKUP_DIR, or `backups/` under the data directory."""
    return settings.effective_backup_dir


def list_backups(settings: Settings) -> list[BackupInfo]:
    """Complete backups (with a readable manifest), newest first."""
    root = backup_root(settings)
    out = []
    if root.is_dir():
        for d in root.iterdir():
            mf = d / MANIFEST
            if d.is_dir() and d.name.startswith(PREFIX) and not d.name.endswith(".partial") and mf.is_file():
                try:
                    out.append(BackupInfo(d.name, d, json.loads(mf.read_text())))
                except (OSError, ValueError):
                    continue
    return sorted(out, key=lambda b: b.manifest.get("created_at", ""), reverse=True)


def verify_backup(info: BackupInfo) -> list[str]:
    """Files whose size or sha256 differs from the manifest (empty when the backup is intact)."""
    bad = []
    for meta in info.manifest.get("files", {}).values():
        path = info.path / meta["name"]
        if not path.is_file() or path.stat().st_size != meta["bytes"] or _sha256(path) != meta["sha256"]:
            bad.append(meta["name"])
    return bad


def _file_meta(path: Path) -> dict[str, Any]:
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def make_backup(c: Ports, *, progress: Progress = _no_progress, keep: int | None = None) -> dict[str, Any]:
    """Write one backup; with `keep`, older backups beyond the newest `keep` are removed afterwards."""
    now = datetime.now(UTC)
    root = backup_root(c.settings)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S%fZ')}"
    work = root / f"{name}.partial"
    work.mkdir(mode=0o700)
    try:
        rel = c.relational_dump
        db_file = work / rel.filename
        rel.dump(db_file, progress)
        case_ids = rel.case_ids(db_file)
        n_docs = 0
        with gzip.open(work / EVIDENCE_FILE, "wt", encoding="utf-8") as out:
            for i, case_id in enumerate(case_ids, 1):
                for doc in c.evidence.list_case(case_id):
                    out.write(json.dumps(doc, ensure_ascii=False) + "\n")
                    n_docs += 1
                progress("evidence", i, len(case_ids))
        manifest = {"format": FORMAT, "name": name, "created_at": now.isoformat(timespec="seconds"),
                    "engine": rel.engine, "counts": {"cases": len(case_ids), "evidence": n_docs},
                    "files": {"database": _file_meta(db_file), "evidence": _file_meta(work / EVIDENCE_FILE)}}
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        final = root / name
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log.info("backup written", extra={"backup": name, "cases": len(case_ids), "evidence": n_docs})
    removed = []
    if keep is not None and keep > 0:
        for old in list_backups(c.settings)[keep:]:
            shutil.rmtree(old.path, ignore_errors=True)
            removed.append(old.name)
    return {**BackupInfo(name, final, manifest).to_dict(), "removed": removed}


def find_backup(settings: Settings, name: str | None) -> BackupInfo:
    """The named backup (by name or path), or the newest when no name is given."""
    backups = list_backups(settings)
    for b in backups:
        if name is None or b.name == name or str(b.path) == name:
            return b
    raise NotFound("BACKUP_NOT_FOUND", "백업을 찾을 수 없습니다. leh ops backups 로 목록을 확인해주세요.")


def restore_backup(c: Ports, name: str | None = None, *, progress: Progress = _no_progress,
                   force: bool = False) -> dict[str, Any]:
    """Put the database and the evidence store back as in the backup, then rebuild the index and the queue.
    Refused while workers are alive (they would write into the stores being replaced) unless `force`."""
    # Evidence that was waiting or processing is queued again: its queue message is not part of the backup.
    from leh.services.evidence import requeue
    from leh.services.ops.workers import list_workers
    from leh.services.reindex import reindex_case

    if not force and any(w.alive for w in list_workers(c)):
        raise Conflict("WORKERS_RUNNING", "실행 중인 워커가 있습니다. 워커를 멈춘 뒤 복원하거나 --force 로 실행해주세요.")
    info = find_backup(c.settings, name)
    bad = verify_backup(info)
    if bad:
        raise Conflict("BACKUP_CORRUPT", f"백업 파일이 손상되었습니다({', '.join(bad)}). 다른 백업을 선택해주세요.")
    rel = c.relational_dump
    if rel.engine != info.manifest.get("engine"):
        raise Conflict("BACKUP_ENGINE_MISMATCH", "이 백업은 다른 데이터베이스 엔진에서 만들어졌습니다. 같은 엔진으로 복원해주세요.")
    with c.sessions() as db:
        before = set(db.scalars(select(Case.id)))
    rel.restore(info.path / info.manifest["files"]["database"]["name"], progress)
    with c.sessions() as db:
        restored = dict(db.execute(select(Case.id, Case.status)).tuples().all())
    every_case = sorted(before | set(restored))
    for i, case_id in enumerate(every_case, 1):
        c.evidence.delete_case(case_id)
        progress("clear", i, len(every_case))
    n_docs = 0
    with gzip.open(info.path / EVIDENCE_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            c.evidence.put(json.loads(line))
            n_docs += 1
    requeued = 0
    for i, (case_id, status) in enumerate(sorted(restored.items()), 1):
        if status == "closed":
            c.index.drop_case(case_id)
        else:
            reindex_case(c.evidence, c.index, case_id)
        progress("index", i, len(restored))
    for case_id in before - set(restored):
        c.index.drop_case(case_id)
    for doc in c.evidence.list_by_status([EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING]):
        requeue(c.evidence, c.index, c.queue, doc["evidence_id"], reason="restore")
        requeued += 1
    log.warning("backup restored", extra={"backup": info.name, "cases": len(restored), "evidence": n_docs})
    return {"backup": info.name, "created_at": info.manifest["created_at"], "cases": len(restored),
            "evidence": n_docs, "requeued": requeued, "removed_cases": len(before - set(restored))}
