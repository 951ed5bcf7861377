"""A link to a draft that is not the case's says so, beside the history to pick from (the lawyer's QA read, D8)."""

from __future__ import annotations

from leh.container import Container
from tests.support.api_case import lawyer

STATEMENT = "진술서\n작성자: 김영희\n\n2024년 3월 2일 밤 남편이 제 뺨을 두 번 때렸습니다.\n"


def test_a_link_to_an_unknown_draft_says_so_beside_the_history(container: Container) -> None:
    # "?draft=1" said "no draft has been made yet" above a history that listed one.
    with lawyer(container, "draftlink@test.local") as me:
        cid = me.new_case()
        me.upload(container, cid, {"진술서.txt": STATEMENT})
        made = me.data("POST", f"/api/cases/{cid}/draft-preview", json={})
        cookie = {"Cookie": f"leh_session={me.token}"}
        panel = me.client.get(f"/cases/{cid}/draft", params={"draft_id": "1"}, headers=cookie).text
        assert "이 링크의 초안을 찾을 수 없습니다" in panel and "아직 생성된 소장 초안이 없습니다" not in panel
        assert made["draft_id"] in panel  # the history lists the real draft to pick
