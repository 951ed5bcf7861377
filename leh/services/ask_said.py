"""Whether-questions about something said ("…하겠다고 한 적", "…을 약속한 메시지", "…하지 말라고 한 적"): the lines
where the asked doer says it (`leh.analysis.said`), the doer found as the case writes them (a party's name and the
words for them, a relative's role words and the name the evidence gives them, a person's name)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

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


def _by(forms: tuple[str, ...] | None, ctx: CaseContext) -> Callable[[Passage], bool]:
    if forms is None:
        return lambda p: True
    label = re.compile(rf"^.{{0,40}}?(?:{'|'.join(map(re.escape, forms))})[^:\n]{{0,12}}:", re.MULTILINE)
    told = re.compile(rf"(?:{'|'.join(map(re.escape, forms))})\S{{0,2}}?(?:이|가|은|는|께서)\s")

    def by_doer(p: Passage) -> bool:
        if p.speaker and not p.is_document:
            return any(p.speaker == f or p.speaker.startswith(f) or p.speaker.endswith(f) for f in forms)
        text = p.focus or p.text
        if label.search(text) or told.search(text):
            return True  # "화자1(소건우): 잠금 풀어", "장모가 … 하겠다고 했다"
        around = ctx.around.get((p.evidence_id, p.seq), "") + " " + (p.filename or "")
        return "[수신]" in text and any(f in around for f in forms)  # a received row of the doer's messages

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
