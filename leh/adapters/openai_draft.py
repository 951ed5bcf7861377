"""Draft prose through the OpenAI Chat Completions API, from the same facts as the offline writer.

Only the facts leave the machine, pseudonymised (`leh.analysis.pseudonyms`: numbers masked, every name LEH knows
replaced by the case's pseudonym — 원고, 피고, 자녀1, 인물1 …): quotes, speakers and dates; never filenames, ids or
case data. Names come back only in the checked paragraphs. The answer is checked sentence by sentence (`filter_cited_sentences`): a sentence without a
citation of a fact it was given, with a prediction or legal conclusion, or quoting words that are not in the
cited facts is dropped and counted before anyone sees it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from leh.analysis.pseudonyms import LocalPseudonyms
from leh.domain.drafting import TYPE_LABELS, Fact, filter_cited_sentences, format_date, paragraph_sentences
from leh.domain.grounds import ground
from leh.ports import AiDraftError, Pseudonyms, PseudonymSource

__all__ = ["PROVIDER", "AiDraft", "AiDraftError", "OpenAiDraftWriter", "cost_usd"]

PROVIDER: Final = "openai"
# USD per million tokens (input, output). Unknown models are priced like gpt-4o: over-stating spend is safer
# for the cost breaker than hiding it.
_PRICES: Final[dict[str, tuple[float, float]]] = {
    "gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1": (2.00, 8.00),
}
_DEFAULT_PRICE: Final = _PRICES["gpt-4o"]

# The pleading the prose is for, as the model reads it: (what is written, which part, client's role, opponent's role).
_KINDS: Final[dict[str, tuple[str, str, str, str]]] = {
    "complaint": ("이혼 소장", "'이혼 사유'", "원고", "피고"),
    "counterclaim": ("이혼 반소장", "'이혼 사유'", "피고(반소원고, 이하 피고)", "원고(반소피고, 이하 원고)"),
    "answer": ("이혼 소송의 답변서", "'원고의 유책 사유'", "피고", "원고"),
}

_PROMPT_HEAD: Final = """당신은 한국 가정법원에 제출할 {document} 중 {part} 부분의 초안을 쓰는 보조자입니다.
이 서면을 내는 의뢰인은 {client}이고, 상대방은 {opponent}입니다. 주어진 사실은 모두 상대방의 행위에 관한 것입니다.
"""
_PROMPT_RULES: Final = """규칙:
1. 주어진 사실(facts)에 있는 내용만 쓰십시오. 추측하거나 내용을 보태지 마십시오.
2. 모든 문장은 그 문장의 근거가 된 사실의 번호를 [F1]처럼 문장 끝 마침표 앞에 붙이십시오. 근거가 없는 문장은 쓰지 마십시오.
3. 원문을 인용할 때는 주어진 quotes의 글자를 그대로 큰따옴표(“ ”) 안에 쓰십시오.
4. 승소 가능성, 판결 예측, '사유에 해당한다'와 같은 법률적 판단은 쓰지 마십시오. 사실만 쓰십시오.
5. 사람은 주어진 호칭(원고, 피고, 자녀1, 인물1, 화자1 등) 그대로 부르십시오.
6. 격식 있는 문어체(-습니다)로, 사유별로 날짜 순서에 따라 쓰십시오.
출력은 JSON 하나입니다: {"grounds": [{"ground": "840-3", "paragraphs": ["문단", "…"]}]}"""


def system_prompt(kind: str = "complaint") -> str:
    """The instructions for the pleading of `kind` (complaint 소장, counterclaim 반소장, answer 답변서)."""
    document, part, client, opponent = _KINDS.get(kind, _KINDS["complaint"])
    return _PROMPT_HEAD.format(document=document, part=part, client=client, opponent=opponent) + _PROMPT_RULES


SYSTEM_PROMPT: Final = system_prompt()  # the complaint's, as before kinds existed


@dataclass
class AiDraft:
    paragraphs: dict[str, list[str]]  # ground → paragraphs with fact markers, only checked sentences
    dropped: Counter[str] = field(default_factory=Counter)
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def cost_usd(self) -> float:
        return cost_usd(self.model, self.input_tokens, self.output_tokens)


def cost_usd(model: str, input_tokens: int, output_tokens: int) -> float:
    """Estimated cost; dated model names ("gpt-4o-mini-2024-07-18") are priced by their longest known prefix."""
    match = max((m for m in _PRICES if model.startswith(m)), key=len, default=None)
    price_in, price_out = _PRICES[match] if match else _DEFAULT_PRICE
    return round((input_tokens * price_in + output_tokens * price_out) / 1_000_000, 6)


def pseudonyms_for(source: PseudonymSource, facts_by_ground: dict[str, list[Fact]],
                   case_id: str | None = None) -> Pseudonyms:
    """The case's pseudonyms, with every speaker and name the facts hold: names never leave the machine.

    Recordings already label their voices 화자1, 화자2 …; those labels are sent as they are.
    """
    quotes = [q for facts in facts_by_ground.values() for f in facts for q in f.quotes]
    return source.for_case(case_id, texts=[q.text for q in quotes], speakers=[q.speaker for q in quotes])


def masked_fact(fact: Fact, names: Pseudonyms | None = None) -> dict[str, Any]:
    """What the provider sees of one fact: pseudonymised words and speakers, date and place in the file, nothing else."""
    names = names or LocalPseudonyms().for_case(None)
    out: dict[str, Any] = {
        "id": fact.fact_id, "evidence": TYPE_LABELS.get(fact.evidence_type, "증거자료"), "tags": list(fact.tags),
        "quotes": [{"speaker": names.speaker(q.speaker) or None, "text": names.pseudonymize(q.text)}
                   for q in fact.quotes],
    }
    if fact.ts:
        out["date"] = format_date(fact.ts, precision=fact.ts_precision, part_of_day=fact.ts_part_of_day)
    if fact.locator:
        out["location"] = fact.locator
    return out


def build_messages(facts_by_ground: dict[str, list[Fact]], names: Pseudonyms | None = None,
                   kind: str = "complaint") -> list[dict[str, str]]:
    document, _part, client, opponent = _KINDS.get(kind, _KINDS["complaint"])
    payload = {"document": document, "client": client, "opponent": opponent, "grounds": [{"ground": gid, "name": ground(gid).name, "facts": [masked_fact(f, names) for f in facts]}
                           for gid, facts in facts_by_ground.items() if facts]}
    return [{"role": "system", "content": system_prompt(kind)},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def _parse_answer(content: str) -> dict[str, list[str]]:
    """{ground: paragraphs} from the model's JSON; tolerates a ```json fence. Raises ValueError on anything else."""
    text = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content or "")
    data = json.loads(text)
    out: dict[str, list[str]] = {}
    for item in data.get("grounds") or []:
        paragraphs = item.get("paragraphs")
        if isinstance(item.get("ground"), str) and isinstance(paragraphs, list):
            out.setdefault(item["ground"], []).extend(p for p in paragraphs if isinstance(p, str))
    return out


class OpenAiDraftWriter:
    """Writes the ground paragraphs of a draft with a chat model; see the module docstring for the checks."""

    provider = PROVIDER

    def __init__(self, *, api_key: str | None, base_url: str | None = None, model: str = "gpt-4o-mini",
                 timeout_s: float = 60.0, max_retries: int = 1, pseudonyms: PseudonymSource | None = None):
        self.api_key = api_key
        self.pseudonyms: PseudonymSource = pseudonyms or LocalPseudonyms()
        self.base_url = base_url
        self.model = model
        self.timeout_s = timeout_s
        self.max_retries = max_retries

    @classmethod
    def from_settings(cls, settings: Any, pseudonyms: PseudonymSource | None = None) -> OpenAiDraftWriter:
        return cls(api_key=settings.openai_api_key, base_url=settings.openai_base_url, model=settings.openai_model,
                   timeout_s=settings.openai_timeout_seconds, pseudonyms=pseudonyms)

    def write(self, facts_by_ground: dict[str, list[Fact]], *, case_id: str | None = None,
              kind: str = "complaint") -> AiDraft:
        import openai

        if not self.api_key:
            raise AiDraftError("ai_not_configured")
        client = openai.OpenAI(api_key=self.api_key, base_url=self.base_url or None, timeout=self.timeout_s,
                               max_retries=self.max_retries)
        names = pseudonyms_for(self.pseudonyms, facts_by_ground, case_id)
        try:
            result = client.chat.completions.create(  # type: ignore[call-overload]
                model=self.model, messages=build_messages(facts_by_ground, names, kind),
                temperature=0.2, response_format={"type": "json_object"},
            )
        except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as exc:
            raise AiDraftError("ai_unavailable") from exc
        except openai.APIError as exc:  # 4xx: a bad key or model; a malformed 200
            raise AiDraftError("ai_rejected") from exc
        finally:
            client.close()
        usage = getattr(result, "usage", None)
        draft = AiDraft(paragraphs={}, model=getattr(result, "model", None) or self.model,
                        input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                        output_tokens=int(getattr(usage, "completion_tokens", 0) or 0))
        try:
            answer = _parse_answer(result.choices[0].message.content or "")
        except (ValueError, AttributeError, IndexError, TypeError):
            # The tokens were spent all the same: the caller records usage and falls back to the templates.
            draft.dropped["invalid_output"] += 1
            return draft
        for gid, facts in facts_by_ground.items():
            allowed = {f.fact_id: f for f in facts}
            # The check compares quotes against exactly the (pseudonymised) words the model was given.
            given = {f.fact_id: " ".join(names.pseudonymize(q.text) for q in f.quotes) for f in facts}
            kept, dropped = filter_cited_sentences(answer.get(gid, []), allowed, given)
            draft.dropped.update(dropped)
            if kept:
                quoted = [q.text for f in facts for q in f.quotes]
                draft.paragraphs[gid] = [names.restore(p, quoted) for p in kept]  # names come back only here
        for gid, paragraphs in answer.items():
            if gid not in facts_by_ground:  # a ground it was not asked about has no facts to stand on
                draft.dropped["unknown_ground"] += sum(len(paragraph_sentences(p)) for p in paragraphs)
        return draft
