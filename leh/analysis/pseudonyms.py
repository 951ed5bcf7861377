"""Names never leave the machine: people's names ↔ stable per-case pseudonyms, for every outbound AI request.

The client and the opponent are called by their roles in the pleading (`Parties.role`: 원고/피고, swapped
when the client is the defendant — the model reads the case as the court will), the children 자녀1, 자녀2 … in
the order the lawyer entered them, and every other person LEH can recognise — speakers, names Kiwi tags as proper
nouns (NNP) — 인물1, 인물2 … in the order the case first saw them (`person_names`). The same list gives the same
pseudonyms, so a case's requests (analysis, embeddings, questions, drafts) all call a person the same way, and a
question's vector matches the evidence's.

`pseudonymize` masks numbers first (`mask_text`: 주민번호, phone, card, account …) and then replaces each name or
alias where it stands as a word, keeping the particle attached to it ("홍길동이" → "원고이", "길동아" → "원고아",
"영희씨" → "인물1씨"); a name inside another word is left alone. `restore` turns the pseudonyms in what the model
wrote back into names, re-choosing a one-syllable particle for the name ("원고가" → "홍길동이"). The mapping is
built in memory from the case's data each time and is never logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from leh.analysis.masking import mask_text
from leh.analysis.summary import josa
from leh.domain.parties import Parties, Party

# What may follow a name inside the same word: particles and forms of address ("영희씨가", "길동이한테").
_PARTICLES: Final = ("이", "가", "은", "는", "을", "를", "의", "에", "께", "와", "과", "랑", "하고", "도", "만", "아", "야",
                     "씨", "님", "였", "다", "로", "으로", "까지", "부터", "보다", "처럼", "나", "네", "고", "요", "한테",
                     "더러", "뿐", "조차", "마저", "측", "쪽")
# After a name only: the copula ("준호인데", "지은입니다"), quoting ("지은이라고") and titles and kinship words
# written onto it ("하늘엄마", "지훈팀장"). Not after a pseudonym in a reply: "피고인" is the accused, not 피고.
_NAME_SUFFIXES: Final = ("인", "입", "임", "라", "란", "께서", "에서", "거", "꺼", "것", "오빠", "언니", "누나", "형", "엄마",
                         "아빠", "쌤", "선생", "이모", "삼촌", "팀장", "과장", "부장", "대리", "사장", "선배", "후배")
_AFTER: Final = "(?=$|[^가-힣A-Za-z0-9]|" + "|".join(sorted(_PARTICLES, key=len, reverse=True)) + ")"
_AFTER_NAME: Final = "(?=$|[^가-힣A-Za-z0-9]|" + "|".join(sorted(_PARTICLES + _NAME_SUFFIXES, key=len, reverse=True)) + ")"
_BEFORE: Final = "(?<![가-힣A-Za-z0-9])"
_PAIRS: Final = {"이": "이/가", "가": "이/가", "은": "은/는", "는": "은/는", "을": "을/를", "를": "을/를",
                 "와": "과/와", "과": "과/와"}
# Words that name a role, not a person: an alias like "남편" stays as written (it says nothing about who).
ROLE_WORDS: Final = frozenset({
    "남편", "아내", "와이프", "신랑", "신부", "마누라", "배우자", "여보", "자기", "당신", "엄마", "아빠", "어머니", "아버지",
    "오빠", "언니", "누나", "형", "동생", "아들", "딸", "시어머니", "시아버지", "장모", "장인", "원고", "피고", "의뢰인",
    "상대방"})
# Proper nouns Kiwi tags NNP that are places, services and institutions rather than people.
NOT_PEOPLE: Final = frozenset({
    "카카오톡", "카톡", "카카오", "네이버", "구글", "유튜브", "인스타", "인스타그램", "페이스북", "쿠팡", "토스", "삼성",
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "제주", "강남", "한국", "대한민국",
    "일본", "미국", "중국", "법원", "가정법원", "경찰", "경찰서"})
_SURNAMES: Final = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부황")
_HANGUL: Final = re.compile(r"[가-힣]+")
_LABEL: Final = re.compile(r"화자\d+")
_QUOTED: Final = re.compile(r"(?<=“)([^”]*)(?=”)")


def _variants(name: str) -> list[str]:
    """A name and, for a three-syllable Korean name, its given name ("홍길동" → "길동"): how people call each other."""
    name = " ".join(name.split())
    out = [name]
    if len(name) == 3 and _HANGUL.fullmatch(name) and name[0] in _SURNAMES:
        out.append(name[1:])
    return out


class Pseudonymizer:
    """One case's names ↔ pseudonyms (see the module docstring); the `Pseudonyms` port."""

    def __init__(self, people: Sequence[tuple[str, Sequence[str]]]):
        """`people`: (pseudonym, names) pairs; the first name is how a restored pseudonym is written."""
        self._to_pseudonym: dict[str, str] = {}
        self._to_name: dict[str, str] = {}
        for pseudonym, names in people:
            kept = [n for n in dict.fromkeys(" ".join(n.split()) for n in names) if n and n not in self._to_pseudonym]
            if not kept:
                continue
            self._to_name.setdefault(pseudonym, kept[0])
            for n in kept:
                self._to_pseudonym[n] = pseudonym
        names_by_len = sorted(self._to_pseudonym, key=len, reverse=True)
        self._names = (re.compile(_BEFORE + "(" + "|".join(map(re.escape, names_by_len)) + ")" + _AFTER_NAME)
                       if names_by_len else None)
        alts = "|".join(sorted(map(re.escape, self._to_name), key=len, reverse=True))
        self._pseudonyms = (re.compile(_BEFORE + f"({alts})(?!\\d)(?:([이가은는을를와과])(?![가-힣]))?" + _AFTER)
                            if alts else None)

    @classmethod
    def build(cls, parties: Parties | None, others: Iterable[str] = ()) -> Pseudonymizer:
        """Parties first (원고/피고, 자녀N), then every other name in the order given (인물N)."""
        parties = parties or Parties()
        people: list[tuple[str, list[str]]] = []
        taken: set[str] = set()
        for party in (Party.CLIENT, Party.OPPONENT):
            person, role = parties.person(party), parties.role(party)
            if person is None or role is None:
                continue
            names = [v for n in person.names() if n not in ROLE_WORDS for v in _variants(n)]
            people.append((role, names))
            taken.update(names)
        for i, child in enumerate(parties.children, start=1):
            names = _variants(child.name)
            people.append((f"자녀{i}", names))
            taken.update(names)
        n = 0
        for name in dict.fromkeys(" ".join(o.split()) for o in others):
            if not name or name in taken or name in ROLE_WORDS or _LABEL.fullmatch(name):
                continue  # recordings' 화자N labels are not names
            names = [v for v in _variants(name) if v not in taken]
            if not names:
                continue
            n += 1
            people.append((f"인물{n}", names))
            taken.update(names)
        return cls(people)

    @property
    def names(self) -> list[str]:
        return list(self._to_pseudonym)

    def pseudonym_of(self, name: str) -> str | None:
        return self._to_pseudonym.get(" ".join(name.split()))

    def name_of(self, pseudonym: str) -> str | None:
        return self._to_name.get(pseudonym)

    def pseudonymize(self, text: str) -> str:
        masked = mask_text(text)
        return self._names.sub(lambda m: self._to_pseudonym[m.group(1)], masked) if self._names else masked

    def speaker(self, name: str | None) -> str:
        """How a speaker is labelled in a request: the pseudonym, a recording's own 화자N label, or nothing."""
        if not name:
            return ""
        return self.pseudonym_of(name) or (name if _LABEL.fullmatch(name) else self.pseudonymize(name))

    def restore(self, text: str, originals: Sequence[str] = ()) -> str:
        """Names for pseudonyms; a quotation (“…”) of words sent from `originals` comes back as the evidence wrote it
        ("하늘이" stays "하늘이", not the child's full name), its numbers still masked."""
        if self._pseudonyms is None:
            return text
        if not originals or "“" not in text:
            return self._restore(text)
        out: list[str] = []
        for i, part in enumerate(_QUOTED.split(text)):
            if i % 2:  # the words between “ and ”
                out.append(self._unquote(part, originals) or self._restore(part))
            else:
                out.append(self._restore(part))
        return "".join(out)

    def _restore(self, text: str) -> str:
        assert self._pseudonyms is not None

        def put_back(m: re.Match[str]) -> str:
            name, particle = self._to_name[m.group(1)], m.group(2)
            return josa(name, _PAIRS[particle]) if particle else name

        return self._pseudonyms.sub(put_back, text)

    def _pieces(self, text: str) -> list[tuple[str, str]]:
        """(as sent, as written) pieces of a masked text: names and their pseudonyms, and the words between."""
        masked = mask_text(text)
        out: list[tuple[str, str]] = []
        pos = 0
        for m in self._names.finditer(masked) if self._names else ():
            out += [(masked[pos:m.start()],) * 2, (self._to_pseudonym[m.group(1)], m.group(1))]
            pos = m.end()
        out.append((masked[pos:],) * 2)
        return out

    def _unquote(self, quote: str, originals: Sequence[str]) -> str | None:
        """The original words of a quotation of what was sent, or None (not found, or cut through a name)."""
        for original in originals:
            pieces = self._pieces(original)
            start = "".join(sent for sent, _ in pieces).find(quote)
            if start < 0 or not quote:
                continue
            end, pos, out = start + len(quote), 0, []
            for sent, written in pieces:
                a, b = pos, pos + len(sent)
                pos = b
                lo, hi = max(a, start), min(b, end)
                if lo >= hi:
                    continue
                if sent == written:
                    out.append(sent[lo - a:hi - a])
                elif (lo, hi) == (a, b):
                    out.append(written)
                else:
                    return None
            return "".join(out)
        return None


def person_names(texts: Sequence[str], speakers: Iterable[str | None] = ()) -> list[str]:
    """Who a set of texts names, in order of first appearance: the speakers, then Kiwi's people-like proper nouns.

    Kiwi splits some full names ("김영|희", "박|지훈"): a proper noun joined without a gap to another proper noun or
    to a one-syllable noun is read as one name. Places and services (`NOT_PEOPLE`) and role words are not names.
    """
    from leh.analysis.morph import morphs_many

    out: dict[str, None] = {}
    for s in speakers:
        if s and s.strip() and s not in ROLE_WORDS and not _LABEL.fullmatch(s):
            out.setdefault(" ".join(s.split()), None)
    for ms in morphs_many(list(texts)):
        i = 0
        while i < len(ms):
            m = ms[i]
            if m.tag != "NNP":
                i += 1
                continue
            form, end, j = m.form, m.end, i + 1
            while (j < len(ms) and ms[j].start == end and len(form) < 4
                   and (ms[j].tag == "NNP" or (ms[j].tag == "NNG" and len(ms[j].form) == 1 and len(form) == 2))):
                form, end, j = form + ms[j].form, ms[j].end, j + 1
            i = j
            if 2 <= len(form) <= 4 and _HANGUL.fullmatch(form) and form not in NOT_PEOPLE and form not in ROLE_WORDS:
                out.setdefault(form, None)
    return list(out)


class LocalPseudonyms:
    """The `PseudonymSource` without a case behind it: the names in the request itself (speakers and Kiwi's)."""

    def for_case(self, case_id: str | None, *, texts: Sequence[str] = (), speakers: Iterable[str | None] = (),
                 evidence_id: str | None = None) -> Pseudonymizer:
        return Pseudonymizer.build(None, person_names(texts, speakers))
