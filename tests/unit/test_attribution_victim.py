"""The writer who suffered an act is its victim, not its doer; "저도 …" is the writer's own act (issue #12).

"제가 남편에게 맞았습니다" in the client's 진술서 was filed as the client's assault (a risk) because its subject is the
writer; "저도 … 뺨을 때린 적이 있습니다" was filed as the opponent's, because 도 was not read as a subject.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from leh.analysis.actor import _PASSIVE_RULES
from leh.analysis.attribution import attribute
from leh.analysis.labels import Hit, find_hits
from leh.analysis.speakers import family_sides
from leh.domain.parties import AUTHOR_KEY, Parties, Person

PARTIES = Parties(client=Person("김영희", ("아내",)), opponent=Person("박철수", ("남편",)))


def _rule_hit(seq: int, text: str, word: str, tag: str, *, intent: bool = False, mode: str = "report") -> Hit:
    start = text.index(word)
    return Hit(seq=seq, tag=tag, ground="840-3", weight=0.85, mode=mode, start=start, end=start + len(word),
               rule=f"{word}/rule", intent=intent)


def _actors(texts: list[str], speakers: list[str | None] | None = None,
            speakers_map: dict[str, str] | None = None) -> dict[str, set[str]]:
    """text → the actors of its labels, for a client's statement (no speakers) or a chat."""
    who = speakers or [None] * len(texts)
    segs = [{"seq": i, "text": t, "kind": "speech" if who[i] else "document", **({"speaker": who[i]} if who[i] else {})}
            for i, t in enumerate(texts)]
    hits = find_hits([{"seq": i, "text": t} for i, t in enumerate(texts)])
    out = attribute(segs, hits, parties=PARTIES, speakers_map=speakers_map or {}, event_time=None,
                    speakers=sorted({w for w in who if w}))
    actors: dict[str, set[str]] = {t: set() for t in texts}
    for label in out["labels"]:
        for seq in label["segments"]:
            actors[texts[seq]].add(str(label["actor"]))
    return actors


@pytest.mark.parametrize("line", [
    "제가 남편에게 맞았습니다.",
    "저는 남편에게 폭행을 당했습니다.",
    "제가 남편한테 죽여버린다는 말을 들었습니다.",
    "저는 그날 밤 남편에게 뺨을 맞았고 바닥에 쓰러졌습니다.",
])
def test_the_writer_who_suffered_the_act_is_not_its_doer(line: str) -> None:
    assert _actors([line])[line] == {"opponent"}


@pytest.mark.parametrize("line", [
    "저도 화가 나서 남편의 뺨을 때린 적이 있습니다.",
    "저도 남편에게 소리를 지른 적이 있습니다.",
    "제가 먼저 남편에게 욕을 했습니다.",
])
def test_the_writers_own_act_stays_hers(line: str) -> None:
    assert _actors([line])[line] == {"client"}


@pytest.mark.parametrize("line", ["저는 시어머니에게 뺨을 맞았습니다.", "시어머니한테 맞았어요."])
def test_an_in_law_the_writer_suffered_from_is_the_opponents_family(line: str) -> None:
    segs = [{"seq": 0, "text": line, "kind": "document"}]
    out = attribute(segs, find_hits([{"seq": 0, "text": line}]), parties=PARTIES, speakers_map={}, event_time=None,
                    speakers=[])
    # 840-3 (the spouse's parent abusing the client), not 840-4 (abuse of the client's own parent).
    assert {(lb["ground"], lb["actor"], lb["favours"]) for lb in out["labels"]} == {("840-3", "third_party", "client")}


def test_in_a_chat_the_speaker_who_was_hit_accuses_the_other() -> None:
    texts = ["내가 너한테 맞은 게 몇 번인데", "또 시작이네"]
    actors = _actors(texts, speakers=["김영희", "박철수"], speakers_map={"김영희": "client", "박철수": "opponent"})
    assert actors == {texts[0]: {"opponent"}, texts[1]: set()}


@pytest.mark.parametrize(("line", "act", "actor"), [
    ("의뢰인은 남편의 폭언에 시달렸다고 함.", "폭언", "opponent"),  # the doer in the genitive, not the subject
    ("내담자는 2024. 3. 2. 남편으로부터 뺨을 맞았다고 진술함.", "맞았", "opponent"),
    ("내담자는 시어머니로부터 폭언을 들었다고 함.", "폭언", "third_party"),  # 내담자: the 상담일지's client
    ("내담자가 남편에게 먼저 욕설을 한 사실은 인정함.", "욕설", "client"),
])
def test_a_counselling_record_in_the_third_person(line: str, act: str, actor: str) -> None:
    # The labeller's rule hit on the act's word (맞았: the passive rule), written out: attribution alone is tested.
    hit = _rule_hit(0, line, act, "폭행" if act == "맞았" else "폭언")
    if act == "맞았":
        hit = replace(hit, rule=next(iter(_PASSIVE_RULES)))
    out = attribute([{"seq": 0, "text": line, "kind": "text"}], [hit], parties=PARTIES, speakers_map={},
                    event_time=None, speakers=[])
    assert {str(lb["actor"]) for lb in out["labels"]} == {actor}


def test_the_clients_mothers_statement_files_what_was_done_to_her_under_840_4() -> None:
    # A husband-client's case: his mother writes a 사실확인서 about his wife.
    parties = Parties(client=Person("정민호", ("남편",)), opponent=Person("한소영", ("아내", "처")))
    texts = ["사실확인서", "작성자: 윤정숙 (원고의 어머니)", "며느리 한소영이 저를 밀쳤습니다.",
             "저는 며느리한테 늙은이라는 욕을 들었습니다."]
    segs = [{"seq": i, "text": t, "kind": "text"} for i, t in enumerate(texts)]
    hits = [replace(_rule_hit(2, texts[2], "밀쳤", "폭행"), agent="unknown"), _rule_hit(3, texts[3], "욕", "폭언")]
    out = attribute(segs, hits, parties=parties, speakers_map={AUTHOR_KEY: "third_party"}, event_time=None, speakers=[])
    got = {(texts[s], lb["ground"], str(lb["actor"]), lb["favours"]) for lb in out["labels"] for s in lb["segments"]}
    assert got == {(texts[2], "840-4", "opponent", "client"), (texts[3], "840-4", "opponent", "client")}
    # Written by a neighbour, the same push is only what the neighbour suffered: not the client's parent's.
    neighbour = [*texts[:1], "작성자: 이웃 주민 박말순", *texts[2:3]]
    segs = [{"seq": i, "text": t, "kind": "text"} for i, t in enumerate(neighbour)]
    out = attribute(segs, hits[:1], parties=parties, speakers_map={AUTHOR_KEY: "third_party"}, event_time=None,
                    speakers=[])
    assert {lb["ground"] for lb in out["labels"]} == {"840-3"}


def test_staff_notes_and_statements_name_the_in_law_and_the_clients_own_admission() -> None:
    parties = Parties(client=Person("한도윤", ("남편",)), opponent=Person("오수진", ("아내",)))
    texts = ["- 의뢰인 본인도 2024. 5. 12. 상대방에게 욕설 카톡을 보낸 사실을 인정함.",
             "- 장모 권말순으로부터 2024. 6. 20. 카톡으로 욕설을 들었다고 함.",
             "2024. 6. 20. 장모 권말순이 카톡으로 저에게 '병신 같은 놈'이라고 욕하고 가만두지 않겠다고 하였습니다."]
    segs = [{"seq": i, "text": t, "kind": "text"} for i, t in enumerate(texts)]
    # The labeller's rule hits on these lines, written out so that the test reads attribution alone.
    hits = [_rule_hit(0, texts[0], "욕설", "폭언"), _rule_hit(1, texts[1], "욕설", "폭언"),
            _rule_hit(2, texts[2], "욕하", "폭언"), _rule_hit(2, texts[2], "가만두지 않", "협박", intent=True)]
    out = attribute(segs, hits, parties=parties, speakers_map={}, event_time=None, speakers=[])
    actors: dict[int, set[tuple[str, str]]] = {}
    for lb in out["labels"]:
        for s in lb["segments"]:
            actors.setdefault(s, set()).add((str(lb["actor"]), lb["favours"]))
    assert actors[0] == {("client", "opponent")}  # 의뢰인 본인도: the client's own, a risk
    assert actors[1] == {("third_party", "client")}  # suffered from the mother-in-law, named by kin word and name
    # Her insult and her threat, reported as her words ("…겠다고 하였습니다"), are hers, not the writer's.
    assert actors[2] == {("third_party", "client")}


def test_a_mother_in_laws_own_abuse_in_her_chat_with_the_client_favours_the_client() -> None:
    # The lawyer marks her third_party; "장모님 …" from the client and "한서방" from her say she is the wife's mother.
    parties = Parties(client=Person("한도윤", ("남편",)), opponent=Person("오수진", ("아내",)))
    chat = [("권말순", "한서방 너 요즘 왜 그러니"), ("권말순", "너 같은 병신 같은 놈한테 딸 준 게 한이다"),
            ("한도윤", "장모님 그게 무슨 말씀이세요"), ("권말순", "우리 딸 한 번만 더 건드리면 가만 안 둔다")]
    segs = [{"seq": i, "speaker": sp, "text": t, "kind": "speech"} for i, (sp, t) in enumerate(chat)]
    roles = {"한도윤": "client", "권말순": "third_party"}
    assert family_sides(segs, roles) == {"권말순": "opponent"}
    hits = [_rule_hit(1, chat[1][1], "병신", "폭언", mode="utterance"),
            _rule_hit(3, chat[3][1], "가만 안 둔다", "협박", intent=True, mode="utterance")]
    out = attribute(segs, hits, parties=parties, speakers_map=roles, event_time=None, speakers=sorted(roles))
    assert {(str(lb["actor"]), lb["favours"]) for lb in out["labels"]} == {("third_party", "client")}
    # Her own daughter's chat: the client calls her 엄마 → the client's family, her acts favour the opponent.
    own = [("김영희", "엄마 나 오늘 늦어"), ("박순자", "알았다")]
    segs = [{"seq": i, "speaker": sp, "text": t, "kind": "speech"} for i, (sp, t) in enumerate(own)]
    assert family_sides(segs, {"김영희": "client", "박순자": "third_party"}) == {"박순자": "client"}
