"""Benchmark for the offline analyzer: Kiwi load time, labels per second, full analysis per second.

Builds a chat of N segments (default 10,000) from the evaluation set's messages mixed with everyday filler,
then times `find_hits` (Kiwi morphemes + lexicon rules) and `analyze_offline` (labels, summary, insights,
timeline). Prints one JSON line. Run: `.venv/bin/python bench/bench_labels.py [--segments N]`.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

EVAL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval"
FILLER = ("오늘 저녁 뭐 먹을까", "애들 학원 끝나고 데리러 갈게", "내일 몇 시에 들어와?", "택배 왔는지 확인 좀 해줘",
          "응 도착했어", "주말에 부모님 댁에 가자", "오늘 비 온대 우산 챙겨", "회의 끝나고 전화할게")


def make_segments(n: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    labelled = [json.loads(line)["text"] for f in sorted(EVAL.glob("*.jsonl")) for line in f.read_text("utf-8").splitlines()]
    start = datetime(2023, 1, 1, 9, 0)
    return [{"seq": i, "ts": (start + timedelta(minutes=13 * i)).isoformat() + "+09:00", "speaker": ("김영희", "홍길동")[i % 2],
             "kind": "speech", "text": rng.choice(labelled) if rng.random() < 0.3 else rng.choice(FILLER)} for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--segments", type=int, default=10_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    from leh.analysis.morph import kiwi

    kiwi()
    load = time.perf_counter() - t0
    from leh.analysis.analyzer import analyze_offline
    from leh.analysis.labels import find_hits
    from leh.analysis.morph import morphs_many

    segs = make_segments(args.segments)
    morphs_many([s["text"] for s in segs[:200]])  # Kiwi's first batch also starts its worker threads
    t0 = time.perf_counter()
    morphs_many([s["text"] for s in segs])
    kiwi_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    hits = find_hits(segs)
    hits_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = analyze_offline(segs, event_time=None)
    full_s = time.perf_counter() - t0
    print(json.dumps({
        "bench": "labels", "segments": len(segs), "kiwi_load_s": round(load, 2),
        "kiwi_only_seg_per_s": round(len(segs) / kiwi_s), "labels_seg_per_s": round(len(segs) / hits_s),
        "analysis_seg_per_s": round(len(segs) / full_s), "hits": len(hits), "labels": len(out["labels"]),
        "timeline_events": len(out["timeline"]),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
