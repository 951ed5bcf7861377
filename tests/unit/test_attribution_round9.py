"""Round 9: a segment holding both spouses' acts keeps each actor's act (issue #12 items 2, 3 and 7).

"아내가 … 제 이마를 때려 … 그 직전에 제가 … 밀친 것은 사실입니다": the opponent's blow and the client's push are two labels
of one tag on one line, each with its own favours and the span it rests on. The draft quotes the opponent's sentence,
the risks show the client's, the timeline names both. Hits are written out (`tests/support/hits.py`) so these
tests read attribution, not the labeller; the last test goes through the worker.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from leh.analysis.attribution import attribute
from leh.analysis.labels import Hit
from leh.container import Container
from leh.domain.draft.facts import collect_facts
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from leh.services.rederive import derive
from leh.services.risks import risks_of
from tests.conftest import make_user
from tests.support.hits import actors_of, written_hit
from tests.support.live import Api
from tests.unit.test_parties import process_all

HUSBAND_CLIENT = Parties(Person("김준호", ("남편",)), Person("오수진", ("아내",)))
PAPER = {AUTHOR_KEY: "client"}
BLOW, PUSH = "아내가 리모컨으로 제 이마를 때려 피가 났습니다.", "그 직전에 제가 아내의 어깨를 밀친 것은 사실입니다."
MIXED = f"{BLOW} {PUSH}"


def _paper(*texts: str) -> list[dict[str, Any]]:
    return [{"seq": i, "kind": "text", "text": t, "ts": "2024-03-09T00:00:00+09:00"} for i, t in enumerate(texts)]


def _mixed_hits(text: str = MIXED) -> list[Hit]:
    return [written_hit(0, text, "때려", "폭행", agent="spouse"),
            written_hit(0, text, "밀친", "폭행", agent="self", admission=True)]


def _derived(segs: list[dict[str, Any]], hits: list[Hit]) -> dict[str, Any]:
    return dict(attribute(segs, hits, parties=HUSBAND_CLIENT, speakers_map=PAPER,  # type: ignore[arg-type]
                          event_time=None, speakers=[]))


def test_both_spouses_acts_of_one_kind_on_one_line_are_two_labels_with_their_own_side_and_span() -> None:
    out = _derived(_paper(MIXED), _mixed_hits())
    got = {(lb["tag"], lb["actor"], lb["favours"]): lb for lb in out["labels"]}
    assert set(got) == {("폭행", "opponent", "client"), ("폭행", "client", "opponent")}
    blow, push = got[("폭행", "opponent", "client")], got[("폭행", "client", "opponent")]
    assert [MIXED[s["start"]:s["end"]] for s in blow["spans"]] == ["때려"]
    assert [MIXED[s["start"]:s["end"]] for s in push["spans"]] == ["밀친"]
    # The timeline names both acts of the line; the one event does not lose the opponent's.
    [event] = out["timeline"]
    assert "피고(오수진)의 폭행" in event["description"] and "원고(김준호)의 폭행" in event["description"]
    # The line admits the writer's push, not the blow: the insight quotes the admitted sentence.
    blow_admitted = [written_hit(0, MIXED, "때려", "폭행", agent="spouse", admission=True), _mixed_hits()[1]]
    insights = _derived(_paper(MIXED), blow_admitted)["insights"]
    assert [i for i in insights if i.startswith("인정")] == [
        "인정: 2024-03-09 “그 직전에 제가 아내의 어깨를 밀친 것은 사실입니다.” (폭행)"]


def test_a_line_with_one_actor_is_still_one_label_and_an_unknown_reading_beside_a_known_one_joins_it() -> None:
    text = "아내가 제 뺨을 때리고 발로 찼습니다."
    hits = [written_hit(0, text, "때리", "폭행", agent="spouse"), written_hit(0, text, "찼", "폭행")]
    labels = _derived(_paper(text), hits)["labels"]
    assert [(lb["actor"], len(lb["spans"])) for lb in labels] == [("opponent", 2)]


def test_a_vetoed_reading_of_the_line_makes_no_act_of_its_own() -> None:
    blow, push = _mixed_hits()
    labels = _derived(_paper(MIXED), [blow, replace(push, weight=0.0)])["labels"]
    assert [(lb["actor"], lb["confidence"]) for lb in labels] == [("opponent", 0.85)]


def test_the_draft_quotes_the_opponents_sentence_and_the_risk_shows_the_clients() -> None:
    segs = _paper(MIXED)
    out = _derived(segs, _mixed_hits())
    doc = {"evidence_id": "ev-1", "type": "text", "status": "done", "filename": "진술서.txt", "segments": segs,
           "labels": out["labels"], "hits": out["hits"], "speakers_map": PAPER}
    [fact] = collect_facts([doc], parties=HUSBAND_CLIENT).facts  # type: ignore[list-item]
    assert [q.text for q in fact.quotes] == [BLOW]
    [risk] = risks_of([doc])  # type: ignore[list-item]
    assert (risk["actor"], risk["favours"]) == ("client", "opponent")
    assert [s["text"] for s in risk["segments"]] == [PUSH]


def test_a_lawyers_accepted_label_keeps_both_actors_of_the_line() -> None:
    segs = _paper(MIXED)
    out = _derived(segs, _mixed_hits())
    accepted = [{**lb, "source": "lawyer", "confidence": 1.0} for lb in out["labels"]]
    doc = {"segments": segs, "labels": accepted, "hits": out["hits"], "speakers_map": PAPER}
    again = derive(doc, HUSBAND_CLIENT, speakers_map=PAPER)
    assert {(lb["actor"], lb["source"]) for lb in again["labels"]} == {("opponent", "lawyer"), ("client", "lawyer")}


# ---------------------------------------------------------------- quoted words of the teller
def test_quoted_words_whose_clause_has_the_teller_as_subject_are_the_tellers() -> None:
    for text, word in [
        ('아내는 제게 욕을 하였고, 저도 참지 못하고 "너 같은 인간이랑 사는 게 지옥"이라고 맞받았습니다.', "너 같은 인간"),
        ('그날 밤 제가 "꺼져 이 병신아"라고 소리쳤고 아내는 방으로 들어갔습니다.', "병신"),
        ("저 역시 화가 나서 '미친놈'이라고 했습니다.", "미친놈"),
    ]:
        assert actors_of([{"text": text}], written_hit(0, text, word, "모욕", agent="spouse"),
                         PAPER, HUSBAND_CLIENT) == {"client"}, text


def test_quoted_words_of_the_other_spouse_stay_the_other_spouses() -> None:
    for text, word in [
        ('아내가 "가만 안 둔다"라고 했습니다.', "가만 안 둔다"),
        ('제가 따지자, 아내는 "너 같은 건 죽어야 돼"라고 소리쳤습니다.', "죽어야"),
        ('저는 무서워서 울었습니다. 아내는 "병신 같은 놈"이라고 했습니다.', "병신"),
        ('저는 아내가 "당신 같은 건 죽어야 돼"라고 하는 것을 들었습니다.', "죽어야"),
    ]:
        assert actors_of([{"text": text}], written_hit(0, text, word, "모욕", agent="spouse"),
                         PAPER, HUSBAND_CLIENT) == {"opponent"}, text


# ---------------------------------------------------------------- a medical certificate on the timeline
CERTIFICATE = [("상 해 진 단 서", None), ("환자 성명: 김준호 (남, 1986년생)", None), ("상병명: 이마 열상 (전치 2주)", None),
               ("진료일: 2024년 6월 9일", "2024-06-09T00:00:00+09:00"), ("수상일: 2024년 6월 8일", "2024-06-08T00:00:00+09:00"),
               ("소견: 둔기에 의한 폭행으로 인한 열상으로 추정됨", "2024-06-09T00:00:00+09:00")]


def _certificate(rows: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    return [{"seq": i, "kind": "text", "text": t, **({"ts": ts} if ts else {})} for i, (t, ts) in enumerate(rows)]


def test_a_certificate_is_one_timeline_event_saying_what_it_is_dated_by_its_day_of_injury() -> None:
    segs = _certificate(CERTIFICATE)
    hits = [written_hit(2, CERTIFICATE[2][0], "열상", "폭행"), written_hit(5, CERTIFICATE[5][0], "폭행", "폭행")]
    derived = _derived(segs, hits)
    [event] = derived["timeline"]
    assert "상해진단서(환자 원고(김준호))에 진단 내용이 기재됨" in derived["summary"] and "폭행 관련" not in derived["summary"]
    assert event["description"].startswith("상해진단서(환자 원고(김준호)): “상병명: 이마 열상 (전치 2주)")
    assert event["description"].endswith("(진단)") and "폭언" not in event["description"]
    assert event["ts"] == "2024-06-08T00:00:00+09:00" and event["grounds"] == ["840-3"]
    # Without a 수상일 the visit day dates it; an unlabelled certificate still says what it is.
    visit = _certificate([r for r in CERTIFICATE if not r[0].startswith("수상일")])
    [plain] = _derived(visit, [])["timeline"]
    assert plain["ts"] == "2024-06-09T00:00:00+09:00" and plain["description"].startswith("상해진단서(환자 원고(김준호)): “상병명")
    # Anything else keeps its own description.
    [other] = _derived(_paper(MIXED), _mixed_hits())["timeline"]
    assert "(진단)" not in other["description"]


# ---------------------------------------------------------------- end to end, through the worker
STATEMENT = f"""진 술 서

진술인: 김준호

2024년 3월 9일 밤 {BLOW} {PUSH}
"""


def test_a_statement_with_both_spouses_acts_through_the_worker(app_admin_api: Api, container: Container) -> None:
    lawyer = make_user(app_admin_api, "round9@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "사건", "parties": {
        "client": {"name": "김준호", "aliases": ["남편"]}, "opponent": {"name": "오수진", "aliases": ["아내"]},
        "children": [], "client_side": "plaintiff"}})
    base = f"/api/cases/{case['id']}"
    up = lawyer.data("POST", base + "/evidence", 201, files={"file": ("진술서.txt", STATEMENT.encode(), "text/plain")})
    process_all(container)
    detail = lawyer.data("GET", f"/api/evidence/{up['id']}")
    seq = next(int(s["seq"]) for s in detail["segments"] if PUSH in s["text"])
    mine = {(lb["tag"], lb["actor"], lb["favours"]) for lb in detail["labels"] if seq in lb["segments"]}
    assert {("폭행", "opponent", "client"), ("폭행", "client", "opponent")} <= mine
    described = [e["description"] for e in detail["timeline"] if seq in e["segments"]]
    assert described and "피고(오수진)의 폭행" in described[0] and "원고(김준호)의" in described[0]
    risks = lawyer.data("GET", base + "/risks")
    assert risks and all(BLOW not in s["text"] for r in risks for s in r["segments"])
    assert any(s["text"] == PUSH for r in risks for s in r["segments"])
    draft = lawyer.data("POST", base + "/draft-preview", 201)
    assert "이마를 때려" in draft["draft_text"] and "밀친 것은 사실" not in draft["draft_text"]
    assert draft["risks"] == risks
    # A lawyer's removal of 840-3 on the line removes both actors' labels of it.
    lawyer.data("PATCH", f"/api/evidence/{up['id']}/labels", json={"remove": [{"ground": "840-3", "segments": [seq]}]})
    after = lawyer.data("GET", f"/api/evidence/{up['id']}")
    assert not [lb for lb in after["labels"] if lb["ground"] == "840-3" and seq in lb["segments"]]
    assert lawyer.data("GET", base + "/risks") == [] or all(
        s["seq"] != seq for r in lawyer.data("GET", base + "/risks") for s in r["segments"])



# ---------------------------------------------------------------- a party named in a third person's paper
WIFE_CLIENT = Parties(Person("이하나", ("아내",)), Person("최병철", ("남편",)))
WITNESS = {AUTHOR_KEY: "third_party"}


def test_a_party_named_with_an_honorific_or_as_a_partys_spouse_is_that_party() -> None:
    for text, word in [
        ("옆집에서 보니 최병철 씨가 현관에서 아내를 밀쳤습니다.", "밀쳤"),
        ("그날 밤 남편분이 벽을 치며 소리를 지르는 것을 들었습니다.", "소리를 지르"),
        ("회식 자리에서 의뢰인의 남편이 의뢰인을 밀쳤습니다.", "밀쳤"),
        ("원고의 남편분은 술에 취해 원고를 때렸습니다.", "때렸"),
    ]:
        assert actors_of([{"text": text}], written_hit(0, text, word, "폭행"), WITNESS, WIFE_CLIENT) == {"opponent"}, text
    text = "옆집에서 보니 이하나 씨가 울면서 남편을 밀쳤습니다."  # the client named: her own act
    assert actors_of([{"text": text}], written_hit(0, text, "밀쳤", "폭행"), WITNESS, WIFE_CLIENT) == {"client"}


def test_in_the_clients_parents_paper_the_child_in_law_is_the_opponent_and_the_child_the_client() -> None:
    for text, word in [("사위는 저를 보자마자 현관 밖으로 밀어냈습니다.", "밀어냈"),
                       ("명절에 며느리가 저에게 소리를 지르며 욕을 했습니다.", "욕")]:
        hit = written_hit(0, text, word, "부모에 대한 폭언", ground="840-4")
        assert actors_of([{"text": text}], hit, {AUTHOR_KEY: "client_parent"}, WIFE_CLIENT) == {"opponent"}, text
    # …and the writer's own child is the client.
    text = "그날 제 딸도 화가 나서 사위의 팔을 할퀴었다고 들었습니다."
    hit = written_hit(0, text, text, "폭행", model=True)
    assert actors_of([{"text": text}], hit, {AUTHOR_KEY: "client_parent"}, WIFE_CLIENT) == {"client"}


# ---------------------------------------------------------------- the speaker's own words in a chat of the spouses
SPOUSES_CHAT = {"하나": "client", "병철": "opponent"}


def _said_by_opponent(text: str, tag: str, ground: str = "840-3") -> set[str]:
    segs = [{"speaker": "하나", "text": "왜 또 그래"}, {"speaker": "병철", "text": text}]
    return actors_of(segs, written_hit(1, text, text, tag, ground, model=True), SPOUSES_CHAT, WIFE_CLIENT)


def test_an_insult_hurled_at_the_one_spoken_to_is_the_speakers() -> None:
    for text in ["야 이 한심한 인간아 돈이나 벌어와", "이 미친년아 집구석에서 뭐하냐", "아오 이 멍청한 놈아, 그것도 못 해?"]:
        assert _said_by_opponent(text, "폭언") == {"opponent"}, text
    # Told back as the other's words, it stays an accusation.
    assert _said_by_opponent("어제 당신이 나한테 이 미친년아 라고 했잖아", "폭언") == {"client"}


def test_an_act_announced_with_a_reason_or_spelled_with_kke_is_the_speakers() -> None:
    assert _said_by_opponent("그 여자랑 같이 살 거니까 그렇게 알아", "외도", "840-1") == {"opponent"}
    assert _said_by_opponent("오늘 짐 싸서 나갈께 찾지 마", "가출", "840-2") == {"opponent"}


def test_a_done_act_the_speaker_saw_or_knows_of_is_the_other_spouses() -> None:
    def said_by_client(text: str) -> set[str]:
        segs = [{"speaker": "병철", "text": "뭐"}, {"speaker": "하나", "text": text}]
        hit = written_hit(1, text, text, "경제적 갈등", "840-6", model=True)
        return actors_of(segs, hit, SPOUSES_CHAT, WIFE_CLIENT)

    assert said_by_client("내 통장에서 몰래 돈 빼간 거 다 봤어") == {"opponent"}
    assert said_by_client("애 학원비로 도박한 거 전부 알고 있어") == {"opponent"}
    assert said_by_client("내가 대출 받은 거 다 알아?") == {"client"}  # the speaker as subject: her own


def test_a_spouses_parent_or_sibling_named_as_subject_is_a_third_person_on_that_side() -> None:
    segs = [{"speaker": "병철", "text": "왜"}, {"speaker": "하나",
                                               "text": "당신 엄마가 어제 나한테 전화해서 미친년이라고 욕했어"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "폭언", model=True)
    assert actors_of(segs, hit, SPOUSES_CHAT, WIFE_CLIENT) == {"third_party"}
    text = "남편의 누나는 제 직장에 찾아와 제 멱살을 잡았습니다."
    assert actors_of([{"text": text}], written_hit(0, text, "멱살을 잡", "폭행", agent="spouse"),
                     PAPER, WIFE_CLIENT) == {"third_party"}
    # The spouse named after the relative did it.
    text = "당신 엄마가 보는 앞에서 당신이 나를 때렸잖아"
    segs = [{"speaker": "병철", "text": "왜"}, {"speaker": "하나", "text": text}]
    assert actors_of(segs, written_hit(1, text, "때렸", "폭행"), SPOUSES_CHAT, WIFE_CLIENT) == {"opponent"}


def test_an_act_the_speaker_gives_a_reason_for_is_the_speakers() -> None:
    for text, word in [("욕한 건 당신이 먼저 애를 때려서 그런 거야", "욕"), ("밀친 건 애 지키려다 보니까 그런 거야", "밀친"), ("때린 건 당신이 먼저 욕했기 때문이야", "때린")]:
        segs = [{"speaker": "병철", "text": "왜 그랬어"}, {"speaker": "하나", "text": text}]
        assert actors_of(segs, written_hit(1, text, word, "폭행"), SPOUSES_CHAT, WIFE_CLIENT) == {"client"}, text
    text = "니가 밀친 건 애 때문이라고?"  # the one spoken to as the subject: theirs
    segs = [{"speaker": "병철", "text": "애 때문이야"}, {"speaker": "하나", "text": text}]
    assert actors_of(segs, written_hit(1, text, "밀친", "폭행"), SPOUSES_CHAT, WIFE_CLIENT) == {"opponent"}


def test_a_threatening_act_told_in_the_past_is_reported_not_uttered() -> None:
    roles = {"하나": "client", "친구": "third_party"}
    text = "어제는 칼까지 들었어"
    segs = [{"speaker": "친구", "text": "괜찮아?"}, {"speaker": "하나", "text": text}]
    assert actors_of(segs, written_hit(1, text, "칼까지 들", "협박", mode="utterance"), roles, WIFE_CLIENT) == {"opponent"}
    text = "칼 들고 찾아간다 기다려"  # the threat itself, now: the speaker's
    segs = [{"speaker": "하나", "text": "오지 마"}, {"speaker": "병철", "text": text}]
    assert actors_of(segs, written_hit(1, text, "칼 들", "협박", mode="utterance"), SPOUSES_CHAT,
                     WIFE_CLIENT) == {"opponent"}


def test_a_line_telling_both_spouses_acts_in_a_chat_gives_both_actors() -> None:
    def actors(text: str, word: str) -> set[str]:
        segs = [{"speaker": "병철", "text": "너 미쳤어?"}, {"speaker": "하나", "text": text}]
        return actors_of(segs, written_hit(1, text, word, "폭행"), SPOUSES_CHAT, WIFE_CLIENT)

    assert actors("컵 던진 건 미안해. 근데 당신이 먼저야", "던진") == {"client", "opponent"}
    assert actors("밀친 건 내 잘못이야. 그래도 먼저 때린 건 당신이잖아", "밀친") == {"client", "opponent"}
    assert actors("니가 먼저 내 머리채 잡았잖아 그래서 나도 밀친 거야", "잡았") == {"client", "opponent"}
    assert actors("컵 던진 건 미안해. 당신이 먼저 사과해", "던진") == {"client"}  # "먼저" asks, it tells no act
