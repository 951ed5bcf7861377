"""Round 7 of the label model (issue #12 part 5): the wrong labels and tags a lawyer's QA read found
(docs/qa/2026-12-07-lawyer-qa.md A9, A10, B4, B5, B10) and the kinds of line it found unlabelled (C1, C3, C4, C5, C8),
each as a mechanism: the lines below are written here, not copied into training."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from leh.analysis.label_model import features, tag_for
from leh.analysis.labels import find_hits, grounds_of_text, kept_hits, label_segments, title_only
from leh.analysis.morph import morphs_many


def _tags(text: str) -> set[tuple[str, str]]:
    return {(h.ground, h.tag) for h in kept_hits(find_hits([{"seq": 0, "text": text}]))}


def _feats(text: str) -> set[str]:
    return features(text, morphs_many([text])[0], roles=2, voice=True)


# ---------------------------------------------------------------- A9: a question put to a parent asserts no abuse
@pytest.mark.parametrize("text", [
    "장모님 수진이가 뭘 하고 다니는지 아세요?",  # the QA read's line
    "어머님 혹시 현우 씨 요즘 어디서 지내는지 들으셨어요?",
    "장인어른 지영이가 그 남자 만나는 거 알고 계셨습니까?",
])
def test_a_question_put_to_a_parent_is_no_abuse_of_that_parent(text: str) -> None:
    assert "840-4" not in grounds_of_text(text)


def test_a_question_put_to_a_person_addressed_is_its_own_feature() -> None:
    assert "q:v-inlaw" in _feats("장모님 수진이가 뭘 하고 다니는지 아세요?")
    assert not any(f.startswith("q:") for f in _feats("장모님 주제넘게 끼어들지 마세요"))


# ---------------------------------------------------------------- A10: the client, not a parent, is the victim
def test_a_consultation_note_where_the_opponent_struck_the_client_is_no_abuse_of_a_parent() -> None:
    segments = [
        {"seq": 0, "text": "상담일지"},
        {"seq": 1, "text": "상담일: 2025년 3월 4일\n의뢰인: 박정호 (남편)\n상대방: 윤미래 (아내)\n담당: 사무장 김하나"},
        {"seq": 2, "text": "- 2025. 2. 11. 밤 상대방이 재떨이로 의뢰인의 이마를 가격하였다고 함. 상해진단서 지참.\n"
                           "- 장모 최순자로부터 2025. 2. 20. 전화로 욕설을 들었다고 함."},
        {"seq": 3, "text": "- 2025. 3. 1. 상대방이 아들을 데리고 집을 나갔고, 사흘 뒤 변호사를 통해 연락해 옴."},
    ]
    labels = label_segments(segments)
    grounds = {lb["ground"] for lb in labels}
    assert "840-4" not in grounds  # no parent of the client was touched
    assert "840-5" not in grounds  # she answered after three days: not missing, and a header is no fact
    assert not any(0 in lb["segments"] or 1 in lb["segments"] for lb in labels)


def test_whose_body_and_whose_words_are_read_from_a_record() -> None:
    struck = _feats("상대방이 리모컨으로 의뢰인의 이마를 가격하였다고 함")
    assert {"a:spouse@subj", "a:self@tgt"} <= struck and not any(f.startswith("a:parent") for f in struck)
    told = _feats("장모 권말순으로부터 카톡으로 욕설을 들었다고 함")
    assert "a:inlaw@by" in told and "v:inlaw" not in told  # the one it came from, not someone spoken to
    father = _feats("원고의 부친이 보는 앞에서 부친의 가슴을 밀쳤습니다")
    assert {"o:my-parent", "a:parent@tgt"} <= father


# ---------------------------------------------------------------- B4: a certificate's title is no act
@pytest.mark.parametrize("text", ["상해진단서", "상 해 진 단 서", "[진술서]", "사실확인서 (사본)"])
def test_a_documents_title_alone_gets_no_label(text: str) -> None:
    assert title_only(text)
    assert find_hits([{"seq": 0, "text": text}]) == []


@pytest.mark.parametrize("text", ["이 미친놈아", "진단서 떼 올 거야. 니가 때린 거 다 적혀 있어", "각서 쓰라고 때렸잖아"])
def test_a_line_that_only_names_a_document_among_other_words_is_no_title(text: str) -> None:
    assert not title_only(text)


# ---------------------------------------------------------------- B5: a blow is 폭행, an injury line is not 폭언
def test_a_blow_with_an_object_is_tagged_violence_not_insult() -> None:
    assert ("840-3", "폭행") in _tags("어젯밤에 리모컨으로 내 이마 내리친 거 사과도 안 하냐")
    assert ("840-3", "폭언") not in _tags("어젯밤에 리모컨으로 내 이마 내리친 거 사과도 안 하냐")


@pytest.mark.parametrize("text", ["상병명: 이마 열상 (전치 2주)", "재떨이로 후려쳐서 눈썹 위가 찢어졌어",
                                  "병명: 좌측 늑골 골절, 안면부 찰과상"])
def test_the_tag_of_a_blow_or_an_injury_is_violence(text: str) -> None:
    ms = morphs_many([text])[0]
    assert tag_for("840-3", ms, text) == "폭행"


# ---------------------------------------------------------------- B10: a sighting near a hotel claims no entry
def test_a_sighting_near_a_hotel_is_an_affair_label_that_claims_no_entry() -> None:
    text = "저는 2024. 9. 2. 밤 11시경 역삼역 근처에서 형수가 낯선 남자와 팔짱을 끼고 호텔 쪽으로 걸어가는 것을 보았습니다."
    tags = _tags(text)
    assert ("840-1", "숙박") not in tags
    ms = morphs_many([text])[0]
    assert tag_for("840-1", ms, text) == "외도"
    entered = "2024-09-02 23:40 ○○호텔 역삼 210,000원 이용자 가족(윤미래)"
    assert tag_for("840-1", morphs_many([entered])[0], entered) == "숙박"


# ---------------------------------------------------------------- one act, two sides: 840-3 or 840-4
def test_of_a_pair_naming_one_act_the_ground_led_by_the_margin_is_dropped() -> None:
    from leh.analysis.labels import exclusive_drop

    margins = {"840-3|840-4": 2.0}
    both = {"840-3", "840-4"}
    assert exclusive_drop(both, {"840-3": 0.6, "840-4": 0.99}, margins) == {"840-3"}  # log-odds 0.4 against 4.6
    assert exclusive_drop(both, {"840-3": 0.99, "840-4": 0.6}, margins) == {"840-4"}
    assert exclusive_drop(both, {"840-3": 0.9, "840-4": 0.95}, margins) == set()  # close: both stand (two acts)
    assert exclusive_drop({"840-4"}, {"840-3": 0.1, "840-4": 0.99}, margins) == set()
    assert exclusive_drop(both, {"840-3": 0.6, "840-4": 0.99}, {}) == set()  # a model without the option: as before


def test_the_trainer_chooses_a_margin_only_where_it_raises_the_pairs_f1() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import train_labels as tl
    base = {g: 0.01 for g in ("840-1", "840-2", "840-5", "840-6")}
    thr = {g: 0.5 for g in ("840-1", "840-2", "840-3", "840-4", "840-5", "840-6")}
    review = dict(thr)
    # A parent hurt, read as both (840-4 far ahead), and two acts in one line (both truly there, close scores).
    scores = [{**base, "840-3": 0.7, "840-4": 0.999}] * 4 + [{**base, "840-3": 0.9, "840-4": 0.92}] * 2
    labels = [["840-4"]] * 4 + [["840-3", "840-4"]] * 2
    kept: list[set[str]] = [set() for _ in scores]
    margins = tl.choose_exclusive(kept, scores, labels, thr, review)
    assert set(margins) == {"840-3|840-4"}
    pred = tl.combine(kept, scores, thr, review, margins)
    assert pred[0] == {"840-4"} and pred[-1] == {"840-3", "840-4"}
    # Where dropping would only cost (every double is real), no margin is chosen.
    assert tl.choose_exclusive(kept[4:], scores[4:], labels[4:], thr, review) == {}


# ---------------------------------------------------------------- the QA read's misses, as kinds (C1, C5, C8)
@pytest.mark.parametrize(("text", "ground"), [
    ("응 나 지훈 씨 좋아해. 이제 어쩔 건데", "840-1"),  # the opponent's own admission (C1)
    ("2024-10-05 23:55 ○○호텔 잠실 245,000원 이용자 가족(윤미래)", "840-1"),  # a family card at a hotel at night (C5)
    # A jewellery row alone (C5) is not asserted: it does not say for whom, and the model reads it at its threshold.
    ("뒤졌냐? 쪼잔하게", "840-3"),  # contempt without profanity (C8)
    ("엄살 부리지 마", "840-3"),
])
def test_the_kinds_of_line_the_qa_read_found_unlabelled_are_labelled(text: str, ground: str) -> None:
    assert grounds_of_text(text) == {ground}


@pytest.mark.parametrize("text", ["2024-10-05 13:10 ○○호텔 잠실 라운지 카페 2인 64,000원 이용자 본인",
                                  "장모님 하린이 지금 거기 있어요?"])
def test_their_look_alikes_stay_unlabelled(text: str) -> None:
    assert grounds_of_text(text) == set()
