"""Bounded work per item (issue 16): analysis runs in a capped child, in batches, over segments of bounded length;
an evidence past a cap fails alone with its code and the worker goes on with the next one."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest

from leh.analysis import analyzer
from leh.analysis.tokens import index_many
from leh.container import Container
from leh.domain.errors import ERROR_MESSAGES_KO, EvidenceError, NotFound
from leh.pipeline import processor
from leh.pipeline.capped import CappedChild
from leh.pipeline.split import MAX_SEGMENT_CHARS, split_long_segments
from leh.pipeline.worker import Worker
from leh.services import accounts, cases
from leh.services import evidence as evidence_svc

SENTENCES = ["남편이 어제 밤에 또 소리를 지르며 욕을 했다.", "오늘은 공원에 산책을 다녀왔다.",
             "한 번만 더 그 얘기 하면 죽여버린다고 했다.", "통장 잔고를 보니 돈이 모두 빠져나갔다?"]


def _one_line(chars: int) -> str:
    parts, size, n = [], 0, 0
    while size < chars:
        parts.append(SENTENCES[n % len(SENTENCES)])
        size += len(parts[-1]) + 1
        n += 1
    return " ".join(parts)


def test_a_huge_segment_is_cut_on_boundaries_and_every_piece_points_at_its_own_text() -> None:
    long_text = _one_line(9000) + "\n" + "가" * 4500  # sentences, a line break, then a run with no boundary at all
    segments: list[Any] = [
        {"seq": 0, "text": "앞 메시지", "kind": "speech", "speaker": "김준호", "ts": "2024-03-02T22:18:00+09:00", "ref": {"line": 3}},
        {"seq": 1, "text": long_text, "kind": "speech", "speaker": "이지은", "ts": "2024-03-02T22:19:00+09:00",
         "ref": {"line": 4, "char": 7}},
        {"seq": 2, "text": "뒤 메시지", "kind": "speech", "speaker": "김준호", "ts": None, "ref": {"line": 5}}]
    out = split_long_segments([dict(s) for s in segments])
    assert [s["seq"] for s in out] == list(range(len(out))) and len(out) > 6
    assert out[0]["text"] == "앞 메시지" and out[-1]["text"] == "뒤 메시지" and out[-1]["ref"] == {"line": 5}
    pieces = out[1:-1]
    assert all(len(p["text"]) <= MAX_SEGMENT_CHARS for p in pieces)
    for p in pieces:  # same speaker, time and line; ref.char is where the piece starts in the parser's text
        assert (p["speaker"], p["ts"], p["ref"]["line"]) == ("이지은", "2024-03-02T22:19:00+09:00", 4)
        start = p["ref"]["char"] - 7
        assert long_text[start : start + len(p["text"])] == p["text"]
    sentence_pieces = [p for p in pieces if p["ref"]["char"] - 7 < long_text.index("\n")]
    assert all(p["text"].endswith((".", "?")) for p in sentence_pieces)  # cut after a sentence, never inside one
    assert "".join(p["text"] for p in pieces).replace(" ", "") == long_text.replace(" ", "").replace("\n", "")
    short = [dict(s, text="짧은 메시지") for s in segments]
    assert split_long_segments(short) is short  # nothing long: left exactly as it was


def test_the_batched_analysis_gives_the_offline_analysis_and_the_search_tokens() -> None:
    segments: list[Any] = [{"seq": i, "text": t, "kind": "speech" if i % 3 else "system", "speaker": "김준호",
                            "ts": f"2024-03-0{1 + i % 5}T22:1{i % 10}:00+09:00"}
                           for i, t in enumerate(SENTENCES * 4 + ["", "  "])]
    derived, indexed = analyzer.analyze_bounded(segments, event_time=None, batch_chars=60)  # many small batches
    assert derived == analyzer.analyze_offline(segments, event_time=None)
    assert derived["labels"] and indexed == index_many([s["text"] for s in segments])


def test_the_capped_child_is_reused_and_replaced_after_a_timeout_or_an_abort() -> None:
    child = CappedChild(1024)
    try:
        first = child.call("os:getpid", (), timeout_s=60)
        assert first != os.getpid() and child.call("os:getpid", (), timeout_s=60) == first  # one child, kept
        with pytest.raises(EvidenceError) as timeout:
            child.call("time:sleep", (30,), timeout_s=0.5)
        assert timeout.value.code == "ANALYSIS_TIMEOUT" and child.pid is None  # its group was killed
        with pytest.raises(EvidenceError) as aborted:
            child.call("os:abort", (), timeout_s=60)  # what native code does on std::bad_alloc at the cap
        assert aborted.value.code == "ANALYSIS_TOO_LARGE"
        assert child.call("os:getpid", (), timeout_s=60) not in (first, None)  # a fresh child for the next item
    finally:
        child.close()


def _upload(container: Container, filename: str, data: bytes) -> str:
    with container.sessions() as db:
        try:
            user = accounts.get_user_by_email(db, "lawyer@test.local")
        except NotFound:
            user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="큰 파일 사건")
        doc = evidence_svc.upload_direct(db, container.settings, container.objects, container.evidence,
                                         container.queue, user, case_id=case.id, filename=filename,
                                         stream=io.BytesIO(data))
        db.commit()
    return str(doc["evidence_id"])


def _error(container: Container, evidence_id: str) -> tuple[str, str | None, str | None]:
    doc = container.evidence.get(evidence_id)
    assert doc is not None
    error = doc.get("error") or {}
    return doc["status"], error.get("code"), error.get("message")


def test_a_one_line_text_past_the_analysis_budget_fails_alone_and_the_worker_goes_on(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    container.settings.max_analysis_chars = 300_000
    big = _upload(container, "한줄.txt", _one_line(5 * 1024 * 1024 // 3).encode())  # ~5 MB on one line
    memo = _upload(container, "메모.txt", "2024년 3월 2일 남편이 소리를 지르며 욕을 했다.\n".encode())
    heard: list[tuple[float, str, float]] = []
    hear = processor._ProgressWriter.__call__

    def record(self: Any, fraction: float, stage: str) -> None:
        heard.append((fraction, stage, self.start))
        hear(self, fraction, stage)

    monkeypatch.setattr(processor._ProgressWriter, "__call__", record)
    worker = Worker(container, worker_id="w-1")
    assert worker.run_once() == 1 and worker.run_once() == 1
    assert _error(container, big) == ("failed", "ANALYSIS_TOO_LARGE", ERROR_MESSAGES_KO["ANALYSIS_TOO_LARGE"])
    assert _error(container, memo) == ("done", None, None)
    done = container.evidence.get(memo)
    assert done is not None and done["labels"] and done["stage"] is None
    # The analysis reported its progress from the child, into the analyze span of the bar.
    assert (1.0, "analyze", processor.ANALYZE_START) in heard
    assert [h.evidence_id for h in container.index.search(done["case_id"], "욕")] == [memo]


def test_the_analysis_runs_under_the_parsers_memory_cap(container: Container) -> None:
    container.settings.parser_memory_mb = 300  # Kiwi alone needs more: only the child can hit this, never the worker
    first = _upload(container, "메모.txt", "남편이 어제 또 욕을 했다.\n".encode())
    worker = Worker(container, worker_id="w-2")
    assert worker.run_once() == 1
    assert _error(container, first)[:2] == ("failed", "ANALYSIS_TOO_LARGE")
    container.settings.parser_memory_mb = 4096
    second = _upload(container, "메모2.txt", "남편이 어제 또 욕을 했다.\n".encode())
    assert worker.run_once() == 1  # the same worker, alive, takes the next item
    assert _error(container, second) == ("done", None, None)
