"""The five questions of issue 13 through the API, on evidence processed by the real pipeline in this process.

The demo case (leh/demo) holds 25 December 2023; the issue's realistic case (tests/fixtures/ask/issue13_case: a
chat, a 진술서 whose dated lines are separated by single newlines, a 상해진단서) holds 박수진, 23 March and the
living costs that stopped on 16 March.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from leh.container import Container
from leh.domain.events import parse_events
from leh.pipeline.processor import EvidenceProcessor
from leh.services.ask import NO_ANSWER
from tests.support.live import Api

ISSUE_CASE = Path(__file__).resolve().parent.parent / "fixtures" / "ask" / "issue13_case"


def _case(api: Api, container: Container, files: dict[str, bytes]) -> tuple[str, dict[str, str]]:
    """A case with the files uploaded through the API and processed; (case id, {evidence id: filename})."""
    case_id = api.data("POST", "/api/cases", 201, json={"title": "질문"})["id"]
    names = {}
    for name, data in files.items():
        names[api.data("POST", f"/api/cases/{case_id}/evidence", 201, files={"file": (name, data)})["id"]] = name
    for message in container.queue.receive(max_messages=10):
        for event in parse_events(message.body):
            assert EvidenceProcessor(container).process(event) == "done"
    return case_id, names


def _ask(api: Api, case_id: str, question: str) -> dict:  # type: ignore[type-arg]
    out: dict = api.data("POST", f"/api/cases/{case_id}/ask", json={"question": question})  # type: ignore[type-arg]
    return out


def _cited(out: dict, names: dict[str, str], api: Api) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """(filename, snippet) of each citation, in marker order."""
    return [(names[c["evidence_id"]], c["snippet"]) for c in out["citations"]]


@pytest.fixture
def demo(app_admin_api: Api, container: Container) -> tuple[Api, str, dict[str, str]]:
    demo_dir = resources.files("leh") / "demo"
    files = {n: (demo_dir / n).read_bytes() for n in ("카카오톡_대화_홍길동.txt", "상담메모.txt")}
    return (app_admin_api, *_case(app_admin_api, container, files))


@pytest.fixture
def issue_case(app_admin_api: Api, container: Container) -> tuple[Api, str, dict[str, str]]:
    files = {p.name: p.read_bytes() for p in sorted(ISSUE_CASE.iterdir())}
    return (app_admin_api, *_case(app_admin_api, container, files))


def test_what_happened_on_christmas_day_lists_that_days_evidence_in_order(demo) -> None:  # type: ignore[no-untyped-def]
    api, case_id, names = demo
    out = _ask(api, case_id, "2023년 12월 25일에 무슨 일이 있었나요?")
    lines = out["answer"].split("\n")
    assert lines[0] == "2023년 12월 25일에 관한 증거는 다음과 같습니다(시간순)."
    cited = _cited(out, names, api)
    assert ("카카오톡_대화_홍길동.txt", "한 번만 더 그 얘기 하면 가만 안 둔다") in cited
    assert ("카카오톡_대화_홍길동.txt", "집에 들어가면 다 부숴버릴 거야") in cited
    assert any(n == "상담메모.txt" and s.startswith("2023년 12월 25일 밤") for n, s in cited)
    assert all(n != "카카오톡_대화_홍길동.txt" or "크리스마스 이브" not in s for n, s in cited)  # 24 December is not cited
    assert "- 오후 10:20 홍길동: “한 번만 더 그 얘기 하면 가만 안 둔다” [" in out["answer"]
    assert len(lines) == 1 + len(cited)  # one cited line per event


def test_who_is_park_sujin_gives_the_relation_and_first_and_last_mention(issue_case) -> None:  # type: ignore[no-untyped-def]
    api, case_id, names = issue_case
    out = _ask(api, case_id, "박수진은 누구인가요?")
    cited = _cited(out, names, api)
    assert ("카카오톡_대화_홍길동_2024.txt", "회사 동료야 신경 꺼") in cited
    assert "“회사 동료야 신경 꺼”라고 답했습니다" in out["answer"]
    assert "처음 언급된 것은 2024년 3월 9일 오전 10:00 김영희가 보낸 메시지에 있는 “박수진이 누구야?" in out["answer"]
    assert "마지막으로 언급된 것은 2024년 3월 23일" in out["answer"]
    assert "‘박수진’, ‘수진이’" in out["answer"]


def test_what_happened_on_23_march_cites_that_day_only(issue_case) -> None:  # type: ignore[no-untyped-def]
    api, case_id, names = issue_case
    out = _ask(api, case_id, "3월 23일에 무슨 일이 있었나요?")
    cited = _cited(out, names, api)
    assert ("카카오톡_대화_홍길동_2024.txt", "나 오늘부터 수진이랑 살 거야 짐 가지러 갈게") in cited
    assert ("카카오톡_대화_홍길동_2024.txt", "현관 비밀번호 바꾸지 마") in cited
    assert "“2024년 3월 23일 남편이 박수진과 살겠다며 집을 나갔습니다.”" in out["answer"]  # the 진술서 line, not its others
    assert "3월 2일 밤" not in out["answer"] and all("생활비" not in s for _, s in cited)


def test_since_when_no_living_costs_cites_16_march_as_the_start(issue_case) -> None:  # type: ignore[no-untyped-def]
    api, case_id, names = issue_case
    out = _ask(api, case_id, "언제부터 생활비를 주지 않았나요?")
    first, last = out["answer"].split("\n")[:2]
    assert first == "가장 이른 증거는 2024년 3월 16일 오후 7:00 김영희의 메시지 “이번 달 생활비가 안 들어왔어”입니다 [1]."
    assert last.startswith("가장 늦은 증거는 2024년 4월 6일")
    assert _cited(out, names, api)[0] == ("카카오톡_대화_홍길동_2024.txt", "이번 달 생활비가 안 들어왔어")


def test_the_husbands_salary_is_refused_though_salary_is_mentioned(issue_case) -> None:  # type: ignore[no-untyped-def]
    api, case_id, _ = issue_case
    assert _ask(api, case_id, "남편의 월급은 얼마인가요?") == {"answer": NO_ANSWER, "citations": []}
    assert _ask(api, case_id, "월급 얘기가 나온 적 있나요?")["citations"]  # the word is there: only the amount is not
