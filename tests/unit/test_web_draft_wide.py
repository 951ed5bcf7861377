"""The case page gives the draft a full-width row and the date filters a Korean hint (the QA read's D7, D11)."""

from __future__ import annotations

import re

import pytest

from leh.container import Container
from leh.domain.errors import ValidationFailed
from leh.services.search import parse_day
from tests.support.api_case import lawyer

MEMO = "상담메모\n\n2023년 12월 25일 밤 남편이 물건을 던지고 폭언을 했다고 의뢰인이 진술함.\n"


def test_the_draft_is_a_full_width_row_and_the_date_filters_are_text_with_a_korean_hint(container: Container) -> None:
    with lawyer(container, "wide@test.local") as me:
        cid = me.new_case()
        me.upload(container, cid, {"상담메모.txt": MEMO})
        me.data("POST", f"/api/cases/{cid}/draft-preview", json={})
        cookie = {"Cookie": f"leh_session={me.token}"}
        page = me.client.get(f"/cases/{cid}", headers=cookie).text
        grid = page.index('class="case-grid"')
        aside_end, draft = page.index("</aside>"), page.index('id="draft"')
        assert grid < aside_end < draft  # after the side column, still inside the grid (its SSE reloads the panel)
        assert 'class="card case-wide"' in page and page.count('sse-connect=') == 1
        for name in ("from", "to"):
            field = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
            assert field is not None and 'type="text"' in field.group(0) and 'type="date"' not in field.group(0)
            assert 'placeholder="YYYY-MM-DD"' in field.group(0) and 'lang="ko"' in field.group(0)
        assert page.count("(YYYY-MM-DD)") == 2  # a visible hint beside each label
        # The parties' aligned lines keep their own class; the note under them reads as a hint.
        panel = me.client.get(f"/cases/{cid}/draft", headers=cookie).text
        assert 'class="draft-sec draft-sec-parties"' in panel and '<p class="draft-hint">[' in panel
        # A dotted Korean date filters like the ISO one.
        dotted = me.data("GET", f"/api/cases/{cid}/timeline", params={"from": "2023. 12. 25.", "to": "2023.12.25"})
        assert dotted == me.data("GET", f"/api/cases/{cid}/timeline", params={"from": "2023-12-25", "to": "2023-12-25"})
        assert dotted


def test_parse_day_reads_iso_and_dotted_days_and_refuses_a_us_date_in_korean() -> None:
    assert [parse_day(v, "시작") for v in ("2023-12-05", "2023. 12. 5.", "2023.12.05", "2023-12-05T10:00")] == [
        "2023-12-05"] * 4
    with pytest.raises(ValidationFailed, match="YYYY-MM-DD 형식으로 입력해주세요"):
        parse_day("12/05/2023", "시작")
