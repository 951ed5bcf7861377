"""When, since when and how often an act happened, by what the evidence means rather than by its words.

"폰을 집어던진 게 며칠이었는지", "몸에 손댄 횟수", "쫓겨난 날짜": the evidence tells the act in its own words
("휴대폰을 제 얼굴에 던졌습니다", "뺨을 두 번 때렸습니다", "당장 이 집에서 나가"), so the composer, which needs the
question's words, finds nothing. The whether-path already reads such an act by meaning (`leh.analysis.whether`:
the kind of conduct, who did it to whom, the labeller's ground and the signs of the kind); the caller gives the
passages it shows, and this module dates or counts them as the question's type asks: the dates of the best
(`answer.when_did`), the earliest and the latest (`answer.began_or_stopped`), the incidents one a day
(`answer.how_often`). Among the passages that show the act, those that also write one of the question's own
nouns (폰, 안방 문, 카페) come first: they are the incident asked, not another of its kind.

Pure: no I/O; the caller bounds the work (`whether.MAX_READ`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from leh.analysis.answer import DAY_UNKNOWN, Claim, Passage, began_or_stopped, how_often, when_did
from leh.analysis.question import Kind, Topic

EVENT_KINDS: Final = frozenset({Kind.WHEN, Kind.BEGAN, Kind.STOPPED, Kind.HOW_OFTEN})
MAX_DATED: Final = 20  # passages that show the act, dated or counted at most


def _writes_a_noun(topic: Topic, p: Passage) -> bool:
    """Whether the passage's line writes one of the question's nouns (a form of it of two syllables or more)."""
    text = p.focus or p.text
    return any(f in text for n in topic.nouns for f in topic.forms(n) if len(f) >= 2)


def nouns_first(topic: Topic, shown: Sequence[Passage]) -> list[Passage]:
    """The passages that show the act, those writing one of the question's nouns first (each group in its order);
    when some write one, only those: the others show another incident of the same kind."""
    with_noun = [p for p in shown if _writes_a_noun(topic, p)]
    return with_noun or list(shown)


def act_event(kind: str, topic: Topic, shown: Sequence[Passage], *, weekday: bool = False) -> list[Claim]:
    """The answer of a when / since-when / how-often question from the passages that show its act (best
    first); empty when none of them is dated or the kind asks no date or count."""
    if kind not in EVENT_KINDS:
        return []
    found = [p for p in nouns_first(topic, shown)[:MAX_DATED] if not DAY_UNKNOWN.search(p.focus or p.text)]
    if not any(p.day() for p in found):
        return []  # an act none of whose lines is dated answers no "when" and counts no dated incident
    if kind == Kind.WHEN:
        return when_did(found, weekday=weekday)
    if kind == Kind.HOW_OFTEN:
        return how_often(found)
    return began_or_stopped(found, stopped=kind == Kind.STOPPED)
