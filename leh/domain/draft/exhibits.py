"""Exhibits: the 갑 제N호증(의 M) labels and 입증방법 lines, and numbering exhibits in order of first citation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from leh.domain.dates import format_ts
from leh.domain.documents import EvidenceDoc
from leh.domain.draft.dates import parse_ts
from leh.domain.draft.facts import Fact, ref_locator
from leh.domain.draft.names import exhibit_name
from leh.domain.draft.sentences import MARKER_RE, paragraph_sentences

EXHIBIT_SIDE: Final = "갑"  # the plaintiff's exhibits
DEFENDANT_SIDE: Final = "을"  # the defendant's, also when the defendant files a counterclaim (반소)
# 갑 or 을 제N호증(의 M); groups: side, N, M. Not inside a word ("지갑 제1" is no citation).
CITATION_RE: Final = re.compile(r"(?<![가-힣])([갑을])\s*제\s*(\d+)\s*호증(?:\s*의\s*(\d+))?")
# One 입증방법 line: "갑 제1호증", "을 제1호증의 1, 2" or "갑 제1호증의 1 내지 3", then the description.
_EXHIBIT_LINE_RE: Final = re.compile(r"^([갑을]) 제(\d+)호증(?:의 (\d+)(?: 내지 (\d+)|((?:, \d+)+))?)?\s")

TYPE_LABELS: Final[dict[str, str]] = {
    "kakaotalk": "카카오톡 대화 내역", "text": "문서(텍스트)", "pdf": "문서(PDF)", "docx": "문서(Word)", "hwp": "문서(한글)", "spreadsheet": "문서(엑셀)",
    "statement": "금융거래내역", "email": "이메일", "sms": "문자메시지 내역",
    "call_log": "통화 내역",
    "image": "사진", "audio": "녹음파일", "video": "동영상",
}


def type_label(doc: EvidenceDoc) -> str:
    """How 입증방법 names an exhibit: what it is by its content or file name (상해진단서, 진술서, 카드 이용내역 …),
    else its file type (사진, 문서(텍스트) …)."""
    return exhibit_name(doc) or TYPE_LABELS.get(str(doc.get("type")), "증거자료")


def exhibit_side(client_side: str | None) -> str:
    """Whose exhibits a draft cites: 갑 for a plaintiff client, 을 for a defendant client (and their 반소)."""
    return DEFENDANT_SIDE if client_side == "defendant" else EXHIBIT_SIDE


def exhibit_label(number: int, part: int | None = None, side: str = EXHIBIT_SIDE) -> str:
    """갑 제N호증, or 갑 제N호증의 M for a part (을 … for the defendant's side)."""
    return f"{side} 제{number}호증" + (f"의 {part}" if part is not None else "")


def parse_label(label: str, side: str = EXHIBIT_SIDE) -> tuple[int, int | None]:
    """(N, M or None) from an exhibit label of `side`; ValueError if it is not one."""
    m = CITATION_RE.fullmatch(label.strip())
    if not m or m.group(1) != side:
        raise ValueError(f"not an exhibit label: {label!r}")
    return int(m.group(2)), (int(m.group(3)) if m.group(3) else None)


def exhibit_range(number: int, parts: int, side: str = EXHIBIT_SIDE) -> str:
    """How 입증방법 names an exhibit: 갑 제1호증 / 갑 제1호증의 1, 2 / 갑 제1호증의 1 내지 3."""
    label = exhibit_label(number, side=side)
    if parts <= 1:
        return label
    if parts == 2:
        return f"{label}의 1, 2"
    return f"{label}의 1 내지 {parts}"


def parse_exhibit_line(line: str) -> list[str] | None:
    """The citation labels an 입증방법 line covers, or None when the line names no exhibit."""
    m = _EXHIBIT_LINE_RE.match(line)
    if not m:
        return None
    side, n = m.group(1), int(m.group(2))
    if m.group(3) is None:
        return [exhibit_label(n, side=side)]
    first = int(m.group(3))
    if m.group(4):
        return [exhibit_label(n, p, side) for p in range(first, int(m.group(4)) + 1)]
    rest = [int(x) for x in re.findall(r"\d+", m.group(5) or "")]
    return [exhibit_label(n, p, side) for p in [first, *rest]]


def cited_labels(text: str) -> list[str]:
    """The exhibit labels a text cites, in order and normalised to exhibit_label's spelling."""
    return [exhibit_label(int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.group(1))
            for m in CITATION_RE.finditer(text)]


def evidence_dates(doc: EvidenceDoc) -> tuple[str | None, str | None]:
    """(first, last) dates of an evidence: the parser's event time or the segment times. ISO days ("2024-03-02"),
    or a month alone ("2024-06") where the evidence dates that time only to its month."""
    times = sorted(((t, s.get("ts_precision")) for s in doc.get("segments") or [] if (t := parse_ts(s.get("ts")))),
                   key=lambda when: when[0])
    event = parse_ts(doc.get("event_time"))
    first = (event, doc.get("event_time_precision")) if event else (times[0] if times else None)
    last = times[-1] if times else first
    return _day_or_month(first), _day_or_month(last)


def _day_or_month(when: tuple[datetime, str | None] | None) -> str | None:
    if when is None:
        return None
    at, precision = when
    return f"{at:%Y-%m}" if precision == "month" else at.date().isoformat()


# Evidence whose parts a lawyer finds by their time: messages, calls, statement rows (the transaction's time).
_TIMED_TYPES: Final = ("kakaotalk", "sms", "email", "call_log", "statement", "audio", "video")
# A line's own numbering: "1. 저는 …" → 제1항, "가. …" → 가항.
_OWN_NUMBER_RE: Final = re.compile(r"^\s*(?:제\s*)?(\d{1,2}|[가-하])\s*[.)]\s")


def _line_ordinal(by_seq: Mapping[int, Mapping[str, Any]], seq: int) -> int:
    """Which line of the document a segment starts on, counting the lines a reader sees (blank lines not counted)."""
    return 1 + sum(len([ln for ln in str(s.get("text") or "").splitlines() if ln.strip()])
                   for q, s in by_seq.items() if q < seq)


def _document_place(by_seq: Mapping[int, Mapping[str, Any]], seq: int) -> str:
    """A document line's pin cite: its own number (제1항, 가항), else "N번째 줄" as printed."""
    m = _OWN_NUMBER_RE.match(str((by_seq.get(seq) or {}).get("text") or ""))
    if m:
        return f"제{m.group(1)}항" if m.group(1).isdigit() else f"{m.group(1)}항"
    return f"{_line_ordinal(by_seq, seq)}번째 줄"


def where_in(doc: EvidenceDoc, seqs: tuple[int, ...]) -> str:
    """Where the cited segments are, as a lawyer's pin cite: message (or transaction) times, pages, minutes into a
    recording, and for a document's lines their own number or "N번째 줄" (the line's date does not find it: several
    lines may share a day, and a file's raw line number counts the blank lines no reader counts)."""
    by_seq: dict[int, Mapping[str, Any]] = {int(s["seq"]): s for s in doc.get("segments") or []}
    timed = doc.get("type") in _TIMED_TYPES
    places: list[str] = []
    for q in seqs:
        seg = by_seq.get(q) or {}
        ref = seg.get("ref") or {}
        place = ref_locator(ref)
        if place is None and seg.get("ts") and timed:
            place = format_ts(seg["ts"], seg.get("ts_precision"), seg.get("ts_part_of_day"))
        if place is None and "box" in ref:
            place = f"{q + 1}번째 줄"  # an OCR line of a photo
        if place is None and seg:
            place = _document_place(by_seq, q)
        places.append(place or f"{q + 1}번째 구간")
    return ", ".join(dict.fromkeys(places))


@dataclass
class Numbered:
    """Sections with markers replaced by labels, plus the exhibit list and one citation per label."""

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


def assign_citations(sections: list[dict[str, Any]], facts: dict[str, Fact], docs: dict[str, EvidenceDoc],
                     side: str = EXHIBIT_SIDE) -> Numbered:
    """Replace fact markers with exhibit labels. One evidence is one exhibit; exhibits are numbered in order of
    first citation, and an exhibit cited for several distinct parts gets 갑 제N호증의 M per part (을 for `side` 을)."""
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
            label = exhibit_label(number, m if len(ev_parts) > 1 else None, side)
            labels[(evidence_id, segs)] = label
            part_labels.append(label)
            citations.append({"label": label, "evidence_id": evidence_id, "segments": list(segs),
                              "exhibit": number, "part": m if len(ev_parts) > 1 else None,
                              "where": where_in(doc, segs)})
        date, date_to = evidence_dates(doc)
        exhibits.append({"number": number, "label": exhibit_label(number, side=side), "evidence_id": evidence_id,
                         "filename": doc.get("filename"), "type": doc.get("type"),
                         "type_label": type_label(doc), "date": date,
                         "date_to": date_to, "parts": part_labels,
                         "range_label": exhibit_range(number, len(ev_parts), side)})
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
