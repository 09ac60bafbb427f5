"""The admin's export formats (django-import-export), set in settings.EXPORT_FORMATS.

django-import-export's own CSV and XLSX pass formulas through: IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
only strips one leading "=" (so "==HYPERLINK(…)" stays a formula) and lets "+cmd|…", "@SUM(…)",
"-1+1" through. Here every text cell that starts with = + - @ or a tab, CR or LF is inert:
- CSV: the text gets a leading single quote ("'=HYPERLINK(…)"), the usual defence, since a CSV
  cell has no type; a text that is only a number ("-12", "-1,5") is left as it is.
- XLSX: written by core.spreadsheets (the one XLSX writer of the project): text cells are text
  with Excel's quote prefix, numbers and dates stay numbers and dates.
"""

import re

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from core.spreadsheets import FORMULA_STARTS, workbook_bytes

# Only these characters are refused in a sheet title by Excel (and openpyxl).
SHEET_TITLE_REFUSED = re.compile(r"[\\*?:/\[\]]")
PLAIN_NUMBER = re.compile(r"-?\d+([.,]\d+)*")


def inert_text(value):
    """A CSV cell Excel and LibreOffice will not run as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class CSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(
            *([inert_text(value) for value in row] for row in dataset),
            headers=[inert_text(h) for h in dataset.headers] if dataset.headers else None,
            title=dataset.title,
        )
        return safe.export(self.get_title(), **kwargs)


class XLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        title = SHEET_TITLE_REFUSED.sub("-", dataset.title or "") or _("Dữ liệu")
        return workbook_bytes([(title, list(dataset.headers or []), iter(dataset))])


# The admin asks for native values (numbers, dates) only for the formats in this list, by exact
# type (import_export.admin.ExportMixin.get_export_data): without it, dates would come as text.
if XLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(XLSX)

FORMATS = [CSV, XLSX]
