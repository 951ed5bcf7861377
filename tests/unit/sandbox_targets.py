"""Tiny parsers for tests/unit/test_sandbox.py; they run in the sandbox's spawned child, so they must be importable."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult


def good(path: Path, ctx: ParseContext) -> ParseResult:
    text = path.read_text(encoding="utf-8")
    segments = [Segment(seq=i, text=line, kind="text", ref={"line": i + 1}) for i, line in enumerate(text.splitlines())]
    return ParseResult(segments=segments, meta={"omp": os.environ.get("OMP_THREAD_LIMIT"), "file": ctx.filename})


def sleep_long(path: Path, ctx: ParseContext) -> ParseResult:
    time.sleep(60)
    raise AssertionError("the sandbox should have killed this child")


def sleep_with_grandchild(path: Path, ctx: ParseContext) -> ParseResult:
    """Starts a long `sleep` (as Tesseract would run) and records its pid in the input file's folder."""
    proc = subprocess.Popen(["sleep", "60"])
    (path.parent / "grandchild.pid").write_text(str(proc.pid))
    proc.wait()
    raise AssertionError("the sandbox should have killed this child")


def segfault(path: Path, ctx: ParseContext) -> ParseResult:
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(5)
    raise AssertionError("unreachable")


def allocate(path: Path, ctx: ParseContext) -> ParseResult:
    blocks = [bytearray(256 * 1024 * 1024) for _ in range(16)]  # 4 GiB, far past the test's cap
    return ParseResult(segments=[], meta={"blocks": len(blocks)})


def evidence_error(path: Path, ctx: ParseContext) -> ParseResult:
    raise EvidenceError("PDF_ENCRYPTED", "암호 테스트 메시지", retryable=True)


def buggy(path: Path, ctx: ParseContext) -> ParseResult:
    raise ZeroDivisionError("a parser bug")


def with_progress(path: Path, ctx: ParseContext) -> ParseResult:
    """Reports three steps, 0.6 s apart (past the child's send interval), then returns one segment."""
    from leh.ports import report_progress

    for fraction in (0.25, 0.5, 0.75):
        report_progress(fraction, "transcribe")
        time.sleep(0.6)
    return ParseResult(segments=[Segment(seq=0, text="끝", kind="text")], meta={})
