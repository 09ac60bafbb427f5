"""The year printed: the print stylesheet and heading on the pages, and the year's PDF
(/clusters/<slug>/<year>/print.pdf) rendered from the year page's own templates, read back."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from clusters import services as cluster_services
from clusters.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNITS_2023 = ["Lai Châu", "Điện Biên", "Sơn La", "Lào Cai", "Hà Giang", "Cao Bằng", "Lạng Sơn"]
# the cluster's 2023 totals, as the year's results table adds them up (reports.demo)
TOTALS_2023 = {
    "crimes_recorded": "1.955",
    "drug_cases": "4.213",
    "drug_offenders": "5.435",
    "commended_individuals": "9.341",
    "citizen_tips": "5.100",  # the table's last column
}


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _pages(pdf: bytes) -> list[tuple[str, float, float, list[float]]]:
    """Each page's text (NFC), width and height, and where each run of text starts (x, in
    points from the left edge: every run is placed by its own text matrix)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        starts = []

        def visit(operator, args, cm, tm, starts=starts):
            if operator in (b"TJ", b"Tj"):
                starts.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

        text = page.extract_text(visitor_operand_before=visit)
        box = page.mediabox
        pages.append(
            (unicodedata.normalize("NFC", text), float(box.width), float(box.height), starts)
        )
    return pages


def _text(pdf: bytes) -> str:
    return "\n".join(text for text, *_ in _pages(pdf))


def test_the_pdf_holds_the_years_results_totals_and_heading(client, seeded):
    response = client.get("/clusters/cum-2/2023/print.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cum-2-2023.pdf"'
    pages = _pages(response.content)
    text = "\n".join(page[0] for page in pages)
    assert "Cụm thi đua số II — Năm 2023" in text
    assert f"In ngày {_today()}" in text
    # the heading is on every page, not only the first
    assert all("Cụm thi đua số II — Năm 2023" in page[0] for page in pages), len(pages)
    for unit in UNITS_2023:
        assert unit in text
    for total in TOTALS_2023.values():
        assert total in text
    assert "Toàn cụm (7 đơn vị)" in text
    assert "Vừ A Di" in text  # the welfare section, after the results
    # nothing of the screen's: navigation, buttons, forms, the footer
    for screen_only in ("Đăng nhập", "Tải PDF", "Xuất Excel", "Các cụm thi đua CAND", "EN"):
        assert not re.search(rf"\b{screen_only}\b", text), screen_only


def test_the_results_table_prints_landscape_with_its_last_column_on_the_page(client, seeded):
    pdf = client.get("/clusters/cum-2/2023/print.pdf").content
    results = [page for page in _pages(pdf) if "Toàn cụm (7 đơn vị)" in page[0]]
    assert len(results) == 1
    text, width, height, starts = results[0]
    assert width > height  # A4 landscape
    assert round(width) == 842 and round(height) == 595
    totals = next(line for line in text.splitlines() if "Toàn cụm (7 đơn vị)" in line)
    assert totals.split()[-1] == TOTALS_2023["citizen_tips"]  # the last column is there…
    # …and on the paper: no run of text starts in the right margin (12 mm) or beyond, and the
    # table's right edge is near it (the table is as wide as the page, not squeezed)
    right_margin = 12 / 25.4 * 72
    assert max(starts) < width - right_margin
    assert max(starts) > 0.9 * width
    first_page = _pages(pdf)[0]
    assert (round(first_page[1]), round(first_page[2])) == (595, 842)  # A4 portrait


def test_a_published_years_pdf_is_rendered_once_for_every_reader(
    client, seeded, leader, django_assert_num_queries
):
    first = client.get("/clusters/cum-2/2023/print.pdf").content
    with django_assert_num_queries(0):
        second = Client().get("/clusters/cum-2/2023/print.pdf?again=1")
    assert second.content == first
    assert second["Content-Disposition"] == 'attachment; filename="cum-2-2023.pdf"'
    client.force_login(leader)
    client.get("/")  # the session and the user, read once by this client
    with django_assert_num_queries(2):  # the session and the user: nothing of the year's
        third = client.get("/clusters/cum-2/2023/print.pdf")
    assert third.content == first


def test_a_write_is_in_the_next_pdf(client, seeded, admin_user):
    client.get("/clusters/cum-2/2023/print.pdf")
    unit = Unit.objects.get(slug="lai-chau")
    unit.short_name = "Lai Châu (đổi tên)"
    cluster_services.unit_save(unit=unit, by=admin_user)
    assert "Lai Châu (đổi tên)" in _text(client.get("/clusters/cum-2/2023/print.pdf").content)


def test_a_reopened_years_pdf_is_no_longer_public(client, seeded, admin_user):
    client.get("/clusters/cum-2/2023/print.pdf")
    cluster_services.cluster_year_reopen(
        cluster_year=seeded.years[2023], by=admin_user, note="Sửa số liệu"
    )
    response = client.get("/clusters/cum-2/2023/print.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_open_years_pdf_is_for_its_members_and_staff(
    client, seeded, other_cluster, officer_laichau
):
    response = client.get("/clusters/cum-2/2024/print.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/clusters/cum-2/2024/print.pdf")

    other = UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster)
    client.force_login(other)
    assert client.get("/clusters/cum-2/2024/print.pdf").status_code == 404

    client.force_login(officer_laichau)
    response = client.get("/clusters/cum-2/2024/print.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cum-2-2024.pdf"'
    text = _text(response.content)
    assert "Cụm thi đua số II — Năm 2024" in text and f"In ngày {_today()}" in text
    assert "Nhập báo cáo của Lai Châu" not in text  # the officer's button stays on the screen


def test_the_pdf_answers_only_get_and_head(client, seeded):
    assert client.post("/clusters/cum-2/2023/print.pdf").status_code == 405
    assert client.head("/clusters/cum-2/2023/print.pdf").status_code == 200
    assert client.get("/clusters/cum-2/1999/print.pdf").status_code == 404


def test_the_print_stylesheet_is_linked_for_print_and_documents_its_classes(client, seeded):
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', html)
    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    assert "@page wide" in css and "size: A4 landscape" in css
    comment = css.split("*/", 1)[0]
    for name in (".print-wide", ".print-break-before", ".print-keep", ".no-print", ".print-only"):
        assert name in comment, name


def test_the_year_page_has_its_print_heading_print_button_and_pdf_link(client, seeded):
    html = client.get("/clusters/cum-2/2023/").content.decode()
    heading = re.search(r'<header[^>]*id="print-heading"[^>]*>(.*?)</header>', html, re.S)
    assert heading, "no print heading"
    assert 'class="print-heading d-none d-print-flex"' in heading.group(0)
    words = " ".join(re.sub(r"<[^>]+>", " ", heading.group(1)).split())
    assert words == f"Cụm thi đua số II — Năm 2023 In ngày {_today()}"
    assert re.search(r'<button type="button" class="[^"]*" data-print>In</button>', html)
    link = re.search(r'<a [^>]*id="pdf-link"[^>]*>([^<]*)</a>', html)
    assert link and link.group(1) == "Tải PDF"
    assert 'href="/clusters/cum-2/2023/print.pdf"' in link.group(0)
    # the results table prints on its own landscape pages; the sections after it on new pages
    assert re.search(r'<section class="print-wide[^"]*" id="results-section">', html)
    assert re.search(
        r'class="print-break-before[^"]*"[^>]*>\s*<section class="mb-4" id="awards">', html
    )


def test_other_pages_print_the_date_without_a_heading_of_their_own(client, seeded):
    html = client.get("/").content.decode()
    heading = re.search(r'<header[^>]*id="print-heading"[^>]*>(.*?)</header>', html, re.S)
    assert " ".join(re.sub(r"<[^>]+>", " ", heading.group(1)).split()) == f"In ngày {_today()}"


def test_the_search_box_is_in_the_navbar_for_signed_in_users_only(client, seeded, officer_sonla):
    assert 'name="q"' not in client.get("/").content.decode()
    client.force_login(officer_sonla)
    html = client.get("/").content.decode()
    form = re.search(r'<form[^>]*id="nav-search"[^>]*>.*?</form>', html, re.S)
    assert form, "no search box"
    assert 'action="/search/"' in form.group(0) and 'method="get"' in form.group(0)
    assert "d-print-none" in form.group(0)
    assert re.search(
        r'<input[^>]*type="search"[^>]*name="q"[^>]*placeholder="Tìm đơn vị, cá nhân, quyết định…"',
        form.group(0),
    )
    assert "csrfmiddlewaretoken" not in form.group(0)  # a GET: no token in the address
