"""The offline label model's lexicon: every word and rule it uses, in one table a lawyer can read.

How to read a rule
------------------
`Rule(tag, pattern, weight, …)` says: when `pattern` occurs in a message, the message supports the fine tag
`tag` (and so its ground, `leh.domain.grounds`) with strength `weight` (0–1).

A pattern is written over Kiwi morphemes (base forms), so every inflection matches: `때리/VV` matches
때렸다, 때리고, 때린, 때려서. Parts are separated by spaces and must occur in this order, at most `gap`
morphemes apart (particles and adverbs may sit in between: `바람/NNG 피우/VV` matches 바람피웠다 and
바람을 피웠다). `a|b` lists alternatives; `/VV` names the part of speech (a prefix: `/V` is any verb or
adjective, `/N` any noun); a form ending in `*` matches as a prefix. A pattern starting with `re:` is a
regular expression on the raw text instead (used for profanity, which Kiwi splits unpredictably).

The engine (`leh.analysis.labels`) then applies the same checks to every rule:
- negation — 안/못 before the verb, -지 않다, -ㄴ 적 없다, -ㄹ 리 없다, …가 아니다, …은 없었다: the message
  denies the act and supports nothing (unless `negatable=False`: idioms such as 가만 안 두다 carry their own
  negation; or `polarity="neg"`: the rule is *about* something not happening, such as 생활비 안 주다);
- a denial called a lie in the same message (…없다고 거짓말) counts again, with less weight;
- conditionals (때리면 신고할 거야) describe no act, unless "또/다시" shows it happened before;
- the act announced for the future (때릴 거야, 죽여버린다) becomes `future_tag` (a threat);
- news, dramas and other people's marriages (드라마에서, 친구 남편이) are not the spouse's acts;
- abuse whose agent is an in-law (시어머니가 …) is filed as 시댁/처가 부당대우 (840-3); abuse whose target is a
  parent (장모님한테 욕했다, 우리 엄마를 밀쳤다) as 부모에 대한 폭언/폭행 (840-4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal


@dataclass(frozen=True)
class Rule:
    tag: str
    pattern: str
    weight: float
    mode: Literal["report", "utterance"] = "report"  # utterance: the message itself is the act (a threat, an insult)
    negatable: bool = True
    polarity: Literal["pos", "neg"] = "pos"  # neg: fires only when the act is negated (생활비 안 줘)
    gap: int = 3
    needs: tuple[str, ...] = ()  # at least one of these morpheme forms must occur in the message
    unless: tuple[str, ...] = ()  # none of these morpheme forms may occur in the message
    unless_before: tuple[str, ...] = ()  # the morpheme right before the match may not be one of these (멍 때리다)
    unless_after: tuple[str, ...] = ()  # nor the first word after it, particles skipped (욕을 먹다 is being scolded)
    next_forms: tuple[str, ...] = ()  # the morpheme right after the match must be one of these
    no_past: bool = False  # cancelled by a past-tense ending right after (불이 꺼졌어 is not 꺼져)
    future_tag: str | None = None
    require_future: bool = False  # fires only when the act is announced (죽이다 is a threat, not a report)
    allow_conditional: bool = False  # 술만 마시면: the conditional describes a habit
    passive: bool = False  # the grammatical subject is the victim (맞다, 얻어맞다)


# Words for people. Used to find who did what to whom in a message.
SPOUSE: Final = frozenset({"남편", "아내", "와이프", "신랑", "마누라", "배우자", "당신", "너", "니", "네", "자기", "그놈", "그년",
                           "처", "집사람", "안사람", "애아빠", "애엄마"})
PARENTS: Final = frozenset({
    "엄마", "아빠", "어머니", "아버지", "어머님", "아버님", "부모", "부모님", "친정엄마", "친정아빠",
    "장모", "장인", "장인어른", "시어머니", "시아버지", "시부모",
})
IN_LAWS_HUSBAND_SIDE: Final = frozenset({
    "시어머니", "시아버지", "시부모", "시댁", "시가", "시누이", "시누", "시동생", "시아주버니", "시어른", "시집",
})
IN_LAWS_WIFE_SIDE: Final = frozenset({"장모", "장인", "장인어른", "처가", "처남", "처제", "처형"})
# In-laws who are not 직계존속 (DOMAIN.md): their abuse goes under 840-6, not 840-3.
NOT_ASCENDANTS: Final = frozenset({"시누이", "시누", "시동생", "시아주버니", "아주버님", "아주버니", "처남", "처제", "처형", "동서",
                                   "올케", "매형", "매부", "제부"})
THIRD_PARTIES: Final = frozenset({
    "친구", "동료", "동생", "언니", "오빠", "누나", "형", "이웃", "옆집", "지인", "선배", "후배", "상사", "사장",
    "엄마", "아빠", "어머니", "아버지", "부모", "부모님", "애", "애들", "아이", "아이들", "아들", "딸", "연예인",
    "사촌", "이모", "고모", "삼촌",
})
# Stories told about others: the acts in them are nobody's in this marriage.
MEDIA: Final = frozenset({"드라마", "영화", "뉴스", "기사", "웹툰", "소설", "다큐", "다큐멘터리", "유튜브", "예능", "캠페인", "만화"})
# 바람피우는 사람 특징 / 폭행하는 경우: talk about such acts in general, not about this marriage.
GENERIC_NOUNS: Final = frozenset({"특징", "경우", "방법", "심리", "유형", "사례", "처벌", "기준"})
BODY_PARTS: Final = frozenset({"멱살", "뺨", "머리채", "얼굴", "머리", "목", "팔", "배", "가슴", "등"})

NEGATING_ADVERBS: Final = frozenset({"안", "못"})
# A denial called a lie (…때린 적 없다고 거짓말하지 마) still tells of the act.
DENIAL_IS_LIE: Final = frozenset({"거짓말", "발뺌", "잡아떼", "뻔뻔"})
# 또 바람피우면 / 다시 때리면: the conditional presupposes that it already happened.
AGAIN: Final = frozenset({"또", "다시", "또다시"})
# 앞으로 안 때릴게 / 다시는 안 그럴게: a promise not to do it again presupposes that it happened.
PROMISE_MARKERS: Final = frozenset({"앞", "다시", "두"})
APOLOGY: Final = frozenset({"미안", "죄송", "잘못", "인정", "용서", "사과", "반성"})
CONDITIONAL_ENDINGS: Final = frozenset({"면", "으면", "다면", "ᆫ다면", "는다면", "거든", "더라도", "어도", "아도"})
FUTURE_ENDINGS: Final = frozenset({"ᆯ게", "을게", "ᆯ래", "을래", "ᆯ께"})
CLAUSE_BREAKS: Final = frozenset({
    "고", "는데", "ᆫ데", "은데", "어서", "아서", "서", "니까", "으니까", "면서", "으면서", "지만", "며", "으며", "더니",
})

# Habits and durations that turn an everyday act into a pattern (술 마시다 → 매일 술 마시다).
HABIT: Final = ("매일", "맨날", "허구", "만날", "매번", "허구한", "늘", "항상", "자주", "또", "밤마다", "새벽", "매일같이", "하루")
DURATION: Final = ("년", "개월", "달", "째", "지", "동안", "주일", "일주일", "오래", "몇", "반년", "석")
# Not a word: added to a message's forms when it reads as a statement row (a date and an amount), so rules can ask
# for one ("2024.02.24 OO모텔 강남 60,000" is a motel charge, evidence of 840-1 by itself).
LEDGER_ROW: Final = "<거래내역>"
# "호텔 쪽으로 걸어가는 것을 보았다": seen near or heading to a lodging, not inside it (840-1 still, not 숙박).
TOWARDS: Final = ("쪽", "방향", "근처", "앞", "주변", "건너편", "맞은편", "입구", "골목")
AFFAIR_PARTNER: Final = ("여자", "남자", "상간녀", "상간남", "내연녀", "내연남", "그놈", "그년", "걔", "여직원", "남직원")

ABUSE_TAGS: Final = frozenset({"폭언", "폭행", "협박", "모욕"})

RULES: Final[tuple[Rule, ...]] = (
    # ---------------------------------------------------------------- 840-1 부정행위
    Rule("외도", "바람/NNG 피우|피/VV", 0.9, gap=2),
    Rule("외도", "바람나/VV", 0.9),
    Rule("외도", "바람/NNG 나/VV", 0.9, gap=2),
    Rule("외도", "바람둥이/NNG", 0.55),
    Rule("외도", "외도/NNG", 0.9),
    Rule("외도", "불륜/NNG", 0.9),
    Rule("외도", "간통/NNG", 0.9),
    Rule("외도", "내연/NNG|내연녀/NNG|내연남/NNG", 0.9),
    Rule("외도", "상간녀/NNG|상간남/NNG|상간/NNG", 0.9),
    Rule("외도", "애인/NNG 생기/VV", 0.8),
    Rule("외도", "눈/NNG 맞/VV", 0.8, gap=1, needs=("랑", "이랑", "하고", "와", "과", "직원", "동료", "여자", "남자")),
    Rule("부적절한 만남", "다른|딴/MM 여자|남자/NNG 만나|사귀|자|생기|연락/VV", 0.85, gap=4),
    Rule("부적절한 만남", "다른|딴/MM 여자|남자/NNG 생기/VV", 0.85),
    Rule("부적절한 만남", "그/MM 여자|남자/NNG 만나|자|사귀/VV", 0.8, gap=4),
    Rule("부적절한 만남", "그/MM 여자|남자/NNG 여행|키스|스킨십/NNG", 0.8, gap=4),
    Rule("부적절한 만남", "단/MM 둘/NR 여행/NNG", 0.75, gap=3, needs=AFFAIR_PARTNER),
    Rule("숙박", "모텔/NNG|러브호텔/NNG|대실/NNG|숙박/NNG|무인텔/NN|여관/NNG", 0.8,
         needs=(*AFFAIR_PARTNER, "결제", "영수증", "내역", "들어가", "나오", "대실", LEDGER_ROW), unless_after=TOWARDS),
    Rule("숙박", "호텔/NNG", 0.75, needs=AFFAIR_PARTNER, unless_after=TOWARDS),
    # A hidden or second phone (DOMAIN.md, 840-1: "a second phone, hidden apps, deleted chats"); weak alone, so
    # below the rules that name the affair, and not a child's phone.
    Rule("외도", "휴대폰|핸드폰|폰|전화기/NNG 숨기/VV", 0.7, gap=3, unless=("애", "애들", "아이", "아들", "딸", "조카")),
    Rule("외도", "세컨/NNG 폰/NNG", 0.75),
    Rule("외도", "세컨폰/NNG", 0.75),

    # ---------------------------------------------------------------- 840-2 악의의 유기
    Rule("생활비 미지급", "생활비|양육비/NNG 주|보내|받|입금|송금|부치/V", 0.85, polarity="neg", gap=6),
    Rule("생활비 미지급", "돈/NNG 주|보내/V", 0.7, polarity="neg", gap=4, needs=("푼", "한푼")),
    Rule("생활비 미지급", "생활비|양육비/NNG 끊/VV", 0.85),
    # "생활비 달라고 하면 … 한 번도 안 줘": the refusal may come long after the word 생활비.
    Rule("생활비 미지급", "주|보내/VV", 0.75, polarity="neg", needs=("생활비", "양육비")),
    Rule("가출", "가출/NNG", 0.9),
    Rule("가출", "집/NNG 나가/VV", 0.8, gap=2, needs=DURATION),
    Rule("가출", "집/NNG 나가/VV", 0.6, gap=2, next_forms=("었", "았"), unless=("잠깐", "아까", "방금")),
    Rule("가출", "짐/NNG 싸|빼/VV 나가/VV", 0.85, gap=4),
    Rule("가출", "들어오/VV", 0.75, polarity="neg", needs=DURATION),
    Rule("동거 거부", "각방/NNG", 0.85),
    Rule("동거 거부", "각/MM 방/NNG 쓰/VV", 0.85, gap=1),
    Rule("동거 거부", "같이|함께/MAG 살|사/VV", 0.8, polarity="neg", gap=2),
    Rule("축출", "쫓아내|내쫓/VV", 0.85),
    Rule("축출", "집/NNG 나가/VV", 0.75, gap=2, next_forms=("라고", "라", "라는")),

    # ---------------------------------------------------------------- 840-3 부당대우: 폭행
    Rule("폭행", "때리|패/VV", 0.9, future_tag="협박", unless_before=("멍",)),
    Rule("폭행", "폭행/NNG|폭력/NNG|손찌검/NNG|발길질/NNG|주먹질/NNG", 0.85),
    Rule("폭행", "밀치|떠밀|걷어차|집어던지|내던지|후려치|두들기/VV", 0.85, future_tag="협박"),
    Rule("폭행", "발/NNG 차/VV", 0.8, gap=2),
    Rule("폭행", "목/NNG 조르/VV", 0.9, gap=2),
    Rule("폭행", "머리채|멱살/NNG 잡/VV", 0.9, gap=2),
    Rule("폭행", "뺨/NNG 치|때리/VV", 0.9, gap=2),
    Rule("폭행", "주먹/NNG 휘두르|치/VV", 0.85, gap=3),
    Rule("폭행", "물건|휴대폰|핸드폰|컵|물컵|접시|리모컨|의자|그릇/NNG 던지/VV", 0.8, gap=3),
    Rule("폭행", "부수/VV", 0.7, future_tag="협박"),
    Rule("폭행", "멍/NNG 들/VV", 0.7, gap=2),
    Rule("폭행", "세/VA 게/EC 잡|붙잡/VV", 0.6, gap=1),
    Rule("폭행", "강제/NNG 로/JKB 잡|붙잡|끌|잡아당기|끌어당기/VV", 0.65, gap=1),
    Rule("폭행", "한테|에게|테/JKB 맞/VV", 0.85, passive=True, gap=1),
    Rule("폭행", "뺨|얼굴|머리|주먹|몽둥이|손바닥|발/NNG 맞/VV", 0.85, passive=True, gap=3),
    Rule("폭행", "얻어맞/VV|두들겨맞/VV", 0.9, passive=True),
    Rule("폭행", "매/NNG 맞/VV", 0.85, passive=True, gap=2),

    # ---------------------------------------------------------------- 840-3 부당대우: 폭언
    Rule("폭언", "욕/NNG|욕설/NNG|쌍욕/NNG|폭언/NNG|막말/NNG|고함/NNG|욕하/VV", 0.85, unless_after=("먹", "얻어먹")),
    Rule("폭언", "큰소리/NNG 치/VV", 0.75, gap=2),
    Rule("폭언", "소리/NNG 지르/VV", 0.8, gap=2),
    Rule("폭언", "소리치/VV", 0.8),
    Rule("폭언", "삿대/NNG 질/XSN", 0.7, gap=1),
    Rule("폭언", r"re:씨발|시발|씨바|씨팔|ㅅㅂ|ㅆㅂ|개새[끼기]|개색|병신|ㅂㅅ|등신|좆|지랄|썅|쌍년|쌍놈|"
         r"미친\s?(?:년|놈|새끼|넘)|도둑년|멍청한\s?(?:년|놈)|[이저그]\s?년아|[이저그]\s?놈아|개같은",
         0.9, mode="utterance", negatable=False),
    Rule("폭언", "닥치/VV", 0.8, mode="utterance", negatable=False, next_forms=("어", "라", "라고", "어라")),
    Rule("폭언", "꺼지/VV", 0.8, mode="utterance", negatable=False, no_past=True,
         unless=("불", "전원", "화면", "배터리", "시동", "컴퓨터", "촛불", "티비", "휴대폰", "핸드폰")),
    Rule("폭언", "/ETM 년|놈/NNB 이|아/VCP|JKV", 0.8, mode="utterance", negatable=False, gap=0),
    Rule("폭언", "이/MM 쓰레기|인간|새끼/NNG", 0.75, mode="utterance", negatable=False, gap=0,
         next_forms=("이", "야", "아")),

    # ---------------------------------------------------------------- 840-3 부당대우: 모욕
    Rule("모욕", "모욕/NNG|모독/NNG|비하/NNG|조롱/NNG|비아냥/NNG|구박/NNG|멸시/NNG|망신/NNG", 0.8),
    Rule("모욕", "비웃/VV|깔보/VV|업신여기/VV", 0.75),
    Rule("모욕", "무시/NNG", 0.65,
         needs=("나", "날", "저", "매일", "맨날", "항상", "늘", "계속", "사람", "취급", "며느리", "사위")),
    Rule("모욕", "바보|하녀|종|식모|노예|벌레|거지/NNG 취급/NNG", 0.85, gap=1),
    Rule("모욕", "종/NNG 처럼|같이/JKB 부리/VV", 0.85, gap=3),
    Rule("모욕", "부리/VV 어/EC 먹/VX", 0.75, gap=0),
    Rule("모욕", "너/NP 같/VA 거|것|년|놈|새끼|인간|여자|남자/N", 0.75, mode="utterance", negatable=False, gap=2),
    Rule("모욕", "사람/NNG 이|도/J 아니/VCN", 0.7, mode="utterance", negatable=False, gap=1,
         needs=("너", "넌", "니", "네", "당신")),
    Rule("모욕", "사람/NNG 이/VCP 냐|니/EF", 0.7, mode="utterance", negatable=False, gap=1),
    Rule("모욕", "무능/NNG", 0.7, needs=("하다고", "다고", "라고", "취급", "모욕")),
    Rule("시댁 부당대우", "시집살이/NNG", 0.85),

    # ---------------------------------------------------------------- 840-3 부당대우: 협박
    Rule("협박", "협박/NNG|위협/NNG", 0.85),
    Rule("협박", "죽이/VV", 0.9, mode="utterance", require_future=True, unless_before=("시간",)),
    Rule("협박", "가만/MAG 안/MAG 두/VV", 0.9, mode="utterance", negatable=False, gap=1),
    Rule("협박", "가만두/VV 지/EC 않/VX", 0.9, mode="utterance", negatable=False, gap=1),
    Rule("협박", "가만히/MAG 안/MAG 두/VV", 0.9, mode="utterance", negatable=False, gap=1),
    Rule("협박", "두/VV 고/EC 보/V", 0.7, mode="utterance", negatable=False, gap=0, next_forms=("어", "자", "아", "라")),
    Rule("협박", "각오/NNG", 0.7, mode="utterance", negatable=False, unless=("공부", "시험", "운동")),
    Rule("협박", "못/MAG 보/VV 게/EC 하/V", 0.85, mode="utterance", negatable=False, gap=1,
         needs=("애", "애들", "아이", "아이들", "아들", "딸", "자식")),
    Rule("협박", "까발리|퍼뜨리|폭로/V", 0.8, mode="utterance", require_future=True),
    Rule("협박", "폭로/NNG", 0.7, mode="utterance", require_future=True),
    Rule("협박", "찾아가/VV", 0.6, mode="utterance", require_future=True, needs=("회사", "직장", "집", "친정", "학교")),
    Rule("협박", "죽/VV 어/EC 버리/VX", 0.75, mode="utterance", negatable=False, gap=0),
    Rule("협박", "죽/VV 고/EC 나/NP 죽/VV", 0.85, mode="utterance", negatable=False, gap=1),
    Rule("협박", "칼/NNG 들|휘두르|꺼내/VV", 0.85, gap=2),

    # ---------------------------------------------------------------- 840-5 생사불명
    Rule("실종", "행방불명/NNG", 0.9),
    Rule("실종", "실종/NNG", 0.85, needs=(*DURATION, "신고", "남편", "아내", "와이프", "신랑")),
    Rule("실종", "생사/NNG", 0.85, negatable=False, needs=("모르", "몰라", "없", "불명", "확인")),
    Rule("실종", "살/VV 죽/VV", 0.8, gap=3, needs=("모르", "없")),
    Rule("실종", "행방/NNG 묘연/XR|모르|없/V", 0.85, gap=3),
    Rule("연락 두절", "연락/NNG 두절/NNG", 0.85, gap=1),
    Rule("연락 두절", "연락|소식/NNG 끊기|끊어지|끊/VV", 0.8, gap=2, needs=("년", "개월", "오래", "몇")),
    Rule("연락 두절", "소식/NNG 없/VA", 0.8, gap=2, needs=("년", "개월")),

    # ---------------------------------------------------------------- 840-6 기타 중대한 사유
    Rule("도박", "도박/NNG|노름/NNG|바카라/NNP|바카라/NNG|경마/NNG|경마장/NNG|토토/NNP|토토/NNG", 0.9),
    # A casino is also a hotel and a restaurant: only a visit or money spent there is evidence.
    Rule("도박", "카지노/NNG", 0.85, needs=("가", "다니", "출입", "돈", "날리", "잃", "밤새", "새", "빠지", "몰래", "빚")),
    Rule("도박", "베팅/NNG|배팅/NNG", 0.7),
    Rule("알코올", "알코올/NNG 중독/NNG", 0.9, gap=1),
    Rule("알코올", "술주정/NNG|만취/NNG|술버릇/NNG|주정/NNG", 0.85),
    Rule("알코올", "주사/NNG 부리/VV", 0.85, gap=2),
    Rule("알코올", "술/NNG 취하|마시|먹/VV", 0.75, gap=2, needs=HABIT, allow_conditional=True),
    Rule("알코올", "술/NNG 만/JX 마시|먹/VV", 0.8, gap=1, allow_conditional=True),
    Rule("경제적 갈등", "대출/NNG", 0.75, needs=("몰래", "숨기", "말도")),
    Rule("경제적 갈등", "빚/NNG", 0.7, needs=("몰래", "숨기", "도박", "늘어나", "생기", "지", "갚")),
    Rule("경제적 갈등", "돌려막기/NNG|탕진/NNG", 0.8),
    Rule("경제적 갈등", "돌리/VV 막/VV", 0.8, gap=1, needs=("카드",)),
    Rule("경제적 갈등", "전세금|보증금|퇴직금|적금|월급|재산|생활비|돈/NNG 날리/VV", 0.8, gap=3),
    Rule("경제적 갈등", "주식|코인/NNG 날리/VV", 0.8, gap=4),
    Rule("경제적 갈등", "명의/NNG 도용/NNG", 0.8, gap=1),
    Rule("경제적 갈등", "보증/NNG 서/VV", 0.7, gap=2, needs=("몰래",)),
    Rule("성격 차이", "성격/NNG 차이/NNG", 0.85, gap=1),
    Rule("성격 차이", "성격/NNG 맞/V", 0.8, polarity="neg", gap=3),
    Rule("계속적 불화", "불화/NNG", 0.8),
    Rule("계속적 불화", "싸우/VV", 0.75, needs=(*HABIT, "멀다", "계속"), unless=("애들", "아이들")),
    Rule("계속적 불화", "대화|말/NNG 통하/VV", 0.75, polarity="neg", gap=3),
    Rule("게임 중독", "게임/NNG 빠지|중독/V", 0.8, gap=2),
    Rule("게임 중독", "게임/NNG 중독/NNG", 0.85, gap=1),
    Rule("종교 갈등", "사이비/NNG", 0.8),
    Rule("종교 갈등", "종교/NNG 빠지|강요|헌금/V", 0.8, gap=3),
    Rule("종교 갈등", "종교/NNG 강요/NNG", 0.8, gap=1),
)

# How a summary or timeline line names the act, by tag ("홍길동이 협박성 발언을 함").
ACT_PHRASES: Final[dict[str, str]] = {
    "외도": "외도", "부적절한 만남": "부적절한 만남", "숙박": "숙박업소 출입",
    "가출": "가출", "생활비 미지급": "생활비 미지급", "동거 거부": "동거 거부", "축출": "집에서 내쫓음",
    "폭언": "폭언", "폭행": "폭행", "협박": "협박", "모욕": "모욕",
    "시댁 부당대우": "시댁의 부당한 대우", "처가 부당대우": "처가의 부당한 대우",
    "부모에 대한 폭언": "부모에 대한 폭언", "부모에 대한 폭행": "부모에 대한 폭행",
    "연락 두절": "연락 두절", "실종": "실종·생사불명",
    "도박": "도박", "알코올": "음주 문제", "경제적 갈등": "경제적 문제", "성격 차이": "성격 차이",
    "계속적 불화": "계속적인 불화", "게임 중독": "게임 중독", "종교 갈등": "종교 문제",
}
