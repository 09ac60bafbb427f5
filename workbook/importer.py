"""Read a workbook (or one sheet as CSV) the way export_workbook writes it, check every row of
every sheet, and write everything in one transaction, or nothing.

How it goes:
1. read(): each worksheet is matched to a section by its title or, failing that, by its headers.
   The header row may sit below title rows (merged or not); empty rows are dropped but the Excel
   row numbers are kept. Cells are read by the column's type (core.cells): numbers, dates and
   names as people type them; what is ambiguous is refused with the reason.
2. run(): the sections are imported in dependency order through their django-import-export
   resources, inside one transaction. Forward references take two passes (a unit's successor,
   a year's chair who must first be on the roster, a fund closed after its contributions).
   Every pass is a savepoint of its own, so a database error in one sheet cannot hide the
   problems of the others. At the end the transaction is rolled back if anything was wrong or
   if it was a dry run.
3. What it would change is kept per row, before and after (workbook.changes): the preview lists
   it. On a year's import page (run(cluster_year=...)), another year's file is refused first
   (workbook.years), and a row that would overwrite a unit report its unit filed itself is
   imported in a savepoint that is rolled back, unless that unit was ticked.
Each problem names the sheet, the Excel row, the column header and the value.
"""

import csv
import io
import itertools
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import DatabaseError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.results import RowResult
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts.access import COMMAND_LINE
from accounts.models import Role
from clusters.workbook import CLUSTER, UNIT
from core.cells import (
    CellError,
    is_blank,
    normalise_name,
    normalise_text,
    read_date,
    read_integer,
)
from core.sheets import Section
from reports.models import UnitReport
from reports.warnings import for_cluster_year as report_warnings
from welfare.warnings import for_cluster_year as welfare_warnings
from workbook.changes import (
    RowChange,
    SheetChanges,
    cells_changed,
    columns_of,
    original_of,
    self_filed_reports,
    snapshot,
)
from workbook.registry import SECTIONS
from workbook.years import year_problems

# Columns people add that carry nothing to import (a running number).
IGNORED_HEADERS = {"stt", "tt", "số tt", "số thứ tự"}
HEADER_SEARCH_ROWS = 15
MAX_BYTES = 20 * 1024 * 1024
# Per sheet. Far more than any year holds; a sheet beyond them is refused with the limit, before
# it is read further. Rows are Excel's row numbers; columns count up to the last cell with data
# in a row (empty cells, formatted or not, at the end of a row do not count).
MAX_ROWS = 200_000
MAX_COLUMNS = 60
# What no real workbook goes beyond, checked on the XML itself before openpyxl reads it (a few
# kilobytes of zip can hold a row of millions of cells, or millions of shared strings):
EXCEL_MAX_ROWS = 1_048_576  # rows of a sheet, Excel's own limit
EXCEL_MAX_COLUMNS = 16_384  # cells of a row (column XFD)
MAX_STRINGS = 1_000_000  # distinct texts of the workbook (its shared strings)
MAX_UNPACKED_BYTES = 25 * MAX_BYTES  # all the parts of the zip, unpacked

try:  # openpyxl parses with defusedxml when it is installed
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover - not installed here; expat refuses entity bombs itself
    DefusedXmlException = ParseError

# What openpyxl (and zipfile, zlib, expat beneath it) raise on a damaged or hostile .xlsx.
# Only the calls into openpyxl are guarded with it.
XLSX_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,  # also entity bombs and external entities: expat refuses both
    DefusedXmlException,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
    OSError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted zip member
)


class WorkbookError(Exception):
    """The file as a whole cannot be read (not an xlsx or csv, damaged, too large)."""


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self):
        where = [_("Trang “%(sheet)s”") % {"sheet": self.sheet}]
        if self.row:
            where.append(_("dòng %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("cột “%(column)s”") % {"column": self.column})
        text = ", ".join(where)
        if self.value:
            text += " " + _("(giá trị “%(value)s”)") % {"value": self.value}
        return f"{text}: {self.message}"


@dataclass
class Sheet:
    title: str
    section: Section
    headers: list[str]  # the section's own header for each column read
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (Excel row number, values)


@dataclass
class Count:
    title: str
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    left_alone: int = 0  # would overwrite a report its unit filed itself, and was not ticked


@dataclass
class Outcome:
    problems: list[Problem]
    counts: list[Count]
    dry_run: bool
    changes: list[SheetChanges] = field(default_factory=list)  # per sheet, rows to add or change
    warnings: list = field(default_factory=list)  # core.warnings.FigureWarning, never blocking

    @property
    def marked(self) -> list[RowChange]:
        """Rows that overwrite a report its unit filed itself (each needs its own tick)."""
        return [row for sheet in self.changes for row in sheet.rows if row.filed_unit]

    @property
    def left_alone(self) -> list[RowChange]:
        return [row for row in self.marked if row.left_alone]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def _key(text) -> str:
    return normalise_name(text).casefold()


# ---------------------------------------------------------------------------------------------
# Reading


def _match_header_row(raw_rows, section_hint: Section | None):
    """The first row that reads as a header: (index, section, {column index: header})."""
    for index, values in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        cells = {i: _key(v) for i, v in enumerate(values) if v is not None and _key(v)}
        if len(cells) < 2:
            continue
        candidates = [section_hint] if section_hint else SECTIONS
        best = None
        for section in candidates:
            known = {_key(h): h for h in section.headers}
            matched = {i: known[k] for i, k in cells.items() if k in known}
            if not {_key(h) for h in section.required} <= {_key(h) for h in matched.values()}:
                continue
            unknown = len(cells) - len(matched)
            score = (len(matched) - unknown, -len(section.headers))
            if best is None or score > best[0]:
                best = (score, section, matched)
        if best is not None:
            return index, best[1], best[2], cells
    return None


def _sheet_from_rows(title: str, numbered_rows, problems: list[Problem]) -> Sheet | None:
    """numbered_rows: (Excel row number, values) of the rows with data, in order (see
    _limited); read lazily, only the rows with data are kept."""
    rows = iter(numbered_rows)
    head = []  # the rows among which the header may be
    for number, values in rows:
        head.append((number, values))
        if number >= HEADER_SEARCH_ROWS:
            break
    if not head:
        return None  # an empty sheet says nothing
    by_title = {_key(s.title): s for s in SECTIONS}
    hint = by_title.get(_key(title))
    found = _match_header_row(
        [values for number, values in head if number <= HEADER_SEARCH_ROWS], hint
    )
    if found is None:
        if hint is not None:
            problems.append(
                Problem(
                    title,
                    None,
                    ", ".join(hint.required),
                    "",
                    _(
                        "Không thấy dòng tiêu đề cột của trang này; cần ít nhất các cột: "
                        "%(columns)s."
                    )
                    % {"columns": ", ".join(f"“{h}”" for h in hint.required)},
                )
            )
        else:
            problems.append(
                Problem(
                    title,
                    None,
                    "",
                    "",
                    _(
                        "Không nhận ra trang này: hãy đặt tên trang và tiêu đề cột như tệp mẫu "
                        "(các trang: %(titles)s)."
                    )
                    % {"titles": ", ".join(f"“{s.title}”" for s in SECTIONS)},
                )
            )
        for _row in rows:  # the limits hold for the whole sheet, read or not
            pass
        return None
    header_index, section, matched, cells = found
    header_row, header_values = head[header_index]
    seen = Counter(matched.values())
    for header, times in seen.items():
        if times > 1:
            problems.append(
                Problem(
                    title,
                    header_row,
                    header,
                    "",
                    _("Cột này có %(times)s lần: không biết lấy cột nào.") % {"times": times},
                )
            )
    for i, key in cells.items():
        if i not in matched and key not in IGNORED_HEADERS:
            problems.append(
                Problem(
                    title,
                    header_row,
                    normalise_name(header_values[i]),
                    "",
                    _(
                        "Cột này không có trong mẫu của trang “%(section)s”; hãy bỏ cột hoặc sửa tiêu đề."
                    )
                    % {"section": section.title},
                )
            )
    sheet = Sheet(title=title, section=section, headers=list(dict.fromkeys(matched.values())))
    kinds = section.kinds
    last_matched = max(matched) + 1
    for offset, values in itertools.chain(head[header_index + 1 :], rows):
        row = {}
        for i in range(max(len(values), last_matched)):
            value = values[i] if i < len(values) else None  # rows end at their last value
            if i in matched:
                header = matched[i]
                try:
                    row[header] = _read(kinds.get(header, "text"), value)
                except CellError as error:
                    problems.append(
                        Problem(title, offset, header, normalise_text(value), str(error))
                    )
                    row[header] = None
            elif value is not None and str(value).strip() and i not in cells:
                problems.append(
                    Problem(
                        title,
                        offset,
                        "",
                        normalise_text(value),
                        _("Ô có dữ liệu nhưng cột không có tiêu đề."),
                    )
                )
        sheet.rows.append((offset, row))
    return sheet


def _limited(title: str, numbered_rows):
    """The rows with data, each cut after its last value; WorkbookError past the limits."""
    # Cells looked at, empty ones included: a formatted empty cell in column XFD on every row
    # costs 16,384 cells a row, which a sheet within the limits never needs.
    budget = MAX_ROWS * MAX_COLUMNS
    for number, values in numbered_rows:
        budget -= len(values)
        if budget < 0:
            raise WorkbookError(
                _(
                    "Trang “%(sheet)s” có quá nhiều ô (tính cả các ô trống có định dạng); mỗi "
                    "trang nhận tối đa %(rows)s dòng và %(columns)s cột: hãy xóa các dòng, cột "
                    "thừa."
                )
                % {
                    "sheet": title,
                    "rows": number_format(MAX_ROWS, force_grouping=True),
                    "columns": MAX_COLUMNS,
                }
            )
        wide = False  # data beyond MAX_COLUMNS
        if len(values) > MAX_COLUMNS:
            # A formatted cell far to the right makes a long row of empty cells: counted at C
            # speed (a sheet may have a million such rows), looked at one by one only if needed.
            tail = values[MAX_COLUMNS:]
            empty = tail.count(None) + tail.count("")
            if empty == len(tail) or all(is_blank(v) for v in tail):
                values = values[:MAX_COLUMNS]
            else:
                wide = True
        end = len(values)
        while not wide and end and is_blank(values[end - 1]):
            end -= 1
        if not end:
            if number > EXCEL_MAX_ROWS:
                raise WorkbookError(_too_many_rows(title))
            continue  # empty rows cost nothing, however many the sheet claims
        if number > MAX_ROWS:
            raise WorkbookError(_too_many_rows(title))
        if wide:
            raise WorkbookError(_too_many_columns(title, number))
        yield number, values[:end]


def _too_many_columns(title: str, row: int) -> str:
    return _(
        "Trang “%(sheet)s” có dữ liệu ở hơn %(limit)s cột (dòng %(row)s); mỗi trang nhận tối đa "
        "%(limit)s cột."
    ) % {"sheet": title, "limit": MAX_COLUMNS, "row": row}


def _too_many_rows(title: str) -> str:
    return _(
        "Trang “%(sheet)s” có hơn %(limit)s dòng; mỗi trang nhận tối đa %(limit)s dòng: hãy "
        "chia thành nhiều tệp, hoặc xóa các dòng trống ở cuối trang."
    ) % {"sheet": title, "limit": number_format(MAX_ROWS, force_grouping=True)}


def _damaged_xlsx() -> WorkbookError:
    return WorkbookError(_("Không đọc được tệp: tệp không phải .xlsx hoặc đã hỏng."))


def _check_archive(data: bytes) -> int:
    """Refuse an .xlsx that no spreadsheet program writes, before openpyxl reads it: a DTD (XML
    entity bombs and external entities need one), a zip that unpacks to more than
    MAX_UNPACKED_BYTES, a sheet with more rows or a row with more cells than Excel allows, more
    than MAX_STRINGS shared strings. openpyxl builds a whole row, and the whole shared-string
    table, in memory before anything here can count. Returns the rows the sheets list."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except XLSX_ERRORS:
        raise _damaged_xlsx() from None
    # zipfile stops at the size a member declares (then the CRC fails): the sum is a bound.
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            _("Tệp giải nén ra lớn hơn %(limit)s MB; hãy chia thành nhiều tệp.")
            % {"limit": MAX_UNPACKED_BYTES // 2**20}
        )
    rows = 0
    for member in members:
        try:
            with archive.open(member) as stream:
                rows += _scan_xml(stream)
        except (*XLSX_ERRORS, expat.ExpatError):
            raise _damaged_xlsx() from None
    return rows


def _scan_xml(stream) -> int:
    """Stream one part of the zip through expat (parts that are not XML, images, are left);
    the rows it lists."""
    chunk = stream.read(2**16)
    if not chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return 0
    parser = expat.ParserCreate(namespace_separator=" ")
    counts = {"row": 0, "c": 0, "si": 0}

    def refuse(*_args):
        raise _unusual_xlsx()

    def start(name, _attrs):
        local = name.rpartition(" ")[2]
        if local in counts:
            counts[local] += 1
            if local == "row":
                counts["c"] = 0
                if counts["row"] > EXCEL_MAX_ROWS:
                    refuse()
            elif counts["c"] > EXCEL_MAX_COLUMNS or counts["si"] > MAX_STRINGS:
                refuse()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    while chunk:
        parser.Parse(chunk, False)
        chunk = stream.read(2**16)
    parser.Parse(b"", True)
    return counts["row"]


def _unusual_xlsx() -> WorkbookError:
    return WorkbookError(
        _(
            "Không đọc được tệp: cấu trúc tệp .xlsx bất thường (khai báo DTD, hoặc quá nhiều "
            "dòng, ô hay chuỗi so với giới hạn của Excel). Hãy mở tệp bằng Excel rồi lưu lại."
        )
    )


def _xlsx_rows(worksheet):
    """(Excel row number, values) of every row, streamed. The dimension a sheet declares is
    not trusted: openpyxl would pad every row to it (A1:XFD1048576 is gigabytes)."""
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    for number in itertools.count(1):
        try:
            values = next(rows, None)
        except XLSX_ERRORS:
            raise _damaged_xlsx() from None
        if values is None:
            return
        yield number, values


def _csv_rows(text: str, dialect):
    """(row number, values) of every record; a quoted field may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    for number in itertools.count(1):
        try:
            values = next(reader, None)
        except csv.Error as error:
            if "field limit" in str(error):
                message = _(
                    "Tệp CSV có ô quá dài ở dòng %(row)s (hơn %(limit)s KB); hãy kiểm tra dấu "
                    "ngoặc kép trong tệp."
                ) % {"row": number, "limit": csv.field_size_limit() // 1024}
            else:
                message = _(
                    "Không đọc được tệp CSV ở dòng %(row)s; hãy lưu lại tệp từ Excel dưới dạng "
                    "“CSV UTF-8”."
                ) % {"row": number}
            raise WorkbookError(message) from None
        if values is None:
            return
        yield number, values


def _read(kind: str, value):
    if kind == "integer":
        return read_integer(value)
    if kind == "date":
        return read_date(value)
    if kind == "name":
        return normalise_name(value)
    return normalise_text(value)


def count_rows(upload, filename: str) -> int:
    """How many rows the file holds, header rows included, without reading a cell: what decides
    whether it is imported in the background (workbook.jobs). The lines of a CSV; the rows an
    .xlsx lists, counted while its archive is checked as read() checks it (WorkbookError the
    same). The upload is left at its start, to be read again."""
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise WorkbookError(_("Tệp lớn hơn 20 MB; hãy chia thành nhiều tệp."))
    if filename.lower().endswith(".xlsx"):
        return _check_archive(data)
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1


def read(upload, filename: str) -> tuple[list[Sheet], list[Problem]]:
    """Sheets of an .xlsx or a .csv; problems found while reading cells."""
    problems: list[Problem] = []
    data = upload.read(MAX_BYTES + 1) if hasattr(upload, "read") else upload
    if len(data) > MAX_BYTES:
        raise WorkbookError(_("Tệp lớn hơn 20 MB; hãy chia thành nhiều tệp."))
    sheets = []
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise WorkbookError(
                _("Tệp CSV phải lưu theo bảng mã UTF-8 (trong Excel: “CSV UTF-8”).")
            ) from None
        del data
        # Old Mac Excel ends lines with a lone CR, which the csv module refuses: one line end.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        title = filename.rsplit("/", 1)[-1][: -len(".csv")]
        sheet = _sheet_from_rows(title, _limited(title, _csv_rows(text, dialect)), problems)
        if sheet:
            sheets.append(sheet)
    elif filename.lower().endswith(".xlsx"):
        _check_archive(data)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except XLSX_ERRORS:
            raise _damaged_xlsx() from None
        try:
            for worksheet in workbook.worksheets:
                title = worksheet.title
                sheet = _sheet_from_rows(title, _limited(title, _xlsx_rows(worksheet)), problems)
                if sheet:
                    sheets.append(sheet)
        finally:
            workbook.close()
    else:
        raise WorkbookError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    if not sheets and not problems:
        raise WorkbookError(_("Tệp không có dữ liệu."))
    return sheets, problems


# ---------------------------------------------------------------------------------------------
# Importing


def _duplicates(sheet: Sheet, problems: list[Problem]) -> set[int]:
    """Two rows for the same thing (same identifying columns) cannot both be right."""
    id_headers = [h for h in sheet.section.required if h in sheet.headers]
    first_seen = {}
    dropped = set()
    for excel_row, row in sheet.rows:
        key = tuple(
            _key(row.get(h)) if isinstance(row.get(h), str) else row.get(h) for h in id_headers
        )
        if key in first_seen:
            problems.append(
                Problem(
                    sheet.title,
                    excel_row,
                    ", ".join(id_headers),
                    " | ".join(normalise_text(row.get(h)) for h in id_headers),
                    _("Trùng với dòng %(row)s: mỗi dòng phải là một đối tượng khác nhau.")
                    % {"row": first_seen[key]},
                )
            )
            dropped.add(excel_row)
        else:
            first_seen[key] = excel_row
    return dropped


def _column_of(resource, key: str) -> str:
    if key == NON_FIELD_ERRORS:
        return ""
    for name, resource_field in resource.fields.items():
        if key in (name, resource_field.attribute):
            return resource_field.column_name
    return key


def _run_pass(sheet: Sheet, headers: list[str], rows, user, problems, tick=None) -> list[tuple]:
    """Import rows (excel_row, values) of one sheet with the given columns; for each row its
    outcome ("new", "update", "skip" or "invalid") and what it showed before and after
    ({header: value as the pages show it}; None for a row that did not exist, or failed).
    tick: called after each row (a background job's progress)."""
    resource = sheet.section.resource_class()
    if tick is not None:
        import_row = resource.import_row

        def import_row_and_tick(*args, **kwargs):
            row_result = import_row(*args, **kwargs)
            tick()
            return row_result

        resource.import_row = import_row_and_tick
    dataset = tablib.Dataset(headers=headers)
    for _excel_row, values in rows:
        dataset.append([values.get(h) for h in headers])
    numbers = [excel_row for excel_row, _values in rows]

    def value_of(number, column):
        values = rows[number - 1][1]
        return normalise_text(values.get(column)) if column else ""

    result = None
    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=False,
                retain_instance_in_row_result=True,
                user=user,
            )
            # What each row showed before and after, read before any rollback.
            columns = columns_of(resource, sheet.headers)
            displayed = []
            for row_result in result.rows:
                if row_result.import_type not in WRITES:
                    displayed.append((None, None))  # left as it was: nothing to show
                    continue
                before = original_of(resource, row_result)
                after = row_result.instance
                displayed.append(
                    (
                        None if before is None else snapshot(columns, before),
                        None if after is None else snapshot(columns, after),
                    )
                )
            if result.has_errors():
                raise _PassFailed
    except _PassFailed:
        pass
    except DatabaseError as error:  # pragma: no cover - a defence, every write is validated
        problems.append(Problem(sheet.title, None, "", "", str(error)))
        return [("invalid", None, None)] * len(rows)
    for error in result.base_errors:
        problems.append(Problem(sheet.title, None, "", "", _db_message(error.error)))
    for number, errors in result.row_errors():
        shown = [e for e in errors if "transaction is aborted" not in str(e.error)]
        for error in shown[:1]:
            problems.append(
                Problem(sheet.title, numbers[number - 1], "", "", _db_message(error.error))
            )
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = _column_of(resource, key)
            if column and column not in sheet.headers:
                # A new row needs a value the sheet has no column for.
                messages = [_("Trang không có cột này, mà dòng mới cần có giá trị ở cột này.")]
            for message in messages:
                problems.append(
                    Problem(
                        sheet.title,
                        numbers[invalid.number - 1],
                        column,
                        value_of(invalid.number, column),
                        message,
                    )
                )
    outcomes = [("invalid", None, None)] * len(rows)
    types = {
        RowResult.IMPORT_TYPE_NEW: "new",
        RowResult.IMPORT_TYPE_UPDATE: "update",
        RowResult.IMPORT_TYPE_SKIP: "skip",
    }
    for index, row_result in enumerate(result.rows):
        outcome = types.get(row_result.import_type, "invalid")
        before, after = displayed[index]
        outcomes[index] = (outcome, before, after)
    return outcomes


WRITES = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)


class _PassFailed(Exception):
    """Rolls back one pass's savepoint after a database error in it."""


def _db_message(error) -> str:
    return _("Cơ sở dữ liệu từ chối dòng này: %(error)s") % {"error": error}


def _steps(sheets: list[Sheet]):
    """(sheet, columns) in the order the sections depend on each other; a section with forward
    references is imported first without them and then again with them."""
    by_section = {sheet.section.title: sheet for sheet in sheets}
    first, later = [], []
    for section in SECTIONS:
        sheet = by_section.get(section.title)
        if sheet is None:
            continue
        deferred = [h for h in section.deferred if h in sheet.headers]
        first.append((sheet, [h for h in sheet.headers if h not in deferred]))
        if deferred:
            later.append((section.deferred_after, sheet, sheet.headers))
    steps = []
    for sheet, headers in first:
        steps.append((sheet, headers))
        for after, later_sheet, later_headers in later:
            if after == sheet.section.title:
                steps.append((later_sheet, later_headers))
    for after, later_sheet, later_headers in later:
        if after is None or after not in by_section:
            steps.append((later_sheet, later_headers))
    return steps


def run(
    sheets: list[Sheet],
    *,
    user=None,
    dry_run: bool = False,
    problems=None,
    cluster_year=None,
    overwrite=(),
    progress=None,
) -> Outcome:
    """Check every row of every sheet, then keep everything or nothing. user=None is the
    command line, with the admin's rights. progress(done, total): told after each row of each
    pass (a sheet with forward references counts twice), as a background job shows it.

    cluster_year: the year whose import page this is. Every row that names a year must name
    this one, and no sheet may be a copy of another year (workbook.years); a row that would
    overwrite a unit report its unit filed itself is left alone unless that unit's slug is in
    `overwrite` (the rest is written). Without it (the command line, the admin's page) the file
    may hold any years and every row is written, as the admin's tool always did."""
    user = user or COMMAND_LINE
    problems = list(problems or [])
    counts = {sheet.title: Count(sheet.title, rows=len(sheet.rows)) for sheet in sheets}
    if cluster_year is not None:
        wrong_year = [Problem(*problem) for problem in year_problems(sheets, cluster_year)]
        if wrong_year:  # another year's file: nothing of it is worth previewing
            return Outcome(
                problems=[*problems, *wrong_year], counts=list(counts.values()), dry_run=dry_run
            )
    outcomes: dict[str, dict[int, list]] = {sheet.title: {} for sheet in sheets}
    titles = Counter(sheet.section.title for sheet in sheets)
    for section_title, times in titles.items():
        if times > 1:
            problems.append(
                Problem(
                    section_title,
                    None,
                    "",
                    "",
                    _("Tệp có %(times)s trang cùng là “%(section)s”: hãy gộp thành một trang.")
                    % {"times": times, "section": section_title},
                )
            )
    dropped = {sheet.title: _duplicates(sheet, problems) for sheet in sheets}
    filed = {}  # {excel row of the report sheet: (unit name, slug)}
    filed_sheet = None  # the title of that sheet: other sheets' rows of the same number are not it
    steps = _steps(sheets)
    tick = None
    if progress is not None:
        total = sum(
            sum(1 for n, _values in sheet.rows if n not in dropped[sheet.title])
            for sheet, _headers in steps
        )
        done = itertools.count(1)

        def tick():
            progress(next(done), total)

    with transaction.atomic():
        # Read before anything is written: the dry run's own writes would be the latest history.
        guarded = _self_filed(cluster_year, user) if cluster_year is not None else {}
        for sheet, headers in steps:
            rows = [(n, values) for n, values in sheet.rows if n not in dropped[sheet.title]]
            if not rows:
                continue
            held = []
            if guarded and sheet.section.resource_class._meta.model is UnitReport:
                filed = _filed_rows(rows, guarded, cluster_year)
                filed_sheet = sheet.title
                held = [
                    row for row in rows if row[0] in filed and filed[row[0]][1] not in overwrite
                ]
                rows = [row for row in rows if row not in held]
            if held:
                # Imported to be checked and shown, then undone: these rows are left alone.
                with transaction.atomic():
                    results = _run_pass(sheet, headers, held, user, problems, tick)
                    transaction.set_rollback(True)
                for (excel_row, _values), outcome in zip(held, results, strict=True):
                    outcomes[sheet.title].setdefault(excel_row, []).append(outcome)
            if rows:
                results = _run_pass(sheet, headers, rows, user, problems, tick)
                for (excel_row, _values), outcome in zip(rows, results, strict=True):
                    outcomes[sheet.title].setdefault(excel_row, []).append(outcome)
        # The plausibility warnings of the year as it would be once the file is in (reports and
        # welfare read the rows this transaction has just written, before any rollback).
        warnings = []
        if cluster_year is not None and not problems:
            warnings = report_warnings(cluster_year) + welfare_warnings(cluster_year)
        if problems or dry_run:
            transaction.set_rollback(True)
    changes = []
    for sheet in sheets:
        title = sheet.title
        listed = SheetChanges(title=title, headers=sheet.headers)
        for excel_row, passes in sorted(outcomes[title].items()):
            seen = {outcome for outcome, _before, _after in passes}
            if "invalid" in seen:
                continue
            change = _row_change(title, excel_row, passes)
            if change is None:
                counts[title].unchanged += 1
                continue
            if change.kind == "update" and title == filed_sheet and excel_row in filed:
                change.filed_unit, change.filed_slug = filed[excel_row]
                change.left_alone = change.filed_slug not in overwrite
            if change.left_alone and not dry_run:
                counts[title].left_alone += 1
            elif change.is_new:
                counts[title].created += 1
            else:
                counts[title].changed += 1
            listed.rows.append(change)
        changes.append(listed)
    problems = _first_per_cell(problems)
    problems.sort(key=lambda p: (_order(p.sheet, sheets), p.row or 0))
    return Outcome(
        problems=problems,
        counts=list(counts.values()),
        dry_run=dry_run,
        changes=changes,
        warnings=warnings,
    )


def _row_change(title: str, excel_row: int, passes) -> RowChange | None:
    """One row over its passes (a sheet with forward references is imported twice): new if
    the first pass added it, changed if any pass changed it; None if it is left as it was."""
    kinds = [outcome for outcome, _before, _after in passes]
    if "new" not in kinds and "update" not in kinds:
        return None
    written = [(before, after) for outcome, before, after in passes if after is not None]
    after = written[-1][1]
    if kinds[0] == "new":
        return RowChange(title, excel_row, "new", values=after)
    before = written[0][0] or {}
    return RowChange(title, excel_row, "update", values=after, cells=cells_changed(before, after))


def _self_filed(cluster_year, user) -> dict[str, tuple[str, str]]:
    """{unit name as a key: (name, slug)} of the reports of the year that their units filed
    themselves, except the importing officer's own unit (it is their own report)."""
    reports = self_filed_reports(cluster_year)
    own = getattr(user, "unit_id", None) if getattr(user, "role", "") == Role.UNIT_OFFICER else None
    return {_key(name): (name, slug) for unit_id, (name, slug) in reports.items() if unit_id != own}


def _filed_rows(rows, guarded, cluster_year) -> dict[int, tuple[str, str]]:
    """{Excel row: (unit name, slug)} of the rows of the report sheet that name one of the
    guarded units in this cluster."""
    cluster = _key(cluster_year.cluster.name)
    found = {}
    for excel_row, values in rows:
        unit = guarded.get(_key(values.get(UNIT)))
        if unit is not None and _key(values.get(CLUSTER)) == cluster:
            found[excel_row] = unit
    return found


def _first_per_cell(problems: list[Problem]) -> list[Problem]:
    """A cell refused while reading is not reported again by the import (as empty, say)."""
    kept, cells = [], set()
    for problem in problems:
        cell = (problem.sheet, problem.row, problem.column)
        if problem.row and problem.column and cell in cells:
            continue
        cells.add(cell)
        kept.append(problem)
    return kept


def _order(title, sheets) -> int:
    for index, sheet in enumerate(sheets):
        if sheet.title == title:
            return index
    return -1


def import_file(
    upload,
    filename: str,
    *,
    user=None,
    dry_run: bool = False,
    cluster_year=None,
    overwrite=(),
    progress=None,
    on_read=None,
) -> Outcome:
    """on_read(sheets): told once the file is read, before any row is checked."""
    sheets, problems = read(upload, filename)
    if on_read is not None:
        on_read(sheets)
    return run(
        sheets,
        user=user,
        dry_run=dry_run,
        problems=problems,
        cluster_year=cluster_year,
        overwrite=set(overwrite),
        progress=progress,
    )
