"""Round 13: classes of act named by their field's words (`vice`): sex work, a sexually transmitted disease, drugs, a
criminal record or procedure, and a ledger of zero payments."""

from __future__ import annotations

from leh.analysis.label_model import features, shipped_model
from leh.analysis.labels import grounds_of_texts
from leh.analysis.morph import morphs_many

_VICE = ("t:sexwork", "t:std", "t:drug", "t:record", "t:zero-pay")


def _tags(text: str, *, vice: bool = True) -> set[str]:
    feats = features(text, morphs_many([text])[0], roles=2, voice=True, acts=True, asserts=True, pursuit=True, vice=vice)
    return {f for f in feats if f in _VICE}


def test_sex_bought_or_sold_is_sexwork_but_an_ordinary_second_round_is_not() -> None:
    assert _tags("출장 가서 키스방 들렀다는 문자를 봤어") == {"t:sexwork"}
    assert _tags("단란주점에서 아가씨 끼고 마시다가 2차 나갔대") == {"t:sexwork"}
    assert _tags("팀 회식 2차는 카페에서 케이크 먹었어") == set()
    assert _tags("식당 보조 도우미 구한다는 공고 봤어") == set()


def test_a_disease_drugs_and_a_record_are_their_own_classes() -> None:
    assert _tags("비뇨기과에서 클라미디아 감염이래 나는 아무도 안 만났는데") == {"t:std"}
    assert _tags("남편 가방에서 대마초 봉지가 나왔어요") == {"t:drug"}
    assert _tags("불구속 기소돼서 재판 날짜 잡혔대") == {"t:record"}
    assert _tags("독감 예방접종 맞고 푹 잤어") == set()


def test_a_ledger_of_zero_payments_is_zero_pay_and_an_amount_is_not() -> None:
    assert _tags("정리) 3월 양육비 0원 / 4월 0원 / 5월 0원") == {"t:zero-pay"}
    assert _tags("3월 양육비 50만원 입금 확인") == set()
    assert _tags("3월 양육비 0원 / 4월 0원", vice=False) == set()


def test_the_option_is_off_by_default_and_the_shipped_model_reads_it() -> None:
    text = "키스방 영수증이 지갑에서 나왔어"
    assert "t:sexwork" not in features(text, morphs_many([text])[0], roles=2, asserts=True, pursuit=True)
    assert shipped_model().options.get("vice") is True


def test_the_shipped_model_labels_the_new_classes_and_leaves_their_everyday_twins() -> None:
    got = grounds_of_texts(["남편 지갑에서 안마방 회원카드가 나왔어 결혼기념일 밤에 결제한 거",
                            "부모님 효도선물로 안마의자 주문했어 다음 주 배송",
                            "산부인과에서 임질이래요 저는 남편 말고는 아무도 없는데",
                            "가계부) 1월 남편 송금 0원 2월 0원 3월 0원",
                            "팀 회식 2차는 카페에서 케이크 먹었어",
                            "2024. 3. 2. 남편이 욕을 했다.",
                            "남편 모발 검사에서 필로폰 양성 반응이 나왔어요",
                            "필로폰 밀수 뉴스 봤어 무섭다"])
    assert "840-1" in got[0]
    assert got[1] == set()
    assert "840-1" in got[2]
    assert "840-2" in got[3]
    assert got[4] == set()
    assert got[5] == {"840-3"}
    assert "840-6" in got[6]
    assert got[7] == set()  # the news, no spouse
