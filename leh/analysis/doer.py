"""The person who did an act a question names without naming them: "차에서 위치추적기 찾아낸 사람은?", "목격
사실을 의뢰인에게 전해준 사람은 누구였죠?", "돈을 보낸 사람이 누구인지".

A who-question is "the person filling a role in an event": the question's clause before 사람/분 (with no subject
of its own: "아내가 만난 사람" asks whom she met, not who did it) is the act, found by meaning like any topic;
the person is then the doer of each line that shows it: a name written as the line's subject ("원태수는 …
발견하였습니다"), else the line's writer when it speaks in the first person or drops its subject, as Korean
does ("본인은 … 발견하였습니다", "제가 전화로 알렸습니다": the statement's 작성자/진술인; "내 차 밑에서 찾았어": the
message's sender). A line whose subject is "당신"/"너" (the other speaker) or any other word gives no doer.
Pure text work (no I/O).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from leh.analysis.answer import Passage
from leh.analysis.concepts import PERSON_NAME

# "…찾아낸 사람은?", "…전해준 사람은 누구였죠?", "…보낸 사람이 누구인지", "…한 분 성함": a clause ending in an
# adnominal verb (ㄴ/던), then the person asked
_DOER_Q: Final = re.compile(r"^(?P<act>.*[가-힣])\s*(?:사람|분)(?:은|는|이|가|을|를)?(?:\s*(?:누구|누군|이름|성함|성명|신원|특정|확인)\S*)*"
                            r"(?:\s*(?:이었|였|인|입)\S*)?\s*[?.]*\s*$")
# "…보낸 사람이 누구인지 거래내역상 확인 바랍니다": the person asked, then whatever the request adds
_DOER_ASKED: Final = re.compile(r"^(?P<act>.*[가-힣])\s*(?:사람|분)(?:은|는|이|가|을|를)?\s*(?:누구|누군)")
# a clause that has a subject of its own ("남편이 만난", "아내가 머문"): the person is its object or place, not its doer
_OWN_SUBJECT: Final = re.compile(r"(?<![가-힣])[가-힣]{1,6}?(?:님|씨)?(?:이|가|께서)\s")
_FIRST_PERSON: Final = re.compile(r"(?:^|[\s(\"'“])(?:본인(?:은|이)|저(?:는|희가)|제가|나는|내가|진술인(?:은|이)|확인자(?:는|가))(?=\s)")
_SECOND_PERSON: Final = re.compile(r"(?:^|\s)(?:당신|너|니|네|자기|니네)(?:이|가|는|은|도)(?=\s)")
_WRITER_KEYS: Final = ("작성자", "작성인", "진술인", "확인자", "신청인", "발신인", "성명", "이름")
_NAMED_FIELD: Final = re.compile(rf"(?:^|/|\s)([가-힣]{{2,5}})\s*:\s*({PERSON_NAME.pattern})(?![가-힣])")
# a subject that is a party or a relative (not a name): the doer only when the document's fields name them
_ROLE_SUBJECT: Final = re.compile(r"(?<![가-힣])(남편|아내|와이프|배우자|수신인|발신인|상대방|피고|원고|의뢰인|내담자|신고인|"
                                  r"피해자|가해자|신청인|피신청인|시어머니|시아버지|장모|장인|아이|딸|아들|여자|남자|여성|남성)"
                                  r"(?:은|는|이|가|께서)\s")


@dataclass(frozen=True)
class Doer:
    name: str
    line: Passage  # the line that shows the act
    said_by: Passage | None = None  # the document's field line naming its writer, when the doer is the writer


def doer_clause(question: str) -> str | None:
    """The act of a question that asks who did it ("차에서 위치추적기 찾아낸"); None for any other question, and
    for one whose clause has a subject of its own."""
    m = _DOER_ASKED.match(question.strip()) or _DOER_Q.match(question.strip())
    if m is None:
        return None
    act = m.group("act").strip()
    last = act[-1]
    # the clause ends in a verb's adnominal form: a final ㄴ (찾아낸, 보낸, 한) or 던/준/온
    if not ((ord(last) - 0xAC00) % 28 == 4 or last in "던"):
        return None
    if len(act) < 4 or _OWN_SUBJECT.search(act + " "):
        return None
    return act


def person_fields(lines: Sequence[Passage]) -> dict[str, tuple[str, Passage]]:
    """A document's fields that name a person ("수신인: 설윤슬", "작성자: 원태수 (…)"): key → (name, passage)."""
    out: dict[str, tuple[str, Passage]] = {}
    for p in sorted(lines, key=lambda p: p.seq):
        for ln in p.text.split("\n"):
            for m in _NAMED_FIELD.finditer(ln):
                out.setdefault(m.group(1), (m.group(2), p))
    return out


def writer_field(fields: dict[str, tuple[str, Passage]]) -> tuple[str, Passage] | None:
    """The writer a document names in its 작성자/진술인/확인자/성명 field, with the passage that writes it."""
    return next((fields[k] for k in _WRITER_KEYS if k in fields), None)


def act_line(text: str, forms: Sequence[str]) -> str:
    """The line of a passage that writes one of the act's forms (the first one), else its first line."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return next((ln for ln in lines if any(f in ln for f in forms)), lines[0] if lines else "")


def line_doer(p: Passage, line: str, people: Sequence[str], fields: dict[str, tuple[str, Passage]],
              forms: Sequence[str] = ()) -> Doer | None:
    """Who did what the line tells (before the act's word, when it writes one of `forms`): a person of the case
    written as its subject; a party word whose person the document's fields name ("수신인은 …" and "수신인:
    설윤슬"); else, for a line in the first person or without a subject, its writer (a message's sender, a
    statement's named writer); None when someone else is its subject."""
    at = min((i for f in forms if len(f) >= 2 and (i := line.find(f)) >= 0), default=len(line))
    clause = line[:at] + " "
    subj = re.finditer(rf"(?<![가-힣])({PERSON_NAME.pattern})(?:\s*씨|\s*님)?(?:은|는|이|가|께서)(?=\s)", clause)
    named = [m.group(1) for m in subj if m.group(1) in people]
    if named:
        return Doer(named[-1], p)
    first = _FIRST_PERSON.search(clause)
    if not first:
        role = _ROLE_SUBJECT.search(clause)
        if role is not None:
            held = fields.get(role.group(1))
            return Doer(held[0], p, held[1]) if held else None  # "수신인은 …": the 수신인 field's person
        if _SECOND_PERSON.search(clause) or _OWN_SUBJECT.search(clause):
            return None  # "당신이 붙였지?", "아이가 …": someone else did it
    if not p.is_document:
        return Doer(p.speaker, p) if p.speaker else None
    writer = writer_field(fields)
    return Doer(writer[0], p, writer[1]) if writer else None
