"""The tmp/ lifecycle rule on S3 (weekly checklist 1), through boto3: read it, install it.

The object-store port knows nothing of lifecycles, so this is a small port of its own (`leh.ports.TmpLifecycle`);
on the embedded object store there is none (the container gives None) and the tmp/ janitor does the job.
Whether the rule is right, and when to install it, is decided in `leh.services.ops.weekly`.
"""

from __future__ import annotations

from typing import Any

RULE_ID = "leh-tmp-expiry"
TMP_PREFIX = "tmp/"


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
                      "Expiration": {"Days": days}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                      # On the versioned bucket an expired or deleted tmp/ object leaves a noncurrent version: gone
                      # a day later too (never on cases/: there a noncurrent version may be a confirmed original).
                      "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})
        self._s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": rules})
