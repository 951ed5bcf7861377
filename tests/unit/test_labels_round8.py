"""Round 8 of the label model (dev, blind6 retired): more pairs of grounds that can name one act from two sides, each
kept or made exclusive by cross-validation in bench/train_labels.py. The lines below are written here."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from leh.analysis.labels import exclusive_drop


def _trainer() -> ModuleType:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import train_labels as tl
    return tl


def test_money_staying_away_and_discord_are_pairs_the_trainer_weighs() -> None:
    pairs = set(_trainer().EXCLUSIVE_PAIRS)
    assert {("840-3", "840-4"), ("840-2", "840-6"), ("840-1", "840-2"), ("840-3", "840-6")} <= pairs


def test_withheld_money_read_also_as_discord_keeps_only_the_leading_ground() -> None:
    tl = _trainer()
    base = {g: 0.01 for g in ("840-1", "840-3", "840-4", "840-5")}
    thr = {g: 0.5 for g in ("840-1", "840-2", "840-3", "840-4", "840-5", "840-6")}
    # A card cut off (840-2 far ahead, 840-6 just over its threshold) and a line with both truly there (close scores).
    scores = [{**base, "840-2": 0.995, "840-6": 0.6}] * 4 + [{**base, "840-2": 0.9, "840-6": 0.92}] * 2
    labels = [["840-2"]] * 4 + [["840-2", "840-6"]] * 2
    kept: list[set[str]] = [set() for _ in scores]
    margins = tl.choose_exclusive(kept, scores, labels, thr, dict(thr))
    assert set(margins) == {"840-2|840-6"}
    pred = tl.combine(kept, scores, thr, dict(thr), margins)
    assert pred[0] == {"840-2"} and pred[-1] == {"840-2", "840-6"}
    assert exclusive_drop({"840-2", "840-6"}, {"840-2": 0.995, "840-6": 0.6}, margins) == {"840-6"}
    assert exclusive_drop({"840-1", "840-2"}, {"840-1": 0.995, "840-2": 0.6}, margins) == set()  # not this pair's margin
