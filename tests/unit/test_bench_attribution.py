"""bench/bench_attribution.py scores who did what as it says: actor accuracy on the acts found, end-to-end recall and
precision over (seq, ground, actor), and wrong-side labels, per ground and per kind (on tiny sets written here)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "bench_attribution.py"
PARTIES = {"client": {"name": "가나다", "aliases": ["아내"]}, "opponent": {"name": "라마바", "aliases": ["남편"]},
           "client_side": "plaintiff"}


def _bench() -> ModuleType:
    if "bench_attribution" in sys.modules:
        return sys.modules["bench_attribution"]
    spec = importlib.util.spec_from_file_location("bench_attribution", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_attribution"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _label(ground: str, seqs: list[int], actor: str, favours: str) -> dict[str, Any]:
    return {"ground": ground, "tag": "x", "segments": seqs, "actor": actor, "favours": favours}


CHAT = {"id": "t1", "kind": "chat", "parties": PARTIES, "speakers_map": {"A": "client", "B": "opponent"},
        "segments": [{"speaker": "B", "text": "one"}, {"speaker": "A", "text": "two"},
                     {"speaker": "A", "text": "three"}, {"speaker": "B", "text": "four"}],
        "expect": [{"seq": 0, "ground": "840-3", "actor": "opponent"}, {"seq": 1, "ground": "840-3", "actor": "client"},
                   {"seq": 2, "ground": "840-1", "actor": "opponent"}]}
DOC = {"id": "t2", "kind": "document", "parties": PARTIES, "segments": [{"text": "title"}, {"text": "left home"}],
       "expect": [{"seq": 1, "ground": "840-2", "actor": "opponent"}]}
LABELS = [
    # t1: seq 0 right; seq 1 found with the wrong actor and the wrong side; seq 2 missed; a label on the no-act line 3
    [_label("840-3", [0], "opponent", "client"), _label("840-3", [1], "opponent", "client"),
     _label("840-6", [3], "client", "opponent")],
    # t2: the act found twice on its line, once right and once as the client's act (the wrong side)
    [_label("840-2", [1], "opponent", "client"), _label("840-2", [1], "client", "opponent")],
]


def test_the_scoring_counts_found_acts_actors_triples_and_wrong_sides() -> None:
    figures = {name: t.figures() for name, t in _bench().score([CHAT, DOC], LABELS).items()}
    assert figures["all"] == {"expected": 4, "found": 3, "same_actor": 2, "actor_accuracy": 0.667,
                              "ground_recall": 0.75, "recall": 0.5, "produced": 5, "precision": 0.4,
                              "wrong_side": 2, "wrong_side_rate": 0.667, "on_no_act_lines": 1}
    g3 = figures["ground:840-3"]
    assert (g3["expected"], g3["found"], g3["same_actor"], g3["produced"], g3["wrong_side"]) == (2, 2, 1, 2, 1)
    g1 = figures["ground:840-1"]
    assert (g1["expected"], g1["found"], g1["produced"], g1["actor_accuracy"], g1["recall"]) == (1, 0, 0, None, 0.0)
    g6 = figures["ground:840-6"]
    assert (g6["expected"], g6["produced"], g6["on_no_act_lines"], g6["precision"]) == (0, 1, 1, 0.0)
    doc = figures["kind:document"]
    assert (doc["expected"], doc["same_actor"], doc["produced"], doc["wrong_side"]) == (1, 1, 2, 1)
    chat = figures["kind:chat"]
    assert (chat["expected"], chat["found"], chat["same_actor"], chat["produced"]) == (3, 2, 1, 3)


def test_a_line_with_both_spouses_acts_is_wrong_side_only_for_a_side_neither_act_has() -> None:
    both = {**CHAT, "expect": [{"seq": 0, "ground": "840-3", "actor": "client"},
                               {"seq": 0, "ground": "840-3", "actor": "opponent"}]}
    right = _bench().score([both], [[_label("840-3", [0], "opponent", "client")]])["all"].figures()
    assert (right["found"], right["same_actor"], right["wrong_side"]) == (2, 1, 0)
    neutral = _bench().score([both], [[_label("840-3", [0], "unknown", "neutral")]])["all"].figures()
    assert (neutral["found"], neutral["same_actor"], neutral["wrong_side"], neutral["precision"]) == (2, 0, 0, 0.0)


def test_a_third_persons_act_favours_the_client_unless_the_item_says_otherwise() -> None:
    bench = _bench()
    assert bench.expected_favours({"actor": "third_party"}) == "client"
    assert bench.expected_favours({"actor": "client"}) == "opponent"
    assert bench.expected_favours({"actor": "third_party", "favours": "opponent"}) == "opponent"


def test_segments_are_numbered_from_zero_speech_with_a_speaker_and_text_without() -> None:
    bench = _bench()
    assert [(s["seq"], s["kind"], s["speaker"]) for s in bench.segments_of(CHAT)][:2] == [(0, "speech", "B"),
                                                                                          (1, "speech", "A")]
    assert [(s["seq"], s["kind"], s["speaker"], s["text"]) for s in bench.segments_of(DOC)] == [
        (0, "text", None, "title"), (1, "text", None, "left home")]


def test_the_bench_prints_every_scope_and_the_sets_counts_and_refuses_an_empty_set(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.jsonl"
    item = {"id": "r1", "kind": "chat", "parties": PARTIES, "speakers_map": {"가나다": "client", "라마바": "opponent"},
            "segments": [{"speaker": "라마바", "text": "내일부터 생활비 한 푼도 안 보낸다"},
                         {"speaker": "가나다", "text": "저녁은 먹었어?"}],
            "expect": [{"seq": 0, "ground": "840-2", "actor": "opponent"}]}
    tiny.write_text(json.dumps(item, ensure_ascii=False) + "\n", "utf-8")
    done = subprocess.run([sys.executable, str(BENCH), "--set", str(tiny)], capture_output=True, text=True,
                          timeout=300, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [(x["scope"], x.get("ground") or x.get("kind")) for x in lines[:9]] == [
        ("all", None), *(("ground", f"840-{i}") for i in range(1, 7)), ("kind", "chat"), ("kind", "document")]
    assert lines[0]["expected"] == 1 and lines[0]["produced"] >= lines[0]["same_actor"]
    assert lines[-1] == {"bench": "attribution", "scope": "set", "items": 1, "chat_items": 1, "document_items": 0,
                         "client_defendant_items": 0, "segments": 2, "expected_acts": 1, "no_act_lines": 1}
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", "utf-8")
    refused = subprocess.run([sys.executable, str(BENCH), "--set", str(empty)], capture_output=True, text=True,
                             timeout=120, check=False, cwd=ROOT)
    assert refused.returncode == 2 and "no items" in refused.stderr
