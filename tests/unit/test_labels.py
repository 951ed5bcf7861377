"""The offline label model on targeted cases: inflections, negation, quoted denials, threats, in-laws, parents."""

from __future__ import annotations

import pytest

from leh.analysis.labels import find_hits, grounds_of_text, label_segments
from leh.analysis.lexicon import RULES
from leh.domain.grounds import TAG_GROUND, ground_of_tag


@pytest.mark.parametrize("text, ground", [
    ("어제 나를 때렸다", "840-3"), ("술 먹고 때리고 부수고 난리였어", "840-3"), ("남편한테 맞았어", "840-3"),
    ("남편이 바람피우다 걸렸어", "840-1"), ("회사 후배랑 바람났다", "840-1"), ("그 여자랑 바람을 피웠잖아", "840-1"),
])
def test_inflected_forms_match(text: str, ground: str) -> None:
    assert ground in grounds_of_text(text)


@pytest.mark.parametrize("text", [
    "안 때렸어", "때리지 않았어", "폭언한 적 없다", "폭행은 없었다", "바람 안 피웠어", "외도는 아니야",
    "남편은 때린 적 없다고 했다", "그 사람이 '욕한 적 없다'고 우기더라", "때릴 리가 없잖아",
])
def test_negations_and_quoted_denials_support_nothing(text: str) -> None:
    assert grounds_of_text(text) == set()


def test_a_denial_called_a_lie_still_counts_but_weaker() -> None:
    plain = find_hits([{"seq": 0, "text": "어제 때렸잖아"}])
    denied = find_hits([{"seq": 0, "text": "때린 적 없다고 거짓말하지 마"}])
    assert [h.tag for h in denied] == ["폭행"]
    assert denied[0].weight < plain[0].weight


@pytest.mark.parametrize("text", ["주사 맞았어", "맞아 맞아", "네 말이 맞았어", "바람이 분다", "멍 때리고 있었어",
                                  "배고파 죽겠어", "욕실 청소해", "드라마에서 남편이 바람피우더라", "친구 남편이 바람났대"])
def test_other_senses_and_other_peoples_stories_are_not_labelled(text: str) -> None:
    assert grounds_of_text(text) == set()


def test_a_violent_act_announced_for_the_future_is_a_threat() -> None:
    assert [h.tag for h in find_hits([{"seq": 0, "text": "한 번만 더 그러면 때릴 거야"}])] == ["협박"]
    assert [h.tag for h in find_hits([{"seq": 0, "text": "어제 때렸어"}])] == ["폭행"]


def test_a_conditional_is_no_act_unless_it_says_again() -> None:
    assert grounds_of_text("때리면 신고할 거야") == set()
    assert grounds_of_text("또 때리면 신고할 거야") == {"840-3"}


def test_in_law_abuse_is_840_3_and_abuse_of_a_parent_is_840_4() -> None:
    inlaw = label_segments([{"seq": 0, "text": "시어머니가 나한테 막말을 했어"}])
    assert [(lb["ground"], lb["tag"]) for lb in inlaw] == [("840-3", "시댁 부당대우")]
    parent = label_segments([{"seq": 0, "text": "장모님한테 욕한 건 잘못했어"}])
    assert [(lb["ground"], lb["tag"]) for lb in parent] == [("840-4", "부모에 대한 폭언")]
    assert grounds_of_text("엄마가 나한테 소리 질렀어") == set()  # my own mother is not the spouse


def test_labels_point_at_supporting_segments_with_confidence() -> None:
    segs = [
        {"seq": 0, "text": "오늘 저녁 뭐 먹을까", "speaker": "김영희"},
        {"seq": 1, "text": "미친년아 꺼져", "speaker": "홍길동"},
        {"seq": 2, "text": "사진", "speaker": None, "kind": "system"},
        {"seq": 3, "text": "씨발 또 그 소리야", "speaker": "홍길동"},
        {"seq": 4, "text": "생활비 안 보낸 지 석 달째야", "speaker": "김영희"},
    ]
    labels = label_segments(segs)
    by_tag = {lb["tag"]: lb for lb in labels}
    assert set(by_tag) == {"폭언", "생활비 미지급"}
    assert by_tag["폭언"]["segments"] == [1, 3] and by_tag["폭언"]["ground"] == "840-3"
    assert by_tag["생활비 미지급"]["segments"] == [4] and by_tag["생활비 미지급"]["ground"] == "840-2"
    # two messages of the same kind support the label more than one does
    single = label_segments(segs[:2])[0]["confidence"]
    assert 0.5 <= single < by_tag["폭언"]["confidence"] <= 0.99


def test_system_lines_are_never_labelled() -> None:
    assert label_segments([{"seq": 0, "text": "씨발", "kind": "system"}]) == []


def test_every_rule_names_a_known_tag_and_the_tag_decides_the_ground() -> None:
    assert {r.tag for r in RULES} <= set(TAG_GROUND)
    assert ground_of_tag("폭언") == "840-3" and ground_of_tag("도박") == "840-6"


def test_every_audit_action_has_a_korean_label() -> None:
    from leh.domain.audit_actions import AuditAction
    from leh.domain.labels import AUDIT_ACTION_KO

    missing = [a.value for a in AuditAction if a not in AUDIT_ACTION_KO]
    assert missing == []
    assert all(not label.isascii() for label in AUDIT_ACTION_KO.values())
