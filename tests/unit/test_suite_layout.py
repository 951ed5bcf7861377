"""`make test` runs the unit tests in parallel, then the rest: both selections must hold tests and any failure must stop make."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_each_marker_selection_has_tests_so_pytest_never_exits_5() -> None:
    for folder in ("unit", "integration", "e2e", "security"):
        files = sorted((ROOT / "tests" / folder).glob("test_*.py"))
        assert any(re.search(r"^def test_", f.read_text(encoding="utf-8"), re.M) for f in files), folder


def test_make_test_runs_unit_in_parallel_then_the_rest_and_stops_on_failure() -> None:
    pytest_lines = [line for line in _recipe("test") if "bin/pytest" in line]
    assert [re.sub(r".*bin/pytest", "pytest", line) for line in pytest_lines] == [
        "pytest -n 2 -m unit", 'pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not unit"',
    ]
    # make stops at the first failing line unless the line is prefixed with "-" or its status is swallowed.
    assert not any(line.startswith("-") or "|| true" in line or "; true" in line for line in _recipe("test"))
