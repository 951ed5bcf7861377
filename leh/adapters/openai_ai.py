"""OpenAI analysis, embeddings and evidence-only answers, with PII masking, usage accounting and offline fallback.

Before any text leaves the machine it goes through the case's pseudonyms (`leh.analysis.pseudonyms`): numbers
are masked (phone, 주민번호, card, account, e-mail, passwords) and every name LEH knows — the parties, the children,
speakers, Kiwi's proper nouns — is replaced by a stable per-case pseudonym (원고, 피고, 자녀1, 인물1 …), mapped back
locally in what comes back; embeddings are computed on the pseudonymised text. Every call that returns writes
its token usage and cost through the `UsageRecorder` port the container injects (ai_usage and the case budget); which engine is used is decided in `leh.container`. Analysis asks for JSON-schema structured output; any failure — timeout, HTTP error, a reply
that does not fit the schema — falls back to the offline lexicon model and records why in the result.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from leh.analysis.analyzer import analyze_offline, assemble, speakers_of
from leh.analysis.labels import Hit
from leh.analysis.pseudonyms import LocalPseudonyms
from leh.analysis.speakers import SPEAKER_AGENT
from leh.analysis.summary import seg_when
from leh.domain.documents import DerivedDoc, SegmentDoc
from leh.domain.grounds import GROUND_IDS, TAG_GROUND, ground_of_tag
from leh.ports import AnalysisContext, Pseudonyms, PseudonymSource, UsageRecorder

if TYPE_CHECKING:
    from leh.config import Settings

log = logging.getLogger("leh.ai.openai")

PROVIDER: Final = "openai"
CHUNK_CHARS: Final = 12_000  # masked characters per analysis request (~12k tokens of Korean)
MAX_OUTPUT_TOKENS: Final = 4_000

_SYSTEM_PROMPT: Final = (
    "당신은 한국 이혼 소송 증거를 정리하는 보조자입니다. 주어진 메시지에서 민법 제840조 각 호와 관련된 사실만 찾습니다. "
    "부정된 진술(안 때렸다, 폭언한 적 없다), 가정, 드라마나 타인의 이야기는 제외합니다. 법적 결론을 내리지 말고 "
    "메시지에 있는 사실만 적습니다. 각 발견에는 근거 메시지 번호(segments), 해당 호(ground), 세부 태그(tag), "
    "0~1 사이 확신도(confidence), 본인이 인정하는 발언인지(admission), 한 문장 설명(description, 예: "
    "'피고가 아이를 못 보게 하겠다고 협박함')을 적습니다. 사람은 주어진 호칭(원고, 피고, 자녀1, 인물1, 화자1 등) 그대로 "
    "씁니다. actor에는 그 행위를 한 사람의 호칭(메시지 앞에 적힌 말한 사람의 호칭)을, 알 수 없으면 unknown을 적습니다. 상대의 행위를 지적하거나 비난하는 말"
    "(예: '방금 그 말 협박이야', '욕하지 마')은 말한 사람이 아니라 지적당한 사람의 행위입니다. "
    "speakers에는 메시지 앞에 적힌 말한 사람의 호칭마다 그 사람이 이혼 소송의 원고(plaintiff)인지, 피고(defendant)인지, "
    "두 배우자가 아닌 제3자(third_party)인지, 알 수 없는지(unknown) 적습니다. 원고와 피고는 서로 배우자입니다. 호칭이 원고나 "
    "피고이면 그대로 따르고, 다른 사람은 서로 부르는 말(여보, 자기야, 이름), 대화 내용으로 판단하며, 근거가 없으면 unknown입니다."
)
SPEAKER_ROLES: Final = ("plaintiff", "defendant", "third_party", "unknown")  # what the model may say of a speaker

ANALYSIS_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["findings", "speakers"],
    "properties": {
        "speakers": {  # who each speaker is, in the pleading's terms the pseudonyms use (원고 = plaintiff …)
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["speaker", "party"],
                "properties": {"speaker": {"type": "string"}, "party": {"type": "string", "enum": list(SPEAKER_ROLES)}},
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["segments", "ground", "tag", "confidence", "admission", "description", "actor"],
                "properties": {
                    "segments": {"type": "array", "items": {"type": "integer"}},
                    "ground": {"type": "string", "enum": list(GROUND_IDS)},
                    "tag": {"type": "string", "enum": sorted(TAG_GROUND)},
                    "confidence": {"type": "number"},
                    "admission": {"type": "boolean"},
                    "description": {"type": "string"},
                    "actor": {"type": "string"},  # the pseudonym of who did the act, or "unknown"
                },
            },
        },
    },
}

ANSWER_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["found", "answer", "citations"],
    "properties": {
        "found": {"type": "boolean"},
        "answer": {"type": "string"},
        "citations": {"type": "array", "items": {"type": "integer"}},
    },
}


class AiCallFailed(Exception):
    """A call that produced nothing usable; `reason` is short and safe to store (no evidence text)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Prices:
    input_per_1m: float
    output_per_1m: float
    embedding_per_1m: float


class OpenAiClient:
    """The SDK client plus usage accounting: every call that returns writes one ai_usage row."""

    def __init__(self, *, api_key: str | None, base_url: str | None, timeout_s: float, max_retries: int,
                 record: UsageRecorder | None, prices: Prices):
        self.api_key, self.base_url = api_key, base_url
        self.timeout_s, self.max_retries = timeout_s, max_retries
        self.record, self.prices = record, prices
        self._client: Any = None

    @classmethod
    def from_settings(cls, s: Settings, record: UsageRecorder | None) -> OpenAiClient:
        return cls(api_key=s.openai_api_key, base_url=s.openai_base_url, timeout_s=s.openai_timeout_seconds,
                   max_retries=s.openai_max_retries, record=record,
                   prices=Prices(s.openai_input_usd_per_1m, s.openai_output_usd_per_1m, s.openai_embedding_usd_per_1m))

    def sdk(self) -> Any:
        if self._client is None:
            if not self.api_key:
                raise AiCallFailed("no_api_key")
            import openai

            # The SDK retries connection errors, 408, 409, 429 and 5xx with backoff; the timeout is per attempt.
            self._client = openai.OpenAI(api_key=self.api_key, base_url=self.base_url or None,
                                         timeout=self.timeout_s, max_retries=self.max_retries)
        return self._client

    def call(self, fn: Callable[[Any], Any]) -> Any:
        """Run one SDK call, mapping every failure to AiCallFailed with a short reason."""
        import openai

        try:
            return fn(self.sdk())
        except AiCallFailed:
            raise
        except openai.APITimeoutError as exc:
            raise AiCallFailed("timeout") from exc
        except openai.APIConnectionError as exc:
            raise AiCallFailed("connection_error") from exc
        except openai.RateLimitError as exc:
            raise AiCallFailed("rate_limited") from exc
        except openai.APIStatusError as exc:
            raise AiCallFailed(f"http_{exc.status_code}") from exc
        except openai.APIError as exc:
            raise AiCallFailed("invalid_response") from exc

    def charge(self, *, model: str, usage: Any, embedding: bool, ctx: AnalysisContext) -> None:
        if self.record is None or usage is None:
            return
        tin = int(getattr(usage, "prompt_tokens", 0) or 0)
        tout = int(getattr(usage, "completion_tokens", 0) or 0)
        if embedding:
            cost = tin / 1e6 * self.prices.embedding_per_1m
        else:
            cost = tin / 1e6 * self.prices.input_per_1m + tout / 1e6 * self.prices.output_per_1m
        try:
            self.record.record(case_id=ctx.case_id, user_id=ctx.user_id, evidence_id=ctx.evidence_id, provider=PROVIDER,
                        model=model, input_tokens=tin, output_tokens=tout, cost_usd=round(cost, 8))
        except Exception:
            # Accounting must not lose the answer that was already paid for; the failure is visible in the logs.
            log.exception("usage accounting failed", extra={"evidence_id": ctx.evidence_id, "code": "USAGE_RECORD_FAILED"})


# ------------------------------------------------------------------ what is sent
def _lines(segments: Sequence[SegmentDoc], names: Pseudonyms) -> list[tuple[int, str]]:
    out = []
    for s in segments:
        if s.get("kind", "speech") == "system" or not (s.get("text") or "").strip():
            continue
        who = names.speaker(s.get("speaker"))
        when = seg_when(s) or ""  # a day-only time is sent as the day: the model must not see an invented 00:00
        head = " ".join(p for p in (f"[{s['seq']}]", when, f"{who}:" if who else "") if p)
        out.append((int(s["seq"]), f"{head} {names.pseudonymize(s['text'])}"))
    return out


def _chunks(lines: list[tuple[int, str]], limit: int = CHUNK_CHARS) -> list[list[tuple[int, str]]]:
    chunks: list[list[tuple[int, str]]] = [[]]
    size = 0
    for item in lines:
        if chunks[-1] and size + len(item[1]) > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += len(item[1]) + 1
    return [c for c in chunks if c]


# ------------------------------------------------------------------ analysis
class OpenAiAnalyzer:
    """AnalysisEngine over Chat Completions with JSON-schema output; falls back to the offline model."""

    def __init__(self, client: OpenAiClient, *, model: str, pseudonyms: PseudonymSource | None = None):
        self.client, self.model = client, model
        self.pseudonyms: PseudonymSource = pseudonyms or LocalPseudonyms()

    def analyze(self, segments: list[SegmentDoc], *, event_time: str | None, context: AnalysisContext) -> DerivedDoc:
        try:
            return self._analyze(segments, event_time=event_time, ctx=context)
        except AiCallFailed as exc:
            log.warning("openai analysis failed, offline analysis used",
                        extra={"evidence_id": context.evidence_id, "reason": exc.reason})
            result = analyze_offline(segments, event_time=event_time)
            result["analysis"] = {**result["analysis"], "fallback_from": f"{PROVIDER}:{self.model}",
                                  "fallback_reason": exc.reason}
            return result

    def _analyze(self, segments: list[SegmentDoc], *, event_time: str | None, ctx: AnalysisContext) -> DerivedDoc:
        speakers = speakers_of(segments)
        texts = [str(s.get("text") or "") for s in segments if s.get("kind", "speech") != "system"]
        names = self.pseudonyms.for_case(ctx.case_id, texts=texts, speakers=speakers, evidence_id=ctx.evidence_id)
        texts_by_seq = {int(s["seq"]): str(s.get("text") or "") for s in segments}
        by_label: dict[str, str] = {}
        for spk in speakers:
            by_label.setdefault(names.speaker(spk), spk)
        known = {int(s["seq"]) for s in segments}
        hits: list[Hit] = []
        descriptions: dict[int, str] = {}
        votes: dict[str, Counter[str]] = {}
        label_of_seq = {int(s["seq"]): names.speaker(s.get("speaker")) for s in segments}
        for chunk in _chunks(_lines(segments, names)):
            findings, roles = self._ask(chunk, ctx, {label_of_seq[seq] for seq, _ in chunk} - {""})
            for label, role in roles.items():
                votes.setdefault(label, Counter())[role] += 1
            for f in findings:
                seqs = sorted({int(x) for x in f["segments"] if int(x) in known})
                tag = f["tag"]
                if not seqs or tag not in TAG_GROUND:
                    continue
                weight = min(1.0, max(0.0, float(f["confidence"])))
                mode = "utterance" if tag == "협박" else "report"
                # Who did it, checked against the speakers actually sent: a label no speaker had is unknown.
                actor = by_label.get(f.get("actor") or "")
                for seq in seqs:
                    # The tag decides the ground: a reply pairing 폭행 with 840-1 is read as 폭행 (840-3).
                    hits.append(Hit(seq=seq, tag=tag, ground=ground_of_tag(tag), weight=weight, mode=mode, start=0,
                                    end=0, rule=f"{PROVIDER}:{self.model}", admission=bool(f["admission"]),
                                    agent=f"{SPEAKER_AGENT}{actor}" if actor else "unknown"))
                if f["description"].strip():
                    descriptions.setdefault(seqs[0], names.restore(f["description"].strip(),
                                                                   [texts_by_seq.get(x, "") for x in seqs]))
        derived = assemble(segments, hits, event_time=event_time, engine=f"{PROVIDER}:{self.model}",
                           kept=[h for h in hits if h.weight >= 0.5], descriptions=descriptions)
        # Who each speaker is, in the pleading's terms the pseudonyms used; the worker turns it into parties.
        roles = speaker_roles(votes, {spk: names.speaker(spk) for spk in speakers})
        if roles:
            derived["analysis"] = {**derived["analysis"], "speaker_roles": roles}
        return derived

    def _ask(self, chunk: list[tuple[int, str]], ctx: AnalysisContext,
             labels: set[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The findings of one chunk, and the speaker roles it suggests for the speaker `labels` it was sent."""
        body = "\n".join(line for _, line in chunk)
        resp = self.client.call(lambda sdk: sdk.chat.completions.create(
            model=self.model, temperature=0, max_completion_tokens=MAX_OUTPUT_TOKENS,
            messages=[{"role": "system", "content": _SYSTEM_PROMPT}, {"role": "user", "content": body}],
            response_format={"type": "json_schema",
                             "json_schema": {"name": "leh_analysis", "strict": True, "schema": ANALYSIS_SCHEMA}},
        ))
        self.client.charge(model=self.model, usage=getattr(resp, "usage", None), embedding=False, ctx=ctx)
        data = _content(resp)
        return _parse_findings(data), _parse_roles(data, labels)


def speaker_roles(votes: dict[str, Counter[str]], label_of: dict[str, str]) -> dict[str, str]:
    """{speaker: plaintiff|defendant|third_party}: the model's answer per speaker label, mapped back to every speaker
    sent under that label. A label the chunks disagree on, or answered unknown, suggests nothing."""
    out: dict[str, str] = {}
    for speaker, label in label_of.items():
        tally = votes.get(label)
        if not tally:
            continue
        (best, n), *rest = tally.most_common()
        if best != "unknown" and (not rest or rest[0][1] < n):
            out[speaker] = best
    return out


def _parse_roles(data: dict[str, Any], sent: set[str]) -> dict[str, str]:
    """{speaker label: role} from a reply, checked: only labels that were sent, only the allowed roles. Anything
    else in `speakers` is ignored (the findings stand; the offline suggestion stays for those speakers)."""
    raw = data.get("speakers")
    out: dict[str, str] = {}
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        label, role = item.get("speaker"), item.get("party")
        if isinstance(label, str) and label in sent and role in SPEAKER_ROLES and label not in out:
            out[label] = str(role)
    return out


def _content(resp: Any) -> dict[str, Any]:
    try:
        choice = resp.choices[0]
        if getattr(choice, "finish_reason", None) == "length":
            raise AiCallFailed("truncated")
        data = json.loads(choice.message.content or "")
    except (AttributeError, IndexError, TypeError, json.JSONDecodeError) as exc:
        raise AiCallFailed("invalid_response") from exc
    if not isinstance(data, dict):
        raise AiCallFailed("invalid_response")
    return data


def _parse_findings(data: dict[str, Any]) -> list[dict[str, Any]]:
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise AiCallFailed("invalid_response")
    out = []
    for f in findings:
        if not isinstance(f, dict) or not isinstance(f.get("segments"), list):
            raise AiCallFailed("invalid_response")
        try:
            out.append({"segments": [int(x) for x in f["segments"]], "tag": str(f["tag"]),
                        "confidence": float(f["confidence"]), "admission": bool(f.get("admission")),
                        "description": str(f.get("description") or ""), "actor": str(f.get("actor") or "unknown")})
        except (KeyError, TypeError, ValueError) as exc:
            raise AiCallFailed("invalid_response") from exc
    return out


# ------------------------------------------------------------------ embeddings
class OpenAiEmbedder:
    """The Embedder for hybrid search: pseudonymised text (questions too, so vectors match), one ai_usage row per request."""

    def __init__(self, client: OpenAiClient, *, model: str, dimensions: int | None,
                 pseudonyms: PseudonymSource | None = None):
        self.client, self.model, self.dimensions = client, model, dimensions
        self.pseudonyms: PseudonymSource = pseudonyms or LocalPseudonyms()

    def embed(self, texts: list[str], *, case_id: str | None = None, evidence_id: str | None = None,
              user_id: str | None = None) -> list[list[float]]:
        # The API refuses empty strings; a lone space embeds as "nothing" and keeps positions aligned.
        names = self.pseudonyms.for_case(case_id, texts=texts, evidence_id=evidence_id)
        inputs = [names.pseudonymize(t) or " " for t in texts]
        kwargs: dict[str, Any] = {"model": self.model, "input": inputs, "encoding_format": "float"}
        if self.dimensions:
            kwargs["dimensions"] = self.dimensions
        resp = self.client.call(lambda sdk: sdk.embeddings.create(**kwargs))
        self.client.charge(model=self.model, usage=getattr(resp, "usage", None), embedding=True,
                           ctx=AnalysisContext(case_id=case_id, evidence_id=evidence_id, user_id=user_id))
        try:
            rows = sorted(resp.data, key=lambda d: d.index)
            vectors = [list(map(float, d.embedding)) for d in rows]
        except (AttributeError, TypeError, ValueError) as exc:
            raise AiCallFailed("invalid_response") from exc
        if len(vectors) != len(texts):
            raise AiCallFailed("invalid_response")
        return vectors


# ------------------------------------------------------------------ answers
class OpenAiAnswerer:
    """Writes an answer from retrieved passages only, citing passage numbers; None when it cannot be used."""

    def __init__(self, client: OpenAiClient, *, model: str, pseudonyms: PseudonymSource | None = None):
        self.client, self.model = client, model
        self.pseudonyms: PseudonymSource = pseudonyms or LocalPseudonyms()

    def answer(self, question: str, passages: Sequence[dict[str, Any]], ctx: AnalysisContext) -> tuple[bool, str, list[int]] | None:
        """(found, answer, cited passage indexes from 0) or None on any failure (the caller answers offline).

        The answer marks each sentence with the passages it rests on, numbered from 1 as in the prompt: "… [2]."
        """
        names = self.pseudonyms.for_case(ctx.case_id, texts=[question, *(str(p["text"]) for p in passages)],
                                         speakers=[p.get("speaker") for p in passages])
        numbered = "\n".join(
            f"[{i}] {(p.get('ts') or '')[:16].replace('T', ' ')} "
            f"{names.speaker(p.get('speaker'))}: {names.pseudonymize(p['text'])}"
            for i, p in enumerate(passages, start=1))
        prompt = ("아래 증거 발췌만 근거로 질문에 한국어로 짧게 답하세요. 발췌에 없는 사실, 날짜, 시간, 금액, 이름은 쓰지 말고, "
                  "근거가 없거나 발췌가 질문과 낱말만 같고 뜻이 다르면 found=false로 답하세요. 모든 문장 끝에 그 문장의 근거 "
                  "발췌 번호를 [1], [2]처럼 적고, 인용은 발췌의 글자 그대로 “ ” 안에 적으세요. 근거로 쓴 발췌 번호를 "
                  "citations에도 적으세요.\n\n"
                  f"질문: {names.pseudonymize(question)}\n\n증거 발췌:\n{numbered}")
        try:
            resp = self.client.call(lambda sdk: sdk.chat.completions.create(
                model=self.model, temperature=0, max_completion_tokens=1_000,
                messages=[{"role": "user", "content": prompt}],
                response_format={"type": "json_schema",
                                 "json_schema": {"name": "leh_answer", "strict": True, "schema": ANSWER_SCHEMA}},
            ))
            self.client.charge(model=self.model, usage=getattr(resp, "usage", None), embedding=False, ctx=ctx)
            data = _content(resp)
            # Passages are numbered from 1 for the model; the port speaks 0-based indexes.
            cited = [int(i) - 1 for i in data.get("citations") or [] if 1 <= int(i) <= len(passages)]
            return bool(data.get("found")), names.restore(str(data.get("answer") or ""),
                                                                   [str(p["text"]) for p in passages]), cited
        except (AiCallFailed, TypeError, ValueError) as exc:
            log.warning("openai answer failed, extractive answer used",
                        extra={"case_id": ctx.case_id, "reason": getattr(exc, "reason", type(exc).__name__)})
            return None
