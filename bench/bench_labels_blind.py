"""Precision and recall of the offline art. 840 labeller on the blind set (measure once per change, never tune on it).

Reads `tests/fixtures/eval/blind/*.jsonl` (or `--set FILE`), labels each line on its own with
`leh.analysis.labels.grounds_of_texts`, and prints one JSON line per ground (precision, recall, tp, fp, fn), one for
the micro-average and one for the set. Exits 2 if the set is missing or empty. Run:
`PYTHONPATH=$PWD .venv/bin/python bench/bench_labels_blind.py [--set FILE] [--errors]`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "fixtures" / "eval" / "blind"
sys.path.insert(0, str(ROOT))
GROUNDS = ("840-1", "840-2", "840-3", "840-4", "840-5", "840-6")


def _line(name: str, tp: int, fp: int, fn: int) -> str:
    return json.dumps({"bench": "labels_blind", "ground": name,
                       "precision": round(tp / (tp + fp), 2) if tp + fp else None,
                       "recall": round(tp / (tp + fn), 2) if tp + fn else None, "tp": tp, "fp": fp, "fn": fn})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--set", type=Path, action="append", help="a JSONL file (default: every file in eval/blind)")
    ap.add_argument("--errors", action="store_true", help="also print the lines the labeller got wrong")
    args = ap.parse_args()
    files = args.set or sorted(BLIND.glob("*.jsonl"))
    rows = [json.loads(line) for f in files if f.exists() for line in f.read_text("utf-8").splitlines() if line.strip()]
    if not rows:
        print(f"no labelled lines in {[str(f) for f in files]}", file=sys.stderr)
        return 2
    from leh.analysis.labels import grounds_of_texts

    pred = grounds_of_texts([r["text"] for r in rows])
    total = [0, 0, 0]
    for g in GROUNDS:
        tp = sum(g in p and g in r["grounds"] for r, p in zip(rows, pred, strict=True))
        fp = sum(g in p and g not in r["grounds"] for r, p in zip(rows, pred, strict=True))
        fn = sum(g not in p and g in r["grounds"] for r, p in zip(rows, pred, strict=True))
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        print(_line(g, tp, fp, fn))
    print(_line("micro", *total))
    exact = sum(set(r["grounds"]) == p for r, p in zip(rows, pred, strict=True))
    print(json.dumps({"bench": "labels_blind", "lines": len(rows), "negatives": sum(not r["grounds"] for r in rows),
                      "exact_set_accuracy": round(exact / len(rows), 2)}))
    if args.errors:
        for r, p in zip(rows, pred, strict=True):
            if set(r["grounds"]) != p:
                print(json.dumps({"want": sorted(r["grounds"]), "got": sorted(p), "text": r["text"]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
