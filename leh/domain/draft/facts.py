"""Facts from labelled evidence: each labelled run of segments under an art. 840 ground, capped per ground."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from leh.domain.dates import precision_of
from leh.domain.documents import EvidenceDoc, LabelDoc, SegmentDoc
from leh.domain.draft.dates import parse_ts
from leh.domain.draft.names import certificate_findings, certificate_patient, exhibit_name, is_certificate
from leh.domain.grounds import GROUND_IDS
from leh.domain.parties import PARENT_ROLES, Favours, Parties, Party, parent_kin

MIN_CONFIDENCE: Final = 0.5  # weaker labels stay in the timeline for the lawyer but do not carry a draft sentence
MAX_FACTS_PER_GROUND: Final = 20  # a complaint lists the strongest instances; the rest are noted, not dropped silently
MAX_QUOTE_CHARS: Final = 150
MAX_SEGMENTS_PER_FACT: Final = 4  # a longer run of labelled messages is told as several dated sentences
MAX_FACT_GAP_SECONDS: Final = 600  # messages further apart than this are separate incidents
LOW_OCR_CONFIDENCE: Final = 0.7  # OCR lines read less surely than this are marked for the lawyer to check
OCR_CHECK_NOTE: Final = "[확인 필요: OCR 인식 불확실]"


@dataclass(frozen=True)
class Quote:
    """A segment's words as a fact quotes them; speaker is None unless a person said them."""

    speaker: str | None
    text: str
    uncertain: bool = False  # OCR text read with low confidence: marked for the lawyer to check


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
    ts_precision: str | None = None  # day | minute | second: a day-only fact is written without a time
    ts_part_of_day: str | None = None  # 밤, 새벽 … beside a day-only date
    # A document line dated by its own words ("2023. 11. 1. 생활비 끊음", a statement row "2024.02.03 무인텔"): `ts`
    # is that date, which says nothing of when the document was written, so a sentence never says it was.
    dated_in_text: bool = False
    document: str | None = None  # what the exhibit is by its content (상해진단서, 진술서, 카드 이용내역), if known
    # A certificate's patient as the pleading names them (원고, 피고) when the certificate names a party.
    patient: str | None = None
    # The same lines cited under another ground too: the ground whose section quotes them in full, and whether
    # that section comes before this one (앞서 본) or after it (뒤에서 볼). This ground only refers to them.
    repeat_of: str | None = None
    repeat_before: bool = True

    @property
    def part_key(self) -> tuple[str, tuple[int, ...]]:
        return (self.evidence_id, self.segments)

    def to_dict(self) -> dict[str, Any]:
        return {"fact_id": self.fact_id, "ground": self.ground, "tags": list(self.tags),
                "evidence_id": self.evidence_id, "segments": list(self.segments), "ts": self.ts,
                "confidence": self.confidence}


@dataclass
class FactSet:
    """The facts of a draft in fact-id order, and per ground how many were left out by the cap."""

    facts: list[Fact]
    omitted: dict[str, int] = field(default_factory=dict)  # ground → labelled instances beyond the cap
    unattributed: int = 0  # labels left out because it is not known who did the act

    def by_ground(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {}
        for f in self.facts:
            out.setdefault(f.ground, []).append(f)
        return out

    def by_id(self) -> dict[str, Fact]:
        return {f.fact_id: f for f in self.facts}


def clean_quote(text: str) -> str:
    """A segment's own words as a one-line quote: inner double quotes become single, markers cannot be forged."""
    text = " ".join(text.split())
    text = text.replace("“", "‘").replace("”", "’").replace('"', "'").replace("⟦", "[").replace("⟧", "]")
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"
    return text


def ref_locator(ref: Mapping[str, Any] | None) -> str | None:
    """"3쪽" or "1분 21초" from a segment's ref (a page or a recording offset), else None."""
    ref = ref or {}
    if "page" in ref:
        return f"{int(ref['page'])}쪽"
    if "start_s" in ref:
        total = int(float(ref["start_s"]))
        h, rem = divmod(total, 3600)
        m, s = divmod(rem, 60)
        return (f"{h}시간 " if h else "") + f"{m}분 {s}초"
    return None


def citable(label: LabelDoc) -> bool:
    """Whether a label may carry a ground of the client's complaint: the opponent's act (or abuse by the opponent's
    family), favouring the client. Labels analysed before attribution existed carry no `favours` and stay citable."""
    if "favours" not in label:
        return True
    if label.get("favours") != Favours.CLIENT:
        return False
    actor = label.get("actor")
    return actor == Party.OPPONENT or (actor == Party.THIRD_PARTY and label.get("actor_side") == Party.OPPONENT)


def _unattributed(label: LabelDoc) -> bool:
    return "favours" in label and label.get("favours") == Favours.NEUTRAL


def speaker_display(doc: EvidenceDoc, speaker: str, parties: Parties) -> str:
    """How a pleading names a speaker: 원고 / 피고 by the evidence's speaker map, 소외 ○○○ for a third party."""
    party = (doc.get("speakers_map") or {}).get(speaker)
    role = parties.role(party) if party else None
    if role:
        return role
    if party in PARENT_ROLES:  # "피고의 모친 권말순": 모친/부친 from how the others open their messages
        others = (str(s.get("text") or "") for s in doc.get("segments") or [] if s.get("speaker") != speaker)
        return parties.parent_display(party, speaker, parent_kin(others)) or speaker
    if party == Party.THIRD_PARTY:
        return f"소외 {speaker}"
    return speaker


def _uncertain(doc: EvidenceDoc, seg: Mapping[str, Any]) -> bool:
    if doc.get("type") not in ("image", "pdf"):
        return False
    conf = seg.get("confidence", (seg.get("ref") or {}).get("conf"))
    return conf is not None and float(conf) < LOW_OCR_CONFIDENCE


# A sentence of a written statement ends with a word and a full stop (…하였습니다. / …함.); "2024. 6. 20." does not.
_SENTENCE_END: Final = re.compile(r"(?<=[가-힣][.?!])\s+")

Span = tuple[int, int]


def _sentences(text: str) -> list[Span]:
    out: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [sp for sp in out if text[sp[0]:sp[1]].strip()]


def _overlaps(sentence: Span, spans: list[Span]) -> bool:
    return any(a < sentence[1] and b > sentence[0] for a, b in spans)


def cited_part(text: str, cited: list[Span], risks: list[Span]) -> str:
    """The part of a segment a pleading quotes for an act: the whole text, less the leading and trailing sentences
    that tell only of the client's own act (`risks`: the spans of the segment's hits whose labels favour the
    opponent) and none of the cited one. "장모가 저에게 욕하였습니다. 저도 버릇없는 말을 하였습니다." quotes the first
    sentence only: a complaint never quotes the client's admission. The part is a contiguous piece of the text."""
    sents = _sentences(text)
    if not risks or not cited or len(sents) < 2:
        return text

    def risk_only(sp: Span) -> bool:
        return _overlaps(sp, risks) and not _overlaps(sp, cited)

    while len(sents) > 1 and risk_only(sents[-1]):
        sents.pop()
    while len(sents) > 1 and risk_only(sents[0]):
        sents.pop(0)
    return text[sents[0][0]:sents[-1][1]]


def _hit_spans(doc: EvidenceDoc) -> tuple[dict[tuple[int, str], list[Span]], dict[int, list[Span]]]:
    """The spans of the acts a draft may cite by (seq, ground), and per seq the spans of the client's own acts (labels
    favouring the opponent). Labels that carry their own spans say which act of a line is whose ("아내가 … 제 이마를
    내리쳤습니다. 그 직전에 제가 … 소리를 지른 것은 사실입니다": the blow is cited, the shout is a risk); older
    documents fall back to the label engine's hits by (seq, ground)."""
    labels = doc.get("labels") or []
    if any(lab.get("spans") for lab in labels):
        return label_spans(labels)
    risky = {(int(q), str(lab.get("ground"))) for lab in labels
             if lab.get("favours") == Favours.OPPONENT for q in lab.get("segments") or []}
    by_ground: dict[tuple[int, str], list[Span]] = defaultdict(list)
    risks: dict[int, list[Span]] = defaultdict(list)
    for h in doc.get("hits") or []:
        key = (int(h["seq"]), str(h["ground"]))
        by_ground[key].append((int(h["start"]), int(h["end"])))
        if key in risky:
            risks[key[0]].append((int(h["start"]), int(h["end"])))
    return by_ground, risks


WHOLE_LINE: Final = (0, 1 << 30)  # a span no rule read (a lawyer's label, the learned model's): the whole line


def label_spans(labels: Iterable[LabelDoc]) -> tuple[dict[tuple[int, str], list[Span]], dict[int, list[Span]]]:
    """From labels with spans: the citable acts' spans by (seq, ground), the client's own acts' spans by seq."""
    cited: dict[tuple[int, str], list[Span]] = defaultdict(list)
    risks: dict[int, list[Span]] = defaultdict(list)
    for lab in labels:
        for sp in lab.get("spans") or []:
            span = (int(sp["start"]), int(sp["end"]))
            span = span if span[1] > span[0] else WHOLE_LINE
            if citable(lab):
                cited[(int(sp["seq"]), str(lab.get("ground")))].append(span)
            elif lab.get("favours") == Favours.OPPONENT:
                risks[int(sp["seq"])].append(span)
    return cited, risks


def _quote(doc: EvidenceDoc, seg: SegmentDoc, parties: Parties,
           spans: tuple[list[Span], list[Span]] = ([], [])) -> Quote:
    speaker = None
    if seg.get("speaker") and seg.get("kind", "speech") == "speech":
        speaker = clean_quote(speaker_display(doc, str(seg["speaker"]), parties))
    return Quote(speaker, clean_quote(cited_part(str(seg["text"]), *spans)), _uncertain(doc, seg))


def _clusters(units: dict[int, dict[str, Any]], by_seq: dict[int, SegmentDoc]) -> list[list[int]]:
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


def collect_facts(docs: list[EvidenceDoc], *, min_confidence: float = MIN_CONFIDENCE,
                  max_per_ground: int = MAX_FACTS_PER_GROUND, parties: Parties | None = None) -> FactSet:
    """Facts per art. 840 ground from the labels of processed evidence, in ground order and then date order.

    A label lists every segment supporting its tag anywhere in the evidence, so labels are cut back into
    runs of adjacent segments: one message or one exchange is one fact, and 폭언 and 협박 on the same message
    are one fact with two tags. System lines and empty segments never support a fact. Only labels of the
    opponent's acts are facts (`citable`); speakers are named 원고 / 피고 by the evidence's speaker map.
    """
    parties = parties or Parties()
    unattributed = 0
    candidates: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for doc_index, doc in enumerate(docs):
        by_seq = {int(s["seq"]): s for s in doc.get("segments") or []}
        units: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)  # ground → seq → tags, confidence
        for label in doc.get("labels") or []:
            gid = label.get("ground")
            confidence = float(label.get("confidence") or 0.0)
            if gid not in GROUND_IDS or confidence < min_confidence:
                continue
            if not citable(label):
                unattributed += len(label.get("segments") or []) if _unattributed(label) else 0
                continue
            for raw in label.get("segments") or []:
                seg = by_seq.get(int(raw))
                if seg is None or seg.get("kind", "speech") == "system" or not str(seg.get("text", "")).strip():
                    continue
                unit = units[gid].setdefault(int(raw), {"tags": [], "confidence": 0.0})
                if label.get("tag") and label["tag"] not in unit["tags"]:
                    unit["tags"].append(label["tag"])
                unit["confidence"] = max(unit["confidence"], confidence)
        certificate = is_certificate(doc)
        hit_spans, risk_spans = _hit_spans(doc)
        for gid, by_unit in units.items():
            for seqs in _runs(doc, by_unit, by_seq, certificate):
                segs = [by_seq[q] for q in seqs]
                when, precision, part = _fact_time(segs, doc)
                in_text = _dated_in_text(segs, doc, when)
                sort_key = (GROUND_IDS.index(gid), when is None, _sort_time(when, precision, certificate),
                            doc_index, seqs[0])
                quotes = tuple(_quote(doc, by_seq[q], parties, (hit_spans.get((q, gid), []), risk_spans.get(q, [])))
                               for q in seqs)
                candidates.append((sort_key, {
                    "ground": gid, "tags": tuple(dict.fromkeys(t for q in seqs for t in by_unit[q]["tags"])),
                    "evidence_id": doc["evidence_id"], "evidence_type": doc.get("type") or "unknown",
                    "segments": tuple(seqs), "ts": when.isoformat() if when else None,
                    "confidence": round(max(by_unit[q]["confidence"] for q in seqs), 3), "quotes": quotes,
                    "locator": ref_locator(segs[0].get("ref")), "ts_precision": precision, "ts_part_of_day": part,
                    "dated_in_text": in_text, "document": exhibit_name(doc),
                    "patient": _patient(doc, parties) if certificate else None,
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
    return FactSet(mark_repeats(facts), omitted, unattributed)


def _runs(doc: EvidenceDoc, by_unit: dict[int, dict[str, Any]], by_seq: dict[int, SegmentDoc],
          certificate: bool) -> list[list[int]]:
    """The facts of one ground in one evidence. A medical certificate labelled anywhere (often on its title) is one
    fact of its findings (병명, 수상일, 치료기간, 소견): what it proves, not its heading."""
    findings = certificate_findings(doc) if certificate else []
    if findings:
        tags = [t for q in sorted(by_unit) for t in by_unit[q]["tags"]]
        confidence = max(u["confidence"] for u in by_unit.values())
        by_unit.clear()
        by_unit.update({q: {"tags": tags, "confidence": confidence} for q in findings[:MAX_SEGMENTS_PER_FACT]})
        return [findings[:MAX_SEGMENTS_PER_FACT]]
    return _clusters(by_unit, by_seq)


def _sort_time(when: datetime | None, precision: str | None, certificate: bool) -> datetime:
    """Where a fact sorts in its ground: at its time, a day or month alone at its start ("2024. 3.경" before
    "2024. 3. 16."), a certificate at the end of its day of injury (after the act it proves)."""
    if when is None:
        return datetime.min.replace(tzinfo=UTC)
    if precision == "month":
        return when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if certificate:
        return when.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1, microseconds=-1)
    return when


def _patient(doc: EvidenceDoc, parties: Parties) -> str | None:
    """원고 / 피고 when a certificate's patient is a party by name or alias, else None."""
    name = certificate_patient(doc)
    for party in (Party.CLIENT, Party.OPPONENT):
        person = parties.person(party)
        if name and person is not None and name in (person.name, *person.aliases):
            return parties.role(party)
    return None


def mark_repeats(facts: list[Fact]) -> list[Fact]:
    """The same lines of one evidence under several grounds are quoted once, under the ground they fit best (the
    most confident label; the earlier ground on a tie); the other grounds refer back (or forward) to them."""
    best: dict[tuple[str, tuple[int, ...]], Fact] = {}
    for f in facts:
        seen = best.get(f.part_key)
        if seen is None or f.confidence > seen.confidence:
            best[f.part_key] = f
    order = {gid: i for i, gid in enumerate(GROUND_IDS)}
    out = []
    for f in facts:
        full = best[f.part_key]
        if full.fact_id == f.fact_id:
            out.append(f)
        else:
            out.append(replace(f, repeat_of=full.ground, repeat_before=order[full.ground] < order[f.ground]))
    return out


def _fact_time(segs: list[SegmentDoc], doc: EvidenceDoc) -> tuple[datetime | None, str | None, str | None]:
    """(time, precision, part of day) of a fact: its earliest dated segment, else the evidence time, unless that
    is not the document's own date (a statement without one is timed by its earliest row: no day of this line)."""
    dated = [(t, s) for s in segs if (t := parse_ts(s.get("ts"))) is not None]
    if dated:
        at, seg = min(dated, key=lambda d: d[0])
        return at, precision_of(seg.get("ts"), seg.get("ts_precision")), seg.get("ts_part_of_day")
    evidence_at = parse_ts(doc.get("event_time"))
    if evidence_at is None or (doc.get("parse_meta") or {}).get("document_date") is False:
        return None, None, None
    return evidence_at, precision_of(doc.get("event_time"), doc.get("event_time_precision")), None


def _dated_in_text(segs: list[SegmentDoc], doc: EvidenceDoc, when: datetime | None) -> bool:
    """Whether the fact's date is its own segments': written in their words, or another day than the document's."""
    if when is None or not any(parse_ts(s.get("ts")) is not None for s in segs):
        return False
    evidence_at = parse_ts(doc.get("event_time"))
    if evidence_at is None or evidence_at.date() != when.date():
        return True
    day = re.compile(_DAY_IN_TEXT.format(m=when.month, d=when.day))
    return any(day.search(str(s.get("text") or "")) for s in segs)


# The day in a line's own words: "3월 2일", "03.02", "3/2", "2024-03-02" (month and day, zero-padded or not).
_DAY_IN_TEXT: Final = r"(?<!\d)0?{m}\s*월\s*0?{d}\s*일|(?<!\d)0?{m}\s*[./-]\s*0?{d}(?!\d)"
