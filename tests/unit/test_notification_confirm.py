"""S3's notification alone (no upload-complete) confirms an upload: the worker hashes the bytes it read and records
them as the original (sha256, size; on S3 also the version, see tests/integration/test_s3_versioned_originals.py),
with the duplicate mark upload-complete would give."""

from __future__ import annotations

import hashlib
import io
import uuid

from leh.container import Container
from leh.domain.events import mark_waited
from leh.domain.evidence import new_evidence_doc
from leh.pipeline.worker import Worker

CHAT = ("홍길동 님과 카카오톡 대화\n저장한 날짜 : 2024-01-05 09:12:44\n\n--------------- 2023년 12월 25일 월요일 ---------------\n"
        "[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?\n").encode()


def _uploaded_by_notification(c: Container, case_id: str) -> str:
    doc = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.uuid4()), filename="chat.txt", size=len(CHAT),
                           uploaded_by="u")
    c.evidence.put(doc)
    c.objects.put(doc["object_key"], io.BytesIO(CHAT))  # what the browser's POST left in the store
    event = {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Post",
                          "s3": {"bucket": {"name": "b"}, "object": {"key": doc["object_key"], "size": len(CHAT)}}}]}
    c.queue.send(mark_waited(event))  # already held back once for upload-complete, which never came
    assert Worker(c, worker_id="me").run_once() == 1
    return doc["evidence_id"]


def test_the_worker_confirms_what_it_read_and_marks_a_copy(container: Container) -> None:
    case_id = str(uuid.uuid4())
    first = container.evidence.get(_uploaded_by_notification(container, case_id))
    assert first is not None and first["status"] == "done", first
    assert (first["sha256"], first["size"]) == (hashlib.sha256(CHAT).hexdigest(), len(CHAT))
    assert "raw_version" not in first and "duplicate_of" not in first  # the local store has no versions
    second = container.evidence.get(_uploaded_by_notification(container, case_id))
    assert second is not None and second["status"] == "done" and second["duplicate_of"] == first["evidence_id"]
    assert "DUPLICATE_EVIDENCE" in [w["code"] for w in second.get("warnings") or []]
