"""Files found inside evidence (an e-mail's attachments) become evidence of their own: linked, queued once, bounded."""

from __future__ import annotations

import uuid

from leh.container import Container
from leh.domain.events import parse_events
from leh.domain.evidence import new_evidence_doc
from leh.services.evidence import MAX_ATTACHMENT_DEPTH, add_attachments


def _mail(container: Container, depth: int = 0) -> dict[str, object]:
    doc = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="m.eml", size=1,
                           uploaded_by="lawyer-1")
    if depth:
        doc["attachment_depth"] = depth
    container.evidence.put(doc)
    return doc


def test_children_are_linked_stored_queued_and_made_once(container: Container) -> None:
    mail = _mail(container)
    files = [("메모.txt", "첨부 메모".encode()), ("../사진.jpg", b"\xff\xd8\xff")]
    ids = add_attachments(container.objects, container.evidence, container.queue, mail, files)  # type: ignore[arg-type]
    assert len(ids) == 2
    memo = container.evidence.get(ids[0])
    assert memo is not None
    assert (memo["filename"], memo["parent_evidence_id"], memo["attachment_depth"], memo["status"]) == (
        "메모.txt", mail["evidence_id"], 1, "queued")
    assert (memo["case_id"], memo["uploaded_by"]) == (mail["case_id"], "lawyer-1")
    with container.objects.open(memo["object_key"]) as fh:
        assert fh.read() == "첨부 메모".encode()
    photo = container.evidence.get(ids[1])
    assert photo is not None and photo["filename"] == "사진.jpg" and photo["type"] == "image"
    # The mail processed again (a redelivery, a reprocess) finds the same children instead of adding copies.
    assert add_attachments(container.objects, container.evidence, container.queue, mail, files) == ids  # type: ignore[arg-type]
    queued = [event.evidence_id for message in container.queue.receive(max_messages=10)
              for event in parse_events(message.body)]
    assert sorted(queued) == sorted(ids)


def test_nothing_is_stored_below_the_depth_limit(container: Container) -> None:
    deep = _mail(container, depth=MAX_ATTACHMENT_DEPTH)
    assert add_attachments(container.objects, container.evidence, container.queue, deep, [("a.txt", b"a")]) == []  # type: ignore[arg-type]
    assert container.queue.receive(max_messages=10) == []
