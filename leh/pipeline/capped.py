"""The analyze stage under the parsers' caps: a long-lived child process with the same memory limit and timeout.

Analysis (Kiwi morphemes, labels, summary, timeline, search tokens) of a very long text used to run in the worker
itself, where nothing bounded it. It now runs in a child started like the parser sandbox (`leh.pipeline.sandbox`:
"spawn", own process group, RLIMIT_AS, one thread per native library), but kept between items: Kiwi costs
1–2 s and about 520 MB to load, too much to pay per evidence, and the worker itself then never loads it.

One call at a time per child (a lock): the worker handles one item at a time anyway. A call past its deadline
kills the child's group (ANALYSIS_TIMEOUT); the memory cap reached (a MemoryError, or native code aborting on
std::bad_alloc, or the kernel's OOM kill) fails the item with ANALYSIS_TOO_LARGE; any other death with
ANALYSIS_CRASHED. After any of these the next call starts a fresh child, so one bad evidence never affects the next.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from leh.domain.errors import EvidenceError, LehError
from leh.pipeline.sandbox import _MP, _child_sink, _forward, _kill, _receive, confine
from leh.ports import set_progress_sink

log = logging.getLogger("leh.sandbox")

_OUT_OF_MEMORY = (-signal.SIGABRT, -signal.SIGKILL)


class CappedChild:
    """A reusable child process that runs `module:function`(*args) calls under a memory cap and a timeout."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        self._proc: Any = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return int(self._proc.pid) if self._proc is not None and self._proc.is_alive() else None

    def _start(self) -> Connection:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        self.close()
        parent, child = _MP.Pipe(duplex=True)
        proc = _MP.Process(target=_child_loop, args=(child, self.memory_mb), name="leh-analysis", daemon=True)
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        return parent

    def call(self, func_path: str, args: tuple[Any, ...], *, kwargs: dict[str, Any] | None = None, timeout_s: float,
             on_progress: Callable[[float, str], None] | None = None) -> Any:
        """The function's return value; its EvidenceErrors are raised here as they were raised there."""
        with self._lock:
            conn = self._start()
            deadline = time.monotonic() + timeout_s
            try:
                conn.send((func_path, args, kwargs or {}))
                message = _receive(conn, deadline)
                while isinstance(message, tuple) and message and message[0] == "progress":
                    if on_progress is not None:
                        _forward(on_progress, message)
                    message = _receive(conn, deadline)
            except (OSError, EOFError):
                message = "eof"
            if message is None:
                self.close()
                log.warning("analysis timed out", extra={"target": func_path, "timeout_s": timeout_s})
                raise EvidenceError("ANALYSIS_TIMEOUT")
            if message == "eof":
                exitcode = self._exitcode()
                self.close()
                log.warning("analysis child died", extra={"target": func_path, "exitcode": exitcode})
                # Native code (Kiwi) aborts on std::bad_alloc at the address-space cap; the kernel kills on OOM.
                raise EvidenceError("ANALYSIS_TOO_LARGE" if exitcode in _OUT_OF_MEMORY else "ANALYSIS_CRASHED")
            return self._unpack(message, func_path)

    def _exitcode(self) -> int | None:
        if self._proc is None:
            return None
        self._proc.join(5)
        return self._proc.exitcode  # type: ignore[no-any-return]

    def _unpack(self, message: Any, func_path: str) -> Any:
        kind = message[0]
        if kind == "ok":
            return message[1]
        if kind == "evidence_error":
            _, code, text, retryable = message
            raise EvidenceError(code, text, retryable=retryable)
        # A crash: memory is what a bounded analysis runs out of; a fresh child serves the next item either way.
        self.close()
        log.warning("analysis crashed", extra={"target": func_path, "error": message[1], "trace": message[2]})
        raise EvidenceError("ANALYSIS_TOO_LARGE" if message[1] == "MemoryError" else "ANALYSIS_CRASHED")

    def close(self) -> None:
        """Stop the child (its whole process group) if it runs."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        if self._proc is not None:
            if self._proc.is_alive():
                _kill(self._proc)
            else:
                self._proc.join(1)
        self._proc = self._conn = None


_children: dict[int, CappedChild] = {}
_children_lock = threading.Lock()


def shared_child(memory_mb: int) -> CappedChild:
    """This process's child for the cap `memory_mb` (one per cap; a worker has one)."""
    with _children_lock:
        child = _children.get(memory_mb)
        if child is None:
            child = _children[memory_mb] = CappedChild(memory_mb)
        return child


def _child_loop(conn: Connection, memory_mb: int) -> None:
    """Child entry: own process group, thread caps and memory limit, then one call after another until EOF."""
    confine(memory_mb, "analysis")
    set_progress_sink(_child_sink(conn))
    # A worker killed mid-item (SIGKILL, OOM) must not leave its child analysing on for nobody.
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    while True:
        try:
            func_path, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            _send(conn, _run(func_path, args, kwargs))
        except (EOFError, OSError):
            return


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _run(func_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    try:
        module_name, func_name = func_path.split(":")
        result = getattr(importlib.import_module(module_name), func_name)(*args, **kwargs)
        return ("ok", result)
    except EvidenceError as exc:
        return ("evidence_error", exc.code, exc.message_ko, exc.retryable)
    except LehError as exc:
        return ("evidence_error", exc.code, exc.message_ko, False)
    except MemoryError:
        return ("crash", "MemoryError", "")
    except BaseException as exc:  # everything, even SystemExit, must reach the parent as a message
        return ("crash", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__))[-4000:])


def _send(conn: Connection, message: tuple[Any, ...]) -> None:
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("crash", "MemoryError", ""))
    except (EOFError, OSError):
        raise
    except Exception as exc:  # e.g. a result that cannot be pickled
        conn.send(("crash", type(exc).__name__, ""))
