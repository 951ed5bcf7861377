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
    "AnalysisInfo", "AskAnswer", "AskCitation", "DraftCitation", "DraftDoc", "DraftExhibit", "DraftSection",
    "ErrorInfo", "EvidenceDetail", "EvidenceDoc", "LabelDoc", "PublicEvidenceDoc", "SearchHitDoc", "SegmentDoc",
    "SegmentRef", "StatusChange", "TimelineEventDoc", "TimelineItem", "WarningInfo",
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


class SegmentDoc(TypedDict):
    """One message, paragraph, OCR line or stretch of speech; `kind` is speech, system or text."""

    seq: int
    text: str
    ts: str | None
    speaker: str | None
    ref: SegmentRef
    kind: str
    ts_precision: NotRequired[str]  # day | minute | second


class LabelDoc(TypedDict):
    """A divorce ground (민법 제840조) found in the evidence, with the segments that support it."""

    ground: str
    tag: str
    confidence: float
    segments: list[int]
    actor: NotRequired[str]  # client | opponent | third_party | unknown: who did the act
    favours: NotRequired[str]  # client | opponent | neutral
    source: NotRequired[str]  # engine | lawyer


class TimelineEventDoc(TypedDict):
    """One dated event of an evidence's own timeline."""

    ts: str | None
    description: str
    grounds: list[str]
    segments: list[int]


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


class EvidenceDoc(TypedDict):
    """The evidence document the evidence store keeps, one per evidence (DESIGN.md section 4)."""

    case_id: str
    evidence_id: str
    filename: str
    sha256: str | None
    size: int
    type: str  # EvidenceType
    status: str  # EvidenceStatus
    stage: str | None  # Stage
    progress: float
    attempts: int
    error: ErrorInfo | None
    status_history: list[StatusChange]
    uploaded_by: str
    uploaded_at: str
    processed_at: str | None
    object_key: str
    segments: list[SegmentDoc]
    labels: list[LabelDoc]
    summary: str | None
    insights: list[str]
    speakers: list[str]
    event_time: str | None
    timeline: list[TimelineEventDoc]
    warnings: NotRequired[list[WarningInfo]]  # absent on documents processed before warnings existed
    worker_id: NotRequired[str | None]  # the worker holding it while `processing`
    parse_meta: NotRequired[dict[str, Any]]  # what the parser measured (format, counts, engine …)
    analysis: NotRequired[AnalysisInfo]
    duplicate_of: NotRequired[str]  # the earlier evidence with identical content in the case
    speakers_map: NotRequired[dict[str, str]]  # speaker -> client | opponent | third_party | unknown
    mime: NotRequired[str]  # the content type the worker detected from the bytes (how the original is served)


class PublicEvidenceDoc(EvidenceDoc):
    """An evidence list item in the API: the document plus `id` (= `evidence_id`)."""

    id: str


class EvidenceDetail(PublicEvidenceDoc):
    """`GET /api/evidence/{id}`: the document plus a short-lived `download_url` of the original."""

    download_url: str


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


class TimelineItem(TypedDict):
    """One event of the case timeline, ordered by `ts` (events without a time last)."""

    ts: str | None
    description: str
    grounds: list[str]
    evidence_id: str
    segments: list[int]
    filename: str | None
    type: str | None


class AskCitation(TypedDict):
    evidence_id: str
    seq: int
    snippet: str


class AskAnswer(TypedDict):
    """An answer from the case's evidence only, or exactly NO_ANSWER with no citations."""

    answer: str
    citations: list[AskCitation]


class DraftSection(TypedDict):
    title: str
    paragraphs: list[str]
    kind: NotRequired[str]
    level: NotRequired[int]


class DraftExhibit(TypedDict):
    """갑 제N호증: one evidence numbered in order of first citation."""

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
