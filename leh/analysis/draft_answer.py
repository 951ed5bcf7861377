"""Offline 답변서 (answer) for a defendant client who contests the divorce: the fixed form of an answer, and the
opponent's (원고's) own acts from the evidence as the reason the plaintiff, the spouse at fault (유책배우자), should
not obtain the divorce.

LEH does not know the complaint's text, so the answer to its allegations (인부) is a blank for the lawyer, never
invented. Only the opponent's acts are cited (을 제N호증, with the same sentences and quotes a 반소장 uses); the
client's own acts are risks shown next to the draft and only counted here. The client's wish to keep the marriage
is the lawyer's to state.
"""

from __future__ import annotations

from typing import Any, Final

from leh.analysis.draft_writer import NOTICE_LONG, exhibit_list, ground_sections, unattributed_note
from leh.domain.drafting import Fact
from leh.domain.grounds import GROUND_IDS
from leh.domain.parties import Parties, Party

TITLE: Final = "답  변  서"
CASE_NUMBER: Final = "[      ]드[  ][      ] 이혼 등"  # the pending case: its number is the lawyer's to fill in
PREAMBLE: Final = "위 사건에 관하여 피고 소송대리인은 다음과 같이 답변합니다."
CLAIMS_ANSWER: Final = ("1. 원고의 청구를 기각한다.", "2. 소송비용은 원고가 부담한다.", "라는 판결을 구합니다.")
CONCLUSION: Final = "이상과 같이 원고의 이 사건 청구는 이유 없으므로 이를 기각하여 주시기 바랍니다."


def _note(text: str) -> str:
    return f"[{text}]"


def _name(parties: Parties | None, party: str) -> str:
    person = parties.person(party) if parties is not None else None
    return person.name if person is not None else "[성명]"


def heading(parties: Parties | None = None) -> dict[str, str]:
    """답변서, the pending case's number (a blank), and both sides by the names the lawyer entered."""
    return {"title": TITLE, "case_number": CASE_NUMBER, "notice": NOTICE_LONG,
            "plaintiff": _name(parties, Party.OPPONENT), "defendant": _name(parties, Party.CLIENT),
            "preamble": PREAMBLE}


def _fault_section(has_grounds: bool, unattributed: int) -> dict[str, Any]:
    if has_grounds:
        # "원고 측": 840-3 also covers abuse by the plaintiff's 직계존속, which the section may cite.
        paragraphs = ["혼인관계가 파탄에 이르렀다면 그 주된 책임은 원고에게 있습니다. 증거에 나타난 원고 측의 행위는 다음과 "
                      "같습니다."]
    else:
        paragraphs = [_note("증거에서 원고의 유책 사유로 표시된 내용을 찾지 못했습니다. 변호사가 직접 작성하십시오.")]
    if unattributed:
        paragraphs.append(unattributed_note(unattributed))
    return {"title": "2. 원고의 유책 사유", "kind": "cause_item", "level": 2, "paragraphs": paragraphs}


def _fault_argument(risks: int) -> dict[str, Any]:
    paragraphs = ["위와 같이 원고는 혼인관계 파탄에 주된 책임이 있는 유책배우자이므로, 원고의 이혼 청구는 받아들여져서는 "
                  "아니 됩니다.",
                  _note("변호사 작성: 유책배우자의 이혼 청구에 관한 판례와 원고 주장에 대한 반박을 기재하십시오.")]
    if risks:
        paragraphs.append(_note(f"변호사 확인: 피고 본인의 행위로 표시된 불리한 증거 {risks}건이 있습니다(초안 옆 '불리한 증거' "
                                "목록, 이 서면에는 넣지 않았습니다). 쌍방에게 책임이 있으면 법원은 책임의 정도를 비교하므로, "
                                "이에 대한 대응을 검토하십시오."))
    return {"title": "3. 유책배우자인 원고의 이혼 청구", "kind": "cause_item", "level": 2, "paragraphs": paragraphs}


def body_sections(paragraphs_by_ground: dict[str, list[str]], facts_by_ground: dict[str, list[Fact]],
                  omitted: dict[str, int], *, unattributed: int = 0, risks: int = 0) -> list[dict[str, Any]]:
    """청구취지에 대한 답변 and 청구원인에 대한 답변, with fact markers still in the ground sections."""
    has_grounds = any(paragraphs_by_ground.get(g) for g in GROUND_IDS)
    sections: list[dict[str, Any]] = [
        {"title": "청구취지에 대한 답변", "kind": "claims", "level": 1, "paragraphs": list(CLAIMS_ANSWER)},
        {"title": "청구원인에 대한 답변", "kind": "cause", "level": 1, "paragraphs": []},
        {"title": "1. 원고 주장에 대한 인부", "kind": "cause_item", "level": 2, "paragraphs": [_note(
            "변호사 작성: 소장 청구원인의 각 주장에 대하여 인정하는 사실과 부인하는 사실을 구분하여 기재하십시오. "
            "LEH는 원고의 소장 내용을 알지 못하므로 이 부분을 작성하지 않았습니다.")]},
        _fault_section(has_grounds, unattributed),
        *ground_sections(paragraphs_by_ground, facts_by_ground, omitted),
    ]
    if has_grounds:
        sections.append(_fault_argument(risks))
    sections.append({"title": f"{4 if has_grounds else 3}. 결론", "kind": "cause_item", "level": 2, "paragraphs": [
        _note("변호사 작성: 피고가 혼인 관계를 유지하기를 원하는 의사와 그 사정(자녀, 관계 회복을 위한 노력 등)을 "
              "기재하십시오."),
        CONCLUSION]})
    return sections


def evidence_sections(exhibits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """입증방법 (을 제N호증, numbered exactly as cited) and 첨부서류 of an answer."""
    attachments = ["위 입증방법  각 1통", "답변서 부본  1통", "소송위임장  1통"]
    return [
        {"title": "입증방법", "kind": "evidence_list", "level": 1, "paragraphs": exhibit_list(exhibits)},
        {"title": "첨부서류", "kind": "attachments", "level": 1,
         "paragraphs": [f"{i}. {a}" for i, a in enumerate(attachments, start=1)]},
    ]


def closing_lines() -> list[str]:
    return ["20    .    .    .", "피고 소송대리인 변호사 [성명] (서명 또는 날인)", "[사건이 계속 중인 가정법원] 귀중"]
