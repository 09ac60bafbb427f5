import datetime
import unicodedata

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import COMMAND_LINE
from awards.models import Commendation
from awards.workbook import COMMENDATION_HEADERS, CommendationResource

pytestmark = pytest.mark.django_db

HEADERS = COMMENDATION_HEADERS
UNITS = ["Công an tỉnh Sơn La", "Công an tỉnh Lai Châu", "Công an tỉnh Điện Biên"]


def sheet(rows=600, bad_row=None):
    dataset = tablib.Dataset(headers=HEADERS)
    for i in range(rows):
        unit = UNITS[i % 3]
        if i == 1:  # typed on a Mac: decomposed diacritics, stray spaces
            unit = "  " + unicodedata.normalize("NFD", unit) + " "
        dataset.append(
            [
                2024,
                "Chiến sĩ thi đua cơ sở",
                "Công an tỉnh Không Có" if i == bad_row else unit,
                f"Cán bộ {i}",
                "Đại úy",
                "",
                f"{i}/QĐ-CAT",
                "15/01/2024",
                "Giám đốc",
                "",
                "",  # Tình trạng số liệu: empty is the unit's own report
                "",  # Nguồn
            ]
        )
    return dataset


def test_import_resolves_names_once_and_writes_in_batches(seeded):
    with CaptureQueriesContext(connection) as queries:
        result = CommendationResource().import_data(sheet(600), dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Commendation.objects.count() == 600
    assert Commendation.objects.filter(unit__slug="lai-chau").count() == 200  # NFD row found
    # per-row lookups would cost 600+ queries; names and existing rows are read once
    assert len(queries) < 40, len(queries)
    assert Commendation.objects.get(person_name="Cán bộ 5").decision_date == datetime.date(
        2024, 1, 15
    )


def test_importing_the_same_sheet_twice_changes_nothing(seeded):
    CommendationResource().import_data(sheet(90), dry_run=False, user=COMMAND_LINE)
    result = CommendationResource().import_data(sheet(90), dry_run=False, user=COMMAND_LINE)
    assert Commendation.objects.count() == 90
    assert result.totals["new"] == 0


def test_one_bad_row_near_the_end_writes_nothing_and_is_named(seeded):
    result = CommendationResource().import_data(
        sheet(600, bad_row=598), dry_run=False, user=COMMAND_LINE
    )
    assert result.has_validation_errors() and not result.has_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 599
    assert invalid.error_dict == {"unit": ["Không tìm thấy đơn vị có tên “Công an tỉnh Không Có”."]}
    assert Commendation.objects.count() == 0
