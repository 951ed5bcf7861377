"""The `leh` command (console script `leh = "leh.cli:app"`, and `python -m leh`): one CLI in one package.

run, serve, worker and migrate (`processes`), upload (`upload`), `leh admin …` (`admin`) and `leh ops …`
(`ops`, the runbook automated). Commands are entry points: they get the ports from the container
(`_output.container`) and call services; they run no SQL and take no business step themselves.
"""

from __future__ import annotations

import typer

from leh.cli import admin, ops, processes, upload

app = typer.Typer(help="LEH — Legal Evidence Hub", no_args_is_help=True, add_completion=False)
app.add_typer(admin.admin_app, name="admin")
app.add_typer(ops.ops_app, name="ops")
for _command in (processes.serve, processes.worker, processes.run, processes.migrate, upload.upload):
    app.command()(_command)


def main() -> None:  # pragma: no cover - console entry point
    app()
