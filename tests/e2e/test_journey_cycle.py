"""Issue 14: a cluster runs 2024 from the pledge to the Ministry's decision in the browser, with
three units, and every document it prints comes out of the application. Screenshots of each step
are kept in test-artifacts/ (cycle-*.png) to be looked at."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.access import COMMAND_LINE
from accounts.models import Notification, Role
from awards.catalogue import ensure_award_catalogue
from awards.models import Commendation, Nomination
from clusters import services as cluster_services
from emulation.models import Dossier
from tests.e2e.conftest import ARTIFACTS
from tests.factories import ClusterFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BASE = "/clusters/cum-5/2024"
PASSWORD = "mat-khau-thu"
UNITS = [("Hà Nam", "ha-nam"), ("Nam Định", "nam-dinh"), ("Ninh Bình", "ninh-binh")]


def flash(page):
    """The flash message after a post (other success boxes on the page are not flashes)."""
    return page.locator("main > div.alert-success[role=alert]")


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"cycle-{name}.png", full_page=True)


@pytest.fixture
def people(db):
    ensure_award_catalogue()  # the live server's database is flushed: data migrations are gone
    cluster = ClusterFactory(number=5, name="Cụm thi đua số V", slug="cum-5")
    units = [
        UnitFactory(short_name=short, name=f"Công an tỉnh {short}", slug=slug)
        for short, slug in UNITS
    ]
    cluster_services.cluster_year_create(
        by=COMMAND_LINE,
        cluster=cluster,
        year=2024,
        units=units,
        chair=units[0],
        vice_chair=units[1],
    )
    users = {"thuky": UserFactory(username="thuky.cum5", role=Role.SECRETARIAT, cluster=cluster)}
    for unit, (_short, slug) in zip(units, UNITS, strict=True):
        users[slug] = UserFactory(username=f"canbo.{slug}", role=Role.UNIT_OFFICER, unit=unit)
    users["bo"] = UserFactory(username="canbo.bo", role=Role.MINISTRY)
    return users


@pytest.fixture
def as_user(browser, live_server):
    contexts = []

    def open_as(username):
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def open_details(page, form_id):
    """A form folded in <details>: open it."""
    page.locator(f"details:has(#{form_id}) > summary").click()


def add_criterion(page, kind, number, title, points=None, parent=None):
    form = page.locator("#criterion-form")
    if not form.is_visible():
        open_details(page, "criterion-form")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=number]").fill(number)
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=max_points]").fill(points or "")
    if parent:
        form.locator("select[name=parent]").select_option(label=parent)
    form.get_by_role("button", name="Lưu mục").click()
    expect(flash(page)).to_contain_text(f"Đã lưu mục {number}.")


def score_sheet(page, row_text, points):
    """Open the sheet whose row says `row_text` on the scoring page, type its points, send."""
    page.goto(f"{BASE}/scoring/")
    page.locator("#sheets-table tr", has_text=row_text).get_by_role("link", name="Chấm").click()
    for number, value in points.items():
        page.locator(f"tr[data-number='{number}'] input[name^=points_]").fill(value)
    page.get_by_role("button", name="Lưu và gửi phiếu").click()
    expect(flash(page)).to_contain_text("Đã gửi phiếu")


def test_a_cluster_runs_2024_from_the_pledge_to_the_ministrys_decision(people, as_user, tmp_path):
    clerk = as_user("thuky.cum5")

    # 1. The secretariat opens the cycle and writes the point scale.
    clerk.goto(f"{BASE}/scoring/")
    clerk.get_by_role("button", name="Mở chu kỳ thi đua (chép bộ tiêu chí năm trước)").click()
    expect(flash(clerk)).to_contain_text("Đã mở chu kỳ thi đua của năm.")
    add_criterion(clerk, "group", "I", "Công tác chuyên môn")
    add_criterion(clerk, "scored", "1", "Kiềm chế tội phạm", "50", parent="I. Công tác chuyên môn")
    add_criterion(
        clerk, "scored", "2", "Điều tra khám phá án", "50", parent="I. Công tác chuyên môn"
    )
    add_criterion(clerk, "bonus", "3", "Mô hình mới", "5")
    add_criterion(clerk, "penalty", "4", "Vi phạm kỷ luật", "5")
    expect(clerk.locator("#scale-total")).to_have_text("100")
    expect(clerk.locator("#unsigned")).to_contain_text("3 đơn vị chưa ký giao ước")

    # 2. Hà Nam signs the pledge itself, with the signed scan; the clerk records the other two.
    officer = as_user("canbo.ha-nam")
    officer.goto(f"{BASE}/scoring/")
    open_details(officer, "pledge-form")
    form = officer.locator("#pledge-form")
    form.locator("input[name=signed_by]").fill("Đại tá Nguyễn Văn An, Giám đốc")
    form.locator("input[name=signed_on]").fill("15/01/2024")
    scan = tmp_path / "giao-uoc.pdf"
    scan.write_bytes(b"%PDF-1.4 giao uoc da ky")
    form.locator("input[name=document]").set_input_files(scan)
    form.get_by_role("button", name="Ghi").click()
    expect(flash(officer)).to_contain_text("Đã ghi chữ ký giao ước của Công an tỉnh Hà Nam.")
    clerk.goto(f"{BASE}/scoring/")
    for name in ("Công an tỉnh Nam Định", "Công an tỉnh Ninh Bình"):
        open_details(clerk, "pledge-form")
        form = clerk.locator("#pledge-form")
        form.locator("select[name=unit]").select_option(label=name)
        form.locator("input[name=signed_by]").fill("Đại tá Giám đốc")
        form.locator("input[name=signed_on]").fill("16/01/2024")
        form.get_by_role("button", name="Ghi").click()
        expect(flash(clerk)).to_contain_text(name)
    expect(clerk.locator("#all-signed")).to_be_visible()
    shot(clerk, "1-pledge-and-criteria")

    # 3. Scoring begins: the criteria freeze; each unit is inspected by the next one.
    clerk.get_by_role("button", name="Bắt đầu chấm điểm (khóa bộ tiêu chí)").click()
    expect(clerk.locator("#criteria-frozen")).to_be_visible()
    for inspector, unit in (
        ("Hà Nam", "Nam Định"),
        ("Nam Định", "Ninh Bình"),
        ("Ninh Bình", "Hà Nam"),
    ):
        open_details(clerk, "assign-form")
        form = clerk.locator("#assign-form")
        form.locator("select[name=inspector]").select_option(label=f"Công an tỉnh {inspector}")
        form.locator("select[name=unit]").select_option(label=f"Công an tỉnh {unit}")
        form.get_by_role("button", name="Giao").click()
        expect(flash(clerk)).to_contain_text("Đã giao")

    # 4. Each unit scores itself and the unit it inspects; Hà Nam cannot see Nam Định's own
    #    score before sending its inspection.
    scores = {
        "ha-nam": {"1": "48", "2": "47", "3": "4", "4": "0"},
        "nam-dinh": {"1": "45", "2": "44", "3": "2", "4": "1"},
        "ninh-binh": {"1": "40", "2": "42", "3": "0", "4": "2"},
    }
    pages = {"ha-nam": officer}
    for slug in ("nam-dinh", "ninh-binh"):
        pages[slug] = as_user(f"canbo.{slug}")
    for slug, page in pages.items():
        score_sheet(page, "Tự chấm", scores[slug])
    officer.goto(f"{BASE}/scoring/")
    hidden = officer.locator("#sheets-table tr", has_text="Nam Định").filter(has_text="Tự chấm")
    expect(hidden).to_contain_text("ẩn")
    inspections = {"ha-nam": {"1": "44", "2": "44", "3": "2", "4": "1"}}
    inspections["nam-dinh"] = {"1": "40", "2": "42", "3": "0", "4": "2"}
    inspections["ninh-binh"] = {"1": "48", "2": "42", "3": "4", "4": "0"}  # 2: 5 points apart
    for slug, page in pages.items():
        score_sheet(page, "Kiểm tra chéo", inspections[slug])
    officer.goto(f"{BASE}/scoring/")
    expect(
        officer.locator("#sheets-table tr", has_text="Nam Định").filter(has_text="Tự chấm")
    ).to_contain_text("90")
    shot(officer, "2-unit-scores")

    # 5. The clerk sees the disagreement, records the agreed scores and adopts the ranking.
    clerk.goto(f"{BASE}/scoring/")
    expect(clerk.locator("#divergences")).to_contain_text("Hà Nam")
    for unit, slug in (("Hà Nam", "ha-nam"), ("Nam Định", "nam-dinh"), ("Ninh Bình", "ninh-binh")):
        clerk.goto(f"{BASE}/scoring/")
        row = clerk.locator("#sheets-table tr", has_text=unit).filter(has_text="Cụm thống nhất")
        row.get_by_role("link", name="Chấm").click()
        for number, value in scores[slug].items():
            clerk.locator(f"tr[data-number='{number}'] input[name^=points_]").fill(value)
        clerk.get_by_role("button", name="Lưu và gửi phiếu").click()
    clerk.goto(f"{BASE}/scoring/")
    clerk.get_by_role("button", name="Thông qua bảng xếp hạng").click()
    expect(flash(clerk)).to_contain_text("Công an tỉnh Hà Nam dẫn đầu cụm")
    expect(clerk.locator("#ranking-table tbody tr").first).to_contain_text("Hà Nam")
    shot(clerk, "3-ranking")

    # 6. The ballot: a council of three, one of them voting in writing; the names; printed.
    clerk.goto(f"{BASE}/ballot/")
    for name, attendance in (
        ("Đại tá Nguyễn Văn An", "present"),
        ("Đại tá Trần Văn Bình", "present"),
        ("Đại tá Lê Văn Cường", "written"),
    ):
        open_details(clerk, "member-form")
        form = clerk.locator("#member-form")
        form.locator("input[name=name]").fill(name)
        form.locator("select[name=attendance]").select_option(attendance)
        form.get_by_role("button", name="Thêm").click()
        expect(flash(clerk)).to_contain_text(name)
    for award, unit in (
        ("Cờ thi đua của Bộ Công an", "Công an tỉnh Hà Nam"),
        ("Cờ thi đua của Bộ Công an", "Công an tỉnh Nam Định"),
    ):
        open_details(clerk, "candidate-form")
        form = clerk.locator("#candidate-form")
        form.locator("select[name=award_kind]").select_option(label=award)
        form.locator("select[name=unit]").select_option(label=unit)
        form.get_by_role("button", name="Thêm").click()
        expect(flash(clerk)).to_contain_text(unit)
    # the Government flag is refused for a unit that does not lead the cluster
    open_details(clerk, "candidate-form")
    form = clerk.locator("#candidate-form")
    form.locator("select[name=award_kind]").select_option(label="Cờ thi đua của Chính phủ")
    form.locator("select[name=unit]").select_option(label="Công an tỉnh Nam Định")
    form.get_by_role("button", name="Thêm").click()
    expect(clerk.locator("#candidate-form")).to_contain_text(
        "chỉ dành cho đơn vị dẫn đầu cụm là Công an tỉnh Hà Nam"
    )
    clerk.goto(f"{BASE}/ballot/print/")
    expect(clerk.locator("section.ballot")).to_have_count(3)
    shot(clerk, "4-ballots-printed")
    with clerk.expect_download() as download:
        clerk.goto(f"{BASE}/ballot/")
        clerk.locator("#ballots-pdf").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert len(pdf.pages) == 3 and "Phiếu số 3/3" in pdf.pages[2].extract_text()

    # 7. The count: Hà Nam 2 present + 1 written = 3/3; Nam Định 1 + 0 = 1/3: below 80%.
    clerk.goto(f"{BASE}/ballot/")
    form = clerk.locator("form.count-form")
    form.locator("input[name=ballots_cast]").fill("2")
    form.locator("input[name=written]").fill("1")
    votes = form.locator("input[name^=votes_]")
    written = form.locator("input[name^=written_]")
    votes.nth(0).fill("2")
    written.nth(0).fill("1")
    votes.nth(1).fill("1")
    written.nth(1).fill("0")
    form.get_by_role("button", name="Ghi kết quả").click()
    expect(flash(clerk)).to_contain_text("Đã ghi kết quả kiểm phiếu")
    table = clerk.locator(".result-table")
    expect(table.locator("tr", has_text="Hà Nam")).to_contain_text("Trúng")
    expect(table.locator("tr", has_text="Nam Định")).to_contain_text("Không đạt ngưỡng")
    clerk.get_by_role("button", name="Lập đề nghị khen thưởng từ kết quả bầu").click()
    expect(flash(clerk)).to_contain_text("Đã lập 1 đề nghị khen thưởng")
    shot(clerk, "5-ballot-result")

    # 8. The dossier: the minutes come out of the application; a signed scan; sent.
    clerk.goto(f"{BASE}/dossier/?number=07&day=2024-12-20")
    with clerk.expect_download() as download:
        clerk.locator("#minutes-link").click()
    minutes = Document(download.value.path())
    text = "\n".join(p.text for p in minutes.paragraphs) + "\n".join(
        c.text for t in minutes.tables for r in t.rows for c in r.cells
    )
    assert "Số: 07/BB-CTĐ" in text and "Hà Nam, ngày 20 tháng 12 năm 2024" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Công an tỉnh Hà Nam là đơn vị dẫn đầu Cụm thi đua số V năm 2024" in text
    signed = tmp_path / "bien-ban-da-ky.pdf"
    signed.write_bytes(b"%PDF-1.4 bien ban da ky")
    clerk.locator("#scan-form input[name=file]").set_input_files(signed)
    clerk.locator("#scan-form").get_by_role("button", name="Thêm vào hồ sơ").click()
    expect(flash(clerk)).to_contain_text("Đã thêm bản scan")
    clerk.get_by_role("button", name="Gửi hồ sơ").click()
    expect(flash(clerk)).to_contain_text("Đã gửi hồ sơ về Bộ (lần 1).")

    # 9. The Ministry receives it and returns it: the clerk is told why, corrects, sends again.
    ministry = as_user("canbo.bo")
    ministry.goto(f"{BASE}/dossier/")
    ministry.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(ministry.locator("#dossier-status")).to_contain_text("Bộ đã tiếp nhận")
    open_details(ministry, "return-form")
    ministry.locator("#return-form textarea[name=reason]").fill(
        "Thiếu báo cáo thành tích có chữ ký"
    )
    ministry.locator("#return-form").get_by_role("button", name="Trả lại").click()
    expect(ministry.locator("#dossier-status")).to_contain_text("Bộ trả lại để bổ sung")
    clerk.goto("/")
    # unread: the scores that disagreed (step 5) and the return
    expect(clerk.locator("#bell-count")).to_have_text("2")
    clerk.goto("/notifications/")
    expect(clerk.locator("#notification-list")).to_contain_text(
        "Thiếu báo cáo thành tích có chữ ký"
    )
    shot(clerk, "6-notifications")
    clerk.goto(f"{BASE}/dossier/")
    expect(clerk.locator("#return-reason")).to_contain_text("Thiếu báo cáo thành tích có chữ ký")
    clerk.get_by_role("button", name="Gửi lại hồ sơ đã bổ sung").click()
    expect(flash(clerk)).to_contain_text("(lần 2)")

    # 10. The Ministry's decision: the Ministry's flag for Hà Nam.
    ministry.goto(f"{BASE}/dossier/")
    ministry.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    form = ministry.locator("#decide-form")
    form.locator("input[name=number]").fill("1234/QĐ-BCA")
    form.locator("input[name=day]").fill("10/03/2025")
    form.locator("input[name=issuer]").fill("Bộ trưởng Bộ Công an")
    form.locator("select[name^=outcome_]").first.select_option("yes")
    form.get_by_role("button", name="Ghi quyết định").click()
    expect(flash(ministry)).to_contain_text("Đã ghi quyết định cho 1 đề nghị.")
    expect(ministry.locator("#dossier-status")).to_contain_text("Bộ đã quyết định")
    expect(ministry.locator("#rounds .round")).to_have_count(2)
    shot(ministry, "7-ministry-decided")

    nomination = Nomination.objects.get(cluster_year__cluster__slug="cum-5")
    assert nomination.status == Nomination.Status.APPROVED
    commendation = Commendation.objects.get(nomination=nomination)
    assert (commendation.unit.slug, commendation.decision_number) == ("ha-nam", "1234/QĐ-BCA")
    assert Dossier.objects.get().status == Dossier.Status.DECIDED
    assert Notification.objects.filter(user=people["ha-nam"], kind="decision").exists()
    officer.goto("/clusters/cum-5/2024/")
    expect(officer.locator("#leading-unit")).to_contain_text(re.compile("Hà Nam"))
    shot(officer, "8-year-page")
