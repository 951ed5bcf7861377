"""Round 15: thresholds bagged over resamples (bench/train_labels.py `choose_stable`), what a line says of someone gone
(`absent`: someone else, a threat or a wish, an address on record, in touch), a threat wrapped as a condition, and the
shipped model on 840-5 look-alikes, 840-6 acts and veiled threats to the client's parent. The lines are written here."""

from __future__ import annotations

import sys
from pathlib import Path

from leh.analysis.label_model import GROUNDS, features
from leh.analysis.labels import grounds_of_texts
from leh.analysis.morph import morphs_many

ROOT = Path(__file__).resolve().parents[2]
ABSENT = {"t:gone-other", "t:gone-if", "t:whereabouts", "t:in-touch", "t:media", "t:veiled"}


def _absent(text: str) -> set[str]:
    return features(text, morphs_many([text])[0], roles=2, absent=True) & ABSENT


def test_someone_else_gone_is_marked_and_the_spouse_gone_is_not() -> None:
    assert "t:gone-other" in _absent("사촌 형이 몇 해째 소식이 끊겨서 큰엄마가 애를 태우셔")
    assert "t:gone-other" not in _absent("남편이 사라진 지 5년째인데 생사도 모릅니다")
    assert "t:media" in _absent("방송에 나온 실종 노인 얘기 들었어?")


def test_a_vanishing_only_threatened_or_wished_is_marked_and_a_told_one_is_not() -> None:
    assert "t:gone-if" in _absent("니가 없어지면 다들 박수 칠 거라고 비웃더라")
    assert "t:gone-if" in _absent("그냥 잠적하고 싶은 날이다")
    assert "t:gone-if" not in _absent("아내가 사라진 뒤로 통장도 전화도 그대로 멈춰 있어요")
    assert "t:gone-if" not in _absent("돈 없어도 둘이 있으면 좋았지")


def test_an_address_on_record_contact_and_a_veiled_threat_are_marked() -> None:
    assert "t:whereabouts" in _absent("피고는 처가 근처로 주소를 옮기고 그리로 들어가 살았다")
    assert "t:in-touch" in _absent("아내 지방 근무 2년째라 주말마다 내려와요")
    assert "t:veiled" in _absent("남편이 엄마한테 외손녀 보고 싶으시면 가만히 계시라 했어")
    assert _absent("남편이 엄마한테 외손녀 사진 보내드렸어") == set()


def test_the_bagged_threshold_is_repeatable_sits_between_the_classes_and_falls_back_to_one_choice() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from train_labels import choose, choose_stable

    # 840-1: positives at 0.60–0.95, negatives at 0.05–0.70; a handful of negatives among the positives' lower scores.
    n = 300
    scores = [{g: ((0.6 + 0.35 * (i % 50) / 50) if i < 120 else (0.05 + 0.65 * (i % 70) / 70)) if g == "840-1" else 0.0
               for g in GROUNDS} for i in range(n)]
    labels = [["840-1"] if i < 120 else [] for i in range(n)]
    kept: list[set[str]] = [set() for _ in range(n)]
    thr, review = choose_stable(kept, scores, labels, resamples=3, seed=1)
    assert (thr, review) == choose_stable(kept, scores, labels, resamples=3, seed=1)
    assert choose_stable(kept, scores, labels, resamples=0) == choose(kept, scores, labels)
    assert 0.6 <= thr["840-1"] <= 0.75  # at or above the negatives that would spoil precision, below most positives
    assert all(review[g] <= thr[g] for g in GROUNDS)


def test_the_shipped_model_reads_the_round_15_mechanisms() -> None:
    got = grounds_of_texts(["남편이 집 나간 지 4년인데 살아 있는지조차 모릅니다",
                            "결혼하고 6년째 부부관계를 거절당하고 있어요 이유도 말 안 해요",
                            "남편이 매일 밤 소주 세 병을 비우고 아침엔 출근도 못 해",
                            "남편이 우리 아빠한테 손녀 계속 보시려면 이혼 얘기 꺼내지 마시라고 했어",
                            "니가 없어져도 아무도 안 찾는다고 남편이 비웃었어",
                            "2024. 3. 2. 남편이 욕을 했다."])
    assert "840-5" in got[0]
    assert "840-6" in got[1]
    assert "840-6" in got[2]
    assert "840-4" in got[3]
    assert "840-3" in got[4] and "840-5" not in got[4]  # a threat of vanishing, not a spouse missing
    assert got[5] == {"840-3"}


def test_the_shipped_model_leaves_happy_years_and_a_move_unlabelled() -> None:
    got = grounds_of_texts(["결혼 5년 차 요즘도 매일 같이 저녁 먹어요", "남편 직장 따라 이사 간 뒤로 친정엔 명절에만 가요"])
    assert got == [set(), set()]
