"""What people type into spreadsheet cells, read as one value or refused with a reason.

Each reader takes a cell as openpyxl or the csv module gives it (None, str, int, float, date,
datetime) and returns the typed value, or raises CellError with a Vietnamese message that says
what was expected. Only what is unambiguous is accepted: "4.213" is four thousand two hundred
and thirteen (the dot groups thousands in Vietnamese); "4,213" could be 4.213 or 4213 and is
refused; "05/03/2025" is the 5th of March (day first, as every Vietnamese document writes it);
"05/03/25" is refused (which century?).
"""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _


class CellError(ValueError):
    pass


def normalise_text(value) -> str:
    """NFC (Excel on Windows composes Vietnamese diacritics, macOS may decompose them), no
    leading or trailing spaces. Line breaks inside the text are kept."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


def normalise_name(value) -> str:
    """A name: NFC, and every run of spaces (also non-breaking ones) as one space."""
    return " ".join(normalise_text(value).split())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


GROUPED_DOTS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
GROUPED_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
PLAIN = re.compile(r"^-?\d+$")
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def read_integer(value):
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Cần một số nguyên."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Cần một số nguyên, không có phần thập phân."))
    if isinstance(value, datetime.date):
        raise CellError(_("Cần một số, ô này lại là ngày tháng."))
    text = SPACES.sub("", unicodedata.normalize("NFC", str(value)))
    if PLAIN.match(text):
        return int(text)
    if GROUPED_DOTS.match(text):
        return int(text.replace(".", ""))
    if GROUPED_COMMAS.match(text):
        raise CellError(
            _(
                "Không rõ “%(value)s” là bao nhiêu: dấu phẩy ở Việt Nam là dấu thập phân. "
                "Hãy gõ %(plain)s hoặc %(dotted)s."
            )
            % {
                "value": value,
                "plain": text.replace(",", ""),
                "dotted": text.replace(",", "."),
            }
        )
    raise CellError(
        _("Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “%(value)s”.") % {"value": value}
    )


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
FOUR_DIGIT_YEAR = re.compile(r"^(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$")


def read_date(value):
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        raise CellError(
            _("Cần một ngày (dd/mm/yyyy), ô này lại là số %(value)s.") % {"value": value}
        )
    text = str(value).strip()
    # "05/03/2025 00:00:00" is what some programs write for a date.
    text = re.sub(r"\s+0{1,2}:00(:00)?$", "", text)
    if FOUR_DIGIT_YEAR.match(text):
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise CellError(_("Ngày “%(value)s” không có trên lịch.") % {"value": value})
    raise CellError(
        _("Cần một ngày dạng dd/mm/yyyy (ví dụ 21/11/2023), không phải “%(value)s”.")
        % {"value": value}
    )
