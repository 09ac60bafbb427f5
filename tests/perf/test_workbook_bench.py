"""make bench: the workbook path end to end. A 10,000-row commendation sheet through
import_workbook (read, check every row, write), a second import of the same file (all unchanged),
the export's memory with 5,000 and 20,000 rows (write-only, streamed to a file), and the reading
of hostile files (a declared A1:XFD1048576, a row of a million cells): time and peak memory."""

import io
import time
import tracemalloc

import openpyxl
import pytest
from django.db import connection

from awards.models import AwardKind, Commendation
from awards.workbook import COMMENDATION_HEADERS
from workbook.exporter import export_workbook
from workbook.importer import WorkbookError, import_file, read

pytestmark = pytest.mark.django_db

# Budgets on this project's machine size (2 cores): several times what was measured, so that a
# change that makes a path slower by an order of magnitude fails make bench, and noise does not.
IMPORT_SECONDS = 30  # 10,000 rows, measured 4.3 s on SQLite, 5.5 s on PostgreSQL
EXPORT_PEAK_RATIO = 1.5  # 4 × the rows, the peak memory grows by less than half


ROWS = 10_000


def xlsx_bytes():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách khen thưởng")
    sheet.append(COMMENDATION_HEADERS)
    units = [
        "Công an tỉnh Sơn La",
        "Công an tỉnh Lai Châu",
        "Công an tỉnh Điện Biên",
        "Công an tỉnh Lào Cai",
    ]
    for i in range(ROWS):
        sheet.append(
            [
                2024,
                "Chiến sĩ thi đua cơ sở",
                units[i % 4],
                f"Cán bộ {i}",
                "Đại úy",
                "Đội trưởng",
                f"{i}/QĐ-CAT",
                "15/01/2024",
                "Giám đốc",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_workbook_10000_commendations_twice(seeded):
    content = xlsx_bytes()
    started = time.perf_counter()
    outcome = import_file(content, "khen-thuong.xlsx")
    first = time.perf_counter() - started
    assert outcome.ok, outcome.problems[:3]
    assert Commendation.objects.filter(year=2024).count() >= ROWS
    started = time.perf_counter()
    again = import_file(content, "khen-thuong.xlsx")
    second = time.perf_counter() - started
    assert again.counts[0].unchanged == ROWS
    print(
        f"\n[bench] import_workbook {ROWS} commendation rows, {connection.vendor}: "
        f"{first:.1f} s ({ROWS / first:.0f} rows/s); again, all unchanged: {second:.1f} s"
    )
    assert first < IMPORT_SECONDS and second < IMPORT_SECONDS


def _export_peak(rows) -> float:
    kind = AwardKind.objects.get(code="chien-si-thi-dua-co-so")
    Commendation.objects.filter(year=2023).delete()
    from clusters.models import Unit

    unit = Unit.objects.get(slug="son-la")
    Commendation.objects.bulk_create(
        Commendation(
            award_kind=kind,
            year=2023,
            unit=unit,
            person_name=f"Cán bộ {i}",
            decision_number=f"{i}/QĐ-CAT",
            decision_date="2024-01-15",
        )
        for i in range(rows)
    )
    started = time.perf_counter()
    export_workbook("/dev/null", year=2023)
    elapsed = time.perf_counter() - started
    tracemalloc.start()  # a second run, traced: tracing slows Python down several times
    export_workbook("/dev/null", year=2023)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"[bench] export 2023 with {rows} commendations, {connection.vendor}: {elapsed:.1f} s, "
        f"peak Python memory {peak / 2**20:.1f} MiB"
    )
    return peak


def test_export_memory_does_not_grow_with_rows(seeded):
    small = _export_peak(5_000)
    large = _export_peak(20_000)
    # Four times the rows: the peak stays within a small margin (shared strings of the unique
    # names are the only thing that grows).
    print(f"[bench] export peak ratio 20,000 / 5,000 rows: {large / small:.2f}")
    assert large / small < EXPORT_PEAK_RATIO


def _read_peak(data: bytes) -> tuple[float, float, str]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        read(data, "bao-cao.xlsx")
        message = "read"
    except WorkbookError as error:
        message = str(error)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, message


def test_hostile_files_are_read_in_flat_memory(cluster_ii):
    from tests.workbook.test_hostile_files import hostile_dimension_xlsx, report_xlsx, rewrite_sheet

    content = xlsx_bytes()
    elapsed, peak, _message = _read_peak(content)
    print(
        f"\n[bench] read {ROWS} commendation rows ({len(content) / 2**10:.0f} KiB), traced: "
        f"{elapsed:.1f} s, peak Python memory {peak:.1f} MiB"
    )
    hostile = hostile_dimension_xlsx()
    elapsed, peak, message = _read_peak(hostile)
    print(
        f"[bench] read a {len(hostile) / 2**10:.1f} KiB sheet declaring A1:XFD1048576 with a cell "
        f"in XFD1048576, traced: {elapsed:.1f} s, peak {peak:.1f} MiB: {message}"
    )
    assert peak < 50
    cells = "<c><v>1</v></c>" * 1_000_000
    wide = rewrite_sheet(
        report_xlsx(), lambda xml: xml.replace("</sheetData>", f"<row>{cells}</row></sheetData>")
    )
    elapsed, peak, message = _read_peak(wide)
    print(
        f"[bench] read a {len(wide) / 2**10:.1f} KiB sheet with a row of 1,000,000 cells, "
        f"traced: {elapsed:.1f} s, peak {peak:.1f} MiB: {message}"
    )
    assert peak < 50
