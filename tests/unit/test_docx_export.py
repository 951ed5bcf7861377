"""The .docx export: opened again with python-docx for its structure, and rendered to PDF by LibreOffice to
check that the Hangul survives a real word processor."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from leh.adapters.docx_export import BODY_FONT, HEADER_TEXT, HEADING_FONT, TABLE_HEADER, render_docx
from leh.analysis.draft_writer import Claims
from leh.domain import drafting as d
from leh.services.drafts import build_draft
from tests.unit.test_drafting import case_docs


@pytest.fixture(scope="module")
def draft() -> dict[str, Any]:
    return build_draft(case_docs(), Claims(alimony=True, custody=True))


@pytest.fixture(scope="module")
def docx_bytes(draft: dict[str, Any]) -> bytes:
    return render_docx(draft)


def _fonts(rpr_owner: Any) -> dict[str, str]:
    fonts = rpr_owner.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in fonts.attrib.items()}


def test_structure_headings_paragraphs_and_table(draft: dict[str, Any], docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s["title"] for s in draft["sections"]]
    levels = [int(p.style.name.split()[-1]) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert levels == [s["level"] for s in draft["sections"]]
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [draft["heading"]["title"]]

    body = [p.text for p in doc.paragraphs]
    for sec in draft["sections"]:
        if sec["kind"] != "evidence_list":
            for paragraph in sec["paragraphs"]:
                assert paragraph in body
    cited = {lbl for text in body for lbl in d.cited_labels(text)}
    assert cited == {c["label"] for c in draft["citations"]}

    (table,) = doc.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == list(TABLE_HEADER)
    assert [r[0] for r in rows[1:]] == [e["range_label"] for e in draft["exhibits"]]
    assert [r[2] for r in rows[1:]] == [e["filename"] for e in draft["exhibits"]]
    assert [r[3].split(" ~ ")[0] for r in rows[1:]] == [d.short_date(e["date"]) for e in draft["exhibits"]]
    for row, ex in zip(rows[1:], draft["exhibits"], strict=True):
        assert set(d.cited_labels(row[4])) == set(ex["parts"])  # every cited part, and where it is
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert doc.paragraphs[-1].text == draft["closing"][-1]


def test_korean_fonts_header_and_page_numbers(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    for name, font in (("Normal", BODY_FONT), ("Title", HEADING_FONT), ("Heading 1", HEADING_FONT),
                       ("Heading 2", HEADING_FONT), ("Heading 3", HEADING_FONT), ("Table Grid", BODY_FONT)):
        fonts = _fonts(doc.styles[name].element)
        assert fonts.get("eastAsia") == font and fonts.get("ascii") == font, (name, fonts)
        assert not any(k.endswith("Theme") or k == "cstheme" for k in fonts), (name, fonts)  # themes would win
        lang = doc.styles[name].element.rPr.find(qn("w:lang"))
        assert lang.get(qn("w:eastAsia")) == "ko-KR"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert _fonts(defaults)["eastAsia"] == BODY_FONT

    section = doc.sections[0]
    assert [p.text for p in section.header.paragraphs] == [HEADER_TEXT]
    instructions = [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert doc.core_properties.comments == HEADER_TEXT


def test_long_drafts_keep_table_rows_in_one_piece(draft: dict[str, Any]) -> None:
    many = dict(draft, exhibits=[{**draft["exhibits"][0], "number": i, "range_label": d.exhibit_label(i)}
                                 for i in range(1, 41)])
    doc = Document(io.BytesIO(render_docx(many)))
    rows = doc.tables[0].rows
    assert len(rows) == 41
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows[1:])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_libreoffice_renders_the_hangul(draft: dict[str, Any], docx_bytes: bytes, tmp_path: Path) -> None:
    src = tmp_path / "draft.docx"
    src.write_bytes(docx_bytes)
    # A private profile: concurrent soffice runs sharing one profile block each other.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    reader = PdfReader(tmp_path / "draft.pdf")
    # pypdf puts spaces between Hangul and digits ("제 1 호증"); compare without whitespace.
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) >= 2
    assert text.count(re.sub(r"\s+", "", HEADER_TEXT)) >= len(reader.pages)  # the header on every page
    expected = [s["title"] for s in draft["sections"]] + [c["label"] for c in draft["citations"]]
    expected += [q.text for f in d.collect_facts(case_docs()).facts for q in f.quotes]
    expected += ["원고와피고는이혼한다", f"1/{len(reader.pages)}"]
    missing = [e for e in expected if re.sub(r"\s+", "", e) not in text]
    assert not missing
    assert "\ufffd" not in text  # no replacement characters where Hangul could not be mapped back
