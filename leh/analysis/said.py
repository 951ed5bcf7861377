"""Whether-questions about something said, answered by the line that says it in its own words.

"장모가 경찰 부르겠다고 으름장 놓은 적 있나요?", "남편이 양육비를 주겠다고 약속한 메시지가 있나요", "시모가 아이 보러
오지 말라고 한 적 있는지?", "아내가 그 남자와 끝냈다고 말한 적 있음?", "남편이 휴대폰 잠금 해제를 요구한 사실 있음?":
the question quotes what was said (a clause before 다고/라고/자고, or the object of 약속/요구/다짐), and how it was said
(`Said.mood`): as an intent or a promise (겠다고, 약속, 으름장), as an order or a request (라고, 요구, 부탁), as a
prohibition (지 말라고), or as a thing told done (했다고). A line answers when its writer is the asked doer, it writes
the quoted clause's words (by their Kiwi lemmas and the synonym groups of `concepts`: 휴대폰 ~ 폰, 직장 ~ 회사), and it
says them in that mood ("경찰 부를 걸세", "50만원씩 부칠게", "오지 마라", "이미 끝냈어", "잠금 풀어"). A line that asks
("끝냈어?"), that tells of the act in the past where an intent is asked, or that is another's does not.

Pure: no I/O; the caller gives the passages and how the evidence writes the doer and the persons the question names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from leh.analysis.answer import Passage
from leh.analysis.concepts import PERSON_NOUNS, synonyms
from leh.analysis.morph import Morph, morphs

MAX_SAID: Final = 5

INTENT: Final = "intent"  # 겠다고, 약속, 으름장: "부를 걸세", "부칠게", "말할 거예요"
ORDER: Final = "order"  # 라고, 요구, 요청: "알려줘", "잠금 풀어"
FORBID: Final = "forbid"  # 지 말라고: "오지 마라"
TOLD: Final = "told"  # 했다고 말한: "이미 끝냈어"
QUOTE: Final = "quote"  # 힘들다고 한, 년이라고 한: the words, in any mood

_QUOTE_ENDINGS: Final = frozenset({"다고", "라고", "자고", "으라고", "이라고", "냐고", "다는", "라는", "자는"})
# a noun that names what was said by what it does (its object is what was said)
_SAYING_NOUNS: Final[dict[str, str]] = {"약속": INTENT, "다짐": INTENT, "맹세": INTENT, "장담": INTENT,
                                        "요구": ORDER, "요청": ORDER, "부탁": ORDER, "강요": ORDER, "지시": ORDER}
# what follows a quote when it is said (a verb of saying, or a noun for a message); anything else is no quote
_SAID_AFTER: Final = frozenset({"하", "말하", "말", "약속", "으름장", "협박", "위협", "엄포", "통보", "다짐", "맹세", "요구",
                                "요청", "부탁", "주장", "얘기", "이야기", "문자", "메시지", "카톡", "톡", "메일", "편지", "연락",
                                "장담", "선언", "통지", "보내", "남기", "쓰", "적", "취지"})
_CONTENT_TAGS: Final = ("NNG", "NNP", "VV", "VA", "XR", "SL")
# words of a question that say who, when or that it happened, not what was said
_NOT_CONTENT: Final = frozenset({"남편", "아내", "와이프", "배우자", "의뢰인", "상대방", "피고", "원고", "본인", "신랑",
                                 "적", "사실", "일", "것", "거", "증거", "기록", "내용", "말", "메시지", "문자", "카톡", "톡",
                                 "있", "없", "하", "되", "확인", "여부", "쪽", "씨", "님", "정말", "실제", "직접", "혹시",
                                 "때", "당시", "번", "자료", "정황", "흔적", "취지"})
_NOUN_JOINED: Final = ("XSV", "XSA")  # 처분/NNG 하/XSV: the lemma 처분하 as well as 처분
_QUESTION_LINE: Final = re.compile(r"\?\s*$|(?:냐|니|나요|까요|는지)\s*[.?]?\s*$")
_INTENT_ENDINGS: Final = frozenset({"겠", "ᆯ게", "을게", "ᆯ래", "을래", "려고", "으려고", "러", "ᆯ께", "을께", "마",
                                    "ᆫ다", "는다", "ᆫ다던데", "는다던데", "ᆫ대", "는대", "ᆫ다고", "는다고"})  # "찾아간다"
_ORDER_ENDINGS: Final = frozenset({"어", "아", "어라", "아라", "라", "으라", "세요", "으세요", "십시오", "으십시오", "게",
                                   "어요", "아요", "거라", "렴", "으렴", "자"})


@dataclass(frozen=True)
class Said:
    """What a whether-question says was said: its words (lemmas; `head`: the last, the act said), the mood, and
    the subject the question names as who said it (None: unsaid)."""

    words: tuple[str, ...]
    head: str
    mood: str
    subject: str | None


def _lemmas(ms: Sequence[Morph]) -> list[str]:
    out: list[str] = []
    for i, m in enumerate(ms):
        if not m.tag.startswith(_CONTENT_TAGS):
            continue
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        if m.tag == "NNG" and nxt is not None and nxt.tag in _NOUN_JOINED:
            out.append(m.form + nxt.form)
        out.append(m.form)
    return out


_SUBJECT_PARTICLES: Final = frozenset({"JKS", "JX"})


def read_said(question: str, ms: Sequence[Morph] | None = None) -> Said | None:
    """The quoted saying a question asks about, or None when it quotes nothing ("때린 적 있나요?")."""
    ms = list(ms if ms is not None else morphs(question))
    end, mood = _quote_end(ms)
    if end is None:
        return None
    start, subject = _after_subject(ms, end)
    words: list[str] = []
    for i in range(start, end):
        m = ms[i]
        if not m.tag.startswith(_CONTENT_TAGS) or m.form in _NOT_CONTENT:
            continue
        if m.tag == "NNG" and i + 1 < end and ms[i + 1].tag in _NOUN_JOINED:
            words.append(m.form + ms[i + 1].form)  # 처분하: the verb made of the noun
            continue
        if i + 1 < len(ms) and ms[i + 1].tag.startswith("J") and ms[i + 1].form in ("에게", "한테", "께", "더러"):
            continue  # "채원 씨한테": whom it was said to
        words.append(m.form)
    words = [w for w in words if w != subject]
    if not words:
        return None
    return Said(tuple(dict.fromkeys(words)), words[-1], mood, subject)


def _quote_end(ms: Sequence[Morph]) -> tuple[int | None, str]:
    """Where the quoted clause ends (exclusive) and how it was said."""
    for i, m in enumerate(ms):
        if m.tag.startswith("E") and m.form in _QUOTE_ENDINGS and i > 0:
            after = next((n for n in ms[i + 1:] if n.tag.startswith(("V", "N", "XS"))), None)
            if after is None or after.form not in _SAID_AFTER:
                continue
            before = ms[i - 1]
            prev = [n.form for n in ms[max(0, i - 3):i]]
            if before.form == "말" and before.tag == "VX":
                return _clause_end(ms, i - 1), FORBID
            if "겠" in prev:
                return i, INTENT
            if m.form in ("자고", "자는"):
                return i, QUOTE  # "이혼하자고 한": "이혼하자", "이혼해", "이혼할 거야"
            if before.tag == "VCP" or m.form == "이라고":
                return i, QUOTE  # "년이라고 한": the words themselves
            if m.form in ("라고", "으라고", "라는"):
                return i, ORDER
            return i, TOLD if any(n in ("었", "았", "였") for n in prev) else QUOTE
        if m.tag == "NNG" and m.form in _SAYING_NOUNS and i + 1 < len(ms) and ms[i + 1].tag in ("XSV", "JKO", "JX"):
            return i, _SAYING_NOUNS[m.form]
    return None, ""


def _clause_end(ms: Sequence[Morph], i: int) -> int:
    """Before the 지 of "오지 말라고": the verb forbidden ends the clause."""
    j = i
    while j > 0 and ms[j - 1].tag.startswith("E"):
        j -= 1
    return j


def _after_subject(ms: Sequence[Morph], end: int) -> tuple[int, str | None]:
    """Where the quoted clause starts: after the question's subject ("장모가", "엄기태 쪽에서"), if it has one."""
    for i in range(min(end, 6)):
        m = ms[i]
        if m.tag in _SUBJECT_PARTICLES and i > 0 and ms[i - 1].tag.startswith("N"):
            j = i - 1
            while j > 0 and ms[j - 1].tag.startswith("N") and ms[j - 1].form not in ("씨", "님"):
                j -= 1
            return i + 1, ms[i - 1].form if ms[i - 1].form not in ("씨", "님") else ms[i - 2].form
        if m.form == "쪽" and i + 1 < len(ms) and ms[i + 1].form == "에서" and i > 0:
            return i + 2, ms[i - 1].form
    return 0, None


def _said_in_mood(mood: str, ms: Sequence[Morph], at: int, text: str) -> bool:
    """Whether the word at morpheme `at` is said in the mood asked (its endings up to the next content word)."""
    tail: list[Morph] = []
    for m in ms[at + 1:at + 9]:
        if m.tag.startswith(("E", "VX", "XS", "VCP")) or (m.tag == "NNB" and m.form in ("거", "것", "걸")):
            tail.append(m)
            continue
        if m.tag == "SF":
            break
        if mood == FORBID and m.tag == "VX":
            tail.append(m)
            continue
        break
    forms = [t.form for t in tail]
    past = any(t.tag == "EP" and t.form in ("었", "았", "였") for t in tail)
    if mood == FORBID:
        return "말" in forms and not past
    if mood == INTENT:
        future = any(f in _INTENT_ENDINGS for f in forms) or any(
            t.tag == "ETM" and t.form in ("ᆯ", "을") and k + 1 < len(tail) and tail[k + 1].form in ("거", "것", "걸")
            for k, t in enumerate(tail))
        return future and not past
    if mood == ORDER:
        if past or "말" in forms:
            return False
        ef = [t for t in tail if t.tag == "EF"]
        return bool(ef) and ef[0].form in _ORDER_ENDINGS
    if mood == TOLD:
        return past
    return True


# the everyday words for what a question quotes in a lawyer's words (only read here: what was said)
_SAID_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "직장": ("회사", "근무지", "일터", "사무실"),
    "알리": ("말하", "말할", "폭로", "퍼뜨리", "까발리", "소문"),
    "해제": ("풀",),
    "금주": ("술 끊", "술을 끊", "단주", "술 안 마시", "술 안 먹", "술 입에 안"),
    "주": ("부치", "보내", "입금", "송금"),
    "보내": ("부치", "입금", "송금"),
    "처분하": ("버리", "버렸", "팔", "치우"),
    "이혼하": ("이혼", "갈라서", "헤어지"),
    "연락하": ("연락", "전화", "문자"),
    "찾아오": ("찾아가", "찾아간", "찾아갈", "찾아와", "찾아온", "쳐들어"),
}


def _word_forms(word: str, aliases: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    forms = [*synonyms(word), *_SAID_WORDS.get(word, ()), *aliases.get(word, ())]
    if word in PERSON_NOUNS:
        forms += sorted(PERSON_NOUNS)
    if word.endswith("하") and len(word) >= 3:
        forms += synonyms(word[:-1])
    return tuple(dict.fromkeys(forms))


def _heads_at(head_forms: Sequence[str], ms: Sequence[Morph], text: str) -> list[int]:
    """The morphemes where the line writes the act said: by lemma (a one-syllable form only as a verb: 주 is no 주
    "week"), or a form of two syllables or more as written (its last morpheme there)."""
    out: list[int] = []
    for i, m in enumerate(ms):
        if not m.tag.startswith(_CONTENT_TAGS):
            continue
        joined = m.form + ms[i + 1].form if i + 1 < len(ms) and ms[i + 1].tag in _NOUN_JOINED else None
        if joined in head_forms:
            out.append(i + 1)
        elif m.form in head_forms and (len(m.form) >= 2 or m.tag.startswith("V")):
            out.append(i)
    for f in head_forms:
        if len(f) >= 2 and (k := text.find(f)) >= 0:
            last = [i for i, m in enumerate(ms) if m.start < k + len(f)]
            if last:
                out.append(last[-1])
    return sorted(set(out))


def says(said: Said, p: Passage, ms: Sequence[Morph], aliases: Mapping[str, Sequence[str]]) -> bool:
    """Whether the passage (its text analysed as `ms`) says what the question quotes, in the mood asked."""
    text = p.focus or p.text
    if _QUESTION_LINE.search(text.strip()):
        return False
    if not any(_said_in_mood(said.mood, ms, at, text) for at in _heads_at(_word_forms(said.head, aliases), ms, text)):
        return False
    others = [w for w in said.words if w != said.head]
    if not others:
        return True
    lemmas = set(_lemmas(ms))
    hit = sum(1 for w in others if any(f in lemmas or (len(f) >= 2 and f in text) for f in _word_forms(w, aliases)))
    return 2 * hit >= len(others)


def said_lines(said: Said, passages: Sequence[Passage], by_doer: Callable[[Passage], bool],
               aliases: Mapping[str, Sequence[str]], analyse: Callable[[Sequence[str]], list[list[Morph]]]
               ) -> list[Passage]:
    """The passages where the asked doer (`by_doer`) says what the question quotes, at most MAX_SAID; a document
    passage by its line that says it (`focus`: "화자1(소건우): 폰 이리 내. 잠금 풀어."). `analyse` gives the
    morphemes of many texts at once (cached Kiwi)."""
    heads = _word_forms(said.head, aliases)
    keys = {f[:-1] if len(f) >= 2 and not re.search(r"[a-zA-Z]", f) else f for f in heads} | set(heads)
    lines: list[Passage] = []
    for p in passages:
        text = p.focus or p.text
        if not any(k and k in text for k in keys):
            continue
        parts = [ln.strip() for ln in text.split("\n") if ln.strip()] if p.is_document else [text]
        for ln in parts:
            one = p if len(parts) == 1 else replace(p, focus=ln)
            if any(k and k in ln for k in keys) and by_doer(one):
                lines.append(one)
    if not lines:
        return []
    found = [p for p, ms in zip(lines, analyse([p.focus or p.text for p in lines]), strict=True)
             if says(said, p, ms, aliases)]
    return found[:MAX_SAID]
