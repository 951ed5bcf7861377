"""Chat replies that state an act only together with the message before them (issue #12 items 3 and 5).

The labeller (`leh.analysis.labels`) reads each message alone, so in

    아내: "박수진이랑 같이 산다는 거야?"        남편: "그래"
    남편: "어제 나 밀친 거 기억 안 나?"        아내: "어쩌라고 니가 먼저 시비 걸었잖아"

it finds the accusation in the question and nothing in the answer, although the answer is the replier's admission
of the act the question named. `ChatContext` is fed the labelled segments in order, each with its Kiwi morphemes and
its own hits (`labels.message_hits`), and returns them with the hits its reply adds:

- a message is a *prompt* when a chat speaker names an act of the one spoken to (a hit of weight ≥ `MIN_PROMPT`): an
  accusation or question about "you" (니가, 당신, or no subject at all; "…했다며"), someone having seen "you" ("누나가
  너 봤대"), or the speaker's own suffering at the other's hands ("나 당신한테 뺨 맞고"); never the speaker's own act
  (내가, an admission, an announcement), an utterance (the insult itself), someone else's act (시어머니가, 남편이 told
  to a friend, "…라고 했다"), or someone suffering other than the speaker;
- a message is a *reply* to the latest such prompt of one other speaker at most `MAX_BACK` messages and `MAX_GAP`
  back (the replier's own lines in between are passed over — "응" / "어제도 만났어", an excuse before "그래 미안해" —
  unless one of them denies, or accuses the other just before the reply), when it affirms (응, 어, ㅇㅇ, 그래, 맞아,
  그랬어, 했어, an elliptic "어제도"), admits (인정, 미안, 잘못했어, "다시는 안 그럴게"), defies (어쩌라고, 어쩔래, 알아서
  해, 맘대로 해, 그래서 뭐, 뭐 어때) or repeats the act's verb as a statement with the same polarity ("맞을 만하니까
  맞았지", "생활비 안 줄 거야?" / "안 줘"; not "나가면", "먹은 거랑"); a denial (아니, 안 했어, 그런 적 없어, 내가 언제,
  무슨 소리) or a question back ("응?", "또?") adds nothing;
- after a request to own up ("솔직히 말해", "사실대로 말해봐") the reply's own acts are the replier's;
- a question naming an act of the one spoken to that the labeller left unlabelled ("협박하는 거지?": a question
  asserts nothing) makes an affirming reply's own hit of that ground the replier's ("어 협박이다"); nothing is added;
- a message saying only that the speaker left or is not to be looked for ("나 서아 데리고 나왔어", "찾지 마") is
  leaving home (840-2 `가출`, the speaker's, `rule="context:840-2"`) when, within the window, the other speaker asked
  where they are or when they come home ("어디야?", "집에 언제 와") or a message held a quarrel (a strong 840-3 or
  840-6 act); alone, after anything else, or when it names somewhere or something else ("마트야", "내 폰 찾지 마"),
  nothing.

A context hit lies on the REPLY's seq, one per ground (the prompt's strongest act of it) and none for a ground the
reply states itself, with the prompt act's ground and tag, `rule="context:<ground>"`, weight
`CONTEXT_WEIGHT` (a label, below any direct-wording rule), `admission=True` and `agent="speaker:<replier>"`, which
`leh.analysis.attribution` reads as "the act of that speaker's party". The reply's own hit of the affirmed ground (or,
after a request to own up, of any ground) gets the same agent and `|context:reply` (`|context:own-up`) after its
rule, unless the reply speaks to "you" ("니가 먼저 …"). The prompt's own hits are not changed. Only
chat messages (kind `speech` with a speaker) take part: a document line clears the window. No I/O; the window holds
`MAX_BACK` messages, so the work is bounded by the message count.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from leh.analysis import lexicon as lx
from leh.analysis.morph import Morph
from leh.analysis.speakers import SPEAKER_AGENT

if TYPE_CHECKING:  # labels imports this module for its hook: only the type is needed here
    from leh.analysis.labels import Hit

CONTEXT_WEIGHT: Final = 0.65  # at least labels.MIN_CONFIDENCE (a label), below every direct-wording rule (≥ 0.8)
MIN_PROMPT: Final = 0.5  # a prompt's act counts when its message supports its tag this strongly (labels.MIN_CONFIDENCE)
MAX_BACK: Final = 3  # messages looked back from a reply
MAX_GAP: Final = timedelta(minutes=30)
CONTEXT_RULE: Final = "context:"

_SECOND: Final = frozenset({"너", "니", "네", "당신", "자기", "너희", "니들", "자네"})
_FIRST: Final = frozenset({"나", "내", "저", "제"})
_THIRD_PERSONS: Final = frozenset({"걔", "얘", "쟤", "그녀", "그", "그분", "그이"})
_DOER_AFTER: Final = frozenset({"한테", "에게", "한테서", "에게서", "테", "께"})
_PASSIVE_RULES: Final = frozenset(r.pattern for r in lx.RULES if r.passive)
_AFFIRM_WORDS: Final = frozenset({"응", "어", "엉", "웅", "으응", "응응", "어어", "웅웅", "그래", "그럼", "네", "예", "넵", "넹",
                                  "그렇다", "당연하지"})
_JAMO_YES: Final = re.compile(r"ㅇ{1,4}|ㅇㅋ|ㅇㅇㅇ+")
_APOLOGY: Final = frozenset({"미안", "죄송", "잘못", "인정", "반성", "사과"})
_ELLIPTIC_TIMES: Final = frozenset({"어제", "오늘", "그제", "그저께", "지난주", "저번", "이번", "아까", "방금", "요즘", "매일"})
_TIME_NOUNS: Final = _ELLIPTIC_TIMES | {"달", "주", "날", "밤", "새벽", "아침", "저녁", "때", "번", "해", "주말", "작년", "올해"}
_ELLIPTIC_ADVERBS: Final = frozenset({"또", "맨날", "자주", "매번", "계속", "당연히", "물론"})
_LIGHT_VERBS: Final = frozenset({"하", "되", "있", "없", "이", "아니", "그렇", "그러", "보", "알", "같", "싶", "말"})
_QUESTION_ENDINGS: Final = frozenset({"냐", "니", "나", "ᆫ가", "는가", "ᆯ까", "을까", "냐고"})
_QUOTATIVES: Final = frozenset({"라고", "이라고", "다고", "ᆫ다고", "는다고", "냐고", "자고", "라구", "다구"})
_HEARSAY: Final = frozenset({"다며", "라며", "다면서", "라면서", "대", "다던데"})  # "…했다며": asks the listener about it
_OWN_UP: Final = re.compile(r"(?:솔직히|사실대로|바른대로|똑바로|숨기지\s?말고)\s?(?:다\s?)?(?:말|얘기|이야기|털어|불어|대답)|털어놔|이실직고")


@dataclass(frozen=True)
class _Said:
    """What the window keeps of one chat message."""

    seq: int
    speaker: str
    ts: datetime | None
    acts: tuple[Hit, ...]  # acts of the one spoken to that this message names
    verbs: frozenset[tuple[str, bool]]  # (lemma, negated) of the predicates inside those acts' spans
    own_up: bool  # asks the other to own up ("솔직히 말해")
    denies: bool  # a denial ("아니", "던진 거 아니고 …"): what came before it is not answered after it
    asked: frozenset[str] = frozenset()  # grounds of acts a question puts to the one spoken to, even unlabelled
    where: bool = False  # asks where the one spoken to is or when they come home ("어디야?", "집에 언제 와")
    quarrel: bool = False  # holds a strong act of abuse or discord (840-3, 840-6)


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo is not None else t


def _negated_at(ms: Sequence[Morph], k: int) -> bool:
    """Whether the predicate at `k` is negated in its clause: 안/못 before it, -지 않다, -ㄴ 적 없다, -ㄴ 거 아니다."""
    if any(ms[j].tag == "MAG" and ms[j].form in lx.NEGATING_ADVERBS for j in range(max(0, k - 2), k)):
        return True
    for j in range(k + 1, min(len(ms), k + 6)):
        m = ms[j]
        if (m.tag.startswith("VX") and m.form in ("않", "못하")) or (m.tag.startswith("VA") and m.form == "없") or (
                m.tag.startswith("VCN") and m.form == "아니"):
            return True
        if m.tag == "SF" or m.tag.startswith("EF"):
            return False
    return False


def _question(ms: Sequence[Morph]) -> bool:
    return bool(ms) and (ms[-1].form == "?" or any(m.tag == "SF" and m.form == "?" for m in ms)
                         or any(m.tag.startswith(("EF", "EC")) and m.form in _QUESTION_ENDINGS for m in ms[-3:]))


def _asks(ms: Sequence[Morph]) -> bool:
    """A question, or hearsay put to the listener ("참견 말라고 했다며")."""
    return _question(ms) or any(m.tag.startswith(("EF", "EC")) and m.form in _HEARSAY for m in ms[-3:])


def _subject_before(ms: Sequence[Morph], start: int) -> str | None:
    """"second", "first" or "other" for the nearest subject-like noun before the character offset `start` in its
    clause (이/가/은/는/도 or a bare pronoun at the clause start), else None (the subject is left out)."""
    idx = [k for k, m in enumerate(ms) if m.end <= start]
    for k in reversed(idx):
        m = ms[k]
        if m.tag == "SF" or m.tag.startswith("EF"):
            return None
        if not m.tag.startswith(("NP", "NNG", "NNP")):
            continue
        nxt = ms[k + 1] if k + 1 < len(ms) else None
        if m.form in _TIME_NOUNS:
            continue  # "이번 달도", "어제는": when, not who
        marked = nxt is not None and (nxt.tag == "JKS" or (nxt.tag == "JX" and nxt.form in ("은", "는", "ᆫ"))
                                      or (m.tag == "NP" and nxt.form == "도"))
        clause_start = k == 0 or ms[k - 1].tag in ("SF", "SP") or ms[k - 1].tag.startswith(("EF", "EC"))
        bare = m.tag == "NP" and clause_start and (nxt is None or not nxt.tag.startswith("J"))
        if not (marked or bare):
            continue
        if m.tag == "NP" and m.form in _SECOND:
            return "second"
        if m.tag == "NP" and m.form in _FIRST:
            return "first"
        if marked:
            return "other"
    return None


def _first_subject(ms: Sequence[Morph]) -> str | None:
    """`_subject_before` for the whole message: its first subject-like noun (a learned label has no span)."""
    for k in range(1, len(ms)):
        if ms[k].tag == "JKS" or (ms[k].tag == "JX" and ms[k].form in ("은", "는", "ᆫ")):
            noun = ms[k - 1]
            if noun.form in _TIME_NOUNS:
                continue
            if noun.tag == "NP":
                return "second" if noun.form in _SECOND else ("first" if noun.form in _FIRST else None)
            if noun.tag.startswith(("NNG", "NNP")):
                return "other"
    return None


def _third_person_subject(ms: Sequence[Morph]) -> bool:
    """A third person's pronoun as a subject ("걔가", "그녀는"; not "그건", a thing): the message tells of someone
    other than the speaker and the one spoken to."""
    return any(m.tag == "NP" and m.form in _THIRD_PERSONS and k + 1 < len(ms)
               and (ms[k + 1].tag == "JKS" or (ms[k + 1].tag == "JX" and ms[k + 1].form in ("은", "는", "ᆫ")))
               for k, m in enumerate(ms))


def _listeners_act(h: Hit, ms: Sequence[Morph], question: bool) -> bool:
    """Whether the prompt's hit `h` names an act of the one spoken to (see the module docstring)."""
    if h.weight <= 0 or h.admission or h.mode == "utterance" or h.rule.startswith(CONTEXT_RULE):
        return False
    if h.agent not in ("unknown", "spouse") or (h.intent and not question):
        return False
    parsed = h.end > h.start and not h.rule.startswith("model:")  # a learned label's span is the whole message
    subject = _subject_before(ms, h.start) if parsed else _first_subject(ms)
    if h.rule in _PASSIVE_RULES:  # 맞다: the subject is the victim; the speaker must be it, the doer "you"
        doer_you = any(m.tag == "NP" and m.form in _SECOND and k + 1 < len(ms) and ms[k + 1].form in _DOER_AFTER
                       for k, m in enumerate(ms))
        return subject != "second" and (doer_you or subject == "first" or any(m.form in _FIRST for m in ms))
    if subject == "other" and _seen_you(ms):
        return True  # "누나가 강남역에서 너 봤대. 남자랑 팔짱 끼고": what the one seen did
    if subject in ("first", "other"):
        return False
    if subject != "second" and not question and _reported(ms):
        return False  # "…라고도 했다": someone else's words, told to the listener
    you = any(m.tag == "NP" and m.form in _SECOND for m in ms)
    if subject is None and not you and _family_left_bare(ms):
        return False  # "시어머니 또 왔어? 또 욕했어?": the one asked about is not the one asked
    return subject == "second" or question or you or any(m.form == "잖아" for m in ms)


def _asked_of_listener(h: Hit, ms: Sequence[Morph], question: bool) -> bool:
    """A question naming an act of the one spoken to ("협박하는 거지?", "지금 나 때리겠다는 거야?"), even one the
    labeller left unlabelled (a question asserts nothing): an affirming reply that names the act itself ("어
    협박이다") owns it."""
    if not question or h.admission or h.rule.startswith(CONTEXT_RULE) or h.agent not in ("unknown", "spouse"):
        return False
    parsed = h.end > h.start and not h.rule.startswith("model:")
    return (_subject_before(ms, h.start) if parsed else _first_subject(ms)) not in ("first", "other")


_FAMILY: Final = (lx.PARENTS | lx.IN_LAWS_HUSBAND_SIDE | lx.IN_LAWS_WIFE_SIDE | lx.NOT_ASCENDANTS
                  | {"남편", "아내", "와이프", "신랑", "마누라", "시모", "시부"})


def _family_left_bare(ms: Sequence[Morph]) -> bool:
    """A family member named without a particle or as the subject (not "시어머니한테", "장모님을"): who the
    question is about when it names nobody else."""
    for k, m in enumerate(ms):
        if not m.tag.startswith("NN") or m.form not in _FAMILY:
            continue
        nxt = ms[k + 1] if k + 1 < len(ms) and ms[k + 1].tag != "XSN" else (ms[k + 2] if k + 2 < len(ms) else None)
        if nxt is None or not nxt.tag.startswith("J") or nxt.tag == "JKS" or (nxt.tag == "JX" and nxt.form != "도"):
            return True
    return False


def _seen_you(ms: Sequence[Morph]) -> bool:
    """Someone saw the listener ("너 봤대", "당신을 … 봤다던데", "너 나오는 거 봤대")."""
    for k, m in enumerate(ms):
        if m.tag != "NP" or m.form not in _SECOND or (k + 1 < len(ms) and ms[k + 1].tag.startswith("J")
                                                       and ms[k + 1].tag != "JKO"):
            continue
        for x in ms[k + 1:k + 8]:
            if x.tag == "SF":
                break
            if x.tag.startswith("VV") and x.form in ("보", "목격하"):
                return True
    return False


def _reported(ms: Sequence[Morph]) -> bool:
    """The message tells what someone said (…라고 했다), not what the listener did."""
    return any(m.tag.startswith("EC") and m.form in _QUOTATIVES and any(
        x.form in ("하", "그러") and x.tag.startswith("VV") for x in ms[k + 1:k + 4]) for k, m in enumerate(ms))


def _verbs_in(ms: Sequence[Morph], acts: Sequence[Hit]) -> frozenset[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for k, m in enumerate(ms):
        if m.tag.startswith(("VV", "VA")) and m.form not in _LIGHT_VERBS and any(
                h.start <= m.start and m.end <= h.end for h in acts):
            out.add((m.form, _negated_at(ms, k)))
    return frozenset(out)


def _start(ms: Sequence[Morph]) -> int:
    """Index of the first morpheme after a vocative with a comma ("처남, …", "여보 …")."""
    if len(ms) > 2 and ms[0].tag.startswith(("NN", "NP")) and ms[1].tag in ("SP", "JKV") and ms[1].form != ".":
        return 2 if ms[1].tag == "SP" else (3 if len(ms) > 3 and ms[2].tag == "SP" else 2)
    return 0


def _affirms(ms: Sequence[Morph]) -> bool:
    """응 / ㅇㅇ / 그래 / 맞아 / 그랬어 / 했어 / 어제도 at the start of the reply, not asked back ("응?")."""
    i = _start(ms)
    if i >= len(ms):
        return False
    m, nxt = ms[i], (ms[i + 1] if i + 1 < len(ms) else None)
    if nxt is not None and (nxt.form == "?" or nxt.form == "아니"):
        return False
    if (m.tag == "IC" and m.form in _AFFIRM_WORDS) or m.form in ("웅", "웅웅") or _JAMO_YES.fullmatch(m.form):
        return True
    if m.form == "맞" and m.tag.startswith(("VV", "VA")) and nxt is not None and nxt.tag.startswith(("EF", "EC")) \
            and nxt.form in ("어", "아", "다", "지", "는데", "어요", "습니다"):
        return True
    if m.form in ("그렇", "그러", "하") and m.tag.startswith(("VA", "VV")) and nxt is not None and (
            (nxt.tag == "EP" and nxt.form in ("었", "았", "였")) or (m.form == "그렇" and nxt.form == "지")):
        return True
    first_clause = []
    for x in ms[i:]:
        if x.tag in ("SF", "SP"):
            break
        first_clause.append(x)
    return 0 < len(first_clause) <= 3 and not _question(ms) and (
        (first_clause[0].form in _ELLIPTIC_TIMES and len(first_clause) > 1 and first_clause[1].form == "도")
        or (first_clause[0].tag == "MAG" and first_clause[0].form in _ELLIPTIC_ADVERBS and len(first_clause) == 1))


def _defies(ms: Sequence[Morph]) -> bool:
    """어쩌라고 / 어쩔래 / 알아서 해 / 맘대로 해 / 그래서 뭐 / 뭐 어때 / 그래서?"""
    for k, m in enumerate(ms):
        nxt = ms[k + 1] if k + 1 < len(ms) else None
        if m.form == "어쩌" and nxt is not None and nxt.form in ("라고", "ᆯ래", "을래", "라고요", "ᆯ", "라구"):
            return True
        if m.form == "알" and nxt is not None and nxt.form == "어서" and k + 2 < len(ms) and ms[k + 2].form == "하":
            return True
        if m.form in ("맘대로", "마음대로") or (m.form in ("맘", "마음") and nxt is not None and nxt.form == "대로"):
            return True
        if m.form == "그래서" and (nxt is None or nxt.form in ("?", "뭐", "어쩌")):
            return True
        if m.form == "뭐" and nxt is not None and nxt.form == "어떻":
            return True
    return False


def _denies(ms: Sequence[Morph]) -> bool:
    """아니 / 안 했어 / 그런 적 없어 / 내가 언제 / 무슨 소리: a denial states nothing."""
    forms = {m.form for m in ms}
    if "언제" in forms or ({"무슨", "뭔"} & forms and "소리" in forms) or "오해" in forms:
        return True
    if any(m.form == "아니" and m.tag in ("IC", "VCN") for m in ms):
        return True
    return any(m.tag.startswith(("VV", "VA")) and _negated_at(ms, k) and not _promise(ms, k) for k, m in enumerate(ms))


def _promise(ms: Sequence[Morph], k: int) -> bool:
    """"다시는 안 그럴게", "앞으로 절대 안 만날게": a promise not to do it again presupposes the act."""
    return any(m.form in lx.PROMISE_MARKERS for m in ms[max(0, k - 5):k]) and any(
        m.form in lx.FUTURE_ENDINGS or m.form == "겠" for m in ms[k + 1:k + 4])


def _apologises(ms: Sequence[Morph]) -> bool:
    return any(m.form in _APOLOGY and m.tag.startswith(("NNG", "MAG", "XR")) and not _negated_at(ms, k + 1)
               for k, m in enumerate(ms))


def _repeats(ms: Sequence[Morph], verbs: frozenset[tuple[str, bool]]) -> bool:
    """The reply's first clause repeats a verb of the act with the same polarity ("갔어.", "안 줘"), not asked back."""
    lemmas = {v for v, _ in verbs}
    for k, m in enumerate(ms):
        if m.tag == "SF":
            return False
        after = next((x for x in ms[k + 1:] if x.tag != "EP"), None)
        clause = after is not None and (after.tag.startswith("ETM") or after.form in lx.CONDITIONAL_ENDINGS)
        if m.tag.startswith(("VV", "VA")) and m.form in lemmas and not clause:
            return (m.form, _negated_at(ms, k)) in verbs  # "맞았지", not "먹은 거랑" (a noun clause) nor "나가면"
    return False


def reply_kind(ms: Sequence[Morph], verbs: frozenset[tuple[str, bool]] = frozenset()) -> str | None:
    """How a reply answers the act named before it: "affirm", "admit", "defy", "repeat", or None (a denial,
    a question back, or nothing that leans on the act)."""
    if not ms:
        return None
    if _affirms(ms):
        return "affirm"
    if "언제" in {m.form for m in ms}:
        return None
    if _defies(ms):
        return "defy"
    if _repeats(ms, verbs) and not _question(ms):
        return "repeat"
    if _denies(ms) or _question(ms):
        return None
    if _apologises(ms):
        return "admit"
    return None


class ChatContext:
    """The last few chat messages, fed in order (`add`); see the module docstring."""

    def __init__(self) -> None:
        self._window: deque[_Said] = deque(maxlen=MAX_BACK)

    def add(self, segment: Mapping[str, Any], ms: Sequence[Morph], hits: Sequence[Hit]) -> list[Hit]:
        """The message's own `hits` (the replier's after a request to own up) followed by the context hits its
        reply adds; every other message's hits unchanged."""
        speaker = segment.get("speaker")
        if not speaker or segment.get("kind", "speech") != "speech":
            self._window.clear()
            return list(hits)
        speaker = str(speaker)
        seq, ts = int(segment["seq"]), _time(segment.get("ts"))
        prompts, own_up = self._prompts(speaker, ts)
        kind = reply_kind(ms, frozenset().union(*(p.verbs for p in prompts))) if prompts else None
        # "니가 먼저 …": the reply accuses back; "걔가 리모컨 집어던져서 …": it tells of a third person's act
        addressed = any(m.tag == "NP" and m.form in _SECOND for m in ms) or _third_person_subject(ms)
        owned = own_up and not _denies(ms) and not _question(ms) and not addressed
        # After a request to own up every act the reply tells is the replier's; after an accusation it affirms, the
        # act it repeats in its own words ("때렸지?" / "때렸다") is too.
        grounds = {a.ground for p in prompts for a in p.acts} | {g for p in prompts for g in p.asked} \
            if kind is not None and not addressed else set()
        out = [self._owned(h, speaker, "own-up" if owned else "reply") if owned or h.ground in grounds else h
               for h in hits]
        added: list[Hit] = []
        if kind is not None:
            direct = {h.ground for h in hits if h.weight > 0}
            best: dict[str, Hit] = {}  # one act per ground, the strongest
            for act in (a for p in prompts for a in p.acts if a.ground not in direct):
                if act.ground not in best or act.weight > best[act.ground].weight:
                    best[act.ground] = act
            added = [replace(act, seq=seq, weight=CONTEXT_WEIGHT, mode="report", start=0,
                             end=len(str(segment.get("text") or "")), rule=f"{CONTEXT_RULE}{act.ground}",
                             admission=True, agent=f"{SPEAKER_AGENT}{speaker}") for act in best.values()]
        question = _asks(ms)
        acts = tuple(h for h in _strong(hits) if _listeners_act(h, ms, question))
        asked = frozenset(h.ground for h in hits if _asked_of_listener(h, ms, question))
        left = self._left_home(segment, speaker, ts, ms, hits)
        self._window.append(_Said(seq, speaker, ts, acts, _verbs_in(ms, acts), bool(_OWN_UP.search(
            str(segment.get("text") or ""))), kind is None and _denies(ms), asked, _asks_whereabouts(ms),
            any(h.ground in _QUARREL_GROUNDS for h in _strong(hits) if h.weight > 0)))
        return [*out, *added, *left]

    def _left_home(self, segment: Mapping[str, Any], speaker: str, ts: datetime | None, ms: Sequence[Morph],
                   hits: Sequence[Hit]) -> list[Hit]:
        """A message that says the speaker has left ("나 서아 데리고 나왔어", "찾지 마") is leaving home (840-2, the
        speaker's act) when the conversation just before supports it: the other asked where they are or when they
        come home, or a quarrel. Alone, or after anything else, it states nothing."""
        if any(h.ground == LEAVING[1] and h.weight > 0 for h in hits) or not _says_left(ms):
            return []
        recent = [s for s in self._window if ts is None or s.ts is None or abs(ts - s.ts) <= MAX_GAP]
        if not any((s.where and s.speaker != speaker) or s.quarrel for s in recent):
            return []
        from leh.analysis.labels import Hit  # noqa: PLC0415 — labels imports this module (its hook)

        return [Hit(seq=int(segment["seq"]), tag=LEAVING[0], ground=LEAVING[1], weight=CONTEXT_WEIGHT, mode="report",
                    start=0, end=len(str(segment.get("text") or "")), rule=f"{CONTEXT_RULE}{LEAVING[1]}",
                    agent=f"{SPEAKER_AGENT}{speaker}")]

    @staticmethod
    def _owned(h: Hit, speaker: str, why: str) -> Hit:
        if h.weight <= 0 or h.agent != "unknown":
            return h
        return replace(h, admission=True, agent=f"{SPEAKER_AGENT}{speaker}", rule=f"{h.rule}|{CONTEXT_RULE}{why}")

    def _prompts(self, speaker: str, ts: datetime | None) -> tuple[list[_Said], bool]:
        """The other speaker's messages the reply answers (the latest run of one speaker, newest first), and
        whether they ask the replier to own up."""
        run: list[_Said] = []
        for said in reversed(self._window):
            if ts is not None and said.ts is not None and abs(ts - said.ts) > MAX_GAP:
                break
            if said.speaker == speaker:
                if said.denies or (said.acts and not run) or any(s.acts for s in run):
                    break  # a denial, the replier's own accusation just before, or the prompt already found
                continue  # the replier's own earlier line ("응" before "어제도 만났어", an excuse before "그래 미안해")
            if run and said.speaker != run[0].speaker:
                break
            run.append(said)
        return [s for s in run if s.acts or s.asked], any(s.own_up for s in run)


LEAVING: Final = ("가출", "840-2")  # the tag and ground a supported "나 나왔어" gets
_QUARREL_GROUNDS: Final = frozenset({"840-3", "840-6"})
_LEAVE_VERBS: Final = frozenset({"나오", "나가", "떠나"})
_LOOK_FOR: Final = frozenset({"찾", "연락하"})
_COMING: Final = frozenset({"오", "들어오"})


def _leave_clause_ends(ms: Sequence[Morph], k: int) -> int | None:
    """Where the clause of a leaving verb at `k` ends (its final ending's index) when it is a statement that the
    speaker left ("나왔어", "나간다", "찾지 마", "연락하지 마"), else None."""
    m = ms[k]
    if m.tag.startswith("VV") and m.form in _LEAVE_VERBS and not _negated_at(ms, k):
        j = k + 1
        past = j < len(ms) and ms[j].tag == "EP" and ms[j].form in ("었", "았")
        j += past
        if j < len(ms) and ms[j].tag.startswith("EF") and (past or ms[j].form in ("ᆫ다", "는다")):
            return j
        return None
    looks = (m.tag.startswith("VV") and m.form in _LOOK_FOR) or (
        m.form == "하" and m.tag.startswith("XSV") and k > 0 and ms[k - 1].form == "연락")
    if looks and ms[k + 1:k + 4] and [x.form for x in ms[k + 1:k + 3]] == ["지", "말"] and k + 3 < len(ms) \
            and ms[k + 3].tag.startswith("EF"):
        return k + 3
    return None


def _says_left(ms: Sequence[Morph]) -> bool:
    """"나 서아 데리고 나왔어", "찾지 마", "나 나간다. 연락하지 마": every sentence of the message says the speaker
    left or is not to be looked for; no one else is its subject or object ("내 폰 찾지 마", "걔가 나갔어"), and it
    asks nothing ("나왔어?") and goes on to nothing else ("나왔어 마트야")."""
    if not ms or _question(ms):
        return False
    ends = [k for k, m in enumerate(ms) if m.tag.startswith("EF")]
    if not ends:
        return False
    clause_start = 0
    for end in ends:
        leave = next((k for k in range(clause_start, end + 1) if _leave_clause_ends(ms, k) == end), None)
        if leave is None:
            return False
        for x in ms[clause_start:leave]:
            if x.tag == "NNG" and x.form not in _TIME_NOUNS and x.form not in ("집", "연락", "애", "아이", "애기"):
                return False  # "내 폰 찾지 마", "마트 나왔어": somewhere or something else
            if x.tag == "NP" and x.form not in _FIRST:
                return False
        clause_start = end + 1
    return True


def _asks_whereabouts(ms: Sequence[Morph]) -> bool:
    """"어디야?", "너 어디 있어", "집에 언제 와", "왜 안 들어와": asking where the one spoken to is, or when they come."""
    nouns = [m for m in ms if m.tag in ("NNG", "NNP") and m.form not in _TIME_NOUNS and m.form != "집"]
    if nouns:
        return False  # "내 폰 어디 있어?", "택배 언제 와": something else's whereabouts
    where = any(m.tag == "NP" and m.form == "어디" for m in ms) and (
        _question(ms) or any(m.tag == "NP" and m.form in _SECOND for m in ms))  # "너 지금 어디 있어"
    coming = any(m.tag.startswith("VV") and m.form in _COMING for m in ms) and any(
        m.tag == "MAG" and m.form in ("언제", "왜") for m in ms)
    return where or coming


def _strong(hits: Sequence[Hit]) -> list[Hit]:
    """The hits whose message supports their tag with at least MIN_PROMPT (as labels.kept_hits)."""
    miss: dict[str, float] = {}
    for h in hits:
        miss[h.tag] = miss.get(h.tag, 1.0) * (1 - h.weight)
    return [h for h in hits if 1 - miss[h.tag] >= MIN_PROMPT]


def context_hits(segments: Sequence[Mapping[str, Any]], morphemes: Sequence[Sequence[Morph]],
                 hits: Sequence[Sequence[Hit]]) -> list[Hit]:
    """Every message's hits with the context ones added (`ChatContext.add` over the segments in order)."""
    ctx = ChatContext()
    out: list[Hit] = []
    for seg, ms, own in zip(segments, morphemes, hits, strict=True):
        out.extend(ctx.add(seg, ms, own))
    return out
