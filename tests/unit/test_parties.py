"""Who is who: case parties, speaker → party suggestion, actor and favours on labels, risks, re-derivation without
re-parsing, and a draft that cites only the opponent's acts (issue #12, items 1, 2, 3 and 7)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.analysis import labels as labeller
from leh.analysis.analyzer import analyze_offline
from leh.analysis.draft_writer import Claims
from leh.analysis.speakers import suggest_speakers_map
from leh.container import Container
from leh.domain.events import parse_events
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from leh.models import AuditLog, Case, User
from leh.pipeline import processor as processor_module
from leh.pipeline.processor import EvidenceProcessor
from leh.services import accounts, cases, rederive
from leh.services import drafts as draft_svc
from leh.services import evidence as evidence_svc
from leh.services import parties as parties_svc
from tests.conftest import make_user
from tests.support.live import Api
from tests.unit.test_drafting import doc, seg

CLIENT, OPPONENT = "이지은", "김준호"
# Both spouses threaten each other; the client also calls out the opponent's threat. The exporter's own messages
# carry her KakaoTalk display name "지은❤️", one of her aliases.
MUTUAL = f"""{OPPONENT} 님과 카카오톡 대화
저장한 날짜 : 2024-03-05 09:12:44

--------------- 2024년 3월 2일 토요일 ---------------
[{OPPONENT}] [오후 10:18] 한 번만 더 그 얘기 하면 죽여버린다
[지은❤️] [오후 10:19] 방금 그 말 협박이야. 다 캡처해 둘 거야
[지은❤️] [오후 10:40] 여보 나도 너 죽여버릴거야
[{OPPONENT}] [오후 10:45] 오늘은 일찍 자
"""
OPPONENT_THREAT = "한 번만 더 그 얘기 하면 죽여버린다"
CLIENT_THREAT = "여보 나도 너 죽여버릴거야"
PARTIES = {"client": {"name": CLIENT, "aliases": ["지은❤️", "아내"]},
           "opponent": {"name": OPPONENT, "aliases": ["남편"]}, "children": [], "client_side": "plaintiff"}


@pytest.fixture
def db(container: Container) -> Iterator[Session]:
    with container.sessions() as session:
        yield session


@pytest.fixture
def lawyer(db: Session) -> User:
    user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
    db.commit()
    return user


@pytest.fixture
def case(db: Session, lawyer: User) -> Case:
    case = cases.create_case(db, lawyer, title="이혼 사건")
    parties_svc.put_parties(db, lawyer, case.id, PARTIES)
    db.commit()
    return case


def process_all(container: Container) -> None:
    for message in container.queue.receive(max_messages=10):
        for event in parse_events(message.body):
            assert EvidenceProcessor(container).process(event) == "done"
        container.queue.delete(message.receipt)


def upload(container: Container, db: Session, user: User, case_id: str, name: str, text: str) -> dict[str, Any]:
    import io

    up = evidence_svc.upload_direct(db, container.settings, container.objects, container.evidence, container.queue, user,
                                    case_id=case_id, filename=name, stream=io.BytesIO(text.encode()))
    db.commit()
    process_all(container)
    got = container.evidence.get(up["evidence_id"])
    assert got is not None and got["status"] == "done"
    return got


def seq_of(d: dict[str, Any], text: str) -> int:
    return next(int(s["seq"]) for s in d["segments"] if s["text"] == text)


def label_on(d: dict[str, Any], seq: int, tag: str = "협박") -> dict[str, Any]:
    return next(lb for lb in d["labels"] if lb["tag"] == tag and seq in lb["segments"])


# ---------------------------------------------------------------- speaker → party suggestion
def test_speakers_are_suggested_from_names_aliases_me_and_how_they_are_addressed() -> None:
    parties = Parties(Person("이지은", ("아내",)), Person("김준호", ("남편", "준호 아빠")))
    segments = [
        seg(0, "오늘 몇 시에 와?", speaker="지은"),  # the given name of a three-syllable full name
        seg(1, "늦어", speaker="김준호 (회사)"),  # the full name inside a longer display name
        seg(2, "엄마 나 학원 끝났어", speaker="김하늘"),  # a child: nobody's name or alias
    ]
    assert suggest_speakers_map(segments, parties) == {"지은": "client", "김준호 (회사)": "opponent", "김하늘": "unknown"}
    # "나" (the exporting user) is the client; whom she calls 여보 is the opponent; a document's author is the client.
    segments = [seg(0, "여보 언제 와?", speaker="나"), seg(1, "곧 가", speaker="🐻"), seg(2, "진술서 내용", speaker=None, kind="text")]
    assert suggest_speakers_map(segments, parties) == {"나": "client", "🐻": "opponent", AUTHOR_KEY: "client"}
    # Called by name: "준호야" makes the other speaker the opponent; an alias as a display name is matched too.
    segments = [seg(0, "준호야 전화 좀 받아", speaker="아내"), seg(1, "왜", speaker="JH")]
    assert suggest_speakers_map(segments, parties) == {"아내": "client", "JH": "opponent"}
    # Nothing known about the case: nobody is guessed.
    assert suggest_speakers_map([seg(0, "여보 언제 와?", speaker="A"), seg(1, "곧", speaker="B")], Parties()) == {
        "A": "unknown", "B": "unknown"}


def test_an_accusation_is_evidence_of_the_other_spouses_act() -> None:
    parties = Parties(Person(CLIENT), Person(OPPONENT))
    segments = [seg(0, "방금 그 말 협박이야. 다 캡처해 둘 거야", ts="2024-03-02T22:19:00+09:00", speaker=CLIENT),
                seg(1, "제발 소리 좀 지르지 마", ts="2024-03-02T22:20:00+09:00", speaker=CLIENT),
                seg(2, "내가 어제 때려서 미안해", ts="2024-03-02T22:30:00+09:00", speaker=OPPONENT)]
    derived = rederive.attribute_analysis(segments, analyze_offline(segments, event_time=None), parties)
    threat, shouting, hitting = (label_on(derived, 0), label_on(derived, 1, "폭언"), label_on(derived, 2, "폭행"))
    assert (threat["actor"], threat["favours"], threat["source"]) == ("opponent", "client", "engine")
    assert (shouting["actor"], shouting["favours"]) == ("opponent", "client")
    assert (hitting["actor"], hitting["favours"]) == ("opponent", "client")  # the opponent's own admission
    first = derived["timeline"][0]["description"]
    assert first.startswith(f"원고({CLIENT})가 피고({OPPONENT})의 협박에 관해 언급함"), first
    assert "협박성 발언을 함" not in first  # the victim is never the one who threatened
    # A chat of the opponent with someone who is not the client (found on his phone): the affair is his.
    lover = [seg(0, "자기야 오늘 와이프 친정 갔으니까 우리 집에서 자고 가", speaker=OPPONENT,
                 ts="2024-03-02T20:00:00+09:00"), seg(1, "응 보고싶어 이따 봐", speaker="수진", ts="2024-03-02T20:01:00+09:00")]
    affair = rederive.attribute_analysis(lover, analyze_offline(lover, event_time=None), parties)
    assert {(lb["ground"], lb["actor"], lb["favours"]) for lb in affair["labels"] if 0 in lb["segments"]} == {
        ("840-1", "opponent", "client")}
    # In-law abuse told by the client is the opponent's family's act: it favours the client.
    inlaw = [seg(0, "시어머니가 나한테 쌍욕을 했어", speaker=CLIENT), seg(1, "미안해", speaker=OPPONENT)]
    lb = label_on(rederive.attribute_analysis(inlaw, analyze_offline(inlaw, event_time=None), parties), 0, "시댁 부당대우")
    assert (lb["actor"], lb.get("actor_side"), lb["favours"]) == ("third_party", "opponent", "client")


# ---------------------------------------------------------------- the mutual-threat case, through the services
def test_mutual_threats_draft_cites_only_the_opponent_and_lists_the_clients_threat_as_a_risk(
        container: Container, db: Session, lawyer: User, case: Case) -> None:
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    assert chat["speakers_map"] == {OPPONENT: "opponent", "지은❤️": "client"}
    theirs, mine, accusation = seq_of(chat, OPPONENT_THREAT), seq_of(chat, CLIENT_THREAT), seq_of(
        chat, "방금 그 말 협박이야. 다 캡처해 둘 거야")
    assert (label_on(chat, theirs)["actor"], label_on(chat, theirs)["favours"]) == ("opponent", "client")
    assert (label_on(chat, mine)["actor"], label_on(chat, mine)["favours"]) == ("client", "opponent")
    assert label_on(chat, accusation)["actor"] == "opponent"

    draft = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims())
    text = draft["draft_text"]
    assert OPPONENT_THREAT in text and f"피고는 “{OPPONENT_THREAT}”" in text  # 피고, not the display name
    assert CLIENT_THREAT not in text and "지은❤️" not in text
    # The parties' names (from the case's parties) stand in the parties block only; the body says 원고/피고.
    body = "\n".join(p for s in draft["sections"] if s["kind"] != "parties" for p in s["paragraphs"])
    assert OPPONENT not in body and CLIENT not in body
    assert text.count(OPPONENT) == 1 and "피      고  김준호 (주민등록번호 [      ])" in text
    cited = {q for c in draft["citations"] for q in c["segments"]}
    assert theirs in cited and mine not in cited
    assert [(r["evidence_id"], r["tag"], r["actor"]) for r in draft["risks"]] == [(chat["evidence_id"], "협박", "client")]
    assert [s["text"] for s in draft["risks"][0]["segments"]] == [CLIENT_THREAT]
    assert parties_svc.get_risks(db, container.evidence, lawyer, case.id) == draft["risks"]


def test_a_lawyer_label_not_yet_attributed_is_attributed_before_the_draft_and_the_risks(
        container: Container, db: Session, lawyer: User, case: Case) -> None:
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    mine = seq_of(chat, CLIENT_THREAT)

    def add(d: dict[str, Any]) -> dict[str, Any]:  # as a correction lands: no actor, no favours yet
        d["labels"].append({"ground": "840-3", "tag": "모욕", "confidence": 1.0, "segments": [mine], "source": "lawyer"})
        return d

    container.evidence.mutate(chat["evidence_id"], add)
    draft = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims())
    assert CLIENT_THREAT not in draft["draft_text"]
    risks = parties_svc.get_risks(db, container.evidence, lawyer, case.id)
    assert {(r["tag"], r["source"], r["actor"]) for r in risks} == {("협박", "engine", "client"), ("모욕", "lawyer", "client")}
    assert draft["risks"] == risks


# ---------------------------------------------------------------- re-derivation without re-parsing
def test_flipping_the_speaker_map_rederives_labels_timeline_and_draft_without_parsing(
        container: Container, db: Session, lawyer: User, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    theirs, mine = seq_of(chat, OPPONENT_THREAT), seq_of(chat, CLIENT_THREAT)
    before_timeline = {ev["segments"][0]: ev["description"] for ev in chat["timeline"]}
    assert before_timeline[theirs].startswith(f"피고({OPPONENT})가 협박성 발언을 함")

    def no(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("re-derivation must not parse or label again")

    before = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims())
    db.commit()
    assert draft_svc.get(db, container.evidence, lawyer, case.id)["stale"] is False
    monkeypatch.setattr(processor_module, "run_parser", no)
    monkeypatch.setattr(labeller, "find_hits", no)
    monkeypatch.setattr(rederive, "find_hits", no)
    # The lawyer says the display names were the other way round.
    flipped, counts = parties_svc.set_speakers(db, container.evidence, container.index, lawyer, chat["evidence_id"],
                                               {OPPONENT: "client", "지은❤️": "opponent"})
    assert counts == {"client": 1, "opponent": 1}
    assert flipped["segments"] == chat["segments"] and flipped["hits"] == chat["hits"]
    assert flipped["speakers_confirmed"] is True and flipped["derived_at"]
    assert (label_on(flipped, theirs)["actor"], label_on(flipped, theirs)["favours"]) == ("client", "opponent")
    assert (label_on(flipped, mine)["actor"], label_on(flipped, mine)["favours"]) == ("opponent", "client")
    after_timeline = {ev["segments"][0]: ev["description"] for ev in flipped["timeline"]}
    assert after_timeline[theirs].startswith(f"원고({CLIENT})")  # the names follow the parties, the roles the map
    assert after_timeline[mine].startswith(f"피고({OPPONENT})가 협박성 발언을 함")
    latest = draft_svc.get(db, container.evidence, lawyer, case.id)
    assert latest["draft_id"] == before["draft_id"] and latest["stale"] is True  # re-derived since it was drafted
    draft = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims())
    assert CLIENT_THREAT in draft["draft_text"] and OPPONENT_THREAT not in draft["draft_text"]
    # Now the accusation is the opponent's, about the client's threat: both are the client's act, both risks.
    assert [s["text"] for r in draft["risks"] for s in r["segments"]] == [OPPONENT_THREAT, "방금 그 말 협박이야. 다 캡처해 둘 거야"]
    # The search index follows: the evidence is indexed again, still once.
    speech = [x for x in chat["segments"] if x["text"].strip()]
    assert container.index.count(case.id) == {chat["evidence_id"]: len(speech)}

    # New parties re-derive evidence too, but never overrule the lawyer's confirmed map.
    parties_svc.put_parties(db, lawyer, case.id, {**PARTIES, "client_side": "defendant"})
    db.commit()
    parties_svc.rederive_after_parties(container.evidence, container.index, parties_svc.load(db, case.id), case.id)
    again = container.evidence.get(chat["evidence_id"])
    assert again is not None and again["speakers_map"] == {OPPONENT: "client", "지은❤️": "opponent"}
    assert {ev["segments"][0]: ev["description"] for ev in again["timeline"]}[mine].startswith(
        f"원고({OPPONENT})가 협박성 발언을 함")  # the client is 피고 now, so the opponent is 원고

    # Lawyer-sourced labels are kept and attributed like the engine's; a label the lawyer rejected stays away.
    def correct(d: dict[str, Any]) -> dict[str, Any]:
        d["labels"] = [lb for lb in d["labels"] if mine not in lb["segments"]]
        d["labels"].append({"ground": "840-3", "tag": "모욕", "confidence": 1.0, "segments": [theirs], "source": "lawyer"})
        return d

    container.evidence.mutate(chat["evidence_id"], correct)
    redone = rederive.rederive_evidence(container.evidence, container.index, parties_svc.load(db, case.id),
                                        chat["evidence_id"])
    assert not [lb for lb in redone["labels"] if mine in lb["segments"]]
    lawyer_label = label_on(redone, theirs, "모욕")
    assert (lawyer_label["source"], lawyer_label["actor"], lawyer_label["favours"]) == ("lawyer", "client", "opponent")


# ---------------------------------------------------------------- the draft: OCR text read with low confidence
def test_low_confidence_ocr_quotes_are_marked_for_the_lawyer() -> None:
    photo = doc("ev-photo1", "image", "메모.jpg",
                [seg(0, "남편이 어젯밤 나를 때렸다", conf=0.42), seg(1, "남편이 또 나를 때렸다", conf=0.95)],
                [{"ground": "840-3", "tag": "폭행", "confidence": 0.9, "segments": [0, 1], "actor": "opponent",
                  "favours": "client", "source": "engine"}], event_time="2024-03-02T08:00:00+09:00")
    photo["speakers_map"] = {AUTHOR_KEY: "client"}
    draft = draft_svc.build_draft([photo], Claims(), parties=Parties(Person(CLIENT), Person(OPPONENT)))
    text = draft["draft_text"]
    assert "“남편이 어젯밤 나를 때렸다”[확인 필요: OCR 인식 불확실]" in text
    assert "“남편이 또 나를 때렸다”[확인 필요" not in text
    # A label of nobody known is left out of the draft and counted in a note, never cited.
    chat = doc("ev-chat2", "kakaotalk", "chat.txt", [seg(0, "죽여버린다", speaker="A", ts="2024-03-02T22:00:00+09:00")],
               [{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [0], "actor": "unknown",
                 "favours": "neutral", "source": "engine"}])
    chat["speakers_map"] = {"A": "unknown"}
    draft = draft_svc.build_draft([chat], Claims())
    assert draft["exhibits"] == [] and "누가 한 행위인지 확인되지 않은 표시 1건" in draft["draft_text"]


# ---------------------------------------------------------------- the parties API
def test_parties_api_validates_in_korean_and_guards_membership(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "사건", "parties": PARTIES})
    base = f"/api/cases/{case['id']}/parties"
    assert owner.data("GET", base) == {**PARTIES, "client": {"name": CLIENT, "aliases": ["지은❤️", "아내"]}}
    bad_cases = [
        ({**PARTIES, "client": {"name": " ", "aliases": []}}, "INVALID_PARTY_NAME", "의뢰인의 이름을 1~100자로 입력해주세요."),
        ({**PARTIES, "opponent": {"name": "김준호", "aliases": ["x" * 51]}}, "INVALID_ALIASES", "별칭은 50자 이하로"),
        ({**PARTIES, "opponent": {"name": "김준호", "aliases": ["아내"]}}, "AMBIGUOUS_PARTY_NAME", "한쪽에서 지워주세요"),
        ({**PARTIES, "children": [{"name": "하늘", "birth_year": 1800}]}, "INVALID_CHILD", "출생연도(예: 2015)"),
        ({**PARTIES, "client_side": "judge"}, "INVALID_CLIENT_SIDE", "plaintiff(원고) 또는 defendant(피고)"),
    ]
    for body, code, message in bad_cases:
        resp = owner.call("PUT", base, json=body)
        assert resp.status_code == 400 and resp.json()["error"]["code"] == code, resp.text
        assert message in resp.json()["error"]["message"]
    created = owner.call("POST", "/api/cases", json={"title": "x", "parties": {"client_side": "judge"}})
    assert created.status_code == 400 and created.json()["error"]["code"] == "INVALID_CLIENT_SIDE"
    assert [c["title"] for c in owner.data("GET", "/api/cases")] == ["사건"]  # nothing half-created

    new = {**PARTIES, "children": [{"name": "김하늘", "birth_year": 2016}], "opponent": {"name": "박준호", "aliases": []}}
    assert owner.data("PUT", base, json=new)["children"] == [{"name": "김하늘", "birth_year": 2016}]
    viewer, stranger = make_user(app_admin_api, "viewer@test.local"), make_user(app_admin_api, "stranger@test.local")
    owner.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": "viewer@test.local", "role": "viewer"})
    assert viewer.data("GET", base)["opponent"]["name"] == "박준호"
    assert viewer.call("PUT", base, json=PARTIES).status_code == 403
    for method in ("GET", "PUT"):
        resp = stranger.call(method, base, json=PARTIES)
        assert resp.status_code == 404 and resp.json()["error"]["code"] == "CASE_NOT_FOUND"
    assert stranger.call("GET", f"/api/cases/{case['id']}/risks").status_code == 404
    assert viewer.data("GET", f"/api/cases/{case['id']}/risks") == []

    with container.sessions() as s:
        rows = list(s.scalars(select(AuditLog).where(AuditLog.action == "case.parties_update")))
    assert [json.loads(r.detail_masked)["changed"] for r in rows] == [["opponent.name", "opponent.aliases", "children"]]
    assert not any(name in r.detail_masked for r in rows for name in (CLIENT, OPPONENT, "박준호", "김하늘"))


def test_parties_upload_speakers_risks_and_draft_over_the_api(app_admin_api: Api, container: Container) -> None:
    lawyer = make_user(app_admin_api, "drafter@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "사건"})
    base = f"/api/cases/{case['id']}"
    # Parties set before the upload, without the exporter's display name: the lawyer maps that speaker later.
    lawyer.data("PUT", base + "/parties", json={"client": {"name": CLIENT, "aliases": []},
                                                "opponent": {"name": OPPONENT, "aliases": []}})
    up = lawyer.data("POST", base + "/evidence", 201, files={"file": ("KakaoTalk.txt", MUTUAL.encode(), "text/plain")})
    process_all(container)
    chat = lawyer.data("GET", f"/api/evidence/{up['id']}")
    assert chat["speakers_map"] == {OPPONENT: "opponent", "지은❤️": "client"}  # 지은: her given name
    assert lawyer.data("GET", base + "/risks")[0]["segments"][0]["text"] == CLIENT_THREAT

    bad = lawyer.call("PUT", f"/api/evidence/{up['id']}/speakers", json={"누군가": "client"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "UNKNOWN_SPEAKER"
    bad = lawyer.call("PUT", f"/api/evidence/{up['id']}/speakers", json={OPPONENT: "enemy"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "INVALID_PARTY_ROLE"
    assert "client(의뢰인)" in bad.json()["error"]["message"]
    stranger = make_user(app_admin_api, "stranger@test.local")
    resp = stranger.call("PUT", f"/api/evidence/{up['id']}/speakers", json={OPPONENT: "client"})
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "EVIDENCE_NOT_FOUND"

    confirmed = lawyer.data("PUT", f"/api/evidence/{up['id']}/speakers", json={"지은❤️": "client"})
    assert confirmed["speakers_confirmed"] is True
    risks = lawyer.data("GET", base + "/risks")
    assert [(r["tag"], r["actor"], r["favours"], [s["text"] for s in r["segments"]]) for r in risks] == [
        ("협박", "client", "opponent", [CLIENT_THREAT])]
    assert risks[0]["segments"][0]["speaker"] == "지은❤️" and risks[0]["segments"][0]["ts"].startswith("2024-03-02T22:40")
    draft = lawyer.data("POST", base + "/draft-preview", 201)
    assert OPPONENT_THREAT in draft["draft_text"] and CLIENT_THREAT not in draft["draft_text"]
    assert draft["risks"] == risks
    assert lawyer.data("GET", base + "/draft-preview")["risks"] == risks


def test_the_lawyers_speaker_map_survives_reprocessing(container: Container, db: Session, lawyer: User,
                                                       case: Case) -> None:
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    parties_svc.set_speakers(db, container.evidence, container.index, lawyer, chat["evidence_id"],
                             {OPPONENT: "third_party"})
    evidence_svc.requeue(container.evidence, container.index, container.queue, chat["evidence_id"], reason="reprocess")
    process_all(container)
    again = container.evidence.get(chat["evidence_id"])
    assert again is not None and again["status"] == "done"
    assert again["speakers_map"] == {OPPONENT: "third_party", "지은❤️": "client"} and again["speakers_confirmed"]
    theirs = label_on(again, seq_of(again, OPPONENT_THREAT))
    assert (theirs["actor"], theirs["favours"]) == ("third_party", "neutral")
