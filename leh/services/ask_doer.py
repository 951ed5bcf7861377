"""A whether-question names who did it: "원고가 피고를 때린 적이 있나요?" is not answered by the opponent's blows.

The labels of the cited lines know who did each act (`actor`, issue #12). When the question's subject is one of
the parties (원고/피고, 의뢰인/상대방, a party's name or alias), an answer keeps only the lines whose labels of the
asked kind name that party as the doer, and document lines with no label of that kind (the labeller may have missed
the act: the whether reader's check of the line's subject decides then). A chat message with no such label says
nothing of who did it ("때린 거 인정하네" is the victim's), so it is not an answer. Without a party as the subject,
nothing is filtered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

from leh.analysis import whether as act_whether
from leh.analysis.answer import Claim, item
from leh.analysis.concepts import name_forms
from leh.analysis.morph import morphs
from leh.domain.evidence import EvidenceStatus
from leh.domain.parties import AUTHOR_KEY
from leh.ports import EvidenceStore
from leh.services.read_cache import cached

ROLE_WORDS: Final = {"client": ("의뢰인",), "opponent": ("상대방",)}
_PARTICLE: Final = r"\s?(?:씨|님)?\s?(?:이|가|은|는|께서)(?=\s)"


def asked_party(question: str, parties: Sequence[Mapping[str, Any]] | None) -> str | None:
    """client / opponent when the question's first subject is a party, else None."""
    words = party_words(parties)
    forms = sorted(words, key=len, reverse=True)
    if not forms:
        return None
    m = re.search(r"(?<![가-힣])(" + "|".join(map(re.escape, forms)) + ")" + _PARTICLE, question)
    return words[m.group(1)] if m else None


def party_words(parties: Sequence[Mapping[str, Any]] | None) -> dict[str, str]:
    """Each word that names one party only (name, alias, role, 의뢰인/상대방) → client / opponent."""
    words: dict[str, str] = {}
    for p in parties or []:
        party = str(p.get("party") or "")
        if party not in ROLE_WORDS:
            continue
        for w in (p.get("name"), *(p.get("aliases") or ()), p.get("role"), *ROLE_WORDS[party]):
            if w and str(w).strip():
                words[str(w).strip()] = party if words.get(str(w).strip(), party) == party else ""
    return {w: party for w, party in words.items() if party}


_FIRST_PERSON: Final = ("제가", "내가", "저는", "나는", "저도", "나도", "본인은", "본인이")
_RELATIVES: Final = ("시어머니", "시아버지", "시누이", "시동생", "시모", "시부", "장모님", "장모", "장인어른", "장인", "처제",
                     "처남", "친정어머니", "친정아버지")


# a clause that gives the reason for the act ("아내가 전화를 받지 않는다고 … 욕설을"): its subject is not the doer
_BECAUSE: Final = re.compile(r"[가-힣](?:다고|길래|해서)\s")
_TO_RELATIVE: Final = re.compile(rf"(?:{'|'.join(_RELATIVES)})\s?(?:님)?\s?(?:께|에게|한테|을|를)(?![가-힣])")


def label_actors(evidence: EvidenceStore, case_id: str) -> dict[tuple[str, int], dict[str, frozenset[str]]]:
    """(evidence id, seq) → tag → the actors its labels name; kept until the case's evidence changes."""
    def read() -> dict[tuple[str, int], dict[str, frozenset[str]]]:
        out: dict[tuple[str, int], dict[str, set[str]]] = {}
        rows = evidence.list_summaries(case_ids=[case_id], statuses=[EvidenceStatus.DONE], fields=["labels"])
        for r in rows:
            for label in r.get("labels") or []:
                actor = label.get("actor")
                if not actor:
                    continue
                for seq in label.get("segments") or []:
                    out.setdefault((r["evidence_id"], int(seq)), {}).setdefault(str(label.get("tag")), set()).add(
                        str(actor))
        return {k: {t: frozenset(a) for t, a in v.items()} for k, v in out.items()}

    return cached(evidence, case_id, "ask.actors", read)


def authors(evidence: EvidenceStore, case_id: str) -> dict[str, str]:
    """evidence id → the party the speaker map gives a document's author (`AUTHOR_KEY`), where it gives one."""
    def read() -> dict[str, str]:
        rows = evidence.list_summaries(case_ids=[case_id], statuses=[EvidenceStatus.DONE], fields=["speakers_map"])
        return {r["evidence_id"]: str(m[AUTHOR_KEY]) for r in rows
                if isinstance(m := r.get("speakers_map"), dict) and m.get(AUTHOR_KEY)}

    return cached(evidence, case_id, "ask.authors", read)


def line_doers(text: str, words: Mapping[str, str], act: act_whether.Act, author: str | None) -> tuple[set[str], bool]:
    """Who a document line says did the act: for each sign of it, the last doer named as a subject before it ("아내가
    TV 리모컨으로 제 이마를 내리쳐" is the opponent's blow, whoever shouted after; "의뢰인도 … 던진"; "제가 … 던졌습니다"
    is the author's; "시어머니 탁영숙이 … 소리치고" a relative's: third_party), and whether the signs were the asked
    kind's (else another act's: "휴대폰을 던졌습니다" asked as a push). Empty when the words do not say."""
    pairs, own = _sign_doers(text, words, act, author)
    return {d for _, d in pairs}, own


def _sign_doers(text: str, words: Mapping[str, str], act: act_whether.Act, author: str | None
                ) -> tuple[list[tuple[int, str]], bool]:
    own = [m.start() for k in act.kinds for m in k.signs.finditer(text)]
    signs = sorted(own) or [m.start() for k in act_whether.KINDS for m in k.signs.finditer(text)][:1]
    if not signs:
        return [], False
    forms = sorted(words, key=len, reverse=True)
    names = "|".join(map(re.escape, forms)) if forms else "(?!)"
    subject = re.compile(rf"(?<![가-힣])(?:({names})\s?(?:씨|님)?\s?(?:이|가|은|는|께서|도)|({'|'.join(_FIRST_PERSON)})|"
                         rf"({'|'.join(_RELATIVES)})(?:\s+[가-힣]{{2,4}})?\s?(?:이|가|은|는|께서|도))(?![가-힣])")
    found = list(subject.finditer(text, 0, max(signs)))
    pairs: list[tuple[int, str]] = []
    for at in signs:
        before = [m for m in found if m.end() <= at]
        if not before:
            continue
        last = before[-1]
        if len(before) > 1 and _BECAUSE.search(text, last.end(), at):
            last = before[-2]  # "제가 … 아내가 전화를 받지 않는다고 '미친년'이라는 욕설을": her act is the reason, mine the insult
        if act.to_couple and act.victim is None and _TO_RELATIVE.search(text, last.end(), at):
            continue  # "저도 … 장모님께 버릇없는 말을": done to a relative, not to the spouse asked about
        doer = words[last.group(1)] if last.group(1) else (author if last.group(2) else "third_party")
        if doer:
            pairs.append((at, doer))
    return pairs, bool(own)


_HURT: Final = re.compile(r"이마|찢어|찢어졌|피가|피를|코피|입술|상처|꿰매|꿰맸|깁스|눈\s?(?:을|이|에|가)")


def another_act_only(text: str, act: act_whether.Act) -> bool:
    """Whether a line's words show only another kind of act than the asked one: a sign of another kind ("컵 던진
    거", "휴대폰을 바닥에 던진"), none of the asked kind in the words of either side (the evidence's or the
    question's: "목을 졸랐"), and, for a blow, no body part or injury ("리모컨 던져서 이마 찢어졌어" may be one).
    Such a line does not show the asked act, whatever its labels say: the labels move with the label model, the
    words do not."""
    if any(k.signs.search(text) or k.asked.search(text) for k in act.kinds):
        return False
    if any(k.name == "폭행" for k in act.kinds) and (act_whether.BODY.search(text) or _HURT.search(text)):
        return False
    return any(k.signs.search(text) for k in act_whether.KINDS if k not in act.kinds)


_QUOTED_AFTER: Final = re.compile(r"\s*(?:이)?(?:라고|라는|란|래|이래|라며|이라며|대|댔|다고|다는|다며|단)")
_THIRD_SUBJECT: Final = re.compile(rf"(?<![가-힣])(?:{'|'.join(_RELATIVES)}|엄마|아빠|어머니|아버지|어머님|아버님)"
                                   r"\s?(?:님)?\s?(?:이|가|은|는|께서|도)(?![가-힣])")


def spoken(text: str, act: act_whether.Act) -> bool:
    """Whether a message is itself the asked insult or threat: a slur or a plain threat ("미친년아", "가만 안 둬")
    not quoted as another's ("니가 나한테 미친년이라고 했잖아", "가만 안 둔대") nor said of the reader ("니가 …")
    or of a relative ("엄마가 …")."""
    if act_whether.YOU_DID.search(text) or _THIRD_SUBJECT.search(text):
        return False  # "니가 …", "엄마가 너 가만 안 둔대": another's words
    return any(not _QUOTED_AFTER.match(text, m.end()) for k in act.kinds if k.name in ("폭언", "협박") and k.plain
               for m in k.plain.finditer(text))


_SENTENCE_BREAK: Final = re.compile(r"(?<=[다함음])\.\s+")


def _sentence_of(text: str, at: int) -> str | None:
    """The sentence of a long line that holds position `at`, when it is not the line's first (which is quoted)."""
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        if m.end() > at:
            break
        start = m.end()
    if start == 0:
        return None
    end = _SENTENCE_BREAK.search(text, at)
    return text[start:end.start() + 1 if end else len(text)].strip()


def by_the_asked_doer(question: str, claims: list[Claim], evidence: EvidenceStore, case_id: str,
                      parties: Sequence[Mapping[str, Any]] | None, *, event: bool = False) -> list[Claim]:
    """The claims whose lines show the asked party doing the asked kind of act (see the module docstring);
    `event`: of a question that dates or counts the act ("원고가 때린 날짜")."""
    party = asked_party(question, parties)
    act = act_whether.read_act(question, morphs(question), event=event) if party else None
    if party is None or act is None or not claims:
        return claims
    actors = label_actors(evidence, case_id)
    words = party_words(parties)
    wrote = authors(evidence, case_id)

    focus: dict[tuple[str, int], str] = {}  # a long line's sentence where the asked party does it

    def fits(p: Any) -> bool:
        if another_act_only(p.text, act):
            return False  # "어제 컵 던진 거 기억은 나?" labelled 폭행: a throw, whoever the label says did it
        if p.is_document:  # a document line that names the doer before the act says who did it, whatever a label says
            pairs, asked_kind = _sign_doers(p.text, words, act, wrote.get(p.evidence_id))
            doers = {d for _, d in pairs}
            if doers and (asked_kind or party not in doers):  # another kind of act only tells who did not
                at = next((pos for pos, d in pairs if d == party), None)
                if at is not None and (sentence := _sentence_of(p.text, at)):
                    focus[(p.evidence_id, p.seq)] = sentence
                return party in doers
        writer = words.get(p.speaker or "")
        if writer and spoken(p.text, act):  # "미친년아 전화 받으라고": the writer's own words are the act
            return writer == party
        by_tag = actors.get((p.evidence_id, p.seq), {})
        done = {a for tag, names in by_tag.items() if tag in act.tags for a in names}
        if not done:  # no label of the kind: a document line's words decide; a message alone says not who, but a
            # typed message list's row (문자 내역) the asked party sent is theirs as a document line of theirs would be
            return bool(p.is_document) or (p.written is not None and writer == party)
        return party in done

    def refocused(c: Claim) -> Claim:  # "… 욕하고 …. 저도 … 장모님께 버릇없는 말을": quote the asked party's sentence
        only = c.sources[0] if len(c.sources) == 1 else None
        key = (only.evidence_id, only.seq) if only is not None else None
        return item(replace(only, focus=focus[key])) if only is not None and key in focus else c

    kept = [c for c in claims if not c.header and any(fits(p) for p in c.sources)]
    if not kept:
        return []
    shown = {(p.evidence_id, p.seq) for c in kept for p in c.sources}
    headers = [replace(c, sources=[p for p in c.sources if (p.evidence_id, p.seq) in shown]) for c in claims if c.header]
    if len(kept) < len([c for c in claims if not c.header]):
        return [*headers, *map(refocused, kept)]
    return [c if c.header else refocused(c) for c in claims]


# a line that tells of harm suffered ("떠밀려 넘어지며", "얼굴을 맞았다고", "눈 밑이 다 긁혔어")
_SUFFERED: Final = re.compile(r"맞았|맞은|맞아서|맞고|떠밀려|밀려서|밀려\s|긁혔|다쳤|찢어졌|찢어져|부러졌|넘어지며|넘어졌")
_OWN_ACT: Final = re.compile(r"(?<![가-힣])(?:내가|제가)\s")


def not_the_asked_partys_harm(question: str, claims: list[Claim], parties: Sequence[Mapping[str, Any]] | None
                              ) -> list[Claim]:
    """"의뢰인이 배우자에게 손을 댄 적이 있는지": a line that tells of harm the asked party suffered (their own
    진단서's "떠밀려 넘어지며", their message "얼굴에 던져서 눈 밑이 다 긁혔어") shows what was done to them, not by
    them: it is no "예". A line where they tell of their own act too ("내가 …") stays."""
    party = asked_party(question, parties)
    if party is None or not claims:
        return claims
    forms = {f for p in parties or [] if p.get("party") == party
             for f in (*name_forms(str(p.get("name") or "")), *(str(a) for a in p.get("aliases") or ())) if len(f) >= 2}

    def suffered(p: Any) -> bool:
        text = p.focus or p.text
        if not _SUFFERED.search(text) or _OWN_ACT.search(text):
            return False
        return p.speaker in forms if p.speaker else any(f in (p.filename or "") for f in forms)

    dropped = {(p.evidence_id, p.seq) for c in claims if not c.header for p in c.sources if suffered(p)}
    if not dropped:
        return claims
    kept = [c for c in claims if c.header or not all((p.evidence_id, p.seq) in dropped for p in c.sources)]
    kept = [replace(c, sources=[p for p in c.sources if (p.evidence_id, p.seq) not in dropped]) if c.header else c
            for c in kept]
    return [c for c in kept if not c.header or c.sources] if any(not c.header for c in kept) else []
