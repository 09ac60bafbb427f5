import datetime
import unicodedata

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import COMMAND_LINE
from awards.models import Commendation
from awards.workbook import COMMENDATION_HEADERS, CachedNameWidget, CommendationResource

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
    # per-row lookups would cost 600+ queries; names and existing rows are read once (SQLite's
    # 999 parameters a statement make the 600 rows' inserts a few batches more than PostgreSQL's)
    assert len(queries) < 45, len(queries)
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


def test_each_distinct_name_is_cleaned_once_a_file(seeded, monkeypatch):
    """django-import-export asks for the identifying cells four times a row; each distinct
    kind and unit cell of a file is cleaned once (cleaning them again and again was half of a
    10,000-row import's own time)."""
    calls = []
    original = CachedNameWidget.clean

    def counted(self, value, row=None, **kwargs):
        calls.append(value)
        return original(self, value, row, **kwargs)

    monkeypatch.setattr(CachedNameWidget, "clean", counted)
    dataset = sheet(90)
    result = CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    distinct = {row[1] for row in dataset} | {row[2] for row in dataset}
    assert len(distinct) == 5  # one kind, three units, one of them also typed on a Mac
    assert sorted(calls) == sorted(distinct)
    assert Commendation.objects.filter(unit__slug="lai-chau").count() == 30


def test_bad_cells_anywhere_in_a_row_are_that_rows_errors(seeded):
    dataset = sheet(30)
    rows = [list(row) for row in dataset]
    rows[4][7] = rows[20][7] = "31/02/2024"  # no such date, twice (cleaned once, said twice)
    rows[9][0] = "hai nghìn"  # no such year
    rows[9][1] = "Huân chương không có"  # and no such kind
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    result = CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors()
    found = {row.number: row.error_dict for row in result.invalid_rows}
    assert sorted(found) == [5, 10, 21]
    assert list(found[5]) == list(found[21]) == ["decision_date"]
    assert found[10] == {
        "year": ["Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “hai nghìn”."],
        "award_kind": ["Không tìm thấy hình thức khen thưởng có tên “Huân chương không có”."],
    }
    assert Commendation.objects.count() == 0


def test_the_secretariat_is_refused_on_every_row_of_another_clusters_unit(
    seeded, secretary, other_cluster
):
    """The guard asks the rules once per unit and year, and says its refusal on each row."""
    stranger = other_cluster.memberships.first().unit.name
    dataset = sheet(6)
    rows = [list(row) for row in dataset]
    for row in rows[3:]:
        row[2] = stranger
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    result = CommendationResource().import_data(dataset, dry_run=False, user=secretary)
    refused = {row.number: row.error.messages for row in result.invalid_rows}
    assert sorted(refused) == [4, 5, 6]
    assert all(
        messages
        == ["Thư ký cụm chỉ được nhập khen thưởng của đơn vị trong cụm mình, năm chưa công bố."]
        for messages in refused.values()
    )
    assert Commendation.objects.count() == 0


def test_a_value_the_model_refuses_is_refused_on_every_row_it_is_on(seeded):
    """Values that passed the model's checks once in a file are not checked again; a refused
    one is refused on each of its rows."""
    dataset = sheet(12)
    rows = [list(row) for row in dataset]
    rows[2][4] = rows[6][4] = "Đại úy" * 10  # a rank of 60 letters (50 at most)
    rows[8][0] = rows[10][0] = 1500  # a year before any cluster
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    result = CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    found = {row.number: sorted(row.error_dict) for row in result.invalid_rows}
    assert found == {3: ["person_rank"], 7: ["person_rank"], 9: ["year"], 11: ["year"]}
    assert Commendation.objects.count() == 0
