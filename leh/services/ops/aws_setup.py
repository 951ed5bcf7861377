"""`leh ops setup-aws`: create (or with `--check` only validate) the AWS resources the scale-out profile needs.

From the `LEH_*` settings, in this order (each step a Finding, ✅/⚠️/❌ with its escalation level):
1. the dead-letter queue (`LEH_SQS_DLQ_URL`) and the event queue (`LEH_SQS_QUEUE_URL`), each created under the
   last path segment of its URL when absent; the event queue's `RedrivePolicy` sends a message to the DLQ after
   `maxReceiveCount` = LEH_QUEUE_MAX_ATTEMPTS + 1 receives (one more than the worker's own attempts: the worker
   dead-letters its own failures, so SQS only catches messages whose holders died), and its access policy lets
   the bucket (and only it) send S3 event notifications;
2. the bucket (`LEH_S3_BUCKET`): public access blocked, default encryption (SSE-S3, or SSE-KMS with
   `LEH_S3_KMS_KEY_ID`), versioning (a presigned POST that S3 still accepts after confirmation only adds a
   version, and LEH reads the version it confirmed — s3_objects; without it a Lv3 finding), the tmp/ lifecycle rule, the ObjectCreated notification of `cases/` to the event
   queue, and CORS so browsers at `LEH_PUBLIC_URL` may POST uploads;
3. the DynamoDB table — a hook: the step is passed in by the caller (see `table_step`).
Nothing here deletes anything, and rules or notifications of others on the same bucket are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from leh.config import Settings
from leh.ports import BucketSetup, QueueSetup, TmpLifecycle
from leh.services.ops.findings import Finding, Level, Status, make_report
from leh.services.ops.weekly import ttl_days

NOTIFICATION_ID = "leh-evidence-created"
RAW_PREFIX = "cases/"
DLQ_RETENTION_SECONDS = 14 * 86400  # the longest SQS keeps a message: time to find the cause before redriving
FIX = "leh ops setup-aws 로 생성·수정하세요 (--check 없이 실행)."

# A step builds the table (or checks it with check_only=True) and says how it went (see `table_step`).
TableStep = Callable[[bool], Finding]
# The container's table setup: ("created" | "exists" | "checked", problems), or None without a table.
TableSetup = Callable[..., "tuple[str, list[str]] | None"]
_TABLE_DONE = {"created": "만들었습니다", "exists": "이미 있고 설정이 올바릅니다", "checked": "설정이 올바릅니다"}


def table_step(setup: TableSetup, table: str | None) -> TableStep | None:
    """The DynamoDB evidence table as a step of setup-aws: None on the embedded evidence store."""
    if not table:
        return None

    def step(check_only: bool) -> Finding:
        out = setup(check_only=check_only)
        done, problems = out if out is not None else ("checked", ["테이블 설정을 읽지 못했습니다"])
        title = "DynamoDB 테이블 (증거 저장소)"
        if problems:
            return Finding("dynamodb.table", title, Status.FAIL, Level.LV1, f"{table}: " + "; ".join(problems),
                           action=FIX if check_only else "테이블 키와 인덱스를 확인하세요 (README의 Scale-out profile).")
        return Finding("dynamodb.table", title, Status.OK, Level.LV1, f"{table}: {_TABLE_DONE.get(done, done)}.")

    return step


def queue_name(url: str) -> str:
    """A queue's name: the last path segment of its URL."""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


def _error(check: str, title: str, level: Level, exc: Exception) -> Finding:
    code = str(getattr(exc, "response", {}).get("Error", {}).get("Code") or type(exc).__name__)
    return Finding(check, title, Status.FAIL, level, f"AWS 호출이 실패했습니다: {code}",
                   action="AWS 자격 증명·권한(README의 최소 권한 표)과 엔드포인트 설정을 확인하세요.", detail={"error": code})


class _Run:
    """One setup-aws run: the settings, the resources, check-only or not, and the findings so far."""

    def __init__(self, settings: Settings, check_only: bool):
        self.s, self.check_only = settings, check_only
        self.findings: list[Finding] = []
        self.resources: dict[str, Any] = {}

    def ok(self, check: str, title: str, level: Level, summary: str, **detail: Any) -> None:
        self.findings.append(Finding(check, title, Status.OK, level, summary, detail=detail))

    def fail(self, check: str, title: str, level: Level, summary: str, action: str = FIX, **detail: Any) -> None:
        self.findings.append(Finding(check, title, Status.FAIL, level, summary, action=action, detail=detail))

    def warn(self, check: str, title: str, level: Level, summary: str, action: str | None = None, **detail: Any) -> None:
        self.findings.append(Finding(check, title, Status.WARN, level, summary, action=action, detail=detail))

    # ------------------------------------------------------------ queues
    def queue(self, queues: QueueSetup, *, check: str, title: str, url: str, setting: str,
              attributes: dict[str, str]) -> str | None:
        """Find or create one queue; its URL (None when missing in check mode)."""
        name = queue_name(url)
        found = queues.find(name)
        if found is None and self.check_only:
            self.fail(check, title, Level.LV1, f"큐 {name} 이(가) 없습니다.", name=name)
            return None
        created = found is None
        found = found or queues.create(name, attributes)
        if found != url:
            self.warn(check + ".url", title, Level.LV1, f"{setting} 이(가) 실제 큐 주소와 다릅니다.",
                      action=f"{setting}={found} 로 설정하세요.", configured=url, actual=found)
        self.ok(check, title, Level.LV1, f"큐 {name} " + ("을(를) 만들었습니다." if created else "이(가) 있습니다."),
                name=name, url=found, created=created)
        return found

    def redrive_policy(self, queues: QueueSetup, main_url: str, dlq_arn: str) -> None:
        check, title = "sqs.redrive_policy", "이벤트 큐 → DLQ 재전송 정책"
        want = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": self.s.queue_max_attempts + 1}
        current = json.loads(queues.attributes(main_url).get("RedrivePolicy") or "{}")
        have = {"deadLetterTargetArn": current.get("deadLetterTargetArn"),
                "maxReceiveCount": int(current["maxReceiveCount"]) if current.get("maxReceiveCount") else None}
        if have != want and self.check_only:
            self.fail(check, title, Level.LV1, f"RedrivePolicy 가 {have} 입니다 (기대값 {want}).", have=have, want=want)
            return
        if have != want:
            queues.set_attributes(main_url, {"RedrivePolicy": json.dumps(want)})
        self.ok(check, title, Level.LV1, f"{want['maxReceiveCount']}회 수신 후 DLQ로 이동합니다.", **want)

    def queue_policy(self, queues: QueueSetup, main_url: str, main_arn: str, bucket: str) -> None:
        """Let S3 send the bucket's event notifications to the queue (nobody else is granted anything)."""
        check, title = "sqs.s3_policy", "S3 → 이벤트 큐 전송 권한"
        bucket_arn = f"arn:aws:s3:::{bucket}"
        policy = json.loads(queues.attributes(main_url).get("Policy") or '{"Version": "2012-10-17", "Statement": []}')
        statements = policy.get("Statement") or []
        if isinstance(statements, dict):
            statements = [statements]
        if any(_grants_s3(st, bucket_arn) for st in statements):
            self.ok(check, title, Level.LV1, f"{bucket} 버킷이 큐에 이벤트를 보낼 수 있습니다.")
            return
        if self.check_only:
            self.fail(check, title, Level.LV1, f"큐 정책이 {bucket} 버킷의 이벤트 전송을 허용하지 않습니다.")
            return
        statements = [st for st in statements if st.get("Sid") != "leh-s3-events"]
        statements.append({"Sid": "leh-s3-events", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                           "Action": "sqs:SendMessage", "Resource": main_arn,
                           "Condition": {"ArnLike": {"aws:SourceArn": bucket_arn}}})
        queues.set_attributes(main_url, {"Policy": json.dumps({**policy, "Statement": statements})})
        self.ok(check, title, Level.LV1, f"{bucket} 버킷이 큐에 이벤트를 보낼 수 있게 했습니다.")

    def queues(self, queues: QueueSetup) -> str | None:
        """Both queues and the main queue's policies; the main queue's ARN (for the bucket notification)."""
        s = self.s
        assert s.sqs_queue_url is not None
        if not s.sqs_dlq_url:
            self.fail("sqs.dlq", "DLQ", Level.LV1, "LEH_SQS_DLQ_URL 이 설정되지 않았습니다.",
                      action="DLQ 주소를 LEH_SQS_DLQ_URL 로 설정하세요 (예: …/leh-events-dlq).")
            return None
        dlq = self.queue(queues, check="sqs.dlq", title="DLQ (실패 이벤트 보관 큐)", url=s.sqs_dlq_url,
                         setting="LEH_SQS_DLQ_URL", attributes={"MessageRetentionPeriod": str(DLQ_RETENTION_SECONDS)})
        main_attrs = {"VisibilityTimeout": str(s.queue_visibility_seconds)}
        dlq_arn = queues.attributes(dlq)["QueueArn"] if dlq else None
        if dlq_arn:
            main_attrs["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dlq_arn,
                                                      "maxReceiveCount": s.queue_max_attempts + 1})
        main = self.queue(queues, check="sqs.queue", title="이벤트 큐", url=s.sqs_queue_url, setting="LEH_SQS_QUEUE_URL",
                          attributes=main_attrs)
        if main is None:
            return None
        main_arn = queues.attributes(main)["QueueArn"]
        self.resources.update(queue_url=main, queue_arn=main_arn, dlq_url=dlq, dlq_arn=dlq_arn)
        if dlq_arn:
            self.redrive_policy(queues, main, dlq_arn)
        if s.s3_bucket:
            self.queue_policy(queues, main, main_arn, s.s3_bucket)
        return main_arn

    # ------------------------------------------------------------ bucket
    def bucket(self, bucket: BucketSetup, lifecycle: TmpLifecycle | None, queue_arn: str | None) -> None:
        check, title = "s3.bucket", "S3 버킷"
        if not bucket.exists():
            if self.check_only:
                self.fail(check, title, Level.LV1, f"버킷 {bucket.bucket} 이(가) 없습니다.")
                return
            bucket.create()
            self.ok(check, title, Level.LV1, f"버킷 {bucket.bucket} 을(를) 만들었습니다.", created=True)
        else:
            self.ok(check, title, Level.LV1, f"버킷 {bucket.bucket} 이(가) 있습니다.", created=False)
        self.resources["bucket"] = bucket.bucket
        self.public_access(bucket)
        self.encryption(bucket)
        self.versioning(bucket)
        if lifecycle is not None:
            self.tmp_rule(lifecycle)
        self.notification(bucket, queue_arn)
        self.cors(bucket)

    def public_access(self, bucket: BucketSetup) -> None:
        check, title = "s3.public_access", "퍼블릭 액세스 차단"
        if not bucket.public_access_blocked():
            if self.check_only:
                self.fail(check, title, Level.LV3, "버킷의 퍼블릭 액세스가 차단되어 있지 않습니다 (증거 유출 위험).")
                return
            bucket.block_public_access()
        self.ok(check, title, Level.LV3, "퍼블릭 액세스가 모두 차단되어 있습니다.")

    def encryption(self, bucket: BucketSetup) -> None:
        check, title = "s3.encryption", "기본 암호화 (SSE)"
        kms = self.s.s3_kms_key_id
        want = ("aws:kms", kms) if kms else ("AES256", None)
        have = bucket.default_encryption()
        good = have is not None and have[0] == want[0] and (not kms or have[1] == kms)
        if not good:
            if self.check_only:
                self.fail(check, title, Level.LV2, f"기본 암호화가 {have[0] if have else '없음'} 입니다 (기대값 {want[0]}).")
                return
            bucket.set_default_encryption(kms)
        self.ok(check, title, Level.LV2, f"모든 객체가 {want[0]} 로 암호화됩니다 (LEH는 업로드마다 암호화도 요청합니다).")

    def versioning(self, bucket: BucketSetup) -> None:
        check, title = "s3.versioning", "버전 관리 (접수된 원본 보존)"
        if not bucket.versioning_enabled():
            if self.check_only:
                self.fail(check, title, Level.LV3, "버킷 버전 관리가 꺼져 있습니다: 접수가 끝난 원본을 아직 유효한 업로드 "
                          "서명(최대 5분)으로 덮어쓸 수 있고, 그러면 처음 받은 원본이 사라집니다.")
                return
            bucket.enable_versioning()
        self.ok(check, title, Level.LV3, "버전 관리가 켜져 있습니다: 접수 후 같은 키에 쓰인 내용은 새 버전으로만 남고, "
                "LEH는 접수 때 기록한 버전만 제공·처리합니다.")

    def tmp_rule(self, lifecycle: TmpLifecycle) -> None:
        check, title = "s3.tmp_lifecycle", "tmp/ 자동 삭제 규칙"
        want, days = ttl_days(self.s.tmp_ttl_hours), lifecycle.tmp_rule_days()
        if days is None or days > want:
            if self.check_only:
                self.fail(check, title, Level.LV1, "tmp/ 자동 삭제 규칙이 없습니다." if days is None else
                          f"tmp/ 자동 삭제 규칙이 {days}일로, 설정({want}일)보다 깁니다.")
                return
            lifecycle.install_tmp_rule(want)
            days = want
        self.ok(check, title, Level.LV1, f"tmp/ 객체는 {days}일 뒤 삭제됩니다.", days=days)

    def notification(self, bucket: BucketSetup, queue_arn: str | None) -> None:
        check, title = "s3.notification", f"업로드 알림 ({RAW_PREFIX} → 이벤트 큐)"
        if queue_arn is None and not self.s.sqs_queue_url:
            self.warn(check, title, Level.LV1, "LEH_SQS_QUEUE_URL 이 없어 버킷 알림을 쓰지 않습니다 (upload-complete 만으로 처리가 시작됩니다).")
            return
        if queue_arn is None:
            self.fail(check, title, Level.LV1, "이벤트 큐가 없어 알림을 확인할 수 없습니다.",
                      action="이벤트 큐를 만든 뒤 다시 실행하세요: leh ops setup-aws")
            return
        if not any(_notifies(n, queue_arn) for n in bucket.queue_notifications()):
            if self.check_only:
                self.fail(check, title, Level.LV1, f"{RAW_PREFIX} 업로드가 이벤트 큐에 알려지지 않습니다 (처리가 시작되지 않음).")
                return
            bucket.add_queue_notification(notification_id=NOTIFICATION_ID, queue_arn=queue_arn, prefix=RAW_PREFIX)
        self.ok(check, title, Level.LV1, f"{RAW_PREFIX} 아래 새 객체마다 이벤트 큐로 알림이 갑니다.", queue_arn=queue_arn)

    def cors(self, bucket: BucketSetup) -> None:
        check, title = "s3.cors", "브라우저 업로드 (CORS)"
        url = urlparse(self.s.public_url or "")
        if not url.scheme or not url.netloc:
            self.warn(check, title, Level.LV1, "LEH_PUBLIC_URL 이 없어 브라우저의 직접 업로드(presigned POST) 허용 출처를 정할 수 없습니다.",
                      action="LEH_PUBLIC_URL 을 설정하고 leh ops setup-aws 를 다시 실행하세요.")
            return
        origin = f"{url.scheme}://{url.netloc}"
        if not {origin, "*"} & set(bucket.post_origins()):
            if self.check_only:
                self.fail(check, title, Level.LV1, f"{origin} 에서의 업로드(POST)가 CORS로 허용되지 않습니다.")
                return
            bucket.allow_post_from(origin)
        self.ok(check, title, Level.LV1, f"{origin} 에서 버킷으로 직접 업로드할 수 있습니다.", origin=origin)


def _grants_s3(statement: dict[str, Any], bucket_arn: str) -> bool:
    principal = json.dumps(statement.get("Principal"))
    actions = statement.get("Action")
    actions = [actions] if isinstance(actions, str) else list(actions or [])
    return (statement.get("Effect") == "Allow" and "s3.amazonaws.com" in principal
            and any(a in ("sqs:SendMessage", "sqs:*", "*") for a in actions)
            and bucket_arn in json.dumps(statement.get("Condition")))


def _notifies(n: dict[str, Any], queue_arn: str) -> bool:
    events = n.get("events") or []
    return (n.get("queue_arn") == queue_arn and RAW_PREFIX.startswith(str(n.get("prefix") or ""))
            and any(e in ("s3:ObjectCreated:*", "s3:*") for e in events))


def setup_aws(settings: Settings, *, bucket: BucketSetup | None, queues: QueueSetup | None,
              lifecycle: TmpLifecycle | None, check_only: bool, table_step: TableStep | None = None) -> dict[str, Any]:
    """Create or (check_only) validate the queues, the bucket and — through `table_step` — the table; a report."""
    run = _Run(settings, check_only)
    queue_arn: str | None = None
    if queues is None:
        run.warn("sqs.queue", "이벤트 큐", Level.LV1, "LEH_SQS_QUEUE_URL 이 없어 내장 큐(SQLite)를 씁니다.")
    else:
        queue_arn = _guarded(run, "sqs.queue", "이벤트 큐", lambda: run.queues(queues))
    if bucket is None:
        run.warn("s3.bucket", "S3 버킷", Level.LV1, "LEH_S3_BUCKET 이 없어 내장 객체 저장소를 씁니다.")
    else:
        _guarded(run, "s3.bucket", "S3 버킷", lambda: run.bucket(bucket, lifecycle, queue_arn))
    if table_step is not None:
        try:
            run.findings.append(table_step(check_only))
        except Exception as exc:
            run.findings.append(_error("dynamodb.table", "DynamoDB 테이블", Level.LV1, exc))
    return make_report("setup-aws", run.findings, mode="check" if check_only else "apply", resources=run.resources)


def _guarded(run: _Run, check: str, title: str, step: Callable[[], Any]) -> Any:
    """Run one group of steps; an AWS error becomes a failed finding instead of a traceback."""
    try:
        return step()
    except Exception as exc:
        run.findings.append(_error(check, title, Level.LV1, exc))
        return None
