"""A recording OpenSearch for tests: answers the calls LEH's adapter makes, or forwards them to a real cluster.

OpenSearch cannot run on the test machines, so `RecordingOpenSearch` is served by `json_http_server` and
answers like OpenSearch (index create/mapping/delete, `_analyze`, `_bulk`, `_search` with the bool/term/
terms/range/match/match_phrase/knn clauses and the terms aggregation the adapter uses, `_delete_by_query`).
With `forward_to` (the test fixture passes `LEH_OPENSEARCH_URL` when set) it answers nothing itself and
relays every request to the real cluster: the same tests then run against the real engine, and the
requests are recorded either way, so assertions about what was sent hold in both modes.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.support.http_stub import StubRequest


@dataclass
class Recorded:
    method: str
    path: str  # without the query string
    query: str
    body: Any  # parsed JSON, a list of parsed lines for _bulk, or None
    status: int
    headers: dict[str, str] = field(default_factory=dict)


def _parse(req: StubRequest) -> Any:
    if not req.raw:
        return None
    text = req.raw.decode()
    if urlsplit(req.path).path.endswith("/_bulk"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _error(status: int, kind: str, reason: str) -> tuple[int, Any]:
    return status, {"error": {"type": kind, "reason": reason, "root_cause": [{"type": kind, "reason": reason}]},
                    "status": status}


@dataclass
class _Index:
    body: dict[str, Any]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)


class RecordingOpenSearch:
    """The responder for `json_http_server`: records every request; answers it (fake) or relays it (real)."""

    def __init__(self, *, nori: bool = False, forward_to: str | None = None):
        self.nori, self.forward_to = nori, forward_to.rstrip("/") if forward_to else None
        self.requests: list[Recorded] = []
        self.indices: dict[str, _Index] = {}
        self._lock = threading.Lock()

    def __call__(self, req: StubRequest) -> tuple[int, Any]:
        parts = urlsplit(req.path)
        body = _parse(req)
        with self._lock:
            status, payload = self._relay(req) if self.forward_to else self._answer(req.method, parts.path, body)
            self.requests.append(Recorded(req.method, parts.path, parts.query, body, status, req.headers))
        return status, payload

    def calls(self, method: str | None = None, suffix: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if (method is None or r.method == method)
                and (suffix is None or r.path.endswith(suffix))]

    # ------------------------------------------------------------ relay to a real cluster
    def _relay(self, req: StubRequest) -> tuple[int, Any]:
        assert self.forward_to is not None
        # A SigV4 signature is for the recorder's address, not the cluster's: the cluster's own auth is in its URL.
        headers = {k: v for k, v in req.headers.items() if k in {"content-type", "accept"}}
        resp = httpx.request(req.method, self.forward_to + req.path, content=req.raw, headers=headers, timeout=60)
        return resp.status_code, resp.json() if resp.content else None

    # ------------------------------------------------------------ the fake
    def _answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        segs = [s for s in path.split("/") if s]
        if segs == ["_analyze"]:
            return self._analyze(body)
        if segs == ["_bulk"]:
            return self._bulk(body)
        if not segs:
            return 200, {"version": {"distribution": "opensearch", "number": "2.x-fake"}}
        name, rest = segs[0], segs[1:]
        if rest == [] and method == "PUT":
            if name in self.indices:
                return _error(400, "resource_already_exists_exception", f"index [{name}] already exists")
            self.indices[name] = _Index(body or {})
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
        index = self.indices.get(name)
        if index is None:
            return _error(404, "index_not_found_exception", f"no such index [{name}]")
        if rest == [] and method == "DELETE":
            del self.indices[name]
            return 200, {"acknowledged": True}
        if rest == [] and method == "HEAD":
            return 200, None
        if rest == ["_mapping"]:
            return 200, {name: {"mappings": index.body.get("mappings", {})}}
        if rest == ["_search"]:
            return 200, self._search(index, body or {})
        if rest == ["_delete_by_query"]:
            gone = [k for k, d in index.docs.items() if _matches(d, body["query"]) is not None]
            for k in gone:
                del index.docs[k]
            return 200, {"deleted": len(gone), "failures": []}
        return _error(400, "illegal_argument_exception", f"the fake does not serve {method} {path}")

    def _analyze(self, body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("tokenizer") == "nori_tokenizer" and not self.nori:
            return _error(400, "illegal_argument_exception", "failed to find global tokenizer under [nori_tokenizer]")
        return 200, {"tokens": [{"token": t, "position": i} for i, t in enumerate(str(body.get("text", "")).split())]}

    def _bulk(self, lines: list[dict[str, Any]]) -> tuple[int, Any]:
        items = []
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            meta = action["index"]
            index = self.indices.get(meta["_index"])
            if index is None:  # OpenSearch would create it with dynamic mappings; LEH must create it first
                items.append({"index": {"_id": meta["_id"], "status": 404, "error": {"type": "index_not_found_exception"}}})
                continue
            index.docs[meta["_id"]] = source
            items.append({"index": {"_index": meta["_index"], "_id": meta["_id"], "status": 201, "result": "created"}})
        return 200, {"took": 1, "errors": any("error" in it["index"] for it in items), "items": items}

    def _search(self, index: _Index, body: dict[str, Any]) -> dict[str, Any]:
        scored = [(s, k, d) for k, d in index.docs.items() if (s := _matches(d, body.get("query") or {"match_all": {}})) is not None]
        scored.sort(key=lambda t: (-t[0], t[2]["evidence_id"], t[2]["seq"]))
        size = int(body.get("size", 10))
        excludes = set((body.get("_source") or {}).get("excludes") or [])
        hits = [{"_index": "x", "_id": k, "_score": s, "_source": {f: v for f, v in d.items() if f not in excludes}}
                for s, k, d in scored[:size]]
        out: dict[str, Any] = {"hits": {"total": {"value": len(scored), "relation": "eq"}, "hits": hits}}
        if "aggs" in body:
            counts: dict[str, int] = {}
            for _s, _k, d in scored:
                counts[d["evidence_id"]] = counts.get(d["evidence_id"], 0) + 1
            out["aggregations"] = {"evidence": {"buckets": [{"key": k, "doc_count": n} for k, n in sorted(counts.items())]}}
        return out


def _matches(doc: dict[str, Any], q: dict[str, Any]) -> float | None:
    """The clause's score for the document, or None when it does not match (enough of the DSL for LEH's queries)."""
    kind, arg = next(iter(q.items()))
    if kind == "match_all":
        return 1.0
    if kind == "term":
        field_, value = next(iter(arg.items()))
        have = doc.get(field_)
        return 0.0 if (value in have if isinstance(have, list) else have == value) else None
    if kind == "terms":
        field_, values = next(iter(arg.items()))
        have = doc.get(field_)
        have_list = have if isinstance(have, list) else [have]
        return 0.0 if set(values) & set(have_list) else None
    if kind == "range":
        field_, bounds = next(iter(arg.items()))
        have = doc.get(field_)
        ok = have is not None and all((op == "gte" and have >= v) or (op == "lte" and have <= v) for op, v in bounds.items())
        return 0.0 if ok else None
    if kind == "match_phrase":
        field_, spec = next(iter(arg.items()))
        want, have = spec["query"].split(), str(doc.get(field_) or "").split()
        found = any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))
        return 1.0 if found else None
    if kind == "match":  # the fake's "nori": the query word occurs in the text
        field_, spec = next(iter(arg.items()))
        return 1.0 if spec["query"].lower() in str(doc.get(field_) or "").lower() else None
    if kind == "knn":
        field_, spec = next(iter(arg.items()))
        if "filter" in spec and _matches(doc, spec["filter"]) is None or field_ not in doc:
            return None
        a, b = doc[field_], spec["vector"]
        norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(x * x for x in b)) or 1.0
        return (1 + sum(x * y for x, y in zip(a, b, strict=True)) / norm) / 2
    if kind == "bool":
        return _bool(doc, arg)
    raise AssertionError(f"the fake OpenSearch does not understand {kind!r}")


def _bool(doc: dict[str, Any], arg: dict[str, Any]) -> float | None:
    score = 0.0
    for clause in [*arg.get("filter", []), *arg.get("must", [])]:
        s = _matches(doc, clause)
        if s is None:
            return None
        score += s
    should = [s for c in arg.get("should", []) if (s := _matches(doc, c)) is not None]
    if arg.get("should") and len(should) < int(arg.get("minimum_should_match", 0)):
        return None
    return score + sum(should)
