"""`leh ops …`: the runbook as commands (DESIGN.md section 9). Every command accepts --json."""

from __future__ import annotations

from typing import Annotated

import typer

from leh.cli_common import JsonOpt, container, emit

ops_app = typer.Typer(help="The runbook, automated.", no_args_is_help=True)


@ops_app.command("verify-audit")
def verify_audit(as_json: JsonOpt = False) -> None:
    """Recompute the audit log's hash chain; non-zero exit if any row was changed, removed or reordered."""
    from leh.services import audit

    with container().sessions() as db:
        report = audit.verify(db)
    out = {"ok": report.ok, "checked": report.checked, "first_bad_id": report.first_bad_id, "reason": report.reason,
           "level": None if report.ok else "Lv2"}
    emit(out, as_json)
    if not report.ok:
        raise typer.Exit(1)


@ops_app.command("dlq")
def dlq(as_json: JsonOpt = False) -> None:
    """Dead letters: which evidence, why, how often received."""
    from leh.services import admin

    emit(admin.dlq_items(container()), as_json, columns=["message_id", "evidence_id", "reason", "receive_count"])


@ops_app.command("redrive")
def redrive(ids: Annotated[list[str] | None, typer.Option("--ids", help="message ids; all if omitted")] = None,
            as_json: JsonOpt = False) -> None:
    """Runbook A, step 2: move dead letters back to the queue."""
    from leh.services import admin, audit

    c = container("cli")
    n = admin.redrive(c, ids or None)
    audit.record(c.sessions, action="admin.dlq_redrive", object_type="queue", detail={"redriven": n, "via": "cli"})
    emit({"redriven": n}, as_json)


@ops_app.command("reprocess")
def reprocess(evidence_id: str, as_json: JsonOpt = False) -> None:
    """Runbook A, step 3: reset one evidence's derived data and run the pipeline again."""
    from leh.services import admin, audit

    c = container("cli")
    doc = admin.reprocess(c, evidence_id)
    audit.record(c.sessions, action="admin.reprocess", object_type="evidence", object_id=evidence_id, detail={"via": "cli"})
    emit({"evidence_id": evidence_id, "status": doc["status"]}, as_json)
