"""The LogSource port on a CloudWatch Logs group (`LEH_CLOUDWATCH_LOG_GROUP`): runbook scenario A on AWS.

LEH does not ship its logs itself: each process writes the same JSON lines to its files (and stderr) on every
profile, and the CloudWatch agent (or the awslogs/awsfirelens driver of a container) forwards them to the
group, one log stream per process or instance. This reader is the runbook's `filter-log-events`: one
`FilterLogEvents` over the whole group from the start time on, following `nextToken` to the last page.
With an evidence id it also asks CloudWatch for only the events containing that id (a quoted-term filter
pattern), so a search for one evidence does not pull the whole window; the service filters again anyway.
Messages that are not JSON objects (a crash printed by the interpreter) are skipped, as in the files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from leh.domain.errors import LehError


class LogGroupMissing(LehError):
    http_status = 503

    def __init__(self, group: str):
        super().__init__("LOG_GROUP_NOT_FOUND", f"CloudWatch 로그 그룹 {group} 이(가) 없습니다. LEH_CLOUDWATCH_LOG_GROUP 값과 "
                                                 "CloudWatch 에이전트의 로그 전송 설정을 확인하세요.")


class CloudWatchLogSource:
    """Reads LEH's JSON log records from one CloudWatch Logs group (FilterLogEvents, paginated)."""

    def __init__(self, group: str, *, endpoint_url: str | None = None, region: str, page_size: int | None = None,
                 client: Any = None):
        self.group, self.page_size = group, page_size
        self.client = client or boto3.client("logs", endpoint_url=endpoint_url, region_name=region,
                                             config=Config(retries={"max_attempts": 8, "mode": "adaptive"}))

    def request(self, *, since_ms: int | None, evidence_id: str | None) -> dict[str, Any]:
        """The FilterLogEvents parameters (without the page token)."""
        params: dict[str, Any] = {"logGroupName": self.group}
        if since_ms is not None:
            params["startTime"] = since_ms
        if evidence_id:
            params["filterPattern"] = '"' + evidence_id.replace('"', "") + '"'
        if self.page_size:
            params["limit"] = self.page_size
        return params

    def records(self, *, since_ms: int | None, evidence_id: str | None = None) -> Iterator[dict[str, Any]]:
        params = self.request(since_ms=since_ms, evidence_id=evidence_id)
        token: str | None = None
        while True:
            try:
                page = self.client.filter_log_events(**params, **({"nextToken": token} if token else {}))
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                    raise LogGroupMissing(self.group) from None
                raise
            for event in page.get("events", []):
                rec = _record(str(event.get("message", "")))
                if rec is not None:
                    yield {**rec, "log_stream": event.get("logStreamName")}
            token = page.get("nextToken")
            if not token:
                return


def _record(message: str) -> dict[str, Any] | None:
    message = message.strip()
    if not message.startswith("{"):
        return None
    try:
        rec = json.loads(message)
    except json.JSONDecodeError:
        return None
    return rec if isinstance(rec, dict) else None
