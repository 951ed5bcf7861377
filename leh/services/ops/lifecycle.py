"""The tmp/ lifecycle rule on S3 (weekly checklist 1): check that one exists, install it with --apply.

The object-store port knows nothing of lifecycles, so this is a small port of its own; on the embedded
object store there is none and the tmp/ janitor does the job.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from leh.config import Settings

RULE_ID = "leh-tmp-expiry"
TMP_PREFIX = "tmp/"


class TmpLifecycle(Protocol):
    """An object store's own expiry of tmp/ objects."""
    where: str

    def tmp_rule_days(self) -> int | None:
        """Expiry in days of the enabled rule covering tmp/, or None when there is none."""

    def install_tmp_rule(self, days: int) -> None: ...


def ttl_days(ttl_hours: int) -> int:
    """S3 expires in whole days: the TTL rounded up."""
    return max(1, math.ceil(ttl_hours / 24))


class S3TmpLifecycle:
    """The tmp/ expiry rule in an S3 bucket's lifecycle configuration."""
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None, client: Any = None):
        import boto3

        self.bucket = bucket
        self.where = f"s3://{bucket}"
        self._s3 = client or boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def _rules(self) -> list[dict[str, Any]]:
        from botocore.exceptions import ClientError

        try:
            return list(self._s3.get_bucket_lifecycle_configuration(Bucket=self.bucket).get("Rules", []))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchLifecycleConfiguration":
                return []
            raise

    @staticmethod
    def _prefix(rule: dict[str, Any]) -> str | None:
        flt = rule.get("Filter") or {}
        return flt.get("Prefix", (flt.get("And") or {}).get("Prefix", rule.get("Prefix")))

    def tmp_rule_days(self) -> int | None:
        days = [r["Expiration"]["Days"] for r in self._rules()
                if r.get("Status") == "Enabled" and self._prefix(r) == TMP_PREFIX
                and "Days" in (r.get("Expiration") or {})]
        return min(days) if days else None

    def install_tmp_rule(self, days: int) -> None:
        # Other rules on the bucket are kept: only LEH's own rule is replaced.
        rules = [r for r in self._rules() if r.get("ID") != RULE_ID]
        rules.append({"ID": RULE_ID, "Status": "Enabled", "Filter": {"Prefix": TMP_PREFIX},
                      "Expiration": {"Days": days}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}})
        self._s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": rules})


def lifecycle_for(settings: Settings) -> TmpLifecycle | None:
    """The lifecycle port for the configured object store; None on the embedded store."""
    if settings.s3_bucket:
        return S3TmpLifecycle(settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.aws_region)
    return None
