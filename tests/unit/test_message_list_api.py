"""A typed 문자 내역 uploaded through the API and processed as the worker would: the evidence detail, the evidence
page and the timeline show each row as its sender's message, with the row as written beside it."""

from __future__ import annotations

from leh.container import Container
from tests.support.api_case import lawyer

IN_LAW = """문자 메시지 내역 (국하람 휴대폰, 상대: 시어머니 형말자 010-4471-3925)

2025.05.20 오후 7:41 [수신] 며느리가 애 업고 집을 나가는 법이 어디 있냐. 당장 들어와라
2025.05.25 오전 10:02 [수신] 니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐
2025.06.02 오후 9:40 [발신] 어머님, 그날 일은 남편한테 직접 물어보세요
"""


def test_the_evidence_detail_page_and_timeline_show_the_parsed_sender(container: Container) -> None:
    with lawyer(container, "sms16@test.local") as me:
        parties = {"client": {"name": "국하람", "aliases": ["아내"]}, "opponent": {"name": "호진석", "aliases": ["남편"]}}
        cid = me.new_case(parties)
        (eid,) = me.upload(container, cid, {"문자내역_시어머니.txt": IN_LAW})

        detail = me.data("GET", f"/api/evidence/{eid}")
        insult = next(s for s in detail["segments"] if "가르쳤길래" in s["text"])
        assert (insult["speaker"], insult["kind"], insult["ts"]) == ("시어머니 형말자", "speech", "2025-05-25T10:02:00+09:00")
        assert insult["text"] == "니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐"
        assert insult["ref"]["as_written"] == "2025.05.25 오전 10:02 [수신] 니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐"
        reply = next(s for s in detail["segments"] if "직접 물어보세요" in s["text"])
        assert reply["speaker"] == "국하람"
        assert any(lb["ground"] == "840-3" and insult["seq"] in lb["segments"] for lb in detail["labels"])

        page = me.client.get(f"/cases/{cid}/evidence/{eid}", headers={"Cookie": f"leh_session={me.token}"}).text
        assert '<span class="seg-speaker">시어머니 형말자</span>' in page
        assert "원문 행: 2025.05.25 오전 10:02 [수신] 니 친정에서" in page

        events = [e for e in me.data("GET", f"/api/cases/{cid}/timeline") if insult["seq"] in e["segments"]]
        assert len(events) == 1 and events[0]["ts"] == "2025-05-25T10:02:00+09:00"
        assert "840-3" in events[0]["grounds"] and "시어머니 형말자" in events[0]["description"]
