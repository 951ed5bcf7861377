"""The label set of DESIGN.md section 4: the six divorce grounds of 민법 제840조 and their fine tags. Pure data.

A label names a fact found in the evidence ("폭언", "외도"), filed under the ground it is relevant to; it is never a
legal conclusion that the ground is established.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Ground:
    id: str
    name: str  # the statute's words
    short: str  # how lawyers call it
    tags: tuple[str, ...]


GROUNDS: Final[tuple[Ground, ...]] = (
    Ground("840-1", "배우자에 부정한 행위가 있었을 때", "부정행위", ("외도", "부적절한 만남", "숙박")),
    Ground("840-2", "배우자가 악의로 다른 일방을 유기한 때", "악의의 유기", ("가출", "생활비 미지급", "동거 거부", "축출")),
    Ground("840-3", "배우자 또는 그 직계존속으로부터 심히 부당한 대우를 받았을 때", "배우자 등의 부당대우",
           ("폭언", "폭행", "협박", "모욕", "시댁 부당대우", "처가 부당대우")),
    Ground("840-4", "자기의 직계존속이 배우자로부터 심히 부당한 대우를 받았을 때", "직계존속에 대한 부당대우",
           ("부모에 대한 폭언", "부모에 대한 폭행")),
    Ground("840-5", "배우자의 생사가 3년 이상 분명하지 아니한 때", "생사불명", ("연락 두절", "실종")),
    Ground("840-6", "기타 혼인을 계속하기 어려운 중대한 사유가 있을 때", "기타 중대한 사유",
           ("도박", "알코올", "경제적 갈등", "성격 차이", "계속적 불화", "게임 중독", "종교 갈등")),
)

GROUND_IDS: Final[tuple[str, ...]] = tuple(g.id for g in GROUNDS)
_BY_ID: Final[dict[str, Ground]] = {g.id: g for g in GROUNDS}
TAG_GROUND: Final[dict[str, str]] = {tag: g.id for g in GROUNDS for tag in g.tags}


def is_ground(value: str) -> bool:
    return value in _BY_ID


def ground(ground_id: str) -> Ground:
    """The ground with this id; KeyError for anything outside 840-1 … 840-6."""
    return _BY_ID[ground_id]


def ground_of_tag(tag: str) -> str:
    """The ground a fine tag belongs to; KeyError for an unknown tag."""
    return TAG_GROUND[tag]
