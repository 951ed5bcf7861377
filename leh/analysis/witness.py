"""Whether someone saw an act: "아이가 9월 13일 일을 목격했는지", "그 일을 아들이 보았다는 자료가 있나요", "남편이
동료 여성과 손잡고 있는 걸 본 사람이 있는지".

The evidence tells it by the witness and a seeing verb, rarely with the question's words: "하온이는 9월 13일 일을
보았습니다", "도율이가 다 봤어" (after "어젯밤엔 술이 너무 들어가서 그랬어"), "딸이 방문 앞에서 그것을 보았습니다".
A line answers when, read by meaning:

- it tells of seeing as done: a seeing verb (보, 지켜보, 목격하; Kiwi lemmas) in the past, not negated (못 봤어, 보지
  못했다, 본 적 없다), not a question, not a condition or an intent;
- the witness asked is the one who saw: the word asked or a word of the same person (아이 ~ 딸/아들/애, and the child's
  given name the case gives: 하온이), written as the clause's subject before the verb; "본 사람이 있는지" asks anyone;
- what was seen is the act asked: the question's act words (Kiwi lemmas) or, for an art. 840 kind ("폭력", "때리는
  걸"), its signs (`whether.KINDS`), in the line; or the line sees it by a pro-form ("다 봤어", "그것을", "그 장면을")
  and the act or the asked date is in the line it follows (the message it answers, the document line itself).

Not a witness question: an act done before someone ("딸이 보는 앞에서 폭언했는지": the act is asked), a person seen
("아들 얼굴은 봤나요"), a party asked as the witness (the client's own account answers that as before). Pure: the
caller gives the passages, the lines they follow and the names of the case's roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from leh.analysis.answer import Passage
from leh.analysis.concepts import PERSON_NAME, name_forms
from leh.analysis.morph import Morph, morphs
from leh.analysis.question import DateRange, text_dates
from leh.analysis.relations import CHILD_ROLE_WORDS
from leh.analysis.whether import KINDS, Kind, stem_text

MAX_SHOWN: Final = 5
_SEE_LEMMAS: Final = frozenset({"보", "지켜보", "목격"})
# an act done in front of someone is the act asked ("딸이 보는 앞에서 폭언했는지"), not whether they saw it
_BEFORE: Final = re.compile(r"\s*(?:앞|데|자리|가운데|곳)")
_ANYONE: Final = re.compile(r"(?:본|봤던|보았던|목격한)\s*(?:사람|이|분|자)|목격자|누가\s*(?:봤|보았|목격)")
_PARTIES: Final = frozenset({"남편", "아내", "와이프", "배우자", "피고", "원고", "상대방", "의뢰인", "본인", "신랑", "집사람", "나", "저"})
# persons a question may ask as the witness, with the words the evidence uses for the same person
_PERSON_WORDS: Final[dict[str, tuple[str, ...]]] = {
    **{w: ws for w, ws in CHILD_ROLE_WORDS.items()},
    "애기": ("딸", "아들", "아이", "애", "애기"), "큰딸": ("큰딸", "딸"), "작은딸": ("작은딸", "딸"),
    "큰아들": ("큰아들", "아들"), "작은아들": ("작은아들", "아들"),
    "처남": ("처남",), "처제": ("처제",), "처형": ("처형",), "시누이": ("시누이", "시누"), "언니": ("언니",),
    "오빠": ("오빠",), "동생": ("동생",), "이웃": ("이웃", "옆집"), "친구": ("친구",),
    "시어머니": ("시어머니", "어머님", "시모"), "시아버지": ("시아버지", "아버님", "시부"), "장모": ("장모", "장모님"),
    "장인": ("장인", "장인어른"), "어머니": ("어머니", "엄마", "모친"), "아버지": ("아버지", "아빠", "부친"),
}
# what an act asked is written with, and no act of its own
_GENERIC: Final = frozenset({"일", "것", "거", "장면", "사건", "모습", "자료", "사실", "적", "정황", "증거", "기록", "내용", "확인",
                             "직접", "그", "이", "저", "하", "있", "되", "없", "보", "목격", "지켜보", "사람", "여부", "때", "날",
                             "바", "경우", "말", "번", "적이", "실제", "혹시", "당시", "현장", "광경", "것이"})
_PRO_SEEN: Final = re.compile(r"(?<![가-힣])(?:다|모두|전부|그것|그걸|그거|(?:그\s*)?(?:장면|모습|광경|일|상황|사건))(?:을|를|도)?\s*"
                              r"(?:\S+\s+){0,2}?(?:봤|보았|보고|지켜|목격)")
_SUBJECT_ENDINGS: Final = ("이가", "이는", "께서", "가", "는", "은", "이")
_SUBJECT_PARTICLE: Final = re.compile(r"(?:이가|이는|이도|이|가|는|은|도|께서)(?![가-힣])")


@dataclass(frozen=True)
class Witness:
    """A witness question: who is asked to have seen it (None: anyone), and the act asked as seen."""

    forms: tuple[str, ...]  # words for the witness ("아이" → 딸, 아들, 애 …); empty: anyone
    lemmas: frozenset[str]  # the act's content lemmas (손, 잡); empty: the date or the kind says it
    kinds: tuple[Kind, ...]  # art. 840 kinds of the act (폭력 → 폭행): their signs show it
    anyone: bool = False
    verbs: frozenset[str] = frozenset()  # the act's verbs among its lemmas (손잡): each must be written
    unnamed_child: bool = False  # a child asked whom the case names nowhere with a child word: "하온이는" may be them


def _see_at(ms: Sequence[Morph]) -> int | None:
    """The index of the question's seeing verb (보 VV, 지켜보 VV, 목격 NNG + 하), or None."""
    for i, m in enumerate(ms):
        if (m.tag == "VV" and m.form in ("보", "지켜보")) or (m.tag == "NNG" and m.form == "목격"):
            if m.form == "보" and i > 0 and ms[i - 1].tag == "EC" and ms[i - 1].form in ("어", "아"):
                continue  # "만나 보았나요": an auxiliary, no seeing
            return i
    return None


def read_witness(question: str, roles: Mapping[str, Sequence[str]] | None = None) -> Witness | None:
    """The witness question's parts, or None when the question asks no one to have seen an act."""
    ms = morphs(question)
    at = _see_at(ms)
    if at is None:
        return None
    see = ms[at]
    if _BEFORE.match(question[see.end:].lstrip("는은ᆫ")) or re.match(r"[는은]?\s*(?:앞|데|자리)", question[see.end:]):
        return None
    anyone = bool(_ANYONE.search(question))
    who: str | None = None
    span = (0, 0)
    if not anyone:
        # the witness: a person word (or a name) as a subject in the question, the nearest before the seeing verb
        known = {f for names in (roles or {}).values() for n in names for f in name_forms(n)}
        for tm in re.finditer(r"\S+", question[:see.start]):
            token = tm.group(0)
            bases = [token[:-len(e)] for e in _SUBJECT_ENDINGS if token.endswith(e) and len(token) > len(e)]
            if any(b in _PARTIES for b in bases):
                continue  # "남편이 아내를 때리는 걸 처남이": the doer of the act seen
            person = next((b for b in bases if b in _PERSON_WORDS or b in (roles or {}) or b in known
                           or PERSON_NAME.fullmatch(b)), None)
            if person:
                who, span = person, (tm.start(), tm.end())
        if who is None:
            return None
    roles = roles or {}
    forms: list[str] = []
    if who:
        forms += _PERSON_WORDS.get(who, (who,))
        for role in {who, *_PERSON_WORDS.get(who, ())}:
            for n in roles.get(role, ()):
                forms += name_forms(n) + ([f"{n}이"] if len(n) == 2 else [])
        if PERSON_NAME.fullmatch(who):
            forms += name_forms(who)
        elif who not in _PERSON_WORDS and len(who) == 2:
            forms.append(f"{who}이")  # a given name: "하온이가"
    # the act seen: the question before the seeing verb, without the witness
    act = [m for m in ms if m.tag.split("-")[0] in ("NNG", "VV", "VA", "XR") and m.form not in _GENERIC
           and m.form not in _PARTIES and m.form not in forms and m.form != who and m.start < see.start
           and not span[0] <= m.start < span[1]]
    lemmas = frozenset(m.form for m in act)
    verbs = frozenset(m.form for m in act if m.tag.startswith(("VV", "VA")))
    act_text = question[:see.start]
    kinds = tuple(k for k in KINDS if k.asked.search(act_text))
    unnamed = who in CHILD_ROLE_WORDS and not any(roles.get(r) for r in CHILD_ROLE_WORDS)
    return Witness(forms=tuple(dict.fromkeys(forms)), lemmas=lemmas, kinds=kinds, anyone=anyone, verbs=verbs,
                   unnamed_child=unnamed)


def _seen_done(ms: Sequence[Morph]) -> list[Morph]:
    """The seeing verbs of a line told as done: in the past, not negated, not a condition."""
    out: list[Morph] = []
    for i, m in enumerate(ms):
        if m.form not in _SEE_LEMMAS or m.tag not in ("VV", "NNG"):
            continue
        if m.form == "보" and i > 0 and ms[i - 1].tag == "EC" and ms[i - 1].form in ("어", "아", "여"):
            continue  # "해 봤어": an auxiliary
        tail = ms[i + 1:i + 6]
        if m.tag == "NNG":  # 목격 + 하/했
            if not tail or tail[0].form != "하":
                continue
            tail = tail[1:]
        before = ms[i - 1] if i > 0 else None
        if before is not None and before.tag == "MAG" and before.form in ("못", "안"):
            continue  # "못 봤어"
        past = False
        negated = False
        for t in tail:
            if (t.tag == "EP" and t.form in ("었", "았", "였")) or (t.tag == "ETM" and t.form in ("ᆫ", "은")):
                past = True
            elif t.tag in ("VX", "VA") and t.form in ("않", "못하", "없"):
                negated = True
            elif t.tag == "NNB" and t.form == "적":
                continue
            elif t.tag == "EC" and t.form in ("면", "으면", "려고", "려", "러"):
                negated = True  # a condition or an intent
            elif not t.tag.startswith(("E", "J", "VX", "NNB", "XS", "VCP", "SF", "SP")):
                break
        if past and not negated:
            out.append(m)
    return out


# a given name with its 이 as a subject ("하온이는", "시우이가" is no Korean): how a child is called in the evidence
_GIVEN_NAME_SUBJECT: Final = re.compile(r"(?<![가-힣])([가-힣]{2})이(?:가|는|도)(?![가-힣])")


def _witness_subject(w: Witness, text: str, see: Morph, adults: Collection[str] = ()) -> bool:
    """The witness is written as a subject before the seeing verb; a child the case does not name by a child word
    may be written by a given name with 이 that is no adult's of the case."""
    head = text[:see.start]
    for form in sorted(w.forms, key=len, reverse=True):
        for m in re.finditer(rf"(?<![가-힣]){re.escape(form)}", head):
            if _SUBJECT_PARTICLE.match(head[m.end():]):
                return True
    if w.unnamed_child:
        return any(m.group(1) not in adults and m.group(1) not in _PERSON_WORDS and not m.group(1).endswith("이")
                   and (ord(m.group(1)[-1]) - 0xAC00) % 28 for m in _GIVEN_NAME_SUBJECT.finditer(head))
    return False


def _act_in(w: Witness, text: str, ms: Sequence[Morph]) -> bool:
    """The act asked is written in the text: one of its lemmas (a verb if it has any) or a sign of its kind."""
    if w.kinds and any(k.signs.search(text) or k.signs.search(stem_text(ms)) for k in w.kinds):
        return True  # "밀쳤고": a sign in any conjugation
    if not w.lemmas:
        return False
    content = [m for m in ms if m.tag.startswith(("NN", "VV", "VA", "XR"))]
    have = {m.form for m in content} | {a.form + b.form for a, b in zip(content, content[1:], strict=False)}  # 손 잡 ~ 손잡
    if w.verbs:
        return w.verbs <= have
    return len(w.lemmas & have) >= max(1, (len(w.lemmas) + 1) // 2)


def _on_date(date: DateRange | None, p: Passage | None) -> bool:
    if date is None or p is None:
        return False
    days = list(p.days())
    if p.refers is not None:
        days.append(p.refers)
    if p.is_document and not days:  # "2월 3일 일을" in a document that gives no year: the asked year, or any
        days = text_dates(p.focus or p.text, date.year or 2000)
    return any(date.contains(*d) for d in days)


def witnessed(w: Witness, passages: Sequence[Passage], date: DateRange | None = None,
              before: Callable[[Passage], Passage | None] | None = None, adults: Collection[str] = ()) -> list[Passage]:
    """The lines that tell the witness saw the act, in the evidence's order; `before` gives the line a message
    follows (what "다 봤어" refers to); `adults`: the given names of the case's writers and parties."""
    out: list[Passage] = []
    for p in passages:
        text = p.focus or p.text
        if not any(s in text for s in ("보", "봤", "목격", "지켜")) or text.rstrip().endswith("?"):
            continue
        if w.forms and not any(f in text for f in w.forms) and not w.unnamed_child:
            continue
        ms = morphs(text)
        for see in _seen_done(ms):
            if w.forms and not _witness_subject(w, text, see, adults):
                continue
            act_here = _act_in(w, text[:see.start], ms) if (w.kinds or w.lemmas) else False
            dated = _on_date(date, p)
            if w.anyone:  # anyone asked: the act must be written in the line itself
                if act_here and (date is None or dated):
                    out.append(p)
                    break
                continue
            if date is not None and not dated:
                prev = before(p) if before else None
                if not _on_date(date, prev):
                    continue
                dated = True
            if act_here or (dated and not (w.kinds or w.lemmas) and _PRO_SEEN.search(text)):
                out.append(p)
                break
            if _PRO_SEEN.search(text):  # "다 봤어", "그것을 보았습니다": what the line before tells
                prev = before(p) if before else None
                told = prev.focus or prev.text if prev is not None else ""
                if dated or (told and _act_in(w, told, morphs(told))):
                    out.append(p)
                    break
    return out[:MAX_SHOWN]
