"""Issue #15 High 2 on S3: a presigned POST that S3 still accepts after confirmation never replaces the evidence.

S3 takes the browser's POST until the form expires (≤ 300 s), also after `upload-complete`; the bucket is versioned
(`leh ops setup-aws`), so the late POST only adds a newer version. LEH recorded the version whose bytes it hashed
(`raw_version`) and reads only that one: the download, the worker's reprocess and the integrity check all see the
first bytes, and the newer version is an integrity event (audit `integrity.newer_version`, Lv3 in diagnose).
`leh serve` and `leh worker` run as real processes on moto_server (S3 + SQS over HTTP), set up by setup-aws.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from leh.adapters.s3_objects import S3ObjectStore
from leh.container import Container
from leh.domain.evidence import new_evidence_doc
from leh.services.evidence import add_attachments
from tests.integration.test_aws_event_path import KAKAO_HEAD, leh_cli
from tests.support import moto
from tests.support.moto import Deployment, deployed, post_to_s3, presign
from tests.support.wait import wait_until

ORIGINAL = (KAKAO_HEAD + "[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?\n"
            "[홍길동] [오후 10:20] 한 번만 더 그 얘기 하면 가만 안 둔다\n").encode()
FORGED = (KAKAO_HEAD + "[김영희] [오후 10:18] 잘 지내\n[홍길동] [오후 10:20] 응 고마워\n").encode()


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with deployed(tmp_path_factory.mktemp("aws-versions")) as deployment:
        yield deployment


def versions(env: dict[str, str], key: str) -> list[dict[str, Any]]:
    s3: Any = moto.client("s3")
    found: list[dict[str, Any]] = s3.list_object_versions(Bucket=env["LEH_S3_BUCKET"], Prefix=key).get("Versions") or []
    return found


def newer_version_rows(d: Deployment, evidence_id: str) -> list[dict[str, Any]]:
    rows = d.admin.data("GET", "/api/admin/audit", params={"action": "integrity.newer_version"})
    return [r for r in rows if r["object_id"] == evidence_id]


def texts(doc: dict[str, Any]) -> list[str]:
    return [s["text"] for s in doc["segments"]]


def test_a_post_after_upload_complete_changes_nothing_leh_serves_or_processes(aws: Deployment) -> None:
    aws.worker()
    lawyer, env = aws.lawyer, aws.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "바꿔치기 사건"})
    up = presign(lawyer, case["id"], ORIGINAL)
    post_to_s3(up, ORIGINAL)
    lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    done = lawyer.wait_status(up["evidence_id"], {"done", "failed"})
    assert done["status"] == "done", done["error"]
    assert done["sha256"] == hashlib.sha256(ORIGINAL).hexdigest()
    [first] = versions(env, up["object_key"])
    assert done["raw_version"] == first["VersionId"]  # the version whose bytes were hashed

    # The uploader's form still works at S3 (it lives ≤ 300 s): the same fields, other bytes.
    post_to_s3(up, FORGED)
    assert len(versions(env, up["object_key"])) == 2  # a newer version; the first is kept
    doc = lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")
    assert httpx.get(doc["download_url"]).content == ORIGINAL  # the presigned GET names the recorded version

    # S3 notified the queue of the late POST: the worker reports it (Lv3 wording) and changes nothing.
    rows = wait_until(lambda: newer_version_rows(aws, up["evidence_id"]), timeout=30,
                      message="the newer version was never reported")
    assert rows[0]["detail"]["recorded_version"] == first["VersionId"]
    assert rows[0]["detail"]["newer_version"] != first["VersionId"]
    assert lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")["status_history"] == done["status_history"]

    # Reprocessing reads the recorded version: the same segments as before, no integrity failure.
    assert aws.admin.data("POST", "/api/admin/reprocess-evidence",
                          json={"evidence_id": up["evidence_id"]})["status"] == "queued"
    again = lawyer.wait_status(up["evidence_id"], {"done", "failed"})
    assert again["status"] == "done" and again["attempts"] == 1, again["error"]
    assert texts(again) == texts(done) == ["생활비는 언제 보내줄 거야?", "한 번만 더 그 얘기 하면 가만 안 둔다"]
    assert again["sha256"] == done["sha256"] and again["raw_version"] == done["raw_version"]

    # The integrity check of `leh ops diagnose`: the sample re-hash matches (recorded version) and the newer
    # version is a Lv3 finding that names the evidence.
    out = leh_cli(env, aws.procs.data_dir, "ops", "diagnose", "--json")
    report = json.loads(out.stdout)
    finding = next(f for f in report["findings"] if f["check"] == "integrity")
    assert finding["status"] == "fail" and finding["level"] == "Lv3", finding
    assert up["evidence_id"] in finding["detail"]["evidence_ids"]
    assert up["evidence_id"] not in finding["detail"]["sampled"]["mismatched"]
    assert up["evidence_id"] in finding["detail"]["sampled"]["newer_version"]
    assert "새 버전" in finding["summary"] and finding["action"]


def test_the_notification_path_records_the_version_it_hashed(aws: Deployment) -> None:
    """No upload-complete: S3's notification alone starts the work, and the worker confirms the bytes it read."""
    aws.worker()
    lawyer, env = aws.lawyer, aws.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "알림 경로 사건"})
    up = presign(lawyer, case["id"], ORIGINAL)
    post_to_s3(up, ORIGINAL)
    done = lawyer.wait_status(up["evidence_id"], {"done", "failed"})
    assert done["status"] == "done", done["error"]
    [first] = versions(env, up["object_key"])
    assert (done["sha256"], done["size"]) == (hashlib.sha256(ORIGINAL).hexdigest(), len(ORIGINAL))
    assert done["raw_version"] == first["VersionId"]

    post_to_s3(up, FORGED)
    wait_until(lambda: newer_version_rows(aws, up["evidence_id"]), timeout=30, message="the newer version was never reported")
    doc = lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")
    assert httpx.get(doc["download_url"]).content == ORIGINAL
    assert texts(doc) == texts(done)


def test_a_direct_upload_is_pinned_to_the_version_put_wrote(aws: Deployment) -> None:
    """`POST /api/cases/{id}/evidence` streams through LEH: the version its conditional put wrote is recorded,
    and a write behind LEH's back (anyone holding bucket credentials) only adds a version nobody reads."""
    lawyer, env = aws.lawyer, aws.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "직접 업로드 사건"})
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                     files={"file": ("KakaoTalk_20240105.txt", ORIGINAL, "text/plain")})
    [first] = versions(env, ev["object_key"])
    assert ev["raw_version"] == first["VersionId"]
    s3: Any = moto.client("s3")
    s3.put_object(Bucket=env["LEH_S3_BUCKET"], Key=ev["object_key"], Body=FORGED)  # unconditional, behind LEH's back
    doc = lawyer.data("GET", f"/api/evidence/{ev['id']}")
    assert httpx.get(doc["download_url"]).content == ORIGINAL


def test_an_attachment_is_pinned_to_the_version_that_holds_its_bytes(container: Container) -> None:
    """The worker stores a mail's attachments as originals of their own: each records its version, also when a
    retry finds the bytes stored before a crash."""
    s3: Any = moto.client("s3")
    bucket = moto.unique_name()
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": moto.REGION})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    store = S3ObjectStore(bucket, endpoint_url=moto.endpoint_url(), region=moto.REGION)
    mail = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="m.eml", size=1,
                            uploaded_by="lawyer-1")
    container.evidence.put(mail)
    files = [("메모.txt", "첨부 메모".encode()), ("사진.txt", "두 번째 첨부".encode())]
    children = add_attachments(store, container.evidence, container.queue, mail, files)
    for child_id in children:
        child = container.evidence.get(child_id)
        assert child is not None
        [version] = versions({"LEH_S3_BUCKET": bucket}, child["object_key"])
        assert child["raw_version"] == version["VersionId"]
    # A retry after a crash between storing and recording: the key holds these bytes already.
    first = container.evidence.get(children[0])
    assert first is not None
    container.evidence.delete_case(str(mail["case_id"]))
    assert container.evidence.get(children[0]) is None  # not recorded: the retry meets OBJECT_EXISTS
    container.evidence.put(mail)
    again = add_attachments(store, container.evidence, container.queue, mail, files)
    redo = container.evidence.get(again[0])
    assert again == children and redo is not None and redo["raw_version"] == first["raw_version"]
