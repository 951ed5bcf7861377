"""Write-once originals and retries (issue #15): a worker that stored an attachment's original and died before
recording it finds, on the redelivered message, the same bytes under the key and carries on; different bytes under
that key are never taken for the attachment."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest

from leh.container import Container
from leh.domain.errors import LehError
from leh.domain.evidence import new_evidence_doc
from leh.services.evidence import _ATTACHMENT_NS, add_attachments


def _mail(container: Container) -> dict[str, object]:
    doc = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="m.eml", size=1,
                           uploaded_by="lawyer-1")
    container.evidence.put(doc)
    return doc


def _stored_before_the_crash(container: Container, mail: dict[str, object], data: bytes) -> str:
    child = str(uuid.uuid5(_ATTACHMENT_NS, f"{mail['evidence_id']}/0/{hashlib.sha256(data).hexdigest()}"))
    key = new_evidence_doc(case_id=str(mail["case_id"]), evidence_id=child, filename="메모.txt", size=len(data),
                           uploaded_by="lawyer-1")["object_key"]
    return key


def test_a_retry_after_the_original_was_stored_carries_on(container: Container) -> None:
    mail, data = _mail(container), "첨부 메모".encode()
    key = _stored_before_the_crash(container, mail, data)
    container.objects.put(key, io.BytesIO(data))
    [child] = add_attachments(container.objects, container.evidence, container.queue, mail, [("메모.txt", data)])  # type: ignore[arg-type]
    doc = container.evidence.get(child)
    assert doc is not None and doc["object_key"] == key and doc["status"] == "queued"


def test_other_bytes_under_the_key_are_refused(container: Container) -> None:
    mail, data = _mail(container), "첨부 메모".encode()
    key = _stored_before_the_crash(container, mail, data)
    container.objects.put(key, io.BytesIO(b"something else"))
    with pytest.raises(LehError) as err:
        add_attachments(container.objects, container.evidence, container.queue, mail, [("메모.txt", data)])  # type: ignore[arg-type]
    assert err.value.code == "OBJECT_EXISTS"
    with container.objects.open(key) as fh:
        assert fh.read() == b"something else"
