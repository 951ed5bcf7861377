"""Timeline over real HTTP: events from the worker's analysis, date-ordered across evidence, filters, 404s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ADMIN, make_user
from tests.support.live import Api, running_leh

DEC = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?
[홍길동] [오후 10:20] 한 번만 더 그 얘기 하면 가만 안 둔다
[홍길동] [오후 10:21] 집에 들어가면 다 부숴버릴 거야
--------------- 2024년 2월 3일 토요일 ---------------
[김영희] [오후 1:00] 도박으로 또 2천만원 날렸더라
"""

NOV = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2023-11-30 09:00:00

--------------- 2023년 11월 11일 토요일 ---------------
[김영희] [오전 9:00] 어제 나를 벽에 밀쳤잖아
[홍길동] [오전 9:30] 오늘 저녁 뭐 먹을까
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Api]]:
    with running_leh(tmp_path_factory.mktemp("timeline") / "var", workers=1) as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        yield make_user(admin, "tl-a@test.local"), make_user(admin, "tl-b@test.local")


def test_timeline_orders_events_across_evidence_and_filters(env) -> None:  # type: ignore[no-untyped-def]
    lawyer, outsider = env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "타임라인"})["id"]
    ids = {}
    for name, text in (("dec.txt", DEC), ("nov.txt", NOV)):  # uploaded out of date order on purpose
        doc = lawyer.data("POST", f"/api/cases/{case}/evidence", 201, files={"file": (name, text.encode(), "text/plain")})
        ids[name] = doc["id"]
    for eid in ids.values():
        assert lawyer.wait_status(eid, {"done", "failed"})["status"] == "done"

    tl = lawyer.data("GET", f"/api/cases/{case}/timeline")
    assert [(e["evidence_id"], e["ts"], e["segments"]) for e in tl] == [
        (ids["nov.txt"], "2023-11-11T09:00:00+09:00", [0]),
        (ids["dec.txt"], "2023-12-25T22:20:00+09:00", [1, 2]),
        (ids["dec.txt"], "2024-02-03T13:00:00+09:00", [3]),
    ]
    assert tl[1]["grounds"] == ["840-3"] and tl[1]["description"].startswith("홍길동이 협박성 발언을 함")
    assert tl[2]["grounds"] == ["840-6"] and "김영희가 도박에 관해 언급함" in tl[2]["description"]
    assert lawyer.data("GET", f"/api/cases/{case}/timeline") == tl  # stable between requests

    assert [e["segments"] for e in lawyer.data("GET", f"/api/cases/{case}/timeline", params={"ground": "840-6"})] == [[3]]
    dated = lawyer.data("GET", f"/api/cases/{case}/timeline", params={"from": "2023-12-01", "to": "2023-12-31"})
    assert [e["ts"] for e in dated] == ["2023-12-25T22:20:00+09:00"]
    assert lawyer.call("GET", f"/api/cases/{case}/timeline", params={"from": "어제"}).status_code == 400
    assert outsider.call("GET", f"/api/cases/{case}/timeline").status_code == 404

    # the evidence document itself carries the analysis the timeline was built from
    doc = lawyer.data("GET", f"/api/evidence/{ids['dec.txt']}")
    assert {(lb["ground"], lb["tag"]) for lb in doc["labels"]} == {("840-3", "협박"), ("840-6", "도박")}
    assert doc["summary"].startswith("2023-12-25 22:20, 홍길동이 협박성 발언을 함")
    assert any(i.startswith("협박: 2023-12-25 22:20 홍길동") for i in doc["insights"])
