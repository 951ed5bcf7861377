"""Round 9 of the label model (dev, blind6 folded in): what a clause does with its act (`acts` features in
leh/analysis/label_model.py) — a prohibition is no denial, a person taken along by one who leaves, a payment that stops,
a denied act of any verb, an advertisement. The lines below are written here, none from an evaluation set."""

from __future__ import annotations

from leh.analysis.label_model import features
from leh.analysis.morph import morphs_many


def _acts(text: str, *, acts: bool = True) -> set[str]:
    ms = morphs_many([text])[0]
    return {f for f in features(text, ms, acts=acts)
            if f.startswith(("pr:", "prw:", "e:", "t:prohib", "t:ad", "d:act"))}


def test_a_prohibition_marks_its_verb_and_object_apart_from_a_denial() -> None:
    got = _acts("호들갑 떨지 좀 마 그깟 멍 가지고")
    assert {"t:prohib", "pr:호들갑/NN", "pr:떨/VV"} <= got
    assert "d:act" not in got  # an order to stop, not "I did not"
    assert {"t:prohib", "pr:연락/NN"} <= _acts("앞으로 나한테 연락하지 마세요")
    assert "t:prohib" not in _acts("나 그 사람한테 연락 안 했어")


def test_leaving_with_someone_or_with_packed_things_is_one_feature_going_out_to_play_is_not() -> None:
    assert "e:leave-with" in _acts("유나 데리고 나왔어 오늘은 안 들어가")
    assert "e:leave-with" in _acts("밤에 막내를 업고 친정으로 도망쳤어요")
    assert "e:leave-with" in _acts("옷이랑 노트북 챙겨서 나가버렸어")
    assert "e:leave-with" not in _acts("애들 데리고 수영장 가는 중이야")
    assert "e:leave-with" not in _acts("유나 데리고 나왔어 오늘은 안 들어가", acts=False)  # an older model reads none


def test_a_payment_that_stops_is_one_feature_a_paid_row_is_not() -> None:
    assert "e:stopped" in _acts("2024.08.25 마지막 이체, 그 뒤로 입금 없음")
    assert "e:stopped" in _acts("남편 → 나 5개월 연속 0원")
    assert "e:stopped" in _acts("생활비를 지난달부터 딱 끊어버렸어")
    assert "e:stopped" not in _acts("2023년 봄 마지막 통화 이후로 소식 없음")  # silence, not a payment
    assert "e:stopped" not in _acts("그 친구랑은 연락 끊었어")
    assert "e:stopped" not in _acts("2025.02.25 남편 생활비 1,200,000원 입금")
    assert "e:stopped" not in _acts("2025.02.25 남편 생활비 100,000원 입금")


def test_a_heart_in_a_statement_row_pairs_with_its_amount() -> None:
    ms = morphs_many(["2025.03.14 카카오페이 송금 > 민지♥ 150,000원"])[0]
    got = features("2025.03.14 카카오페이 송금 > 민지♥ 150,000원", ms, acts=True)
    assert {"t:heart", "x:row", "p:amount&heart"} <= got  # the date is read apart; the amount pairs with the heart
    assert "t:heart" not in _acts("2025.03.14 카카오페이 송금 > 김민지 150,000원")


def test_a_denied_act_of_any_verb_and_an_advertisement() -> None:
    assert "d:act" in _acts("그 사람이랑 영화 본 적 없어")
    assert "d:act" in _acts("그날 그 여자 차에 타지 않았어")
    assert "d:act" not in _acts("그 사람이랑 영화 봤어")
    assert "t:ad" in _acts("(광고) 호텔 스위트룸 주말 특가 무료수신거부 0801234567")
    assert "t:ad" in _acts("광고 메일: 커플 스파 패키지 예약 오픈, 모텔 아닌 프라이빗 스테이")
    assert "t:ad" not in _acts("어제 호텔 결제 문자 광고인 줄 알았는데 남편 카드였어")


def test_the_shipped_model_reads_contempt_as_a_prohibition_and_leaving_with_what_says_so() -> None:
    from leh.analysis.labels import grounds_of_texts

    got = grounds_of_texts(["유난 떨지 마 그거 가지고", "나 찾지 마 이 집엔 안 돌아가", "나 유나 데리고 나왔어 당분간 연락하지 마",
                            "애들 데리고 키즈카페 나왔어", "걱정하지 마 금방 갈게", "2024. 3. 2. 남편이 욕을 했다."])
    assert got[0] == {"840-3"} and got[1] == {"840-2"} and got[2] == {"840-2"}
    assert got[3] == set() and got[4] == set()  # going out with a child, a kind prohibition: no ground
    assert got[5] == {"840-3"}
