"""Who a document names in one of its fields: "진단서 담당의는 누구입니까", "녹취록 화자2가 누구인지?",
"학교 상담 기록 작성한 교사?".

A form-like document writes its people as fields ("담당의: 천우겸 (인)", "화자2: 인가람 (피고, 아내)", "상담자:
담임교사 방윤지"). A question that names the document (by its kind in the file name or its heading) and the
field (its key, a word for the same role, or the role written before the name) is answered by that line, and
by the document's other field lines that write the same person ("성명: 단미란 / 관계: …" beside "확인자:
단미란"). Pure text work on the passages of the named documents: no Kiwi.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from leh.analysis.answer import Claim, Passage, quote
from leh.analysis.concepts import PERSON_NAME

# "담당의: 천우겸 (인)", "상담자: 담임교사 방윤지", "화자2: 인가람 (피고, 아내)"; the name's surname is not
# checked (옹, 단 are rare surnames): the field's key must be one that holds a person (`_PERSON_KEY`).
_FIELD: Final = re.compile(r"^\s*([가-힣][가-힣0-9 ]{0,9}?)\s*:\s*(?:([가-힣]{2,8})\s+)?([가-힣]{2,4})\s*(?:\(|$)")
# Keys that hold a person: …자 (작성자, 신고자, 화자2), …인 (진술인), …의 (담당의), …사 (의사), …관, …원, 성명.
_PERSON_KEY: Final = re.compile(r"(?:[자인의사관원]|성명|담임|교사)\d*$")
# Words for the same role in a document's fields (the question's word → the keys that hold that person).
_ROLE_KEYS: Final = (
    (("작성자", "작성인", "작성한", "작성하", "쓴 사람", "써준", "써 준", "써 주신", "쓴 분"),
     ("작성자", "작성인", "확인자", "진술인", "상담자", "기록자")),
    (("의사", "담당의", "주치의", "진료의", "전문의"), ("의사", "담당의", "주치의", "진료의", "전문의", "담당의사")),
    (("교사", "선생님", "담임"), ("담임", "담임교사", "교사", "상담교사")),
    (("변호사",), ("변호사", "상담변호사", "담당변호사")),
)
_ASKS_PERSON: Final = re.compile(r"누구|누군|누가|이름|성명|성함|신원|관계|(?:사람|분)(?:은|는|이|가)?\s*\??\s*$")
_TAIL: Final = re.compile(r"(?:은|는|이|가|을|를)?\??$")
MAX_FIELD_LINES: Final = 200  # field lines read per question (documents named by the question only)


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def _named_docs(question: str, passages: Sequence[Passage]) -> set[str]:
    """The documents the question names by their kind: the file name's first part ("진단서_모경아.txt" →
    진단서) or the heading ("녹 취 록") written in the question."""
    q = _flat(question)
    heads: dict[str, Passage] = {}
    for p in passages:
        if p.is_document and (p.evidence_id not in heads or p.seq < heads[p.evidence_id].seq):
            heads[p.evidence_id] = p
    out: set[str] = set()
    for eid, head in heads.items():
        kind = re.split(r"[_.\s]", head.filename or "")[0]
        kinds = {kind, _flat(head.text)[:20]}
        if _STATEMENT.search(kind):  # "사실확인서" is also named "확인서"
            kinds.add(kind[-3:])
        if any(len(k) >= 3 and k in q for k in kinds):
            out.add(eid)
    return out


# A statement of its writer ("사실확인서", "진술서"): its 성명 field names who wrote it.
_STATEMENT: Final = re.compile(r"(?:확인서|진술서|경위서)$")


def _roles_of(key: str, before: str | None, question: str, statement: bool = False) -> list[str]:
    """The question's words this field answers: its key ("화자2"), a word for the same role ("작성자" →
    확인자), or the role written before the name ("담임교사 방윤지" for 교사); [] for a field that holds no
    person ("발생 장소: 신고자 주거지")."""
    q = _flat(question)
    k = _flat(key)
    if not _PERSON_KEY.search(k):
        return []
    out = [k] if len(k) >= 2 and k in q else []
    for i, (words, keys) in enumerate(_ROLE_KEYS):
        hit = next((w for w in words if _flat(w) in q), None)
        writer = i == 0 and statement and k == "성명"  # a 사실확인서's 성명 is who wrote it
        if hit and (k in keys or (before is not None and before in keys) or writer):
            out.append(_flat(hit))
    if before:
        out += [before[i:] for i in range(len(before) - 1) if before[i:] in q][:1]
    return out


# A profession or office a question may ask the person of ("속기사", "의사", "변호사", "사무장", "경찰관"): a word
# of two syllables or more ending as such words do; family and party words end otherwise (남편, 시어머니, 원고).
_OFFICE: Final = re.compile(r"(?<![가-힣])([가-힣]{1,4}(?:사|의|관|장))(?=\s|[은는이가을를의도에]|$|\?)")
_NOT_OFFICE: Final = frozenset({"의사소통", "회사", "이사", "검사", "조사", "감사", "여사", "사장", "시장", "마장", "현장", "입장",
                                 "주장", "문장", "공장", "통장", "직장", "서장", "원장", "회의", "의의", "주의", "합의",
                                 "동의", "협의", "결의", "호의", "항의", "모의", "본관", "기관", "경관"})
_NAME: Final = rf"({PERSON_NAME.pattern})"
MAX_OFFICE_LINES: Final = 2000  # document lines read for an office's person


def _offices(question: str) -> list[str]:
    """The offices the question names and the other words for them (의사 → 전문의, 주치의 …)."""
    out = [m.group(1) for m in _OFFICE.finditer(question) if m.group(1) not in _NOT_OFFICE]
    for words, keys in _ROLE_KEYS:
        if any(w in out for w in words):
            out += [k for k in keys if k not in out]
    return out


def office_person(question: str, passages: Sequence[Passage], docs: set[str] | None = None) -> list[Claim]:
    """"녹음 파일을 글로 옮긴 속기사 누구예요", "진단서 작성한 의사 이름": the person a document writes right
    after the asked office ("작성자: 속기사 연보미", "외과 전문의 곽도림", "대리인 변호사 금하준 (…)"), in any
    document of the case, however the question names the document (of the documents it names, `docs`, when they
    write one); [] when the question asks no person or names no office, or no document line writes one."""
    if not _ASKS_PERSON.search(question):
        return []
    offices = _offices(question)
    if not offices:
        return []
    rx = re.compile(rf"(?<![가-힣])({'|'.join(map(re.escape, sorted(offices, key=len, reverse=True)))})\s+{_NAME}"
                    r"(?=\s*(?:\(|$|,|\.|\s*[(（]?인[)）]?\s*$))")
    claims: list[Claim] = []
    names: set[str] = set()
    read = 0
    for p in sorted(passages, key=lambda p: not docs or p.evidence_id not in docs):  # the named documents first
        if not p.is_document or (docs and claims and p.evidence_id not in docs):
            continue
        for line in p.text.split("\n"):
            read += 1
            if read > MAX_OFFICE_LINES:
                return claims
            m = rx.search(line)
            if m is None or m.group(2) in names:
                continue
            names.add(m.group(2))
            doc = p.filename or "문서"
            claims.append(Claim(f"{doc}에 {m.group(1)}(으)로 적힌 사람은 {m.group(2)}입니다: {quote(line.strip())}",
                                [replace(p, focus=line.strip())]))
            if len(claims) >= 3:
                return claims
    return claims


def field_person(question: str, passages: Sequence[Passage]) -> list[Claim]:
    """The person the named document writes in the asked field, with its line and the document's other field
    lines that write them; [] when the question names no document, no field, or does not ask a person. A question
    that names an office ("속기사", "의사") is answered by the person written right after it (`office_person`)
    when it names no document or no field of it."""
    docs = _named_docs(question, passages)
    if not docs:
        return office_person(question, passages) or activity_person(question, passages)
    asks = bool(_ASKS_PERSON.search(question))
    tail = _TAIL.sub("", _flat(question))
    hits: list[tuple[Passage, str, str, str]] = []  # passage, line, role word, name
    read = 0
    for p in passages:
        if p.evidence_id not in docs:
            continue
        for line in p.text.split("\n"):
            m = _FIELD.match(line)
            read += 1
            if not m or read > MAX_FIELD_LINES:
                continue
            statement = bool(_STATEMENT.search(re.split(r"[_.\s]", p.filename or "")[0]))
            roles = _roles_of(m.group(1), m.group(2), question, statement)
            if roles and (asks or any(tail.endswith(r) for r in roles)):
                hits.append((p, line.strip(), m.group(1).strip(), m.group(3)))
    # a statement's 성명 names its writer only where no field of it says so itself ("확인자: 곽은비")
    named = {p.evidence_id for p, _, key, _ in hits if _flat(key) != "성명"}
    # (nor when the question names the writer already: "작성자 라윤희는 원고와 무슨 관계" asks about her)
    hits = [h for h in hits if _flat(h[2]) != "성명" or _flat(h[2]) in _flat(question)
            or (h[0].evidence_id not in named and h[3] not in question)]
    claims: list[Claim] = []
    for p, line, key, name in hits[:3]:
        doc = p.filename or "문서"
        claims.append(Claim(f"{doc}의 {key} 란에 적힌 사람은 {name}입니다: {quote(line)}", [replace(p, focus=line)]))
        same = [q for q in passages if q.evidence_id == p.evidence_id and q.seq != p.seq
                and any((m := _FIELD.match(ln)) and m.group(3) == name for ln in q.text.split("\n"))]
        claims += [Claim(f"같은 문서에는 {quote(q.text)}라는 기재도 있습니다.", [q]) for q in same[:2]]
    return claims or office_person(question, passages, docs) or activity_person(question, passages)


# A field whose key is the one who does an activity: "상담자", "상담사", "조사관", "기록자", "작성자"; its activity is
# the key less that ending ("상담"). "담당: 사무장 기태윤" does the activity of its document's kind (상담일지 → 상담).
_DOER_END: Final = re.compile(r"(?:교사|선생님|담당자|담당|[자인사원관])\d*$")
_IN_CHARGE: Final = frozenset({"담당", "담당자"})
_KIND_END: Final = re.compile(r"(?:일지|기록지|기록|확인서|보고서|신청서|서|록|지)$")
# the question receives the activity ("상담받은 사람", "진료를 받은 환자"): the doer is not asked
_UNDERGONE: Final = r"\s*(?:을|를)?\s*받"


def _asks_doer(activity: str, question: str) -> bool:
    """Whether the question asks who did the activity: "상담을 진행한 사람", "누가 상담했나요", "상담 맡았던 분",
    "상담 담당자", "상담해 준 사람"; not "상담받은 사람" nor a question that only names the activity."""
    a = re.escape(activity)
    if re.search(a + _UNDERGONE, question):
        return False
    return re.search(rf"{a}\s*(?:을|를|은|는)?\s*(?:진행|담당|맡|주관|해\s*(?:준|주|줬|주신)|한\s|했|하신|하셨|하였|하던|"
                     rf"하는|한(?:\s*(?:사람|분|이))|자(?![가-힣])|자(?=[은는이가를]))", question) is not None


def activity_person(question: str, passages: Sequence[Passage]) -> list[Claim]:
    """"상담을 진행한 사람은 누구인가요?", "누가 상담했나요?": the person a document's field names as the one who
    did the activity the question asks the doer of (the key "상담자"/"상담사", or a 상담일지's "담당"), whatever the
    question calls the document; [] when the question asks no person or no field is the doer of its activity."""
    if not _ASKS_PERSON.search(question):
        return []
    claims: list[Claim] = []
    read = 0
    for p in passages:
        if not p.is_document:
            continue
        kind = _KIND_END.sub("", re.split(r"[_.\s]", p.filename or "")[0])
        for line in p.text.split("\n"):
            read += 1
            if read > MAX_OFFICE_LINES:
                return claims
            m = _FIELD.match(line)
            if not m:
                continue
            key = _flat(m.group(1))
            if not _DOER_END.search(key):
                continue
            stem = _DOER_END.sub("", key)
            activity = stem if len(stem) >= 2 else kind if key in _IN_CHARGE else ""
            if len(activity) < 2 or not _asks_doer(activity, question):
                continue
            if any(c.sources[0].evidence_id == p.evidence_id for c in claims):
                continue
            doc = p.filename or "문서"
            claims.append(Claim(f"{doc}의 {m.group(1).strip()} 란에 적힌 사람은 {m.group(3)}입니다: {quote(line.strip())}",
                                [replace(p, focus=line.strip())]))
            if len(claims) >= 3:
                return claims
    return claims
