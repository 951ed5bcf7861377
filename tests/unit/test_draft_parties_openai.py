"""The OpenAI draft path when the case's parties are named and the client is the defendant: the request carries
only pseudonyms (원고, 피고, 자녀1 …), never the names the draft's parties block now shows, and the prose that
comes back is cited as 을호증 in a 반소장."""

from __future__ import annotations

import io
import json
from typing import Any

from docx import Document

from leh.analysis.draft_writer import Claims
from leh.domain import drafting as d
from leh.services import drafts as svc
from leh.services import parties as parties_svc
from tests.unit.test_draft_openai import ai, server, world  # noqa: F401 (fixtures)

PARTIES = {"client": {"name": "김영희", "aliases": ["영희"]}, "opponent": {"name": "홍길동", "aliases": ["길동이"]},
           "children": [{"name": "김하늘", "birth_year": 2016}], "client_side": "defendant"}


def test_named_parties_never_reach_the_provider_and_the_counterclaim_cites_eul(world: Any) -> None:  # noqa: F811
    c, stub, db, user, case, docs = world
    parties_svc.put_parties(db, user, case.id, PARTIES)
    db.commit()

    def child(x: dict[str, Any]) -> dict[str, Any]:
        x["segments"][2]["text"] = "하늘이 앞에서 한 번만 더 그 얘기 하면 죽여버린다"
        return x

    c.evidence.mutate(docs[0]["evidence_id"], child)
    draft = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims(custody=True))
    db.commit()

    [req] = stub.requests
    sent = json.loads(req["body"]["messages"][-1]["content"])
    sent_text = json.dumps(sent, ensure_ascii=False)
    for name in ("김영희", "홍길동", "김하늘", "하늘이", "영희", "길동"):
        assert name not in req["raw"] and name not in sent_text, name
    assert "자녀1이 앞에서" in sent_text  # the child, pseudonymised with her particle
    speakers = {q["speaker"] for g in sent["grounds"] for f in g["facts"] for q in f["quotes"] if q["speaker"]}
    assert "원고" in speakers  # the opponent is 원고 when the client is the defendant

    assert draft["engine"]["name"] == "openai" and draft["exhibit_side"] == "을"
    assert d.check_consistency(draft, {x["evidence_id"]: x for x in c.evidence.list_case(case.id)}) == []
    sentences = [s for sec in draft["sections"] if sec["kind"] == "ground" for p in sec["paragraphs"]
                 for s in d.split_sentences(p)]
    assert sentences and all("내용이 있습니다(을 제" in s for s in sentences)  # the model's prose, cited as 을호증
    parties_block = next(s for s in draft["sections"] if s["kind"] == "parties")["paragraphs"]
    assert parties_block[0] == "피고(반소원고)  김영희 (주민등록번호 [      ])"
    claims = next(s for s in draft["sections"] if s["kind"] == "claims")["paragraphs"]
    assert "2. 사건본인 김하늘의 친권자 및 양육자로 피고(반소원고)를 지정한다." in claims


def test_the_models_quote_of_shaky_ocr_text_is_marked_too_even_with_its_numbers_masked(world: Any) -> None:  # noqa: F811
    c, stub, db, user, case, docs = world
    photo = docs[1]

    def shaky(x: dict[str, Any]) -> dict[str, Any]:
        x["segments"][0]["ref"]["conf"] = 0.42  # Tesseract was unsure of this line (it holds a phone number)
        return x

    c.evidence.mutate(photo["evidence_id"], shaky)
    draft = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims())
    db.commit()
    assert draft["engine"]["name"] == "openai"
    photo_sentences = [s for sec in draft["sections"] if sec["kind"] == "ground" for p in sec["paragraphs"]
                       for s in d.split_sentences(p) if "남편이 어젯밤" in s]
    assert photo_sentences and all("내용이 있습니다" in s for s in photo_sentences)  # the model's prose
    # The model quoted the masked words it was sent ([전화번호]); the mark follows the quote all the same.
    assert all("“남편이 어젯밤 나를 때렸다 [전화번호]”[확인 필요: OCR 인식 불확실]" in s for s in photo_sentences)
    assert "“생활비도 안 준다고 했다”[확인 필요" not in draft["draft_text"]  # a surely read line is not marked
    data, _ = svc.export_docx(db, c.evidence, c.docx_renderer, user, case.id)
    assert any("[전화번호]”[확인 필요: OCR 인식 불확실]" in p.text for p in Document(io.BytesIO(data)).paragraphs)
