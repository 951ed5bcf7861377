"""Who is who in a case (DESIGN.md section 4, "Parties and attribution"): the client, the opponent, the children,
and which side of the complaint the client is on. Pure: validation and the names a pleading uses. No I/O.

Names here are personal data: they never go into logs or the audit log (the audit says which fields changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

# pydantic reads TypedDicts from typing_extensions only on Python < 3.12.
from typing_extensions import TypedDict

from leh.domain.errors import ValidationFailed

MAX_NAME_CHARS: Final = 100
MAX_ALIAS_CHARS: Final = 50
MAX_ALIASES: Final = 20
MAX_CHILDREN: Final = 10
# The speaker-map key for a document's author (segments without a speaker: 진술서, 상담일지, photos, PDFs).
AUTHOR_KEY: Final = "(작성자)"


class Party(StrEnum):
    """Who a speaker is, or who did an act."""

    CLIENT = "client"
    OPPONENT = "opponent"
    THIRD_PARTY = "third_party"
    UNKNOWN = "unknown"


class Favours(StrEnum):
    CLIENT = "client"
    OPPONENT = "opponent"
    NEUTRAL = "neutral"


class ClientSide(StrEnum):
    PLAINTIFF = "plaintiff"  # 원고 (the usual case)
    DEFENDANT = "defendant"  # 피고


PARTY_VALUES: Final = tuple(p.value for p in Party)
# Speaker roles beyond the parties (a speaker map's values, never a label's `actor`): a parent of the opponent or of
# the client. Their acts are a third party's, on that spouse's side (`actor: "third_party"`, `actor_side`).
OPPONENT_PARENT: Final = "opponent_parent"
CLIENT_PARENT: Final = "client_parent"
PARENT_ROLES: Final = {OPPONENT_PARENT: Party.OPPONENT, CLIENT_PARENT: Party.CLIENT}  # role → whose parent
SPEAKER_ROLES: Final = (*PARTY_VALUES, OPPONENT_PARENT, CLIENT_PARENT)


def role_party(role: str) -> str:
    """The party a speaker role stands for: a parent is a third party; a party is itself."""
    return Party.THIRD_PARTY if role in PARENT_ROLES else role


# How the others address a parent: the mother's words and the father's (장모님, 어머님, 엄마 / 장인어른, 아버님, 아빠).
_MOTHER: Final = re.compile(r"^(?:장모|시어머|시모|어머|엄마)")
_FATHER: Final = re.compile(r"^(?:장인|시아버|시부|아버|아빠)")


def parent_kin(addresses: Iterable[str]) -> str:
    """모친 / 부친 from how the others address a parent (the first word of their messages to them), else 부모."""
    words = [w.split()[0] for w in addresses if w.split()]
    mother, father = any(_MOTHER.match(w) for w in words), any(_FATHER.match(w) for w in words)
    return "모친" if mother and not father else "부친" if father and not mother else "부모"


class PersonDoc(TypedDict):
    name: str
    aliases: list[str]


class ChildDoc(TypedDict):
    name: str
    birth_year: int | None


class PartiesDoc(TypedDict):
    """`GET/PUT /api/cases/{id}/parties`: client and opponent are null until the lawyer names them."""

    client: PersonDoc | None
    opponent: PersonDoc | None
    children: list[ChildDoc]
    client_side: str


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Child:
    name: str
    birth_year: int | None = None


@dataclass(frozen=True)
class Parties:
    client: Person | None = None
    opponent: Person | None = None
    children: tuple[Child, ...] = ()
    client_side: str = ClientSide.PLAINTIFF

    @property
    def known(self) -> bool:
        return self.client is not None or self.opponent is not None

    def role(self, party: str) -> str | None:
        """원고 / 피고 for the client and the opponent (by `client_side`), None for anyone else."""
        plaintiff = self.client_side == ClientSide.PLAINTIFF
        if party == Party.CLIENT:
            return "원고" if plaintiff else "피고"
        if party == Party.OPPONENT:
            return "피고" if plaintiff else "원고"
        return None

    def person(self, party: str) -> Person | None:
        return self.client if party == Party.CLIENT else self.opponent if party == Party.OPPONENT else None

    def display(self, party: str) -> str | None:
        """"피고(김준호)" — the role with the name when the lawyer gave one; None for third parties and unknowns."""
        role = self.role(party)
        if role is None:
            return None
        person = self.person(party)
        return f"{role}({person.name})" if person and person.name else role

    def parent_display(self, role: str, name: str, kin: str = "부모") -> str | None:
        """"피고의 모친 권말순" for a speaker whose role is a parent of a party, else None."""
        whose = self.role(PARENT_ROLES[role]) if role in PARENT_ROLES else None
        return f"{whose}의 {kin} {name}".strip() if whose else None

    def to_dict(self) -> dict[str, Any]:
        def person(p: Person | None) -> dict[str, Any] | None:
            return None if p is None else {"name": p.name, "aliases": list(p.aliases)}

        return {"client": person(self.client), "opponent": person(self.opponent),
                "children": [{"name": c.name, "birth_year": c.birth_year} for c in self.children],
                "client_side": str(self.client_side)}


def other(party: str) -> str:
    """The other spouse: client ↔ opponent; anyone else has no "other"."""
    if party == Party.CLIENT:
        return Party.OPPONENT
    if party == Party.OPPONENT:
        return Party.CLIENT
    return Party.UNKNOWN


# ------------------------------------------------------------------ validation
def _name(value: Any, *, code: str, message: str, limit: int = MAX_NAME_CHARS) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        raise ValidationFailed(code, message)
    return " ".join(value.split())


def _person(raw: Any, who: str) -> Person | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValidationFailed("INVALID_PARTY", f"{who} 정보는 이름(name)과 별칭 목록(aliases)으로 입력해주세요.")
    name = _name(raw.get("name"), code="INVALID_PARTY_NAME", message=f"{who}의 이름을 1~{MAX_NAME_CHARS}자로 입력해주세요.")
    aliases_raw = raw.get("aliases") or []
    if not isinstance(aliases_raw, list) or len(aliases_raw) > MAX_ALIASES:
        raise ValidationFailed("INVALID_ALIASES", f"별칭은 {MAX_ALIAS_CHARS}자 이하로 최대 {MAX_ALIASES}개까지 입력해주세요.")
    aliases: list[str] = []
    for a in aliases_raw:
        alias = _name(a, code="INVALID_ALIASES", limit=MAX_ALIAS_CHARS,
                      message=f"별칭은 {MAX_ALIAS_CHARS}자 이하로 최대 {MAX_ALIASES}개까지 입력해주세요.")
        if alias != name and alias not in aliases:
            aliases.append(alias)
    return Person(name, tuple(aliases))


def _child(raw: Any) -> Child:
    message = "자녀(사건본인)의 이름과 출생연도(예: 2015)를 확인해주세요."
    if not isinstance(raw, dict):
        raise ValidationFailed("INVALID_CHILD", message)
    name = _name(raw.get("name"), code="INVALID_CHILD", message=message)
    year = raw.get("birth_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 1900 <= year <= datetime.now(UTC).year):
        raise ValidationFailed("INVALID_CHILD", message)
    return Child(name, year)


def parse_parties(raw: Any) -> Parties:
    """A validated `Parties` from the API's JSON; every problem is a 400 with its own code and Korean message."""
    if not isinstance(raw, dict):
        raise ValidationFailed("INVALID_PARTY", "당사자 정보는 client, opponent, children, client_side 항목으로 입력해주세요.")
    client = _person(raw.get("client"), "의뢰인")
    opponent = _person(raw.get("opponent"), "상대방")
    if client and opponent:
        shared = set(client.names()) & set(opponent.names())
        if shared:
            raise ValidationFailed("AMBIGUOUS_PARTY_NAME",
                                   "같은 이름이나 별칭이 의뢰인과 상대방에 모두 있습니다. 한쪽에서 지워주세요.")
    children_raw = raw.get("children") or []
    if not isinstance(children_raw, list) or len(children_raw) > MAX_CHILDREN:
        raise ValidationFailed("INVALID_CHILD", f"자녀(사건본인)는 최대 {MAX_CHILDREN}명까지 입력해주세요.")
    side = raw.get("client_side") or ClientSide.PLAINTIFF
    if side not in {s.value for s in ClientSide}:
        raise ValidationFailed("INVALID_CLIENT_SIDE",
                               "의뢰인의 지위는 plaintiff(원고) 또는 defendant(피고) 중 하나로 입력해주세요.")
    return Parties(client, opponent, tuple(_child(c) for c in children_raw), ClientSide(side))


def changed_fields(before: Parties, after: Parties) -> list[str]:
    """Which fields a change touched ("client.name", "children" …): what the audit records instead of names."""
    out: list[str] = []
    for who in ("client", "opponent"):
        a, b = getattr(before, who), getattr(after, who)
        if (a and a.name) != (b and b.name):
            out.append(f"{who}.name")
        if (a.aliases if a else ()) != (b.aliases if b else ()):
            out.append(f"{who}.aliases")
    if before.children != after.children:
        out.append("children")
    if before.client_side != after.client_side:
        out.append("client_side")
    return out

