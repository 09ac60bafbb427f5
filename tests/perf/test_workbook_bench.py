"""make bench: the workbook path end to end. A 10,000-row commendation sheet through
import_workbook (read, check every row, write), a second import of the same file (all unchanged),
and the export's memory with 5,000 and 20,000 rows (write-only, streamed to a file)."""

import time
import tracemalloc

import pytest
from django.db import connection

from awards.models import AwardKind, Commendation
from tests.perf.test_commendation_import_bench import ROWS, xlsx_bytes
from workbook.exporter import export_workbook
from workbook.importer import import_file

pytestmark = pytest.mark.django_db


def test_import_workbook_10000_commendations_twice(seeded):
    content = xlsx_bytes()
    started = time.perf_counter()
    outcome = import_file(content, "khen-thuong.xlsx")
    first = time.perf_counter() - started
    assert outcome.ok, outcome.problems[:3]
    assert Commendation.objects.filter(year=2023).count() >= ROWS
    started = time.perf_counter()
    again = import_file(content, "khen-thuong.xlsx")
    second = time.perf_counter() - started
    assert again.counts[0].unchanged == ROWS
    print(
        f"\n[bench] import_workbook {ROWS} commendation rows, {connection.vendor}: "
        f"{first:.1f} s ({ROWS / first:.0f} rows/s); again, all unchanged: {second:.1f} s"
    )


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
