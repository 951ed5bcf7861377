"""Round 14: 840-6 acts told by their place or consequence (drugs, gambling at a track, a hidden record, filming), and
840-5 look-alikes (a question about the law, a stranger missing in the news, a threat of vanishing)."""

from __future__ import annotations

from leh.analysis.label_model import features
from leh.analysis.labels import grounds_of_texts
from leh.analysis.morph import morphs_many


def _vice(text: str) -> set[str]:
    feats = features(text, morphs_many([text])[0], roles=2, voice=True, acts=True, asserts=True, pursuit=True, vice=True)
    return {f for f in feats if f.startswith("t:") and f in {"t:drug", "t:record", "t:sexwork", "t:std", "t:zero-pay"}}


def test_propofol_with_addiction_a_few_words_later_is_drugs_and_a_sedation_is_not() -> None:
    assert _vice("아내가 프로포폴 맞으러 다니는데 이젠 중독 수준이래") == {"t:drug"}
    assert _vice("위내시경 받을 때 프로포폴로 재워줬어") == set()


def test_the_shipped_model_reads_drugs_gambling_and_a_hidden_record_as_840_6() -> None:
    got = grounds_of_texts(["남편이 밤마다 창고에서 대마를 피워 옷에서 냄새가 나",
                            "신랑이 경륜장에 살다시피 해서 적금을 다 깼어",
                            "상해 전과가 두 번 있다는 걸 말 안 하고 결혼했더라",
                            "2024. 3. 2. 남편이 욕을 했다."])
    assert "840-6" in got[0]
    assert "840-6" in got[1]
    assert "840-6" in got[2]
    assert got[3] == {"840-3"}


def test_the_shipped_model_leaves_840_5_and_840_6_look_alikes_unlabelled() -> None:
    got = grounds_of_texts(["남편이 연락 두절되면 이혼 소송을 어떻게 하는지 궁금합니다",
                            "사내 마약 예방 교육 참석 확인서"])
    assert "840-5" not in got[0]
    assert got[1] == set()
