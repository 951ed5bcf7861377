"""Properties of the PII masker (leh.analysis.masking), over generated values inside generated Korean text:

* every 주민등록번호 (with or without the hyphen), phone, card (Luhn-valid) and account number is masked — not
  one of its digits survives — wherever it sits in a sentence;
* masking is idempotent, on any text at all;
* text without PII (Korean prose, dates, times, amounts in 원) comes back unchanged.

Bounded and derandomized (the same examples on every run) so CI stays fast and stable.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from leh.analysis.masking import PLACEHOLDERS, contains_pii, mask_text

PROPERTY = settings(max_examples=150, derandomize=True, deadline=None, database=None)

# Hangul syllables of everyday sentences. Left out on purpose: the words that make the next number an account or
# a password (계좌, 통장, 비밀번호, 비번, 암호, 패스워드) and 원 (a number followed by 원 is money, never PII).
SYLLABLES = ("가나다라마바사아자차카타하김이박최정강조윤장임한오서신권황안송류홍전고문양손백허남심노곽성주우구"
             "민진지엄채천방공현함변염여추도소석선설길연위표명기반왕금옥육인맹제모탁국어은편용예경봉부복태목형"
             "피두감음빈동온호범좌는을를에게의와과로도만요죠네요고서며면데지만까요해했어있없같말집돈애들밤낮")
PUNCT = " ,.!?~:()"
prose = st.text(alphabet=SYLLABLES + PUNCT, max_size=40)


def _birth() -> st.SearchStrategy[str]:
    return st.builds(lambda y, m, d: f"{y:02d}{m:02d}{d:02d}", st.integers(0, 99), st.integers(1, 12),
                     st.integers(1, 28))


rrns = st.builds(lambda birth, sex, rest, hyphen: f"{birth}{hyphen}{sex}{rest}", _birth(),
                 st.sampled_from("12345678"), st.from_regex(r"\A[0-9]{6}\Z"), st.sampled_from(["-", "", " - "]))
mobiles = st.builds(lambda p, a, b, sep: f"{p}{sep}{a}{sep}{b}", st.sampled_from(["010", "011", "016", "019"]),
                    st.from_regex(r"\A[0-9]{4}\Z"), st.from_regex(r"\A[0-9]{4}\Z"), st.sampled_from(["-", ".", " ", ""]))
landlines = st.builds(lambda area, a, b: f"{area}-{a}-{b}", st.sampled_from(["02", "031", "051", "070", "064"]),
                      st.from_regex(r"\A[1-9][0-9]{2,3}\Z"), st.from_regex(r"\A[0-9]{4}\Z"))


def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: every second digit from the right, counting the check digit to come as first
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


cards = st.builds(lambda first, rest, sep: sep.join(re.findall(r"\d{4}", _luhn_complete(first + rest))),
                  st.sampled_from("3456"), st.from_regex(r"\A[0-9]{14}\Z"), st.sampled_from(["-", " ", ""]))
accounts = st.sampled_from([(3, 3, 6), (4, 3, 6), (3, 2, 6), (3, 6, 5), (6, 2, 6)]).flatmap(
    lambda groups: st.tuples(*(st.from_regex(rf"\A[1-9][0-9]{{{n - 1}}}\Z") for n in groups)).map("-".join))
pii_values = st.one_of(rrns, mobiles, landlines, cards, accounts)


@PROPERTY
@given(before=prose, value=pii_values, after=prose)
def test_generated_pii_inside_korean_text_is_always_masked(before: str, value: str, after: str) -> None:
    text = f"{before}{value}{after}"
    masked = mask_text(text)
    assert not re.search(r"\d", masked), (text, masked)  # the value held the only digits: none may survive
    assert any(p in masked for p in PLACEHOLDERS.values()), (text, masked)
    assert contains_pii(text) and not contains_pii(masked)


@PROPERTY
@given(parts=st.lists(st.one_of(prose, pii_values), min_size=1, max_size=6))
# Found by this property: a card followed by a number after another separator, or after a phone number, leaked.
@example(parts=["3000-0000-0000-0004", "010-0000-0000"])
@example(parts=["010-0000-0000", "3000 0000 0000 0004"])
@example(parts=["카드", "4111 1111 1111 1111", "010-1234-5678"])
def test_several_values_in_one_message_are_all_masked(parts: list[str]) -> None:
    text = " ".join(parts)
    masked = mask_text(text)
    assert not re.search(r"\d", masked), (text, masked)


@PROPERTY
@given(text=st.one_of(st.text(max_size=200), st.lists(st.one_of(prose, pii_values, st.text(max_size=10)))
                      .map("".join)))
@example(text="010-0000-0000\u066000000-0000")  # found: an Arabic-Indic digit was a boundary, then a number
def test_masking_is_idempotent(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


dates = st.builds(lambda y, m, d, style: style.format(y=y, m=m, d=d), st.integers(2000, 2030), st.integers(1, 12),
                  st.integers(1, 28), st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}년 {m}월 {d}일", "{y}.{m}.{d}"]))
times = st.builds(lambda h, mi: f"{h}:{mi:02d}", st.integers(0, 23), st.integers(0, 59))
amounts = st.builds(lambda n, comma: (f"{n:,}" if comma else str(n)) + "원", st.integers(1, 10**9), st.booleans())


@PROPERTY
@given(parts=st.lists(st.one_of(prose, dates, times, amounts), max_size=8))
def test_text_without_pii_is_unchanged(parts: list[str]) -> None:
    text = " ".join(parts)
    assert mask_text(text) == text
