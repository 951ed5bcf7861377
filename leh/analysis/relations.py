"""Who a relation word is in a case when the evidence does not write the name right after it.

- A child the evidence calls by a given name only ("라온이를 만났는데 … 딸이 많이 울었습니다"): "딸" in a question is
  that child, when a line writes the given name together with the word for the child.
- A relation seen from the other party ("피고 성무진은 제 매형입니다" in 심규찬's statement): the writer is the
  피고's 처남, so "피고 입장에서 처남이 되는 사람" is the writer.

Pure functions over texts (Kiwi through `leh.analysis.morph` for the given names); no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from leh.analysis.concepts import PERSON_NAME
from leh.analysis.morph import morphs_many

# a word for a child of the parties, standing alone ("딸이", "아들은", "애가"; not "아이스크림", "애기")
_CHILD_WORD: Final = re.compile(r"(?<![가-힣])(딸|아들|아이|애|자녀)(?=[이은는을를가의도랑과와에한]|\s|[.,!?…]|$)")
CHILD_ROLE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "딸": ("딸",), "아들": ("아들",), "아이": ("딸", "아들", "아이", "애", "자녀"),
    "애": ("딸", "아들", "아이", "애", "자녀"), "자녀": ("딸", "아들", "아이", "애", "자녀")}


def child_given_names(texts: Sequence[str], known: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """The child roles (딸, 아들, 아이, 애, 자녀) → the given names ("라온") a line writes together with the word
    for that child ("라온이를 만났는데 … 딸이"), when the case writes the name in two lines or more. A given name of
    one of `known` (the case's writers, its named adults: "다온이랑" is 추다온) is no child."""
    adults = {n[-2:] for n in known if PERSON_NAME.fullmatch(n)} | set(known)
    with_word = [t for t in texts if _CHILD_WORD.search(t)]
    found: dict[str, set[str]] = {}
    for text, ms in zip(with_word, morphs_many(with_word), strict=True):
        words = {m.group(1) for m in _CHILD_WORD.finditer(text)}
        for i, m in enumerate(ms):
            if m.tag != "NNP" or len(m.form) != 2 or not all("가" <= ch <= "힣" for ch in m.form) or m.form in adults:
                continue
            nxt = ms[i + 1] if i + 1 < len(ms) else None
            # "라온이를" (the name, 이, a particle) or "라온을": a person's given name, not "한빛카드"
            if nxt is None or not (nxt.tag == "XSN" and nxt.form == "이" or nxt.tag.startswith("J")):
                continue
            if m.start > 0 and "가" <= text[m.start - 1] <= "힣":
                continue  # the end of a longer word ("구하람이": a full name is role_names' to find)
            for role, role_words in CHILD_ROLE_WORDS.items():
                if words & set(role_words):
                    found.setdefault(role, set()).add(m.form)
    out: dict[str, tuple[str, ...]] = {}
    for role, names in found.items():
        counted = sorted((n for n in names if sum(n in t for t in texts) >= 2), key=lambda n: -sum(n in t for t in texts))
        if counted:
            out[role] = tuple(counted)
    return out


# A relation word as the writer says it of another person ("성무진은 제 매형", "제 매형인 성무진"), and what that
# makes the writer to them: the sister's husband's wife's brother is his 처남 (a woman: 처제/처형).
_FROM_THE_OTHER_SIDE: Final[dict[str, tuple[str, ...]]] = {
    "처남": ("매형", "매부", "자형", "매제"),
    "처제": ("형부", "제부"),
    "처형": ("제부",),
    "며느리": ("시어머니", "시아버지", "시모", "시부"),
    "사위": ("장모", "장인", "장모님", "장인어른"),
    "시누이": ("올케", "새언니"),
    "올케": ("시누이", "시누", "아가씨", "고모"),
    "시어머니": ("며느리",),
    "장모": ("사위",),
    "장인": ("사위",),
}
_WRITER_FIELD: Final = re.compile(r"^\s*(?:진술인|작성자|확인자|성명|이름|발신인|신청인)\s*:\s*(" + PERSON_NAME.pattern + ")")


def relation_from_the_other_side(role: str, lines: Sequence[str]) -> str | None:
    """The writer of a document (its 진술인/작성자 line) who calls another person by the relation that makes the
    writer `role` to them: "진술인: 심규찬" … "피고 성무진은 제 매형입니다" → 심규찬 is the 처남 asked. None when no
    line of a document says so; `lines` are one document's lines in order."""
    words = _FROM_THE_OTHER_SIDE.get(role)
    if not words:
        return None
    writer = next((m.group(1) for ln in lines if (m := _WRITER_FIELD.match(ln))), None)
    if writer is None:
        return None
    said = re.compile(rf"(?:제|저의|나의|내|우리)\s*(?:{'|'.join(words)})(?:[이인가는을]|입니다|이고|이며|이다|\s|$)")
    return writer if any(said.search(ln) for ln in lines) else None

