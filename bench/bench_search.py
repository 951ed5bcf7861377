"""Benchmark for case search: index build time, query latency p50/p95, and reindex-case time.

Generates a case of Korean chat segments (10,000 and 200,000 by default) in evidence documents of 1,000
segments, indexes them with the SQLite FTS5 index (Kiwi morphemes: the build includes the Kiwi analysis), then
runs a fixed mix of queries (common and rare words, two-word queries, filtered queries; each parsed, widened with
related words, and highlighted) and reports per-query latency. The 10,000-segment case is also rebuilt
with `reindex_case` from an evidence store. Prints one JSON line per case size. Run:
`.venv/bin/python bench/bench_search.py [--sizes 10000 200000]`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from leh.adapters.sqlite_search import SqliteSearchIndex
from leh.config import Settings
from leh.container import Container
from leh.ports import SearchFilters
from leh.services.reindex import reindex_case

NOUNS = ("이혼", "위자료", "생활비", "양육비", "아이", "학원", "병원", "회사", "출장", "친정", "시댁", "변호사", "카드", "통장",
         "대출", "월급", "집", "차", "주말", "저녁", "휴대폰", "사진", "여행", "술", "도박", "모텔", "선물", "엄마", "아빠",
         "약속", "전화", "문자", "돈", "보험", "전세금", "재산분할", "양육권", "조정", "소장", "서류", "경찰", "신고", "멍")
VERBS = ("보냈어", "안 줬어", "했잖아", "들어왔어", "나갔어", "때렸어", "말했잖아", "갔다 왔어", "샀어", "잃어버렸어", "확인해봐",
         "얘기하자", "싸웠어", "기다려", "몰랐어", "가만 안 둔다", "미안해", "알았어", "받았어", "찾았어")
TAILS = ("", " 진짜", " 제발", " 왜 그래", " 내일 얘기해", " ㅋㅋ", " 몇 번을 말해", " 이번 달도", " 또")
SPEAKERS = ("김영희", "홍길동")
GROUNDS = ("840-1", "840-2", "840-3", "840-6")
QUERIES = ("이혼", "위자료", "생활비", "양육권", "모텔", "도박", "전세금", "재산분할", "경찰 신고", "생활비 안", "아이 학원",
           "때렸어", "회사 출장", "멍", "친정 엄마", "카드 대출", "소장 서류", "가만", "휴대폰 사진", "돈")


class HashEmbedder:
    """Deterministic pseudo-random 256-d vectors: measures the vector scan and fusion, not a model (no network)."""

    model = "bench-hash-256"

    def embed(self, texts: list[str], **_: Any) -> list[list[float]]:
        import numpy as np

        return [np.random.default_rng(abs(hash(t)) % (2**32)).standard_normal(256).tolist() for t in texts]


def make_docs(case_id: str, n: int, per_doc: int = 1000, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, 9, 0)
    docs = []
    for d in range(0, n, per_doc):
        segments, labels = [], {g: [] for g in GROUNDS}
        for i in range(min(per_doc, n - d)):
            k = d + i
            text = " ".join(rng.choice(NOUNS) for _ in range(rng.randint(1, 3))) + " " + rng.choice(VERBS) + rng.choice(TAILS)
            ts = (start + timedelta(minutes=7 * k)).isoformat() + "+09:00"
            segments.append({"seq": i, "ts": ts, "speaker": SPEAKERS[k % 2], "text": text, "kind": "speech"})
            if rng.random() < 0.05:
                labels[rng.choice(GROUNDS)].append(i)
        docs.append({"case_id": case_id, "evidence_id": str(uuid.UUID(int=rng.getrandbits(128))), "type": "kakaotalk",
                     "status": "done", "event_time": segments[0]["ts"], "segments": segments, "uploaded_at": "2024-01-01",
                     "labels": [{"ground": g, "tag": "x", "confidence": 0.9, "segments": s} for g, s in labels.items() if s]})
    return docs


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def query_latencies(index: SqliteSearchIndex, case_id: str, rounds: int) -> dict[str, Any]:
    filters = [None, SearchFilters(grounds=["840-3"]), SearchFilters(speaker="김영희"),
               SearchFilters(date_from="2021-06-01", date_to="2021-12-31")]
    for q in QUERIES:  # warm the page cache and the connection
        index.search(case_id, q)
    plain, filtered, hits = [], [], 0
    for r in range(rounds):
        for i, q in enumerate(QUERIES):
            f = filters[(i + r) % len(filters)]
            t0 = time.perf_counter()
            hits += len(index.search(case_id, q, filters=f, limit=20))
            (plain if f is None else filtered).append((time.perf_counter() - t0) * 1000)
    both = plain + filtered
    return {"queries": len(both), "p50_ms": round(percentile(both, 50), 2), "p95_ms": round(percentile(both, 95), 2),
            "max_ms": round(max(both), 2), "p95_unfiltered_ms": round(percentile(plain, 95), 2),
            "p95_filtered_ms": round(percentile(filtered, 95), 2), "mean_hits": round(hits / len(both), 1)}


def run(size: int, rounds: int, tmp: Path, *, reindex: bool, hybrid: bool = False) -> dict[str, Any]:
    case_id = str(uuid.uuid4())
    docs = make_docs(case_id, size)
    index = SqliteSearchIndex(tmp / f"search-{size}-{hybrid}.db", embedder=HashEmbedder() if hybrid else None)
    t0 = time.perf_counter()
    for doc in docs:
        index.index_evidence(doc)
    build = time.perf_counter() - t0
    out: dict[str, Any] = {"bench": "search-hybrid" if hybrid else "search", "segments": size, "evidence": len(docs),
                           "index_build_s": round(build, 2), "segments_per_s": round(size / build),
                           **query_latencies(index, case_id, rounds)}
    if reindex:
        c = Container(Settings(data_dir=tmp / f"var-{size}", demo=False, secret_key="bench-" + "x" * 32))
        c.migrate()
        for doc in docs:
            c.evidence.put(doc)
        c.index.index_evidence(docs[0])
        morph_cache = getattr(importlib.import_module("leh.analysis.morph"), "_cache", None)
        if morph_cache is not None:
            morph_cache.clear()  # a rebuild runs in a fresh process: no texts analysed before
        t0 = time.perf_counter()
        counts = reindex_case(c.evidence, c.index, case_id)
        out["reindex_s"] = round(time.perf_counter() - t0, 2)
        assert counts["segments"] == size, counts
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--hybrid-sizes", type=int, nargs="*", default=[10_000],
                    help="also measure BM25 + vector fusion (local stand-in vectors) at these sizes")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            print(json.dumps(run(size, args.rounds, Path(tmp), reindex=size <= 10_000), ensure_ascii=False), flush=True)
        for size in args.hybrid_sizes:
            print(json.dumps(run(size, args.rounds, Path(tmp), reindex=False, hybrid=True), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
