"""Whether the asked party admitted an act: "카드론을 자기가 받았다고 아내가 시인했나요?", "남편이 위치추적기 단 걸
인정했는지", "피고가 잘못을 시인한 대목이 있는지".

An admission is seldom written with the act's own word. It is a yes to the other's question ("적금 깨서 옮긴 거 너
맞지?" → "응 내가 했어"; "그거 내가 받은 거 맞아"), a pro-verb ("당신이 붙였지?" → "걱정돼서 그랬다"), an apology
("머그컵 던진 건 미안해", "어젯밤 일은 나도 과했어"), the act told as the teller's own ("살짝 민 거야"), or a plain
answer to the other's question about it ("오름커피 지금 누구 명의야" → "준혁이한테 넘겼으니까"). A line counts when
the asked party said it (a chat message's writer, a transcript line's "이름:"), it is neither a question nor a
denial, and what the question names of the act is in it or in the other's line just before or after it (an apology
or a pro-verb only leans on what is said around it).

Pure: no I/O. The caller gives the lines (passages), the asked party's forms (names and aliases) and the act's words
(`Asked`, from the question's topic); `morph.morphs` (cached Kiwi) reads the few lines the party said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from leh.analysis.answer import Claim, Passage, item
from leh.analysis.morph import Morph, morphs
from leh.analysis.speakers import voice_keys

MAX_LINES: Final = 400  # lines of the asked party read with Kiwi per question
MAX_SHOWN: Final = 3
NEAR: Final = 2  # lines looked back for the other's line a reply answers

ASKS: Final = re.compile(r"인정|시인|자백|자인|실토|털어놓|스스로|(?:자기|본인|지)가\s*한\s*(?:거|것|걸|일)|입으로")
# A transcript's line: "도민혁: …", "[00:01:19] 화자2: …", "감나래(원고): …"
_SAID_BY: Final = re.compile(r"^\s*(?:\[[0-9:]+\]\s*)?([가-힣]{2,5}\d{0,2})\s*(?:\([^)]{0,12}\))?\s*[:：]\s*")
_QUESTION: Final = re.compile(r"\?\s*$|(?:냐|니|나요|까)\s*\.?\s*$|(?<![가-힣])왜\s[^.?!]*$")  # "그날 왜 그랬어"
_DENIAL: Final = re.compile(r"^\s*(?:아니|아냐|아닌데|절대|무슨\s*소리)|(?:안|못)\s*했|(?:한|그런)\s*(?:적|일)\s*(?:은|이|도)?\s*없|"
                            r"내가\s*언제|아니거든|아니라고|아니야|모르는\s*일|몰라|없었어|없다고")
_AFFIRM: Final = re.compile(r"^\s*(?:응|어|엉|웅|그래|그럼|맞아|맞다|맞아요|맞습니다|네|예|ㅇㅇ)(?:[\s.,!~]|$)|"
                            r"(?:거|게|것|건)\s*맞(?:아|다|지|습니다|아요)|(?<![가-힣])(?:내가|제가)\s*(?:했|한\s*거|그랬)")
_PRO_VERB: Final = re.compile(r"그랬(?:어|다|지|던|음|잖)|그런\s*거(?:야|다|지)")
_APOLOGY: Final = re.compile(r"미안|잘못했|과했|죄송|사과할게|반성")
_YOU_DID: Final = re.compile(r"(?<![가-힣])(?:니가|네가|너가|당신이|자기가|너도|당신도)")
_NEGATORS: Final = frozenset({"안", "못"})
# Around an admitted blow, the harm it did ("손목은 좀 어때?", "이마 다섯 바늘 꿰맸어") names what is admitted.
HURT: Final = re.compile(r"손목|팔목|어깨|이마|얼굴|머리|다리|무릎|갈비|멍(?:이|들|든)|다쳤|다친|다치|상처|피가|꿰매|꿰맸|바늘|깁스|"
                         r"골절|부러|넘어지|넘어졌|넘어져|병원|응급실|정형외과")


@dataclass(frozen=True)
class Asked:
    """What the question names of the act admitted: its nouns (each with the ways the evidence writes it), its
    verbs' lemmas, signs of its kind (cheap regexes), whether it is a blow (harm around counts) and the relative it
    was done to (one of these forms must be around)."""

    nouns: tuple[tuple[str, ...], ...]
    verbs: tuple[str, ...]
    signs: tuple[re.Pattern[str], ...] = ()
    blow: bool = False
    victim: tuple[str, ...] = ()


def asks_admission(question: str) -> bool:
    return ASKS.search(question) is not None


def said_by(p: Passage) -> tuple[str | None, str]:
    """Who said a line and what they said: a message's writer, or a transcript line's "이름:" prefix."""
    if p.speaker:
        return p.speaker, p.text
    m = _SAID_BY.match(p.text) if p.is_document else None
    return (m.group(1), p.text[m.end():]) if m else (None, p.text)


def voices(ps: Sequence[Passage]) -> dict[str, tuple[str, ...]]:
    """A transcript's numbered voices → the name its key gives and the words in brackets after it (피고, 아내):
    "화자1: 도경환 / 화자2: 인가람 (피고, 아내)" → {"화자1": ("도경환",), "화자2": ("인가람", "피고", "아내")}."""
    out: dict[str, tuple[str, ...]] = {}
    for p in ps:
        for line in p.text.split("\n"):
            for voice, name, words in voice_keys(line):
                out.setdefault(voice, (name, *words))
    return out


_SENTENCE: Final = re.compile(r"[^.?!]+[.?!]*")


def _asks(text: str) -> bool:
    """A question only: every sentence of it asks ("손목은 좀 어때?" after "… 그랬어." is no question)."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    return bool(sentences) and all(_QUESTION.search(s) for s in sentences)


def _stems(ms: Sequence[Morph]) -> set[str]:
    return {m.form for m in ms if m.tag.startswith(("VV", "VA", "NNG", "XR"))}


def _tells_act(ms: Sequence[Morph], verbs: Sequence[str]) -> bool:
    """The line writes one of the act's verbs as done: not negated (안/못 before it, 않/없 after it)."""
    for k, m in enumerate(ms):
        if not (m.tag.startswith("VV") and any(m.form in (v, v + "치") or (len(v) >= 2 and m.form.startswith(v))
                                               for v in verbs)):  # 밀 → 밀치
            continue
        if any(ms[j].form in _NEGATORS and ms[j].tag == "MAG" for j in range(max(0, k - 2), k)):
            continue
        after = ms[k + 1:k + 5]
        if any(x.form in ("않", "없", "말") and x.tag.startswith(("VX", "VA")) for x in after):
            continue
        if any(x.tag == "EC" and x.form in ("면", "으면") for x in after[:2]):
            continue  # "밀면 …": a condition
        return True
    return False


def _nouns_in(asked: Asked, text: str) -> int:
    return sum(1 for forms in asked.nouns if any(len(f) >= 2 and f in text for f in forms))


def _about(asked: Asked, around: str, own_ms: Sequence[Morph], before_ms: Sequence[Morph]) -> bool:
    """What the question names of the act is in the line or around it."""
    if _nouns_in(asked, around) or any(s.search(around) for s in asked.signs):
        return True
    if asked.blow and HURT.search(around):
        return True
    lemmas = _stems(own_ms) | _stems(before_ms)
    return any(v in lemmas for v in asked.verbs if len(v) >= 1)


def admissions(asked: Asked, passages: Sequence[Passage], doer: Sequence[str]) -> list[Passage]:
    """The lines where one of `doer` (a party's names and aliases) admits the asked act, in the order given; a line
    of a document passage that holds several (a transcript read as one passage) is its focus."""
    forms = {f for f in doer if f}
    if not forms or not (asked.nouns or asked.verbs or asked.signs):
        return []
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.evidence_id, []).append(p)
    out: list[Passage] = []
    read = 0
    for ps in by_doc.values():
        ps.sort(key=lambda p: p.seq)
        voice = voices(ps[:8]) if ps[0].is_document else {}
        units = [(p, ln) for p in ps for ln in ((x.strip() for x in p.text.split("\n") if x.strip())
                                                if p.is_document else (p.text,))]
        said = [said_by(replace(p, text=ln)) for p, ln in units]
        # "화자2" is who the key names, and what it calls them (피고, 아내)
        doers = [who is not None and any(k in forms for k in voice.get(who, (who,))) for who, _ in said]
        for i, ((p, line), (_, text)) in enumerate(zip(units, said, strict=True)):
            if not doers[i] or (voice and voice_keys(line)) or _asks(text) or _DENIAL.search(text):
                continue
            if read >= MAX_LINES:
                return out
            read += 1
            back = next((said[j][1] for j in range(i - 1, max(-1, i - 1 - NEAR), -1)
                         if said[j][0] is not None and not doers[j]), "")
            nxt = next((said[j][1] for j in range(i + 1, min(len(units), i + 2))
                        if said[j][0] is not None and not doers[j]), "")
            around = f"{text} {back} {nxt}"
            if asked.victim and not any(v in around for v in asked.victim):
                continue
            own_ms = morphs(text)
            if _admits(asked, text, around, own_ms, back) and not any(q is p for q in out):
                out.append(replace(p, focus=line) if p.is_document and line != p.text else p)
    return out


def _admits(asked: Asked, text: str, around: str, own_ms: Sequence[Morph], back: str) -> bool:
    said = " ".join(x for x in (y.strip() for y in _SENTENCE.findall(text)) if x and not _QUESTION.search(x))
    yes = _AFFIRM.search(said) or _PRO_VERB.search(said) or _APOLOGY.search(said)  # not "그날 왜 그랬어"
    if yes:
        return _about(asked, around, own_ms, morphs(back) if back else ())
    if _YOU_DID.search(text):
        return False  # "니가 먼저 밀었잖아": the other's act
    if asked.verbs and _tells_act(own_ms, asked.verbs):
        return True  # "살짝 민 거야": the act told as the teller's own
    # a plain answer to the other's question about the act ("누구 명의야" → "준혁이한테 넘겼으니까")
    if back and _asks(back.split(".")[-1]) and _nouns_in(asked, back) >= 1:
        return _nouns_in(asked, back) >= 2 or bool(asked.verbs and _tells_act(morphs(back), asked.verbs)) \
            or bool(asked.verbs and _tells_act(own_ms, asked.verbs))
    return False


def answer(shown: Sequence[Passage]) -> list[Claim]:
    """"예, …" and the lines, dated and cited; nothing when nothing shows it."""
    top = list(shown[:MAX_SHOWN])
    if not top:
        return []
    claims = [Claim("예, 다음과 같이 인정하는 취지의 내용이 확인됩니다.", top, header=True)]
    claims += [item(p) for p in sorted(top, key=lambda p: (p.day() or (9999, 12, 31), p.ts or "", p.seq))]
    return claims
