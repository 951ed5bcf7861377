"""The SearchIndex port on OpenSearch (opensearch-py; `LEH_OPENSEARCH_URL`), the runbook's `case_rag_{case_id}`.

**One index per case**, named `case_rag_{case_id}` as in the runbook, rather than one shared index with a
case filter, because:
- closing a case drops its documents by deleting its index: immediate and complete, no delete-by-query over
  a shared index leaving tombstones until segments merge, and `reindex-case` rebuilds one small index;
- BM25 statistics (document frequencies, lengths) are the case's own, as on the embedded index, so one
  large case cannot skew another's ranking and the two engines rank alike;
- a query that names the wrong index finds nothing rather than another case's documents.
Every query *also* carries a `term` filter on `case_id` (belt and braces: an alias or a mistaken index name
still cannot leak another case). Indexes are small (1 shard); a firm with thousands of open cases should
size the cluster's shard limit for that (closed cases have no index).

Korean analysis: when the index is created the adapter asks the cluster (`POST _analyze` with the
`nori_tokenizer`) whether the `analysis-nori` plugin is installed. With it, the `text` field is analysed by a
nori analyzer and queries match it; without it, the `tokens` field holds the bigram/unigram tokens LEH
computes itself (`leh.analysis.tokens.index_tokens`) under a `whitespace` analyzer, and a query word is the
phrase of its tokens, as on SQLite FTS5. The choice is written in the index mapping's `_meta.analysis`, so
every process queries an index the way it was built, whatever the cluster has since.

Hybrid search: with an embedder, segment vectors go into a `knn_vector` field (`_meta.vector_dims`); a search
runs the lexical query and a filtered k-NN query and fuses the two rankings by reciprocal rank, as on SQLite.
Writes go through `_bulk` with `refresh=wait_for`, so a search right after indexing sees the documents.

Authentication: credentials in the URL (`https://user:pass@host`, fine-grained access control's internal users),
or, on an Amazon OpenSearch Service domain (`*.es.amazonaws.com`) without them, requests signed with SigV4 from
the standard AWS credential chain, so the IAM permissions in README apply.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from opensearchpy import NotFoundError, OpenSearch, RequestError, Urllib3AWSV4SignerAuth

from leh.adapters.sqlite_search import segment_grounds
from leh.analysis.embeddings import embed_segments, rrf_fuse
from leh.analysis.query import all_phrases, highlight, parse_query
from leh.analysis.tokens import index_many, known_tokens
from leh.domain.documents import EvidenceDoc
from leh.ports import Embedder, SearchFilters, SearchHit, SearchQuery

log = logging.getLogger("leh.search")

INDEX_PREFIX: Final = "case_rag_"
BULK_ACTIONS: Final = 1000
VECTOR_CANDIDATES: Final = 50
COUNT_BUCKETS: Final = 10_000
_SAFE_ID: Final = re.compile(r"^[0-9a-z][0-9a-z-]{0,63}$")
NORI: Final = "nori"
TOKENS: Final = "tokens"


def index_name(case_id: str) -> str:
    """`case_rag_{case_id}`; a case id that is not a lower-case id-like string is hashed (index names are strict)."""
    name = case_id if _SAFE_ID.match(case_id) else "h-" + hashlib.sha256(case_id.encode()).hexdigest()[:40]
    return INDEX_PREFIX + name


def index_body(analysis: str, vector_dims: int | None) -> dict[str, Any]:
    """Settings and mappings of a case index: nori or pre-tokenised analysis, a knn field when vectors exist."""
    text: dict[str, Any] = {"type": "text", "analyzer": "leh_korean"} if analysis == NORI else {"type": "text", "index": False}
    props: dict[str, Any] = {
        "case_id": {"type": "keyword"}, "evidence_id": {"type": "keyword"}, "seq": {"type": "integer"},
        "text": text, "tokens": {"type": "text", "analyzer": "whitespace"},
        # The tokens' character spans, for snippets that mark whole words (as the SQLite index does).
        "spans": {"type": "text", "index": False},
        "ts": {"type": "keyword"}, "day": {"type": "keyword"}, "md": {"type": "keyword"}, "speaker": {"type": "keyword"},
        "type": {"type": "keyword"}, "grounds": {"type": "keyword"},
    }
    settings: dict[str, Any] = {"index": {"number_of_shards": 1}}
    if analysis == NORI:
        settings["analysis"] = {"analyzer": {"leh_korean": {
            "type": "custom", "tokenizer": "nori_tokenizer", "filter": ["nori_part_of_speech", "nori_readingform", "lowercase"]}}}
    if vector_dims:
        settings["index"]["knn"] = True
        props["vector"] = {"type": "knn_vector", "dimension": vector_dims,
                           "method": {"name": "hnsw", "space_type": "cosinesimil", "engine": "lucene"}}
    meta = {"analysis": analysis, "vector_dims": vector_dims or 0}
    return {"settings": settings, "mappings": {"dynamic": "strict", "_meta": meta, "properties": props}}


def filter_clauses(case_id: str, f: SearchFilters) -> list[dict[str, Any]]:
    """The mandatory case filter first, then the SearchFilters (as the SQLite index applies them)."""
    out: list[dict[str, Any]] = [{"term": {"case_id": case_id}}]
    if f.type:
        out.append({"term": {"type": f.type}})
    if f.speaker:
        out.append({"term": {"speaker": f.speaker}})
    if f.date_from or f.date_to:
        bounds = {k: v[:10] for k, v in (("gte", f.date_from), ("lte", f.date_to)) if v}
        out.append({"range": {"day": bounds}})
    if f.grounds:
        out.append({"terms": {"grounds": list(f.grounds)}})
    return out


LITERAL_BOOST: Final = 2.0  # a word as written ranks above its related words (as in the SQLite index)


def lexical_query(analysis: str, q: SearchQuery) -> dict[str, Any] | None:
    """Any query word must match (literally or through a related word); each further word ranks the segment higher.

    The phrases are LEH's own index tokens (`leh.analysis.query.parse_query`), so matching means the same as on the
    embedded index; with nori, the literal word also goes to nori's analysis of the text.
    """
    terms = []
    for term in q.terms:
        should: list[dict[str, Any]] = [{"match_phrase": {"tokens": {"query": " ".join(p), "boost": LITERAL_BOOST}}}
                                        for p in term.literal]
        should += [{"match_phrase": {"tokens": {"query": " ".join(p)}}} for p in term.widened]
        if analysis == NORI:
            should.append({"match": {"text": {"query": term.word, "boost": LITERAL_BOOST}}})
        if should:
            terms.append({"bool": {"should": should, "minimum_should_match": 1}})
    return {"bool": {"should": terms, "minimum_should_match": 1}} if terms else None


def date_clauses(q: SearchQuery) -> list[dict[str, Any]]:
    """The dates the query names: a range of days, or month-days in any year (wrapping over New Year)."""
    out: list[dict[str, Any]] = []
    if q.date_from or q.date_to:
        out.append({"range": {"day": {k: v for k, v in (("gte", q.date_from), ("lte", q.date_to)) if v}}})
    lo, hi = q.month_day_from, q.month_day_to
    if lo and hi and lo > hi:
        out.append({"bool": {"should": [{"range": {"md": {"gte": lo}}}, {"range": {"md": {"lte": hi}}}],
                             "minimum_should_match": 1}})
    elif lo or hi:
        out.append({"range": {"md": {k: v for k, v in (("gte", lo), ("lte", hi)) if v}}})
    return out


def sigv4_region(url: str, default_region: str) -> str | None:
    """The region to sign requests for: an Amazon OpenSearch Service domain without credentials in its URL."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.username or not host.endswith(".es.amazonaws.com"):
        return None
    labels = host.split(".")
    return labels[-4] if len(labels) >= 5 else default_region  # search-NAME-ID.REGION.es.amazonaws.com


def make_client(url: str, *, sign_region: str | None = None, timeout: float = 30.0) -> OpenSearch:
    """An opensearch-py client; with `sign_region`, every request is SigV4-signed (service `es`)."""
    if sign_region is None:
        return OpenSearch(hosts=[url], timeout=timeout, http_compress=False)
    import boto3

    credentials = boto3.Session().get_credentials()
    return OpenSearch(hosts=[url], timeout=timeout, http_compress=False,
                      http_auth=Urllib3AWSV4SignerAuth(credentials, sign_region, "es"))


class OpenSearchIndex:
    """The SearchIndex port on one OpenSearch index per case, optionally hybrid with an embedder's vectors."""

    def __init__(self, url: str, *, embedder: Embedder | None = None, timeout: float = 30.0,
                 sign_region: str | None = None, client: OpenSearch | None = None):
        self.client = client or make_client(url, sign_region=sign_region, timeout=timeout)
        self.embedder = embedder
        self._nori: bool | None = None
        self._meta: dict[str, dict[str, Any]] = {}

    # ------------------------------------------------------------ index management
    def has_nori(self) -> bool:
        """Whether the cluster has the analysis-nori plugin (asked once per process, when a case index is created)."""
        if self._nori is None:
            try:
                self.client.indices.analyze(body={"tokenizer": "nori_tokenizer", "text": "가정법원"})
                self._nori = True
            except RequestError:
                self._nori = False
        return self._nori

    def _index_meta(self, case_id: str) -> dict[str, Any] | None:
        """The case index's `_meta` (analysis, vector_dims), or None when the case has no index."""
        name = index_name(case_id)
        if name not in self._meta:
            mapping = self.client.indices.get_mapping(index=name, ignore=404)  # a new case: no warning logged
            if name not in mapping:
                return None
            self._meta[name] = dict(mapping.get(name, {}).get("mappings", {}).get("_meta") or {})
        return self._meta[name]

    def _ensure_index(self, case_id: str, vector_dims: int | None) -> dict[str, Any]:
        meta = self._index_meta(case_id)
        if meta is not None:
            return meta
        name = index_name(case_id)
        body = index_body(NORI if self.has_nori() else TOKENS, vector_dims)
        try:
            self.client.indices.create(index=name, body=body)
        except RequestError as exc:
            if "resource_already_exists" not in str(exc):  # another process created it first: use theirs
                raise
            self._meta.pop(name, None)
            again = self._index_meta(case_id)
            assert again is not None
            return again
        self._meta[name] = dict(body["mappings"]["_meta"])
        return self._meta[name]

    # ------------------------------------------------------------ writes
    def index_evidence(self, doc: EvidenceDoc, tokens: Sequence[tuple[str, str]] | None = None) -> int:
        """(Re)index every segment of one evidence with `_bulk`; stale segments of an earlier run are removed first."""
        case_id, evidence_id = doc["case_id"], doc["evidence_id"]
        segments = doc.get("segments") or []
        vectors = self._embed(doc, segments)
        meta = self._ensure_index(case_id, len(vectors[0]) if vectors else None)
        if vectors and int(meta.get("vector_dims") or 0) != len(vectors[0]):
            vectors = None  # the index was made without (or with other) vectors: full text only for this one
        self.remove_evidence(case_id, evidence_id)
        grounds = segment_grounds(doc)
        fallback_ts = doc.get("event_time")
        actions: list[dict[str, Any]] = []
        indexed = known_tokens(segments, tokens) or index_many([seg["text"] for seg in segments])
        for i, seg in enumerate(segments):
            ts = seg.get("ts") or fallback_ts
            source: dict[str, Any] = {
                "case_id": case_id, "evidence_id": evidence_id, "seq": int(seg["seq"]), "text": seg["text"],
                "tokens": indexed[i].tokens, "spans": indexed[i].spans, "ts": ts, "day": ts[:10] if ts else None,
                "md": ts[5:10] if ts else None,
                "speaker": seg.get("speaker"), "type": doc.get("type"), "grounds": grounds.get(int(seg["seq"]), [])}
            if vectors is not None:
                source["vector"] = vectors[i]
            actions.append({"index": {"_index": index_name(case_id), "_id": f"{evidence_id}:{seg['seq']}"}})
            actions.append(source)
        for start in range(0, len(actions), 2 * BULK_ACTIONS):
            resp = self.client.bulk(body=actions[start : start + 2 * BULK_ACTIONS], refresh="wait_for")
            if resp.get("errors"):
                failed = [it for it in resp.get("items", []) if next(iter(it.values())).get("error")]
                raise RuntimeError(f"OpenSearch bulk indexing failed for {len(failed)} segments")
        return len(segments)

    def _embed(self, doc: Mapping[str, Any], segments: Sequence[Mapping[str, Any]]) -> list[list[float]] | None:
        return embed_segments(self.embedder, doc, segments)

    def remove_evidence(self, case_id: str, evidence_id: str) -> None:
        if self._index_meta(case_id) is None:
            return
        body = {"query": {"bool": {"filter": [{"term": {"case_id": case_id}}, {"term": {"evidence_id": evidence_id}}]}}}
        try:
            self.client.delete_by_query(index=index_name(case_id), body=body, refresh=True, conflicts="proceed")
        except NotFoundError:
            self._meta.pop(index_name(case_id), None)

    def drop_case(self, case_id: str) -> None:
        """Delete the case's index: all its documents at once (`reindex-case` builds a fresh one)."""
        name = index_name(case_id)
        self._meta.pop(name, None)
        self.client.indices.delete(index=name, ignore=404)  # a case without an index has nothing to drop

    # ------------------------------------------------------------ reads
    def count(self, case_id: str) -> dict[str, int]:
        if self._index_meta(case_id) is None:
            return {}
        body = {"size": 0, "query": {"bool": {"filter": [{"term": {"case_id": case_id}}]}},
                "aggs": {"evidence": {"terms": {"field": "evidence_id", "size": COUNT_BUCKETS}}}}
        try:
            resp = self.client.search(index=index_name(case_id), body=body)
        except NotFoundError:
            return {}
        return {b["key"]: int(b["doc_count"]) for b in resp["aggregations"]["evidence"]["buckets"]}

    def search(self, case_id: str, query: str | SearchQuery, *, filters: SearchFilters | None = None,
               limit: int = 20) -> list[SearchHit]:
        q = parse_query(query) if isinstance(query, str) else query
        meta = self._index_meta(case_id)
        lexical = lexical_query(str((meta or {}).get("analysis") or TOKENS), q)
        if meta is None or (lexical is None and not q.has_dates):
            return []
        clauses = [*filter_clauses(case_id, filters or SearchFilters()), *date_clauses(q)]
        vector = lexical is not None and self.embedder is not None and int(meta.get("vector_dims") or 0) > 0
        fetch = max(limit, VECTOR_CANDIDATES) if vector else limit
        # A query that is only a date lists that period in time order.
        sort: list[Any] = (["_score", {"evidence_id": "asc"}, {"seq": "asc"}] if lexical is not None
                           else [{"ts": "asc"}, {"evidence_id": "asc"}, {"seq": "asc"}])
        body = {"size": fetch, "query": {"bool": {"filter": clauses, "must": [lexical or {"match_all": {}}]}},
                "sort": sort, "_source": {"excludes": ["vector"]}}
        try:
            lex = self.client.search(index=index_name(case_id), body=body)["hits"]["hits"]
            knn = self._knn(case_id, q.text, clauses) if vector else []
        except NotFoundError:
            self._meta.pop(index_name(case_id), None)
            return []
        rows = {h["_id"]: h["_source"] for h in [*lex, *knn]}
        fused = rrf_fuse([h["_id"] for h in lex], [h["_id"] for h in knn])
        phrases = all_phrases(q)
        return [self._hit(rows[key], phrases, round(score, 6)) for key, score in fused[:limit]]

    def _knn(self, case_id: str, query: str, clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert self.embedder is not None
        try:
            qvec = self.embedder.embed([query], case_id=case_id)[0]
        except Exception as exc:  # without the query vector, full-text results still stand
            log.warning("query embedding failed, full-text results only", extra={"case_id": case_id,
                                                                                  "error": type(exc).__name__})
            return []
        body = {"size": VECTOR_CANDIDATES, "_source": {"excludes": ["vector"]},
                "query": {"knn": {"vector": {"vector": qvec, "k": VECTOR_CANDIDATES,
                                             "filter": {"bool": {"filter": clauses}}}}}}
        hits: list[dict[str, Any]] = self.client.search(index=index_name(case_id), body=body)["hits"]["hits"]
        return hits

    @staticmethod
    def _hit(src: dict[str, Any], phrases: list[tuple[str, ...]], score: float) -> SearchHit:
        snippet = highlight(src["text"], src.get("tokens") or "", src.get("spans") or "", phrases)
        return SearchHit(evidence_id=src["evidence_id"], seq=int(src["seq"]), snippet=snippet,
                         score=score, grounds=list(src.get("grounds") or []), ts=src.get("ts"),
                         speaker=src.get("speaker"), type=src.get("type"))
