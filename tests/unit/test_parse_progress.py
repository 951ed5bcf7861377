"""Parse progress as the worker writes it: mapped into the extract span, at most once a second, forwards only."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from leh.domain.errors import Conflict
from leh.domain.labels import STAGE_KO, status_label
from leh.pipeline import processor
from leh.ports import report_progress


class _Store:
    def __init__(self, fail: bool = False) -> None:
        self.writes: list[dict[str, Any]] = []
        self.fail = fail

    def update(self, evidence_id: str, changes: dict[str, Any], *, expect_status: Any = None) -> dict[str, Any]:
        if self.fail:
            raise Conflict()
        self.writes.append(dict(changes))
        return {}


def test_progress_is_mapped_throttled_and_only_moves_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(processor.time, "monotonic", lambda: clock[0])
    store = _Store()
    write = processor._ProgressWriter(SimpleNamespace(evidence=store), "e1")  # type: ignore[arg-type]
    for t, fraction in [(100.2, 0.1), (100.5, 0.2), (101.3, 0.5), (101.4, 0.9), (102.5, 0.4), (103.6, 1.0)]:
        clock[0] = t
        write(fraction, "transcribe")
    assert store.writes == [{"progress": 0.105, "stage": "transcribe"}, {"progress": 0.325, "stage": "transcribe"},
                            {"progress": 0.6, "stage": "transcribe"}]
    assert STAGE_KO["transcribe"] == "음성 인식" and status_label("processing", "transcribe") == "처리 중 · 음성 인식"


def test_a_store_refusal_never_fails_the_parse() -> None:
    write = processor._ProgressWriter(SimpleNamespace(evidence=_Store(fail=True)), "e1")  # type: ignore[arg-type]
    write(0.5, "read_pages")  # evidence deleted or reset meanwhile: just no more updates


def test_inline_parsers_report_through_the_sink_of_their_call(tmp_path: Any) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("첫 줄\n둘째 줄\n" * 50, encoding="utf-8")
    heard: list[tuple[float, str]] = []
    ctx = processor.ParseContext(filename="memo.txt")
    result = processor.run_parser("text", path, ctx, lambda f, s: heard.append((f, s)))
    assert result.segments and heard and heard[-1] == (1.0, "read_text")
    report_progress(0.5, "read_text")  # outside the call: no sink, nothing heard
    assert heard[-1] == (1.0, "read_text")
