"""Dates of document text: the document's own date, dated lines, and which date governs an undated line.

Shared by the text, docx, PDF and image parsers (KakaoTalk exports have their own dates):

- the **document date** is the date written beside a label such as 진료 일자, 상담일, 작성일 or 발급일. It is the
  evidence's event time and dates every line that names no date of its own. A statement's 결제일 (payment day)
  is *not* a document date: the charges carry their own transaction dates.
- a line that is **only a date** (`2024년 3월 10일 (일)`) is a heading: it dates the undated lines below it,
  up to the next heading.
- **dated lines** (`2024. 3. 1. 남편이 …`, `2024.03.02 스타벅스 5,000`) become segments of their own; undated
  lines right below one are its continuation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final

from leh.domain.dates import PARTS_OF_DAY
from leh.domain.evidence import Segment
from leh.pipeline.parsers.dates import (
    DEFAULT_TZ,
    Dated,
    date_span_at,
    find_dated,
    find_month,
    first_date_span,
    make_datetime,
    zone,
)

# Labels of the date a document is about, best first: when something happened (진료, 상담, 녹취 …) before when the
# paper was made (작성, 발급 …).
_EVENT_LABELS: Final = ("진료", "진단", "수진", "내원", "초진", "상담", "면담", "사고", "발생", "접수", "녹취", "녹음", "통화")
_PAPER_LABELS: Final = ("작성", "발급", "발행")
_LABEL_RX: Final = re.compile(
    r"(?P<label>" + "|".join(_EVENT_LABELS + _PAPER_LABELS) + r")\s*(?:일\s*자|일\s*시|날\s*짜|년\s*월\s*일|일)"
    r"\s*[:：]?\s*$"
)
# `2023년 12월 26일 상담.` / `2024. 3. 5. 상담일지`: a memo that opens with the day of the meeting.
_AFTER_DATE_LABEL_RX: Final = re.compile(r"\s*(?:\(?[월화수목금토일](?:요일)?\)?\s*)?(?P<label>상담|면담|진료|내원|초진)"
                                         r"(?:\s*일지|\s*기록|\s*메모)?\s*(?:[.,:：]|$)")
_LABEL_WORD_RX: Final = re.compile("|".join(_EVENT_LABELS + _PAPER_LABELS))
# What may precede a date at the start of a dated line: bullets and enumerators ("1.", "-", "①", "(1)").
_LEAD_RX: Final = re.compile(r"[\s\-–—·•*○●□■▶▷>#①-⑳]*(?:\(?\d{1,2}[.)]\s+)?[\s\-–—·•*]*")
_BULLET_RX: Final = re.compile(r"[\s\-–—·•*○●□■▶▷>#]*")
# What may stand beside a date in a heading: punctuation, the weekday, 경, a part of day.
_LEFTOVER_RX: Final = re.compile(r"[\s()\[\].,:~\-–—·•*|]|[월화수목금토일](?:요일)?|경|" + "|".join(PARTS_OF_DAY))
# A money amount: 45,000 / 45,000원 / 5600원. Ledger rows (statement charges, bank entries) carry one.
_AMOUNT_RX: Final = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])|\d+\s*원")
# A year-less row date at the start of a ledger row: 03.02, 3/2, 03-02, 3월 2일.
_ROW_MD_RX: Final = re.compile(r"\s*(?P<m>\d{1,2})\s*(?:[./-]|월)\s*(?P<d>\d{1,2})(?:\s*일)?(?![\d./-])")
# Labels of a statement's payment day: never the date of the charges it lists.
_PAYMENT_RX: Final = re.compile(r"결제\s*(?:예정\s*)?일|납부\s*일|출금\s*일")


def is_ledger_row(line: str) -> bool:
    """A statement or ledger row: opens with a date (full or month/day) and carries an amount."""
    return _AMOUNT_RX.search(line) is not None and (starts_with_full_date(line) or _ROW_MD_RX.match(
        _lead_stripped(line)) is not None)


def _lead_stripped(line: str) -> str:
    lead = _BULLET_RX.match(line)
    return line[lead.end():] if lead else line


def starts_with_date(line: str) -> bool:
    """The line opens with a date: a full one (`2024. 3. 1. 남편이 …`) or a ledger row's month/day (`03.02 쿠팡 32,000`)."""
    return starts_with_full_date(line) or is_ledger_row(line)


# A line that opens with a date of its own, not a full one: a year-less day ("5월 3일 …", after a connective or
# "저도": "저도 5월 3일 화가 나서 …") or a month ("2024년 6월부터 …", "2024. 6.경"). It starts a piece of a dated
# paragraph; what day it is stays for the analysis (a year-less day counts from the document's date, inferred).
_OPENING_WORD: Final = r"(?:그리고|그런데|그러다가?|그\s?후(?:에)?|그\s?뒤|이후|또한?|다음\s?날|저도|저는|제가|나도|나는|내가)"
_OWN_DATE_RX: Final = re.compile(
    rf"(?:{_OPENING_WORD}\s+)?(?:\d{{1,2}}\s*월\s*\d{{1,2}}\s*일"
    r"|(?:19|20)\d{2}\s*(?:년\s*\d{1,2}\s*월|[./-]\s*\d{1,2}\s*[./]?(?=\s*(?:경|초|중순|말|부터|까지|에|\s)))(?!\s*\d))"
)


def opens_with_own_date(line: str) -> bool:
    """The line opens with a full date, a year-less day or a month (see `_OWN_DATE_RX`)."""
    return starts_with_full_date(line) or _OWN_DATE_RX.match(_lead_stripped(line)) is not None


def starts_with_full_date(line: str) -> bool:
    """The line opens with a full date (after a bullet or enumerator)."""
    if not line[:12].strip(" \t-–—·•*○●□■▶▷>#①②③④⑤⑥⑦⑧⑨⑩()")[:1].isdigit():
        return False  # cheap: a date line has a digit right after its bullet
    lead = _LEAD_RX.match(line)
    starts = {0, len(line) - len(line.lstrip())} | ({lead.end()} if lead else set())
    return any(date_span_at(line, pos) is not None for pos in sorted(starts))


def is_date_heading(text: str) -> bool:
    """The text is a date and nothing else worth reading: `2024년 3월 10일 (일)`, `2024. 3. 10. 밤`."""
    m = first_date_span(text)
    if m is None:
        return False
    rest = text[:m[0]] + text[m[1]:]
    return not _LEFTOVER_RX.sub("", rest)


def document_date(texts: Sequence[str], tz: str = DEFAULT_TZ) -> Dated | None:
    """The document's own date: the date beside the best label (진료 일자 … before 작성일/발급일), or None.

    The label and its date may be on one line (`진료 일자: 2024년 3월 3일`), the date on the next line (a table
    cell below its header), or a memo's opening `2023년 12월 26일 상담.`.
    """
    best: tuple[int, Dated] | None = None
    for index, text in enumerate(texts):
        lines = text.split("\n")
        for line_no, line in enumerate(lines):
            if _LABEL_WORD_RX.search(line) is None:
                continue  # cheap: most lines name no label at all
            following = lines[line_no + 1] if line_no + 1 < len(lines) else (
                texts[index + 1].split("\n")[0] if index + 1 < len(texts) else "")
            labelled = _labelled_date(line, following)
            found = find_dated(labelled[1][:40], tz) if labelled else None
            if labelled is None or found is None:
                continue
            rank = (_EVENT_LABELS + _PAPER_LABELS).index(labelled[0])
            if best is None or rank < best[0]:
                best = (rank, found)
    return best[1] if best else _signed_date(texts, tz)


# The signature block that closes a statement: "2024. 7. 12. / 진술인 한도윤 (인)".
_SIGNER_RX: Final = re.compile(r"^\s*(?:위\s*)?(?:진술인|작성자|작성인|신청인|청구인|확인자|사실확인자|원고|피고)\s*[:：]?\s*[가-힣]{2,4}"
                               r"|\(인\)|서명")
_SIGNATURE_LINES: Final = 4


def _signed_date(texts: Sequence[str], tz: str) -> Dated | None:
    """The date of a document's closing signature block (a date alone among its last lines, beside the signer's
    line), else None: the day the paper was signed, not the first day it tells of."""
    tail = [line for text in texts[-_SIGNATURE_LINES:] for line in text.split("\n") if line.strip()][-_SIGNATURE_LINES:]
    if not any(_SIGNER_RX.search(line) for line in tail):
        return None
    dates = [found for line in tail if is_date_heading(line) and (found := find_dated(line, tz)) is not None]
    return dates[-1] if dates else None


def _labelled_date(line: str, following: str) -> tuple[str, str] | None:
    """(label word, text starting with its date) when `line` gives a labelled document date."""
    m = first_date_span(line)
    if m is None:
        label = _LABEL_RX.search(line)
        if label is not None and first_date_span(following) is not None:
            return label.group("label"), following
        return None
    label = _LABEL_RX.search(line[:m[0]])
    if label is not None:
        return label.group("label"), line[m[0]:]
    after = _AFTER_DATE_LABEL_RX.match(line, m[1]) if not line[:m[0]].strip() else None
    return (after.group("label"), line[m[0]:m[1]]) if after else None


# A list item's mark at the start of a line: "- ", "• ", "① ", "(1) ", "1) ", "1. " (not "2024. 3." nor "3. 2.").
_LIST_ITEM_RX: Final = re.compile(r"\s*(?:[-–—·•*○●□■▶▷※]|[①-⑳]|\(?\d{1,2}\)|\d{1,2}\.(?!\s*\d))\s+\S")


def _list_items(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines that open a list item, when the paragraph is a list (two items or more)."""
    items = [i for i, line in enumerate(lines) if _LIST_ITEM_RX.match(line)]
    return items if len(items) >= 2 else []


# A turn of a transcript (녹취록) at the start of a line: "화자1: …", "[00:05:40] 화자 2: …", "변준우: …", "아내(석하담): …".
_TURN_RX: Final = re.compile(r"\s*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?"
                             r"(?P<who>(?:화자|발화자|녹취자)\s?\d{1,2}|[가-힣]{1,5}(?:\s?\([가-힣, ]{1,12}\))?)\s*[:：]\s*\S")
_VOICE_RX: Final = re.compile(r"(?:화자|발화자|녹취자)\s?\d")
_NOTE_RX: Final = re.compile(r"\s*[(\[（][^()\[\]（）]{2,80}[)\]）]\s*$")  # the transcriber's note: "(문 닫히는 소리)"


def _turns(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines that open a speaker's turn or are a transcriber's note, when the paragraph is a
    transcript: two numbered voices' turns ("화자1: …" / "화자2: …"), or three turns or more with a speaker who speaks
    twice (a heading's "작성일: … / 작성자: …" names each field once). A note ("(가방이 던져지는 소리)") is no voice's
    words: it is a piece of its own, told by the transcript's writer."""
    found = [(i, m.group("who").replace(" ", "")) for i, line in enumerate(lines) if (m := _TURN_RX.match(line))]
    whos = [who for _, who in found]
    voices = sum(1 for who in whos if _VOICE_RX.match(who))
    if voices >= 2 or (len(found) >= 3 and len(set(whos)) < len(whos)):
        return sorted({i for i, _ in found} | {i for i, line in enumerate(lines) if _NOTE_RX.match(line)})
    return []


# A transcriber's note closing a voice's turn: "화자1: 네가 뭔데 따져. (유리컵이 던져져 깨지는 소리)" — a sound or a silence,
# not a key's brackets ("화자3: 육소미 (딸, 7세)").
_TRAILING_NOTE_RX: Final = re.compile(r"(?<=\S)\s*([(\[（][^()\[\]（）]{0,60}(?:소리|정적|침묵|울음|흐느낌|비명|고함|한숨|웃음)"
                                      r"[^()\[\]（）]{0,20}[)\]）])\s*$")


def _notes_apart(lines: Sequence[str]) -> tuple[list[str], list[int]]:
    """A transcript's lines with each note that closes a turn on a line of its own (the note is no voice's words),
    and each line's index in the paragraph as written."""
    out: list[str] = []
    origin: list[int] = []
    for i, line in enumerate(lines):
        m = _TRAILING_NOTE_RX.search(line) if _TURN_RX.match(line) else None
        if m is not None and line[:m.start()].split(":", 1)[-1].strip():
            out += [line[:m.start()].rstrip(), m.group(1)]
            origin += [i, i]
        else:
            out.append(line)
            origin.append(i)
    return out, origin


def split_dated_lines(lines: Sequence[str]) -> list[tuple[int, str]]:
    """(index of first line, text) pieces of one paragraph: each dated line starts a piece of its own, and so do
    each item of a list (a 상담일지's "- …" notes are separate facts: one may be the client's own, the next the
    opponent's) and each speaker's turn of a transcript (a 녹취록's "화자1: …" is one voice, "화자2: …" another).

    A line is dated when it opens with a date (`starts_with_date`; in a paragraph that has one, also a year-less
    day or a month, `opens_with_own_date`). A paragraph stays whole when its only dated line is its first, or is
    not below a heading that dates the paper (작성일: …). Otherwise the lines before the first dated line are one
    piece (the heading: "사실확인서 / 작성일: … / 작성자: …"), and each dated line takes the undated lines below it.
    """
    if _turns(lines):
        apart, origin = _notes_apart(lines)
        if len(apart) > len(lines):
            return [(origin[i], text) for i, text in _split(apart)]
    return _split(lines)


# A memo's line that opens with a month and a day and no year: "3/22 토 …", "4. 16.(수) …" (not "3/4 정도" in a sentence).
_MEMO_DAY_RX: Final = re.compile(r"\s*(?:1[0-2]|0?[1-9])\s*[/.]\s*(?:3[01]|[12]\d|0?[1-9])\s*\.?(?=\s*[(（]?[월화수목금토일]"
                                 r"(?:요일)?[)）]?(?:[\s.,:]|$)|\s+[가-힣\d])")


def _split(lines: Sequence[str]) -> list[tuple[int, str]]:
    dated = [i for i, line in enumerate(lines) if starts_with_date(line)]
    memo_days = [i for i, line in enumerate(lines) if not starts_with_date(line) and _MEMO_DAY_RX.match(_lead_stripped(line))]
    if len(memo_days) >= 2:  # a memo of year-less days, a line each ("3/9 일 …", "3/22 토 …")
        dated = sorted({*dated, *memo_days})
    if dated and all(is_ledger_row(lines[i]) for i in dated) and len(dated) >= 2:
        # A statement: every line is its own piece, so a total or a page footer is never part of a charge.
        return [(i, line) for i, line in enumerate(lines)]
    if dated:
        dated = [i for i, line in enumerate(lines) if i in dated or opens_with_own_date(line)]
    if len(dated) == 1 and not _dating_heading(lines[:dated[0]]):
        dated = []  # one dated line in a memo's list ("4. 아래 카톡 참고 / 2023년 12월 25일 …") is part of it
    starts = sorted({i for i in [*dated, *_list_items(lines), *_turns(lines)] if i > 0})
    if not starts:
        return [(0, "\n".join(lines))]
    return _pieces(lines, starts)


def _dating_heading(lines: Sequence[str]) -> bool:
    """The lines are a document's heading that dates the paper itself (작성일: …, 발급일 …): what follows is the body."""
    return any(_LABEL_WORD_RX.search(line) and first_date_span(line) for line in lines)


def _pieces(lines: Sequence[str], starts: list[int]) -> list[tuple[int, str]]:
    bounds = [0, *starts, len(lines)]
    return [(a, "\n".join(lines[a:b])) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]


def date_segments(segments: Sequence[Segment], tz: str = DEFAULT_TZ, *, today: date | None = None) -> Dated | None:
    """Set ts / ts_precision / ts_part_of_day of document segments in place; returns the document date.

    A segment that names one date gets it; one that names only a month ("2024년 6월부터 …") gets that month, with
    precision "month" (not the paper's date, which would say it happened that day). An undated segment gets the date of its table row (a ledger's
    merchant and amount cells beside the date cell), else the day of the nearest date heading above it, else
    the document date. A memo's line of a month, a day and a weekday without a year ("3/22 토 …") takes the latest
    year that weekday fits, on or before the document's date (else its latest date, else `today`). Segments already
    dated (a chat time read off a screenshot) are kept.
    """
    doc_date = document_date([s.text for s in segments], tz)
    reference = _reference_day([s.text for s in segments], doc_date, tz)
    owns = [None if s.ts is not None else find_dated(s.text, tz) or _row_date(s.text, reference, tz)
            or find_month(s.text, tz) for s in segments]
    latest = max((o.at.date() for o in owns if o is not None), default=None)
    weekday_reference = reference or latest or today or datetime.now(zone(tz)).date()
    owns = [own or (None if s.ts is not None else _weekday_date(s.text, weekday_reference, tz))
            for s, own in zip(segments, owns, strict=True)]
    rows: dict[tuple[Any, Any], Dated] = {}
    for seg, own in zip(segments, owns, strict=True):
        if own is not None and "row" in seg.ref:
            rows.setdefault((seg.ref.get("table"), seg.ref["row"]), own)
    heading: Dated | None = None
    previous = ""
    for seg, own in zip(segments, owns, strict=True):
        if seg.ts is not None:
            previous = seg.text
            continue
        if own is not None and _is_heading(seg, previous):
            heading = _day_of(own)
        row = rows.get((seg.ref.get("table"), seg.ref["row"])) if "row" in seg.ref else None
        found = own or row or heading or doc_date
        if found is not None:
            stamp(seg, found)
        previous = seg.text
    return doc_date


def _is_heading(seg: Segment, previous: str) -> bool:
    """A date standing alone in the body text; not a table cell, nor the value of a label above it (작성일)."""
    if "table" in seg.ref or not is_date_heading(seg.text):
        return False
    label = previous.strip()
    return not (label.endswith((":", "：")) or _LABEL_RX.search(label) or _PAYMENT_RX.search(label))


def _day_of(found: Dated) -> Dated:
    """What a heading tells the lines below it: the day (and part of day), not the minute it was written."""
    if found.precision == "day":
        return found
    at = found.at.replace(hour=0, minute=0, second=0)
    return Dated(at, "day")


def _reference_day(texts: Sequence[str], doc_date: Dated | None, tz: str) -> date | None:
    """The day year-less ledger rows count back from: the statement's payment day, else the document date."""
    for text in texts:
        for line in text.split("\n"):
            label = _PAYMENT_RX.search(line)
            found = find_dated(line[label.end():], tz) if label else None
            if found is not None:
                return found.at.date()
    return doc_date.at.date() if doc_date else None


def _row_date(text: str, reference: date | None, tz: str) -> Dated | None:
    """The date of a ledger row written without its year (`03.02 쿠팡 32,000`): the latest such day on or
    before the reference day (a statement paid in January lists December's charges), else None."""
    if reference is None or "\n" in text or not is_ledger_row(text):
        return None
    m = _ROW_MD_RX.match(_lead_stripped(text))
    if m is None:
        return None
    for year in (reference.year, reference.year - 1):
        try:
            day = date(year, int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        if day <= reference:
            return Dated(make_datetime(day.year, day.month, day.day, tz=tz), "day")
    return None


# A memo's line dated by month, day and weekday, without a year: "3/22 토 남편이 …", "4. 16.(수) …", "5월 3일 토요일 …".
_WEEKDAY_DAY_RX: Final = re.compile(r"\s*(?P<m>\d{1,2})\s*(?:[./]|월)\s*(?P<d>\d{1,2})\s*[.일]?\s*[(（]?\s*"
                                    r"(?P<w>[월화수목금토일])(?:요일)?\s*[)）]?(?=[\s.,:]|$)")
_WEEKDAYS: Final = "월화수목금토일"


def _weekday_date(text: str, reference: date, tz: str) -> Dated | None:
    """The day of a line that opens with a month, a day and its weekday but no year ("3/22 토 …"): the latest year on
    or before the reference whose day falls on that weekday (the weekday says which year the writer meant; the
    pattern repeats only after five years or more), else None."""
    m = _WEEKDAY_DAY_RX.match(_lead_stripped(text))
    if m is None:
        return None
    for year in range(reference.year, reference.year - 12, -1):
        try:
            day = date(year, int(m["m"]), int(m["d"]))
        except ValueError:
            continue  # 2월 29일 in a year without it
        if day <= reference and day.weekday() == _WEEKDAYS.index(m["w"]):
            return Dated(make_datetime(day.year, day.month, day.day, tz=tz), "day")
    return None


def stamp(seg: Segment, found: Dated) -> None:
    seg.ts = found.iso
    seg.ts_precision = found.precision
    seg.ts_part_of_day = found.part_of_day


def earliest(segments: Sequence[Segment]) -> Dated | None:
    """The earliest time the segments carry, with its precision (for an evidence without a document date)."""
    best: tuple[datetime, Segment] | None = None
    for seg in segments:
        at = datetime.fromisoformat(seg.ts) if seg.ts else None
        if at is not None and (best is None or at < best[0]):
            best = (at, seg)
    if best is None:
        return None
    at, seg = best
    return Dated(at, seg.ts_precision or "minute", seg.ts_part_of_day)
