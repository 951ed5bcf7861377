"""A line that only tells of an act meant, threatened or forbidden is no answer to whether it was done: "시어머니가
아이를 데려간 적 있나요?" is not answered by "맘대로 데려갈 생각 마라", nor "카드를 실제로 잘랐는지" by "카드도 전부 잘라
버릴 거니까".

The question asks a done act when its verb is told as done ("데려간 적", "잘랐는지": ETM ᆫ before 적/일/사실, or the
past EP 었/았). A line answers nothing of that verb when it writes the verb (same Kiwi lemma) only as meant: followed,
through its auxiliaries (잘라 버릴), by the future attributive ᆯ/을, 겠, 려(고)/러, or a prohibition (말); and never as
done (EP 었/았, ETM ᆫ). Pure: the caller gives the text; `morph.morphs` (cached Kiwi) reads it.
"""

from __future__ import annotations

from typing import Final

from leh.analysis.morph import Morph, morphs

_DONE_NOUNS: Final = frozenset({"적", "일", "사실"})
_AUX: Final = frozenset({"버리", "주", "놓", "두", "보", "내"})


def _tail(ms: list[Morph], i: int) -> list[Morph]:
    """The endings and auxiliaries after the verb at i, up to the next content word."""
    out: list[Morph] = []
    for m in ms[i + 1:i + 8]:
        if m.tag.startswith("E") or (m.tag == "VX") or (m.tag == "NNB" and m.form in {"거", "것"}):
            out.append(m)
            continue
        if m.tag == "NNG" and m.form == "생각":  # "데려갈 생각": an intent, then nothing more of the verb
            out.append(m)
        break
    return out


def asked_done(question: str) -> frozenset[str]:
    """The lemmas of the verbs a question asks as done ("데려간 적" → 데려가; "실제로 잘랐는지" → 자르)."""
    ms = morphs(question)
    out = set()
    for i, m in enumerate(ms):
        if m.tag != "VV":
            continue
        tail = _tail(ms, i)
        after = ms[i + 1 + len(tail)] if i + 1 + len(tail) < len(ms) else None
        past = any(t.tag == "EP" and t.form in {"었", "았"} for t in tail)
        told = any(t.tag == "ETM" and t.form in {"ᆫ", "은"} for t in tail) and after is not None \
            and after.form in _DONE_NOUNS
        if past or told:
            out.add(m.form)
    return frozenset(out)


def only_meant(lemmas: frozenset[str], text: str) -> bool:
    """Whether the text writes one of the verbs only as meant, threatened or forbidden, never as done."""
    if not lemmas:
        return False
    ms = morphs(text)
    seen = meant = False
    for i, m in enumerate(ms):
        if m.tag != "VV" or m.form not in lemmas:
            continue
        seen = True
        tail = _tail(ms, i)
        if any((t.tag == "EP" and t.form in {"었", "았"}) or (t.tag == "ETM" and t.form in {"ᆫ", "은"}) for t in tail):
            return False
        if any((t.tag == "ETM" and t.form in {"ᆯ", "을"}) or (t.tag == "EP" and t.form == "겠")
               or (t.tag == "EC" and t.form in {"려고", "려", "러", "으려고", "으러"})
               or (t.tag == "VX" and t.form == "말") for t in tail):
            meant = True
        else:
            return False  # told plainly ("데려가", "자른다"): not only meant
    return seen and meant
