"""PII masking: every format is caught and leaves no digits behind; system-written values stay intact."""

from __future__ import annotations

import hashlib
import re
import uuid

import pytest

from leh.analysis.masking import PiiHit, PiiKind, contains_pii, find_pii, mask_payload, mask_text

# (text around the value, the sensitive value, the expected placeholder). The surrounding text holds no
# digits, so "no digit survives" is an exact check that nothing of the value leaked.
PII_CASES = [
    ("주민번호 {} 입니다", "900101-1234567", "[주민번호]"),
    ("주민번호 {} 입니다", "900101 - 1234567", "[주민번호]"),
    ("주민번호는 {}", "9001011234567", "[주민번호]"),
    ("외국인등록번호 {}", "851231-5123456", "[주민번호]"),
    ("생년월일과 성별 {}", "900101-1******", "[주민번호]"),
    ("{}로 연락 주세요", "010-1234-5678", "[전화번호]"),
    ("전화 {}", "01012345678", "[전화번호]"),
    ("전화 {}", "010 1234 5678", "[전화번호]"),
    ("전화 {}", "010.1234.5678", "[전화번호]"),
    ("전화 {}", "011-123-4567", "[전화번호]"),
    ("사무실 {}", "02-123-4567", "[전화번호]"),
    ("사무실 {}", "(02) 1234-5678", "[전화번호]"),
    ("사무실 {}", "031-123-4567", "[전화번호]"),
    ("해외에서 {}", "+82 10-1234-5678", "[전화번호]"),
    ("해외에서 {}", "+821012345678", "[전화번호]"),
    ("카드 {} 결제", "4111-1111-1111-1111", "[카드번호]"),
    ("카드 {} 결제", "4111 1111 1111 1111", "[카드번호]"),
    ("카드 {} 결제", "5500000000000004", "[카드번호]"),
    ("아멕스 {}", "3782-822463-10005", "[카드번호]"),
    ("신한 {} 으로 보내", "110-123-456789", "[계좌번호]"),
    ("우리 {} 으로 보내", "1002-123-456789", "[계좌번호]"),
    ("국민 {} 으로 보내", "123-12-123456", "[계좌번호]"),
    ("계좌번호 {}", "110123456789", "[계좌번호]"),
    ("계좌: 신한 {}", "110123456789", "[계좌번호]"),
    ("통장 {} 으로", "3333012345678", "[계좌번호]"),
    ("메일은 {} 로", "hong.gildong+case@naver.com", "[이메일]"),
    ("연락처{}로", "kim_lawyer@law-firm.co.kr", "[이메일]"),
]


@pytest.mark.parametrize(("template", "value", "placeholder"), PII_CASES)
def test_each_pii_format_is_masked_and_no_digit_survives(template: str, value: str, placeholder: str) -> None:
    text = template.format(value)
    masked = mask_text(text)
    assert masked == template.format(placeholder)
    assert value not in masked
    assert not re.search(r"\d", masked)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("비밀번호: abc123", "비밀번호: [비밀번호]"),
        ("비밀번호:abc123", "비밀번호:[비밀번호]"),
        ("password=hunter2", "password=[비밀번호]"),
        ("pw : s3cr3t!", "pw : [비밀번호]"),
        ("비번은 1234", "비번은 [비밀번호]"),
        ("새 비밀번호: qwer1234", "새 비밀번호: [비밀번호]"),
        ("통장 비밀번호 4321 알려줄게", "통장 비밀번호 [비밀번호] 알려줄게"),
        ('{"password": "hunter 2"}', '{"password": "[비밀번호]"}'),
        ("(pw: abc7)", "(pw: [비밀번호])"),
    ],
)
def test_inline_password_keeps_label_and_masks_value(text: str, expected: str) -> None:
    masked = mask_text(text)
    assert masked == expected
    assert not re.search(r"\d", masked)
    for secret in ("abc", "hunter", "s3cr3t", "qwer"):
        assert secret not in masked


@pytest.mark.parametrize("text", ["비밀번호는 잊었어", "비밀번호를 바꿨어", "password reset link", "암호화 키"])
def test_password_words_without_a_value_stay(text: str) -> None:
    assert mask_text(text) == text


SYSTEM_VALUES = [
    str(uuid.UUID("3f2a9c1e-8b4d-4e2f-9a1b-0c3d5e7f9a2b")),
    "12345678-1234-1234-1234-123456789012",
    "2023-12-25T22:20:00+09:00",
    "2023-12-25T22:20:00.123456+09:00",
    "2023-12-25 22:20:00",
    "2023-12-25",
    "2023.12.25",
    "20231225",
    "2023-12-25~2024-01-01",
    hashlib.sha256(b"evidence").hexdigest(),
    hashlib.sha256(b"9001011234567").hexdigest(),
    "30,000,000원",
    "1,234,567,890원",
    "계좌로 1000000000원 입금",
    "계좌 이체 2023-12-25 10:00",
    "1703510400000",
    "evidence 12 of 300, page 3",
    "ev_01HZX8Q2K7M9",
    "사건번호 2023드단12345",
    "1588-1234",
    "192.168.0.1",
    "size 1234567890 bytes",
    "[2023-12-25 22:20] 홍길동 : 내일 보자",
]


@pytest.mark.parametrize("text", SYSTEM_VALUES)
def test_system_written_values_are_not_pii(text: str) -> None:
    assert find_pii(text) == []
    assert mask_text(text) == text


def test_mixed_text_masks_only_the_pii() -> None:
    evidence_id = "3f2a9c1e-8b4d-4e2f-9a1b-0c3d5e7f9a2b"
    text = (
        f"[2023-12-25T22:20:00+09:00] evidence {evidence_id}: 위자료 30,000,000원, "
        "연락처 010-1234-5678, 주민번호 900101-1234567, 계좌 110-123-456789, 비밀번호: pa55word"
    )
    masked = mask_text(text)
    assert masked == (
        f"[2023-12-25T22:20:00+09:00] evidence {evidence_id}: 위자료 30,000,000원, "
        "연락처 [전화번호], 주민번호 [주민번호], 계좌 [계좌번호], 비밀번호: [비밀번호]"
    )


def test_card_number_needs_luhn() -> None:
    assert mask_text("주문 1234-5678-9012-3456") == "주문 1234-5678-9012-3456"
    assert mask_text("주문 4111-1111-1111-1111") == "주문 [카드번호]"


def test_rrn_without_hyphen_needs_a_plausible_birth_date() -> None:
    assert mask_text("9013011234567") == "9013011234567"  # month 13
    assert mask_text("9001019234567") == "9001019234567"  # 7th digit 9


def test_find_pii_reports_kinds_and_spans_without_values() -> None:
    text = "전화 010-1234-5678 메일 a@b.kr"
    hits = find_pii(text)
    assert hits == [PiiHit(PiiKind.PHONE, 3, 16), PiiHit(PiiKind.EMAIL, 20, 26)]
    assert "1234" not in repr(hits)


def test_contains_pii_lists_distinct_kinds_in_order() -> None:
    text = "a@b.kr 010-1234-5678 c@d.kr 900101-1234567 비번은 x1"
    assert contains_pii(text) == ["email", "phone", "rrn", "password"]
    assert contains_pii("evidence 3f2a9c1e-8b4d-4e2f-9a1b-0c3d5e7f9a2b at 2023-12-25") == []


@pytest.mark.parametrize(
    "text",
    [template.format(value) for template, value, _ in PII_CASES]
    + [
        "비밀번호: abc123 그리고 password=hunter2, 비번은 1234",
        "계좌번호 110-123-456789 / 통장 3333012345678 / pw=[REDACTED]",
        *SYSTEM_VALUES,
    ],
)
def test_mask_text_is_idempotent(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once
    assert contains_pii(once) == []


def test_mask_payload_redacts_sensitive_keys_and_masks_strings_deeply() -> None:
    payload = {
        "action": "user.password_change",
        "Password": "hunter2",
        "new_password": "n3w-secret",
        "API-Key": "sk-abc123",
        "Authorization": "Bearer eyJhbGciOi",
        "refresh_token": "rt-123",
        "client_secret": "cs-123",
        "주민번호": "900101-1234567",
        "비밀번호": "1234",
        "card_number": "4111111111111111",
        "input_tokens": 1200,
        "count": 3,
        "ok": True,
        "missing": None,
        "target": {
            "note": "상대방 010-9876-5432로 연락",
            "emails": ["x@y.kr", "보냄", 7],
            "deep": [{"pw": "zz9"}, ("a@b.kr", 2)],
            "rrn_as_int": 9001011234567,
        },
    }
    masked = mask_payload(payload)
    assert masked == {
        "action": "user.password_change",
        "Password": "[REDACTED]",
        "new_password": "[REDACTED]",
        "API-Key": "[REDACTED]",
        "Authorization": "[REDACTED]",
        "refresh_token": "[REDACTED]",
        "client_secret": "[REDACTED]",
        "주민번호": "[REDACTED]",
        "비밀번호": "[REDACTED]",
        "card_number": "[REDACTED]",
        "input_tokens": 1200,
        "count": 3,
        "ok": True,
        "missing": None,
        "target": {
            "note": "상대방 [전화번호]로 연락",
            "emails": ["[이메일]", "보냄", 7],
            "deep": [{"pw": "[REDACTED]"}, ["[이메일]", 2]],
            "rrn_as_int": "[주민번호]",
        },
    }
    flat = repr(masked)
    for secret in ("hunter2", "n3w-secret", "sk-abc123", "eyJ", "1234567", "9876", "zz9", "x@y.kr"):
        assert secret not in flat


def test_mask_payload_returns_a_copy() -> None:
    payload = {"note": ["010-1234-5678"], "password": "p"}
    mask_payload(payload)
    assert payload == {"note": ["010-1234-5678"], "password": "p"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01012345678@naver.com", "[이메일]"),
        ("password=a@b.kr010", "password=[비밀번호]"),
        ("9001011234567", "[주민번호]"),  # also a 13-digit run: the RRN wins over card/account
    ],
)
def test_overlapping_detections_yield_one_placeholder(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_long_text_with_many_hits_is_masked_in_order() -> None:
    line = "홍길동: 010-1234-5678로 전화해, 계좌 110-123-456789, 2023-12-25 메일 a@b.kr\n"
    masked = mask_text(line * 2000)
    assert masked == "홍길동: [전화번호]로 전화해, 계좌 [계좌번호], 2023-12-25 메일 [이메일]\n" * 2000
