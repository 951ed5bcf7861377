"""Offline draft writer: the fixed form of 이혼 등 청구의 소 and one templated sentence per fact, made of the
segments' own words. No AI, no network; every sentence it writes carries its fact marker.

The parties' names come from the case's parties (what the lawyer entered), never from the evidence; resident
registration numbers, addresses, 등록기준지, amounts and the marriage history are never guessed: they are blanks
and notes for the lawyer.

A client who is the defendant (`client_side: defendant`) files a counterclaim (반소장, 이혼 등 청구의 반소): the
client is 피고(반소원고), the opponent 원고(반소피고), the claims are 반소청구취지 and 반소청구원인, and the
client's exhibits are 을호증. In the body the usual abbreviations hold (피고 = the client, 원고 = the opponent).
A defendant client who contests the divorce gets a 답변서 instead (`leh.analysis.draft_answer`), built from the same
ground sections.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Final

from leh.analysis.summary import josa
from leh.domain.dates import PARTS_OF_DAY
from leh.domain.draft.kinds import heading_lines
from leh.domain.draft.names import CERTIFICATES
from leh.domain.drafting import Fact, Quote, format_date, short_date
from leh.domain.grounds import GROUND_IDS, ground
from leh.domain.parties import Child, ClientSide, Parties, Party

NOTICE: Final = "AI 초안 — 변호사 검토 필요"
NOTICE_LONG: Final = (f"※ {NOTICE}. 이 문서는 증거에서 뽑은 사실로 만든 초안이며 제출·서명용이 아닙니다. "
                      "모든 문장을 원본 증거와 대조한 뒤 사용하십시오.")
_LETTERS: Final = "가나다라마바사아자차카타파하"
_DIGIT_BATCHIM: Final = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True,
                         "7": True, "8": True, "9": False}


@dataclass(frozen=True)
class Claims:
    """What the lawyer ticks besides divorce itself. Amounts are always left blank."""

    alimony: bool = False
    property_division: bool = False
    custody: bool = False
    child_support: bool = False

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    @property
    def any(self) -> bool:
        return self.alimony or self.property_division or self.custody or self.child_support


def topic(word: str) -> str:
    """은/는 after `word`, chosen by its last syllable's final consonant (홍길동은, 김영희는, 화자1은)."""
    last = word.strip()[-1:] if word.strip() else ""
    if "가" <= last <= "힣":
        return "은" if (ord(last) - 0xAC00) % 28 else "는"
    if last in _DIGIT_BATCHIM:
        return "은" if _DIGIT_BATCHIM[last] else "는"
    return "은(는)"


def _quoted(texts: list[str]) -> str:
    return ", ".join(f"“{t}”" for t in texts)


def _copula(texts: list[str]) -> str:
    """"이" before 라고/라는 after quotes whose last word ends in a consonant (“…가족(오수진)”이라는), else ""."""
    text = (texts[-1] if texts else "").strip()
    return "이" if josa(text, "이/가")[len(text):] == "이" else ""


def _about(when: str) -> str:
    """'2024년 6월 1일경', but '2024년 6월 1일 밤' (a part of day is already approximate: no "밤경")."""
    return when if when.endswith(PARTS_OF_DAY) else f"{when}경"


def _said_clause(quotes: tuple[Quote, ...]) -> str:
    """`홍길동은 “a”, “b”, 김영희는 “c”` — quotes grouped by consecutive speaker."""
    groups: list[tuple[str | None, list[str]]] = []
    for q in quotes:
        if groups and groups[-1][0] == q.speaker:
            groups[-1][1].append(q.text)
        else:
            groups.append((q.speaker, [q.text]))
    return ", ".join((f"{who}{topic(who)} " if who else "") + _quoted(texts) for who, texts in groups)


def fact_sentence(fact: Fact) -> str:
    """One sentence stating what the evidence shows, in the evidence's own words, ending in the fact's marker."""
    when = format_date(fact.ts, precision=fact.ts_precision, part_of_day=fact.ts_part_of_day)
    at = f"{_about(when)} " if when else ""
    mark = f"⟦{fact.fact_id}⟧"
    texts = [q.text for q in fact.quotes]
    has_speaker = any(q.speaker for q in fact.quotes)
    kind = fact.evidence_type
    if fact.repeat_of:
        return _repeat_sentence(fact, mark)
    if kind in ("kakaotalk", "text") and has_speaker:
        where = "카카오톡 대화에서" if kind == "kakaotalk" else "대화 기록에서"
        return f"{at}{where} {_said_clause(fact.quotes)}{_copula(texts)}라고 메시지를 보냈습니다{mark}."
    if kind in ("audio", "video"):
        medium = "녹음파일" if kind == "audio" else "동영상"
        place = f"{medium}의 {fact.locator} 지점에서" if fact.locator else f"{medium}에서"
        if has_speaker:
            return f"{at}{place} {_said_clause(fact.quotes)}{_copula(texts)}라고 말하였습니다{mark}."
        return f"{at}{place} {_quoted(texts)}{_copula(texts)}라는 음성이 확인됩니다{mark}."
    if fact.document in CERTIFICATES:
        return _certificate_sentence(fact, texts, mark)
    if kind == "image":
        photo = f"{fact.document} 사진" if fact.document else "사진"
        return f"{_about(when) + '의 ' if when else ''}{photo}에는 {_quoted(texts)}{_copula(texts)}라는 문구가 나타나 있습니다{mark}."
    if kind == "statement" and when:
        # A statement row is dated by the transaction itself: its own time, not an approximation.
        return (f"{fact.document or '금융거래내역'}에는 {when} {_quoted(texts)}{_copula(texts)}라는 거래가 "
                f"기재되어 있습니다{mark}.")
    return _document_sentence(fact, when, texts, mark)


_RECORDING_RE: Final = re.compile(r"녹취|녹음|통화\s?기록")


def _document_sentence(fact: Fact, when: str | None, texts: list[str], mark: str) -> str:
    """A document's lines: dated by their own words (the day of the event, or of a discovery), else by the day
    the document was written, else undated."""
    name = fact.document or "문서"
    page = f" {fact.locator}" if fact.locator else ""
    if fact.dated_in_text and when and _FOUND_RE.search(" ".join(texts)):
        # "2024. 5. 25. 카드 명세서에서 … 발견하였습니다": the day is when it was found, not when it happened.
        return (f"{name}{page}에는 {_about(when)} 알게 된 사실로 {_quoted(texts)}{_copula(texts)}라는 내용이 "
                f"기재되어 있습니다{mark}.")
    if fact.dated_in_text:  # the line's own date, not the day the document was written
        return f"{name}{page}에는 {_about(when or '')}의 일로 {_quoted(texts)}{_copula(texts)}라는 내용이 기재되어 있습니다{mark}."
    # No day of its own: never "작성된" without one. A transcript's day is when it was recorded (녹취 일시), not typed.
    made = "녹음된" if _RECORDING_RE.search(name) else "작성된"
    written = f"{_about(when)} {made} {name}" if when else name
    return f"{written}{page}에는 {_quoted(texts)}{_copula(texts)}라는 내용이 기재되어 있습니다{mark}."


def _certificate_sentence(fact: Fact, texts: list[str], mark: str) -> str:
    """A medical certificate proves an injury and its date in its own findings; it names no one who caused it."""
    whose = f"{fact.patient}에 대한 " if fact.patient else ""
    return f"{whose}{fact.document}에는 {_quoted(texts)}{_copula(texts)}라고 기재되어 있습니다{mark}."


def _repeat_sentence(fact: Fact, mark: str) -> str:
    """The same lines already quoted under another ground: refer to them instead of quoting them twice."""
    other = ground(fact.repeat_of or "")
    where = f"앞서 {other.short} 부분에서 본" if fact.repeat_before else f"뒤에서 {other.short} 부분에서 볼"
    return f"{where} 기재는 이 사유와도 관련됩니다{mark}."


# A line that tells when something was found out, not when it happened.
_FOUND_RE: Final = re.compile(r"발견하|발견했|알게\s*되|알게\s*됐|알게\s*된|보게\s*되|보게\s*됐|확인하게\s*되|적발")


def ground_paragraphs(facts: list[Fact]) -> list[str]:
    """The offline body of one ground: one paragraph per fact, in the facts' (date) order."""
    return [fact_sentence(f) for f in facts]


def ground_title(ground_id: str, index: int) -> str:
    g = ground(ground_id)
    return f"{_LETTERS[index]}. {g.short} (민법 제840조 제{ground_id.split('-')[1]}호)"


def _note(text: str) -> str:
    return f"[{text}]"


@dataclass(frozen=True)
class Roles:
    """How the pleading calls each side. `client`/`opponent` are the short forms used in the body (원고/피고);
    `client_full`/`opponent_full` the forms of the parties block and the claims (피고(반소원고) in a 반소장)."""

    counterclaim: bool
    client: str
    opponent: str
    client_full: str
    opponent_full: str

    @classmethod
    def of(cls, parties: Parties | None) -> Roles:
        if parties is not None and parties.client_side == ClientSide.DEFENDANT:
            return cls(True, "피고", "원고", "피고(반소원고)", "원고(반소피고)")
        return cls(False, "원고", "피고", "원고", "피고")

    @property
    def filing(self) -> str:
        return "반소장" if self.counterclaim else "소장"

    @property
    def prefix(self) -> str:
        """반소 before 청구취지, 청구원인, 소장 부본 … in a counterclaim."""
        return "반소" if self.counterclaim else ""


def case_name(claims: Claims, parties: Parties | None = None) -> str:
    name = "이혼 등 청구의 소" if claims.any else "이혼 청구의 소"
    return name.replace("의 소", "의 반소") if Roles.of(parties).counterclaim else name


def heading(claims: Claims, parties: Parties | None = None) -> dict[str, str]:
    if Roles.of(parties).counterclaim:
        # The counterclaim is filed in the pending case: its number is the lawyer's to fill in.
        return {"title": "반  소  장", "case_name": case_name(claims, parties), "notice": NOTICE_LONG,
                "case_number": "[      ]드[  ][      ] 이혼 등 (본소)"}
    return {"title": "소    장", "case_name": case_name(claims), "notice": NOTICE_LONG}


def _party(role: str, name: str | None = None) -> list[str]:
    """One party's block: the lawyer-entered name where known; number, address and 등록기준지 always blank."""
    return [f"{role}  {name or '[성명]'} (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]"]


def _name(parties: Parties | None, party: str) -> str | None:
    person = parties.person(party) if parties is not None else None
    return person.name if person is not None else None


def _children(parties: Parties | None) -> tuple[Child, ...]:
    return parties.children if parties is not None else ()


def _children_blocks(parties: Parties | None) -> list[str]:
    kids = _children(parties)
    if not kids:
        return _party("사건본인")
    if len(kids) == 1:
        return _party("사건본인", kids[0].name)
    return [line for i, child in enumerate(kids, start=1) for line in _party(f"사건본인 {i}.", child.name)]


def parties_lines(claims: Claims, parties: Parties | None = None) -> list[str]:
    """당사자의 표시: the filing side (with its attorney) first, then the other side, then the children."""
    roles = Roles.of(parties)
    client = [*_party(_spaced(roles.client_full), _name(parties, Party.CLIENT)),
              f"{roles.client_full} 소송대리인  변호사 [성명]"]
    opponent = _party(_spaced(roles.opponent_full), _name(parties, Party.OPPONENT))
    lines = [*client, *opponent]
    if claims.custody or claims.child_support:
        lines += _children_blocks(parties)
    known = parties is not None and parties.known
    lines.append(_note("성명은 사건의 당사자 정보에서 가져왔습니다. 주민등록번호·주소·등록기준지는 증거에서 추정하지 않았습니다. "
                       "변호사가 직접 기재하십시오." if known else
                       "당사자 정보는 증거에서 추정하지 않았습니다. 변호사가 직접 기재하십시오."))
    return lines


def _spaced(role: str) -> str:
    """원고 → "원      고" as the parties block aligns it; longer forms (피고(반소원고)) stay as they are."""
    return f"{role[0]}      {role[1]}" if len(role) == 2 else role


def _children_word(parties: Parties | None) -> tuple[str, str]:
    """(how the claims name the children, how they name them as subject): 사건본인 김하늘 / 사건본인들."""
    kids = _children(parties)
    if len(kids) > 1:
        return "사건본인들", "사건본인들이 각"
    if len(kids) == 1:
        return f"사건본인 {kids[0].name}", "사건본인이"
    return "사건본인 [성명]", "사건본인이"


def claim_lines(claims: Claims, parties: Parties | None = None) -> list[str]:
    """청구취지 (반소청구취지): divorce, the ticked claims with blank amounts, costs, provisional execution."""
    r = Roles.of(parties)
    pays = f"{r.opponent_full}는 {r.client_full}에게"
    items = [f"{r.client_full}와 {r.opponent_full}는 이혼한다." if r.counterclaim else "원고와 피고는 이혼한다."]
    provisional: list[int] = []
    if claims.alimony:
        items.append(f"{pays} 위자료로 금 [      ]원 및 이에 대하여 이 사건 {r.filing} 부본 송달 다음 날부터 "
                     "다 갚는 날까지 연 12%의 비율로 계산한 돈을 지급하라.")
        provisional.append(len(items))
    if claims.property_division:
        items.append(f"{pays} 재산분할로 금 [      ]원 및 이에 대하여 이 판결 확정 다음 날부터 "
                     "다 갚는 날까지 연 5%의 비율로 계산한 돈을 지급하라.")
    children, until = _children_word(parties)
    if claims.custody:
        items.append(f"{children}의 친권자 및 양육자로 {r.client_full}를 지정한다.")  # 원고를, 피고(반소원고)를
    if claims.child_support:
        each = " 사건본인 1인당" if len(_children(parties)) > 1 else ""
        items.append(f"{pays} {children}의 양육비로 [    ]. [  ]. [  ].부터 {until} 성년에 이르기 "
                     f"전날까지{each} 월 금 [      ]원씩을 매월 말일에 지급하라.")
        provisional.append(len(items))
    items.append(f"소송비용은 본소와 반소를 합하여 {r.opponent_full}가 부담한다." if r.counterclaim
                 else "소송비용은 피고가 부담한다.")
    if provisional:
        which = "항 및 제".join(str(n) for n in provisional)
        items.append(f"제{which}항은 가집행할 수 있다.")
    return [f"{i}. {text}" for i, text in enumerate(items, start=1)] + ["라는 판결을 구합니다."]


_CLAIM_CAUSES: Final = (
    ("alimony", "위자료 청구", "{opponent}의 유책 사유, 정신적 고통의 내용, 청구 금액의 산정 근거를 기재하십시오."),
    ("property_division", "재산분할 청구", "분할 대상 재산, 재산 형성 기여도, 청구 금액의 산정 근거를 기재하십시오."),
    ("custody", "친권자 및 양육자 지정", "사건본인의 나이, 양육 환경, 양육 의사와 능력을 기재하십시오."),
    ("child_support", "양육비 청구", "양육비 산정 기준표에 따른 금액과 산정 근거를 기재하십시오."),
)


def _cause_intro(r: Roles) -> list[str]:
    if not r.counterclaim:
        return []
    return [f"{r.client}(반소원고, 이하 '{r.client}'라 합니다)는 {r.opponent}(반소피고, 이하 '{r.opponent}'라 합니다)를 "
            "상대로 다음과 같은 이유로 이 반소를 제기합니다.",
            _note("원고의 본소 청구에 대한 답변(본소 청구 기각)은 답변서로 제출하거나, 이 서면을 '답변서 및 반소장'으로 하여 "
                  "함께 기재하십시오.")]


def body_sections(claims: Claims, paragraphs_by_ground: dict[str, list[str]], facts_by_ground: dict[str, list[Fact]],
                  omitted: dict[str, int], *, unattributed: int = 0,
                  parties: Parties | None = None, relation: Fact | None = None) -> list[dict[str, Any]]:
    """Every section before 입증방법, with fact markers still in the ground sections (and in the 당사자의 관계
    placeholder when `relation`, an evidence line stating the marriage, is offered there)."""
    r = Roles.of(parties)
    sections: list[dict[str, Any]] = [
        {"title": "당사자의 표시", "kind": "parties", "level": 1, "paragraphs": parties_lines(claims, parties)},
        {"title": f"{r.prefix}청구취지", "kind": "claims", "level": 1, "paragraphs": claim_lines(claims, parties)},
        {"title": f"{r.prefix}청구원인", "kind": "cause", "level": 1, "paragraphs": _cause_intro(r)},
        {"title": "1. 당사자의 관계", "kind": "cause_item", "level": 2, "paragraphs": [relation_note(relation, r) if relation
                                                                                   else _note(
            f"변호사 작성: {r.client}와 {r.opponent}의 혼인신고일과 자녀 관계를 기재하고 혼인관계증명서·가족관계증명서를 "
            "증거로 추가하십시오." if r.counterclaim else
            "변호사 작성: 원고와 피고의 혼인신고일과 자녀 관계를 기재하고 혼인관계증명서·가족관계증명서를 증거로 추가하십시오.")]},
        {"title": "2. 혼인 경위", "kind": "cause_item", "level": 2, "paragraphs": [_note(
            "변호사 작성: 혼인에 이르게 된 경위와 혼인 생활의 개요를 기재하십시오.")]},
    ]
    grounds = [g for g in GROUND_IDS if paragraphs_by_ground.get(g)]
    sections.append({"title": "3. 이혼 사유", "kind": "cause_item", "level": 2, "paragraphs": [] if grounds else [_note(
        "증거에서 민법 제840조 각 호의 사유와 관련하여 표시된 내용을 찾지 못했습니다. 변호사가 직접 작성하십시오.")]})
    if unattributed:
        sections[-1]["paragraphs"].append(unattributed_note(unattributed))
    sections += ground_sections(paragraphs_by_ground, facts_by_ground, omitted)
    number = 4
    for key, title, what in _CLAIM_CAUSES:
        if getattr(claims, key):
            sections.append({"title": f"{number}. {title}", "kind": "cause_item", "level": 2,
                             "paragraphs": [_note(f"변호사 작성: {what.format(opponent=r.opponent)}")]})
            number += 1
    return sections


def relation_note(fact: Fact, r: Roles) -> str:
    """The 당사자의 관계 placeholder offering the evidence's own line on the marriage and children, cited, for the lawyer
    to confirm against the 혼인관계증명서: still a note to replace, never a fact of the complaint."""
    texts = [q.text for q in fact.quotes]
    where = f"{fact.document}에는" if fact.document else "증거에는"
    return _note(f"확인 필요: {where} {_quoted(texts)}{_copula(texts)}라는 기재가 있습니다⟦{fact.fact_id}⟧. "
                 f"{r.client}와 {r.opponent}의 혼인신고일과 자녀 관계를 혼인관계증명서·가족관계증명서로 확인하여 "
                 "기재하고 증거로 추가하십시오.")


def unattributed_note(count: int) -> str:
    return _note(f"누가 한 행위인지 확인되지 않은 표시 {count}건은 초안에 넣지 않았습니다. 사건의 당사자와 증거의 "
                 "화자(의뢰인·상대방)를 지정하면 반영됩니다.")


def ground_sections(paragraphs_by_ground: dict[str, list[str]], facts_by_ground: dict[str, list[Fact]],
                    omitted: dict[str, int]) -> list[dict[str, Any]]:
    """One section per ground with paragraphs (가. 나. …), in ground order, noting the facts left out by the cap."""
    sections: list[dict[str, Any]] = []
    for i, gid in enumerate(g for g in GROUND_IDS if paragraphs_by_ground.get(g)):
        paragraphs = list(paragraphs_by_ground[gid])
        if omitted.get(gid):
            paragraphs.append(_note(f"이 밖에 이 사유와 관련하여 표시된 증거 {omitted[gid]}건은 초안에 넣지 않았습니다. "
                                    "타임라인에서 확인하십시오."))
        sections.append({"title": ground_title(gid, i), "kind": "ground", "level": 3, "ground": gid,
                         "facts": [f.fact_id for f in facts_by_ground.get(gid, [])], "paragraphs": paragraphs})
    return sections


def _exhibit_line(ex: dict[str, Any]) -> str:
    first, last = short_date(ex.get("date")), short_date(ex.get("date_to"))
    when = first if not last or last == first else f"{first} ~ {last}"
    filename = " ".join(str(ex["filename"]).split())  # one line per exhibit, whatever the upload was called
    return f"{ex['range_label']}  {ex['type_label']} (파일: {filename}, 일자: {when or '미상'})"


def exhibit_list(exhibits: list[dict[str, Any]]) -> list[str]:
    """The 입증방법 lines: one per exhibit, numbered exactly as cited, or a note that nothing is cited."""
    return [_exhibit_line(ex) for ex in exhibits] or [_note("초안에 인용된 증거가 없습니다.")]


def evidence_sections(exhibits: list[dict[str, Any]], claims: Claims,
                      parties: Parties | None = None) -> list[dict[str, Any]]:
    """입증방법 (the exhibit list, numbered exactly as cited) and 첨부서류."""
    r = Roles.of(parties)
    listed = exhibit_list(exhibits)
    attachments = ["위 입증방법  각 1통", "혼인관계증명서(원고, 피고)  각 1통", "가족관계증명서(원고, 피고)  각 1통",
                   "주민등록등본(원고, 피고)  각 1통"]
    if claims.custody or claims.child_support:
        attachments.append("기본증명서 및 가족관계증명서(사건본인)  각 1통")
    attachments += [f"{r.filing} 부본  1통", "송달료 납부서  1통", "소송위임장  1통"]
    return [
        {"title": "입증방법", "kind": "evidence_list", "level": 1, "paragraphs": listed},
        {"title": "첨부서류", "kind": "attachments", "level": 1,
         "paragraphs": [f"{i}. {a}" for i, a in enumerate(attachments, start=1)]},
    ]


def closing_lines(parties: Parties | None = None) -> list[str]:
    r = Roles.of(parties)
    court = "[본소가 계속 중인 가정법원] 귀중" if r.counterclaim else "[관할 가정법원] 귀중"
    return ["20    .    .    .", f"{r.client_full} 소송대리인 변호사 [성명] (서명 또는 날인)", court]


def render_text(head: dict[str, str], sections: list[dict[str, Any]], closing: list[str]) -> str:
    """The whole draft as plain text, in the order a court reads it."""
    lines = [head["notice"], "", head["title"], "", *heading_lines(head), ""]
    if head.get("preamble"):
        lines += [head["preamble"], ""]
    for s in sections:
        lines.append(s["title"])
        lines.extend(s["paragraphs"])
        lines.append("")
    lines.extend(closing)
    return "\n".join(lines).rstrip() + "\n"
