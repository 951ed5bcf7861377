"""Object store on S3 (or an S3-compatible store at `LEH_S3_ENDPOINT_URL`), through boto3.

Same keys and semantics as the embedded `LocalObjectStore`. Differences a caller may notice:
- uploads from browsers go straight to the bucket with a presigned **POST** (`UploadTarget.method == "POST"`,
  form `fields` to send before the file). Its policy document carries `content-length-range` [0, max_bytes] and
  the key, content type and encryption as exact conditions; it expires after at most 300 s;
- every write asks for server-side encryption (`AES256`, or `aws:kms` with `LEH_S3_KMS_KEY_ID`); the presigned
  POST carries the same header as a signed field, so a client cannot drop it;
- downloads are presigned GETs to the bucket (attachment disposition with the original file name);
- write-once is kept by S3 itself: `put` is a conditional write (`If-None-Match: *` on PutObject, and on
  CompleteMultipartUpload for files past one part), so an existing key is refused (412 → OBJECT_EXISTS) also
  when two writers race (409 ConditionalRequestConflict → OBJECT_EXISTS too);
- the browser's presigned POST cannot be conditional (S3 documents conditional writes for PutObject,
  CompleteMultipartUpload and CopyObject; a bucket policy demanding `s3:if-none-match` would refuse those
  POSTs), and S3 accepts it until it expires (≤ 300 s), also after `upload-complete`. So the bucket is versioned
  (`leh ops setup-aws` turns versioning on; `--check` reports a bucket without it as a Lv3 finding): a POST
  after confirmation only adds a newer version. Every object this store returns names its `version` (S3's
  VersionId); LEH records the version whose bytes it hashed at confirmation (`EvidenceDoc.raw_version`) and
  every later read — download URL, worker, reprocess, integrity check — asks for exactly that version
  (`version=` on open, download_to, head and presign_download), so nothing a client sends after confirmation
  is ever served or processed, and nothing is lost. A newer version than the recorded one is an integrity
  event (Lv3 audit row and ERROR log, services/integrity.py). On a bucket without versioning there is no
  version to record: the SHA-256 check on every worker read still refuses replaced bytes (never processed,
  Lv3 alarm), but the first bytes are gone. Against a holder of bucket credentials (who can delete versions),
  S3 Object Lock (compliance mode) on `cases/*/raw/` is the further step;
- S3 notifications carry the object's `versionId` on a versioned bucket (moto leaves it out: then the current
  version is asked with `head`).
With an endpoint URL, path-style addressing is used (MinIO, moto and most S3-compatible stores need it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import quote

from leh.domain.errors import LehError, TooLarge
from leh.ports import ObjectInfo, UploadTarget

MAX_PRESIGN_SECONDS = 300
_PART = 16 * 1024 * 1024


class ObjectExists(LehError):
    """The key already holds an object (write-once: it is never replaced)."""

    code = "OBJECT_EXISTS"
    http_status = 409


class _CappedReader:
    """Reads through to `stream`, counting bytes, and raises TooLarge as soon as more than `limit` went by."""

    def __init__(self, stream: BinaryIO, limit: int | None):
        self._stream, self._limit = stream, limit
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self._stream.read(n)
        self.size += len(chunk)
        if self._limit is not None and self.size > self._limit:
            raise TooLarge()
        return chunk


def _check_key(key: str) -> None:
    if not key or key.startswith("/") or "\x00" in key or any(p in ("..", ".") for p in key.split("/")):
        raise LehError("INVALID_FILENAME", http_status=400)


def _not_found(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    err = exc.response.get("Error", {})
    return str(err.get("Code")) in ("404", "NoSuchKey", "NotFound", "NoSuchVersion")


def s3_client(*, endpoint_url: str | None, region: str | None) -> Any:
    """A boto3 S3 client: SigV4, path-style addressing when an endpoint is given (S3-compatible stores)."""
    import boto3
    from botocore.config import Config

    config = Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"},
                    s3={"addressing_style": "path" if endpoint_url else "auto"})
    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


class S3ObjectStore:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 kms_key_id: str | None = None, client: Any = None, part_size: int = _PART):
        self.bucket = bucket
        self._s3 = client or s3_client(endpoint_url=endpoint_url, region=region)
        self._kms_key_id = kms_key_id
        self._part_size = max(int(part_size), 5 * 1024 * 1024)  # S3's smallest part (but the last)

    # ------------------------------------------------------------ encryption asked on every write
    @property
    def encryption_fields(self) -> dict[str, str]:
        """The SSE request headers (as presigned-POST form fields)."""
        if self._kms_key_id:
            return {"x-amz-server-side-encryption": "aws:kms",
                    "x-amz-server-side-encryption-aws-kms-key-id": self._kms_key_id}
        return {"x-amz-server-side-encryption": "AES256"}

    def _sse_args(self) -> dict[str, str]:
        if self._kms_key_id:
            return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self._kms_key_id}
        return {"ServerSideEncryption": "AES256"}

    # ------------------------------------------------------------ objects
    def put(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> ObjectInfo:
        """Store `stream` under a new key with a conditional write; nothing is written (and nothing deleted)
        when the stream is too large or the key exists."""
        _check_key(key)
        reader = _CappedReader(stream, max_bytes)
        first = reader.read(self._part_size)
        if len(first) < self._part_size:
            written = self._conditional(self._s3.put_object, Bucket=self.bucket, Key=key, Body=first,
                                        IfNoneMatch="*", **self._sse_args())
        else:
            written = self._put_multipart(key, first, reader)
        version = _version(written)
        info = self.head(key, version=version)
        return info or ObjectInfo(key=key, size=reader.size, modified_at=time.time(), version=version)

    def _put_multipart(self, key: str, first: bytes, reader: _CappedReader) -> dict[str, Any]:
        upload_id = self._s3.create_multipart_upload(Bucket=self.bucket, Key=key, **self._sse_args())["UploadId"]
        try:
            parts: list[dict[str, Any]] = []
            chunk = first
            while chunk:
                r = self._s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                         PartNumber=len(parts) + 1, Body=chunk)
                parts.append({"ETag": r["ETag"], "PartNumber": len(parts) + 1})
                chunk = reader.read(self._part_size)
            return self._conditional(self._s3.complete_multipart_upload, Bucket=self.bucket, Key=key,
                                     UploadId=upload_id, MultipartUpload={"Parts": parts}, IfNoneMatch="*")
        except BaseException:
            self._s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise

    @staticmethod
    def _conditional(call: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return dict(call(**kwargs))
        except Exception as exc:
            # 412 PreconditionFailed: the key holds an object; 409 ConditionalRequestConflict: a racing writer.
            if _error_code(exc) in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise ObjectExists() from exc
            raise

    def open(self, key: str, *, version: str | None = None) -> BinaryIO:
        _check_key(key)
        try:
            body = self._s3.get_object(Bucket=self.bucket, Key=key, **_version_arg(version))["Body"]
        except Exception as exc:
            if _not_found(exc):
                raise FileNotFoundError(key) from exc
            raise
        return cast(BinaryIO, body)  # botocore's StreamingBody: read(n), close(), context manager

    def download_to(self, key: str, dest: Path, *, version: str | None = None) -> Path:
        _check_key(key)
        try:
            self._s3.download_file(self.bucket, key, str(dest), ExtraArgs=_version_arg(version) or None)
        except Exception as exc:
            if _not_found(exc):
                raise FileNotFoundError(key) from exc
            raise
        return dest

    def head(self, key: str, *, version: str | None = None) -> ObjectInfo | None:
        _check_key(key)
        try:
            r = self._s3.head_object(Bucket=self.bucket, Key=key, **_version_arg(version))
        except Exception as exc:
            if _not_found(exc):
                return None
            raise
        return ObjectInfo(key=key, size=int(r["ContentLength"]), modified_at=r["LastModified"].timestamp(),
                          version=_version(r))

    def delete(self, key: str) -> None:
        _check_key(key)
        self._s3.delete_object(Bucket=self.bucket, Key=key)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        for page in pages:
            for obj in page.get("Contents") or []:
                yield ObjectInfo(key=obj["Key"], size=int(obj["Size"]), modified_at=obj["LastModified"].timestamp())

    # ------------------------------------------------------------ presigned URLs
    def presign_upload(self, key: str, *, max_bytes: int, content_type: str, expires_in: int) -> UploadTarget:
        """A presigned POST: the client sends `fields` then the file (form field `file`, last) to `url`."""
        _check_key(key)
        expires_in = max(1, min(int(expires_in), MAX_PRESIGN_SECONDS))
        content_type = content_type or "application/octet-stream"
        fields = {"Content-Type": content_type, **self.encryption_fields}
        conditions: list[Any] = [["content-length-range", 0, int(max_bytes)],
                                 *({name: value} for name, value in fields.items())]
        post = self._s3.generate_presigned_post(Bucket=self.bucket, Key=key, Fields=fields, Conditions=conditions,
                                                ExpiresIn=expires_in)
        return UploadTarget(url=post["url"], method="POST", expires_in=expires_in,
                            fields={str(k): str(v) for k, v in post["fields"].items()})

    def presign_download(self, key: str, *, filename: str, expires_in: int, inline: bool = False,
                         version: str | None = None) -> str:
        """A presigned GET on the bucket's own origin (never LEH's): an attachment, or `inline` for the previews
        LEH grants (images, audio, video); of exactly `version` when given (a confirmed original's)."""
        _check_key(key)
        disposition = "inline" if inline else "attachment"
        params = {"Bucket": self.bucket, "Key": key,
                  "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
                  "ResponseCacheControl": "no-store", **_version_arg(version)}
        url = self._s3.generate_presigned_url("get_object", Params=params,
                                              ExpiresIn=max(1, min(int(expires_in), MAX_PRESIGN_SECONDS)))
        return str(url)


def _version_arg(version: str | None) -> dict[str, str]:
    return {"VersionId": version} if version is not None else {}


def _version(response: dict[str, Any]) -> str | None:
    """The VersionId S3 answered with, or None: absent on a bucket that never had versioning, and "null" (an
    object written while versioning was off or suspended) is not one either — the next write replaces it."""
    version = response.get("VersionId")
    return str(version) if version and version != "null" else None


def _error_code(exc: Exception) -> str:
    from botocore.exceptions import ClientError

    return str(exc.response.get("Error", {}).get("Code")) if isinstance(exc, ClientError) else ""


class S3BucketSetup:
    """The bucket's configuration for `leh ops setup-aws` (`leh.ports.BucketSetup`): existence, public access
    block, default encryption, versioning, the ObjectCreated notification to the queue, CORS for browser uploads."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None, client: Any = None):
        self.bucket = bucket
        self._region = region
        self._s3 = client or s3_client(endpoint_url=endpoint_url, region=region)

    def exists(self) -> bool:
        try:
            self._s3.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            if _error_code(exc) in ("404", "NoSuchBucket", "NotFound"):
                return False
            raise
        return True

    def create(self) -> None:
        args: dict[str, Any] = {"Bucket": self.bucket}
        if self._region and self._region != "us-east-1":  # us-east-1 refuses an explicit LocationConstraint
            args["CreateBucketConfiguration"] = {"LocationConstraint": self._region}
        self._s3.create_bucket(**args)

    def public_access_blocked(self) -> bool:
        try:
            cfg = self._s3.get_public_access_block(Bucket=self.bucket)["PublicAccessBlockConfiguration"]
        except Exception as exc:
            if _error_code(exc) == "NoSuchPublicAccessBlockConfiguration":
                return False
            raise
        return all(cfg.get(k) for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"))

    def block_public_access(self) -> None:
        self._s3.put_public_access_block(Bucket=self.bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})

    def default_encryption(self) -> tuple[str, str | None] | None:
        try:
            rules = self._s3.get_bucket_encryption(Bucket=self.bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        except Exception as exc:
            if _error_code(exc) == "ServerSideEncryptionConfigurationNotFoundError":
                return None
            raise
        for rule in rules:
            default = rule.get("ApplyServerSideEncryptionByDefault") or {}
            if default.get("SSEAlgorithm"):
                return str(default["SSEAlgorithm"]), default.get("KMSMasterKeyID")
        return None

    def set_default_encryption(self, kms_key_id: str | None) -> None:
        default = ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key_id} if kms_key_id
                   else {"SSEAlgorithm": "AES256"})
        self._s3.put_bucket_encryption(Bucket=self.bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": bool(kms_key_id)}]})

    def _notification_config(self) -> dict[str, Any]:
        cfg = dict(self._s3.get_bucket_notification_configuration(Bucket=self.bucket))
        cfg.pop("ResponseMetadata", None)
        return cfg

    def queue_notifications(self) -> list[dict[str, Any]]:
        out = []
        for q in self._notification_config().get("QueueConfigurations") or []:
            rules = ((q.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []
            prefix = next((r["Value"] for r in rules if str(r.get("Name", "")).lower() == "prefix"), "")
            out.append({"id": q.get("Id"), "queue_arn": q.get("QueueArn"), "events": list(q.get("Events") or []),
                        "prefix": prefix})
        return out

    def add_queue_notification(self, *, notification_id: str, queue_arn: str, prefix: str) -> None:
        cfg = self._notification_config()
        queues = [q for q in cfg.get("QueueConfigurations") or [] if q.get("Id") != notification_id]
        queues.append({"Id": notification_id, "QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"],
                       "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}})
        cfg["QueueConfigurations"] = queues
        self._s3.put_bucket_notification_configuration(Bucket=self.bucket, NotificationConfiguration=cfg)

    def _cors_rules(self) -> list[dict[str, Any]]:
        try:
            return list(self._s3.get_bucket_cors(Bucket=self.bucket).get("CORSRules") or [])
        except Exception as exc:
            if _error_code(exc) == "NoSuchCORSConfiguration":
                return []
            raise

    def post_origins(self) -> list[str]:
        return [o for r in self._cors_rules() if "POST" in (r.get("AllowedMethods") or [])
                for o in r.get("AllowedOrigins") or []]

    def allow_post_from(self, origin: str) -> None:
        rules = [r for r in self._cors_rules() if r.get("ID") != "leh-browser-upload"]
        rules.append({"ID": "leh-browser-upload", "AllowedOrigins": [origin], "AllowedMethods": ["POST"],
                      "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000})
        self._s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": rules})

    def versioning_enabled(self) -> bool:
        return bool(self._s3.get_bucket_versioning(Bucket=self.bucket).get("Status") == "Enabled")

    def enable_versioning(self) -> None:
        self._s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"})
