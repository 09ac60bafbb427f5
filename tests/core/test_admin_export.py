"""The admin's exports speak Vietnamese: the form lists the columns by their Vietnamese names, the
file's headers are those names, an XLSX sheet is titled with the model's plural name and holds
numbers as numbers; the form's "select all" needs no inline script (CSP)."""

import io
import re

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from core.admin import AccentInsensitiveSearch, VietnameseExport
from reports.models import UnitReport
from tests.factories import UnitReportFactory

pytestmark = pytest.mark.django_db

EXPORTING = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    ),
    key=lambda pair: pair[0]._meta.label,
)
CODE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+|[a-z]+")  # "crimes_recorded", "slug"


def url_of(model, action):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}")


def export(client, model, fmt="xlsx", query=""):
    url = url_of(model, "export") + query
    form = client.get(url).context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label == fmt)
    data = {"format": choice, "resource": "0"}
    prefix = form.resources[0].__name__.lower() + "_"
    data.update({name: "on" for name in form.fields if name.startswith(prefix)})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    return response.content


def resource_headers(model_admin, request_user):
    resource_class = model_admin.get_export_resource_classes(None)[0]
    return [str(f.column_name) for f in resource_class().get_export_fields()]


def test_every_admin_follows_the_projects_search_and_export():
    for model, model_admin in admin.site._registry.items():
        if model_admin.search_fields and model._meta.app_label not in ("axes", "auth"):
            assert isinstance(model_admin, AccentInsensitiveSearch), model
    for model, model_admin in EXPORTING:
        assert isinstance(model_admin, VietnameseExport), model
        # ExportMixin after ModelAdmin in the MRO: ModelAdmin.get_urls hides the export page
        mro = type(model_admin).__mro__
        assert mro.index(ExportMixin) < mro.index(admin.ModelAdmin), model


@pytest.mark.parametrize(
    ("model", "model_admin"), EXPORTING, ids=lambda v: getattr(v, "__name__", "")
)
def test_the_export_form_names_the_columns_in_vietnamese(admin_client, model, model_admin):
    response = admin_client.get(url_of(model, "export"))
    assert response.status_code == 200
    form = response.context["form"]
    labels = [
        str(field.label)
        for field in form.fields.values()
        if getattr(field, "is_selectable_field", False)
    ]
    assert labels == resource_headers(model_admin, None)
    assert str(form.fields["format"].label) == "Định dạng tệp"
    html = response.content.decode()
    assert "Chọn tất cả" in html and "Select all" not in html


@pytest.mark.parametrize(
    ("model", "model_admin"), EXPORTING, ids=lambda v: getattr(v, "__name__", "")
)
def test_the_xlsx_has_vietnamese_headers_and_sheet_title(admin_client, seeded, model, model_admin):
    book = openpyxl.load_workbook(io.BytesIO(export(admin_client, model)))
    sheet = book.worksheets[0]
    title = str(model._meta.verbose_name_plural)
    expected = re.sub(r"[\\*?:/\[\]]", "-", title[:1].upper() + title[1:])[:31]
    assert sheet.title == expected
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert headers == resource_headers(model_admin, None)
    assert not [h for h in headers if CODE.fullmatch(h)], headers


def test_the_sheet_title_is_cut_and_cleaned(admin_client, db, monkeypatch):
    from core.admin import sheet_title

    assert sheet_title("báo cáo [năm] 2024/2025: *kết quả*? của các đơn vị trong cụm") == (
        "Báo cáo -năm- 2024-2025- -kết q"
    )
    assert len(sheet_title("x" * 40)) == 31


def test_numbers_are_numbers_in_the_xlsx(admin_client, seeded):
    content = export(admin_client, UnitReport)
    rows = list(
        openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
    )
    headers = list(rows[0])
    counts = [headers.index("Tội phạm TTXH xảy ra"), headers.index("Ma túy: số vụ")]
    year = headers.index("Năm")
    assert len(rows) > 5
    for row in rows[1:]:
        for index in counts:
            assert row[index] is None or isinstance(row[index], int), (headers[index], row[index])
        assert isinstance(row[year], int)
    assert any(isinstance(row[counts[0]], int) and row[counts[0]] > 0 for row in rows[1:])


def test_money_and_votes_are_numbers_in_the_xlsx(admin_client, seeded):
    from welfare.models import Contribution

    rows = list(
        openpyxl.load_workbook(io.BytesIO(export(admin_client, Contribution)))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    amount = rows[0].index("Số tiền (₫)")
    assert rows[1:] and all(isinstance(row[amount], int) for row in rows[1:])


def test_the_export_follows_the_search(admin_client, cluster_ii):
    lai_chau = cluster_ii.units["lai-chau"]
    UnitReportFactory(cluster_year=cluster_ii.years[2024], unit=lai_chau)
    UnitReportFactory(cluster_year=cluster_ii.years[2024], unit=cluster_ii.units["son-la"])
    content = export(admin_client, UnitReport, query="?q=lai+chau")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
    )
    unit = rows[0].index("Đơn vị")
    assert [row[unit] for row in rows[1:]] == [lai_chau.name]


def test_the_export_page_has_no_inline_script_or_style(admin_client):
    from clusters.models import Unit

    html = admin_client.get(url_of(Unit, "export")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert not re.search(r"\sstyle=", html), "inline style"
    assert "core/admin_export.js" in html
    assert 'id="select-all-toggle"' in html
