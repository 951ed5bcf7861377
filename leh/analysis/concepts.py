"""What a question's words may look like in the evidence: synonyms, what a document's type implies, and the
names the evidence gives to the people a question calls by their role ("아이" → 하은, "시어머니" → 이옥자).

`ask` matches a question's nouns and predicates against a passage through these, so that "이혼을 요구했나요?"
finds "이혼해 줘" and "남편이 사과한 적 있나요?" finds "미안하다", while a word the evidence shares only as
another meaning does not count (the matcher still needs every part of the question's concept, see
`leh.analysis.question.topic_match`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

# Groups of words a lawyer's question and the evidence use for one thing. A group's first word is its name.
# Forms are lemmas (Kiwi's base forms: 미안, 때리) or surface text of two syllables or more ("해 줘").
SYNONYM_GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    ("사과", "미안", "죄송", "용서", "잘못했", "잘못", "망쳤", "안 그럴", "반성"),
    ("인정", "시인", "잘못했", "미안", "죄송", "안 그럴"),
    ("요구", "요청", "달라", "해 줘", "해줘", "하자", "보내줘", "보내 줘", "내놔", "원하"),
    ("빌리", "빌려", "빌려주", "꾸", "차용"),
    ("꺼내", "빼", "뺀", "인출", "출금", "빠져나가", "찾"),
    ("받", "주", "보내", "지급", "입금", "송금", "들어오"),
    ("내", "납부", "헌금", "이체", "송금", "지급", "보내"),
    ("구매", "구입", "사", "결제"),
    ("넘기", "넘어가", "넘겼", "넘어갔", "이전", "증여", "양도", "돌리", "인계"),
    ("GPS", "위치추적기", "위치 추적기", "추적기", "위치추적 장치", "위치추적장치"),
    ("소", "소송"),  # "소 제기일": 이혼소송을 제기
    ("소비", "과소비", "지출"),
    ("빚", "채무", "대출", "카드론", "연체", "독촉", "대부", "갚"),
    ("돈", "금액", "현금"),
    ("코인", "가상화폐", "암호화폐", "비트코인", "가상자산"),
    ("데려가", "데리", "데려갈", "데리고 가", "데려가겠"),
    ("아이", "애", "자녀", "아들", "딸", "애들", "아이들"),
    ("시어머니", "어머님", "시모", "시엄마", "시어머님"),
    ("시아버지", "아버님", "시부", "시아버님"),
    ("통화", "전화"),
    ("손대", "손을 대", "손을 댔", "손 댔", "손댔"),
    ("기물", "물건", "집기", "살림살이"),
    ("파손", "부수", "부쉈", "부숴", "부서", "깨뜨", "깨트"),
    ("방문", "출입", "드나들", "찾아오", "찾아와", "찾아온", "왕래"),
    ("발송", "보내", "보냈"),
    ("부친", "아버지"),
    ("모친", "어머니"),
    ("남자", "남성"),
    ("여자", "여성"),
    ("시누이", "시누", "아가씨", "형님"),
    ("장모", "장모님", "처가"),
    ("친정", "엄마 집", "친정집", "본가"),
    ("끝내", "정리", "끊", "헤어지", "그만두", "그만"),
    ("수입", "소득", "월급", "급여", "봉급", "벌이", "월수입", "월 소득"),
    ("월수입", "월 소득", "소득", "수입", "월급", "급여"),
    ("집", "아파트", "주택", "자택", "주거지"),
    ("다치", "다쳤", "상처", "부상", "열상", "타박상", "꿰매", "꿰맸", "멍"),
    ("폭언", "욕", "욕설", "막말", "고함", "소리 지르", "소리를 지르", "소리치"),
    ("협박", "위협", "가만 안 두", "가만 안 있", "가만 안 둬", "가만 안 놔", "죽고 싶", "죽이", "부숴", "밤길 조심",
     "조심하라", "조심해라"),
    ("문", "현관", "현관문", "도어락"),
    ("간섭", "참견", "개입"),
    ("등하원", "등원", "하원", "등원과 하원"),
    ("거부", "거절"),
    ("병명", "상병명", "진단명"),
    ("우울증", "우울장애", "우울"),
    ("휴대폰", "휴대전화", "핸드폰", "폰"),
    ("컵", "유리컵", "물컵"),
    ("무례", "버릇없", "버릇 없", "예의 없", "예의없", "싸가지"),
    ("외도", "바람", "불륜", "상간", "내연"),
    ("나가", "나갔", "집을 나", "가출", "나와", "나오", "떠나", "집에 가", "친정으로 가", "친정으로 갔", "친정에 가",
     "친정에 갔", "본가로 가", "본가로 갔"),
    ("별거", "퇴거", "따로 살", "따로 지내", "집을 나", "나가", "나갔", "나와", "짐을 빼", "짐 빼", "짐을 싸", "짐 챙겨"),
    ("술", "음주", "취해", "취하", "소주", "맥주", "만취"),
    ("마시", "취하", "취해", "음주", "만취"),
    ("병원", "의원", "정형외과", "내과", "외과", "정신건강의학과", "한의원", "클리닉", "응급실", "요양급여"),
    ("진료", "요양급여", "진찰", "치료"),
    ("숙박", "숙소", "묵", "호텔", "모텔", "무인텔", "펜션", "숙박업소", "리조트", "여관"),
    ("찾", "발견", "찾아내", "찾아냈"),
    ("전하", "전해주", "알리", "알려주", "알렸", "전했", "전해 주", "알려 주"),
    ("소식", "연락", "행방", "소재", "어디 있"),
    ("행방", "소재", "어디 있", "어디에 있", "소식", "위치"),
    ("이체", "옮기", "송금"),
    ("잃", "날리", "날렸", "손실", "손해"),
    ("외박", "안 들어오", "들어오지 않", "안 들어왔", "안 들어와", "집에 안 들어"),
    ("귀가", "들어오", "들어왔", "들어와", "집에 오", "집에 왔"),
    ("늦", "늦게", "자정 넘", "새벽"),
    ("만나", "보여주", "보여줘", "보여 줘", "보게 해", "얼굴 보", "얼굴 좀 보", "면접교섭"),
    ("결제", "이용", "승인", "카드"),
    ("살", "거주", "지내"),
    ("시작", "처음", "부터"),
    ("진단", "진단서", "진단일"),
    ("명의", "명의자"),
)

# A document's kind (a word of its file name or title) says what each of its lines is about: a line of a police
# record is about 경찰 and 신고 though it does not repeat them. Used for nouns only, never for the act asked.
DOC_CONTEXT: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("사건사고", ("경찰", "신고", "사건")),
    ("진단서", ("진단서", "진단", "병원", "의사", "진료", "치료")),
    ("건강보험", ("건강보험", "보험", "진료")),
    ("회신", ("회신",)),
    ("소견서", ("소견서", "병원", "의사", "진료")),
    ("진료", ("병원", "의사", "진료")),
    ("카드", ("카드", "결제", "이용", "사용")),
    ("이용내역", ("결제", "이용", "사용")),
    ("거래내역", ("통장", "계좌", "거래", "입금", "출금")),
    ("통장", ("통장", "계좌", "거래")),
    ("상담", ("상담",)),
    ("진술서", ("진술",)),
    ("사실확인", ("확인", "진술", "제3자", "목격")),
    ("어린이집", ("아이", "원아", "어린이집")),
    ("영수증", ("영수증", "결제", "비용")),
    ("문자", ("문자", "메시지")),  # a 문자 내역's every row is a message (whose, its heading says)
)

# Nouns that name a kind of thing rather than the thing: "물건을 던진" is answered by "컵을 던져".
GENERIC_NOUNS: Final = frozenset({
    "물건", "문제", "관계", "행동", "행위", "상황", "경우", "부분", "여부", "내역", "사항", "결과", "모습", "이유",
    "약속", "증거", "얘기", "이야기", "상태", "정도", "과정", "시점", "때문", "동안", "달", "밤", "낮", "새벽", "아침",
    "저녁", "오전", "오후", "무렵", "당일", "그날", "날", "전후", "모두", "전부", "총", "사이", "혼자", "같이", "함께",
    "직접", "다시", "계속", "정황", "시설", "역할", "자료", "뒤", "후", "이후", "발언", "밖", "월", "유무", "앞",
    "사건", "항목", "요지",  # "1/12자 사건 관련 기재", "결제 항목", "대화 요지": what happened, not a word to find
})
# Words a question uses for an act the lexicon knows by another name ("손찌검" is 폭행, "깎아내리는 말" is 모욕): the
# question is about those tags, and a passage labelled with one of them (or holding the words the lexicon looks
# for) shows the act.
ACT_PARAPHRASES: Final[dict[str, frozenset[str]]] = {
    "손찌검": frozenset({"폭행"}), "행패": frozenset({"폭행", "폭언"}), "난동": frozenset({"폭행", "폭언"}),
    "주먹질": frozenset({"폭행"}), "손대": frozenset({"폭행"}), "폭력": frozenset({"폭행"}),
    "깎아내리": frozenset({"모욕", "폭언"}), "깔보": frozenset({"모욕", "폭언"}), "비하": frozenset({"모욕", "폭언"}),
    "무시": frozenset({"모욕"}), "모욕적": frozenset({"모욕", "폭언"}), "막말": frozenset({"폭언", "모욕"}),
    "으름장": frozenset({"협박"}), "겁박": frozenset({"협박"}),
    "무례": frozenset({"모욕", "부모에 대한 폭언"}),
}
# Words that show an affair without naming it (숙박업소, a trip, terms of endearment): where to look for the
# person a question calls "외도 상대".
AFFAIR_WORDS: Final = ("바람", "불륜", "상간", "내연", "외도", "모텔", "호텔", "펜션", "숙박", "여행", "데이트", "애인",
                       "자기야", "사랑해", "보고 싶어", "만나고 있")
# Nouns for "a person" a question leaves unnamed ("다른 여성과 살기로"): a person the case names answers them.
PERSON_NOUNS: Final = frozenset({"여성", "여자", "남성", "남자", "이성", "사람", "상대"})
# Fee nouns: "유치원비" is written "유치원 원비 40만원" — the stem and an amount.
FEE_SUFFIXES: Final = ("비", "료", "금", "값")

# Verbs that say the conversation is about the topic, not what happened: "생활비 문제로 다툰" is about 생활비.
DISCOURSE_VERBS: Final = frozenset({"다투", "싸우", "따지", "논의", "언급", "말다툼", "얘기하", "이야기하", "말하",
                                    "하", "되", "있", "없", "알리", "정리하", "요약하", "설명하", "부탁", "걸리", "적",
                                    "기재", "나타나", "보이", "의심",
                                    # light verbs: "폭력을 행사한", "폭행을 당한" are about 폭력, 폭행
                                    "행사", "가하", "저지르", "당하", "벌이", "부리", "일삼", "지",
                                    # verbs of procedure and degree: "진료를 받은", "신고가 접수된", "음주가 잦아진"
                                    # are about 진료, 신고, 음주
                                    "받", "진행", "접수", "진단", "잦", "잦아지", "늘", "늘어나", "심하", "심해지", "많", "많아지",
                                    "오가", "주고받",
                                    # a record's verbs: "결제가 찍힌", "기록된" are about the 결제
                                    "찍히", "기록되",
                                    # what the lawyer asks the answer to do or the evidence to do
                                    "제시", "제시하", "기술", "기술하", "밝히", "보여주", "드러나", "두", "파악", "파악되",
                                    "들", "나오", "오르", "가리키", "찾", "걸"})
# Tags of one kind of act: a label of one answers a question about another ("폭언" ~ a message labelled 모욕).
TAG_FAMILIES: Final = (frozenset({"폭언", "모욕"}), frozenset({"외도", "부적절한 만남", "숙박"}),
                       frozenset({"실종", "연락 두절"}))


def tag_family(tags: Iterable[str]) -> frozenset[str]:
    """The tags and the tags of their kind."""
    out = set(tags)
    for fam in TAG_FAMILIES:
        if out & fam:
            out |= fam
    return frozenset(out)
# Acts of stopping: "생활비가 끊긴" is shown by "생활비를 보내지 않았습니다".
STOP_VERBS: Final = frozenset({"끊", "끊기", "중단", "그만두", "멈추", "끊어지", "안주"})
NEGATED_TEXT: Final = re.compile(r"안\s|않|못\s|못했|없|끊|중단|밀렸|째")

# Role words whose bearer the evidence names next to the role ("딸 최서윤", "시어머니 이옥자", "장모 정미숙").
FAMILY_ROLES: Final[dict[str, tuple[str, ...]]] = {
    "아이": ("아들", "딸", "자녀"),
    "애": ("아들", "딸", "자녀"),
    "자녀": ("아들", "딸", "자녀"),
    "아들": ("아들",),
    "딸": ("딸",),
    "시어머니": ("시어머니", "시모"),
    "시누이": ("시누이", "시누"),
    "시아버지": ("시아버지",),
    "장모": ("장모",),
    "장인": ("장인",),
    "누나": ("누나",),
    "언니": ("언니",),
    "형": ("형",),
    "동생": ("동생",),
    "어머니": ("어머니",),
    "아버지": ("아버지",),
    "부친": ("부친", "아버지"),
    "처남": ("처남", "오빠", "남동생"),
    "처제": ("처제", "여동생"),
    "모친": ("모친", "어머니"),
}
# Korean surnames: a name after a role word is a surname and a two-syllable given name ("딸 최서윤", "딸 남궁하은"),
# so "언니 집으로" names nobody.
COMPOUND_SURNAMES: Final = ("남궁", "선우", "제갈", "황보", "독고", "사공", "서문", "동방", "을지")
SURNAMES: Final = ("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공"
                   "현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈"
                   "동온좌호범라")
PERSON_NAME: Final = re.compile(rf"(?:{'|'.join(COMPOUND_SURNAMES)})[가-힣]{{2}}|[{SURNAMES}][가-힣]{{2}}")
_NAME_AFTER_ROLE: Final = (rf"(?:인\s*)?((?:{'|'.join(COMPOUND_SURNAMES)})[가-힣]{{2}}|[{SURNAMES}][가-힣]{{2}})"
                           r"(?![가-힣]{2})")


@lru_cache(maxsize=1)
def _group_index() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            seen = out.setdefault(word, [])
            seen.extend(w for w in group if w not in seen)
    return {k: tuple(v) for k, v in out.items()}


# Words for a kind of act and the acts of that kind (one way: "폭력적인 행동" is shown by a bottle thrown, but
# "때린 적" is not).
KINDS_OF: Final[dict[str, tuple[str, ...]]] = {
    "폭력": ("폭행", "때리", "때려", "때린", "밀치", "밀쳐", "밀친", "던지", "던져", "던진", "비틀", "비튼", "꺾"),
    "육아": ("양육", "애 보", "아이 보", "돌보", "어린이집", "등원", "애", "아이"),
    "간섭": ("검사", "잔소리", "찾아와"),
    "동거": ("같이 살", "함께 살", "같이 못 살", "같이 지내", "집에 안 들어", "집에는 안 들어", "집에 들어가지"),
    "거부": ("못 살", "안 들어가", "안 돌아", "싫다"),
    "재산": ("지분", "부동산", "아파트", "예금", "적금", "주식"),
    "목격": ("보는 앞", "앞에서", "다 봤", "보고 있", "봤어"),
    "소비": ("사용액", "쇼핑", "한도", "카드값", "산 거"),
    "밀리": ("미지급", "미납", "연체", "체납", "안 들어", "못 받"),
    "독촉": ("재촉", "요구", "요청", "달라", "보내", "안 들어", "들어오지 않", "언제 줘"),
    "감시": ("위치", "추적", "검사", "몰래", "뒤지", "어디야"),
}


def synonyms(word: str) -> tuple[str, ...]:
    """The word and the words its groups give for it (itself first), and the acts of its kind."""
    return tuple(dict.fromkeys((word, *(w for w in _group_index().get(word, ()) if w != word),
                                *KINDS_OF.get(word, ()))))


def doc_context(filename: str | None, header: str = "") -> frozenset[str]:
    """Words a document's kind implies for every line of it (from its file name and title lines)."""
    blob = f"{filename or ''} {header}"
    out: set[str] = set()
    for key, words in DOC_CONTEXT:
        if key in blob:
            out.update(words)
    return frozenset(out)


def role_names(role: str, texts: Iterable[str]) -> list[str]:
    """Names the evidence writes right after the role word ("아들 박하준" → 박하준), most frequent first."""
    roles = FAMILY_ROLES.get(role)
    if not roles:
        return []
    alts = "|".join(roles)
    rx = re.compile(rf"(?:{alts})\s+{_NAME_AFTER_ROLE}")
    # "조미경 (조성훈의 누나)": the name, then the role in brackets
    bracket = re.compile(rf"(?<![가-힣])({PERSON_NAME.pattern})\s*\([^)]{{0,20}}?(?:{alts})\)")
    # "발신: 010-7713-2049 용태겸, 아내 용세아의 남동생)": the name, a comma, then what they are to the case
    apposed = re.compile(rf"(?<![가-힣])({PERSON_NAME.pattern}),\s*[^,()/\n]{{0,15}}?(?:{alts})(?=\s*(?:[)/,\n]|$))")
    counts: dict[str, int] = {}
    for text in texts:
        for m in (*rx.finditer(text), *bracket.finditer(text), *apposed.finditer(text)):
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return sorted(counts, key=lambda n: -counts[n])


def name_forms(name: str) -> list[str]:
    """How the evidence may write a person: 박수진, 수진이, 수진 (the given name of a three-syllable name)."""
    forms = [name]
    hangul = all("가" <= ch <= "힣" for ch in name)
    if hangul and (len(name) == 3 or (len(name) == 4 and name[:2] in COMPOUND_SURNAMES)):
        given = name[-2:]
        forms += [given + "이", given] if (ord(given[-1]) - 0xAC00) % 28 else [given]
    return forms


def any_in(forms: Sequence[str], text: str, lemmas: set[str]) -> bool:
    """Whether one of the forms is a lemma of the text or (two syllables or more) written in it."""
    return any(f in lemmas or (len(f) >= 2 and f in text) for f in forms)
