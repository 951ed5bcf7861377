"""The learned half of the offline art. 840 labeller: one logistic regression per ground over Kiwi morphemes.

The lexicon's rules (`leh.analysis.labels`) are precise on direct wording ("때렸어", "바람피웠지") but miss
what is only implied: a lover's "와이프 친정 갔으니까", a 무인텔 row in a card statement, 같이 산다, a door
code changed to keep the spouse out. This model reads the same morphemes and scores each ground from

- the morphemes themselves (`m:때리/VV`), pairs of neighbours (`b:생활비_끊`) and, for words Kiwi does not
  know (shop names in statement rows: 해피무인텔), the Hangul pieces inside them (`c:무인텔`);
- the same morphemes inside a negated or conditional clause marked apart (`n:때리`, so 안 때렸어 learns its own
  weight), plus markers for quotation, other people's stories and questions;
- who did what to whom: person words marked as subject or target (`a:parent@tgt` for 우리 엄마한테, `a:inlaw@subj`
  for 시어머니가), which separate 840-3 from 840-4 and 840-6, and pairs of word classes (`p:insult&parent@tgt`);
- which grounds and tags the rules found (`r:840-3`, `r2:840-3` for two matches), so the model learns where they are
  right;
- word families widened offline with Kiwi's CoNg word similarity (`w:lodging` for 모텔, 호스텔, 여관, …), stored
  in the model so that nothing but the default Kiwi model is loaded at run time;
- statement-row shape: a date and an amount on one line (`x:row`), a time between midnight and 6 (`x:night`);
- who writes and to whom, when a header names them (`s:v-parent` for "노인 말투 친정아버지:", `s:to-child_inlaw` for
  "장모가 사위에게 보낸 문자:"): the same "사위가 나갔다" is a parent telling of desertion, not abuse of that parent.

The weights are plain numbers in `leh/analysis/model/labels_model.json`, trained by `bench/train_labels.py` from
`tests/fixtures/eval/` (the blind set excluded) with scikit-learn; running them needs neither scikit-learn nor
numpy. Loaded once per process; deterministic (same text, same scores).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from leh.analysis.morph import Morph

MODEL_PATH: Final = Path(__file__).resolve().parent / "model" / "labels_model.json"
GROUNDS: Final = ("840-1", "840-2", "840-3", "840-4", "840-5", "840-6")

_NEG_ADV: Final = frozenset({"안", "못"})
_NEG_PRED: Final = frozenset({"않", "못하", "없", "아니", "말"})
_COND: Final = frozenset({"면", "으면", "다면", "ᆫ다면", "는다면", "거든"})
_QUOTE: Final = frozenset({"라고", "이라고", "다고", "ᆫ다고", "는다고", "냐고", "자고", "라는", "이라는", "다는", "ᆫ다는", "대", "래"})
_STORY: Final = frozenset({"드라마", "영화", "뉴스", "기사", "웹툰", "소설", "유튜브", "예능", "친구", "옆집", "동생", "언니",
                           "누나", "선배", "동료", "연예인"})
_CLAUSE_EC: Final = frozenset({"고", "어서", "아서", "서", "니까", "으니까", "는데", "ᆫ데", "은데", "지만", "더니", "다가", "면서",
                               "으면서", "어도", "아도", "니", "자"})
_SKIP_TAGS: Final = ("SP", "SS", "SE", "SO", "SW", "SH")
_HANGUL_RUN: Final = re.compile(r"[가-힣]{2,}")
_SPACES: Final = re.compile(r"\s+")
_ROW_DATE: Final = re.compile(r"(?:19|20)\d\d[-./년 ]\s*\d{1,2}")
_AMOUNT: Final = re.compile(r"\d{1,3}(?:,\d{3})+\s*원?|\d+\s*(?:만\s*)?원")
_CLOCK: Final = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)")
_NIGHT_WORDS: Final = ("새벽", "자정", "한밤")


def _clause_flags(ms: Sequence[Morph]) -> list[tuple[bool, bool]]:
    """(negated, conditional) for every morpheme: whether its clause holds a negation / ends in a condition."""
    flags: list[tuple[bool, bool]] = []
    start = 0
    n = len(ms)
    for i in range(n + 1):
        end_here = i == n or ms[i].tag == "SF" or (ms[i].tag.startswith("EC") and ms[i].form in _CLAUSE_EC)
        cond_here = i < n and ms[i].tag.startswith("EC") and ms[i].form in _COND
        if not (end_here or cond_here or i == n):
            continue
        stop = min(i + 1, n)
        clause = ms[start:stop]
        neg = any((m.form in _NEG_ADV and m.tag == "MAG") or (m.form in _NEG_PRED and m.tag.startswith(("VX", "VA", "VCN")))
                  for m in clause)
        flags.extend((neg, cond_here) for _ in clause)
        start = stop
    return flags[:n]


# Small word classes whose co-occurrence carries the implicature (와이프 + 친정 + 와; 생활비 + 안; 나가 + 석 달).
_SPOUSE: Final = frozenset({"남편", "아내", "와이프", "신랑", "집사람", "마누라", "배우자", "애아빠", "애엄마", "피고"})
_OTHER: Final = frozenset({"여자", "남자", "상간녀", "상간남", "내연녀", "내연남", "소외", "소외인", "오빠", "애인", "자기"})
_DURATION: Final = frozenset({"째", "개월", "달", "년", "동안", "반년", "석", "넉", "몇"})
_SELF: Final = frozenset({"나", "내", "저", "제"})


def _classes(ms: Sequence[Morph], flags: Sequence[tuple[bool, bool]], widened: dict[str, list[str]] | None) -> set[str]:
    out: set[str] = set()
    for m, (neg, cond) in zip(ms, flags, strict=True):
        if m.form in _SPOUSE:
            out.add("spouse")
        elif m.form in _OTHER and m.tag.startswith(("NN", "NP")):
            out.add("other")
        elif m.form in _DURATION and m.tag.startswith("NN"):
            out.add("dur")
        elif m.form in _SELF and m.tag == "NP":
            out.add("self")
        if neg:
            out.add("neg")
        if cond:
            out.add("cond")
        if widened is not None:  # an alias (`=때리/VV`, one trained word and its neighbours) is no class of its own
            out.update(f for f in widened.get(f"{m.form}/{m.tag[:2]}", ()) if not f.startswith("="))
    return out


# Who did what to whom (DOMAIN.md): the same blow is 840-3 when it hits the client or comes from the spouse's parents,
# 840-4 when it hits the client's parent, 840-6 when a 시누이 or 처제 deals it. `a:<who>@<role>` marks each person word
# with its role in the clause: subject (가, 는), target (한테, 께, 를) or owner of a body part (엄마 팔을).
_ROLE_WORDS: Final[dict[str, frozenset[str]]] = {
    "parent": frozenset({"엄마", "아빠", "어머니", "아버지", "부모", "부모님", "친정엄마", "친정아빠", "친정아버지", "친정어머니",
                         "노모", "부친", "모친", "어머님", "아버님", "장인어른"}),
    "inlaw": frozenset({"시어머니", "시아버지", "시부모", "시어머님", "시아버님", "장모", "장인", "시댁", "처가", "시어른"}),
    "relative": frozenset({"시누이", "시누", "시동생", "시아주버니", "아주버님", "아주버니", "처남", "처제", "처형", "동서",
                           "올케", "매형", "매부", "제부", "형님"}),
    "self": frozenset({"나", "저", "내", "제"}),
    "spouse": frozenset({"남편", "아내", "와이프", "신랑", "마누라", "배우자", "집사람", "피고", "당신", "너", "니"}),
    "child_inlaw": frozenset({"사위", "며느리"}),
}
_ROLE_OF: Final = {w: k for k, ws in _ROLE_WORDS.items() for w in ws}
_SUBJ_PARTICLES: Final = frozenset({"이", "가", "은", "는", "ᆫ", "께서"})
_TARGET_PARTICLES: Final = frozenset({"한테", "에게", "께", "더러", "보고", "테", "을", "를", "ᆯ"})
_BODY: Final = frozenset({"멱살", "뺨", "머리채", "머리끄덩이", "얼굴", "머리", "목", "팔", "배", "가슴", "등", "손목", "다리", "눈",
                          "이마", "허리", "어깨", "옆구리", "뒤통수", "턱", "코", "정강이", "따귀", "귀싸대기"})


def _is_target(m: Morph) -> bool:
    """한테/께/를 after the person, a body part of theirs (엄마 팔을), or a verb right after (우리 엄마 밀쳐서)."""
    return ((m.tag in ("JKB", "JKO") and m.form in _TARGET_PARTICLES) or (m.form in _BODY and m.tag.startswith("NN"))
            or m.tag.startswith(("VV", "VA")))


def _role_features(ms: Sequence[Morph]) -> set[str]:
    out: set[str] = set()
    n = len(ms)
    for i, m in enumerate(ms):
        who = _ROLE_OF.get(m.form) if m.tag.startswith(("NN", "NP")) else None
        if who is None:
            continue
        k = i + 1
        if k < n and ms[k].tag == "XSN":  # 장모님, 어머님
            k += 1
        if k >= n:
            continue
        nxt = ms[k]
        if nxt.tag in ("JKS", "JX") and nxt.form in _SUBJ_PARTICLES:
            out.add(f"a:{who}@subj")
        elif _is_target(nxt):
            out.add(f"a:{who}@tgt")
    return out


# roles=2: more kin words (사투리, 낮춤말, 시이모-type compounds), whose kin it is (우리 엄마 / 니 애비 / 니 처), the agent of a
# passive (사위한테 맞았다), a parent's voice (아들아), and person words found in the text without its spaces (OCR, "장 인 어
# 른 한 테"). Who owns the parent decides 840-4 (the client's parent) against 840-3 (the spouse's) and 840-6 (a 시누이's).
_ROLE_WORDS2: Final[dict[str, frozenset[str]]] = {
    "parent": _ROLE_WORDS["parent"] | frozenset({"엄니", "어매", "어무이", "어무니", "엄마", "아부지", "아배", "애비", "에미", "애미",
                                                 "친정부모", "노친네", "노인네", "늙은이", "할망구", "노부부", "양친"}),
    "inlaw": _ROLE_WORDS["inlaw"] | frozenset({"시어미", "시애비", "시모", "시부", "장모님", "시집", "처갓집", "처가댁", "시가"}),
    "relative": _ROLE_WORDS["relative"] | frozenset({"새언니", "형수", "제수", "제수씨", "형부", "도련님", "아가씨", "시숙", "처남댁",
                                                     "시고모", "시이모", "시삼촌", "큰동서", "손위", "시조카"}),
    "self": _ROLE_WORDS["self"] | frozenset({"의뢰인", "내담자", "신청인"}),
    "spouse": _ROLE_WORDS["spouse"] | frozenset({"서방", "처", "댁", "영감탱이", "자네", "상대방", "행위자", "피신청인"}),
    "child_inlaw": _ROLE_WORDS["child_inlaw"] | frozenset({"김서방", "이서방", "박서방", "최서방", "정서방"}),
    # 우리 오빠 / 우리 아들 from a speaker who is not the spouse: a 시누이 or the spouse's parent is speaking.
    "sibling": frozenset({"오빠", "형", "언니", "누나", "동생", "여동생", "남동생", "누이", "오라버니"}),
    "child": frozenset({"아들", "딸", "딸내미", "아들내미", "아들놈", "손주", "손녀", "손자"}),
}
_ROLE_OF2: Final = {w: k for k, ws in _ROLE_WORDS2.items() for w in ws}
_KIN_AFTER_PREFIX: Final = frozenset({"이모", "고모", "삼촌", "외삼촌", "조카", "누이", "할머니", "할아버지", "큰아버지", "작은아버지"})
_POSS: Final = {"우리": "our", "저희": "our", "내": "my", "나": "my", "제": "my", "저": "my", "니": "your", "너": "your", "네": "your",
                "당신": "your", "자네": "your", "느그": "your", "너희": "your", "니네": "your"}
# Whose kin, when a record names the party (원고의 부친, 상대방 어머니): the client's ("my") or the spouse's ("your").
_PARTY_POSS: Final = {"원고": "my", "의뢰인": "my", "신청인": "my", "피해자": "my", "진술인": "my", "내담자": "my",
                      "피고": "your", "상대방": "your", "피신청인": "your", "행위자": "your", "남편": "your", "아내": "your",
                      "와이프": "your", "신랑": "your", "배우자": "your"}
_ASK_ENDINGS: Final = frozenset({"습니까", "ᆸ니까", "나요", "까요", "을까요", "ᆯ까요"})
_PASSIVE: Final = frozenset({"맞", "당하", "잡히", "밀리", "차이", "끌리", "얻어맞", "듣", "쫓겨나", "밟히", "물리", "찔리"})
_CHILD_VOC: Final = frozenset({"아들", "딸", "애미", "에미", "애비", "아가", "얘", "막내"})
_BY_PARTICLES: Final = frozenset({"한테", "에게", "헌티", "테", "께"})
_NOSPACE_KIN: Final = re.compile("(" + "|".join(sorted({w for k, ws in _ROLE_WORDS2.items() if k not in ("self", "spouse")
                                                       for w in ws if len(w) >= 2}, key=len, reverse=True))
                                 + ")(한테|에게|께서|께|헌티|더러|보고|를|을|이|가|는|은)?")


def _role_at(ms: Sequence[Morph], i: int) -> tuple[str, int] | None:
    """The kin class of the person word at `i` (roles=2) and the index of its last morpheme (시+이모, 김+서방, 장모+님)."""
    m = ms[i]
    if not m.tag.startswith(("NN", "NP")):
        return None
    nxt = ms[i + 1] if i + 1 < len(ms) else None
    if m.form in ("시", "처") and nxt is not None and nxt.form in _KIN_AFTER_PREFIX:
        return "relative", i + 1
    if m.tag == "NNP" and nxt is not None and nxt.form == "서방":
        return "child_inlaw", i + 1
    who = _ROLE_OF2.get(m.form)
    if who is None or (m.form in ("처", "댁") and _owner(ms, i) is None):
        return None  # 처 / 댁 alone are other words (처 = place, 댁 = house); 니 처, 아들 니 댁 are people
    return who, i


def _owner(ms: Sequence[Morph], i: int) -> str | None:
    """우리 엄마 → our, 니 애비 → your, 나의 어머니 → my: whose kin the person word at `i` is."""
    j = i - 1
    if j >= 0 and ms[j].tag.startswith("MM"):  # 그 노인네
        j -= 1
    if j >= 1 and ms[j].tag == "JKG" and ms[j - 1].form in _POSS:
        return _POSS[ms[j - 1].form]
    if j >= 0 and ms[j].form in _POSS and ms[j].tag.startswith(("NP", "NNB", "MM")):
        return _POSS[ms[j].form]
    if j >= 1 and ms[j].tag == "JKG" and ms[j - 1].form in ("딸", "아들"):
        return "child"  # 딸의 남편 = 사위
    k = j - 1 if j >= 1 and ms[j].tag == "JKG" else j
    if k >= 0 and ms[k].form in _PARTY_POSS and ms[k].tag.startswith("NN"):
        return _PARTY_POSS[ms[k].form]  # 원고의 부친 / 의뢰인 어머니 (the client's), 피고의 모 / 남편 어머니 (the spouse's)
    return None


def _role_features2(ms: Sequence[Morph], text: str) -> set[str]:
    out: set[str] = set()
    n = len(ms)
    asks = "?" in text or any(m.tag.startswith("EF") and m.form in _ASK_ENDINGS for m in ms)
    done = -1
    for i in range(n):
        if ms[i].tag == "JKV" and i > 0 and ms[i - 1].form in _CHILD_VOC:
            out.add("t:voc-child")  # 아들아, 애미야: a parent is speaking
        found = _role_at(ms, i) if i > done else None
        if found is None:
            continue
        who, last = found
        done = last
        owner = _owner(ms, i)
        if owner == "child" and who == "spouse":
            who = "child_inlaw"
        role = _role_after(ms, last + 1)
        if _addressed(ms, i, last):
            out.add(f"v:{who}")  # 형수 니가 뭔데, 장모님 주제에, 김서방 우리 딸: who is spoken to
            if asks:
                out.add(f"q:v-{who}")  # 장모님 … 아세요?: a question put to them asserts nothing done to them
        if owner is not None and owner != "child":
            out.add(f"o:{owner}-{who}")
            if role:
                out.add(f"o:{owner}-{who}@{role}")
        if role:
            out.add(f"a:{who}@{role}")
    for word, particle in _NOSPACE_KIN.findall(_SPACES.sub("", text)):
        who = _ROLE_OF2[word]
        out.add(f"z:{who}")
        if particle in ("한테", "에게", "께", "헌티", "더러", "보고", "를", "을"):
            out.add(f"z:{who}@tgt")
        elif particle:
            out.add(f"z:{who}@subj")
    return out


# voice=True: who writes and to whom, from a line's header ("장모가 사위에게 보낸 문자:", "노인 말투 친정아버지:", "녹취
# 화자1(원고의 부):", "강원도 시누:"). The same "사위가 나갔다" is the client's parent telling of the spouse's desertion,
# not abuse of that parent; the same insult from a header's 시어머니 is 840-3, from its 시누 840-6.
_HEAD: Final = re.compile(r"^(.{0,40}?[^\d\s])\s*[:：]")
_HEAD_EXTRA: Final = {"원고의부": "parent", "원고의모": "parent", "원고의어머니": "parent", "원고의아버지": "parent",
                      "피고의부": "inlaw", "피고의모": "inlaw", "피고의어머니": "inlaw", "피고의아버지": "inlaw", "친정": "parent",
                      "시어매": "inlaw", "시어머이": "inlaw", "시누": "relative", "상간녀": "lover", "상간남": "lover",
                      "내연녀": "lover", "애인": "lover", "아이": "child", "학생": "child", "자녀": "child"}
_HEAD_KIN: Final = re.compile("(" + "|".join(sorted(set(_ROLE_OF2) | set(_HEAD_EXTRA), key=len, reverse=True)) + ")(에게|한테|께)?")


# …, or from a source note at its end: "… 문도 못 열었다 (친정엄마 카톡)", "… 나가든지 해라 (시아버지)".
_TAIL: Final = re.compile(r"\(([^()]{1,24})\)\s*$")


def _voice_features(text: str) -> set[str]:
    """`s:v-<who>` for the writer a header (or a closing source note) names, `s:to-<who>` for whom it is written to."""
    found = _HEAD.match(text) or _TAIL.search(text)
    if found is None:
        return set()
    out: set[str] = set()
    for word, to in _HEAD_KIN.findall(_SPACES.sub("", found.group(1))):
        who = _HEAD_EXTRA.get(word) or _ROLE_OF2[word]
        if who == "self":
            continue
        if to:
            out.add(f"s:to-{who}")
        elif not any(f.startswith("s:v-") for f in out):
            out.add(f"s:v-{who}")
    return out


def _addressed(ms: Sequence[Morph], i: int, last: int) -> bool:
    """The person word at i..last opens the message or a sentence and takes no case particle, or takes 아/야/여."""
    k = last + 1
    while k < len(ms) and (ms[k].tag == "XSN" or (ms[k].tag == "NNB" and ms[k].form == "씨")):
        k += 1
    if k < len(ms) and ms[k].tag == "JKV":
        return True
    if k == last + 1:
        k = _after_name(ms, k)  # 장모 권말순으로부터: the name's particle is the kin word's
    opens = i == 0 or ms[i - 1].tag.startswith(("SF", "SP", "SS", "SE", "SW", "SO"))
    return opens and (k >= len(ms) or not ms[k].tag.startswith("J"))


# A name after a kin word ("장모 권말순으로부터", "장모님 수진이가", "어머니 김영자가"): the particle after the name is the
# kin word's. Kiwi splits unknown names into pieces (권/NNB 말/NNB 순/NNG), so a name is an NNP, or a common surname, then
# at most two more short noun pieces, ending at a particle.
_FROM_PARTICLES: Final = frozenset({"로부터", "으로부터", "한테서", "에게서", "헌티서"})
_SURNAMES: Final = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용")


def _after_name(ms: Sequence[Morph], k: int) -> int:
    """The index after a name that follows a kin word at k (k itself when there is none)."""
    n = len(ms)
    if k >= n or not (ms[k].tag == "NNP" or (ms[k].tag in ("NNB", "NNG") and ms[k].form in _SURNAMES)):
        return k
    j = k + 1
    while j < n and j - k < 4 and (ms[j].tag == "XSN" or (ms[j].tag in ("NNP", "NNB", "NNG") and len(ms[j].form) <= 2)):
        j += 1
    if j < n and ms[j].tag.startswith("J"):
        return j
    return k


def _role_after(ms: Sequence[Morph], k: int) -> str | None:
    """subj / tgt / by (the agent of a passive: 사위한테 맞았다) for the morpheme after a person word."""
    n = len(ms)
    honorific = k < n and ms[k].tag == "XSN"
    if honorific:  # 장모님, 어머님
        k += 1
    if k < n and ms[k].tag == "NNB" and ms[k].form == "씨":  # 제수씨
        k += 1
    if not honorific:  # "장모님 수진이가" speaks to 장모 about 수진
        k = _after_name(ms, k)
    if k >= n:
        return None
    nxt = ms[k]
    if nxt.tag == "JKG" and k + 1 < n and ms[k + 1].form in _BODY and ms[k + 1].tag.startswith("NN"):
        return "tgt"  # 부친의 가슴을, 의뢰인의 이마를: the owner of the body part is the one it was done to
    if nxt.tag in ("JKS", "JX") and nxt.form in _SUBJ_PARTICLES:
        return "subj"
    if nxt.tag == "JKB" and nxt.form in _FROM_PARTICLES:
        return "by"  # 장모로부터 욕설을 들었다, 시어머니한테서: whom it came from
    if nxt.tag == "JKB" and nxt.form in _BY_PARTICLES and any(
            m.form in _PASSIVE and m.tag.startswith("VV") for m in ms[k + 1:k + 5]):
        return "by"
    if _is_target(nxt) or (nxt.tag == "JKB" and nxt.form == "헌티"):
        return "tgt"
    return None


def spaced_out(text: str) -> bool:
    """Text with a space after most syllables (OCR, "장 인 어 른 한 테 전 해 요"): Kiwi reads it as single-syllable nouns."""
    words = [w for w in text.split() if _HANGUL_RUN.search(w) or len(w) == 1]
    single = sum(len(w) == 1 and "가" <= w <= "힣" for w in words)
    return single >= 4 and single >= 0.5 * len(words)


def respaced(text: str, ms: Sequence[Morph]) -> Sequence[Morph]:
    """The morphemes the model reads (`options["respace"]`): for spaced-out text, those of the text without spaces."""
    if not spaced_out(text):
        return ms
    from leh.analysis.morph import morphs_many

    return morphs_many([_SPACES.sub("", text)])[0]


def _denied_at(ms: Sequence[Morph], i: int) -> bool:
    """The act at `i` is itself denied: 안/못 right before it, -지(도) 않/못하 right after it, or -ㄴ 적 없 within reach."""
    if i > 0 and ms[i - 1].tag == "MAG" and ms[i - 1].form in _NEG_ADV:
        return True
    tail = ms[i + 1:i + 7]
    k = 0
    while k < len(tail) and tail[k].tag.startswith(("XSV", "EP", "VX")) and tail[k].form not in _NEG_PRED:
        k += 1  # 폭행하지 않았다, 때려 주지 않았다
    if k < len(tail) and tail[k].form == "지" and tail[k].tag.startswith("EC"):
        rest = [m for m in tail[k + 1:k + 3] if not m.tag.startswith("JX")]
        return bool(rest) and rest[0].form in ("않", "못하") and rest[0].tag.startswith("VX")
    rest = [m for m in tail[k:k + 4] if not m.tag.startswith(("JKS", "JX"))]  # 때린 적(이/은) 없어
    return (len(rest) >= 3 and rest[0].tag == "ETM" and rest[1].form == "적" and rest[2].form == "없"
            and rest[2].tag.startswith("VA"))


def _denial_features(ms: Sequence[Morph], widened: dict[str, list[str]] | None) -> set[str]:
    """`d:<family>` for a family word whose act is denied ("안 때렸어", "밀지도 않았어", "때린 적 없어")."""
    out: set[str] = set()
    for i, m in enumerate(ms):
        if not m.tag.startswith(("VV", "NN", "XR")):
            continue
        fams = (widened or {}).get(f"{m.form}/{m.tag[:2]}", ())
        if fams and _denied_at(ms, i):
            out.update(f"d:{fam}" for fam in fams)
            out.add("d:any")
    return out


def _row_features(text: str) -> list[str]:
    out = []
    if _ROW_DATE.search(text) and _AMOUNT.search(text):
        out.append("x:row")
    elif _AMOUNT.search(text):
        out.append("x:amount")
    for h, _m in _CLOCK.findall(text):
        if 0 <= int(h) < 6:
            out.append("x:night")
            break
    if any(w in text for w in _NIGHT_WORDS):
        out.append("x:night")
    return out


# acts=True (round 9): what a clause does with its act, beyond negation. A prohibition ("엄살 떨지 마", "찾지 마", "연락하지
# 마세요") orders the other person and says nothing is denied: its verb is `pr:<verb>` (and its families `prw:`), apart from
# the negated `n:`. A person carried or taken along by one who leaves ("서아 데리고 나왔어", "애 업고 도망쳤어", "짐 싸서
# 나가버렸어") is `e:leave-with`. A transfer or payment that stops ("이후 기록 없음", "3개월 연속 0원", "생활비 끊었어") is
# `e:stopped`, whatever the row's words. A denied act of any verb ("밥 한 번 먹은 적 없어") is `d:act` (the families' `d:`
# cover only their own words). An advertisement ("(광고)", "광고 문자:", "수신거부") is `t:ad`: it offers, it tells of no act.
# A heart ("지은♡" as a transfer's payee, "자기♥" in a contact name) is `t:heart`; with an amount it pairs as
# `p:amount&heart`: money or a purchase for someone held dear.
_LEAVE_VERBS: Final = frozenset({"나오", "나가", "떠나", "도망가", "도망치", "도망", "가출", "나서", "빠져나오", "뛰쳐나가", "이사"})
_CARRY_VERBS: Final = frozenset({"데리", "업", "챙기", "싸", "안"})
_STOP_WORDS: Final = frozenset({"끊", "끊기", "중단", "정지", "해지", "미입금", "미지급", "미납", "멈추", "끊어지"})
_ZERO: Final = re.compile(r"(?<![\d,.])0\s*(?:원|건|회)|연속\s*0(?!\d)|(?:이후|부터|뒤로|후로)\D{0,12}?(?:없|0)")
_MONEY: Final = re.compile(r"입금|이체|송금|돈|생활비|양육비|급여|월급|카드|통장|계좌|\d\s*원|만\s*원|용돈|결제|출금|관리비|학원비")
_HEART: Final = re.compile("[♡♥❤💕💗💘💖😘]")
_AD: Final = re.compile(r"[(\[]광고[)\]]|광고\s*(?:문자|메일|메시지|전화|:)|수신\s*거부|무료\s*거부")


def _head_before(ms: Sequence[Morph], k: int) -> int:
    """The index of the word a -지 말 / -지 않 ending at k belongs to: back over 하/XSV, 었/EP to the verb or noun."""
    j = k - 1
    while j >= 0 and ms[j].tag.startswith(("XSV", "XSA", "EP")):
        j -= 1
    return j


def _prohibits(ms: Sequence[Morph], k: int) -> bool:
    """말 (VX) at k, or after 좀/제발/도/는 (떨지 좀 마, 하지도 마): the -지 before k is a prohibition."""
    while k < len(ms) and (ms[k].tag == "JX" or (ms[k].tag == "MAG" and ms[k].form in ("좀", "제발", "절대"))):
        k += 1
    return k < len(ms) and ms[k].form == "말" and ms[k].tag.startswith("VX")


def _act_features(text: str, ms: Sequence[Morph], widened: dict[str, list[str]] | None) -> set[str]:
    out: set[str] = set()
    for i, m in enumerate(ms):
        if m.form == "지" and m.tag.startswith("EC") and _prohibits(ms, i + 1):
            j = _head_before(ms, i)
            if j >= 0:
                out.add("t:prohib")
                start = j - 1 if j >= 1 and ms[j - 1].tag.startswith("NN") else j  # 엄살 떨지 마: the object too
                for h in ms[start:j + 1]:
                    key = f"{h.form}/{h.tag[:2]}"
                    out.add(f"pr:{key}")
                    out.update(f"prw:{fam}" for fam in (widened or {}).get(key, ()) if not fam.startswith("="))
        elif m.form in _CARRY_VERBS and m.tag.startswith("VV") and any(
                x.form in _LEAVE_VERBS and x.tag.startswith(("VV", "VX", "NN")) for x in ms[i + 1:i + 6]):
            out.add("e:leave-with")
        elif m.form in _STOP_WORDS and m.tag.startswith(("VV", "NN")) and m.tag != "NNP" and _MONEY.search(text):
            out.add("e:stopped")
        if m.tag.startswith("VV") and _denied_at(ms, i):
            out.add("d:act")
    if _ZERO.search(text) and _MONEY.search(text):
        out.add("e:stopped")  # money that stops; "연락이 끊겼다", "이후로 없는 번호" (840-5's silence) are no payment
    if _AD.search(text):
        out.add("t:ad")
    if _HEART.search(text):
        out.add("t:heart")
    if _me_too(ms):
        out.add("t:me-too")
    return out


_ME: Final = frozenset({"나", "저"})
_TOO: Final = frozenset({"까지", "도", "마저", "조차"})


def _me_too(ms: Sequence[Morph]) -> bool:
    """The writer named as one more (나까지, 저마저, 나한테도): a second person the act reached, the writer after someone
    else ("엄마를 때리고 말리던 저까지 밀쳤어요": a blow to the parent and one to the client, not one act)."""
    for i, m in enumerate(ms):
        if m.form in _ME and m.tag == "NP":
            j = i + 1
            if j < len(ms) and ms[j].tag.startswith(("JKB", "JKO")):
                j += 1
            if j < len(ms) and ms[j].tag == "JX" and ms[j].form in _TOO:
                return True
    return False


# asserts=True (round 11): what a line asserts about an act, whoever did it. A sentence that ends in a question mark
# asks or doubts ("욕했다고? 누가 그래?"): its words are marked `q:<morpheme>` (and their families `qw:`), apart from the
# ones stated. A legal step (소송, 고소, 변호사, 법원, 위자료 …) is `t:lawful`: "이러면 소송 걸 거야" threatens a lawful act,
# no harm (its pair with a condition, `p:cond&lawful`, carries that). A thing held up or swung (칼 들고, 골프채를 휘두르며)
# is `t:armed`. An act before others ("다 보는 데서", "친척들 모인 자리에서", "하객들 앞에서") is `t:public`. A message
# to be passed on ("… 그대로 전해", "전달해라") is `t:relay`: it is aimed at the one it is passed to. Swearing with no
# person in the line — no second-person word, no person word of any role ("씨발 차 막혀서") — is `t:no-person`:
# it curses a situation. Play or a joke (장난, ㅋㅋ + 놀이/게임/싸움 of a game) is `t:play`.
_LAWFUL: Final = re.compile(r"소송|고소|변호사|법원|법정|위자료|재산\s*분할|조정\s*신청|양육권|친권|소장|내용\s*증명|법적\s*(?:조치|대응)|가압류")
_HOLD_VERBS: Final = frozenset({"들", "휘두르", "집어들", "치켜들", "쳐들", "겨누", "들이밀"})
_PUBLIC: Final = re.compile(r"(?:보는|있는|모인|듣는|지켜보는)\s*(?:데서|앞에서|자리에서|데|가운데)|"
                            r"(?:사람들|하객|친척|손님|동료|직원|식구|가족|애들|아이들|친구들|이웃)\S{0,3}\s*(?:다\s*)?앞에서|보란\s*듯")
_RELAY: Final = re.compile(r"전해\s*(?:라|줘|주|요|드려|$|[.!~])|전하(?:라|세요|거라)|전달\s*해")
_SECOND: Final = frozenset({"너", "니", "당신", "네", "자네", "댁", "느"})
_PLAY: Final = re.compile(r"장난|놀이|베개\s*싸움|물총|술래|간지럼")
_SWEAR: Final = frozenset({"씨발", "시발", "젠장", "제기랄", "염병", "썅", "빌어먹", "니미", "존나", "좆"})


def _question_spans(text: str) -> list[tuple[int, int]]:
    """The character spans of the sentences that end in a question mark."""
    out, start = [], 0
    for k, ch in enumerate(text):
        if ch in ".!?\n":
            if ch == "?":
                out.append((start, k))
            start = k + 1
    return out


def _holds_up(ms: Sequence[Morph], i: int) -> bool:
    """A thing held up or swung at i: a holding verb after a noun, bare or with 을/를 (칼 들고, 골프채를 휘두르며)."""
    if not (ms[i].form in _HOLD_VERBS and ms[i].tag.startswith("VV")):
        return False
    j = i - 2 if i >= 2 and ms[i - 1].tag.startswith("JKO") else i - 1
    return j >= 0 and ms[j].tag.startswith("NNG")


def _assert_features(text: str, ms: Sequence[Morph], widened: dict[str, list[str]] | None, seen: set[str]) -> set[str]:
    out: set[str] = set()
    spans = _question_spans(text)
    for i, m in enumerate(ms):
        if spans and m.tag.startswith(("NN", "VV", "VA", "XR")) and any(a <= m.start < b for a, b in spans):
            key = f"{m.form}/{m.tag[:2]}"
            out.add(f"q:{key}")
            out.update(f"qw:{fam}" for fam in (widened or {}).get(key, ()) if not fam.startswith("="))
        if _holds_up(ms, i):
            out.add("t:armed")
    if _LAWFUL.search(text):
        out.add("t:lawful")
    if _PUBLIC.search(text):
        out.add("t:public")
    if _RELAY.search(text):
        out.add("t:relay")
    if _PLAY.search(text):
        out.add("t:play")
    swears = "w:insult" in seen or any(m.form in _SWEAR for m in ms)
    person = any(f.startswith(("a:", "v:", "s:")) for f in seen) or any(
        (m.tag == "NP" and m.form in _SECOND) or m.form in _SPOUSE for m in ms)
    if swears and not person:
        out.add("t:no-person")
    return out


# pursuit=True (round 12): a line that tells of being followed, watched or found — the act of stalking, whoever tells
# it ("회사 앞에서 기다리다가 따라와요", "GPS 추적기", "이사 간 집 주소를 어떻게 알았는지", "숨어봤자야", "다른 번호로 …
# 전화") — is `t:pursue`; an act done against a refusal ("싫다고 울었는데 억지로", "강제로") is `t:forced`. Each is one
# class of act, not one wording: the weight of a pair (`p:pursue&leave`, `p:forced&intimacy`) is learned.
_PURSUE: Final = re.compile(r"따라(?:오|와|왔|다니|붙)|쫓아(?:오|와|왔|다니)|미행|추적|위치\s*(?:추적|공유|앱|확인)|동선|GPS|gps|"
                            r"지켜보|잠복|(?:앞|근처|밑)에서\s*(?:\S+\s*)?기다|숨어\s*(?:봤자|도|봐야)|도망(?:가도|쳐도|가봤자|쳐봤자)|"
                            r"주소\S{0,2}\s*(?:어떻게|알아|찾아)|다른\s*번호로|번호\s*바꿔도|어디\s*(?:숨|있는지)\S*\s*(?:다\s*)?(?:알|찾)")
_FORCED: Final = re.compile(r"억지로|강제로|싫다(?:는데|고\s*(?:했|울었|하는데|해도|그랬|빌었))|거부(?:했는데|하는데|해도)")


# … and a parent as the one an act is sent to or done before (우리 엄마 카톡에, 친정엄마 폰에, 장모님 댁 앞에서, 엄마 생신에):
# `a:parent@to` (with its owner, `o:your-parent@to`): abuse aimed at the client's parent though they are not its object.
_TO_NOUNS: Final = frozenset({"카톡", "폰", "휴대폰", "핸드폰", "전화", "문자", "앞", "집", "댁", "가게", "회사", "직장", "번호",
                              "단톡방", "메일", "생신", "면전", "산소", "병실"})


def _parent_to(ms: Sequence[Morph]) -> set[str]:
    out: set[str] = set()
    for i in range(len(ms)):
        found = _role_at(ms, i)
        if found is None or found[0] not in ("parent", "inlaw"):
            continue
        who, k = found[0], found[1] + 1
        if k < len(ms) and ms[k].tag == "XSN":
            k += 1
        if k + 1 < len(ms) and ms[k].form in _TO_NOUNS and ms[k].tag.startswith("NN") and ms[k + 1].tag == "JKB":
            out.add(f"a:{who}@to")
            owner = _owner(ms, i)
            if owner in ("my", "our", "your"):
                out.add(f"o:{owner}-{who}@to")
    return out


def _pursuit_features(text: str, ms: Sequence[Morph]) -> set[str]:
    out = _parent_to(ms)
    if _PURSUE.search(text):
        out.add("t:pursue")
    if _FORCED.search(text):
        out.add("t:forced")
    return out


# vice=True (round 13): what a line names as a class of act, not one wording — sex bought or sold (`t:sexwork`:
# 성매매, 조건만남, 안마방, 노래방 도우미 … 2차), a sexually transmitted disease (`t:std`: read with "남편 말고 아무도 없는데"
# it tells of another partner), drugs (`t:drug`: 필로폰, 대마, 투약), a criminal record or procedure (`t:record`: 약식명령,
# 전과, 벌금형, 피의자 조사) and a ledger of payments that are all zero (`t:zero-pay`: "입금 0 / 11월 0"). The ground each
# points to (840-1 for sex work, 840-6 for drugs, 840-2 for zero payments) and its pairs are learned.
_SEXWORK: Final = re.compile(r"성(?:매매|매수|구매|접대)|조건\s*만남|안마방|키스방|립카페|룸살롱|풀살롱|유흥업소|집창촌|사창가|"
                             r"출장\s*(?:마사지|안마)|오피녀|업소\s*(?:여자|아가씨|언니)|"
                             r"(?:도우미|아가씨)\S*\s*(?:\S+\s*){0,3}2차|2차\S*\s*(?:\S+\s*){0,2}(?:도우미|아가씨)")
_STD: Final = re.compile(r"성병|성매개|매독|임질|클라미디아|헤르페스|곤지름|트리코모나스|생식기\s*사마귀")
_DRUG: Final = re.compile(r"필로폰|마약|대마초?|투약|히로뽕|엑스터시|케타민|코카인|프로포폴\S*\s*(?:\S+\s*){0,3}(?:중독|투약)")
_RECORD: Final = re.compile(r"약식\s*명령|전과|벌금형|피의자|집행유예|공소장|불구속\s*기소|조사\s*받")
_ZERO_PAY: Final = re.compile(r"(?:입금|송금|이체|생활비|양육비|보낸\s*돈)\S{0,2}\s*[:：]?\s*0\s*원?(?![\d,.])")


def _vice_features(text: str) -> set[str]:
    out: set[str] = set()
    for name, rx in (("sexwork", _SEXWORK), ("std", _STD), ("drug", _DRUG), ("record", _RECORD), ("zero-pay", _ZERO_PAY)):
        if rx.search(text):
            out.add(f"t:{name}")
    return out


# absent=True (round 15): what a line says of someone gone, beyond its words of missing. 840-5 is the spouse's life or
# death unknown for years; a line of missing words is none of it when the one gone is someone else (`t:gone-other`: a
# relative, a friend, a hiker in the news, with no spouse word), when the vanishing is only said in a threat or a wish
# (`t:gone-if`: "없어져도 아무도 모른다", "사라지고 싶다"), when an address is on record (`t:whereabouts`: 전출, 주소를
# 옮긴 뒤) or when the two are in touch (`t:in-touch`: 영상통화, 주말마다 올라와). Media a story is read in (신문, 방송,
# 라디오, 다큐, 전단) is `t:media`. A threat wrapped as a condition on what the hearer wants ("손주 얼굴 보고 싶으시면
# 말씀 조심하세요", "가게 무사하려면 …", "밤길 조심하세요") is `t:veiled`; who hears it (a parent, the client) is the
# roles' part.
_GONE: Final = re.compile(r"실종|행방|생사|소식\S{0,2}\s*(?:이\s*)?(?:없|끊|모르)|연락\s*(?:두절|이\s*끊|끊)|사라지|사라진|잠적")
_GONE_OTHER: Final = frozenset({"삼촌", "외삼촌", "이모", "고모", "큰고모", "작은고모", "이모부", "고모부", "조카", "사촌", "친구",
                                "동창", "동료", "선배", "후배", "이웃", "할아버지", "할머니", "등산객", "여행객", "관광객", "아동",
                                "학생", "노인", "주민", "남성", "여성", "형제", "자매", "친척", "지인", "선원", "어부", "소녀", "소년",
                                "청년", "환자", "치매"})
_GONE_IF: Final = re.compile(r"(?:없어[지져]|사라|증발|잠적)\S{0,3}?(?:도|면|싶|까|겠)|(?:없어지|사라|증발|잠적)\S{0,3}고\s*싶")
_WHEREABOUTS: Final = re.compile(r"전출|전입|주소\S{0,2}\s*(?:를\s*|을\s*)?(?:옮|이전)|주소지|이사\s*(?:갔|했|간|가서)")
_IN_TOUCH: Final = re.compile(r"영상\s*통화|통화\s*(?:해|하|했)|연락(?:은|이)?\s*(?:돼|되|됐)|주말마다\s*(?:\S+\s*)?(?:오|와|올라|내려)")
_MEDIA: Final = re.compile(r"신문|방송|라디오|다큐|전단|뉴스|기사|보도|현수막")
_VEILED: Final = re.compile(r"(?:싶으(?:시)?면|려면|무사하|괜찮으려면|편하시려면)\S*\s*(?:\S+\s*){0,4}?"
                            r"(?:조심|다물|가만|닥치|빠지|꺼내지|마세요|마시|말아|편드|편 드)|밤길\s*조심")


def _absent_features(text: str, ms: Sequence[Morph]) -> set[str]:
    out: set[str] = set()
    if _GONE.search(text):
        nouns = {m.form for m in ms if m.tag.startswith(("NN", "NP"))}
        if nouns & _GONE_OTHER and not nouns & _SPOUSE:
            out.add("t:gone-other")
    for name, rx in (("gone-if", _GONE_IF), ("whereabouts", _WHEREABOUTS), ("in-touch", _IN_TOUCH), ("media", _MEDIA),
                     ("veiled", _VEILED)):
        if rx.search(text):
            out.add(f"t:{name}")
    return out


# tells=True (round 16): how a line tells of harm it does not name, and whose a vice is. 840-3 is often told by what
# surrounds the blow, not the blow: its aftermath or an apology for it (`t:hit-told`: "맞고 사는 거 지쳤다", "폭행 후
# 집에 못 들어가고", "다시는 손 안 댈게", 처벌불원), control of money or movement (`t:control`: "통장을 남편이 쥐고",
# "영수증 검사", "만 원씩만 주고", "허락 받아야"), a warning that closes a threat ("잘 생각해", "말 잘 들어", "두고 봐":
# `t:warn`), something shameful held over the client (`t:expose`: "사진 뿌린다", "영상 회사에 보낼까"), and belittling
# without a swear word (`t:belittle`: "나 없으면 아무것도 아니야", "니까짓 게", "투명인간 취급"). 840-6's words of vice
# (술, 도박, 빚, 감옥) say nothing of the marriage when they are someone else's — a friend's, a 처남's, a 시누이's
# husband's (`t:third`: a person word that is neither spouse, client, nor their parents, as subject or owner) — or
# disclaimed (`t:not-ours`: "우리랑은 상관없어"), or told with pleasure (`t:fun`: 재밌었어, 좋았어), or while the
# spouse provides and keeps in touch (`t:provides`: "월급도 꼬박꼬박 들어와", "매일 카톡해"). Each is one class; the
# ground it points to, alone or paired with a word family, is learned.
_HIT_TOLD: Final = re.compile(r"(?:폭행|구타|폭력|맞)\S{0,2}\s*(?:후|뒤|다음|나서|이후)|처벌\s*불원|합의서|다시는\s*(?:\S+\s*){0,2}"
                              r"(?:손|때리|안\s*때|폭력)|손\s*(?:안|절대)?\s*(?:대|댈|댄|댔)|손찌검|손버릇|맞고\s*(?:사|살|산|지내|지낸|버티)|"
                              r"맞(?:아|은|았)\S{0,3}\s*(?:\S+\s*)?(?:멍|병원|응급|치료)|맞는\s*(?:게|것|거)")
_CONTROL: Final = re.compile(r"(?:통장|카드|월급|급여|돈|경제권|공인인증서|비번)\S{0,3}\s*(?:\S+\s*){0,2}(?:가져가|뺏|빼앗|쥐고|쥐어|압수|관리하|"
                             r"손도\s*못)|영수증\S{0,2}\s*(?:\S+\s*)?(?:검사|확인|보고|내놓|제출|검사)|사용처|쓴\s*데를|어디\s*썼|"
                             r"(?:허락|허락을|결재)\s*(?:받|맡)|만\s*원씩만|원씩만|일일이\s*(?:추궁|보고|검사|확인|캐)|보고\s*하라|"
                             r"(?:폰|휴대폰|핸드폰|카톡)\S{0,2}\s*(?:매일|날마다|수시로)?\s*(?:검사|검열)|외출\S{0,2}\s*(?:금지|못\s*하게)|"
                             r"(?:친구|친정)\S{0,3}\s*(?:\S+\s*)?못\s*(?:만나|가)게|사진\s*(?:찍어서|찍어)\s*보내")
_WARN: Final = re.compile(r"잘\s*생각해|잘\s*판단해|후회\s*(?:할|하게|하지)|두고\s*(?:봐|보자)|알아서\s*(?:해|하|기어)|각오\s*(?:해|하)|"
                          r"말\s*잘\s*들어|시키는\s*대로|입\s*(?:다물|조심)|무사할\s*(?:줄|것)|가만\s*(?:안|두지|둘\s*줄)")
_EXPOSE: Final = re.compile(r"(?:사진|영상|동영상|녹음|녹화|카톡|문자|일기)\S{0,3}\s*(?:\S+\s*){0,4}?(?:보내|뿌리|뿌려|올리|올려|퍼뜨|유포|"
                            r"공개|보여줄|보여준|폭로)\S*\s*(?:\S+\s*){0,1}(?:까|거야|다|겠|버린|줄|준다)|(?:폭로|유포|공개)\S{0,3}\s*(?:하겠|할\s*거|한다)")
_BELITTLE: Final = re.compile(r"(?:나|내가)\s*없으면|아무것도\s*아니|(?:니|너|네)\s*까짓|주제에|따위가|너\s*같은\s*(?:게|것|거)|"
                              r"투명\s*인간|벌레\s*(?:취급|보듯)|사람\s*취급|(?:할\s*줄|아는\s*게)\s*(?:아무것도\s*)?없|한심|"
                              r"(?:누가|누구)\s*(?:너|널|니)\S{0,2}\s*(?:\S+\s*)?(?:데려가|받아주|좋아하)")
_THIRD: Final = frozenset({"친구", "동창", "동료", "선배", "후배", "이웃", "지인", "옆집", "윗집", "아랫집", "사장", "직원", "손님",
                           "삼촌", "외삼촌", "이모", "고모", "이모부", "고모부", "조카", "사촌", "형부", "매형", "매제", "제부",
                           "처남", "처제", "처형", "시누이", "시누", "시동생", "동서", "올케", "아주버님", "아가씨", "도련님",
                           "연예인", "배우", "가수", "선수", "부장", "과장", "팀장", "상사", "누구", "사람"})
_THIRD_AFTER: Final = frozenset({"이", "가", "은", "는", "께서", "도", "중", "의"})
_NOT_OURS: Final = re.compile(r"상관\s*(?:없|이\s*없)|우리(?:랑|와|하고|집이랑|집과)\s*(?:은|는)?\s*(?:상관|관계|무관)|남\s*(?:얘기|이야기|일)|"
                              r"남의\s*(?:집|일|얘기)|우리\s*(?:얘기|일|집\s*얘기)\s*(?:는\s*)?아니|들었(?:어|다|는데)|그랬대|했대|얘기\s*들")
_FUN: Final = re.compile(r"재밌|재미있|즐거|즐겁|신나|신났|웃겼|웃기더|행복|좋았|좋더|맛있|고마|다정|든든|뿌듯|기특|설레")
_PROVIDES: Final = re.compile(r"(?:월급|생활비|돈|용돈|급여)\S{0,2}\s*(?:\S+\s*)?(?:꼬박꼬박|따박따박|매달|제때|빠짐없이)?\s*"
                              r"(?:들어와|들어오|들어온|보내와|보내줘|보내주|부쳐|넣어줘|넣어주)|"
                              r"(?:매일|날마다|매주|자주|꼬박꼬박)\s*(?:\S+\s*)?(?:카톡|전화|통화|영상통화|연락)\S{0,2}\s*(?:해|하|했|와|오|주고)")
_DENY_NEAR: Final = re.compile(r"안\s*(?:들어|보내|줘|주|와|오)|못\s*(?:받|들어)|끊|않|없")


def _third_person(ms: Sequence[Morph]) -> bool:
    """A third person is the subject or the owner (친구가, 남편 친구 중에, 시누이 남편이, 동창의): someone not in the marriage."""
    for i, m in enumerate(ms):
        if m.form in _THIRD and m.tag.startswith(("NN", "NP")) and i + 1 < len(ms):
            nxt = ms[i + 1]
            if (nxt.form in _THIRD_AFTER and nxt.tag.startswith(("J", "NN"))) or (nxt.form in _SPOUSE and nxt.tag.startswith("NN")):
                return True
    return False


def _tells_features(text: str, ms: Sequence[Morph]) -> set[str]:
    out: set[str] = set()
    for name, rx in (("hit-told", _HIT_TOLD), ("control", _CONTROL), ("warn", _WARN), ("expose", _EXPOSE),
                     ("belittle", _BELITTLE), ("not-ours", _NOT_OURS), ("fun", _FUN)):
        if rx.search(text):
            out.add(f"t:{name}")
    if _PROVIDES.search(text) and not _DENY_NEAR.search(text):
        out.add("t:provides")
    if _third_person(ms):
        out.add("t:third")
    return out


_CALENDAR_DATE: Final = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*(?:년\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?|[./-]\s*\d{1,2}\s*[./-]\s*\d{1,2}\s*\.?"
    r"|[./]\s*\d{1,2}\s*\.(?=\s|경|$))")


def features(text: str, ms: Sequence[Morph], rule_tags: Iterable[tuple[str, str]] = (),
             widened: dict[str, list[str]] | None = None, *, chars: bool | str = True, scope: bool = True,
             pairs: bool = True, roles: bool | int = False, cscope: bool = False, deny: bool = False,
             voice: bool = False, acts: bool = False, asserts: bool = False, pursuit: bool = False,
             vice: bool = False, absent: bool = False, tells: bool = False) -> set[str]:
    """The feature names of one message: its morphemes, neighbours, pieces, rule hits, word families, shape, roles.

    A calendar date ("2024년 1월 5일", "2024. 3. 2.") is one feature, `t:date`: its 년/월/일 say when, not for how
    long (a dated line of any paper read as 840-5's "3년째" otherwise)."""
    if _CALENDAR_DATE.search(text):
        original = text  # a statement row keeps its date for `_row_features`
        spans = [m.span() for m in _CALENDAR_DATE.finditer(text)]
        ms = [m for m in ms if not any(a <= m.start and m.end <= b for a, b in spans)]
        text = _CALENDAR_DATE.sub(lambda m: " " * len(m.group()), text)  # same length: offsets stay
        return features(text, ms, rule_tags, widened, chars=chars, scope=scope, pairs=pairs, roles=roles,
                        cscope=cscope, deny=deny, voice=voice, acts=acts, asserts=asserts,
                        pursuit=pursuit, vice=vice, absent=absent, tells=tells) | {"t:date", *_row_features(original)}
    flags = _clause_flags(ms) if scope else [(False, False)] * len(ms)
    out = _morph_features(ms, flags, widened)
    if deny:
        out.update(_denial_features(ms, widened))
    if roles == 2:
        out.update(_role_features2(ms, text))
    elif roles:
        out.update(_role_features(ms))
    if voice:
        out.update(_voice_features(text))
    if acts:
        out.update(_act_features(text, ms, widened))
    if asserts:
        out.update(_assert_features(text, ms, widened, out))
    if pursuit:
        out.update(_pursuit_features(text, ms))
    if vice:
        out.update(_vice_features(text))
    if absent:
        out.update(_absent_features(text, ms))
    if tells:
        out.update(_tells_features(text, ms))
    if cscope and chars in ("nospace", "nospace4"):
        out.update(_scoped_char_features(text, ms, flags, (2, 3, 4) if chars == "nospace4" else (2, 3)))
    else:
        out.update(_char_features(text, ms, chars))
    if "?" in text:
        out.add("t:question")
    out.update(_row_features(text))
    if pairs:
        cls = sorted(_classes(ms, flags, widened) | {f[2:] for f in out if f.startswith(("x:", "t:", "a:", "o:", "s:"))})
        out.update(f"p:{a}&{b}" for i, a in enumerate(cls) for b in cls[i + 1:])
    per_ground: dict[str, int] = {}
    for ground, tag in rule_tags:
        out.add(f"r:{ground}")
        out.add(f"rt:{tag}")
        per_ground[ground] = per_ground.get(ground, 0) + 1
    out.update(f"r2:{g}" for g, n in per_ground.items() if n >= 2)  # two rule matches for one ground: firmer
    return out


def _morph_features(ms: Sequence[Morph], flags: Sequence[tuple[bool, bool]],
                    widened: dict[str, list[str]] | None) -> set[str]:
    """Morphemes (marked when negated or conditional), their word families, neighbour pairs, quote/story cues."""
    out: set[str] = set()
    prev = "^"
    for m, (neg, cond) in zip(ms, flags, strict=True):
        if m.tag.startswith(_SKIP_TAGS):
            continue
        form = "<num>" if m.tag == "SN" else m.form
        key = f"{form}/{m.tag[:2]}"
        mark = "n" if neg else ("k" if cond else "m")
        out.add(f"m:{key}")
        if mark != "m" and m.tag.startswith(("NN", "VV", "VA", "XR", "MAG")):
            out.add(f"{mark}:{key}")
        for fam in (widened or {}).get(key, ()):
            out.add(f"w:{fam}")
            if mark != "m":
                out.add(f"{mark}w:{fam}")
        out.add(f"b:{prev}_{form}")
        prev = form
        if m.form in _QUOTE and m.tag.startswith(("EC", "ETM", "EF")):
            out.add("t:quote")
        if m.form in _STORY:
            out.add("t:story")
    return out


def _scoped_char_features(text: str, ms: Sequence[Morph], flags: Sequence[tuple[bool, bool]],
                          sizes: tuple[int, ...]) -> set[str]:
    """Hangul pieces across spaces, as `chars="nospace"`, but a piece that starts inside a negated clause is `nc:`
    (안 때렸어 is not 때렸어) and one inside a condition `kc:` (때리면 신고할 거야)."""
    marks = ["c"] * len(text)
    for m, (neg, cond) in zip(ms, flags, strict=True):
        if neg or cond:
            for i in range(max(0, m.start), min(len(text), m.end)):
                marks[i] = "nc" if neg else "kc"
    kept = [(ch, mk) for ch, mk in zip(text, marks, strict=True) if not ch.isspace()]
    out: set[str] = set()
    run: list[tuple[str, str]] = []
    for item in [*kept, ("", "")]:
        if "가" <= item[0] <= "힣":
            run.append(item)
            continue
        word = "".join(ch for ch, _ in run)
        for k in sizes:
            out.update(f"{run[i][1]}:{word[i:i + k]}" for i in range(len(run) - k + 1))
        run = []
    return out


def _char_features(text: str, ms: Sequence[Morph], chars: bool | str) -> set[str]:
    """Hangul 2- and 3-grams: of the whole text (chars="text") or of longer nouns and names (shop names)."""
    out: set[str] = set()
    if chars in ("nospace", "nospace4"):
        # Spacing is the least reliable part of a message (OCR, phone keyboards, 띄어쓰기 habits): the pieces run across
        # the gaps, so "목 졸려서" and "목졸려서" share 목졸, 목졸려.
        sizes = (2, 3, 4) if chars == "nospace4" else (2, 3)
        for run in _HANGUL_RUN.findall(_SPACES.sub("", text)):
            for k in sizes:
                out.update(f"c:{run[i:i + k]}" for i in range(len(run) - k + 1))
    elif chars == "text":
        for run in _HANGUL_RUN.findall(text):
            out.update(f"c:{run[i:i + 2]}" for i in range(len(run) - 1))
            out.update(f"c:{run[i:i + 3]}" for i in range(len(run) - 2))
    elif chars:
        for m in ms:
            if m.tag in ("NNP", "SL", "SH", "NNG") and len(m.form) >= 3:
                for run in _HANGUL_RUN.findall(m.form):
                    for k in (2, 3):
                        out.update(f"c:{run[i:i + k]}" for i in range(len(run) - k + 1))
    return out


@dataclass(frozen=True)
class LabelModel:
    """Per-ground weights over feature names, a bias, a decision threshold, and the widened word families."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: dict[str, float]
    widened: dict[str, list[str]]
    options: dict[str, Any]

    def features(self, text: str, ms: Sequence[Morph], rule_tags: Iterable[tuple[str, str]] = ()) -> set[str]:
        if self.options.get("respace"):
            ms = respaced(text, ms)
        return features(text, ms, rule_tags, self.widened if self.options.get("cong", True) else None,
                        chars=self.options.get("chars", True), scope=self.options.get("scope", True),
                        pairs=self.options.get("pairs", True), roles=self.options.get("roles", False),
                        cscope=self.options.get("cscope", False), deny=self.options.get("deny", False),
                        voice=self.options.get("voice", False), acts=self.options.get("acts", False),
                        asserts=self.options.get("asserts", False), pursuit=self.options.get("pursuit", False),
                        vice=self.options.get("vice", False), absent=self.options.get("absent", False),
                        tells=self.options.get("tells", False))

    # {feature: its weight for each ground, in GROUNDS order}: one look-up per feature instead of one per ground.
    _table: dict[str, tuple[float, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {f for w in self.weights.values() for f in w}
        table = {f: tuple(self.weights[g].get(f, 0.0) for g in GROUNDS) for f in names}
        object.__setattr__(self, "_table", table)

    def scores(self, feats: set[str]) -> dict[str, float]:
        """P(ground | message) per ground (logistic)."""
        table = self._table
        rows = [w for w in map(table.get, feats) if w is not None]
        sums = [sum(col) for col in zip(*rows, strict=True)] if rows else [0.0] * len(GROUNDS)
        return {g: 1 / (1 + math.exp(-max(-30.0, min(30.0, self.bias[g] + zg)))) for g, zg in zip(GROUNDS, sums, strict=True)}

    def to_json(self) -> dict[str, Any]:
        """Compact: one vocabulary, one column of weights (3 decimals) per ground."""
        vocab = sorted({f for w in self.weights.values() for f in w})
        return {"format": "leh-label-model-1", "grounds": list(GROUNDS), "options": self.options,
                "bias": self.bias, "threshold": self.threshold, "vocab": vocab,
                "weights": {g: [self.weights[g].get(f, 0.0) for f in vocab] for g in GROUNDS},
                "widened": self.widened}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabelModel:
        if data.get("format") != "leh-label-model-1":
            raise ValueError("unknown label model format")
        vocab = data["vocab"]
        weights = {g: {f: w for f, w in zip(vocab, data["weights"][g], strict=True) if w} for g in GROUNDS}
        return cls(weights=weights, bias=data["bias"], threshold=data["threshold"],
                   widened=data.get("widened", {}), options=data.get("options", {}))


_lock = threading.Lock()
_model: LabelModel | None = None


def shipped_model() -> LabelModel:
    """The model shipped in the package, loaded once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = LabelModel.from_json(json.loads(MODEL_PATH.read_text("utf-8")))
    return _model


# ------------------------------------------------------------------ which tag a learned label gets
# The model decides the ground; the tag (DESIGN.md section 4) is the first family whose words occur.
_TAG_WORDS: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "840-1": (("숙박", ("모텔", "호텔", "무인텔", "숙박", "펜션", "야놀자", "여기어때", "객실", "대실", "투숙", "텔")),
              ("외도", ())),
    "840-2": (("축출", ("비밀번호", "비번", "현관", "도어락", "번호키", "열쇠", "자물쇠", "키패드", "쫓", "내쫓", "들어오지", "문턱")),
              ("생활비 미지급", ("생활비", "양육비", "돈", "송금", "이체", "입금", "학원비", "병원비", "분유", "급식비", "월세")),
              ("가출", ())),
    "840-3": (("시댁 부당대우", ("시어머니", "시아버지", "시부모", "시댁", "시어른")),
              ("처가 부당대우", ("장모", "장인", "장인어른", "처가")),
              ("협박", ("죽", "가만", "각오", "불", "칼", "흉기", "위협", "협박", "뿌리")),
              ("폭행", ("멍", "때리", "맞", "밀", "던지", "진단서", "상해", "골절", "타박상", "조르", "차", "가두", "감금", "경찰",
                       "신고", "접근금지", "응급실", "끌", "내리치", "후려치", "치", "가격", "열상", "찰과상", "전치", "꿰매",
                       "봉합", "찢어지", "붕대", "다치", "부러지", "할퀴", "꼬집", "걷어차", "발길질", "주먹", "뺨", "따귀",
                       "멱살", "머리채", "밀치", "넘어뜨리", "상처", "피멍", "출혈")),
              ("폭언", ())),
    "840-4": (("부모에 대한 폭행", ("때리", "맞", "밀", "던지", "멱살", "차", "비틀", "넘어지", "쫓", "밀치", "내리치", "후려치",
                                  "치", "가격", "골절", "다치", "넘어뜨리", "뺨", "따귀", "주먹", "걷어차")), ("부모에 대한 폭언", ())),
    "840-5": (("실종", ("실종", "행방", "소재", "생사", "사라지")), ("연락 두절", ())),
    "840-6": (("도박", ("도박", "경마", "카지노", "토토", "바카라", "포커", "홀덤", "경륜", "로또", "복권", "파워볼", "강원랜드", "하우스")),
              ("알코올", ("술", "소주", "만취", "알코올", "음주", "취하")),
              ("게임 중독", ("게임", "현질", "피시방", "PC방", "아이템")),
              ("종교 갈등", ("교회", "헌금", "종교", "사이비", "기도원", "신천지", "무당", "굿", "절")),
              ("경제적 갈등", ("빚", "대출", "사채", "채무", "카드", "코인", "주식", "보증", "돈", "원", "송금", "신용")),
              ("계속적 불화", ())),
}


# "호텔 쪽으로 걸어가는 것을 보았다", "모텔 앞에서": seen near a lodging or heading to it, which claims no entry.
_TOWARDS: Final = frozenset({"쪽", "방향", "근처", "앞", "주변", "건너편", "맞은편", "입구", "골목"})


def _lodging_only_near(ms: Sequence[Morph], words: tuple[str, ...]) -> bool:
    """Every lodging word in the message is followed by a word of direction or nearness (호텔 쪽으로, 모텔 앞에서)."""
    at = [i for i, m in enumerate(ms) if any(w in m.form for w in words if len(w) >= 2) or m.form in words]
    return bool(at) and all(i + 1 < len(ms) and ms[i + 1].form in _TOWARDS for i in at)


def tag_for(ground: str, ms: Sequence[Morph], text: str) -> str:
    forms = {m.form for m in ms}
    for tag, words in _TAG_WORDS[ground]:
        if tag == "숙박" and _lodging_only_near(ms, words):
            continue
        if not words or any(w in forms for w in words) or any(len(w) >= 2 and w in text for w in words):
            return tag
    return _TAG_WORDS[ground][-1][0]
