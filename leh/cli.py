"""The `leh` command: run, serve, worker, upload, admin and ops (the runbook, automated)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TransferSpeedColumn

from leh.cli_common import JsonOpt, console, container, emit
from leh.container import Container
from leh.ops_cli import ops_app

app = typer.Typer(help="LEH — Legal Evidence Hub", no_args_is_help=True, add_completion=False)
admin_app = typer.Typer(help="Accounts: create, block, unblock, reset password.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
app.add_typer(ops_app, name="ops")


def _prepare(c: Container) -> None:
    c.migrate()
    from leh.bootstrap import ensure_admin, ensure_demo

    created = ensure_admin(c)
    if created:
        email, password = created
        # Plain echo, not Rich: credentials must never be wrapped across lines.
        typer.echo(f"관리자 계정이 만들어졌습니다 (이 비밀번호는 한 번만 표시됩니다): {email} / {password}")
        if c.settings.demo:
            case_id = ensure_demo(c, password)
            if case_id:
                typer.echo(f"데모 사건과 데모 변호사 계정: demo.lawyer@leh.local / {password}")


# ------------------------------------------------------------------ processes
@app.command()
def serve() -> None:
    """The web UI and JSON API only."""
    import uvicorn

    from leh.api.app import create_app

    c = container("server")
    _prepare(c)
    uvicorn.run(create_app(c), host=c.settings.host, port=c.settings.port, log_level="warning", access_log=False)


@app.command()
def worker() -> None:
    """One AI worker: pulls evidence events and runs the pipeline until SIGTERM."""
    from leh.pipeline.worker import Worker

    c = container(f"worker-{os.getpid()}")
    Worker(c).run()


def _supervise(n: int, stop: threading.Event) -> None:
    """Keep n worker processes alive; a worker that dies is replaced (its item is redelivered by the queue)."""
    procs: list[subprocess.Popen[bytes]] = []
    cmd = [sys.executable, "-m", "leh", "worker"]
    try:
        while not stop.is_set():
            procs = [p for p in procs if p.poll() is None]
            while len(procs) < n:
                procs.append(subprocess.Popen(cmd))
            stop.wait(1.0)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


@app.command()
def run() -> None:
    """Everything on one machine: server plus LEH_WORKERS worker processes, embedded defaults."""
    import uvicorn

    from leh.api.app import create_app

    c = container("server")
    _prepare(c)
    stop = threading.Event()
    sup = threading.Thread(target=_supervise, args=(c.settings.workers, stop), daemon=True)
    sup.start()
    console.print(f"LEH: http://{c.settings.host}:{c.settings.port}  (workers: {c.settings.workers}, data: {c.settings.data_dir})")
    try:
        uvicorn.run(create_app(c), host=c.settings.host, port=c.settings.port, log_level="warning", access_log=False)
    finally:
        stop.set()
        sup.join(timeout=30)


@app.command()
def migrate() -> None:
    """Bring the database schema to the newest revision."""
    container().migrate()
    console.print("migrated")


@app.command()
def upload(case: Annotated[str, typer.Option("--case", help="case id")], paths: list[Path],
           email: Annotated[str, typer.Option(envvar="LEH_USER_EMAIL", help="uploading user")] = "",
           as_json: JsonOpt = False) -> None:
    """Bulk upload from a terminal, with a progress bar."""
    from leh.services import accounts, audit
    from leh.services import evidence as ev

    c = container("cli")
    files = [p for path in paths for p in (sorted(path.rglob("*")) if path.is_dir() else [path]) if p.is_file()]
    results = []
    with c.sessions() as db:
        user = accounts.get_user_by_email(db, email) if email else _single_owner(db, case)
        with Progress(TextColumn("{task.description}"), BarColumn(), TransferSpeedColumn(), console=console,
                      disable=as_json) as bar:
            task = bar.add_task("업로드", total=sum(f.stat().st_size for f in files))
            for f in files:
                try:
                    with open(f, "rb") as fh:
                        doc = ev.upload_direct(c, db, user, case_id=case, filename=f.name, stream=fh)
                    db.commit()
                    audit.record(c.sessions, action="evidence.create", actor_id=user.id, object_type="evidence",
                                 object_id=doc["evidence_id"], detail={"case_id": case, "via": "cli"})
                    results.append({"file": str(f), "evidence_id": doc["evidence_id"], "status": doc["status"]})
                except Exception as exc:
                    code = getattr(exc, "code", type(exc).__name__)
                    results.append({"file": str(f), "error": code, "message": getattr(exc, "message_ko", "")})
                bar.advance(task, f.stat().st_size)
    emit(results, as_json, columns=["file", "evidence_id", "status", "error"])
    if any("error" in r for r in results):
        raise typer.Exit(1)


def _single_owner(db, case_id: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from leh.domain.errors import NotFound
    from leh.models import CaseMember, User

    owner = db.scalar(select(User).join(CaseMember, CaseMember.user_id == User.id)
                      .where(CaseMember.case_id == case_id, CaseMember.role == "owner"))
    if owner is None:
        raise NotFound("CASE_NOT_FOUND")
    return owner


# ------------------------------------------------------------------ admin
@admin_app.command("create-user")
def create_user(email: Annotated[str, typer.Option()], password: Annotated[str, typer.Option()],
                role: Annotated[str, typer.Option(help="lawyer|staff|admin")],
                name: Annotated[str, typer.Option()] = "") -> None:
    from leh.services import accounts, audit

    c = container("cli")
    c.migrate()
    with c.sessions() as db:
        user = accounts.create_user(db, email=email, password=password, role=role, name=name)
        db.commit()
    audit.record(c.sessions, action="admin.user_create", object_type="user", object_id=user.id,
                 detail={"email": email, "role": role, "via": "cli"})
    console.print(f"created {user.email} ({user.role}) id={user.id}")


def _set_block(email: str, blocked: bool) -> None:
    from leh.services import accounts, admin, audit

    c = container("cli")
    with c.sessions() as db:
        user = accounts.get_user_by_email(db, email)
        n = admin.block_user(c, db, user) if blocked else admin.unblock_user(c, db, user)
        db.commit()
        uid = user.id
    audit.record(c.sessions, action="admin.user_block" if blocked else "admin.user_unblock", object_type="user",
                 object_id=uid, detail={"via": "cli", "evidence": n})
    console.print(f"{email}: {'blocked' if blocked else 'unblocked'} ({'paused' if blocked else 'resumed'} {n} evidence)")


@admin_app.command()
def block(email: str) -> None:
    """Block an account: its tokens stop working at once, its queued evidence is paused."""
    _set_block(email, True)


@admin_app.command()
def unblock(email: str) -> None:
    _set_block(email, False)


@admin_app.command("reset-password")
def reset_password(email: str, password: Annotated[str, typer.Option(help="new password; generated if empty")] = "") -> None:
    from leh.services import accounts, audit

    c = container("cli")
    new = password or accounts.generate_password()
    with c.sessions() as db:
        user = accounts.get_user_by_email(db, email)
        accounts.reset_password(db, user, new)
        db.commit()
        uid = user.id
    audit.record(c.sessions, action="admin.password_reset", object_type="user", object_id=uid, detail={"via": "cli"})
    console.print(f"{email}: password reset" + ("" if password else f" → {new}"))


@admin_app.command("list-users")
def list_users(as_json: JsonOpt = False) -> None:
    from leh.services import accounts

    with container().sessions() as db:
        emit([accounts.user_public(u) for u in accounts.list_users(db)], as_json,
              columns=["email", "name", "role", "status", "id"])


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()


