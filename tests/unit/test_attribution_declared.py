"""Between the spouses, a plain present statement declares the speaker's own act (issue #12).

"그래 만난다 어쩔건데" and "오늘부터 생활비 없다" from the husband were filed as the wife-client's affair and desertion
(risks) because only past or negated statements were read as the speaker's own.
"""

from __future__ import annotations

import pytest

from leh.analysis.attribution import attribute
from leh.analysis.labels import find_hits
from leh.domain.parties import Parties, Person

PARTIES = Parties(client=Person("김영희", ("아내",)), opponent=Person("박철수", ("남편",)))
ROLES = {"김영희": "client", "박철수": "opponent"}


def _actors(speaker: str, text: str) -> set[str]:
    segs = [{"seq": 0, "text": "뭐해", "kind": "speech", "speaker": "김영희" if speaker == "박철수" else "박철수"},
            {"seq": 1, "text": text, "kind": "speech", "speaker": speaker}]
    out = attribute(segs, find_hits(segs), parties=PARTIES, speakers_map=ROLES, event_time=None,
                    speakers=sorted(ROLES))
    return {str(lb["actor"]) for lb in out["labels"] if 1 in lb["segments"]}


@pytest.mark.parametrize("text", ["그래 만난다 어쩔건데", "오늘부터 생활비 없다", "다음 달부터 돈 안 보낸다",
                                  "그 사람이랑 살 거야"])
def test_the_husbands_declaration_is_his_act(text: str) -> None:
    assert _actors("박철수", text) == {"opponent"}


@pytest.mark.parametrize("text", ["생활비 안 들어온다 이번 달도", "또 그 여자 만난다며", "당신 요즘 맨날 술 마신다",
                                  "애 병원비도 없다"])
def test_the_wifes_complaint_is_about_his_act(text: str) -> None:
    assert _actors("김영희", text) == {"opponent"}


@pytest.mark.parametrize("text", ["때린 거 인정하네. 병원 가서 진단서 끊었어", "바람피운 거 인정하는구나"])
def test_noting_the_others_admission_is_not_ones_own(text: str) -> None:
    assert _actors("김영희", text) == {"opponent"}
