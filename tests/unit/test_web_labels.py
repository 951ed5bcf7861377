"""One source for Korean labels: the domain's, rendered by the server; no copy in the browser's JavaScript."""

from __future__ import annotations

from leh.domain.grounds import GROUNDS
from leh.domain.labels import GROUND_KO, STAGE_KO, STATUS_KO, TYPE_KO, status_label
from leh.web.pages.common import STATIC_DIR, env


def test_pages_render_the_domain_labels() -> None:
    filters = env().filters
    for g in GROUNDS:
        assert filters["ground_ko"](g.id) == g.short  # 840-3 reads as grounds.py says, everywhere
    assert filters["ground_ko"]("840-3") == "배우자 등의 부당대우"
    assert filters["status_ko"]("queued") == "대기 중" and filters["type_ko"]("kakaotalk") == "카카오톡"
    assert status_label("processing", "analyze") == "처리 중 · 분석"
    assert status_label("done", "index") == "완료"
    assert env().globals["GROUNDS"] == GROUND_KO


def test_no_script_carries_a_copy_of_the_labels() -> None:
    labels = {*STATUS_KO.values(), *STAGE_KO.values(), *TYPE_KO.values(), *GROUND_KO.values(),
              *(g.name for g in GROUNDS), "배우자 등의 심히 부당한 대우"}
    scripts = {p.name: p.read_text(encoding="utf-8") for p in (STATIC_DIR / "js").glob("*.js")}
    assert "upload.js" in scripts and "case.js" not in scripts
    copies = [(name, label) for name, text in scripts.items() for label in labels
              if f'"{label}"' in text or f"'{label}'" in text]
    assert copies == []
