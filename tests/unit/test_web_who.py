"""Who-is-who page routes in process: membership and roles, CSRF, Korean validation beside the forms, the
segment list parser, and the transcript-line correction (only where an engine read the line)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from leh.container import Container
from leh.domain.errors import ValidationFailed
from leh.domain.evidence import new_evidence_doc
from leh.web.pages.who import label_text, parse_segments
from tests.conftest import make_user
from tests.support.live import Api


class Pages:
    """A signed-in browser's page requests: the session cookie, and the CSRF cookie + header on posts."""

    def __init__(self, api: Api):
        from leh.api.deps import csrf_for_session
        from leh.services.accounts import decode_token

        self.api = api
        # The CSRF token is bound to the session (what the page would render for this sign-in).
        settings = api.http.app.state.container.settings  # type: ignore[attr-defined]
        self.csrf = csrf_for_session(settings, str(decode_token(str(api.token), settings)["jti"]))

    def _headers(self, csrf: bool = True) -> dict[str, str]:
        cookie = f"leh_session={self.api.token}; leh_csrf={self.csrf}"
        return {"Cookie": cookie, **({"x-csrf-token": self.csrf} if csrf else {}), "hx-request": "true"}

    def get(self, path: str) -> Any:
        return self.api.http.get(path, headers=self._headers(False))

    def post(self, path: str, data: dict[str, Any], *, csrf: bool = True) -> Any:
        return self.api.http.post(path, data=data, headers=self._headers(csrf), follow_redirects=False)


@pytest.fixture
def people(app_admin_api: Api) -> dict[str, Pages]:
    out = {}
    for who in ("owner", "viewer", "stranger"):
        out[who] = Pages(make_user(app_admin_api, f"{who}-{uuid.uuid4().hex[:6]}@test.local", "lawyer"))
    return out


def _case(people: dict[str, Pages]) -> str:
    case = people["owner"].api.data("POST", "/api/cases", 201, json={"title": "당사자 화면"})
    viewer_email = people["viewer"].api.data("GET", "/api/auth/me")["email"]
    people["owner"].api.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": viewer_email, "role": "viewer"})
    return str(case["id"])


def test_panels_guard_membership_roles_and_csrf(people: dict[str, Pages]) -> None:
    case_id = _case(people)
    owner, viewer, stranger = people["owner"], people["viewer"], people["stranger"]
    for path in ("parties", "risks", "members"):
        assert stranger.get(f"/cases/{case_id}/{path}").status_code == 404
    assert stranger.post(f"/cases/{case_id}/parties", {"client_name": "가"}).status_code == 404

    # The viewer reads, and is refused every change (no edit form even when asked for one).
    page = viewer.get(f"/cases/{case_id}/parties?edit=1")
    assert page.status_code == 200 and 'data-testid="parties-form"' not in page.text and "parties-edit" not in page.text
    members = viewer.get(f"/cases/{case_id}/members").text
    assert "member-add" not in members and 'data-testid="member-role-text"' in members
    assert viewer.post(f"/cases/{case_id}/parties", {"client_name": "가"}).status_code == 403
    assert viewer.post(f"/cases/{case_id}/members", {"email": "x@test.local", "role": "member"}).status_code == 403
    assert owner.post(f"/cases/{case_id}/parties", {"client_name": "가"}, csrf=False).status_code == 403

    # Validation in Korean beside the form (the panel's own HTML, marked for htmx to swap in).
    bad = owner.post(f"/cases/{case_id}/parties", {"client_name": "이지은", "child_name_0": "김하늘", "child_year_0": "20x6"})
    assert bad.status_code == 400 and bad.headers["x-leh-partial"] == "error"
    assert "출생연도" in bad.text and 'value="20x6"' in bad.text and 'value="이지은"' in bad.text
    ok = owner.post(f"/cases/{case_id}/parties", {"client_name": "이지은", "client_aliases": "지은, 아내",
                                                 "opponent_name": "김준호", "client_side": "defendant"})
    assert ok.status_code == 200 and ok.headers["hx-trigger"] == "leh-parties-changed"
    assert owner.api.data("GET", f"/api/cases/{case_id}/parties") == {
        "client": {"name": "이지은", "aliases": ["지은", "아내"]}, "opponent": {"name": "김준호", "aliases": []},
        "children": [], "client_side": "defendant"}
    assert "(피고)" in ok.text and "(원고)" in ok.text

    # Unknown address: invited, with the same answer a known one gets (nothing tells which addresses have accounts).
    unknown = owner.post(f"/cases/{case_id}/members", {"email": "nobody@test.local", "role": "member"})
    assert unknown.status_code == 200 and "구성원을 추가했습니다." in unknown.text
    assert "사용자를 찾을 수 없습니다" not in unknown.text
    # The last owner cannot hand the case away by re-adding themselves with another role.
    me = owner.api.data("GET", "/api/auth/me")
    demoted = owner.post(f"/cases/{case_id}/members", {"email": me["email"], "role": "viewer"})
    assert demoted.status_code == 400 and "마지막 담당자" in demoted.text
    assert owner.post(f"/cases/{case_id}/members/{me['id']}/role", {"role": "member"}).status_code == 400
    assert {m["email"]: m["role"] for m in owner.api.data("GET", f"/api/cases/{case_id}/members")}[me["email"]] == "owner"


def test_segment_correction_only_where_an_engine_read_the_line(people: dict[str, Pages], container: Container) -> None:
    case_id = _case(people)
    owner, viewer = people["owner"], people["viewer"]
    docs = {}
    for type_, name, ref in (("image", "진단서.png", {"conf": 0.5}), ("kakaotalk", "대화.txt", {"line": 4})):
        d = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.uuid4()), filename=name, size=10, uploaded_by="u")
        d.update(status="done", type=type_, labels=[], segments=[
            {"seq": 0, "ts": None, "speaker": None, "text": "상해진단서 전치 3주", "ref": ref, "kind": "text"}])
        container.evidence.put(d)
        docs[type_] = d["evidence_id"]
    image = f"/cases/{case_id}/evidence/{docs['image']}"
    page = owner.get(image).text
    assert 'data-testid="seg-fix"' in page and 'data-testid="seg-original"' not in page
    assert 'data-testid="seg-fix"' not in viewer.get(image).text

    form = owner.get(f"{image}/segments/0/edit")
    assert form.status_code == 200 and "상해진단서 전치 3주</textarea>" in form.text and 'data-testid="seg-fix-form"' in form.text
    assert viewer.get(f"{image}/segments/0/edit").status_code == 403
    assert owner.get(f"/cases/{case_id}/evidence/{docs['kakaotalk']}/segments/0/edit").status_code == 400
    done = owner.post(f"{image}/segments/0", {"text": "상해진단서 전치 4주"})
    assert done.status_code == 303 and done.headers["location"] == f"{image}?seq=0&notice=segment&at=seg-0#seg-0"
    page = owner.get(done.headers["location"]).text
    assert "상해진단서 전치 4주" in page and 'data-testid="seg-original"' in page and "문장 수정을 저장했습니다" in page
    assert container.evidence.get(docs["image"])["segments"][0]["original_text"] == "상해진단서 전치 3주"  # type: ignore[index]

    chat = f"/cases/{case_id}/evidence/{docs['kakaotalk']}"
    assert 'data-testid="seg-fix"' not in owner.get(chat).text
    refused = owner.post(f"{chat}/segments/0", {"text": "바꾼 말"})
    assert refused.headers["location"] == f"{chat}?seq=0&error=SEGMENT_NOT_CORRECTABLE&at=seg-0#seg-0"
    shown = owner.get(refused.headers["location"]).text  # beside the segment, not at the top of the page
    assert shown.index("원본 파일의 글자 그대로라 고칠 수 없습니다") > shown.index('id="seg-0"')
    assert "원본 파일의 글자 그대로라 고칠 수 없습니다" in owner.get(f"{chat}?error=SEGMENT_NOT_CORRECTABLE").text
    assert "&lt;script" not in owner.get(f"{chat}?error=%3Cscript%3E").text  # only known codes are shown
    assert viewer.post(f"{chat}/labels", {"op": "add", "ground": "840-3", "segments": "0"}).status_code == 403


def test_segment_list_and_label_words() -> None:
    assert parse_segments("3, 5-7 9~8") == [3, 5, 6, 7, 8, 9]
    with pytest.raises(ValidationFailed) as bad:
        parse_segments("3, 다섯")
    assert bad.value.code == "SEGMENT_RANGE_INVALID"
    assert label_text({"actor": "opponent", "favours": "client"}) == "상대방의 행위 · 의뢰인에게 유리"
    assert label_text({"actor": "client", "favours": "opponent"}) == "의뢰인의 행위 · 불리한 증거"
    assert label_text({"ground": "840-3"}) == ""
    assert label_text({"actor": "third_party", "actor_side": "opponent", "favours": "client"}) == (
        "제3자(상대방 측)의 행위 · 의뢰인에게 유리")
