"""The admin's django-import-export downloads never hand Excel a formula: a text cell starting with
= + - @ tab CR LF is text (a leading ' in CSV, quotePrefix in XLSX); numbers and dates stay so."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from clusters.models import Cluster, Unit
from core.spreadsheets import FORMULA_STARTS

pytestmark = pytest.mark.django_db

HOSTILE = {
    "name": '=HYPERLINK("http://x")',
    "notes": "+cmd|' /C calc'!A0",
}
OTHERS = [
    ('==HYPERLINK("http://x","y")', "@SUM(1)"),
    ("-1+1", "\t=1+1"),
    ("Công an tỉnh Bình Thường", "-"),
]


@pytest.fixture
def hostile_units(db):
    units = [Unit.objects.create(short_name="Độc", slug="doc", **HOSTILE)]
    for i, (name, notes) in enumerate(OTHERS):
        units.append(
            Unit.objects.create(name=name, short_name=f"Độc {i}", slug=f"doc-{i}", notes=notes)
        )
    units[0].started_on = datetime.date(2020, 1, 2)
    units[0].save()
    return units


def export(admin_client, model: str, title: str) -> bytes:
    url = reverse(f"admin:clusters_{model}_export")
    form = admin_client.get(url).context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label == title)
    data = {"format": choice, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith(f"{model}resource_")})
    response = admin_client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    return response.content


def inert_in_csv(value: str) -> bool:
    return not value.startswith(FORMULA_STARTS) or value.lstrip("-").isdigit()


def test_the_admin_xlsx_export_of_units_holds_no_formula(admin_client, hostile_units):
    book = openpyxl.load_workbook(io.BytesIO(export(admin_client, "unit", "xlsx")))
    sheet = book.active
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    by_name = {row[headers.index("Tên đơn vị")].value: row for row in rows[1:]}
    assert set(by_name) >= {HOSTILE["name"], *(name for name, _notes in OTHERS)}
    for row in rows[1:]:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    first = by_name[HOSTILE["name"]]
    assert first[headers.index("Ghi chú")].value == HOSTILE["notes"]  # the text is kept whole
    assert by_name['==HYPERLINK("http://x","y")'][headers.index("Ghi chú")].value == "@SUM(1)"
    assert by_name["-1+1"][headers.index("Ghi chú")].value == "\t=1+1"
    started = first[headers.index("Ngày thành lập")].value
    assert isinstance(started, datetime.datetime) and started.date() == datetime.date(2020, 1, 2)
    raw = export(admin_client, "unit", "xlsx")
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_the_admin_csv_export_of_units_holds_no_formula(admin_client, hostile_units):
    text = export(admin_client, "unit", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    headers = rows[0]
    for row in rows[1:]:
        for value in row:
            assert inert_in_csv(value), value
    by_name = {row[headers.index("Tên đơn vị")]: row for row in rows[1:]}
    first = by_name["'" + HOSTILE["name"]]
    assert first[headers.index("Ghi chú")] == "'" + HOSTILE["notes"]
    assert by_name['\'==HYPERLINK("http://x","y")'][headers.index("Ghi chú")] == "'@SUM(1)"
    assert by_name["'-1+1"][headers.index("Ghi chú")] == "'\t=1+1"
    assert by_name["Công an tỉnh Bình Thường"][headers.index("Ghi chú")] == "'-"


def test_numbers_stay_numbers_in_the_admin_exports(admin_client, db):
    Cluster.objects.create(number=7, name="@SUM(1)", slug="cum-7", description="-1+1")
    book = openpyxl.load_workbook(io.BytesIO(export(admin_client, "cluster", "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    headers = list(rows[0])
    row = next(r for r in rows[1:] if r[headers.index("Số")] == 7)
    assert isinstance(row[headers.index("Số")], int)
    assert row[headers.index("Tên cụm")] == "@SUM(1)"
    cell = next(c for c in book.active.iter_rows(min_row=2) for c in c if c.value == "-1+1")
    assert cell.data_type == "s" and cell.quotePrefix
    text = export(admin_client, "cluster", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows[1:] if r[rows[0].index("Mã đường dẫn")] == "cum-7")
    assert row[rows[0].index("Số")] == "7"
    assert row[rows[0].index("Tên cụm")] == "'@SUM(1)"
    assert row[rows[0].index("Mô tả")] == "'-1+1"


def test_every_admin_export_format_is_a_neutralising_one(admin_client, db):
    form = admin_client.get(reverse("admin:clusters_unit_export")).context["form"]
    titles = {label for value, label in form.fields["format"].choices if value}
    assert titles == {"csv", "xlsx"}


def test_the_xlsx_writer_keeps_times_of_day_in_local_time():
    from zoneinfo import ZoneInfo

    from core.spreadsheets import workbook_bytes

    moment = datetime.datetime(2024, 3, 1, 1, 30, tzinfo=datetime.UTC)
    data = workbook_bytes([("A", ["Lúc", "Ngày"], [[moment, datetime.date(2024, 3, 1)]])])
    row = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))[0]
    local = moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    assert row[0].value == local and row[0].number_format == "DD/MM/YYYY HH:MM"
    assert row[1].value == datetime.datetime(2024, 3, 1) and row[1].number_format == "DD/MM/YYYY"
