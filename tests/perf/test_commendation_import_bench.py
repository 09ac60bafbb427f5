"""make bench: import 10,000 commendation rows from an XLSX sheet; prints the figures."""

import io
import time

import openpyxl
import pytest
import tablib

from accounts.access import COMMAND_LINE
from awards.models import Commendation
from awards.workbook import COMMENDATION_HEADERS, CommendationResource

pytestmark = pytest.mark.django_db

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


def test_import_10000_commendations(seeded):
    from django.db import connection

    content = xlsx_bytes()
    started = time.perf_counter()
    dataset = tablib.Dataset().load(content, format="xlsx")
    loaded = time.perf_counter()
    result = CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    finished = time.perf_counter()
    assert not result.has_errors() and not result.has_validation_errors()
    assert Commendation.objects.count() == ROWS
    print(
        f"\n[bench] import {ROWS} commendations, {connection.vendor}: read xlsx {loaded - started:.1f} s, "
        f"validate+write {finished - loaded:.1f} s, total {finished - started:.1f} s "
        f"({ROWS / (finished - started):.0f} rows/s)"
    )
    assert finished - started < 30  # budget: measured about 4 s for 10,000 rows
