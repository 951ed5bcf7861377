"""Round 16: how a line tells of harm it does not name (`tells`: aftermath or apology, control, a closing warning,
exposure held over the client, belittling) and whose a vice is (someone else's, disclaimed, told with pleasure, while
the spouse provides); thresholds from calibrated scores with one shared cut-off (bench/train_labels.py
`choose_calibrated`); writer folds balanced by line count; and the shipped model on these mechanisms. The lines are
written here."""

from __future__ import annotations

import sys
from pathlib import Path

from leh.analysis.label_model import GROUNDS, features
from leh.analysis.labels import grounds_of_texts
from leh.analysis.morph import morphs_many

ROOT = Path(__file__).resolve().parents[2]
TELLS = {"t:hit-told", "t:control", "t:warn", "t:expose", "t:belittle", "t:third", "t:not-ours", "t:fun", "t:provides"}


def _tells(text: str) -> set[str]:
    return features(text, morphs_many([text])[0], roles=2, tells=True) & TELLS


def test_harm_told_by_its_aftermath_or_an_apology_is_marked_and_a_sports_injury_is_not() -> None:
    assert "t:hit-told" in _tells("그렇게 맞고 산 세월이 십 년이야")
    assert "t:hit-told" in _tells("다시는 손대지 않을게 이번 한 번만 넘어가 줘")
    assert "t:hit-told" in _tells("파출소에서 처벌불원서 쓰고 나왔어요")
    assert "t:hit-told" not in _tells("농구하다 넘어져서 발목을 접질렀어")


def test_control_a_closing_warning_and_exposure_are_marked_and_their_everyday_twins_are_not() -> None:
    assert "t:control" in _tells("아내가 내 급여 통장을 쥐고 교통카드 충전도 허락을 받아야 해")
    assert "t:control" not in _tells("아내가 통장 정리해 줘서 이번 달 적금 넣었어")
    assert "t:warn" in _tells("이혼 서류 내밀면 어떻게 되는지 잘 생각해")
    assert "t:expose" in _tells("니 문자들 처갓집 단톡방에 뿌려버린다")
    assert "t:expose" not in _tells("오늘 찍은 꽃 사진 가족 단톡방에 보냈어")


def test_belittling_without_a_swear_word_is_marked() -> None:
    assert "t:belittle" in _tells("너 따위가 나 없으면 밥이나 먹고 살겠냐")
    assert "t:belittle" not in _tells("나는 라면 없으면 못 살아 ㅋㅋ")


def test_a_vice_that_is_someone_elses_disclaimed_or_told_with_pleasure_is_marked() -> None:
    assert "t:third" in _tells("남편 거래처 사장이 도박으로 부도났대")
    assert "t:third" not in _tells("남편이 도박으로 가게를 날렸어")
    assert "t:not-ours" in _tells("그 집 빚 문제는 우리랑은 상관없어")
    assert "t:fun" in _tells("시동생이랑 한잔했는데 너무 즐거웠어")
    assert "t:provides" in _tells("남편 외국 현장 나가 있는데 생활비는 매달 보내와요")
    assert "t:provides" not in _tells("남편 외국 나가더니 생활비를 안 보내요")


def test_the_calibrated_thresholds_sit_between_the_classes_and_trust_a_rule_hit_more() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from train_labels import TARGET_PRECISION, choose_calibrated

    # 840-2: positives score 0.55–0.95, negatives 0.05–0.65; half of the lines carry a rule hit, which is right more
    # often (most positives, few negatives), so a rule hit may pass at a lower score.
    n = 400
    scores, labels, kept = [], [], []
    for i in range(n):
        pos = i % 3 == 0
        s = 0.55 + 0.4 * (i % 41) / 41 if pos else 0.05 + 0.6 * (i % 53) / 53
        scores.append({g: s if g == "840-2" else 0.01 for g in GROUNDS})
        labels.append(["840-2"] if pos else [])
        kept.append({"840-2"} if (pos and i % 4) or (not pos and i % 9 == 0) else set())
    thr, review = choose_calibrated(kept, scores, labels)
    assert (thr, review) == choose_calibrated(kept, scores, labels)
    assert 0.5 < thr["840-2"] < 0.9
    assert review["840-2"] < thr["840-2"]
    got = [(s["840-2"] >= thr["840-2"]) or ("840-2" in k and s["840-2"] >= review["840-2"]) for s, k in zip(scores, kept, strict=True)]
    tp = sum(g and "840-2" in lb for g, lb in zip(got, labels, strict=True))
    fp = sum(g and "840-2" not in lb for g, lb in zip(got, labels, strict=True))
    assert tp / (tp + fp) >= TARGET_PRECISION


def test_writer_folds_keep_each_writer_whole_and_balance_the_lines() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from train_labels import writer_groups

    srcs = ["a"] * 50 + ["b"] * 30 + ["c"] * 25 + ["d"] * 20 + ["e"] * 5
    folds = writer_groups(srcs, 2)
    assert all(len({f for s, f in zip(srcs, folds, strict=True) if s == w}) == 1 for w in "abcde")
    sizes = sorted(folds.count(f) for f in set(folds))
    assert sizes == [60, 70]
    assert writer_groups(srcs) == srcs


def test_the_shipped_model_reads_the_round_16_mechanisms() -> None:
    got = grounds_of_texts(["다시는 너한테 손 안 댈게 제발 신고만 하지 마",
                            "남편이 제 카드를 다 걷어가서 우유 하나 살 때도 허락받아요",
                            "니 사진 회사 게시판에 올려버린다 그래도 집 나갈래?",
                            "남편이 경마로 집 보증금까지 날렸어요",
                            "2024. 3. 2. 남편이 욕을 했다."])
    assert got[:3] == [{"840-3"}, {"840-3"}, {"840-3"}]  # an apology for a blow, control of money, exposure held over
    assert got[3] == {"840-6"}
    assert got[4] == {"840-3"}


def test_the_shipped_model_leaves_someone_elses_vice_and_a_providing_spouse_abroad_unlabelled() -> None:
    got = grounds_of_texts(["남편 회사 동료가 경마로 빚졌대 우리랑은 상관없는 얘기",
                            "처제가 회식에서 술 마시고 노래 불렀대 재밌었대",
                            "남편 해외 근무 중인데 월급 꼬박꼬박 들어오고 매일 통화해"])
    assert got == [set(), set(), set()]
