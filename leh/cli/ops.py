"""`leh ops …`: the runbook as commands (DESIGN.md section 9). Every command accepts --json.

Each command gets the ports from the container and calls one service; no business step happens here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from typing import Annotated, Any, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from leh.cli._output import JsonOpt, console, container, emit
from leh.config import parse_duration_seconds
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError, ValidationFailed

ops_app = typer.Typer(help="The runbook, automated.", no_args_is_help=True)


# ------------------------------------------------------------------ shared output
def _fail(exc: LehError, as_json: bool) -> NoReturn:
    """A refused operation: the Korean message (or the JSON error) and exit code 2."""
    if as_json:
        typer.echo(json.dumps({"error": exc.to_dict()}, ensure_ascii=False))
    else:
        console.print(f"[bold red]{exc.code}[/]: {exc.message_ko}")
    raise typer.Exit(2)


def _report(c: Container, report: dict[str, Any], as_json: bool) -> None:
    """Print a findings report (✅/⚠️/❌ with levels), alert the webhook, exit 1 when something failed."""
    from leh.services.ops.alerts import send_alerts

    report["alerts_sent"] = send_alerts(c.alert_sink, report)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        table = Table("", "항목", "레벨", "결과")
        for f in report["findings"]:
            table.add_row(f["mark"], f["title"], f["level"], f["summary"])
        console.print(table)
        for i, step in enumerate(report["steps"], 1):
            console.print(f"  {i}. {step}")
        if report["ok"]:
            console.print("[bold green]✅ 이상 없음[/]")
        else:
            console.print(f"[bold red]❌ {report['level']}[/] — 호출: {report['escalation']}")
    if not report["ok"]:
        raise typer.Exit(1)


def _bar(as_json: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, disable=as_json, transient=False)


_STEP_LABELS = {"database": "데이터베이스", "evidence": "증거 저장소", "clear": "기존 증거 정리", "index": "검색 인덱스"}


def _progress_fn(bar: Progress) -> Callable[[str, int, int], None]:
    tasks: dict[str, TaskID] = {}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(_STEP_LABELS.get(step, step), total=max(total, 1))
        bar.update(tasks[step], completed=done, total=max(total, 1))

    return update


def _audit(c: Container, action: str, *, object_type: str | None = None, object_id: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    from leh.services import audit

    audit.record(c.sessions, action=action, object_type=object_type, object_id=object_id,
                 detail={"via": "cli", **(detail or {})})


def _seconds(text: str, as_json: bool) -> int:
    try:
        return parse_duration_seconds(text)
    except ValueError:
        _fail(ValidationFailed("INVALID_DURATION", f"기간 형식이 올바르지 않습니다: {text} (예: 90s, 15m, 1h, 7d)"), as_json)


# ------------------------------------------------------------------ audit and queue
@ops_app.command("verify-audit")
def verify_audit(as_json: JsonOpt = False) -> None:
    """Recompute the audit log's hash chain and hold it against the signed checkpoints outside the database;
    non-zero exit if any row was changed, removed, reordered, or the log was rewritten or truncated."""
    from leh.services import audit_anchor

    c = container()
    report = audit_anchor.verify_log(c.sessions, c.objects, c.settings.resolved_anchor_key())
    out = {**report, "level": None if report["ok"] else "Lv2"}
    emit(out, as_json)
    if not report["ok"]:
        raise typer.Exit(1)


@ops_app.command("dlq")
def dlq(as_json: JsonOpt = False) -> None:
    """Dead letters: which evidence, why, how often received."""
    from leh.services import admin

    c = container()
    emit(admin.dlq_items(c.evidence, c.queue), as_json, columns=["message_id", "evidence_id", "reason", "receive_count"])


@ops_app.command("redrive")
def redrive(ids: Annotated[list[str] | None, typer.Option("--ids", help="message ids; all if omitted")] = None,
            as_json: JsonOpt = False) -> None:
    """Runbook A, step 2: move dead letters back to the queue."""
    from leh.services import admin, audit

    c = container("cli")
    n = admin.redrive(c.evidence, c.queue, ids or None)
    audit.record(c.sessions, action=AuditAction.ADMIN_DLQ_REDRIVE, object_type="queue", detail={"redriven": n, "via": "cli"})
    emit({"redriven": n}, as_json)


@ops_app.command("reprocess")
def reprocess(evidence_id: str, as_json: JsonOpt = False) -> None:
    """Runbook A, step 3: reset one evidence's derived data and run the pipeline again."""
    from leh.services import admin, audit

    c = container("cli")
    try:
        doc = admin.reprocess(c.evidence, c.index, c.queue, evidence_id)
    except LehError as exc:
        _fail(exc, as_json)
    audit.record(c.sessions, action=AuditAction.ADMIN_REPROCESS, object_type="evidence", object_id=evidence_id, detail={"via": "cli"})
    emit({"evidence_id": evidence_id, "status": doc["status"]}, as_json)


@ops_app.command("setup-aws")
def setup_aws(check: Annotated[bool, typer.Option("--check", help="only report what is missing or wrong; change nothing")] = False,
              as_json: JsonOpt = False) -> None:
    """Create (or with --check validate) the SQS queue and DLQ, the S3 bucket with its notification, and the table."""
    from leh.services.ops.aws_setup import setup_aws as run
    from leh.services.ops.aws_setup import table_step

    c = container("cli")
    report = run(c.settings, bucket=c.bucket_setup, queues=c.queue_setup, lifecycle=c.tmp_lifecycle, check_only=check,
                 table_step=table_step(c.evidence_table_setup, c.settings.dynamodb_table))
    _report(c, report, as_json)


# ------------------------------------------------------------------ scenario A
@ops_app.command("diagnose")
def diagnose(stuck_after: Annotated[str | None, typer.Option(help="stuck threshold, e.g. 15m (default LEH_STUCK_AFTER_MINUTES)")] = None,
             as_json: JsonOpt = False) -> None:
    """Runbook A: stuck items, workers and heartbeats, DLQ, errors by code, AI provider; verdict and next steps."""
    from leh.services.ops.diagnose import diagnose as run

    c = container("cli")
    _report(c, run(c, stuck_after_seconds=_seconds(stuck_after, as_json) if stuck_after else None), as_json)


@ops_app.command("logs")
def logs(level: Annotated[str, typer.Option(help="minimum level")] = "ERROR",
         since: Annotated[str, typer.Option(help="how far back, e.g. 1h, 30m, 7d")] = "1h",
         evidence: Annotated[str | None, typer.Option("--evidence", help="only lines about this evidence id")] = None,
         process: Annotated[str | None, typer.Option(help="only this process (server, worker-…, cli)")] = None,
         limit: Annotated[int, typer.Option(help="newest N lines")] = 200,
         as_json: JsonOpt = False) -> None:
    """Runbook A, 진단 1: search the JSON-lines logs of server and workers (filter-log-events)."""
    from leh.services.ops.logs import read_logs

    c = container()
    try:
        rows = read_logs(c.settings, level=level, since_seconds=_seconds(since, as_json), evidence_id=evidence,
                         process=process, limit=limit, source=c.log_source)
    except LehError as exc:
        _fail(exc, as_json)
    emit(rows, as_json, columns=["at", "level", "process", "logger", "msg", "evidence_id", "code"])


# ------------------------------------------------------------------ scenario B
@ops_app.command("restore-case")
def restore_case(case_id: str, as_json: JsonOpt = False) -> None:
    """Runbook B: closed → active, then rebuild the case's search index from the evidence store."""
    from leh.services.reindex import restore_case as run

    c = container("cli")
    try:
        with c.sessions() as db, console.status("사건 복구 및 인덱스 재생성 중…", spinner="dots") if not as_json else nullcontext():
            out = run(db, c.evidence, c.index, case_id)
    except LehError as exc:
        _fail(exc, as_json)
    _audit(c, AuditAction.ADMIN_CASE_RESTORE, object_type="case", object_id=case_id,
           detail={"indexed_segments": out["indexed_segments"]})
    emit(out, as_json, columns=["case_id", "status", "indexed_evidence", "indexed_segments", "consistent"])


@ops_app.command("reindex")
def reindex(case_id: str, as_json: JsonOpt = False) -> None:
    """Runbook B, step 2: drop and rebuild one case's search index from the evidence store."""
    from leh.services.reindex import reindex as run

    c = container("cli")
    try:
        with c.sessions() as db, console.status("인덱스 재생성 중…", spinner="dots") if not as_json else nullcontext():
            out = run(db, c.evidence, c.index, case_id)
    except LehError as exc:
        _fail(exc, as_json)
    _audit(c, AuditAction.ADMIN_CASE_REINDEX, object_type="case", object_id=case_id,
           detail={"indexed_segments": out["indexed_segments"]})
    emit(out, as_json, columns=["case_id", "case_status", "indexed_evidence", "indexed_segments", "consistent"])


@ops_app.command("check-index")
def check_index(case_id: Annotated[str | None, typer.Argument(help="one case; all cases if omitted")] = None,
                as_json: JsonOpt = False) -> None:
    """Compare the evidence store with the search index; Lv2 and exit 1 on any mismatch."""
    from leh.services.ops.findings import make_report
    from leh.services.ops.index_check import check_index as run

    c = container("cli")
    try:
        with c.sessions() as db:
            findings = run(db, c.evidence, c.index, case_id)
    except LehError as exc:
        _fail(exc, as_json)
    _report(c, make_report("check-index", findings), as_json)


# ------------------------------------------------------------------ scenario C
@ops_app.command("breaker")
def breaker(action: Annotated[str, typer.Argument(help="open | close | status")],
            case_id: Annotated[str | None, typer.Argument(help="case id (status without it lists every breaker)")] = None,
            reason: Annotated[str, typer.Option(help="why (required to open or close; audited)")] = "",
            as_json: JsonOpt = False) -> None:
    """Runbook C, step 1: a case's AI circuit breaker. While open its evidence waits as paused."""
    from leh.services import breakers
    from leh.services.ops.usage import case_budget

    c = container("cli")
    try:
        with c.sessions() as db:
            if action == "status":
                if case_id is None:
                    emit(breakers.list_breakers(db, c.evidence), as_json,
                         columns=["case_id", "title", "state", "reason", "opened_by", "opened_at", "paused"])
                    return
                out = {**breakers.status(db, c.evidence, case_id), "budget": case_budget(c.settings, db, case_id)}
            elif action in ("open", "close") and case_id:
                out = breakers.set_breaker(db, c.evidence, c.index, c.queue, case_id, state=action, reason=reason, actor="cli")
                _audit(c, AuditAction.ADMIN_BREAKER_OPEN if action == "open" else AuditAction.ADMIN_BREAKER_CLOSE,
                       object_type="case", object_id=case_id, detail={"reason": reason, "resumed": out["resumed"]})
            else:
                raise ValidationFailed("INVALID_ACTION", "사용법: leh ops breaker open|close|status CASE --reason …")
    except LehError as exc:
        _fail(exc, as_json)
    emit(out, as_json, columns=["case_id", "state", "reason", "opened_by", "opened_at", "paused", "resumed"])


@ops_app.command("usage")
def usage(window: Annotated[str, typer.Option(help="period, e.g. 24h, 7d (default LEH_CASE_BUDGET_WINDOW)")] = "",
          as_json: JsonOpt = False) -> None:
    """Runbook C: AI tokens and cost per case and per user, each case against its budget."""
    from leh.services.ops.usage import usage_summary

    c = container()
    seconds = _seconds(window, as_json) if window else c.settings.budget_window_seconds
    with c.sessions() as db:
        out = usage_summary(c.settings, db, window_seconds=seconds)
    if as_json:
        emit(out, True)
        return
    emit(out["by_case"], False, columns=["case_id", "title", "tokens", "cost_usd", "calls", "budget_percent", "breaker"])
    emit(out["by_user"], False, columns=["user_id", "email", "tokens", "cost_usd", "calls"])


@ops_app.command("uploads")
def uploads(suspicious: Annotated[bool, typer.Option("--suspicious", help="only suspicious accounts; exit 1 if any")] = False,
            window: Annotated[str, typer.Option(help="analysis window")] = "1h",
            min_burst: Annotated[int, typer.Option(help="uploads per window before a burst counts")] = 50,
            dup_threshold: Annotated[int, typer.Option(help="same file this often is a flood")] = 5,
            as_json: JsonOpt = False) -> None:
    """Runbook C, step 2: upload-log analysis per user and case (floods, bursts against the account's history)."""
    from leh.services.ops.findings import make_report
    from leh.services.ops.uploads import anomaly_findings, upload_anomalies

    c = container("cli")
    with c.sessions() as db:
        result = upload_anomalies(db, window_seconds=_seconds(window, as_json), min_burst=min_burst,
                                  duplicate_threshold=dup_threshold)
    if not suspicious:
        emit(result if as_json else result["stats"], as_json,
             columns=["email", "case_id", "uploads", "bytes", "distinct_files", "baseline_per_window", "reasons"])
        return
    _report(c, make_report("uploads", anomaly_findings(result), uploads=result["suspicious"]), as_json)


# ------------------------------------------------------------------ weekly checklist
@ops_app.command("weekly")
def weekly(apply: Annotated[bool, typer.Option("--apply", help="fix what can be fixed: tmp/ sweep, S3 lifecycle rule")] = False,
           sample: Annotated[int, typer.Option(help="audit rows to sample")] = 500,
           as_json: JsonOpt = False) -> None:
    """Runbook section 3: tmp/ lifecycle, backup age, TLS certificate, audit-log PII sampling; exit 1 on failure."""
    from leh.services.ops.weekly import weekly as run

    c = container("cli")
    _report(c, run(c, apply=apply, sample=sample), as_json)


@ops_app.command("janitor")
def janitor(as_json: JsonOpt = False) -> None:
    """Delete tmp/ objects older than LEH_TMP_TTL_HOURS now (workers also do it every few minutes)."""
    from leh.services.ops.janitor import sweep_tmp

    c = container("cli")
    emit(sweep_tmp(c.objects, c.settings), as_json)


@ops_app.command("backup")
def backup(keep: Annotated[int | None, typer.Option(help="keep only the newest N backups")] = None,
           as_json: JsonOpt = False) -> None:
    """Weekly 2: consistent backup of the database and the evidence store into LEH_BACKUP_DIR."""
    from leh.services.ops.backup import make_backup

    c = container("cli")
    with _bar(as_json) as bar:
        out = make_backup(c, progress=_progress_fn(bar), keep=keep)
    _audit(c, AuditAction.ADMIN_BACKUP, object_type="backup", object_id=out["name"][:64], detail={"counts": out["counts"]})
    emit(out, as_json, columns=["name", "created_at", "engine", "bytes", "path"])


@ops_app.command("backups")
def backups(as_json: JsonOpt = False) -> None:
    """Complete backups in LEH_BACKUP_DIR, newest first."""
    from leh.services.ops.backup import list_backups

    emit([b.to_dict() for b in list_backups(container().settings)], as_json,
         columns=["name", "created_at", "engine", "bytes", "counts"])


@ops_app.command("restore-backup")
def restore_backup(name: Annotated[str | None, typer.Argument(help="backup name; the newest if omitted")] = None,
                   yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
                   force: Annotated[bool, typer.Option("--force", help="restore even while workers are running")] = False,
                   as_json: JsonOpt = False) -> None:
    """Put the database and evidence store back as in a backup, then rebuild the index and requeue waiting items."""
    from leh.services.ops.backup import restore_backup as run

    c = container("cli")
    if not yes and not typer.confirm("현재 데이터가 백업 시점으로 되돌아갑니다. 계속할까요?"):
        raise typer.Exit(1)
    try:
        with _bar(as_json) as bar:
            out = run(c, name, progress=_progress_fn(bar), force=force)
    except LehError as exc:
        _fail(exc, as_json)
    _audit(c, AuditAction.ADMIN_BACKUP_RESTORE, object_type="backup", object_id=out["backup"][:64],
           detail={"cases": out["cases"], "evidence": out["evidence"]})
    emit(out, as_json)
