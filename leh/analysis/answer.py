"""Short Korean answers composed from evidence passages, with numbered citations ([1], [2] …), offline.

Each composer returns `Claim`s: one sentence and the passages it rests on. `render` numbers the passages in
order of first use, writes the markers, and keeps only sentences that pass `answer_check.unsupported`: a
sentence states nothing (date, time, amount, name, quotation) that its passages do not.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from leh.analysis.answer_check import unsupported
from leh.analysis.concepts import name_forms
from leh.analysis.question import DateRange, text_dates, text_months
from leh.analysis.speakers import voice_keys
from leh.analysis.summary import josa

QUOTE_CHARS: Final = 60
MAX_EVENTS: Final = 8
MAX_ITEMS: Final = 5

Day = tuple[int, int, int]


# A line that says the day of what it tells is not known ("예약일 미정", "날짜는 모른다고 함"): no date of it.
DAY_UNKNOWN: Final = re.compile(r"(?:일|날짜|일자|일정|일시|시각|날)\s*(?:은|는|이|가|도)?\s*(?:미정|미상|불상|모름|모른다|"
                                r"정해지지\s*않|확인되지\s*않|알\s*수\s*없)")

@dataclass(eq=False)
class Passage:
    """One segment of the case's evidence, as the answer sees it."""

    evidence_id: str
    seq: int
    text: str
    ts: str | None
    speaker: str | None
    filename: str | None
    kind: str = "speech"
    tags: frozenset[str] = frozenset()
    doc_year: int | None = None  # year of the evidence, for dates written without one ("3월 2일")
    precision: str | None = None  # month | day | minute | second (None: minute unless the time is 00:00:00)
    rank: int = 0  # relevance to the question, higher first
    focus: str | None = field(default=None, compare=False)  # the line of a long passage that answers
    refers: Day | None = None  # the day a relative word of the text names ("어제" in a message of 19 August)
    uploaded: str = ""  # when its evidence was uploaded: same-day lines of two files are ordered by upload, then name
    written: str | None = None  # a typed message row as the original writes it (문자 내역): `text` is its words only

    def doc_order(self) -> tuple[str, str, str]:
        """The order of its evidence among the case's: upload time, then file name (never the random evidence id
        alone, so an answer lists same-day lines of two files the same way every time)."""
        return (self.uploaded, self.filename or "", self.evidence_id)

    @property
    def is_document(self) -> bool:
        return self.kind == "text" or not self.speaker

    def ts_day(self) -> Day | None:
        if not self.ts or len(self.ts) < 10 or self.precision == "month":
            return None
        try:
            return int(self.ts[:4]), int(self.ts[5:7]), int(self.ts[8:10])
        except ValueError:
            return None

    def days(self) -> list[Day]:
        """Days this passage is about: the dates its text writes (documents), then the day it was written."""
        year = self.doc_year or (self.ts_day() or (None, 0, 0))[0]
        line = entry_removed(self.focus or self.text, year) if self.is_document else ""
        written = text_dates(line, year) if self.is_document else []
        if self.is_document and not written:  # "2024년 11월경": the month, day 0 ("2024년 11월" in the answer)
            written = [(y, m, 0) for y, m in text_months(line)]
        if self.refers and not written:
            written = [self.refers]
        own = self.ts_day()
        return list(dict.fromkeys(written + ([own] if own else [])))

    def event_days(self) -> list[Day]:
        """Days the passage shows something happening on: a document line's own dates (not the date the
        document was written, which its lines without a date only inherit), a message's day or the day it names."""
        if self.is_document:
            year = self.doc_year or (self.ts_day() or (None, 0, 0))[0]
            line = entry_removed(self.focus or self.text, year)
            return list(dict.fromkeys(text_dates(line, year) or [(y, m, 0) for y, m in text_months(line)]))
        return [self.refers] if self.refers else ([d] if (d := self.ts_day()) else [])

    def day(self) -> Day | None:
        """The day to date the passage by in an answer: a document line's own date, a message's send day (a day
        it only names with "어제" is matched, never written as if the message stated it)."""
        if not self.is_document:
            return self.ts_day()
        days = self.days()
        return days[0] if days else None

    def has_time(self) -> bool:
        if not self.ts or len(self.ts) < 16 or self.precision == "day":
            return False
        return self.ts[11:19] != "00:00:00"


# A log entry's own date ("2025. 3. 10. 최초 상담. 내담자는 2025년 1월 11일 밤 …"): the day it was written down.
_ENTRY_DATE: Final = re.compile(r"^\s*\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\s*\.?")


def entry_removed(line: str, year: int | None) -> str:
    """A log entry's line without its entry date when the entry states the day of what it records (the
    counselling session of 10 March is no event of that day; the 11 January it reports is); else the line."""
    m = _ENTRY_DATE.match(line)
    if m is None:
        return line
    rest = line[m.end():]
    return rest if text_dates(rest, year) else line  # "3월분 생활비" names a month, not the day of an event


@dataclass
class Claim:
    text: str
    sources: list[Passage]
    header: bool = False  # a framing sentence: rests on every passage of the answer, written without markers


# ------------------------------------------------------------------ wording helpers
def day_ko(d: Day, *, year: bool = True) -> str:
    if d[2] == 0:  # a month the evidence names without a day
        return f"{d[0]}년 {d[1]}월" if year else f"{d[1]}월"
    return f"{d[0]}년 {d[1]}월 {d[2]}일" if year else f"{d[1]}월 {d[2]}일"


def time_ko(p: Passage) -> str | None:
    if not p.has_time() or p.ts is None:
        return None
    hour, minute = int(p.ts[11:13]), p.ts[14:16]
    return f"{'오전' if hour < 12 else '오후'} {hour % 12 or 12}:{minute}"


def line_day(p: Passage, line: str, *, months: bool = True) -> Day | None:
    """The day a quoted line is about: a document line's own date (or month), else the passage's."""
    if p.is_document:
        written = text_dates(line, p.doc_year)
        if written:
            return written[0]
        months_ = text_months(line) if months else []  # "2025. 2.경 …": that month, not the day it was written
        if months_:
            return (*months_[0], 0)
    return p.ts_day() if p.is_document else p.day()


def when_ko(p: Passage, *, day: Day | None = None, with_day: bool = True, line: str | None = None) -> str:
    """"2023년 12월 25일 오후 10:20" — the time only when the passage states one for that day."""
    d = day or (line_day(p, line) if line is not None else p.day())
    parts = [day_ko(d)] if d and with_day else []
    if (day is None or day == p.ts_day()) and (t := time_ko(p)):
        parts.append(t)
    return " ".join(parts)


def focus_line(p: Passage, pick: Callable[[str], bool] | None = None) -> str:
    """The line of the passage worth quoting: the first that `pick` accepts, else the whole passage."""
    lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()]
    if pick is not None:
        for ln in lines:
            if pick(ln):
                return ln
    return " ".join(lines)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The text in quotes, cut to `limit` characters with "…"; never inside a number ("결제일: 2…" would state a 2
    the line does not hold): a cut there goes back to before the number."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return "“" + flat + "”"
    cut = limit - 1
    if flat[cut - 1].isdigit() and flat[cut].isdigit():
        cut = len(flat[:cut].rstrip("0123456789"))
    return "“" + flat[:cut].rstrip() + "…" + "”"


def source_ko(p: Passage) -> str:
    """Who said it, or which document writes it."""
    if p.is_document:
        return p.filename or "문서"
    return p.speaker or "작성자 미상"


def item(p: Passage, *, day: Day | None = None, with_day: bool = True, pick: Callable[[str], bool] | None = None
         ) -> Claim:
    """"- 2023년 12월 25일 오후 10:20 홍길동이 협박성 발언을 함: “…”" (a document: its name and the line)."""
    line = focus_line(p, pick) if pick is not None else p.focus or focus_line(p)
    if p.is_document and line != p.text.strip() and line != p.focus:
        p = replace(p, focus=line)  # the citation's snippet shows the line quoted (a copy: passages are shared)
    when = when_ko(p, day=day, with_day=with_day, line=line)
    who = f"{p.filename or '문서'}에 기재" if p.is_document else source_ko(p)
    head = " ".join(x for x in (when, who) if x)
    return Claim(f"- {head}: {quote(line)}", [p])


def shown_day(p: Passage, d: Day) -> Day:
    """The day to write for a passage listed under day `d`: `d` when the passage states it, else the day the
    message was sent (a message about "어제" is shown with its own date; its words say which day)."""
    if d == p.ts_day() or (p.is_document and (d in text_dates(p.text, d[0]) or d[2] == 0)):
        return d
    return p.ts_day() or d


def _order(p: Passage) -> tuple[Day, str, tuple[str, str, str], int]:
    return (p.day() or (9999, 12, 31), p.ts or "", p.doc_order(), p.seq)


# ------------------------------------------------------------------ the composers
# A paper's field line ("녹취 일시: 2025. 5. 17. 23:10경", "녹취 장소: …", "작성일: …") or a title alone ("녹 취 록").
_FIELD_LINE: Final = re.compile(r"^\s*[가-힣 ]{0,8}(?:일시|일자|장소|작성일|시각|시간|성명|이름|연락처|사건번호|대상)\s*[:：]")
_TITLE_LINE: Final = re.compile(r"^\s*(?:(?:[가-힣]\s){1,6}[가-힣]|[가-힣]{1,6}(?:록|서|일지|내역|증명|기록))\s*$")


def no_event(p: Passage) -> bool:
    """A document passage that tells of no event: a transcript's key ("화자1: 변준우(남편)"), its field lines (녹취
    일시, 장소) or a title — the day's events are the lines under them."""
    lines = [ln for ln in p.text.split("\n") if ln.strip()]
    return p.is_document and bool(lines) and all(
        voice_keys(ln) or _FIELD_LINE.match(ln) or _TITLE_LINE.match(ln) for ln in lines)


def on_date(rng: DateRange, passages: Sequence[Passage]) -> list[Claim]:
    """What happened on a day or in a month: the passages of that date in order, each cited (a paper's key, field
    lines and title only when nothing else of that day is in the evidence)."""
    hits: list[tuple[Day, Passage]] = []
    for p in passages:
        day = next((d for d in p.days() if rng.contains(*d)), None)
        if day is None and p.is_document:
            day = next(((y, m, 0) for y, m in text_months(p.text) if rng.covers_month(y, m)), None)
        if day is not None:
            hits.append((day, p))
    if not hits:
        return []
    hits = [h for h in hits if not no_event(h[1])] or hits
    hits.sort(key=lambda x: (x[0], x[1].ts or "", x[1].doc_order(), x[1].seq))
    if len(hits) > MAX_EVENTS:  # keep what the analysis marked, then the first of the rest, in date order
        keep = {id(p) for _, p in sorted(hits, key=lambda x: (not x[1].tags, _order(x[1])))[:MAX_EVENTS]}
        hits = [h for h in hits if id(h[1]) in keep]
    single_day = rng.start == rng.end
    header = f"{rng.label}에 관한 증거는 다음과 같습니다(시간순)."
    if unsupported(header, [p for _, p in hits], []):  # only a message's "어제" names that day
        header = "질문한 날짜에 관한 증거는 다음과 같습니다(시간순)."
    claims = [Claim(header, [p for _, p in hits], header=True)]
    for day, p in hits:
        def pick(line: str, d: Day = day) -> bool:
            return d in text_dates(line, d[0]) or (d[2] == 0 and (d[0], d[1]) in text_months(line))
        shown = shown_day(p, day)
        claims.append(item(p, day=shown, with_day=not single_day or shown != day or p.is_document and p.ts_day() != day,
                           pick=pick if p.is_document else None))
    return claims


_ROLE_WORDS: Final = (
    "남편", "아내", "와이프", "딸", "아들", "자녀", "어머니", "엄마", "아버지", "아빠", "장모", "장인", "시어머니",
    "시아버지", "시누이", "처제", "동서", "언니", "오빠", "누나", "형", "동생", "친구", "동료", "후배", "선배", "상사",
    "직원", "의사", "변호사", "원장", "선생님", "담임", "애인", "여자친구", "남자친구", "내연녀", "내연남", "사장",
    "팀장", "과장", "부장", "대리", "이웃", "집주인", "친척", "사촌", "조카", "며느리", "사위",
    "동기", "작성자", "담당의", "지인", "목격자", "강사", "부친", "모친",
)
_SPOUSE_RE: Final = re.compile(r"남편|아내|와이프|작성자")  # words that say nothing of who the person is to the case
_ROLE_RE: Final = re.compile("|".join(sorted(_ROLE_WORDS, key=len, reverse=True)))


def _mentions(p: Passage, forms: Sequence[str]) -> list[str]:
    return [f for f in forms if f in p.text]


def _relation(name: str, forms: Sequence[str], mentioned: Sequence[Passage], everything: Sequence[Passage]
              ) -> list[Claim]:
    """Sentences quoting how the evidence relates the person to others: "딸 최서윤", "박수진이 누구야?" → "회사 동료야"."""
    alts = "|".join(map(re.escape, forms))
    near = re.compile(rf"(?:{_ROLE_RE.pattern})\s*(?:인\s*)?(?:{alts})|(?:{alts})[^\n.?!]{{0,20}}?(?:{_ROLE_RE.pattern})|"
                      rf"(?:{alts})[^\n.?!\s]{{0,6}}\s(?:[^\n.?!\s]+\s){{0,2}}?{_LOVED}")  # "마태성이라는 남자를 좋아한다고"
    out: list[Claim] = []
    found = [(m, p) for p in mentioned for line in p.text.split("\n") for m in near.finditer(line)]
    # a relation of its own (후배, 딸, 장모) says more than one written next to the spouses' role words
    found.sort(key=lambda x: not _own_relation(x[0]))
    for m, p in found[:1] + [x for x in found[1:] if x[1].evidence_id != found[0][1].evidence_id][:1]:
        written = next((f for f in forms if f in m.group(0)), name)  # the name as this line writes it
        out.append(Claim(f"증거에는 {written}에 관해 {quote(_window(m.string, m.start(), m.end()), 80)}라는 기재가 있습니다.",
                         [p]))
    by_doc: dict[str, list[Passage]] = {}
    for p in everything:
        by_doc.setdefault(p.evidence_id, []).append(p)
    for p in mentioned:  # a question about the person answered by the next message of the other speaker
        if not p.speaker or not re.search(rf"(?:{alts})\S*\s*(?:\S+\s*)?누구", p.text):
            continue
        after = sorted((x for x in by_doc.get(p.evidence_id, []) if p.seq < x.seq <= p.seq + 3
                        and x.speaker and x.speaker != p.speaker), key=lambda x: x.seq)
        reply = next((x for x in after if _ROLE_RE.search(x.text)), None)
        if reply is not None and reply.speaker:
            out.append(Claim(f"{when_ko(p)} {josa(p.speaker, '이/가')} {quote(p.text)}라고 묻자 "
                             f"{josa(reply.speaker, '은/는')} {quote(reply.text)}라고 답했습니다.", [p, reply]))
            break
    return out


# the person someone loves, dates or sees: who they are to the parties when no role word says it
_LOVED: Final = r"(?:좋아한|좋아해|좋아하는|교제|사귀|사랑한|사랑해|만나고\s*있|만나는)"


def relation_stated(name: str, text: str) -> bool:
    """Whether the text says who the person is to someone ("회사 팀장 최현우", "서가은은 남편 회사의 후배입니다"),
    by a role word other than the spouses' right before the name or a few words after it."""
    before = re.compile(rf"(?:{_ROLE_RE.pattern})\s*(?:인\s*)?$")
    for m in re.finditer(re.escape(name), text):
        role = before.search(text[max(0, m.start() - 12):m.start()])
        if role and not _SPOUSE_RE.match(role.group(0)):
            return True
        after = re.split(r"[\n.?!]", text[m.end():m.end() + 24])[0]
        if any(not _SPOUSE_RE.fullmatch(r.group(0)) for r in _ROLE_RE.finditer(after)):
            return True
    return False


def _own_relation(m: re.Match[str]) -> bool:
    """Whether the words around a match name a relation other than the spouses' ("회사 후배", not only "남편")."""
    around = m.string[max(0, m.start() - 10):m.end() + 15]
    return any(not _SPOUSE_RE.fullmatch(r.group(0)) for r in _ROLE_RE.finditer(around))


def _window(line: str, start: int, end: int, pad: int = 20) -> str:
    """The words around line[start:end], cut at spaces, with "…" where the line goes on."""
    a = max(0, start - pad)
    b = min(len(line), end + pad)
    if a > 0:
        sp = line.find(" ", a, start)
        a = sp + 1 if sp >= 0 else a
    if b < len(line):
        sp = line.rfind(" ", end, b)
        b = sp if sp >= 0 else b
    return ("…" if a > 0 else "") + line[a:b].strip() + ("…" if b < len(line) else "")


def who(name: str, passages: Sequence[Passage]) -> list[Claim]:
    """Who a person is: the relation the evidence states, how it writes them, the first and last mention."""
    forms = name_forms(name)
    def mention_order(p: Passage) -> tuple[Day, bool, str, tuple[str, str, str], int]:
        # on one day, a message sent that day comes before a document's line about that day (written later); a
        # line about a month ("2025년 4월 이후 …") is dated by when the document was written, not that month
        line = focus_line(p, lambda ln: any(f in ln for f in forms))
        return (line_day(p, line, months=False) or (9999, 12, 31), p.is_document, p.ts or "", p.doc_order(), p.seq)

    mentioned = sorted((p for p in passages if _mentions(p, forms) or p.speaker == name), key=mention_order)
    if not mentioned:
        return []
    claims: list[Claim] = []
    claims += _relation(name, forms, mentioned, passages)
    used: dict[str, Passage] = {}
    for p in mentioned:
        rest = p.text
        for f in forms:  # longest first: 수진 inside 수진이 is not a form of its own
            if f in rest:
                used.setdefault(f, p)
                rest = rest.replace(f, " ")
    if len(used) > 1:
        srcs = list(dict.fromkeys(used.values()))
        claims.append(Claim(f"증거에서는 {', '.join('‘' + f + '’' for f in forms if f in used)}(으)로 나옵니다.", srcs))
    spoken = [p for p in mentioned if p.speaker == name]
    if spoken:
        claims.append(Claim(f"{josa(name, '은/는')} 대화에 직접 메시지를 보낸 참여자입니다.", spoken[:1]))
    dated = [p for p in mentioned if mention_order(p)[0] != (9999, 12, 31)]
    if dated:
        claims.append(_mention("처음", dated[0], forms))
        if dated[-1] is not dated[0]:
            claims.append(_mention("마지막으로", dated[-1], forms))
    else:
        claims.append(_mention("", mentioned[0], forms))
    return claims


def role_who(name: str, shown: Sequence[Passage], passages: Sequence[Passage]) -> list[Claim]:
    """The person the evidence shows in a role the question names by its act ("상간녀로 의심되는 사람"): the
    lines of the act that name them, then who they are."""
    forms = name_forms(name)
    lines = [p for p in shown if _mentions(p, forms)]
    lines = ([p for p in lines if name in p.text][:1] + [p for p in lines if name not in p.text])[:2]
    if not lines:
        return []
    # the sentence names them in full: it also cites a passage that writes the full name ("다온이" → 추다온)
    full = [] if any(name in p.text for p in lines) else [p for p in passages if name in p.text][:1]
    claims = [Claim(f"관련 기재에 나오는 사람은 {name}입니다.", lines + full)]
    claims += [item(p, pick=lambda ln: any(f in ln for f in forms)) for p in lines]
    return claims + who(name, passages)


def _mention(which: str, p: Passage, forms: Sequence[str]) -> Claim:
    line = focus_line(p, lambda ln: any(f in ln for f in forms))
    when = when_ko(p, line=line)
    where = f"{p.filename or '문서'}에" if p.is_document else f"{josa(source_ko(p), '이/가')} 보낸 메시지에"
    lead = f"{when} " if when else ""
    head = f"{which} 언급된 것은" if which else "언급된 곳은"
    return Claim(f"{head} {lead}{where} 있는 {quote(line)}입니다.", [p])


# a time said in words right before "부터"/"이후"/"뒤로": a year, a month, a season, a holiday, last year, a year of
# the marriage ("결혼 3년 차부터"), or the end of an event ("워크숍 끝나고부터", "다녀온 뒤로")
_SINCE_WORDED: Final = re.compile(
    r"(?:\d{2,4}\s*년|\d{1,2}\s*월(?:\s*(?:\d{1,2}\s*일|초|중순|말))?|봄|여름|가을|겨울|추석|설날|명절|작년|재작년|올해|"
    r"지난\s*해|지난달|다음\s*달|이번\s*달|다음\s*주|내일|오늘|연초|연말|년\s*차|년째)\s*(?:무렵|쯤|경|즈음|께|이맘때)?\s*(?:부터|이후로?|이래|뒤로|후로)|"
    r"(?:끝나고|끝난\s*뒤로?|끝난\s*후로?|다녀온\s*(?:뒤|후)로?|갔다\s*온\s*(?:뒤|후)로?)\s*부터|"
    r"(?:다녀온|갔다\s*온|끝난)\s*(?:뒤로|후로)")
def _since_any(text: str) -> bool:
    return _SINCE.search(text) is not None


def since_worded(text: str) -> bool:
    """Whether the text says in words when something began ("2024년 가을 무렵부터", "워크숍 끝나고부터")."""
    return _SINCE_WORDED.search(text) is not None


_SINCE: Final = re.compile(r"부터|이후|이래|째|발병|발생일|시작일|최초|처음(?!\s*(?:보는|본\s))")  # 처음 보는 남자: a stranger


def began_or_stopped(passages: Sequence[Passage], *, stopped: bool) -> list[Claim]:
    """When something began (or stopped): the earliest and the latest evidence of it, saying which is which."""
    dated = sorted((p for p in passages if p.day()), key=_order)
    if not dated:
        return whether(passages)
    claims: list[Claim] = []
    # a beginning stated in words ("2024년 가을 무렵부터", "6월부터는 생활비 못 줘", "워크숍 끝나고부터") first, in a
    # message too; then a document's other lines of a beginning ("최초", "이후")
    worded = [p for p in passages if since_worded(p.focus or p.text)]  # the line about the topic says it
    stated = [*worded, *(p for p in passages if p.is_document and _SINCE.search(p.text) and p not in worded)]
    first, last = dated[0], dated[-1]
    for p in stated[:2]:
        line = p.focus if p in worded and p.focus else focus_line(p, since_worded if p in worded else _since_any)
        if p.is_document:
            claims.append(Claim(f"{p.filename or '문서'}에는 {quote(line, 80)}라고 적혀 있습니다.", [p]))
        elif p is not first:  # the earliest message is quoted below as such
            claims.append(Claim(f"{when_ko(p)} {source_ko(p)}의 메시지에 {quote(line, 80)}라고 되어 있습니다.", [p]))
    if stopped:  # the latest incident, not the day a counselling log wrote down what it reports ("봄부터 …")
        last = next((p for p in reversed(dated) if not _entry_dated_only(p)), last)
    first_words = "가장 이른 증거는" if not stopped else "이 일에 관한 첫 증거는"
    claims.append(Claim(f"{first_words} {when_ko(first, line=first.focus)} {_said(first)}입니다.", [first]))
    if last is not first and last.day() != first.day():
        last_words = "가장 늦은 증거는" if not stopped else "마지막 증거는"
        claims.append(Claim(f"{last_words} {when_ko(last, line=last.focus)} {_said(last)}입니다.", [last]))
    if stopped:
        claims = [claims[-1], *claims[:-1]] if len(claims) > 1 else claims
    return claims


def _entry_dated_only(p: Passage) -> bool:
    """A log entry whose only date is the day it was written ("2025. 11. 20. 내담자는 봄부터 … 진술함")."""
    if not p.is_document:
        return False
    line = p.focus or p.text
    m = _ENTRY_DATE.match(line)
    rest = line[m.end():] if m else ""
    return (m is not None and bool(_REPORTED.search(rest)) and not text_dates(rest, p.doc_year)
            and not text_months(rest))


# what a log entry reports (not a ledger row's own event): "…라고 진술함", "…다고 함", "호소"
_REPORTED: Final = re.compile(r"진술|(?:다|라|냐)고\s*(?:함|했|합니다|하였)|호소|상담")


def _said(p: Passage) -> str:
    if p.is_document:
        return f"{p.filename or '문서'}의 기재 {quote(p.focus or focus_line(p))}"  # the caller dated it by this line
    return f"{source_ko(p)}의 메시지 {quote(p.text)}"


def how_often(passages: Sequence[Passage]) -> list[Claim]:
    """How often: the incidents the evidence shows, one a day (a message of 19 August about "어제" and the
    statement's line dated 18 August are one incident), each with its passages; lines without a date apart."""
    by_day: dict[Day, list[Passage]] = {}
    undated: list[Passage] = []
    ordered = sorted(passages, key=_order)
    acts = [p for p in ordered if not _found_record(p)]
    for p in acts if any(_incident_day(p) for p in acts) else ordered:
        day = _incident_day(p)
        if day is None:
            undated.append(p)
        else:
            by_day.setdefault(day, []).append(p)
    for d in [d for d in by_day if d[2] == 0]:  # "2024. 3. ~ 6.": the month of a dated incident is that incident
        same = sorted(x for x in by_day if x[:2] == d[:2] and x[2])
        if same:
            by_day[same[0]] += by_day.pop(d)
    if not by_day:
        return whether(passages)
    days = sorted(by_day)
    all_cited = [p for d in days for p in by_day[d][:2]]
    # "N차례", never "N일" (which also reads as "the Nth"); each incident by a day its passages state
    named = [next((d for p in by_day[d] if shown_day(p, d) == d), shown_day(by_day[d][0], d)) for d in days]
    claims = [Claim(f"증거에서 날짜가 확인되는 것은 모두 {len(days)}차례입니다: {', '.join(day_ko(d) for d in named)}.",
                    all_cited, header=True)]
    for d in days:
        for p in by_day[d][:2]:
            claims.append(item(p, day=shown_day(p, d)))
    if undated:
        claims.append(Claim("날짜가 없는 관련 기재도 있습니다.", undated[:1]))
        claims.append(item(undated[0]))
    claims.append(Claim("증거에 나타난 횟수이며 실제 횟수와 다를 수 있습니다.", [], header=True))
    return claims


# a line that tells of finding a record of the act ("카드 명세서에서 … 결제 내역을 발견하였습니다"): its day is the
# finding, not another incident
_FOUND: Final = re.compile(r"(?:명세서|내역|영수증|기록|사진|문자|메시지|카톡)\S{0,3}\s.{0,60}?(?:발견|찾아냈|알게\s*되|확인하였|확인했)|"
                           r"(?:발견|찾아냈)[가-힣]*\s*(?:명세서|내역|영수증|기록)")
_RECORD: Final = re.compile(r"명세서|내역|영수증|기록")


def _found_record(p: Passage) -> bool:
    return p.is_document and bool(_RECORD.search(p.text)) and bool(_FOUND.search(p.text))


def _incident_day(p: Passage) -> Day | None:
    """The day of the incident a passage tells of: a document line's own date; for a message, the day it writes
    ("3월 16일 새벽 모텔 결제는?" sent on 25 May reports the 16 March stay), else the day it names or was sent."""
    if not p.is_document and (own := p.ts_day()) is not None:
        written = [d for d in text_dates(p.text, own[0]) if d <= own]
        if written:
            return written[0]
    days = p.event_days()
    return days[0] if days else None


_WEEKDAYS: Final = "월화수목금토일"


def when_did(passages: Sequence[Passage], *, weekday: bool = False) -> list[Claim]:
    """When something happened: the dates of the most relevant passages (with the day of the week it was, when
    the question asks for it: computed from the date the passage states)."""
    dated = [p for p in passages if p.day()]
    # a line that writes its own date (or a message, dated when sent) before a line that only inherits its
    # document's date ("내원 일자: …" answers "병원에 간 날짜는?" better than "담당의 …")
    dated.sort(key=lambda p: not p.event_days())
    top = dated[:3]
    if not top:
        return whether(passages)
    claims = [Claim("증거에 나타난 날짜는 다음과 같습니다.", top, header=True)]
    d = top[0].day()  # the day its item writes
    if weekday and d and d[2]:
        name = _WEEKDAYS[datetime.date(*d).weekday()]
        claims.append(Claim(f"{day_ko(d)}은 {name}요일입니다.", top[:1]))
    claims += [item(p) for p in top]
    return claims


def whether(passages: Sequence[Passage], *, value: Callable[[str], str | None] | None = None) -> list[Claim]:
    """Whether the evidence shows something: what it says, most relevant first, each cited."""
    top = list(passages[:MAX_ITEMS])
    if not top:
        return []
    claims: list[Claim] = []
    if value is not None:
        for p in top:
            v = value(p.text)
            if v:
                claims.append(Claim(f"증거에 적힌 값은 {quote(v)}입니다.", [p]))
                break
    claims.append(Claim("증거에서 다음 내용이 확인됩니다.", top, header=True))
    claims += [item(p) for p in sorted(top, key=_order)]
    return claims


# ------------------------------------------------------------------ rendering with the support check
def render(claims: Sequence[Claim], names: Sequence[str]) -> tuple[str, list[Passage]]:
    """The answer text with [n] markers and the cited passages in marker order; unsupported sentences dropped."""
    numbered: list[Passage] = []
    index: dict[tuple[str, int], int] = {}
    lines: list[str] = []
    for c in claims:
        if c.header:
            continue
        if not c.sources or unsupported(c.text, c.sources, names):
            continue
        for p in c.sources:
            key = (p.evidence_id, p.seq)
            if key not in index:
                index[key] = len(numbered) + 1
                numbered.append(p)
    for c in claims:
        if c.header:
            own = [p for p in c.sources if (p.evidence_id, p.seq) in index]
            if (own or not c.sources) and not unsupported(c.text, own, names):
                lines.append(c.text)
            continue
        if not c.sources or unsupported(c.text, c.sources, names):
            continue
        marks = "".join(f"[{index[(p.evidence_id, p.seq)]}]" for p in c.sources)
        text = c.text
        lines.append(f"{text[:-1]} {marks}." if text.endswith(".") else f"{text} {marks}")
    if not numbered:
        return "", []
    return "\n".join(lines), numbered
