"""Helpers shared by the `leh` sub-commands: the container, and table-or-JSON output."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from leh.config import Settings
from leh.container import Container

console = Console()
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def container(process: str | None = None) -> Container:
    """The ports for this command; with `process`, logs go to LEH_DATA_DIR/logs/{process}.log."""
    c = Container(Settings())
    if process:
        from leh.logs import setup_logging

        setup_logging(c.settings, process)
    return c


def emit(rows: list[dict[str, Any]] | dict[str, Any], as_json: bool, columns: list[str] | None = None) -> None:
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if isinstance(rows, dict):
        rows = [rows]
    cols = columns or (list(rows[0]) if rows else [])
    table = Table(*cols)
    for r in rows:
        table.add_row(*("" if r.get(k) is None else str(r.get(k)) for k in cols))
    console.print(table)
