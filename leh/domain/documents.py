"""The shapes of the evidence document (DESIGN.md section 4) and of the answers built from it (section 7).

One definition per shape. They are TypedDicts because the code reads and writes documents as plain dicts (the
evidence store keeps JSON); pydantic and FastAPI read the same classes to document `/api/openapi.json`.
Fields that may be absent are `NotRequired`; a document may carry more fields than listed here (older or newer
workers write a few more); the API schemas do not forbid additional properties.
"""

# No `from __future__ import annotations` here: TypedDict must see NotRequired when the class is made, or
# `__required_keys__` would list every field.
from typing import Any, NotRequired

# pydantic reads TypedDicts from typing_extensions only on Python < 3.12.
from typing_extensions import TypedDict

__all__ = [
    "AnalysisInfo", "AskAnswer", "AskCitation", "DerivedDoc", "DraftCitation", "DraftDoc", "DraftExhibit", "DraftSection",
    "ErrorInfo", "EvidenceDetail", "EvidenceDoc", "EvidenceListItem", "HitDoc", "InferredDate", "LabelCorrectionDoc",
    "LabelDoc", "LabelSummary", "PublicEvidenceDoc",
    "RiskDoc", "RiskSegmentDoc", "SearchHitDoc", "SegmentCorrectionDoc", "SegmentDoc", "SegmentRef", "StatusChange",
    "TimelineEventDoc", "TimelineItem", "WarningInfo",
]


class SegmentRef(TypedDict, total=False):
    """Where a segment sits in the original: a line, a page (and OCR box), a paragraph or table cell, a time span."""

    line: int
    date: str  # a KakaoTalk notice without a time: its day
    page: int
    box: list[int]  # OCR: left, top, width, height in pixels
    conf: float  # OCR confidence
    paragraph: int
    table: int
    row: int
    col: int
    start_s: float
    end_s: float
    as_written: str  # a message read out of a typed row (문자 내역): the row as the original writes it


class InferredDate(TypedDict):
    """A relative date in a segment's text ("어제 밤", "지난주 금요일") resolved against the segment's own date."""

    ts: str  # midnight of the day, ISO with offset
    precision: str  # "day"
    phrase: str  # the words it was read from
    inferred: bool  # always true: LEH worked it out, the evidence does not write it
    part_of_day: NotRequired[str]


class SegmentDoc(TypedDict):
    """One message, paragraph, OCR line or stretch of speech; `kind` is speech, system or text."""

    seq: int
    text: str
    ts: str | None
    speaker: str | None
    ref: SegmentRef
    kind: str
    ts_precision: NotRequired[str]  # month | day | minute | second
    original_text: NotRequired[str]  # what the OCR or speech engine read, when a lawyer corrected `text`
    corrected_by: NotRequired[str]  # user id of that correction
    corrected_at: NotRequired[str]
    ts_part_of_day: NotRequired[str]  # 밤, 새벽 …: written beside a day-only date
    refers_to: NotRequired[InferredDate]  # a relative date in the text ("어제 밤"), resolved
    ts_label: NotRequired[str | None]  # API detail only: "2023. 12. 25. (밤)", the time as the evidence states it
    refers_to_label: NotRequired[str | None]  # API detail only: "2024. 3. 9. (밤) (추정)"


class LabelSpanDoc(TypedDict):
    """The part of one segment a label rests on (characters `start`..`end` of its text; 0..0: the whole line)."""

    seq: int
    start: int
    end: int


class LabelDoc(TypedDict):
    """A divorce ground (민법 제840조) found in the evidence, with the segments that support it."""

    ground: str
    tag: str
    confidence: float
    segments: list[int]
    actor: NotRequired[str]  # client | opponent | third_party | unknown: who did the act
    favours: NotRequired[str]  # client | opponent | neutral
    source: NotRequired[str]  # engine | lawyer
    actor_side: NotRequired[str]  # a third-party actor's side (client | opponent): abuse by a spouse's family
    # Where in each segment this actor's act is (the label engine's spans; a line can hold both spouses' acts of
    # one kind, each its own label): what a draft quotes for it and a risk shows of it.
    spans: NotRequired[list[LabelSpanDoc]]


class HitDoc(TypedDict):
    """One label-engine match as the document keeps it (`hits`): what labels and timeline are re-derived from."""

    seq: int
    tag: str
    ground: str
    weight: float
    mode: str  # utterance | report
    start: int
    end: int
    rule: str
    admission: bool
    agent: str
    intent: bool
    description: NotRequired[str]  # an AI engine's own sentence for the act


class LabelCorrectionDoc(TypedDict):
    """One lawyer correction of the labels, kept on the evidence across reprocessing and reindexing.

    `op` "add" files the segments under the ground (and tag) as a lawyer's label; "remove" takes the segments
    out of every label of the ground. Applied in order by `leh.analysis.corrections.apply_label_corrections`.
    """

    op: str  # add | remove
    ground: str
    segments: list[int]
    tag: NotRequired[str | None]
    by: str  # user id
    at: str


class SegmentCorrectionDoc(TypedDict):
    """A lawyer's correction of one OCR or speech line, re-applied after parsing while seq and original text match."""

    seq: int
    original_text: str
    text: str
    by: str
    at: str


class TimelineEventDoc(TypedDict):
    """One dated event of an evidence's own timeline."""

    ts: str | None
    description: str
    grounds: list[str]
    segments: list[int]
    ts_precision: NotRequired[str | None]
    ts_part_of_day: NotRequired[str | None]
    refers_to: NotRequired[InferredDate]
    ts_label: NotRequired[str | None]  # API only: "2023. 12. 25. (밤)"
    refers_to_label: NotRequired[str | None]  # API only: "2024. 3. 9. (밤) (추정)"


class StatusChange(TypedDict):
    status: str
    at: str


class ErrorInfo(TypedDict):
    """A failure with its stable code and a Korean message that says what to do."""

    code: str
    message: str


# Processed, but with something the user should know (e.g. STT_EMPTY): the same shape as an error.
WarningInfo = ErrorInfo


class AnalysisInfo(TypedDict, total=False):
    engine: str
    fallback_from: str  # the AI engine that failed, when the offline analysis stood in
    fallback_reason: str
    speaker_roles: dict[str, str]  # an AI engine's answer: speaker -> plaintiff | defendant | third_party


class LocationInfo(TypedDict):
    """Where a photo was taken: decimal degrees (WGS 84) and where that came from; `address` when the file says."""

    lat: float
    lon: float
    source: str  # "exif"
    address: NotRequired[str]


class _EvidenceFields(TypedDict):
    """The fields the evidence document and its list item share, with the same types (the list item's `labels`
    differ: summaries)."""

    case_id: str
    evidence_id: str
    filename: str
    sha256: str | None
    size: int
    type: str  # EvidenceType
    status: str  # EvidenceStatus
    stage: str | None  # Stage, or a ParseStage while a parser reports progress inside extract
    progress: float
    attempts: int
    error: ErrorInfo | None
    status_history: list[StatusChange]
    uploaded_by: str
    uploaded_at: str
    processed_at: str | None
    object_key: str
    segments: list[SegmentDoc]
    summary: str | None
    insights: list[str]
    speakers: list[str]
    event_time: str | None
    event_time_precision: NotRequired[str | None]  # day | minute | second
    event_time_part_of_day: NotRequired[str]  # 밤, 새벽 … beside a day-only evidence time
    timeline: list[TimelineEventDoc]
    warnings: NotRequired[list[WarningInfo]]  # absent on documents processed before warnings existed
    worker_id: NotRequired[str | None]  # the worker holding it while `processing`
    parse_meta: NotRequired[dict[str, Any]]  # what the parser measured (format, counts, engine …)
    analysis: NotRequired[AnalysisInfo]
    duplicate_of: NotRequired[str]  # the earlier evidence with identical content in the case
    speakers_map: NotRequired[dict[str, str]]  # speaker -> client | opponent | third_party | unknown | *_parent
    speakers_confirmed: NotRequired[bool]  # the lawyer confirmed the map (PUT /api/evidence/{id}/speakers)
    derived_at: NotRequired[str]  # when labels and timeline were last re-derived without reprocessing
    parent_evidence_id: NotRequired[str]  # an e-mail attachment: the mail it came in
    attachment_depth: NotRequired[int]  # 1 for a mail's attachment, 2 for an attachment of an attached mail
    attachments: NotRequired[list[str]]  # an e-mail: the evidence made of its attachments, in order
    counterpart: NotRequired[str]  # a call recording: the other party, from the recorder's file name
    location: NotRequired[LocationInfo]  # a photo: where it was taken (EXIF GPS)
    mime: NotRequired[str]  # the content type the worker detected from the bytes (how the original is served)


class EvidenceDoc(_EvidenceFields):
    """The evidence document the evidence store keeps, one per evidence (DESIGN.md section 4)."""

    # The object store's version of the original whose bytes were hashed at confirmation (S3 VersionId on a
    # versioned bucket; absent on the local store): every later read asks for exactly this version.
    raw_version: NotRequired[str]
    labels: list[LabelDoc]
    label_corrections: NotRequired[list[LabelCorrectionDoc]]  # kept by reset_derived: survives reprocess
    segment_corrections: NotRequired[list[SegmentCorrectionDoc]]  # kept by reset_derived: survives reprocess
    person_names: NotRequired[list[str]]  # names of people the evidence holds, in order found (OpenAI pseudonyms)
    person_names_at: NotRequired[str]  # when they were first found: a case numbers its people in that order
    speakers_ai: NotRequired[dict[str, str]]  # the AI model's checked speaker -> party suggestion (OpenAI analysis)
    hits: NotRequired[list[HitDoc]]  # the label engine's hits, what labels and timeline are re-derived from


class DerivedDoc(TypedDict, total=False):
    """The fields analysis derives from the segments: what processing, re-derivation and corrections write over
    the document (a part of EvidenceDoc, the same types)."""

    labels: list[LabelDoc]
    summary: str | None
    insights: list[str]
    speakers: list[str]
    event_time: str | None
    event_time_precision: str | None
    event_time_part_of_day: str
    timeline: list[TimelineEventDoc]
    analysis: AnalysisInfo
    speakers_map: dict[str, str]
    hits: list[HitDoc]
    speakers_ai: dict[str, str]  # an AI engine's speaker roles as parties, checked (the AI's suggestion)


class PublicEvidenceDoc(EvidenceDoc):
    """An evidence list item in the API: the document plus `id` (= `evidence_id`) and `event_time_label`."""

    id: str
    event_time_label: NotRequired[str | None]  # "2023. 12. 25. (밤)": never a time the evidence does not state


class EvidenceDetail(PublicEvidenceDoc):
    """`GET /api/evidence/{id}`: the document plus a short-lived `download_url` of the original, with one page of
    its segments (`?offset=&limit=`); `hits` and `timeline` are cut to that page's segments."""

    download_url: str
    segments_total: NotRequired[int]  # how many segments the evidence has
    segments_offset: NotRequired[int]
    segments_limit: NotRequired[int]
    segments_next: NotRequired[int | None]  # the offset of the next page of segments; null on the last page
    timeline_total: NotRequired[int]  # timeline events of the whole evidence


class LabelSummary(TypedDict):
    """A label in an evidence list: the label without its segment numbers, and how many segments support it."""

    ground: str
    tag: str
    confidence: float
    segment_count: int
    actor: NotRequired[str]
    favours: NotRequired[str]
    source: NotRequired[str]
    actor_side: NotRequired[str]


class EvidenceListItem(_EvidenceFields):
    """`GET /api/cases/{id}/evidence`: the evidence document without the arrays that grow with the evidence.

    `segments` and `timeline` are empty unless `include` names them (segments: the first page), their sizes are in
    `segments_total` and `timeline_total`; `labels` are summaries unless `include=labels`; no `hits`, correction
    logs or found names (the detail has them). Other document fields as in EvidenceDoc.
    """

    id: str
    segments_total: int | None  # null only for a DynamoDB document with offloaded segments written before counts
    labels: list[LabelSummary | LabelDoc]
    event_time_label: str | None
    timeline_total: int


class SearchHitDoc(TypedDict):
    """One search hit: a segment with a highlighted snippet, best first."""

    evidence_id: str
    seq: int
    snippet: str
    score: float
    grounds: list[str]
    ts: str | None
    speaker: str | None
    type: str | None
    ts_precision: NotRequired[str | None]  # month | day | minute | second
    ts_label: NotRequired[str | None]  # "2023. 12. 25." / "2023. 12. 25. 22:20": never a time the evidence lacks
    snippet_text: NotRequired[str]  # `snippet` as plain text: no entities, no markup
    marks: NotRequired[list[list[int]]]  # [start, end) offsets of the highlighted words in `snippet_text`


class TimelineItem(TypedDict):
    """One event of the case timeline, ordered by `ts` (events without a time last; a day-only event first in its
    day, or at its part of day)."""

    ts: str | None
    description: str
    grounds: list[str]
    evidence_id: str
    segments: list[int]
    filename: str | None
    type: str | None
    ts_precision: NotRequired[str | None]  # month | day | minute | second
    ts_part_of_day: NotRequired[str]
    ts_label: NotRequired[str | None]  # "2023. 12. 25. (밤)": the time as the evidence states it
    refers_to: NotRequired[InferredDate]  # a relative date in the message ("어제 밤"), resolved and marked inferred
    refers_to_label: NotRequired[str | None]  # "2024. 3. 9. (밤) (추정)"


class AskCitation(TypedDict):
    evidence_id: str
    seq: int
    snippet: str


class AskAnswer(TypedDict):
    """An answer from the case's evidence only, or exactly NO_ANSWER with no citations."""

    answer: str
    citations: list[AskCitation]


class RiskSegmentDoc(TypedDict):
    seq: int
    text: str  # a snippet of the segment
    ts: str | None
    speaker: str | None


class RiskDoc(TypedDict):
    """A label that favours the opponent (the client's own act): for the lawyer to see, never a draft ground."""

    evidence_id: str
    filename: str | None
    type: str | None
    ground: str
    tag: str
    confidence: float
    actor: str
    favours: str
    source: str
    segments: list[RiskSegmentDoc]


class DraftSection(TypedDict):
    title: str
    paragraphs: list[str]
    kind: NotRequired[str]
    level: NotRequired[int]


class DraftExhibit(TypedDict):
    """갑 제N호증 (을 제N호증 for a defendant client): one evidence numbered in order of first citation."""

    number: int
    label: str
    evidence_id: str
    filename: str
    type: str
    date: str | None
    type_label: NotRequired[str]
    date_to: NotRequired[str | None]
    parts: NotRequired[list[str]]
    range_label: NotRequired[str]


class DraftCitation(TypedDict):
    label: str
    evidence_id: str
    segments: list[int]
    exhibit: NotRequired[int]
    part: NotRequired[int | None]
    where: NotRequired[str | None]


class DraftDoc(TypedDict):
    """A complaint draft (소장 초안) as the API returns it."""

    draft_id: str
    case_id: str
    draft_text: str
    sections: list[DraftSection]
    exhibits: list[DraftExhibit]
    citations: list[DraftCitation]
    generated_at: str
    heading: NotRequired[dict[str, str]]
    closing: NotRequired[list[str]]
    facts: NotRequired[list[dict[str, Any]]]
    engine: NotRequired[dict[str, Any]]
    options: NotRequired[dict[str, Any]]
    created_by: NotRequired[str]
    created_by_email: NotRequired[str | None]
    evidence_ids: NotRequired[list[str]]
    stale: NotRequired[bool]
    risks: NotRequired[list[RiskDoc]]  # unfavourable evidence shown next to the draft, never inside draft_text
    exhibit_side: NotRequired[str]  # 갑 (the client is the plaintiff) or 을 (a defendant client's 반소장)
    kind: NotRequired[str]  # complaint (소장), counterclaim (반소장) or answer (답변서)
