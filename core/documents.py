"""Word files in the layout of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP,
Phụ lục I): A4, Times New Roman 14; the issuing body and unit at the top left with the number and
symbol under them, the national motto and its line at the top right with the place and date under
them; the kind of document and its summary centred; the body; tables with fixed column widths;
the recipients at the bottom left and the signature block at the bottom right.

Knows nothing of our domain: the callers say what the heading, the body and the tables hold.
What the caller does not know is left as dotted lines for the clerk to fill in."""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils import formats
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
DOTS = "…………"
SHORT_DOTS = "……"  # a day, a month, a year to fill in: the line stays on one line

TEXT_WIDTH = 165  # mm: A4 less the margins of Decree 30/2020 (left 30, right 15)
NARROW = ("TT", "STT", "Hạng")  # a first column of numbers only: 18 mm
NARROW_WIDTH = 18


@dataclass
class Heading:
    """What the top of a document says: who issues it, its number, where and when."""

    body: str  # cơ quan chủ quản: "BỘ CÔNG AN"
    unit: str  # cơ quan ban hành: "CỤM THI ĐUA SỐ II"
    symbol: str  # "BB-CTĐ"
    place: str
    day: datetime.date | None
    number: str = ""
    lines: list = field(default_factory=list)


def vietnamese_date(place: str, day: datetime.date | None) -> str:
    """ "Lai Châu, ngày 15 tháng 12 năm 2024" (ND 30: days below 10 and months below 3 with a
    leading zero); dotted when the day is not known yet."""
    if day is None:
        return f"{place or DOTS}, ngày {SHORT_DOTS} tháng {SHORT_DOTS} năm {SHORT_DOTS}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document() -> Document:
    """An empty A4 document with the Decree's margins and font."""
    new = Document()
    section = new.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = new.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    return new


# Characters XML 1.0 cannot hold (a pasted text can carry them): lxml refuses the whole run.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def run(paragraph, text, *, bold=False, italic=False, underline=False, size=None):
    added = paragraph.add_run(NOT_IN_XML.sub("", text))
    added.bold, added.italic, added.underline = bold, italic, underline
    if size:
        added.font.size = Pt(size)
    return added


def centred(cell_or_doc, text="", **style):
    """A centred paragraph added to a document or a table cell."""
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        run(paragraph, text, **style)
    return paragraph


def set_widths(table, widths_mm: list[float]):
    """Fixed column widths, set on the grid and on every cell: Word reads the cells', LibreOffice
    the grid's; neither is kept from one alone."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def header(doc, heading: Heading):
    """The issuing body, unit, number and symbol on the left; the motto, place and date on the
    right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [62, TEXT_WIDTH - 62])
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(left.paragraphs[0], heading.body.upper(), size=13)
    centred(left, heading.unit.upper(), bold=True, size=13)
    centred(left, "───────", size=10)
    number = heading.number or "      "
    centred(left, f"Số: {number}/{heading.symbol}", size=13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=14)
    centred(right, "")
    centred(right, vietnamese_date(heading.place, heading.day), italic=True, size=14)
    doc.add_paragraph()
    return table


def title(doc, kind: str, summary: str):
    """The kind of document in capitals and its summary, centred, with the line under them."""
    centred(doc, kind.upper(), bold=True, size=14)
    centred(doc, summary, bold=True, size=14)
    centred(doc, "───────", size=10)
    doc.add_paragraph()


def body(doc, text: str, *, bold=False, italic=False, size=None, keep_with_next=False):
    """A justified paragraph of the body, its first line indented. `keep_with_next`: on the same
    page as what follows (a section's heading, a table's caption)."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _row_flag(row, flag: str):
    """A row property of the grid (w:tblHeader, w:cantSplit), which python-docx does not name."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(flag)
    element.set(qn("w:val"), "true")
    properties.append(element)


def table(
    doc,
    headers: list[str],
    rows: list[list],
    *,
    widths: list[float] | None = None,
    size: float = 13,
    numeric_from: int | None = None,
    bold_rows: tuple[int, ...] = (),
    repeat_header: bool = False,
):
    """A grid with a bold header row. `widths` in mm (default: a first column of numbers 18 mm
    wide, the rest shared; else shared evenly over the text width); cells from the column
    `numeric_from` on are aligned right; the rows whose indexes are in `bold_rows` are bold (a
    total); `repeat_header`: the header row again at the top of each page the table runs on,
    and no row cut in two by a page break."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    if repeat_header:
        _row_flag(grid.rows[0], "w:tblHeader")
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(cell.paragraphs[0], text, bold=True, size=size)
    for index, row in enumerate(rows):
        cells = grid.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
            if numeric_from is not None and column >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run(cell.paragraphs[0], str(text), size=size, bold=index in bold_rows)
    if repeat_header:
        for row in grid.rows:
            _row_flag(row, "w:cantSplit")
    if widths is None:
        if headers[0] in NARROW:
            rest = (TEXT_WIDTH - NARROW_WIDTH) / (len(headers) - 1)
            widths = [NARROW_WIDTH] + [rest] * (len(headers) - 1)
        else:
            widths = [TEXT_WIDTH / len(headers)] * len(headers)
    set_widths(grid, widths)
    doc.add_paragraph()
    return grid


def footer(
    doc, recipients: list[str], signer_title: list[str], signer_name: str, *, keep_together=False
):
    """ "Nơi nhận:" with the recipients and "Lưu: VT." on the left; the signer's title, room to
    sign and the name (dotted when unknown) on the right. `keep_together`: never cut by a page
    break (the signer's title apart from the name)."""
    grid = doc.add_table(rows=1, cols=2)
    set_widths(grid, [80, TEXT_WIDTH - 80])
    if keep_together:
        _row_flag(grid.rows[0], "w:cantSplit")
    left, right = grid.rows[0].cells
    run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for recipient in recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run(paragraph, f"- {recipient};", size=11)
    last = left.add_paragraph()
    run(last, "- Lưu: VT.", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(right.paragraphs[0], signer_title[0].upper(), bold=True, size=14)
    for line in signer_title[1:]:
        centred(right, line.upper(), bold=True, size=14)
    for _blank in range(4):
        centred(right, "")
    centred(right, signer_name or DOTS, bold=True, size=14)
    return grid


def picture(doc, image: bytes, *, width_mm: float = 160):
    """An image (PNG bytes) centred on its own paragraph."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(image), width=Mm(width_mm))
    return paragraph


def save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def number(value: int | None) -> str:
    """4213 -> "4.213" in the active language's grouping; dotted when unknown."""
    if value is None:
        return DOTS
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def percent(value) -> str:
    """93.3 -> "93,3%"; "" when there is nothing to show."""
    return "" if value is None else formats.number_format(value, decimal_pos=1, use_l10n=True) + "%"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
