"""`leh admin …`: accounts from a terminal (create, block, unblock, reset password, list)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from leh.cli._output import JsonOpt, console, container, emit
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError


@contextmanager
def _clean_errors() -> Iterator[None]:
    """A refused command prints its code and Korean message and exits 1, never a traceback."""
    try:
        yield
    except LehError as exc:
        typer.echo(f"{exc.code}: {exc.message_ko}", err=True)
        raise typer.Exit(1) from exc

admin_app = typer.Typer(help="Accounts: create, block, unblock, reset password.", no_args_is_help=True)


@admin_app.command("create-user")
def create_user(email: Annotated[str, typer.Option()], password: Annotated[str, typer.Option()],
                role: Annotated[str, typer.Option(help="lawyer|staff|admin")],
                name: Annotated[str, typer.Option()] = "") -> None:
    from leh.services import accounts, audit

    c = container("cli")
    c.migrate()
    with _clean_errors(), c.sessions() as db:
        user = accounts.create_user(db, email=email, password=password, role=role, name=name)
        db.commit()
    audit.record(c.sessions, action=AuditAction.ADMIN_USER_CREATE, object_type="user", object_id=user.id,
                 detail={"email": email, "role": role, "via": "cli"})
    console.print(f"created {user.email} ({user.role}) id={user.id}")


def _set_block(email: str, blocked: bool) -> None:
    from leh.services import accounts, admin, audit

    c = container("cli")
    with _clean_errors(), c.sessions() as db:
        user = accounts.get_user_by_email(db, email)
        n = (admin.block_user(db, c.evidence, user) if blocked
             else admin.unblock_user(db, c.evidence, c.index, c.queue, user))
        db.commit()
        uid = user.id
    audit.record(c.sessions, action=AuditAction.ADMIN_USER_BLOCK if blocked else AuditAction.ADMIN_USER_UNBLOCK, object_type="user",
                 object_id=uid, detail={"via": "cli", "evidence": n})
    console.print(f"{email}: {'blocked' if blocked else 'unblocked'} ({'paused' if blocked else 'resumed'} {n} evidence)")


@admin_app.command()
def block(email: str) -> None:
    """Block an account: its tokens stop working at once, its queued evidence is paused."""
    _set_block(email, True)


@admin_app.command()
def unblock(email: str) -> None:
    _set_block(email, False)


@admin_app.command()
def unlock(email: str) -> None:
    """Lift a login lock (too many failed logins) before it runs out."""
    from leh.services import accounts, audit, login_throttle

    c = container("cli")
    with _clean_errors(), c.sessions() as db:
        user = accounts.get_user_by_email(db, email)
        was = login_throttle.unlock(db, c.settings, user.email)
        db.commit()
        uid = user.id
    audit.record(c.sessions, action=AuditAction.ADMIN_USER_UNLOCK, object_type="user", object_id=uid,
                 detail={"via": "cli", "was_locked": was})
    console.print(f"{email}: {'unlocked' if was else 'was not locked'}")


@admin_app.command("reset-password")
def reset_password(email: str, password: Annotated[str, typer.Option(help="new password; generated if empty")] = "") -> None:
    from leh.services import accounts, audit

    c = container("cli")
    new = password or accounts.generate_password()
    with _clean_errors(), c.sessions() as db:
        user = accounts.get_user_by_email(db, email)
        accounts.reset_password(db, user, new)
        db.commit()
        uid = user.id
    audit.record(c.sessions, action=AuditAction.ADMIN_PASSWORD_RESET, object_type="user", object_id=uid, detail={"via": "cli"})
    console.print(f"{email}: password reset" + ("" if password else f" → {new}"))


@admin_app.command("list-users")
def list_users(as_json: JsonOpt = False) -> None:
    from leh.services import accounts

    with container().sessions() as db:
        emit([accounts.user_public(u) for u in accounts.list_users(db)], as_json,
              columns=["email", "name", "role", "status", "id"])
