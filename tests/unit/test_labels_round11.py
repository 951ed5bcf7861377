"""Round 11: what a line asserts about an act (question scope, lawful steps, a thing held up, before others, a message
to pass on, play, swearing with no person), on lines written here."""

from __future__ import annotations

from leh.analysis.label_model import features, shipped_model
from leh.analysis.labels import grounds_of_texts
from leh.analysis.morph import morphs_many


def _asserts(text: str) -> set[str]:
    return features(text, morphs_many([text])[0], roles=2, voice=True, acts=True, asserts=True)


def _marks(text: str) -> set[str]:
    return {f for f in _asserts(text) if f.startswith(("q:", "t:"))}


def test_a_questioned_sentence_marks_its_words_apart_from_the_stated_ones() -> None:
    asked = _asserts("아내가 폭언을 했다고요? 그런 적 없는데요")
    assert {"q:폭언/NN", "q:아내/NN"} <= asked
    stated = _asserts("아내가 폭언을 했어요. 녹음도 있어요")
    assert not any(f.startswith("q:") for f in stated)
    # only the sentence with the question mark: the stated one after it is not marked
    both = _asserts("진짜야? 남편이 그날 밀쳤어")
    assert "q:밀치/VV" not in both


def test_a_lawful_step_is_marked_and_a_threat_of_harm_is_not() -> None:
    assert "t:lawful" in _marks("계속 이러면 변호사 사서 위자료 청구할 거야")
    assert "t:lawful" in _marks("다음 주에 고소장 넣을게. 법적 조치 각오해")
    assert "t:lawful" not in _marks("한 번만 더 그러면 가만 안 둔다")


def test_a_thing_held_up_or_swung_is_marked() -> None:
    assert "t:armed" in _marks("아내가 가위 들고 따라왔어요")
    assert "t:armed" in _marks("남편이 몽둥이를 휘두르며 나가라고 했다")
    assert "t:armed" not in _marks("돈이 많이 들고 시간도 걸려")
    assert "t:armed" not in _marks("그 가방 마음에 들어")


def test_an_act_before_others_a_relayed_message_and_play_are_marked() -> None:
    assert "t:public" in _marks("조카들 다 보는 데서 나한테 밥충이라고 했어")
    assert "t:public" in _marks("동료들 앞에서 망신을 줬어요")
    assert "t:public" not in _marks("집 앞에서 기다릴게")
    assert "t:relay" in _marks("니 동생한테 다시는 오지 말라고 전해라")
    assert "t:relay" not in _marks("택배 전화로 연락 왔어")
    assert "t:play" in _marks("애들이랑 장난치다가 남편 팔에 부딪혔어 ㅋㅋ")


def test_swearing_with_no_person_is_marked_and_at_someone_is_not() -> None:
    assert "t:no-person" in _marks("아 씨발 또 비 오네")
    assert "t:no-person" not in _marks("씨발 니가 뭘 알아")
    assert "t:no-person" not in _marks("남편이 씨발이라고 했어요")
    assert "t:no-person" not in _marks("오늘 날씨 좋다")


def test_the_shipped_model_reads_the_round_11_features_and_keeps_the_dated_insult() -> None:
    assert shipped_model().options.get("asserts") is True
    assert grounds_of_texts(["2024. 3. 2. 남편이 욕을 했다."])[0] == {"840-3"}


def test_the_shipped_model_leaves_swearing_at_a_situation_and_a_lawful_step_unlabelled() -> None:
    got = grounds_of_texts(["아 씨발 차 막혀서 미치겠네", "변호사 통해서 정식으로 청구할게요", "이혼하자. 더는 못 살겠다",
                            "남편이 식칼 들고 \"다 죽여버린다\"고 소리쳤어요"])
    assert got == [set(), set(), set(), {"840-3"}]
