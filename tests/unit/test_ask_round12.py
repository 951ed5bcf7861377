"""Round 12: counts over a ledger's rows (by the ledger's own name, by the kind of row, by the party a row names);
a message count by a word for a party ("며느리", "의뢰인"), a record's rows written "보낸 사람 → 받는 사람:", the
medium asked (문자 or 카톡) and the person the messages went to; "개수"/"갯수" ask how many."""

from __future__ import annotations

import uuid
from typing import Any

from leh.container import Container
from tests.support.ask_cases import ask_case, cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "우태강", "aliases": ["태강", "남편"], "party": "client", "role": "원고"},
    {"name": "모하린", "aliases": ["하린", "아내"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    return ask_case(c, cid, question, _PARTIES)


def _ledgers(c: Container, cid: str) -> None:
    put_evidence(c, cid, "통장_거래내역_모하린.txt", [
        (None, None, "누리은행 입출금 거래내역 (예금주 모하린)"),
        (None, None, "조회기간: 2025.01.01 ~ 2025.09.30"),
        (None, None, "2025.06.05 입금 우태강 400,000원"),
        (None, None, "2025.07.05 입금 우태강 400,000원"),
        (None, None, "2025.07.20 출금 모하린 관리비 190,000원"),
        (None, None, "2025.08.05 입금 우태강 150,000원"),
        (None, None, "2025.08.30 입금 모하린 급여 2,100,000원"),
    ])
    put_evidence(c, cid, "카드_명세서_2025년4월.txt", [
        (None, None, "별빛카드 이용대금 명세서"),
        (None, None, "결제일: 2025년 5월 14일"),
        (None, None, "이용기간: 2025.04.01 ~ 2025.04.30"),
        ("2025-04-02", None, "04.02 편의점 7,200원"),  # the parser dates a row without a year by the statement's
        ("2025-04-09", None, "04.09 온라인 상품권 충전 200,000원"),
        ("2025-04-23", None, "04.23 주유소 61,000원"),
    ])
    put_evidence(c, cid, "메모.txt", [(None, None, "2025. 8. 5. 양육비가 15만원만 들어옴.")])


def test_a_ledgers_rows_of_the_kind_asked_are_counted_one_by_one(container: Container) -> None:
    cid = str(uuid.uuid4())
    _ledgers(container, cid)
    out = _ask(container, cid, "남편 이름으로 들어온 돈은 몇 차례입니까")  # 입금 said in other words, the party by a word
    assert "모두 3건" in out["answer"] and "급여" not in cited(out) and "관리비" not in cited(out)
    deposits = ask_case(container, cid, "입금 횟수 정리해 주세요")
    assert "모두 4건" in deposits["answer"] and "관리비" not in cited(deposits)
    card = ask_case(container, cid, "별빛카드 4월 사용 내역은 전부 몇 건이죠?")  # the ledger by its heading's own word
    assert "모두 3건" in card["answer"] and "이용기간" not in cited(card) and "결제일" not in cited(card)
    top_up = ask_case(container, cid, "상품권 충전은 몇 번?")
    assert "모두 1건" in top_up["answer"] and "200,000원" in cited(top_up)
    # a count that names no ledger and no kind of row is not a ledger's count
    assert "내역에서 해당하는 기재" not in ask_case(container, cid, "양육비 문제로 다툰 게 몇 번?")["answer"]


def test_a_message_count_by_a_word_for_the_party_the_medium_and_the_recipient(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_모하린.txt", [
        ("2025-05-01T21:00:00", "모하린", "오늘 늦어"),
        ("2025-05-01T21:05:00", "우태강", "알았어"),
        ("2025-05-02T08:00:00", "모하린", "애 데리러 가"),
    ])
    put_evidence(container, cid, "문자_내역_어머니_휴대폰.txt", [
        (None, None, "문자 내역 (남궁정숙 휴대폰 화면 옮겨 적음)"),
        (None, None, "2025.05.06 (화) 23:12 모하린 → 남궁정숙: 그만 좀 하세요"),
        (None, None, "2025.05.07 (수) 08:02 남궁정숙 → 모하린: 나는 그런 말 한 적 없다"),
        (None, None, "2025.05.09 (금) 22:05 모하린 → 남궁정숙: 말씀 조심하세요"),
    ])
    out = _ask(container, cid, "며느리가 시어머니 휴대폰으로 보낸 문자, 총 몇 통인지 세어 주세요")
    assert "모두 2건" in out["answer"]
    assert "그만 좀" in cited(out) and "말씀 조심" in cited(out) and "그런 말" not in cited(out) and "늦어" not in cited(out)
    chat = _ask(container, cid, "아내가 보낸 카톡 갯수")  # the chat's messages, not the record's rows
    assert "모두 2건" in chat["answer"] and "늦어" in cited(chat) and "그만 좀" not in cited(chat)
    mother = _ask(container, cid, "남궁정숙 씨가 보낸 문자 개수")
    assert "모두 1건" in mother["answer"] and "그런 말" in cited(mother)


def test_coming_home_is_no_deposit(container: Container) -> None:
    cid = str(uuid.uuid4())
    _ledgers(container, cid)
    put_evidence(container, cid, "메모_귀가.txt", [(None, None, "2025. 3. 2. 남편이 새벽 3시에 들어옴."),
                                                (None, None, "2025. 3. 9. 남편이 새벽 4시에 들어옴.")])
    out = _ask(container, cid, "남편이 새벽에 들어온 게 몇 번?")
    assert "내역에서 해당하는 기재" not in out["answer"]  # (the shared ranking may still cite what it finds)


def test_when_a_kind_of_ledger_row_began_is_its_first_row(container: Container) -> None:
    cid = str(uuid.uuid4())
    _ledgers(container, cid)
    out = ask_case(container, cid, "입금은 언제부터 들어왔나요")
    assert out["answer"].startswith("가장 이른 증거는 2025년 6월 5일") and "입금 우태강 400,000원" in cited(out)
    assert "관리비" not in cited(out)


def test_a_ledger_of_one_kind_is_counted_whole_and_a_word_its_rows_write_tells_them_apart(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "신용정보조회서.txt", [
        (None, None, "신용정보 조회서"), (None, None, "조회 대상: 모하린"),
        (None, None, "2023. 3. 7. 가람카드 카드론 12,000,000원"),
        (None, None, "2023. 11. 20. 나래캐피탈 신용대출 9,000,000원 (연체)"),
        (None, None, "2024. 6. 3. 다솜대부 5,000,000원 (연체)"),
    ])
    put_evidence(container, cid, "진술서.txt", [  # dated lines without an amount: no ledger's rows
        (None, None, "진술서"), (None, None, "2025. 2. 14. 남편 카드로 호텔 결제가 있었습니다."),
        (None, None, "2025. 3. 1. 또 호텔 결제가 있었습니다."),
    ])
    loans = ask_case(container, cid, "신용정보 조회서에 대출이 몇 건 올라 있습니까?")
    assert "모두 3건" in loans["answer"] and "다솜대부" in cited(loans)  # 대부 is a loan of the ledger's kind
    late = ask_case(container, cid, "대출 가운데 연체된 것은 몇 건?")
    assert "모두 2건" in late["answer"] and "가람카드" not in cited(late)
    assert "내역에서 해당하는 기재" not in ask_case(container, cid, "호텔 결제는 몇 번?")["answer"]


def test_a_word_no_row_writes_counts_only_rows_that_are_all_alike(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "통장거래내역.txt", [
        (None, None, "하늘은행 거래내역"),
        (None, None, "2025.01.10 우태강 입금 700,000"), (None, None, "2025.01.25 급여 (주)가온 입금 2,500,000"),
        (None, None, "2025.02.10 우태강 입금 700,000"), (None, None, "2025.02.12 출금 관리비 180,000"),
    ])
    put_evidence(container, cid, "메모.txt", [(None, None, "2025. 3. 10. 양육비가 이번 달에는 안 들어옴.")])
    # "양육비" is written in no row, and the deposits are not all alike (a salary among them): no ledger count
    assert "내역에서 해당하는 기재" not in ask_case(container, cid, "양육비 입금된 횟수")["answer"]
    assert "모두 2건" in ask_case(container, cid, "우태강 입금 횟수")["answer"]  # a word the rows write picks them
