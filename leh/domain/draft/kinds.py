"""Which pleading a draft is: 소장 (a plaintiff client's complaint), 반소장 (a defendant client's counterclaim) or
답변서 (a defendant client's answer contesting the divorce). The kind follows the client's side unless the lawyer
picks another one the side allows."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from leh.domain.errors import ValidationFailed


class DraftKind(StrEnum):
    COMPLAINT = "complaint"  # 소장: the client is 원고
    COUNTERCLAIM = "counterclaim"  # 반소장: the client is 피고 and wants the divorce too
    ANSWER = "answer"  # 답변서: the client is 피고 and contests the divorce


KIND_VALUES: Final = tuple(k.value for k in DraftKind)
KIND_NAMES: Final[dict[str, str]] = {DraftKind.COMPLAINT: "소장", DraftKind.COUNTERCLAIM: "반소장",
                                     DraftKind.ANSWER: "답변서"}
# What the .docx download is called: (Korean name, ASCII fallback) before "_YYYYMMDD.docx".
DOWNLOAD_NAMES: Final[dict[str, tuple[str, str]]] = {
    DraftKind.COMPLAINT: ("소장초안", "draft"), DraftKind.COUNTERCLAIM: ("반소장초안", "counterclaim_draft"),
    DraftKind.ANSWER: ("답변서초안", "answer_draft"),
}
_DEFENDANT_KINDS: Final = (DraftKind.COUNTERCLAIM, DraftKind.ANSWER)


def default_kind(client_side: str | None) -> DraftKind:
    """소장 for a plaintiff client, 반소장 for a defendant client."""
    return DraftKind.COUNTERCLAIM if client_side == "defendant" else DraftKind.COMPLAINT


def resolve_kind(requested: str | None, client_side: str | None) -> DraftKind:
    """The kind to write: `requested` when the client's side allows it, else the side's default when none was asked.

    A plaintiff client files only a 소장; a defendant client a 반소장 or a 답변서. Any other choice is a 400 that says
    what to do.
    """
    if requested is None or requested == "":
        return default_kind(client_side)
    if requested not in KIND_VALUES:
        raise ValidationFailed("INVALID_DRAFT_KIND")
    kind = DraftKind(requested)
    defendant = client_side == "defendant"
    if kind == DraftKind.ANSWER and not defendant:
        raise ValidationFailed("ANSWER_NEEDS_DEFENDANT_CLIENT")
    if kind == DraftKind.COUNTERCLAIM and not defendant:
        raise ValidationFailed("COUNTERCLAIM_NEEDS_DEFENDANT_CLIENT")
    if kind == DraftKind.COMPLAINT and defendant:
        raise ValidationFailed("COMPLAINT_NEEDS_PLAINTIFF_CLIENT")
    return kind


def kinds_for(client_side: str | None) -> tuple[DraftKind, ...]:
    """The kinds a lawyer may choose for this client: one for a plaintiff, two for a defendant."""
    return _DEFENDANT_KINDS if client_side == "defendant" else (DraftKind.COMPLAINT,)


def kind_of(options: Mapping[str, Any] | None, body: Mapping[str, Any] | None = None) -> DraftKind:
    """A stored draft's kind; drafts made before kinds existed are read by their exhibit side (을: a 반소장)."""
    raw = (options or {}).get("kind") or (body or {}).get("kind")
    if raw in KIND_VALUES:
        return DraftKind(raw)
    return DraftKind.COUNTERCLAIM if (body or {}).get("exhibit_side") == "을" else DraftKind.COMPLAINT


def heading_lines(head: Mapping[str, str]) -> list[str]:
    """The lines under a pleading's title: the pending case's number (a counterclaim or an answer is filed in it),
    the case name, and both sides (an answer names them here), as text and .docx both write them."""
    lines = [f"사    건  {head['case_number']}"] if head.get("case_number") else []
    if head.get("case_name"):
        lines.append(f"사건명  {head['case_name']}")
    lines += [f"{role}  {head[key]}" for key, role in (("plaintiff", "원    고"), ("defendant", "피    고")) if head.get(key)]
    return lines
