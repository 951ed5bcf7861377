"""A draft as a Word document (.docx, python-docx) that opens with correct Hangul in Word and LibreOffice.

Word picks the font for Hangul from the East Asian slot (`w:eastAsia`), not from the Latin one python-docx sets,
and the default template's theme-font attributes override explicit names; both are fixed on every style used.
"""

from __future__ import annotations

import io
from typing import Any, Final

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from leh.domain.draft.kinds import KIND_NAMES, heading_lines, kind_of
from leh.domain.drafting import short_date

BODY_FONT: Final = "바탕"
HEADING_FONT: Final = "맑은 고딕"
HEADER_TEXT: Final = "AI 초안 — 변호사 검토 필요"
TABLE_HEADER: Final = ("호증", "증거", "파일명", "일자", "인용 부분")
_COLUMN_MM: Final = (32, 24, 44, 30, 40)  # 170 mm: the A4 text width between 20 mm margins
_THEME_ATTRS: Final = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
DOCX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _set_fonts(rpr_owner: Any, font: str) -> None:
    """Name `font` in every slot of an rPr (Latin, East Asian, complex script) and say the text is Korean."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "ko-KR")
    lang.set(qn("w:eastAsia"), "ko-KR")


def _style(doc: Any, name: str, font: str, size: float, *, bold: bool | None = None) -> None:
    style = doc.styles[name]
    style.font.name = font
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element, font)


def _set_doc_defaults(doc: Any) -> None:
    """docDefaults carry theme fonts too; text outside any named style would otherwise fall back to them."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), BODY_FONT)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES): begin, instruction, separate, cached result, end."""
    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _row_flag(row: Any, flag: str) -> None:
    """Set a row property: w:tblHeader (repeat on every page) or w:cantSplit (keep a row on one page)."""
    el = OxmlElement(flag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _segments_text(exhibit: dict[str, Any], citations: list[dict[str, Any]]) -> str:
    parts = [c for c in citations if c.get("evidence_id") == exhibit.get("evidence_id")]
    return "\n".join(f"{c['label']}: {c.get('where') or ', '.join(str(s) for s in c.get('segments') or [])}"
                     for c in parts)


def _date_text(exhibit: dict[str, Any]) -> str:
    first, last = short_date(exhibit.get("date")), short_date(exhibit.get("date_to"))
    if not first:
        return "미상"
    return first if not last or last == first else f"{first} ~ {last}"


def render_docx(draft: dict[str, Any]) -> bytes:
    """The draft (the API's draft object) as .docx bytes: A4, Korean fonts, header notice, page numbers,
    headings for every section and the exhibit list as a table."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(20)

    _set_doc_defaults(doc)
    _style(doc, "Normal", BODY_FONT, 11)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.5
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    _style(doc, "Title", HEADING_FONT, 22, bold=True)
    for level, size in ((1, 14), (2, 12), (3, 11)):
        _style(doc, f"Heading {level}", HEADING_FONT, size, bold=True)
    _style(doc, "Header", HEADING_FONT, 9)
    _style(doc, "Footer", BODY_FONT, 9)
    _style(doc, "Table Grid", BODY_FONT, 9)

    header = section.header.paragraphs[0]
    header.text = HEADER_TEXT
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")
    footer.add_run(" -")

    props = doc.core_properties
    head = draft.get("heading") or {}
    props.title = f"{KIND_NAMES[kind_of(draft.get('options'), draft)]} 초안"
    props.subject = head.get("case_name") or head.get("case_number") or "이혼 청구의 소"
    props.comments = HEADER_TEXT
    props.author = "LEH"
    props.language = "ko-KR"

    notice = doc.add_paragraph(head.get("notice", HEADER_TEXT))
    notice.runs[0].font.size = Pt(9)
    title = doc.add_paragraph(head.get("title", "소    장"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in heading_lines(head):
        doc.add_paragraph(line)
    if head.get("preamble"):
        doc.add_paragraph(head["preamble"])

    for sec in draft.get("sections") or []:
        level = int(sec.get("level") or 1)
        doc.add_heading(sec["title"], level=min(max(level, 1), 3))
        if sec.get("kind") == "evidence_list" and draft.get("exhibits"):
            # The table says everything the 입증방법 lines say, plus where each cited part is.
            _exhibit_table(doc, draft["exhibits"], draft.get("citations") or [])
            continue
        for text in sec.get("paragraphs") or []:
            p = doc.add_paragraph(text)
            if sec.get("kind") in ("cause_item", "ground") or level >= 2:
                p.paragraph_format.first_line_indent = Mm(5)

    doc.add_paragraph()
    for line in draft.get("closing") or []:
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if "귀중" not in line else WD_ALIGN_PARAGRAPH.CENTER

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _exhibit_table(doc: Any, exhibits: list[dict[str, Any]], citations: list[dict[str, Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
    _row_flag(table.rows[0], "w:tblHeader")
    for ex in exhibits:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        values = (ex.get("range_label") or ex["label"], ex.get("type_label") or ex.get("type") or "",
                  ex.get("filename") or "", _date_text(ex), _segments_text(ex, citations))
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = str(text)
    for column, mm in zip(table.columns, _COLUMN_MM, strict=True):
        # Word reads the cell widths, LibreOffice the grid column widths: set both.
        column.width = Mm(mm)
        for cell in column.cells:
            cell.width = Mm(mm)
