"""Masking cases found by the PII corpus (tests/security/test_pii_corpus.py, issue #15): a card number followed
by another number, and a password with no label in front of it."""

from __future__ import annotations

import pytest

from leh.analysis.masking import contains_pii, mask_text


def test_a_card_followed_by_another_number_is_still_masked() -> None:
    assert mask_text("카드 4111-1111-1111-1111 4111111111111111") == "카드 [카드번호] [카드번호]"
    assert mask_text("카드 4111-1111-1111-1111 1234") == "카드 [카드번호] 1234"
    # a card followed by a number with the same separator (a phone written with spaces) is still masked: over-masking
    # a Luhn-valid run in a table of numbers beats leaking a card (tests/unit/test_masking_properties.py)
    assert mask_text("4111 1111 1111 1111 010 1234 5678").startswith("[카드번호]")


@pytest.mark.parametrize("text", ["Tiger!Lily#2291", "검색: qwer1234! 이거", "비번Tiger!Lily#2291잖아", "p@ss#w0rd~~"])
def test_a_password_without_a_label_is_masked(text: str) -> None:
    masked = mask_text(text)
    assert "[비밀번호]" in masked and not any(ch.isdigit() for ch in masked), masked
    assert contains_pii(text) == ["password"]


@pytest.mark.parametrize("text", [
    "https://example.com/a?b=1#top2", "/api/cases/1?limit=20&page=2", "2023-12-25T22:20:00+09:00",
    "ev_01HZX8Q2K7M9", "hong123@naver.com", "A4용지 3장!", "C++11", "정말!!! 100%", "v1.2.3-rc1", "sha256:abc123"])
def test_ordinary_tokens_are_not_taken_for_passwords(text: str) -> None:
    assert "[비밀번호]" not in mask_text(text)
