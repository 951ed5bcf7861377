"""Questions answered only from the case's evidence, with numbered citations (POST /api/cases/{id}/ask).

The question's type decides the answer (`leh.analysis.question.question_kind`): what happened on a date or in
a month (that date's passages in order), who a person is (the relation the evidence states, how it writes
them, first and last mention), when something began or stopped (the earliest and latest evidence, saying which
is which), how often (the days it is shown on), when something happened, and whether the evidence shows it.
A passage is about the question only if it holds the question's topic nouns (or, without nouns, its
predicate), or carries a label the question names; a question asking for a value (금액, 나이, 기간) also
needs a passage that states one, so "남편의 월급은 얼마인가요?" is refused when 월급 occurs with no amount.
Nothing about the question → exactly NO_ANSWER, nothing cited.

Offline, the answer is composed (`leh.analysis.answer`); with an AI writer configured, the model writes it from
the same passages, and every sentence must cite them and pass the same support check
(`leh.analysis.answer_check`): unsupported sentences are dropped, and with none left the offline answer stands.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from leh.analysis import whether as act_whether
from leh.analysis.act_event import EVENT_KINDS, act_event
from leh.analysis.answer import (
    DAY_UNKNOWN,
    Claim,
    Passage,
    began_or_stopped,
    focus_line,
    how_often,
    item,
    on_date,
    quote,
    relation_stated,
    render,
    role_who,
    since_worded,
    when_did,
    when_ko,
    whether,
    who,
)
from leh.analysis.answer_check import MARKER, unsupported
from leh.analysis.asked import (
    UNKNOWN_TEXT,
    all_stated,
    asked_details,
    asks_intent,
    is_party,
    only_promised,
    same_medium,
)
from leh.analysis.concepts import (
    ACT_PARAPHRASES,
    AFFAIR_WORDS,
    FAMILY_ROLES,
    FEE_SUFFIXES,
    NEGATED_TEXT,
    PERSON_NAME,
    PERSON_NOUNS,
    SURNAMES,
    doc_context,
    name_forms,
    role_names,
    synonyms,
)
from leh.analysis.doer import act_line, doer_clause, line_doer, person_fields
from leh.analysis.fields import field_person
from leh.analysis.intent import asked_done, only_meant
from leh.analysis.morph import morphs, morphs_many
from leh.analysis.never import asked_object, asked_person, never_done, reversed_roles
from leh.analysis.question import (
    MONEY_NOUNS,
    MONEY_WORDS,
    REPLY_Q,
    STOPWORDS,
    DateRange,
    Kind,
    Topic,
    Wants,
    amount_near,
    question_date,
    question_kind,
    question_topic,
    question_wants,
    states_value,
    tag_in,
    tag_phrases,
    text_dates,
    text_months,
    time_frame_removed,
    topic_match,
    value_in,
    who_name,
)
from leh.analysis.relations import child_given_names, relation_from_the_other_side
from leh.analysis.senders import asked_sender, kin, replied_to, replies, sent_by, typed_or_listed
from leh.analysis.summary import josa
from leh.analysis.witness import read_witness, witnessed
from leh.domain.draft.sentences import split_sentences
from leh.domain.errors import ValidationFailed
from leh.domain.evidence import EvidenceStatus, counted_ids
from leh.domain.parties import Parties
from leh.ports import AnalysisContext, Answerer, EvidenceStore, SearchIndex
from leh.services.ask_admit import admitted
from leh.services.ask_doer import by_the_asked_doer, not_the_asked_partys_harm
from leh.services.ask_fallback import answer_by_meaning
from leh.services.ask_said import said_by_another_only, said_passages
from leh.services.read_cache import cached

NO_ANSWER: Final = "제공된 증거 내에서 해당 사실을 확인할 수 없습니다."
MAX_QUESTION_CHARS: Final = 500
SEARCH_CANDIDATES: Final = 50
MAX_CITATIONS: Final = 10
MAX_COUNTED: Final = 50  # messages a count cites at most (more: "50건이 넘습니다")
SNIPPET_CHARS: Final = 120
READ_WHOLE_CASE: Final = 3000  # passages: up to this, every one is read for the question's topic
MORPH_CANDIDATES: Final = 500  # candidate passages analysed with Kiwi when the topic's nouns alone can decide
_NEGATED_TEXT: Final = NEGATED_TEXT
MAX_PEOPLE: Final = 20  # named persons an unnamed "다른 여성" may be: the case's most written, bounded per request
MODEL_MIN_WEIGHT: Final = 0.75  # a label model's guess below this does not establish an act for an answer
MODEL_ALONE_WEIGHT: Final = 0.9  # below this, only with a word of the act in the segment
MODEL_CHECKS: Final = 300  # segments of one document whose model guesses are checked for a word of the act
CHILD_NAME_PASSAGES: Final = 3000  # passages read for a child's given name (Kiwi on those writing 딸/아들/아이)
ACT_CHECKS: Final = 200  # passages checked for every act of a question whose predicate is its whole topic


@dataclass(frozen=True)
class Plan:
    kind: str
    date: DateRange | None
    name: str | None
    wants: str
    topic: Topic
    role: str | None = None  # "시어머니는 누구인가요?" → 시어머니
    general: bool = False  # "…에 무슨 일이 있었나요?": everything of that date, the topic only ranks
    question: str = ""
    reply: bool = False  # "…했을 때 남편은 어떻게 답했습니까?": the replies to the messages about the topic
    aside: tuple[str, ...] = ()  # "휴대폰 말고 다른 물건을": what the question sets aside


# Roles a question may ask the person of without naming them; the affair partner is found through the act.
AFFAIR_ROLES: Final = frozenset({"상간녀", "상간남", "상간자", "상간", "내연녀", "내연남", "내연", "애인", "불륜", "외도",
                                 "바람", "여자", "남자", "여자친구", "남자친구", "여성", "남성"})
_GENERAL: Final = re.compile(r"무슨\s*일|어떤\s*일|있었던\s*일|일어난|있었(?:나|는지|어|지|죠|니|습니까)|상황|경위|정리|요약|"
                             r"알려|대화|내용|뭐가|무엇이|무슨\s*얘기|어땠|뭐라고|무엇이라고|메시지|문자|카톡|한\s*말|"
                             r"무엇을\s*했|뭘\s*했|뭐\s*했|한\s*일|동선|행적|행방")
_WHO_ROLE: Final = re.compile(r"누구|누군|이름|성명|성함|신원|인적\s*사항|상대(?:는|가)?\s*\??$")
_PARTICLE_STARTS: Final = frozenset("이가은는을를과와의에랑도만씨님")


# Holidays a question dates itself by: once the date is read, they are not what the evidence must be about.
_HOLIDAY_WORDS: Final = ("설", "설날", "추석", "크리스마스", "성탄절", "어린이날", "어버이날", "신정", "발렌타인", "발렌타인데이",
                         "밸런타인", "밸런타인데이", "데이", "화이트데이")


# a holiday dated by a year relative to the evidence's ("작년 추석", "올해 설날", "지난해 크리스마스")
_HOLIDAY_OF_A_YEAR: Final = re.compile(r"(작년|재작년|올해|금년|지난해|전년)\s*(?:의\s*)?(추석|설날|설|크리스마스|성탄절|어린이날|어버이날|명절)")
_EARLIEST_LATEST: Final = re.compile(r"(?:가장|제일)\s*(?:이른|빠른|늦은|이르|빠르|늦)")
_GOING_ON: Final = ("이어지", "계속", "계속되", "지속되", "계속하", "지속하")
_BUT_NOT: Final = re.compile(r"(?:(\S+)\s+)?(\S+?)\s*말고(?![가-힣])")
_ENDS_WITH_PARTICLE: Final = re.compile(r"(?:이|가|은|는|을|를|에|의|도|에서|한테|에게)$")
_ITEM_PARTICLE: Final = re.compile(r"(?:은|는|이랑|랑|이나|나|와|과|을|를)$")


def set_aside(question: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """"휴대폰 말고 다른 물건을 던진", "저축은행 대출 말고 다른 빚", "반찬가게·학원 말고 병원": the things a question
    sets aside (휴대폰; 저축은행, the word that singles the item out; 반찬가게, 학원) and every word of them, which
    is no topic. ((), ()) without "말고"."""
    m = _BUT_NOT.search(question)
    if m is None:
        return (), ()
    first, last = m.group(1), _ITEM_PARTICLE.sub("", m.group(2))
    words = [last]
    if first and not _ENDS_WITH_PARTICLE.search(first) and len(first) >= 2:
        words = [first, last]  # "저축은행 대출": the bank singles the loan out
    items = [w for w in re.split(r"[·,/]|(?<=[가-힣])(?:와|과|랑|이랑)(?=[가-힣])", words[0]) if len(w) >= 2]
    parts = [w for word in words for w in re.split(r"[·,/]", word) if w]
    return tuple(items), tuple(parts)


def plan_question(question: str) -> Plan:
    kind = question_kind(question)
    name = who_name(question) if kind == Kind.WHO else None
    date = question_date(question)
    aside, aside_words = set_aside(question)
    topic = question_topic(question, drop=[*([name] if name else []), *(_HOLIDAY_WORDS if date else []), *aside_words,
                                           *(["곳", *_WHERE_VERBS] if date and "어디" in question else [])])  # "그날 간 곳은 어디"
    if aside_words:  # Kiwi's pieces of a compound set aside ("저축은행" → 저축, 은행) are no topic either
        topic = replace(topic, nouns=tuple(n for n in topic.nouns if not any(n in w for w in aside_words)))
    if date is None and (held := _HOLIDAY_OF_A_YEAR.findall(question)):
        # "작년 추석에 무슨 일": the year the evidence gives 추석 is not the question's; its lines write 추석
        topic = replace(topic, nouns=tuple(n for n in topic.nouns if n not in {w for w, _ in held}))
    if kind in (Kind.BEGAN, Kind.STOPPED):
        # "증거상 가장 이른 시점": 이르 and 늦 say which end is asked; "며칠부터 이어지고 있나": that it goes on
        ends = ("이르", "빠르", "늦") if _EARLIEST_LATEST.search(question) else ()
        topic = replace(topic, verbs=tuple(v for v in topic.verbs if v not in (*ends, *_GOING_ON)))
    role = None
    if kind in (Kind.WHETHER, Kind.WHO) and name is None and _WHO_ROLE.search(question):
        written = next((n for n in topic.nouns if _family_role(n) or n in AFFAIR_ROLES), None)
        role = (_family_role(written) or written) if written else None
        if role and "누구" not in question and "누군" not in question and not _role_named(written or "", question):
            role = None  # "딸이 다니는 어린이집 이름은?" asks the name of the 어린이집
        if role is None and "상대" in question and topic.tags & {"외도", "부적절한 만남"}:
            role = "외도"  # "남편이 바람 피운 상대는?"
        kind = Kind.WHO if role else kind
    elif kind == Kind.ON_DATE and name is None and (family := _named_family(question, topic)) is not None:
        kind, role = Kind.WHO, family  # "2024년 늦가을부터 한집에 살게 된 시모 이름이 뭐였죠": the date only describes her
    reply = kind == Kind.WHETHER and bool(REPLY_Q.search(question))
    if reply and topic.nouns:
        topic = replace(topic, verbs=())  # what was asked or said is shown by the reply, not by its words
    return Plan(reply=reply, kind=kind, date=date, name=name, wants=question_wants(question), aside=aside,
                topic=topic, role=role, general=bool(_GENERAL.search(question)), question=question)


def _role_named(written: str, question: str) -> bool:
    """Whether the question asks the name of the one it calls `written`: "시모 이름이 뭐였죠", "처남이 되는 사람
    이름?", "처남 되시는 분 성함"; not "딸이 다니는 어린이집 이름은?"."""
    return re.search(rf"{re.escape(written)}\S{{0,2}}\s*(?:(?:이\s*)?(?:되는|되시는|인)\s*(?:사람|분)\S{{0,2}}\s*)?"
                     r"(?:의\s*)?(?:이름|성함|성명|신원|인적)", question) is not None


def _named_family(question: str, topic: Topic) -> str | None:
    """The family role whose name a question asks, written right before 이름/성함 ("시모 이름이 뭐였죠"), whatever
    else it says of them; None for any other question (a date's "누구를 만났나요?" asks that day's events)."""
    for n in topic.nouns:
        role = _family_role(n)
        if role and re.search(rf"{re.escape(n)}\S{{0,2}}\s*(?:의\s*)?(?:이름|성함|성명)", question):
            return role
    return None


def _family_role(noun: str) -> str | None:
    """The family role a question's noun names, also by another word for it ("시모" → 시어머니) or as the one role
    whose words hold it ("남동생" → 처남)."""
    if noun in FAMILY_ROLES:
        return noun
    other = next((w for w in synonyms(noun) if w in FAMILY_ROLES), None)
    holding = [role for role, words in FAMILY_ROLES.items() if noun in words]
    return other or (holding[0] if len(holding) == 1 else None)


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


def _year(ts: str | None) -> int | None:
    return int(ts[:4]) if ts and ts[:4].isdigit() else None


def case_passages(evidence: EvidenceStore, case_id: str) -> tuple[Passage, ...]:
    """Every non-system segment of the case's processed evidence, with the tags of its labels.

    Kept per case until its evidence changes (`read_cache`): shared between requests, so never changed in place.
    """
    return cached(evidence, case_id, "ask.passages", lambda: tuple(_read_passages(evidence, case_id)))


# A document's dated field ("수상일: 2024년 6월 8일") that a photo's parser kept as a date header (kind system): a
# line of the document, not a chat's day separator (which writes no key before the date)
_DATED_FIELD: Final = re.compile(r"^\s*[가-힣][가-힣 ]{0,10}\s*:\s*\d{4}\s*[년.\-/]")


def _read_passages(evidence: EvidenceStore, case_id: str) -> list[Passage]:
    out: list[Passage] = []
    done = [d for d in evidence.list_case(case_id) if d.get("case_id") == case_id and d.get("status") == EvidenceStatus.DONE]
    counted = counted_ids(done)  # identical files count once (search already holds one copy)
    done.sort(key=lambda d: (str(d.get("uploaded_at") or ""), str(d.get("filename") or ""), str(d["evidence_id"])))
    for doc in done:
        if doc["evidence_id"] not in counted:
            continue
        tags = _segment_tags(doc)
        year = _year(doc.get("event_time"))
        for s in doc.get("segments") or []:
            field = s.get("kind") == "system" and _DATED_FIELD.match(s.get("text") or "") is not None
            if (s.get("kind") == "system" and not field) or not (s.get("text") or "").strip():
                continue
            seq = int(s["seq"])
            out.append(Passage(evidence_id=doc["evidence_id"], seq=seq, text=s["text"], ts=s.get("ts"),
                               speaker=s.get("speaker"), filename=doc.get("filename"),
                               kind="text" if field else s.get("kind") or "speech",
                               tags=frozenset(tags.get(seq, ())),
                               doc_year=_year(s.get("ts")) or year, precision=s.get("ts_precision"),
                               refers=_refers(s.get("refers_to")), uploaded=str(doc.get("uploaded_at") or ""),
                               written=(s.get("ref") or {}).get("as_written")))
    return out


def _segment_tags(doc: Any) -> dict[int, set[str]]:
    """Tags per segment: the analysis's hits, without a label model's weak guesses, and the lawyer's labels. A
    model's guess below MODEL_ALONE_WEIGHT counts only where the segment holds a word of the act ("다른 손님 두
    명이 있었습니다" guessed 외도 at 0.79 holds none)."""
    tags: dict[int, set[str]] = {}
    hits = doc.get("hits")
    texts = {int(s["seq"]): s.get("text") or "" for s in doc.get("segments") or []}
    checked = 0
    for label in doc.get("labels") or []:
        if not hits or label.get("source") == "lawyer":
            for seq in label.get("segments") or []:
                tags.setdefault(int(seq), set()).add(str(label.get("tag")))
    for h in hits or []:
        model = str(h.get("rule", "")).startswith("model:")
        if model and float(h.get("weight") or 0) < MODEL_MIN_WEIGHT:
            continue
        text = texts.get(int(h["seq"]), "")
        if model and float(h.get("weight") or 0) < MODEL_ALONE_WEIGHT and checked < MODEL_CHECKS:
            checked += 1  # Kiwi on at most MODEL_CHECKS segments a document (read once per case, then cached)
            if not tag_in(str(h.get("tag")), text, {m.form for m in morphs(text)}):
                continue
        tags.setdefault(int(h["seq"]), set()).add(str(h.get("tag")))
    return tags


def _refers(refers: Any) -> tuple[int, int, int] | None:
    ts = refers.get("ts") if isinstance(refers, dict) else None
    if not isinstance(ts, str) or len(ts) < 10 or not ts[:4].isdigit():
        return None
    try:
        return int(ts[:4]), int(ts[5:7]), int(ts[8:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class CaseContext:
    """What surrounds each passage (its document's kind and title lines, the message before it) and the names
    the evidence gives to family roles ("아들 박하준"); kept per case with its passages."""

    around: dict[tuple[str, int], str]
    roles: dict[str, tuple[str, ...]]
    replied: dict[tuple[str, int], Passage] = field(default_factory=dict)  # a reply → the message it answers
    titles: frozenset[tuple[str, int]] = frozenset()  # a document's title lines ("진료확인서", "환자 성명: …")
    implied: dict[str, frozenset[str]] = field(default_factory=dict)  # evidence id → what its kind makes true
    answers: dict[tuple[str, int], Passage] = field(default_factory=dict)  # a message → the reply it got
    people: tuple[str, ...] = ()  # persons the case names who are neither writers of messages nor family
    persons: dict[str, str] = field(default_factory=dict)  # document id → the names it writes anywhere
    parties: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the parties the lawyer named: (name, words for them)


def case_context(evidence: EvidenceStore, case_id: str, passages: Sequence[Passage]) -> CaseContext:
    return cached(evidence, case_id, "ask.context", lambda: _build_context(passages))


TITLE_LINES: Final = 3  # a document's first lines (title, 작성자, 환자 성명) describe every line of it
_TITLE_CHARS: Final = 40
# a heading that writes its details in brackets ("문자 메시지 내역 (표준호 휴대전화 수신, 발신자 소지훈 …, 피고의 남동생)"):
# a title however long, so whose messages its rows are is what each row is about
_BRACKETED_HEAD: Final = re.compile(r"^[^()\[\]]{2,30}[(\[][^()\[\]]{4,100}[)\]]\s*$")
_DATED_ROW: Final = re.compile(r"\s*(?:\d+\.\s+)?\d{4}\s*[.\-/년]")  # a ledger row or a dated line: content, not title
_SENTENCE_END: Final = re.compile(r"(?:[.!?]|[다함음임])\s*$")


def _build_context(passages: Sequence[Passage]) -> CaseContext:
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.evidence_id, []).append(p)
    around: dict[tuple[str, int], str] = {}
    replied: dict[tuple[str, int], Passage] = {}
    titles: set[tuple[str, int]] = set()
    implied: dict[str, frozenset[str]] = {}
    answers: dict[tuple[str, int], Passage] = {}
    persons: dict[str, str] = {}
    for ps in by_doc.values():
        ps.sort(key=lambda p: p.seq)
        if ps[0].is_document:
            heads: list[Passage] = []
            for p in ps[:TITLE_LINES]:  # the short lines at the top, up to the first line of content
                long = len(p.text) > _TITLE_CHARS and not _BRACKETED_HEAD.match(p.text)
                # a message list's row (문자 내역 read as messages) is content, never a title
                if long or not p.is_document or _SENTENCE_END.search(p.text) or _DATED_ROW.match(p.text):
                    break
                heads.append(p)
            titles.update((p.evidence_id, p.seq) for p in heads if len(ps) > len(heads) and not text_dates(p.text, 2000))
            title = " ".join(p.text for p in heads)
            kind = doc_context(ps[0].filename, title)
            implied[ps[0].evidence_id] = kind
            words = " ".join(sorted(kind))
            name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", ps[0].filename or "").replace("_", " ")
            # the persons a document names anywhere (발신인, 수신인, 진술인 …): its lines say "수신인" for 하동수
            persons[ps[0].evidence_id] = " ".join(dict.fromkeys(m.group(1) for p in ps for m in _NAME_WRITTEN.finditer(p.text)))
            for p in ps:
                around[(p.evidence_id, p.seq)] = f"{words} {title} {name}"
        else:
            # who takes part in a conversation is part of what each message is about ("시누이에게 물어본 것")
            members = " ".join(sorted({p.speaker for p in ps if p.speaker}))
            for p in ps:
                around[(p.evidence_id, p.seq)] = members
            for before, p in zip(ps, ps[1:], strict=False):
                if before.speaker != p.speaker:  # a reply: what it answers is its context
                    around[(p.evidence_id, p.seq)] = f"{members} {before.text}"
                    replied[(p.evidence_id, p.seq)] = before
                    answers.setdefault((before.evidence_id, before.seq), p)
    texts = [p.text for p in passages if p.is_document]
    roles = {role: tuple(names) for role in FAMILY_ROLES if (names := role_names(role, texts))}
    speakers = {p.speaker for p in passages if p.speaker}
    # a child the evidence calls by a given name only ("라온이를 만났는데 … 딸이"): 딸 is 라온
    for role, kids in child_given_names([p.text for p in passages][:CHILD_NAME_PASSAGES], sorted(speakers)).items():
        roles.setdefault(role, kids)
    family = {n for names in roles.values() for n in names}
    # the sender of a typed message list (문자 내역: a 상간녀, an in-law) is still one the papers tell of, not a writer
    writers = {p.speaker for p in passages if p.speaker and p.written is None}
    people = tuple([n for n in _case_people(passages) if n not in family and n not in writers][:MAX_PEOPLE])
    return CaseContext(around=around, roles=roles, replied=replied, titles=frozenset(titles), implied=implied,
                       answers=answers, people=people, persons=persons)


_NAME_WRITTEN: Final = re.compile(rf"(?<![가-힣])({PERSON_NAME.pattern})(?=[은는이가을를의와과에도랑]|\s|[(),.]|$)")


def _case_people(passages: Sequence[Passage]) -> list[str]:
    """Persons the case writes more than once and whose relation a document states ("유나래는 … 학원의 강사",
    "회사 팀장 최현우"), most written first: a word that only looks like a name ("어머님이") states none."""
    counts: dict[str, int] = {}
    for p in passages:
        for m in _NAME_WRITTEN.finditer(p.text):
            if m.group(1) not in STOPWORDS:
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    docs = [p.text for p in passages if p.is_document]
    named = [n for n, c in counts.items() if c >= 2 and any(n in t and relation_stated(n, t) for t in docs)]
    return sorted(named, key=lambda n: -counts[n])


def _relevant(index: SearchIndex, case_id: str, topic: Topic, passages: Sequence[Passage],
              context: CaseContext | None = None, *, replies: bool = False) -> list[Passage]:
    """The passages about the topic, most relevant first (then by date); with `replies`, each message about it
    is followed by the reply it got."""
    if topic.empty:
        return []
    ctx = context or CaseContext(around={}, roles={})
    topic = topic.with_aliases({**{n: ctx.people for n in topic.nouns if n in PERSON_NOUNS and ctx.people},
                                **{n: ctx.roles[n] for n in topic.nouns if n in ctx.roles}})
    hits: set[tuple[str, int]] = set()
    if topic.verbs:
        for h in index.search(case_id, " ".join(topic.verbs), limit=SEARCH_CANDIDATES):
            hits.add((h.evidence_id, h.seq))
    # A small case is read whole (Kiwi's lemmas find 때렸습니다 for 때리); a large one only where a form of the
    # question's words is written, its stored labels, and the index's hits for the predicate.
    read_all = len(passages) <= READ_WHOLE_CASE
    forms = [f for n in (*topic.nouns, *(topic.verbs if not read_all else ())) for f in topic.forms(n) if len(f) >= 2]
    if not read_all:  # the lexicon's one-word forms of the act, and amounts for 돈
        forms += [ph[0] for t in topic.tags for ph in tag_phrases(t) if len(ph) == 1 and len(ph[0]) >= 2]
    money = not read_all and any(n in MONEY_WORDS for n in topic.nouns)
    cands = [p for p in passages if read_all or p.tags & topic.tags or (p.evidence_id, p.seq) in hits
             or any(f in p.text for f in forms) or (money and value_in(Wants.AMOUNT, p.text) is not None)]
    need_morphs = len(cands) <= MORPH_CANDIDATES or read_all
    analysed = morphs_many([p.text for p in cands]) if need_morphs else [[] for _ in cands]
    # The cached passages are shared between requests: ranks (and the line a document passage is cited by) are
    # kept here, and only the passages about the topic are copied with them.
    ranks: dict[tuple[str, int], int] = {}
    found: dict[tuple[str, int], Passage] = {}
    focus: dict[tuple[str, int], str | None] = {}
    named = any(PERSON_NAME.fullmatch(n) for n in topic.names)  # "하동수가 집을 나간": 수신인 in his 내용증명
    for p, ms in zip(cands, analysed, strict=True):
        key = (p.evidence_id, p.seq)
        tags = set() if key in ctx.titles else set(p.tags)  # a title line's labels are its document's
        around = ctx.around.get(key, "")
        if named:  # a line writing another person is theirs, whatever its document's title or other lines name
            persons = ctx.persons.get(p.evidence_id, "")
            if _writes_other(p.text, persons, topic.nouns):
                around = " ".join(w for w in around.split() if not any(n in w for n in persons.split()))
            elif not _a_row_of_the_kind(topic, ctx.implied.get(p.evidence_id, frozenset())):
                around = f"{around} {persons}"
        rank = topic_match(topic, p.text, ms, tags, around, ctx.implied.get(p.evidence_id, frozenset()))
        if rank <= 0:
            continue
        if rank >= ranks.get(key, 0):
            ranks[key], found[key] = rank, p
            focus[key] = _best_line(topic, p) if p.is_document and "\n" in p.text.strip() else p.focus
        before = ctx.replied.get(key)
        if before is not None and topic_match(topic, p.text, ms, set(p.tags)) == 0:
            # the reply is about the topic only with the message it answers ("그게 협박이야" after the threat)
            bkey = (before.evidence_id, before.seq)
            if rank >= ranks.get(bkey, 0):
                ranks[bkey], found[bkey], focus[bkey] = rank, before, before.focus
        answer = ctx.answers.get(key) if replies else None
        if answer is not None and rank >= ranks.get(akey := (answer.evidence_id, answer.seq), 0):
            ranks[akey], found[akey], focus[akey] = rank, answer, answer.focus
    out = [replace(p, rank=ranks[k], focus=focus[k]) for k, p in found.items()]
    out.sort(key=lambda p: (-p.rank, p.day() or (9999, 12, 31), p.ts or "", p.doc_order(), p.seq))
    return out


def _a_row_of_the_kind(topic: Topic, implied: frozenset[str]) -> bool:
    """Whether the document's kind makes each of its rows one of the things asked (every row of a 문자 내역 is a
    문자): then a row is about a person only when it or its heading writes them, not another row ("남편 문자 중
    하온이를 언급한 건": a message that does not write 하온이 is none)."""
    return any(f in implied for n in topic.nouns for f in topic.forms(n))


def _writes_other(text: str, persons: str, asked: Sequence[str]) -> bool:
    """Whether the passage writes a person its document names other than the one asked about: then it is about
    that person ("입금 2,800,000 급여 도경환" is no income of 설윤슬, whom other rows name)."""
    return any(n in text and _name_like(n) for n in persons.split() if n not in asked)


def _name_like(word: str) -> bool:
    """Whether a word the name pattern found is a name to Kiwi: nouns only ("이내에", "남편은" are none)."""
    return all(m.tag.startswith("NN") for m in morphs(word))


def _best_line(topic: Topic, p: Passage) -> str | None:
    """The line of a multi-line document passage that is most about the topic (its own words and tags)."""
    lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()]
    scored = []
    for i, (ln, ms) in enumerate(zip(lines, morphs_many(lines), strict=True)):
        scored.append((topic_match(topic, ln, ms, set(p.tags)), -i, ln))
    best = max(scored, default=None)
    return best[2] if best and best[0] > 0 else None


def _on_date(plan: Plan, index: SearchIndex, case_id: str, passages: Sequence[Passage], ctx: CaseContext
             ) -> list[Claim]:
    assert plan.date is not None
    rng = plan.date
    on_day = [p for p in passages if (p.evidence_id, p.seq) not in ctx.titles and not _PERIOD_LINE.search(p.text) and (
        any(rng.contains(*d) for d in p.days())
        or (p.is_document and any(rng.covers_month(*m) for m in text_months(p.text, p.doc_year))))]
    if not plan.general and not plan.topic.empty:
        about = _relevant(index, case_id, plan.topic, on_day, ctx)
        # "11월 30일 아내는 어떤 요구를 했나요?": a kind of utterance, not a subject: that day's messages answer
        speech = not plan.topic.tags and set(plan.topic.nouns) | set(plan.topic.verbs) <= SPEECH_ACTS
        on_day = _with_replies(about, ctx, rng) or ([p for p in on_day if not p.is_document] if speech else
                                                    _the_persons(plan.topic, on_day, ctx))
    return on_date(rng, _stating(plan, on_day, ctx))


def _the_persons(topic: Topic, on_day: list[Passage], ctx: CaseContext) -> list[Passage]:
    """A date question whose topic is only a person ("4월 4일 처남이 한 행동은?", "1. 18. 표준호 씨가 새로 알게 된
    사실"): that day's lines of the person, the messages they wrote, the lines that write them, and the rows of a
    document whose heading or name is theirs ("문자 메시지 내역 (… 발신자 소지훈 …)"); none when a noun is no person."""
    if topic.verbs or topic.tags or not topic.nouns:
        return []
    forms: list[str] = []
    for n in topic.nouns:
        names = ctx.roles.get(n) or ((n,) if PERSON_NAME.fullmatch(n) else ())
        if not names:
            return []
        forms += [f for name in names for f in name_forms(name) if len(f) >= 2]
    return [p for p in on_day if p.speaker in forms or any(f in p.text for f in forms)
            or (p.is_document and any(f in ctx.around.get((p.evidence_id, p.seq), "") for f in forms))]


_WHERE_Q: Final = re.compile(r"어디")
# where someone is or goes: a place written as where they are or go ("경태네 원룸에 있을 거니까", "친구 모경태의
# 원룸으로 나갔습니다", "수련회 가"), not a place they leave ("집을 나갔으며", "집에서 나왔다") nor a word of going alone
# ("나 오늘 나간다" says where from, not where to)
_PLACE_NOUN: Final = (r"(?:집|방|호텔|모텔|회사|사무실|병원|식당|카페|가게|학교|어린이집|유치원|공원|역|터미널|오피스텔|원룸|"
                      r"아파트|빌라|본가|친정|시댁|처가|찜질방|술집|노래방|숙소|수련회|출장|여행|펜션|리조트|고향|직장|"
                      r"사택|기숙사|고시원|찜질방|사우나|피시방|PC방)")
_PLACE: Final = re.compile(rf"{_PLACE_NOUN}(?!\s*(?:을|를)\s*(?:나|떠|비우|뛰쳐))(?!\s*에서\s*(?:나가|나갔|나와|나왔|나오|떠나|떠났))"
                           r"(?:네|이|가|에|에서|으로|로|엔|에는|에서는|까지)?(?=[\s,.!?)]|$)")
# a where-question's verbs of going and being ("향한 곳", "머문 곳") are what the place answers, not a topic
_WHERE_VERBS: Final = ("향하", "머물", "머무르", "지내", "묵", "이동", "이동하", "떠나", "나가", "들어가", "자")


def _stating(plan: Plan, on_day: list[Passage], ctx: CaseContext) -> list[Passage]:
    """A question about a date that asks for something a list of the day does not give ("그날 밤 남편은 어디에
    있었나요?", "누구와 있었나요?", "얼마를 썼나요?"): only the passages that state it (none: the refusal)."""
    if _WHERE_Q.search(plan.question):
        return [p for p in on_day if _PLACE.search(p.text + " ")]
    if plan.wants in (Wants.PERSON, Wants.AMOUNT, Wants.AGE, Wants.DURATION):
        people = [n for names in ctx.roles.values() for name in names for n in name_forms(name)]
        return [p for p in on_day if states_value(plan.wants, p.text, people)]
    return on_day


def _naming_all(topic: Topic, found: list[Passage], ctx: CaseContext) -> list[Passage]:
    """The first or last of what the question names, not of a part of it ("숙박업소 결제된 마지막 일자": a
    restaurant row on the same card is no 숙박업소): the passages that write (or whose document implies) every one
    of the question's nouns, when some do."""
    if len(topic.nouns) < 2:
        return found
    def names_all(p: Passage) -> bool:
        blob = f"{p.text} {ctx.around.get((p.evidence_id, p.seq), '')}"
        implied = ctx.implied.get(p.evidence_id, frozenset())
        return all(any(f in blob or f in implied for f in topic.forms(n)) or (n in topic.tag_words and p.tags & topic.tags)
                   for n in topic.nouns)
    full = [p for p in found if names_all(p)]
    return full or found


def _with_replies(about: list[Passage], ctx: CaseContext, rng: DateRange) -> list[Passage]:
    """The day's messages about the topic and the replies they got that day ("6월 9일 아내는 그 남자를 누구라고
    했는지": the husband's question names him, her answer does not)."""
    out = list(about)
    keys = {(p.evidence_id, p.seq) for p in about}
    for p in about:
        answer = ctx.answers.get((p.evidence_id, p.seq))
        if answer is not None and (answer.evidence_id, answer.seq) not in keys and any(
                rng.contains(*d) for d in answer.days()):
            out.append(answer)
            keys.add((answer.evidence_id, answer.seq))
    return out


# A line that states a period ("조회 기간: 2025. 1. 1. ~ 2025. 3. 31.") is no event of its first or last day.
_PERIOD_LINE: Final = re.compile(r"기간\s*:|\d\s*[.일]?\s*[~∼]\s*\d|(?:조회|출력|발급|예정|만기)\s*일(?:자)?\s*:")
SPEECH_ACTS: Final = frozenset({"요구", "요청", "부탁", "제안", "질문", "대답", "답", "답장", "연락", "통보", "말"})


def compose(plan: Plan, index: SearchIndex, case_id: str, passages: Sequence[Passage],
            context: CaseContext | None = None) -> list[Claim]:
    """The answer's sentences for the question's type; empty when the evidence does not answer it."""
    ctx = context or _build_context(passages)
    if plan.kind == Kind.WHO and plan.name:
        claims = who(_full_name(plan.name, passages), passages)
        if claims:
            return claims
        plan = replace(plan, kind=Kind.WHETHER, name=None, topic=question_topic(plan.question))  # "명의자는 누구?"
    answered = _answered_by_kind(plan, index, case_id, passages, ctx)
    if answered is not None:
        return answered
    found = _relevant(index, case_id, plan.topic, passages, ctx, replies=plan.reply)
    found = _quoted(plan.question, found, passages)
    if plan.reply:
        found = _replies_first(found, ctx)
    if plan.date is not None:
        found = [p for p in found if any(plan.date.contains(*d) for d in p.days())]
    if plan.wants != Wants.NONE:
        people = [n for names in ctx.roles.values() for name in names for n in name_forms(name)]
        found = [p for p in found if states_value(plan.wants, p.text, people)]
    # "언제부터", and "산악회에 들어간 시기" that nothing dates: a line saying since when ("2023년 가을부터 … 산악회")
    begun = _begun_in_words(plan, passages, ctx, found) if plan.kind == Kind.BEGAN or (
        plan.kind == Kind.WHEN and not found) else []
    if not found:
        return began_or_stopped(begun, stopped=False) if begun else []
    found = _what_the_question_asks(plan, found, passages, ctx)
    if not found:
        return began_or_stopped(begun, stopped=False) if begun else []
    if plan.kind in (Kind.BEGAN, Kind.STOPPED, Kind.HOW_OFTEN, Kind.WHEN) and plan.topic.negated:
        negated = [p for p in found if _NEGATED_TEXT.search(p.text)]
        found = negated or found
    if plan.kind in (Kind.BEGAN, Kind.STOPPED):
        full = _naming_all(plan.topic, found, ctx)
        # a line saying in words when it began ("6월부터는 생활비 못 줘") answers though it names part of the topic
        worded = [p for p in found[:MAX_CITATIONS * 2] if p not in full and since_worded(p.focus or p.text)]
        worded = [*worded[:2], *begun][:2]
        return began_or_stopped([*full[:MAX_CITATIONS * 2], *worded], stopped=plan.kind == Kind.STOPPED)
    if plan.kind == Kind.HOW_OFTEN:  # a document's heading ("카드 이용내역서", "회원: …") is no incident, dated or not
        counted = [p for p in found if (p.evidence_id, p.seq) not in ctx.titles] or found
        return _stated_counts(plan, found) + how_often(counted[:MAX_CITATIONS * 2])
    if plan.kind == Kind.WHEN:  # "진료 예약을 함(예약일 미정)" dates nothing: the day is not known
        found = [p for p in found if not DAY_UNKNOWN.search(p.focus or p.text)]
        return when_did(found, weekday="요일" in plan.question) if found else []
    if plan.wants in (Wants.AMOUNT, Wants.AGE, Wants.DURATION, Wants.RATE):
        return whether(found, value=lambda text: value_in(plan.wants, text))
    return whether(found)




# the parties and the spouses: a noun that says whose the act is, not what it is
_WHOSE: Final = frozenset({"남편", "아내", "와이프", "배우자", "의뢰인", "원고", "피고", "상대방", "본인", "저", "나"})


def _begun_in_words(plan: Plan, passages: Sequence[Passage], ctx: CaseContext, found: Sequence[Passage]
                    ) -> list[Passage]:
    """"산악회에 들어간 시기" ← "2023년 가을부터 저희 한바람 산악회 정회원으로 활동": lines (not among `found`) that
    say in words when something began ("…부터", "…끝나고부터") about the question's nouns, whatever verb they
    use, or that answer a message about the question's topic ("언제부터 만났어?" → "작년 겨울 워크숍 끝나고부터");
    two at most."""
    if plan.topic.negated:
        return []
    seen = {(p.evidence_id, p.seq) for p in found}
    nouns = [n for n in plan.topic.nouns if n not in _WHOSE]
    things = replace(plan.topic, nouns=tuple(nouns), verbs=(), head=None) if nouns else None
    out: list[Passage] = []
    for p in passages:
        key = (p.evidence_id, p.seq)
        line = next((ln.strip() for ln in p.text.split("\n") if since_worded(ln)), None)
        if key in seen or line is None:
            continue
        implied = ctx.implied.get(p.evidence_id, frozenset())
        about = things is not None and topic_match(things, line, morphs(line), set(p.tags), "", implied) > 0
        before = ctx.replied.get(key)
        if not about and before is not None and not p.is_document:
            about = topic_match(plan.topic, before.text, morphs(before.text), set(before.tags)) > 0
        if about:
            out.append(replace(p, focus=line))
            if len(out) >= 2:
                break
    return out


def _answered_by_kind(plan: Plan, index: SearchIndex, case_id: str, passages: Sequence[Passage], ctx: CaseContext
                      ) -> list[Claim] | None:
    """The question kinds with a composer of their own (a day's events, a role's person, a document's dated
    field, an act asked by meaning); None for the rest, which the shared ranking answers."""
    if plan.kind in (Kind.WHETHER, Kind.ON_DATE) and (seen := _witness_lines(plan, passages, ctx)):
        return act_whether.answer(seen)  # "아이가 그날 일을 목격했는지": the witness's seeing, not the act alone
    if plan.kind == Kind.WHETHER and plan.wants == Wants.NONE and (quoted := said_passages(plan.question, passages, ctx)):
        return act_whether.answer(quoted)  # "경찰 부르겠다고 으름장 놓은 적": the doer's line that says it
    if plan.kind == Kind.ON_DATE and plan.date is not None:
        # "새별카드 4월분 명세서 결제일": a document's dated field the question names; the month says which document
        if _FIELD_ASKED.search(plan.question) and (fields := _field_dates(plan, passages, ctx)):
            rng = plan.date
            named = [p for p in fields if any(rng.covers_month(*m) for m in file_months(p.filename))]
            return when_did(named or [p for p in fields if any(rng.contains(*d) for d in p.days())] or fields)
        return _on_date(plan, index, case_id, passages, ctx)
    if plan.name is None and _ASKS_WHO.search(plan.question) and (said := _who_said(plan.question, passages)) is not None:
        return said
    if plan.kind == Kind.WHO and plan.role:
        return _role_who(plan, index, case_id, passages, ctx)
    if plan.kind == Kind.WHEN and (fields := _field_dates(plan, passages, ctx)):
        return when_did(fields)  # "사실확인서 작성 일자": the document's own 작성일 line
    if plan.kind == Kind.HOW_OFTEN and (sent := _sent_count(plan, passages, ctx)):
        return sent  # "마서린이 보낸 문자 몇 통": her messages, one by one
    if plan.kind == Kind.HOW_OFTEN and (rows := _ledger_rows(plan, passages, ctx)):
        return _stated_counts(plan, _of_documents(rows, passages)) + _row_count(rows)  # "양육비 입금 횟수", "한빛카드 3월 사용 내역 몇 건": a ledger's rows, one by one
    if plan.kind in (Kind.BEGAN, Kind.STOPPED) and not plan.topic.negated and (rows := _ledger_rows(plan, passages, ctx)):
        return began_or_stopped(rows, stopped=plan.kind == Kind.STOPPED)  # "양육비 입금은 언제부터": its first row
    return _whether_act(plan, passages, ctx)


def _witness_lines(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> list[Passage]:
    """The lines telling that the witness a whether-question asks saw the act (`leh.analysis.witness`)."""
    asked = read_witness(plan.question, ctx.roles)
    if asked is None:
        return []
    adults = {f for p in passages if p.speaker for f in name_forms(p.speaker)}
    adults |= {f for _, words in ctx.parties for w in words for f in name_forms(w)}
    return witnessed(asked, passages, plan.date, lambda p: ctx.replied.get((p.evidence_id, p.seq)), adults)


# A question naming a dated field ("결제일", "작성 일자", "진료 일시"): a noun right before the field's word
_FIELD_ASKED: Final = re.compile(r"[가-힣]{2}\s*(?:일|일자|일시)(?:이랑|랑|과|와|은|는|이|을|를|(?![가-힣]))")
# A document's dated field ("작성일: 2025년 9월 1일", "발송 일자: …", "진료 일시: …").
_FIELD_DATE: Final = re.compile(r"^\s*((?:[가-힣]{1,6}\s)?[가-힣]{1,6}?)\s*(?:일|일자|일시|날짜)\s*:\s*\S")


# a month a file name writes: "명세서_2025년3월", "카드명세서_202503", "statement-2025-03"
_FILE_MONTH: Final = re.compile(r"(?<!\d)(20\d{2})\s*(?:년\s*|[-_.]?)(\d{1,2})(?:\s*월|(?!\d))")


def file_months(filename: str | None) -> list[tuple[int, int]]:
    """(year, month) of the months a file's name writes (the month of a statement named only there)."""
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename or "")
    return [(int(m.group(1)), int(m.group(2))) for m in _FILE_MONTH.finditer(name) if 1 <= int(m.group(2)) <= 12]


def _field_dates(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> list[Passage]:
    """"사실확인서 작성 일자는?", "진단서 발행일": the dated field the question names (작성, 발행) of a document
    its other words name (by kind, title or file name); none when the question names no such field."""
    nouns = [n for n in plan.topic.nouns if len(n) >= 2]
    out: list[Passage] = []
    # the nouns the question dates ("수술 예정일" → 예정, "작성 일자" → 작성, "진료일, 발행일" → both): the field
    # must be one of them
    asked = [n for n in nouns if re.search(rf"{re.escape(n)}\s*(?:일|일자|일시|날짜)(?![가-힣])", plan.question)]
    heads: dict[str, Passage] = {}  # a document's first passage (its heading: "대출 거래 안내문 (푸른솔저축은행)")
    for p in passages:
        if p.is_document and (p.evidence_id not in heads or p.seq < heads[p.evidence_id].seq):
            heads[p.evidence_id] = p
    for p in passages:
        if not p.is_document:
            continue
        for line in p.text.split("\n"):
            m = _FIELD_DATE.match(line)
            field = m.group(1).split() if m else []
            implied = ctx.implied.get(p.evidence_id, frozenset())
            # the field's own word ("결제 예정일" dates 예정, not 결제) is one the question names
            if not m or not text_dates(line, p.doc_year) or not any(_field_names(field[-1], n, implied) for n in nouns):
                continue
            if asked and not any(_field_names(w, a, implied) for w in field for a in asked):
                continue  # "진료확인서상 수술 예정일" is no 진료 일자
            # the question's other nouns say which document (the other fields it asks, "진료일, 발행일", do not)
            rest = [n for n in nouns if n not in asked and not any(_field_names(w, n, implied) for w in field)
                    and _tells_apart(n, passages)]
            around = f"{ctx.around.get((p.evidence_id, p.seq), '')} {heads[p.evidence_id].text} {p.text}"
            if not rest or any(f in around for n in rest for f in plan.topic.forms(n) if len(f) >= 2):
                out.append(replace(p, focus=line.strip()))
    return out


def _field_names(word: str, noun: str, implied: frozenset[str]) -> bool:
    """Whether a document's field word ("녹취" of "녹취 일시") is the question's noun: another word for it, the
    head of a compound the question writes ("녹취록"), the same medium (녹음), or both words the document's kind
    makes true (a 진단서's 진료 is its 치료)."""
    return (word in synonyms(noun) or (len(word) >= 2 and noun.startswith(word)) or same_medium(word, noun)
            or (word in implied and noun in implied))


_DOC_KIND_NOUN: Final = re.compile(r"(?:서|록|증|일지|내역|명세|대장|기록)$")


def _tells_apart(noun: str, passages: Sequence[Passage]) -> bool:
    """Whether a noun of the question can tell one document's dated field from another's: a kind of document
    ("진단서") always must be met; another noun ("부부 대화 녹취 일시") only when the case writes it somewhere."""
    if _DOC_KIND_NOUN.search(noun) or doc_context(noun):
        return True
    return any(noun in p.text or noun in (p.filename or "") for p in passages)


_QUOTED: Final = re.compile(r"['\"‘“]([^'\"‘’“”]{2,40})['\"’”]")


_ASKS_WHO: Final = re.compile(r"누구|누가|누군지|(?:한|말한|했던|보낸|쓴|외친)\s*(?:사람|이)(?:은|이|을|는)?\s*\??\s*$")
_ASKS_PERSON: Final = re.compile(r"누구(?!라고|라며)|누가|누군지")  # "누구라고 둘러댔나" asks what was said


def _writes(quotes: Sequence[str], p: Passage) -> bool:
    flat = re.sub(r"\s", "", p.text)
    return any(q in flat or (len(q) >= 4 and q[:-1] in flat) for q in quotes)


def _who_said(question: str, passages: Sequence[Passage]) -> list[Claim] | None:
    """"'천한 것'이라고 한 사람은 누구": the messages that write the quoted words, each with who sent it, and the
    documents that write them (their line says who); None when the question quotes nothing. Nothing writes
    them: no answer (the refusal), never a guess."""
    quotes = [re.sub(r"\s", "", q) for q in _QUOTED.findall(question)]
    if not quotes:
        return None
    found = sorted((p for p in passages if _writes(quotes, p)), key=lambda p: (p.is_document, p.ts or "", p.doc_order(), p.seq))
    claims: list[Claim] = []
    for p in found[:MAX_CITATIONS]:
        if p.speaker and not p.is_document:
            when = when_ko(p)
            claims.append(Claim(f"{when + ' ' if when else ''}{josa(p.speaker, '이/가')} {quote(p.text)}라고 보냈습니다.", [p]))
        else:
            claims.append(item(p, pick=lambda line: any(q in re.sub(r"\s", "", line) for q in quotes)))
            claims += _speaker_named(p, quotes, passages)
    return claims


# a transcript's speaker label before what was said ("[00:01:10] 화자3: 엄마 가지 마"), and the line of its roster
# that names the label ("화자3: 채유안 (딸, 7세)"): a name right after the label, not more speech
_SPEAKER_LABEL: Final = re.compile(r"(화자\s*\d{1,2}|[A-Z])\s*[:：]")


def _speaker_named(p: Passage, quotes: Sequence[str], passages: Sequence[Passage]) -> list[Claim]:
    """"녹음에서 '엄마 가지 마'라고 말한 사람": the transcript line writes a speaker label, not who; the roster line of
    the same document that names the label says who (cited with it); none when the document names no one."""
    line = focus_line(p, lambda ln: any(q in re.sub(r"\s", "", ln) for q in quotes))
    at = min((re.sub(r"\s", "", line).find(q) for q in quotes if q in re.sub(r"\s", "", line)), default=-1)
    labels = [m for m in _SPEAKER_LABEL.finditer(line) if len(re.sub(r"\s", "", line[:m.end()])) <= at]
    if not labels:
        return []
    label = re.sub(r"\s", "", labels[-1].group(1))
    # the name, its note in brackets, then the line's end or the next entry ("… / 화자2: …"): no speech after it
    roster = re.compile(rf"(?<![가-힣0-9]){re.escape(label)}\s*[:：=]\s*({PERSON_NAME.pattern})(?![가-힣])"
                        r"(?:\s*\([^)]{0,30}\))?(?=\s*(?:$|[/,·|]))")
    for other in passages:
        if other.evidence_id != p.evidence_id or other.seq >= p.seq:
            continue  # the roster is written before what the speakers say
        for ln in other.text.split("\n"):
            m = roster.search(ln)
            if m:
                where = other.filename or "문서"
                return [Claim(f"{where}의 화자 명단에는 {quote(m.group(0))}라고 적혀 있습니다.", [replace(other, focus=ln.strip())])]
    return []


def _quoted(question: str, found: list[Passage], passages: Sequence[Passage]) -> list[Passage]:
    """A question that quotes the words ("'가만 안 둔다'는 메시지를 보낸 건 언제"): the passages that write them."""
    quotes = [re.sub(r"\s", "", q) for q in _QUOTED.findall(question)]
    if not quotes:
        return found
    keep = [p for p in found if _writes(quotes, p)]
    return keep or [p for p in passages if _writes(quotes, p)] or found


# "마서린이 의뢰인에게 보낸 문자 몇 통", "처제에게서 받은 문자", "채말순 씨한테서 온 문자": whose messages are counted
# (`leh.analysis.senders.asked_sender`); a message record's row that writes its sender first:
_ROW_SPEAKER: Final = re.compile(r"^\s*(?:\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?\s*(?:\(\S\)\s*)?)?"
                                 r"(?:(?:오전|오후)\s*)?(?:\d{1,2}:\d{2}\s*)?(?:\|\s*)?([가-힣]{2,4})"
                                 r"(?:\s*(?:→|->|⇒)\s*[가-힣]{2,4})?\s*:")  # "설가윤 → 표정례:": the sender first


_SPOUSE_WORDS: Final = frozenset({"남편", "아내", "와이프", "배우자"})
# a party by the word for them: the client and the other side, and a child-in-law as the spouse ("며느리가 보낸 문자")
_PARTY_BY_WORD: Final = {"며느리": "아내", "사위": "남편", "와이프": "아내"}
_PARTY_SIDE: Final = {"의뢰인": "client", "상대방": "opponent", "상대": "opponent"}


def _party_words(parties: Sequence[dict[str, Any]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each party the lawyer named, with the words that mean them: aliases (남편, 아내), role (원고, 피고), side."""
    out = []
    for p in parties or []:
        if not p.get("name"):
            continue
        side = next((w for w, s in _PARTY_SIDE.items() if s == p.get("party")), None)
        words = [str(w) for w in (*(p.get("aliases") or ()), p.get("role"), side) if w]
        if p.get("party") == "opponent":
            words.append("상대")
        out.append((str(p["name"]), tuple(words)))
    return tuple(out)


def _party_named(word: str, ctx: CaseContext) -> str | None:
    """The party a word names ("아내", "피고", "의뢰인", "며느리" as the wife); None when no party or two are it."""
    word = _PARTY_BY_WORD.get(word, word)
    named = [name for name, words in ctx.parties if word in words]
    return named[0] if len(named) == 1 else None


def _sender_forms(question: str, passages: Sequence[Passage], ctx: CaseContext) -> list[str]:
    """The ways the evidence writes the sender a count question names, by name or by relation ("처제에게서")."""
    who_ = asked_sender(question)
    return _forms_of(who_, passages, ctx) if who_ else []


def _forms_of(who_: str, passages: Sequence[Passage], ctx: CaseContext) -> list[str]:
    """The ways the evidence writes the one a question calls `who_`: a name, a party's word, a relation."""
    if PERSON_NAME.fullmatch(who_):
        return [f for f in name_forms(who_) if len(f) >= 2]
    if (party := _party_named(who_, ctx)) is not None:  # "의뢰인이 보낸 문자", "며느리가 보낸 문자"
        return [f for f in name_forms(party) if len(f) >= 2]
    docs = [p.text for p in passages if p.is_document][:READ_WHOLE_CASE]
    if who_ in _SPOUSE_WORDS:  # "남편이 보낸 문자": the person a document names as the husband
        named = Counter(m.group(1) or m.group(2) for t in docs for m in re.finditer(
            rf"(?<![가-힣]){who_}\s+({PERSON_NAME.pattern})(?![가-힣])|({PERSON_NAME.pattern})\s*\([^)]{{0,20}}?{who_}\)", t))
        return [f for n, _ in named.most_common(1) for f in name_forms(n) if len(f) >= 2]
    role = _family_role(who_) or (who_ if who_ in act_whether.RELATIVES else None)
    if role is None:
        return []
    names = ctx.roles.get(role) or act_whether.role_people(docs).get(role, ())
    return [f for n in names[:1] for f in name_forms(n) if len(f) >= 2]


# "시어머니 휴대폰으로 보낸", "의뢰인에게 보낸": to whom (a person's phone, or a person) the counted messages went
_RECIPIENT_Q: Final = re.compile(rf"(?<![가-힣])({PERSON_NAME.pattern}|[가-힣]{{1,4}})(?:\s*씨|\s*님)?"
                                 r"(?:\s*(?:의\s*)?(?:휴대폰|휴대전화|핸드폰|폰|전화)\s*(?:으로|에)|\s*(?:에게|한테|께))\s")


def _recipient_forms(question: str, passages: Sequence[Passage], ctx: CaseContext) -> list[str]:
    """The ways the evidence writes the person a count question says the messages went to; [] when it names
    none or names them by a word the case does not resolve (then no row is left out for it)."""
    m = _RECIPIENT_Q.search(question)
    if m is None:
        return []
    who_ = m.group(1)
    if PERSON_NAME.fullmatch(who_) and not _family_role(who_):
        return [f for f in name_forms(who_) if len(f) >= 2]
    if (party := _party_named(who_, ctx)) is not None:
        return [f for f in name_forms(party) if len(f) >= 2]
    role = _family_role(who_)
    if role is None:
        return []
    docs = [p.text for p in passages if p.is_document][:READ_WHOLE_CASE]
    names = ctx.roles.get(role) or act_whether.role_people(docs).get(role, ())
    return [f for n in names[:1] for f in name_forms(n) if len(f) >= 2]


def _to_recipient(rows: list[Passage], forms: Sequence[str], ctx: CaseContext) -> list[Passage]:
    """The counted messages that went to the person the question names: a chat they are a member of, a record
    row addressed to them ("설가윤 → 표정례:") or a record whose heading names them ("(표정례 휴대폰 …)"); all the
    rows when none does (the question's words may name them in a way the evidence does not)."""
    if not forms:
        return rows
    members: dict[str, set[str]] = {}
    for p in rows:
        if p.speaker and not p.is_document:
            members.setdefault(p.evidence_id, set()).add(p.speaker)

    def named(text: str) -> bool:
        return any(re.search(rf"(?<![가-힣]){re.escape(f)}(?![가-힣])", text) for f in forms)

    def went(p: Passage) -> bool:
        if not p.is_document:
            return any(f in members.get(p.evidence_id, ()) for f in forms)
        arrow = re.search(r"(?:→|->|⇒)\s*([가-힣]{2,4})\s*:", p.text[:60])
        return named(arrow.group(1)) if arrow else named(ctx.around.get((p.evidence_id, p.seq), ""))

    return [p for p in rows if went(p)] or rows


_ASKS_SMS: Final = re.compile(r"문자(?!\s*(?:나|랑|와|및|,)\s*(?:카톡|톡|메시지))")
_ASKS_CHAT: Final = re.compile(r"카톡|카카오톡|(?<![가-힣])톡")


def _by_medium(question: str, rows: list[Passage]) -> list[Passage]:
    """"문자 몇 통" counts the rows of a message record (문자 내역), "카톡 몇 개" a chat's messages; both, or the
    other, when the question names neither or the evidence holds none of the one named."""
    sms, chat = bool(_ASKS_SMS.search(question)), bool(_ASKS_CHAT.search(question))
    if sms == chat:
        return rows
    return [p for p in rows if typed_or_listed(p) == sms] or rows


def _sent_count(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> list[Claim]:
    """"마서린이 보낸 문자 몇 통": the sender's messages (a chat's, and the dated rows of a message record that is
    theirs by its heading, "발신: … 마서린", or by the row, "어태식: …"), counted one by one, not by day; none
    when the question names no sender or the evidence holds no message of theirs. A message's sender is matched
    by name or kin word (`leh.analysis.senders`: "시어머니한테 온 문자" counts "시어머니 봉계순"'s); "장모 문자에 원고가
    답장 보낸 건" counts the client's messages right after the mother-in-law's."""
    word, to = asked_sender(plan.question), replied_to(plan.question)
    forms = _forms_of(word, passages, ctx) if word else []
    if not forms and (word is None or kin(word) is None) and to is None:
        return []
    sender = re.compile(rf"발신(?:자|인|번호)?\s*[:：]?\s*(?:[\d\-]+\s*)?(?:{'|'.join(map(re.escape, forms))})(?![가-힣])")
    firsts: dict[str, Passage] = {}  # each document's first passage: its heading ("문자 메시지 내역 (발신: …)")
    for p in passages:
        if p.is_document and (p.evidence_id not in firsts or p.seq < firsts[p.evidence_id].seq):
            firsts[p.evidence_id] = p
    rows: list[Passage] = []
    for p in passages:
        if (p.evidence_id, p.seq) in ctx.titles or firsts.get(p.evidence_id) is p:
            continue
        if not p.is_document:
            mine = sent_by(p.speaker, word, forms) if word else p.speaker is not None
        elif not forms:
            mine = False
        else:
            row = _ROW_SPEAKER.match(p.text)
            heading = " ".join(firsts[p.evidence_id].text.split("\n")[:2])
            head = f"{ctx.around.get((p.evidence_id, p.seq), '')} {heading}"
            mine = bool(text_dates(p.text, p.doc_year)) and (
                (row is not None and row.group(1) in forms) or (row is None and sender.search(head) is not None))
        if mine and (plan.date is None or any(plan.date.contains(*d) for d in p.days())):
            rows.append(p)
    rows = _to_recipient(_by_medium(plan.question, rows), _recipient_forms(plan.question, passages, ctx), ctx)
    if to is not None:
        rows = replies(rows, passages, to, _forms_of(to, passages, ctx))
    if not rows:
        return []
    rows.sort(key=lambda p: (p.day() or (9999, 12, 31), p.ts or "", p.doc_order(), p.seq))
    shown = rows[:MAX_CITATIONS]
    counted = rows[:MAX_COUNTED]  # the count is stated only of messages the answer cites
    many = f"{MAX_COUNTED}건이 넘습니다" if len(rows) > MAX_COUNTED else f"모두 {len(rows)}건입니다"
    claims = [Claim(f"증거에서 확인되는 메시지는 {many}.", counted, header=True)]
    claims += [item(p) for p in shown]
    claims.append(Claim("증거에 나타난 횟수이며 실제 횟수와 다를 수 있습니다.", [], header=True))
    return claims


# a ledger's row: a date first ("2025.06.10 입금 성무진 500,000원", "03.04 GS25 수지동천점 8,400원")
_LEDGER_ROW: Final = re.compile(r"^\s*(?:\d{4}\s*[.\-/]\s*)?\d{1,2}\s*[.\-/]\s*\d{1,2}\.?(?:\s*\(\S\))?\s+\S")
# what kind of row a question counts: money in or out, a payment, a top-up, a loan, a refund
_ROW_KINDS: Final = ("입금", "출금", "이체", "송금", "인출", "결제", "충전", "대출", "환불", "취소")
_LEDGER_MIN_ROWS: Final = 2
_AMOUNT: Final = re.compile(r"\d\s*원|\d{1,3}(?:,\d{3})+(?!\d)")  # a row of money, not a dated line of a statement
# the kind said in other words: money that came in ("들어온 돈", "받은 돈") or went out ("빠져나간", "나간 돈")
# (money, not a person coming home: "늦게 들어온 게 몇 번" is no deposit)
_ROW_KIND_SAID: Final = {"입금": re.compile(r"들어(?:온|왔던|오던)\s*(?:돈|금액)|(?:돈|금액|비)(?:이|가)?\s*들어(?:온|왔|오)|받은\s*돈"),
                         "출금": re.compile(r"나간\s*(?:돈|금액)|(?:돈|금액|비)(?:이|가)?\s*(?:빠져)?나(?:간|갔)|빠져나(?:간|갔)")}


def _ledger_lines(passages: Sequence[Passage], ctx: CaseContext) -> dict[str, list[Passage]]:
    """Each document's dated rows, one passage a line (focus), in the order written; documents with fewer than
    two are no ledger. A line that states a period ("이용기간: …") or a field ("결제일: …") is no row."""
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        if not p.is_document or (p.evidence_id, p.seq) in ctx.titles:
            continue
        for line in p.text.split("\n"):
            row = replace(p, focus=line.strip())
            if _LEDGER_ROW.match(line) and _AMOUNT.search(line) and not _PERIOD_LINE.search(line) and row.days():
                by_doc.setdefault(p.evidence_id, []).append(row)
    return {d: rows for d, rows in by_doc.items() if len(rows) >= _LEDGER_MIN_ROWS}


def _ledger_rows(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> list[Passage]:
    """"양육비 입금 횟수", "한빛카드 3월 사용 내역 전부 몇 건": the rows of the ledgers the question names by
    their heading's own word (한빛카드) or by the kind of row it counts (입금, 충전), in the question's period; of
    those, the rows that also write another of its words when some do. [] when it names neither."""
    ledgers = _ledger_lines(passages, ctx)
    if not ledgers:
        return []
    kinds = [k for k in _ROW_KINDS if k in plan.question]
    kinds += [k for k, rx in _ROW_KIND_SAID.items() if k not in kinds and rx.search(plan.question)]
    heads = {p.evidence_id: p.text.split("\n")[0] for p in passages if p.evidence_id in ledgers
             and min(q.seq for q in passages if q.evidence_id == p.evidence_id) == p.seq
             and not _LEDGER_ROW.match(p.text)}  # a heading, not the first row
    rows: list[Passage] = []
    by_heading = False  # a ledger the question names ("한빛카드 … 내역"): its other words need not be its rows'
    for doc, lines in ledgers.items():
        named = any(len(w) >= 3 and w in plan.question for w in re.findall(r"[가-힣A-Za-z0-9]+", heads.get(doc, "")))
        of_kind = [r for r in lines if any(k in (r.focus or "") for k in kinds)]
        # the kind tells rows apart only where the rows write other kinds too (입금 beside 출금); a ledger of loans
        # only ("카드론", "신용대출", "대부") is the kind's as a whole
        mixed = any(k in (r.focus or "") for r in lines for k in _ROW_KINDS if k not in kinds)
        rows += (of_kind if mixed else lines) if of_kind else (lines if named else [])
        by_heading = by_heading or (named and not of_kind)
    if plan.date is not None:
        rows = [r for r in rows if any(plan.date.contains(*d) for d in r.days())]
    words = [f for n in plan.topic.nouns if n not in kinds for f in plan.topic.forms(n) if len(f) >= 2]
    words += [m.form for m in morphs(plan.question) if m.tag in ("NNG", "NNP") and len(m.form) >= 2 and m.form not in kinds]
    # "남편 이름으로 들어온 돈": the party the question names by a word for them, as the rows write them
    words += [f for w in re.findall(r"[가-힣]+", plan.question) for w in [re.sub(r"(?:이|가|은|는|의|에게|한테)$", "", w)]
              if (party := _party_named(w, ctx)) is not None for f in name_forms(party) if len(f) >= 2]
    named_by = " ".join([*heads.values(), *(r.filename or "" for r in rows)])  # "한빛카드": which ledger, not which row
    # a word some ledger row writes ("해외", "연체", the party's name) tells the rows apart: none of the chosen rows
    # writing it is no answer here; a word no row writes ("양육비") says what the money was, not which row
    written = " ".join(r.focus or "" for lines in ledgers.values() for r in lines)
    elsewhere = " ".join(p.text for p in passages)  # a word of the case's, not of the question's ("횟수", "정리")
    unwritten = [w for w in words if w not in named_by and w not in written and w not in PARTY_WORDS_Q
                 and w in elsewhere]
    words = [w for w in words if w not in named_by and w in written]
    if words:
        return [r for r in rows if any(w in (r.focus or "") for w in words)]
    # a word no row writes ("양육비") can only be what every row counted is: rows that differ but for the date and
    # the amount ("입금 성무진" each time); a salary among them ("급여 … 입금") makes it no ledger's answer
    same = {re.sub(r"[\d\s.,:\-/()원]", "", r.focus or "") for r in rows}
    return rows if by_heading or not unwritten or len(same) <= 1 else []


def _of_documents(rows: Sequence[Passage], passages: Sequence[Passage]) -> list[Passage]:
    """The passages of the documents the rows are of ("합계 … / 연체 2건" below the rows)."""
    docs = {r.evidence_id for r in rows}
    return [p for p in passages if p.evidence_id in docs]


def _row_count(rows: list[Passage]) -> list[Claim]:
    """The ledger rows counted one by one, each cited (the count only of rows the answer cites)."""
    counted = rows[:MAX_COUNTED]
    many = f"{MAX_COUNTED}건이 넘습니다" if len(rows) > MAX_COUNTED else f"모두 {len(rows)}건입니다"
    claims = [Claim(f"증거의 거래·이용 내역에서 해당하는 기재는 {many}.", counted, header=True)]
    claims += [item(p) for p in rows[:MAX_CITATIONS]]
    claims.append(Claim("증거에 나타난 횟수이며 실제 횟수와 다를 수 있습니다.", [], header=True))
    return claims


_STATED_COUNT: Final = re.compile(r"(?:(?:주|월|한\s*달에|일주일에|하루에|매주|매달|매월)\s*)?"
                                  r"(?:\d+\s*(?:~\s*\d+\s*)?|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|여러)\s*"
                                  r"(?:건|회|번|차례)(?![가-힣])")


def _stated_counts(plan: Plan, found: Sequence[Passage]) -> list[Claim]:
    """How often, as a document writes it ("세 차례", "주 2~3회", "연체 2건") next to a word of the question."""
    words = [f for n in (*plan.topic.nouns, *plan.topic.verbs) for f in plan.topic.forms(n) if len(f) >= 2]
    words += [m.form for m in morphs(plan.question) if m.tag in ("NNG", "VV") and len(m.form) >= 2
              and m.form not in STOPWORDS]
    out: list[Claim] = []
    for p in found:
        if not p.is_document:
            continue
        for line in p.text.split("\n"):
            m = _STATED_COUNT.search(line)
            if m and any(w in line[max(0, m.start() - 30):m.end()] for w in words):
                out.append(Claim(f"증거에 적힌 횟수는 {quote(line, 80)}입니다.", [replace(p, focus=line.strip())]))
                break
        if len(out) >= 2:
            break
    return out


def _whether_act(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> list[Claim] | None:
    """"남편이 장모를 밀친 적 있나요?": the act read by meaning (`leh.analysis.whether`); None when the question
    names no act of the kinds it knows, or is no plain whether-question (the topic's words decide, below). An act
    that nothing shows goes to the shared ranking, whose checks refuse words shared without the meaning."""
    if plan.kind != Kind.WHETHER or plan.reply or plan.wants != Wants.NONE or _ASKS_PERSON.search(plan.question):
        return None  # "무인텔 업주가 누군지 특정 가능한지" asks for a person, not whether the act happened
    read = act_shown(plan, passages, ctx)
    if read is None:
        return None
    # Nothing read as the act: the shared ranking still looks (a trip with someone the case names may be it).
    return act_whether.answer(read[1], read[0])


def act_shown(plan: Plan, passages: Sequence[Passage], ctx: CaseContext
              ) -> tuple[act_whether.Act, list[Passage]] | None:
    """The act the question names, read by meaning (`leh.analysis.whether`), and the passages that show it, best
    first; None when it names no act of the kinds known there. Shared by whether-questions and by the questions
    that date or count an act (`_act_dated`)."""
    speakers = sorted({p.speaker for p in passages if p.speaker})
    question = time_frame_removed(plan.question)  # "집을 나간 뒤 …": the frame is not the act asked
    roles = ctx.roles
    event = plan.kind in EVENT_KINDS
    act = act_whether.read_act(question, morphs(question), roles, speakers, event=event)
    if act is None:
        return None
    if act.actor or act.victim or act_whether.RELATIVE_WORD.search(question):  # "시아버지 하만길에게서": who they are
        docs = [p.text for p in passages if p.is_document][:READ_WHOLE_CASE]
        roles = {**act_whether.role_people(docs), **ctx.roles}
        act = act_whether.read_act(question, morphs(question), roles, speakers, event=event) or act
    pool = [p for p in passages if (p.evidence_id, p.seq) not in ctx.titles
            and (plan.date is None or any(plan.date.contains(*d) for d in p.days()))]
    stems: dict[str, str] = {}
    if len(pool) <= READ_WHOLE_CASE:  # a small case is read whole with Kiwi (cached): signs in any conjugation
        texts = [p.text for p in pool]
        stems = {t: act_whether.stem_text(ms) for t, ms in zip(texts, morphs_many(texts), strict=True)}
    cands = act_whether.candidates(act, pool, stems)

    def around(p: Passage) -> str:
        return ctx.around.get((p.evidence_id, p.seq), "")

    morphs_many([p.text for p in cands])  # one Kiwi batch for the labeller (cached by text)
    return act, act_whether.shows(act, cands, roles, around, stems)


def _act_dated(plan: Plan, passages: Sequence[Passage], ctx: CaseContext,
               keep: Callable[[list[Passage]], list[Passage]]) -> list[Claim]:
    """"쫓겨난 날짜", "몸에 손댄 횟수": when a question that dates or counts an act names one of the kinds read by
    meaning (`act_shown`), the passages that show it (those `keep` keeps: the asked party's acts), dated or
    counted (`leh.analysis.act_event`)."""
    if plan.kind not in EVENT_KINDS or plan.reply or plan.wants != Wants.NONE or plan.topic.negated:
        return []
    read = act_shown(plan, passages, ctx)
    if read is None or _victim_unread(read[0], plan.question, passages, ctx) or _doer_unread(read[0], plan.question):
        return []
    shown = keep(read[1])
    return act_event(plan.kind, plan.topic, shown, weekday="요일" in plan.question) if shown else []


_OBJECT_NAME: Final = re.compile(rf"(?<![가-힣])({PERSON_NAME.pattern})\s*(?:씨|님)?(?:을|를|에게|한테|께)(?![가-힣])")


def _victim_unread(act: act_whether.Act, question: str, passages: Sequence[Passage], ctx: CaseContext) -> bool:
    """Whether the question names the person the act was done to ("남편 피정훈을 때린 날짜") and the act's reader
    did not take them as its victim: then the lines that show the act may be of another victim."""
    if act.victim or act.to_couple:
        return False
    people = {p.speaker for p in passages if p.speaker} | {n for n, _ in ctx.parties} | set(ctx.people)
    people |= {n for names in ctx.roles.values() for n in names}
    return any(m.group(1) in people for m in _OBJECT_NAME.finditer(question))


_SUBJECT_WORD: Final = re.compile(r"(?<![가-힣])([가-힣]{1,5}?)(?:님)?(?:이|가|은|는|께서)\s")


def _doer_unread(act: act_whether.Act, question: str) -> bool:
    """Whether the question's subject is a relative ("시모가 의뢰인을 때린 일자") whom the act's reader did not take
    as its doer: then the lines that show the act may be another's (the husband's blow)."""
    if act.actor:
        return False
    return any(m.group(1) in act_whether.RELATIVES or _family_role(m.group(1)) for m in _SUBJECT_WORD.finditer(question))


def _done_by_the_asked(question: str, shown: list[Passage], evidence: EvidenceStore, case_id: str,
                       parties: Sequence[dict[str, Any]] | None) -> list[Passage]:
    """The passages where the party a question names did the act, not suffered it (as for whether-questions); a
    question whose subject undergoes the act ("원고가 쫓겨난 날짜") keeps them all."""
    if act_whether.undergone(question):
        return shown
    claims = by_the_asked_doer(question, [item(p) for p in shown], evidence, case_id, parties, event=True)
    keys = {(p.evidence_id, p.seq) for c in not_the_asked_partys_harm(question, claims, parties) for p in c.sources}
    return [p for p in shown if (p.evidence_id, p.seq) in keys]


_ACTUALLY: Final = re.compile(r"실제로|정말로|진짜로")
_INTENT: Final = re.compile(r"겠다|겠어|겠다는|(?:갈|할|올|줄)\s*거(?:야|다|라)|면\s.{0,15}(?:간다|한다|온다|거야)")
_HIT_Q: Final = re.compile(r"때리|때린|때렸|손찌검|구타|맞")
_THROWN: Final = re.compile(r"던지|던져|던진|부수|부쉈|부서|깨지|깨졌|깨뜨|파손")
_BODY: Final = re.compile(r"때리|때려|때렸|때린|맞|다치|다쳐|멍|밀치|밀쳐|밀친|쳤|머리채|멱살|뺨|발로|걷어|꼬집|목을|할퀴")


def _what_the_question_asks(plan: Plan, found: list[Passage], passages: Sequence[Passage], ctx: CaseContext
                            ) -> list[Passage]:
    """The passages that show what is asked, not only its topic: an amount of the thing asked, a deed done and
    not only threatened ("실제로"), a blow and not a thrown phone ("때린 적"), the client hurt and not a relative."""
    if plan.wants == Wants.AMOUNT:
        found = _amount_of_the_topic(plan, found)
    sender = _SENT_BY.search(plan.question)
    if sender:  # "기윤호가 원고에게 직접 보낸 메시지": his own messages (or a document saying he sent one)
        forms = name_forms(sender.group(1))
        found = [p for p in found if (p.speaker in forms) or (p.is_document and any(
            re.search(rf"{re.escape(f)}\S{{0,2}}\s.{{0,20}}?(?:보낸|보냈|보내)", p.text) for f in forms))]
    if plan.wants == Wants.NAME and plan.kind == Kind.WHETHER:
        found = [p for p in found[:SEARCH_CANDIDATES] if _names_the_thing(plan, p.text)]  # bounded Kiwi work
    if plan.kind in _EVENT_KINDS and _SPOUSE_SUBJECT.match(plan.question):
        # "아내가 딸과 마지막으로 통화한 날": not a line whose doer is another relative ("장모 인봉희가 … 전화해")
        found = [p for p in found if not (p.is_document and _OTHER_DOER.match(p.focus or p.text))]
    if plan.kind in _EVENT_KINDS and not plan.topic.nouns and len(plan.topic.verbs) >= 2 and not _EITHER.search(plan.question):
        # "취해서 전화하는 일": both, not one of them (the most relevant few hundred checked: bounded Kiwi work)
        found = [p for p in found[:ACT_CHECKS] if _every_act(plan.topic, p)]
    if plan.kind in _EVENT_KINDS and not plan.topic.negated and plan.topic.verbs:
        # "다시 들어온 날은 언제": "생활비가 안 들어왔어요" is no return
        found = [p for p in found if not _only_negated(plan.topic, p.focus or p.text)]
    if plan.kind in (*_EVENT_KINDS, Kind.WHETHER) and plan.topic.verbs and not asks_intent(plan.question):
        # "다시 채워 넣은 날짜": "다음 달에 채워놓는다니까" promises it (bounded Kiwi work, cached by text)
        verbs, head = plan.topic.verbs, found[:SEARCH_CANDIDATES]
        analysed = morphs_many([p.focus or p.text for p in head])
        found = [p for p, ms in zip(head, analysed, strict=True)
                 if not only_promised(verbs, ms, p.focus or p.text)] + found[SEARCH_CANDIDATES:]
    if _ACTUALLY.search(plan.question):  # "실제로 찾아왔나요?": a threat to come is not coming
        found = [p for p in found if not _INTENT.search(p.text)]
    if _HIT_Q.search(plan.question):  # "때린 적": a phone thrown on the floor hit nobody
        found = [p for p in found if not (_THROWN.search(p.text) and not _BODY.search(p.text))]
    if plan.topic.tags & {"폭행"} and _PARTY_OBJECT.search(plan.question):
        speakers = {p.speaker for p in passages if p.speaker}
        found = [p for p in found if not _other_victim(p.text, ctx.around.get((p.evidence_id, p.seq), ""), speakers)]
    return found


_EVENT_KINDS: Final = frozenset({Kind.WHEN, Kind.BEGAN, Kind.STOPPED, Kind.HOW_OFTEN})
_EITHER: Final = re.compile(r"거나|또는|혹은")  # "감시하거나 추적한": either act
_SPOUSE_SUBJECT: Final = re.compile(r"\s*(?:남편|아내|배우자|와이프)(?:이|가|은|는)\s")
# a document line whose subject, right at its start, is another relative (and their name): "장모 인봉희가 …"
_OTHER_DOER: Final = re.compile(r"\s*(?:\d{4}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*|\d+\.\s*)?(?:\d+차\s*상담\.\s*)?(?:시어머니|시아버지|시누이|시동생|장모|장인|처제|처남|"
                                r"시모|시부|친정어머니|친정아버지|어머니|아버지)(?:\s*[가-힣]{2,4})?(?:이|가|은|는)\s")


def _every_act(topic: Topic, p: Passage) -> bool:
    """Whether the passage shows every act of a question whose predicate is its whole topic."""
    ms = morphs(p.text)
    return all(topic_match(replace(topic, verbs=(v,)), p.text, ms, set(p.tags)) > 0 for v in topic.verbs)
_SENT_BY: Final = re.compile(rf"({PERSON_NAME.pattern})(?:\s*씨|\s*님)?(?:이|가|은|는)\s.{{0,20}}?(?:보낸|보냈|남긴)\s*"
                             r"(?:메시지|문자|카톡|톡|메일|편지)")
_NAME_WORD_Q: Final = frozenset({"이름", "성함", "성명", "상호", "명칭"})
_NAMED_HEAD: Final = re.compile(r"([가-힣A-Za-z]+)\s*(?:의\s*)?(?:이름|상호|명칭)")
_A_NAME: Final = re.compile(r"[A-Za-z]{3,}|[“\"'‘][^”\"'’]{2,}[”\"'’]|○○|△△|□□")


_PERSON_AFTER: Final = re.compile(rf"\s*:\s*(?:{PERSON_NAME.pattern})(?![가-힣])")  # a form's field "상담 변호사: 소윤재"


def _names_the_thing(plan: Plan, text: str) -> bool:
    """"토토 사이트의 이름은?": a passage that writes a name next to the thing (a proper noun, a Latin word, a quoted
    or masked name), not one that only names the thing."""
    things = [n for n in plan.topic.nouns if n not in _NAME_WORD_Q]
    head = _NAMED_HEAD.search(plan.question)
    if head and (own := [n for n in things if n in head.group(1)]):
        things = own  # "대출받은 저축은행 이름": the name of the 저축은행, not one next to 대출 (롯데카드 카드론)
    forms = [f for n in things for f in plan.topic.forms(n) if len(f) >= 2]
    for f in forms:
        for m in re.finditer(re.escape(f), text):
            # the name is written next to the thing: right before it ("푸른솔저축은행", "'행운' 사이트") or right
            # after it ("사이트 abc.com", "저축은행(푸른솔)"), not somewhere in the sentence ("롯데카드 카드론 … 저축은행")
            before = text[max(0, m.start() - 12):m.start()].rstrip()
            after = text[m.end():m.end() + 15].lstrip(" :(")
            last = morphs(before)[-1:] if before else []
            if (_A_NAME.search(before[-6:]) or _A_NAME.match(after) or _PERSON_AFTER.match(text, m.end()) or any(
                    x.tag in ("NNP", "SL") and x.form not in forms and x.end == len(before) for x in last)
                    or any(x.tag == "NNP" and x.form not in forms and x.start == 0 for x in morphs(after[:12]))):
                return True
    return not forms


def _only_negated(topic: Topic, text: str) -> bool:
    """Whether every place the passage writes the question's act says it did not happen ("안 들어왔어요",
    "귀가하지 않고"), while the question asks whether it did."""
    seen = False
    stems = {f[:-1] if len(f) >= 3 and " " not in f else f for v in topic.verbs for f in (v, *synonyms(v)) if len(f) >= 2}
    for stem in stems:
        for m in re.finditer(re.escape(stem), text):
            seen = True
            before, after = text[max(0, m.start() - 3):m.start()], text[m.end():m.end() + 8]
            # "안 들어왔어요", "귀가하지 않고", "전화 안 받네" (the act noun, then its verb negated)
            if not (re.search(r"(?:안|못)\s*$", before) or re.match(r"\S*지\s*(?:않|못)|(?:을|를|도|는)?\s+(?:안|못)\s*\S", after)):
                return False
    return seen


def _amount_of_the_topic(plan: Plan, found: list[Passage]) -> list[Passage]:
    """For "병원비는 얼마였어?", the passages that write an amount close to the thing asked (not any amount of a
    passage that also names it); a question about money in general (돈, 금액) takes any amount."""
    nouns = [n for n in plan.topic.nouns if n not in MONEY_WORDS and n not in plan.topic.names
             and not PERSON_NAME.fullmatch(n)]
    fees = [n for n in nouns if n in MONEY_NOUNS or n.endswith(FEE_SUFFIXES)]
    nouns = fees or nouns
    if not nouns:
        return found
    forms = [f for n in nouns for f in plan.topic.forms(n) if len(f) >= 2 or f == n]
    forms += [n[:-1] for n in nouns if len(n) >= 3 and n.endswith(FEE_SUFFIXES)]
    return [p for p in found if amount_near(forms, p.text) or _FORM_FIELD_AMOUNT.match(p.text)]


def _amounts_of_the_topic(plan: Plan, claims: list[Claim]) -> list[Claim]:
    """The fallback's claims held to the composer's rule for "학원비는 얼마": each cited line writes an amount of the
    thing asked ("관리비 12만원 … 학원비도 내가 다 냈고" states no 학원비 amount); nothing when none is left."""
    if plan.wants != Wants.AMOUNT:
        return claims
    kept = [c for c in claims if c.header or len(_amount_of_the_topic(plan, list(c.sources))) == len(c.sources)]
    return kept if any(not c.header for c in kept) else []


_FORM_FIELD_AMOUNT: Final = re.compile(r"^\s*(?:금액|합계|청구\s*금액|결제\s*금액|수리비|비용)\s*:")


def _replies_first(found: list[Passage], ctx: CaseContext) -> list[Passage]:
    """The messages about the topic that got a reply, each followed by it, then the rest in their order."""
    keys = {(p.evidence_id, p.seq): p for p in found}
    pairs: list[Passage] = []
    for p in found:
        answer = ctx.answers.get((p.evidence_id, p.seq))
        if answer is not None and (answer.evidence_id, answer.seq) in keys and p not in pairs:
            pairs += [p, keys[(answer.evidence_id, answer.seq)]]
    return pairs + [p for p in found if p not in pairs]


# A question about violence against the client or the spouse ("아내가 의뢰인을 때린 적"), and a passage that shows
# it done to someone else: another relative as its object, and nobody of the couple.
_PARTY_OBJECT: Final = re.compile(r"(?:의뢰인|나|저|본인|남편|아내|와이프)(?:을|를|에게|한테|의\s*몸)")
_RELATIVE: Final = re.compile(r"(?:부친|모친|아버지|아버님|어머니|어머님|시아버지|시어머니|장인|장모|아들|딸|아이|애기|동생|"
                              r"누나|언니|오빠|형)(?:을|를|에게|한테|의|\s|가|이|는|은)")
_COUPLE_OBJECT: Final = re.compile(r"(?<![가-힣])(?:나를|날|나한테|내\s|제\s|저를|저에게|저한테|진술인을|진술인에게|"
                                   r"의뢰인을|의뢰인에게|신고인을|신고인에게|남편을|아내를|남편에게|아내에게)")


_PATIENT: Final = re.compile(rf"(?:환자\s*성명|환자|피해자)\s*:?\s*({PERSON_NAME.pattern})")


def _other_victim(text: str, around: str, speakers: set[str]) -> bool:
    """"의뢰인을 때린 적": not a passage where another relative is hurt ("신고인의 부친을 밀쳐"), nor a line of a
    medical record of a patient who is neither of the couple."""
    if _COUPLE_OBJECT.search(text):
        return False
    patient = _PATIENT.search(around)
    return bool(_RELATIVE.search(text)) or (patient is not None and patient.group(1) not in speakers)


def _full_name(name: str, passages: Sequence[Passage]) -> str:
    """"하린이" (a given name with 이) → the full name the evidence writes (정하린), when it writes one."""
    base = name[:-1] if len(name) == 3 and name.endswith("이") else name if len(name) == 2 else None
    if base is None or any(re.search(rf"(?<![가-힣]){re.escape(name)}", p.text) for p in passages if p.is_document):
        return name
    counts: dict[str, int] = {}
    rx = re.compile(rf"[{SURNAMES}]{re.escape(base)}")
    for p in passages:
        for m in rx.finditer(p.text):
            counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else name


def _role_who(plan: Plan, index: SearchIndex, case_id: str, passages: Sequence[Passage], ctx: CaseContext
              ) -> list[Claim]:
    """"시어머니는 누구인가요?", "상간녀로 의심되는 사람은 누구야?": the person the evidence names in that role."""
    assert plan.role is not None
    named = ctx.roles.get(plan.role) or _writer_in_role(plan.role, passages)
    if named:
        return who(named[0], passages)
    if plan.role not in AFFAIR_ROLES:
        return []
    topic = Topic(nouns=(), verbs=("외도",), tags=frozenset({"외도", "부적절한 만남", "숙박"}),
                  tag_words=frozenset({"외도"}), negated=False)
    found = _relevant(index, case_id, topic, passages, ctx)
    seen = {(p.evidence_id, p.seq) for p in found}
    found += [p for p in passages if (p.evidence_id, p.seq) not in seen and any(w in p.text for w in AFFAIR_WORDS)]
    found = found[:MAX_CITATIONS * 2]
    # the question's own act ("만나던 여성"): a person of the case met in those passages is the one asked about
    acted = (_relevant(index, case_id, replace(plan.topic, nouns=(), head=None), passages, ctx)
             if plan.topic.verbs and ctx.people else [])  # only to find one of the people (none: not looked for)
    name = _named_person(found, passages, ctx.people, acted[:MAX_CITATIONS * 2])
    return role_who(name, [*found, *acted], passages) if name else []


def _act_doer(plan: Plan, index: SearchIndex, case_id: str, passages: Sequence[Passage], ctx: CaseContext
              ) -> list[Claim]:
    """"차에서 위치추적기 찾아낸 사람은?": the act of the question's clause, found by meaning like any topic, and
    the person who did it in each line that shows it (`leh.analysis.doer`); [] when no line says who."""
    act = doer_clause(plan.question)
    if act is None or plan.name or _QUOTED.search(plan.question):
        return []  # "'천한 것'이라고 한 사람": the quoted words' writer or speaker (`_who_said`), not a line's doer
    topic = question_topic(act, drop=_HOLIDAY_WORDS if plan.date else ())
    if topic.empty:
        return []
    found = _relevant(index, case_id, topic, passages, ctx)
    if plan.date is not None:  # "4/19 목격 사실을 전해준 사람": the date may be the seeing's, not the telling's
        found = [p for p in found if any(plan.date.contains(*d) for d in p.days())] or found
    people = {p.speaker for p in passages if p.speaker} | set(ctx.people) | {n for n, _ in ctx.parties}
    people |= {n for names in ctx.roles.values() for n in names}
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        if p.is_document:
            by_doc.setdefault(p.evidence_id, []).append(p)
    names: dict[str, list[Passage]] = {}
    forms = [f for v in topic.verbs for f in topic.forms(v) if len(f) >= 2]
    for p in found[:MAX_CITATIONS]:
        fields = person_fields(by_doc.get(p.evidence_id, [])) if p.is_document else {}
        line = act_line(p.text, forms) if forms else p.focus or p.text
        doer = line_doer(replace(p, focus=line), line, sorted(people), fields, forms)
        if doer is None:
            continue
        names.setdefault(doer.name, [])
        names[doer.name] += [x for x in (doer.line, doer.said_by) if x is not None and x not in names[doer.name]]
    claims: list[Claim] = []
    for name, lines in list(names.items())[:2]:
        claims.append(Claim(f"증거상 그 일을 한 사람으로 나오는 사람은 {name}입니다.", lines[:3]))
        claims.append(item(lines[0], pick=lambda ln: bool(ln.strip())) if lines[0].focus is None else item(lines[0]))
    return claims


def _writer_in_role(role: str, passages: Sequence[Passage]) -> tuple[str, ...]:
    """The writer of a document who calls another person by the relation that makes the writer `role` to them
    ("진술인: 심규찬" … "피고 성무진은 제 매형입니다": the 피고's 처남)."""
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        if p.is_document:
            by_doc.setdefault(p.evidence_id, []).append(p)
    for ps in by_doc.values():
        lines = [ln for p in sorted(ps, key=lambda p: p.seq) for ln in p.text.split("\n")]
        if (writer := relation_from_the_other_side(role, lines)) is not None:
            return (writer,)
    return ()


# the affair partner by the role's word, or as "그 여자"/"상대 여성" whose relation with the spouse is asked
_AFFAIR_PERSON: Final = re.compile(r"(?:상간|내연)(?:녀|남|자)|(?<![가-힣])(?:그|상대|상대방)\s*(?:여자|여성|남자|남성)"
                                   r"(?=(?:와|과|랑|하고)?(?:의)?\s*(?:관계|사이))")


def _affair_partner_named(plan: Plan, index: SearchIndex, case_id: str, passages: Sequence[Passage],
                          ctx: CaseContext) -> Plan:
    """"상간녀가 남편이랑 결혼한다고 한 적": the affair partner asked by the role's word is the person the evidence
    shows in that role ("마서린"), and the question is read as naming them: its act is what must be found, not
    any line about the affair. A who-question keeps the word (it asks for that person)."""
    if plan.kind == Kind.WHO:
        return plan
    m = _AFFAIR_PERSON.search(plan.question)
    if m is None:
        return plan
    topic = Topic(nouns=(), verbs=("외도",), tags=frozenset({"외도", "부적절한 만남", "숙박"}),
                  tag_words=frozenset({"외도"}), negated=False)
    found = _relevant(index, case_id, topic, passages, ctx)[:MAX_CITATIONS * 2]
    name = _named_person(found, passages, ctx.people) if ctx.people else None
    if name is None or not PERSON_NAME.fullmatch(name):
        return plan
    word, t = m.group(0), plan.topic
    pieces = [n for n in t.nouns if n in word]
    nouns = tuple(dict.fromkeys(name if n in word else n for n in t.nouns)) if pieces else (*t.nouns, name)
    own = bool(t.tag_words) and all(w in word for w in t.tag_words)  # the affair tag came from the role's word only
    topic = replace(t, nouns=nouns, names=(*t.names, name), tags=frozenset() if own else t.tags,
                    tag_words=frozenset() if own else t.tag_words)
    after = plan.question[m.end():]
    pair = next((pr for pr in _PARTICLE_PAIRS if after[:1] in pr.split("/")), None)
    named = josa(name, pair) + after[1:] if pair else name + after
    return replace(plan, question=plan.question[:m.start()] + named, topic=topic)


_PARTICLE_PAIRS: Final = ("이/가", "은/는", "을/를", "과/와")


def _named_person(found: Sequence[Passage], passages: Sequence[Passage], people: Sequence[str] = (),
                  acted: Sequence[Passage] = ()) -> str | None:
    """The person most named in `found` who is not a speaker: a proper noun, or a surname and a given name that
    the case writes more than once (Kiwi often takes an unknown name for a common noun); one of `people` (whose
    relation a document states, "직장 동료 추다온") before any other word that looks like a name ("영통")."""
    for name in (n for n in people if _name_like(n)):
        forms = name_forms(name)
        if any(f in p.text for p in (*found, *acted) for f in forms):
            return name
    speakers = {p.speaker for p in passages if p.speaker}
    counts: dict[str, int] = {}
    for p, ms in zip(found, morphs_many([p.text for p in found]), strict=True):
        for m in ms:
            after = p.text[m.end:m.end + 1]
            standalone = not after or not ("가" <= after <= "힣") or after in _PARTICLE_STARTS
            # a proper noun that is no person's name ("가족카드") is not who the role is
            name_like = (m.tag in ("NNP", "NNG") and PERSON_NAME.fullmatch(m.form) is not None) or (
                m.tag == "NNP" and len(m.form) == 2 and m.form[0] not in SURNAMES)
            if (name_like and 2 <= len(m.form) <= 4 and standalone and m.form not in speakers
                    and m.form not in STOPWORDS):
                counts[m.form] = counts.get(m.form, 0) + 1
    recurring = [n for n in counts if counts[n] >= 2 or any(p.text.count(n) for p in passages if p not in found)]
    return max(recurring or counts, key=lambda n: counts[n], default=None)


def party_names(parties: Parties) -> list[dict[str, Any]]:
    """The case parties as `ask` takes them: `[{"name", "aliases", "party", "role"}]` for the client and the
    opponent (role: 원고 / 피고)."""
    return [{"name": p.name, "aliases": list(p.aliases), "party": party, "role": parties.role(party)}
            for party, p in (("client", parties.client), ("opponent", parties.opponent)) if p is not None]


def _names(passages: Iterable[Passage], plan: Plan, parties: Sequence[dict[str, Any]] | None,
           ctx: CaseContext | None = None) -> list[str]:
    names = {p.speaker for p in passages if p.speaker}
    if ctx is not None:  # the persons the case's documents name, too (names only: "남편은" is none)
        names.update(n for n in ctx.people if PERSON_NAME.fullmatch(n) and _name_like(n))
    if plan.name:
        names.add(plan.name)
    for party in parties or []:
        names.update(str(n) for n in [party.get("name"), *(party.get("aliases") or [])] if n)
    # Role words (남편, 아내 …) are how an answer names the parties, not names it must find in a passage.
    return sorted(n for n in names if len(n) >= 2 and n not in STOPWORDS)


def ask(evidence: EvidenceStore, index: SearchIndex, answerer: Answerer | None, case_id: str, question: str, *,
        user_id: str | None = None, parties: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
    """`{"answer", "citations": [{"evidence_id", "seq", "snippet"}]}` from the case's evidence only.

    The caller has already checked that the user may see the case. `parties` (optional: dicts with `name` and
    `aliases`) adds the parties' names to those an answer may not state without a passage that does.
    """
    question = (question or "").strip()
    if not question or len(question) > MAX_QUESTION_CHARS:
        raise ValidationFailed(message_ko=f"질문을 1~{MAX_QUESTION_CHARS}자로 입력해주세요.")
    plan = plan_question(question)
    passages = case_passages(evidence, case_id)
    ctx = replace(case_context(evidence, case_id, passages), parties=_party_words(parties))
    plan = _affair_partner_named(plan, index, case_id, passages, ctx)
    plan = _compounds_joined(_name_pieces_dropped(plan, passages, ctx), passages)
    if plan.aside:  # "휴대폰 말고 다른 물건": lines that write what is set aside do not answer
        forms = {f for w in plan.aside for f in synonyms(w) if len(f) >= 2}
        passages = tuple(p for p in passages if not any(f in p.text for f in forms))
    if plan.kind == Kind.WHETHER and said_by_another_only(question, passages, ctx):
        return {"answer": NO_ANSWER, "citations": []}  # "남편이 경찰 부르겠다고 한 적": only his mother said it
    claims = field_person(question, passages)  # "진단서 담당의는 누구": the person the document's field names
    claims = claims or _act_doer(plan, index, case_id, passages, ctx)  # "위치추적기 찾아낸 사람은?"
    claims = claims or details_stated(plan, compose(plan, index, case_id, passages, ctx), passages, ctx)
    if not claims and plan.kind == Kind.WHETHER and plan.wants == Wants.NONE:
        claims = details_stated(plan, _stated_not(plan, passages, ctx), passages, ctx)
    if plan.kind == Kind.WHETHER:  # "원고가 … 때린 적": the lines where the asked party did it (labels' actors)
        claims = by_the_asked_doer(question, claims, evidence, case_id, parties)
        claims = not_the_asked_partys_harm(question, claims, parties)
        claims = _with_never(plan, claims, passages, ctx.parties)
        claims = _admitted_first(question, plan, claims, passages, parties)
        claims = _meant_only_dropped(plan, claims)
    names = _names(passages, plan, parties, ctx)
    text, cited = render(claims, names)
    if not cited:  # the composer refuses: a ranking by meaning and a learned decision may still answer
        meant = _amounts_of_the_topic(plan, details_stated(plan, answer_by_meaning(plan, passages, ctx, parties),
                                                           passages, ctx))
        if plan.kind == Kind.WHETHER:  # the asked party's acts only, as for the composer's answer
            meant = by_the_asked_doer(question, meant, evidence, case_id, parties)
        text, cited = render(meant, names)
    if not cited:  # "폰을 집어던진 게 며칠": the act read by meaning, dated or counted
        text, cited = render(details_stated(plan, _act_dated(plan, passages, ctx, lambda shown: _done_by_the_asked(
            question, shown, evidence, case_id, parties)), passages, ctx), names)
    if not cited:
        return {"answer": NO_ANSWER, "citations": []}
    if answerer is not None:
        written = _written(answerer, question, cited, names, AnalysisContext(case_id=case_id, user_id=user_id))
        if written is not None:
            text, cited = written
            if not cited:
                return {"answer": NO_ANSWER, "citations": []}
    return {"answer": text, "citations": [_citation(p) for p in cited]}


def _admitted_first(question: str, plan: Plan, claims: list[Claim], passages: Sequence[Passage],
                    parties: Sequence[dict[str, Any]] | None) -> list[Claim]:
    """"아내가 … 시인했는지": the asked doer's own lines that admit it (`ask_admit`) come first; the rest follows."""
    own = admitted(question, plan.topic, passages, parties)
    if not own:
        return claims
    shown = {(p.evidence_id, p.seq) for c in own for p in c.sources}
    rest = [c for c in claims if c.header or not any((p.evidence_id, p.seq) in shown for p in c.sources)]
    return [*own, *rest] if any(not c.header for c in rest) else own


_WHICH: Final = re.compile(r"(?<![가-힣])(?:어느|어떤|무슨)\s+([가-힣]{2,})")
_WHICH_GENERIC: Final = frozenset({"말", "일", "것", "거", "때", "날", "쪽", "정도", "내용", "얘기", "이야기", "방법", "식", "행동",
                                   "사유", "이유", "문제", "상황", "관계", "사이", "의미", "뜻", "요구", "조치", "태도", "답"})


def _which(plan: Plan) -> tuple[str, ...]:
    """"돌반지를 어느 금은방에 팔았는지": the ways the evidence writes the thing asked to be identified (금은방),
    which a passage must write to say which one; () for "어떤 말을 했는지" and other questions about what was
    said or done."""
    if plan.kind != Kind.WHETHER:
        return ()
    m = _WHICH.search(plan.question)
    if m is None:
        return ()
    noun = next((n for n in plan.topic.nouns if m.group(1).startswith(n) and n not in _WHICH_GENERIC), None)
    return tuple(f for f in plan.topic.forms(noun) if len(f) >= 2) if noun else ()


def _unknown_of(topic: Topic, text: str) -> bool:
    """Whether the passage says that one of the question's nouns is not known (right after it)."""
    return any(UNKNOWN_TEXT.search(text[m.end():m.end() + 20]) for n in topic.nouns for f in topic.forms(n)
               if len(f) >= 2 for m in re.finditer(re.escape(f), text))


# A predicate said not to have happened ("보내지 않고", "안 보냈어"), not any 없 ("엄마 자격도 없는 게").
_NOT_AFTER: Final = re.compile(r"지\s*(?:않|아니하|못)|(?<![가-힣])(?:안|못)\s")
STATED_NOT_SHOWN: Final = 3


def _stated_not(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> list[Claim]:
    """"의뢰인이 병원 치료를 받았는지?" with "병원에는 가지 않았고": a passage that writes one of the question's things
    (what the act is about, 병원 or 치료) and at least half of its nouns, and says right after one of them that it
    did not happen, answers it (as what the evidence says, not "예"); a line that says the thing is not known ("모른다고
    함", "확인되지 않음") does not."""
    nouns = [n for n in plan.topic.nouns if n not in PARTY_WORDS_Q]
    if not nouns or plan.topic.negated or any(len(n) < 2 for n in nouns):
        return []
    people = {f for name in (*ctx.people, *(n for ns in ctx.roles.values() for n in ns)) for f in name_forms(name)}
    people |= {f for name in {p.speaker for p in passages if p.speaker} for f in name_forms(name)}
    things = [n for n in nouns if n not in plan.topic.names and n not in people and not _family_role(n)
              and not act_whether.RELATIVE_WORD.fullmatch(n) and n not in PERSON_NOUNS and n not in _EVIDENCE_WORDS]
    if not things:
        return []  # "장모가 아이를 학대했나요?": a person is no thing a line can say was not done
    nouns = [*[n for n in nouns if n not in things], *things]  # the last: what the act is about
    shown: list[Passage] = []
    # what the act is about: any of its things ("병원 치료를 받았는지" ~ "병원에는 가지 않았고")
    last = [f for n in things for f in plan.topic.forms(n) if len(f) >= 2]
    for p in passages:
        if not any(f in p.text for f in last) or (p.evidence_id, p.seq) in ctx.titles or _QUESTION_END.search(p.text) \
                or UNKNOWN_TEXT.search(p.text):
            continue
        spans = [[m.end() for f in plan.topic.forms(n) if len(f) >= 2 for m in re.finditer(re.escape(f), p.text)] for n in nouns]
        ends = [e for n, s in zip(nouns, spans, strict=True) if n in things for e in s]
        if ends and 2 * sum(1 for s in spans if s) >= len(nouns) and any(
                _NOT_AFTER.search(p.text[e:e + 20]) for e in ends):
            shown.append(p)
            if len(shown) >= STATED_NOT_SHOWN:
                break
    if not shown:
        return []
    return [Claim("증거에는 다음과 같이 그러지 않았다는 내용이 있습니다.", shown, header=True), *(item(p) for p in shown)]


def _with_never(plan: Plan, claims: list[Claim], passages: Sequence[Passage],
                parties: Sequence[tuple[str, tuple[str, ...]]] = ()) -> list[Claim]:
    """"상대방이 준서를 때린 적이 있는지?": a document line that says it never happened (`leh.analysis.never`) is
    added to the answer; lines that do not write the question's object (준서) are not about the asked act and
    give way to it."""
    known = _party_names(parties)
    claims, denied = _denials_apart(plan, claims, known)
    act = act_whether.read_act(plan.question, morphs(plan.question))
    others = [k.asked for k in act.kinds] if act else []  # "폭력을 쓴 적" ~ "손을 댄 적이 한 번도 없다"
    never = [*denied, *((p, line) for p, line in never_done(plan.question, passages, others, known)
                        if (p.evidence_id, p.seq) not in {(d.evidence_id, d.seq) for d, _ in denied})]
    if not never:
        return claims
    obj = asked_object(plan.question)
    if obj is not None:
        kept = [c for c in claims if not c.header and all(obj in (p.focus or p.text) for p in c.sources)]
        keys = {(p.evidence_id, p.seq) for c in kept for p in c.sources}
        claims = [replace(c, sources=[p for p in c.sources if (p.evidence_id, p.seq) in keys]) if c.header else c
                  for c in claims if c.header or c in kept] if kept else []
    cited = {(p.evidence_id, p.seq) for c in claims for p in c.sources}
    shown = [replace(p, focus=line) for p, line in never if (p.evidence_id, p.seq) not in cited]
    if not shown:
        return claims
    return [*claims, Claim("증거에는 다음과 같이 그러지 않았다는 내용이 있습니다.", shown, header=True),
            *(item(p) for p in shown)]


# a sentence of a document saying something never happened ("손찌검을 한 적은 없습니다", "때린 사실은 없음")
_SAID_NEVER: Final = re.compile(r"(?:적|사실|일)(?:은|이|도)?\s*(?:한\s*번도\s*|전혀\s*|단\s*한\s*번도\s*)?없")
_SENTENCES: Final = re.compile(r"[^.?!\n]+[.?!]?")


def _meant_only_dropped(plan: Plan, claims: list[Claim]) -> list[Claim]:
    """"시어머니가 아이를 데려간 적 있나요?": a line that writes the asked verb only as meant, threatened or forbidden
    ("데려갈 생각 마라", "잘라 버릴 거니까") is no answer (`leh.analysis.intent`); with no other line, none."""
    lemmas = frozenset() if plan.topic.negated else asked_done(plan.question)
    if not lemmas:
        return claims
    gone = {(p.evidence_id, p.seq) for c in claims if not c.header for p in c.sources if only_meant(lemmas, p.focus or p.text)}
    if not gone:
        return claims
    kept = [c for c in claims if c.header or not any((p.evidence_id, p.seq) in gone for p in c.sources)]
    if not any(not c.header for c in kept):
        return []
    return [replace(c, sources=[p for p in c.sources if (p.evidence_id, p.seq) not in gone]) if c.header else c
            for c in kept]


def _party_names(parties: Sequence[tuple[str, tuple[str, ...]]]) -> frozenset[str]:
    """The names the lawyer gave the parties, their given names ("위소담" → 소담) and the words for them."""
    return frozenset(w for name, words in parties for w in (name, name[1:], *words) if len(w) >= 2)


def _denials_apart(plan: Plan, claims: list[Claim], parties: Collection[str] = ()
                   ) -> tuple[list[Claim], list[tuple[Passage, str]]]:
    """A "예" answer's document line that itself says the asked act never happened ("남편은 저에게 손찌검을 한 적은
    없습니다" for "때린 적 있나요?": the act by another word for it): taken out of the lines that show it, and
    returned with its sentence to be shown as a line saying it did not happen. Claims left with no line are none."""
    words = [f for n in (*plan.topic.nouns, *plan.topic.verbs) if n not in PARTY_WORDS_Q for f in plan.topic.forms(n)
             if len(f) >= 2]
    words += [w for t in plan.topic.tags for ph in tag_phrases(t) for w in ph if len(w) >= 2]
    words += [k for k, tags in ACT_PARAPHRASES.items() if tags & plan.topic.tags and len(k) >= 2]
    if plan.topic.negated or not words:
        return claims, []
    act = act_whether.read_act(plan.question, morphs(plan.question))
    others = [k.asked for k in act.kinds] if act else []  # "손찌검한 사실" ~ "때린 적은 없다고 함"
    denied: dict[tuple[str, int], tuple[Passage, str]] = {}
    for c in claims:
        for p in c.sources:
            if not p.is_document or (p.evidence_id, p.seq) in denied:
                continue
            said = next((s.strip() for s in _SENTENCES.findall(p.focus or p.text)
                         if _SAID_NEVER.search(s) and (any(w in s for w in words) or any(o.search(s) for o in others))), None)
            if said is not None:
                denied[(p.evidence_id, p.seq)] = (p, said)
    if not denied:
        return claims, []
    kept = [c for c in claims if c.header or not any((p.evidence_id, p.seq) in denied for p in c.sources)]
    # "처가 남편을 민 적" and "의뢰인은 아내에게 … 밀친 일이 한 번도 없다": the other one's act denied, neither answer;
    # so too "남편이 아이를 때린 적" and "남편이 나한테 손찌검한 적은 없음": the act denied to another one
    person = asked_person(plan.question, parties)
    shown = [(p, said) for p, said in denied.values()
             if not reversed_roles(plan.question, said) and (person is None or person in said)]
    if not any(not c.header for c in kept):
        return [], shown
    kept = [replace(c, sources=[p for p in c.sources if (p.evidence_id, p.seq) not in denied]) if c.header else c
            for c in kept]
    return kept, shown


_EVIDENCE_WORDS: Final = frozenset({"자료", "증거", "기록", "흔적", "정황", "사실", "내용", "대목", "부분"})
PARTY_WORDS_Q: Final = frozenset({"남편", "아내", "와이프", "배우자", "의뢰인", "상대방", "피고", "원고", "본인"})
_QUESTION_END: Final = re.compile(r"\?\s*$|냐\s*$|니\s*$")


_NAME_LIKE: Final = re.compile(r"(?<![가-힣])([가-힣]{3})(?=\s?(?:씨|님)?\s?(?:에게|한테|께|이|가|은|는|의|을|를|과|와)(?![가-힣]))")


def _compounds_joined(plan: Plan, passages: Sequence[Passage]) -> Plan:
    """"명품관에서": Kiwi splits a compound into a noun and a one-syllable piece (명품, 관); where the question writes
    them as one word and the evidence writes that word, the word is the topic noun."""
    nouns = list(plan.topic.nouns)
    for i in range(len(nouns) - 1, 0, -1):
        word = nouns[i - 1] + nouns[i]
        if len(nouns[i]) == 1 and word in plan.question and any(word in p.text for p in passages[:READ_WHOLE_CASE]):
            nouns[i - 1:i + 1] = [word]
    if len(nouns) == len(plan.topic.nouns):
        return plan
    return replace(plan, topic=replace(plan.topic, nouns=tuple(nouns)))


def _name_pieces_dropped(plan: Plan, passages: Sequence[Passage], ctx: CaseContext) -> Plan:
    """"어태준이 양육비를 보내고 있는지": Kiwi splits a name it does not know into one-syllable nouns (태, 준), which
    no passage writes as words; the pieces of a case person's name the question writes are not topic nouns."""
    short = {n for n in plan.topic.nouns if len(n) == 1}
    if not short:
        return plan
    people = {p.speaker for p in passages if p.speaker} | set(ctx.people) | {n for ns in ctx.roles.values() for n in ns}
    # a three-syllable word before a particle that the evidence writes ("피순애에게": 환자 성명: 피순애)
    written = {w for w in _NAME_LIKE.findall(plan.question)
               if any(w in p.text or w in (p.filename or "") for p in passages[:READ_WHOLE_CASE])}
    pieces = {ch for name in people | written if len(name) >= 2
              and any(f in plan.question for f in name_forms(name) if len(f) >= 2) for ch in name}
    drop = short & pieces
    if not drop:
        return plan
    return replace(plan, topic=replace(plan.topic, nouns=tuple(n for n in plan.topic.nouns if n not in drop)))


def details_stated(plan: Plan, claims: list[Claim], passages: Sequence[Passage], ctx: CaseContext) -> list[Claim]:
    """Only the claims whose passages state what the question asks besides its act (`leh.analysis.asked`: by
    what proof, for what use, which address, a third person there): "호텔 CCTV로 확인됐는지" is not answered
    by the card rows of the hotel. A list (whether, a date's events) keeps the lines that state it; an answer
    that counts or dates its passages (how often, when) stands whole or not at all. Who-questions find the
    person themselves."""
    if plan.kind == Kind.WHO or not claims:
        return claims
    people = {n: FAMILY_ROLES.get(role, (role,)) for role, names in ctx.roles.items() for n in names}
    people.update({n: () for n in ctx.people})
    named = {n: w for n, w in people.items() if any(f in plan.question for f in name_forms(n) if len(f) >= 2)}
    if plan.kind == Kind.HOW_OFTEN and named:  # "마서린이 보낸 문자 몇 통": her messages, which need not write her
        sender = _sender_forms(plan.question, passages, ctx)
        named = {n: w for n, w in named.items() if n not in sender}
    docs = [p.text for p in passages if p.is_document][:READ_WHOLE_CASE] if named else []
    details = asked_details(plan.question, {n: w for n, w in named.items() if not is_party(n, docs)})
    unknown = plan.kind == Kind.WHETHER and any(UNKNOWN_TEXT.search(p.focus or p.text) for c in claims for p in c.sources)
    if not details and not unknown and not _which(plan):
        return claims

    which = _which(plan)

    def states(p: Passage) -> bool:
        text = p.focus or p.text
        if plan.kind == Kind.WHETHER and _unknown_of(plan.topic, text):
            return False  # "남편의 연봉은 모른다고 함" says nothing of his salary
        if which and not any(f in text for f in which):
            return False  # "어느 금은방에 팔았는지": a line that names no 금은방 does not say which
        return all_stated(details, text, ctx.around.get((p.evidence_id, p.seq), ""), p.speaker)

    lines = [c for c in claims if not c.header]
    kept = [c for c in lines if all(states(p) for p in c.sources)]
    if not kept:
        return []
    if plan.kind not in (Kind.WHETHER, Kind.ON_DATE) and not (plan.kind == Kind.WHEN and any(d.kind == "clock" for d in details)):
        return claims  # "몇 시쯤": a time of day is stated by some lines of a when-answer, the others are dropped
    keys = {(p.evidence_id, p.seq) for c in kept for p in c.sources}
    return [replace(c, sources=[p for p in c.sources if (p.evidence_id, p.seq) in keys]) if c.header else c
            for c in claims if c.header or c in kept]


def _written(answerer: Answerer, question: str, chosen: Sequence[Passage], names: Sequence[str],
             ctx: AnalysisContext) -> tuple[str, list[Passage]] | None:
    """The AI's answer from `chosen` only, each sentence checked against the passages it cites.

    None when the writer cannot be used or none of its sentences stands (the offline answer is kept);
    ("", []) when it finds no answer in the passages.
    """
    passages = [{"text": p.text, "ts": p.ts, "speaker": p.speaker} for p in chosen[:MAX_CITATIONS]]
    out = answerer.answer(question, passages, ctx)
    if out is None:
        return None
    found, text, _ = out
    if not found or not text.strip():
        return "", []
    numbered: list[Passage] = []
    lines: list[str] = []
    for sentence in _sentences(text):
        refs = [int(n) for n in MARKER.findall(sentence)]
        own = [chosen[n - 1] for n in dict.fromkeys(refs) if 0 < n <= len(passages)]
        # Names the check knows (speakers, parties) and every proper noun the model wrote must be in its passages.
        proper = [m.form for m in morphs(MARKER.sub(" ", sentence)) if m.tag == "NNP" and len(m.form) >= 2]
        if not own or len(own) != len(set(refs)) or unsupported(sentence, own, [*names, *proper]):
            continue  # a sentence with no valid citation, or one stating what its passages do not: dropped
        for p in own:
            if p not in numbered:
                numbered.append(p)
        lines.append(MARKER.sub(lambda m: f" [{numbered.index(chosen[int(m.group(1)) - 1]) + 1}]", sentence).strip())
    if not numbered:
        return None
    return " ".join(lines), numbered


def _sentences(text: str) -> list[str]:
    """Sentences of the AI's answer; markers written after a full stop stay with the sentence before."""
    out: list[str] = []
    for line in text.split("\n"):
        for s in split_sentences(line):
            lead = re.match(r"^(?:\s*\[\d+\])+", s)
            if out and lead:
                out[-1] += lead.group(0)
                s = s[lead.end():].strip()
            if s:
                out.append(s)
    return out


def _citation(p: Passage) -> dict[str, Any]:
    return {"evidence_id": p.evidence_id, "seq": p.seq, "snippet": _snippet(p.focus or p.text)}
