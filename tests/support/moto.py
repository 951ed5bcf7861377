"""One `moto_server` (S3, SQS, DynamoDB, … over real HTTP) per test session, on a free loopback port.

`moto_server` is started once, on first use, and stopped at exit. Tests reach it with boto3 through
`endpoint_url()`; `aws_env()` gives the dummy credentials and region (also put in this process's environment,
so boto3 clients made by adapters find them). Names from `unique_name()` keep tests apart on the shared server.
`aws_settings()` and `deployed()` run LEH's scale-out profile on it; `presign()` and `post_to_s3()` are the
browser's presigned-POST upload.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from leh.config import Settings
from leh.container import Container
from leh.services.ops.aws_setup import setup_aws
from tests.conftest import ADMIN, make_user
from tests.support.live import Api, LehProcesses, running_leh
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


def aws_settings(**extra: str) -> dict[str, str]:
    """LEH_* settings of the scale-out profile on moto, with fresh bucket and queue names."""
    url, name = endpoint_url(), unique_name()
    return {"LEH_S3_BUCKET": name, "LEH_S3_ENDPOINT_URL": url, "LEH_SQS_ENDPOINT_URL": url,
            "LEH_SQS_QUEUE_URL": f"{url}/123456789012/{name}", "LEH_SQS_DLQ_URL": f"{url}/123456789012/{name}-dlq",
            "LEH_AWS_REGION": REGION, **extra}


@dataclass
class Deployment:
    procs: LehProcesses
    env: dict[str, str]
    admin: Api
    lawyer: Api

    def worker(self) -> None:
        """One live worker (a test may have killed the previous one)."""
        if not any(w.poll() is None for w in self.procs.workers):
            self.procs.start_worker()


@contextmanager
def deployed(tmp: Path) -> Iterator[Deployment]:
    """`leh serve` + one `leh worker` on S3 + SQS, set up by the setup-aws service (which versions the bucket; 2
    attempts, 4 s visibility), with the admin's client and a lawyer's."""
    env = aws_settings(LEH_QUEUE_MAX_ATTEMPTS="2", LEH_QUEUE_VISIBILITY_SECONDS="4")
    settings = Settings(**{k[4:].lower(): v for k, v in env.items()}, data_dir=tmp / "setup")  # type: ignore[arg-type]
    c = Container(settings)
    report = setup_aws(settings, bucket=c.bucket_setup, queues=c.queue_setup, lifecycle=c.tmp_lifecycle, check_only=False)
    assert [f["check"] for f in report["findings"] if f["status"] == "fail"] == [], report
    with running_leh(tmp / "var", workers=1, **env) as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        yield Deployment(procs, env, admin, make_user(admin, "lawyer@test.local"))


def presign(lawyer: Api, case_id: str, body: bytes, name: str = "KakaoTalk_20240105.txt") -> dict[str, Any]:
    """A presigned POST target on the moto bucket for `body` (`POST /api/evidence/presigned-url`)."""
    up: dict[str, Any] = lawyer.data("POST", "/api/evidence/presigned-url", 201, json={
        "case_id": case_id, "filename": name, "content_type": "text/plain", "size": len(body)})
    assert up["method"] == "POST" and up["upload_url"].startswith(endpoint_url()) and up["expires_in"] <= 300
    return up


def post_to_s3(up: dict[str, Any], body: bytes) -> None:
    """What the browser does with a POST target: the signed fields, then the file."""
    resp = httpx.post(up["upload_url"], data=up["fields"], files={"file": ("f", body, "text/plain")})
    assert resp.status_code == 204, resp.text
