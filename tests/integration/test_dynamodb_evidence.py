"""The EvidenceStore contract, run on the embedded SQLite store and on DynamoDB (moto_server over real HTTP).

DynamoDB-only: documents over the item limit keep their segments in the object store, lists follow
pagination, and the table is created and checked the way `leh ops setup-aws` does it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from leh.adapters.dynamodb_evidence import DynamoEvidenceStore, check_table, ensure_table
from leh.adapters.local_objects import LocalObjectStore
from leh.adapters.sqlite_evidence import SqliteEvidenceStore
from leh.config import Settings
from leh.container import Container
from leh.domain.errors import Conflict, NotFound
from leh.domain.evidence import new_evidence_doc, transition
from leh.ports import EvidenceStore
from tests.support import moto

CASE_A, CASE_B = "a" * 8 + "-0000-0000-0000-" + "0" * 12, "b" * 8 + "-0000-0000-0000-" + "0" * 12


def _doc(case: str, n: int) -> dict[str, Any]:
    doc = new_evidence_doc(case_id=case, evidence_id=f"{n:08d}-0000-0000-0000-000000000000", filename=f"f{n}.txt",
                           size=n, uploaded_by="u")
    doc["uploaded_at"] = f"2024-01-01T00:00:{n:02d}+00:00"
    doc["status_history"] = [{"status": "uploading", "at": doc["uploaded_at"]}]
    doc["segments"] = [{"seq": 0, "text": "비밀 증거 내용"}]
    return doc


def _dynamo(tmp_path: Path, **kw: Any) -> tuple[DynamoEvidenceStore, Any, str]:
    client = moto.client("dynamodb")
    table = moto.unique_name("evidence")
    assert ensure_table(client, table) is True
    objects = LocalObjectStore(tmp_path / "objects", secret="s" * 32)
    return DynamoEvidenceStore(client, table, objects, **kw), client, table


StoreFactory = Callable[[], EvidenceStore]


@pytest.fixture(params=["sqlite", "dynamodb"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """Makes stores on one shared backend: each call is another process's view (own connection or client)."""
    if request.param == "sqlite":
        return lambda: SqliteEvidenceStore(tmp_path / "evidence.db")
    first, _client, table = _dynamo(tmp_path)
    made = iter([first])
    return lambda: next(made, None) or DynamoEvidenceStore(moto.client("dynamodb"), table, first.objects)


def test_put_get_list_and_update_with_expected_status(stores: StoreFactory) -> None:
    store = stores()
    for n, case in [(1, CASE_A), (2, CASE_A), (3, CASE_B)]:
        store.put(_doc(case, n))
    assert store.get(_doc(CASE_A, 1)["evidence_id"]) == _doc(CASE_A, 1)
    assert store.get("missing") is None
    assert [d["filename"] for d in store.list_case(CASE_A)] == ["f1.txt", "f2.txt"]  # upload order
    eid = _doc(CASE_A, 2)["evidence_id"]
    assert store.update(eid, {"stage": "extract"}, expect_status=["uploading"])["stage"] == "extract"
    with pytest.raises(Conflict) as err:
        store.update(eid, {"stage": "index"}, expect_status=["processing"])
    assert err.value.code == "EVIDENCE_STATE_CHANGED"
    with pytest.raises(NotFound):
        store.update("missing", {"stage": "x"})
    assert stores().get(eid)["stage"] == "extract"  # another process's view reads the write


def test_mutate_is_atomic_under_two_threads(stores: StoreFactory) -> None:
    views = [stores(), stores()]
    doc = _doc(CASE_A, 4)
    doc["attempts"] = 0
    views[0].put(doc)

    def bump(view: EvidenceStore) -> None:
        for _ in range(15):
            view.mutate(doc["evidence_id"], lambda d: {**d, "attempts": d["attempts"] + 1})

    threads = [threading.Thread(target=bump, args=(v,)) for v in views]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert views[1].get(doc["evidence_id"])["attempts"] == 30


def _race(views: list[EvidenceStore], evidence_id: str) -> tuple[list[int], list[str]]:
    """Every view tries the queued → processing transition at the same moment."""
    winners: list[int] = []
    losers: list[str] = []
    barrier = threading.Barrier(len(views))

    def claim(i: int, view: EvidenceStore) -> None:
        barrier.wait()
        try:
            view.update(evidence_id, {"status": "processing", "worker_id": f"w{i}"}, expect_status=["queued"])
            winners.append(i)
        except Conflict as e:
            losers.append(e.code)

    threads = [threading.Thread(target=claim, args=(i, v)) for i, v in enumerate(views)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return winners, losers


def test_two_workers_racing_on_one_transition_exactly_one_wins(stores: StoreFactory) -> None:
    views = [stores() for _ in range(4)]
    for round_ in range(3):
        doc = _doc(CASE_A, 10 + round_)
        views[0].put(transition(doc, "queued"))
        winners, losers = _race(views, doc["evidence_id"])
        assert len(winners) == 1 and losers == ["EVIDENCE_STATE_CHANGED"] * 3
        assert views[0].get(doc["evidence_id"])["worker_id"] == f"w{winners[0]}"


def test_lists_by_status_summaries_counts_and_delete_case(stores: StoreFactory) -> None:
    store = stores()
    for n, case in enumerate([CASE_A, CASE_A, CASE_B, CASE_A]):
        store.put(_doc(case, n))
    ids = [_doc(CASE_A, n)["evidence_id"] for n in range(4)]
    store.mutate(ids[1], lambda d: transition(d, "queued", at="2024-01-02T00:00:00+00:00"))
    store.mutate(ids[3], lambda d: transition(d, "queued", at="2024-01-03T00:00:00+00:00"))
    store.mutate(ids[0], lambda d: transition(d, "deleted"))

    assert [d["evidence_id"] for d in store.list_by_status(["queued"])] == [ids[1], ids[3]]
    assert [d["evidence_id"] for d in store.list_by_status(["uploading", "deleted"], case_id=CASE_A)] == [ids[0]]
    assert [d["case_id"] for d in store.list_by_status(["uploading"])] == [CASE_B]

    rows = store.list_summaries(case_ids=[CASE_A], fields=["filename", "since"])
    assert rows == [{"evidence_id": ids[1], "case_id": CASE_A, "status": "queued", "filename": "f1.txt",
                     "since": "2024-01-02T00:00:00+00:00"},
                    {"evidence_id": ids[3], "case_id": CASE_A, "status": "queued", "filename": "f3.txt",
                     "since": "2024-01-03T00:00:00+00:00"}]
    assert [(r["case_id"], r["size"]) for r in store.list_summaries(statuses=["uploading"], fields=["size"])] == [(CASE_B, 2)]
    assert len(store.list_summaries(exclude_deleted=False, fields=["filename"])) == 4
    assert "비밀" not in repr(store.list_summaries(fields=["filename", "labels", "error"]))
    with pytest.raises(ValueError):
        store.list_summaries(fields=["x') , ('$.segments"])

    assert store.count_by_status(CASE_A) == {"queued": 2, "deleted": 1}
    assert store.count_by_status() == {"queued": 2, "deleted": 1, "uploading": 1}
    assert store.delete_case(CASE_A) == 3
    assert store.list_case(CASE_A) == [] and store.get(ids[1]) is None
    assert store.count_by_status() == {"uploading": 1}
    assert stores().get(_doc(CASE_B, 2)["evidence_id"])["filename"] == "f2.txt"


def test_a_case_deleted_by_another_process_and_restored_is_found_by_id(stores: StoreFactory) -> None:
    here, there = stores(), stores()
    doc = _doc(CASE_A, 5)
    here.put(doc)
    assert here.get(doc["evidence_id"]) == doc
    assert there.delete_case(CASE_A) == 1
    assert here.get(doc["evidence_id"]) is None
    here.put(doc)  # as restore-backup does
    assert stores().get(doc["evidence_id"]) == doc


def test_a_page_of_segments_and_counts_without_the_arrays(stores: StoreFactory) -> None:
    store = stores()
    doc = _doc(CASE_A, 6)
    doc["segments"] = [{"seq": i, "text": f"비밀 증거 내용 {i}"} for i in range(10)]
    doc["timeline"] = [{"ts": None, "description": "사건", "grounds": [], "segments": [i]} for i in range(3)]
    doc["hits"] = [{"seq": 1, "tag": "폭언"}]  # type: ignore[typeddict-item]
    store.put(doc)
    page, total = stores().get_page(doc["evidence_id"], offset=3, limit=4) or ({}, -1)
    assert total == 10 and [s["seq"] for s in page["segments"]] == [3, 4, 5, 6]
    assert {**page, "segments": doc["segments"]} == doc  # everything else as stored
    assert store.get_page(doc["evidence_id"], offset=0, limit=100) == (doc, 10)
    assert store.get_page(doc["evidence_id"], offset=10, limit=5) == ({**doc, "segments": []}, 10)
    assert store.get_page("missing", offset=0, limit=5) is None

    store.put(_doc(CASE_A, 7))  # no timeline, one segment
    rows = store.list_summaries(case_ids=[CASE_A], fields=["filename", "segment_count", "timeline_count", "labels"])
    assert [(r["filename"], r["segment_count"], r["timeline_count"]) for r in rows] == [("f6.txt", 10, 3), ("f7.txt", 1, 0)]
    assert "비밀" not in repr(rows) and all("segments" not in r and "hits" not in r for r in rows)
    with_timeline = store.list_summaries(case_ids=[CASE_A], fields=["timeline"])
    assert [len(r["timeline"] or []) for r in with_timeline] == [3, 0]


# ---------------------------------------------------------------- DynamoDB only
def test_offloaded_segments_are_counted_without_reading_them(tmp_path: Path) -> None:
    store, _client, _table = _dynamo(tmp_path)
    big = _doc(CASE_A, 1)
    big["segments"] = [{"seq": i, "text": f"{i}번째 메시지: 생활비를 보내지 않았다고 말했다. " * 4} for i in range(4000)]
    store.put(big)
    opened: list[str] = []
    real_open = store.objects.open
    store.objects.open = lambda key: opened.append(key) or real_open(key)  # type: ignore[method-assign]
    rows = store.list_summaries(case_ids=[CASE_A], fields=["filename", "segment_count"])
    assert rows[0]["segment_count"] == 4000 and opened == []  # the list never fetched the segments object
    page, total = store.get_page(big["evidence_id"], offset=3990, limit=50) or ({}, -1)
    assert total == 4000 and [s["seq"] for s in page["segments"]] == list(range(3990, 4000))


def test_a_document_over_the_item_limit_keeps_its_segments_in_the_object_store(tmp_path: Path) -> None:
    store, client, table = _dynamo(tmp_path)
    big = _doc(CASE_A, 1)
    big["segments"] = [{"seq": i, "text": f"{i}번째 메시지: 생활비를 보내지 않았다고 말했다. " * 4} for i in range(4000)]
    store.put(big)
    item = client.get_item(TableName=table, Key={"case_id": {"S": CASE_A}, "evidence_id": {"S": big["evidence_id"]}})["Item"]
    key = item["segments_key"]["S"]
    assert key.startswith(f"processed/{big['evidence_id']}/") and len(item["doc"]["S"].encode()) < 10_000
    stored = store.objects.head(key)
    assert stored is not None and stored.size > 400_000

    assert store.get(big["evidence_id"]) == big
    queued = store.update(big["evidence_id"], {"status": "queued"}, expect_status=["uploading"])
    assert queued["segments"] == big["segments"]
    assert store.list_case(CASE_A)[0]["segments"][3999]["seq"] == 3999
    assert store.list_summaries(case_ids=[CASE_A], fields=["filename"])[0]["filename"] == "f1.txt"

    # The segments shrink below the limit: the document is back in the item alone.
    store.mutate(big["evidence_id"], lambda d: {**d, "segments": d["segments"][:2]})
    item = client.get_item(TableName=table, Key={"case_id": {"S": CASE_A}, "evidence_id": {"S": big["evidence_id"]}})["Item"]
    assert "segments_key" not in item and len(store.get(big["evidence_id"])["segments"]) == 2

    store.mutate(big["evidence_id"], lambda d: {**d, "segments": big["segments"]})
    assert store.delete_case(CASE_A) == 1
    assert store.objects.head(key) is None


class _CountingClient:
    """The real client, counting Query calls (to see that a list really spanned several pages)."""

    def __init__(self, client: Any):
        self.client, self.queries = client, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def query(self, **kw: Any) -> Any:
        self.queries += 1
        return self.client.query(**kw)


def test_lists_follow_pagination_across_pages(tmp_path: Path) -> None:
    store, client, table = _dynamo(tmp_path)
    for n in range(7):
        store.put(_doc(CASE_A, n))
    counting = _CountingClient(client)
    paged = DynamoEvidenceStore(counting, table, store.objects)
    assert [d["size"] for d in paged.list_case(CASE_A, page_size=2)] == list(range(7))
    assert counting.queries == 4
    assert paged.count_by_status(CASE_A) == {"uploading": 7}


def test_setup_creates_the_table_once_and_check_reports_problems(tmp_path: Path) -> None:
    client = moto.client("dynamodb")
    name = moto.unique_name("evidence")
    assert check_table(client, name) == [f"DynamoDB table {name} does not exist (run `leh ops setup-aws`)"]
    assert ensure_table(client, name) is True
    assert ensure_table(client, name) is False
    assert check_table(client, name) == []
    wrong = moto.unique_name("evidence")
    client.create_table(TableName=wrong, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "evidence_id", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "evidence_id", "KeyType": "HASH"}])
    problems = check_table(client, wrong)
    assert len(problems) == 2 and "key schema" in problems[0] and "status-index" in problems[1]


def test_the_container_builds_the_store_and_sets_the_table_up(tmp_path: Path) -> None:
    name = moto.unique_name("evidence")
    c = Container(Settings(data_dir=tmp_path / "var", secret_key="k" * 40, dynamodb_table=name,
                           dynamodb_endpoint_url=moto.endpoint_url(), aws_region=moto.REGION))
    assert c.evidence_table_setup(check_only=True) == ("checked", [f"DynamoDB table {name} does not exist (run `leh ops setup-aws`)"])
    assert c.evidence_table_setup(check_only=False) == ("created", [])
    assert c.evidence_table_setup(check_only=False) == ("exists", [])
    assert isinstance(c.evidence, DynamoEvidenceStore) and c.evidence.table == name
    doc = _doc(CASE_A, 1)
    c.evidence.put(doc)
    assert Container(c.settings).evidence.get(doc["evidence_id"]) == doc
    assert Container(Settings(data_dir=tmp_path / "var", secret_key="k" * 40)).evidence_table_setup(check_only=True) is None


def test_case_version_moves_with_every_write_seen_from_any_process(stores: StoreFactory) -> None:
    store, other = stores(), stores()
    store.put(_doc(CASE_A, 1))
    store.put(_doc(CASE_B, 2))
    v1 = store.case_version(CASE_A)
    assert other.case_version(CASE_A) == v1 and store.case_version(CASE_A) == v1  # stable without writes
    other.put(_doc(CASE_B, 3))
    assert store.case_version(CASE_A) == v1  # another case's write leaves it
    other.update(_doc(CASE_A, 1)["evidence_id"], {"stage": "extract"})
    v2 = store.case_version(CASE_A)
    assert v2 != v1
    other.put(_doc(CASE_A, 4))
    v3 = store.case_version(CASE_A)
    assert v3 not in (v1, v2)
    assert other.delete_case(CASE_A) == 2
    assert store.case_version(CASE_A) not in (v1, v2, v3)
