"""Who did what: the actor and the side of LEH's labels on the attribution blind set (measure once per change, never tune on it).

Reads `tests/fixtures/eval/attrib/*.jsonl` (or `--set FILE`): items of a short chat or a few document lines with the
case's parties, a confirmed speaker map (chats) and the expected acts `{"seq", "ground", "actor"}` (the README there
has the format). Each item goes through the labeller and the attribution as the worker runs them
(`leh.analysis.labels.find_hits`, then `leh.analysis.attribution.attribute`): segments are numbered from 0 in order,
chat lines are `speech` with their speaker, document lines `text` without one, and a document's author is what
`suggested_map` makes of it (the client unless an author line names someone else). Prints JSON lines:
- `actor`: of the expected acts the labeller found with the expected ground on that line (`found`), how many carry
  the expected actor (`actor_accuracy` = same actor / found);
- `end_to_end`: expected (seq, ground, actor) triples produced exactly (`recall`), and `precision` over every produced
  (seq, ground, actor) triple (labels on lines that state no act, with another ground or another actor count against it);
- `wrong_side`: produced labels on an expected act's line and ground whose `favours` is the opposite of the expected
  one (the client's act argued against the opponent, or the other way round) — the worst error;
and the same per ground and per item kind, then one line about the set. `--errors` also prints the misses (never on
the blind set). Exits 2 if the set is missing or empty. Run:
`PYTHONPATH=$PWD .venv/bin/python bench/bench_attribution.py [--set FILE] [--errors]`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ATTRIB = ROOT / "tests" / "fixtures" / "eval" / "attrib"
sys.path.insert(0, str(ROOT))
GROUNDS = ("840-1", "840-2", "840-3", "840-4", "840-5", "840-6")
KINDS = ("chat", "document")
SIDES = frozenset({"client", "opponent"})

Key = tuple[str, int, str]  # item id, seq, ground
Triple = tuple[str, int, str, str]  # item id, seq, ground, actor


def expected_favours(expect: Mapping[str, Any]) -> str:
    """Whom an expected act favours: the client's own act favours the opponent; the opponent's (and a third person's
    on the opponent's side, as every third-party act in the set is) favours the client. `favours` overrides it."""
    if expect.get("favours"):
        return str(expect["favours"])
    return "opponent" if expect["actor"] == "client" else "client"


def segments_of(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The item's segments as the pipeline stores them: seq from 0, `speech` with a speaker, `text` without."""
    out = []
    for seq, seg in enumerate(item["segments"]):
        speaker = seg.get("speaker") or None
        out.append({"seq": seq, "text": seg["text"], "ts": None, "speaker": speaker, "ref": {},
                    "kind": "speech" if speaker else "text"})
    return out


def run_item(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The labels LEH derives for one item (each with ground, tag, segments, actor, favours)."""
    from leh.analysis.analyzer import speakers_of
    from leh.analysis.attribution import attribute
    from leh.analysis.labels import find_hits
    from leh.analysis.speakers import suggested_map
    from leh.domain.parties import parse_parties

    parties = parse_parties(item["parties"])
    segments = segments_of(item)
    speakers_map = dict(item.get("speakers_map") or {}) or suggested_map(segments, parties, None)
    derived = attribute(segments, find_hits(segments), parties=parties, speakers_map=speakers_map,
                        event_time=None, speakers=speakers_of(segments))
    return [dict(lb) for lb in derived["labels"]]


@dataclass
class Tally:
    expected: int = 0
    found: int = 0  # expected acts whose (seq, ground) the labeller produced
    same_actor: int = 0  # … with the expected actor too (= expected triples produced exactly)
    produced: int = 0  # produced (seq, ground, actor) triples
    wrong_side: int = 0  # produced (seq, ground, favours) on an expected act with the opposite favours
    on_no_act_lines: int = 0  # produced triples on lines that state no act
    misses: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {"expected": self.expected, "found": self.found, "same_actor": self.same_actor,
                "actor_accuracy": ratio(self.same_actor, self.found), "ground_recall": ratio(self.found, self.expected),
                "recall": ratio(self.same_actor, self.expected), "produced": self.produced,
                "precision": ratio(self.same_actor, self.produced), "wrong_side": self.wrong_side,
                "wrong_side_rate": ratio(self.wrong_side, self.found), "on_no_act_lines": self.on_no_act_lines}


def _produced(item_id: str, labels: Iterable[Mapping[str, Any]]) -> tuple[set[Triple], set[tuple[str, int, str, str]]]:
    triples: set[Triple] = set()
    sides: set[tuple[str, int, str, str]] = set()
    for lb in labels:
        for seq in lb.get("segments") or []:
            triples.add((item_id, int(seq), str(lb["ground"]), str(lb.get("actor") or "unknown")))
            sides.add((item_id, int(seq), str(lb["ground"]), str(lb.get("favours") or "neutral")))
    return triples, sides


def score_item(item: Mapping[str, Any], labels: Sequence[Mapping[str, Any]], tallies: Mapping[str, Tally]) -> None:
    """Adds one item's outcome to the tallies `all`, `ground:<g>` and `kind:<k>` (every one of them must exist)."""
    iid, kind = str(item["id"]), str(item["kind"])
    expected = {(iid, int(e["seq"]), str(e["ground"]), str(e["actor"])) for e in item["expect"]}
    want_sides: dict[Key, set[str]] = {}
    for e in item["expect"]:
        want_sides.setdefault((iid, int(e["seq"]), str(e["ground"])), set()).add(expected_favours(e))
    act_lines = {int(e["seq"]) for e in item["expect"]}
    triples, sides = _produced(iid, labels)
    produced_keys = {t[:3] for t in triples}
    for t in sorted(triples):
        for name in ("all", f"ground:{t[2]}", f"kind:{kind}"):
            tallies[name].produced += 1
            tallies[name].on_no_act_lines += t[1] not in act_lines
    for t in sorted(expected):
        found, same = t[:3] in produced_keys, t in triples
        for name in ("all", f"ground:{t[2]}", f"kind:{kind}"):
            tallies[name].expected += 1
            tallies[name].found += found
            tallies[name].same_actor += same
        if not same:
            got = sorted(a for (i, s, g, a) in triples if (i, s, g) == t[:3])
            tallies["all"].misses.append({"id": iid, "seq": t[1], "ground": t[2], "want": t[3], "got": got})
    for key in sorted({s[:3] for s in sides} & set(want_sides)):
        wanted = want_sides[key]
        wrong = {f for (i, s, g, f) in sides if (i, s, g) == key and f in SIDES and wanted <= SIDES and f not in wanted}
        for name in ("all", f"ground:{key[2]}", f"kind:{kind}"):
            tallies[name].wrong_side += len(wrong)


def new_tallies() -> dict[str, Tally]:
    return {name: Tally() for name in ("all", *(f"ground:{g}" for g in GROUNDS), *(f"kind:{k}" for k in KINDS))}


def score(items: Sequence[Mapping[str, Any]], labels: Sequence[Sequence[Mapping[str, Any]]]) -> dict[str, Tally]:
    tallies = new_tallies()
    for item, lbs in zip(items, labels, strict=True):
        score_item(item, lbs, tallies)
    return tallies


def set_line(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    segments = sum(len(it["segments"]) for it in items)
    act_lines = sum(len({int(e["seq"]) for e in it["expect"]}) for it in items)
    return {"bench": "attribution", "scope": "set", "items": len(items),
            "chat_items": sum(it["kind"] == "chat" for it in items),
            "document_items": sum(it["kind"] == "document" for it in items),
            "client_defendant_items": sum(it["parties"].get("client_side") == "defendant" for it in items),
            "segments": segments, "expected_acts": sum(len(it["expect"]) for it in items),
            "no_act_lines": segments - act_lines}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, action="append", help="a JSONL file (default: every file in eval/attrib)")
    ap.add_argument("--errors", action="store_true", help="also print the expected acts missed (never on the blind set)")
    args = ap.parse_args()
    files = args.set or sorted(ATTRIB.glob("*.jsonl"))
    items = [json.loads(line) for f in files if f.exists() for line in f.read_text("utf-8").splitlines() if line.strip()]
    if not items:
        print(f"no items in {[str(f) for f in files]}", file=sys.stderr)
        return 2
    tallies = score(items, [run_item(it) for it in items])
    for name, tally in tallies.items():
        scope, _, value = name.partition(":")
        print(json.dumps({"bench": "attribution", "scope": scope, **({scope: value} if value else {}),
                          **tally.figures()}))
    print(json.dumps(set_line(items)))
    if args.errors:
        for miss in tallies["all"].misses:
            print(json.dumps({"miss": miss}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
