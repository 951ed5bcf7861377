"""Ask over real HTTP: an answer from the evidence with numbered citations, the exact refusal, 404 for outsiders."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ADMIN, make_user
from tests.support.live import Api, running_leh

CHAT = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 20일 수요일 ---------------
[김영희] [오후 9:00] 남편이 해외 출장 간다고 했어
[홍길동] [오후 9:05] 출장 끝나면 바로 올게
--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:30] 어제 또 때렸잖아 멍 든 거 사진 찍어놨어
[홍길동] [오후 10:40] 남편이 뭘 했다고 그래
"""

NO_ANSWER = "제공된 증거 내에서 해당 사실을 확인할 수 없습니다."


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Api]]:
    with running_leh(tmp_path_factory.mktemp("ask") / "var", workers=1) as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        yield make_user(admin, "ask-a@test.local"), make_user(admin, "ask-b@test.local")


def test_ask_answers_only_from_evidence(env) -> None:  # type: ignore[no-untyped-def]
    lawyer, outsider = env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "질문"})["id"]
    doc = lawyer.data("POST", f"/api/cases/{case}/evidence", 201,
                      files={"file": ("KakaoTalk.txt", CHAT.encode(), "text/plain")})
    assert lawyer.wait_status(doc["id"], {"done", "failed"})["status"] == "done"

    absent = lawyer.data("POST", f"/api/cases/{case}/ask", json={"question": "남편이 해외 도박을 했어?"})
    assert absent == {"answer": NO_ANSWER, "citations": []}

    hit = lawyer.data("POST", f"/api/cases/{case}/ask", json={"question": "남편이 때린 적 있어?"})
    assert hit["citations"] == [{"evidence_id": doc["id"], "seq": 2, "snippet": "어제 또 때렸잖아 멍 든 거 사진 찍어놨어"}]
    assert "2023년 12월 25일 오후 10:30 김영희: “어제 또 때렸잖아 멍 든 거 사진 찍어놨어” [1]" in hit["answer"]

    assert lawyer.call("POST", f"/api/cases/{case}/ask", json={"question": ""}).status_code == 400
    assert outsider.call("POST", f"/api/cases/{case}/ask", json={"question": "남편이 때린 적 있어?"}).status_code == 404
