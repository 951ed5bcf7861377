"""What a question asks besides its act, and whether a cited passage states it.

"호텔 CCTV로 동행 여성이 확인됐는지?", "인출한 돈을 어디에 썼는지 확인 바랍니다", "도박 사이트 주소 확인 바랍니다",
"그날 이안이가 그 자리에 있었는지", "무슨 일 하는 사람인지", "상담 결과는": the passages about the act share the question's words, but the question asks a
detail of it — by what proof, for what use, at which address, whether a third person was there. (A reason is not
read here: "빌린 돈 갚은 거야" gives one without a word that says so.) An answer
stands only on passages that state every such detail (`Detail.stated`); a passage that says the detail is not
known ("어디에 썼는지는 확인되지 않음") states none. The details are read from the question's grammar (a medium
with 로/에서, an embedded 어디에 썼는지, a named person as subject, a time of day asked of an act that is no
message), not from the case's vocabulary.

Pure: no I/O, no Kiwi (the caller gives the morphemes, cached).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

from leh.analysis.concepts import name_forms
from leh.analysis.morph import Morph

# Media of proof: a question that asks whether something is shown BY one ("CCTV로 확인됐는지", "사진으로 남겼는지",
# "녹취에서 인정했는지") needs a passage (or its document) that is or mentions that medium.
_MEDIA: Final[tuple[tuple[str, ...], ...]] = (
    ("CCTV", "cctv", "씨씨티비", "폐쇄회로"),
    ("블랙박스",),
    ("녹음", "녹취"),
    ("사진", "찍은", "찍어", "찍었", "촬영"),
    ("동영상", "영상", "촬영"),
    ("캡처", "캡쳐", "스크린샷", "화면"),
    ("이메일", "메일"),
    ("위치기록", "위치 기록", "GPS", "gps", "위치추적", "위치 추적"),
    ("통화기록", "통화 기록", "통화내역", "통화 내역"),
)
_MEDIUM_Q: Final = re.compile(r"(CCTV|cctv|씨씨티비|폐쇄회로|블랙박스|녹음|녹취|사진|동영상|영상|캡처|캡쳐|스크린샷|이메일|메일|"
                              r"위치\s*기록|GPS|gps|위치\s*추적|통화\s*(?:기록|내역))"
                              r"\s*(?:상|파일|자료|기록)?\s*(?:으로|로|에서|에|상|을|를|이|가)(?![가-힣])")

# An address (a flat's 동·호수, a street address, a site's domain).
_ADDRESS_Q: Final = re.compile(r"주소|도메인|URL|url|호수|번지|몇\s*호")
_ADDRESS_TEXT: Final = re.compile(r"\d+\s*동\s*\d+\s*호|\d+\s*호(?![가-힣])|[가-힣]+(?:로|길)\s*\d+|\d+\s*번지|https?://|www\.|"
                                  r"[A-Za-z0-9-]+\.(?:com|net|kr|org|io|co|xyz|tv|me)\b")

# A use of money asked ("어디에 썼는지", "용도", "사용처"): the passage must say what it went on.
_USE_Q: Final = re.compile(r"어디에\s*(?:다\s*)?(?:썼|쓴|쓰|사용|소비|탕진)|어디\s*썼|용도|사용처|무엇에\s*(?:썼|쓴|쓰|사용)|"
                           r"뭐에\s*(?:썼|쓴|쓰)|뭘\s*(?:샀|산)|무엇을\s*(?:샀|산|구입)")
_USE_TEXT: Final = re.compile(r"[가-힣A-Za-z0-9]\s*(?:에|에다|으로|로|하는\s*데|사는\s*데|갚는\s*데)\s*(?:다\s*)?"
                              r"(?:썼|쓴|써|쓰|사용|탕진|날렸|날린|충당|갚|지출)|(?:샀|구입|결제)")

# A time of day asked ("몇 시쯤", "시각은", "시간대") of an act that is not itself a message, a call or a record's
# row ("문자 몇 시에 온", "결제한 시각": the message's or the row's own time answers those): a passage must write a
# time of day, not only be sent at one. A message record's or transcript's entry prefix ("2025.04.04 18:37 |",
# "[00:01:10]") is the row's time, not the act's.
_CLOCK_Q: Final = re.compile(r"몇\s*시(?!간)|시각|시간대")
_RECORD_ACT_Q: Final = re.compile(r"문자|메시지|카톡|톡|메일|전화|통화|연락|답장|송금|이체|결제|입금|출금|승인|신고|접수|녹음|녹취|"
                                  r"촬영|발송|보낸|보냈|출입|출근|퇴근")
_OFFSET: Final = re.compile(r"^\s*\[\d{1,2}:\d{2}(?::\d{2})?\]")
_ENTRY_PREFIX: Final = re.compile(r"^\s*(?:\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?\s*"
                                  r"(?:\([^)]{1,3}\)\s*)?)?(?:(?:오전|오후)\s*)?(?:\d{1,2}:\d{2}(?::\d{2})?\s*)?\|?")
_RECORD_DOC: Final = re.compile(r"문자|메시지|카톡|카카오톡|녹취")
_CLOCK_TEXT: Final = re.compile(r"(?<!\d)\d{1,2}\s*시(?!간|작|점|청|장|설|계|대|기|도|민|험|키|켜|켰)|\d{1,2}\s*:\s*\d{2}|"
                                r"(?<![가-힣])(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열한|열두)\s*시(?!간|작|키|켜|켰)|자정|정오")


def states_clock(text: str, record: bool = False) -> bool:
    """Whether a passage writes a time of day of what it tells: not a transcript's offset, nor (`record`: a line of
    a message record) the time the row was sent; a log's entry time ("2025. 4. 4. 21:30 귀가") is its act's."""
    for ln in text.split("\n"):
        ln = _OFFSET.sub("", ln, count=1)
        if _CLOCK_TEXT.search(_ENTRY_PREFIX.sub("", ln, count=1) if record else ln):
            return True
    return False


# A passage that says the thing is not known states nothing about it.
UNKNOWN_TEXT: Final = re.compile(r"확인되지\s*않|확인되지\s*아니|확인할\s*수\s*없|확인이\s*안\s*되|알\s*수\s*없|모른다|모름|모르겠|"
                                 r"알지\s*못|파악되지\s*않|불상|미상")

# A named person the question says was there or did something ("이안이가 그 자리에 있었는지").
_SUBJECT_AFTER: Final = r"(?:이|가|은|는|께서|도|와|과|랑|이랑|하고|의|을|를|에게|한테)(?![가-힣])"


# A detail asked by a noun of its own ("무슨 일 하는 사람인지", "상담 결과는", "수술을 받았는지", "진단 몇 주"): the
# topic's lines do not state it unless they write it, in one of the words that say such a detail.
_NAMED_DETAILS: Final[tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]] = (
    ("job", re.compile(r"직업|직장(?:이|은|은\s*어디)|무슨\s*일\s*(?:을\s*)?하는|어디서\s*일하|(?<![가-힣])하는\s*일(?:이|은)|생업"),
     re.compile(r"직업|직장|근무|재직|회사원|직원|사원|다니는\s*회사|[가-힣]+(?:에|에서)\s*(?:다니|다닌|다녀|다녔|일하|일한|일해|일했|근무)|교사|강사|"
                r"간호사|의사|약사|공무원|자영업|운영|대표|사장|점장|매니저|프리랜서|주부|무직|알바|아르바이트")),
    ("result", re.compile(r"결과|처분(?:이|은|은\s*어떻게)?\s*(?:나왔|어떻게|\))"),
     re.compile(r"결과|처분|결정|판결|송치|기소|무혐의|혐의\s*없|종결|각하|기각|인용|선고|벌금|집행유예|처리\s*(?:됨|되었|됐)")),
    ("surgery", re.compile(r"수술"), re.compile(r"수술")),
    ("weeks", re.compile(r"(?:진단|전치|치료)\s*(?:기간(?:은|이)?\s*)?몇\s*주"), re.compile(r"\d+\s*주(?![년소식말민차택장인])|[일이삼사오육칠팔구]\s*주(?:간|의|\s)")),
)


@dataclass(frozen=True)
class Detail:
    """One thing a question asks besides its act: `kind` (medium, address, use, clock, person, or a detail named by
    its noun: job, result, surgery, weeks) and, for a
    medium or a person, the words any of which the passage (or its document) must write."""

    kind: str
    words: tuple[str, ...] = ()

    def stated(self, text: str, around: str = "", speaker: str | None = None) -> bool:
        """Whether a passage (`text`, with `around`: its document's kind, title and file name or the message it
        answers, and its `speaker`, None for a document's line) states this detail. A person must be in the text,
        be its writer or, for a reply, be in the message it answers: a document's title naming the child is not
        the child being there."""
        if self.kind == "medium":
            blob = f"{text} {around}"
            return any(w in blob for w in self.words)
        if self.kind == "person":
            blob = f"{text} {speaker} {around}" if speaker else text
            return any(re.search(rf"(?<![가-힣]){re.escape(w)}", blob) for w in self.words)
        if UNKNOWN_TEXT.search(text):
            return False
        if self.kind == "address":
            return _ADDRESS_TEXT.search(text) is not None
        if self.kind == "use":
            return _USE_TEXT.search(text) is not None
        named = next((rx for kind, _, rx in _NAMED_DETAILS if kind == self.kind), None)
        if named is not None:
            return named.search(text) is not None
        if self.kind == "clock":  # a message's own time is when it was sent (a chat's, or a record's row)
            return states_clock(text, record=speaker is not None or _RECORD_DOC.search(around) is not None)
        return True


def same_medium(a: str, b: str) -> bool:
    """Whether two words name one medium of proof ("녹음", "녹취": a 녹취록's 녹취 일시 is when it was recorded)."""
    return any(a in g and b in g for g in _MEDIA)


def _media(question: str) -> list[Detail]:
    out: list[Detail] = []
    for m in _MEDIUM_Q.finditer(question):
        word = re.sub(r"\s", "", m.group(1))
        group = next((g for g in _MEDIA if any(re.sub(r"\s", "", w) == word for w in g)), (word,))
        out.append(Detail("medium", group))
    return out


# A document that calls a person by a party's role ("수신인: 하동수", "배우자 길성민"): one of the couple, whom the
# evidence writes as 남편/수신인 rather than by name — not a third person whose presence must be written.
_PARTY_ROLE: Final = r"(?:배우자|남편|아내|처|피고|원고|상대방|수신인|발신인|신청인|피신청인|의뢰인|내담자|진술인|조회\s*대상)"


def is_party(name: str, texts: Sequence[str]) -> bool:
    """Whether a document writes the name as one of the couple ("수신인: 하동수", "배우자 길성민", "하동수와 혼인")."""
    rx = re.compile(rf"{_PARTY_ROLE}\s*[:：]?\s*{re.escape(name)}|{re.escape(name)}\s*\(\s*{_PARTY_ROLE}|"
                    rf"{re.escape(name)}(?:과|와|하고)\s*(?:\S+\s+)?혼인")
    return any(rx.search(t) for t in texts)


def _persons(question: str, people: dict[str, tuple[str, ...]]) -> list[Detail]:
    """Third persons the question names (`people`: a name → the words a passage may call them by, its role
    word included): each must be in the passage."""
    out: list[Detail] = []
    for name, words in people.items():
        forms = [f for f in name_forms(name) if len(f) >= 2]
        if any(re.search(rf"(?<![가-힣]){re.escape(f)}(?:이)?(?:\s*(?:씨|님))?{_SUBJECT_AFTER}", question) for f in forms):
            out.append(Detail("person", tuple(dict.fromkeys([*forms, *words]))))
    return out


def asked_details(question: str, people: dict[str, tuple[str, ...]] | None = None) -> list[Detail]:
    """The details a question asks besides its act; empty when it asks only whether (or when, how often) the
    act happened. `people`: the case's third persons (not the couple) and the words for each."""
    out = _media(question)
    if _ADDRESS_Q.search(question):
        out.append(Detail("address"))
    if _USE_Q.search(question):
        out.append(Detail("use"))
    if _CLOCK_Q.search(question) and not _RECORD_ACT_Q.search(question):
        out.append(Detail("clock"))
    out += [Detail(kind) for kind, asked, _ in _NAMED_DETAILS if asked.search(question)]
    out += _persons(question, people or {})
    return out


def all_stated(details: Sequence[Detail], text: str, around: str = "", speaker: str | None = None) -> bool:
    return all(d.stated(text, around, speaker) for d in details)


# A deed asked ("채워 넣은 날짜", "돌려놓았는지") is not shown by a promise or a threat of it ("다음 달에
# 채워놓는다니까", "보낼게", "갚겠다", "또 잔소리하면 … 던진다"): the verb's own endings, or a time ahead or a
# condition before it in its sentence, say it is still to come.
_INTENT_ENDINGS: Final = frozenset({"겠", "을게", "ㄹ게", "을께", "ㄹ께", "을래", "ㄹ래", "려고", "으려고", "ㄹ려고", "을려고"})
_FUTURE_WORDS: Final = frozenset({"내일", "나중", "곧", "앞으로", "조만간", "이따", "언젠가", "모레"})
_NEXT_UNITS: Final = frozenset({"달", "주", "번", "해", "월"})
_VERB_TAGS: Final = ("VV", "VA", "XSV")
_INTENT_Q: Final = re.compile(r"겠다|[을ㄹ]\s*거|려고|다고\s*(?:한|했|말)|다는\s*(?:말|얘기|이야기|메시지|문자|약속)|약속|다짐")


def asks_intent(question: str) -> bool:
    """"보내겠다고 한 적", "갚겠다는 약속": the question asks about what was said or promised, not the deed."""
    return _INTENT_Q.search(question) is not None


def _future_before(ms: Sequence[Morph], i: int) -> bool:
    for j in range(i - 1, max(-1, i - 8), -1):
        m = ms[j]
        if m.tag in ("SF", "EF"):
            return False
        if m.form in _FUTURE_WORDS or (m.form == "다음" and j + 1 < len(ms) and ms[j + 1].form in _NEXT_UNITS):
            return True
        if m.tag == "EC" and m.form in ("면", "으면"):
            return True  # "잔소리하면 … 던진다": a condition, said of what is still to come
    return False


def _promised(ms: Sequence[Morph], i: int) -> bool:
    """Whether the verb at `i` is said as still to come (its endings before the next verb or sentence end)."""
    past = False
    for j in range(i + 1, min(len(ms), i + 7)):
        m = ms[j]
        if m.tag == "SF" or m.tag.startswith("VV"):
            break
        if m.tag == "EP" and m.form in ("었", "았", "였", "었었"):
            past = True
        later = m.tag == "ETM" and m.form in ("ㄹ", "을") and j + 1 < len(ms) and ms[j + 1].form in ("거", "것")
        if m.form in _INTENT_ENDINGS or later:
            return not past
        if m.tag == "EF":
            break
    return not past and _future_before(ms, i)


def only_promised(verbs: Collection[str], ms: Sequence[Morph], text: str) -> bool:
    """Whether one of the asked verbs is written in `text` (whose morphemes are `ms`), and every place it is
    written says it is still to come: such a passage does not show the deed ("채워 넣은": "다음 달에
    채워놓는다니까" beside "사이트에 넣은 돈"). A verb is found by its base form or as written ("돌려놓" where Kiwi
    reads 돌리 + 놓)."""
    promised: dict[str, bool] = {}
    for i, m in enumerate(ms):
        if not m.tag.startswith(_VERB_TAGS):
            continue
        for v in verbs:
            if m.form == v or text.startswith(v, m.start):
                promised[v] = promised.get(v, True) and _promised(ms, i)
    return any(promised.values())
