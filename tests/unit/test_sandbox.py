"""The parser sandbox: results, timeouts, crashes, memory cap and error pass-through, with real child processes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.sandbox import run_isolated
from tests.support.wait import wait_until

TARGETS = "tests.unit.sandbox_targets"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text("첫 줄\n둘째 줄\n", encoding="utf-8")
    return path


def run(target: str, path: Path, *, timeout_s: float = 20, memory_mb: int = 1024) -> ParseResult:
    return run_isolated(f"{TARGETS}:{target}", path, ParseContext(filename="sample.txt"), timeout_s=timeout_s,
                        memory_mb=memory_mb)


def test_good_parse_returns_segments_from_the_child(sample: Path) -> None:
    result = run("good", sample)
    assert [s.text for s in result.segments] == ["첫 줄", "둘째 줄"]
    assert [s.ref for s in result.segments] == [{"line": 1}, {"line": 2}]
    assert result.meta == {"omp": "1", "file": "sample.txt"}


def test_timeout_kills_the_child_and_returns_promptly(sample: Path) -> None:
    started = time.monotonic()
    with pytest.raises(EvidenceError) as err:
        run("sleep_long", sample, timeout_s=2)
    assert err.value.code == "PARSE_TIMEOUT"
    assert time.monotonic() - started < 2 + 2


def test_timeout_also_kills_processes_the_child_started(sample: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        run("sleep_with_grandchild", sample, timeout_s=3)
    assert err.value.code == "PARSE_TIMEOUT"
    pid = int((sample.parent / "grandchild.pid").read_text())
    wait_until(lambda: not _alive(pid), timeout=2, message=f"grandchild {pid} outlived the timeout")


def test_segfault_is_parser_crashed(sample: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        run("segfault", sample)
    assert err.value.code == "PARSER_CRASHED"


def test_allocation_past_the_memory_cap_is_parser_crashed(sample: Path) -> None:
    started = time.monotonic()
    with pytest.raises(EvidenceError) as err:
        run("allocate", sample, memory_mb=512)
    assert err.value.code == "PARSER_CRASHED"
    assert time.monotonic() - started < 15


def test_evidence_error_passes_through_with_code_message_and_retryable(sample: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        run("evidence_error", sample)
    assert (err.value.code, err.value.message_ko, err.value.retryable) == ("PDF_ENCRYPTED", "암호 테스트 메시지", True)


def test_unexpected_exception_is_parser_crashed(sample: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        run("buggy", sample)
    assert err.value.code == "PARSER_CRASHED"


def test_unknown_target_is_parser_crashed(sample: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        run("no_such_function", sample)
    assert err.value.code == "PARSER_CRASHED"


def _alive(pid: int) -> bool:
    try:
        # A zombie still answers kill(0): check its state too (it is reaped by init, not by us).
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.exists(f"/proc/{pid}")


def test_real_pdf_parser_runs_isolated(tmp_path: Path) -> None:
    from tests.unit.test_pdf_parser import PAGE_2, _write

    path = _write(tmp_path / "text.pdf", ("text", PAGE_2))
    result = run_isolated("leh.pipeline.parsers.pdf:parse", path, ParseContext(filename="text.pdf"), timeout_s=30,
                          memory_mb=2048)
    assert [s.text for s in result.segments] == ["\n".join(p) for p in PAGE_2]


def test_real_ocr_runs_under_the_memory_cap(tmp_path: Path) -> None:
    # Tesseract inherits the child's RLIMIT_AS: kor+eng must fit well inside the default 2 GiB.
    from tests.support.samples import korean_text_image
    from tests.unit.test_image_parser import LINES

    path = tmp_path / "text.png"
    korean_text_image(LINES[:2]).save(path)
    result = run_isolated("leh.pipeline.parsers.image:parse", path, ParseContext(filename="text.png"), timeout_s=60,
                          memory_mb=1024)
    assert "양육비를" in " ".join(s.text for s in result.segments)


def _flate_bomb_pdf(path: Path, inflated_mb: int) -> Path:
    """One page whose content stream is ~0.1 % of its inflated size: 300 MB of spaces in ~300 KB."""
    import io
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(b" " * (1 << 20)) for _ in range(inflated_mb)) + comp.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    stream = StreamObject()
    stream._data = data
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def test_pdf_decompression_bomb_is_stopped_by_the_memory_cap(tmp_path: Path) -> None:
    bomb = _flate_bomb_pdf(tmp_path / "bomb.pdf", 300)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(EvidenceError) as err:
        run_isolated("leh.pipeline.parsers.pdf:parse", bomb, ParseContext(filename="bomb.pdf"), timeout_s=60,
                     memory_mb=512)
    assert err.value.code == "PARSER_CRASHED"


def test_progress_messages_reach_the_worker_before_the_result(sample: Path) -> None:
    heard: list[tuple[float, str]] = []
    result = run_isolated(f"{TARGETS}:with_progress", sample, ParseContext(filename="sample.txt"), timeout_s=20,
                          memory_mb=1024, on_progress=lambda f, s: heard.append((f, s)))
    assert [s.text for s in result.segments] == ["끝"]
    assert heard == [(0.25, "transcribe"), (0.5, "transcribe"), (0.75, "transcribe")]


def test_a_failing_progress_callback_does_not_fail_the_parse(sample: Path) -> None:
    def broken(fraction: float, stage: str) -> None:
        raise RuntimeError("store down")

    result = run_isolated(f"{TARGETS}:with_progress", sample, ParseContext(filename="sample.txt"), timeout_s=20,
                          memory_mb=1024, on_progress=broken)
    assert [s.text for s in result.segments] == ["끝"]
