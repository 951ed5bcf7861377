"""An admission asked ("카드론을 자기가 받았다고 아내가 시인했는지", "채린 씨가 자기가 한 거라고 시인했어?"): who is
asked to have admitted it, and what the question names of the act, for `leh.analysis.admission`.

The doer is the question's subject when it is a party (a name, an alias such as 남편/아내, 원고/피고, 의뢰인/상대방)
or a writer of the messages ("채린 씨가", "봉재혁이"); when the question names only the one it was done to as a party
("남편을 민 걸"), the other party. Without a doer nothing is answered here: an admission is only ever someone's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from leh.analysis import admission
from leh.analysis import whether as act_whether
from leh.analysis.answer import Claim, Passage
from leh.analysis.concepts import name_forms
from leh.analysis.morph import morphs
from leh.analysis.question import Topic
from leh.services.ask_doer import asked_party, party_words

# what a question says around the act, not the act: the admission itself, the medium, the doer's words for self
_NOT_THE_ACT: Final = frozenset({"인정", "시인", "자백", "자인", "실토", "잘못", "사과", "취지", "대목", "카톡", "카카오톡", "메시지",
                                 "문자", "녹취", "녹취록", "통화", "사실", "내용", "자료", "증거", "기록", "입", "본인", "스스로",
                                 "자기", "적", "일", "것", "거", "확인", "여부", "말", "하", "있", "되", "말하", "털어놓"})
_OBJECT: Final = r"\s?(?:씨|님)?\s?(?:을|를|에게|한테|께)(?![가-힣])"
_SUBJECT: Final = r"\s?(?:씨|님)?\s?(?:이|가|은|는|께서|도)(?=\s)"
_BLOW_VERBS: Final = frozenset({"밀", "밀치", "때리", "치", "폭행", "손찌검", "던지", "차"})


def _doer_forms(question: str, speakers: Sequence[str], parties: Sequence[Mapping[str, Any]] | None) -> list[str]:
    """The ways the evidence writes the asked doer: a party's name forms and aliases, or a writer's name forms."""
    sides = {"client": [], "opponent": []}  # type: dict[str, list[str]]
    for p in parties or []:
        side = str(p.get("party") or "")
        if side in sides and p.get("name"):
            sides[side] += [*name_forms(str(p["name"])), *(str(a) for a in p.get("aliases") or ())]
    question = re.sub(r"([가-힣]+)\s*본인(?=이|은|가|도)", r"\1", question)  # "남편 본인이": 남편이
    party = asked_party(question, parties)
    if party is not None:
        return sides[party]
    for s in speakers:
        if any(re.search(rf"(?<![가-힣]){re.escape(f)}{_SUBJECT}", question) for f in name_forms(s) if len(f) >= 2):
            return name_forms(s)
    words = party_words(parties)
    said = re.match(rf"\s*(?:녹취(?:록)?에서\s*)?({'|'.join(sorted(act_whether.PARTY_WORDS))}){_SUBJECT}", question)
    if not words and said:  # no parties named: the word itself, as a transcript's key calls a voice ("(피고, 아내)")
        return [said.group(1), *(["와이프"] if said.group(1) == "아내" else [])]
    done_to = {side for w, side in words.items() if re.search(rf"(?<![가-힣]){re.escape(w)}{_OBJECT}", question)}
    if len(done_to) == 1:  # "남편을 민 걸": the other party did it
        return sides["opponent" if done_to == {"client"} else "client"]
    return []


def asked_of(question: str, topic: Topic, doer: Sequence[str]) -> admission.Asked:
    """What the question names of the act: its nouns and verbs (not the admission, the medium nor the doer)."""
    own = set(doer)
    nouns = tuple(tuple(f for f in topic.forms(n) if len(f) >= 2) for n in topic.nouns
                  if n not in _NOT_THE_ACT and n not in own and n not in act_whether.PARTY_WORDS)
    verbs = tuple(v for v in topic.verbs if v not in _NOT_THE_ACT)
    act = act_whether.read_act(question, morphs(question))
    signs = tuple(k.signs for k in act.kinds) if act else ()
    blow = bool(act and any(k.name == "폭행" for k in act.kinds)) or bool(set(verbs) & _BLOW_VERBS)
    victim = act_whether.RELATIVES.get(act.victim, (act.victim,)) if act and act.victim else ()
    return admission.Asked(nouns=tuple(n for n in nouns if n), verbs=verbs, signs=signs, blow=blow, victim=victim)


def admitted(question: str, topic: Topic, passages: Sequence[Passage],
             parties: Sequence[Mapping[str, Any]] | None) -> list[Claim]:
    """The lines where the asked doer admits the act, as an answer; [] when none does or the question asks none."""
    if not admission.asks_admission(question):
        return []
    speakers = sorted({p.speaker for p in passages if p.speaker})
    doer = _doer_forms(question, speakers, parties)
    if not doer:
        return []
    return admission.answer(admission.admissions(asked_of(question, topic, doer), passages, doer))
