"""PII masking applied before text reaches the audit log, the JSON logs or an outside AI API.

Detects 주민등록번호/외국인등록번호, phone, card and account numbers, e-mail addresses and inline passwords,
and replaces each with a typed placeholder (`[전화번호]`) so nothing of the value survives. Pure, no I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

__all__ = ["PiiHit", "PiiKind", "REDACTED", "contains_pii", "find_pii", "mask_payload", "mask_text"]


class PiiKind(StrEnum):
    RRN = "rrn"
    PHONE = "phone"
    CARD = "card"
    ACCOUNT = "account"
    EMAIL = "email"
    PASSWORD = "password"


@dataclass(frozen=True)
class PiiHit:
    """One detected value: its kind and the `text[start:end]` span. The value itself is not kept."""

    kind: PiiKind
    start: int
    end: int


PLACEHOLDERS: Final[dict[PiiKind, str]] = {
    PiiKind.RRN: "[주민번호]",
    PiiKind.PHONE: "[전화번호]",
    PiiKind.CARD: "[카드번호]",
    PiiKind.ACCOUNT: "[계좌번호]",
    PiiKind.EMAIL: "[이메일]",
    PiiKind.PASSWORD: "[비밀번호]",
}
REDACTED: Final = "[REDACTED]"

# Numbers must not be glued to a letter or digit: this is what keeps digit runs inside UUIDs, sha256 hex
# and evidence ids from matching. A digit is whatever `\d` matches (other scripts' digits too), so a boundary
# and a number never disagree and masking stays idempotent. Hangul is deliberately NOT a boundary ("010-1234-5678로 연락").
_NB: Final = r"(?<![\dA-Za-z])"
_NA: Final = r"(?![\dA-Za-z])"
# A number directly followed by 원 is money ("1000000000원"), never an account or card.
_NOT_MONEY: Final = r"(?!\s*원)"

# YYMMDD with a real month and day; the 7th digit (sex/century, 5-8 for 외국인등록번호) is 1-8.
_BIRTH: Final = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_RRN_RE: Final = re.compile(
    # Hyphenated, spaces allowed around the hyphen; the back half may be partly starred ("1******"),
    # which still discloses birth date and sex, so it is masked too.
    rf"{_NB}{_BIRTH}[ \t]*-[ \t]*[1-8][\d*]{{6}}(?![\dA-Za-z*])"
    # Bare 13 digits: only with the plausible date and 7th digit, otherwise it is just a long number.
    rf"|{_NB}{_BIRTH}[1-8]\d{{6}}{_NA}"
)

# Mobile: 010/011/016-019. "+82 10-…" drops the trunk 0; some people keep it ("+82 010-…").
# "-", "." or " " may separate groups: a 0-prefixed code followed by 3-4 and 4 digits is never a date.
_MOBILE: Final = r"(?:\+82[ -]?(?:\(0\))?0?|0)1[016789][-. ]?\d{3,4}[-. ]?\d{4}"
# Landline: Seoul 02, the 0xx regional codes, 070 (VoIP), 050x (safe numbers), 080 (toll-free);
# the area code may be in parentheses ("(02) 123-4567").
_AREA: Final = r"(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|80|50\d)"
_LANDLINE: Final = rf"(?:\+82[ -]?\(?0?|\(?0){_AREA}\)?[-. ]?\d{{3,4}}[-. ]?\d{{4}}"
_PHONE_RE: Final = re.compile(rf"(?<![\dA-Za-z+]){_MOBILE}{_NA}|(?<![\dA-Za-z+(]){_LANDLINE}{_NA}")

# Cards: the usual print groupings with one consistent separator (4-4-4-4[-3], Amex 4-6-5, Diners 4-6-4),
# then Luhn. Bare runs must start with 2-9: 13-digit runs starting with 1 are epoch milliseconds.
_CARD_RE: Final = re.compile(
    rf"{_NB}(?:"
    r"\d{4}(?P<s1>[ -]?)\d{4}(?P=s1)\d{4}(?P=s1)\d{4}(?:(?P=s1)\d{3})?"
    r"|\d{4}(?P<s2>[ -]?)\d{6}(?P=s2)\d{4,5}"
    r"|[2-9]\d{12,18}"
    # Whatever follows after a separator is another value ("4111 1111 1111 1111 010-1234-5678"): a card followed
    # by a number is still masked (over-masking a Luhn-valid run in a table of numbers beats leaking a card).
    rf"){_NA}{_NOT_MONEY}"
)

# Korean bank accounts print as 2-4 hyphen-joined digit groups (110-123-456789, 1002-123-456789,
# 123-12-123456). The whole hyphen chain must match, so a date range or UUID never yields a slice of it;
# the 10-14 digit total (checked in code) keeps dates (8 digits) out.
_ACCOUNT_RE: Final = re.compile(rf"(?<![\dA-Za-z-])\d{{2,6}}(?:-\d{{2,7}}){{1,3}}(?![\dA-Za-z]|-\d){_NOT_MONEY}")
# After 계좌/통장 a bare or hyphenated run is an account even without the usual grouping; a bank name
# may sit in between ("계좌: 신한 110123456789"). Not after "[", so our own placeholder is no trigger.
_ACCOUNT_AFTER_WORD_RE: Final = re.compile(
    r"(?<!\[)(?:입금\s?계좌|계좌\s?번호|계좌|통장|account(?:\s?(?:number|no\.?))?|acct)"
    r"[^\d\n\[]{0,20}?"
    r"(?<![\d,.])(?P<num>\d(?:-?\d){9,13})(?![\d,.]\d|[\dA-Za-z-]|\s*원)",
    re.IGNORECASE,
)
_ACCOUNT_DIGITS: Final = range(10, 15)

# ASCII-only boundaries: Hangul is glued to addresses in chat text ("연락처hong@naver.com로").
_EMAIL_RE: Final = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)

# Inline passwords: the label is kept and only the value is masked. A strong separator (":" or "=") takes
# any value; a Korean particle ("비번은 1234") or a bare space takes only password-looking values, so
# "비밀번호는 잊었어" and "password reset" stay readable.
_PLACEHOLDER_AHEAD: Final = r"(?!\[(?:주민번호|전화번호|카드번호|계좌번호|이메일|비밀번호|REDACTED)\])"
_PASSWORD_LABEL: Final = (
    r"(?:(?<![A-Za-z_])[A-Za-z_]*?pass(?:word|wd|code)|(?<![A-Za-z])pwd?"
    r"|(?<!\[)(?:새\s?)?비밀\s?번호|(?<!\[)비번|(?<!\[)패스워드|(?<!\[)암호)(?![A-Za-z])"
)
_PASSWORD_RE: Final = re.compile(
    rf"{_PASSWORD_LABEL}"
    r"(?:"
    rf"[\"']?[ \t]*[:=][ \t]*{_PLACEHOLDER_AHEAD}(?:\"(?P<dq>[^\"\n]+)\"|'(?P<sq>[^'\n]+)'|(?P<strong>\S+))"
    rf"|(?:은|는|이|가|도)[ \t]*:?[ \t]*{_PLACEHOLDER_AHEAD}(?P<particle>\S*[A-Za-z0-9]\S*)"
    rf"|[ \t]+{_PLACEHOLDER_AHEAD}(?P<spaced>\S*\d\S*)"
    r")",
    re.IGNORECASE,
)
# Closing quotes, brackets and list separators after a bare value ("(pw: abc)", "pw=abc,") are not part
# of it. "." "!" "?" are kept in the value: they may belong to the password, and leaking one is worse
# than masking a full stop.
_TRAILING_PUNCT: Final = ",;)]}\"'"
# A password with no label ("Tiger!Lily#2291" typed as a search query, alone on a chat line): one run of
# printable ASCII, 8-64 long, with a letter, a digit and one of !#$%^*~ — the shape sites demand of passwords,
# which ids, hashes, dates, amounts, paths and URLs (no "://") do not have.
_PASSWORD_SHAPED_RE: Final = re.compile(
    r"(?<![!-~])(?=[!-~]*[A-Za-z])(?=[!-~]*\d)(?=[!-~]*[!#$%^*~])(?![!-~]*://)[!-~]{8,64}(?![!-~])"
)


def _password_hits(text: str) -> Iterator[PiiHit]:
    for m in _PASSWORD_RE.finditer(text):
        group = next(g for g in ("dq", "sq", "strong", "particle", "spaced") if m.group(g) is not None)
        start, end = m.span(group)
        if group not in ("dq", "sq"):
            end = start + len(m.group(group).rstrip(_TRAILING_PUNCT))
        if end > start:
            yield PiiHit(PiiKind.PASSWORD, start, end)


def _regex_hits(pattern: re.Pattern[str], kind: PiiKind) -> Callable[[str], Iterator[PiiHit]]:
    def hits(text: str) -> Iterator[PiiHit]:
        for m in pattern.finditer(text):
            yield PiiHit(kind, m.start(), m.end())

    return hits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_hits(text: str) -> Iterator[PiiHit]:
    """Luhn-valid matches. A candidate that fails Luhn does not hide a card starting inside it (a phone number's
    last group, a space, then the card: "010-0000-0000 3000 0000 0000 0004"), nor a 16-digit card inside a
    19-digit candidate ("4111 1111 1111 1111 123")."""
    pos = 0
    while (m := _CARD_RE.search(text, pos)) is not None:
        digits = re.sub(r"\D", "", m.group())
        end = m.end() if _luhn_ok(digits) else _card_without_tail(m) if len(digits) == 19 else None
        if end is None:
            pos = m.start() + 1
            continue
        yield PiiHit(PiiKind.CARD, m.start(), end)
        pos = end


def _card_without_tail(m: re.Match[str]) -> int | None:
    """The end of the 4-4-4-4 card a 19-digit grouped match starts with, if that one passes Luhn."""
    if not m.group("s1") or not _luhn_ok(re.sub(r"\D", "", m.group())[:16]):
        return None
    return m.end() - 3 - len(m.group("s1"))


def _account_hits(text: str) -> Iterator[PiiHit]:
    for m in _ACCOUNT_RE.finditer(text):
        if len(re.sub(r"\D", "", m.group())) in _ACCOUNT_DIGITS:
            yield PiiHit(PiiKind.ACCOUNT, m.start(), m.end())
    for m in _ACCOUNT_AFTER_WORD_RE.finditer(text):
        yield PiiHit(PiiKind.ACCOUNT, m.start("num"), m.end("num"))


# Earlier detectors win overlaps: a password value or an e-mail may contain digits, an RRN is also a
# plausible 13-digit card, and a phone number is also a hyphenated 10-11 digit "account".
_DETECTORS: Final[tuple[Callable[[str], Iterator[PiiHit]], ...]] = (
    _password_hits,
    _regex_hits(_EMAIL_RE, PiiKind.EMAIL),
    _regex_hits(_RRN_RE, PiiKind.RRN),
    _card_hits,
    _regex_hits(_PHONE_RE, PiiKind.PHONE),
    _account_hits,
    _regex_hits(_PASSWORD_SHAPED_RE, PiiKind.PASSWORD),
)


def find_pii(text: str) -> list[PiiHit]:
    """Find the PII values in `text`, sorted by position and never overlapping.

    Tuned to over-mask rather than leak, but to leave ids, hashes, dates, timestamps and amounts alone.
    """
    # Accepted hits never overlap, so kept sorted by start each new hit only needs its two neighbours:
    # linear-ish on a long KakaoTalk export instead of quadratic in the number of hits.
    taken: list[PiiHit] = []
    starts: list[int] = []
    for detect in _DETECTORS:
        for hit in detect(text):
            i = bisect.bisect_right(starts, hit.start)
            if (i == 0 or taken[i - 1].end <= hit.start) and (i == len(taken) or hit.end <= taken[i].start):
                taken.insert(i, hit)
                starts.insert(i, hit.start)
    return taken


def mask_text(text: str) -> str:
    """Replace every PII value in `text` with its typed placeholder; idempotent (placeholders hold no PII)."""
    out: list[str] = []
    pos = 0
    for hit in find_pii(text):
        out.append(text[pos : hit.start])
        out.append(PLACEHOLDERS[hit.kind])
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)


def contains_pii(text: str) -> list[str]:
    """The distinct PII kinds in `text`, in order of first appearance; the weekly audit-log sampling check."""
    kinds: list[str] = []
    for hit in find_pii(text):
        if hit.kind.value not in kinds:
            kinds.append(hit.kind.value)
    return kinds


# Keys compared after lower-casing and dropping "_", "-" and spaces, so "API-Key" == "api_key" == "apiKey".
_SENSITIVE_KEYS: Final = frozenset(
    {
        "password",
        "newpassword",
        "passwd",
        "pw",
        "pwd",
        "secret",
        "token",
        "accesstoken",
        "authorization",
        "apikey",
        "cookie",
        "cardnumber",
        "accountnumber",
        "rrn",
        "주민번호",
        "주민등록번호",
        "비밀번호",
    }
)
_SENSITIVE_KEY_PARTS: Final = ("password", "passwd", "secret", "token", "비밀번호")
# Usage counters ("input_tokens", "max_tokens", "token_count") hold numbers, not credentials.
_COUNTER_KEY_RE: Final = re.compile(r"tokens$|tokencount$")
# Integers this long may be a phone/RRN/card that lost its formatting; shorter ones are counts and sizes.
_MIN_PII_INT_DIGITS: Final = 10


def _is_sensitive_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    norm = re.sub(r"[\s_-]", "", key).lower()
    if _COUNTER_KEY_RE.search(norm):
        return False
    return norm in _SENSITIVE_KEYS or any(part in norm for part in _SENSITIVE_KEY_PARTS)


# What a user typed as their login name: a password typed into the e-mail field lands here (issue #15).
IDENTIFIER_KEYS: Final = frozenset({"email", "identifier", "username", "login"})


def looks_like_email(value: str) -> bool:
    return _EMAIL_RE.fullmatch(value.strip()) is not None


def _mask_value(key: object, value: Any) -> Any:
    if _is_sensitive_key(key) and value is not None:
        return REDACTED
    if isinstance(key, str) and key.lower() in IDENTIFIER_KEYS and isinstance(value, str) and value \
            and not looks_like_email(value):
        return REDACTED  # not an address: possibly a password typed into the wrong field
    return mask_payload(value)


def mask_payload(obj: Any) -> Any:
    """Deep-masked copy of JSON-like data: secrets under sensitive keys become "[REDACTED]", so do login
    identifiers that are not e-mail addresses, strings go through `mask_text`. Used for audit `detail` and
    anything logged or sent out."""
    if isinstance(obj, dict):
        return {k: _mask_value(k, v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [mask_payload(v) for v in obj]
    if isinstance(obj, str):
        return mask_text(obj)
    if isinstance(obj, int) and not isinstance(obj, bool) and len(str(abs(obj))) >= _MIN_PII_INT_DIGITS:
        masked = mask_text(str(obj))
        return obj if masked == str(obj) else masked
    return obj
