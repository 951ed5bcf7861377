"""Run one parser in a child process with a memory cap and a wall-clock timeout.

Native parsers (pdfium, Pillow codecs, Tesseract, ffmpeg) meet hostile files: a segfault, a decompression
bomb or an endless loop must fail that one evidence with a clear code, never take the worker down. The child
is started with "spawn" (no inherited locks, sockets or threads from the worker) in its own process group,
so a timeout also kills the Tesseract/ffmpeg processes it started.

Only picklable values cross into the child: the `ParseContext` names its engines (`ctx.engines`, e.g.
stt_engine="whisper"), and the parser turns those names into engines inside the child with the one registry,
`leh.engines`; a built engine (loaded model, HTTP client, DB connection) never crosses.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from leh.domain.errors import EvidenceError, LehError
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.ports import set_progress_sink

log = logging.getLogger("leh.sandbox")

_MP = multiprocessing.get_context("spawn")
PROGRESS_INTERVAL_S = 0.5  # the child sends at most this often; the worker throttles its store writes again


def run_isolated(func_path: str, path: Path, ctx: ParseContext, *, timeout_s: float, memory_mb: int,
                 on_progress: Callable[[float, str], None] | None = None) -> ParseResult:
    """Call `module:function`(path, ctx) in a child; EvidenceErrors come back as raised there.

    Before its one result the child may send ("progress", fraction, stage) messages (from `report_progress`
    in the parser); they go to `on_progress` and never extend the deadline.

    Timeout → PARSE_TIMEOUT (child group killed). Killed by a signal, out of memory or an unexpected exception
    → PARSER_CRASHED.
    """
    reader, writer = _MP.Pipe(duplex=False)
    child = _MP.Process(target=_child_main, args=(writer, func_path, Path(path), ctx, memory_mb),
                        name=f"leh-parser:{func_path}", daemon=True)
    child.start()
    writer.close()  # the parent's copy: without this, a dead child would never show as EOF
    deadline = time.monotonic() + timeout_s
    try:
        message = _receive(reader, deadline)
        while isinstance(message, tuple) and message and message[0] == "progress":
            if on_progress is not None:
                _forward(on_progress, message)
            message = _receive(reader, deadline)
        if message is None:
            _kill(child)
            log.warning("parser timed out", extra={"parser": func_path, "timeout_s": timeout_s})
            raise EvidenceError("PARSE_TIMEOUT")
    finally:
        reader.close()
    if message == "eof":
        child.join(max(0.0, min(5.0, deadline - time.monotonic())))
        if child.exitcode is None:
            _kill(child)
        log.warning("parser died", extra={"parser": func_path, "exitcode": child.exitcode})
        raise EvidenceError("PARSER_CRASHED")
    child.join(5)
    if child.exitcode is None:
        _kill(child)
    return _unpack(message, func_path)


def _forward(on_progress: Callable[[float, str], None], message: tuple[Any, ...]) -> None:
    """Hand a progress message on; a failing callback (e.g. the store briefly down) never fails the parse."""
    try:
        on_progress(float(message[1]), str(message[2]))
    except Exception:
        log.warning("could not record parse progress", exc_info=True)


def _child_sink(writer: Connection) -> Callable[[float, str], None]:
    """Send progress to the parent, at most every PROGRESS_INTERVAL_S (and whenever the stage changes)."""
    last: list[Any] = [0.0, None]

    def send(fraction: float, stage: str) -> None:
        now = time.monotonic()
        if stage == last[1] and now - last[0] < PROGRESS_INTERVAL_S:
            return
        last[0], last[1] = now, stage
        writer.send(("progress", fraction, stage))

    return send


def _receive(reader: Connection, deadline: float) -> Any:
    """The child's next message (progress, or its one result), "eof" if it died without sending, or None at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not reader.poll(remaining):
        return None
    try:
        return reader.recv()
    except (EOFError, OSError):
        return "eof"
    except Exception:  # an unpicklable payload is a broken child, not a broken worker
        log.warning("unreadable parser result", exc_info=True)
        return "eof"


def _unpack(message: Any, func_path: str) -> ParseResult:
    kind = message[0]
    if kind == "ok":
        result: ParseResult = message[1]
        return result
    if kind == "evidence_error":
        _, code, text, retryable = message
        raise EvidenceError(code, text, retryable=retryable)
    # "crash": MemoryError or a bug in the parser. The traceback names code, not evidence contents.
    log.warning("parser crashed", extra={"parser": func_path, "error": message[1], "trace": message[2]})
    raise EvidenceError("PARSER_CRASHED")


def _kill(child: Any) -> None:
    """SIGKILL the child's process group (the child and any Tesseract/ffmpeg it started), then reap it."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        # The child had not yet made its own group (or is gone): kill just the child.
        child.kill()
    child.join(5)


def confine(memory_mb: int, what: str) -> None:
    """In a fresh child: its own process group, one thread per native library, an address-space cap."""
    # If this fails the child stays in the worker's group and a timeout kills the child alone.
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    # Native libraries read these at load time: one thread each keeps N parallel children at N cores.
    for name in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        log.warning("could not set the %s memory limit", what)


def _child_main(writer: Connection, func_path: str, path: Path, ctx: ParseContext, memory_mb: int) -> None:
    """Child entry: own process group, limits, thread caps, then the parser; progress messages, then exactly one
    result message back."""
    confine(memory_mb, "parser")
    try:
        module_name, func_name = func_path.split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        set_progress_sink(_child_sink(writer))
        result = func(path, ctx)
        message: tuple[Any, ...] = ("ok", result)
    except EvidenceError as exc:
        message = ("evidence_error", exc.code, exc.message_ko, exc.retryable)
    except LehError as exc:
        message = ("evidence_error", exc.code, exc.message_ko, False)
    except MemoryError:
        message = ("crash", "MemoryError", "")
    except BaseException as exc:  # everything, even SystemExit, must reach the parent as a message
        message = ("crash", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__))[-4000:])
    try:
        writer.send(message)
    except MemoryError:
        writer.send(("crash", "MemoryError", ""))
    except Exception as exc:  # e.g. a result too large or unpicklable
        writer.send(("crash", type(exc).__name__, ""))
    finally:
        writer.close()
