"""The README's settings table documents every field of Settings, with its real default, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import AliasChoices

from leh.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def settings_table() -> dict[str, str]:
    """{variable name: default cell} from the `## Settings` table; a row may name aliases: `A` (or `B`)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`([A-Z0-9_]+)`", cells[0]):
            assert name not in rows, f"{name} documented twice"
            rows[name] = cells[1]
    return rows


def env_names(field: str) -> list[str]:
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(a) for a in alias.choices]
    return ["LEH_" + field.upper()]


def documented_default(cell: str) -> Any:
    """None for "unset …", else the first `literal` of the cell, as written."""
    if cell.startswith("unset"):
        return None
    m = re.match(r"`([^`]*)`", cell)
    assert m, f"default cell {cell!r} neither unset nor a `literal`"
    return m.group(1)


def same(default: Any, written: Any) -> bool:
    if default is None or written is None:
        return default is None and written is None
    if isinstance(default, bool):
        return written == str(default).lower()
    if isinstance(default, Path):
        return Path(written) == default
    if isinstance(default, (int, float)):
        return float(written) == float(default)
    return bool(written == default)


def test_every_settings_field_is_in_the_readme_table_with_its_default() -> None:
    table = settings_table()
    for field, info in Settings.model_fields.items():
        names = env_names(field)
        assert all(n in table for n in names), f"{field}: add {names} to the README settings table"
        written = documented_default(table[names[0]])
        assert same(info.default, written), f"{names[0]}: README says {written!r}, Settings has {info.default!r}"


def test_the_readme_table_names_no_setting_that_does_not_exist() -> None:
    known = {n for field in Settings.model_fields for n in env_names(field)}
    assert sorted(set(settings_table()) - known) == []
    assert len(settings_table()) == len(known) > 50
