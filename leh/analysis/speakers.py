"""Speakers mapped to the case's parties: the first guess for the lawyer (display names, aliases, forms of address,
a document's author line), an AI model's checked roles over it, the lawyer's confirmed map, and whose family a third
person in a chat is. Part of who did what (`leh.analysis.attribution`)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

from leh.domain.parties import AUTHOR_KEY, PARTY_VALUES, ClientSide, Parties, Party, other

# How the exporting user's own messages are named in some exports: the exporter is the client.
SELF_NAMES: Final = frozenset({"나", "me", "본인", "내 메시지"})
# Spousal forms of address: the client calling someone this addresses the opponent.
SPOUSE_ADDRESS: Final = re.compile(r"(?:^|[\s,.!?~])(여보|여보야|자기야|자기|당신)(?=[\s,.!?~]|$)")
# An engine that names the actor (the OpenAI adapter, checked against the speakers it was sent): "speaker:<name>".
SPEAKER_AGENT: Final = "speaker:"
SPOUSES: Final = (Party.CLIENT, Party.OPPONENT)


# ------------------------------------------------------------------ speakers → parties
def _norm(name: str) -> str:
    """A display name compared loosely: no spaces, symbols or emoji, lower case."""
    return "".join(ch for ch in unicodedata.normalize("NFC", name).lower()
                   if unicodedata.category(ch)[0] in ("L", "N"))


def given_name(name: str) -> str | None:
    """준호 of 김준호: Korean full names of three syllables are a one-syllable surname and a given name."""
    n = _norm(name)
    return n[1:] if len(n) == 3 and all("가" <= ch <= "힣" for ch in n) else None


def name_party(speaker: str, parties: Parties) -> str:
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
        given = given_name(person.name)
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
        forms = {_norm(n) for n in person.names()} | ({g} if (g := given_name(person.name)) else set())
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
            party = name_party(str(sp), parties)
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
            party = name_party(m.group(1), parties)
            return party if party != Party.UNKNOWN else Party.THIRD_PARTY
    return Party.CLIENT


# The writer's relation to a party in a 사실확인서's heading: "작성자: 윤정숙 (원고의 어머니)", "원고와의 관계: 모".
_PARENT_OF: Final = re.compile(r"([가-힣]{2,4}?)\s*(?:의|와의\s*관계\s*[:：]?|과의\s*관계\s*[:：]?)\s*(?:친)?"
                               r"(?:어머니|아버지|어머님|아버님|모친|부친|엄마|아빠|모|부)(?![가-힣])")


def writer_is_clients_parent(segments: Sequence[Mapping[str, Any]], parties: Parties) -> bool:
    """A speakerless paper whose heading says its writer is the client's mother or father ("(원고의 어머니)")."""
    for seg in list(segments)[:AUTHOR_LINES_READ]:
        for m in _PARENT_OF.finditer(str(seg.get("text") or "")):
            word = m.group(1)
            if word in ("의뢰인", "내담자") or word == parties.role(Party.CLIENT) or name_party(word, parties) == Party.CLIENT:
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
                and name_party(sp, parties) == Party.UNKNOWN})
    return out


def merged_map(suggested: Mapping[str, str], current: Mapping[str, str] | None, *, confirmed: bool) -> dict[str, str]:
    """The map to use: the lawyer's confirmed entries win; new speakers get the suggestion."""
    out = dict(suggested)
    if confirmed and current:
        out.update({k: v for k, v in current.items() if k in out or k == AUTHOR_KEY})
    return out



# ------------------------------------------------------------------ a segment's party
# A transcript's line in a document (녹취록): "김나래: 너 오늘 들어오면 칼로 찔러버린다".
_TRANSCRIPT_LINE: Final = re.compile(r"^\s*([가-힣A-Za-z][가-힣A-Za-z0-9 ]{0,10}?)\s*[:：]\s*\S")


def transcript_party(seg: Mapping[str, Any], parties: Parties) -> str | None:
    """The party who speaks a 녹취록 line of a document ("오세라: …"), by name or alias; None when the line has no
    speaker's name before a colon or the name is not a party's (a date label, 화자1, a third person)."""
    if seg.get("speaker") and seg.get("kind", "speech") == "speech":
        return None
    m = _TRANSCRIPT_LINE.match(str(seg.get("text") or ""))
    if m is None:
        return None
    party = name_party(m.group(1).strip(), parties)
    return party if party in SPOUSES else None


def party_of(seg: Mapping[str, Any], speakers_map: Mapping[str, str]) -> str:
    sp = seg.get("speaker")
    if not sp or seg.get("kind", "speech") != "speech":
        return speakers_map.get(AUTHOR_KEY, Party.CLIENT)
    return speakers_map.get(str(sp), Party.UNKNOWN)



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

