"""Line patterns of each KakaoTalk export layout (PC, Android, iOS, Mac CSV; Korean and English) and the
recognisers built on them: message, separator, day-header, export-header and untimed system lines."""

from __future__ import annotations

import csv
import re
from typing import Final

from leh.pipeline.parsers import dates
from leh.pipeline.parsers.kakaotalk.stamps import INVALID, NO_DAY, clock_hms, mobile_day

# PC/Windows: `[이름] [오후 10:20] 메시지`, `[Name] [10:20 PM] message`, `[이름] [22:20] 메시지`.
# The name is matched lazily, so it ends at the FIRST `] [<time>] `: `[엄마 [집]] [오후 1:05] 밥` gives
# `엄마 [집]`, while a quoted `[B] [오후 3:10]` later in the message text stays text.
PC_MSG: Final = re.compile(r"\[(.*?)\] \[((?:(?:오전|오후) ?)?\d{1,2}:\d{2}(?: ?[AaPp][Mm])?)\] ?")
# `--------------- 2023년 12월 25일 월요일 ---------------` / `--------------- Monday, December 25, 2023 ---------------`
_PC_SEP: Final = re.compile(r"-{5,}\s*(.+?)\s*-{5,}\s*")

# Mobile exports: a stamp, then `, 이름 : 메시지` (message), `, …` without ` : ` (Android system line),
# `: …` (iOS system line) or nothing (Android date marker). Every layout has the groups `dpart` (date
# text, cached per day), `cpart` (clock text, cached per minute) and `tail`.
_TAIL: Final = r"(?P<tail>, |: |\s*$)"
_KO_CLOCK: Final = r"(?P<cpart>(?:(?:오전|오후) )?\d{1,2}:\d{2}(?: ?[AP]M)?)"
MOBILE: Final[dict[str, re.Pattern[str]]] = {
    # 2023년 12월 25일 오후 10:20, 이름 : 메시지
    "android": re.compile(r"(?P<dpart>(?P<y>\d{4})년 (?P<mo>\d{1,2})월 (?P<d>\d{1,2})일) " + _KO_CLOCK + _TAIL),
    # 2023. 12. 25. 오후 10:20, 이름 : 메시지 / 2023. 12. 25. 10:20 PM, Name : message / 2023. 12. 25. 22:20, …
    "ios": re.compile(r"(?P<dpart>(?P<y>\d{4})\. ?(?P<mo>\d{1,2})\. ?(?P<d>\d{1,2})\.?) " + _KO_CLOCK + _TAIL),
    # December 25, 2023 at 10:20 PM, Name : message / Dec 25, 2023, 10:20 PM, … / Feb 1, 2026 at 20:35, …
    "mobile_en": re.compile(
        rf"(?P<dpart>(?P<mon>{dates.MONTH_RX}) (?P<d>\d{{1,2}}), (?P<y>\d{{4}}))(?: at|,)? "
        r"(?P<cpart>\d{1,2}:\d{2}(?: ?[AP]M)?)" + _TAIL
    ),
    # 2019-03-30 오전 4:39, 이름 : 메시지
    "mobile_dash": re.compile(
        r"(?P<dpart>(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})) "
        r"(?P<cpart>(?:(?:오전|오후) )?\d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)" + _TAIL
    ),
    # iOS with time-only lines under `2023년 12월 25일 월요일` headers: 오후 10:20, 이름 : 메시지
    "ios_time": re.compile(r"(?P<dpart>)(?P<cpart>(?:오전|오후) \d{1,2}:\d{2})(?P<tail>, |: )"),
}
FORMAT_OF: Final = {"android": "android", "ios": "ios", "ios_time": "ios", "mobile_dash": "mobile"}

# Day headers on their own line (iOS, English exports).
_DAY_HEADER: Final = re.compile(
    rf"(?:\d{{4}}년 \d{{1,2}}월 \d{{1,2}}일 {dates.WEEKDAY_KO_RX}|{dates.WEEKDAY_EN_RX}, {dates.MONTH_RX} \d{{1,2}}, \d{{4}})\s*"
)
SAVED: Final = re.compile(r"(?:저장한 날짜|Date Saved)\s*:\s*(.+?)\s*")
ROOM: Final = re.compile(r"(?:(.+?) 님과 카카오톡 대화|.+ 카카오톡 대화|KakaoTalk Chats with (.+?))\s*")
EXPORT_FILENAME: Final = re.compile(r"(?:Talk|KakaoTalk\w*)_.+\.(?:txt|csv)\s*")
OPEN_CHAT_NOTICE: Final = "운영정책을 위반한 메시지로 신고 접수 시"
# Export headers sit at the top (a `Talk_….txt` line, the room title, the saved date, an open-chat notice).
# Further down, the same words are somebody's text and are kept.
TITLE_LINES: Final = 3
HEADER_LINES: Final = 8

# PC exports write join/leave/invite notices as plain, untimed lines. Only these exact Korean/English
# sentences are split off as system segments; anything else between messages continues the message.
UNTIMED_SYSTEM: Final = re.compile(
    r"(?P<a>\S.{0,49}?)님이 (?:채팅방을 )?(?:들어왔습니다|나갔습니다|.{1,200}?님을 (?:초대했습니다|초대하였습니다|내보냈습니다))\."
    r"|(?P<b>\S.{0,49}?) (?:joined|left) this chatroom\."
    r"|.{1,50}?님을 내보냈습니다\."
    r"|채팅방 관리자가 메시지를 가렸습니다\."
)


def is_csv_header(line: str) -> bool:
    """True for the Mac export's `Date,User,Message` first row."""
    s = line.strip().lstrip("\ufeff")
    if not s or s[0] not in "Dd\"":
        return False
    try:
        row = next(csv.reader([s]))
    except (csv.Error, StopIteration):
        return False
    return [f.strip().lower() for f in row] == ["date", "user", "message"]


def separator_day(line: str) -> str | None:
    """The YYYY-MM-DD of a PC `----- date -----` separator line, or None."""
    m = _PC_SEP.fullmatch(line)
    if m is None:
        return None
    d = dates.parse_date(m.group(1))
    return None if d is None else d.isoformat()


def day_header(line: str) -> str | None:
    """The YYYY-MM-DD of a day header on its own line (iOS, English exports), or None."""
    if _DAY_HEADER.fullmatch(line) is None:
        return None
    d = dates.parse_date(line)
    return None if d is None else d.isoformat()


def locale_of_clock(clock: str) -> str | None:
    """`ko` for 오전/오후, `en` for AM/PM, None for a 24-hour clock."""
    if "오" in clock:
        return "ko"
    if "M" in clock or "m" in clock:
        return "en"
    return None


def _mobile_valid(m: re.Match[str], day: str | None, tz: str) -> bool:
    ok_day = mobile_day(m, tz) is not NO_DAY if m.group("dpart") else day is not None
    return ok_day and clock_hms(m.group("cpart")) != INVALID


def detect(line: str, day: str | None, tz: str) -> tuple[str, re.Match[str] | None] | None:
    """Which export layout a line starts, if it is a message, separator or date-marker line."""
    c = line[:1]
    if c == "[":
        m = PC_MSG.match(line)
        return ("pc", m) if m else None
    if c == "-":
        return ("pc", None) if separator_day(line) else None
    for key, rx in MOBILE.items():
        if key == "ios_time" and day is None:
            continue
        m = rx.match(line)
        if m is not None and _mobile_valid(m, day, tz):
            return key, m
    return None


def line_kind(line: str, day: str | None, tz: str) -> tuple[str, str | None]:
    """("message" | "marker" | "saved" | "other", day) for head detection."""
    s = line.strip()
    d = day_header(s)
    if d is not None:
        return "marker", d
    found = detect(s, day, tz)
    if found is not None:
        key, m = found
        if m is None:
            return "marker", separator_day(s)
        if key != "pc" and m.group("tail") not in (", ", ": "):
            return "marker", day
        return "message", day
    saved = SAVED.fullmatch(s)
    if saved is not None and dates.parse_datetime(saved.group(1), tz) is not None:
        return "saved", day
    return "other", day
