"""Quoted words are someone else's: a threat quoted in the client's own statement is the other spouse's act."""

from __future__ import annotations

from leh.analysis.actor import actor_of, quoted
from leh.analysis.labels import find_hits

STATEMENT = '2023년 12월 25일 밤 남편 홍길동이 전화와 카카오톡으로 "가만 안 둔다", "다 부숴버릴 거야"라고 말했다고 의뢰인이 진술함.'


def test_a_threat_quoted_in_the_clients_statement_is_the_opponents() -> None:
    hits = [h for h in find_hits([{"seq": 0, "text": STATEMENT, "kind": "text", "speaker": None}]) if h.tag == "협박"]
    assert hits
    actors = {actor_of(h, STATEMENT, "client", {"client"}, {}, None).party for h in hits}
    assert actors == {"opponent"}


def test_the_speakers_own_unquoted_threat_stays_theirs() -> None:
    text = "너 한 번만 더 그러면 가만 안 둔다"
    [hit] = [h for h in find_hits([{"seq": 0, "text": text, "kind": "speech", "speaker": "a"}]) if h.tag == "협박"]
    actor = actor_of(hit, text, "opponent", {"opponent", "client"}, {}, "a")
    assert (actor.party, actor.own) == ("opponent", True)


def test_quote_marks() -> None:
    assert quoted("그가 “죽여버린다”고 했다", 4, 8) and quoted("그가 '죽여버린다'고 했다", 4, 8)
    assert not quoted("죽여버린다", 0, 5) and not quoted("“끝난 인용” 다음의 말", 8, 10)
    assert not quoted('"가만 안 둔다"', 0, 0)  # no span (a model hit): no claim


def test_a_speaker_declaring_they_will_not_come_home_is_leaving_themselves() -> None:
    # The demo chat's "알아서 해 나 이제 집에 안 들어간다", said by the opponent, is the opponent's 가출 (it favours the
    # client), not the client's: 들어간다 is the speaker going; 들어온다 tells of someone else.
    own = "알아서 해 나 이제 집에 안 들어간다"
    [hit] = [h for h in find_hits([{"seq": 0, "text": own, "kind": "speech", "speaker": "a"}]) if h.ground == "840-2"]
    actor = actor_of(hit, own, "opponent", {"opponent", "client"}, {}, "a")
    assert (actor.party, actor.own, actor.favours) == ("opponent", True, "client")
    other = "요즘 남편이 집에 안 들어온다"
    hits = [h for h in find_hits([{"seq": 0, "text": other, "kind": "speech", "speaker": "b"}]) if h.ground == "840-2"]
    assert hits and {actor_of(h, other, "client", {"opponent", "client"}, {}, "b").party for h in hits} == {"opponent"}


def test_abuse_spoken_to_someone_is_the_speakers_own_even_when_only_the_model_saw_it() -> None:
    # The demo's "신경 꺼 니가 뭔데 나를 감시해" by the opponent was filed as the client's 폭언 (a risk): the learned label
    # had no mode, so the message was read as telling of the other person's act.
    rude = "신경 꺼 니가 뭔데 나를 감시해"
    [hit] = [h for h in find_hits([{"seq": 0, "text": rude, "kind": "speech", "speaker": "a"}]) if h.ground == "840-3"]
    assert hit.rule.startswith("model:") and hit.mode == "utterance"
    assert actor_of(hit, rude, "opponent", {"opponent", "client"}, {}, "a").party == "opponent"
    told = "니가 나한테 욕했잖아"  # past tense: the other person's act, reported
    hits = [h for h in find_hits([{"seq": 0, "text": told, "kind": "speech", "speaker": "b"}]) if h.ground == "840-3"]
    assert hits and {actor_of(h, told, "client", {"opponent", "client"}, {}, "b").party for h in hits} == {"opponent"}


def test_a_learned_label_of_an_in_laws_abuse_in_a_statement_is_the_in_laws_act_not_the_spouses() -> None:
    # A 진술서 line ("시어머니가 … 소리를 질렀습니다") that only the learned model labelled was filed as the opponent's
    # 폭언: the model's hit carries the sentence's own subject, as the labeller finds it on the morphemes.
    from leh.analysis.labels import Hit, first_subject_agent
    from leh.analysis.morph import kiwi

    def model_hit(text: str) -> Hit:
        return Hit(seq=0, tag="폭언", ground="840-3", weight=0.8, mode="report", start=0, end=len(text),
                   rule="model:840-3", agent=first_subject_agent(kiwi().tokenize(text)))

    in_law = "2024년 3월 9일 시어머니가 전화로 '너 같은 며느리는 필요 없다'고 소리를 질렀습니다."
    actor = actor_of(model_hit(in_law), in_law, "client", {"client"}, {}, None)
    assert (actor.party, actor.side, actor.favours) == ("third_party", "opponent", "client")
    sister = "시누이가 저한테 도둑년이라고 했습니다."
    assert actor_of(model_hit(sister), sister, "client", {"client"}, {}, None).party == "third_party"
    spouse = "남편이 시어머니 앞에서 저한테 소리를 질렀습니다."  # the first subject is the spouse
    assert actor_of(model_hit(spouse), spouse, "client", {"client"}, {}, None).party == "opponent"
    place = "시댁에서 남편이 소리를 질렀습니다."  # 시댁에서 is a place, not the subject
    assert actor_of(model_hit(place), place, "client", {"client"}, {}, None).party == "opponent"


def test_a_quotation_between_the_subject_and_the_act_does_not_hide_the_subject() -> None:
    # "시어머니가 … '너 같은 며느리는 필요 없다'고 소리를 질렀습니다": the quote's 며느리는 and its sentence end are the
    # in-law's words; the clause's subject is 시어머니 (an in-law's abuse), not unknown.
    text = "2024년 3월 9일 시어머니가 전화로 '너 같은 며느리는 필요 없다'고 소리를 질렀습니다."
    rule_hits = [h for h in find_hits([{"seq": 0, "text": text, "kind": "text", "speaker": None}])
                 if not h.rule.startswith("model:")]
    assert [(h.ground, h.tag, h.agent) for h in rule_hits] == [("840-3", "시댁 부당대우", "inlaw_h")]
    spouse = "남편이 \"엄마가 뭐라든\" 하면서 소리를 질렀어"
    assert {h.agent for h in find_hits([{"seq": 0, "text": spouse, "kind": "text", "speaker": None}])
            if h.tag == "폭언"} == {"spouse"}


def test_an_in_laws_abuse_in_a_statement_is_described_as_the_opponents_family_once() -> None:
    from leh.analysis.attribution import describe
    from leh.domain.parties import parse_parties

    parties = parse_parties({"client": {"name": "김영희", "aliases": []}, "opponent": {"name": "이준호", "aliases": []},
                             "client_side": "defendant"})
    text = "2024년 3월 9일 시어머니가 전화로 '너 같은 며느리는 필요 없다'고 소리를 질렀습니다."
    [hit] = [h for h in find_hits([{"seq": 0, "text": text, "kind": "text", "speaker": None}]) if h.tag == "시댁 부당대우"]
    actor = actor_of(hit, text, "client", {"client"}, {}, None)
    assert describe(hit, actor, None, "client", parties) == "원고(이준호) 측 가족의 부당한 대우 관련 내용이 기재됨"
