"""The pure drafting core: facts from labels, exhibit numbering and labels, sentence splitting, the citation filter
and the consistency check. Also holds the evidence-document builders the other draft tests use."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from leh.analysis.draft_writer import Claims
from leh.domain import drafting as d
from leh.services.drafts import build_draft


# ---------------------------------------------------------------- evidence documents, as the worker writes them
def seg(seq: int, text: str, *, ts: str | None = None, speaker: str | None = None, kind: str = "speech",
        **ref: Any) -> dict[str, Any]:
    return {"seq": seq, "ts": ts, "speaker": speaker, "text": text, "ref": ref, "kind": kind}


def doc(evidence_id: str, type_: str, filename: str, segments: list[dict[str, Any]], labels: list[dict[str, Any]],
        *, event_time: str | None = None, status: str = "done", case_id: str = "case-1") -> dict[str, Any]:
    return {"case_id": case_id, "evidence_id": evidence_id, "filename": filename, "type": type_, "status": status,
            "segments": segments, "labels": labels, "event_time": event_time, "uploaded_at": f"2024-01-10T00:00:0{evidence_id[-1]}Z"}


def label(ground: str, tag: str, segments: list[int], confidence: float = 0.9) -> dict[str, Any]:
    return {"ground": ground, "tag": tag, "confidence": confidence, "segments": segments}


def chat_doc(evidence_id: str = "ev-chat1") -> dict[str, Any]:
    segments = [
        seg(0, "생활비는 언제 보내줄 거야?", ts="2023-12-25T22:18:00+09:00", speaker="김영희", line=4),
        seg(1, "이번 달부터 생활비 안 줄 거야", ts="2023-12-25T22:20:00+09:00", speaker="홍길동", line=5),
        seg(2, "한 번만 더 그 얘기 하면 죽여버린다", ts="2023-12-25T22:21:00+09:00", speaker="홍길동", line=6),
        seg(3, "김영희님이 나갔습니다.", ts="2023-12-25T22:22:00+09:00", kind="system", line=7),
        seg(4, "집에 들어오면 죽여버린다", ts="2023-12-27T23:05:00+09:00", speaker="홍길동", line=9),
    ]
    labels = [label("840-2", "생활비 미지급", [1], 0.96), label("840-3", "협박", [2, 4], 0.99),
              label("840-3", "폭언", [2], 0.8), label("840-6", "계속적 불화", [3], 0.9)]
    return doc(evidence_id, "kakaotalk", "KakaoTalk_홍길동.txt", segments, labels)


def photo_doc(evidence_id: str = "ev-photo2") -> dict[str, Any]:
    segments = [seg(0, "남편이 어젯밤 나를 때렸다 010-1234-5678", kind="text", box=[1, 2, 3, 4]),
                seg(1, "생활비도 안 준다고 했다", kind="text", box=[1, 9, 3, 4])]
    labels = [label("840-3", "폭행", [0]), label("840-2", "생활비 미지급", [1])]
    return doc(evidence_id, "image", "멍_사진.jpg", segments, labels, event_time="2023-12-26T08:00:00+09:00")


def recording_doc(evidence_id: str = "ev-rec3") -> dict[str, Any]:
    segments = [seg(0, "여보세요", ts="2023-12-24T20:00:00+09:00", speaker="화자1", start_s=0.0, end_s=1.0),
                seg(1, "또 그러면 죽여버린다", ts="2023-12-24T20:01:21+09:00", speaker="화자2", start_s=81.2, end_s=84.0)]
    return doc(evidence_id, "audio", "통화녹음.m4a", segments, [label("840-3", "협박", [1], 0.9)],
               event_time="2023-12-24T20:00:00+09:00")


def case_docs() -> list[dict[str, Any]]:
    return [chat_doc(), photo_doc(), recording_doc()]


def fact(fid: str, evidence_id: str, segments: tuple[int, ...], ground: str = "840-3") -> d.Fact:
    return d.Fact(fact_id=fid, ground=ground, tags=("협박",), evidence_id=evidence_id, evidence_type="kakaotalk",
                  segments=segments, ts=None, confidence=0.9, quotes=(d.Quote(None, f"말{fid}"),))


# ---------------------------------------------------------------- labels and ranges
@pytest.mark.parametrize("number,part,text", [(1, None, "갑 제1호증"), (12, 3, "갑 제12호증의 3")])
def test_exhibit_labels_round_trip(number: int, part: int | None, text: str) -> None:
    assert d.exhibit_label(number, part) == text
    assert d.parse_label(text) == (number, part)
    with pytest.raises(ValueError):
        d.parse_label("을 제1호증")


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_exhibit_range_lists_exactly_its_parts(parts: int) -> None:
    line = d.exhibit_range(4, parts) + "  사진 (파일: a.jpg, 일자: 2023. 1. 1.)"
    expected = [d.exhibit_label(4)] if parts == 1 else [d.exhibit_label(4, m) for m in range(1, parts + 1)]
    assert d.parse_exhibit_line(line) == expected
    assert d.parse_exhibit_line("1. 위 입증방법  각 1통") is None


# ---------------------------------------------------------------- sentences
def test_split_sentences_respects_quotes_parens_and_dotted_dates() -> None:
    text = ("2023. 12. 25. 피고는 “왜? 그만해. 제발.”이라고 했습니다(갑 제1호증의 1). "
            "같은 날 “집 나가!”라고 말하였습니다. 끝")
    assert d.split_sentences(text) == [
        "2023. 12. 25. 피고는 “왜? 그만해. 제발.”이라고 했습니다(갑 제1호증의 1).",
        "같은 날 “집 나가!”라고 말하였습니다.", "끝"]


# ---------------------------------------------------------------- facts
def test_facts_split_far_apart_segments_and_merge_tags_on_one_message() -> None:
    facts = d.collect_facts([chat_doc()]).facts
    by_ground = {(f.ground, f.segments): f for f in facts}
    # 협박 on seqs 2 and 4 (two days apart) are two facts; 폭언 on seq 2 joins the 협박 fact of that message.
    assert set(by_ground) == {("840-2", (1,)), ("840-3", (2,)), ("840-3", (4,))}
    assert by_ground[("840-3", (2,))].tags == ("협박", "폭언")
    # The system line labelled 840-6 supports nothing.
    assert all(f.ground != "840-6" for f in facts)
    assert [f.fact_id for f in facts] == [f"F{i}" for i in range(1, len(facts) + 1)]


def test_adjacent_close_messages_are_one_fact_but_capped() -> None:
    segments = [seg(i, f"죽여버린다 {i}", ts=f"2023-12-25T22:{20 + i:02d}:00+09:00", speaker="홍길동")
                for i in range(d.MAX_SEGMENTS_PER_FACT + 2)]
    segments.append(seg(len(segments), "또 죽여버린다", ts="2023-12-25T23:59:00+09:00", speaker="홍길동"))
    one = doc("ev-x1", "kakaotalk", "a.txt", segments, [label("840-3", "협박", list(range(len(segments))))])
    runs = [f.segments for f in d.collect_facts([one]).facts]
    n = d.MAX_SEGMENTS_PER_FACT
    assert runs == [tuple(range(n)), (n, n + 1), (n + 2,)]  # the cap, then the time gap, cut the runs


def test_facts_are_in_ground_then_date_order_across_evidence_and_filtered() -> None:
    docs = [*case_docs(), doc("ev-weak4", "text", "memo.txt", [seg(0, "때렸다", kind="text")],
                              [label("840-3", "폭행", [0], 0.3), label("999", "x", [0])])]
    facts = d.collect_facts(docs).facts
    keys = [(d.GROUND_IDS.index(f.ground), d.parse_ts(f.ts)) for f in facts]
    assert keys == sorted(keys)
    assert "ev-weak4" not in {f.evidence_id for f in facts}  # below MIN_CONFIDENCE, and an unknown ground
    photo = next(f for f in facts if f.evidence_id == "ev-photo2" and f.ground == "840-3")
    assert photo.ts == "2023-12-26T08:00:00+09:00"  # no segment time: the evidence's own time
    rec = next(f for f in facts if f.evidence_id == "ev-rec3")
    assert rec.locator == "1분 21초" and rec.quotes[0].speaker == "화자2"


def test_cap_keeps_the_strongest_and_counts_the_rest() -> None:
    segments = [seg(i * 2, f"때렸다 {i}", ts=f"2023-12-{i + 1:02d}T10:00:00+09:00", speaker="A") for i in range(5)]
    labels = [label("840-3", "폭행", [i * 2], 0.5 + i / 10) for i in range(5)]
    fs = d.collect_facts([doc("ev-c1", "kakaotalk", "c.txt", segments, labels)], max_per_ground=3)
    assert fs.omitted == {"840-3": 2}
    assert [f.segments for f in fs.facts] == [(4,), (6,), (8,)]  # the three strongest, still in date order


# ---------------------------------------------------------------- numbering
def test_numbering_follows_first_citation_and_parts_get_sub_numbers() -> None:
    docs = {e: doc(e, "kakaotalk", f"{e}.txt", [seg(i, "x") for i in range(5)], []) for e in ("ev-a1", "ev-b2")}
    facts = {"F1": fact("F1", "ev-b2", (0,)), "F2": fact("F2", "ev-a1", (1,)), "F3": fact("F3", "ev-a1", (3, 4)),
             "F4": fact("F4", "ev-a1", (1,), ground="840-6")}
    sections = [{"title": "t", "kind": "ground", "paragraphs": [
        "첫째 문장⟦F1⟧. 둘째 문장. ⟦F2⟧", "셋째 문장⟦F3⟧⟦F1⟧.", "넷째⟦F4⟧."]}]
    out = d.assign_citations(sections, facts, docs)
    assert out.sections[0]["paragraphs"] == [
        "첫째 문장(갑 제1호증). 둘째 문장(갑 제2호증의 1).",
        "셋째 문장(갑 제2호증의 2, 갑 제1호증).",
        "넷째(갑 제2호증의 1).",  # the same part cited again keeps its label
    ]
    assert [(e["number"], e["evidence_id"], e["parts"]) for e in out.exhibits] == [
        (1, "ev-b2", ["갑 제1호증"]), (2, "ev-a1", ["갑 제2호증의 1", "갑 제2호증의 2"])]
    assert {c["label"]: c["segments"] for c in out.citations} == {
        "갑 제1호증": [0], "갑 제2호증의 1": [1], "갑 제2호증의 2": [3, 4]}


# ---------------------------------------------------------------- the consistency check
def _good_draft() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    docs = case_docs()
    return build_draft(docs, Claims()), {x["evidence_id"]: x for x in docs}


def test_a_built_draft_is_consistent() -> None:
    draft, evidence = _good_draft()
    assert d.check_consistency(draft, evidence) == []
    assert len(draft["exhibits"]) == 3 and draft["citations"]


def _ground_paragraph(draft: dict[str, Any]) -> tuple[int, int]:
    for i, s in enumerate(draft["sections"]):
        if s["kind"] == "ground" and d.CITATION_RE.search(s["paragraphs"][0]):
            return i, 0
    raise AssertionError("no cited ground paragraph")


def _swap_citation(draft: dict[str, Any]) -> None:
    i, j = _ground_paragraph(draft)
    draft["sections"][i]["paragraphs"][j] = d.CITATION_RE.sub("갑 제9호증", draft["sections"][i]["paragraphs"][j], 1)


def _uncited_sentence(draft: dict[str, Any]) -> None:
    i, j = _ground_paragraph(draft)
    draft["sections"][i]["paragraphs"][j] += " 피고는 늘 그랬습니다."


def _extra_exhibit(draft: dict[str, Any]) -> None:
    n = len(draft["exhibits"]) + 1
    draft["exhibits"].append({**draft["exhibits"][0], "number": n, "label": d.exhibit_label(n), "evidence_id": "ev-z"})


def _renumber(draft: dict[str, Any]) -> None:
    draft["exhibits"][0]["number"], draft["exhibits"][1]["number"] = 2, 1


def _segment_not_in_evidence(draft: dict[str, Any]) -> None:
    draft["citations"][0]["segments"] = [99]


def _wrong_evidence(draft: dict[str, Any]) -> None:
    draft["citations"][0]["evidence_id"] = draft["exhibits"][-1]["evidence_id"]


def _drop_list_line(draft: dict[str, Any]) -> None:
    next(s for s in draft["sections"] if s["kind"] == "evidence_list")["paragraphs"].pop()


@pytest.mark.parametrize("mutate,expected", [
    (_swap_citation, "missing from citations"), (_uncited_sentence, "uncited sentence"),
    (_extra_exhibit, "never cited"), (_renumber, "not 1.."), (_segment_not_in_evidence, "missing from the evidence"),
    (_wrong_evidence, "points to evidence"), (_drop_list_line, "입증방법 lists"),
])
def test_consistency_check_catches(mutate: Any, expected: str) -> None:
    draft, evidence = _good_draft()
    broken = copy.deepcopy(draft)
    mutate(broken)
    problems = d.check_consistency(broken, evidence)
    assert any(expected in p for p in problems), problems


# ---------------------------------------------------------------- the sentence filter
def test_filter_keeps_grounded_sentences_and_counts_the_rest() -> None:
    f1 = fact("F1", "ev-a1", (0,))
    allowed = {"F1": f1}
    given = {"F1": "한 번만 더 그 얘기 하면 죽여버린다"}
    paragraphs = [
        "피고는 “한 번만 더 그 얘기 하면 죽여버린다”라고 했습니다[F1]. 피고는 원래 폭력적인 사람입니다.",
        "원고가 승소할 가능성이 높습니다[F1]. 이는 민법 제840조 제3호에 해당합니다[F1].",
        "피고는 “내가 다 죽일 거야”라고 했습니다[F1]. 피고는 “확실히 … 죽여버린다”라고 했습니다.[F1]",
        "피고는 협박하였습니다(갑 제1호증)[F1]. 다른 사실입니다[F7].",
        "[변호사 작성: 모델이 쓴 메모]",
    ]
    kept, dropped = d.filter_cited_sentences(paragraphs, allowed, given)
    assert kept == ["피고는 “한 번만 더 그 얘기 하면 죽여버린다”라고 했습니다⟦F1⟧."]
    assert dropped == {"no_citation": 2, "prediction_or_conclusion": 2, "unsupported_quote": 2, "own_citation": 1}


def test_filter_accepts_markers_after_the_full_stop_and_several_facts() -> None:
    allowed = {"F1": fact("F1", "ev-a1", (0,)), "F2": fact("F2", "ev-a1", (1,))}
    kept, dropped = d.filter_cited_sentences(["둘 다 확인됩니다. [F1, F2] 그리고 끝입니다[F2]."], allowed, {})
    assert kept == ["둘 다 확인됩니다. ⟦F1⟧⟦F2⟧ 그리고 끝입니다⟦F2⟧."] and not dropped
