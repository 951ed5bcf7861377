"""The offline art. 840 label model: the lexicon's rules (`leh.analysis.lexicon`) matched over Kiwi morphemes,
reviewed and extended by a learned model (`leh.analysis.label_model`) for indirect wording.

`find_hits` returns one `Hit` per rule match that survives the checks (negation, conditionals, stories about
other people), plus one per ground that only the learned model found (`rule="model:840-1"`);
`labels_from_hits` turns hits into the evidence document's labels. Every hit keeps the rule that produced it, so
a label can always be traced back to a line of the lexicon or to the model. `rule_hits` is the rules alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Final

from leh.analysis import lexicon as lx
from leh.analysis.chat_context import ChatContext
from leh.analysis.label_model import shipped_model, tag_for
from leh.analysis.morph import Morph, morphs_many
from leh.domain.documents import LabelDoc
from leh.domain.grounds import TAG_GROUND, ground_of_tag

MIN_CONFIDENCE: Final = 0.5
QUESTION_FACTOR: Final = 0.9  # "바람피웠어?" accuses more often than it asks, but less firmly than a statement
DENIAL_IS_LIE_FACTOR: Final = 0.75
PROMISE_FACTOR: Final = 0.8
STRONG_RULE: Final = 0.9  # a rule this sure names the act itself (바람피웠다, 때렸다): the model reviews it with its own threshold
LABELLED_KINDS: Final = frozenset({"speech", "text"})
RELATIVE_ABUSE_TAG: Final = "계속적 불화"  # abuse by a 시누이, 처제, 동서 …: 840-6 (they are not 직계존속)
QUOTATIVES: Final = frozenset({"라고", "이라고", "다고", "ᆫ다고", "는다고", "냐고", "자고", "라는", "이라는", "다는", "ᆫ다는"})


@dataclass(frozen=True)
class Hit:
    """One rule match in one segment: what it supports, how strongly, and where in the text."""

    seq: int
    tag: str
    ground: str
    weight: float
    mode: str
    start: int
    end: int
    rule: str
    admission: bool = False
    # Who the message says did it (`_classify_agent`: self, spouse, inlaw_h, inlaw_w, relative, third, unknown) and
    # whether the act is announced (-ㄹ 거야, -겠-): what `leh.analysis.actor` reads to find the actor.
    agent: str = "unknown"
    intent: bool = False


# ------------------------------------------------------------------ patterns
@dataclass(frozen=True)
class _Elem:
    forms: frozenset[str]
    prefixes: tuple[str, ...]
    tags: tuple[str, ...]

    def ok(self, m: Morph) -> bool:
        if self.tags and not m.tag.startswith(self.tags):
            return False
        if not self.forms and not self.prefixes:
            return True
        return m.form in self.forms or (bool(self.prefixes) and m.form.startswith(self.prefixes))


def _parse_elem(text: str) -> list[_Elem]:
    """`a|b/VV` → one element; `a/NNG|b/NNP` (alternatives with their own tags) → one element per tag group."""
    out: list[_Elem] = []
    groups: dict[str, list[str]] = {}
    pending: list[str] = []
    alts = text.split("|")
    for n, alt in enumerate(alts):
        form, _, tag = alt.partition("/")
        pending.append(form)
        # Untagged forms take the tag written after them ("때리|패/VV"); trailing untagged ones match any tag.
        if tag or n == len(alts) - 1:
            groups.setdefault(tag, []).extend(pending)
            pending = []
    for tag, forms in groups.items():
        exact = frozenset(f for f in forms if f and not f.endswith("*"))
        prefixes = tuple(f[:-1] for f in forms if f.endswith("*"))
        out.append(_Elem(exact, prefixes, (tag,) if tag else ()))
    return out


@dataclass(frozen=True)
class _Compiled:
    rule: lx.Rule
    elems: tuple[tuple[_Elem, ...], ...] = ()
    regex: re.Pattern[str] | None = None

    def first_forms(self) -> frozenset[str] | None:
        """The exact forms a match must start with, or None when any morpheme may start one (prefix/any-form)."""
        first = self.elems[0] if self.elems else ()
        if self.regex is not None or not first or any(e.prefixes or not e.forms for e in first):
            return None
        return frozenset(f for e in first for f in e.forms)

    def matches(self, ms: Sequence[Morph], text: str,
                at: Mapping[str, Sequence[int]] | None = None) -> Iterable[list[int]]:
        """Index lists of the matches in `ms`; `at` ({form: positions} of `ms`) lets a rule that starts with exact
        forms try only where those forms are, instead of at every morpheme (a long message has thousands)."""
        if self.regex is not None:
            for found_re in self.regex.finditer(text):
                idx = [i for i, mo in enumerate(ms) if mo.end > found_re.start() and mo.start < found_re.end()]
                if idx:
                    yield [idx[0], idx[-1]]
            return
        gap = self.rule.gap
        forms = self.first_forms() if at is not None else None
        starts: Iterable[int] = range(len(ms)) if forms is None or at is None else \
            sorted({i for f in forms for i in at.get(f, ())})
        for i in starts:
            m = ms[i]
            if not any(e.ok(m) for e in self.elems[0]):
                continue
            found = [i]
            for alts in self.elems[1:]:
                pos = found[-1]
                nxt = None
                for k in range(pos + 1, min(len(ms), pos + 2 + gap)):
                    if ms[k].tag == "SF":
                        break
                    if any(e.ok(ms[k]) for e in alts):
                        nxt = k
                        break
                if nxt is None:
                    break
                found.append(nxt)
            if len(found) == len(self.elems):
                yield found


@lru_cache(maxsize=1)
def compiled_rules() -> tuple[_Compiled, ...]:
    out = []
    for rule in lx.RULES:
        if rule.tag not in TAG_GROUND:
            raise ValueError(f"lexicon rule {rule.pattern!r} has unknown tag {rule.tag!r}")
        if rule.pattern.startswith("re:"):
            out.append(_Compiled(rule, regex=re.compile(rule.pattern[3:])))
        else:
            out.append(_Compiled(rule, elems=tuple(tuple(_parse_elem(p)) for p in rule.pattern.split())))
    return tuple(out)


@lru_cache(maxsize=1)
def _rule_index() -> tuple[dict[str, tuple[_Compiled, ...]], tuple[_Compiled, ...]]:
    """Rules by the exact forms their pattern starts with, plus those that must always be tried.

    A message is only checked against rules whose first word it contains: about a tenth of the lexicon.
    """
    by_form: dict[str, list[_Compiled]] = {}
    always: list[_Compiled] = []
    for comp in compiled_rules():
        first = comp.elems[0] if comp.elems else ()
        if comp.regex is not None or any(e.prefixes or not e.forms for e in first):
            always.append(comp)
            continue
        for form in {f for e in first for f in e.forms}:
            by_form.setdefault(form, []).append(comp)
    return {k: tuple(v) for k, v in by_form.items()}, tuple(always)


def candidate_rules(forms: set[str]) -> list[_Compiled]:
    by_form, always = _rule_index()
    seen: dict[int, _Compiled] = {id(c): c for c in always}
    for form in forms:
        for comp in by_form.get(form, ()):
            seen.setdefault(id(comp), comp)
    order = {id(c): n for n, c in enumerate(compiled_rules())}
    return sorted(seen.values(), key=lambda c: order[id(c)])


# ------------------------------------------------------------------ grammar checks
def _is_pred(m: Morph) -> bool:
    return m.tag.startswith(("VV", "VA", "VX", "XSV", "XSA", "VCP", "VCN"))


def _clause_end(m: Morph) -> bool:
    return m.tag == "SF" or (m.tag.startswith("EC") and m.form in lx.CLAUSE_BREAKS)


def _rhetorical(ms: Sequence[Morph], k: int) -> bool:
    """`…거 아니야?` / `…아니냐고`: a negative question accuses rather than denies."""
    for j in range(k + 1, min(len(ms), k + 4)):
        if ms[j].form in ("냐", "냐고", "니", "냐는") or ms[j].form == "?":
            return True
        if ms[j].tag == "SF":
            return False
    return False


def _negated(ms: Sequence[Morph], i0: int, i1: int) -> bool:
    """Whether the matched act is denied in its own clause (안/못 …, -지 않다, -ㄴ 적 없다, …가 아니다)."""
    if any(ms[k].form in lx.NEGATING_ADVERBS and ms[k].tag == "MAG" for k in range(i0, i1)):
        return True
    k = i0 - 1
    while k >= 0 and i0 - k <= 2 and ms[k].tag == "MAG":
        if ms[k].form in lx.NEGATING_ADVERBS:
            return True
        k -= 1
    for k in range(i1 + 1, min(len(ms), i1 + 9)):
        m = ms[k]
        if m.tag == "SF" or (m.tag.startswith("EC") and m.form in lx.CLAUSE_BREAKS):
            return False
        if m.tag.startswith("VX") and m.form in ("않", "못하"):
            return True
        if m.tag == "MAG" and m.form in lx.NEGATING_ADVERBS and k + 1 < len(ms) and _is_pred(ms[k + 1]):
            return True
        if m.form == "없" and m.tag.startswith("VA"):
            return True
        if m.form == "아니" and m.tag.startswith("VCN"):
            return not _rhetorical(ms, k)
        if m.tag.startswith("EF"):
            return False
    return False


def _conditional(ms: Sequence[Morph], i1: int) -> bool:
    for k in range(i1 + 1, min(len(ms), i1 + 6)):
        m = ms[k]
        if m.tag == "SF" or m.tag.startswith("EF"):
            return False
        if m.tag.startswith("EC"):
            if m.form in lx.CONDITIONAL_ENDINGS:
                return True
            if m.form in lx.CLAUSE_BREAKS:
                return False
    return False


def _again_before(ms: Sequence[Morph], i0: int) -> bool:
    return any(ms[k].form in lx.AGAIN for k in range(max(0, i0 - 4), i0))


def _intent(ms: Sequence[Morph], i1: int, *, present_counts: bool) -> bool:
    """Whether the act is announced rather than reported: -ㄹ 거야, -겠-, -ㄹ게, -어 버린다, (죽인다)."""
    seen_beori = False
    for k in range(i1 + 1, min(len(ms), i1 + 7)):
        m = ms[k]
        if m.tag == "SF" or (m.tag.startswith("EC") and m.form in lx.CLAUSE_BREAKS):
            return False
        if m.tag.startswith("EP") and m.form in ("었", "았", "였"):
            return False
        if m.tag.startswith("VX") and m.form == "버리":
            seen_beori = True
        if m.tag.startswith("ETM") and m.form in ("ᆯ", "을") and k + 1 < len(ms) and ms[k + 1].form in ("거", "것", "줄"):
            return True
        if m.tag.startswith("EP") and m.form == "겠":
            return True
        if m.tag.startswith(("EF", "EC")) and m.form in lx.FUTURE_ENDINGS:
            return True
        if m.form in ("ᆫ다", "는다", "ᆫ다고", "는다고", "ᆫ다는", "는다는") and (seen_beori or present_counts):
            return True
        if m.tag.startswith("EF"):
            return False
    return False


def _quoted(ms: Sequence[Morph], i1: int) -> bool:
    return any(m.form in QUOTATIVES and m.tag.startswith(("EC", "ETM")) for m in ms[i1 + 1 : i1 + 5])


def _generic(ms: Sequence[Morph], i1: int) -> bool:
    """`바람피우는 사람 특징`: the act describes a kind of person or case, not an event."""
    return any(ms[k].form in lx.GENERIC_NOUNS for k in range(i1 + 1, min(len(ms), i1 + 5)))


def _promise(ms: Sequence[Morph], i0: int, i1: int) -> bool:
    """`앞으로 절대 안 때릴게`, `다시는 안 그럴게`: a promise not to repeat presupposes the act."""
    before = {ms[k].form for k in range(max(0, i0 - 5), i0)}
    if not before & lx.PROMISE_MARKERS:
        return False
    return _intent(ms, i1, present_counts=False)


def _subject(ms: Sequence[Morph], i0: int) -> tuple[str | None, str | None, str | None]:
    """(noun, the noun before it, marker) of the nearest subject before the match in its clause. A quotation in
    between is skipped whole: in "시어머니가 '며느리는 필요 없다'고 소리를 질렀다" the quote's 며느리는 and its
    sentence end are someone's words, not the clause's subject or end."""
    depth = 0
    for k in range(i0 - 1, 0, -1):
        m = ms[k]
        if m.tag == "SSC" and m.form in _QUOTE_MARKS:
            depth += 1
            continue
        if m.tag == "SSO" and m.form in _QUOTE_MARKS:
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if m.tag == "SF" or m.tag.startswith("EF"):
            break
        is_subject = m.tag == "JKS" or (m.tag == "JX" and m.form in ("은", "는", "ᆫ")) or (
            m.tag == "JKB" and m.form == "에서")
        if not is_subject:
            continue
        n = k - 1
        if ms[n].tag == "XSN" and n > 0:  # 장모님 → 장모
            n -= 1
        if not ms[n].tag.startswith(("NN", "NP")):
            continue
        prev = ms[n - 1].form if n > 0 and ms[n - 1].tag.startswith("NN") else None
        return ms[n].form, prev, m.form
    return None, None, None


_QUOTE_MARKS: Final = frozenset({"'", '"', "“", "”", "‘", "’", "「", "」", "『", "』"})
_SUBJECT_AGENTS: Final = frozenset({"relative", "inlaw_h", "inlaw_w", "spouse"})


def first_subject_agent(ms: Sequence[Morph]) -> str:
    """The agent of the first family member or spouse the message names as a subject (이/가/께서, or topic 은/는),
    quotations skipped, else "unknown": what a learned label, which no rule parsed, says of who did it ("시어머니가 … 소리를
    질렀습니다" in a statement is the in-law's act, "남편이 시어머니 앞에서 …" the spouse's)."""
    quoted = False
    for k, m in enumerate(ms):
        if m.form in _QUOTE_MARKS and m.tag in ("SSO", "SSC"):
            quoted = m.tag == "SSO"
            continue
        if quoted or k == 0 or not (m.tag == "JKS" or (m.tag == "JX" and m.form in ("은", "는", "ᆫ"))):
            continue
        n = k - 1 if ms[k - 1].tag != "XSN" or k < 2 else k - 2  # 장모님이 → 장모
        if not ms[n].tag.startswith("NN"):  # a pronoun (니가, 당신이) is the one spoken to, not a named person
            continue
        prev = ms[n - 1].form if n > 0 and ms[n - 1].tag.startswith("NN") else None
        agent = _classify_agent(ms[n].form, prev, m.form)
        if agent in _SUBJECT_AGENTS:
            return agent
    return "unknown"


def _parent_target(ms: Sequence[Morph], i0: int, i1: int) -> bool:
    """A parent is the one the act was done to: 장모님한테, 우리 엄마를, 아버지 멱살을."""
    for k in range(i0 - 1, -1, -1):
        m = ms[k]
        if m.tag == "SF" or m.tag.startswith("EF"):
            break
        n = k - 1
        if n >= 0 and ms[n].tag == "XSN":
            n -= 1
        marked = m.tag == "JKO" or (m.tag == "JKB" and m.form in ("한테", "에게", "께", "더러", "보고", "테"))
        if marked and n >= 0 and ms[n].form in lx.PARENTS:
            return True
        if m.form in lx.PARENTS and k + 1 < len(ms) and (
                ms[k + 1].form in lx.BODY_PARTS or (ms[k + 1].form == "앞" and k + 1 < i0)):
            return True  # 아버지 멱살을 / 장인어른 앞에서
    if i0 > 0 and ms[i0 - 1].form in lx.PARENTS:
        return True  # 우리 엄마 밀쳐서: a bare object right before the verb
    return any(ms[k].form in lx.PARENTS and k + 1 < len(ms) and ms[k + 1].form in lx.BODY_PARTS
               for k in range(i0, i1 + 1))


def _classify_agent(noun: str | None, prev: str | None, marker: str | None) -> str:
    if noun is None:
        return "unknown"
    if noun in lx.SPOUSE:
        return "third" if prev in lx.THIRD_PARTIES or prev in lx.IN_LAWS_HUSBAND_SIDE else "spouse"
    if noun in lx.NOT_ASCENDANTS:
        return "relative"
    if noun in lx.IN_LAWS_HUSBAND_SIDE:
        return "inlaw_h"
    if noun in lx.IN_LAWS_WIFE_SIDE:
        return "inlaw_w"
    if marker == "에서":
        return "unknown"  # 회사에서 / 집에서 is a place, not an agent
    if noun in lx.PARENTS or noun in lx.THIRD_PARTIES:
        return "third"
    if noun in ("나", "내", "제", "저"):
        return "self"
    return "unknown"


# ------------------------------------------------------------------ the model
def _ledger_row(ms: Sequence[Morph]) -> bool:
    """A card or bank statement row: a date (2024.02.24, 02/24) and an amount (60,000 / 60000원) in one line."""
    dated = any(m.tag == "W_SERIAL" and _DATE_SERIAL.fullmatch(m.form) for m in ms)
    amount = any(m.tag == "SN" and (_AMOUNT.fullmatch(m.form) or (k + 1 < len(ms) and ms[k + 1].form == "원"))
                 for k, m in enumerate(ms))
    return dated and amount


_DATE_SERIAL: Final = re.compile(r"(?:\d{2}|\d{4})[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}/\d{1,2}")
_AMOUNT: Final = re.compile(r"\d{1,3}(?:,\d{3})+")


def _segment_hits(seq: int, text: str, ms: Sequence[Morph]) -> list[Hit]:
    forms = {m.form for m in ms}
    if _ledger_row(ms):
        forms.add(lx.LEDGER_ROW)
    cues = _Cues(media=bool(forms & lx.MEDIA), lie=bool(forms & lx.DENIAL_IS_LIE),
                 apology=bool(forms & lx.APOLOGY) or ("사실" in forms and "이" in forms))
    at: dict[str, list[int]] = {}
    for i, m in enumerate(ms):
        at.setdefault(m.form, []).append(i)
    hits: list[Hit] = []
    for comp in candidate_rules(forms):
        rule = comp.rule
        if (rule.needs and not forms & set(rule.needs)) or (rule.unless and forms & set(rule.unless)):
            continue
        for idx in comp.matches(ms, text, at):
            hit = _match_hit(seq, text, ms, rule, idx[0], idx[-1], cues)
            if hit is not None:
                hits.append(hit)
    return hits


@dataclass(frozen=True)
class _Cues:
    """What the whole message says around every match: media mentioned, denial called a lie, an apology."""

    media: bool
    lie: bool
    apology: bool


def _match_hit(seq: int, text: str, ms: Sequence[Morph], rule: lx.Rule, i0: int, i1: int, cues: _Cues) -> Hit | None:
    """The Hit for one rule match over morphs i0..i1, or None when its context rules it out."""
    if _blocked_by_neighbours(rule, ms, i0, i1):
        return None
    weighed = _weighed(rule, ms, i0, i1, cues.lie)
    if weighed is None:
        return None
    weight, admission = weighed
    tag_mode = _tag_and_mode(rule, ms, i0, i1, admission)
    if tag_mode is None:
        return None
    tag, mode = tag_mode
    if mode == "report" and (cues.media or _generic(ms, i1)):
        return None
    tag_agent = _tag_by_agent(rule, tag, mode, ms, i0, i1)
    if tag_agent is None:
        return None
    tag, agent = tag_agent
    if "?" in text[ms[i1].end :]:
        weight *= QUESTION_FACTOR
    admission = admission or (cues.apology and mode == "report") or (agent == "self" and mode == "report")
    intent = _intent(ms, i1, present_counts=rule.require_future)
    return Hit(seq=seq, tag=tag, ground=ground_of_tag(tag), weight=round(weight, 4), mode=mode,
               start=ms[i0].start, end=ms[i1].end, rule=rule.pattern, admission=admission, agent=agent, intent=intent)


def _blocked_by_neighbours(rule: lx.Rule, ms: Sequence[Morph], i0: int, i1: int) -> bool:
    """True when the morphs right before or after the match are ones the rule excludes (or lack one it needs)."""
    if rule.unless_before and i0 > 0 and ms[i0 - 1].form in rule.unless_before:
        return True
    if rule.unless_after:
        after = [m.form for m in ms[i1 + 1 : i1 + 4] if not m.tag.startswith("J")][:1]
        if after and after[0] in rule.unless_after:
            return True
    if rule.next_forms and (i1 + 1 >= len(ms) or ms[i1 + 1].form not in rule.next_forms):
        return True
    return bool(rule.no_past and i1 + 1 < len(ms) and ms[i1 + 1].form in ("었", "았"))


def _weighed(rule: lx.Rule, ms: Sequence[Morph], i0: int, i1: int, lie: bool) -> tuple[float, bool] | None:
    """(weight, admission) after negation: a negated act counts only as a lie's denial or a promise."""
    negated = _negated(ms, i0, i1) if (rule.negatable or rule.polarity == "neg") else False
    if rule.polarity == "neg":
        return (rule.weight, False) if negated else None
    if not negated:
        return rule.weight, False
    if lie:
        return rule.weight * DENIAL_IS_LIE_FACTOR, False
    if _promise(ms, i0, i1):
        return rule.weight * PROMISE_FACTOR, True
    return None


def _tag_and_mode(rule: lx.Rule, ms: Sequence[Morph], i0: int, i1: int, admission: bool) -> tuple[str, str] | None:
    """(tag, mode): conditionals dropped, future intent tagged, quoted words reported; None when dropped."""
    if not rule.allow_conditional and _conditional(ms, i1) and not _again_before(ms, i0):
        return None
    intent = _intent(ms, i1, present_counts=rule.require_future)
    if rule.require_future and not intent:
        return None
    tag = rule.future_tag if (intent and rule.future_tag and not admission) else rule.tag
    # "…미친년이라고 했잖아": quoted words are reported, not said by this message's speaker.
    mode = "report" if _quoted(ms, i1) else ("utterance" if tag == "협박" else rule.mode)
    return tag, mode


def _tag_by_agent(rule: lx.Rule, tag: str, mode: str, ms: Sequence[Morph], i0: int, i1: int) -> tuple[str, str] | None:
    """(tag, agent) once the subject is known: in-laws' and parents' abuse get their own tags; None when
    the act is a third party's."""
    noun, prev, marker = _subject(ms, i0)
    agent = _classify_agent(noun, prev, marker)
    if tag in lx.ABUSE_TAGS:
        if rule.passive and noun in lx.PARENTS:
            tag = "부모에 대한 폭행"
        elif agent == "inlaw_h" and not rule.passive:
            tag = "시댁 부당대우"
        elif agent == "inlaw_w" and not rule.passive:
            tag = "처가 부당대우"
        elif agent == "relative" and not rule.passive:
            tag = RELATIVE_ABUSE_TAG
        elif agent == "third":
            return None
        elif not rule.passive and _parent_target(ms, i0, i1):  # 시어머니에게 맞았다: the one it was done by
            tag = "부모에 대한 폭행" if tag == "폭행" else "부모에 대한 폭언"
    elif agent in ("third", "inlaw_h", "inlaw_w", "relative") and mode == "report":
        return None  # 시어머니가 나가라고 했다 is not the spouse's desertion
    return tag, agent


def _labelled(segments: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [s for s in segments if is_labelled(s)]


def rule_hits(segments: Sequence[Mapping[str, Any]]) -> list[Hit]:
    """Every surviving rule match in the segments that are somebody's words or document text (rules only)."""
    todo = _labelled(segments)
    all_ms = morphs_many([s["text"] for s in todo])
    hits: list[Hit] = []
    for seg, ms in zip(todo, all_ms, strict=True):
        hits.extend(_segment_hits(int(seg["seq"]), seg["text"], ms))
    return hits


_SECOND_PERSON: Final = frozenset({"너", "니", "네", "당신", "너희", "니들", "자기"})


def _model_mode(tag: str, ms: Sequence[Morph]) -> str:
    """Whether a learned label's message is itself the act (an utterance) or tells of one (a report).

    A threat is always the speaker's words; abuse and insult (of the listener or of the listener's parent: "당신 엄마한테
    전해 … 늙은 게 주제도 모르고") are when the message speaks to someone ("신경 꺼 니가 뭔데 나를 감시해") and tells
    of nothing done before ("니가 나한테 욕했잖아", past tense, reports the other's act).
    """
    if tag == "협박":
        return "utterance"
    if tag in ("폭언", "모욕", "부모에 대한 폭언") and any(m.tag == "NP" and m.form in _SECOND_PERSON for m in ms) \
            and not any(m.tag == "EP" and m.form in ("었", "았", "였", "ㅆ") for m in ms):
        return "utterance"
    return "report"


# A document's heading says nothing the model could label: its title ("진술서", "상 해 진 단 서") and the paper's own
# particulars ("작성일: 2024년 7월 20일", "작성자: 윤정숙 (…)"). Only these labels count: "병명: …" is evidence.
_TITLE_LINE: Final = re.compile(r"\s*(?:[가-힣A-Za-z]\s?){1,12}\s*")
_PARTICULARS_LINE: Final = re.compile(
    r"\s*(?:작성\s?일(?:자|시)?|작성자|작성인|발급\s?일|발행\s?일|상담\s?일(?:시|자)?|면담\s?일(?:시|자)?|일\s?시|일\s?자|날\s?짜"
    r"|성\s?명|이\s?름|주\s?소|연락처|생년월일|진술인|확인자|수신|발신|제\s?목|사건번호|담당(?:자|변호사)?"
    r"|의뢰인|상대방|내담자|신청인|피신청인|원\s?고|피\s?고|사건본인|관\s?계|직\s?업)\s*[:：].{0,40}")


def heading_only(text: str) -> bool:
    """The segment is a document's heading and nothing else: the paper's particulars (`_PARTICULARS_LINE`), with
    at most a title beside them (`_TITLE_LINE`)."""
    lines = [line for line in text.split("\n") if line.strip()]
    particulars = [line for line in lines if _PARTICULARS_LINE.fullmatch(line)]
    # A title alone is no heading: "이 미친놈아" is as short as "진술서".
    return bool(particulars) and all(line in particulars or _TITLE_LINE.fullmatch(line) for line in lines)


# A document's title alone ("상해진단서", "진 술 서", "[사실확인서]"): the name of a paper, no act of anyone's.
_DOC_TITLE: Final = re.compile(
    r"[가-힣]{0,4}(?:진단서|진술서|확인서|상담일지|상담기록|각서|소견서|내용증명|녹취록|경위서|탄원서|고소장|진정서|의견서|합의서"
    r"|결정문|판결문|소장|준비서면|답변서|이용내역서?|거래내역서?|통화내역|명세서|보고서|신청서|일지|차트|기록지)(?:\(?사본\)?)?")


def title_only(text: str) -> bool:
    """The segment is a document's title and nothing else (spaces, brackets and numbering ignored)."""
    bare = re.sub(r"[\s\[\]【】<>〈〉《》「」『』()\-–—_=*#.:·\d]", "", text)
    return bool(bare) and _DOC_TITLE.fullmatch(bare) is not None


def exclusive_drop(grounds: set[str], scores: Mapping[str, float], margins: Mapping[str, float]) -> set[str]:
    """The grounds to drop where a pair that names one act from two sides ("840-3|840-4": a blow to the client or to the
    client's parent) both hold and one leads the other by at least the pair's margin in log-odds (`margins`, chosen by
    cross-validation in bench/train_labels.py)."""
    out: set[str] = set()
    for pair, margin in margins.items():
        a, b = pair.split("|")
        if a in grounds and b in grounds:
            lead = _logit(scores[a]) - _logit(scores[b])
            if lead >= margin:
                out.add(b)
            elif -lead >= margin:
                out.add(a)
    return out


def _margins(options: Mapping[str, Any], feats: set[str]) -> dict[str, float]:
    """The model's exclusive pairs for this message; the writer named as one more ("말리던 저까지 밀쳤어요", `t:me-too`)
    says the blow to the parent and the one to the client are two acts, so 840-3 and 840-4 do not exclude each other."""
    margins: dict[str, float] = dict(options.get("exclusive_margin", {}))
    if "t:me-too" in feats:
        margins.pop("840-3|840-4", None)
    return margins


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _with_model(seq: int, text: str, ms: Sequence[Morph], hits: list[Hit]) -> list[Hit]:
    """The message's rule hits, reviewed by the learned model, plus the grounds only the model found.

    Per ground the shipped model says how the two combine (chosen by cross-validation, `bench/train_labels.py`): a
    rule hit is kept when the model, which reads the rule hits among its inputs, gives its ground at least the review
    threshold (`options["review"]`, at most the threshold; 0 keeps every rule hit; an older model names a `policy`
    instead: `union` keeps every hit, `model` asks for the full threshold; a direct-wording rule's hit, weight ≥
    STRONG_RULE, is held to `review["<ground>!"]` when the model has one, `_review_of`). An overruled hit is kept with weight 0:
    traceable, never a label. A document's heading (`heading_only`) gets no learned label; a document's title alone
    (`title_only`: "상해진단서") no label at all.
    """
    if title_only(text):
        return []
    if heading_only(text):
        return hits
    model = shipped_model()
    feats = model.features(text, ms, [(h.ground, h.tag) for h in hits])
    scores = model.scores(feats)
    review = _review_thresholds(model.options, model.threshold)
    # A rule hit the model overrules stays in the list (its rule did match) with weight 0, so no label keeps it.
    out = [h if scores[h.ground] >= _review_of(h, review) else replace(h, weight=0.0) for h in hits]
    covered = {h.ground for h in kept_hits(out)}
    found = covered | {g for g, p in scores.items() if p >= model.threshold[g]}
    dropped = exclusive_drop(found, scores, _margins(model.options, feats))
    if dropped:  # the pair's other ground names this act: its hits stay traceable with weight 0, never a label
        out = [replace(h, weight=0.0) if h.ground in dropped else h for h in out]
    for ground, p in scores.items():
        thr = model.threshold[ground]
        if p < thr or ground in covered or ground in dropped:
            continue
        # Map [threshold, 1] onto [MIN_CONFIDENCE, 0.95]: a learned label is kept exactly when the model says so.
        weight = round(MIN_CONFIDENCE + (0.95 - MIN_CONFIDENCE) * (p - thr) / max(1e-6, 1 - thr), 4)
        tag = tag_for(ground, ms, text)
        out.append(Hit(seq=seq, tag=tag, ground=ground, weight=weight, mode=_model_mode(tag, ms), start=ms[0].start if ms else 0,
                       end=ms[-1].end if ms else len(text), rule=f"model:{ground}", agent=first_subject_agent(ms)))
    return out


def message_hits(seq: int, text: str, ms: Sequence[Morph]) -> list[Hit]:
    """`find_hits` for one message whose morphemes are known (the bounded analysis batches its Kiwi calls)."""
    return _with_model(seq, text, ms, _segment_hits(seq, text, ms))


def is_labelled(segment: Mapping[str, Any]) -> bool:
    """Whether a segment is somebody's words or document text (the ones labels are looked for in)."""
    return segment.get("kind", "speech") in LABELLED_KINDS and bool((segment.get("text") or "").strip())


def _review_of(hit: Hit, review: Mapping[str, float]) -> float:
    """The score a rule hit needs from the model: its ground's review threshold, or, for a direct-wording rule
    (weight ≥ STRONG_RULE), the model's `<ground>!` review threshold when it has one."""
    if hit.weight >= STRONG_RULE and f"{hit.ground}!" in review:
        return review[f"{hit.ground}!"]
    return review.get(hit.ground, 0.0)


def _review_thresholds(options: Mapping[str, Any], threshold: Mapping[str, float]) -> dict[str, float]:
    if "review" in options:
        return {g: float(v) for g, v in options["review"].items()}
    policy: Mapping[str, str] = options.get("policy", {})
    return {g: (threshold[g] if policy.get(g, "union") == "model" else 0.0) for g in threshold}


def find_hits(segments: Sequence[Mapping[str, Any]]) -> list[Hit]:
    """Rule matches reviewed by the learned model plus the model's own labels, for the segments that are somebody's
    words or document text. A model hit's `rule` is `model:<ground>`; it is added only for a ground the rules did
    not find in that message. A chat reply that affirms, admits or defies the act the other speaker named just
    before gets that act too (`rule="context:<ground>"`, `leh.analysis.chat_context`).
    """
    todo = _labelled(segments)
    all_ms = morphs_many([s["text"] for s in todo])
    hits: list[Hit] = []
    context = ChatContext()  # a chat reply that affirms the act named just before (`leh.analysis.chat_context`)
    for seg, ms in zip(todo, all_ms, strict=True):
        hits.extend(context.add(seg, ms, message_hits(int(seg["seq"]), seg["text"], ms)))
    return hits


@dataclass
class _Acc:
    ground: str
    tag: str
    miss: float = 1.0
    segments: set[int] = field(default_factory=set)


def segment_strength(hits: Iterable[Hit]) -> dict[tuple[int, str], float]:
    """{(seq, tag): combined weight} — several cues in one message strengthen each other."""
    miss: dict[tuple[int, str], float] = {}
    for h in hits:
        key = (h.seq, h.tag)
        miss[key] = miss.get(key, 1.0) * (1 - h.weight)
    return {k: 1 - v for k, v in miss.items()}


def kept_hits(hits: Iterable[Hit]) -> list[Hit]:
    """The hits whose message supports their tag with at least MIN_CONFIDENCE."""
    hits = list(hits)
    strength = segment_strength(hits)
    return [h for h in hits if strength[(h.seq, h.tag)] >= MIN_CONFIDENCE]


def labels_from_hits(hits: Iterable[Hit]) -> list[LabelDoc]:
    """`[{"ground", "tag", "confidence", "segments"}]`: one label per tag, confidence combined over its messages."""
    strength = segment_strength(hits)
    acc: dict[str, _Acc] = {}
    for (seq, tag), s in sorted(strength.items()):
        if s < MIN_CONFIDENCE:
            continue
        a = acc.setdefault(tag, _Acc(ground_of_tag(tag), tag))
        a.miss *= 1 - s
        a.segments.add(seq)
    ordered = sorted(acc.values(), key=lambda a: (a.ground, a.miss, a.tag))  # lower miss = higher confidence
    return [{"ground": a.ground, "tag": a.tag, "confidence": round(min(0.99, 1 - a.miss), 2),
             "segments": sorted(a.segments)} for a in ordered]


def label_segments(segments: Sequence[Mapping[str, Any]]) -> list[LabelDoc]:
    return labels_from_hits(find_hits(segments))


def grounds_of_text(text: str) -> set[str]:
    """The grounds one message supports on its own (what the evaluation set measures)."""
    return {lb["ground"] for lb in label_segments([{"seq": 0, "text": text}])}


def grounds_of_texts(texts: Sequence[str]) -> list[set[str]]:
    """`grounds_of_text` for many messages at once (one Kiwi batch): what the blind benchmark measures."""
    pred: list[set[str]] = [set() for _ in texts]
    for h in kept_hits(find_hits([{"seq": i, "text": t} for i, t in enumerate(texts)])):
        pred[h.seq].add(h.ground)
    return pred
