"""Speakers mapped to the case's parties: the first guess for the lawyer (display names, aliases, forms of address,
a document's author line), an AI model's checked roles over it, the lawyer's confirmed map, and whose family a third
person in a chat is. Part of who did what (`leh.analysis.attribution`)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

from leh.analysis.lexicon import IN_LAWS_HUSBAND_SIDE, IN_LAWS_WIFE_SIDE
from leh.domain.parties import (
    AUTHOR_KEY,
    CLIENT_PARENT,
    OPPONENT_PARENT,
    PARENT_ROLES,
    PARTY_VALUES,
    ClientSide,
    Parties,
    Party,
    other,
    parent_kin,
    role_party,
)

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
    a speaker called by a party's name (준호야) is that party; a parent of a spouse is `opponent_parent` /
    `client_parent` (`_parent_roles`). Speakerless text gets `AUTHOR_KEY` → the party its author line names
    (작성자/진술인/확인자: a third party when it is someone else), a third party for the firm's own 상담일지, else the
    client; a 녹취록 typed into a document adds its numbered voices (`transcript_voice_roles`).
    """
    speech = [s for s in segments if s.get("kind", "speech") == "speech" and (s.get("text") or "").strip()]
    out: dict[str, str] = {}
    for s in speech:
        sp = s.get("speaker")
        if sp and sp not in out:
            party = name_party(str(sp), parties)
            if party == Party.UNKNOWN and _norm(str(sp)) in SELF_NAMES:
                party = Party.CLIENT
            out[str(sp)] = kin_role(str(sp)) if party == Party.UNKNOWN else party
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
    out.update(_parent_roles(speech, out, parties))
    if any(not s.get("speaker") for s in segments if s.get("kind", "speech") in ("speech", "text")
           and (s.get("text") or "").strip()):
        out[AUTHOR_KEY] = _author_party(segments, parties)
        out.update({v: r for v, r in transcript_voice_roles(segments, parties).items() if v not in out})
    return out


# A speaker named by kin word in the client's evidence ("시어머니 봉계순", "장모님" of a 문자 내역 on the client's
# phone): the spouse's parents are the opponent's, one's own are the client's, siblings-in-law a third person.
_KIN_SPEAKER: Final = re.compile(r"^(?:(?P<inlaw>시어머니|시어머님|시아버지|시아버님|시부모님?|장모님?|장인어른|장인님?)|"
                                 r"(?P<own>친정\s?(?:엄마|어머니|아버지|아빠)|친정\s?부모님?)|"
                                 r"(?P<sibling>시누이?|시동생|시아주버니|아주버님|처남|처제|처형|동서|올케|매형|매부|제부))"
                                 r"(?=\s|$)")


def kin_role(speaker: str) -> str:
    """The party of a speaker whose label opens with a kin word, else unknown."""
    m = _KIN_SPEAKER.match(speaker.strip())
    if m is None:
        return Party.UNKNOWN
    return OPPONENT_PARENT if m.group("inlaw") else CLIENT_PARENT if m.group("own") else Party.THIRD_PARTY


# How a spouse addresses the other spouse's parent (own parents: `_OWN_PARENT_ADDRESS`).
_IN_LAWS_PARENT_ADDRESS: Final = re.compile(r"^(?:장모님|장모|장인어른|장인님|장인|어머님|아버님|시어머니|시어머님|시아버지|"
                                            r"시아버님)(?=[\s,.!?~]|$)")
# A parent speaking of their own child to the child's spouse: "우리 딸 한 번만 더 건드리면", "우리 아들한테".
_OUR_CHILD: Final = re.compile(r"우리\s?(?:딸|아들)(?=[\s,.!?~이가은는을를한에도]|$)")
_PARENT_OF_PARTY: Final[dict[str, str]] = {Party.OPPONENT: OPPONENT_PARENT, Party.CLIENT: CLIENT_PARENT}


def _parent_votes(text: str, me: str | None, them: str | None, parties: Parties) -> tuple[str, str, int] | None:
    """(who, role, weight) one message says about a parent: a spouse addressing the speaker spoken to as an in-law
    parent (장모님, 어머님) or as their own (엄마), or a third person calling the spouse O서방/며늘아 or speaking of
    "우리 딸" / "우리 <the other spouse's name>"; None when it says nothing."""
    if me in SPOUSES and them not in SPOUSES:
        if _IN_LAWS_PARENT_ADDRESS.match(text):
            return "them", _PARENT_OF_PARTY[other(me)], 2
        if _OWN_PARENT_ADDRESS.match(text):
            return "them", _PARENT_OF_PARTY[me], 2
    elif me not in SPOUSES and them in SPOUSES:
        child = other(them)
        person = parties.person(child)
        names = [*(person.names() if person else ()), *([g] if person and (g := given_name(person.name)) else [])]
        ours = any(re.search(rf"우리\s?{re.escape(n)}", text) for n in names if len(n) >= 2)
        if _CHILD_IN_LAW_ADDRESS.match(text) or _OUR_CHILD.search(text) or ours:
            return "me", _PARENT_OF_PARTY[child], 1
    return None


def _parent_roles(speech: Sequence[Mapping[str, Any]], out: Mapping[str, str], parties: Parties) -> dict[str, str]:
    """Speakers that are neither spouse whom the chat shows to be a spouse's parent: how the spouses address them
    (장모님 from the client: the opponent's parent; 엄마: the client's own) and how they speak to a spouse (한서방,
    며늘아, "우리 딸", "우리 수진이"). Only a clear majority counts. A child of the case (by name, or calling a spouse
    엄마/아빠) is never a parent, though a mother writes to her child "엄마 오늘 늦어"."""
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    children = {_norm(n) for c in parties.children for n in (c.name, given_name(c.name)) if n}
    for i, s in enumerate(speech):
        sp, to = str(s.get("speaker") or ""), _addressee(speech, i)
        if not sp or to is None:
            continue
        text = str(s.get("text") or "").strip()
        if out.get(sp) not in SPOUSES and out.get(to) in SPOUSES and _OWN_PARENT_ADDRESS.match(text):
            children.add(_norm(sp))  # the spouse's child speaking to them
        vote = _parent_votes(text, out.get(sp), out.get(to), parties)
        if vote is not None:
            who, role, weight = vote
            votes[to if who == "them" else sp][role] += weight
    found: dict[str, str] = {}
    for speaker, tally in votes.items():
        best = sorted(tally.items(), key=lambda kv: -kv[1])
        if out.get(speaker) not in SPOUSES and _norm(speaker) not in children and (
                len(best) == 1 or best[0][1] > best[1][1]):
            found[speaker] = best[0][0]
    return found


# A document's own line naming who wrote it: "작성자: 윤정숙 (정민호의 어머니)", "진술인 성명 : 박OO".
_AUTHOR_LINE: Final = re.compile(r"(?:작성자|작성인|진술인|진술자|확인자|사실확인자|제보자|발신인)\s*(?:성명|이름)?\s*[:：]?\s*"
                                 r"([가-힣]{2,4})(?![가-힣])")
AUTHOR_LINES_READ: Final = 8


def _author_party(segments: Sequence[Mapping[str, Any]], parties: Parties) -> str:
    """Who wrote a speakerless document: the party its author line names, a third party when it names someone else
    (a neighbour's 사실확인서, the client's mother's) or when it is the firm's own note (`firm_note`), else the
    client, whose papers most evidence is."""
    for seg in list(segments)[:AUTHOR_LINES_READ]:
        m = _AUTHOR_LINE.search(str(seg.get("text") or ""))
        if m is not None:
            party = name_party(m.group(1), parties)
            return party if party != Party.UNKNOWN else Party.THIRD_PARTY
    return Party.THIRD_PARTY if firm_note(segments) else Party.CLIENT


# The firm's own record of a consultation, written by its staff in the third person ("의뢰인은 …라고 함"): its title
# or the staff member's line ("담당: 사무장 이정미", "상담자: 실장 …").
_FIRM_NOTE: Final = re.compile(r"^\s*상담\s?(?:일지|기록|카드|내용\s?기록)|(?:담당|담당자|상담자|상담인|기록자)\s*[:：]\s*"
                               r"(?:[가-힣]{2,4}\s)?(?:사무장|사무원|직원|실장|팀장|상담원|상담실장|변호사|비서)")


def firm_note(segments: Sequence[Mapping[str, Any]]) -> bool:
    """A speakerless paper that is the firm's own consultation note (상담일지): its author is a third party on the
    client's side, recording what the client told; a line without a subject is the client's account, never the
    client's own act (`leh.analysis.attribution`)."""
    return any(_FIRM_NOTE.search(str(seg.get("text") or "")) for seg in list(segments)[:AUTHOR_LINES_READ]
               if not seg.get("speaker"))


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
# "제유진(아내): …": a name with who they are in brackets.
_TRANSCRIPT_LINE: Final = re.compile(r"^\s*([가-힣A-Za-z][가-힣A-Za-z0-9 ]{0,10}?(?:\s?\([가-힣,\s]{1,12}\))?)\s*[:：]\s*\S")


# A transcript's key line naming a numbered voice, alone on its line: "화자 1 이름: 김나리 (피고)", "화자2: 오세훈",
# "화자2: 인가람 (피고, 아내)" (the words in brackets say who the voice is).
_VOICE_KEY: Final = re.compile(r"^\s*((?:화자|발화자|녹취자)\s?\d{1,2})\s*(?:이름|성명)?\s*[:：=]\s*([가-힣]{2,5})"
                               r"\s*(?:\(([^)]{0,20})\))?\s*$")


# One key line naming several voices, split before each voice: "화자 1 이름: 오재석 (원고) / 화자 2 이름: 강은비 (피고)".
_KEY_PARTS: Final = re.compile(r"\s*[/,;·]\s*(?=(?:화자|발화자|녹취자)\s?\d)")


def _voice(label: str) -> str:
    return re.sub(r"\s", "", label)


def voice_keys(line: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The numbered voices one key line of a transcript names, each as (voice, name, the words in brackets):
    "화자 1 이름: 오재석 (원고) / 화자 2 이름: 강은비 (피고, 아내)" → [("화자1", "오재석", ("원고",)), ("화자2", "강은비",
    ("피고", "아내"))]; [] for a line that is not a key (a voice speaking: "화자1: 김나리 왔어?")."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for part in _KEY_PARTS.split(line):
        if (m := _VOICE_KEY.match(part)) is not None:
            words = tuple(w.strip() for w in re.split(r"[,·/]", m.group(3) or "") if w.strip())
            out.append((_voice(m.group(1)), m.group(2), words))
    return out


def transcript_voices(segments: Sequence[Mapping[str, Any]], parties: Parties) -> dict[str, str]:
    """The parties of a 녹취록's numbered voices that its key lines name ("화자 1 이름: 김나리 (피고)" → {"화자1":
    party of 김나리}); only spouses, by name or alias."""
    out: dict[str, str] = {}
    for seg in segments:
        if seg.get("speaker") and seg.get("kind", "speech") == "speech":
            continue
        for line in str(seg.get("text") or "").split("\n"):
            for voice, name, _ in voice_keys(line):
                if (party := name_party(name, parties)) in SPOUSES:
                    out[voice] = party
    return out


# A voice keyed as a party's relative ("화자 3 이름: 정수빈의 모", "화자 3: 오재석 어머니"): their family speaking.
_KIN_VOICE_KEY: Final = re.compile(r"^\s*((?:화자|발화자|녹취자)\s?\d{1,2})\s*(?:이름|성명)?\s*[:：=]\s*([가-힣]{2,5}?)\s?(?:씨)?의?\s?"
                                   r"(?:모|부|모친|부친|어머니|어머님|엄마|아버지|아버님|아빠|부모|언니|오빠|누나|형|동생)"
                                   r"\s*(?:\([^)]{0,12}\))?\s*$")


# A voice keyed by an in-law word, with or without a name ("화자 1 이름: 장인 남기철", "화자 2: 시어머니"): in the client's
# paper, as a line spoken by "장모: …", the opponent's family.
_IN_LAW_VOICE_KEY: Final = re.compile(
    r"^\s*((?:화자|발화자|녹취자)\s?\d{1,2})\s*(?:이름|성명)?\s*[:：=]\s*"
    rf"(?:{'|'.join(sorted(IN_LAWS_HUSBAND_SIDE | IN_LAWS_WIFE_SIDE, key=len, reverse=True))})(?:님|어른)?"
    r"(?:\s+[가-힣]{2,4})?\s*(?:\([^)]{0,12}\))?\s*$")


def transcript_kin_voices(segments: Sequence[Mapping[str, Any]], parties: Parties) -> dict[str, str]:
    """The numbered voices of a 녹취록 that its key lines name as a spouse's relative ("화자 3 이름: 정수빈의 모" → {"화자3":
    party of 정수빈}; "화자 1 이름: 장인 남기철" → the opponent): a third person on that spouse's side."""
    out: dict[str, str] = {}
    for seg in segments:
        if seg.get("speaker") and seg.get("kind", "speech") == "speech":
            continue
        for part in (p for line in str(seg.get("text") or "").split("\n") for p in _KEY_PARTS.split(line)):
            m = _KIN_VOICE_KEY.match(part)
            if m is not None and (party := name_party(m.group(2), parties)) in SPOUSES:
                out[_voice(m.group(1))] = party
            elif (k := _IN_LAW_VOICE_KEY.match(part)) is not None:
                out[_voice(k.group(1))] = Party.OPPONENT
    return out


# The words of a kin key that make the voice a parent ("정수빈의 모", "장인 남기철"), not a sibling.
_PARENT_KEY_WORD: Final = re.compile(r"(?:의?\s?(?:모|부)|모친|부친|어머니|어머님|엄마|아버지|아버님|아빠|부모|시어머니|시어머님|"
                                     r"시아버지|시아버님|시모|시부|장모|장모님|장인|장인어른)(?=\s|\(|$)")


_SPOUSE_KEY_WORDS: Final = frozenset({"원고", "피고", "남편", "아내", "처", "의뢰인", "상대방", "본인", "배우자"})
_NUMBERED_VOICE: Final = re.compile(r"(?:화자|발화자|녹취자)\s?\d{1,2}")


def transcript_voice_roles(segments: Sequence[Mapping[str, Any]], parties: Parties) -> dict[str, str]:
    """Every numbered voice of a 녹취록 typed into a document ("화자 1 이름: 김나리 (피고)", "화자 3: 엄마 아파?") with the
    role its key lines give it, for the lawyer to confirm beside the chat speakers: a spouse named → that party; a
    spouse's parent ("정수빈의 모", "장인 남기철") → `client_parent`/`opponent_parent`; another relative → a third party;
    a voice that speaks but no key names → unknown."""
    roles: dict[str, str] = {}
    for seg in segments:
        if seg.get("speaker") and seg.get("kind", "speech") == "speech":
            continue
        for part in (p for line in str(seg.get("text") or "").split("\n") for p in _KEY_PARTS.split(line)):
            if (k := _KIN_VOICE_KEY.match(part)) is not None:
                side = name_party(k.group(2), parties)
                parent = _PARENT_KEY_WORD.search(part[k.end(2):]) is not None
                roles[_voice(k.group(1))] = (_PARENT_OF_PARTY[side] if parent and side in SPOUSES
                                             else Party.THIRD_PARTY)
            elif (i := _IN_LAW_VOICE_KEY.match(part)) is not None:
                parent = _PARENT_KEY_WORD.search(part[i.end(1):]) is not None
                roles[_voice(i.group(1))] = OPPONENT_PARENT if parent else Party.THIRD_PARTY
            else:
                for voice, name, words in voice_keys(part):
                    if (party := name_party(name, parties)) != Party.UNKNOWN:
                        roles.setdefault(voice, party)
                    elif words and not _SPOUSE_KEY_WORDS & set(words):  # "화자3: 육소미 (딸, 7세)"
                        roles.setdefault(voice, Party.THIRD_PARTY)
    for seg in segments:
        label = transcript_speaker(seg)
        if label is not None and _NUMBERED_VOICE.fullmatch(label):
            roles.setdefault(_voice(label), Party.UNKNOWN)
    return dict(sorted(roles.items(), key=lambda kv: (re.sub(r"\d", "", kv[0]), int(re.sub(r"\D", "", kv[0])))))


def voice_names(segments: Sequence[Mapping[str, Any]], parties: Parties) -> dict[str, str]:
    """What a 녹취록's key lines write of each numbered voice, to show beside it ("화자1" → "길도한 (원고, 남편)"): a
    key with words in brackets or naming a party ("화자1: 여보" is a voice speaking, not a key)."""
    out: dict[str, str] = {}
    for seg in segments:
        if seg.get("speaker") and seg.get("kind", "speech") == "speech":
            continue
        for line in str(seg.get("text") or "").split("\n"):
            for voice, name, words in voice_keys(line):
                if words or name_party(name, parties) != Party.UNKNOWN:
                    out.setdefault(voice, f"{name} ({', '.join(words)})" if words else name)
            for part in _KEY_PARTS.split(line):
                if (k := _KIN_VOICE_KEY.match(part) or _IN_LAW_VOICE_KEY.match(part)) is not None:
                    out.setdefault(_voice(k.group(1)), part[k.end(1):].lstrip(" 이름성명:：=").strip())
    return out


def mapped_voices(speakers_map: Mapping[str, str], voices: Mapping[str, str], kin_voices: Mapping[str, str]
                  ) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """A 녹취록's voices as the speaker map has them (the lawyer's word over the key lines'): the spouses' voices, the
    voices of a spouse's relatives (voice → that spouse), and the other third persons' voices. A voice the map leaves
    unknown keeps what its key lines say."""
    spouses, kin, thirds = dict(voices), dict(kin_voices), set()
    for voice, role in speakers_map.items():
        if not _NUMBERED_VOICE.fullmatch(voice):
            continue
        if role in SPOUSES:
            spouses[voice] = role
            kin.pop(voice, None)
        elif role in PARENT_ROLES:
            spouses.pop(voice, None)
            kin[voice] = PARENT_ROLES[role]
        elif role == Party.THIRD_PARTY:
            spouses.pop(voice, None)
            if voice not in kin:
                thirds.add(voice)
    return spouses, kin, frozenset(thirds)


def transcript_voice(seg: Mapping[str, Any]) -> str | None:
    """The numbered voice of a 녹취록 line of a document ("화자 3: …" → "화자3"), else None."""
    label = transcript_speaker(seg)
    return _voice(label) if label is not None and re.match(r"(?:화자|발화자|녹취자)\s?\d", label) else None


def transcript_party(seg: Mapping[str, Any], parties: Parties, voices: Mapping[str, str] | None = None) -> str | None:
    """The party who speaks a 녹취록 line of a document ("오세라: …"), by name or alias, or a numbered voice ("화자 1:
    …") its key lines name (`voices`, see `transcript_voices`); None when the line has no speaker's name before a
    colon or the name is not a party's (a date label, an unnamed 화자1, a third person)."""
    if seg.get("speaker") and seg.get("kind", "speech") == "speech":
        return None
    m = _TRANSCRIPT_LINE.match(str(seg.get("text") or ""))
    if m is None:
        return None
    party = name_party(m.group(1).strip(), parties)
    if party not in SPOUSES and voices:
        party = voices.get(_voice(m.group(1)), party)
    return party if party in SPOUSES else None


def transcript_speaker(seg: Mapping[str, Any]) -> str | None:
    """The speaker's label of a 녹취록 line of a document ("장모: …" → "장모"), else None."""
    if seg.get("speaker") and seg.get("kind", "speech") == "speech":
        return None
    m = _TRANSCRIPT_LINE.match(str(seg.get("text") or ""))
    return m.group(1).strip() if m else None


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
    thirds = {sp for sp, party in speakers_map.items() if role_party(party) == Party.THIRD_PARTY}
    roles = {sp: str(PARENT_ROLES[r]) for sp, r in speakers_map.items() if r in PARENT_ROLES}  # the lawyer said so
    if not spouses or not thirds:
        return roles
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
    return {**{sp: sides.pop() for sp, sides in votes.items() if len(sides) == 1}, **roles}


# A chat speaker keyed by a kin word, as the client (the one who exported the chat) calls them: an in-law ("처남",
# "장모 김순옥", "매형") is the opponent's family, one's own kin ("오빠", "엄마", "언니") the client's.
_IN_LAW_KEYS: Final = IN_LAWS_HUSBAND_SIDE | IN_LAWS_WIFE_SIDE | {"매형", "매부", "제부", "형부", "올케", "새언니", "동서",
                                                                 "형수", "형수님", "아주버님", "시아주버님"}
_OWN_KIN_KEYS: Final = frozenset({"엄마", "아빠", "어머니", "아버지", "언니", "오빠", "누나", "형", "동생", "남동생",
                                  "여동생", "친정엄마", "친정아빠", "친정어머니", "친정아버지"})


def kin_key_side(speaker: str) -> str | None:
    """The spouse whose family a chat speaker is by the kin word their key opens with ("처남" → the opponent, "오빠"
    → the client), else None."""
    parts = speaker.split()
    word = parts[0].removesuffix("님") if parts else ""
    if word in _IN_LAW_KEYS or f"{word}님" in _IN_LAW_KEYS:
        return Party.OPPONENT
    return Party.CLIENT if word in _OWN_KIN_KEYS else None


def spoken_to(segments: Sequence[Mapping[str, Any]], speakers_map: Mapping[str, str], role: str) -> set[int]:
    """The seqs of chat messages spoken to a speaker of this role (the one the message answers or is answered by)."""
    speech = [s for s in segments if s.get("speaker") and s.get("kind", "speech") == "speech"]
    if role not in speakers_map.values():
        return set()
    return {int(s["seq"]) for i, s in enumerate(speech) if speakers_map.get(_addressee(speech, i) or "") == role}


def parent_display(segments: Sequence[Mapping[str, Any]], speaker: str, role: str, parties: Parties) -> str | None:
    """"피고의 모친 권말순" for a speaker the map calls a parent (모친/부친 from how the others address them),
    else None."""
    if role not in PARENT_ROLES:
        return None
    speech = [s for s in segments if s.get("speaker") and s.get("kind", "speech") == "speech"]
    to_them = [str(s.get("text") or "").strip() for i, s in enumerate(speech)
               if s.get("speaker") != speaker and _addressee(speech, i) == speaker]
    return parties.parent_display(role, speaker, parent_kin(to_them))

