"""Who did what, from the attribution set's misses once it was retired (issue #12): transcripts in documents, third
persons in chats, the affair told to a friend, the speaker as the one hurt, refusals to pay.

The labeller's hits are written out (`_hit`), so that these tests read attribution alone.
"""

from __future__ import annotations

import pytest

from leh.analysis.attribution import attribute
from leh.analysis.labels import Hit
from leh.domain.parties import Parties, Person
from tests.support.hits import actors_of
from tests.support.hits import written_hit as _hit

PARTIES = Parties(client=Person("한도윤", ("남편",)), opponent=Person("오세라", ("아내", "세라")))


def _actor(segs: list[dict[str, str]], hit: Hit, roles: dict[str, str]) -> set[str]:
    return actors_of(segs, hit, roles, PARTIES)


def test_a_transcript_line_in_a_document_is_its_speakers() -> None:
    lines = [{"text": "녹취록 (2026. 7. 3. 통화녹음)"}, {"text": "오세라: 너 오늘 들어오면 니 물건 다 불태운다"},
             {"text": "한도윤: 그만해, 애들 듣는다"}]
    threat = _hit(1, lines[1]["text"], "불태운다", "협박", mode="utterance")
    assert _actor(lines, threat, {}) == {"opponent"}  # the client's paper, but 오세라 says it


def test_a_third_persons_own_insult_and_the_act_they_accuse_the_spouse_of() -> None:
    roles = {"도윤": "client", "장모님": "third_party"}
    chat = [{"speaker": "장모님", "text": "능력도 없는 게 어디서 말대꾸야"},
            {"speaker": "장모님", "text": "이 서방, 자네 우리 세라한테 손댔다면서?"},
            {"speaker": "도윤", "text": "장모님 그런 적 없습니다"}]
    assert _actor(chat, _hit(0, chat[0]["text"], "말대꾸", "폭언", model=True), roles) == {"third_party"}
    assert _actor(chat, _hit(1, chat[1]["text"], "손댔", "폭행"), roles) == {"client"}


def test_the_clients_mother_reporting_what_the_son_in_law_said() -> None:
    roles = {"도윤": "client", "엄마": "third_party"}
    chat = [{"speaker": "엄마", "text": "세라가 어제 전화해서 나보고 늙은 게 뭘 안다고 나서냐고 하더라"}]
    assert _actor(chat, _hit(0, chat[0]["text"], "늙은 게", "부모에 대한 폭언", "840-4", model=True), roles) == {"opponent"}


@pytest.mark.parametrize("text", ["나도 알아. 어제 그 남자 차에서 내리는 거 봤어", "언니가 그 남자 집에서 나오는 거 봤대"])
def test_the_affair_the_client_and_a_friend_speak_of_is_the_opponents(text: str) -> None:
    roles = {"도윤": "client", "서연": "third_party"}
    chat = [{"speaker": "서연", "text": "오빠 요즘 언니 그 트레이너랑 자주 보던데"}, {"speaker": "도윤", "text": text}]
    assert _actor(chat, _hit(1, text, "남자", "외도", "840-1", model=True), roles) == {"opponent"}


@pytest.mark.parametrize(("speaker", "text", "word", "tag", "ground", "actor"), [
    ("도윤", "그 손으로 나 밀어서 계단에서 넘어졌어", "밀어서", "폭행", "840-3", "opponent"),  # the speaker was hurt
    ("세라", "오늘부터 생활비 한 푼도 없어 니가 벌어서 써", "생활비", "생활비 미지급", "840-2", "opponent"),
    ("세라", "당장 안 들어오면 니 짐 다 밖에 내놔불랑께", "짐", "가출", "840-2", "opponent"),
    ("도윤", "벌써 석 달째 돈 안 보내고 있는 거 알아?", "돈", "생활비 미지급", "840-2", "opponent"),
])
def test_between_the_spouses(speaker: str, text: str, word: str, tag: str, ground: str, actor: str) -> None:
    roles = {"도윤": "client", "세라": "opponent"}
    other = "세라" if speaker == "도윤" else "도윤"
    chat = [{"speaker": other, "text": "뭐"}, {"speaker": speaker, "text": text}]
    assert _actor(chat, _hit(1, text, word, tag, ground, model=True), roles) == {actor}


def test_the_opponents_mother_abusing_the_client_is_840_3_not_840_4() -> None:
    # The labeller may file "장모 … 욕설을 들었다" under 840-4 (a parent in the line); 840-4 is the spouse's abuse of
    # the client's own parent, so the opponent's family abusing the client is 840-3, 처가 부당대우.
    line = "- 장모 권말순으로부터 2024. 6. 20. 카톡으로 욕설을 들었다고 함."
    hit = _hit(0, line, "욕설", "부모에 대한 폭언", "840-4", model=True)
    out = attribute([{"seq": 0, "text": line, "kind": "text"}], [hit], parties=PARTIES, speakers_map={},
                    event_time=None, speakers=[])
    assert [(lb["ground"], lb["tag"], str(lb["actor"]), lb["favours"]) for lb in out["labels"]] == [
        ("840-3", "처가 부당대우", "third_party", "client")]
    assert out["timeline"][0]["grounds"] == ["840-3"]
    # Her abuse of the client's own mother stays 840-4's tag (it is no act against the client).
    own = "장모가 우리 엄마한테 욕을 했다고 함."
    out = attribute([{"seq": 0, "text": own, "kind": "text"}], [_hit(0, own, "욕", "부모에 대한 폭언", "840-4")],
                    parties=PARTIES, speakers_map={}, event_time=None, speakers=[])
    assert [lb["ground"] for lb in out["labels"]] == ["840-4"]
