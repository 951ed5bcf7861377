"""The OpenAI draft writer knows which pleading it writes for: the system prompt and the role words the model reads
follow the draft's kind (소장 / 반소장 / 답변서). Checked on what reaches a Chat Completions server started here."""

from __future__ import annotations

import json
from typing import Any

from leh.analysis.draft_writer import Claims
from leh.domain import drafting as d
from leh.services import drafts as svc
from leh.services import parties as parties_svc
from tests.unit.test_draft_openai import ai, server, world  # noqa: F401 (fixtures)
from tests.unit.test_draft_parties_openai import PARTIES


def _sent(request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    messages = request["body"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user"]
    return messages[0]["content"], json.loads(messages[1]["content"])


def test_the_prompt_and_role_words_follow_the_kind(world: Any) -> None:  # noqa: F811
    c, stub, db, user, case, _docs = world
    made: dict[str, dict[str, Any]] = {}
    for side, kind in (("plaintiff", None), ("defendant", "counterclaim"), ("defendant", "answer")):
        parties_svc.put_parties(db, user, case.id, {**PARTIES, "client_side": side})
        db.commit()
        made[kind or "complaint"] = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims(), kind)
        db.commit()
    assert len(stub.requests) == 3
    (complaint, complaint_payload), (counter, counter_payload), (answer, answer_payload) = map(_sent, stub.requests)

    assert complaint.startswith("당신은 한국 가정법원에 제출할 이혼 소장 중 '이혼 사유' 부분의 초안을 쓰는 보조자입니다.")
    assert "의뢰인은 원고이고, 상대방은 피고입니다." in complaint
    assert (complaint_payload["document"], complaint_payload["client"], complaint_payload["opponent"]) == (
        "이혼 소장", "원고", "피고")

    assert counter.startswith("당신은 한국 가정법원에 제출할 이혼 반소장 중 '이혼 사유' 부분의")
    assert "의뢰인은 피고(반소원고, 이하 피고)이고, 상대방은 원고(반소피고, 이하 원고)입니다." in counter
    assert counter_payload["document"] == "이혼 반소장" and counter_payload["opponent"].startswith("원고")

    assert answer.startswith("당신은 한국 가정법원에 제출할 이혼 소송의 답변서 중 '원고의 유책 사유' 부분의")
    assert "의뢰인은 피고이고, 상대방은 원고입니다." in answer and "소장" not in answer.split("\n")[0]
    assert (answer_payload["document"], answer_payload["client"], answer_payload["opponent"]) == (
        "이혼 소송의 답변서", "피고", "원고")
    # The facts are the same opponent's acts whichever the kind; the speakers carry the side's role words.
    speakers = {q["speaker"] for g in answer_payload["grounds"] for f in g["facts"] for q in f["quotes"] if q["speaker"]}
    assert "원고" in speakers and "김영희" not in json.dumps(answer_payload, ensure_ascii=False)
    assert answer_payload["grounds"] == counter_payload["grounds"]

    # The model's prose lands in the answer, cited as 을호증 and checked like every draft.
    draft = made["answer"]
    assert draft["kind"] == "answer" and draft["engine"]["name"] == "openai" and draft["exhibit_side"] == "을"
    assert d.check_consistency(draft, {x["evidence_id"]: x for x in c.evidence.list_case(case.id)}) == []
    sentences = [s for sec in draft["sections"] if sec["kind"] == "ground" for p in sec["paragraphs"]
                 for s in d.split_sentences(p)]
    assert sentences and all("내용이 있습니다(을 제" in s for s in sentences)
    assert draft["heading"]["title"] == "답  변  서" and made["complaint"]["heading"]["title"] == "소    장"
