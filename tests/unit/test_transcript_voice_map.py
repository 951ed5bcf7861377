"""A 녹취록 typed into a document: its numbered voices (화자1, 화자2 …) are speakers the lawyer confirms like a chat's.

Before, a transcript's only speaker on the evidence page was "작성자", so a voice that no key line names spoke as the
client who recorded it: an unkeyed "화자1: 너 오늘부로 이 집에서 나가" was the client's own 840-2, a risk, and the
lawyer could not say who 화자1 was. Now each voice is offered with what the key lines write of it, and the lawyer's
word decides whose act its turns are (issue #12 item 2)."""

from __future__ import annotations

from typing import Any

from leh.analysis.analyzer import analyze_document
from leh.analysis.speakers import suggest_speakers_map, voice_names
from leh.container import Container
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from leh.pipeline.parsers.text import parse_paragraphs
from leh.services.rederive import attribute_analysis
from tests.conftest import make_user
from tests.support.live import Api
from tests.unit.test_parties import process_all
from tests.unit.test_web_who import Pages

# The client is the husband (원고); his wife is the opponent.
HUSBAND_CLIENT = Parties(Person("마태윤", ("태윤", "남편")), Person("구세린", ("세린", "아내")))

KEYED = """녹 취 록
녹음 일시: 2025. 10. 4. 21:10경
화자1 이름: 구세린 (피고, 아내)
화자2 이름: 마태윤 (원고, 남편)
화자3: 마은호 (아들, 8세)
화자4: 구세린의 모

화자1: 당장 이 집에서 나가. 다시는 들어오지 마
화자4: 자네 같은 사람한테 우리 딸을 준 게 잘못이지
화자3: 엄마 그만해
화자5: 아랫집인데요 밤에 좀 조용히 해 주세요
화자2: 애 앞에서 이러지 말자
"""

# No key lines: nobody but the lawyer can say who the voices are.
UNKEYED = """녹취록
화자1: 너 오늘부로 이 집에서 나가. 짐은 내가 싸서 내놓을 테니까
화자2: 애들 자고 있어. 목소리 좀 낮춰
화자1: 내 집에서 내 맘대로 하는데 무슨 상관이야
"""
EVICTION = "화자1: 너 오늘부로 이 집에서 나가. 짐은 내가 싸서 내놓을 테니까"


def _segments(text: str) -> list[dict[str, Any]]:
    result = parse_paragraphs(text.split("\n"))
    return [{"seq": s.seq, "ts": s.ts, "speaker": s.speaker, "text": s.text, "kind": s.kind} for s in result.segments]


def _acts(text: str, lawyer: dict[str, str] | None = None) -> set[tuple[str, str, str]]:
    segments = _segments(text)
    derived = attribute_analysis(segments, analyze_document(segments, event_time=None),  # type: ignore[arg-type]
                                 HUSBAND_CLIENT, current_map=lawyer, confirmed=lawyer is not None)
    by_seq = {s["seq"]: s["text"] for s in segments}
    return {(by_seq[seq], lb["ground"], lb["actor"]) for lb in derived["labels"] for seq in lb["segments"]}


def test_a_transcripts_voices_are_offered_with_what_its_key_lines_say_of_them() -> None:
    segments = _segments(KEYED)
    assert suggest_speakers_map(segments, HUSBAND_CLIENT) == {
        AUTHOR_KEY: "client", "화자1": "opponent", "화자2": "client",
        "화자3": "third_party",  # a child the key names by relation
        "화자4": "opponent_parent",  # "구세린의 모": the opponent's mother
        "화자5": "unknown"}  # speaks, but no key line names the voice
    assert voice_names(segments, HUSBAND_CLIENT) == {"화자1": "구세린 (피고, 아내)", "화자2": "마태윤 (원고, 남편)",
                                     "화자3": "마은호 (아들, 8세)", "화자4": "구세린의 모"}
    # A voice speaking a short line is no key ("화자1: 여보" names nobody); a chat has no voices to add.
    assert "화자1" not in voice_names(_segments("녹취록\n화자1: 여보\n화자2: 왜\n화자1: 나 간다"), HUSBAND_CLIENT)
    assert suggest_speakers_map(_segments("녹취록\n화자1: 여보\n화자2: 왜\n화자1: 나 간다"), HUSBAND_CLIENT)["화자1"] == "unknown"


def test_the_lawyers_word_on_a_voice_decides_whose_act_its_turns_are() -> None:
    # Unconfirmed, an unnamed voice's eviction reads as the recording client's own act (a risk)…
    assert (EVICTION, "840-2", "client") in _acts(UNKEYED)
    # … the lawyer says 화자1 is the wife: her act, a ground for the client, and no risk left.
    confirmed = _acts(UNKEYED, {"화자1": "opponent", "화자2": "client"})
    assert (EVICTION, "840-2", "opponent") in confirmed and not any(a == "client" for *_, a in confirmed), confirmed
    # A voice the lawyer calls a third person (a lodger, say) is nobody's spouse.
    assert (EVICTION, "840-2", "third_party") in _acts(UNKEYED, {"화자1": "third_party"})
    # The lawyer's word wins over a key line too: keyed as the wife, confirmed as the client himself.
    keyed = _acts(KEYED)
    order = "화자1: 당장 이 집에서 나가. 다시는 들어오지 마"
    assert {a for t, _, a in keyed if t == order} == {"opponent"}, keyed
    assert {a for t, _, a in _acts(KEYED, {"화자1": "client", "화자2": "opponent"}) if t == order} == {"client"}


def test_the_evidence_page_and_the_api_let_the_lawyer_confirm_a_transcripts_voices(
        app_admin_api: Api, container: Container) -> None:
    lawyer = make_user(app_admin_api, "voices@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "녹취록 화자"})
    base = f"/api/cases/{case['id']}"
    lawyer.data("PUT", base + "/parties", json={"client": {"name": "마태윤", "aliases": ["남편"]},
                                                "opponent": {"name": "구세린", "aliases": ["아내"]}})
    up = lawyer.data("POST", base + "/evidence", 201,
                     files={"file": ("녹취록_2025-10-04.txt", ("녹음 일시: 2025. 10. 4. 21:10경\n화자2 이름: 마태윤 (원고)\n"
                                                              + UNKEYED).encode(), "text/plain")})
    process_all(container)
    doc = lawyer.data("GET", f"/api/evidence/{up['id']}")
    assert {k: v for k, v in doc["speakers_map"].items() if k != AUTHOR_KEY} == {"화자1": "unknown", "화자2": "client"}
    assert [r["segments"][0]["text"] for r in lawyer.data("GET", base + "/risks")] == [EVICTION]

    # The page offers both voices, each beside what the key lines write of it (화자1: nothing).
    page = Pages(lawyer).get(f"/cases/{case['id']}/evidence/{up['id']}").text
    assert 'data-speaker="화자1"' in page and 'data-speaker="화자2"' in page
    assert page.count('data-testid="speaker-note"') == 1 and "녹취록 표기: 마태윤 (원고)" in page
    assert "<dt>화자</dt><dd>화자1, 화자2</dd>" in page  # the paper's voices, where a chat lists its display names

    confirmed = lawyer.data("PUT", f"/api/evidence/{up['id']}/speakers", json={"화자1": "opponent", "화자2": "client"})
    assert confirmed["speakers_confirmed"] is True
    eviction = next(lb for lb in confirmed["labels"] if lb["ground"] == "840-2")
    assert (eviction["actor"], eviction["favours"]) == ("opponent", "client")
    assert lawyer.data("GET", base + "/risks") == []
