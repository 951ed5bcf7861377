"""What a lawyer reading the draft expects (the QA read of 2026-12-07, items D3, C2/B4, D4, D5, B11, C9): exhibits
named by what they are, a medical certificate cited for its findings as proof of the injury, one quote per line,
facts in date order, a discovery dated as a discovery, and the marriage offered for the lawyer to confirm."""

from __future__ import annotations

from typing import Any

from leh.analysis.draft_writer import Claims, fact_sentence
from leh.domain import drafting as d
from leh.domain.draft.names import certificate_findings, exhibit_name
from leh.domain.parties import Parties, Person
from leh.services.drafts import add_references, build_draft, quoted_facts
from tests.unit.test_drafting import doc, label, seg

PARTIES = Parties(client=Person("한도윤", ("남편",)), opponent=Person("오수진", ("아내", "수진")))


def _opponent(lb: dict[str, Any]) -> dict[str, Any]:
    return {**lb, "actor": "opponent", "favours": "client"}


def _day(text: str, iso: str, line: int, precision: str = "day", **extra: Any) -> dict[str, Any]:
    return {**seg(0, text, ts=iso, line=line), "ts_precision": precision, **extra}


def statement() -> dict[str, Any]:
    segments = [
        seg(0, "진 술 서", line=1), seg(1, "진술인: 한도윤", line=3),
        _day("저는 2018. 10. 13. 오수진과 혼인하였고, 딸 한서아(2019년생)를 두고 있습니다.", "2018-10-13T00:00:00+09:00", 5),
        _day("2024. 3.경부터 아내가 퇴근이 늦어지고 주말마다 밤늦게 외출하였습니다.", "2024-03-01T00:00:00+09:00", 7, "month"),
        _day("2024. 5. 25. 카드 명세서에서 가족카드로 결제된 ○○주얼리 남성 시계 145만 원 결제 내역을 발견하였습니다.",
             "2024-05-25T00:00:00+09:00", 9),
        _day("2024. 6. 8. 밤 11시경 아내가 TV 리모컨으로 제 이마를 내리쳐 이마가 찢어졌습니다.", "2024-06-08T23:00:00+09:00", 11,
             "minute"),
        _day("2024. 7. 12.", "2024-07-12T00:00:00+09:00", 13),
    ]
    for i, s in enumerate(segments):
        s["seq"] = i
    labels = [_opponent(label("840-1", "외도", [3])), _opponent(label("840-1", "숙박", [4])),
              _opponent(label("840-3", "폭행", [5]))]
    out = doc("ev-stmt1", "text", "진술서_한도윤.txt", segments, labels, event_time="2024-07-12T00:00:00+09:00")
    out["event_time_precision"] = "day"
    return out


def certificate() -> dict[str, Any]:
    lines = ["상해진단서", "환자 성명: 한도윤 (남, 1986년생)", "상병명: 이마 열상 (전치 2주)", "수상일: 2024년 6월 8일",
             "진단일: 2024년 6월 9일", "소견: 둔기에 의한 열상으로 봉합술 시행함", "밝은얼굴의원 의사 김민재"]
    segments = [{**seg(i, text, ts="2024-06-09T00:00:00+09:00", box=[0, i * 60, 300, 40], conf=0.93),
                 "ts_precision": "day"} for i, text in enumerate(lines)]
    segments[3]["ts"] = "2024-06-08T00:00:00+09:00"
    # The labeller read "상해" in the title: the certificate's only label sits on its heading.
    out = doc("ev-cert2", "image", "IMG_0412.png", segments, [_opponent(label("840-3", "폭행", [0]))],
              event_time="2024-06-09T00:00:00+09:00")
    out["event_time_precision"] = "day"
    return out


def consultation() -> dict[str, Any]:
    segments = [seg(0, "상담일지", line=1), seg(1, "상담일: 2024년 7월 10일", line=2),
                _day("- 2024. 6. 8. 밤 상대방이 리모컨으로 의뢰인의 이마를 가격하였다고 함.", "2024-06-08T00:00:00+09:00", 4)]
    segments[2]["seq"] = 2
    # The same line under two grounds, with the same quote: 840-3 fits it better (the more confident label).
    labels = [_opponent(label("840-3", "폭행", [2], 0.95)), _opponent(label("840-4", "부모에 대한 폭행", [2], 0.6))]
    out = doc("ev-memo3", "text", "memo.txt", segments, labels, event_time="2024-07-10T00:00:00+09:00")
    out["event_time_precision"] = "day"
    return out


def _draft() -> dict[str, Any]:
    return build_draft([statement(), certificate(), consultation()], Claims(), parties=PARTIES)


def _ground(draft: dict[str, Any], gid: str) -> list[str]:
    return next(s for s in draft["sections"] if s.get("ground") == gid)["paragraphs"]


def test_exhibits_are_named_by_what_they_are_from_their_title_or_file_name() -> None:
    draft = _draft()
    names = {e["evidence_id"]: e["type_label"] for e in draft["exhibits"]}
    # A photographed certificate named IMG_0412.png is a 상해진단서 by its title line, not a 사진.
    assert names == {"ev-stmt1": "진술서", "ev-cert2": "상해진단서", "ev-memo3": "상담일지"}
    listed = next(s for s in draft["sections"] if s["kind"] == "evidence_list")["paragraphs"]
    assert any("상해진단서 (파일: IMG_0412.png" in line for line in listed)
    assert not any(" 사진 (" in line for line in listed)


def test_a_certificate_is_cited_for_its_findings_as_proof_right_after_the_assault_it_proves() -> None:
    violence = _ground(_draft(), "840-3")
    assault = next(i for i, p in enumerate(violence) if "리모컨으로 제 이마를 내리쳐" in p)
    proof = next(i for i, p in enumerate(violence) if "상해진단서에는" in p)
    assert proof == assault + 1  # the act, then its proof (the 6-8 night line of the memo comes before both)
    sentence = violence[proof]
    assert sentence.startswith("원고에 대한 상해진단서에는 “상병명: 이마 열상 (전치 2주)”, “수상일: 2024년 6월 8일”")
    assert "“소견: 둔기에 의한 열상으로 봉합술 시행함”" in sentence
    assert "“상해진단서”" not in sentence and "문구가 나타나" not in sentence  # never its heading alone
    assert "피고" not in sentence  # a certificate does not say who caused the injury


def test_the_same_line_under_two_grounds_is_quoted_once_and_referred_to_under_the_other() -> None:
    draft = _draft()
    text = draft["draft_text"]
    quote = "“- 2024. 6. 8. 밤 상대방이 리모컨으로 의뢰인의 이마를 가격하였다고 함.”"
    assert text.count(quote) == 1 and any(quote in p for p in _ground(draft, "840-3"))
    [refer] = _ground(draft, "840-4")
    label = next(c["label"] for c in draft["citations"] if c["evidence_id"] == "ev-memo3")
    assert refer == f"앞서 배우자 등의 부당대우 부분에서 본 기재는 이 사유와도 관련됩니다({label})."
    assert d.check_consistency(draft) == []


def test_facts_are_in_date_order_a_month_at_its_start_and_a_discovery_is_dated_as_one() -> None:
    affair = _ground(_draft(), "840-1")
    assert "2024. 3.경부터" in affair[0] and "발견하였습니다" in affair[1]
    assert affair[1].startswith("진술서에는 2024년 5월 25일경 알게 된 사실로 “2024. 5. 25. 카드 명세서에서")
    assert "2024년 5월 25일경의 일로" not in affair[1]  # the day it was found, not of the purchase
    facts = d.collect_facts([statement()]).facts
    assert [f.ts[:7] for f in facts if f.ground == "840-1"] == ["2024-03", "2024-05"]


def test_the_marriage_and_children_the_evidence_states_are_offered_in_the_placeholder_with_their_exhibit() -> None:
    draft = _draft()
    [relation] = next(s for s in draft["sections"] if s["title"] == "1. 당사자의 관계")["paragraphs"]
    label = next(c["label"] for c in draft["citations"] if c["evidence_id"] == "ev-stmt1" and c["segments"] == [2])
    assert relation.startswith("[확인 필요: 진술서에는 “저는 2018. 10. 13. 오수진과 혼인하였고, 딸 한서아(2019년생)를 "
                               f"두고 있습니다.”라는 기재가 있습니다({label}). ")
    assert d.is_note(relation) and "혼인관계증명서" in relation  # still the lawyer's to confirm and replace
    assert label == "갑 제1호증의 1" and d.check_consistency(draft) == []  # numbered from its first citation
    # Evidence that states no marriage leaves the plain placeholder, citing nothing.
    bare = build_draft([certificate()], Claims(), parties=PARTIES)
    [plain] = next(s for s in bare["sections"] if s["title"] == "1. 당사자의 관계")["paragraphs"]
    assert plain.startswith("[변호사 작성: 원고와 피고의 혼인신고일과 자녀 관계를") and "갑 제" not in plain


def test_a_document_line_is_pin_cited_by_its_own_number_or_its_printed_line_not_its_date() -> None:
    draft = _draft()
    where = {(c["evidence_id"], tuple(c["segments"])): c["where"] for c in draft["citations"]}
    # 진 술 서 / 진술인 / the marriage line / the 2024. 3.경 line: the 4th line a reader counts (the file's line 7).
    assert where[("ev-stmt1", (3,))] == "4번째 줄"
    assert where[("ev-cert2", (2, 3, 5))] == "3번째 줄, 4번째 줄, 6번째 줄"  # the certificate's finding lines
    numbered = doc("ev-fact4", "text", "사실확인서.txt", [
        seg(0, "사실확인서", line=1), seg(1, "작성자: 한소영\n(의뢰인의 누나)", line=3),
        {**seg(2, "1. 저는 2024. 4. 13. 밤 올케가 남자와 팔짱을 끼고 걷는 것을 보았습니다.", line=6,
               ts="2024-04-13T22:00:00+09:00"), "ts_precision": "minute"},
        seg(3, "올케는 그날 밤 늦게 귀가하였다고 들었습니다.", line=8)],
        [_opponent(label("840-1", "외도", [2])), _opponent(label("840-1", "외박", [3]))])
    assert d.where_in(numbered, (2,)) == "제1항"  # its own numbering, not "2024. 4. 13. 22:00"
    assert d.where_in(numbered, (3,)) == "5번째 줄"  # a two-line author block counts two
    chat = doc("ev-chat5", "kakaotalk", "talk.txt", [
        {**seg(0, "죽여버린다", ts="2024-06-09T08:41:00+09:00", speaker="수진", line=12), "ts_precision": "minute"}], [])
    assert d.where_in(chat, (0,)) == "2024. 6. 9. 08:41"  # a message is found by its time


def test_an_ai_writer_is_not_given_lines_quoted_under_another_ground_and_the_reference_follows_its_prose() -> None:
    by_ground = d.collect_facts([consultation()], parties=PARTIES).by_ground()
    given = quoted_facts(by_ground)
    assert list(given) == ["840-3"]  # 840-4 holds only the repeated line: its template refers back
    paragraphs = {"840-3": ["AI가 쓴 문장⟦F1⟧."]}
    add_references(paragraphs, by_ground)
    assert paragraphs == {"840-3": ["AI가 쓴 문장⟦F1⟧."]}  # nothing of 840-3 repeats another ground
    paragraphs = {"840-3": ["AI가 쓴 문장⟦F1⟧."], "840-4": ["AI가 쓴 다른 문장⟦F2⟧."]}
    add_references(paragraphs, by_ground)
    assert paragraphs["840-4"] == ["AI가 쓴 다른 문장⟦F2⟧.", "앞서 배우자 등의 부당대우 부분에서 본 기재는 이 사유와도 관련됩니다⟦F2⟧."]


def test_a_card_row_is_cited_by_its_own_transaction_time() -> None:
    card = doc("ev-card6", "statement", "카드이용내역_한도윤.csv", [
        seg(0, "이용일시,이용자,가맹점,이용금액", line=1),
        {**seg(1, "2024-05-22 15:30 ○○주얼리 신사점 1,450,000원 이용자 가족(오수진)", ts="2024-05-22T15:30:00+09:00",
               line=9), "ts_precision": "minute"}], [_opponent(label("840-1", "외도", [1]))],
        event_time="2024-03-02T12:15:00+09:00")
    [fact] = d.collect_facts([card], parties=PARTIES).facts
    assert fact_sentence(fact) == ("카드 이용내역에는 2024년 5월 22일 15:30 “2024-05-22 15:30 ○○주얼리 신사점 1,450,000원 "
                                   "이용자 가족(오수진)”이라는 거래가 기재되어 있습니다⟦F1⟧.")
    assert d.where_in(card, (1,)) == "2024. 5. 22. 15:30"


def test_a_sentence_mentioning_a_document_does_not_name_the_exhibit() -> None:
    memo = doc("ev-m7", "text", "메모.txt", [seg(0, "남편이 카드 명세서와 상해진단서를 서랍에 숨겨 두었다가 들켰습니다.", line=1)], [])
    assert exhibit_name(memo) is None
    assert exhibit_name({**memo, "filename": "사실확인서(한소영).txt"}) == "사실확인서"
    assert exhibit_name(doc("ev-c8", "image", "scan.jpg", [seg(0, "진 단 서", box=[0, 0, 1, 1])], [])) == "진단서"


def test_a_certificates_findings_written_as_sentences_are_its_findings_too() -> None:
    lines = ["진 단 서", "성명: 김영희", "병명: 안면부 타박상", "향후 2주간의 치료를 요함", "위와 같이 진단함", "의사 박민수"]
    scan = doc("ev-c9", "pdf", "scan_0001.pdf", [seg(i, t, page=1) for i, t in enumerate(lines)],
               [_opponent(label("840-3", "폭행", [0]))], event_time="2024-03-03T00:00:00+09:00")
    assert certificate_findings(scan) == [2, 3]
    [fact] = d.collect_facts([scan], parties=PARTIES).facts
    assert fact.segments == (2, 3) and fact_sentence(fact) == (
        "진단서에는 “병명: 안면부 타박상”, “향후 2주간의 치료를 요함”이라고 기재되어 있습니다⟦F1⟧.")
