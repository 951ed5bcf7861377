"""Whether-questions about something said ("…하겠다고 한 적", "…을 약속한 메시지", "…하지 말라고 한 적"): the lines
where the asked doer says it (`leh.analysis.said`), the doer found as the case writes them (a party's name and the
words for them, a relative's role words and the name the evidence gives them, a person's name)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

from leh.analysis import whether as act_whether
from leh.analysis.answer import Passage
from leh.analysis.concepts import FAMILY_ROLES, name_forms
from leh.analysis.morph import morphs_many
from leh.analysis.said import read_said, said_lines

if TYPE_CHECKING:
    from leh.services.ask import CaseContext


def _doer_forms(subject: str, ctx: CaseContext, speakers: Sequence[str]) -> tuple[str, ...]:
    """How the evidence writes the one the question says said it."""
    forms: list[str] = [subject]
    for name, words in ctx.parties:
        if subject == name or subject in words or subject in name_forms(name):
            forms += [*name_forms(name), *words]
    roles = {k for k in (*FAMILY_ROLES, *act_whether.RELATIVES) if subject == k}
    roles = roles or {k for k, ws in FAMILY_ROLES.items() if subject in ws}  # 시모 → 시어머니
    for role in roles:
        forms += [role, *FAMILY_ROLES.get(role, ()), *act_whether.RELATIVES.get(role, ())]  # 장인 → 아빠 (his daughter's word)
        forms += [f for n in ctx.roles.get(role, ()) for f in name_forms(n)]
    for who in (*speakers, *ctx.people):
        if subject in name_forms(who):
            forms += name_forms(who)
    return tuple(f for f in dict.fromkeys(forms) if len(f) >= 2)


_SENDER: Final = re.compile(r"(?:상대|발신인|발신자|보낸\s*사람)\s*:\s*([^\s,()]+)")
_GENERIC: Final = frozenset({"상대", "상대방", "본인"})


def _by(forms: tuple[str, ...] | None, ctx: CaseContext) -> Callable[[Passage], bool]:
    if forms is None:
        return lambda p: True
    label = re.compile(rf"^.{{0,40}}?(?:{'|'.join(map(re.escape, forms))})[^:\n]{{0,12}}:", re.MULTILINE)
    told = re.compile(rf"(?:{'|'.join(map(re.escape, forms))})\S{{0,2}}?(?:이|가|은|는|께서)\s")

    def by_doer(p: Passage) -> bool:
        text = p.focus or p.text
        if p.speaker and not p.is_document:  # the writer, or the one the message says said it ("우리 아빠가 … 찾아간다던데")
            return any(p.speaker == f or p.speaker.startswith(f) or p.speaker.endswith(f) for f in forms) or bool(
                told.search(text))
        if label.search(text) or told.search(text):
            return True  # "화자1(소건우): 잠금 풀어", "장모가 … 하겠다고 했다"
        if "[수신]" not in text:
            return False
        # a received row of the doer's messages: the sender the title names ("상대: 장모님"), else the file name's
        around = ctx.around.get((p.evidence_id, p.seq), "") + " " + (p.filename or "")
        sender = _SENDER.search(around)
        where = sender.group(1) if sender else around
        return any(f in where for f in forms if f not in _GENERIC)

    return by_doer


def said_passages(question: str, passages: Sequence[Passage], ctx: CaseContext) -> list[Passage]:
    """The lines where the asked doer says what the question quotes; [] when it quotes nothing or none does."""
    said = read_said(question)
    if said is None:
        return []
    speakers = sorted({p.speaker for p in passages if p.speaker})
    forms = _doer_forms(said.subject, ctx, speakers) if said.subject else None
    aliases = {w: tuple(f for r in (w, *FAMILY_ROLES.get(w, ())) for n in ctx.roles.get(r, ()) for f in name_forms(n))
               for w in said.words}
    pool = [p for p in passages if (p.evidence_id, p.seq) not in ctx.titles]
    return said_lines(said, pool, _by(forms, ctx), aliases, morphs_many)


def said_by_another_only(question: str, passages: Sequence[Passage], ctx: CaseContext) -> bool:
    """Whether the words a question quotes are said in the mood asked only by someone other than the asked doer
    ("남편이 경찰 부르겠다고 한 적" where only the mother-in-law wrote "경찰 부를 거다"): then no line answers it,
    whatever words it shares. Only when the doer is known as the case writes them (a name, a party, a relative)."""
    said = read_said(question)
    if said is None or not said.subject:
        return False
    speakers = sorted({p.speaker for p in passages if p.speaker})
    forms = _doer_forms(said.subject, ctx, speakers)
    if len(forms) < 2:
        return False  # a subject the case does not resolve: its lines may be theirs
    aliases = {w: tuple(f for r in (w, *FAMILY_ROLES.get(w, ())) for n in ctx.roles.get(r, ()) for f in name_forms(n))
               for w in said.words}
    pool = [p for p in passages if (p.evidence_id, p.seq) not in ctx.titles]
    anyone = [p for p in said_lines(said, pool, _by(None, ctx), aliases, morphs_many) if _writer_known(p, ctx)]
    return bool(anyone) and not said_lines(said, anyone, _by(forms, ctx), aliases, morphs_many)


def _writer_known(p: Passage, ctx: CaseContext) -> bool:
    """Whether the case says who wrote the line: a message's writer, a received row's sender the title names; not
    a transcript's "화자1:" whose key may be elsewhere."""
    if p.speaker and not p.is_document:
        return True
    around = ctx.around.get((p.evidence_id, p.seq), "")
    return "[수신]" in (p.focus or p.text) and _SENDER.search(around) is not None
