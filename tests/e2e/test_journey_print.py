"""A leader prints the published year for a meeting: Chromium prints the year page on A4 (no
navigation or buttons, the results table whole, a heading on every page), and the page's "Tải
PDF" link downloads the same content rendered by the server. Both PDFs are read back."""

import io
import unicodedata

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role
from awards.demo import seed_awards
from clusters.demo import publish_the_past, seed_clusters
from reports.demo import seed_reports
from tests.e2e.conftest import log_in
from tests.factories import UserFactory
from welfare.demo import seed_welfare

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = "Cụm thi đua số II — Năm 2023"
UNITS = ["Lai Châu", "Điện Biên", "Sơn La", "Lào Cai", "Hà Giang", "Cao Bằng", "Lạng Sơn"]
# the 2023 totals of the results table (reports.demo), its last column's among them
TOTALS = ["1.955", "4.213", "5.435", "2.847", "9.341", "5.100"]
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


def _pages(pdf: bytes) -> list[tuple[str, float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (
            unicodedata.normalize("NFC", page.extract_text()),
            float(page.mediabox.width),
            float(page.mediabox.height),
        )
        for page in reader.pages
    ]


def _squash(text: str) -> str:
    """Without white space: Chromium places a Vietnamese letter with its marks as a glyph of
    its own, which pypdf reads back with spaces around it ("C ụ m")."""
    return "".join(text.split())


def _check_printed_year(pdf: bytes) -> list[tuple[str, float, float]]:
    pages = _pages(pdf)
    text = "\n".join(page[0] for page in pages)
    today = timezone.localdate().strftime("%d/%m/%Y")
    for number, (page_text, *_size) in enumerate(pages, 1):
        assert _squash(HEADING) in _squash(page_text), f"page {number} has no heading"
        assert _squash(f"In ngày {today}") in _squash(page_text), f"page {number}: no date"
    for unit in UNITS:
        assert _squash(unit) in _squash(text), unit
    totals = next(line for line in text.splitlines() if "Toàncụm(7đơnvị)" in _squash(line))
    for total in TOTALS:
        assert total in totals.split(), (total, totals)
    assert totals.split()[-1] == "5.100"  # the last column, whole
    assert "VừADi" in _squash(text)  # the welfare section
    for screen_only in ("Đăng nhập", "Đăng xuất", "Tải PDF", "Cụm thi đua CAND", "Đổi mật khẩu"):
        assert _squash(screen_only) not in _squash(text), screen_only
    return pages


def _results_pages(pages):
    return [page for page in pages if "Toàncụm(7đơnvị)" in _squash(page[0])]


def test_a_leader_prints_the_published_year_and_downloads_its_pdf(page):
    demo = seed_clusters()
    seed_reports(demo)
    seed_awards(demo)
    seed_welfare(demo)
    publish_the_past(demo)
    UserFactory(username="lanhdao", role=Role.LEADERSHIP)

    log_in(page, "lanhdao")
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.goto("/clusters/cum-2/2023/")
    expect(page.locator("#print-heading")).to_be_hidden()  # on the screen: the navigation
    expect(page.locator("nav.navbar")).to_be_visible()
    expect(page.locator("#nav-search input[name=q]")).to_be_visible()
    expect(page.get_by_role("button", name="In", exact=True)).to_be_visible()
    expect(page.locator("#pdf-link")).to_have_text("Tải PDF")

    page.emulate_media(media="print")
    heading = page.locator("#print-heading")
    expect(heading).to_be_visible()
    expect(heading).to_contain_text(HEADING)
    expect(heading).to_contain_text(f"In ngày {timezone.localdate():%d/%m/%Y}")
    for selector in (
        "nav.navbar",
        "nav[aria-label=breadcrumb]",
        "#language-form",
        "#nav-search",
        "#current-user",
        "footer",
        "[data-print]",
        "#pdf-link",
    ):
        expect(page.locator(selector).first).to_be_hidden()
    # the results table on A4's width: its last column (the forum's tips) inside the page
    table = page.locator("#results")
    expect(table).to_be_visible()
    last_header = table.locator("thead tr").first.locator("th").last
    expect(last_header).to_have_text("Thông tin Diễn đàn")
    page_right = page.evaluate("document.documentElement.clientWidth")
    for cell in (last_header, table.locator("#totals td").last):
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= page_right, (box, page_right)
    assert table.bounding_box()["width"] <= page_right
    expect(table.locator("#totals td").last).to_have_text("5.100")

    # Chromium prints it: A4, the results on a landscape page of their own
    printed = _check_printed_year(page.pdf(format="A4", prefer_css_page_size=True))
    results = _results_pages(printed)
    assert len(results) == 1 and results[0][1] > results[0][2]  # landscape
    assert (round(printed[0][1]), round(printed[0][2])) == (595, 842)  # A4 portrait first

    # the server's PDF, through the page's link as a reader downloads it
    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.locator("#pdf-link").click()
    download = download_info.value
    assert download.suggested_filename == "cum-2-2023.pdf"
    with open(download.path(), "rb") as downloaded:
        served = _check_printed_year(downloaded.read())
    results = _results_pages(served)
    assert len(results) == 1 and results[0][1] > results[0][2]
