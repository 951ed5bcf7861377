"""Offline templates: one sentence per fact in the evidence's own words, the fixed form of the complaint, and
nothing guessed (parties, amounts) or predicted."""

from __future__ import annotations

import re

import pytest

from leh.analysis import draft_writer as w
from leh.analysis.draft_writer import Claims
from leh.domain import drafting as d
from leh.services.drafts import build_draft
from tests.unit.test_drafting import case_docs


@pytest.mark.parametrize("word,particle", [("홍길동", "은"), ("김영희", "는"), ("화자1", "은"), ("화자2", "는"),
                                           ("Kim", "은(는)")])
def test_topic_particle_follows_the_last_syllable(word: str, particle: str) -> None:
    assert w.topic(word) == particle


def _facts() -> dict[tuple[str, str], d.Fact]:
    return {(f.evidence_id, f.ground): f for f in d.collect_facts(case_docs()).facts}


def test_each_evidence_type_gets_a_sentence_in_its_own_words_ending_in_its_marker() -> None:
    facts = _facts()
    chat = w.fact_sentence(facts[("ev-chat1", "840-2")])
    assert chat == "2023년 12월 25일 22:20경 카카오톡 대화에서 홍길동은 “이번 달부터 생활비 안 줄 거야”라고 메시지를 보냈습니다⟦F1⟧."
    rec = facts[("ev-rec3", "840-3")]
    assert w.fact_sentence(rec) == (f"2023년 12월 24일 20:01경 녹음파일의 1분 21초 지점에서 화자2는 “또 그러면 죽여버린다”라고 "
                                    f"말하였습니다⟦{rec.fact_id}⟧.")
    photo = w.fact_sentence(facts[("ev-photo2", "840-3")])
    assert photo.startswith("2023년 12월 26일 08:00경의 사진에는 “남편이 어젯밤 나를 때렸다 010-1234-5678”")
    for f in facts.values():
        sentence = w.fact_sentence(f)
        assert sentence.endswith(f"⟦{f.fact_id}⟧.")
        assert all(f"“{q.text}”" in sentence for q in f.quotes)
        assert d.split_sentences(sentence) == [sentence]  # exactly one sentence, whatever the quotes hold


def test_claims_are_numbered_with_blank_amounts_and_provisional_execution_where_it_applies() -> None:
    bare = w.claim_lines(Claims())
    assert bare == ["1. 원고와 피고는 이혼한다.", "2. 소송비용은 피고가 부담한다.", "라는 판결을 구합니다."]
    full = w.claim_lines(Claims(alimony=True, property_division=True, custody=True, child_support=True))
    numbered = [line for line in full if re.match(r"\d+\. ", line)]
    assert [int(line.split(".")[0]) for line in numbered] == list(range(1, len(numbered) + 1))

    def item(word: str) -> int:
        return next(int(line.split(".")[0]) for line in numbered if word in line)

    assert numbered[-1] == f"{len(numbered)}. 제{item('위자료로')}항 및 제{item('양육비로')}항은 가집행할 수 있다."
    assert item("친권자 및 양육자") and item("재산분할로")
    # No amount is filled in: every 금 is followed by a blank.
    assert all(re.search(r"금 \[\s+\]원", line) for line in numbered if "금 " in line)
    assert not re.search(r"\d{2,}원", " ".join(full))


def test_parties_are_placeholders_never_names_from_the_evidence() -> None:
    draft = build_draft(case_docs(), Claims(custody=True))
    parties = next(s for s in draft["sections"] if s["kind"] == "parties")["paragraphs"]
    speakers = {s["speaker"] for doc in case_docs() for s in doc["segments"] if s.get("speaker")}
    assert speakers and not any(name in line for line in parties for name in speakers)
    assert any(line.startswith("사건본인") for line in parties)  # custody asks for the child
    assert draft["heading"]["case_name"] == "이혼 등 청구의 소"
    assert build_draft(case_docs(), Claims())["heading"]["case_name"] == "이혼 청구의 소"


def test_the_offline_draft_predicts_nothing_and_names_grounds_only_in_titles() -> None:
    draft = build_draft(case_docs(), Claims(alimony=True))
    outside = d.outside_quotes(draft["draft_text"])
    assert not [p for p in d.FORBIDDEN_PHRASES if p in outside]
    grounds = [s for s in draft["sections"] if s["kind"] == "ground"]
    labelled = {lb["ground"] for doc in case_docs() for lb in doc["labels"] if lb["confidence"] >= d.MIN_CONFIDENCE}
    # 840-6 is labelled only on a system line, so it has no section; the others do, in statute order.
    assert [s["ground"] for s in grounds] == sorted(labelled - {"840-6"})
    assert [s["title"][:2] for s in grounds] == ["가.", "나."]
    claim_causes = [s["title"] for s in draft["sections"] if s["kind"] == "cause_item"]
    assert claim_causes == ["1. 당사자의 관계", "2. 혼인 경위", "3. 이혼 사유", "4. 위자료 청구"]


def test_a_case_without_labels_still_drafts_with_a_note_and_no_exhibits() -> None:
    docs = case_docs()
    for doc in docs:
        doc["labels"] = []
    draft = build_draft(docs, Claims())
    assert draft["exhibits"] == [] and draft["citations"] == []
    assert not [s for s in draft["sections"] if s["kind"] == "ground"]
    reasons = next(s for s in draft["sections"] if s["title"] == "3. 이혼 사유")["paragraphs"]
    assert len(reasons) == 1 and d.is_note(reasons[0])
    assert d.check_consistency(draft, {x["evidence_id"]: x for x in docs}) == []


def test_a_dated_line_of_a_document_is_not_said_to_be_written_on_the_day_it_describes() -> None:
    from tests.unit.test_drafting import doc, label, seg

    memo = doc("ev-memo4", "text", "상담메모.txt", [
        seg(0, "2023년 11월 1일 이후 남편이 생활비를 보내지 않았다고 함.", ts="2023-11-01T00:00:00+09:00", line=1),
        seg(1, "남편의 호텔 결제 내역을 추가 자료로 제출할 예정.", line=2),
        seg(2, "남편이 전화로 욕설을 했다고 함.", ts="2023-12-26T00:00:00+09:00", line=3),  # dated by the header
    ], [label("840-2", "생활비 미지급", [0]), label("840-1", "숙박", [1]), label("840-3", "폭언", [2])],
        event_time="2023-12-26T00:00:00+09:00")
    statement = doc("ev-card5", "pdf", "카드명세서.pdf", [
        seg(0, "2024.02.03 역삼 무인텔 45,000", ts="2024-02-03T00:00:00+09:00", page=1)],
        [label("840-1", "숙박", [0])], event_time="2024-02-03T00:00:00+09:00")  # dated by its first row
    for d_ in (memo, statement):
        d_["event_time_precision"] = "day"
        for s_ in d_["segments"]:
            s_["ts_precision"] = "day"
    facts = {(f.evidence_id, f.ground): f for f in d.collect_facts([memo, statement]).facts}

    line = w.fact_sentence(facts[("ev-memo4", "840-2")])  # its own date: not the day the memo was written
    assert line.startswith("문서에는 2023년 11월 1일경의 일로 “2023년 11월 1일 이후")
    plain = w.fact_sentence(facts[("ev-memo4", "840-1")])  # no date of its own: the document's
    assert plain.startswith("2023년 12월 26일경 작성된 문서에는 “남편의 호텔 결제 내역")
    header = w.fact_sentence(facts[("ev-memo4", "840-3")])  # the header's date, not in its words: the document's
    assert header.startswith("2023년 12월 26일경 작성된 문서에는 “남편이 전화로")
    row = w.fact_sentence(facts[("ev-card5", "840-1")])  # a row's date equal to the document's is still the row's
    assert row.startswith("카드 이용내역 1쪽에는 2024년 2월 3일경의 일로 “2024.02.03 역삼 무인텔 45,000”")
    # A statement without a date of its own is timed by its earliest row: its undated title line has no day, and
    # is never said to be "written" on the first charge's day.
    ledger = doc("ev-ledger6", "text", "거래내역.txt", [
        seg(0, "입출금 거래내역 (생활비 통장)", line=1),
        seg(1, "2024.04.19 양양오션펜션 380,000", ts="2024-04-19T00:00:00+09:00", line=3)],
        [label("840-2", "생활비 미지급", [0])], event_time="2024-04-19T00:00:00+09:00")
    ledger["parse_meta"] = {"document_date": False}
    [title] = d.collect_facts([ledger]).facts
    assert title.ts is None and w.fact_sentence(title).startswith("금융거래내역에는 “입출금 거래내역 (생활비 통장)”")


def test_the_quotative_fits_the_quotes_last_syllable_and_a_part_of_day_takes_no_gyeong() -> None:
    def fact(text: str, kind: str, *, speaker: str | None = None, part: str | None = None) -> d.Fact:
        return d.Fact(fact_id="F1", ground="840-3", tags=("폭언",), evidence_id="e", evidence_type=kind, segments=(0,),
                      ts="2024-06-01T00:00:00+09:00", confidence=0.9, quotes=(d.Quote(speaker, text),),
                      ts_precision="day", ts_part_of_day=part, dated_in_text=True)

    assert "“…가족(오수진)”이라는 내용이" in w.fact_sentence(fact("…가족(오수진)", "text"))
    assert "“다시는 오지 마”라는 내용이" in w.fact_sentence(fact("다시는 오지 마", "text"))
    assert "“병신 같은 놈”이라고 메시지를" in w.fact_sentence(fact("병신 같은 놈", "kakaotalk", speaker="권말순"))
    assert "“꺼져라”라고 메시지를" in w.fact_sentence(fact("꺼져라", "kakaotalk", speaker="권말순"))
    night = w.fact_sentence(fact("꺼져라", "kakaotalk", speaker="권말순", part="밤"))
    assert night.startswith("2024년 6월 1일 밤 카카오톡") and "밤경" not in night
    assert w.fact_sentence(fact("꺼져라", "kakaotalk", speaker="권말순")).startswith("2024년 6월 1일경 카카오톡")


def test_a_transcripts_day_is_when_it_was_recorded_not_written() -> None:
    from tests.unit.test_drafting import doc, label, seg

    tape = doc("ev-tape1", "text", "녹취록_2025-09-06.txt", [
        seg(0, "녹음 일시: 2025. 9. 6. 22:40경", ts="2025-09-06T22:40:00+09:00", line=1),
        seg(1, "화자1: 너 오늘부로 이 집에서 나가", ts="2025-09-06T22:40:00+09:00", line=5)],
        [label("840-2", "가출", [1])], event_time="2025-09-06T22:40:00+09:00")
    facts = {(f.evidence_id, f.ground): f for f in d.collect_facts([tape]).facts}
    line = w.fact_sentence(facts[("ev-tape1", "840-2")])
    assert line.startswith("2025년 9월 6일 22:40경 녹음된 녹취록에는 “화자1: 너 오늘부로 이 집에서 나가”"), line
