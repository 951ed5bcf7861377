"""Whose messages a question counts, read against each message's sender: a chat's, or a typed 문자 내역's row read
as its sender's message ("시어머니 봉계순", "장모님", "석하담"; `leh.pipeline.parsers.messages`).

"시어머니한테 온 문자 몇 건?", "장모 쪽에서 받은 문자", "시모가 보낸 문자 총 몇 건", "반세은이 … 보낸 문자": the sender; "장모
문자에 원고가 답장 보낸 건 몇 번?": the client's messages that answer the mother-in-law's. A sender the question names by
a kin word is the message whose sender carries the same kin word (시모 = 시어머니 = 시어머님, 장모 = 장모님) or a name
the case gives that role; one named by name, a message whose sender's label holds the name ("시어머니 봉계순" is
봉계순's). Pure: the caller resolves names ("원고" → the party's name) and passes their written forms.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Final

from leh.analysis.answer import Passage
from leh.analysis.concepts import FAMILY_ROLES, PERSON_NAME, synonyms

_WHO: Final = rf"(?<![가-힣])(?P<who>{PERSON_NAME.pattern}|[가-힣]{{1,5}}?)(?:\s*씨|\s*님)?"
_MEDIUM: Final = r"(?:메시지|문자|카톡|톡|메일)"
_MEDIUM_WORD: Final = re.compile(_MEDIUM)
_MEDIUM_AFTER: Final = 12  # characters after "보낸" where the message word is written ("보낸 위협 문자")
# "시어머니한테 온 문자", "처제에게서 받은", "채말순 씨한테서 온", "소지훈으로부터 받은": the messages came from them
_FROM: Final = re.compile(rf"{_WHO}\s*(?:한테서|에게서|로부터|으로부터|한테|에게|께)\s*(?:받은|받았|온|왔|오는|들어온)")
# "장모 쪽에서 받은 문자", "상간녀 쪽에서 의뢰인에게 온 문자"
_SIDE: Final = re.compile(rf"{_WHO}\s*(?:쪽|측)(?:에서|으로부터)?\s.{{0,20}}?(?:받은|받았|온|왔|보낸|보냈)")
# "마서린이 의뢰인에게 보낸 문자", "시모가 보낸 문자", "원고가 답장 보낸 건"
_SUBJECT: Final = re.compile(rf"{_WHO}(?:이|가|은|는|께서)\s.{{0,20}}?(?:보낸|보냈|남긴)")
# to whom a counted reply went: "장모 문자에 … 답장", "시어머니한테 답장한", "장모님께 회신"
_REPLY: Final = re.compile(r"답장|답문|회신|대답|답(?:을|한|했)")
_REPLIED_TO: Final = (re.compile(rf"{_WHO}(?:의)?\s+(?:[가-힣]{{2,4}}\s+)?{_MEDIUM}(?:에|에다|에다가)\s"),
                      re.compile(rf"{_WHO}\s*(?:한테|에게|께)\s*(?:[가-힣]+\s+){{0,2}}(?:답장|답문|회신|대답|답)"))
# the one who receives is not the one who sends: "의뢰인에게 온 문자" went to the client
_RECEIVERS: Final = frozenset({"의뢰인", "원고", "피고", "나", "저", "본인", "내", "제"})
# words that name a sender though they are neither a kin word nor a name
_PERSON_WORDS: Final = frozenset({"의뢰인", "원고", "피고", "상대방", "상대", "남편", "아내", "와이프", "배우자", "며느리", "사위",
                                  "상간녀", "상간남", "내연녀", "내연남"})


def kin(word: str) -> str | None:
    """The family role a kin word names, however it is written: "시모", "시어머님" → 시어머니; "장모님" → 장모."""
    word = word.strip()
    for w in dict.fromkeys((word, word[:-1] if word.endswith("님") else word)):
        if w in FAMILY_ROLES:
            return w
        if (role := next((x for x in synonyms(w) if x in FAMILY_ROLES), None)) is not None:
            return role
    return None


def _person_word(word: str) -> bool:
    return bool(PERSON_NAME.fullmatch(word)) or word in _PERSON_WORDS or kin(word) is not None


def _found(patterns: Sequence[re.Pattern[str]], question: str, *, medium: bool = False) -> str | None:
    """The first person word the patterns find; with `medium`, only where the question writes a message word in
    the match or right after it ("남편이 보낸 문자", not "남편이 보낸 돈") or asks of replies."""
    for pattern in patterns:
        for m in pattern.finditer(question):
            if medium and not (_MEDIUM_WORD.search(question[m.start():m.end() + _MEDIUM_AFTER])
                               or (_REPLY.search(question) and _MEDIUM_WORD.search(question))):
                continue
            who = m.group("who")
            if kin(who) is None and len(who) > 2 and kin(who[:-1]) is not None:
                who = who[:-1]  # "장모의 위협 문자": a kin word and its particle, read as a name by its surname
            if _person_word(who) or _person_word(who + "님"):
                return who if _person_word(who) else who + "님"
    return None


def asked_sender(question: str) -> str | None:
    """The word naming whose messages a question counts ("시어머니한테 온 문자" → 시어머니, "장모 쪽에서 받은" → 장모,
    "원고가 답장 보낸" → 원고); None when it names no sender or no message ("남편이 보낸 돈"), or only as whose
    messages are meant ("남편 문자 중 …": which of them, not all of them, is asked)."""
    came = _found((_FROM,), question, medium=True)
    if came in _RECEIVERS:  # "의뢰인에게 온 문자": to the client; the sender is named another way, if at all
        came = None
    return came or _found((_SIDE, _SUBJECT), question, medium=True)


def replied_to(question: str) -> str | None:
    """Whose messages the counted replies answer: "장모 문자에 원고가 답장 보낸 건" → 장모; None when the question
    counts no replies."""
    if not _REPLY.search(question):
        return None
    return _found(_REPLIED_TO, question)


def _tokens(speaker: str) -> list[str]:
    return [t for t in re.split(r"[\s()\[\],/·:]+", speaker) if t]


def sent_by(speaker: str | None, word: str | None, forms: Collection[str]) -> bool:
    """Whether a message's sender is the one the question names: the sender's label is or holds one of the name's
    written `forms` (or the word itself), or carries the same kin word ("시어머니 봉계순" for 시모, "장모님" for 장모)."""
    if not speaker:
        return False
    tokens = _tokens(speaker)
    if speaker in forms or any(f in tokens for f in forms if len(f) >= 2) or (word and word in tokens):
        return True
    role = kin(word) if word else None
    return role is not None and bool(tokens) and kin(tokens[0]) == role


def replies(rows: Sequence[Passage], passages: Sequence[Passage], word: str, forms: Collection[str]) -> list[Passage]:
    """Of the counted messages, those that answer a message of the one `word` names: the message before it in the
    same conversation (chat or message list) is theirs."""
    before: dict[tuple[str, int], Passage] = {}
    last: dict[str, Passage] = {}
    for p in sorted((p for p in passages if p.speaker and not p.is_document), key=lambda p: (p.evidence_id, p.seq)):
        if (prev := last.get(p.evidence_id)) is not None:
            before[(p.evidence_id, p.seq)] = prev
        last[p.evidence_id] = p
    out = []
    for p in rows:
        prev = before.get((p.evidence_id, p.seq))
        if prev is not None and prev.speaker != p.speaker and sent_by(prev.speaker, word, forms):
            out.append(p)
    return out


def typed_or_listed(p: Passage) -> bool:
    """A line of a message record: a typed 문자 내역's row (read as a message, or a document's line), not a chat's."""
    return p.is_document or p.written is not None
