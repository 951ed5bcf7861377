"""`leh serve | worker | run | migrate`: the processes of one LEH installation (DESIGN.md section 7)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Final

import typer
from fastapi import FastAPI

from leh.cli._output import console, container
from leh.container import Container
from leh.services.ops import watchdog

log = logging.getLogger("leh.cli")


def _prepare(c: Container) -> None:
    c.migrate()
    from leh.bootstrap import ensure_admin, ensure_demo

    created = ensure_admin(c)
    if created:
        email, password = created
        # Plain echo, not Rich: credentials must never be wrapped across lines.
        typer.echo(f"관리자 계정이 만들어졌습니다 (이 비밀번호는 한 번만 표시됩니다): {email} / {password}")
        if c.settings.demo:
            demo = ensure_demo(c)
            if demo:
                typer.echo(f"데모 사건과 데모 변호사 계정 (별도 비밀번호, 한 번만 표시): demo.lawyer@leh.local / {demo[1]}")


WORKER_STOP_SECONDS: Final = 20  # a stopping worker's time to finish the item in hand
HEALTHCHECK_SECONDS: Final = 60  # uvicorn's default (5 s) kills a child busy in a native call (Kiwi) on 2 loaded cores


def server_app() -> FastAPI:
    """The app of one server process when there are several (uvicorn's factory, called in each child).

    The Korean analyser is loaded here, before the child serves: loading it holds the interpreter for seconds,
    and a child that cannot answer uvicorn's health check in time is killed and replaced.
    """
    from leh.analysis.morph import kiwi
    from leh.api.app import create_app

    kiwi()
    return create_app(container(f"server-{os.getpid()}"))


def _warm_analyser() -> None:
    """Load the Korean analyser while the server starts: else the first search or question waits seconds for it."""
    from leh.analysis.morph import kiwi

    kiwi()


def _http(c: Container) -> None:
    """Serve the app: in this process, or in LEH_SERVER_PROCESSES processes sharing the port."""
    import uvicorn

    from leh.api.app import create_app

    s = c.settings
    if s.server_processes == 1:
        threading.Thread(target=_warm_analyser, name="warm-analyser", daemon=True).start()
        uvicorn.run(create_app(c), host=s.host, port=s.port, log_level="warning", access_log=False)
    else:  # each child builds its own container from the same settings (environment and .env)
        uvicorn.run("leh.cli.processes:server_app", factory=True, workers=s.server_processes, host=s.host,
                    port=s.port, log_level="warning", access_log=False, timeout_worker_healthcheck=HEALTHCHECK_SECONDS)


def serve() -> None:
    """The web UI and JSON API only."""
    c = container("server")
    _prepare(c)
    _http(c)


def worker() -> None:
    """One AI worker: pulls evidence events and runs the pipeline until SIGTERM."""
    from leh.pipeline.worker import Worker

    c = container(f"worker-{os.getpid()}")
    # Kiwi's model loads in one native call that holds the GIL for seconds (~20 s on a loaded 2-core machine): done
    # lazily inside an item, it starved the heartbeat thread and the watchdog took the live worker for dead. Offline,
    # analysis runs in the capped child (leh/pipeline/capped.py), which holds Kiwi, and the worker never loads it;
    # with the OpenAI engine the worker pseudonymises names itself, so it loads Kiwi here, before taking anything.
    if c.settings.openai_api_key:
        from leh.analysis.morph import kiwi

        kiwi()
    Worker(c).run()


def _supervise(c: Container, n: int, stop: threading.Event) -> None:
    """Keep n worker processes alive; a worker that dies is replaced (its item is redelivered by the queue).

    On stop each worker gets WORKER_STOP_SECONDS to finish the item in hand. One still busy then (a long recording,
    a loaded machine) is killed and its item handed back to the queue at once by the watchdog, so a clean stop
    never leaves evidence `processing` under a worker that no longer exists."""
    procs: list[subprocess.Popen[bytes]] = []
    cmd = [sys.executable, "-m", "leh", "worker"]
    try:
        while not stop.is_set():
            procs = [p for p in procs if p.poll() is None]
            while len(procs) < n:
                procs.append(subprocess.Popen(cmd))
            stop.wait(1.0)
    finally:
        _stop_workers(c, procs)


def _stop_workers(c: Container, procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    deadline = time.monotonic() + WORKER_STOP_SECONDS
    killed = 0
    for p in procs:
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            killed += 1
    if killed:
        handed = watchdog.reclaim(c)
        log.warning("workers killed at stop: their items handed back to the queue",
                    extra={"killed": killed, "requeued": sum(len(r["requeued"]) for r in handed)})


def run() -> None:
    """Everything on one machine: server plus LEH_WORKERS worker processes, embedded defaults."""
    c = container("server")
    _prepare(c)
    stop = threading.Event()
    # uvicorn hands SIGTERM back to the handler it found once the server has shut down: with the default one the
    # process died right there, before the `finally` below, and the workers ran on as orphans. With this one the
    # server's shutdown is followed by the workers' (each finishes the item in hand).
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sup = threading.Thread(target=_supervise, args=(c, c.settings.workers, stop), daemon=True)
    sup.start()
    console.print(f"LEH: http://{c.settings.host}:{c.settings.port}  (workers: {c.settings.workers}, data: {c.settings.data_dir})")
    try:
        _http(c)
    finally:
        stop.set()
        sup.join(timeout=30)


def migrate() -> None:
    """Bring the database schema to the newest revision."""
    container().migrate()
    console.print("migrated")
