"""README's security section says what LEH guarantees (OWASP ASVS 5.0 level 2, level 3 for access control and
logging), each guarantee with the test that keeps it — and every test file it names exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def security_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "\n## Security\n" in text
    return text.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]


def guarantees() -> dict[str, list[str]]:
    """{guarantee: the test files of its row} from the section's table (guarantee | how | tested by)."""
    rows: dict[str, list[str]] = {}
    for line in security_section().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("guarantee", "---") or set(cells[0]) <= {"-"}:
            continue
        rows[cells[0]] = re.findall(r"`(tests/[\w/]+\.py)`", cells[2])
    return rows


def test_the_section_names_the_target_level() -> None:
    section = security_section()
    assert "ASVS 5.0" in section and "level 2" in section and "level 3" in section
    assert "access control" in section and "logging" in section


def test_every_guarantee_names_a_test_file_and_every_file_exists() -> None:
    rows = guarantees()
    assert len(rows) >= 10
    for guarantee, files in rows.items():
        assert files, f"{guarantee!r} names no test file"
        for name in files:
            path = REPO / name
            assert path.is_file(), f"{guarantee!r}: {name} does not exist"
            assert re.search(r"^def test_", path.read_text(encoding="utf-8"), re.M), f"{name} holds no test"
    named = {f for files in rows.values() for f in files}
    assert {"tests/security/test_pii_corpus.py", "tests/security/test_member_enumeration.py",
            "tests/integration/test_object_store_contract.py"} <= named

