"""Search snippets in the API are plain text with highlight offsets beside the HTML `snippet`, and the page escapes
them when it renders (the QA read's D9); a 진술서 is dated by its own signature date in the evidence table, not by
the first date it mentions (D10)."""

from __future__ import annotations

import re

from leh.container import Container
from leh.services.search import plain_snippet
from tests.support.api_case import lawyer

STATEMENT = ("진 술 서\n\n진술인: 한도윤\n\n저는 2018. 10. 13. 오수진과 혼인하였습니다.\n\n"
             "2024. 6. 20. 장모가 카톡으로 저에게 '병신 같은 놈'이라고 욕하였습니다 <script>alert(1)</script> & 끝.\n\n"
             "2024. 7. 12.\n진술인 한도윤\n")


def test_plain_snippet_unescapes_the_text_and_gives_the_marks_as_offsets() -> None:
    text, marks = plain_snippet("…저에게 &#x27;<mark>병신</mark> 같은 놈&#x27;이라고 &lt;b&gt; &amp; <mark>욕</mark>")
    assert text == "…저에게 '병신 같은 놈'이라고 <b> & 욕"
    assert [text[a:b] for a, b in marks] == ["병신", "욕"]


def test_search_api_gives_plain_text_and_the_page_renders_it_inert(container: Container) -> None:
    with lawyer(container, "plain@test.local") as me:
        cid = me.new_case()
        [eid] = me.upload(container, cid, {"진술서_한도윤.txt": STATEMENT})
        hits = me.data("GET", f"/api/cases/{cid}/search", params={"q": "병신"})
        hit = next(h for h in hits if "병신" in h["snippet_text"])
        assert "&#x27;" not in hit["snippet_text"] and "'병신 같은 놈'" in hit["snippet_text"]
        assert "욕하였습니다 <script>alert(1)" in hit["snippet_text"]  # the text as written, no entities
        assert [hit["snippet_text"][a:b] for a, b in hit["marks"]] == ["병신"]
        assert "&#x27;" in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]  # the documented HTML field stays
        cookie = {"Cookie": f"leh_session={me.token}"}
        page = me.client.get(f"/cases/{cid}", params={"q": "병신"}, headers=cookie).text
        snippet = re.search(r'<div class="snippet">(.*?)</div>', page, re.S)
        assert snippet is not None
        assert "<mark>병신</mark>" in snippet.group(1) and "&lt;script&gt;alert(1)" in snippet.group(1)
        assert "<script>alert" not in page
        # D10: the evidence table dates the statement by its signature date, not the wedding it mentions.
        [row] = [e for e in me.data("GET", f"/api/cases/{cid}/evidence") if e["evidence_id"] == eid]
        assert row["event_time"][:10] == "2024-07-12"
        when = re.search(r'<td class="hide-sm muted small ev-when">([^<]*)</td>', page)
        assert when is not None and when.group(1).strip() == "2024-07-12"
