"""A 답변서 (answer) for a defendant client who contests the divorce (issue #12, item 7): the fixed form of an answer,
the complaint's allegations left to the lawyer, and the opponent's (원고's) own acts argued as his fault, cited as
을호증 exactly as the 반소장 cites them; the client's own acts stay risks beside the draft. The kind is chosen per
draft (complaint | counterclaim | answer), must fit the client's side, and names the download."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import quote

import pytest
from docx import Document
from sqlalchemy.orm import Session

from leh.analysis import draft_answer
from leh.analysis.draft_writer import Claims
from leh.container import Container
from leh.domain import drafting as d
from leh.domain.draft.kinds import DraftKind, resolve_kind
from leh.domain.errors import ValidationFailed
from leh.domain.parties import ClientSide, Parties, Person
from leh.models import Case, User
from leh.services import drafts as draft_svc
from leh.services import parties as parties_svc
from tests.conftest import make_user
from tests.support.live import Api
from tests.unit.test_parties import (
    CLIENT,
    CLIENT_THREAT,
    MUTUAL,
    OPPONENT,
    OPPONENT_THREAT,
    PARTIES,
    case,  # noqa: F401 (fixture)
    db,  # noqa: F401 (fixture)
    lawyer,  # noqa: F401 (fixture)
    process_all,
    seq_of,
    upload,
)
from tests.unit.test_web_who import Pages

DEFENDANT = {**PARTIES, "client_side": "defendant"}
PREAMBLE = "위 사건에 관하여 피고 소송대리인은 다음과 같이 답변합니다."


def _section(draft: dict[str, Any], title: str) -> list[str]:
    return next(s for s in draft["sections"] if s["title"] == title)["paragraphs"]


def _grounds(draft: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in draft["sections"] if s["kind"] == "ground"]


def test_an_answer_argues_the_plaintiffs_fault_from_his_acts_only_and_leaves_the_complaint_to_the_lawyer(
        container: Container, db: Session, lawyer: User, case: Case) -> None:  # noqa: F811
    # 김준호 sued 이지은 for divorce; she does not want it. Both threatened each other (쌍방 유책).
    parties_svc.put_parties(db, lawyer, case.id, DEFENDANT)
    db.commit()
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    theirs, mine = seq_of(chat, OPPONENT_THREAT), seq_of(chat, CLIENT_THREAT)
    counter = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims(alimony=True))
    db.commit()
    answer = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims(alimony=True),
                                "answer")
    db.commit()
    text = answer["draft_text"]
    assert counter["kind"] == "counterclaim" and answer["kind"] == "answer"
    assert d.check_consistency(answer, {chat["evidence_id"]: chat}) == []

    # The form: 답변서, the pending case's number blank, both sides by name, the attorney's opening sentence.
    assert answer["heading"] == {**answer["heading"], "title": "답  변  서", "case_number": "[      ]드[  ][      ] 이혼 등",
                                 "plaintiff": OPPONENT, "defendant": CLIENT, "preamble": PREAMBLE}
    assert f"사    건  [      ]드[  ][      ] 이혼 등\n원    고  {OPPONENT}\n피    고  {CLIENT}\n\n{PREAMBLE}\n" in text
    assert "반소" not in text and "사건명" not in text
    assert [s["title"] for s in answer["sections"] if s["level"] == 1] == [
        "청구취지에 대한 답변", "청구원인에 대한 답변", "입증방법", "첨부서류"]
    assert _section(answer, "청구취지에 대한 답변") == [
        "1. 원고의 청구를 기각한다.", "2. 소송비용은 원고가 부담한다.", "라는 판결을 구합니다."]
    # LEH does not know the complaint: the answer to its allegations is a note for the lawyer, nothing invented.
    [denial] = _section(answer, "1. 원고 주장에 대한 인부")
    assert d.is_note(denial) and "인정하는 사실과 부인하는 사실" in denial and "알지 못하므로" in denial
    assert [s["title"] for s in answer["sections"] if s["level"] == 2] == [
        "1. 원고 주장에 대한 인부", "2. 원고의 유책 사유", "3. 유책배우자인 원고의 이혼 청구", "4. 결론"]
    fault = _section(answer, "3. 유책배우자인 원고의 이혼 청구")
    assert fault[0].startswith("위와 같이 원고는 혼인관계 파탄에 주된 책임이 있는 유책배우자이므로")
    conclusion = _section(answer, "4. 결론")
    assert d.is_note(conclusion[0]) and "혼인 관계를 유지하기를 원하는 의사" in conclusion[0]
    assert conclusion[1] == draft_answer.CONCLUSION

    # The grounds: the opponent's (원고's) acts only, in the very sentences and 을 labels of the 반소장.
    assert [(g["title"], g["paragraphs"]) for g in _grounds(answer)] == [
        (g["title"], g["paragraphs"]) for g in _grounds(counter)]
    assert any(f"원고는 “{OPPONENT_THREAT}”" in p and "(을 제1호증" in p for g in _grounds(answer) for p in g["paragraphs"])
    cited = {q for c in answer["citations"] for q in c["segments"]}
    assert theirs in cited and mine not in cited
    assert answer["citations"] == counter["citations"] and answer["exhibits"] == counter["exhibits"]
    # The client's own threat is a risk beside the draft, only counted in a note for the lawyer, never quoted.
    assert CLIENT_THREAT not in text
    assert [(r["tag"], r["actor"], [s["text"] for s in r["segments"]]) for r in answer["risks"]] == [
        ("협박", "client", [CLIENT_THREAT])]
    assert any(d.is_note(p) and "불리한 증거 1건" in p for p in fault)
    # Only 을 labels; every one resolves to a listed exhibit; dates are the evidence's own (no invented time).
    assert answer["exhibit_side"] == "을" and not re.search(r"갑\s*제\s*\d", text)
    assert d.cited_labels(text) and all(lbl.startswith("을 제1호증") for lbl in d.cited_labels(text))
    assert _section(answer, "입증방법")[0].startswith("을 제1호증  카카오톡 대화 내역 (파일: KakaoTalk_20240305.txt, 일자: 2024. 3. 2.)")
    assert re.findall(r"\d{4}년 \d+월 \d+일 [\d:]+", text) == ["2024년 3월 2일 22:18"]
    assert "00:00" not in text
    assert _section(answer, "첨부서류") == ["1. 위 입증방법  각 1통", "2. 답변서 부본  1통", "3. 소송위임장  1통"]
    assert answer["closing"] == ["20    .    .    .", "피고 소송대리인 변호사 [성명] (서명 또는 날인)",
                                 "[사건이 계속 중인 가정법원] 귀중"]

    # The history says which kind each version is; the latest of a kind can be asked for.
    assert [(h["draft_id"], h["kind"]) for h in draft_svc.history(db, lawyer, case.id)] == [
        (answer["draft_id"], "answer"), (counter["draft_id"], "counterclaim")]
    assert draft_svc.get(db, container.evidence, lawyer, case.id)["draft_id"] == answer["draft_id"]
    assert draft_svc.get(db, container.evidence, lawyer, case.id, kind="counterclaim")["draft_id"] == counter["draft_id"]

    data, exported = draft_svc.export_docx(db, container.evidence, container.docx_renderer, lawyer, case.id)
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    assert doc.core_properties.title == "답변서 초안" and exported["kind"] == "answer"
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["답  변  서"]
    assert f"원    고  {OPPONENT}" in paragraphs and f"피    고  {CLIENT}" in paragraphs and PREAMBLE in paragraphs
    assert "1. 원고의 청구를 기각한다." in paragraphs
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert rows[1][0] == "을 제1호증" and CLIENT_THREAT not in "\n".join([*paragraphs, *(c for r in rows for c in r)])
    disposition = draft_svc.download_disposition(exported, "20240305")
    assert disposition == ("attachment; filename=\"answer_draft_20240305.docx\"; "
                           f"filename*=UTF-8''{quote('답변서초안_20240305.docx')}")
    _, old = draft_svc.export_docx(db, container.evidence, container.docx_renderer, lawyer, case.id,
                                   counter["draft_id"])
    assert "counterclaim_draft_20240305.docx" in draft_svc.download_disposition(old, "20240305")


def test_an_answer_with_no_act_of_the_plaintiff_in_the_evidence_argues_nothing() -> None:
    # The only labelled act is the client's own: a risk, never a ground of the answer.
    parties = Parties(Person(CLIENT), Person(OPPONENT), (), ClientSide.DEFENDANT)
    doc = {"case_id": "c", "evidence_id": "ev-1", "filename": "chat.txt", "type": "kakaotalk", "status": "done",
           "segments": [{"seq": 0, "ts": "2024-03-02T22:40:00+09:00", "speaker": CLIENT, "text": CLIENT_THREAT,
                         "ref": {}, "kind": "speech"}],
           "speakers_map": {CLIENT: "client"}, "uploaded_at": "2024-03-05T00:00:00Z",
           "labels": [{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [0], "actor": "client",
                       "favours": "opponent", "source": "engine"}]}
    draft = draft_svc.build_draft([doc], Claims(), parties=parties, kind=DraftKind.ANSWER)  # type: ignore[list-item]
    assert draft["kind"] == "answer" and d.check_consistency(draft) == []
    assert _grounds(draft) == [] and draft["exhibits"] == [] and draft["citations"] == []
    assert [s["title"] for s in draft["sections"] if s["level"] == 2] == [
        "1. 원고 주장에 대한 인부", "2. 원고의 유책 사유", "3. 결론"]  # no argument without the plaintiff's acts
    assert _section(draft, "2. 원고의 유책 사유") == ["[증거에서 원고의 유책 사유로 표시된 내용을 찾지 못했습니다. 변호사가 "
                                                 "직접 작성하십시오.]"]
    assert "유책배우자" not in draft["draft_text"] and CLIENT_THREAT not in draft["draft_text"]
    assert [r["actor"] for r in draft["risks"]] == ["client"]
    assert _section(draft, "입증방법") == ["[초안에 인용된 증거가 없습니다.]"]


@pytest.mark.parametrize("side,requested,code", [
    ("plaintiff", "answer", "ANSWER_NEEDS_DEFENDANT_CLIENT"),
    ("plaintiff", "counterclaim", "COUNTERCLAIM_NEEDS_DEFENDANT_CLIENT"),
    ("defendant", "complaint", "COMPLAINT_NEEDS_PLAINTIFF_CLIENT"),
    ("defendant", "reply", "INVALID_DRAFT_KIND"),
])
def test_a_kind_the_clients_side_cannot_file_is_refused_with_what_to_do(side: str, requested: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        resolve_kind(requested, side)
    assert exc.value.code == code and exc.value.http_status == 400
    assert re.search(r"[가-힣]", exc.value.message_ko) and exc.value.message_ko.endswith("주세요.")


def test_each_side_defaults_to_its_own_pleading() -> None:
    assert resolve_kind(None, "plaintiff") == DraftKind.COMPLAINT == resolve_kind("complaint", None)
    assert resolve_kind(None, "defendant") == DraftKind.COUNTERCLAIM == resolve_kind("", "defendant")
    assert resolve_kind("answer", "defendant") == DraftKind.ANSWER


def test_kinds_over_the_api_the_export_names_and_the_page(app_admin_api: Api, container: Container) -> None:
    user = make_user(app_admin_api, "answer@test.local")
    plaintiff = user.data("POST", "/api/cases", 201, json={"title": "원고 사건", "parties": PARTIES})
    defendant = user.data("POST", "/api/cases", 201, json={"title": "피고 사건", "parties": DEFENDANT})
    for made in (plaintiff, defendant):
        user.data("POST", f"/api/cases/{made['id']}/evidence", 201,
                  files={"file": ("KakaoTalk.txt", MUTUAL.encode(), "text/plain")})
    process_all(container)

    # A plaintiff client's lawyer asking for an answer is told what to do; nothing is stored.
    base = f"/api/cases/{plaintiff['id']}"
    refused = user.call("POST", base + "/draft-preview", 400, json={"kind": "answer"}).json()["error"]
    assert refused["code"] == "ANSWER_NEEDS_DEFENDANT_CLIENT" and "피고" in refused["message"]
    assert user.data("GET", base + "/drafts") == []
    complaint = user.data("POST", base + "/draft-preview", 201, json={})
    assert complaint["kind"] == "complaint" and complaint["exhibit_side"] == "갑"
    assert user.call("GET", base + "/draft-preview?kind=answer", 400).json()["error"]["code"] == (
        "ANSWER_NEEDS_DEFENDANT_CLIENT")
    page = Pages(user).get(f"/cases/{plaintiff['id']}/draft").text
    assert 'data-testid="draft-kind"' not in page  # nothing to choose for a plaintiff client

    base = f"/api/cases/{defendant['id']}"
    counter = user.data("POST", base + "/draft-preview", 201, json={"claims": {"alimony": True}})
    assert counter["kind"] == "counterclaim"
    assert user.call("GET", base + "/draft-preview?kind=answer", 404).json()["error"]["message"].startswith(
        "아직 생성된 답변서 초안이 없습니다.")
    answer = user.data("POST", base + "/draft-preview", 201, json={"kind": "answer"})
    assert answer["kind"] == "answer" and answer["heading"]["title"] == "답  변  서"
    assert "1. 원고의 청구를 기각한다." in answer["draft_text"] and "(을 제1호증" in answer["draft_text"]
    assert user.data("GET", base + "/draft-preview")["draft_id"] == answer["draft_id"]
    assert user.data("GET", base + "/draft-preview?kind=counterclaim")["draft_id"] == counter["draft_id"]
    assert user.data("GET", base + f"/drafts/{answer['draft_id']}")["kind"] == "answer"
    assert [(h["draft_id"], h["kind"]) for h in user.data("GET", base + "/drafts")] == [
        (answer["draft_id"], "answer"), (counter["draft_id"], "counterclaim")]
    assert user.call("POST", base + "/draft-preview", 400, json={"kind": "complaint"}).json()["error"]["code"] == (
        "COMPLAINT_NEEDS_PLAINTIFF_CLIENT")

    latest = user.call("GET", base + "/draft-export", 200).headers["content-disposition"]
    assert 'filename="answer_draft_' in latest and "filename*=UTF-8''" + quote("답변서초안_") in latest
    older = user.call("GET", base + "/draft-export?kind=counterclaim", 200)
    assert "filename*=UTF-8''" + quote("반소장초안_") in older.headers["content-disposition"]
    assert "반소청구취지" in [p.text for p in Document(io.BytesIO(older.content)).paragraphs]

    # The page: a defendant client's lawyer picks 반소장 or 답변서; the shown draft's kind is ticked, and the
    # history and the download follow.
    pages = Pages(user)
    html = pages.get(f"/cases/{defendant['id']}/draft").text
    kinds = re.findall(r'<input type="radio" name="kind" value="(\w+)"( checked)?> ([^<]+)</label>', html)
    assert kinds == [("counterclaim", "", "반소장"), ("answer", " checked", "답변서")]
    assert "답  변  서" in html and f"원고 {OPPONENT}" in html and PREAMBLE in html
    assert re.findall(r'data-kind="(\w+)"> · (\S+) ·', html) == [("answer", "답변서"), ("counterclaim", "반소장")]
    made = pages.post(f"/cases/{defendant['id']}/draft", {"kind": "counterclaim"})
    assert made.status_code == 201 and "반  소  장" in made.text
    assert re.search(r'value="counterclaim" checked', made.text)
    download = re.search(r'id="draft-download"[^>]*href="([^"]+)"', made.text)
    assert download is not None
    docx = pages.get(download.group(1).replace("&amp;", "&"))
    assert 'filename="counterclaim_draft_' in docx.headers["content-disposition"]
    refused_page = pages.post(f"/cases/{plaintiff['id']}/draft", {"kind": "answer"})
    assert refused_page.status_code == 400 and "답변서는 의뢰인이 피고인 사건에서만" in refused_page.text
    # The choice follows the parties: once the client is the defendant, the panel (reloaded when the parties change)
    # offers 반소장 (ticked, the side's default) and 답변서.
    assert 'hx-trigger="leh-parties-changed from:body"' in refused_page.text
    user.data("PUT", f"/api/cases/{plaintiff['id']}/parties", json=DEFENDANT)
    html = pages.get(f"/cases/{plaintiff['id']}/draft").text
    assert re.findall(r'name="kind" value="(\w+)"( checked)?', html) == [("counterclaim", " checked"), ("answer", "")]
