"""Evidence store on DynamoDB (the scale-out profile's `EvidenceStore`; `LEH_DYNAMODB_TABLE`).

Table layout (one table, on-demand capacity):

- **Evidence items**: partition key `case_id`, sort key `evidence_id`. Attributes: `status` (also inside the
  document, duplicated for the index and filters), `doc` (the EvidenceDoc as JSON text), `rev` (a fresh
  random token on every write), `segment_count` (for list pages, which never read offloaded segments) and, for
  documents too big for one item, `segments_key`.
- **Locator items**: `case_id = "#evidence#{evidence_id}"`, `evidence_id = "#"`, attribute `owner_case`. The port
  reads by evidence id alone (`get`, `update`, `mutate`); a global secondary index on `evidence_id` would do it
  too, but GSIs are only eventually consistent, so a document written a moment ago could read as missing (an
  upload answered 201 and then 404). A locator is a strongly consistent GetItem; the mapping never changes,
  so each process caches it for reads (a stale entry only finds no item, as for a deleted case). Locators have no `status`, so they never appear in the status index nor in a
  case's partition.
- **GSI `status-index`** (partition `status`, sort `evidence_id`, keys only): `list_by_status` without a case —
  the janitor's "what is stuck in processing", the breaker's paused items — without scanning every case. Keys
  only, because the documents are then read with consistent BatchGetItem and re-checked: the index may lag,
  the answer must not. A handful of status values makes a low-cardinality partition key; acceptable here
  (thousands of items per firm, read by operators and the janitor, not per request).

Every change to an existing document goes through `mutate`: GetItem (consistent) → `fn(doc)` → PutItem with
`ConditionExpression rev = :read_rev`. A writer that lost the race gets ConditionalCheckFailed, reads again
and re-applies `fn`; so `update(..., expect_status=...)` is a compare-and-set on the status and two workers
never both win a transition (the loser's `fn` sees the new status and raises Conflict).

Items are limited to 400 KB. A document whose JSON is over `item_limit_bytes` keeps its segments in the object
store under `processed/{evidence_id}/{content hash}.json` (the store is write-once) and the item carries the key (`segments_key`); reads put them
back. The object is rewritten only when the segments change, so status transitions on a large document do
not touch the object store, and it is written before the item that points at it.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from leh.domain.documents import EvidenceDoc
from leh.domain.errors import Conflict, LehError, NotFound
from leh.ports import ObjectStore

__all__ = ["DynamoEvidenceStore", "check_table", "ensure_table", "make_client"]

STATUS_INDEX = "status-index"
LOCATOR_PREFIX = "#evidence#"
LOCATOR_SORT = "#"
ITEM_LIMIT_BYTES = 350_000  # DynamoDB's limit is 400 KB per item including attribute names; keep headroom
_MUTATE_RETRIES = 50
_BATCH_GET = 100
_BATCH_WRITE = 25

Item = dict[str, dict[str, Any]]


def make_client(*, endpoint_url: str | None, region: str) -> Any:
    """A DynamoDB client (credentials from the usual AWS chain; `endpoint_url` for DynamoDB-compatible servers)."""
    return boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region,
                        config=Config(retries={"max_attempts": 8, "mode": "adaptive"}))


# ---------------------------------------------------------------- table setup (leh ops setup-aws)
def _table_spec(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "case_id", "AttributeType": "S"},
                                 {"AttributeName": "evidence_id", "AttributeType": "S"},
                                 {"AttributeName": "status", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "case_id", "KeyType": "HASH"},
                      {"AttributeName": "evidence_id", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{
            "IndexName": STATUS_INDEX,
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                          {"AttributeName": "evidence_id", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }],
    }


def ensure_table(client: Any, name: str) -> bool:
    """Create the evidence table (keys and status index above) unless it exists; True when it was created."""
    try:
        client.create_table(**_table_spec(name))
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceInUseException":
            raise
        return False
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return True


def check_table(client: Any, name: str) -> list[str]:
    """What is wrong with the evidence table (missing, wrong keys, no status index); empty when it is usable."""
    try:
        table = client.describe_table(TableName=name)["Table"]
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            return [f"DynamoDB table {name} does not exist (run `leh ops setup-aws`)"]
        raise
    problems = []
    keys = {k["AttributeName"]: k["KeyType"] for k in table.get("KeySchema", [])}
    if keys != {"case_id": "HASH", "evidence_id": "RANGE"}:
        problems.append(f"DynamoDB table {name}: key schema {keys} (wanted case_id HASH, evidence_id RANGE)")
    indexes = {i["IndexName"]: i for i in table.get("GlobalSecondaryIndexes", [])}
    gsi = indexes.get(STATUS_INDEX)
    if gsi is None:
        problems.append(f"DynamoDB table {name}: global secondary index {STATUS_INDEX} is missing")
    elif {k["AttributeName"]: k["KeyType"] for k in gsi["KeySchema"]} != {"status": "HASH", "evidence_id": "RANGE"}:
        problems.append(f"DynamoDB table {name}: index {STATUS_INDEX} has the wrong keys")
    if table.get("TableStatus") not in (None, "ACTIVE", "UPDATING"):
        problems.append(f"DynamoDB table {name} is {table.get('TableStatus')}")
    return problems


# ---------------------------------------------------------------- the store
def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _is_conditional_failure(e: ClientError) -> bool:
    return e.response["Error"]["Code"] in ("ConditionalCheckFailedException", "TransactionCanceledException")


class DynamoEvidenceStore:
    """The EvidenceStore port on one DynamoDB table; large documents' segments in the object store."""

    def __init__(self, client: Any, table: str, objects: ObjectStore, *, item_limit_bytes: int = ITEM_LIMIT_BYTES):
        self.client, self.table, self.objects = client, table, objects
        self.item_limit_bytes = item_limit_bytes
        self._case_of: dict[str, str] = {}

    # ------------------------------------------------------------ encoding
    @staticmethod
    def segments_key(evidence_id: str, data: bytes) -> str:
        """`processed/{evidence_id}/{sha256 prefix}.json`: named by content, because the object store is write-once
        (a key is never overwritten): changed segments get a new object, identical ones the same key."""
        return f"processed/{evidence_id}/{hashlib.sha256(data).hexdigest()[:32]}.json"

    def _item(self, doc: Mapping[str, Any], *, previous: Item | None = None,
              previous_segments: list[Any] | None = None) -> Item:
        text = json.dumps(doc, ensure_ascii=False)
        item: Item = {"case_id": _s(doc["case_id"]), "evidence_id": _s(doc["evidence_id"]),
                      "status": _s(doc["status"]), "rev": _s(uuid.uuid4().hex), "updated_at": {"N": repr(time.time())},
                      "segment_count": {"N": str(len(doc.get("segments") or []))}}
        if len(text.encode()) <= self.item_limit_bytes:
            item["doc"] = _s(text)
            return item
        segments = doc.get("segments") or []
        rest = json.dumps({k: v for k, v in doc.items() if k != "segments"}, ensure_ascii=False)
        if len(rest.encode()) > self.item_limit_bytes:
            raise ValueError(f"evidence {doc['evidence_id']}: document without segments is still over the item limit")
        unchanged = previous is not None and "segments_key" in previous and previous_segments == segments
        if unchanged and previous is not None:
            key = previous["segments_key"]["S"]
        else:
            data = json.dumps(segments, ensure_ascii=False).encode()
            key = self.segments_key(doc["evidence_id"], data)
            if self.objects.head(key) is None:
                try:
                    self.objects.put(key, io.BytesIO(data))
                except LehError as exc:  # another writer stored it first: the key is named by these bytes
                    if exc.code != "OBJECT_EXISTS":
                        raise
        item["doc"], item["segments_key"] = _s(rest), _s(key)
        return item

    def _doc(self, item: Item, *, with_segments: bool = True) -> EvidenceDoc:
        doc: EvidenceDoc = json.loads(item["doc"]["S"])
        if "segments_key" in item:
            if with_segments:
                with self.objects.open(item["segments_key"]["S"]) as f:
                    doc["segments"] = json.load(f)
            else:
                doc["segments"] = []
        return doc

    # ------------------------------------------------------------ locating a document by id
    def _remember(self, case_id: str, evidence_id: str) -> None:
        # Written on every put (creation and restore only): a locator another process deleted with its case must
        # come back even where this process still has the mapping cached.
        self.client.put_item(TableName=self.table, Item={
            "case_id": _s(LOCATOR_PREFIX + evidence_id), "evidence_id": _s(LOCATOR_SORT), "owner_case": _s(case_id)})
        self._case_of[evidence_id] = case_id

    def _case_id(self, evidence_id: str) -> str | None:
        case_id = self._case_of.get(evidence_id)
        if case_id is None:
            got = self.client.get_item(TableName=self.table, ConsistentRead=True, Key={
                "case_id": _s(LOCATOR_PREFIX + evidence_id), "evidence_id": _s(LOCATOR_SORT)}).get("Item")
            if got is None:
                return None
            case_id = str(got["owner_case"]["S"])
            self._case_of[evidence_id] = case_id
        return case_id

    def _get_item(self, evidence_id: str) -> Item | None:
        case_id = self._case_id(evidence_id)
        if case_id is None:
            return None
        item: Item | None = self.client.get_item(TableName=self.table, ConsistentRead=True, Key={
            "case_id": _s(case_id), "evidence_id": _s(evidence_id)}).get("Item")
        return item

    # ------------------------------------------------------------ port: writes
    def put(self, doc: EvidenceDoc) -> None:
        self._remember(doc["case_id"], doc["evidence_id"])
        self.client.put_item(TableName=self.table, Item=self._item(doc))

    def update(self, evidence_id: str, changes: Mapping[str, Any], *,
               expect_status: Iterable[str] | None = None) -> EvidenceDoc:
        allowed = set(expect_status) if expect_status is not None else None

        def apply(doc: EvidenceDoc) -> EvidenceDoc:
            if allowed is not None and doc["status"] not in allowed:
                raise Conflict("EVIDENCE_STATE_CHANGED", "증거 상태가 바뀌었습니다. 새로고침 후 다시 시도해주세요.")
            # cast: `changes` names top-level fields at run time; a TypedDict's update only takes its own shape.
            cast(dict[str, Any], doc).update(changes)
            return doc

        return self.mutate(evidence_id, apply)

    def mutate(self, evidence_id: str, fn: Callable[[EvidenceDoc], EvidenceDoc]) -> EvidenceDoc:
        """Read-modify-write with a condition on the revision read; on a lost race, read again and re-apply fn."""
        for attempt in range(_MUTATE_RETRIES):
            item = self._get_item(evidence_id)
            if item is None:
                raise NotFound("EVIDENCE_NOT_FOUND")
            doc = self._doc(item)
            before = list(doc.get("segments") or []) if "segments_key" in item else None
            new = fn(doc)
            try:
                self.client.put_item(TableName=self.table, Item=self._item(new, previous=item, previous_segments=before),
                                     ConditionExpression="rev = :rev",
                                     ExpressionAttributeValues={":rev": item["rev"]})
                return new
            except ClientError as e:
                if not _is_conditional_failure(e):
                    raise
                time.sleep(min(0.005 * (attempt + 1), 0.1))
        raise Conflict("EVIDENCE_BUSY", "다른 작업이 이 증거를 계속 바꾸고 있습니다. 잠시 후 다시 시도해주세요.")

    def delete_case(self, case_id: str) -> int:
        n = 0
        requests: list[dict[str, Any]] = []
        for item in list(self._query_case(case_id, projection="evidence_id, segments_key")):
            evidence_id = item["evidence_id"]["S"]
            requests.append({"DeleteRequest": {"Key": {"case_id": _s(case_id), "evidence_id": _s(evidence_id)}}})
            requests.append({"DeleteRequest": {"Key": {"case_id": _s(LOCATOR_PREFIX + evidence_id),
                                                       "evidence_id": _s(LOCATOR_SORT)}}})
            # Every version of its offloaded segments (earlier ones stay until the case goes: a write that lost a
            # race may still point at one).
            for obj in list(self.objects.list(f"processed/{evidence_id}/")):
                self.objects.delete(obj.key)
            self._case_of.pop(evidence_id, None)
            n += 1
        for i in range(0, len(requests), _BATCH_WRITE):
            self._batch_write(requests[i:i + _BATCH_WRITE])
        return n

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending: dict[str, Any] = {self.table: requests}
        for attempt in range(20):
            pending = self.client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                return
            time.sleep(min(0.05 * (attempt + 1), 1.0))
        raise RuntimeError("DynamoDB kept throttling a batch delete")

    # ------------------------------------------------------------ port: reads
    def get(self, evidence_id: str) -> EvidenceDoc | None:
        item = self._get_item(evidence_id)
        return self._doc(item) if item is not None else None

    def get_page(self, evidence_id: str, *, offset: int, limit: int) -> tuple[EvidenceDoc, int] | None:
        """One page of segments. The item holds the document as one JSON text and offloaded segments are one
        object, so both are read whole; only the page leaves this method."""
        doc = self.get(evidence_id)
        if doc is None:
            return None
        segments = doc.get("segments") or []
        doc["segments"] = segments[max(0, offset):max(0, offset) + max(0, limit)]
        return doc, len(segments)

    def _pages(self, op: str, **kwargs: Any) -> Iterator[Item]:
        """Every item of a Query or Scan, following LastEvaluatedKey across pages."""
        call = getattr(self.client, op)
        while True:
            page = call(TableName=self.table, **kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _query_case(self, case_id: str, *, projection: str | None = None, page_size: int | None = None) -> Iterator[Item]:
        kwargs: dict[str, Any] = {"KeyConditionExpression": "case_id = :c",
                                  "ExpressionAttributeValues": {":c": _s(case_id)}, "ConsistentRead": True}
        if projection:
            kwargs["ProjectionExpression"] = projection.replace("status", "#st")
            if "status" in projection:
                kwargs["ExpressionAttributeNames"] = {"#st": "status"}
        if page_size:
            kwargs["Limit"] = page_size
        return self._pages("query", **kwargs)

    def _scan_evidence(self, *, projection: str | None = None) -> Iterator[Item]:
        kwargs: dict[str, Any] = {"FilterExpression": "attribute_exists(#st)", "ExpressionAttributeNames": {"#st": "status"},
                                  "ConsistentRead": True}
        if projection:
            kwargs["ProjectionExpression"] = projection.replace("status", "#st")
        return self._pages("scan", **kwargs)

    @staticmethod
    def _in_upload_order(docs: list[EvidenceDoc]) -> list[EvidenceDoc]:
        # The sort key orders by evidence id; callers expect upload order, as the embedded store gives.
        return sorted(docs, key=lambda d: (str(d.get("uploaded_at") or ""), d["evidence_id"]))

    def list_case(self, case_id: str, *, page_size: int | None = None) -> list[EvidenceDoc]:
        return self._in_upload_order([self._doc(item) for item in self._query_case(case_id, page_size=page_size)])

    def case_version(self, case_id: str) -> str:
        # Every write gives the item a new `rev`: the sorted revisions of the case name its state.
        revs = sorted(f"{item['evidence_id']['S']}={item['rev']['S']}"
                      for item in self._query_case(case_id, projection="evidence_id, rev"))
        return hashlib.sha256("\n".join(revs).encode()).hexdigest()

    def _batch_get(self, keys: list[dict[str, Any]]) -> list[Item]:
        out: list[Item] = []
        for i in range(0, len(keys), _BATCH_GET):
            pending: dict[str, Any] = {self.table: {"Keys": keys[i:i + _BATCH_GET], "ConsistentRead": True}}
            for attempt in range(20):
                resp = self.client.batch_get_item(RequestItems=pending)
                out.extend(resp.get("Responses", {}).get(self.table, []))
                pending = resp.get("UnprocessedKeys") or {}
                if not pending:
                    break
                time.sleep(min(0.05 * (attempt + 1), 1.0))
        return out

    def list_by_status(self, statuses: Iterable[str], *, case_id: str | None = None) -> list[EvidenceDoc]:
        wanted = set(statuses)
        if case_id:
            items = [i for i in self._query_case(case_id) if i["status"]["S"] in wanted]
        else:
            keys: list[dict[str, Any]] = []
            for status in sorted(wanted):
                for k in self._pages("query", IndexName=STATUS_INDEX, KeyConditionExpression="#st = :s",
                                     ExpressionAttributeNames={"#st": "status"}, ExpressionAttributeValues={":s": _s(status)}):
                    keys.append({"case_id": k["case_id"], "evidence_id": k["evidence_id"]})
            # The index lags the table: read the items themselves and keep those still in a wanted status.
            items = [i for i in self._batch_get(keys) if i["status"]["S"] in wanted]
        return self._in_upload_order([self._doc(i) for i in items])

    def list_summaries(self, *, case_ids: list[str] | None = None, statuses: Sequence[str] | None = None,
                       exclude_deleted: bool = True, fields: Sequence[str]) -> list[dict[str, Any]]:
        """Documents cut to `fields`; segments kept in the object store are not fetched for a list."""
        wanted = set(statuses) if statuses is not None else None
        for name in fields:
            if not name.isidentifier():
                raise ValueError(f"not a document field: {name!r}")
        items = (i for c in case_ids for i in self._query_case(c)) if case_ids is not None else self._scan_evidence()
        docs = []
        for item in items:
            status = item["status"]["S"]
            if (wanted is not None and status not in wanted) or (wanted is None and exclude_deleted and status == "deleted"):
                continue
            doc = self._doc(item, with_segments=False)
            counts = {"segment_count": int(item["segment_count"]["N"]) if "segment_count" in item
                      else None if "segments_key" in item else len(doc.get("segments") or []),  # items older than the count
                      "timeline_count": len(doc.get("timeline") or [])}
            docs.append((doc, counts))
        out = []
        for doc, counts in sorted(docs, key=lambda dc: (str(dc[0].get("uploaded_at") or ""), dc[0]["evidence_id"])):
            row: dict[str, Any] = {"evidence_id": doc["evidence_id"], "case_id": doc["case_id"], "status": doc["status"]}
            for name in fields:
                if name == "since":
                    history = doc.get("status_history") or []
                    row["since"] = history[-1].get("at") if history else None
                elif name in counts:
                    row[name] = counts[name]
                else:
                    row[name] = doc.get(name)
            out.append(row)
        return out

    def count_by_status(self, case_id: str | None = None) -> dict[str, int]:
        items = self._query_case(case_id, projection="status") if case_id else self._scan_evidence(projection="status")
        counts: dict[str, int] = {}
        for item in items:
            status = item["status"]["S"]
            counts[status] = counts.get(status, 0) + 1
        return counts
