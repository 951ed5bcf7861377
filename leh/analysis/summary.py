"""Korean summary and insight sentences built from label hits: who said what, when, in their own words.

Everything here is extractive: sentences name the date, the speaker and the kind of act the lexicon found,
and quote the message. Nothing is concluded beyond what the message says. The timeline events built from
the same hits are in `leh.analysis.timeline`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from leh.analysis.labels import Hit
from leh.analysis.lexicon import ACT_PHRASES
from leh.domain.dates import format_ts, parse_iso
from leh.domain.documents import SegmentDoc

QUOTE_CHARS: Final = 40
SUMMARY_EVENTS: Final = 3
INSIGHT_ITEMS: Final = 5
PATTERN_MIN: Final = 3  # a tag seen in this many messages is reported as a repeated pattern

_UTTERANCE_PHRASES: Final = {
    "폭언": "폭언을 함", "협박": "협박성 발언을 함", "모욕": "모욕적인 발언을 함",
    "부모에 대한 폭언": "부모에게 폭언을 함",
}


_TRAILING_PARENS: Final = re.compile(r"\s*\([^()]*\)$|[^\w)]+$")


def josa(word: str, pair: str) -> str:
    """`word` with the particle that fits its last syllable: josa("홍길동", "이/가") → "홍길동이".

    A closing parenthesis is read past, as Korean orthography does: the particle fits the word before it
    ("피고(한소영)가", not "피고(한소영)이"); so are trailing symbols and emoji of a display name ("준호🙂가").
    """
    with_final, without = pair.split("/")
    base = _TRAILING_PARENS.sub("", _TRAILING_PARENS.sub("", word)) or word
    last = base[-1:]
    if "가" <= last <= "힣":
        return word + (with_final if (ord(last) - 0xAC00) % 28 else without)
    return f"{word}{with_final}({without})"


def when(ts: str | None, precision: str | None = None, part_of_day: str | None = None) -> str | None:
    """"2023-12-25T22:20:00+09:00" → "2023-12-25 22:20" (local time as written); a day-only fact stays a day.

    A day-precision time reads as the date alone, with its part of day ("2023-12-25 (밤)"): "00:00" would claim
    a time nobody wrote. Without a stored precision, exactly midnight counts as a day (leh.domain.dates).
    """
    return format_ts(ts, precision, part_of_day, style="iso")


def seg_when(seg: Mapping[str, Any], fallback: str | None = None) -> str | None:
    """`when` of a segment's own time (with its precision), else of `fallback` (the evidence time)."""
    if seg.get("ts"):
        return when(seg["ts"], seg.get("ts_precision"), seg.get("ts_part_of_day"))
    return when(fallback)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return "“" + (flat if len(flat) <= limit else flat[: limit - 1] + "…") + "”"


def act_sentence(hit: Hit, speaker: str | None) -> str:
    """What the message shows, attributed to its speaker: "홍길동이 협박성 발언을 함"."""
    act = ACT_PHRASES.get(hit.tag, hit.tag)
    if speaker is None:
        return f"{act} 관련 내용이 기재됨"
    who = josa(speaker, "이/가")
    if hit.admission:
        return f"{who} {act} 사실을 인정하는 취지로 말함"
    if hit.mode == "utterance":
        return f"{who} {_UTTERANCE_PHRASES.get(hit.tag, act + ' 발언을 함')}"
    return f"{who} {act}에 관해 언급함"


def strongest_per_segment(hits: Sequence[Hit]) -> dict[int, list[Hit]]:
    """Hits by segment, strongest first, one per tag."""
    by_seq: dict[int, dict[str, Hit]] = defaultdict(dict)
    for h in hits:
        cur = by_seq[h.seq].get(h.tag)
        if cur is None or h.weight > cur.weight or (h.admission and not cur.admission):
            by_seq[h.seq][h.tag] = h
    return {seq: sorted(tags.values(), key=lambda h: (-h.weight, h.tag)) for seq, tags in by_seq.items()}


# One ISO reader for the whole package (leh.domain.dates); the name stays for this module's callers.
parse_time = parse_iso


def _span(times: list[datetime]) -> str | None:
    if len(times) < 2:
        return None
    try:
        days = (max(times) - min(times)).days
    except TypeError:
        return None
    if days < 1:
        return "하루 동안"
    if days < 31:
        return f"{days + 1}일간"
    return f"{max(1, round(days / 30.4))}개월간"


def insights_of(segments: Sequence[SegmentDoc], hits: Sequence[Hit],
                actors: Mapping[tuple[int, str], Sequence[str | None]] | None = None) -> list[str]:
    """Threats, admissions and repeated patterns ("3개월간 홍길동의 폭언 14회"), in that order.

    `actors` (from attribution: (seq, tag) → who did it, None when unknown; a line with both spouses' acts of one
    kind names both) keeps each list and count to one actor:
    "협박(피고(김준호)): …" lists the opponent's threats, among them the client's "지금 협박하는 거야?" (an accusation is
    the accused's act), and a series counts one actor's acts. Without it, the speaker of utterances is named."""
    segs: dict[int, Mapping[str, Any]] = {int(s["seq"]): s for s in segments}
    per_seq = strongest_per_segment(hits)
    out: list[str] = []

    def line(kind: str, seq: int, tag: str | None = None, at: int = 0) -> str:
        seg = segs.get(seq, {})
        parts = [p for p in (seg_when(seg), seg.get("speaker")) if p]
        suffix = f" ({tag})" if tag else ""
        return f"{kind}: {' '.join(parts) + ' ' if parts else ''}{quote(_from_sentence(seg.get('text', ''), at))}{suffix}"

    def whom(seq: int, tag: str) -> Sequence[str | None]:
        return (actors.get((seq, tag)) or (None,)) if actors is not None else (None,)

    threats: dict[str | None, list[int]] = defaultdict(list)
    for seq in sorted(per_seq):
        if any(h.tag == "협박" for h in per_seq[seq]):
            for who in dict.fromkeys(whom(seq, "협박")):
                threats[who].append(seq)
    for who, seqs in threats.items():
        kind = f"협박({who})" if who else "협박"
        out += [line(kind, seq) for seq in seqs[:INSIGHT_ITEMS]]
        if len(seqs) > INSIGHT_ITEMS:
            out.append(f"{kind}: 외 {len(seqs) - INSIGHT_ITEMS}건")
    # A line's admission, the strongest one (a line may tell of the other's act too: "아내가 … 때렸습니다. 그 직전에
    # 제가 … 밀친 것은 사실입니다" admits the push).
    admissions = [(seq, first.tag, first.start) for seq in sorted(per_seq)
                  if (first := next((h for h in per_seq[seq] if h.admission), None)) is not None]
    out += [line("인정", seq, tag, at) for seq, tag, at in admissions[:INSIGHT_ITEMS]]

    by_tag: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for seq in sorted(per_seq):
        for h in per_seq[seq]:
            for who in dict.fromkeys(whom(seq, h.tag)):
                by_tag[(h.tag, who)].append(seq)
    for (tag, actor), seqs in sorted(by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or "")):
        if len(seqs) < PATTERN_MIN:
            continue
        speakers = {segs.get(s, {}).get("speaker") for s in seqs}
        modes = {h.mode for s in seqs for h in per_seq[s] if h.tag == tag}
        who = f"{actor}의 " if actor else ""
        if actors is None and len(speakers) == 1 and modes == {"utterance"} and (only := next(iter(speakers))):
            who = f"{only}의 "
        times = [t for s in seqs if (t := parse_time(segs.get(s, {}).get("ts"))) is not None]
        span = _span(times)
        out.append(f"{span + ' ' if span else ''}{who}{tag} {len(seqs)}회")
    return out


_SENTENCE_BREAK: Final = re.compile(r"(?<=[가-힣][.!?])\s+")


def _from_sentence(text: str, at: int) -> str:
    """`text` from the start of the sentence holding character `at`: an admission is quoted from its own sentence."""
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        if m.end() > at:
            break
        start = m.end()
    return text[start:]


def summarize(segments: Sequence[SegmentDoc], hits: Sequence[Hit], speakers: Sequence[str],
              event_time: str | None, *, descriptions: dict[int, str] | None = None) -> tuple[str, str]:
    """(summary, overview). The summary opens with the strongest events ("2023-12-25 22:20, 홍길동이 …")."""
    segs: dict[int, Mapping[str, Any]] = {int(s["seq"]): s for s in segments}
    dated = sorted((s for s in segments if s.get("ts")), key=lambda s: str(s["ts"]))
    if dated and seg_when(dated[0]) != seg_when(dated[-1]):
        period = f"{seg_when(dated[0])} ~ {seg_when(dated[-1])}"
    else:
        period = (seg_when(dated[0]) if dated else when(event_time)) or "날짜 미상"
    words = [s for s in segments if s.get("kind", "speech") != "system"]
    if speakers:
        overview = f"{period}, {'·'.join(speakers)}의 대화 {len(words)}건."
    else:
        overview = f"{period}, 텍스트 {len(words)}개 구간."
    per_seq = strongest_per_segment(hits)
    ranked = sorted(per_seq, key=lambda s: (-per_seq[s][0].weight, s))[:SUMMARY_EVENTS]
    sentences = []
    for seq in sorted(ranked):
        seg, top = segs.get(seq, {}), per_seq[seq][0]
        stamp = seg_when(seg, event_time)
        act = (descriptions or {}).get(seq) or act_sentence(top, seg.get("speaker"))
        sentences.append(f"{stamp + ', ' if stamp else ''}{act}({quote(seg.get('text', ''))}).")
    if not sentences:
        return f"{overview} 이혼 사유와 관련된 표현은 발견되지 않음.", overview
    counts: dict[str, int] = defaultdict(int)
    for seq in per_seq:
        for h in per_seq[seq]:
            counts[h.tag] += 1
    tally = ", ".join(f"{tag} {n}건" for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return " ".join([*sentences, overview, f"관련 표현: {tally}."]), overview
