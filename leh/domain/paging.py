"""Paging of every list LEH answers with: an offset and a limit, checked against a maximum, and where the next
page starts.

A list never answers with everything: each request names (or defaults) a page, a limit above the maximum is
refused with `PAGE_LIMIT_TOO_LARGE` (400) rather than silently clamped, so a client that asks for 10,000 rows
learns that it gets at most the maximum and has to follow `next`.
"""

# No `from __future__ import annotations` here: TypedDict must see NotRequired when the class is made.
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from typing_extensions import TypedDict

from leh.domain.errors import ValidationFailed

T = TypeVar("T")

__all__ = ["PageInfo", "PageRequest", "cut", "info", "page_request"]


class PageInfo(TypedDict):
    """`meta.page` of a list answer: the page asked for, how many items there are in all, where the next page
    starts (`next`, the offset to ask for; null on the last page)."""

    offset: int
    limit: int
    total: int | None  # null where counting would cost what paging saves (search: the index ranks, it does not count)
    next: int | None


@dataclass(frozen=True)
class PageRequest:
    offset: int
    limit: int

    @property
    def end(self) -> int:
        return self.offset + self.limit


def page_request(offset: int | None, limit: int | None, *, default: int, maximum: int) -> PageRequest:
    """A checked page: offset ≥ 0, 1 ≤ limit ≤ maximum (default when not given)."""
    off = 0 if offset is None else offset
    lim = default if limit is None else limit
    if off < 0:
        raise ValidationFailed("INVALID_PAGE", "offset은 0 이상의 정수로 지정해주세요.")
    if lim < 1:
        raise ValidationFailed("INVALID_PAGE", "limit은 1 이상의 정수로 지정해주세요.")
    if lim > maximum:
        raise ValidationFailed("PAGE_LIMIT_TOO_LARGE",
                               f"한 번에 최대 {maximum}개까지 받을 수 있습니다. limit을 {maximum} 이하로 지정하고, "
                               "나머지는 응답의 next(다음 offset)로 이어서 요청해주세요.")
    return PageRequest(off, min(lim, maximum))


def info(page: PageRequest, total: int | None, *, has_more: bool | None = None) -> PageInfo:
    """The page's `meta.page`; `has_more` for lists whose total is not counted."""
    more = (page.end < total) if total is not None else bool(has_more)
    return {"offset": page.offset, "limit": page.limit, "total": total, "next": page.end if more else None}


def cut(items: Sequence[T], page: PageRequest) -> tuple[list[T], PageInfo]:
    """One page of an in-memory list and its `meta.page`."""
    return list(items[page.offset:page.end]), info(page, len(items))
