"""The one place that turns rows into an XLSX file (exporters only yield rows).

Text never becomes a formula: a cell that starts with = + - @ or a tab/carriage return is stored
as text with Excel's quote prefix, so neither opening nor editing the cell runs it.
Numbers and dates stay numbers and dates (a time of day is written as the local time: Excel
has no time zones). openpyxl's write-only mode keeps memory flat.
"""

import datetime
import io
import itertools
import re
import tempfile
from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XLSX cannot hold (control characters other than tab, newline, carriage return).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def make_cell(sheet, value, *, bold=False):
    if isinstance(value, str):
        # XML turns a carriage return into a line feed on reading anyway: write what will be read.
        value = ILLEGAL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never "f", whatever the text starts with
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, datetime.datetime):
        if value.tzinfo is not None:  # Excel has no time zones: the time as read here
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY HH:MM"
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
    if bold:
        cell.font = Font(bold=True)
    return cell


SIZING_ROWS = 200  # column widths are taken from the header and the first rows; the rest streams


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_workbook(target, sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]) -> None:
    """sheets: (title, headers, rows), written to a path or a file object. The header row is bold
    and frozen; columns are as wide as their header and first rows need (10 to 60 characters)."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        rows = iter(rows)
        first = list(itertools.islice(rows, SIZING_ROWS))
        for index, header in enumerate(headers, start=1):
            widest = max([_width(header), *(_width(row[index - 1]) for row in first)])
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(60, widest + 2))
        sheet.append([make_cell(sheet, header, bold=True) for header in headers])
        for row in itertools.chain(first, rows):
            sheet.append([make_cell(sheet, value) for value in row])
    workbook.save(target)


def workbook_bytes(sheets) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets) -> FileResponse:
    """The workbook is written to a temporary file and streamed from there: memory stays flat
    however many rows the year has."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_workbook(target, sheets)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX)
