"""Vectors for hybrid search: storage format, similarity and rank fusion (the `Embedder` port is in `leh.ports`).

No Korean-capable embedding model installs offline (ENGINES.md), so the only embedder is OpenAI's; without
it search is BM25 alone. Vectors are stored L2-normalised as float32 so similarity is one matrix product.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Final

import numpy as np

RRF_K: Final = 60  # the constant of Cormack et al. (2009); dampens the weight of the very first ranks


log = logging.getLogger("leh.search")
EMBED_BATCH: Final = 256  # texts per embedding request


def embed_segments(embedder: Any, doc: Mapping[str, Any], segments: Sequence[Mapping[str, Any]]) -> list[list[float]] | None:
    """Segment vectors for an evidence, or None (full-text search only for it) without an embedder or when the
    provider fails: one evidence is never lost to a vector outage. Shared by every search index adapter."""
    if embedder is None or not segments:
        return None
    try:
        out: list[list[float]] = []
        texts = [s["text"] for s in segments]
        for i in range(0, len(texts), EMBED_BATCH):
            out.extend(embedder.embed(texts[i : i + EMBED_BATCH], case_id=doc["case_id"],
                                      evidence_id=doc["evidence_id"], user_id=doc.get("uploaded_by")))
        if len(out) != len(segments):
            raise ValueError("embedder returned a different number of vectors")
        return out
    except Exception as exc:  # any provider failure degrades to full-text search
        log.warning("embedding failed, indexed for full-text search only",
                    extra={"evidence_id": doc["evidence_id"], "error": type(exc).__name__})
        return None


def to_blob(vec: Sequence[float]) -> bytes:
    arr = np.asarray(vec, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return (arr / norm if norm else arr).astype(np.float32).tobytes()


def from_blobs(blobs: Sequence[bytes]) -> Any:
    """A (n, dim) float32 matrix from stored vectors (all of one model, so of one dimension)."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([np.frombuffer(b, dtype=np.float32) for b in blobs])


def top_k(matrix: Any, query: Sequence[float], k: int, mask: Any = None) -> list[tuple[int, float]]:
    """(row, cosine) of the k rows most similar to the query, best first; ties by row for stable order.

    `mask` (a boolean array, one per row) limits the answer to the rows that pass the search filters.
    """
    if matrix.shape[0] == 0:
        return []
    q = np.asarray(query, dtype=np.float32)
    norm = float(np.linalg.norm(q))
    if not norm or q.shape[0] != matrix.shape[1]:
        return []
    sims = matrix @ (q / norm)
    if mask is not None:
        sims = np.where(mask, sims, -np.inf)
        k = min(k, int(mask.sum()))
    k = min(k, sims.shape[0])
    if k <= 0:
        return []
    idx = np.argpartition(-sims, k - 1)[:k]
    return sorted(((int(i), float(sims[i])) for i in idx), key=lambda t: (-t[1], t[0]))


def rrf_fuse(*rankings: Sequence[Hashable], k: int = RRF_K) -> list[tuple[Hashable, float]]:
    """Reciprocal rank fusion: score(d) = Σ 1/(k + rank), rank from 1 in each list; best first, stable."""
    scores: dict[Hashable, float] = {}
    first_seen: dict[Hashable, int] = {}
    n = 0
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
            if key not in first_seen:
                first_seen[key] = n
                n += 1
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
