"""The pure part of lawyer corrections: label corrections over engine labels, transcript corrections over parsed
segments, re-derived timeline; and what reprocessing keeps."""

from __future__ import annotations

from typing import Any

from leh.analysis.corrections import (
    apply_label_corrections,
    apply_segment_corrections,
    corrected_analysis,
    relabel_segment,
)
from leh.domain.evidence import KEPT_ON_REPROCESS, counted_ids, earliest_copy, mark_duplicate, reset_derived

ENGINE = [{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [1, 2, 5]},
          {"ground": "840-3", "tag": "폭언", "confidence": 0.7, "segments": [2]},
          {"ground": "840-6", "tag": "도박", "confidence": 0.6, "segments": [7]}]


def c(op: str, ground: str, segments: list[int], tag: str | None = None) -> dict[str, Any]:
    return {"op": op, "ground": ground, "segments": segments, "tag": tag, "by": "u1", "at": "2024-01-01T00:00:00"}


def test_a_rejected_segment_leaves_every_label_of_its_ground_and_only_that_segment() -> None:
    out = apply_label_corrections(ENGINE, [c("remove", "840-3", [2])])
    assert [(lb["tag"], lb["segments"], lb["source"]) for lb in out] == [
        ("협박", [1, 5], "engine"), ("도박", [7], "engine")]  # 폭언 had only segment 2: gone
    assert out[0]["confidence"] == 0.9
    assert ENGINE[0]["segments"] == [1, 2, 5]  # the input is not changed


def test_an_added_label_is_the_lawyers_and_accepting_moves_the_segment_to_it() -> None:
    out = apply_label_corrections(ENGINE, [c("add", "840-1", [3, 4], "숙박"), c("add", "840-3", [5])])
    by_tag = {lb["tag"]: (lb["segments"], lb["source"], lb["confidence"]) for lb in out}
    assert by_tag["숙박"] == ([3, 4], "lawyer", 1.0)
    # No tag given on an engine-labelled segment: the engine's tag, now confirmed by the lawyer.
    assert [(lb["segments"], lb["source"]) for lb in out if lb["tag"] == "협박"] == [([1, 2], "engine"), ([5], "lawyer")]
    assert [lb["ground"] for lb in out] == ["840-1", "840-3", "840-3", "840-3", "840-6"]
    # Without a tag and without an engine label there, the ground's first tag.
    assert apply_label_corrections([], [c("add", "840-2", [9])])[0]["tag"] == "가출"


def test_the_log_is_applied_in_order_and_applying_it_again_changes_nothing() -> None:
    log = [c("add", "840-1", [3], "외도"), c("remove", "840-1", [3]), c("remove", "840-3", [1]),
           c("add", "840-3", [1], "폭언")]
    once = apply_label_corrections(ENGINE, log)
    assert not [lb for lb in once if lb["ground"] == "840-1"]  # added, then taken back
    assert [(lb["tag"], lb["segments"], lb["source"]) for lb in once if lb["ground"] == "840-3"] == [
        ("협박", [2, 5], "engine"), ("폭언", [2], "engine"), ("폭언", [1], "lawyer")]
    assert apply_label_corrections(once, log) == once


def test_corrected_analysis_rederives_the_timeline_from_the_corrected_labels() -> None:
    segments = [{"seq": 0, "text": "생활비 보내", "speaker": "김영희", "ts": "2023-12-25T22:18:00+09:00", "kind": "speech"},
                {"seq": 1, "text": "가만 안 둔다", "speaker": "홍길동", "ts": "2023-12-25T22:20:00+09:00", "kind": "speech"},
                {"seq": 2, "text": "오늘부터 원룸에서 지낼 테니 찾지 마", "speaker": "홍길동",
                 "ts": "2023-12-27T09:00:00+09:00", "kind": "speech"}]
    derived = {"labels": [{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [1]}],
               "summary": "engine", "timeline": [{"ts": None, "description": "engine", "grounds": ["840-3"],
                                                  "segments": [1]}], "speakers": ["김영희", "홍길동"],
               "event_time": "2023-12-25T22:18:00+09:00"}
    untouched = corrected_analysis(segments, derived, [])
    assert untouched["timeline"] == derived["timeline"] and untouched["labels"][0]["source"] == "engine"
    out = corrected_analysis(segments, derived, [c("remove", "840-3", [1]), c("add", "840-2", [2], "가출")])
    assert [(ev["ts"], ev["grounds"], ev["segments"]) for ev in out["timeline"]] == [
        ("2023-12-27T09:00:00+09:00", ["840-2"], [2])]
    assert out["timeline"][0]["description"].startswith("홍길동")
    assert "가출 1건" in out["summary"] and "협박" not in out["summary"]


def test_a_transcript_correction_applies_while_the_engine_reads_the_same_original() -> None:
    segs = [{"seq": 0, "text": "남펀이 때렷다"}, {"seq": 1, "text": "둘째 줄"}]
    log = [{"seq": 0, "original_text": "남펀이 때렷다", "text": "남편이 때렸다", "by": "u1", "at": "t1"},
           {"seq": 1, "original_text": "예전 인식 결과", "text": "고친 줄", "by": "u1", "at": "t1"}]
    out, stale = apply_segment_corrections(segs, log)
    assert out[0] == {"seq": 0, "text": "남편이 때렸다", "original_text": "남펀이 때렷다", "corrected_by": "u1",
                      "corrected_at": "t1"}
    assert out[1] == {"seq": 1, "text": "둘째 줄"} and stale == [1]  # the engine now reads line 1 differently


def test_relabelling_a_corrected_segment_moves_only_that_segment() -> None:
    labels = [*ENGINE, {"ground": "840-1", "tag": "외도", "confidence": 1.0, "segments": [2], "source": "lawyer"}]
    out = relabel_segment(labels, 2, [{"ground": "840-6", "tag": "도박", "confidence": 0.8}])
    assert [(lb["tag"], lb["segments"]) for lb in out] == [("협박", [1, 5]), ("도박", [2, 7]), ("외도", [2])]


def test_reprocessing_keeps_corrections_and_the_duplicate_mark() -> None:
    doc: dict[str, Any] = {"labels": ENGINE, "segments": [{"seq": 0}], "label_corrections": [c("add", "840-1", [0])],
                           "segment_corrections": [{"seq": 0}], "duplicate_of": "e0", "warnings": [{"code": "X"}]}
    reset_derived(doc)
    assert doc["labels"] == [] and doc["segments"] == []
    assert all(doc[k] for k in KEPT_ON_REPROCESS)


def test_one_copy_of_identical_content_counts_the_earliest_processed() -> None:
    docs = [{"evidence_id": "b", "sha256": "s1", "uploaded_at": "2024-01-02", "status": "done"},
            {"evidence_id": "a", "sha256": "s1", "uploaded_at": "2024-01-01", "status": "done"},
            {"evidence_id": "c", "sha256": "s2", "uploaded_at": "2024-01-03", "status": "done"},
            {"evidence_id": "d", "sha256": None, "uploaded_at": "2024-01-04", "status": "done"},
            {"evidence_id": "e", "sha256": None, "uploaded_at": "2024-01-04", "status": "done"}]
    assert counted_ids(docs) == {"a", "c", "d", "e"}
    assert counted_ids(docs[:1] + docs[2:]) == {"b", "c", "d", "e"}  # the original gone: its copy counts
    assert earliest_copy(docs, "s1", exclude="a") == "b" and earliest_copy(docs, "s1") == "a"
    assert earliest_copy([{**docs[1], "status": "deleted"}, docs[0]], "s1") == "b"
    assert earliest_copy(docs, None) is None
    marked = mark_duplicate({"warnings": [{"code": "STT_EMPTY", "message": "m"}]}, "a")
    assert marked["duplicate_of"] == "a" and [w["code"] for w in marked["warnings"]] == ["STT_EMPTY", "DUPLICATE_EVIDENCE"]
    cleared = mark_duplicate(marked, None)
    assert "duplicate_of" not in cleared and [w["code"] for w in cleared["warnings"]] == ["STT_EMPTY"]
