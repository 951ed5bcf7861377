"""Label-engine hits written out by hand, so attribution tests read attribution alone (not the labeller)."""

from __future__ import annotations

from leh.analysis.attribution import attribute
from leh.analysis.labels import Hit
from leh.domain.parties import Parties


def written_hit(seq: int, text: str, word: str, tag: str, ground: str = "840-3", *, mode: str = "report",
                model: bool = False, agent: str = "unknown", admission: bool = False) -> Hit:
    """A rule's hit on `word` in `text` (or, `model=True`, the learned model's hit on the whole line)."""
    start = text.index(word)
    return Hit(seq=seq, tag=tag, ground=ground, weight=0.85, mode=mode, start=0 if model else start,
               end=0 if model else start + len(word), rule=f"model:{ground}" if model else f"{word}/rule",
               agent=agent, admission=admission)


def actors_of(segs: list[dict[str, str]], hit: Hit, roles: dict[str, str], parties: Parties) -> set[str]:
    """The actors `attribute` gives the hit's labels, for segments numbered in order (speech when they have a
    speaker, text otherwise)."""
    rows = [{"seq": i, "kind": "speech" if s.get("speaker") else "text", **s} for i, s in enumerate(segs)]
    out = attribute(rows, [hit], parties=parties, speakers_map=roles, event_time=None,  # type: ignore[arg-type]
                    speakers=sorted({s["speaker"] for s in segs if s.get("speaker")}))
    return {str(lb["actor"]) for lb in out["labels"]}
