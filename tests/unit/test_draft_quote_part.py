"""A complaint quotes the sentences of the act it pleads, never the client's own admission beside them in the same
line of a statement ("장모가 저에게 욕하였습니다. 저도 화가 나서 버릇없는 말을 하였습니다.")."""

from __future__ import annotations

from typing import Any

from leh.domain.draft.facts import cited_part, collect_facts
from tests.unit.test_drafting import doc, label, seg

LINE = ("2024. 6. 20. 장모가 카톡으로 저에게 '병신 같은 놈'이라고 욕하고 가만두지 않겠다고 하였습니다. "
        "저도 화가 나서 장모님께 버릇없는 말을 하였습니다.")
FIRST = LINE.split(" 저도")[0]


def _span(text: str, word: str) -> tuple[int, int]:
    i = text.index(word)
    return i, i + len(word)


def _hit(seq: int, ground: str, tag: str, span: tuple[int, int]) -> dict[str, Any]:
    return {"seq": seq, "ground": ground, "tag": tag, "weight": 0.9, "mode": "report", "start": span[0],
            "end": span[1], "rule": "test", "admission": False, "agent": "unknown", "intent": False}


def test_the_trailing_admission_is_cut_from_the_quote() -> None:
    assert cited_part(LINE, [_span(LINE, "욕하고")], [_span(LINE, "버릇없는 말")]) == FIRST


def test_a_leading_admission_is_cut_and_a_date_is_no_sentence_end() -> None:
    text = "저도 그날 소리를 질렀습니다. 2024. 6. 8. 밤 아내가 리모컨으로 제 이마를 내리쳤습니다."
    assert cited_part(text, [_span(text, "내리쳤")], [_span(text, "소리를 질렀")]) == text[text.index("2024"):]


def test_nothing_is_cut_without_a_risk_or_when_the_cited_act_is_everywhere() -> None:
    assert cited_part(LINE, [_span(LINE, "욕하고")], []) == LINE
    # A learned label covers the whole line: it names no sentence, so the line is quoted whole.
    assert cited_part(LINE, [(0, len(LINE))], [_span(LINE, "버릇없는 말")]) == LINE
    # A sentence that tells of both stays.
    both = "아내가 욕을 해서 저도 욕을 하였습니다. 그 뒤로 대화가 없습니다."
    assert cited_part(both, [_span(both, "욕을 해서")], [_span(both, "욕을 하였")]) == both


def test_the_draft_fact_quotes_only_the_opponents_side_of_the_line() -> None:
    segments = [seg(0, "진 술 서", line=1), seg(1, LINE, ts="2024-06-20T00:00:00+09:00", line=3)]
    segments[1]["seq"] = 1
    labels = [{**label("840-3", "폭언", [1]), "actor": "third_party", "actor_side": "opponent", "favours": "client"},
              {**label("840-4", "부모에 대한 폭언", [1]), "actor": "client", "favours": "opponent"}]
    d = doc("ev-1", "text", "진술서.txt", segments, labels, event_time="2024-07-12T00:00:00+09:00")
    d["hits"] = [_hit(1, "840-3", "폭언", _span(LINE, "욕하고")), _hit(1, "840-4", "부모에 대한 폭언", _span(LINE, "버릇없는 말"))]
    facts = collect_facts([d]).facts
    assert [f.ground for f in facts] == ["840-3"]
    assert [q.text for q in facts[0].quotes] == [FIRST]
