"""A document that says something never happened: "상대방이 준서를 때린 적이 있는지?" with "의뢰인은 상대방이
준서를 때린 적은 없다고 진술하였다.", "의뢰인이 남편에게 맞은 적이 있는지?" with "맞거나 폭행당한 적은 한 번도
없다고".

A whether-question in the form "…ㄴ 적이 있는지" asks an experience; a document line that writes the same
verb (its stem: 때린 → 때리, 맞은 → 맞; after 한, the act noun before it: "손찌검을 한 적" → 손찌검) followed
in the same sentence by "적(은|이|도) (한 번도|전혀) 없" says it did not happen. Only documents (statements,
counselling logs, confirmations): a message's "때린 적 없어" is one side's denial. Pure text work.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Final

from leh.analysis.answer import Passage

_EXPERIENCE_Q: Final = re.compile(r"(?:([가-힣]+)(?:을|를)\s+)?([가-힣]+)\s*(?:적|일|사실)(?:이|은|도)?\s*(?:있|없)")
# "때린 적은 없음", "던진 일이 한 번도 없다", "맞거나 위협받은 일은 없다고": 적, 일 or 사실, then 없
_NEVER: Final = re.compile(r"[^.?!\n]{0,20}?(?<![가-힣])(?:적|일|사실)(?:은|이|도)?\s*(?:한\s*번도\s*|전혀\s*|단\s*한\s*번도\s*)?없")
_SUBJECT_Q: Final = re.compile(r"(?<![가-힣])([가-힣]{1,4})\s?(?:씨|님)?\s?(?:이|가|은|는|께서)(?=\s)")
_OBJECT_OF: Final = re.compile(r"(?<![가-힣])([가-힣]{1,4})\s?(?:씨|님)?\s?(?:을|를|에게|한테|께)(?![가-힣])")
_LIGHT: Final = frozenset({"한", "했던", "하신", "해본", "해 본", "했었던", "쓴", "행사한", "가한"})  # "폭력을 쓴 적": the noun is the act
_SENTENCE: Final = re.compile(r"[^.?!\n]+[.?!]?")
MAX_SHOWN: Final = 3
# The couple and the client, however a question or a counselling log writes them: an object that is one of
# them is not a third person the line must name.
PARTY_WORDS: Final = frozenset({"남편", "아내", "와이프", "배우자", "의뢰인", "상대방", "피고", "원고", "본인", "내담자", "신청인",
                                "피신청인", "처", "부인", "나", "너", "저", "당신", "자기"})
_OBJECT_BEFORE: Final = re.compile(r"([가-힣]+)(?:을|를)\s*$")


def _without_final_n(syllable: str) -> str:
    """때린's 린 → 리: the syllable without its final ㄴ (the attributive ending), else unchanged."""
    code = ord(syllable) - 0xAC00
    if 0 <= code < 11172 and code % 28 == 4:
        return chr(ord(syllable) - 4)
    return syllable


def experience_act(question: str) -> tuple[str, ...]:
    """The ways the evidence may write the act a "…ㄴ 적이 있는지" question asks about: the question's word and
    its stem ("때린", "때리"; "맞은", "맞"), or after 한 the act noun ("손찌검"); () for any other question."""
    m = _EXPERIENCE_Q.search(question)
    if not m:
        return ()
    noun, word = m.group(1), m.group(2)
    if word in _LIGHT:
        return (noun,) if noun and len(noun) >= 2 else ()
    if len(word) >= 2 and word[-1] in "은는던":
        return (word, word[:-1])
    stem = word[:-1] + _without_final_n(word[-1])
    return (word, stem) if stem != word else ()


def _object_of(text: str, at: int) -> str | None:
    """The object written right before position `at` ("준서를 때린" → 준서), unless it is one of the couple."""
    m = _OBJECT_BEFORE.search(text[:at])
    return m.group(1) if m and m.group(1) not in PARTY_WORDS else None


# what an act is done with or is, not to whom: "손을 대거나", "뭘 던진", "폭력을 쓴"
_NOT_A_PERSON: Final = frozenset({"손", "발", "몸", "물건", "뭘", "뭐", "무엇", "폭력", "손찌검", "욕", "욕설", "폭언", "돈", "주먹"})
_ANY_OBJECT: Final = re.compile(r"(?<![가-힣])([가-힣]+)(?:을|를)(?![가-힣])")


def asked_object(question: str) -> str | None:
    """The third person or thing a "…를 …ㄴ 적" question asks the act on ("준서를 때린 적" → 준서; "유안이를
    체벌하거나 때린 일" → 유안이: the nearest object before the act that is no tool nor the act itself)."""
    m = _EXPERIENCE_Q.search(question)
    if not m or experience_act(question) == () or m.group(2) in _LIGHT:
        return None  # "손찌검을 한 적": the noun is the act itself
    objects = [o.group(1) for o in _ANY_OBJECT.finditer(question, 0, m.start(2))]
    return next((o for o in reversed(objects) if o not in _NOT_A_PERSON and o not in PARTY_WORDS), None)


_DATIVE: Final = re.compile(r"(?<![가-힣])([가-힣]+?)\s?(?:씨|님)?\s?(?:에게|한테|께)(?![가-힣])")


def asked_person(question: str, parties: Collection[str] = ()) -> str | None:
    """The third person an experience question asks the act was done to, whether written as the object or as
    the one it was done to ("남편이 지후에게 손 댄 적" → 지후; "윤후를 때린 적" → 윤후); None when it is one of the
    couple (`parties`: the names and words of the parties the lawyer named, "위소담에게") or no one is named. After a
    passive act ("아빠한테 맞은 적") the one before 한테 is the doer, not the one it was done to."""
    obj = asked_object(question)
    if obj is not None:
        return obj
    m = _EXPERIENCE_Q.search(question)
    if not m or _PASSIVE.match(m.group(2)) or _PASSIVE.search(m.group(2)):
        return None
    people = [d.group(1) for d in _DATIVE.finditer(question, 0, m.start())]
    return next((d for d in reversed(people) if d not in _NOT_A_PERSON and d not in PARTY_WORDS and d not in _SPOUSE
                 and d not in parties), None)


_PASSIVE: Final = re.compile(r"^맞|당한$|당했던$|받은$|받았던$")


_SPOUSE: Final = {"처": "wife", "아내": "wife", "와이프": "wife", "부인": "wife", "집사람": "wife", "며느리": "wife",
                  "남편": "husband", "신랑": "husband", "사위": "husband"}


def reversed_roles(question: str, sentence: str) -> bool:
    """"남편이 아내를 때린 적" against "아내는 남편을 때린 적이 없다", "처가 남편을 민 걸" against "의뢰인은 아내에게
    손찌검을 … 한 번도 없다": the question's doer is the one the sentence's act was done to, or the other way round."""
    def spouse(m: re.Match[str] | None) -> str | None:
        return _SPOUSE.get(m.group(1)) if m else None

    q_doer, q_done_to = spouse(_SUBJECT_Q.search(question)), spouse(_OBJECT_OF.search(question))
    s_doer, s_done_to = spouse(_SUBJECT_Q.search(sentence)), spouse(_OBJECT_OF.search(sentence))
    return (q_doer is not None and q_doer == s_done_to) or (q_done_to is not None and q_done_to == s_doer)


def never_done(question: str, passages: Sequence[Passage], others: Sequence[re.Pattern[str]] = (),
               parties: Collection[str] = ()) -> list[tuple[Passage, str]]:
    """The document passages (with the sentence) that say the asked act never happened. The act's object in
    that sentence, when it is not one of the couple, must be the question's ("준서를 때린 적은 없다" does not
    answer "남편이 의뢰인을 때린 적"), and the question's own object must be written there. `others`: the act's
    other words (the kind of act the question asks: "폭력을 쓴 적" ~ "손을 댄 적이 한 번도 없다")."""
    acts = experience_act(question)
    if _EXPERIENCE_Q.search(question) is None or (not acts and not others):
        return []  # "민 사실을 인정했는지" asks an admission, not whether it ever happened
    words = ["(?:" + "|".join(re.escape(a) for a in acts) + ")"] if acts else []
    words += [f"(?:{o.pattern})" for o in others]
    rx = re.compile("(?:" + "|".join(words) + ")" + _NEVER.pattern)
    asked = asked_person(question, parties)
    out: list[tuple[Passage, str]] = []
    for p in passages:
        if not p.is_document or not (any(a in p.text for a in acts) or any(o.search(p.text) for o in others)):
            continue
        for s in _SENTENCE.findall(p.text):
            m = rx.search(s)
            if not m or (asked is not None and asked not in s) or reversed_roles(question, s):
                continue
            obj = _object_of(s, m.start())
            if obj is not None and obj != asked:
                continue
            out.append((p, s.strip()))
            break
        if len(out) >= MAX_SHOWN:
            break
    return out
