"""Whether-questions about an act, answered by what the evidence means rather than by the words it shares.

"상대방이 의뢰인 어머니에게 손찌검한 사실이 있는지?", "남편이 생활비를 끊은 적 있나요?", "아내가 다른 남자와
숙박업소에 간 정황이 있습니까?": the evidence says the act in its own words (떠밀어서, 돈 안 보낸다, 대실 영수증), so
the question is read as an act (`Act`: a kind of conduct under art. 840, who did it, to whom, whether the deed itself
is asked) and each passage by the art. 840 labeller (`leh.analysis.label_model`, the small learned model over Kiwi
morphemes and character pieces that labels the evidence): a passage shows the act when the labeller gives it the
act's ground and it holds a sign of that kind of act, the asked actor and object fit, and (for "실제로 …했나요?")
it reports the deed, not a threat or a condition. A question that names no act (졸업식에 참석했나요, 명의인가요) is
not read here (`read_act` → None) and the caller answers it as before.

Pure: no I/O (the labeller's weights are loaded once per process by `label_model.shipped_model`); the caller
gives the morphemes (cached) and bounds how many passages are read (`MAX_READ`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from leh.analysis.answer import Claim, Passage, item
from leh.analysis.concepts import PERSON_NAME, name_forms
from leh.analysis.label_model import shipped_model
from leh.analysis.labels import message_hits
from leh.analysis.morph import Morph, morphs

MAX_READ: Final = 300  # passages the labeller scores per question (the cheapest signs first)
MAX_SHOWN: Final = 5
CLAUSE_CHARS: Final = 120  # of a document line after the doer's name, read with Kiwi when its words do not decide
GROUND_FLOOR: Final = 0.1  # with a sign of the act in the passage, the labeller's probability of its ground


@dataclass(frozen=True)
class Kind:
    """A kind of conduct: the art. 840 grounds the labeller files it under, the lexicon's tags for it, how a
    question names it and the signs of it in the evidence's own words."""

    name: str
    grounds: frozenset[str]
    tags: frozenset[str]
    asked: re.Pattern[str]
    signs: re.Pattern[str]
    floor: float = GROUND_FLOOR
    plain: re.Pattern[str] | None = None  # words that show the kind whatever the labeller says (slurs)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# The signs are the everyday words of each kind; the question side holds the lawyers' words for it. Both are
# read only where the labeller already files the passage under the kind's ground (or a lexicon tag says so).
KINDS: Final = (
    Kind("폭행", frozenset({"840-3", "840-4", "840-6"}), frozenset({"폭행", "부모에 대한 폭행"}),
         _rx(r"(?<![가-힣])민\s*(?:걸|거|것|건|사실|적|일)|물리력|신체(?:적|에|를)|위해를\s*가|폭행|폭력|손찌검|손(?:을)?\s*(?:대|댄|댔|올)|때리|때린|때렸|때려|구타|공격|밀치|밀친|밀쳤|떠밀|밀어|"
             r"넘어져|넘어진|넘어지|다치|다친|다쳤|상처|멱살|뺨|주먹|발길질|걷어차|난폭|맞았|맞은|맞았는지"),
         _rx(r"때리|때려|때렸|때린|맞았|맞아서|맞은|밀어|밀쳐|밀치|밀친|떠밀|뺨|후려|발로\s*(?:찼|차|걷어)|걷어|멱살|머리채|"
             r"넘어지|넘어졌|넘어지셨|넘어진|주저앉|멍(?:이|들|든|자국)|다쳤|다치|골절|부러|꼬집|할퀴|조르|졸랐|끌고|내동댕이|"
             r"폭행|손찌검|주먹|내리치|내리쳐|내리쳤|내리친|가격(?:하|했|당)")),
    Kind("손괴", frozenset({"840-3", "840-6"}), frozenset({"폭행"}),
         _rx(r"부수|부순|부쉈|망가|파손|깨뜨|깨부|박살|난폭|집어\s*던|물건을\s*던"),
         _rx(r"깨진|깨졌|깨뜨|부서|부쉈|부수|박살|파손|망가|던져|던진|던졌|집어던|내던|차서|발로")),
    Kind("협박", frozenset({"840-3", "840-4", "840-6"}), frozenset({"협박"}),
         _rx(r"위협|협박|겁을?\s*(?:주|준|줬)|겁박|으름장|해코지|못\s*보게\s*하겠"),
         _rx(r"가만\s*안|가만두지|가만히\s*안|죽여|죽일|죽는다|죽을\s*줄|끝나지\s*않|안\s*끝(?:나|난|날)|각오|두고\s*봐|못\s*보게|"
             r"데리고\s*나간|뺏어|뺏을|빼앗|찾아간|찾아갈|조심(?:해|하라|하는\s*게|하세요)|[가-힣]면\s.{0,30}(?:거야|다$|다\s|줄\s*알아)|협박|위협"),
         plain=_rx(r"가만\s*안\s*(?:둬|둔|두|있)|가만두지\s*않|죽여\s*버|죽일\s*거|밤길\s*조심|두고\s*봐|각오\s*해")),
    Kind("폭언", frozenset({"840-3", "840-4", "840-6"}), frozenset({"폭언", "모욕", "부모에 대한 폭언", "시댁 부당대우",
                                                           "처가 부당대우", "계속적 불화"}),
         _rx(r"욕설|욕을|욕한|욕했|욕하|모욕|막말|폭언|비하|깎아|험한\s*말|험담|무시하는\s*말|망신|모멸|인격|비난|무례|버릇\s*없"),
         _rx(r"소리\s*(?:지르|질러|질렀|치)|고함|호통|폭언|막말|무례|버릇\s*없|(?<![0-9가-힣])(?<![0-9]\s)년(?![가-힣])|년아|놈|새끼|망신|노친네|멍청|병신|미친|꼴|주제에|무시|욕|창피|한심|못된|쓰레기|"
             r"라고\s*(?:했|하셨|불렀|부르)|이라고\s*(?:했|하셨|불렀|부르)"),
         plain=_rx(r"(?:못된|미친|망할|썩을|더러운|나쁜)\s*년|(?<![0-9가-힣])(?<![0-9]\s)년(?:아|이)?(?![가-힣])|새끼|병신|"
                   r"노친네|쌍년|개같")),
    Kind("숙박", frozenset({"840-1"}), frozenset({"숙박"}),
         _rx(r"숙박|숙소|모텔|호텔|무인텔|여관|대실|투숙|객실|외박|묵었|묵은|묵는|한\s*방에서|같은\s*방|"
             r"밤을\s*(?:함께|같이)|함께\s*밤|같이\s*밤"),
         _rx(r"숙박|숙소|모텔|호텔|무인텔|여관|대실|투숙|객실|펜션|밤새|새벽까지|외박|[0-9]\s*박|같은\s*방|한\s*방")),
    Kind("외박", frozenset({"840-1", "840-2"}), frozenset(),
         _rx(r"외박|집에\s*안\s*들어|들어오지\s*않|밤새\s*안"),
         _rx(r"외박|안\s*들어(?:왔|와|오|온)|들어오지\s*않|밤새|새벽\s*\d*\s*시?(?:에|까지)|아침에\s*들어")),
    Kind("여행", frozenset({"840-1"}), frozenset(),
         _rx(r"여행|놀러\s*(?:갔|간|다녀)"),
         _rx(r"여행|다녀왔|다녀온|놀러|[0-9]\s*박\s*[0-9]\s*일|제주|해외"), floor=0.0),  # who went is the question's
    Kind("동거 거부", frozenset({"840-2", "840-6"}), frozenset({"동거 거부"}),
         _rx(r"동거를?\s*거부|같이\s*살지\s*않|함께\s*살지\s*않|각방|같이\s*못\s*살|따로\s*살"),
         _rx(r"못\s*살|안\s*살|각방|각\s*방|따로\s*살|같이\s*못|안\s*들어가|들어가지\s*않|혼자\s*살")),
    Kind("동거", frozenset({"840-1"}), frozenset(),
         _rx(r"(?:함께|같이)\s*(?:살|사는|산다|지내)|동거|살림을?\s*차"),
         _rx(r"(?:함께|같이)\s*(?:살|사는|산다|지내)|살기로|동거|살림|들어가\s*살|에서\s*지내")),
    Kind("외도", frozenset({"840-1"}), frozenset({"외도", "부적절한 만남", "숙박"}),
         _rx(r"외도|바람(?!막이)|불륜|상간|내연|애인|외간|다른\s*(?:남자|여자|남성|여성|이성)|딴\s*(?:남자|여자)|부적절한\s*관계"),
         _rx(r"만나고\s*있|만나는\s*(?:사람|남자|여자)|(?:그|다른|딴)\s*(?:여자|남자)[^.?!]{0,8}만나|살기로|같이\s*살|함께\s*살|동거|사귀|좋아하는\s*사람|사랑해|애인|바람|불륜|외도|상간|내연|모텔|호텔|"
             r"숙박|대실|밤새|새벽까지|외박"), floor=0.3),
    Kind("생활비 미지급", frozenset({"840-2"}), frozenset({"생활비 미지급"}),
         _rx(r"(?:생활비|양육비|돈|송금|용돈|월급|부양료|카드)[^?]{0,14}(?:끊|중단|안\s*(?:주|보내)|주지\s*않|보내지\s*않|멈|"
             r"막아|막겠|막은|정지)|"
             r"(?:생활비|양육비)를?\s*(?:부담하지|안\s*준|주지)"),
         _rx(r"안\s*보내|보내지\s*않|안\s*보낸|안\s*줘|안\s*준다|주지\s*않|안\s*들어|들어오지\s*않|끊|0원|못\s*받|중단|밀렸|"
             r"정지|막아|막을|막는다")),
    Kind("축출", frozenset({"840-2"}), frozenset({"축출"}),
         _rx(r"내쫓|쫓아내|쫓아냈|쫓겨|(?:비번|비밀\s*번호|도어락|현관\s*번호)\S{0,2}\s*(?:을\s*|를\s*)?(?:바꾸|바꿔|바꾼|바꿨|변경)|출입을?\s*(?:막|금지|못\s*하게)|못\s*들어가|들어가지\s*못|들어오지\s*못|못\s*들어오|문을\s*잠|나가라고|내보내|"
             r"짐을?\s*(?:밖에|밖으로|싸서|현관)|내놓|내놨|내놓은"),
         _rx(r"비밀번호|비번|도어락|현관|내놓|내놨|나가라|나가|쫓|잠가|잠갔|못\s*들어|들어가지\s*못|들어오지\s*마|짐\s*(?:다\s*)?싸")),
    Kind("가출", frozenset({"840-2", "840-5"}), frozenset({"가출"}),
         _rx(r"집을\s*(?:나가|나간|나갔|떠나|떠난|떠났)|가출|안\s*돌아오|돌아오지\s*않|안\s*들어오|들어오지\s*않|"
             r"데리고\s*(?:가서|나가|나간|떠나)"),
         _rx(r"가출|친정|안\s*들어|돌아오지|나갔|나가서|짐\s*싸|짐을\s*싸|집을\s*나|떠났")),
    Kind("재산 처분", frozenset({"840-6", "840-2"}), frozenset({"경제적 갈등"}),
         _rx(r"인출|빼\s*(?:갔|간|가|돌)|빼돌|임의로|마음대로\s*(?:깨|깬|썼|쓴|해지|처분)|해지|탕진|몰래\s*(?:쓴|썼|팔)|처분"),
         _rx(r"출금|인출|빠져나|뺐|빼\s*갔|빼갔|해지|탕진|날렸|날린|처분|팔았")),
)

# Who the question says did it (subject) and to whom (object): role words and what the evidence calls them.
PARTY_WORDS: Final = frozenset({"남편", "아내", "와이프", "배우자", "피고", "원고", "상대방", "의뢰인", "본인", "신랑", "집사람"})
PARTY_PHRASES: Final = re.compile(r"아이\s*(?:엄마|아빠)|애\s*(?:엄마|아빠)|애기\s*(?:엄마|아빠)")
RELATIVES: Final[dict[str, tuple[str, ...]]] = {
    "어머니": ("어머니", "엄마", "어머님", "모친", "장모", "시어머니"),
    "아버지": ("아버지", "아빠", "아버님", "부친", "장인", "시아버지"),
    "장모": ("장모", "어머니", "엄마", "어머님", "모친"),
    "친정어머니": ("친정어머니", "친정 엄마", "친정엄마", "어머니", "엄마", "모친", "장모"),
    "친정아버지": ("친정아버지", "친정 아빠", "아버지", "아빠", "부친", "장인"),
    "장인": ("장인", "아버지", "아빠", "아버님", "부친"),
    "시어머니": ("시어머니", "시모", "어머님", "어머니", "엄마"),
    "시아버지": ("시아버지", "시부", "아버님", "아버지", "아빠"),
    "아이": ("아이", "애", "아들", "딸", "자녀", "애기"),
    "아들": ("아들", "아이", "애"),
    "딸": ("딸", "아이", "애"),
    "시누이": ("시누이", "시누", "아가씨", "고모"),
    "처제": ("처제", "언니", "동생"),
    "처남": ("처남", "오빠", "남동생"),
    "시동생": ("시동생", "도련님", "서방님"),
}
RELATIVE_WORD: Final = re.compile(r"(?:처가|친정|시댁|의뢰인의?|원고의?|피고의?|남편의?|아내의?)?\s*"
                                   r"(시어머니|시아버지|장모님?|장인어른|장인|어머니|어머님|엄마|아버지|아버님|아빠|"
                                   r"시누이|처제|아들|딸|아이|자녀)(?:들)?")
_OBJECT_AFTER: Final = re.compile(r"\s*(?:님)?(?:을|를|에게|한테|께|의|에\s*대해|더러)")
_SUBJECT_AFTER: Final = re.compile(r"\s*(?:님)?(?:이|가|은|는|께서|도)(?![가-힣])")
_UNDERGO: Final = re.compile(r"넘어져|넘어진|넘어지|주저앉|다치|다친|다쳤|맞았|맞은|당했|당한|상처|쫓겨")
# A verb that only modifies a noun is not what is asked ("빼간 이천만 원을 돌려놓았나요?" asks about returning it).
_ACTUALLY: Final = re.compile(r"실제로|정말로|진짜로|직접")
_INTENT_TEXT: Final = re.compile(r"겠다|겠어|겠다는|거야|거다|[을를]\s*거|테니|(?:간다|한다|나간다|온다)(?:\s|$|[.!])|"
                                 r"[가-힣]면\s")
# A thing the act was done with: when the question names one ("칼로 위협한"), the passage must name it too.
_INSTRUMENT: Final = re.compile(r"칼|흉기|식칼|과도|가위|망치|몽둥이|방망이|야구\s*배트|골프채|벨트|허리띠|쇠파이프|각목|둔기|"
                                r"라이터|휘발유|총")
_COUPLE_Q: Final = re.compile(r"(?:의뢰인|원고|피고|본인|남편|아내|와이프|배우자)\s*(?:을|를|에게|한테|의\s*몸|\s*몸)|"
                             r"(?<![가-힣])(?:나|저)(?:를|에게|한테)")
_SPOUSE_DID: Final = {  # the spouse asked about as the doer, and the other spouse as the doer of a line
    "남편": (re.compile(r"(?<![가-힣])(?:남편|피고)(?:은|는|이|가)\s"), re.compile(r"(?<![가-힣])(?:아내|와이프)(?:는|가|은|이)\s")),
    "아내": (re.compile(r"(?<![가-힣])(?:아내|와이프)(?:는|가|은|이)\s"), re.compile(r"(?<![가-힣])(?:남편|피고)(?:은|는|이|가)\s")),
}
_TOLD_OF: Final = re.compile(r"[가-힣]{0,2}\s*(?:사실|일|것)?(?:을|를|에\s*대해)?\s*(?:부인|변명|해명|사과|둘러대|두둔|옹호|감싸|"
                             r"정당화|편들|편을\s*들)|"
                             # "폭행 장면을 직접 봤는지": who saw it is asked, not whether it was done
                             r"[가-힣]{0,2}\s*(?:장면|모습|것|걸)(?:을|를)?\s*(?:직접\s*)?(?:봤|보았|본|보는지|목격)")
_WITNESS: Final = re.compile(r"\s*(?:보는|지켜보는|있는|보고\s*있는)\s*(?:데|앞|자리|가운데)")
_ADMIT_Q: Final = re.compile(r"시인|인정|자백|자인|스스로")
_ADMIT_TEXT: Final = re.compile(r"시인|인정|자백|자인|스스로|맞아|만나고\s*있")
_QUESTION_TEXT: Final = re.compile(r"\?|냐\s*$|니\s*$")
_AFFIRM: Final = re.compile(r"(?:그래|응|어|맞아|맞다|맞아요|그렇다|그래요|네)(?:[\s.,!]|$)")
_ASKED_TEXT: Final = re.compile(r"\?\s*$|(?:지|냐|니|죠|야)\s*\??\s*$")


def _admits_asked(act: Act, p: Passage, context: str) -> bool:
    """An admission asked ("바람피운 걸 인정한 적"), shown by a yes to the other's question about the act: "그 여자
    따로 만나는 거 맞지?" → "그래 만난다. 이제 속이 시원하냐" (what it admits is in the question it answers; the
    doer is the writer, checked by the caller against the parties)."""
    if not act.admitted or act.actor or p.is_document or not p.speaker or not _AFFIRM.match(p.text):
        return False
    return bool(_ASKED_TEXT.search(context)) and any(_sign(k, context) or k.asked.search(context) for k in act.kinds)


@dataclass(frozen=True)
class Act:
    """What a whether-question asks: the kinds of act, who did it, to whom, the deed itself or an admission."""

    kinds: tuple[Kind, ...]
    actor: str | None  # a third person the question names as the doer (시어머니, 기윤호); None: a party or unsaid
    victim: str | None  # a relative the act was done to (어머니 → 엄마, 장모 …); None: a party or unsaid
    party: str | None = None  # the writer of messages the question names as the doer ("제성필이 …")
    spouse: str | None = None  # "남편이 …" / "아내가 …": the spouse the question names as the doer
    deed: bool = False  # "실제로 …했나요?": a threat or a condition is not the deed
    instrument: str | None = None  # "칼로 위협한": what it was done with
    to_couple: bool = False  # "의뢰인을 때린": done to one of the couple, not to another relative
    admitted: bool = False  # "…했다고 시인한": the doer's own words or a statement that they admitted it
    joint: bool = False  # "남편과 채다빈이 함께 여행을": the named person is one of those who did it together

    @property
    def grounds(self) -> frozenset[str]:
        return frozenset(g for k in self.kinds for g in k.grounds)

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(t for k in self.kinds for t in k.tags)


_FACT_WORDS: Final = frozenset({"적", "일", "것", "거", "사실", "정황", "증거", "기록", "흔적", "자료", "말", "내용", "경우",
                               "바", "문자", "메시지", "때", "쪽", "모습", "행동", "행위", "장면", "얘기", "이야기"})


# what a question that dates or counts an act asks of it: "쫓겨난 날짜", "손댄 횟수", "떼어낸 시점"
EVENT_WORDS: Final = frozenset({"날", "날짜", "일자", "일시", "시점", "시기", "시각", "때", "무렵", "즈음", "요일", "횟수", "건수",
                                "빈도", "번", "차례", "회", "건", "해", "달"})


def _modifier_only(ms: Sequence[Morph], end: int, facts: frozenset[str] = _FACT_WORDS) -> bool:
    """Whether the verb ending at `end` only describes a noun ("빼간 이천만 원을 돌려놓았나요?" asks about
    returning the money), not the act asked ("밀친 일", "위협하는 말"; with `facts`, other words for the act)."""
    for i, m in enumerate(ms):
        if m.end < end:
            continue
        if m.end - end > 2 or m.tag.startswith(("N", "J", "S", "EF", "EC")):
            return False
        if m.tag != "ETM":
            continue
        nxt = next((n for n in ms[i + 1:] if n.tag.startswith(("NN", "NR", "SN", "NP"))), None)
        return nxt is not None and nxt.form not in facts and nxt.start - m.end <= 2
    return False


def undergone(question: str) -> bool:
    """Whether the question's subject undergoes the act ("원고가 쫓겨난 날짜", "남편한테 맞은 횟수"): its doer is
    the other one."""
    return _UNDERGO.search(question) is not None


def _another_act_after(ms: Sequence[Morph], end: int) -> bool:
    """Whether another verb follows the act before the question's word for a date or count: the act only
    describes what that verb is done to ("해지한 적금을 다시 채워 넣은 날짜")."""
    for m in ms:
        if m.start < end:
            continue
        if m.form in EVENT_WORDS or m.form in ("언제", "며칠", "몇"):
            return False
        if m.tag == "VV" and m.form not in _SAYING:
            return True
    return False


_SAYING: Final = frozenset({"하", "말하", "그러", "이러"})  # "막겠다고 한 메시지": the act, said


def read_act(question: str, ms: Sequence[Morph], roles: dict[str, tuple[str, ...]] | None = None,
             speakers: Sequence[str] = (), *, event: bool = False) -> Act | None:
    """The act a whether-question asks about, or None when it names no act of the kinds known here; with
    `event`, of a question that dates or counts it ("쫓겨난 날짜", "손댄 횟수": the act, not a noun it describes)."""
    facts = _FACT_WORDS | EVENT_WORDS if event else _FACT_WORDS
    kinds: list[Kind] = []
    for k in KINDS:
        for m in k.asked.finditer(question):
            if re.match(r"[가-힣]{0,2}의\s", question[m.end():]):
                continue  # "상간남의 주소를 알고 있습니까?": the person owns what is asked, the act is not asked
            if _TOLD_OF.match(question[m.end():]):
                continue  # "폭행 사실을 부인하거나 변명한": what was said of the act is asked
            if event and _another_act_after(ms, m.end()):
                continue  # "해지한 적금을 다시 채워 넣은 날짜": the date is of the later act
            if not _modifier_only(ms, m.end(), facts):
                kinds.append(k)
                break
    if not kinds:
        return None
    if len(kinds) > 1:  # "다른 여성과 함께 살기로": the particular kind asked, not any sign of an affair
        names = {k.name for k in kinds}
        kinds = [k for k in kinds if k.name != "외도" and not (k.name == "동거" and "동거 거부" in names)] or kinds
    names = set(speakers)
    roles = roles or {}
    actor = _actor(question, roles, names)
    subject = _SUBJECT.search(question)
    party = next((n for n in names if subject and subject.group(1) in name_forms(n)), None)
    victim = _victim(question, roles) or _victim_by_given_name(question, names)
    tool = _INSTRUMENT.search(question)
    said = subject.group(1) if subject else None
    spouse = "아내" if said == "와이프" else said if said in ("남편", "아내") else None
    joint = actor is not None and re.search(rf"(?:와|과|랑|이랑|하고)\s*{re.escape(actor)}|{re.escape(actor)}\S{{0,3}}\s*(?:와|과|랑|하고)?\s*(?:함께|같이)", question) is not None
    return Act(kinds=tuple(kinds), actor=actor, party=party, victim=victim, deed=bool(_ACTUALLY.search(question)), joint=joint,
               admitted=bool(_ADMIT_Q.search(question)), instrument=tool.group(0) if tool else None,
               to_couple=bool(_COUPLE_Q.search(question)), spouse=spouse)


_SUBJECT: Final = re.compile(r"([가-힣]{2,6}?)\s*(?:씨|님)?\s*(?:으로부터|로부터|에게서|한테서|께서|이|가|은|는|의)(?=\s)")


def _actor(question: str, roles: dict[str, tuple[str, ...]], speakers: set[str]) -> str | None:
    """The doer the question names when it is not one of the couple: an in-law or another person."""
    m = _SUBJECT.search(question)
    if m is None:
        return None
    if _WITNESS.match(question[m.end():]):
        return None  # "아이가 보는 데서": who saw it, not who did it
    who = m.group(1)
    if who in PARTY_WORDS or who in speakers or PARTY_PHRASES.search(who) or who in ("쪽에서",):
        return None
    if who in RELATIVES or who in ("장인어른", "장모님") or who in roles or PERSON_NAME.fullmatch(who):
        if _UNDERGO.search(question[m.end():]) and who in RELATIVES:
            return None  # "친정아버지가 … 넘어져 다치신": the relative is who it was done to
        return "장인" if who == "장인어른" else "장모" if who == "장모님" else who
    return None


def _victim(question: str, roles: dict[str, tuple[str, ...]]) -> str | None:
    """A relative the act was done to: a relative word or a relative's name with an object particle ("처가
    어머니를", "시어머니께", "하늘이를"), or the subject of a verb of undergoing ("친정아버지가 … 넘어져 다치신")."""
    for role, names in roles.items():
        for name in names:
            for form in name_forms(name):
                if re.search(rf"(?<![가-힣]){re.escape(form)}(?:을|를|에게|한테|께)", question):
                    return role
                hit = re.search(rf"(?<![가-힣]){re.escape(form)}(?:이|가|는|은)\s", question)
                if hit and _UNDERGO.search(question[hit.end():]):
                    return role  # "아들 민재가 맞은 적": the one it was done to
    for m in RELATIVE_WORD.finditer(question):
        word = m.group(1)
        base = {"장모님": "장모", "장인어른": "장인", "어머님": "어머니", "엄마": "어머니", "아버님": "아버지",
                "아빠": "아버지", "자녀": "아이"}.get(word, word)
        lead = question[max(0, m.start() - 6):m.start()]
        if PARTY_PHRASES.search(question[m.start(1) - 3 if m.start(1) >= 3 else 0:m.end(1)]):
            continue  # "아이 엄마에게": the client
        after = question[m.end():]
        if _OBJECT_AFTER.match(after) or (_SUBJECT_AFTER.match(after) and _UNDERGO.search(after)):
            if "친정" in (m.group(0) + lead) and base in ("어머니", "아버지"):
                return "친정" + base
            if "처가" in (m.group(0) + lead) and base == "어머니":
                return "장모"
            if "처가" in (m.group(0) + lead) and base == "아버지":
                return "장인"
            return base
    return None


# "이준이한테", "도율이를": a given name with its 이, then an object particle; the name is who it was done to
_GIVEN_NAME_OBJECT: Final = re.compile(r"(?<![가-힣])([가-힣]{2})이(?:를|한테|에게)")


def _victim_by_given_name(question: str, speakers: set[str]) -> str | None:
    """A person the question calls by the given name ("남편이 이준이한테 손찌검한 적"), when no role the evidence
    names is asked: the act must be shown done to them, not to anyone. Not a party (a writer of the messages),
    nor a role or relative word ("아들이를" is no name)."""
    known = {f for n in speakers for f in name_forms(n)}
    known |= PARTY_WORDS | set(RELATIVES) | {w for ws in RELATIVES.values() for w in ws}
    for m in _GIVEN_NAME_OBJECT.finditer(question):
        given = m.group(1)
        if (ord(given[-1]) - 0xAC00) % 28 and given not in known:  # 이 follows a closed syllable only
            return given
    return None


@dataclass(frozen=True)
class Shown:
    passage: Passage
    score: float


def _forms(word: str, roles: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    names = roles.get(word, ())
    return (*RELATIVES.get(word, (word,)), *(f for n in names for f in name_forms(n)))


_HURT_AFTER: Final = re.compile(r"(?:이)?(?:님)?(?:을|를|에게|한테|께|의)|\s*(?:머리|얼굴|뺨|몸|팔|어깨|손목|다리|등|배|목)")


def _victim_fits(victim: str, text: str, roles: dict[str, tuple[str, ...]], bodily: bool = False) -> bool:
    """The asked relative is in the passage, and not only as the one who saw or said something; for a blow, as
    the one it was done to ("아빠 어깨를", "하늘이를"), not only present ("유나 앞에서")."""
    names = {f for n in roles.get(victim, ()) for f in name_forms(n)}
    for form in _forms(victim, roles):
        for m in re.finditer(re.escape(form), text):
            after = text[m.end():]
            if text[max(0, m.start() - 1):m.start()] in ("시", "장") and form not in ("모", "인"):
                continue  # "어머니" inside "시어머니"
            if bodily:
                undergoes = _SUBJECT_AFTER.match(after.removeprefix("이")) and _UNDERGO.search(after[:30])
                if _HURT_AFTER.match(after) or undergoes:
                    return True
                continue
            if form in names and re.match(r"이(?:를|한테|에게|랑|\s)", after):
                return True  # "다온이 데리고", "하늘이를": the given name and its 이
            if form in names and after.startswith("이"):
                after = after[1:]  # "하늘이가": the subject, seen below
            if not (_SUBJECT_AFTER.match(after) and not _UNDERGO.search(after[:30])):
                return True
    return False


_OTHER_VICTIM: Final = re.compile(r"(?:아빠|아버지|아버님|엄마|어머니|어머님|장모|장인|부친|모친|시어머니|시아버지)"
                                  r"\s*(?:님)?(?:을|를|에게|한테|의|\s)")
_COUPLE_VICTIM: Final = re.compile(r"(?<![가-힣])(?:나를|날|나한테|내\s|제\s|저를|저에게|저한테|진술인을|진술인에게|"
                                   r"의뢰인을|의뢰인에게|남편을|아내를|남편에게|아내에게|나\s)")


_OTHER_DOER: Final = re.compile(r"(?<![가-힣])(?:남편|아내|피고|원고|진술인|의뢰인|신청인)(?:은|는|이|가)\s|(?<![가-힣])제가\s")


def _acts_next(after: str, kinds: Sequence[Kind]) -> bool:
    """A sign of the act follows the doer's mention before another doer is named."""
    stop = _OTHER_DOER.search(after)
    clause = after[:stop.start()] if stop else after
    if any(k.signs.search(clause) for k in kinds):
        return True
    stems = stem_text(morphs(clause[:CLAUSE_CHARS]))  # "소리쳤습니다": the sign in another conjugation
    return any(k.signs.search(stems) for k in kinds)


def _actor_fits(actor: str, p: Passage, roles: dict[str, tuple[str, ...]], kinds: Sequence[Kind] = ()) -> bool:
    """The asked doer wrote the message, or the passage names them as the one who did something ("시어머니
    나옥순은", "어머님이"), not only as whom it was done to ("아빠 어깨를")."""
    forms = [f for f in _forms(actor, roles) if len(f) >= 2]
    if p.speaker and any(p.speaker == f or p.speaker.endswith(f) for f in forms):
        return True
    for f in forms:
        for m in re.finditer(re.escape(f), p.text):
            after = p.text[m.end():]
            if _UNDERGO.search(after[:30]):
                continue  # "아버지가 거실 바닥에 주저앉으셨습니다": the one it was done to
            if p.is_document and not _acts_next(after, kinds):
                continue  # "어머니도 그 자리에 계셨습니다", "국만석이 … 오셨을 때, 남편은 … 밀어": another's act
            if re.match(r"(?:\s*[가-힣]{2,4}(?=[이가은는]))?\s*(?:님)?(?:이|가|은|는|께서|도|이가|이는|에게서|한테서|로부터|으로부터)(?![가-힣])",
                        after):
                return True
    return False


def stem_text(ms: Sequence[Morph]) -> str:
    """A text's morphemes in their base forms, space-separated ("소리쳤습니다" → "소리치 었 습니다"): a sign
    written as a stem ("소리 치", "깨") is found in every conjugation of it, not only the forms a table lists."""
    return " ".join(m.form for m in ms)


def _sign(kind: Kind, text: str, stems: str = "") -> bool:
    return kind.signs.search(text) is not None or (bool(stems) and kind.signs.search(stems) is not None)


def _kind_fits_without_model(kind: Kind, p: Passage, stems: str = "") -> bool | None:
    """True/False when the passage's words and labels decide; None when the labeller's ground must."""
    if kind.name == "폭행" and not BODY.search(p.text) and _DAMAGE.search(p.text):
        return False  # "TV 발로 차서 깨진", "휴대폰을 던져 액정이 파손": a thing broken, nobody hit
    if p.tags & kind.tags:
        # a label the case already carries (the analysis's confident ones, or the lawyer's), unless the line tells
        # of a blow in a word of no spoken kind: "리모컨으로 내 이마 내리친 거" labelled 폭언 is no insult
        return not (kind.name in _SPOKEN and not _sign(kind, p.text, stems) and _sign(KINDS[0], p.text, stems))
    if not _sign(kind, p.text, stems):
        return False
    if kind.plain is not None and kind.plain.search(p.text):
        return True  # a slur, whatever the labeller says
    return None


_SPOKEN: Final = frozenset({"폭언", "협박"})
BODY: Final = re.compile(r"때리|때려|때렸|때린|맞|뺨|얼굴|머리|어깨|팔|손목|다리|몸|멱살|머리채|멍|다치|다쳤|넘어|주저앉|골절|목을")
_DAMAGE: Final = re.compile(r"깨진|깨졌|깨뜨|부서|부쉈|박살|파손|망가")


def shows(act: Act, candidates: Sequence[Passage], roles: dict[str, tuple[str, ...]] | None = None,
          around: Callable[[Passage], str] | None = None, stems: Mapping[str, str] | None = None) -> list[Passage]:
    """The passages that show the act, best first (the labeller's probability of its ground, then the date).

    The cheap checks (who, to whom, the signs) come first; the labeller reads only what is left, at most MAX_READ
    passages, each text once per process (`ground_scores`)."""
    roles = roles or {}
    out: list[Shown] = []
    for p in candidates[:MAX_READ]:
        if _admits_asked(act, p, around(p) if around else ""):
            out.append(Shown(p, 1.0))
            continue
        if not fits(act, p, roles, around(p) if around else ""):
            continue
        score = -1.0
        other = 0.0
        shown = False
        for k in act.kinds:
            quick = _kind_fits_without_model(k, p, (stems or {}).get(p.text, ""))
            if quick is None:
                if score < 0:
                    scores = ground_scores(p.text)
                    score = max(scores.get(g, 0.0) for g in act.grounds)
                    other = max((v for g, v in scores.items() if g not in act.grounds), default=0.0)
                # Its floor, and not a line the labeller reads as another ground far more (a casino night
                # "새벽까지" is gambling, not the affair a sign word hinted at).
                quick = score >= k.floor and not (k.floor > 0 and other >= DOMINANT and score < other * OUTWEIGHED)
            shown = shown or quick
        if shown:
            out.append(Shown(p, max(score, 0.0) + (1.0 if p.tags & act.tags else 0.0)))
    out.sort(key=lambda s: (-s.score, s.passage.day() or (9999, 12, 31), s.passage.evidence_id, s.passage.seq))
    return [s.passage for s in out]


SCORE_CACHE: Final = 20_000
DOMINANT: Final = 0.9  # a ground the labeller is this sure of …
OUTWEIGHED: Final = 0.5  # … outweighs an asked ground scored below this share of it


@lru_cache(maxsize=SCORE_CACHE)
def ground_scores(text: str) -> dict[str, float]:
    """The labeller's probability of each art. 840 ground for one text (its rule hits among the inputs), as the
    analysis computes it; callers must not modify the dict."""
    model = shipped_model()
    ms = morphs(text)
    hits = message_hits(0, text, ms)
    return model.scores(model.features(text, ms, [(h.ground, h.tag) for h in hits]))


def fits(act: Act, p: Passage, roles: dict[str, tuple[str, ...]], context: str = "") -> bool:
    """The asked doer, the asked victim, the deed rather than a threat, an admission when one is asked."""
    named = [f for f in _forms(act.actor, roles) if len(f) >= 2] if act.actor else []
    if act.actor and not _actor_fits(act.actor, p, roles, act.kinds) and not any(f in context for f in named) \
            and not (act.joint and any(f in p.text for f in named)):
        return False  # a joint act ("…와 함께 여행"): the other one is named anywhere in the passage
    if act.victim and not _victim_fits(act.victim, p.text, roles, bodily=all(k.name == "폭행" for k in act.kinds)):
        return False
    if act.spouse and p.is_document and _SPOUSE_DID[act.spouse][1].search(p.text) \
            and not _SPOUSE_DID[act.spouse][0].search(p.text):
        return False  # "아내가 남편을 때린": a statement line where the husband did it
    if act.party and not p.is_document and not _party_did(act.party, p):
        return False
    if act.victim is None and act.to_couple and any(k.name in ("폭행", "협박") for k in act.kinds) \
            and not _COUPLE_VICTIM.search(p.text) and _OTHER_VICTIM.search(p.text):
        return False  # the couple asked about, another relative hurt
    if act.deed and _INTENT_TEXT.search(p.text):
        return False
    if act.instrument and act.instrument not in p.text and not (act.instrument == "흉기" and _INSTRUMENT.search(p.text)):
        return False
    if act.admitted:
        return (p.is_document and _ADMIT_TEXT.search(p.text) is not None) or (
            not p.is_document and not _QUESTION_TEXT.search(p.text.strip()))
    return True


YOU_DID: Final = re.compile(r"(?<![가-힣])(?:니가|네가|너가|당신이|자기가)")
_I_DID: Final = re.compile(r"(?<![가-힣])(?:내가|제가)")


def _party_did(party: str, p: Passage) -> bool:
    """A message tells of the named writer's act unless it says the other did it: its writer's "니가 … 갔으니까",
    the other's "내가 …"."""
    you, me = bool(YOU_DID.search(p.text)), bool(_I_DID.search(p.text))
    if p.speaker == party:
        return not (you and not me)
    return not (me and not you)


def role_people(texts: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Names the evidence writes right after a relative word, before a particle too ("시아버지 하만길에게서")."""
    out: dict[str, list[str]] = {}
    for role in RELATIVES:
        rx = re.compile(rf"{role}\s+({PERSON_NAME.pattern})(?=[은는이가을를의와과도에께]|\s|$|[(),.])")
        for text in texts:
            for m in rx.finditer(text):
                if m.group(1) not in out.setdefault(role, []):
                    out[role].append(m.group(1))
    return {k: tuple(v) for k, v in out.items() if v}


def candidates(act: Act, passages: Sequence[Passage], stems: Mapping[str, str] | None = None) -> list[Passage]:
    """The passages worth the labeller's time: a tag of the act, or a sign of one of its kinds (cheap regexes) in
    the text or, when the caller gives them (`stems`: text → `stem_text`), in its morphemes' base forms."""
    stems = stems or {}
    tagged = [p for p in passages if p.tags & act.tags]
    seen = {(p.evidence_id, p.seq) for p in tagged}
    signed_ = [p for p in passages if (p.evidence_id, p.seq) not in seen
               and any(_sign(k, p.text, stems.get(p.text, "")) for k in act.kinds)]
    seen |= {(p.evidence_id, p.seq) for p in signed_}
    # an admission asked: a message that says yes (to the other's question, read in `shows`)
    yes = [p for p in passages if act.admitted and not p.is_document and p.speaker and (p.evidence_id, p.seq) not in seen
           and _AFFIRM.match(p.text)]
    return [*tagged, *signed_, *yes][:MAX_READ]


def _focused(act: Act, p: Passage) -> Passage:
    """A multi-line document passage is quoted by its line that shows the act (a copy: passages are shared)."""
    lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()]
    if not p.is_document or len(lines) < 2:
        return p
    line = next((ln for ln in lines if any(_sign(k, ln) for k in act.kinds)), None)
    return replace(p, focus=line) if line else p


def answer(shown: Sequence[Passage], act: Act | None = None) -> list[Claim]:
    """"예, 증거에서 확인됩니다." and the lines, dated and cited; nothing when nothing shows it."""
    top = [_focused(act, p) if act else p for p in shown[:MAX_SHOWN]]
    if not top:
        return []
    claims = [Claim("예, 증거에서 다음 내용이 확인됩니다.", top, header=True)]
    claims += [item(p) for p in sorted(top, key=lambda p: (p.day() or (9999, 12, 31), p.ts or "", p.seq))]
    return claims
