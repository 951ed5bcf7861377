"""One `moto_server` (S3, SQS, DynamoDB, … over real HTTP) per test session, on a free loopback port.

`moto_server` is started once, on first use, and stopped at exit. Tests reach it with boto3 through
`endpoint_url()`; `aws_env()` gives the dummy credentials and region (also put in this process's environment,
so boto3 clients made by adapters find them). Names from `unique_name()` keep tests apart on the shared server.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from tests.support.wait import wait_until

REGION = "ap-northeast-2"
_AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION}
_server: tuple[subprocess.Popen[bytes], str] | None = None


def aws_env() -> dict[str, str]:
    """Dummy credentials and the region, for this process and for child processes (`leh worker`, …)."""
    return dict(_AWS_ENV)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def endpoint_url() -> str:
    """The running moto_server's URL (started on first call, stopped when the test session ends)."""
    global _server
    if _server is not None and _server[0].poll() is None:
        return _server[1]
    os.environ.update(_AWS_ENV)
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, **_AWS_ENV})
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited with {proc.returncode}")
        try:
            return httpx.get(url + "/moto-api/", timeout=1).status_code < 500
        except httpx.HTTPError:
            return False

    wait_until(ready, timeout=30, interval=0.1, message="moto_server did not start")
    _server = (proc, url)
    atexit.register(_stop, proc)
    return url


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def unique_name(prefix: str = "leh") -> str:
    """A bucket/queue/table name no other test uses (lower case, ≥ 3 characters, valid for S3 and SQS)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def client(service: str) -> object:
    """A boto3 client of `service` on the moto server (path-style for S3)."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, endpoint_url=endpoint_url(), region_name=REGION,
                        config=Config(s3={"addressing_style": "path"}))
