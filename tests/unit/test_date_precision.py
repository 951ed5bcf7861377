"""A day-only fact is never shown with a time; relative dates are resolved and marked inferred (issue #13).

The end-to-end test uploads a 진술서 and a KakaoTalk chat through the API, runs the worker's processor in this
process, and reads the timeline, the evidence detail, search hits and the draft as a client would.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from leh.analysis.relative_dates import annotate_relative_dates, resolve_relative
from leh.analysis.summary import when
from leh.api.app import create_app
from leh.container import Container
from leh.domain.dates import format_ts, precision_of, sort_instant
from leh.domain.draft.dates import format_date
from leh.domain.events import parse_events
from leh.domain.evidence import new_evidence_doc
from leh.pipeline.parsers import kakaotalk
from leh.pipeline.processor import EvidenceProcessor
from leh.services import accounts
from leh.services.timeline import case_timeline
from tests.support.api_case import lawyer

KST = ZoneInfo("Asia/Seoul")
NIGHT = "2023-12-25T00:00:00+09:00"


def test_format_ts_never_invents_a_time() -> None:
    assert format_ts(NIGHT, "day", "밤") == "2023. 12. 25. (밤)"
    assert format_ts(NIGHT, "day") == "2023. 12. 25."
    assert format_ts(NIGHT, "day", "밤", style="korean") == "2023년 12월 25일 밤"
    assert format_ts(NIGHT, "day", "밤", style="iso") == "2023-12-25 (밤)"
    assert format_ts("2023-12-25T22:20:05+09:00", "second") == "2023. 12. 25. 22:20"
    assert format_ts("2023-12-25T22:20:05+09:00", "second", seconds=True) == "2023. 12. 25. 22:20:05"
    # A real midnight message (minute precision) keeps its 00:00; a stored time without precision at midnight is a day.
    assert format_ts("2023-12-25T00:00:00+09:00", "minute") == "2023. 12. 25. 00:00"
    assert precision_of(NIGHT) == "day" and precision_of("2023-12-25T00:05:00+09:00") == "minute"
    assert format_ts("2024-03-09T00:00:00+09:00", "day", "밤", inferred=True) == "2024. 3. 9. (밤) (추정)"
    assert format_ts(None) is None and format_ts("nonsense") is None
    # The analysis sentences and the draft use the same rule.
    assert when(NIGHT, "day", "밤") == "2023-12-25 (밤)"
    assert format_date(NIGHT, precision="day", part_of_day="밤") == "2023년 12월 25일 밤"
    assert format_date("2023-12-25T22:20:00+09:00") == "2023년 12월 25일 22:20"


def test_a_day_only_event_sorts_at_its_part_of_day_else_first_in_its_day() -> None:
    evening = sort_instant("2023-12-25T21:00:00+09:00", "minute")
    night = sort_instant(NIGHT, "day", "밤")
    day = sort_instant(NIGHT, "day")
    morning = sort_instant("2023-12-25T07:00:00+09:00", "minute")
    assert day is not None and night is not None and evening is not None and morning is not None
    assert day < morning < evening < night


def test_relative_dates_resolve_against_the_message_date_and_are_marked_inferred() -> None:
    lines = ["홍길동 님과 카카오톡 대화", "저장한 날짜 : 2024-03-11 09:00:00", "",
             "--------------- 2024년 3월 10일 일요일 ---------------",
             "[김영희] [오후 10:05] 어제 밤에 때렸잖아",
             "[홍길동] [오후 10:06] 지난주 금요일에 네가 먼저 소리 질렀지",
             "[김영희] [오후 10:07] 3월 9일 어제 밤에도 그랬어",
             "[김영희] [오후 10:08] 2024년 3월 8일에도 그랬어. 그저께도 그랬고"]
    result = kakaotalk.parse_lines(iter(lines), "Asia/Seoul")
    segments = [s.to_dict() for s in result.segments]
    assert annotate_relative_dates(segments) == 4
    first, second, third, fourth = segments
    assert first["ts"] == "2024-03-10T22:05:00+09:00"  # the message's own time is never replaced
    assert first["refers_to"] == {"ts": "2024-03-09T00:00:00+09:00", "precision": "day", "phrase": "어제 밤",
                                  "inferred": True, "part_of_day": "밤"}
    assert second["refers_to"]["ts"] == "2024-03-01T00:00:00+09:00"  # weeks start on Monday
    # A date written beside the relative words wins over them; without its year it is itself an inference.
    assert (third["refers_to"]["ts"], third["refers_to"]["phrase"]) == ("2024-03-09T00:00:00+09:00", "3월 9일")
    assert fourth["refers_to"]["ts"] == "2024-03-08T00:00:00+09:00"  # a date in another sentence does not
    # A document line under a dated heading counts from the heading's day.
    statement = [{"seq": 0, "text": "2024년 3월 10일\n어제 남편이 때렸다.", "ts": "2024-03-10T00:00:00+09:00",
                  "ts_precision": "day", "kind": "text"}]
    assert annotate_relative_dates(statement) == 1
    assert statement[0]["refers_to"]["ts"] == "2024-03-09T00:00:00+09:00"
    base = datetime(2024, 3, 10, 22, 5, tzinfo=KST)
    assert resolve_relative("그저께 병원에 갔어", base)["ts"] == "2024-03-08T00:00:00+09:00"  # type: ignore[index]
    assert resolve_relative("오늘 늦어?", base) is None  # says no more than the message's own date
    assert resolve_relative("오늘 밤에 들어가면 알아서 해", base)["part_of_day"] == "밤"  # type: ignore[index]
    assert resolve_relative("오늘날 누가 그래", base) is None and resolve_relative("그제서야 알았어", base) is None
    undated = [{"seq": 0, "text": "어제 때렸잖아", "ts": None, "kind": "text"}]
    assert annotate_relative_dates(undated) == 0 and "refers_to" not in undated[0]  # nothing to count from


def test_a_day_written_without_its_year_is_resolved_from_the_segments_date_and_marked_inferred() -> None:
    # A statement written on 20 July tells of "5월 3일" and "12월 25일 밤": this May, last December.
    statement = [{"seq": 0, "text": "저도 5월 3일 화가 나서 욕설을 했습니다.", "ts": "2024-07-20T00:00:00+09:00", "kind": "text"},
                 {"seq": 1, "text": "12월 25일 밤 남편이 때렸습니다.", "ts": "2024-07-20T00:00:00+09:00", "kind": "text"},
                 {"seq": 2, "text": "2023년 5월 3일 남편이 나갔다.", "ts": "2023-05-03T00:00:00+09:00", "kind": "text"}]
    assert annotate_relative_dates(statement) == 2
    assert statement[0]["refers_to"] == {"ts": "2024-05-03T00:00:00+09:00", "precision": "day", "phrase": "5월 3일",
                                         "inferred": True}
    assert statement[1]["refers_to"]["ts"] == "2023-12-25T00:00:00+09:00"
    assert statement[1]["refers_to"]["part_of_day"] == "밤"
    assert "refers_to" not in statement[2]  # a date with its year is the segment's own date, not an inference
    # A chat message may speak of a day to come: the nearest one, either way.
    chat = [{"seq": 0, "text": "3월 9일에 법원 가자", "ts": "2024-03-01T10:00:00+09:00", "kind": "speech"},
            {"seq": 1, "text": "12월 28일에 뭐 했어?", "ts": "2024-01-03T10:00:00+09:00", "kind": "speech"},
            {"seq": 2, "text": "2월 30일", "ts": "2024-01-03T10:00:00+09:00", "kind": "speech"}]
    assert annotate_relative_dates(chat) == 2
    assert [c.get("refers_to", {}).get("ts") for c in chat] == [
        "2024-03-09T00:00:00+09:00", "2023-12-28T00:00:00+09:00", None]


def test_timeline_service_orders_mixed_precision_and_labels_it(container: Container) -> None:
    case = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case, evidence_id=str(uuid.uuid4()), filename="s.txt", size=1, uploaded_by="u")
    doc.update(status="done", timeline=[
        {"ts": "2023-12-25T23:30:00+09:00", "description": "b", "grounds": [], "segments": [2], "ts_precision": "minute"},
        {"ts": NIGHT, "description": "a", "grounds": [], "segments": [1], "ts_precision": "day", "ts_part_of_day": "밤"},
        {"ts": NIGHT, "description": "c", "grounds": [], "segments": [0], "ts_precision": "day"},
        {"ts": "2023-12-25T08:00:00+09:00", "description": "d", "grounds": [], "segments": [3]},
    ])
    container.evidence.put(doc)
    items = case_timeline(container.evidence, case, timezone=container.settings.timezone)
    assert [(i["description"], i["ts_label"]) for i in items] == [
        ("c", "2023. 12. 25."), ("d", "2023. 12. 25. 08:00"), ("a", "2023. 12. 25. (밤)"), ("b", "2023. 12. 25. 23:30")]


STATEMENT = """진술서

2023년 12월 25일 밤 남편이 제 뺨을 때렸습니다.
2024. 1. 3. 남편이 죽여버린다고 협박했습니다.
"""

CHAT = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-03-11 09:00:00

--------------- 2024년 3월 10일 일요일 ---------------
[김영희] [오후 10:05] 어제 밤에 때렸잖아
[홍길동] [오후 10:06] 한 번만 더 그 얘기 하면 가만 안 둔다
"""


def _process_all(container: Container) -> None:
    for message in container.queue.receive(max_messages=10):
        for event in parse_events(message.body):
            assert EvidenceProcessor(container).process(event) == "done"


def _strings(value: object) -> list[str]:
    """Every string a person reads inside a JSON value (not the machine `ts`, which carries `ts_precision`)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "ts" for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_a_day_only_fact_reads_as_a_day_in_the_timeline_evidence_search_and_draft(container: Container) -> None:
    with container.sessions() as db:
        user = accounts.create_user(db, email="dates@test.local", password="password-123", role="lawyer")
        db.commit()
        token = accounts.issue_token(user, container.settings).access_token
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(container)) as client:
        cid = client.post("/api/cases", json={"title": "김영희 사건"}, headers=auth).json()["data"]["id"]
        statement_id = client.post(f"/api/cases/{cid}/evidence", files={"file": ("진술서.txt", STATEMENT.encode())},
                                   headers=auth).json()["data"]["evidence_id"]
        chat_id = client.post(f"/api/cases/{cid}/evidence", files={"file": ("chat.txt", CHAT.encode())},
                              headers=auth).json()["data"]["evidence_id"]
        _process_all(container)

        detail = client.get(f"/api/evidence/{statement_id}", headers=auth).json()["data"]
        night = detail["segments"][1]
        assert (night["ts"], night["ts_precision"], night["ts_part_of_day"]) == (NIGHT, "day", "밤")
        assert detail["event_time"] == NIGHT and detail["event_time_precision"] == "day"
        assert night["ts_label"] == "2023. 12. 25. (밤)" and detail["event_time_label"] == "2023. 12. 25. (밤)"
        assert detail["timeline"][0]["ts_label"] == "2023. 12. 25. (밤)"
        shown = {k: detail[k] for k in ("summary", "insights", "timeline", "segments", "event_time_label")}
        assert not any("00:00" in s for s in _strings(shown))
        chat = client.get(f"/api/evidence/{chat_id}", headers=auth).json()["data"]
        assert chat["segments"][0]["ts_label"] == "2024. 3. 10. 22:05"
        assert chat["segments"][0]["refers_to_label"] == "2024. 3. 9. (밤) (추정)"
        assert detail["timeline"] and all(e["ts_precision"] == "day" for e in detail["timeline"])
        readable = [detail["summary"], *detail["insights"], *(e["description"] for e in detail["timeline"])]
        assert any("2023-12-25 (밤)" in text for text in readable)
        assert not any("00:00" in text for text in readable)

        items = client.get(f"/api/cases/{cid}/timeline", headers=auth).json()["data"]
        mine = [i for i in items if i["evidence_id"] == statement_id]
        assert mine[0]["ts_label"] == "2023. 12. 25. (밤)" and mine[0]["ts_precision"] == "day"
        assert not any("00:00" in s for i in mine for s in _strings(i))
        hit = next(i for i in items if i["evidence_id"] == chat_id and i.get("refers_to"))
        assert hit["ts_label"] == "2024. 3. 10. 22:05"  # the message's own time stays
        assert hit["refers_to"]["ts"] == "2024-03-09T00:00:00+09:00" and hit["refers_to"]["inferred"] is True
        assert hit["refers_to_label"] == "2024. 3. 9. (밤) (추정)"
        # Mixed precision in one list: the day-only 밤 of 25 Dec sorts before 3 Jan and the chat of March.
        assert [i["ts"][:10] for i in items if i["ts"]] == sorted(i["ts"][:10] for i in items if i["ts"])

        hits = client.get(f"/api/cases/{cid}/search", params={"q": "뺨을"}, headers=auth).json()["data"]
        assert hits and hits[0]["evidence_id"] == statement_id
        assert hits[0]["ts_precision"] == "day" and hits[0]["ts_label"] == "2023. 12. 25."

        draft = client.post(f"/api/cases/{cid}/draft-preview", json={}, headers=auth).json()["data"]
        assert "2023년 12월 25일 밤" in draft["draft_text"]
        assert "00:00" not in draft["draft_text"]
        assert "00:00" not in json.dumps(draft["citations"], ensure_ascii=False)


def test_the_web_date_filter_respects_precision() -> None:
    from leh.web.pages.common import fmt_datetime

    assert fmt_datetime({"ts": NIGHT, "ts_precision": "day", "ts_part_of_day": "밤"}) == "2023-12-25 (밤)"
    assert fmt_datetime(NIGHT) == "2023-12-25"  # a stored evidence time at midnight without precision: a day
    assert fmt_datetime(NIGHT, "minute") == "2023-12-25 00:00"  # a message really sent at midnight
    assert fmt_datetime("2023-12-25T22:20:00+09:00") == "2023-12-25 22:20"
    assert fmt_datetime("2024-01-05T00:00:00.000+00:00") == "2024-01-05 09:00"  # a system clock, in Korean time


JUNE = "2024-06-01T00:00:00+09:00"


def test_a_month_only_fact_reads_as_its_month_everywhere() -> None:
    from leh.domain.draft.dates import short_date
    from leh.domain.draft.exhibits import evidence_dates
    from leh.web.pages.common import fmt_datetime

    assert format_ts(JUNE, "month") == "2024. 6."
    assert format_ts(JUNE, "month", "밤", style="korean") == "2024년 6월"  # a part of day belongs to a day
    assert format_ts(JUNE, "month", style="iso") == "2024-06"
    assert format_date(JUNE, precision="month") == "2024년 6월"
    assert format_date(JUNE, precision="month", with_time=False) == "2024년 6월"
    assert fmt_datetime({"ts": JUNE, "ts_precision": "month"}) == "2024-06"
    assert precision_of(JUNE, "month") == "month" and precision_of(JUNE) == "day"
    # It sorts at the start of its month: before the days of June, after May.
    assert sort_instant(JUNE, "month") == datetime(2024, 6, 1, tzinfo=KST)
    assert short_date("2024-06") == "2024. 6." and short_date("2024-06-03T00:00:00+09:00") == "2024. 6. 3."
    doc = new_evidence_doc(case_id="c", evidence_id="e", filename="s.txt", size=1, uploaded_by="u")
    doc.update(event_time=JUNE, event_time_precision="month", segments=[
        {"seq": 0, "text": "a", "ts": JUNE, "ts_precision": "month"},
        {"seq": 1, "text": "b", "ts": "2024-07-02T00:00:00+09:00", "ts_precision": "day"}])
    assert evidence_dates(doc) == ("2024-06", "2024-07-02")


def test_find_month_needs_one_month_and_no_day() -> None:
    from leh.pipeline.parsers.dates import find_month

    found = find_month("2024년 6월부터 남편은 생활비를 주지 않았습니다.")
    assert found is not None and (found.iso, found.precision) == (JUNE, "month")
    assert find_month("2024년 6월 3일 남편이 집을 나갔습니다.") is None  # a day is find_dated's
    assert find_month("2024년 6월부터 2024년 9월까지 별거했습니다.") is None  # two months: no one date
    assert find_month("6월부터 연락이 없습니다.") is None  # no year: nothing to date it by
    assert find_month("2024년 13월") is None


MONTH_STATEMENT = """진술서
작성일: 2024년 9월 20일
작성자: 김영희

2024년 5월 2일 남편이 제 뺨을 때렸습니다.
2024년 6월부터 남편은 생활비를 한 푼도 주지 않았습니다.
저도 5월 3일 남편에게 소리를 지른 적이 있습니다.
"""


def test_a_line_dated_by_its_month_is_that_month_not_the_papers_day(container: Container) -> None:
    with lawyer(container, "months@test.local") as me:
        parties = {"client": {"name": "김영희", "aliases": ["아내"]}, "opponent": {"name": "박철수", "aliases": ["남편"]}}
        cid = me.new_case(parties)
        (eid,) = me.upload(container, cid, {"진술서.txt": MONTH_STATEMENT})

        detail = me.data("GET", f"/api/evidence/{eid}")
        month = next(s for s in detail["segments"] if "생활비" in s["text"])
        assert (month["ts"], month["ts_precision"], month["ts_label"]) == (JUNE, "month", "2024. 6.")
        day = next(s for s in detail["segments"] if "뺨" in s["text"])
        assert (day["ts_precision"], day["ts_label"]) == ("day", "2024. 5. 2.")

        items = [i for i in me.data("GET", f"/api/cases/{cid}/timeline") if month["seq"] in i["segments"]]
        assert len(items) == 1 and items[0]["segments"] == [month["seq"]]  # its own event, not merged
        assert (items[0]["ts_precision"], items[0]["ts_label"]) == ("month", "2024. 6.")

        hits = me.data("GET", f"/api/cases/{cid}/search", params={"q": "생활비"})
        assert hits and (hits[0]["seq"], hits[0]["ts_precision"], hits[0]["ts_label"]) == (month["seq"], "month", "2024. 6.")

        # The evidence page: the month alone, and the day a year-less "5월 3일" names, worked out and marked.
        page = me.client.get(f"/cases/{cid}/evidence/{eid}", headers={"Cookie": f"leh_session={me.token}"}).text
        assert f'<time datetime="{JUNE}">2024-06</time>' in page
        assert "→ 2024. 5. 3. (추정)" in page

        draft = me.data("POST", f"/api/cases/{cid}/draft-preview", json={})["draft_text"]
        assert "2024년 6월경" in draft
        assert "2024년 6월 1일" not in draft
        # The writer's own "저도 … 소리를 지른 적이" is hers (작성자 김영희, the client): a risk, not a ground.
        assert "소리를 지른" not in draft
        risks = me.data("GET", f"/api/cases/{cid}/risks")
        assert [s["text"] for r in risks for s in r["segments"]] == ["저도 5월 3일 남편에게 소리를 지른 적이 있습니다."]
