"""Word parser: paragraphs and table cells in document order, paragraph refs, dates, damaged files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.base import ParseContext
from leh.pipeline.parsers.docx import parse

CTX = ParseContext(filename="brief.docx")


def _brief(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("준비서면", level=1)
    document.add_paragraph("원고는 2023년 12월 25일 오후 10시 20분 피고의 폭언을 녹음하였습니다.")
    document.add_paragraph("")  # empty paragraphs are skipped but still counted
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "증거 번호"
    table.cell(0, 1).text = "내용"
    table.cell(1, 0).text = "갑 제1호증"
    table.cell(1, 1).text = "카카오톡 대화"
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "병합된 셀"
    merged.cell(0, 2).text = "오른쪽"
    document.add_paragraph("끝.")
    document.save(str(path))
    return path


def test_paragraphs_and_table_cells_in_document_order(tmp_path: Path) -> None:
    result = parse(_brief(tmp_path / "brief.docx"), CTX)
    got = [(s.text, s.ref) for s in result.segments]
    assert got == [
        ("준비서면", {"paragraph": 1}),
        ("원고는 2023년 12월 25일 오후 10시 20분 피고의 폭언을 녹음하였습니다.", {"paragraph": 2}),
        ("증거 번호", {"paragraph": 4, "table": 1, "row": 1, "col": 1}),
        ("내용", {"paragraph": 5, "table": 1, "row": 1, "col": 2}),
        ("갑 제1호증", {"paragraph": 6, "table": 1, "row": 2, "col": 1}),
        ("카카오톡 대화", {"paragraph": 7, "table": 1, "row": 2, "col": 2}),
        ("병합된 셀", {"paragraph": 8, "table": 2, "row": 1, "col": 1}),
        ("오른쪽", {"paragraph": 9, "table": 2, "row": 1, "col": 3}),
        ("끝.", {"paragraph": 10}),
    ]
    assert [s.seq for s in result.segments] == list(range(9))
    assert {s.kind for s in result.segments} == {"text"}
    assert result.segments[1].ts == "2023-12-25T22:20:00+09:00"
    assert result.segments[0].ts is None
    assert result.meta["tables"] == 2


def test_not_a_zip_is_docx_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(EvidenceError) as err:
        parse(path, CTX)
    assert err.value.code == "DOCX_CORRUPT"


def test_zip_without_word_document_is_docx_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "안녕")
    with pytest.raises(EvidenceError) as err:
        parse(path, CTX)
    assert err.value.code == "DOCX_CORRUPT"


def test_malformed_document_xml_is_docx_corrupt(tmp_path: Path) -> None:
    good = _brief(tmp_path / "good.docx")
    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]  # cut mid-element
            dst.writestr(item, data)
    with pytest.raises(EvidenceError) as err:
        parse(path, CTX)
    assert err.value.code == "DOCX_CORRUPT"
