"""`leh upload`: bulk upload from a terminal, with a progress bar (each file through the evidence service)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TransferSpeedColumn

from leh.cli._output import JsonOpt, console, container, emit
from leh.domain.audit_actions import AuditAction


def upload(case: Annotated[str, typer.Option("--case", help="case id")], paths: list[Path],
           email: Annotated[str, typer.Option(envvar="LEH_USER_EMAIL", help="uploading user")] = "",
           as_json: JsonOpt = False) -> None:
    """Bulk upload from a terminal, with a progress bar."""
    from leh.services import accounts, audit, cases
    from leh.services import evidence as ev

    c = container("cli")
    files = [p for path in paths for p in (sorted(path.rglob("*")) if path.is_dir() else [path]) if p.is_file()]
    results = []
    with c.sessions() as db:
        user = accounts.get_user_by_email(db, email) if email else cases.single_owner(db, case)
        with Progress(TextColumn("{task.description}"), BarColumn(), TransferSpeedColumn(), console=console,
                      disable=as_json) as bar:
            task = bar.add_task("업로드", total=sum(f.stat().st_size for f in files))
            for f in files:
                try:
                    with open(f, "rb") as fh:
                        doc = ev.upload_direct(db, c.settings, c.objects, c.evidence, c.queue, user, case_id=case, filename=f.name, stream=fh)
                    db.commit()
                    audit.record(c.sessions, action=AuditAction.EVIDENCE_CREATE, actor_id=user.id, object_type="evidence",
                                 object_id=doc["evidence_id"], detail={"case_id": case, "via": "cli"})
                    results.append({"file": str(f), "evidence_id": doc["evidence_id"], "status": doc["status"]})
                except Exception as exc:
                    code = getattr(exc, "code", type(exc).__name__)
                    results.append({"file": str(f), "error": code, "message": getattr(exc, "message_ko", "")})
                bar.advance(task, f.stat().st_size)
    emit(results, as_json, columns=["file", "evidence_id", "status", "error"])
    if any("error" in r for r in results):
        raise typer.Exit(1)
