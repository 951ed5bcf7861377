"""A document's heading (title, 작성일, 작성자) carries no claim: the learned model labels none of it."""

from __future__ import annotations

from leh.analysis.labels import find_hits, heading_only, kept_hits


def _kept(text: str) -> set[str]:
    return {h.ground for h in kept_hits(find_hits([{"seq": 0, "text": text, "kind": "text"}]))}


def test_a_documents_heading_gets_no_label_but_short_insults_and_its_body_do() -> None:
    for heading in ("진술서\n작성일: 2024년 7월 20일", "사실확인서\n작성일: 2024년 6월 12일\n작성자: 윤정숙 (정민호의 어머니)",
                    "상담일지\n상담일: 2024년 3월 11일\n담당: 김 변호사",
                    "상담일지\n상담일: 2024년 7월 10일\n의뢰인: 한도윤 (남편, 1986년생)\n상대방: 오수진 (아내)\n담당: 사무장 이정미"):
        assert heading_only(heading), heading
        assert _kept(heading) == set(), heading
    # Not headings: a short insult is as short as a title; a 진단서's 병명 is a particular that is evidence.
    assert not heading_only("니가 사람이냐 이 미친놈아") and _kept("니가 사람이냐 이 미친놈아")
    assert not heading_only("상해진단서\n진료 일자: 2024년 3월 3일\n병명: 안면부 타박상, 좌측 상완부 좌상")
    assert not heading_only("진술서\n2024년 5월 20일 처는 딸을 데리고 집을 나가 돌아오지 않고 있습니다.")
    assert "840-2" in _kept("진술서\n작성일: 2024년 7월 20일\n2024년 5월 20일 처는 딸을 데리고 집을 나가 돌아오지 않고 있습니다.")
