"""The OpenSearch search index: the requests it sends (mappings, analyzer choice, bulk bodies, case filters,
index drops) and what it finds.

The `cluster` fixture serves a recording OpenSearch on loopback. With `LEH_OPENSEARCH_URL` set, the recorder
relays every request to that real cluster instead of answering itself: the same tests, with the same
assertions on what was sent, then run against the real engine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from leh.adapters.opensearch_search import NORI, TOKENS, OpenSearchIndex, index_body, index_name, sigv4_region
from leh.analysis.tokens import index_many, index_tokens
from leh.config import Settings
from leh.container import Container
from leh.ports import SearchFilters
from tests.support.http_stub import json_http_server
from tests.support.opensearch_stub import RecordingOpenSearch


@dataclass
class Cluster:
    url: str
    rec: RecordingOpenSearch
    cases: list[str]

    def case(self) -> str:
        """A fresh case id (dropped after the test, so a real cluster is left clean)."""
        case_id = str(uuid.uuid4())
        self.cases.append(case_id)
        return case_id

    def index(self, **kw: Any) -> OpenSearchIndex:
        return OpenSearchIndex(self.url, **kw)


def spans_of(text: str) -> str:
    return index_many([text])[0].spans


@pytest.fixture(params=["nori", "no-nori"])

def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """The recording server: a fake with or without the nori plugin, or a relay to LEH_OPENSEARCH_URL when set."""
    rec = RecordingOpenSearch(nori=request.param == "nori", forward_to=os.environ.get("LEH_OPENSEARCH_URL"))
    with json_http_server(rec) as url:
        c = Cluster(url, rec, [])
        yield c
        for case_id in c.cases:
            OpenSearchIndex(url).drop_case(case_id)


def expected_analysis(rec: RecordingOpenSearch) -> str:
    """What the cluster answered to the nori probe decides the analysis."""
    [probe] = rec.calls("POST", "/_analyze") or rec.calls("GET", "/_analyze")
    assert probe.body["tokenizer"] == "nori_tokenizer"
    return NORI if probe.status == 200 else TOKENS


def doc(case_id: str, evidence_id: str, texts: list[tuple[str | None, str | None, str]], *, type: str = "kakaotalk",
        labels: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"case_id": case_id, "evidence_id": evidence_id, "type": type, "event_time": None, "labels": labels or [],
            "segments": [{"seq": i, "ts": ts, "speaker": who, "text": t} for i, (ts, who, t) in enumerate(texts)]}


def keys(hits: list[Any]) -> list[tuple[str, int]]:
    return [(h.evidence_id, h.seq) for h in hits]


def case_filtered(query: dict[str, Any], case_id: str) -> bool:
    """The query's bool filter holds the term on this case (in the lexical and in the k-NN form)."""
    if "knn" in query:
        query = next(iter(query["knn"].values()))["filter"]
    return {"term": {"case_id": case_id}} in query["bool"]["filter"]


def test_the_mapping_follows_the_clusters_korean_analysis_and_bulk_sends_every_segment(cluster: Cluster) -> None:
    index, case = cluster.index(), cluster.case()
    texts = [("2023-12-25T22:20:00+09:00", "김영희", "위자료를 청구할 거야"), (None, "홍길동", "폭언하였다고 이혼하자는 거야?")]
    assert index.index_evidence(doc(case, "e1", texts, labels=[{"ground": "840-3", "segments": [1]}])) == 2
    analysis = expected_analysis(cluster.rec)
    [create] = cluster.rec.calls("PUT")
    assert create.path == f"/case_rag_{case}" and create.body == index_body(analysis, None)
    field = create.body["mappings"]["properties"]
    if analysis == NORI:
        assert field["text"]["analyzer"] == "leh_korean"
        assert create.body["settings"]["analysis"]["analyzer"]["leh_korean"]["tokenizer"] == "nori_tokenizer"
    else:
        assert field["text"] == {"type": "text", "index": False} and field["tokens"]["analyzer"] == "whitespace"
    [bulk] = cluster.rec.calls("POST", "/_bulk")
    assert "refresh=wait_for" in bulk.query
    assert bulk.body == [
        {"index": {"_index": f"case_rag_{case}", "_id": "e1:0"}},
        {"case_id": case, "evidence_id": "e1", "seq": 0, "text": texts[0][2], "tokens": index_tokens(texts[0][2]),
         "spans": spans_of(texts[0][2]), "ts": texts[0][0], "day": "2023-12-25", "md": "12-25", "speaker": "김영희",
         "type": "kakaotalk", "grounds": []},
        {"index": {"_index": f"case_rag_{case}", "_id": "e1:1"}},
        {"case_id": case, "evidence_id": "e1", "seq": 1, "text": texts[1][2], "tokens": index_tokens(texts[1][2]),
         "spans": spans_of(texts[1][2]), "ts": None, "day": None, "md": None, "speaker": "홍길동", "type": "kakaotalk",
         "grounds": ["840-3"]},
    ]
    assert keys(index.search(case, "위자료")) == [("e1", 0)]
    assert keys(index.search(case, "폭언")) == [("e1", 1)]
    assert index.search(case, "양육권") == []
    # a second process reads how the index was built instead of probing the cluster again
    other = cluster.index()
    assert keys(other.search(case, "이혼")) == [("e1", 1)]
    assert len(cluster.rec.calls("POST", "/_analyze") + cluster.rec.calls("GET", "/_analyze")) == 1


def test_every_read_and_delete_names_the_case_index_and_carries_the_case_filter(cluster: Cluster) -> None:
    index, a, b = cluster.index(), cluster.case(), cluster.case()
    index.index_evidence(doc(a, "a1", [(None, "김영희", "남편이 이혼하자고 폭언했어")]))
    index.index_evidence(doc(b, "b1", [(None, "박민수", "아내가 이혼하자고 폭언했어"), (None, "박민수", "이혼 서류")]))
    index.index_evidence(doc(b, "b1", [(None, "박민수", "아내가 이혼하자고 폭언했어"), (None, "박민수", "이혼 서류")]))
    assert keys(index.search(a, "이혼 폭언")) == [("a1", 0)]
    assert sorted(keys(index.search(b, "이혼"))) == [("b1", 0), ("b1", 1)]
    assert index.count(a) == {"a1": 1} and index.count(b) == {"b1": 2}  # re-indexing did not duplicate
    index.remove_evidence(b, "b1")
    assert index.count(b) == {}
    reads = cluster.rec.calls(suffix="/_search") + cluster.rec.calls(suffix="/_delete_by_query")
    assert len(reads) == 9  # 3 clears before (re)indexing, 2 searches, 3 counts, 1 removal
    for r in reads:
        case = a if r.path.startswith(f"/case_rag_{a}/") else b
        assert r.path.startswith(f"/case_rag_{case}/") and case_filtered(r.body["query"], case), r
    delete = cluster.rec.calls("POST", "/_delete_by_query")[-1]
    assert delete.path == f"/case_rag_{b}/_delete_by_query" and delete.body["query"]["bool"]["filter"] == [{"term": {"case_id": b}}, {"term": {"evidence_id": "b1"}}]
    unknown = str(uuid.uuid4())
    assert index.search(unknown, "이혼") == [] and index.count(unknown) == {}
    assert not cluster.rec.calls("PUT", f"/case_rag_{unknown}")  # reading never creates an index


def test_filters_by_ground_type_date_and_speaker(cluster: Cluster) -> None:
    index, case = cluster.index(), cluster.case()
    index.index_evidence(doc(case, "chat", [
        ("2023-12-25T22:20:00+09:00", "홍길동", "돈 얘기 또 하면 가만 안 둔다"),
        ("2024-01-10T09:00:00+09:00", "김영희", "돈 문제로 또 싸웠어"),
        ("2024-02-01T09:00:00+09:00", "홍길동", "돈 보냈어"),
    ], labels=[{"ground": "840-3", "segments": [0]}, {"ground": "840-6", "segments": [1]}]))
    index.index_evidence(doc(case, "memo", [(None, None, "돈 관련 메모")], type="text"))
    assert sorted(keys(index.search(case, "돈"))) == [("chat", 0), ("chat", 1), ("chat", 2), ("memo", 0)]
    assert keys(index.search(case, "돈", filters=SearchFilters(grounds=["840-3"]))) == [("chat", 0)]
    assert keys(index.search(case, "돈", filters=SearchFilters(type="text"))) == [("memo", 0)]
    assert keys(index.search(case, "돈", filters=SearchFilters(speaker="김영희"))) == [("chat", 1)]
    ranged = index.search(case, "돈", filters=SearchFilters(date_from="2024-01-01", date_to="2024-01-31T23:59"))
    assert keys(ranged) == [("chat", 1)]
    assert ranged[0].grounds == ["840-6"] and ranged[0].ts == "2024-01-10T09:00:00+09:00" and ranged[0].speaker == "김영희"
    last = cluster.rec.calls(suffix="/_search")[-1].body["query"]["bool"]["filter"]
    assert last == [{"term": {"case_id": case}}, {"range": {"day": {"gte": "2024-01-01", "lte": "2024-01-31"}}}]


def test_snippets_highlight_the_words_and_escape_html(cluster: Cluster) -> None:
    index, case = cluster.index(), cluster.case()
    index.index_evidence(doc(case, "e1", [(None, "x", "<script>alert(1)</script> 위자료를 " + "가" * 100)]))
    [hit] = index.search(case, "위자료")
    assert "<mark>위자료</mark>를" in hit.snippet and "&lt;script&gt;" in hit.snippet and hit.score > 0


def test_dropping_a_case_deletes_its_index_and_a_rebuild_makes_a_fresh_one(cluster: Cluster) -> None:
    index, case = cluster.index(), cluster.case()
    d = doc(case, "e1", [(None, "x", "이혼 서류"), (None, "x", "이혼 상담")])
    index.index_evidence(d)
    index.index_evidence(doc(case, "e2", [(None, "x", "이혼 소장")]))
    index.drop_case(case)
    assert [r.path for r in cluster.rec.calls("DELETE")] == [f"/case_rag_{case}"]
    assert index.count(case) == {} and index.search(case, "이혼") == []
    index.index_evidence(d)  # reindex-case rebuilds from the evidence store, one evidence at a time
    assert sorted(keys(index.search(case, "이혼"))) == [("e1", 0), ("e1", 1)]
    assert [r.path for r in cluster.rec.calls("PUT")] == [f"/case_rag_{case}"] * 2
    index.drop_case(case)
    index.drop_case(case)  # dropping a case that has no index is not an error


class WordEmbedder:
    """Texts about violence share one direction, everything else another."""

    model = "test-embed"

    def __init__(self, fail: bool = False):
        self.fail, self.calls = fail, 0

    def embed(self, texts: list[str], *, case_id: str | None = None, evidence_id: str | None = None,
              user_id: str | None = None) -> list[list[float]]:
        self.calls += 1
        if self.fail:
            raise RuntimeError("provider down")
        violent = ("때리", "때렸", "폭력", "주먹", "맞았")
        return [[1.0, 0.1] if any(w in t for w in violent) else [0.0, 1.0] for t in texts]


def test_hybrid_search_adds_filtered_knn_neighbours(cluster: Cluster) -> None:
    index, case = cluster.index(embedder=WordEmbedder()), cluster.case()
    index.index_evidence(doc(case, "e1", [
        ("2023-12-25T22:20:00+09:00", "홍길동", "주먹으로 얼굴을 맞았어"),  # no query word, near "폭력" as a vector
        ("2023-12-26T22:20:00+09:00", "김영희", "폭력 신고 접수증 받았어"),
        ("2023-12-27T22:20:00+09:00", "김영희", "오늘 저녁 뭐 먹지"),
    ]))
    [create] = cluster.rec.calls("PUT")
    assert create.body["mappings"]["properties"]["vector"]["type"] == "knn_vector"
    assert create.body["mappings"]["properties"]["vector"]["dimension"] == 2 and create.body["settings"]["index"]["knn"]
    assert cluster.rec.calls("POST", "/_bulk")[0].body[1]["vector"] == [1.0, 0.1]
    assert keys(index.search(case, "폭력"))[:2] == [("e1", 1), ("e1", 0)]
    assert keys(index.search(case, "폭력", filters=SearchFilters(speaker="김영희")))[:1] == [("e1", 1)]
    knn = [r for r in cluster.rec.calls(suffix="/_search") if "knn" in r.body["query"]]
    assert len(knn) == 2 and all(case_filtered(r.body["query"], case) for r in knn)
    assert {"term": {"speaker": "김영희"}} in knn[-1].body["query"]["knn"]["vector"]["filter"]["bool"]["filter"]
    assert ("e1", 0) not in keys(index.search(case, "폭력", filters=SearchFilters(speaker="김영희")))
    lexical_only = cluster.index()
    assert keys(lexical_only.search(case, "폭력")) == [("e1", 1)]


def test_an_embedding_failure_indexes_for_full_text_only(cluster: Cluster) -> None:
    broken = WordEmbedder(fail=True)
    index, case = cluster.index(embedder=broken), cluster.case()
    assert index.index_evidence(doc(case, "e1", [(None, "x", "폭력 신고")])) == 1
    [create] = cluster.rec.calls("PUT")
    assert "vector" not in create.body["mappings"]["properties"]
    assert keys(index.search(case, "폭력")) == [("e1", 0)]
    assert broken.calls == 1  # the index has no vectors, so the query is not embedded


def test_index_names_are_the_runbooks_and_safe() -> None:
    assert index_name("0a1b2c3d-0000-4000-8000-000000000000") == "case_rag_0a1b2c3d-0000-4000-8000-000000000000"
    odd = index_name("Case/../X")
    assert odd.startswith("case_rag_h-") and odd == odd.lower() and "/" not in odd


def test_the_container_builds_the_opensearch_index_from_the_setting(tmp_path: Any) -> None:
    c = Container(Settings(data_dir=tmp_path, opensearch_url="http://127.0.0.1:9"))
    assert isinstance(c.index, OpenSearchIndex)
    assert type(Container(Settings(data_dir=tmp_path, opensearch_url=None)).index).__name__ == "SqliteSearchIndex"


def test_two_processes_creating_one_case_index_at_once_share_it(cluster: Cluster) -> None:
    first, second, case = cluster.index(), cluster.index(), cluster.case()
    probe = second.has_nori

    def racing() -> bool:  # the first process creates the index while the second is about to
        first.index_evidence(doc(case, "e1", [(None, "x", "이혼 서류")]))
        return probe()

    second.has_nori = racing  # type: ignore[method-assign]
    assert second.index_evidence(doc(case, "e2", [(None, "y", "이혼 소장")])) == 1
    assert [r.status for r in cluster.rec.calls("PUT")] == [200, 400]  # the loser's create is refused, not retried
    assert sorted(keys(second.search(case, "이혼"))) == [("e1", 0), ("e2", 0)]


def test_an_amazon_domain_without_credentials_in_the_url_gets_sigv4_signed_requests(cluster: Cluster,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert sigv4_region("https://search-leh-abc123.ap-northeast-2.es.amazonaws.com", "us-east-1") == "ap-northeast-2"
    assert sigv4_region("https://leh:pw@search-leh-abc123.ap-northeast-2.es.amazonaws.com", "us-east-1") is None
    assert sigv4_region("http://127.0.0.1:9200", "ap-northeast-2") is None
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    signed, case = cluster.index(sign_region="ap-northeast-2"), cluster.case()
    signed.index_evidence(doc(case, "e1", [(None, "x", "이혼 서류")]))
    auth = {r.headers.get("authorization", "") for r in cluster.rec.requests}
    assert auth and all(a.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") and "/ap-northeast-2/es/aws4_request" in a
                        for a in auth)
