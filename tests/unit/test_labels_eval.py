"""The offline label model measured on the labelled evaluation set: precision and recall per art. 840 ground."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leh.analysis.labels import compiled_rules, find_hits, kept_hits
from leh.domain.grounds import GROUND_IDS

EVAL_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
MIN_PRECISION = 0.85
MIN_RECALL = 0.80


def _rows() -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for f in sorted(EVAL_DIR.glob("*.jsonl")) for line in f.read_text("utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def evaluated() -> tuple[list[dict], list[set[str]], list]:  # type: ignore[type-arg]
    rows = _rows()
    hits = find_hits([{"seq": i, "text": r["text"]} for i, r in enumerate(rows)])
    pred: list[set[str]] = [set() for _ in rows]
    for h in kept_hits(hits):
        pred[h.seq].add(h.ground)
    return rows, pred, hits


def test_the_set_is_large_and_covers_every_ground_and_the_traps(evaluated) -> None:  # type: ignore[no-untyped-def]
    rows, _, _ = evaluated
    assert len(rows) >= 200
    for g in GROUND_IDS:
        assert sum(g in r["grounds"] for r in rows) >= 10, g
    assert sum(not r["grounds"] for r in rows) >= 80  # denials, other senses, other people's stories, daily talk


def test_precision_and_recall_per_ground(evaluated) -> None:  # type: ignore[no-untyped-def]
    rows, pred, _ = evaluated
    report = []
    for g in GROUND_IDS:
        tp = sum(g in p and g in r["grounds"] for r, p in zip(rows, pred, strict=True))
        fp = sum(g in p and g not in r["grounds"] for r, p in zip(rows, pred, strict=True))
        fn = sum(g not in p and g in r["grounds"] for r, p in zip(rows, pred, strict=True))
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        report.append((g, precision, recall, tp, fp, fn))
    print("\nground  precision  recall  tp  fp  fn")
    for g, p, r, tp, fp, fn in report:
        print(f"{g}   {p:9.2f}  {r:6.2f}  {tp:3d} {fp:3d} {fn:3d}")
    bad = [(g, round(p, 2), round(r, 2)) for g, p, r, *_ in report if p < MIN_PRECISION or r < MIN_RECALL]
    assert not bad, bad


def test_no_denial_trap_is_labelled(evaluated) -> None:  # type: ignore[no-untyped-def]
    rows, pred, _ = evaluated
    denials = [(r["text"], sorted(p)) for r, p in zip(rows, pred, strict=True)
               if not r["grounds"] and any(w in r["text"] for w in ("없어", "없다", "안 ", "않", "아니")) and p]
    assert denials == []


def test_every_lexicon_rule_fires_on_some_example(evaluated) -> None:  # type: ignore[no-untyped-def]
    # A rule that never matches is usually mis-written (a part of speech Kiwi does not produce).
    _, _, hits = evaluated
    fired = {h.rule for h in hits}
    dead = [c.rule.pattern for c in compiled_rules() if c.rule.pattern not in fired]
    assert dead == []
