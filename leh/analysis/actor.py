"""Who did the act of one label hit: the speaker's own words, an accusation or report of the other spouse's act, what
the writer suffered and who did it, a party or in-law the text names as its subject, a third person's own words in a
chat. Part of who did what (`leh.analysis.attribution`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from leh.analysis.labels import Hit
from leh.analysis.lexicon import IN_LAWS_HUSBAND_SIDE, IN_LAWS_WIFE_SIDE, RULES, SPOUSE
from leh.analysis.speakers import SPEAKER_AGENT, SPOUSES, given_name
from leh.domain.parties import PARTY_VALUES, Favours, Parties, Party, other

# Where a hit came from: the labeller (an engine) or the lawyer's own label (its hits have rule `LAWYER`).
ENGINE: Final = "engine"
LAWYER: Final = "lawyer"
# A named act ("방금 그 말 협박이야", "협박하지 마", "욕 좀 그만해"): the speaker points at someone else's act.
NAMED_ACTS: Final = ("협박", "위협", "폭언", "욕", "쌍욕", "막말", "고함", "폭력", "폭행", "모욕", "손찌검", "행패")
# A first-person subject for hits the labeller did not parse (the learned model's): "그래 나 그 사람 만나고 있어",
# "오늘부터 나 작은방에서 잔다".
# A bare "나" opens a sentence too ("그래 여자야. 나 그 사람 사랑해"), and a 녹취록 line after its voice's label ("화자 1: 그래
# 나 그 여자랑 잤어").
FIRST_PERSON: Final = re.compile(r"(?:^|[\s,.!?])(?:내가|제가|난|나는|저는|전|저도|나도)(?=\s|$)"
                                 r"|(?:^|(?<=[.!?])\s+|^\s*[가-힣A-Za-z][가-힣A-Za-z0-9 ]{0,10}?\s*[:：]\s*)"
                                 r"(?:(?:그래|응|어|맞아|그래서|이제|앞으로|오늘부터|내일부터|지금부터)[,\s]+)?나\s")
# "저도 … 욕설을 한 적이 있습니다": a first-person subject with 도, which the labeller's subject analysis does not read.
_SELF_TOO: Final = re.compile(r"(?:^|[\s,.!?])(?:저|나)(?:도|\s?역시|\s?또한)\s")
# An announced act (-ㄹ 거야, -ㄹ게, -겠-) in text no morpheme rule read: the speaker's own intent.
# "-ㄹ 거니까 그렇게 알아", "-ㄹ께" (the common spelling of -ㄹ게) announce too.
_WILL: Final = re.compile(r"([가-힣])\s?(?:거|꺼)(?:야|다|예요|에요|임|니까|니깐)|([가-힣])[게께](?=요|[\s.!~]|$)"
                          r"|겠(?:어|다|지|음)")
# An insult hurled at the one spoken to, at the head of a line: "야 이 무능한 새끼야", "이 미친놈아" (vocative -아/-야
# after 이 and at most two words): the speaker's own words, not a report of someone else's.
_VOCATIVE_INSULT: Final = re.compile(r"^(?:야|어휴|아오|에이)?[\s,!~]*이\s+(?:[가-힣]+\s+){0,2}[가-힣]*[^이\s](?:아|야)(?=[\s,.!?~]|$)")
FAMILY_AGENTS: Final = frozenset({"inlaw_h", "inlaw_w", "relative"})
_INSULT_TAGS: Final = frozenset({"폭언", "모욕", "부모에 대한 폭언"})

# The writer as the one an act was done to, not its doer: "제가 남편에게 맞았습니다", "저는 폭행을 당했습니다",
# "죽여버린다는 말을 들었습니다", "목을 졸렸습니다", "욕을 먹었다", "협박 문자를 받았다".
_PASSIVE_RULES: Final = frozenset(r.pattern for r in RULES if r.passive)
_SUFFERED_AFTER: Final = re.compile(
    r"^[가-힣]{0,6}\s*(?:[가-힣]{0,4}(?:말|소리|얘기|문자|메시지|카톡|전화|욕)\s?(?:을|를|까지|도)?\s*)?"
    r"(?:당했|당한|당하|당해|받았|받은|받고|받아|들었|들은|듣고|들어야|먹었|먹은|먹고)")
_SUFFERED: Final = re.compile(
    r"(?:폭행|폭력|폭언|욕설|협박|위협|모욕|학대|손찌검|구타|욕)[을를]?\s*(?:당했|당한|당하|당해|받았|받은|들었|들은|먹었|먹은)"
    r"|(?:말|소리)[을를]?\s*(?:들었|들은|듣고)|맞았|맞은\s?적|맞고|맞아서|졸렸|졸린|잡혔|끌려|걷어차였|밀쳐졌|찔렸|얻어맞|두들겨\s?맞"
    r"|떠밀려|밀려\s?(?:넘어|쓰러|부딪)")
# An injury the teller came away with ("팔에 화상까지 입었고", "유리창에 머리 박았잖아", "멍이 들었어"): the teller is the one
# it was done to (not hearsay: "화상 입었대").
_INJURED: Final = re.compile(r"(?:화상|상처|멍|피멍|부상|골절|찰과상|타박상)\S{0,2}\s?(?:까지\s?|도\s?)?(?:입었|입고|생겼|났|들었)"
                             r"(?!대|다며|다면서|다던)|(?:머리|이마|얼굴|뒤통수)\S{0,2}\s?(?:를\s?)?(?:박았|부딪혔|부딪쳤|찧었)(?!대|다며)")
_OWN_ADMISSION: Final = re.compile(r"(?:한|했던|말한)\s?(?:건|것은|거는|게)\s?(?:인정|사실|맞아|맞습니다|잘못|미안|죄송)|^[^.]{0,6}(?:한|했던)\s?적이?\s?있|(?:라고|이라고)\s?(?:했어|했습니다|했다)\.?\s*(?:미안|죄송|잘못)")
_SELF_SUBJECT: Final = re.compile(r"(?:^|[\s,.!?])(?:내가|제가|난|나는|저는|전|저도|나도)(?=\s)")
_DOER: Final = re.compile(r"([가-힣]+?)(?:님)?(?:에게서|한테서|으로부터|로부터|에게|한테|께|더러)(?=\s|$)")
# "남편의 폭언에 시달렸다", "시어머니의 폭행으로": the act's doer in the genitive, right before the act's noun.
_GENITIVE: Final = re.compile(r"([가-힣]+?)(?:님)?의\s*$")
_DONE_TO_SOMEONE: Final = frozenset({"840-3", "840-4"})
# Grounds whose act a genitive before its noun names the doer of: "남편의 폭언", "상대방의 생사" (840-5: whose).
_GENITIVE_GROUNDS: Final = _DONE_TO_SOMEONE | {"840-5"}
# A span that takes an object ("휴대폰을 바닥에 던져"): a genitive before it owns the object, it did not act.
_OBJECT_IN_SPAN: Final = re.compile(r"[을를]\s")
_IN_LAWS: Final = IN_LAWS_HUSBAND_SIDE | IN_LAWS_WIFE_SIDE  # the opponent's family, either side
_IN_LAW_ALTERNATION: Final = "|".join(sorted(_IN_LAWS | {"시모", "시부"}, key=len, reverse=True))
_KIN_BEFORE: Final = re.compile(f"(?:{_IN_LAW_ALTERNATION})" + r"\s?(?:님)?\s+$")
# An in-law named as the subject by kin word and name ("장모 권말순이 … 욕하고"): the name hides the kin word from the
# labeller's subject analysis.
_IN_LAW_NAMED: Final = re.compile(f"({_IN_LAW_ALTERNATION})" + r"\s?(?:님)?\s+[가-힣]{2,4}\s?(?:이|가|께서|은|는)(?=\s)")
# The same with the name and its particle taken apart, to name the in-law in a description ("장모 권말순으로부터").
_IN_LAW_AND_NAME: Final = re.compile(f"({_IN_LAW_ALTERNATION})" + r"\s?(?:님)?\s+([가-힣]{2,4}?)\s?"
                                     r"(?:이|가|께서|은|는|으로부터|로부터|에게서|한테서|에게|한테)(?=\s)")
# What the client's parent calls the opponent in their own 사실확인서.
CHILD_IN_LAW: Final = frozenset({"며느리", "며늘", "사위", "사윗감"})
_OWN_CHILD: Final = frozenset({"딸", "딸아이", "아들", "아들놈"})


# ------------------------------------------------------------------ parties named as subjects
# Words that always name one side in a firm's own papers and in statements: the client, the other party.
ROLE_WORDS: Final = {Party.CLIENT: ("의뢰인", "내담자"), Party.OPPONENT: ("상대방",)}  # 내담자: a 상담일지's client
# Forms an alias may take that point at whoever is spoken to, not at one party: never read as a name.
_PRONOUNS: Final = frozenset({"당신", "너", "니", "네", "자기", "자기야", "여보", "여보야", "나", "저"})
# 도: "의뢰인 본인도 … 인정함"; 역시/또한: "의뢰인 역시 … 부순 일이 있다고 함" (the one named too).
_SUBJECT_PARTICLE: Final = r"(?:이가|이는|께서는|께서|이|가|은|는|도|\s역시|\s또한)"
# "의뢰인의 아내가": the party's spouse, i.e. the other party (not 처: "처가" is the wife's family).
_SPOUSE_OF: Final = ("아내", "남편", "부인", "배우자", "와이프")


# A subject whose verb modifies a noun ("원고가 주장하는 폭행", "피고가 문제 삼는 폭행", "의뢰인이 제시한 카드내역"): a
# relative clause.
_RELATIVE_AFTER: Final = re.compile(r"(?:\s+(?![가-힣]*[가이은는](?:\s|$))[가-힣]+){0,2}?\s+[가-힣]*(?:는|한|던)\s+[가-힣]")


# A subject that ends with its time or condition clause, the writer the next subject ("원고가 나간 뒤 제가 …", "피고가
# 잠들면 저는 …"): the subordinate clause's subject, not the line's.
_SUBORDINATE_THEN_SELF: Final = re.compile(r"[^.!?]{1,40}?(?:\s(?:뒤|후|다음)(?:에|에야)?|[가-힣](?:으면|면|자|니까|을\s때|ㄹ\s때|\s때))"
                                           r"[,\s]+(?:[가-힣]+\s){0,2}?(?:제가|저는|내가|나는|저도|나도)\s")


# A name called at the head of a line: the name, an optional 씨/님 or vocative -아/-야, then a space or comma.
_CALLED: Final = re.compile(r"^\s*([가-힣]{1,4}?)(?:\s?씨|님|아|야)?(?:\s*,\s*|\s+)")
# A topic ("사위는 말리는 저를 밀어내고", "원고는 제 딸과 다투던 중 …") is never a relative clause's subject.
_TOPIC_ENDS: Final = ("은", "는", "도", "역시", "또한")


class NamedSubjects:
    """Finds the party a sentence names as its subject: "며느리 한소영이 …", "처는 …", "피고 김준호가 …",
    "의뢰인은 …". The case's parties are named by their names, aliases (pronoun-like ones excepted), a three-syllable
    name's given name, their role (원고/피고) and the firm's words 의뢰인/상대방; quotations are someone's words and
    are skipped."""

    def __init__(self, parties: Parties, *, clients_parent_writes: bool = False):
        # In the client's parent's paper the writer's child is the client, the child's spouse the opponent.
        forms: dict[str, str] = {**{w: Party.OPPONENT for w in CHILD_IN_LAW}, **{w: Party.CLIENT for w in _OWN_CHILD}} \
            if clients_parent_writes else {}
        for party in SPOUSES:
            person = parties.person(party)
            words = [*(person.names() if person else ()), *ROLE_WORDS[party]]
            if person and (given := given_name(person.name)):
                words.append(given)
            if (role := parties.role(party)) is not None:
                words.append(role)
            for w in words:
                w = w.strip()
                if w and w not in _PRONOUNS:
                    forms[w] = party if forms.get(w, party) == party else Party.UNKNOWN  # one form, two sides: neither
        self._party = {w: p for w, p in forms.items() if p != Party.UNKNOWN}
        # A party called by name at the head of a line ("정우 자네 …", "민호 너 …"): their name or given name only
        # (an alias such as 남편 at a line's head is who is talked about, not who is spoken to).
        self._called: dict[str, str] = {}
        for party in SPOUSES:
            person = parties.person(party)
            for name in (person.name, given_name(person.name)) if person else ():
                if name and self._party.get(name) == party:
                    self._called[name] = party
        alternatives = "|".join(re.escape(w) for w in sorted(self._party, key=len, reverse=True))
        # An honorific ("백정민 씨가", "남편분이") is read past; "의뢰인의 아내가", "원고의 남편은" name the other spouse.
        self._rx = re.compile(rf"(?<![가-힣A-Za-z0-9])({alternatives})(?:\s?씨|님|분)?"
                              rf"(?:의\s?({'|'.join(_SPOUSE_OF)})(?:분)?)?\s?(?:본인\s?)?(?:\([가-힣]{{1,4}}\)\s?)?"
                              rf"{_SUBJECT_PARTICLE}(?=[\s,.!?~]|$)") if alternatives else None

    def named_in(self, text: str) -> set[str]:
        """Every party the text names in any form, with or without a particle ("정태호(의뢰인)", "(상대방 명의)")."""
        out: set[str] = set()
        for w, party in self._party.items():
            if re.search(rf"(?<![가-힣A-Za-z0-9]){re.escape(w)}(?![가-힣A-Za-z0-9]|의\s?(?:{'|'.join(_SPOUSE_OF)}))", text):
                out.add(party)
        return out

    def called(self, text: str) -> str | None:
        """The party a line calls by name at its head ("정우 자네 우리 딸 두고 …", "민호야, …"), else None."""
        m = _CALLED.match(text)
        return self._called.get(m.group(1)) if m else None

    def subjects(self, text: str) -> list[tuple[int, str]]:
        """Every (position, party) the text names as a subject outside quotations, in order."""
        if self._rx is None:
            return []
        return [(m.start(), other(self._party[m.group(1)]) if m.group(2) else self._party[m.group(1)])
                for m in self._rx.finditer(text) if not quoted(text, m.start(), m.end())]

    def topic(self, text: str) -> str | None:
        """The party the text names first as its topic ("의뢰인은 …", "원고는 …"), else None."""
        for m in self._rx.finditer(text) if self._rx is not None else ():
            if m.group(0).endswith(("은", "는")) and not quoted(text, m.start(), m.end()):
                return other(self._party[m.group(1)]) if m.group(2) else self._party[m.group(1)]
        return None

    def party_of(self, word: str) -> str | None:
        """The party a word names (a name, alias, given name, 원고/피고, 의뢰인/상대방), else None."""
        return self._party.get(word)

    def find(self, text: str, before: int | None = None) -> str | None:
        """The party named as subject: the nearest before `before` (a rule's match), else the only one the text
        names (None when it names both sides: which one did the act is left to the other clues)."""
        if self._rx is None:
            return None
        found = [(m.start(), other(self._party[m.group(1)]) if m.group(2) else self._party[m.group(1)],
                  not m.group(0).endswith(_TOPIC_ENDS) and _RELATIVE_AFTER.match(text, m.end()) is not None)
                 for m in self._rx.finditer(text) if not quoted(text, m.start(), m.end())]
        # "원고가 주장하는 폭행", "의뢰인이 제시한 카드내역에 …": a relative clause's subject is not the line's; with
        # only such subjects the line names none.
        found = [f for f in found if not f[2]]
        if before is None:  # "원고가 나간 뒤 제가 … 바꾼 것은 맞습니다": the writer is the main clause's subject
            found = [f for f in found if _SUBORDINATE_THEN_SELF.match(text, f[0]) is None]
        if before is not None:
            earlier = [p for start, p, _ in found if start < before]
            if earlier:
                return earlier[-1]
        sides = {p for _, p, _ in found}
        return sides.pop() if len(sides) == 1 else None


# A statement's header ("카드 이용내역 (의뢰인 명의)", "정태호(의뢰인) 신한카드 사용 명세", "계좌 거래내역 (피고 김병철
# 명의)"): its rows are what the holder paid or sent.
# "삼성카드 이용대금 명세서 (본인회원: …)": a card bill's header.
_STATEMENT_HEADER: Final = re.compile(r"(?:카드|계좌|통장|송금|거래|이용|사용|결제|입출금|승인|대금)\s?(?:내역|명세)")
_STATEMENT_HEAD_LINES: Final = 2


# A statement's row: it opens with a date ("2026.04.03 23:50 …", "25.07.03 …") or holds an amount ("38,000", "5만원").
_STATEMENT_ROW: Final = re.compile(r"^\s*\d{2,4}\s?[.\-/년]\s?\d{1,2}|\d{1,3}(?:,\d{3})+|\d\s?(?:만\s?)?원")
_STATEMENT_HEADER_CHARS: Final = 60


# Who wrote or filed a paper, in its header ("(원고 작성)", "피고 제출", "작성자: 원고"): not whose statement it is.
_WRITER_NAMED: Final = re.compile(r"작성자\s?[:：]?\s?[가-힣]+|[가-힣]+(?:\s[가-힣]{2,4})?\s?(?:작성|제출)")


def statement_row(text: str) -> bool:
    return _STATEMENT_ROW.search(text) is not None


def statement_owner(segments: Sequence[Mapping[str, Any]], named: NamedSubjects) -> tuple[int, str] | None:
    """A card or bank statement whose header names one party as its holder: (the header's seq, that party), else
    None (no header, or both parties named)."""
    for seg in segments[:_STATEMENT_HEAD_LINES]:
        if seg.get("speaker"):
            return None
        text = str(seg.get("text") or "")
        if _STATEMENT_HEADER.search(text) and len(text) <= _STATEMENT_HEADER_CHARS:
            holders = named.named_in(_WRITER_NAMED.sub(" ", text))  # "(원고 작성)" names who wrote it, not the holder
            return (int(seg["seq"]), holders.pop()) if len(holders) == 1 else None
    return None


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


def in_law_named(h: Hit, text: str) -> str | None:
    """"장모 권말순": the in-law a line names by kin word and name before the act (the whole line for a hit no rule
    read, or the learned model's, whose span is the line), else None."""
    parsed = h.end > h.start and not h.rule.startswith("model:")
    m = _IN_LAW_AND_NAME.search(text[:h.start] if parsed else text)
    return f"{m.group(1)} {m.group(2)}" if m else None


def _named_act(h: Hit, text: str) -> bool:
    span = text[h.start:h.end] if h.end > h.start else text
    return any(span.startswith(w) for w in NAMED_ACTS) or (h.end <= h.start and any(w in text for w in NAMED_ACTS))


_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+")


def _announced(text: str) -> bool:
    """"집에 안 들어갈 거야", "나갈게", "안 주겠다": an act announced by the speaker (questions excepted: "못
    들었어? 다 보낼 거야" announces in its second sentence, "집에 안 들어갈 거야?" does not). Words in quotation marks
    are someone's, quoted ("… 저에게 '니가 맞을 짓 했겠지'라며 …"), and a guess at the past ("했겠지") announces nothing."""
    statements = " ".join(part for part in _SENTENCE_END.split(_QUOTED_WORDS.sub(" ", text))
                          if part.strip() and "?" not in part)
    for m in _WILL.finditer(statements):
        syllable = m.group(1) or m.group(2)
        if syllable is None and m.start() > 0 and (ord(statements[m.start() - 1]) - 0xAC00) % 28 == 20:
            continue  # 했겠지, 갔겠다: -었겠- guesses
        if syllable is None or (ord(syllable) - 0xAC00) % 28 == 8:  # -겠-, or a syllable ending in ㄹ
            return True
    return False


# Words inside quotation marks ('…', "…", “…”, ‘…’, 「…」, 『…』).
_QUOTED_WORDS: Final = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|「[^」]*」"
                                  r"|『[^』]*』")


_NEGATED_PRESENT: Final = re.compile(r"안\s?([가-힣]+)다(?=[\s.!~]|$)")
# -이 adverbs ("같이", "많이", "없이") are no subject.
# "-다가" is a connective ("돌려막기 하다가 칠천까지 불었어"), no subject.
_SUBJECT: Final = re.compile(r"(?<![내제])(?![가-힣]{0,2}(?:같|많|없|깊|굳|높)이\s)(?![가-힣]{0,3}다가\s)[가-힣]{1,4}(?:이|가|께서)\s")


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
_ADDRESSED: Final = re.compile(r"(?:^|[\s,.!?~])(?:너|니|네가|니가|당신|자기|여보)(?=[\s,.!?~가는도를한]|이(?!랑)|$)|잖|지\s?마|\?"
                               r"|(?:^|[\s,])왜\s"  # "… 자동이체는 왜 끊었어": asking why the other did it
                               r"|(?:^|[\s,])(?:나|저|내|우리)\s?몰래")  # "또 나 몰래 대출 받았지": behind the speaker's back


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
    if (teller or _SELF_SUBJECT.search(text) is not None) and (_SUFFERED.search(text) or _INJURED.search(text)):
        return True
    # "3월 12일 부엌에서 프라이팬으로. 팔에 화상까지 입었고": an injury told with nobody named, the teller's own
    return _INJURED.search(text) is not None and _SUBJECT.search(text) is None and _YOU_SUBJECT.search(text) is None \
        and _HEARSAY.search(text) is None


# An injury at a hit's start, any tense ("멍이 든", "상처가 난", "화상을 입은"): see `_INJURED` for the told past.
_INJURY_SPAN: Final = re.compile(r"(?:화상|상처|멍|피멍|부상|골절|찰과상|타박상)\S{0,2}\s?(?:까지\s?|도\s?)?(?:들|든|입|생|났|난)")


def _injured_told(h: Hit, text: str, p: str, named: NamedSubjects | None) -> Actor | None:
    """A third person telling of a spouse's injury ("의뢰인이 팔에 멍이 든 것을 보았고"): the spouse named is the one
    hurt, not the doer. The doer is the one named with 에게/한테 in the line ("… 남편에게 맞았다고"), else unknown."""
    if p in SPOUSES or named is None or h.ground not in _DONE_TO_SOMEONE or h.end <= h.start \
            or h.rule.startswith("model:") or h.rule == LAWYER or h.agent != "unknown":
        return None
    if _INJURY_SPAN.match(text, h.start) is None or named.find(text, h.start) not in SPOUSES:
        return None
    for m in _DOER.finditer(text, h.end):
        if (party := named.party_of(m.group(1))) in SPOUSES:
            return Actor(party, own=False)
    return Actor(Party.UNKNOWN, own=False)


# A spouse's relative as the subject, by the spouse they belong to: "당신 엄마가 …" (the one spoken to), "아내의 오빠는 …"
# (a spouse word or a party's name in the genitive). Kin words: parents, siblings and their honorifics.
_KIN: Final = r"(?:엄마|어머니|어머님|아빠|아버지|아버님|부모님|부모|누나|누님|언니|오빠|형님|형|남동생|여동생|동생)"
_YOUR_KIN: Final = re.compile(rf"(?:^|[\s,.!?~])(?:당신|니|너|너네|니네|네|자기)\s?(?:네\s?|집\s?)?{_KIN}\s?(?:이|가|께서|은|는|도)(?=\s)")
# "아내의 오빠는", "원고의 부친(시아버지)이", "상대방의 모친이": a spouse's relative, a paper's word for them too.
_SPOUSES_KIN: Final = re.compile(rf"([가-힣]+?)(?:\s?씨|님)?의\s?(?:{_KIN}|부친|모친)\s?(?:\([가-힣]{{1,6}}\)\s?)?"
                                 r"(?:이|가|께서|은|는|도)(?=\s)")
# "어머님이 먼저 … 취급하셨어", "아버님께서 …": a spouse speaking of 어머님/아버님 with no "우리/제/내" before means the
# other spouse's parent (one's own is 엄마/어머니); "우리 어머님" is left to the other readings.
_INLAW_HONORIFIC: Final = re.compile(r"(?:^|[\s,.!?~])(?<!우리 )(?<!저희 )(?<!제 )(?<!내 )(?<!울 )(어머님|아버님)\s?"
                                     r"(?:이|가|께서|은|는|도)(?=\s)")


_AT_ME: Final = re.compile(r"(?:^|[\s,])(?:저를|나를|날|나한테|저한테|제게|내게|저에게|나에게)(?=\s)")


def in_law_provoked(text: str) -> bool:
    """A spouse's line telling the other's parent did something to the speaker (어머님/아버님 as subject, the speaker
    its object after it: "근데 아버님이 먼저 나한테 재떨이 던졌어", "어머님이 … 저를 창녀 취급하셔서요"): the quarrel
    the line tells was with the in-law."""
    m = _INLAW_HONORIFIC.search(text)
    return m is not None and _AT_ME.search(text, m.end()) is not None


def _inlaw_heading_sentence(text: str) -> re.Match[str] | None:
    """어머님/아버님 as the subject that heads the last sentence (at most one word before it, "어제 어머님이 …"): a
    witness or a peacemaker in another sentence ("어머님도 다 보셨어", "어머님이 말리셨잖아. 나 이마 꿰맸어") is not
    the doer."""
    m = _INLAW_HONORIFIC.search(text)
    if m is None or _SENTENCE_BREAK.search(text, m.end()):
        return None
    lead = _SENTENCE_BREAK.split(text[:m.start()])[-1].split()
    return m if len(lead) <= 1 else None


_SENTENCE_BREAK: Final = re.compile(r"[.!?]+\s+(?=\S)")


def _kin_subject(h: Hit, text: str, p: str, named: NamedSubjects | None) -> Actor | None:
    """A spouse's parent or sibling named as the subject before the act: a third person on that spouse's side."""
    if p not in SPOUSES or h.agent not in ("unknown", "spouse"):
        return None
    before = text[:h.start] if h.end > h.start and not h.rule.startswith("model:") else text
    m = _YOUR_KIN.search(before) or _SPOUSES_KIN.search(before) or _inlaw_heading_sentence(before)
    rest = before[m.end():] if m else ""
    if m is None or _YOU_SUBJECT.search(rest) or FIRST_PERSON.search(rest) or (named and named.find(rest)):
        return None  # "당신 엄마가 보는 앞에서 당신이 나를 때렸잖아": the spouse named after the relative did it
    if m.re is _YOUR_KIN or m.re is _INLAW_HONORIFIC:
        return Actor(Party.THIRD_PARTY, side=other(p), own=False)
    word = m.group(1)
    side = other(p) if word in SPOUSE else named.party_of(word) if named is not None else None
    return Actor(Party.THIRD_PARTY, side=side, own=False) if side in SPOUSES else None


def _genitive_doer(h: Hit, text: str, p: str, named: NamedSubjects | None) -> Actor | None:
    """The doer a parsed act names in the genitive ("남편의 폭언", "시어머니의 폭행", "피고의 협박", "상대방의 생사"),
    else None; never the owner of the act's object ("상대방의 휴대폰을 던져")."""
    if h.ground not in _GENITIVE_GROUNDS or h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return None
    if _OBJECT_IN_SPAN.search(text[h.start:h.end]):
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
_REFUSES: Final = re.compile(r"(?:안|못)\s?(?:줘|준다|줄\s?거|줄게|주겠|보내(?![고면서니])|보낸다|보낼\s?거)|들어올\s?생각\s?(?:마|하지\s?마)|"
                             r"(?:집에|집에는)\s?(?:들어오지|오지)\s?마|생활비\S{0,2}(?:\s?한\s?푼도)?\s?(?:기대\s?하지|없어|없다|끊는다|끊을)|"
                             r"짐\S{0,2}\s?(?:다\s?)?(?:밖에\s?)?(?:내놔|내놓|빼|버린)")
# Between the spouses, about the home (840-2): the speaker barring the other from it ("비밀번호 바꿨으니까 오지 마",
# "이제 니 집 아니야") or refusing to go back to it ("안 들어가", "안 돌아가": going, not coming, is the speaker's).
_BARS_OR_LEAVES: Final = re.compile(r"(?:오|들어오|들이)지\s?(?:마|말)|(?:니|네|너)\s?집\s?(?:아니|아냐)"
                                    r"|(?:^|[\s,])안\s?(?:들어|돌아)?가(?:요)?(?=[\s.!~,]|$)"
                                    # "당신이 키워 나 찾지 마": the speaker gone, not to be looked for
                                    r"|(?:^|[\s,])(?:나|저)\s?찾지\s?(?:마|말)"
                                    # "연락하지 마. 번호 차단한다": the speaker cutting the other off
                                    r"|(?:^|[\s,.])연락\s?(?:도\s?)?하지\s?(?:마|말)|차단\s?(?:한다|할\s?거|할게|했어|했다)"
                                    # "이 집에서 당장 나가", "나가라고 했지": the speaker putting the other out
                                    r"|(?:^|[\s,.])(?:당장\s?|지금\s?|얼른\s?|빨리\s?)?나가(?:(?:라|라고|라니까|버려)(?=[\s.!~,]|$)|(?=[.!~,]|\s*$))")
_FROM_NOW: Final = re.compile(r"이제|앞으로|지금부터|오늘부터|내일부터|[이다]음?\s?달부터|이번\s?달부터")


_REMINDED: Final = re.compile(r"잖|(?:^|[\s,])(?:당신이|니가|네가|너가|자기가)\s")


def _bars_or_leaves(h: Hit, text: str) -> bool:
    """A 840-2 act the speaker does to the home: shutting the other out or not going back (not a question, nor a
    reminder of what the other said: "당신이 나가라고 했잖아")."""
    return h.ground == "840-2" and "?" not in text and "왜" not in text and _BARS_OR_LEAVES.search(text) is not None \
        and not (_REMINDED.search(text) and "나가" in text)


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


# The speaker noting the other's admission ("때린 거 인정하네") or demanding an apology ("쌍욕 한 거 사과해"): the act
# is the other's.
_OTHERS_ADMISSION: Final = re.compile(r"사과\s?(?:해|하라|해라|하세요|해요|하시죠)(?=[\s.!~,]|$)|인정\s?(?:하네|하는구나|하는\s?거|했네|했구나|하냐|하지|해\?|했지|하시네|하셨네|했잖아|"
                                      r"한\s?거|한\s?거지|한다는)")
# An act named as a thing done ("식칼 들이댄 거 경찰에 말할 거다"): a future later in the line is not the act's.
_NOMINALISED: Final = re.compile(r"^[가-힣]?\s?(?:거|것|건|걸|게)\s")
# Words reported as someone else's: "…가만두지 않겠다고 하였습니다", "…죽여버린다는 문자를 보냈다".
_REPORTED_AFTER: Final = re.compile(r"^[^.!?\n]{0,12}?(?:다|라|냐|자)(?:고|는)\s*(?:하|했|말|그러|그랬|협박|소리|위협|문자|카톡|"
                                    r"메시지|연락|전화|얘기|이야기)"
                                    # "…죽여버린다 한 거 기억나지": the words as a thing said (-고 left out)
                                    r"|^[^.!?\n]{0,12}?(?:다|라|냐|자)\s(?:한|했던|하던)\s?(?:거|것|게|말)(?=[\s,.!?~]|$)")


# The teller's own body (or the teller) as the object right before the act: "… 제 뺨을 때렸습니다", "저를 밀쳤다".
_VICTIM_OBJECT: Final = re.compile(r"(?:^|[\s,])(?:나를|날|저를|(?:내|제)\s?(?:얼굴|뺨|머리|팔|목|배|몸|손목|다리|등|머리채|멱살)"
                                   r"[을를에]?)\s")
# A syllable ending in ㄹ ("올", "갈", "할"): with 때 after it, a time clause ("제가 친정에 다녀올 때마다 …").
_RIEUL_FINAL: Final = "".join(chr(0xAC00 + i * 28 + 8) for i in range(399))
_TIME_CLAUSE: Final = re.compile(rf"[{_RIEUL_FINAL}]\s?때(?:마다|면|에|는)?\s")
# "저는 너무 화가 나서 남편의 뺨을 때렸습니다": the writer as the topic or subject before the act, no clause of
# someone else's in between ("제가 따지자 …", "제가 묻는데 …").
_CLAUSE_AFTER_SELF: Final = re.compile(r"(?:자|니까|더니|는데|면서|는데도|다가|[아어와워해여]도|면)\s")
_ADMITS_WORD: Final = re.compile(r"인정|잘못|미안|죄송|사실은|사실이|사실입니다")


def _unless_subordinate_self(h: Hit, text: str) -> Hit:
    """The labeller's "self" subject when it is a subordinate clause's ("원고는 제가 조금만 늦게 들어와도 … 욕했습니다",
    "제가 따지자 … 때렸습니다"): not the act's; the hit as if no subject were found (and no admission, unless the
    line admits in words)."""
    if h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return h
    if h.agent == "spouse" and h.mode == "utterance":
        return _unless_conditional_you(h, text)
    if h.agent != "self":
        return h
    selves = list(_SELF_SUBJECT.finditer(text[:h.start]))
    if not selves:
        return h
    between = text[selves[-1].end():h.start]
    # A time clause ends a nominative self's reach ("제가 … 다녀올 때마다 … 모욕했습니다"), not a topic's ("저는 … 갈
    # 때마다 … 모욕했습니다": the writer's own act).
    timed = selves[-1].group().strip(" ,.!?") in ("제가", "내가") and _TIME_CLAUSE.search(between) is not None
    if _CLAUSE_AFTER_SELF.search(between) is None and not timed:
        return h
    return replace(h, agent="unknown", admission=h.admission and _ADMITS_WORD.search(text) is not None)


def _self_only_subordinate(text: str) -> bool:
    """A paper line whose writer is the subject of a subordinate clause only ("제가 전화하면 받지 않고 … 했습니다",
    "제가 따지자 … 던졌습니다"): the main clause's subject is someone else (the learned model's read of the line is not
    the writer's act). False when the writer is a subject again after the clause."""
    selves = list(_SELF_SUBJECT.finditer(text))
    if not selves:
        return False
    first = selves[0]
    clause = _CLAUSE_AFTER_SELF.search(text, first.end())
    sentence_end = re.search(r"[.!?]", text[first.end():])
    if clause is None or (sentence_end is not None and first.end() + sentence_end.start() < clause.start()):
        return False
    return all(m.start() < clause.start() for m in selves) and FIRST_PERSON.search(text, clause.end()) is None


_IF_CLAUSE: Final = re.compile(r"(?:으면|면|거든)\s")


def _unless_conditional_you(h: Hit, text: str) -> Hit:
    """The one spoken to as the subject of a condition before a spoken act ("니가 나 신고하면 니네 집 찾아가서 다
    죽일 거야"): the condition's, not the threat's; the hit as if no subject were found."""
    yous = list(_YOU_SUBJECT.finditer(text[:h.start]))
    if not yous or _IF_CLAUSE.search(text[yous[-1].end():h.start]) is None:
        return h
    return replace(h, agent="unknown")


# "손자국 사진 다 찍어놨어", "멍든 거 녹음했어": the speaker keeping proof of what was done to them, not telling of
# their own act.
_KEPT_EVIDENCE: Final = re.compile(r"(?:사진|녹음|캡처|캡쳐|동영상|영상|진단서)\S{0,2}\s?(?:다\s?)?(?:찍어|찍었|해\s?놨|했|떼|받아)")
# A bare first-person subject opening the message ("나 당신한테 … 한 건 미안해").
_BARE_I: Final = re.compile(r"^(?:(?:그래|응|어|맞아)[,\s]+)?(?:나|저)\s")


# A 녹취록 line's voice label ("화자 1: ", "마준혁: "): the sentence after it is the voice's.
_LINE_LABEL: Final = re.compile(r"^\s*[가-힣A-Za-z][가-힣A-Za-z0-9 ]{0,10}?\s*[:：]\s*")


def _self_in_sentence(h: Hit, text: str) -> bool:
    """A parsed act after a first-person subject in its own sentence ("솔직히 말하면 나도 작년에 … 만났었어")."""
    if h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return False
    sentence = re.split(r"[.!?]", text[:h.start])[-1]
    return _SELF_SUBJECT.search(sentence) is not None or _bare_i_sentence(h, text)


def _bare_i_sentence(h: Hit, text: str) -> bool:
    """A parsed act in a sentence a bare "나"/"저" opens, nobody else a subject before the act ("그래 여자야. 나 그 사람
    만났어", "화자 1: 그래 나 그 여자랑 잤어" after the voice's label): the speaker's own."""
    if h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return False
    sentence = re.split(r"[.!?]", _LINE_LABEL.sub("", text[:h.start], count=1))[-1].lstrip()
    m = _BARE_I.match(sentence)
    rest = " " + sentence[m.end():] if m else ""
    return m is not None and _SUBJECT.search(rest) is None and _YOU_SUBJECT.search(rest) is None \
        and not _teller_hurt(h, text)


def _bare_i_affair(h: Hit, text: str) -> bool:
    """840-1 in a later sentence of a line a bare "나" opens ("나 이제 그 집 안 들어가. 딴 여자 생겼으니까 찾지 마"),
    nobody else a subject and nothing asked, reproached or heard of: the speaker's own affair."""
    line = _LINE_LABEL.sub("", text, count=1)
    m = _BARE_I.match(line)
    rest = " " + line[m.end():] if m else ""
    return h.ground == "840-1" and m is not None and _SUBJECT.search(rest) is None and _YOU_SUBJECT.search(rest) is None \
        and "?" not in text and "잖" not in text and _HEARSAY.search(text) is None and "더라" not in text \
        and _SAW_PROOF.search(text) is None


# The teller's own wound ("나 이마 꿰맸어", "나 어제 … 맞은 데 멍 든 거 봐"): an act done to the one saying "나".
_WOUND: Final = re.compile(r"꿰맸|꿰맨|꿰매|다쳤|다친|찢어졌|찢어진|부었|부은|피\s?(?:났|나|가\s?났)|멍")


def _first_person_doer(h: Hit, text: str) -> bool:
    """A first-person subject in the line (`FIRST_PERSON`); a bare "나" only when the line tells of no hurt of the
    teller's (`_teller_hurt`: "나 이마 꿰맸어")."""
    found = [m.group().strip(" ,.!?") for m in FIRST_PERSON.finditer(text)]
    return any(not w.endswith("나") or w.endswith(("나도", "나는")) for w in found) or (
        bool(found) and not _teller_hurt(h, text))


def _teller_hurt(h: Hit, text: str) -> bool:
    """An act of 840-3/840-4 in a line telling of the teller's own hurt (`_SPEAKER_HURT`, `_SUFFERED`, `_INJURED`,
    `_WOUND`): a bare "나" in it is the one hurt, not the doer."""
    return h.ground in _DONE_TO_SOMEONE and any(
        rx.search(text) for rx in (_SPEAKER_HURT, _SUFFERED, _INJURED, _WOUND))


def _writer_did(h: Hit, text: str) -> bool:
    """In a paper, a parsed act after the writer named as its subject ("저는 … 때렸습니다", "제가 … 던졌습니다")."""
    m = _SELF_SUBJECT.search(text[:h.start])
    return m is not None and _CLAUSE_AFTER_SELF.search(text[m.end():h.start]) is None


# A paper admitting an act it names as a thing done ("… 간 것은 사실이고 이 점은 잘못이었습니다", "… 한 점은 인정합니다").
_PAPER_ADMISSION: Final = re.compile(r"[가-힣]\s?(?:것은|것도|건|점은|점도)\s?(?:사실|인정|잘못)|(?:이|그)\s?점(?:은|도)?\s?(?:잘못|죄송|인정)")
# Someone other than the writer as a subject: a spouse word, an in-law, 원고/피고/상대방 (a party's name is found by
# `NamedSubjects` before this is read).
_OTHER_SUBJECT: Final = re.compile(r"(?:남편|아내|와이프|신랑|마누라|배우자|원고|피고|상대방|시어머니|시아버지|장모|장인|그\s?사람|그\s?여자|그\s?남자)"
                                   r"(?:님|분)?(?:이|가|은|는|께서)(?=\s)")
# The one spoken to's belongings put out of the home ("니 옷가지랑 짐 전부 관리사무소에 갖다놨다", "니 짐 다 밖에 내놔불랑께").
_YOUR_THINGS_OUT: Final = re.compile(r"(?:^|[\s,.!?~])(?:니|네|너|당신|자기)\s?(?:[가-힣]{1,4}(?:랑|이랑|하고|과|와)\s?)?"
                                     r"(?:짐|옷가지|옷|물건|살림)[^.?!]{0,20}?(?:내놔|내놓|내다\s?놓|내다\s?놨|갖다\s?놨|갖다\s?놓"
                                     r"|버렸|버린|버릴|치웠|싸\s?놨|싸\s?놓)")


def _evicts(h: Hit, text: str) -> bool:
    """Between the spouses, a 840-2 line putting the other's belongings out (in a sentence that asks nothing)."""
    return h.ground == "840-2" and "왜" not in text and _YOUR_THINGS_OUT.search(text) is not None


# The one spoken to's parent ("니 엄마", "너희 아빠", "당신 어머니") or an old person named with contempt ("그 늙은이").
# Only as the one spoken of or to ("니 엄마한테", "니 아빠 같은", "그 늙은이", "… 노인네야"), never as a bare subject that
# may have done something itself ("니 엄마 오늘 와서 난리 쳤어").
_OLD_SCORN: Final = r"(?:늙은이|노인네|노친네|할망구|영감탱이)"
_YOUR_PARENT: Final = re.compile(r"(?:^|[\s,.!?~])(?:(?:니|너|너희|너네|니네|당신|자기)\s?(?:네\s?|집\s?)?"
                                 r"(?:엄마|어머니|어머님|아빠|아버지|아버님|부모님|부모)\s?(?:같은|한테|에게|보고|더러|를|을)"
                                 rf"|그\s?(?:{_OLD_SCORN}|영감)|{_OLD_SCORN}(?:야|다|잖아)?(?=[\s.!~]|$)"
                                 # "니 애미가 …": the one spoken to's parent scorned, in any position
                                 r"|(?:니|너|네|너네|니네)\s?(?:애미|애비|에미|에비))")
_MY_PARENT: Final = re.compile(r"(?:우리|저희|제|내|울)\s?(?:엄마|어머니|어머님|아버지|아버님|아빠|부모)")


def _at_your_parent(h: Hit, text: str) -> bool:
    """Between the spouses, the learned model's 840-4 read of a line about the other's parent that names no doer,
    asks and reports nothing ("그 늙은이 다시는 우리 집에 오지 말라 그래"): the speaker's own words about them."""
    return (h.ground == "840-4" and h.rule.startswith("model:") and "?" not in text and _YOUR_PARENT.search(text) is not None
            and _MY_PARENT.search(text) is None and _YOU_SUBJECT.search(text) is None
            and _REPORTED_SPEECH.search(text) is None and _QUOTATIVE_END.search(text) is None)


_ELDER_SCORNED: Final = re.compile(rf"{_OLD_SCORN}|곱게\s?(?:좀\s?)?늙|[가-힣]+님이야말로\s")


def elder_scorned(h: Hit, text: str) -> bool:
    """The learned model's 840-4 read of a line scorning an elder to their face ("장모님이야말로 사기꾼이죠. 노인네가 곱게
    좀 늙으세요"): not asked, reproached, reported or hearsay."""
    return h.ground == "840-4" and h.rule.startswith("model:") and h.agent == "unknown" and "?" not in text \
        and "잖" not in text and _ELDER_SCORNED.search(text) is not None and _REPORTED_SPEECH.search(text) is None \
        and _HEARSAY.search(text) is None and _QUOTATIVE_END.search(text) is None and _SAID.search(text) is None


_AFFIRM_HEAD: Final = re.compile(r"^(?:그래|응|어|맞아)[,.\s]")


def _affair_affirmed(h: Hit, text: str) -> bool:
    """Between the spouses, the learned model's 840-1 read of a line opening with yes ("그래 사랑해. 너보다 백 배는 더")
    that names nobody, asks and reproaches nothing and tells of no seeing ("그래 봤어 …"): the speaker's own affair."""
    return h.ground == "840-1" and h.agent == "unknown" and _AFFIRM_HEAD.match(text) is not None \
        and _SAW_HEAD.match(text) is None and "?" not in text and "잖" not in text \
        and _YOU_SUBJECT.search(text) is None and _SUBJECT.search(text) is None


def _own_act(h: Hit, text: str, *, spouses_chat: bool = False, paper: bool = False) -> bool:
    """Whether the message tells of its speaker's own act (rather than accusing or reporting someone else's).
    `spouses_chat`: the message is one spouse's to the other (see `_told_of_self`); `paper`: a line of a document
    (see `_writer_did`). An announcement reported as someone's words ("가만두지 않겠다고 하였습니다") is theirs, not
    the writer's; an act done to the teller's own body ("제가 따지자 … 제 뺨을 때렸습니다") is not the teller's."""
    unparsed = h.rule.startswith("model:") or h.rule == LAWYER or h.end <= h.start  # no morpheme rule read it
    if spouses_chat and not unparsed and (head := _ADMIT_HEAD.match(text)) and h.end <= head.end():
        return True  # "그래 밀쳤어 당신이 …": the act the speaker owns at the line's head
    if spouses_chat and unparsed and ((h.ground == "840-2" and h.agent == "unknown" and _UNPAID_ADMITTED.match(text))
                                      or _affair_affirmed(h, text)):
        return True  # "응 안 줬어. 당신이 …", "그래 사랑해 …": the speaker owns it at the line's head
    if not unparsed and h.ground in _DONE_TO_SOMEONE and _VICTIM_OBJECT.search(text[max(0, h.start - 12):h.end]):
        return False
    reported = h.end > h.start and (_REPORTED_AFTER.match(text[h.end:]) is not None
                                    or _NOMINALISED.match(text[h.end:]) is not None)
    admits = h.admission and not (h.agent != "self" and (_OTHERS_ADMISSION.search(text) or "?" in text))
    if admits or h.agent == "self" or (h.intent and not reported):
        return True
    if paper and not unparsed and h.agent == "unknown" and _writer_did(h, text):
        return True
    if unparsed and ((_first_person_doer(h, text) and not (paper and _self_only_subordinate(text)))
                     or _announced(text) or _declared(text)):
        return True
    if _warns(h, text):
        return True
    if h.agent == "unknown" and h.tag in _INSULT_TAGS and _VOCATIVE_INSULT.match(text):
        return True
    if spouses_chat and h.agent == "unknown" and h.tag in _INSULT_TAGS and _INSULT_AT_END.search(text) \
            and "?" not in text and not _REPORTED_SPEECH.search(text) and not _REPROACHED_WORDS.search(text) \
            and not _QUOTED_WORDS.search(text):
        return True  # "그래 너 잘났다 이 돼지 같은 년아": the speaker's insult, hurled at the line's end
    if spouses_chat and h.agent == "unknown" and h.tag in _INSULT_TAGS and _GET_OUT_END.search(text) \
            and "?" not in text and not _REPORTED_SPEECH.search(text) and not _QUOTED_WORDS.search(text):
        return True  # "니 낯짝 보기도 싫다 나가뿌라": the speaker's words, ordering the other out
    if not unparsed and h.agent == "unknown" and (_SELF_TOO.search(text[:h.start]) or _bare_i_sentence(h, text)
                                                  or _bare_i_affair(h, text)):
        return True
    if paper and unparsed and h.agent == "unknown" and _PAPER_ADMISSION.search(text) and not _OTHER_SUBJECT.search(text):
        return True  # "다만 그 여성과 … 여행을 간 것은 사실이고 이 점은 잘못이었습니다": the writer admits their own
    if spouses_chat and h.agent == "unknown" and not _named_act(h, text) and not _SPEAKER_HURT.search(text) and (
            _declares(text) or _bars_or_leaves(h, text) or _evicts(h, text) or _at_your_parent(h, text)
            or ((unparsed or _noun_rule(h) or h.ground == "840-6") and _told_of_self(text)
                and not _KEPT_EVIDENCE.search(text))):  # "이번 달 코인 또 천 날렸어": a loss told, the teller's own
        return True
    if _RELAYED.search(text):  # "…쫓아낸다고 전해": the speaker's own words, to be passed on
        return True
    if h.end > h.start and _JUSTIFIED.match(text[h.end:]) and not _YOU_SUBJECT.search(text[:h.start]):
        return True  # "뺨 때린 건 당신이 애 던지려고 해서 그런 거야": the speaker's act, explained
    return h.mode == "utterance" and not _named_act(h, text) and not _QUOTATIVE_END.search(text) and not (
        h.end > h.start and _DONE_AFTER.match(text[h.end:])) and not _REPROACHED_WORDS.search(text)


# An order to get out closing the line ("당장 나가", "꺼져", dialect "나가뿌라", "꺼지삐라"): the speaker's own words.
_GET_OUT_END: Final = re.compile(r"(?:^|[\s,.!~])(?:썩\s?)?(?:나가|꺼져|꺼지)(?:라|버려|뿌라|삐라|부러|뿌리라)?[\s.!~]*$")


# A warning: "once more and …" ("한 번만 더 애들 데리고 나가면 …", "다시 한 번 그래 봐라 …"), then the harm the speaker
# threatens in its consequence ("… 다리 부러뜨린다", "… 뺨을 칠 테니까", "… 죽여버린다").
# "또 …하면" ("또 말대꾸하면 그 주둥이에 뺨 날아간다") warns as "한 번만 더" does.
_ONCE_MORE_IF: Final = re.compile(r"(?:^|[\s,.!~])(?:한\s?번만?\s?더|다시\s?한\s?번\s?더?|또\s?다시|또)\s[^.?!]*?"
                                  r"(?:으면|면|거든|봐라|봐)[\s,]+"
                                  # "너 오늘 들어오면 …": the one spoken to, the condition's subject at the line's head
                                  r"|^(?:너|니가|네가|너가|당신|당신이)\s[^.?!]*?(?:으면|면|거든)[\s,]+")
_HARM_THREATENED: Final = re.compile(r"머리채\s?(?:잡|끌)|멱살\s?잡|죽|패\s?(?:버|죽|줄|준)|부러|깨|찔|칠\s?(?:테|거|줄)|때려|때릴|뺨|박살|작살|불\s?(?:지르|질)"
                                     r"|가만\s?(?:안|두지|놔두지)|끝장|묻어")


_DARE_END: Final = re.compile(r"봐(?:라|요)?[\s.!~]*$")


def _warns(h: Hit, text: str) -> bool:
    """A warning spoken by the one threatening ("한 번만 더 친정 가면 진짜 다리 부러뜨린다"): the condition is the other's
    act to come, the harm threatened after it the speaker's act (a rule's hit inside the condition is not: "한 번만 더
    때리면 신고할 거야"). Not asked, reported or quoted."""
    m = _ONCE_MORE_IF.search(text)
    if m is None or "?" in text or _REPORTED_SPEECH.search(text) or _QUOTATIVE_END.search(text) or _HEARSAY.search(text):
        return False
    if _DARE_END.search(text):
        return False  # "때리고 싶으면 때려봐": a dare to the one spoken to, not a harm the speaker threatens
    parsed = h.end > h.start and not h.rule.startswith("model:") and h.rule != LAWYER
    # A blow or insult inside the condition ("한 번만 더 때려봐 팔 부러뜨린다") is no act done yet: the line's act of
    # 840-3 is the harm threatened after it.
    return (not parsed or h.start >= m.end() or h.ground == "840-3") and _HARM_THREATENED.search(text, m.end()) is not None


def _noun_rule(h: Hit) -> bool:
    """A rule's hit on a noun only ("도박/NNG|경마장/NNG"): it names what the line is about, not who did it, like the
    learned model's whole-line read ("또 경마장 가서 오백 날렸다": the told past is the speaker's, see `_told_of_self`)."""
    parts = h.rule.split("|")
    return h.end > h.start and all(re.fullmatch(r"[가-힣]+/NN[GP]", p) for p in parts)


# An act nominalised and then given a reason ("…한 건 당신이 먼저 … 해서", "…때린 건 … 때문이야") or apologised for
# ("컵 던진 건 미안해", "밀친 건 내 잘못이야"): the speaker's own.
_JUSTIFIED: Final = re.compile(r"^[가-힣]?\s?(?:건|것은|거는)\s.*(?:(?:서|니까|길래|때문에)\s?(?:그런|그랬|그렇|그래|어쩔)|때문이)"
                               r"|^[가-힣]?\s?(?:건|것은|거는)\s(?:내\s|제\s)?(?:미안|잘못|죄송)"  # "던진 건 미안해"
                               r"|^[가-힣]?\s?(?:건|것은|거는)\s(?:맞아|맞다|맞습니다|맞지만|사실이야|사실이다)(?=[\s.!~,]|$)")
# A threat's words told as done (past tense right after the act: "칼까지 들었어요", "죽인다고 했었어") are a report.
_DONE_AFTER: Final = re.compile(r"^(?:었|았|였|했)")


# Words put back to the one who said them, as a reproach ("애 앞에서 나한테 죽고 싶냐고 해?", "나보고 꺼지라고
# 했잖아"): the quoted words are the other's, not the speaker's.
_REPROACHED_WORDS: Final = re.compile(r"(?:다|라|냐|자)고\s?(?:해|했어|했냐|했지|하냐|하니|그래|그랬어|그랬지|그랬냐|하는\s?거야"
                                      r"|한\s?거야)\s?\?|(?:다|라|냐|자)고\s?(?:했잖아|그랬잖아|하잖아)"
                                      # "당신 … 나한테 죽여버린다 한 거 기억나지": reminded of as said, to the speaker
                                      r"|(?:나한테|나에게|나보고|저한테|저에게)\s[^.!?]*(?:다|라|냐|자)고?\s(?:한|했던|하던)\s?(?:거|것|게|말)"
                                      # "씨발년 꺼져 이게 홧김이야?": the other's words, their excuse thrown back
                                      r"|(?:이게|그게|이것이|그것이|이런\s?게|그런\s?게)\s?(?:다\s?)?(?:홧김|실수|농담|장난|술김|말실수)"
                                      r"(?:이야|야|이냐|냐|이니|니|이라고|라고)?\s?\?")
# A line ending in a quotative -고 ("니 딸 데리고 가라고 늙은 게 뭘 아냐고"): (someone said) those words.
_QUOTATIVE_END: Final = re.compile(r"(?:다|라|냐|자)고[.!~]*$")
# Words the speaker tells the other to pass on ("…쫓아낸다고 전해", "니 엄마한테 전해라 … 버린다고", "장인어른한테도
# 똑같이 전해라"): the speaker's.
_RELAYED: Final = re.compile(r"(?:다|라|냐|자)고\s?(?:꼭\s?)?(?:전해|일러)|(?:전해|일러)(?:라|줘)?[.!,]?\s.*(?:다|라|냐|자)고[.!~]*$"
                             r"|(?:똑같이|그대로|이대로|고대로|내\s?말\s?(?:그대로\s?)?)\s?(?:꼭\s?|좀\s?)?(?:전해|일러|전달해)")


def actor_of(h: Hit, text: str, speaker_party: str, present: set[str],
             speakers_map: Mapping[str, str] | None = None, speaker: str | None = None,
             named: NamedSubjects | None = None, *, voiced: bool = False) -> Actor:
    """The actor of one hit spoken (or written) by `speaker_party`; `present` are the parties in the evidence;
    `named` finds a party the text names as the subject (the labeller knows kinship words, not the case's names);
    `voiced`: a spouse's turn in a transcript, spoken to the other spouse as in a chat."""
    p = speaker_party
    h = _unless_subordinate_self(_unless_later_self(h, text), text)
    if (early := _speaker_agent(h, speakers_map, speaker) or _threatens_blow(h, text, p, speaker)
            or _leaves_it_to_you(h, text, p, speaker)) is not None:
        return early
    teller = (named is not None and named.find(text, h.start if h.end > h.start else None) == p) or (
        speaker is None and p in SPOUSES and _SUBJECT.search(text) is None)  # a paper of the party, subject left out
    if _suffered(h, text, teller) and (doer := _doer(h, text, p, named)) is not None:
        return doer
    if (injured := _injured_told(h, text, p, named)) is not None:
        return injured
    if (read := _genitive_doer(h, text, p, named) or _self_quoted(h, text, p, named) or _kin_subject(h, text, p, named)
            or _called_doer(h, text, p, present, speaker, named) or _proof_of_affair(h, text, p, present, speaker, named)
            or _lovers_us(h, text, p, present, speaker) or _deceiver(h, text, p, present, speaker)
            or _reported_by_named(h, text, p, present, speaker, named)
            or _order_obtained(h, text, p)) is not None:
        return read
    if h.agent == "unknown" and h.end > h.start and _IN_LAW_NAMED.search(text[:h.start]):
        return Actor(Party.THIRD_PARTY, side=other(p) if p in SPOUSES else None, own=False)
    if named is not None and h.agent == "unknown" and (
            subject := named.find(text, h.start if h.end > h.start and not h.rule.startswith("model:") else None)):
        return Actor(p) if _writer_first(h, text, p, speaker, named) else Actor(subject, own=subject == p)
    if h.agent in FAMILY_AGENTS:  # 시어머니가 / 장모님이 / 시누이가: the speaker's spouse's family
        return Actor(Party.THIRD_PARTY, side=other(p) if p in SPOUSES else None, own=False)
    if (by_name := _spouse_word_named(h, text, p, speaker, named)) is not None:
        return by_name
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
        own = p == Party.OPPONENT or h.agent == "self" or h.admission or _self_in_sentence(h, text) or (
            h.rule.startswith("model:") and _SUBJECT.search(text) is None and _announced(text))  # "그 사람이랑 살 거야"
        return Actor(p) if own else Actor(Party.OPPONENT, own=False)
    if (told := _words_told(h, text, p, present, named) or _quoted_words(h, text, p)) is not None:
        return told
    if speaker is not None and (in_chat := _chat_actor(h, text, p, present)) is not None:
        return in_chat
    spouses_chat = (speaker is not None and set(SPOUSES) <= present) or voiced
    if _own_act(h, text, spouses_chat=spouses_chat, paper=speaker is None):
        return Actor(p if p in PARTY_VALUES else Party.UNKNOWN)
    if p == Party.THIRD_PARTY and speaker is not None:
        return _third_persons_act(h, text, present)
    return Actor(other(p), own=False)


def _quoted_words(h: Hit, text: str, p: str) -> Actor | None:
    """Words inside quotation marks are someone else's, reported: '남편이 "가만 안 둔다"라고 했다' in the client's
    statement is the other spouse's threat, not the writer's; unless the speaker owns them ('나도 … "개새끼"라고 한
    건 인정해'). None when the hit is not quoted."""
    if not quoted(text, h.start, h.end):
        return None
    if (_SELF_SUBJECT.search(text[:h.start]) or _BARE_I.match(text)) and _OWN_ADMISSION.search(text[h.end:]):
        return Actor(p if p in PARTY_VALUES else Party.UNKNOWN)
    return Actor(other(p), own=False)


def _lovers_us(h: Hit, text: str, p: str, present: set[str], speaker: str | None) -> Actor | None:
    """840-1 from a speaker keyed as the lover, speaking of "us" or asking the one spoken to out and naming nobody else
    ("상간남: 우리 그 모텔 ㅎㅎ", "누나 오늘 나올 수 있어?" to the client): the affair of the one spouse in the chat,
    else None."""
    if h.ground != "840-1" or p != Party.THIRD_PARTY or speaker is None:
        return None
    keyed = _LOVER.search(speaker) is not None and (
        _WE.search(text) is not None or (_TRYST.search(text) is not None and not _SPOUSE_WORD.search(text)))
    # Anyone speaking of the two of them to a spouse whose own spouse the line names as away or kept in the dark
    # ("자기 남편 출장 언제야? 그때 우리 둘이 여행 가자", "우리 아기 생긴 거 부인은 알아?"): the lover.
    couple = _COUPLE.search(text) is not None and (_YOUR_SPOUSE.search(text) is not None or _kept_in_dark(text))
    if not (keyed or couple) or _SUBJECT.search(_COUPLE.sub(" ", text)) is not None:
        return None
    spouses = [q for q in SPOUSES if q in present]
    return Actor(spouses[0], own=False) if len(spouses) == 1 else None


def _writer_first(h: Hit, text: str, p: str, speaker: str | None, named: NamedSubjects) -> bool:
    """In a paper, a parsed act after the writer as its subject ("답: 저도 놀라서 남편을 힘껏 밀쳐 냈고 남편은 식탁에
    부딪혔습니다"), no party named as subject before it: the writer's act, whoever the line names after it."""
    return speaker is None and p in SPOUSES and h.end > h.start and not h.rule.startswith("model:") \
        and h.rule != LAWYER and _writer_did(h, text) and named.find(text[:h.start]) is None


def _deceiver(h: Hit, text: str, p: str, present: set[str], speaker: str | None) -> Actor | None:
    """840-1 in a spouse's message to a third person (a friend, the lover) naming their own spouse as the one kept in
    the dark ("응 매주 수요일마다 봐. 와이프는 야근인 줄 알아"): the speaker's own affair; None otherwise, or when the
    speaker is who does not know ("와이프는 내가 모르는 줄 알아")."""
    if h.ground != "840-1" or p not in SPOUSES or speaker is None or Party.THIRD_PARTY not in present \
            or other(p) in present or not _kept_in_dark(text):
        return None
    return Actor(p) if FIRST_PERSON.search(text) is None and _YOU_SUBJECT.search(text) is None else None


def _spouse_word_named(h: Hit, text: str, p: str, speaker: str | None, named: NamedSubjects | None) -> Actor | None:
    """A document line whose spouse word the case's parties own ("신고자: 진태웅(남편) / 요지: 아내가 … 문을 안 열어준다",
    "차민규 진술: 아내가 …"): the labeller reads 아내가 as the writer's spouse, but the line reports someone else's
    words; the party the word names did it. None when it names the writer's spouse anyway, or no single party."""
    if h.agent != "spouse" or speaker is not None or named is None:
        return None
    subject = named.find(text, h.start if h.end > h.start and not h.rule.startswith("model:") else None)
    return Actor(subject, own=subject == p) if subject in SPOUSES and subject != other(p) else None


# The one spoken to as the subject of a done act: "니가 내 얼굴 긁은 거", "너 … 나한테 병신이라 그랬지", "당신이 우리
# 아빠한테 한 말", "너 그 남자랑 주고받은 카톡 내가 다 봤어".
_YOU_SUBJECT: Final = re.compile(r"(?:^|[\s,.!?~])(?:니가|네가|너가|당신이|자기가|너는|넌|당신은|너|당신)\s")
# Not 같은, 그런, 이런, 저런, 무슨, 어떤 (they modify no act), nor "늙은 게" (an insult names a person, not an act).
_NO_ACT_MODIFIERS: Final = frozenset({"같은", "그런", "이런", "저런", "무슨", "어떤"})
_DONE_FORM: Final = re.compile(r"([가-힣]+)\s(?:거|것|걸|건|말|짓)(?=[\s,.!?~]|$)"
                               r"|그랬|그러더|봤|알았|모를\s?줄")


def _accuses_addressee(h: Hit, text: str) -> bool:
    """Between the spouses, a message whose subject is the one spoken to and that names the act as done (a
    nominalised past "…긁은 거", "…한 말", or "그랬지", "내가 다 봤어") accuses them. Not a threat ("너 죽는 거 보고
    싶냐" is the speaker's), and not once the labeller found who did it."""
    if h.agent != "unknown" or (h.admission and not _OTHERS_ADMISSION.search(text)) or h.tag == "협박":
        return False
    parsed = h.end > h.start and not h.rule.startswith("model:") and h.rule != LAWYER
    scope = text[:h.start] if parsed else text
    # "당신 엄마한테", "너 집에": a bare 너/당신 before a relative or the home owns it, it is no subject
    you = next((m for m in _YOU_SUBJECT.finditer(scope) if _YOURS_GENITIVE.match(scope, m.end()) is None), None)
    if you is None:
        return _witnessed(text)
    rest = text[you.end():]
    return any(m.group(1) is None or (m.group(1) not in _NO_ACT_MODIFIERS and (ord(m.group(1)[-1]) - 0xAC00) % 28 == 4)
               for m in _DONE_FORM.finditer(rest))


# What a bare 너/당신 owns rather than does ("당신 엄마한테 …", "너 집 …"): a relative or the home after it.
_YOURS_GENITIVE: Final = re.compile(r"(?:엄마|어머니|어머님|아빠|아버지|아버님|부모|누나|언니|오빠|형|동생|집|가족|식구)")


# A done act the speaker saw or knows of ("내 명의로 카드론까지 몰래 받은 거 다 봤어", "그 여자 만난 거 다 알아").
_WITNESSED_DONE: Final = re.compile(r"([가-힣]+)\s(?:거|것|걸|짓)\s?(?:다\s?|전부\s?)?(?:봤|알아|알고\s?있|들었)")


_SEER: Final = re.compile(r"(?<=[거것걸짓])\s(?:내가|나도|나는|내가\s다)(?=\s(?:다\s?|전부\s?)?(?:봤|알아|알고\s?있|들었))")


def _witnessed(text: str) -> bool:
    """Between the spouses, with nobody named as subject: the speaker telling the other they saw or know of a done
    act tells of the other's act (not when the speaker is the subject: "내가 한 거 다 봤어?")."""
    text = _SEER.sub("", text)  # "… 보낸 거 내가 다 봤어": the speaker is who saw it, not who did it
    if FIRST_PERSON.search(text) or _SUBJECT.search(text):
        return False
    return any(m.group(1) not in _NO_ACT_MODIFIERS and (ord(m.group(1)[-1]) - 0xAC00) % 28 == 4
               for m in _WITNESSED_DONE.finditer(text))


# A blow the one spoken to is told they need or will get ("니 같은 거는 맞아야 정신 차린다", "좀 맞아볼래"): the speaker's
# threat (not asked, not reported: "나 맞아야 돼?", "맞아야 한대").
_BLOW_COMING: Final = re.compile(r"(?:^|[\s,])(?:좀\s?|한\s?대\s?)?(?:처)?맞(?:아야|을래|을\s?줄|고\s?싶|아\s?볼래|아\s?봐야)")


def _speaker_agent(h: Hit, speakers_map: Mapping[str, str] | None, speaker: str | None) -> Actor | None:
    """The party of the speaker a hit names as its doer ("speaker:<name>", the chat context's), else None; a lover's
    words are not the lover's affair but the spouse's."""
    if not h.agent.startswith(SPEAKER_AGENT) or speakers_map is None:
        return None
    name = h.agent[len(SPEAKER_AGENT):]
    party = speakers_map.get(name, Party.UNKNOWN)
    return None if h.ground == "840-1" and party == Party.THIRD_PARTY else Actor(party, own=name == speaker)


def _threatens_blow(h: Hit, text: str, p: str, speaker: str | None) -> Actor | None:
    """"니 같은 거는 맞아야 정신 차린다" from a spouse: the speaker threatens the one spoken to."""
    return Actor(p) if speaker is not None and p in SPOUSES and h.ground == "840-3" and _blow_threatened(text) else None


def _blow_threatened(text: str) -> bool:
    return (_BLOW_COMING.search(text) is not None and "?" not in text and FIRST_PERSON.search(text) is None
            and _REPORTED_SPEECH.search(text) is None and _HEARSAY.search(text) is None)


# The one spoken to as the subject of a reason clause ("니가 내 손가락 깨물어서 뿌리친 거야", "당신이 제 얼굴 긁어서 막은
# 겁니다"): the act the line tells is theirs; the speaker's answer to it follows.
# -아서/-어서 and their contractions ("던져서", "때려서", "밀쳐서", "해서"): a reason clause's end.
_SO: Final = "[어아여해져쳐혀워와봐돼려켜펴겨셔]서"
# The answer is a done act ("뿌리친 거야", "막은 겁니다", "밀었어"), not an order ("니가 알아서 해", "니가 벌어서 써").
_YOU_REASON_CLAUSE: Final = rf"(?:^|[\s,.!?~])(?:니가|네가|너가|당신이|자기가)\s[^.!?]*?(?<!알)(?:{_SO}|니까|길래)\s"
_YOU_REASON: Final = re.compile(_YOU_REASON_CLAUSE + r"[^.!?]*?(?:[가-힣]\s?(?:거|것|겁|건)(?=[\s,.!?~야예이입다잖니]|$)|었|았|였|했)")
_LATER_SELF: Final = re.compile(rf"(?:{_SO}|니까|길래)\s(?:[가-힣]+\s)?(?:나도|저도|내가|제가)\s")


# Leaving the children or the household's money to the one spoken to, dismissively ("애는 니가 알아서 키우든가", "생활비는
# 니가 벌어 쓰든지", "니가 알아서 둘러대"): the speaker refuses their share, so the desertion is the speaker's own.
_LEFT_TO_YOU: Final = re.compile(r"(?:^|[\s,.!~])(?:니가|네가|너가|당신이|자기가|니|너|당신)\s+(?:[가-힣]+\s+)?알아서\s"
                                 r"|(?:^|[\s,.!~])(?:니가|네가|너가|당신이|자기가)\s[^.?!]*?(?:든가|든지|던가|던지)(?=[\s,.!~]|$)")


def _leaves_it_to_you(h: Hit, text: str, p: str, speaker: str | None) -> Actor | None:
    """A spouse's chat message leaving the children or the money to the other (`_LEFT_TO_YOU`), with a desertion
    (840-2) the labeller found without a subject: the speaker's own act, not the one spoken to's. Not a question."""
    if speaker is None or p not in SPOUSES or h.ground != "840-2" or h.agent not in ("unknown", "self") \
            or "?" in text or _REPORTED_SPEECH.search(text) or _HEARSAY.search(text):
        return None
    return Actor(p) if _LEFT_TO_YOU.search(text) else None


def _unless_later_self(h: Hit, text: str) -> Hit:
    """The labeller's "spouse" subject when the act follows the speaker's own subject after the other's reason
    clause ("니가 내 멱살 먼저 잡아서 나도 욕한 거야"): the speaker's act (the hit as if "self" were found)."""
    if h.agent != "spouse" or h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return h
    before = text[:h.start]
    you, me = list(re.finditer(_YOU_REASON_CLAUSE, before)), list(_LATER_SELF.finditer(before))
    if you and me and me[-1].start() >= you[-1].start():
        return replace(h, agent="self")
    return h


# Reminding the one spoken to of what they did ("당신 그날 애들 앞에서 … 잠갔잖아", "내가 … 하면 다 엎고 나가잖아
# 당신"): the addressee as the subject of a "-잖아" sentence, named before it or as an afterthought right after it.
_YOU_WORD: Final = r"(?:니가|네가|너가|당신이|자기가|너는|넌|당신은|너|당신)"  # not "니": "니 집", "니 엄마"
_YOU_BEFORE_JANA: Final = re.compile(rf"(?:^|[\s,.!~]){_YOU_WORD}\s[^.?!]*?잖아(?:요)?(?=[\s,.!~]|$)")
_JANA_YOU_AFTER: Final = re.compile(rf"잖아(?:요)?\s+{_YOU_WORD}[\s,.!~]*$")


def _third_subject(clause: str) -> bool:
    """A subject in `clause` other than the speaker or the one spoken to ("당신 엄마가", "그 여자가")."""
    return any(m.group().strip() not in ("내가", "제가", "니가", "네가", "너가", "자기가", "당신이")
               for m in _SUBJECT.finditer(clause))


def _reminds_addressee(h: Hit, text: str) -> bool:
    """Between the spouses, a hit without a found subject in a line reminding the one spoken to of their act
    (`_YOU_BEFORE_JANA`, `_JANA_YOU_AFTER`): theirs, even after the speaker's own subordinate clause ("내가 … 하면",
    "나 … 했을 때"). Not asked, reported or quoted, and not when the speaker is a subject between the addressee and
    "-잖아" ("당신 그러면 내가 가만 안 둔다 했잖아") or after it ("당신이 먼저 밀었잖아 그래서 나도 …")."""
    if h.agent != "unknown" or "?" in text or _REPORTED_SPEECH.search(text) or _HEARSAY.search(text):
        return False
    if text.count("잖아") != 1 or re.search(r"아니잖아|아녔잖아", text):
        return False  # "니 집 아니잖아": a state, not an act
    after = _JANA_YOU_AFTER.search(text)
    before = _YOU_BEFORE_JANA.search(text)
    if after is not None:
        clause = text[max(text.rfind(c, 0, after.start()) for c in ".!~") + 1:after.start()]
        return FIRST_PERSON.search(text, text.rfind(" ", 0, after.start()) + 1) is None and not _third_subject(clause)
    if before is None or FIRST_PERSON.search(text[before.start():]) is not None or _third_subject(before.group()):
        return False  # "당신 엄마가 … 했잖아": someone else is the subject
    parsed = h.end > h.start and not h.rule.startswith("model:") and h.rule != LAWYER
    return not parsed or before.start() <= h.start < before.end()


def _chat_actor(h: Hit, text: str, p: str, present: set[str]) -> Actor | None:
    """In a chat: the missing spouse (840-5) is the one not in it; between the spouses, the one spoken to accused of
    a done act did it (`_accuses_addressee`); else None."""
    in_chat = [q for q in SPOUSES if q in present]
    if h.ground == "840-5" and len(in_chat) == 1:
        return Actor(other(in_chat[0]), own=False)
    if len(in_chat) == len(SPOUSES) and p in SPOUSES and h.ground == "840-6" and _CLEANED_UP.search(text):
        return Actor(other(p), own=False)  # "사채까지 쓴 거 내가 갚았잖아": the speaker paid for the other's act
    if len(in_chat) == len(SPOUSES) and p in SPOUSES and (_accuses_addressee(h, text) or _reminds_addressee(h, text)):
        return Actor(other(p), own=False)
    if len(in_chat) == len(SPOUSES) and p in SPOUSES and _own_parent_hurt(h, text):
        return Actor(other(p), own=False)  # "우리 엄마 집 앞에서 … 대문 발로 찬 거", "엄마 이마 찢어져서 …": the other's act
    if len(in_chat) == len(SPOUSES) and p in SPOUSES and h.agent == "unknown" and h.rule.startswith("model:") \
            and _YOU_REASON.search(text) and not _LATER_SELF.search(text):
        return Actor(other(p), own=False)  # "니가 … 깨물어서 뿌리친 거야": the act the line tells is the other's
    return None


# The speaker's own parent named as the one an act was done to ("우리 엄마 집 앞에서 …", a message opening with a bare
# "엄마 …"): between the spouses, one's own parent is never one's own 840-4 victim.
_OWN_PARENT_HEAD: Final = re.compile(r"^\s*(?:엄마|아빠|어머니|아버지)\s")


def _own_parent_hurt(h: Hit, text: str) -> bool:
    """Between the spouses, a 840-4 act without a found subject in a line naming the speaker's own parent ("우리 엄마",
    or a bare "엄마" opening it) and no first-person subject or third person as subject ("니네 엄마가 …"): the other
    spouse's act on the speaker's parent (not a question or a report of someone's words)."""
    return h.ground == "840-4" and h.agent == "unknown" and (
        _MY_PARENT.search(text) is not None or _OWN_PARENT_HEAD.match(text) is not None) \
        and FIRST_PERSON.search(text) is None and not _third_subject(text) and "?" not in text \
        and _REPORTED_SPEECH.search(text) is None and _YOUR_PARENT.search(text) is None


_REPORTED_SPEECH: Final = re.compile(r"(?:다|라|냐|자)고\s?(?:도\s?)?(?:하더라|했다|했어|그러더라|그랬다|그랬어|했대|하더라고)|"
                                     r"(?:다|라)더라|(?:다|라|냐|자)고[.!~]*$")  # the last: see _QUOTATIVE_END
_CHILD_IN_LAW_NAMED: Final = re.compile(r"[가-힣]\s?서방\s?(?:이|가|은|는|놈)|(?:사위|며느리)\s?(?:놈|년)?\s?(?:이|가|은|는)\s")
# A child calling the parent spoken to ("아빠 …", "엄마, …") and naming the other parent as the subject ("엄마가 …").
_PARENT_CALLED: Final = re.compile(r"^\s*(엄마|아빠)(?:\s*,\s*|\s+)")
_PARENT_SUBJECT: Final = re.compile(r"(?:^|[\s,])(엄마|아빠)(?:가|는|도)(?=\s)")
_YOU_HEAD: Final = re.compile(r"^\s*(?:자네|너|니|당신)\s")  # the one spoken to, bare, heading the line
_YOU_AS_DOER: Final = re.compile(r"(?:^|[\s,])(?:자네가|자네는|니가|네가|너가|너는|당신이|당신은)(?=\s)")
_SPEECH_TAGS: Final = frozenset({"폭언", "모욕", "협박", "부모에 대한 폭언"})
# An insult hurled at the one spoken to closing the line ("… 이 복 없는 년아"): see `_VOCATIVE_INSULT`.
_INSULT_AT_END: Final = re.compile(r"(?:^|[\s,.!?~])이\s+(?:[가-힣]+\s+){0,2}[가-힣]*[^이\s](?:아|야)[\s,.!?~]*$")
# Hearsay ("손댔다면서?", "싸웠다며"): an act the third person heard of, not their own words.
_HEARSAY: Final = re.compile(r"(?:다|라|냐)\s?며(?:서)?(?=[\s,.!?~]|$)|(?:다|라)면서")


def _called_doer(h: Hit, text: str, p: str, present: set[str], speaker: str | None,
                 named: NamedSubjects | None) -> Actor | None:
    """A third person in a chat calling a spouse by name ("정우 자네 … 바람 피운 거 다 알아"): that spouse did the act
    the line tells of (`_told_of_called`), else None."""
    if p != Party.THIRD_PARTY or speaker is None or named is None:
        return None
    called = named.called(text)
    return Actor(called, own=False) if called in present and _told_of_called(h, text) else None


# Someone other than the one called, named in the line: a spouse or child-in-law word, "그 인간"-like, a 서방.
_SOMEONE_ELSE: Final = re.compile(r"[가-힣]\s?서방|사위|며느리|남편|아내|와이프|신랑|마누라|그\s?(?:인간|놈|년|새끼|여자|남자|사람)")


# What a spouse's family calls the one who married into it, at the head of a line ("제부 우리 동생 …", "형부, …").
_IN_LAW_CALLED: Final = re.compile(r"^\s*(?:제부|형부|매형|매제|매부|자형|올케|새언니|형수님|형수|제수씨|동서)(?:님)?(?:\s*,\s*|\s+)")


def called_in_law(h: Hit, text: str) -> bool:
    """A line of a spouse's relative calling the other spouse by kin word ("제부 우리 동생 머리를 벽에 박았다며"): it tells
    of the one called's act (as `_told_of_called` reads one calling a spouse by name); never their own disappearance
    (840-5: "제수씨 미안해요 우리도 전혀 몰라요" is about the one missing)."""
    return h.ground != "840-5" and _IN_LAW_CALLED.match(text) is not None and _told_of_called(h, text) \
        and not third_threatens(h, text) and not _own_hostility(h, text)


# Scorn a third person hurls at the one called ("제부 같은 쓰레기", "기생충 같은 새끼").
_SCORN: Final = re.compile(r"쓰레기|기생충|버러지|벌레|(?:같은|같은\s?놈의)\s?(?:새끼|놈|년|인간)(?=[\s,.!~]|$)")


def _own_hostility(h: Hit, text: str) -> bool:
    """The learned model's discord read (840-6) of a relative's line that scorns the one called or announces what the
    relative will do ("제부 같은 쓰레기는 … 동네방네 니 빚 소문 다 내 줄게", "… 기생충 같은 새끼"): their own hostility,
    not the called one's act. Not asked or hearsay."""
    return h.ground == "840-6" and h.rule.startswith("model:") and "?" not in text and _HEARSAY.search(text) is None \
        and (_SCORN.search(text) is not None or _announced(text))


# A relative calling a spouse by in-law word tells of their own sibling as the subject ("형부 언니가 … 사채 쓴 거
# 알아요?" from the wife's sister): the sibling is the one the called spouse married.
_SIBLING_SUBJECT: Final = re.compile(r"(?:^|[\s,])(?<!니\s)(?<!네\s)(?<!당신\s)(?<!자기\s)(?:우리\s)?(?:언니|누나|오빠|형)(?:가|이|는|도)(?=\s)")


def sibling_told(h: Hit, text: str) -> bool:
    """A relative's line calling the other spouse by in-law word with the relative's own sibling as its subject (the
    act not done to them): it tells of the sibling's act, i.e. the spouse of the relative's family."""
    called = _IN_LAW_CALLED.match(text)
    return h.ground != "840-5" and h.agent == "unknown" and called is not None \
        and _SIBLING_SUBJECT.search(text, called.end() - 1) is not None \
        and h.rule not in _PASSIVE_RULES and _SUFFERED.search(text) is None and not _own_hostility(h, text)


def _told_of_called(h: Hit, text: str) -> bool:
    """A third person's line calling a spouse by name tells of that spouse's act: an affair, or an act that is not
    the speaker's own insult or threat ("민호 너 … 멍 든 거 니 짓이지"; not "민호 이 나쁜 놈아")."""
    others = [m for m in _SUBJECT.finditer(text) if m.group().strip() not in ("내가", "제가", "니가", "네가", "너가")]
    if h.agent != "unknown" or h.rule in _PASSIVE_RULES or _SUFFERED.search(text) or others:
        return False  # "지은아 걔가 또 때렸어?", "민지야 너 맞았다며": someone else did it to the one called
    if h.tag in _SPEECH_TAGS and _INSULT_AT_END.search(text):
        return False
    if _SOMEONE_ELSE.search(text):
        return False  # "지은아 김서방 바람 피운다며?": the line is about someone else it names
    return h.ground == "840-1" or h.tag not in _SPEECH_TAGS or _named_act(h, text) or _HEARSAY.search(text) is not None \
        or _YOU_AS_DOER.search(text) is not None


# A threat a third person makes in their own words ("밤길 조심해", "두고 봐", "가만 안 둬").
_THREAT_SAID: Final = re.compile(r"밤길\s?조심|두고\s?(?:보자|봐)|각오\s?(?:해|하|해라)(?=[\s.!~]|$)"
                                 r"|가만\s?(?:안\s?둬|안\s?둔다|두지\s?않|놔두지\s?않)")


def third_threatens(h: Hit, text: str) -> bool:
    """A third person's line of 840-3 or 840-6 that threatens in their own words ("제부 니가 … 망쳤어. 밤길 조심해"):
    the act is their threat, not what they reproach the one spoken to with. Not asked, reported or hearsay."""
    return h.ground in ("840-3", "840-6") and _THREAT_SAID.search(text) is not None and "?" not in text \
        and _REPORTED_SPEECH.search(text) is None and _HEARSAY.search(text) is None


def _third_persons_act(h: Hit, text: str, present: set[str]) -> Actor:
    """A third person's message in a chat with one spouse: an insult or threat is their own words ("능력도 없는 게
    어디서 말대꾸야" from the mother-in-law, "… 밤길 조심해"); an act they tell of, unnamed, is the spouse they are
    speaking to ("자네 우리 미란이한테 손댔다면서?")."""
    spouses = [q for q in SPOUSES if q in present]
    if third_threatens(h, text):
        return Actor(Party.THIRD_PARTY)
    if h.tag in _SPEECH_TAGS and _INSULT_AT_END.search(text):  # "니가 … 막았다 이 복 없는 년아": their own insult
        return Actor(Party.THIRD_PARTY)
    if len(spouses) == 1 and (called := _PARENT_CALLED.match(text)) and (
            (doer := _PARENT_SUBJECT.search(text, called.end() - 1)) is not None) and doer.group(1) != called.group(1):
        return Actor(other(spouses[0]), own=False)  # a child to the father: "아빠 어제 엄마가 … 밀었어" — the mother's act
    if _YOU_AS_DOER.search(text) or (_HEARSAY.search(text) and _YOU_HEAD.match(text)):
        # "자네가 때렸다고 하더라", "자네 어제 … 입 다무시라고 했다며": the spouse spoken to
        return Actor(spouses[0], own=False) if len(spouses) == 1 else Actor(Party.UNKNOWN, own=False)
    if _REPORTED_SPEECH.search(text) or _CHILD_IN_LAW_NAMED.search(text):
        return Actor(Party.OPPONENT, own=False)  # the client's mother: "김서방이 … 늙은 게 뭘 안다고 … 하더라"
    if h.tag in _SPEECH_TAGS and not _named_act(h, text):
        return Actor(Party.THIRD_PARTY)
    if h.ground == "840-6" and h.rule.startswith("model:") and "?" not in text and not _HEARSAY.search(text):
        # The model's discord read on the whole line of a third person ("형부 같은 쓰레기는 우리 집안에 필요 없어요",
        # "매형 누나 또 울리면 다리 몽둥이 부러뜨린다"): their own hostility, not a spouse's act they tell of.
        return Actor(Party.THIRD_PARTY)
    return Actor(spouses[0], own=False) if len(spouses) == 1 else Actor(Party.UNKNOWN, own=False)


def voiced_insult(h: Hit, text: str) -> bool:
    """A 녹취록 line's insult the learned model read whole ("화자 1: 니 엄마 같은 년이 너를 낳았으니 이 모양이지"): the
    voice's own words, unless the line names the act, reports someone's words or reproaches the one spoken to with
    theirs ("니가 나한테 미친년이라고 했잖아")."""
    return (h.tag in _INSULT_TAGS and h.rule.startswith("model:") and not _named_act(h, text)
            and "?" not in text and "잖" not in text and _YOU_SUBJECT.search(text) is None
            and _QUOTATIVE_END.search(text) is None and _REPORTED_SPEECH.search(text) is None)


# Where the clause of a quotation begins: a sentence's end or a comma ("제가 따지자, 남편은 "…"라고").
_CLAUSE_START: Final = re.compile(r"[.!?]\s+|,\s*")
_OPENING_MARKS: Final = "\"'\u201c\u2018\u300c\u300e"


def _self_quoted(h: Hit, text: str, p: str, named: NamedSubjects | None) -> Actor | None:
    """The teller's own words, quoted: '저도 참지 못하고 "…"이라고 맞받았습니다' is the writer's act."""
    return Actor(p) if p in SPOUSES and quoted(text, h.start, h.end) and _quoted_by_self(text, h.start, named, p) \
        else None


def _quoted_by_self(text: str, start: int, named: NamedSubjects | None = None, p: str = Party.UNKNOWN) -> bool:
    """Quoted words whose clause has the teller as its subject before the quotation: '남편은 … 욕을 하였고, 저도 참지
    못하고 "너 같은 인간이랑 사는 게 지옥"이라고 맞받았습니다' (the writer's words), not '남편이 "…"라고 했다'."""
    opening = max(text.rfind(m, 0, start) for m in _OPENING_MARKS)
    if opening < 0:
        return False
    clause = text[:opening]
    starts = [m.end() for m in _CLAUSE_START.finditer(clause)]
    clause = " " + (clause[starts[-1]:] if starts else clause)
    me = _SELF_SUBJECT.search(clause) or _SELF_TOO.search(clause)
    # Another party named as subject after the teller's ("저는 남편이 "…"라고 하는 것을 들었다") owns the words.
    return me is not None and (named is None or named.find(clause[me.end():]) in (None, p))


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


# The one spoken to did it first ("근데 당신이 먼저야", "먼저 손댄 건 당신이야"), or the speaker did it back ("그래서 나도
# 친 거야"): a line telling both spouses' acts of one kind.
_YOU_FIRST: Final = re.compile(r"(?:당신|니|너|네|자기)(?:가|이)?\s?먼저(?:야|잖아|였잖아|였어|다|거든|인데)?(?=[.,!?~]|$)"
                               r"|먼저\s[가-힣]+\s?(?:건|게|거는)\s?(?:당신|너|니|네|자기)"
                               # "니가 먼저 내 노트북 던졌잖아", "근데 당신도 우리 엄마 밀쳤잖아": the one spoken to did it too
                               r"|^(?:그거\s|그건\s)?(?:니가|네가|너가|당신이|자기가)\s?먼저\s"  # opening the line: not "… 당신이 먼저 사과해"
                               r"|(?:근데|그런데|하지만|그치만)\s(?:당신|니|너|네|자기)(?:가|이|도|은|는)?\s[^.!?]*잖아")
# "그래 던졌어 니가 …", "응 내가 그랬어 근데 …": the speaker owns an act at the line's head.
_ADMIT_HEAD: Final = re.compile(r"^(?:그래|응|어|맞아)[,\s]+(?:그건\s|그거\s)?(?:내가\s|나도\s)?[가-힣]*"
                                r"[했졌쳤렸었았랬줬웠봤갔왔댔켰췄꿨](?:어|다|지)(?=[\s,.!~]|$)")
# Yes, then not giving or sending, at a line's head ("ㅇㅇ 안 보냈어", "응 못 줬어"): the speaker's own unpaid support.
_UNPAID_ADMITTED: Final = re.compile(r"^(?:ㅇㅇ|응|어|그래|맞아)[,.\s]+(?:이번\s?달\s|지난\s?달\s|한\s?푼도\s)?(?:안|못)\s?"
                                    r"(?:보냈|줬|주었|부쳤|넣었)(?:어|다|지)?(?=[\s,.!~]|$)")
_DID_BACK: Final = r"(?:그래서|그러니까|그니까)\s(?:나도|저도)\s"
_ME_BACK: Final = re.compile(_DID_BACK + "|" + _ADMIT_HEAD.pattern)
_SAW_HEAD: Final = re.compile(r"^(?:그래|응|어|맞아)[,\s]+(?:내가\s|나도\s)?(?:다\s)?봤")  # "그래 봤어 …": seeing, no affair
_YOU_TOO: Final = re.compile(r"(?:^|[\s,.!?~])(?:당신|너|니|네|자기)(?:도|\s?역시)\s")


# Where one clause ends and a coordinate one begins ("…부었고, 저는 …", "…조르며 …", "…할퀴고 남편은 …").
_COORDINATE: Final = re.compile(r"(?:고|며|으며|는데|지만|했고|였고|었고|았고),?\s")


def both_in_paper(text: str, teller: str, named: NamedSubjects) -> set[str]:
    """The spouses a paper's line names as subjects of coordinate clauses ("원고는 … 커피를 부었고, 저는 … 손목을
    비틀어 …", "처 차은영이 … 할퀴고 남편은 처를 밀쳐"): both when each is the subject of its own clause, else
    nothing. `teller` is the writer's party (저는/제가 name them)."""
    found = [*named.subjects(text), *((m.start(), teller) for m in _SELF_SUBJECT.finditer(text) if teller in SPOUSES)]
    found.sort()
    for (i, a), (j, b) in zip(found, found[1:], strict=False):
        if a != b and a in SPOUSES and b in SPOUSES and _COORDINATE.search(text, i, j + 1):
            return {a, b}
    return set()


# A lover named in the other's part ("근데 당신은 그 여자한테 차 사줬잖아"): the act told back is an affair.
_LOVER_TOLD: Final = re.compile(r"그\s?(?:여자|남자|년|놈)|상간|내연|애인|여자\s?친구|남자\s?친구")


def you_first(text: str, ground: str | None = None) -> bool:
    """The line tells the one spoken to did it first or too (`_YOU_FIRST`). Of another ground than 840-1, not when
    their part names a lover: "맞아 내가 긁었어. 근데 당신은 그 여자한테 차 사줬잖아" answers spending with an affair."""
    m = _YOU_FIRST.search(text)
    return m is not None and (ground == "840-1" or ground is None or _LOVER_TOLD.search(text, m.start()) is None)


def me_back(text: str, ground: str | None = None) -> bool:
    """The speaker did it back ("그래서 나도 …") or owns an act at the line's head ("그래 긁었어 당신이 …"). An affair
    (840-1) is never read from the head's admission: "그래 봤어 그 여자랑 모텔 …", "그래 긁었어 당신이 그 여자한테 사준
    가방 값이랑" own another act (looking, spending) and tell of the other's affair."""
    if ground == "840-1":  # the head admits an affair only when the other is told of one too ("근데 당신도 … 바람 폈잖아")
        return re.search(_DID_BACK, text) is not None or (_ADMIT_HEAD.match(text) is not None and not _SAW_HEAD.match(text)
                                                          and _YOU_TOO.search(text) is not None)
    return _ME_BACK.search(text) is not None


# A speaker the evidence keys as a spouse's lover ("상간남", "내연녀"): the affair is the spouse's in the chat with them.
# Only when the lover speaks of "us" ("우리 그 모텔 ㅎㅎ"), naming nobody else ("오빠가 언니랑은 끝났다고 하던데" to the
# wife is the lover telling her of her husband's affair).
_LOVER: Final = re.compile(r"상간[남녀자]|내연[남녀]|불륜")
_WE: Final = re.compile(r"(?:^|[\s,.!?~])우리(?:\s|끼리|가|는|도|만)")
# … or asks the one spoken to out, longs for them ("누나 오늘 애기 재우고 나올 수 있어?", "보고 싶어 내일 올래?").
_TRYST: Final = re.compile(r"나올\s?수|나올래|나와(?:요|줘)?[\s.!?~]|만나자|만날래|볼래|올래|보고\s?싶|자고\s?가|사랑해")
_SPOUSE_WORD: Final = re.compile(r"남편|아내|와이프|신랑|마누라|부인|그\s?(?:사람|여자|남자|인간)")
# "우리 둘이", "우리 아기", "우리 사이": the speaker and the one spoken to as a couple.
_COUPLE: Final = re.compile(r"우리\s?(?:둘이|둘|아기|애기|사이|관계)")
# The one spoken to's own spouse ("자기 남편", "니 와이프", "남편 언제 들어와?"): with "우리 둘이", not the doer.
_YOUR_SPOUSE: Final = re.compile(r"(?:(?:자기|니|너|네|당신|너네|니네)\s?)?(?:남편|아내|와이프|신랑|마누라|부인|집사람)")
# A spouse word as the one kept in the dark ("집사람은 야근인 줄 알아", "부인은 알아?", "남편은 아직 몰라").
_KEPT_IN_DARK: Final = re.compile(r"(?:남편|아내|와이프|신랑|마누라|부인|집사람|애\s?엄마|애\s?아빠)\s?(?:은|는|이|가|도)?\s"
                                  r"(?:[^.?!]{0,20}?\s)?(?:[^.?!\s]*\s?줄\s?(?:알|아)|모르|몰라|몰랐|알아\?|알면|눈치)")




def _kept_in_dark(text: str) -> bool:
    """The line names a spouse as the one who does not know ("집사람은 야근인 줄 알아", "부인은 알아?")."""
    return _KEPT_IN_DARK.search(text) is not None


# The teller saw or secured proof of an affair ("내가 카톡 봤어", "그래 봤어 그 여자랑 모텔 들어가는 사진까지",
# "의뢰인은 … 모텔에 들어가는 영상을 확보함"): the affair is the other spouse's, not the one who found the proof.
_SAW_PROOF: Final = re.compile(r"(?:카톡|문자|메시지|메세지|사진|영상|동영상|블랙박스|통화\s?(?:기록|내역)|영수증|캡처|캡쳐)\S{0,3}\s?"
                               r"(?:내가\s?|나도\s?)?(?:다\s?|전부\s?|까지\s?|도\s?)?(?:확보|봤|보았|발견|입수|찾았)"
                               r"|(?:^|[\s,])(?:다\s)?봤(?:어|다|지|는데)\s[^.?!]*(?:사진|영상|동영상|카톡|문자|블랙박스)")


def _proof_of_affair(h: Hit, text: str, p: str, present: set[str], speaker: str | None,
                     named: NamedSubjects | None) -> Actor | None:
    """840-1 in a line telling that its teller (or the party a paper names as subject) saw or secured proof of the
    affair: the other spouse's affair. Between the spouses in a chat, or in a paper; not in a sentence that asks
    or reproaches ("니가 내 카톡 봤잖아")."""
    if h.ground != "840-1" or p not in SPOUSES or (speaker is not None and not set(SPOUSES) <= present):
        return None
    m = _SAW_PROOF.search(text)
    if m is None:
        return None
    starts = [0, *(x.end() for x in _SENTENCE_END.finditer(text) if x.end() <= m.start())]
    sentence = text[starts[-1]:m.end()] + re.split(r"(?<=[.!?])", text[m.end():], maxsplit=1)[0]
    if "?" in sentence or "잖" in sentence or _YOU_SUBJECT.search(sentence):
        return None
    # A paper's finder is its topic ("의뢰인은 … 영상을 확보함"); "남편이 그 여성과 … 다녀온 사진을 확보했다고 함" names
    # the one in the photo, and the writer found it.
    finder = named.topic(sentence) if speaker is None and named is not None else None
    finder = finder if finder in SPOUSES else p
    return Actor(other(finder), own=other(finder) == p)


# Words reported with whom they were said to: "(어머님이) 나한테 … 년이라 해서", "그 늙은이한테 꺼지라고 했어".
_SAID: Final = re.compile(r"(?:다|라|냐|자)\s?(?:고\s?)?(?:했|하더|그랬|그러더|해서|하길래|하면서|하며|한\s?(?:거|것|건|게))")
_SAID_TO: Final = re.compile(r"(?:^|[\s,])([가-힣]+?)(?:한테|에게|보고|더러|께)(?=\s)|(?:^|[\s,])(제게|내게)(?=\s)")
_TO_ME: Final = frozenset({"나", "저", "날", "제게", "내게"})
# The spouse's parent or in-law as the subject ("어머님이", "시어머니가", "장모님께서"): the other spouse's family.
_IN_LAW_SUBJECT: Final = re.compile(rf"(?:^|[\s,.!?])(?:시어머님|시아버님|어머님|아버님|{_IN_LAW_ALTERNATION})\s?(?:님)?(?:이|가|께서|은|는)(?=\s)")


def _words_told(h: Hit, text: str, p: str, present: set[str], named: NamedSubjects | None) -> Actor | None:
    """A spouse's line reporting words with the one they were said to: said to the speaker ("나한테 … 년이라고
    했어"), they are someone else's — the in-law or party named as subject, else the other spouse in a chat between
    the spouses, else unknown; said to someone else with nobody named as subject ("그 늙은이한테 꺼지라고 했어"), the
    speaker's own. None when the line asks, reproaches or passes on hearsay, or reports no words."""
    if h.tag not in _SPEECH_TAGS or p not in SPOUSES or "?" in text or "잖" in text or _HEARSAY.search(text):
        return None
    parsed = h.end > h.start and not h.rule.startswith("model:") and h.rule != LAWYER
    said = [m for m in _SAID.finditer(text) if not parsed or m.start() >= h.start]
    if not said:
        return None
    to = [m for m in _SAID_TO.finditer(text, 0, said[-1].start())]
    if not to:
        return None
    head = text[:to[-1].end()]
    if (to[-1].group(1) or to[-1].group(2)) in _TO_ME:
        if _IN_LAW_SUBJECT.search(head):
            return Actor(Party.THIRD_PARTY, side=other(p), own=False)
        if named is not None and (subject := named.find(head)) in SPOUSES and subject != p:
            return Actor(subject, own=False)
        if _SUBJECT.search(head) or other(p) not in present:  # "엄마가 나보고 …": someone no party word names
            return Actor(Party.UNKNOWN, own=False)
        return Actor(other(p), own=False)
    if not said[-1].group(0).endswith(("했", "그랬")) or re.search(r"(?:우리|저희|내|제|울)\s?$", text[:to[-1].start(1) or 0]):
        return None  # "우리 아빠한테 … 영감탱이라고 한 거 …": the words said to the speaker's own parent, not theirs
    before = text[:said[-1].start()]
    if _SUBJECT.search(before) or _YOU_SUBJECT.search(before) or _IN_LAW_SUBJECT.search(before) \
            or (named is not None and named.find(before)):
        return None
    return Actor(p)


# Marks an act left ("얼굴에 손자국이 그대로던데", "멍이 시퍼렇더라"): told by a relative, the marks are on their own kin.
_MARKS: Final = re.compile(r"(?:손자국|손바닥\s?자국|피멍|멍|상처|흉터|긁힌\s?자국|할퀸\s?자국)(?:이|가|은|는|도|까지|을|를)?(?=[\s,.!?~]|$)")


def marks_told(h: Hit, text: str) -> bool:
    """A line telling of the marks an act of abuse left (840-3), not asked: "오해는 무슨 얼굴에 손자국이 그대로던데"."""
    return h.ground == "840-3" and "?" not in text and _MARKS.search(text) is not None


# A question asking what, when, where, how much of an act ("얼마나 잃었는데", "내가 언제 때렸는데"); not "왜" (a reproach)
# and not "누가" (the doer is what is asked).
# "뺨은 무슨 …", "뭐 어때", "얼마 전에" are no such question; it ends asking ("?", -는데, -냐, -니).
# "뭐 샀어?" asks what too ("뭐 어때?", "뭐 어쩌라고" are retorts).
_WH_QUESTION: Final = re.compile(r"(?:^|\s)(?:얼마나|언제|어디서?|누구(?:랑|한테|와|하고)?|뭘|몇|어떻게|뭐(?!\s?(?:어때|어쩌|어떡)))(?=\s|$)")
_ASKING_END: Final = re.compile(r"(?:\?|[는은ㄴ]데|냐|니)[\s?!.~]*$")
_ELLIPTIC_CHARS: Final = 40


def asked_doer(question: str, asker: str, replier: str) -> str | None:
    """Whose act a question between the spouses asks about: the asker's when they are its subject ("내가 언제
    때렸는데"), else the one asked ("얼마나 잃었는데", "당신 어디서 잤는데"); None when it is no such question or names
    someone else as subject."""
    if _WH_QUESTION.search(question) is None or _ASKING_END.search(question) is None:
        return None
    if FIRST_PERSON.search(question):
        return asker
    if _YOU_SUBJECT.search(question) or _SUBJECT.search(question) is None:
        return replier
    return None


def elliptic_answer(h: Hit, text: str) -> bool:
    """A short reply that names no one and asks nothing ("칠백... 토토로", "3월 12일 부엌에서 프라이팬으로"), its act read
    from a noun or by the learned model: who did it is in the question it answers (`asked_doer`)."""
    return (len(text) <= _ELLIPTIC_CHARS and (h.end <= h.start or h.rule.startswith("model:") or _noun_rule(h))
            and "?" not in text and FIRST_PERSON.search(text) is None and _YOU_SUBJECT.search(text) is None
            and _SUBJECT.search(text) is None and _BARE_I.match(text) is None)


# A party named as the one who reported an act ("세영씨가 너 때렸다고 경찰에 신고했다며"): the reporter, not the doer; the
# one the pronoun before the act names did it.
_REPORTED_TO: Final = re.compile(r"^[^.!?]{0,6}?(?:다|라)고\s?(?:[가-힣]+\s){0,2}(?:신고|고소|고발|진정|소문|떠들|말하|얘기)")
_BARE_PRONOUN: Final = re.compile(r"(?:^|\s)(너|니|당신|자네)\s")


def _reported_by_named(h: Hit, text: str, p: str, present: set[str], speaker: str | None,
                       named: NamedSubjects | None) -> Actor | None:
    """A parsed act between a party named as subject and "-다고 신고/고소/말하…" after it, with a bare pronoun in
    between: the one named reported it; the one spoken to (너, 당신, 자네) did it. None otherwise ("보미가 나 때렸다고
    …" may be either way round: left to the other readings)."""
    if named is None or speaker is None or h.end <= h.start or h.rule.startswith("model:") or h.rule == LAWYER:
        return None
    if _REPORTED_TO.match(text[h.end:]) is None or named.find(text[:h.start]) is None:
        return None
    pronoun = list(_BARE_PRONOUN.finditer(text[:h.start]))
    if not pronoun:
        return None
    spouses = [q for q in SPOUSES if q in present]
    if p in SPOUSES:
        return Actor(other(p), own=False) if other(p) in present else None
    return Actor(spouses[0], own=False) if len(spouses) == 1 else None


# The speaker paid for or cleaned up after an act told as a thing done ("사채까지 쓴 거 내가 갚았잖아", "니 카드빚 내가
# 다 막았어"): the act is the other's, the first person only its remedy.
_CLEANED_UP: Final = re.compile(r"[가-힣]+\s?(?:거|것|걸|빚|돈|대출)\S{0,2}\s(?:다\s|전부\s)?(?:내가|제가)\s(?:다\s|대신\s|전부\s)?"
                                r"(?:갚|메꿨|메웠|막았|막아|수습|해결|치웠|물어)")


# A protective order the teller obtained ("법원에서 접근금지 결정문 받았어", "임시조치 결정이 나왔어"): it is against the other
# spouse's abuse.
_ORDER_OBTAINED: Final = re.compile(r"(?:접근\s?금지|보호\s?명령|임시\s?조치)\S{0,3}\s?(?:결정문?|명령|처분)?\S{0,2}\s?"
                                    r"(?:받았|받아\s?냈|나왔|떨어졌|인용)")


def _order_obtained(h: Hit, text: str, p: str) -> Actor | None:
    """840-3 in a spouse's line telling they obtained a protective order (not asked, not said of the one spoken to:
    "당신 접근금지 받았잖아"): the other spouse's act."""
    if h.ground != "840-3" or p not in SPOUSES or "?" in text or _ORDER_OBTAINED.search(text) is None \
            or _YOU_SUBJECT.search(text) or _SUBJECT.search(text):
        return None
    return Actor(other(p), own=False)
