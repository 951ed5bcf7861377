"""The SQLite FTS5 search index: Korean matching, per-case isolation, filters, snippets, removal, hybrid fusion."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from leh.adapters.sqlite_search import SqliteSearchIndex
from leh.analysis.embeddings import rrf_fuse
from leh.ports import SearchFilters

CASE_A = "11111111-1111-1111-1111-111111111111"
CASE_B = "22222222-2222-2222-2222-222222222222"


def doc(case_id: str, evidence_id: str, texts: list[tuple[str, str, str]], *, type: str = "kakaotalk",
        labels: list[dict] | None = None) -> dict:  # type: ignore[type-arg]
    return {"case_id": case_id, "evidence_id": evidence_id, "type": type, "event_time": None, "labels": labels or [],
            "segments": [{"seq": i, "ts": ts, "speaker": who, "text": t} for i, (ts, who, t) in enumerate(texts)]}


@pytest.fixture
def index(tmp_path: Path) -> SqliteSearchIndex:
    return SqliteSearchIndex(tmp_path / "search.db")


def keys(hits) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(h.evidence_id, h.seq) for h in hits]


def test_korean_words_match_inside_inflected_forms(index: SqliteSearchIndex) -> None:
    index.index_evidence(doc(CASE_A, "e1", [
        ("2023-12-25T22:20:00+09:00", "김영희", "위자료를 청구할 거야"),
        ("2023-12-25T22:21:00+09:00", "홍길동", "폭언하였다고 이혼하자는 거야?"),
        ("2023-12-25T22:22:00+09:00", "김영희", "내일 얘기해"),
    ]))
    assert keys(index.search(CASE_A, "위자료")) == [("e1", 0)]
    assert keys(index.search(CASE_A, "폭언")) == [("e1", 1)]
    assert keys(index.search(CASE_A, "이혼")) == [("e1", 1)]
    assert index.search(CASE_A, "양육권") == []


def test_a_case_never_sees_another_cases_documents(index: SqliteSearchIndex, tmp_path: Path) -> None:
    index.index_evidence(doc(CASE_A, "a1", [(None, "김영희", "남편이 이혼하자고 폭언했어")]))
    index.index_evidence(doc(CASE_B, "b1", [(None, "박민수", "아내가 이혼하자고 폭언했어"), (None, "박민수", "이혼 서류")]))
    assert keys(index.search(CASE_A, "이혼 폭언")) == [("a1", 0)]
    assert sorted(keys(index.search(CASE_B, "이혼"))) == [("b1", 0), ("b1", 1)]
    assert index.count(CASE_A) == {"a1": 1} and index.count(CASE_B) == {"b1": 2}
    # each case lives in its own file: case A's file holds none of case B's rows
    with sqlite3.connect(tmp_path / "search" / f"{CASE_A}.db") as conn:
        assert conn.execute("SELECT DISTINCT case_id FROM segments").fetchall() == [(CASE_A,)]
    assert index.search("33333333-3333-3333-3333-333333333333", "이혼") == []
    assert not (tmp_path / "search" / "33333333-3333-3333-3333-333333333333.db").exists()


def test_filters_by_ground_type_date_and_speaker(index: SqliteSearchIndex) -> None:
    index.index_evidence(doc(CASE_A, "chat", [
        ("2023-12-25T22:20:00+09:00", "홍길동", "돈 얘기 또 하면 가만 안 둔다"),
        ("2024-01-10T09:00:00+09:00", "김영희", "돈 문제로 또 싸웠어"),
        ("2024-02-01T09:00:00+09:00", "홍길동", "돈 보냈어"),
    ], labels=[{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [0]},
               {"ground": "840-6", "tag": "계속적 불화", "confidence": 0.75, "segments": [1]}]))
    index.index_evidence(doc(CASE_A, "memo", [(None, None, "돈 관련 메모")], type="text"))
    everything = keys(index.search(CASE_A, "돈"))
    assert sorted(everything) == [("chat", 0), ("chat", 1), ("chat", 2), ("memo", 0)]
    assert keys(index.search(CASE_A, "돈", filters=SearchFilters(grounds=["840-3"]))) == [("chat", 0)]
    assert keys(index.search(CASE_A, "돈", filters=SearchFilters(type="text"))) == [("memo", 0)]
    assert keys(index.search(CASE_A, "돈", filters=SearchFilters(speaker="김영희"))) == [("chat", 1)]
    ranged = index.search(CASE_A, "돈", filters=SearchFilters(date_from="2024-01-01", date_to="2024-01-31"))
    assert keys(ranged) == [("chat", 1)]
    hit = ranged[0]
    assert hit.grounds == ["840-6"] and hit.ts == "2024-01-10T09:00:00+09:00" and hit.speaker == "김영희"


def test_snippets_highlight_the_words_and_escape_html(index: SqliteSearchIndex) -> None:
    index.index_evidence(doc(CASE_A, "e1", [(None, "x", "<script>alert(1)</script> 위자료를 " + "가" * 100)]))
    [hit] = index.search(CASE_A, "위자료")
    assert "<mark>위자료</mark>를" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert hit.snippet.endswith("…") and hit.score > 0


def test_reindexing_replaces_and_removal_and_drop_empty_the_case(index: SqliteSearchIndex) -> None:
    d = doc(CASE_A, "e1", [(None, "x", "이혼 서류"), (None, "x", "이혼 상담")])
    assert index.index_evidence(d) == 2
    assert index.index_evidence(d) == 2  # a redelivered event does not duplicate
    assert index.count(CASE_A) == {"e1": 2} and len(index.search(CASE_A, "이혼")) == 2
    index.index_evidence(doc(CASE_A, "e2", [(None, "x", "이혼 소장")]))
    index.remove_evidence(CASE_A, "e1")
    assert keys(index.search(CASE_A, "이혼")) == [("e2", 0)]
    index.drop_case(CASE_A)
    assert index.count(CASE_A) == {} and index.search(CASE_A, "이혼") == []
    index.index_evidence(d)  # a dropped case can be rebuilt
    assert len(index.search(CASE_A, "이혼")) == 2


class WordEmbedder:
    """A stand-in embedder: texts about violence share one direction, everything else another."""

    model = "test-embed"

    def __init__(self, fail: bool = False):
        self.fail, self.calls = fail, 0

    def embed(self, texts, *, case_id=None, evidence_id=None, user_id=None):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.fail:
            raise RuntimeError("provider down")
        violent = ("때리", "때렸", "폭력", "주먹", "맞았")
        return [[1.0, 0.1] if any(w in t for w in violent) else [0.0, 1.0] for t in texts]


def test_hybrid_search_fuses_vector_neighbours_with_bm25(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path / "search.db", embedder=WordEmbedder())
    index.index_evidence(doc(CASE_A, "e1", [
        (None, "x", "주먹으로 얼굴을 맞았어"),       # no query word, but near "폭력" in vector space
        (None, "x", "폭력 신고 접수증 받았어"),      # both: query word and vector
        (None, "x", "오늘 저녁 뭐 먹지"),
    ]))
    hybrid = keys(index.search(CASE_A, "폭력"))
    assert hybrid[:2] == [("e1", 1), ("e1", 0)]
    bm25_only = SqliteSearchIndex(tmp_path / "search.db")
    assert keys(bm25_only.search(CASE_A, "폭력")) == [("e1", 1)]


def test_embedding_failure_degrades_to_full_text(tmp_path: Path) -> None:
    broken = WordEmbedder(fail=True)
    index = SqliteSearchIndex(tmp_path / "search.db", embedder=broken)
    assert index.index_evidence(doc(CASE_A, "e1", [(None, "x", "폭력 신고")])) == 1
    assert keys(index.search(CASE_A, "폭력")) == [("e1", 0)]
    assert broken.calls == 1  # no vectors stored, so the query is not embedded


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = rrf_fuse(["a", "b", "c"], ["c", "a", "d"])
    assert [k for k, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_segment_ids_survive_a_block_collision(index: SqliteSearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    import leh.adapters.sqlite_search as mod

    monkeypatch.setattr(mod, "segment_rowid", lambda evidence_id, seq: (7 << mod.SEQ_BITS) | seq)
    index.index_evidence(doc(CASE_A, "e1", [(None, "x", "이혼 서류"), (None, "x", "이혼 상담")]))
    index.index_evidence(doc(CASE_A, "e2", [(None, "y", "이혼 소장")]))  # same block: moved to the next one
    assert sorted(keys(index.search(CASE_A, "이혼"))) == [("e1", 0), ("e1", 1), ("e2", 0)]
    index.remove_evidence(CASE_A, "e1")
    assert keys(index.search(CASE_A, "이혼")) == [("e2", 0)]


def test_hybrid_vector_neighbours_obey_the_filters(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path / "search.db", embedder=WordEmbedder())
    index.index_evidence(doc(CASE_A, "e1", [
        ("2023-12-25T22:20:00+09:00", "홍길동", "주먹으로 얼굴을 맞았어"),
        ("2023-12-26T22:20:00+09:00", "김영희", "어제 또 때렸잖아"),
        ("2023-12-27T22:20:00+09:00", "김영희", "오늘 저녁 뭐 먹지"),
    ]))
    assert keys(index.search(CASE_A, "폭력")) == [("e1", 0), ("e1", 1), ("e1", 2)]
    assert keys(index.search(CASE_A, "폭력", filters=SearchFilters(speaker="김영희"))) == [("e1", 1), ("e1", 2)]
    assert keys(index.search(CASE_A, "폭력", filters=SearchFilters(date_from="2023-12-27"))) == [("e1", 2)]
