"""Password strength (ASVS V6.2): long enough, not a common or breached password, not the account's own name.

The list ships with LEH (no network lookup): the most common passwords of public breach corpora, Korean
keyboard favourites included. Checked case-insensitively.
"""

from __future__ import annotations

from typing import Final

MIN_LENGTH: Final = 8
MIN_DISTINCT: Final = 4

COMMON: Final = frozenset(["123456", "12345678", "123456789", "1234567890", "12345", "1234567", "11111111", "00000000", "1234qwer", "qwer1234", "qwerty", "qwerty123", "qwerty1234", "qwertyuiop", "password", "password1", "password12", "password123", "password!", "passw0rd", "p@ssw0rd", "p@ssword", "iloveyou", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r!", "1qaz2wsx", "qazwsx", "qazwsxedc", "zxcvbnm", "asdfghjk", "asdf1234", "abcd1234", "abc12345", "abcdefgh", "aaaaaaaa", "88888888", "87654321", "98765432", "11223344", "12341234", "123123123", "123qwe123", "admin1234", "admin123", "administrator", "welcome", "welcome1", "letmein", "letmein1", "sunshine", "princess", "dragon", "monkey", "football", "baseball", "superman", "trustno1", "master", "master123", "shadow", "michael", "jennifer", "charlie", "666666", "121212", "112233", "654321", "7777777", "555555", "q1w2e3r4", "q1w2e3r4t5", "zaq12wsx", "1234abcd", "a1234567", "a12345678", "aa123456", "love1234", "iloveyou1", "test1234", "testtest", "changeme", "changeme1", "default", "secret", "secret123", "login123", "guest1234", "korea1234", "seoul1234", "dlrjsrkfk", "wkdwkd", "tkfkdgo", "tkfkdgo1", "sarang", "sarang123", "saranghae", "gkgkgk", "1q2w3e4r5t6y", "123456a", "123456aa", "1234567a", "qwe123qwe"])


def weakness(password: str, *, email: str = "") -> str | None:
    """Why the password is too weak (a Korean sentence for the user), or None when it is acceptable."""
    lowered = password.lower()
    local = email.lower().split("@")[0]
    if len(password) < MIN_LENGTH:
        return f"비밀번호는 {MIN_LENGTH}자 이상이어야 합니다. 더 긴 비밀번호를 입력해주세요."
    if lowered in COMMON or len(set(password)) < MIN_DISTINCT or (password.isdigit() and len(password) < 12):
        return "너무 흔하거나 추측하기 쉬운 비밀번호입니다. 단어와 숫자·기호를 섞은 다른 비밀번호를 입력해주세요."
    if lowered in (email.lower(), local):
        return "이메일과 같은 비밀번호는 쓸 수 없습니다. 다른 비밀번호를 입력해주세요."
    return None
