"""Who did what: speakers mapped to the case's parties, and every label given its actor and whom it favours.

A label is half a fact until it is known who did the act (DOMAIN.md, "Fault decides the case"):
- the speaker's own words (a threat, an insult, an announced act, an admission) are the speaker's act;
- an accusation or a report ("방금 그 말 협박이야", "어제 나 때렸잖아", "욕하지 마") is the *other* spouse's act;
- the labeller's subject analysis overrides both: 남편이 → the speaker's spouse, 시어머니가 → the spouse's family;
- a document without speakers (진술서, 상담일지, a photo) is read as written by its author (`AUTHOR_KEY`, the client
  unless the lawyer says otherwise), so what it reports is the other spouse's act.
The opponent's acts (and abuse by the opponent's family) favour the client; the client's own acts favour the
opponent and are risks for the lawyer, never grounds in the draft.

Everything is derived from the stored segments and label hits, so a changed speaker map re-derives labels,
summary and timeline without parsing or labelling again (`leh.services.rederive`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from leh.analysis.labels import MIN_CONFIDENCE, Hit, kept_hits, segment_strength
from leh.analysis.lexicon import ACT_PHRASES, IN_LAWS_HUSBAND_SIDE, IN_LAWS_WIFE_SIDE, RULES, SPOUSE
from leh.analysis.summary import insights_of, josa, summarize
from leh.analysis.timeline import timeline_events
from leh.domain.documents import DerivedDoc, HitDoc, LabelDoc, SegmentDoc
from leh.domain.grounds import ground_of_tag
from leh.domain.parties import AUTHOR_KEY, PARTY_VALUES, ClientSide, Favours, Parties, Party, other

ENGINE: Final = "engine"
LAWYER: Final = "lawyer"
# How the exporting user's own messages are named in some exports: the exporter is the client.
SELF_NAMES: Final = frozenset({"나", "me", "본인", "내 메시지"})
# Spousal forms of address: the client calling someone this addresses the opponent.
SPOUSE_ADDRESS: Final = re.compile(r"(?:^|[\s,.!?~])(여보|여보야|자기야|자기|당신)(?=[\s,.!?~]|$)")
# A named act ("방금 그 말 협박이야", "협박하지 마", "욕 좀 그만해"): the speaker points at someone else's act.
NAMED_ACTS: Final = ("협박", "위협", "폭언", "욕", "쌍욕", "막말", "고함", "폭력", "폭행", "모욕", "손찌검", "행패")
# A first-person subject for hits the labeller did not parse (the learned model's): "그래 나 그 사람 만나고 있어".
FIRST_PERSON: Final = re.compile(r"(?:^|[\s,.!?])(?:내가|제가|난|나는|저는|전|저도|나도)(?=\s|$)|^(?:(?:그래|응|어|맞아|그래서)[,\s]+)?나\s")
# "저도 … 욕설을 한 적이 있습니다": a first-person subject with 도, which the labeller's subject analysis does not read.
_SELF_TOO: Final = re.compile(r"(?:^|[\s,.!?])(?:저|나)도\s")
# An announced act (-ㄹ 거야, -ㄹ게, -겠-) in text no morpheme rule read: the speaker's own intent.
_WILL: Final = re.compile(r"([가-힣])\s?(?:거|꺼)(?:야|다|예요|에요|임)|([가-힣])게(?=요|[\s.!~]|$)|겠(?:어|다|지|음)")
FAMILY_AGENTS: Final = frozenset({"inlaw_h", "inlaw_w", "relative"})

# The writer as the one an act was done to, not its doer: "제가 남편에게 맞았습니다", "저는 폭행을 당했습니다",
# "죽여버린다는 말을 들었습니다", "목을 졸렸습니다", "욕을 먹었다", "협박 문자를 받았다".
_PASSIVE_RULES: Final = frozenset(r.pattern for r in RULES if r.passive)
_SUFFERED_AFTER: Final = re.compile(
    r"^[가-힣]{0,6}\s*(?:[가-힣]{0,4}(?:말|소리|얘기|문자|메시지|카톡|전화|욕)\s?(?:을|를|까지|도)?\s*)?"
    r"(?:당했|당한|당하|당해|받았|받은|받고|받아|들었|들은|듣고|들어야|먹었|먹은|먹고)")
_SUFFERED: Final = re.compile(
    r"(?:폭행|폭력|폭언|욕설|협박|위협|모욕|학대|손찌검|구타|욕)[을를]?\s*(?:당했|당한|당하|당해|받았|받은|들었|들은|먹었|먹은)"
    r"|(?:말|소리)[을를]?\s*(?:들었|들은|듣고)|맞았|맞은\s?적|맞고|맞아서|졸렸|졸린|잡혔|끌려|걷어차였|밀쳐졌|찔렸|얻어맞|두들겨\s?맞")
_OWN_ADMISSION: Final = re.compile(r"(?:한|했던|말한)\s?(?:건|것은|거는|게)\s?(?:인정|사실|맞아|맞습니다|잘못)|^[^.]{0,6}(?:한|했던)\s?적이?\s?있|(?:라고|이라고)\s?(?:했어|했습니다|했다)\.?\s*(?:미안|죄송|잘못)")
_SELF_SUBJECT: Final = re.compile(r"(?:^|[\s,.!?])(?:내가|제가|난|나는|저는|전|저도|나도)(?=\s)")
_DOER: Final = re.compile(r"([가-힣]+?)(?:님)?(?:에게서|한테서|으로부터|로부터|에게|한테|께|더러)(?=\s|$)")
# "남편의 폭언에 시달렸다", "시어머니의 폭행으로": the act's doer in the genitive, right before the act's noun.
_GENITIVE: Final = re.compile(r"([가-힣]+?)(?:님)?의\s*$")
_DONE_TO_SOMEONE: Final = frozenset({"840-3", "840-4"})
_IN_LAWS: Final = IN_LAWS_HUSBAND_SIDE | IN_LAWS_WIFE_SIDE  # the opponent's family, either side
_IN_LAW_ALTERNATION: Final = "|".join(sorted(_IN_LAWS | {"시모", "시부"}, key=len, reverse=True))
_KIN_BEFORE: Final = re.compile(f"(?:{_IN_LAW_ALTERNATION})" + r"\s?(?:님)?\s+$")
# An in-law named as the subject by kin word and name ("장모 권말순이 … 욕하고"): the name hides the kin word from the
# labeller's subject analysis.
_IN_LAW_NAMED: Final = re.compile(f"({_IN_LAW_ALTERNATION})" + r"\s?(?:님)?\s+[가-힣]{2,4}\s?(?:이|가|께서|은|는)(?=\s)")
# What the client's parent calls the opponent in their own 사실확인서.
CHILD_IN_LAW: Final = frozenset({"며느리", "며늘", "사위", "사윗감"})

# An engine that names the actor (the OpenAI adapter, checked against the speakers it was sent): "speaker:<name>".
SPEAKER_AGENT: Final = "speaker:"
SPOUSES: Final = (Party.CLIENT, Party.OPPONENT)
_UTTERANCE_PHRASES: Final = {
    "폭언": "폭언을 함", "협박": "협박성 발언을 함", "모욕": "모욕적인 발언을 함",
    "부모에 대한 폭언": "부모에게 폭언을 함",
}


# ------------------------------------------------------------------ hits as stored
def hit_doc(h: Hit, description: str | None = None) -> HitDoc:
    """A hit as the evidence document keeps it (`hits`): what re-derivation needs without the labeller."""
    out: HitDoc = {"seq": h.seq, "tag": h.tag, "ground": h.ground, "weight": h.weight, "mode": h.mode,
                           "start": h.start, "end": h.end, "rule": h.rule, "admission": h.admission,
                           "agent": h.agent, "intent": h.intent}
    if description:
        out["description"] = description
    return out


def hit_of(d: Mapping[str, Any]) -> Hit:
    return Hit(seq=int(d["seq"]), tag=str(d["tag"]), ground=str(d.get("ground") or ground_of_tag(str(d["tag"]))),
               weight=float(d.get("weight") or 0.0), mode=str(d.get("mode") or "report"), start=int(d.get("start") or 0),
               end=int(d.get("end") or 0), rule=str(d.get("rule") or ""), admission=bool(d.get("admission")),
               agent=str(d.get("agent") or "unknown"), intent=bool(d.get("intent")))


# ------------------------------------------------------------------ speakers → parties
def _norm(name: str) -> str:
    """A display name compared loosely: no spaces, symbols or emoji, lower case."""
    return "".join(ch for ch in unicodedata.normalize("NFC", name).lower()
                   if unicodedata.category(ch)[0] in ("L", "N"))


def _given_name(name: str) -> str | None:
    """준호 of 김준호: Korean full names of three syllables are a one-syllable surname and a given name."""
    n = _norm(name)
    return n[1:] if len(n) == 3 and all("가" <= ch <= "힣" for ch in n) else None


def _name_party(speaker: str, parties: Parties) -> str:
    """client / opponent when the display name is (or contains) exactly one side's name or alias."""
    s = _norm(speaker)
    if not s:
        return Party.UNKNOWN
    found: set[str] = set()
    exact: set[str] = set()
    for party in SPOUSES:
        person = parties.person(party)
        if person is None:
            continue
        for name in person.names():
            n = _norm(name)
            if not n:
                continue
            if n == s:
                exact.add(party)
            elif len(n) >= 2 and n in s:
                found.add(party)
        given = _given_name(person.name)
        if given and (s == given or given in s):
            found.add(party)
    if len(exact) == 1:
        return exact.pop()
    if not exact and len(found) == 1:
        return found.pop()
    return Party.UNKNOWN


def _vocatives(text: str, parties: Parties) -> set[str]:
    """Parties a message calls by name (준호야, 지은씨, an alias as a word)."""
    out: set[str] = set()
    words = re.findall(r"[가-힣A-Za-z0-9]+", text)
    for party in SPOUSES:
        person = parties.person(party)
        if person is None:
            continue
        forms = {_norm(n) for n in person.names()} | ({g} if (g := _given_name(person.name)) else set())
        for w in words:
            base = re.sub(r"(야|아|씨|님)$", "", w)
            if w in forms or (base != w and base in forms):
                out.add(party)
    return out


def _addressee(segments: Sequence[Mapping[str, Any]], i: int) -> str | None:
    """Whom message i speaks to: the nearest message of another speaker, before it, else after it."""
    me = segments[i].get("speaker")
    for j in (*range(i - 1, max(-1, i - 6), -1), *range(i + 1, min(len(segments), i + 6))):
        who = segments[j].get("speaker")
        if who and who != me and segments[j].get("kind", "speech") == "speech":
            return str(who)
    return None


def suggest_speakers_map(segments: Sequence[Mapping[str, Any]], parties: Parties) -> dict[str, str]:
    """A first guess of every speaker's party, for the lawyer to confirm or change.

    Display names against the parties' names and aliases (and a three-syllable name's given name); "나"/"me" is
    the exporting user, taken to be the client; a speaker the client addresses as 여보/자기야/당신 is the opponent;
    a speaker called by a party's name (준호야) is that party. Speakerless text gets `AUTHOR_KEY` → the party its
    author line names (작성자/진술인/확인자: a third party when it is someone else), else the client.
    """
    speech = [s for s in segments if s.get("kind", "speech") == "speech" and (s.get("text") or "").strip()]
    out: dict[str, str] = {}
    for s in speech:
        sp = s.get("speaker")
        if sp and sp not in out:
            party = _name_party(str(sp), parties)
            if party == Party.UNKNOWN and _norm(str(sp)) in SELF_NAMES:
                party = Party.CLIENT
            out[str(sp)] = party
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i, s in enumerate(speech):
        sp, text = s.get("speaker"), str(s.get("text") or "")
        if not sp:
            continue
        to = _addressee(speech, i)
        if to is None or out.get(to) != Party.UNKNOWN:
            continue
        for party in _vocatives(text, parties):
            votes[to][party] += 1
        if out.get(str(sp)) == Party.CLIENT and SPOUSE_ADDRESS.search(text):
            votes[to][Party.OPPONENT] += 1
    taken = {p for p in out.values() if p in SPOUSES}
    for speaker, tally in votes.items():
        best = sorted(tally.items(), key=lambda kv: -kv[1])
        if best and (len(best) == 1 or best[0][1] > best[1][1]) and best[0][0] not in taken:
            out[speaker] = best[0][0]
            taken.add(best[0][0])
    if any(not s.get("speaker") for s in segments if s.get("kind", "speech") in ("speech", "text")
           and (s.get("text") or "").strip()):
        out[AUTHOR_KEY] = _author_party(segments, parties)
    return out


# A document's own line naming who wrote it: "작성자: 윤정숙 (정민호의 어머니)", "진술인 성명 : 박OO".
_AUTHOR_LINE: Final = re.compile(r"(?:작성자|작성인|진술인|진술자|확인자|사실확인자|제보자|발신인)\s*(?:성명|이름)?\s*[:：]?\s*"
                                 r"([가-힣]{2,4})(?![가-힣])")
AUTHOR_LINES_READ: Final = 8


def _author_party(segments: Sequence[Mapping[str, Any]], parties: Parties) -> str:
    """Who wrote a speakerless document: the party its author line names, a third party when it names someone else
    (a neighbour's 사실확인서, the client's mother's), else the client, whose papers most evidence is."""
    for seg in list(segments)[:AUTHOR_LINES_READ]:
        m = _AUTHOR_LINE.search(str(seg.get("text") or ""))
        if m is not None:
            party = _name_party(m.group(1), parties)
            return party if party != Party.UNKNOWN else Party.THIRD_PARTY
    return Party.CLIENT


# The writer's relation to a party in a 사실확인서's heading: "작성자: 윤정숙 (원고의 어머니)", "원고와의 관계: 모".
_PARENT_OF: Final = re.compile(r"([가-힣]{2,4}?)\s*(?:의|와의\s*관계\s*[:：]?|과의\s*관계\s*[:：]?)\s*(?:친)?"
                               r"(?:어머니|아버지|어머님|아버님|모친|부친|엄마|아빠|모|부)(?![가-힣])")
# The writer as the one the act was done to: "저를 밀쳤습니다", "저한테 욕을", "제 뺨을", "저는 … 맞았습니다".
_WRITER_TOUCHED: Final = re.compile(r"(?:^|[\s(\"'“])(?:저|제|나|내)(?:를|에게|한테|게|는|가|도|더러|보고)?(?=\s)")
_AS_PARENTS: Final = {"폭행": "부모에 대한 폭행", "폭언": "부모에 대한 폭언", "모욕": "부모에 대한 폭언",
                      "협박": "부모에 대한 폭언"}


def writer_is_clients_parent(segments: Sequence[Mapping[str, Any]], parties: Parties) -> bool:
    """A speakerless paper whose heading says its writer is the client's mother or father ("(원고의 어머니)")."""
    for seg in list(segments)[:AUTHOR_LINES_READ]:
        for m in _PARENT_OF.finditer(str(seg.get("text") or "")):
            word = m.group(1)
            if word in ("의뢰인", "내담자") or word == parties.role(Party.CLIENT) or _name_party(word, parties) == Party.CLIENT:
                return True
    return False


def ai_speakers(roles: Mapping[str, Any] | None, segments: Sequence[Mapping[str, Any]], parties: Parties) -> dict[str, str]:
    """An AI model's speaker roles (plaintiff | defendant | third_party, as the pseudonyms it was sent name the sides)
    as parties, checked: only speakers of these segments, only those values. The roles were asked with the
    parties' current side, so 원고 is the client when the client is the plaintiff, the opponent otherwise."""
    present = {str(s["speaker"]) for s in segments if s.get("speaker") and s.get("kind", "speech") == "speech"}
    plaintiff = parties.client_side == ClientSide.PLAINTIFF
    to_party = {"plaintiff": Party.CLIENT if plaintiff else Party.OPPONENT,
                "defendant": Party.OPPONENT if plaintiff else Party.CLIENT, "third_party": Party.THIRD_PARTY}
    if not isinstance(roles, Mapping):
        return {}
    return {str(sp): str(to_party[r]) for sp, r in roles.items() if sp in present and isinstance(r, str) and r in to_party}


def suggested_map(segments: Sequence[Mapping[str, Any]], parties: Parties,
                  ai: Mapping[str, str] | None = None) -> dict[str, str]:
    """The suggestion for the lawyer: the offline one, with an AI model's checked answers (`ai_speakers`) over it
    where the model named a party; where it did not, or answered something else, the offline guess stands. A display
    name that is a party's own name or alias (what the lawyer entered) is never overruled by the model."""
    out = suggest_speakers_map(segments, parties)
    out.update({sp: p for sp, p in (ai or {}).items() if sp in out and p in PARTY_VALUES and p != Party.UNKNOWN
                and _name_party(sp, parties) == Party.UNKNOWN})
    return out


def merged_map(suggested: Mapping[str, str], current: Mapping[str, str] | None, *, confirmed: bool) -> dict[str, str]:
    """The map to use: the lawyer's confirmed entries win; new speakers get the suggestion."""
    out = dict(suggested)
    if confirmed and current:
        out.update({k: v for k, v in current.items() if k in out or k == AUTHOR_KEY})
    return out


# ------------------------------------------------------------------ parties named as subjects
# Words that always name one side in a firm's own papers and in statements: the client, the other party.
ROLE_WORDS: Final = {Party.CLIENT: ("의뢰인", "내담자"), Party.OPPONENT: ("상대방",)}  # 내담자: a 상담일지's client
# Forms an alias may take that point at whoever is spoken to, not at one party: never read as a name.
_PRONOUNS: Final = frozenset({"당신", "너", "니", "네", "자기", "자기야", "여보", "여보야", "나", "저"})
_SUBJECT_PARTICLE: Final = r"(?:이가|이는|께서는|께서|이|가|은|는|도)"  # 도: "의뢰인 본인도 … 인정함"


class NamedSubjects:
    """Finds the party a sentence names as its subject: "며느리 한소영이 …", "처는 …", "피고 김준호가 …",
    "의뢰인은 …". The case's parties are named by their names, aliases (pronoun-like ones excepted), a three-syllable
    name's given name, their role (원고/피고) and the firm's words 의뢰인/상대방; quotations are someone's words and
    are skipped."""

    def __init__(self, parties: Parties):
        forms: dict[str, str] = {}
        for party in SPOUSES:
            person = parties.person(party)
            words = [*(person.names() if person else ()), *ROLE_WORDS[party]]
            if person and (given := _given_name(person.name)):
                words.append(given)
            if (role := parties.role(party)) is not None:
                words.append(role)
            for w in words:
                w = w.strip()
                if w and w not in _PRONOUNS:
                    forms[w] = party if forms.get(w, party) == party else Party.UNKNOWN  # one form, two sides: neither
        self._party = {w: p for w, p in forms.items() if p != Party.UNKNOWN}
        alternatives = "|".join(re.escape(w) for w in sorted(self._party, key=len, reverse=True))
        self._rx = re.compile(rf"(?<![가-힣A-Za-z0-9])({alternatives})\s?(?:본인\s?)?{_SUBJECT_PARTICLE}(?=[\s,.!?~]|$)"
                              ) if alternatives else None

    def party_of(self, word: str) -> str | None:
        """The party a word names (a name, alias, given name, 원고/피고, 의뢰인/상대방), else None."""
        return self._party.get(word)

    def find(self, text: str, before: int | None = None) -> str | None:
        """The party named as subject: the nearest before `before` (a rule's match), else the only one the text
        names (None when it names both sides: which one did the act is left to the other clues)."""
        if self._rx is None:
            return None
        found = [(m.start(), self._party[m.group(1)]) for m in self._rx.finditer(text)
                 if not quoted(text, m.start(), m.end())]
        if before is not None:
            earlier = [p for start, p in found if start < before]
            if earlier:
                return earlier[-1]
        sides = {p for _, p in found}
        return sides.pop() if len(sides) == 1 else None


# ------------------------------------------------------------------ actors
@dataclass(frozen=True)
class Actor:
    """Who did the act of one hit: a party, for third parties whose side (family) they are on, and whether the
    message's speaker is the one who did it."""

    party: str
    side: str | None = None
    own: bool = True

    @property
    def favours(self) -> str:
        if self.party == Party.OPPONENT:
            return Favours.CLIENT
        if self.party == Party.CLIENT:
            return Favours.OPPONENT
        if self.party == Party.THIRD_PARTY and self.side in SPOUSES:
            return Favours.CLIENT if self.side == Party.OPPONENT else Favours.OPPONENT
        return Favours.NEUTRAL


def _named_act(h: Hit, text: str) -> bool:
    span = text[h.start:h.end] if h.end > h.start else text
    return any(span.startswith(w) for w in NAMED_ACTS) or (h.end <= h.start and any(w in text for w in NAMED_ACTS))


def _announced(text: str) -> bool:
    """"집에 안 들어갈 거야", "나갈게", "안 주겠다": an act announced by the speaker (questions excepted)."""
    if "?" in text:
        return False
    for m in _WILL.finditer(text):
        syllable = m.group(1) or m.group(2)
        if syllable is None or (ord(syllable) - 0xAC00) % 28 == 8:  # -겠-, or a syllable ending in ㄹ
            return True
    return False


_NEGATED_PRESENT: Final = re.compile(r"안\s?([가-힣]+)다(?=[\s.!~]|$)")
_SUBJECT: Final = re.compile(r"(?<![내제])[가-힣]{1,4}(?:이|가|께서)\s")


def _declared(text: str) -> bool:
    """"집에 안 들어간다", "생활비 안 준다": the speaker declaring what they will not do (plain present, no other
    subject named, not a question). Coming verbs ("안 들어온다", "안 온다") tell of someone else."""
    if "?" in text or _SUBJECT.search(text):
        return False
    for m in _NEGATED_PRESENT.finditer(text):
        stem = m.group(1)
        last = stem[-1]
        if (last == "는" or (ord(last) - 0xAC00) % 28 == 4) and not stem.endswith(("온", "오는")):
            return True
    return False


# A plain past statement ("그래 재혁 씨랑 갔다 왔어"): no subject named, nobody addressed, no question or reproach.
_PAST_ENDING: Final = re.compile(r"([가-힣])(?:어|다|음|지|고|는데|어요|습니다)(?=[\s.!~]|$)")
_ADDRESSED: Final = re.compile(r"(?:^|[\s,.!?~])(?:너|니|네가|니가|당신|자기|여보)(?=[\s,.!?~이가는도를한]|$)|잖|지\s?마|\?")


def _told_of_self(text: str) -> bool:
    """Between the spouses, a message that tells a past act without naming who did it tells of the speaker's own
    (an accusation names its addressee or reproaches: "니가 …", "…했잖아", "…했어?")."""
    # 갔/왔/렸/했: a syllable ending in ㅆ before the ending, other than 있 (to be) and 겠 (will).
    past = any((ord(m.group(1)) - 0xAC00) % 28 == 20 and m.group(1) not in "있겠" for m in _PAST_ENDING.finditer(text))
    return past and _ADDRESSED.search(text) is None and _SUBJECT.search(text) is None


def _suffered(h: Hit, text: str, teller: bool = False) -> bool:
    """The act is told by the one it was done to ("제가 … 맞았습니다", "저는 … 당했습니다"; any 맞다 without another
    subject): its doer is the one named with 에게/한테, never the teller. `teller`: the text names the writer's own
    party as its subject ("내담자는 … 폭언을 들었다고 함" in the client's 상담일지)."""
    if h.ground not in _DONE_TO_SOMEONE:
        return False
    parsed = h.end > h.start and not h.rule.startswith("model:") and h.rule != LAWYER
    if parsed and h.rule in _PASSIVE_RULES:  # 맞다: whoever is the subject, the doer is the one it was done by
        return h.agent in ("self", "unknown")
    if parsed:
        self_subject = teller or h.agent == "self" or _SELF_SUBJECT.search(text[:h.start]) is not None
        return self_subject and _SUFFERED_AFTER.match(text[h.end:]) is not None
    return (teller or _SELF_SUBJECT.search(text) is not None) and _SUFFERED.search(text) is not None


def _genitive_doer(h: Hit, text: str, p: str, named: NamedSubjects | None) -> Actor | None:
    """The doer a parsed act names in the genitive ("남편의 폭언", "시어머니의 폭행", "피고의 협박"), else None."""
    if h.ground not in _DONE_TO_SOMEONE or h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return None
    m = _GENITIVE.search(text[:h.start])
    if m is None:
        return None
    word = m.group(1)
    if word in SPOUSE:
        return Actor(other(p), own=False)
    if word in _IN_LAWS:
        return Actor(Party.THIRD_PARTY, side=other(p) if p in SPOUSES else None, own=False)
    party = named.party_of(word) if named is not None else None
    return Actor(party, own=party == p) if party is not None else None


def _doer(h: Hit, text: str, p: str, named: NamedSubjects | None) -> Actor | None:
    """Who did what the writer suffered: the one named with 에게/한테/로부터 — an in-law (시어머니에게 맞았다), a party
    by name, for a third-party writer a child-in-law (며느리한테 욕을 들었다: the client's parent writing) — else the
    other spouse when a spouse tells it, else None (unknown)."""
    before = text[:h.end] if h.end > h.start else text
    for m in _DOER.finditer(before):
        word = m.group(1)
        kin = _KIN_BEFORE.search(before[:m.start(1)])  # "장모 권말순으로부터": the kin word before the name
        if word in _IN_LAWS or kin is not None:
            return Actor(Party.THIRD_PARTY, side=other(p) if p in SPOUSES else None, own=False)
        party = named.party_of(word) if named is not None else None
        if party is not None:
            return Actor(party, own=party == p)
        if p == Party.THIRD_PARTY and word in CHILD_IN_LAW:
            return Actor(Party.OPPONENT, own=False)
    return Actor(other(p), own=False) if p in SPOUSES else None


# The speaker as the one the act was done to ("그 손으로 나 밀어서 …", "내 뺨 때렸잖아", "나한테 …"): not their act.
_SPEAKER_HURT: Final = re.compile(
    r"(?:^|[\s,])(?:나를|날|나한테|나에게|저를|저한테|저에게|제게|내게)(?=\s)"
    r"|(?:^|[\s,])나\s(?=[가-힣]{0,3}(?:밀|때리|때렸|쳤|치고|잡|던지|던졌|긁|물었|찼|차고|밟|할퀴|목\s?졸))"
    r"|(?:^|[\s,])(?:내|제)\s?(?:얼굴|뺨|머리|팔|목|배|몸|손목|손|다리|등|머리채|멱살|옷|폰|휴대폰)")
_PRESENT_END: Final = re.compile(r"([가-힣])다(?=[\s.!~]|$)")
# "돈 한 푼도 못 줘", "안 보낼 거야", "다시는 이 집 들어올 생각 마라": refusing to give, shutting the other out.
_REFUSES: Final = re.compile(r"(?:안|못)\s?(?:줘|준다|줄\s?거|줄게|주겠|보내|보낸다|보낼\s?거)|들어올\s?생각\s?(?:마|하지\s?마)|"
                             r"(?:집에|집에는)\s?(?:들어오지|오지)\s?마|생활비\S{0,2}(?:\s?한\s?푼도)?\s?(?:기대\s?하지|없어|없다|끊는다|끊을)|"
                             r"짐\S{0,2}\s?(?:다\s?)?(?:밖에\s?)?(?:내놔|내놓|빼|버린)")
_FROM_NOW: Final = re.compile(r"이제|앞으로|지금부터|오늘부터|내일부터|[이다]음?\s?달부터|이번\s?달부터")


def _declares(text: str) -> bool:
    """Between the spouses, a plain present statement of an act with no one else named ("그래 만난다 어쩔건데",
    "오늘부터 생활비 없다", "다음 달부터 돈 안 보낸다") declares the speaker's own act. Not a coming verb ("생활비 안
    들어온다" tells of the other's), and 없다 only from now on ("3일째 연락 없다" is a complaint)."""
    if _REFUSES.search(text) and "?" not in text:
        return True
    if _ADDRESSED.search(text) is not None or _SUBJECT.search(text) is not None:
        return False
    for m in _PRESENT_END.finditer(text):
        syllable = m.group(1)
        if syllable == "없" and _FROM_NOW.search(text):
            return True
        if syllable != "온" and (syllable == "는" or (ord(syllable) - 0xAC00) % 28 == 4):
            return True
    return False


# The speaker noting the other's admission ("때린 거 인정하네"): the act is the other's.
_OTHERS_ADMISSION: Final = re.compile(r"인정\s?(?:하네|하는구나|하는\s?거|했네|했구나|하냐|하지|해\?|했지|하시네|하셨네|했잖아|"
                                      r"한\s?거|한\s?거지|한다는)")
# An act named as a thing done ("식칼 들이댄 거 경찰에 말할 거다"): a future later in the line is not the act's.
_NOMINALISED: Final = re.compile(r"^[가-힣]?\s?(?:거|것|건|걸|게)\s")
# Words reported as someone else's: "…가만두지 않겠다고 하였습니다", "…죽여버린다는 문자를 보냈다".
_REPORTED_AFTER: Final = re.compile(r"^[^.!?\n]{0,12}?(?:다|라|냐|자)(?:고|는)\s*(?:하|했|말|그러|그랬|협박|소리|위협|문자|카톡|"
                                    r"메시지|연락|전화|얘기|이야기)")


def _own_act(h: Hit, text: str, *, spouses_chat: bool = False) -> bool:
    """Whether the message tells of its speaker's own act (rather than accusing or reporting someone else's).
    `spouses_chat`: the message is one spouse's to the other (see `_told_of_self`). An announcement reported as
    someone's words ("가만두지 않겠다고 하였습니다") is theirs, not the writer's."""
    reported = h.end > h.start and (_REPORTED_AFTER.match(text[h.end:]) is not None
                                    or _NOMINALISED.match(text[h.end:]) is not None)
    admits = h.admission and not (h.agent != "self" and (_OTHERS_ADMISSION.search(text) or "?" in text))
    if admits or h.agent == "self" or (h.intent and not reported):
        return True
    unparsed = h.rule.startswith("model:") or h.rule == LAWYER or h.end <= h.start  # no morpheme rule read it
    if unparsed and (FIRST_PERSON.search(text) or _announced(text) or _declared(text)):
        return True
    if not unparsed and h.agent == "unknown" and _SELF_TOO.search(text[:h.start]):
        return True
    if spouses_chat and h.agent == "unknown" and not _named_act(h, text) and not _SPEAKER_HURT.search(text) and (
            _declares(text) or (unparsed and _told_of_self(text))):
        return True
    return h.mode == "utterance" and not _named_act(h, text)


def actor_of(h: Hit, text: str, speaker_party: str, present: set[str],
             speakers_map: Mapping[str, str] | None = None, speaker: str | None = None,
             named: NamedSubjects | None = None) -> Actor:
    """The actor of one hit spoken (or written) by `speaker_party`; `present` are the parties in the evidence;
    `named` finds a party the text names as the subject (the labeller knows kinship words, not the case's names)."""
    p = speaker_party
    if h.agent.startswith(SPEAKER_AGENT) and speakers_map is not None:
        name = h.agent[len(SPEAKER_AGENT):]
        party = speakers_map.get(name, Party.UNKNOWN)
        if not (h.ground == "840-1" and party == Party.THIRD_PARTY):  # a lover's words: the affair is the spouse's
            return Actor(party, own=name == speaker)
    teller = (named is not None and named.find(text, h.start if h.end > h.start else None) == p) or (
        speaker is None and p in SPOUSES and _SUBJECT.search(text) is None)  # a paper of the party, subject left out
    if _suffered(h, text, teller) and (doer := _doer(h, text, p, named)) is not None:
        return doer
    if (genitive := _genitive_doer(h, text, p, named)) is not None:
        return genitive
    if h.agent == "unknown" and h.end > h.start and _IN_LAW_NAMED.search(text[:h.start]):
        return Actor(Party.THIRD_PARTY, side=other(p) if p in SPOUSES else None, own=False)
    if named is not None and h.agent == "unknown" and (
            subject := named.find(text, h.start if h.end > h.start and not h.rule.startswith("model:") else None)):
        return Actor(subject, own=subject == p)
    if h.agent in FAMILY_AGENTS:  # 시어머니가 / 장모님이 / 시누이가: the speaker's spouse's family
        return Actor(Party.THIRD_PARTY, side=other(p) if p in SPOUSES else None, own=False)
    if h.agent == "spouse":  # 남편이 / 와이프가
        return Actor(other(p), own=False)
    if h.ground == "840-1" and p == Party.THIRD_PARTY:
        # The lover writing to the opponent, or a friend or relative telling the client: in the client's evidence
        # the affair a third person speaks of is the opponent's.
        return Actor(Party.OPPONENT if any(q in present for q in SPOUSES) else Party.UNKNOWN, own=False)
    if h.ground == "840-1" and p in SPOUSES and (Party.THIRD_PARTY in present or (
            other(p) not in present and Party.UNKNOWN in present)):
        # The opponent's chat with someone else (the lover): his affair. The client's with a friend or relative
        # ("어제 그 남자 차에서 내리는 거 봤어"): the opponent's, unless she tells of her own.
        own = p == Party.OPPONENT or h.agent == "self" or h.admission
        return Actor(p) if own else Actor(Party.OPPONENT, own=False)
    if quoted(text, h.start, h.end):
        # Words inside quotation marks are someone else's, reported: '남편이 "가만 안 둔다"라고 했다' in the
        # client's statement is the other spouse's threat, not the writer's; unless the speaker owns them
        # ('나도 … "개새끼"라고 한 건 인정해').
        if _SELF_SUBJECT.search(text[:h.start]) and _OWN_ADMISSION.search(text[h.end:]):
            return Actor(p if p in PARTY_VALUES else Party.UNKNOWN)
        return Actor(other(p), own=False)
    if _own_act(h, text, spouses_chat=speaker is not None and set(SPOUSES) <= present):
        return Actor(p if p in PARTY_VALUES else Party.UNKNOWN)
    if p == Party.THIRD_PARTY and speaker is not None:
        return _third_persons_act(h, text, present)
    return Actor(other(p), own=False)


_REPORTED_SPEECH: Final = re.compile(r"(?:다|라|냐|자)고\s?(?:도\s?)?(?:하더라|했다|했어|그러더라|그랬다|그랬어|했대|하더라고)|"
                                     r"(?:다|라)더라")
_CHILD_IN_LAW_NAMED: Final = re.compile(r"[가-힣]\s?서방\s?(?:이|가|은|는|놈)|(?:사위|며느리)\s?(?:놈|년)?\s?(?:이|가|은|는)\s")
_YOU_AS_DOER: Final = re.compile(r"(?:^|[\s,])(?:자네가|자네는|니가|네가|너가|너는|당신이|당신은)(?=\s)")
_SPEECH_TAGS: Final = frozenset({"폭언", "모욕", "협박", "부모에 대한 폭언"})


def _third_persons_act(h: Hit, text: str, present: set[str]) -> Actor:
    """A third person's message in a chat with one spouse: an insult or threat is their own words ("능력도 없는 게
    어디서 말대꾸야" from the mother-in-law); an act they tell of, unnamed, is the spouse they are speaking to
    ("자네 우리 미란이한테 손댔다면서?")."""
    spouses = [q for q in SPOUSES if q in present]
    if _YOU_AS_DOER.search(text):  # "자네가 때렸다고 하더라": the spouse spoken to
        return Actor(spouses[0], own=False) if len(spouses) == 1 else Actor(Party.UNKNOWN, own=False)
    if _REPORTED_SPEECH.search(text) or _CHILD_IN_LAW_NAMED.search(text):
        return Actor(Party.OPPONENT, own=False)  # the client's mother: "김서방이 … 늙은 게 뭘 안다고 … 하더라"
    if h.tag in _SPEECH_TAGS and not _named_act(h, text):
        return Actor(Party.THIRD_PARTY)
    return Actor(spouses[0], own=False) if len(spouses) == 1 else Actor(Party.UNKNOWN, own=False)


_QUOTE_PAIRS: Final = (("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u300c", "\u300d"), ("\u300e", "\u300f"))


def quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a hit's span; empty when no rule read it) lies inside quotation marks."""
    if end <= start:
        return False
    before, after = text[:start], text[end:]
    for mark in ('"', "'"):
        if before.count(mark) % 2 == 1 and mark in after:
            return True
    return any(before.rfind(o) > before.rfind(c) and c in after for o, c in _QUOTE_PAIRS)


# ------------------------------------------------------------------ descriptions
def _who(party: str, speaker: str | None, parties: Parties) -> str | None:
    return parties.display(party) or speaker


PARENT_TAG_PREFIX: Final = "부모에 대한 "


def describe(h: Hit, actor: Actor, speaker: str | None, speaker_party: str, parties: Parties) -> str:
    """One line naming the actor: "피고(김준호)가 협박성 발언을 함", "원고(이지은)가 피고(김준호)의 협박에 관해 언급함".
    An act against a parent names whose parent it was: "피고(한소영)의 원고 부모에 대한 폭행 관련 내용이 기재됨"."""
    act = ACT_PHRASES.get(h.tag, h.tag)
    utterance = _UTTERANCE_PHRASES.get(h.tag, act + " 발언을 함")
    victim = parties.role(other(actor.party)) if actor.party in SPOUSES else None
    if victim and h.tag.startswith(PARENT_TAG_PREFIX):
        act, utterance = f"{victim} {act}", f"{victim} {utterance}"
    if actor.party == Party.THIRD_PARTY and actor.side in SPOUSES:
        doer = f"{parties.display(actor.side) or ''} 측 가족".strip()
        act = act.removeprefix("시댁의 ").removeprefix("처가의 ")  # not "측 가족의 시댁의 부당한 대우"
    elif actor.own:
        doer = _who(actor.party, speaker, parties) or ""
    else:
        doer = parties.display(actor.party) or ""
    if speaker is None:  # a document: it reports
        return f"{doer}의 {act} 관련 내용이 기재됨" if doer else f"{act} 관련 내용이 기재됨"
    said = _who(speaker_party, speaker, parties) or speaker
    if actor.own:
        if h.admission:
            return f"{josa(said, '이/가')} {act} 사실을 인정하는 취지로 말함"
        if h.mode == "utterance":
            return f"{josa(said, '이/가')} {utterance}"
        return f"{josa(said, '이/가')} {act}에 관해 말함"
    target = f"{doer}의 " if doer else ""
    return f"{josa(said, '이/가')} {target}{act}에 관해 언급함"


# ------------------------------------------------------------------ the derived fields
# A transcript's line in a document (녹취록): "김나래: 너 오늘 들어오면 칼로 찔러버린다".
_TRANSCRIPT_LINE: Final = re.compile(r"^\s*([가-힣A-Za-z][가-힣A-Za-z0-9 ]{0,10}?)\s*[:：]\s*\S")


def _transcript_party(seg: Mapping[str, Any], parties: Parties) -> str | None:
    """The party who speaks a 녹취록 line of a document ("오세라: …"), by name or alias; None when the line has no
    speaker's name before a colon or the name is not a party's (a date label, 화자1, a third person)."""
    if seg.get("speaker") and seg.get("kind", "speech") == "speech":
        return None
    m = _TRANSCRIPT_LINE.match(str(seg.get("text") or ""))
    if m is None:
        return None
    party = _name_party(m.group(1).strip(), parties)
    return party if party in SPOUSES else None


def _party_of(seg: Mapping[str, Any], speakers_map: Mapping[str, str]) -> str:
    sp = seg.get("speaker")
    if not sp or seg.get("kind", "speech") != "speech":
        return speakers_map.get(AUTHOR_KEY, Party.CLIENT)
    return speakers_map.get(str(sp), Party.UNKNOWN)


def _labels(hits: Iterable[Hit], actors: Mapping[tuple[int, str], tuple[Actor, str]]) -> list[LabelDoc]:
    """One label per tag, actor (and family side) and source, confidence combined over its messages."""
    hits = list(hits)
    strength = segment_strength(hits)
    groups: dict[tuple[str, str, str | None, str], dict[str, Any]] = {}
    for (seq, tag), s in sorted(strength.items()):
        if s < MIN_CONFIDENCE or (seq, tag) not in actors:
            continue
        actor, source = actors[(seq, tag)]
        g = groups.setdefault((tag, actor.party, actor.side, source),
                              {"miss": 1.0, "segments": set(), "actor": actor, "source": source})
        g["miss"] *= 1 - s
        g["segments"].add(seq)
    out = []
    for (tag, party, side, source), g in groups.items():
        label: LabelDoc = {"ground": ground_of_tag(tag), "tag": tag,
                                 # The lawyer's own label is a decision, not an estimate.
                                 "confidence": 1.0 if source == LAWYER else round(min(0.99, 1 - g["miss"]), 2),
                                 "segments": sorted(g["segments"]),
                                 "actor": party, "favours": str(g["actor"].favours), "source": source}
        if side:
            label["actor_side"] = side
        out.append(label)
    return sorted(out, key=lambda lb: (lb["ground"], 1 - lb["confidence"], lb["tag"], lb["actor"], lb["source"]))


def attribute(segments: list[SegmentDoc], hits: Sequence[Hit], *, parties: Parties,
              speakers_map: Mapping[str, str], event_time: str | None, speakers: Sequence[str],
              descriptions: Mapping[int, str] | None = None, lawyer: frozenset[tuple[int, str]] = frozenset(),
              kept: Sequence[Hit] | None = None) -> DerivedDoc:
    """Labels (with actor, favours, source), summary, insights and timeline from stored segments and hits.

    `lawyer` are the (seq, tag) pairs that came from the lawyer's labels (`source: "lawyer"`); `descriptions`
    are an engine's own sentences, used where the actor is not a party LEH can name.
    """
    by_seq: dict[int, Mapping[str, Any]] = {int(s["seq"]): s for s in segments}
    present = {speakers_map.get(str(sp), Party.UNKNOWN) for sp in speakers}
    named = NamedSubjects(parties)
    actors: dict[tuple[int, str], tuple[Actor, str]] = {}
    lines: dict[int, str] = {}
    kept = kept_hits(hits) if kept is None else list(kept)
    families = family_sides(segments, speakers_map)
    if speakers_map.get(AUTHOR_KEY) == Party.THIRD_PARTY and writer_is_clients_parent(segments, parties):
        hits, kept = _as_parents_acts(hits, kept, by_seq, named)
    strongest: dict[int, Hit] = {}
    for h in kept:
        cur = strongest.get(h.seq)
        if cur is None or h.weight > cur.weight:
            strongest[h.seq] = h
    moved: dict[Hit, Hit] = {}
    for h0 in hits:
        seg = by_seq.get(h0.seq, {})
        text = str(seg.get("text") or "")
        party = _transcript_party(seg, parties) or _party_of(seg, speakers_map)
        actor = actor_of(h0, text, party, present, speakers_map, seg.get("speaker"), named)
        if actor.party == Party.THIRD_PARTY and actor.side is None and actor.own and seg.get("speaker") in families:
            actor = replace(actor, side=families[str(seg["speaker"])])  # the opponent's mother's own insult
        h = h0
        if h0.ground == "840-4" and actor.party == Party.THIRD_PARTY and actor.side == Party.OPPONENT \
                and not _OWN_PARENT.search(text):
            h = moved[h0] = replace(h0, tag=_in_laws_tag(text), ground="840-3")  # 장모에게 욕을 들었다: 840-3
        key = (h.seq, h.tag)
        source = LAWYER if key in lawyer else ENGINE
        if key not in actors or actors[key][1] == ENGINE and source == LAWYER:
            actors[key] = (actor, source)
        if strongest.get(h0.seq) is h0:
            speaker = seg.get("speaker") if seg.get("kind", "speech") == "speech" else None
            line = describe(h, actor, speaker, party, parties)
            engine_line = (descriptions or {}).get(h.seq)
            lines[h.seq] = engine_line if engine_line and actor.party not in SPOUSES else line
    if moved:
        hits, kept = [moved.get(x, x) for x in hits], [moved.get(x, x) for x in kept]
    summary, overview = summarize(segments, kept, list(speakers), event_time, descriptions=lines)
    return {
        "labels": _labels(hits, actors),
        "summary": summary,
        "insights": insights_of(segments, kept),
        "timeline": timeline_events(segments, kept, event_time, overview, descriptions=lines,
                                    sides=_sides(actors, kept)),
        "speakers_map": dict(speakers_map),
        "hits": [hit_doc(h, (descriptions or {}).get(h.seq)) for h in hits if h.weight > 0 and h.rule != LAWYER],
    }


# How a spouse addresses a third person in a chat says whose family they are: 장모님/어머님 are the other spouse's
# parents, 엄마/아빠 one's own; how they address the spouse says the same from their side (사위, 며늘아, O서방).
_IN_LAW_ADDRESS: Final = re.compile(r"^(?:장모님|장인어른|장인님|어머님|아버님|시어머니|시어머님|시아버지|시아버님|형님|아주버님|처형)"
                                    r"(?=[\s,.!?~]|$)")
_OWN_PARENT_ADDRESS: Final = re.compile(r"^(?:엄마|아빠|어머니|아버지)(?=[\s,.!?~]|$)")
_CHILD_IN_LAW_ADDRESS: Final = re.compile(r"^(?:[가-힣]\s?서방|사위|자네|며늘아|며느리|새아가|아가야)(?=[\s,.!?~]|$)")


def family_sides(segments: Sequence[Mapping[str, Any]], speakers_map: Mapping[str, str]) -> dict[str, str]:
    """speaker → the spouse whose family they are, for third-party speakers of a chat, read from how the spouses
    and they address each other at the start of a message ("장모님 …" from the client: the opponent's mother)."""
    spouses = {sp for sp, party in speakers_map.items() if party in SPOUSES}
    thirds = {sp for sp, party in speakers_map.items() if party == Party.THIRD_PARTY}
    if not spouses or not thirds:
        return {}
    votes: dict[str, set[str]] = defaultdict(set)
    ordered = [s for s in segments if s.get("speaker") and s.get("kind", "speech") == "speech"]
    for prev, seg in zip([None, *ordered], ordered, strict=False):
        text = str(seg.get("text") or "").strip()
        speaker = str(seg["speaker"])
        if prev is None and len(thirds) > 1:
            continue
        before = str(prev.get("speaker") or "") if prev is not None else ""
        if speaker in spouses and len(thirds) == 1:
            before = next(iter(thirds))  # one third person in the chat: whom the spouse addresses
        if speaker in spouses and before in thirds:  # a spouse speaking to the third person
            party = speakers_map[speaker]
            if _IN_LAW_ADDRESS.match(text):
                votes[before].add(other(party))
            elif _OWN_PARENT_ADDRESS.match(text):
                votes[before].add(party)
        elif speaker in thirds and before in spouses and _CHILD_IN_LAW_ADDRESS.match(text):
            votes[speaker].add(other(speakers_map[before]))  # 김 서방, 며늘아: the other spouse's family
    return {sp: sides.pop() for sp, sides in votes.items() if len(sides) == 1}


# The client's own parent named in a line ("우리 엄마", "친정아버지"): then an in-law's abuse of them stays 840-4.
_OWN_PARENT: Final = re.compile(r"(?:우리|저희|제|내|친정)\s?(?:엄마|어머니|어머님|아버지|아버님|아빠|부모)")


def _in_laws_tag(text: str) -> str:
    """840-3's tag for the opponent's family's abuse of the client: 처가 (the wife's side) or 시댁."""
    return "처가 부당대우" if any(w in text for w in IN_LAWS_WIFE_SIDE) else "시댁 부당대우"


def _as_parents_acts(hits: Sequence[Hit], kept: Sequence[Hit], by_seq: Mapping[int, Mapping[str, Any]],
                     named: NamedSubjects) -> tuple[list[Hit], list[Hit]]:
    """In a paper the client's parent wrote, the opponent's abuse of the writer ("며느리가 저를 밀쳤습니다", "저는
    며느리한테 욕을 들었습니다") is abuse of the client's parent: 840-4, not 840-3."""
    moved: dict[Hit, Hit] = {}
    for h in hits:
        text = str(by_seq.get(h.seq, {}).get("text") or "")
        if h.ground != "840-3" or h.tag not in _AS_PARENTS or not _WRITER_TOUCHED.search(text):
            continue
        if actor_of(h, text, Party.THIRD_PARTY, set(), named=named).party == Party.OPPONENT:
            tag = _AS_PARENTS[h.tag]
            moved[h] = replace(h, tag=tag, ground=ground_of_tag(tag))
    return [moved.get(h, h) for h in hits], [moved.get(h, h) for h in kept]


def _sides(actors: Mapping[tuple[int, str], tuple[Actor, str]], kept: Iterable[Hit]) -> dict[int, frozenset[str]]:
    """Whom each labelled segment's kept acts favour: a timeline event never joins lines that favour different sides."""
    out: dict[int, set[str]] = defaultdict(set)
    for h in kept:
        if (h.seq, h.tag) in actors:
            out[h.seq].add(str(actors[(h.seq, h.tag)][0].favours))
    return {seq: frozenset(v) for seq, v in out.items()}


def favours_opponent(label: Mapping[str, Any]) -> bool:
    return label.get("favours") == Favours.OPPONENT
