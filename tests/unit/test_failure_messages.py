"""A damaged file says what is wrong with it and what to do; 재시도 is offered only where a retry can help."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.domain.errors import ERROR_MESSAGES_KO, RETRYABLE_CODES, EvidenceError, retry_can_help
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers.base import ParseContext
from leh.pipeline.parsers.pdf import parse as parse_pdf
from leh.web.pages.common import env
from leh.web.views import evidence_row
from tests.support.samples import text_pdf


@pytest.mark.parametrize("cut", ["header", "garbage"])
def test_a_damaged_pdf_is_a_corrupt_pdf_not_an_unsupported_format(tmp_path: Path, cut: str) -> None:
    good = text_pdf([["남편이 폭언을 했다"]])
    data = good[len(good) // 2:] if cut == "header" else b"\x00\x13junk" * 300
    path = tmp_path / "계약서.pdf"
    path.write_bytes(data)
    assert detect_type(path, "계약서.pdf").type == "pdf"
    with pytest.raises(EvidenceError) as err:
        parse_pdf(path, ParseContext(filename="계약서.pdf"))
    assert err.value.code == "PDF_CORRUPT"
    assert "손상" in err.value.message_ko and "다시" in err.value.message_ko
    # The same bytes under a name that claims nothing stay unsupported.
    assert detect_type(path, "data.bin").type == "unsupported"


def test_retry_is_offered_only_for_failures_outside_the_file() -> None:
    assert retry_can_help("WORKER_CRASHED") and retry_can_help("AI_PROVIDER_UNAVAILABLE")
    assert not retry_can_help("PDF_CORRUPT") and not retry_can_help("UNSUPPORTED_TYPE") and not retry_can_help(None)
    assert set(ERROR_MESSAGES_KO) >= RETRYABLE_CODES
    macros = env().get_template("_macros.html").module

    def row_html(code: str) -> str:
        doc = {"evidence_id": "e1", "case_id": "c1", "filename": "계약서.pdf", "type": "pdf", "status": "failed",
               "error": {"code": code, "message": ERROR_MESSAGES_KO[code]}}
        return str(macros.evidence_row(evidence_row(doc), True))  # type: ignore[attr-defined]

    corrupt = row_html("PDF_CORRUPT")
    assert "손상" in corrupt and "ev-retry" not in corrupt and "지원하지 않는" not in corrupt
    assert 'class="muted mono ev-code"' in corrupt  # the code only small and second
    assert "ev-retry" in row_html("WORKER_CRASHED")
