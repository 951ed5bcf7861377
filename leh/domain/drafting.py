"""Complaint drafts (소장 초안), the pure part: facts from labelled evidence, exhibit numbering and citation labels
(갑 제N호증, 갑 제N호증의 M), sentence splitting, the per-sentence citation filter and the consistency check. No I/O.

Writers (offline templates or an AI) put fact markers (⟦F3⟧) into their sentences; `assign_citations` turns the
markers into exhibit labels numbered in order of first citation, so numbering can never drift from the text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from leh.domain.grounds import GROUND_IDS

EXHIBIT_SIDE: Final = "갑"  # the plaintiff's exhibits; the defendant's would be 을
MIN_CONFIDENCE: Final = 0.5  # weaker labels stay in the timeline for the lawyer but do not carry a draft sentence
MAX_FACTS_PER_GROUND: Final = 20  # a complaint lists the strongest instances; the rest are noted, not dropped silently
MAX_QUOTE_CHARS: Final = 150
MAX_SEGMENTS_PER_FACT: Final = 4  # a longer run of labelled messages is told as several dated sentences
MAX_FACT_GAP_SECONDS: Final = 600  # messages further apart than this are separate incidents

MARKER_RE: Final = re.compile(r"⟦(F\d+)⟧")
# What AI output uses for markers: "[F3]" or "[F3, F4]".
_AI_MARKER_RE: Final = re.compile(r"\[\s*(F\d+(?:\s*,\s*F\d+)*)\s*\]")
CITATION_RE: Final = re.compile(r"갑\s*제\s*(\d+)\s*호증(?:\s*의\s*(\d+))?")
# One 입증방법 line: "갑 제1호증", "갑 제1호증의 1, 2" or "갑 제1호증의 1 내지 3", then the description.
_EXHIBIT_LINE_RE: Final = re.compile(r"^갑 제(\d+)호증(?:의 (\d+)(?: 내지 (\d+)|((?:, \d+)+))?)?\s")

TYPE_LABELS: Final[dict[str, str]] = {
    "kakaotalk": "카카오톡 대화 내역", "text": "문서(텍스트)", "pdf": "문서(PDF)", "docx": "문서(Word)",
    "image": "사진", "audio": "녹음파일", "video": "동영상",
}

# Words that predict an outcome or state a legal conclusion. The AI path drops a sentence using one outside quotes.
FORBIDDEN_PHRASES: Final = (
    "승소", "패소", "가능성", "예상됩니다", "예상된다", "인용될", "기각될", "확실", "틀림없",
    "해당합니다", "해당한다", "해당함", "인정됩니다", "인정된다", "성립합니다", "성립한다", "명백",
)


@dataclass(frozen=True)
class Quote:
    speaker: str | None
    text: str


@dataclass(frozen=True)
class Fact:
    """One labelled stretch of one evidence that a draft sentence may rest on."""

    fact_id: str
    ground: str
    tags: tuple[str, ...]
    evidence_id: str
    evidence_type: str
    segments: tuple[int, ...]
    ts: str | None
    confidence: float
    quotes: tuple[Quote, ...]
    locator: str | None = None  # "3쪽", "1분 21초" — where in the file, for pages and recordings

    @property
    def part_key(self) -> tuple[str, tuple[int, ...]]:
        return (self.evidence_id, self.segments)

    def to_dict(self) -> dict[str, Any]:
        return {"fact_id": self.fact_id, "ground": self.ground, "tags": list(self.tags),
                "evidence_id": self.evidence_id, "segments": list(self.segments), "ts": self.ts,
                "confidence": self.confidence}


@dataclass
class FactSet:
    facts: list[Fact]
    omitted: dict[str, int] = field(default_factory=dict)  # ground → labelled instances beyond the cap

    def by_ground(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {}
        for f in self.facts:
            out.setdefault(f.ground, []).append(f)
        return out

    def by_id(self) -> dict[str, Fact]:
        return {f.fact_id: f for f in self.facts}


# ---------------------------------------------------------------- facts from evidence documents
def parse_ts(ts: str | None) -> datetime | None:
    if not ts:
        return None
    try:
        dt = datetime.fromisoformat(ts)
    except ValueError:
        return None
    # Parsers write aware times; a naive one is ordered as UTC rather than refused.
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def clean_quote(text: str) -> str:
    """A segment's own words as a one-line quote: inner double quotes become single, markers cannot be forged."""
    text = " ".join(text.split())
    text = text.replace("“", "‘").replace("”", "’").replace('"', "'").replace("⟦", "[").replace("⟧", "]")
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"
    return text


def _locator(ref: dict[str, Any] | None) -> str | None:
    ref = ref or {}
    if "page" in ref:
        return f"{int(ref['page'])}쪽"
    if "start_s" in ref:
        total = int(float(ref["start_s"]))
        h, rem = divmod(total, 3600)
        m, s = divmod(rem, 60)
        return (f"{h}시간 " if h else "") + f"{m}분 {s}초"
    return None


def _clusters(units: dict[int, dict[str, Any]], by_seq: dict[int, dict[str, Any]]) -> list[list[int]]:
    """Labelled seqs of one ground in one evidence, cut into runs of adjacent, close-in-time segments."""
    runs: list[list[int]] = []
    for q in sorted(units):
        if runs:
            prev = runs[-1][-1]
            t0, t1 = parse_ts(by_seq[prev].get("ts")), parse_ts(by_seq[q].get("ts"))
            close = t0 is None or t1 is None or abs((t1 - t0).total_seconds()) <= MAX_FACT_GAP_SECONDS
            if q == prev + 1 and close and len(runs[-1]) < MAX_SEGMENTS_PER_FACT:
                runs[-1].append(q)
                continue
        runs.append([q])
    return runs


def collect_facts(docs: list[dict[str, Any]], *, min_confidence: float = MIN_CONFIDENCE,
                  max_per_ground: int = MAX_FACTS_PER_GROUND) -> FactSet:
    """Facts per art. 840 ground from the labels of processed evidence, in ground order and then date order.

    A label lists every segment supporting its tag anywhere in the evidence, so labels are cut back into
    runs of adjacent segments: one message or one exchange is one fact, and 폭언 and 협박 on the same message
    are one fact with two tags. System lines and empty segments never support a fact.
    """
    candidates: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for doc_index, doc in enumerate(docs):
        by_seq = {int(s["seq"]): s for s in doc.get("segments") or []}
        units: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)  # ground → seq → tags, confidence
        for label in doc.get("labels") or []:
            gid = label.get("ground")
            confidence = float(label.get("confidence") or 0.0)
            if gid not in GROUND_IDS or confidence < min_confidence:
                continue
            for raw in label.get("segments") or []:
                seg = by_seq.get(int(raw))
                if seg is None or seg.get("kind", "speech") == "system" or not str(seg.get("text", "")).strip():
                    continue
                unit = units[gid].setdefault(int(raw), {"tags": [], "confidence": 0.0})
                if label.get("tag") and label["tag"] not in unit["tags"]:
                    unit["tags"].append(label["tag"])
                unit["confidence"] = max(unit["confidence"], confidence)
        for gid, by_unit in units.items():
            for seqs in _clusters(by_unit, by_seq):
                segs = [by_seq[q] for q in seqs]
                times = [t for t in (parse_ts(s.get("ts")) for s in segs) if t]
                when = min(times) if times else parse_ts(doc.get("event_time"))
                sort_key = (GROUND_IDS.index(gid), when is None, when or datetime.min.replace(tzinfo=UTC),
                            doc_index, seqs[0])
                quotes = tuple(Quote(clean_quote(str(s["speaker"])) if s.get("speaker")
                                     and s.get("kind", "speech") == "speech" else None,
                                     clean_quote(str(s["text"]))) for s in segs)
                candidates.append((sort_key, {
                    "ground": gid, "tags": tuple(dict.fromkeys(t for q in seqs for t in by_unit[q]["tags"])),
                    "evidence_id": doc["evidence_id"], "evidence_type": doc.get("type") or "unknown",
                    "segments": tuple(seqs), "ts": when.isoformat() if when else None,
                    "confidence": round(max(by_unit[q]["confidence"] for q in seqs), 3), "quotes": quotes,
                    "locator": _locator(segs[0].get("ref")),
                }))
    candidates.sort(key=lambda c: c[0])
    per_ground: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = defaultdict(list)
    for c in candidates:
        per_ground[c[1]["ground"]].append(c)
    facts: list[Fact] = []
    omitted: dict[str, int] = {}
    for gid in GROUND_IDS:
        chosen = per_ground.get(gid, [])
        if len(chosen) > max_per_ground:
            omitted[gid] = len(chosen) - max_per_ground
            strongest = sorted(chosen, key=lambda c: -c[1]["confidence"])[:max_per_ground]
            chosen = sorted(strongest, key=lambda c: c[0])
        for _, data in chosen:
            facts.append(Fact(fact_id=f"F{len(facts) + 1}", **data))
    return FactSet(facts, omitted)


# ---------------------------------------------------------------- sentences
# Single quotes are not tracked: ’ doubles as an apostrophe, and quotes inside quotes are single already.
_CLOSERS: Final = {"“": "”", "「": "」", "『": "』"}


_DOTTED_DATE_END: Final = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph. A full stop inside a quote or parentheses, or inside "2023. 12. 25.", ends nothing."""
    out: list[str] = []
    buf: list[str] = []
    quote: str | None = None  # the closer we wait for while inside a quote
    parens = 0
    n = len(text)
    for i, ch in enumerate(text):
        buf.append(ch)
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in _CLOSERS:
            quote = _CLOSERS[ch]
        elif ch == '"':
            quote = '"'
        elif ch == "(":
            parens += 1
        elif ch == ")" and parens:
            parens -= 1
        elif ch in ".!?" and not parens and (i + 1 == n or text[i + 1].isspace()):
            after = text[i + 1:].lstrip()[:1]
            if i and text[i - 1].isdigit() and (after.isdigit() or _DOTTED_DATE_END.search(text, 0, i + 1)):
                continue  # a date written with dots: "2023. 12. 25."
            out.append("".join(buf).strip())
            buf = []
    rest = "".join(buf).strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


_QUOTE_RE: Final = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def quotes_in(sentence: str) -> list[str]:
    """The double-quoted passages of a sentence (curly or straight quotes)."""
    return [a or b for a, b in _QUOTE_RE.findall(sentence)]


def outside_quotes(sentence: str) -> str:
    return _QUOTE_RE.sub(" ", sentence)


def normalize_ai_markers(text: str) -> str:
    """AI output writes "[F3]" or "[F3, F4]"; the internal marker is ⟦F3⟧."""
    return _AI_MARKER_RE.sub(lambda m: "".join(f"⟦{x.strip()}⟧" for x in m.group(1).split(",")), text)


_LEADING_MARKERS: Final = re.compile(r"^(?:⟦F\d+⟧[\s,.()]*)+")


def _merge_marker_only(sentences: list[str]) -> list[str]:
    """A marker written after the full stop ("…했습니다. [F1] 다음 문장") belongs to the sentence before it."""
    out: list[str] = []
    for s in sentences:
        lead = _LEADING_MARKERS.match(s)
        if out and lead:
            out[-1] = out[-1] + " " + lead.group(0).strip(" ,.()")
            s = s[lead.end():].strip()
        if s:
            out.append(s)
    return out


def paragraph_sentences(paragraph: str) -> list[str]:
    return _merge_marker_only(split_sentences(paragraph))


def is_note(paragraph: str) -> bool:
    """An editorial note for the lawyer ("[변호사 작성: …]"), not a sentence of the complaint."""
    p = paragraph.strip()
    return p.startswith("[") and p.endswith("]") and not MARKER_RE.search(p)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def filter_cited_sentences(paragraphs: list[str], allowed: dict[str, Fact], quote_texts: dict[str, str]
                           ) -> tuple[list[str], Counter[str]]:
    """Keep only sentences grounded in `allowed` facts; count what was dropped and why.

    A sentence survives when it carries a marker of an allowed fact, names no outcome or legal conclusion
    outside its quotes, writes no exhibit label of its own, and every quote in it is words of the cited facts
    (`quote_texts`: fact id → the text the writer was given).
    """
    kept: list[str] = []
    dropped: Counter[str] = Counter()
    for para in paragraphs:
        para = normalize_ai_markers(para)
        if is_note(para):
            continue  # notes are the system's to write, not the writer's
        sentences: list[str] = []
        for sent in paragraph_sentences(para):
            ids = [i for i in MARKER_RE.findall(sent) if i in allowed]
            if not ids:
                dropped["no_citation"] += 1
                continue
            outside = outside_quotes(MARKER_RE.sub(" ", sent))
            if CITATION_RE.search(outside):
                dropped["own_citation"] += 1
                continue
            if any(w in outside for w in FORBIDDEN_PHRASES):
                dropped["prediction_or_conclusion"] += 1
                continue
            haystack = _squash(" ".join(quote_texts.get(i, "") for i in ids))
            pieces = [p for q in quotes_in(sent) for p in re.split(r"…|\.\.\.", q) if _squash(p)]
            if any(_squash(p) not in haystack for p in pieces):
                dropped["unsupported_quote"] += 1
                continue
            # Markers of facts the writer was not given are removed; the sentence stands on the others.
            sentences.append(MARKER_RE.sub(lambda m: m.group(0) if m.group(1) in allowed else "", sent))
        if sentences:
            kept.append(" ".join(sentences))
    return kept, dropped


# ---------------------------------------------------------------- exhibit numbering and citation labels
def exhibit_label(number: int, part: int | None = None) -> str:
    return f"{EXHIBIT_SIDE} 제{number}호증" + (f"의 {part}" if part is not None else "")


def parse_label(label: str) -> tuple[int, int | None]:
    m = CITATION_RE.fullmatch(label.strip())
    if not m:
        raise ValueError(f"not an exhibit label: {label!r}")
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def exhibit_range(number: int, parts: int) -> str:
    """How 입증방법 names an exhibit: 갑 제1호증 / 갑 제1호증의 1, 2 / 갑 제1호증의 1 내지 3."""
    if parts <= 1:
        return exhibit_label(number)
    if parts == 2:
        return f"{exhibit_label(number)}의 1, 2"
    return f"{exhibit_label(number)}의 1 내지 {parts}"


def parse_exhibit_line(line: str) -> list[str] | None:
    """The citation labels an 입증방법 line covers, or None when the line names no exhibit."""
    m = _EXHIBIT_LINE_RE.match(line)
    if not m:
        return None
    n = int(m.group(1))
    if m.group(2) is None:
        return [exhibit_label(n)]
    first = int(m.group(2))
    if m.group(3):
        return [exhibit_label(n, p) for p in range(first, int(m.group(3)) + 1)]
    rest = [int(x) for x in re.findall(r"\d+", m.group(4) or "")]
    return [exhibit_label(n, p) for p in [first, *rest]]


def format_date(ts: str | None, *, with_time: bool = True) -> str | None:
    """'2023년 12월 25일 22:20' in the timestamp's own offset (no dots: they would read as sentence ends)."""
    dt = parse_ts(ts)
    if dt is None:
        return None
    day = f"{dt.year}년 {dt.month}월 {dt.day}일"
    return f"{day} {dt:%H:%M}" if with_time and (dt.hour or dt.minute) else day


def short_date(ts: str | None) -> str | None:
    dt = parse_ts(ts)
    return f"{dt.year}. {dt.month}. {dt.day}." if dt else None


def evidence_dates(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    """(first, last) dates of an evidence: the parser's event time or the segment times."""
    times = sorted(t for t in (parse_ts(s.get("ts")) for s in doc.get("segments") or []) if t)
    first = parse_ts(doc.get("event_time")) or (times[0] if times else None)
    last = times[-1] if times else first
    return (first.date().isoformat() if first else None, last.date().isoformat() if last else None)


def where_in(doc: dict[str, Any], seqs: tuple[int, ...]) -> str:
    """Where the cited segments are, for a person: message times, pages, or minutes into a recording."""
    by_seq = {int(s["seq"]): s for s in doc.get("segments") or []}
    places: list[str] = []
    for q in seqs:
        seg = by_seq.get(q) or {}
        ref = seg.get("ref") or {}
        place = _locator(ref)
        if place is None and seg.get("ts"):
            dt = parse_ts(seg["ts"])
            place = f"{dt.year}. {dt.month}. {dt.day}. {dt:%H:%M}" if dt else None
        if place is None and "line" in ref:
            place = f"{int(ref['line'])}행"
        if place is None and "box" in ref:
            place = f"{q + 1}번째 줄"  # an OCR line of a photo
        places.append(place or f"{q + 1}번째 구간")
    return ", ".join(dict.fromkeys(places))


@dataclass
class Numbered:
    sections: list[dict[str, Any]]
    exhibits: list[dict[str, Any]]
    citations: list[dict[str, Any]]


def _cite_sentence(sentence: str, labels: list[str]) -> str:
    body = MARKER_RE.sub("", sentence).rstrip()
    body = re.sub(r"\s+([.!?])$", r"\1", body)
    cite = "(" + ", ".join(labels) + ")"
    if body and body[-1] in ".!?":
        return body[:-1].rstrip() + cite + body[-1]
    return body + cite + "."


def assign_citations(sections: list[dict[str, Any]], facts: dict[str, Fact], docs: dict[str, dict[str, Any]]
                     ) -> Numbered:
    """Replace fact markers with exhibit labels. One evidence is one exhibit; exhibits are numbered in order of
    first citation, and an exhibit cited for several distinct parts gets 갑 제N호증의 M per part."""
    split: list[list[list[str]]] = [[paragraph_sentences(p) for p in s["paragraphs"]] for s in sections]
    exhibit_order: list[str] = []
    parts: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    for section_sentences in split:
        for para in section_sentences:
            for sent in para:
                for fid in MARKER_RE.findall(sent):
                    evidence_id, segs = facts[fid].part_key
                    if evidence_id not in parts:
                        exhibit_order.append(evidence_id)
                    if segs not in parts[evidence_id]:
                        parts[evidence_id].append(segs)
    labels: dict[tuple[str, tuple[int, ...]], str] = {}
    exhibits: list[dict[str, Any]] = []
    citations: list[dict[str, Any]] = []
    for number, evidence_id in enumerate(exhibit_order, start=1):
        doc = docs[evidence_id]
        ev_parts = parts[evidence_id]
        part_labels = []
        for m, segs in enumerate(ev_parts, start=1):
            label = exhibit_label(number, m if len(ev_parts) > 1 else None)
            labels[(evidence_id, segs)] = label
            part_labels.append(label)
            citations.append({"label": label, "evidence_id": evidence_id, "segments": list(segs),
                              "exhibit": number, "part": m if len(ev_parts) > 1 else None,
                              "where": where_in(doc, segs)})
        date, date_to = evidence_dates(doc)
        exhibits.append({"number": number, "label": exhibit_label(number), "evidence_id": evidence_id,
                         "filename": doc.get("filename"), "type": doc.get("type"),
                         "type_label": TYPE_LABELS.get(str(doc.get("type")), "증거자료"), "date": date,
                         "date_to": date_to, "parts": part_labels,
                         "range_label": exhibit_range(number, len(ev_parts))})
    out_sections: list[dict[str, Any]] = []
    for sec, sents in zip(sections, split, strict=True):
        paragraphs: list[str] = []
        for original, para_sents in zip(sec["paragraphs"], sents, strict=True):
            if not MARKER_RE.search(original):
                paragraphs.append(original)  # nothing to cite: keep the writer's layout (indents, blanks)
                continue
            rendered: list[str] = []
            for sent in para_sents:
                fids = MARKER_RE.findall(sent)
                if fids:
                    cited = list(dict.fromkeys(labels[facts[f].part_key] for f in fids))
                    rendered.append(_cite_sentence(sent, cited))
                else:
                    rendered.append(sent)
            paragraphs.append(" ".join(rendered))
        out_sections.append({**sec, "paragraphs": paragraphs})
    return Numbered(out_sections, exhibits, citations)


# ---------------------------------------------------------------- the consistency check
def cited_labels(text: str) -> list[str]:
    return [exhibit_label(int(m.group(1)), int(m.group(2)) if m.group(2) else None) for m in CITATION_RE.finditer(text)]


def check_consistency(draft: dict[str, Any], evidence: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Everything wrong with a draft's citations; an empty list means consistent.

    Every label cited in the body is in `citations` and its exhibit in `exhibits` with the same evidence;
    every exhibit and citation is cited; exhibits are numbered 1..K in order of first citation; parts are
    either one bare label or 의 1..M; every sentence of a ground section is cited; the 입증방법 section lists
    exactly the exhibits; and, with `evidence`, every cited segment exists in its evidence.
    """
    problems: list[str] = []
    sections = draft.get("sections") or []
    body = [s for s in sections if s.get("kind") != "evidence_list"]
    order = [label for s in body for p in s.get("paragraphs") or [] for label in cited_labels(p)]
    cited = list(dict.fromkeys(order))
    citations = draft.get("citations") or []
    exhibits = draft.get("exhibits") or []
    by_label = {c["label"]: c for c in citations}
    if len(by_label) != len(citations):
        problems.append("duplicate citation labels")
    problems += [f"{lbl} cited in the text but missing from citations" for lbl in cited if lbl not in by_label]
    problems += [f"{lbl} in citations but never cited" for lbl in by_label if lbl not in cited]

    numbers = [e.get("number") for e in exhibits]
    if numbers != list(range(1, len(exhibits) + 1)):
        problems.append(f"exhibit numbers {numbers} are not 1..{len(exhibits)}")
    problems += [f"exhibit {e.get('number')} labelled {e.get('label')!r}" for e in exhibits
                 if e.get("label") != exhibit_label(int(e.get("number") or 0))]
    if len({e.get("evidence_id") for e in exhibits}) != len(exhibits):
        problems.append("one evidence listed as several exhibits")
    by_number = {e.get("number"): e for e in exhibits}
    parts_of: dict[int, list[int | None]] = defaultdict(list)
    for c in citations:
        try:
            n, m = parse_label(c["label"])
        except ValueError as exc:
            problems.append(str(exc))
            continue
        ex = by_number.get(n)
        if ex is None:
            problems.append(f"{c['label']} points to no listed exhibit")
        elif ex.get("evidence_id") != c.get("evidence_id"):
            problems.append(f"{c['label']} points to evidence {c.get('evidence_id')} but exhibit {n} is {ex.get('evidence_id')}")
        parts_of[n].append(m)
        if not c.get("segments"):
            problems.append(f"{c['label']} cites no segment")
        elif evidence is not None:
            doc = evidence.get(c.get("evidence_id", ""))
            seqs = {int(s["seq"]) for s in (doc or {}).get("segments") or []}
            if doc is None:
                problems.append(f"{c['label']} cites unknown evidence {c.get('evidence_id')}")
            elif not set(c["segments"]) <= seqs:
                problems.append(f"{c['label']} cites segments {sorted(set(c['segments']) - seqs)} missing from the evidence")
    for n, ms in parts_of.items():
        if ms != [None] and (None in ms or sorted(m for m in ms if m) != list(range(1, len(ms) + 1)) or len(ms) < 2):
            problems.append(f"exhibit {n} has inconsistent parts {ms}")
    problems += [f"exhibit {e.get('number')} is listed but never cited" for e in exhibits
                 if e.get("number") not in parts_of]
    first_seen = list(dict.fromkeys(parse_label(lbl)[0] for lbl in order))
    if first_seen != numbers:
        problems.append(f"exhibits first cited in order {first_seen}, numbered {numbers}")
    for n in parts_of:
        seen_parts = [m for m in dict.fromkeys(parse_label(lbl)[1] for lbl in order if parse_label(lbl)[0] == n)]
        if seen_parts != sorted(seen_parts, key=lambda m: m or 0):
            problems.append(f"parts of exhibit {n} first cited in order {seen_parts}")

    for s in sections:
        if s.get("kind") != "ground":
            continue
        for p in s.get("paragraphs") or []:
            if is_note(p):
                continue
            problems += [f"uncited sentence in {s.get('title')}: {sent[:40]}" for sent in split_sentences(p)
                         if not CITATION_RE.search(sent)]

    listed: list[str] = []
    for s in sections:
        if s.get("kind") == "evidence_list":
            for line in s.get("paragraphs") or []:
                listed += parse_exhibit_line(line) or []
    if sorted(listed) != sorted(by_label):
        problems.append(f"입증방법 lists {listed}, citations are {sorted(by_label)}")
    if "draft_text" in draft and set(cited_labels(draft["draft_text"])) != set(by_label):
        problems.append("draft_text cites other labels than the sections")
    return problems
