"""The draft names the parties the lawyer entered and argues for the client on either side (issue #12, item 7):
a plaintiff client files a 소장 citing 갑호증; a defendant client who wants the divorce files a 반소장 (이혼 등
청구의 반소) as 피고(반소원고) against 원고(반소피고), citing 을호증. Checked through the draft service on a real
container (upload, worker, attribution) and in the exported .docx."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document
from sqlalchemy.orm import Session

from leh.analysis import draft_writer as w
from leh.analysis.draft_writer import Claims
from leh.container import Container
from leh.domain import drafting as d
from leh.domain.parties import Child, ClientSide, Parties, Person
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

ALL = Claims(alimony=True, property_division=True, custody=True, child_support=True)
KIDS = [{"name": "김하늘", "birth_year": 2016}, {"name": "김바다", "birth_year": 2019}]
ACCUSATION = "방금 그 말 협박이야. 다 캡처해 둘 거야"


def _section(draft: dict[str, Any], kind: str) -> list[str]:
    return next(s for s in draft["sections"] if s["kind"] == kind)["paragraphs"]


def _docx_text(data: bytes) -> tuple[list[str], list[list[str]], Any]:
    doc = Document(io.BytesIO(data))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return [p.text for p in doc.paragraphs], rows, doc


# ---------------------------------------------------------------- the plaintiff's 소장 with the parties' names
def test_the_complaint_names_the_parties_and_children_and_leaves_the_rest_blank(
        container: Container, db: Session, lawyer: User, case: Case) -> None:  # noqa: F811
    parties_svc.put_parties(db, lawyer, case.id, {**PARTIES, "children": KIDS})
    db.commit()
    upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    draft = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, ALL)
    db.commit()
    assert d.check_consistency(draft) == [] and draft["exhibit_side"] == "갑"
    assert _section(draft, "parties") == [
        f"원      고  {CLIENT} (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "원고 소송대리인  변호사 [성명]",
        f"피      고  {OPPONENT} (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "사건본인 1.  김하늘 (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "사건본인 2.  김바다 (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "[성명은 사건의 당사자 정보에서 가져왔습니다. 주민등록번호·주소·등록기준지는 증거에서 추정하지 않았습니다. "
        "변호사가 직접 기재하십시오.]"]
    claims = _section(draft, "claims")
    assert "4. 사건본인들의 친권자 및 양육자로 원고를 지정한다." in claims
    assert any(line.startswith("5. 피고는 원고에게 사건본인들의 양육비로") and "사건본인들이 각 성년에" in line
               and "사건본인 1인당 월 금 [      ]원씩" in line for line in claims)
    assert "[성명]" not in "\n".join(claims)  # every child is named
    # The names stand in the parties block and the claims only; the body says 원고 / 피고.
    body = "\n".join(p for s in draft["sections"] if s["kind"] not in ("parties", "claims") for p in s["paragraphs"])
    assert f"피고는 “{OPPONENT_THREAT}”" in body and OPPONENT not in body and CLIENT not in body
    assert CLIENT_THREAT not in draft["draft_text"]

    data, _ = draft_svc.export_docx(db, container.evidence, container.docx_renderer, lawyer, case.id)
    paragraphs, rows, _doc = _docx_text(data)
    assert f"원      고  {CLIENT} (주민등록번호 [      ])" in paragraphs and "사건본인 2.  김바다 (주민등록번호 [      ])" in paragraphs
    assert [r[0] for r in rows[1:]] == [e["range_label"] for e in draft["exhibits"]] and rows[1][0].startswith("갑 제1호증")


@pytest.mark.parametrize("kids,custody,support", [
    ([], "사건본인 [성명]의 친권자 및 양육자로 원고를 지정한다.", "사건본인 [성명]의 양육비로"),
    ([Child("김하늘", 2016)], "사건본인 김하늘의 친권자 및 양육자로 원고를 지정한다.", "사건본인 김하늘의 양육비로"),
])
def test_one_child_is_named_in_the_claims_and_none_stays_a_blank(kids: list[Child], custody: str, support: str) -> None:
    parties = Parties(Person(CLIENT), Person(OPPONENT), tuple(kids))
    claims = w.claim_lines(ALL, parties)
    assert f"4. {custody}" in claims
    line = next(x for x in claims if support in x)
    assert line.startswith("5. 피고는 원고에게") and "사건본인이 성년에" in line and "1인당" not in line
    blocks = [x for x in w.parties_lines(ALL, parties) if x.startswith("사건본인")]
    assert blocks == [f"사건본인  {kids[0].name if kids else '[성명]'} (주민등록번호 [      ])"]
    # Without parties nothing is named at all (never a name from the evidence).
    assert w.parties_lines(Claims(), None)[0] == "원      고  [성명] (주민등록번호 [      ])"


# ---------------------------------------------------------------- the defendant's 반소장
COUNTER_CLAIMS = [
    "1. 피고(반소원고)와 원고(반소피고)는 이혼한다.",
    "2. 원고(반소피고)는 피고(반소원고)에게 위자료로 금 [      ]원 및 이에 대하여 이 사건 반소장 부본 송달 다음 날부터 "
    "다 갚는 날까지 연 12%의 비율로 계산한 돈을 지급하라.",
    "3. 원고(반소피고)는 피고(반소원고)에게 재산분할로 금 [      ]원 및 이에 대하여 이 판결 확정 다음 날부터 "
    "다 갚는 날까지 연 5%의 비율로 계산한 돈을 지급하라.",
    "4. 사건본인 김하늘의 친권자 및 양육자로 피고(반소원고)를 지정한다.",
    "5. 원고(반소피고)는 피고(반소원고)에게 사건본인 김하늘의 양육비로 [    ]. [  ]. [  ].부터 사건본인이 성년에 이르기 "
    "전날까지 월 금 [      ]원씩을 매월 말일에 지급하라.",
    "6. 소송비용은 본소와 반소를 합하여 원고(반소피고)가 부담한다.",
    "7. 제2항 및 제5항은 가집행할 수 있다.",
    "라는 판결을 구합니다.",
]


def test_a_defendant_client_files_a_counterclaim_citing_only_the_opponents_acts_as_eul_exhibits(
        container: Container, db: Session, lawyer: User, case: Case) -> None:  # noqa: F811
    # The client 이지은 was sued by 김준호 and wants the divorce herself: she is 피고(반소원고).
    parties_svc.put_parties(db, lawyer, case.id, {**PARTIES, "children": KIDS[:1], "client_side": "defendant"})
    db.commit()
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240305.txt", MUTUAL)
    theirs, mine = seq_of(chat, OPPONENT_THREAT), seq_of(chat, CLIENT_THREAT)
    draft = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, ALL)
    db.commit()
    text = draft["draft_text"]
    assert d.check_consistency(draft, {chat["evidence_id"]: chat}) == []

    assert draft["heading"]["title"] == "반  소  장" and draft["heading"]["case_name"] == "이혼 등 청구의 반소"
    assert "사    건  [      ]드[  ][      ] 이혼 등 (본소)" in text
    assert [s["title"] for s in draft["sections"] if s["level"] == 1] == [
        "당사자의 표시", "반소청구취지", "반소청구원인", "입증방법", "첨부서류"]
    assert _section(draft, "parties")[:8] == [
        f"피고(반소원고)  {CLIENT} (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "피고(반소원고) 소송대리인  변호사 [성명]",
        f"원고(반소피고)  {OPPONENT} (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "사건본인  김하늘 (주민등록번호 [      ])"]
    assert _section(draft, "claims") == COUNTER_CLAIMS
    assert _section(draft, "cause")[0].startswith("피고(반소원고, 이하 '피고'라 합니다)는 원고(반소피고, 이하 '원고'라 "
                                                  "합니다)를 상대로")
    assert "4. 위자료 청구" in text and "[변호사 작성: 원고의 유책 사유" in text

    # Grounds from the opponent's acts only: the opponent is 원고 here, the client's own threat is a risk.
    assert f"원고는 “{OPPONENT_THREAT}”" in text and CLIENT_THREAT not in text
    cited = {q for c in draft["citations"] for q in c["segments"]}
    assert theirs in cited and mine not in cited
    assert [(r["tag"], r["actor"], [s["text"] for s in r["segments"]]) for r in draft["risks"]] == [
        ("협박", "client", [CLIENT_THREAT])]
    # The client (피고) is quoted only where she calls out the opponent's threat, evidence of his act.
    assert re.findall(r"피고는 “([^”]*)”", text) == [ACCUSATION]

    # A defendant's exhibits are 을호증, in the text, the citations, the exhibit list and 입증방법.
    assert draft["exhibit_side"] == "을" and not re.search(r"갑\s*제\s*\d", text)
    assert [e["label"] for e in draft["exhibits"]] == ["을 제1호증"]
    assert all(c["label"].startswith("을 제1호증") for c in draft["citations"])
    assert d.cited_labels(text) and all(lbl.startswith("을 ") for lbl in d.cited_labels(text))
    assert _section(draft, "evidence_list")[0].startswith(draft["exhibits"][0]["range_label"] + "  카카오톡 대화 내역")
    assert "6. 반소장 부본  1통" in _section(draft, "attachments")
    assert draft["closing"][1:] == ["피고(반소원고) 소송대리인 변호사 [성명] (서명 또는 날인)", "[본소가 계속 중인 가정법원] 귀중"]

    data, exported = draft_svc.export_docx(db, container.evidence, container.docx_renderer, lawyer, case.id)
    assert exported["draft_id"] == draft["draft_id"]
    paragraphs, rows, doc = _docx_text(data)
    assert doc.core_properties.title == "반소장 초안"
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["반  소  장"]
    assert "사    건  [      ]드[  ][      ] 이혼 등 (본소)" in paragraphs and "사건명  이혼 등 청구의 반소" in paragraphs
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "반소청구취지" in headings and "반소청구원인" in headings
    assert all(line in paragraphs for line in COUNTER_CLAIMS)
    assert f"원고(반소피고)  {OPPONENT} (주민등록번호 [      ])" in paragraphs
    whole = "\n".join([*paragraphs, *(c for r in rows for c in r)])
    assert not re.search(r"갑\s*제\s*\d", whole) and rows[1][0] == "을 제1호증"
    assert any(f"원고는 “{OPPONENT_THREAT}”" in p and "(을 제1호증" in p for p in paragraphs)
    assert CLIENT_THREAT not in whole


def test_the_consistency_check_refuses_a_plaintiffs_label_in_a_counterclaim() -> None:
    parties = Parties(Person(CLIENT), Person(OPPONENT), (), ClientSide.DEFENDANT)
    segments = [{"seq": 0, "ts": "2024-03-02T22:18:00+09:00", "speaker": OPPONENT, "text": OPPONENT_THREAT,
                 "ref": {}, "kind": "speech"}]
    doc = {"case_id": "c", "evidence_id": "ev-1", "filename": "chat.txt", "type": "kakaotalk", "status": "done",
           "segments": segments, "speakers_map": {OPPONENT: "opponent"}, "uploaded_at": "2024-03-05T00:00:00Z",
           "labels": [{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [0], "actor": "opponent",
                       "favours": "client", "source": "engine"}]}
    draft = draft_svc.build_draft([doc], Claims(), parties=parties)  # type: ignore[list-item]
    assert d.check_consistency(draft) == [] and draft["exhibits"][0]["label"] == "을 제1호증"
    ground = next(s for s in draft["sections"] if s["kind"] == "ground")
    ground["paragraphs"] = [p.replace("을 제1호증", "갑 제1호증") for p in ground["paragraphs"]]
    problems = d.check_consistency({k: v for k, v in draft.items() if k != "draft_text"})
    assert "갑 제1호증 is not an exhibit of side 을" in problems
    # 을 is a particle too: "…을 제출" or a word ending in 갑 is no citation.
    assert d.cited_labels("지갑 제1호증 금액을 제2호증으로") == []
    assert d.cited_labels("(을 제2호증의 1, 갑 제 3 호증)") == ["을 제2호증의 1", "갑 제3호증"]


def test_the_counterclaim_over_the_api_and_its_docx(app_admin_api: Api, container: Container) -> None:
    api_user = make_user(app_admin_api, "counter@test.local")
    made = api_user.data("POST", "/api/cases", 201, json={"title": "반소 사건", "parties": {**PARTIES, "client_side": "defendant"}})
    base = f"/api/cases/{made['id']}"
    api_user.data("POST", base + "/evidence", 201, files={"file": ("KakaoTalk.txt", MUTUAL.encode(), "text/plain")})
    process_all(container)
    draft = api_user.data("POST", base + "/draft-preview", 201, json={"claims": {"alimony": True}})
    assert draft["exhibit_side"] == "을" and draft["heading"]["case_number"].endswith("이혼 등 (본소)")
    assert [e["label"] for e in draft["exhibits"]] == ["을 제1호증"] and "(을 제1호증)" in draft["draft_text"]
    assert api_user.data("GET", base + "/draft-preview")["exhibit_side"] == "을"
    exported = api_user.call("GET", base + "/draft-export", 200)
    assert "filename*=UTF-8''%EB%B0%98%EC%86%8C%EC%9E%A5%EC%B4%88%EC%95%88_" in exported.headers["content-disposition"]  # 반소장초안_
    paragraphs, rows, _doc = _docx_text(exported.content)
    assert "반소청구취지" in paragraphs and rows[1][0] == "을 제1호증"
    assert "1. 피고(반소원고)와 원고(반소피고)는 이혼한다." in paragraphs
    # The case page's draft panel shows the same 반소장.
    html = Pages(api_user).get(f"/cases/{made['id']}/draft").text
    assert "반  소  장" in html and "사건 [      ]드[  ][      ] 이혼 등 (본소)" in html
    assert "반소청구취지" in html and "(을 제1호증)" in html and "갑 제" not in html
    page_docx = Pages(api_user).get(f"/cases/{made['id']}/draft.docx")
    assert 'filename="counterclaim_draft_' in page_docx.headers["content-disposition"]
