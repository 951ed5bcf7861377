"""Round 10: the writer named as one more (나까지, 저마저, 나한테도) is a second act, not one act seen from two sides."""

from __future__ import annotations

from leh.analysis.label_model import features
from leh.analysis.labels import _margins, grounds_of_texts
from leh.analysis.morph import morphs_many


def _acts(text: str) -> set[str]:
    return features(text, morphs_many([text])[0], acts=True)


def test_the_writer_named_as_one_more_is_marked() -> None:
    assert "t:me-too" in _acts("친정아빠를 밀치고 말리는 저까지 때렸어요")
    assert "t:me-too" in _acts("아버지한테 소리 지르고 나한테도 컵을 던졌어")
    assert "t:me-too" in _acts("아빠 넘어뜨리고 저마저 밀쳤어요")
    assert "t:me-too" not in _acts("저는 그날 집에 없었어요")
    assert "t:me-too" not in _acts("친정아빠를 밀쳤어요")


def test_two_victims_keep_both_grounds_of_the_pair() -> None:
    options = {"exclusive_margin": {"840-3|840-4": 4.0, "840-3|840-6": 2.0}}
    assert _margins(options, {"t:me-too"}) == {"840-3|840-6": 2.0}
    assert _margins(options, {"t:heart"}) == options["exclusive_margin"]
    both = grounds_of_texts(["남편이 친정엄마 뺨을 때리고 말리던 저까지 밀쳤어요"])[0]
    assert {"840-3", "840-4"} <= both
    assert grounds_of_texts(["남편이 친정엄마 뺨을 때렸어요"])[0] == {"840-4"}
