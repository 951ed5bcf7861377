"""The tmp/ lifecycle rule on S3 (weekly checklist 1), against a real S3 API served by `moto_server`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest

from leh.adapters.s3_lifecycle import RULE_ID, S3TmpLifecycle
from leh.config import Settings
from leh.container import Container
from leh.services.ops.weekly import ttl_days
from tests.support.live import free_port
from tests.support.wait import wait_until


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for k, v in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "ap-northeast-2"}.items():
        monkeypatch.setenv(k, v)
    port = free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert proc.poll() is None, "moto_server exited"
        try:
            httpx.get(url, timeout=1)
        except httpx.HTTPError:
            return False
        return True

    wait_until(answers, timeout=30, interval=0.1, message="moto_server did not start")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_missing_rule_is_found_and_installed_next_to_other_rules(s3_endpoint: str) -> None:
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="ap-northeast-2")
    s3.create_bucket(Bucket="leh-evidence", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"})
    settings = Settings(s3_bucket="leh-evidence", s3_endpoint_url=s3_endpoint, tmp_ttl_hours=30)
    lifecycle = Container(settings).tmp_lifecycle
    assert isinstance(lifecycle, S3TmpLifecycle) and lifecycle.where == "s3://leh-evidence"
    assert lifecycle.tmp_rule_days() is None  # no lifecycle configuration at all

    # An unrelated rule (and a disabled tmp/ rule) do not count; ours is added beside them, not over them.
    s3.put_bucket_lifecycle_configuration(Bucket="leh-evidence", LifecycleConfiguration={"Rules": [
        {"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 90}},
        {"ID": "old-tmp", "Status": "Disabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}},
    ]})
    assert lifecycle.tmp_rule_days() is None
    lifecycle.install_tmp_rule(ttl_days(settings.tmp_ttl_hours))
    assert lifecycle.tmp_rule_days() == 2  # 30 hours, in S3's whole days
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket="leh-evidence")["Rules"]}
    assert set(rules) == {"logs", "old-tmp", RULE_ID}
    assert rules[RULE_ID]["Filter"] == {"Prefix": "tmp/"} and rules["logs"]["Expiration"] == {"Days": 90}
    lifecycle.install_tmp_rule(1)  # installing again replaces our own rule only
    assert lifecycle.tmp_rule_days() == 1
    assert len(s3.get_bucket_lifecycle_configuration(Bucket="leh-evidence")["Rules"]) == 3
    assert Container(Settings()).tmp_lifecycle is None  # the embedded object store has no lifecycle: the janitor does it
