"""DynamoDB evidence store on the write-once object store (issue #15): offloaded segments are named by their
content, so a writer that finds the key taken by a racing writer (put refused with OBJECT_EXISTS after its own
head said the key was free) stores the document all the same."""

from __future__ import annotations

import io
import json
from pathlib import Path

from leh.adapters.dynamodb_evidence import DynamoEvidenceStore, ensure_table
from leh.adapters.local_objects import LocalObjectStore
from leh.domain.evidence import new_evidence_doc
from leh.ports import ObjectInfo
from tests.support import moto


class _RacedObjects(LocalObjectStore):
    """A store whose `head` answers before the other writer's put landed."""

    def head(self, key: str, *, version: str | None = None) -> ObjectInfo | None:
        return None


def test_segments_stored_first_by_another_writer_are_used(tmp_path: Path) -> None:
    client = moto.client("dynamodb")
    table = moto.unique_name("evidence")
    assert ensure_table(client, table) is True
    objects = _RacedObjects(tmp_path / "objects", secret="s" * 32)
    store = DynamoEvidenceStore(client, table, objects)
    doc = new_evidence_doc(case_id="a" * 8 + "-0000-0000-0000-" + "0" * 12,
                           evidence_id="00000001-0000-0000-0000-000000000000", filename="f.txt", size=1, uploaded_by="u")
    doc["segments"] = [{"seq": i, "text": f"{i}번째 메시지: 생활비를 보내지 않았다고 말했다. " * 4} for i in range(4000)]
    data = json.dumps(doc["segments"], ensure_ascii=False).encode()
    key = store.segments_key(doc["evidence_id"], data)
    objects.put(key, io.BytesIO(data))  # the other writer
    store.put(doc)
    assert store.get(doc["evidence_id"]) == doc
