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
summary and timeline without parsing or labelling again (`leh.services.rederive`). This module derives the labels,
descriptions, timeline sides and stored hits; `leh.analysis.speakers` maps speakers to parties and
`leh.analysis.actor` finds the actor of one hit.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, cast

from leh.analysis.actor import (
    ENGINE,
    LAWYER,
    Actor,
    NamedSubjects,
    actor_of,
    asked_doer,
    both_in_paper,
    called_in_law,
    elder_scorned,
    elliptic_answer,
    in_law_named,
    in_law_provoked,
    marks_told,
    me_back,
    sibling_told,
    statement_owner,
    statement_row,
    voiced_insult,
    you_first,
)
from leh.analysis.labels import MIN_CONFIDENCE, Hit, kept_hits, segment_strength
from leh.analysis.lexicon import ACT_PHRASES, IN_LAWS_HUSBAND_SIDE, IN_LAWS_WIFE_SIDE
from leh.analysis.speakers import (
    SPOUSES,
    family_sides,
    firm_note,
    kin_key_side,
    mapped_voices,
    parent_display,
    party_of,
    spoken_to,
    transcript_kin_voices,
    transcript_party,
    transcript_speaker,
    transcript_voice,
    transcript_voices,
    writer_is_clients_parent,
)
from leh.analysis.summary import insights_of, josa, quote, summarize
from leh.analysis.timeline import timeline_events, when_fields
from leh.domain.documents import DerivedDoc, HitDoc, LabelDoc, SegmentDoc, TimelineEventDoc
from leh.domain.draft.names import certificate_findings, certificate_patient, exhibit_name, is_certificate
from leh.domain.grounds import ground_of_tag
from leh.domain.parties import AUTHOR_KEY, CLIENT_PARENT, Favours, Parties, Party, other, role_party

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


# The writer as the one the act was done to: "저를 밀쳤습니다", "저한테 욕을", "제 뺨을", "저는 … 맞았습니다".
_WRITER_TOUCHED: Final = re.compile(r"(?:^|[\s(\"'“])(?:저|제|나|내)(?:를|에게|한테|게|는|가|도|더러|보고)?(?=\s)")
_AS_PARENTS: Final = {"폭행": "부모에 대한 폭행", "폭언": "부모에 대한 폭언", "모욕": "부모에 대한 폭언",
                      "협박": "부모에 대한 폭언"}


# ------------------------------------------------------------------ descriptions
def _who(party: str, speaker: str | None, parties: Parties) -> str | None:
    return parties.display(party) or speaker


PARENT_TAG_PREFIX: Final = "부모에 대한 "


def describe(h: Hit, actor: Actor, speaker: str | None, speaker_party: str, parties: Parties, text: str = "") -> str:
    """One line naming the actor: "피고(김준호)가 협박성 발언을 함", "원고(이지은)가 피고(김준호)의 협박에 관해 언급함".
    An act against a parent names whose parent it was: "피고(한소영)의 원고 부모에 대한 폭행 관련 내용이 기재됨"; a
    spouse's family member the line (`text`) names by kin word and name is named: "피고(오수진) 측 가족(장모 권말순)의 …"."""
    act = ACT_PHRASES.get(h.tag, h.tag)
    utterance = _UTTERANCE_PHRASES.get(h.tag, act + " 발언을 함")
    victim = parties.role(other(actor.party)) if actor.party in SPOUSES else None
    if victim and h.tag.startswith(PARENT_TAG_PREFIX):
        act, utterance = f"{victim} {act}", f"{victim} {utterance}"
    if actor.party == Party.THIRD_PARTY and actor.side in SPOUSES:
        doer = f"{parties.display(actor.side) or ''} 측 가족".strip()
        if not actor.own and (who := in_law_named(h, text)):
            doer = f"{doer}({who})"
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
@dataclass
class _Act:
    """One actor's act of one tag on one segment: a line can hold both spouses' acts of one kind ("아내가 제 이마를
    내리쳤고 … 제가 소리를 지른 것은 사실입니다"), each its own label with its own favours and spans."""

    actor: Actor
    source: str
    hits: list[Hit]
    name: str | None = None  # who did it, as insights name them


_Acts = dict[tuple[int, str], list[_Act]]


def _add_act(acts: _Acts, h: Hit, actor: Actor, source: str, name: str | None) -> None:
    """`h` filed under its (segment, tag) as `actor`'s act: with an act of the same party (and family side) it joins
    it (a lawyer's hit makes the act the lawyer's), else it is another actor's act of that kind on that line."""
    mine = acts.setdefault((h.seq, h.tag), [])
    same = next((a for a in mine if (a.actor.party, a.actor.side) == (actor.party, actor.side)), None)
    if same is None:
        mine.append(_Act(actor, source, [h], name))
    elif source == LAWYER and same.source != LAWYER:
        same.actor, same.source, same.name = actor, source, name
        same.hits.append(h)
    else:
        same.hits.append(h)


def _settled(acts: _Acts) -> _Acts:
    """An act whose actor is unknown beside one whose actor is known, on the same line and tag, is read as that
    act (its hits join the first known actor's): only actors the reading tells apart are separate acts."""
    out: _Acts = {}
    for key, mine in acts.items():
        known = [a for a in mine if a.actor.party != Party.UNKNOWN]
        for a in mine:
            if a.actor.party == Party.UNKNOWN and known:
                known[0].hits.extend(a.hits)
        out[key] = known or mine
    return out


def _spans(a: _Act) -> list[tuple[int, int]]:
    return sorted({(h.start, h.end) for h in a.hits})


def _labels(hits: Iterable[Hit], acts: _Acts) -> list[LabelDoc]:
    """One label per tag, actor (and family side) and source, confidence combined over its messages. A segment's
    tag needs MIN_CONFIDENCE over all its hits; each actor's part of it is as strong as that actor's hits."""
    hits = list(hits)
    strength = segment_strength(hits)
    groups: dict[tuple[str, str, str | None, str], dict[str, Any]] = {}
    for (seq, tag), s in sorted(strength.items()):
        if s < MIN_CONFIDENCE or (seq, tag) not in acts:
            continue
        mine = acts[(seq, tag)]
        for a in mine:
            own = s if len(mine) == 1 else 1 - math.prod(1 - h.weight for h in a.hits)
            g = groups.setdefault((tag, a.actor.party, a.actor.side, a.source),
                                  {"miss": 1.0, "segments": set(), "actor": a.actor, "spans": set()})
            g["miss"] *= 1 - own
            g["segments"].add(seq)
            g["spans"].update((seq, st, en) for st, en in _spans(a))
    out = []
    for (tag, party, side, source), g in groups.items():
        label: LabelDoc = {"ground": ground_of_tag(tag), "tag": tag,
                                 # The lawyer's own label is a decision, not an estimate.
                                 "confidence": 1.0 if source == LAWYER else round(min(0.99, 1 - g["miss"]), 2),
                                 "segments": sorted(g["segments"]),
                                 "actor": party, "favours": str(g["actor"].favours), "source": source,
                                 "spans": [{"seq": q, "start": st, "end": en} for q, st, en in sorted(g["spans"])]}
        if side:
            label["actor_side"] = side
        out.append(label)
    return sorted(out, key=lambda lb: (lb["ground"], 1 - lb["confidence"], lb["tag"], lb["actor"], lb["source"]))


@dataclass(frozen=True)
class _Reading:
    """What attribution reads once per evidence: the speaker map as parties (a parent role is a third party), the
    parties present, whose family each third person is, whether it is the firm's own note, which messages speak to
    the client's parent, and how descriptions name a parent ("피고의 모친 권말순")."""

    parties: Parties
    smap: dict[str, str]
    present: set[str]
    named: NamedSubjects
    families: dict[str, str]
    firm: bool
    to_clients_parent: frozenset[int]
    shown: dict[str, str]
    voices: dict[str, str]  # a 녹취록's numbered voices its key lines name ("화자 1 이름: 김나리")
    statement: tuple[int, str] | None = None  # a card or bank statement's header line and the holder it names
    kin_voices: Mapping[str, str] | None = None  # a 녹취록's voices keyed as a spouse's relative ("화자 3 이름: 정수빈의 모")
    answers: Mapping[int, str] | None = None  # a spouse's reply to the other's question → whose act it asked about
    third_voices: frozenset[str] = frozenset()  # a 녹취록's voices of other third persons ("화자 3: 육소미 (딸)")


def _reading(segments: list[SegmentDoc], parties: Parties, speakers_map: Mapping[str, str],
             speakers: Sequence[str]) -> _Reading:
    smap = {sp: role_party(r) for sp, r in speakers_map.items()}
    shown = {sp: d for sp, r in speakers_map.items() if (d := parent_display(segments, sp, r, parties))}
    author = speakers_map.get(AUTHOR_KEY)
    parent = author == CLIENT_PARENT or (author == Party.THIRD_PARTY and writer_is_clients_parent(segments, parties))
    named = NamedSubjects(parties, clients_parent_writes=parent)
    voices, kin_voices, third_voices = mapped_voices(speakers_map, transcript_voices(segments, parties),
                                                     transcript_kin_voices(segments, parties))
    return _Reading(parties, smap, {smap.get(str(sp), Party.UNKNOWN) for sp in speakers}, named,
                    family_sides(segments, speakers_map),
                    smap.get(AUTHOR_KEY) == Party.THIRD_PARTY and firm_note(segments),
                    frozenset(spoken_to(segments, speakers_map, CLIENT_PARENT)), shown,
                    voices, statement_owner(segments, named), kin_voices, _answers(segments, smap), third_voices)


def _answers(segments: Sequence[SegmentDoc], smap: Mapping[str, str]) -> dict[int, str]:
    """seq → the party whose act the question before it asked about, for a spouse's message right after the other
    spouse's question ("얼마나 잃었는데" → "칠백... 토토로": the one asked; "내가 언제 때렸는데" → "3월 12일 …": the asker)."""
    out: dict[int, str] = {}
    spoken = [s for s in segments if s.get("speaker") and s.get("kind", "speech") == "speech"]
    for prev, seg in zip(spoken, spoken[1:], strict=False):
        asker, replier = smap.get(str(prev["speaker"])), smap.get(str(seg["speaker"]))
        if asker in SPOUSES and replier in SPOUSES and asker != replier and \
                (doer := asked_doer(str(prev.get("text") or ""), str(asker), str(replier))) is not None:
            out[int(seg["seq"])] = doer
    return out


def _actor(h: Hit, seg: Mapping[str, Any], r: _Reading) -> tuple[Actor, str]:
    """The actor of one hit and the party of the one who said or wrote its line."""
    text = str(seg.get("text") or "")
    voice = transcript_party(seg, r.parties, r.voices)
    party = voice or party_of(seg, r.smap)
    spoken = bool(seg.get("speaker")) and seg.get("kind", "speech") == "speech"
    firm_line = r.firm and not spoken and party == Party.THIRD_PARTY
    if firm_line:
        party = Party.CLIENT  # the firm's note records the client's account: what it reports is the other's act
    in_law = _in_law_speaking(seg)
    # "화자 3: …" keyed "화자 3 이름: 정수빈의 모": the relative of that spouse speaking, on that spouse's side
    kin_side = (r.kin_voices or {}).get(transcript_voice(seg) or "") if voice is None else None
    if in_law or kin_side or (voice is None and transcript_voice(seg) in r.third_voices):
        party = Party.THIRD_PARTY
    actor = actor_of(h, text, party, r.present, r.smap, seg.get("speaker"), r.named, voiced=voice in SPOUSES)
    if r.statement is not None and not spoken and h.seq > r.statement[0] and statement_row(text) \
            and r.named.find(_ROW_NOTE.sub(" ", text)) is None:
        # a statement's row: what its holder paid (a note in brackets, "(원고는 받은 적 없음)", names no payer)
        actor = Actor(r.statement[1], own=r.statement[1] == party)
    if voice is not None and actor.party == other(voice) and voiced_insult(h, text) \
            and r.named.find(text) != actor.party:  # not "차민규 진술: 아내가 … 잡아당겼다" (the one named did it)
        actor = Actor(voice)  # "화자 1: … 같은 년이 …" in a 녹취록: the voice's own insult
    if actor.party in SPOUSES and (asked := (r.answers or {}).get(h.seq)) is not None and actor.party != asked \
            and spoken and elliptic_answer(h, text):
        actor = Actor(asked, own=asked == party)  # "얼마나 잃었는데" / "칠백... 토토로": the one asked lost it
    if h.ground == "840-5" and party in SPOUSES and actor.party == party:
        actor = Actor(other(party), own=False)  # nobody tells of their own disappearance: "의뢰인은 … 행방을 모름"
    if (in_law or kin_side) and actor.party in (Party.THIRD_PARTY, Party.UNKNOWN) and actor.side is None:
        # "장모: 정신 차려 이놈아" in the client's 녹취록: the in-law's own words, unless a spouse did the act
        actor = Actor(Party.THIRD_PARTY, side=kin_side or Party.OPPONENT, own=actor.own or actor.party == Party.UNKNOWN)
    if firm_line and actor.party == Party.CLIENT and actor.own and \
            r.named.find(text, h.start if h.end > h.start else None) != Party.CLIENT:
        actor = Actor(Party.UNKNOWN, own=False)  # staff wrote it: no subject is no act of the client's
    if spoken and party == Party.THIRD_PARTY and seg.get("speaker") in r.families and actor.party != (
            called := other(r.families[str(seg["speaker"])])) and called in r.present and called_in_law(h, text):
        actor = Actor(called, own=False)  # "제부 우리 동생 머리를 벽에 박았다며" from the wife's sister: the husband's act
    if spoken and party in SPOUSES and actor.party != party and other(party) not in r.present \
            and _in_laws_spoken_to(party, r) and elder_scorned(h, text):
        actor = Actor(party)  # to 장모: "장모님이야말로 사기꾼이죠. 노인네가 곱게 좀 늙으세요" — the speaker's own words
    if spoken and party == Party.THIRD_PARTY and len(in_chat := [q for q in SPOUSES if q in r.present]) == 1 \
            and actor.party != other(in_chat[0]) and sibling_told(h, text):
        actor = Actor(other(in_chat[0]), own=False)  # "형부 언니가 … 사채 쓴 거 알아요?" to the husband: the wife's act
    if spoken and party == Party.THIRD_PARTY and h.ground == "840-4" and not actor.own and _PARENT_NAMED.search(text) \
            and (kin := r.families.get(str(seg["speaker"])) or kin_key_side(str(seg["speaker"]))) in SPOUSES:
        # 오빠 to his sister: "매제가 … 아버지한테 … 욕했어"; 처남 to his sister's husband: "매형 … 우리 엄마한테 …": the
        # family's own parent, so the other spouse did it
        actor = Actor(other(kin), own=False)
    if spoken and actor.party == Party.THIRD_PARTY and actor.own and seg.get("speaker") in r.families \
            and marks_told(h, text):
        # the 장모 to her son-in-law: "얼굴에 손자국이 그대로던데" — on her daughter, so the other spouse did it
        actor = Actor(other(r.families[str(seg["speaker"])]), own=False)
    if actor.party == Party.THIRD_PARTY and actor.side is None and actor.own and seg.get("speaker") in r.families:
        actor = replace(actor, side=r.families[str(seg["speaker"])])  # the opponent's mother's own insult
    return actor, party


_ROW_NOTE: Final = re.compile(r"\([^()]*\)")


def _in_laws_spoken_to(party: str, r: _Reading) -> bool:
    """A chat of `party` with the other spouse's family: a third-party speaker on the other spouse's side (by how they
    address each other, `family_sides`, or by an in-law key: "장모", "시어머니")."""
    return any(r.smap.get(sp) == Party.THIRD_PARTY and (r.families.get(sp) or kin_key_side(sp)) == other(party)
               for sp in r.smap)


def _reciprocal(actor: Actor, party: str, text: str, speaker: str | None, r: _Reading,
                h: Hit | None = None) -> tuple[Actor, ...]:
    """Between the spouses, the other spouse's act of the same kind that a line tells beside the one read: "칼 든 건
    잘못했어. 근데 먼저 손댄 건 당신이야" (the one spoken to did it first), "니가 먼저 내 뺨 때렸잖아 그래서 나도 친 거야"
    (the speaker did it back). In a paper, the learned model's whole-line read of a line whose coordinate clauses
    have each spouse as subject ("원고는 … 부었고, 저는 … 비틀어 …") is both spouses' act."""
    if speaker is None and h is not None and h.rule.startswith("model:") and actor.party in SPOUSES \
            and h.ground in ("840-2", "840-3", "840-4"):
        both = both_in_paper(text, party, r.named)
        return (Actor(other(actor.party), own=other(actor.party) == party),) if actor.party in both else ()
    if speaker is None or party not in SPOUSES or not set(SPOUSES) <= r.present:
        return ()
    if actor.party == party and you_first(text, h.ground if h is not None else None):
        return (Actor(other(party), own=False),)
    if actor.party == other(party) and me_back(text, h.ground if h is not None else None):
        return (Actor(party),)
    return ()


def _in_law_speaking(seg: Mapping[str, Any]) -> bool:
    """A 녹취록 line of the client's paper spoken by an in-law named by kin word ("장모: …", "시어머니: …"): the
    opponent's family speaking."""
    label = transcript_speaker(seg)
    return label is not None and label.removesuffix("님") in IN_LAWS_HUSBAND_SIDE | IN_LAWS_WIFE_SIDE


def _regrounded(h: Hit, actor: Actor, text: str, r: _Reading) -> Hit:
    """The hit under the ground its actor and victim make: the opponent's family abusing the client is 840-3 (장모에게
    욕을 들었다), the opponent abusing the client's parent in a chat with them is 840-4."""
    if h.ground == "840-4" and actor.party == Party.THIRD_PARTY and actor.side == Party.OPPONENT \
            and not _OWN_PARENT.search(text):
        return replace(h, tag=_in_laws_tag(text), ground="840-3")
    if h.ground == "840-3" and actor.party in SPOUSES and actor.own and h.tag in _AS_PARENTS and in_law_provoked(text):
        # "멱살 잡은 건 맞아. 근데 아버님이 먼저 나한테 …": the speaker's own act was on the other's parent (840-4)
        tag = _AS_PARENTS[h.tag]
        return replace(h, tag=tag, ground=ground_of_tag(tag))
    if h.ground == "840-3" and actor.party == Party.OPPONENT and actor.own and h.tag in _AS_PARENTS \
            and h.seq in r.to_clients_parent:
        tag = _AS_PARENTS[h.tag]
        return replace(h, tag=tag, ground=ground_of_tag(tag))
    return h


def _actor_name(actor: Actor, speaker: str | None, r: _Reading, h: Hit, text: str) -> str | None:
    """Who did it, as insights name them: 원고(…)/피고(…), a third person by name, a spouse's family (with the in-law
    the line names: "피고(오수진) 측 가족(장모 권말순)"), else None."""
    if actor.party in SPOUSES:
        return r.parties.display(actor.party)
    if actor.party == Party.THIRD_PARTY and actor.own and speaker:
        return r.shown.get(speaker, speaker)
    if actor.party == Party.THIRD_PARTY and actor.side in SPOUSES:
        who = in_law_named(h, text) if not actor.own else None
        return f"{r.parties.display(actor.side) or ''} 측 가족".strip() + (f"({who})" if who else "")
    return None


def attribute(segments: list[SegmentDoc], hits: Sequence[Hit], *, parties: Parties,
              speakers_map: Mapping[str, str], event_time: str | None, speakers: Sequence[str],
              descriptions: Mapping[int, str] | None = None, lawyer: frozenset[tuple[int, str]] = frozenset(),
              kept: Sequence[Hit] | None = None) -> DerivedDoc:
    """Labels (with actor, favours, source), summary, insights and timeline from stored segments and hits.

    `lawyer` are the (seq, tag) pairs that came from the lawyer's labels (`source: "lawyer"`); `descriptions`
    are an engine's own sentences, used where the actor is not a party LEH can name. `speakers_map` values are
    parties or a parent's role (`opponent_parent`, `client_parent`: a third party on that spouse's side).
    """
    by_seq: dict[int, Mapping[str, Any]] = {int(s["seq"]): s for s in segments}
    r = _reading(segments, parties, speakers_map, speakers)
    acts: _Acts = {}
    kept = kept_hits(hits) if kept is None else list(kept)
    author = speakers_map.get(AUTHOR_KEY)
    if author == CLIENT_PARENT or (author == Party.THIRD_PARTY and writer_is_clients_parent(segments, parties)):
        hits, kept = _as_parents_acts(hits, kept, by_seq, r.named)
    kept_ids = {id(h) for h in kept}
    told: dict[int, dict[tuple[str, str | None], tuple[float, str]]] = defaultdict(dict)  # seq → actor → line
    moved: dict[Hit, Hit] = {}
    not_admitted: set[tuple[int, str, int, int]] = set()
    for h0 in hits:
        seg = by_seq.get(h0.seq, {})
        text = str(seg.get("text") or "")
        actor, party = _actor(h0, seg, r)
        h = _regrounded(h0, actor, text, r)
        if h is not h0:
            moved[h0] = h
        speaker = str(seg["speaker"]) if seg.get("speaker") and seg.get("kind", "speech") == "speech" else None
        if h.admission and not actor.own:
            not_admitted.add((h.seq, h.tag, h.start, h.end))  # the line admits the teller's act, not this one
        for a in (actor, *_reciprocal(actor, party, text, speaker, r, h)) if h.weight > 0 else ():  # a vetoed reading: no act
            _add_act(acts, h, a, LAWYER if (h.seq, h.tag) in lawyer else ENGINE, _actor_name(a, speaker, r, h, text))
            who = (a.party, a.side)
            if id(h0) in kept_ids and (who not in told[h.seq] or h0.weight > told[h.seq][who][0]):
                line = describe(h, a, r.shown.get(speaker, speaker) if speaker else None, party, parties, text)
                engine_line = (descriptions or {}).get(h.seq)
                told[h.seq][who] = (h0.weight, engine_line if engine_line and a.party not in SPOUSES else line)
    lines = {seq: _told(by_actor) for seq, by_actor in told.items()}
    acts = _settled(acts)
    if moved:
        hits, kept = [moved.get(x, x) for x in hits], [moved.get(x, x) for x in kept]
    certificate = _certificate_timeline(segments, kept, event_time, parties)
    if certificate:  # a certificate's lines prove an injury: the summary says so, as its timeline does
        what = certificate[0]["description"].split(": ", 1)[0]
        lines = {seq: f"{what}에 진단 내용이 기재됨" for seq in lines}
    summary, overview = summarize(segments, kept, list(speakers), event_time, descriptions=lines)
    return {
        "labels": _labels(hits, acts),
        "summary": summary,
        "insights": insights_of(segments, [replace(h, admission=False) if (h.seq, h.tag, h.start, h.end) in not_admitted
                                           else h for h in kept],
                                actors={k: tuple(a.name for a in v) for k, v in acts.items()}),
        "timeline": certificate or timeline_events(
            segments, kept, event_time, overview, descriptions=lines, sides=_sides(acts, kept)),
        "speakers_map": dict(speakers_map),
        "hits": [hit_doc(h, (descriptions or {}).get(h.seq)) for h in hits if h.weight > 0 and h.rule != LAWYER],
    }


# A parent named in a kin's line ("아버지가", "우리 엄마한테", "어머님"): the family's own parent.
_PARENT_NAMED: Final = re.compile(r"엄마|어머니|어머님|아빠|아버지|아버님|부모님")
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


def _sides(acts: _Acts, kept: Iterable[Hit]) -> dict[int, frozenset[str]]:
    """Whom each labelled segment's kept acts favour: a timeline event never joins lines that favour different sides."""
    out: dict[int, set[str]] = defaultdict(set)
    for h in kept:
        out[h.seq].update(str(a.actor.favours) for a in acts.get((h.seq, h.tag), []))
    return {seq: frozenset(v) for seq, v in out.items()}


def _told(by_actor: Mapping[tuple[str, str | None], tuple[float, str]]) -> str:
    """A line's description: each actor's strongest act, the strongest first ("피고의 폭행 관련 내용이 기재됨, 원고의
    폭언 관련 내용이 기재됨"); an act whose actor is unknown is told only when no actor is known."""
    known = {who: v for who, v in by_actor.items() if who[0] != Party.UNKNOWN} or dict(by_actor)
    return ", ".join(dict.fromkeys(line for _, line in sorted(known.values(), key=lambda v: -v[0])))


# A certificate's date lines: the day of the injury first (수상일, 상해일), then the day the doctor saw the patient.
_INJURY_DAY: Final = re.compile(r"^\s*[-·•]?\s*(?:수\s*상\s*일|상\s*해\s*일|수\s*상\s*일\s*시)")
_VISIT_DAY: Final = re.compile(r"^\s*[-·•]?\s*(?:진\s*료|진\s*단|초\s*진|발\s*행)\s*(?:일|일\s*자|일\s*시|날\s*짜)")
CERTIFICATE_QUOTE_CHARS: Final = 60


def _certificate_timeline(segments: Sequence[SegmentDoc], kept: Sequence[Hit], event_time: str | None,
                          parties: Parties) -> list[TimelineEventDoc]:
    """A medical certificate (상해진단서, 진단서, 소견서) is one timeline event saying what it is: proof of an injury,
    not an insult or a blow of anyone's ("상해진단서: “상병명: 이마 열상 (전치 2주)” (진단)"), dated as the draft
    dates it: by its day of injury (수상일), else the day of the visit (진료일), else its earliest dated finding.
    [] for any other evidence (or a certificate without findings)."""
    doc = {"segments": list(segments)}
    findings = certificate_findings(doc) if is_certificate(doc) else []
    if not findings:
        return []
    by_seq = {int(s["seq"]): s for s in segments}
    dated = [s for s in segments if s.get("ts")]
    day = (next((s for s in dated if _INJURY_DAY.match(str(s.get("text") or ""))), None)
           or next((s for s in dated if _VISIT_DAY.match(str(s.get("text") or ""))), None)
           or next((by_seq[q] for q in findings if by_seq[q].get("ts")), None))
    shown = [str(by_seq[q].get("text") or "").strip() for q in findings
             if not _INJURY_DAY.match(str(by_seq[q].get("text") or ""))] or \
            [str(by_seq[q].get("text") or "").strip() for q in findings]
    name = exhibit_name(doc) or "진단서"
    patient = certificate_patient(doc)
    for party in SPOUSES:
        person = parties.person(party)
        if patient and person is not None and patient in person.names():
            name = f"{name}(환자 {parties.display(party)})"
    event = {"ts": day.get("ts") if day else event_time, "grounds": sorted({h.ground for h in kept}),
             "segments": sorted({*findings, *(h.seq for h in kept)}),
             "description": f"{name}: {quote(', '.join(shown), CERTIFICATE_QUOTE_CHARS)} (진단)",
             **when_fields(day or {}, event_time)}
    return [cast(TimelineEventDoc, event)]  # cast: built as a plain dict like timeline_events' own


def favours_opponent(label: Mapping[str, Any]) -> bool:
    return label.get("favours") == Favours.OPPONENT
