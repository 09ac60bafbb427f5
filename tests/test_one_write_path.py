"""Issue 11, one write path: the holes a page, the admin or a workbook could slip through.
Every refusal is checked by its Vietnamese message and by the rows it left as they were.

4. nothing is written into a published year (the edit page, the admin, the workbook, a stale year);
5. the admin never leaves a fund paying out more than it collected;
8. a form posted twice is written once; two funds of one year never share a title;
9. a refused form writes nothing of what it carried;
14. a closed fund is not reopened by a sheet or the admin's form.
The threaded races (PostgreSQL) are in test_one_write_path_race.py."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.access import COMMAND_LINE
from awards import services as award_services
from awards.models import AwardKind, AwardQuota, Commendation, Nomination
from clusters import services as cluster_services
from clusters.models import ClusterYear
from core.models import OneTimeToken
from reports import services as report_services
from reports.models import UnitReport
from tests.factories import checklist_keys
from tests.sections import post_section
from tests.workbook.test_import_workbook import messages, xlsx
from welfare import services as welfare_services
from welfare.models import Beneficiary, Contribution, Fund, Support
from workbook.importer import import_file

pytestmark = pytest.mark.django_db

CLUSTER = "Cụm thi đua số II"
EDIT_2023 = "/clusters/cum-2/2023/edit/"
EDIT_2024 = "/clusters/cum-2/2024/edit/"
PUBLISHED = "đã công bố nên không thể sửa"
PUBLISHED_2023 = (
    "Năm thi đua 2023 của Cụm thi đua số II đã công bố nên không thể sửa; "
    "chỉ quản trị viên mới mở lại được."
)
ALREADY_DONE = "Biểu mẫu này đã được ghi ở lần gửi trước; không ghi thêm lần nữa."
DAY = datetime.date(2024, 6, 1)


def html(response) -> str:
    return response.content.decode()


def flag():
    return AwardKind.objects.get(code="co-bo-cong-an")


@pytest.fixture
def submitted_2023(seeded, admin_user):
    """A nomination of 2023, submitted, in a year published again since: reopened by the admin,
    voted and submitted through the services, then published."""
    year = seeded.years[2023]
    cluster_services.cluster_year_reopen(cluster_year=year, by=admin_user)
    nomination = award_services.nomination_propose(
        cluster_year=year,
        award_kind=flag(),
        unit=seeded.units["son-la"],
        by=admin_user,
        votes_for=7,
        council_size=7,
    )
    award_services.nomination_submit(nomination=nomination, by=admin_user)
    cluster_services.cluster_year_publish(
        cluster_year=year, by=admin_user, accepted=checklist_keys(year)
    )
    nomination.refresh_from_db()
    assert nomination.cluster_year.is_published
    assert nomination.status == Nomination.Status.SUBMITTED
    return nomination


@pytest.fixture
def funds_2024(seeded, secretary):
    """2024: a fund with 100 million collected and 80 million paid out of it to a member's
    officer; a second fund already closed. 2018's fund is in a published year."""
    year = seeded.years[2024]
    spent = welfare_services.fund_open(cluster_year=year, title="Quỹ 2024", by=secretary)
    gift = welfare_services.contribution_add(
        fund=spent,
        unit=seeded.units["son-la"],
        amount=100_000_000,
        given_on=DAY,
        by=secretary,
    )
    officer = Beneficiary.objects.create(
        full_name="Lò Văn Minh", rank="Thiếu tá", unit=seeded.units["dien-bien"]
    )
    house = welfare_services.support_save(
        support=Support(fund=spent, beneficiary=officer, kind="money", amount=80_000_000),
        by=secretary,
    )
    closed = welfare_services.fund_open(cluster_year=year, title="Quỹ đã khóa", by=secretary)
    welfare_services.fund_close(fund=closed, by=secretary, closed_on=DAY)
    return {
        "spent": spent,
        "gift": gift,
        "support": house,
        "closed": closed,
        "published": Fund.objects.get(cluster_year__year=2018),
    }


def contribution_form(contribution, **changes):
    data = {
        "fund": contribution.fund_id,
        "unit": contribution.unit_id or "",
        "donor_name": contribution.donor_name,
        "amount": str(contribution.amount),
        "given_on": "",
        "notes": contribution.notes,
    }
    return {**data, **changes}


def support_form(support, **changes):
    data = {
        "fund": support.fund_id,
        "beneficiary": support.beneficiary_id,
        "kind": support.kind,
        "amount": "" if support.amount is None else str(support.amount),
        "paid_on": "",
        "non_member_reason": support.non_member_reason,
        "house_total_cost": "",
        "other_funding": "",
        "approved_on": "",
        "building_started_on": "",
        "handed_over_on": "",
        "notes": support.notes,
    }
    return {**data, **changes}


def token_of(page: str, form_id: str) -> str:
    """The one-time token the rendered page put into that form."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S)
    assert form, form_id
    token = re.search(r'name="form_token" value="([^"]+)"', form.group(0))
    assert token, f"{form_id} carries no form_token"
    return token.group(1)


# --- 4. nothing is written into a published year ----------------------------------------------


def test_deciding_a_nomination_of_a_published_year_on_the_edit_page_is_refused(
    admin_client, submitted_2023
):
    events = list(submitted_2023.events.values_list("pk", flat=True))
    response = post_section(
        admin_client,
        EDIT_2023,
        {
            "action": "decide",
            "nomination": submitted_2023.pk,
            "approved": "1",
            "decision_number": "12/QĐ-BCA",
            "decision_date": "15/01/2024",
            "decision_issuer": "Bộ trưởng Bộ Công an",
            "form_token": "quyet-dinh-2023",
        },
    )
    assert response.redirect_chain[0][0].endswith("/clusters/cum-2/2023/edit/#vote")
    assert PUBLISHED_2023 in html(response)
    submitted_2023.refresh_from_db()
    assert submitted_2023.status == Nomination.Status.SUBMITTED
    assert (submitted_2023.decision_number, submitted_2023.decision_date) == ("", None)
    assert not Commendation.objects.filter(nomination=submitted_2023).exists()
    assert list(submitted_2023.events.values_list("pk", flat=True)) == events
    # The refused write gave its token back: the same form may be posted again once reopened.
    assert not OneTimeToken.objects.filter(key="quyet-dinh-2023").exists()


def test_the_admin_neither_changes_nor_deletes_a_nomination_of_a_published_year(
    admin_client, submitted_2023
):
    events = list(submitted_2023.events.values("pk", "status", "note"))
    change = reverse("admin:awards_nomination_change", args=[submitted_2023.pk])
    response = admin_client.post(
        change, {"rank_order": "1", "achievements": "Sửa sau công bố", "notes": "sửa"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:awards_nomination_delete", args=[submitted_2023.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    nomination = Nomination.objects.get(pk=submitted_2023.pk)
    assert (nomination.rank_order, nomination.achievements, nomination.notes) == (
        submitted_2023.rank_order,
        submitted_2023.achievements,
        submitted_2023.notes,
    )
    assert list(nomination.events.values("pk", "status", "note")) == events


def test_the_admin_adds_no_quota_to_a_published_year(admin_client, seeded):
    response = admin_client.post(
        reverse("admin:awards_awardquota_add"),
        {"cluster_year": seeded.years[2023].pk, "award_kind": flag().pk, "quota": "2"},
    )
    assert response.status_code == 200  # the form again, with the service's refusal
    assert PUBLISHED_2023 in html(response)
    assert not AwardQuota.objects.exists()


def test_a_beneficiary_supported_in_a_published_year_is_not_changed_by_a_sheet(seeded, admin_user):
    sheet = {
        "Người được hỗ trợ": [
            ["Họ tên", "Đơn vị", "Cấp bậc", "Câu chuyện"],
            ["Vừ A Di", "Công an tỉnh Lai Châu", "Thiếu tá", "Sửa sau khi công bố"],
        ]
    }
    outcome = import_file(xlsx(sheet), "nguoi.xlsx", user=admin_user)
    assert not outcome.ok
    assert [(p.sheet, p.row) for p in outcome.problems] == [("Người được hỗ trợ", 2)]
    assert PUBLISHED_2023 in outcome.problems[0].message, messages(outcome)
    officer = Beneficiary.objects.get(full_name="Vừ A Di")
    assert (officer.rank, officer.story) == ("Đại úy", "")


@pytest.mark.parametrize(
    "target,message",
    [
        ("published", "Năm thi đua 2018 của Cụm thi đua số II đã công bố nên không thể sửa"),
        ("closed", "Quỹ “Quỹ đã khóa” đã khóa sổ"),
    ],
    ids=["published-year", "closed-fund"],
)
def test_the_admin_moves_no_contribution_into_a_published_or_closed_fund(
    admin_client, funds_2024, target, message
):
    gift = funds_2024["gift"]
    response = admin_client.post(
        reverse("admin:welfare_contribution_change", args=[gift.pk]),
        contribution_form(gift, fund=funds_2024[target].pk),
    )
    assert response.status_code == 200
    assert message in html(response)
    gift.refresh_from_db()
    assert (gift.fund_id, gift.amount) == (funds_2024["spent"].pk, 100_000_000)
    assert not funds_2024[target].contributions.filter(pk=gift.pk).exists()


@pytest.mark.parametrize(
    "target,message",
    [
        ("published", "Năm thi đua 2018 của Cụm thi đua số II đã công bố nên không thể sửa"),
        ("closed", "Quỹ “Quỹ đã khóa” đã khóa sổ"),
    ],
    ids=["published-year", "closed-fund"],
)
def test_the_admin_moves_no_support_into_a_published_or_closed_fund(
    admin_client, funds_2024, target, message
):
    support = funds_2024["support"]
    response = admin_client.post(
        reverse("admin:welfare_support_change", args=[support.pk]),
        support_form(support, fund=funds_2024[target].pk),
    )
    assert response.status_code == 200
    assert message in html(response)
    support.refresh_from_db()
    assert (support.fund_id, support.amount) == (funds_2024["spent"].pk, 80_000_000)


def test_lock_year_reads_the_status_from_the_database_not_from_the_callers_object(
    seeded, officer_laichau
):
    """The officer's page loaded 2024 as open; the publish committed before the save. The save is
    handed that stale object and must still be refused (the threaded race on PostgreSQL is in
    test_one_write_path_race.py)."""
    stale = ClusterYear.objects.get(pk=seeded.years[2024].pk)
    assert not stale.is_published
    ClusterYear.objects.filter(pk=stale.pk).update(status=ClusterYear.Status.PUBLISHED)
    report = UnitReport(cluster_year=stale, unit=seeded.units["lai-chau"], drug_cases=3)
    with pytest.raises(ValidationError) as refused:
        report_services.unit_report_save(report=report, by=officer_laichau)
    assert refused.value.messages == [
        "Năm thi đua 2024 của Cụm thi đua số II đã công bố nên không thể sửa; "
        "chỉ quản trị viên mới mở lại được."
    ]
    assert not UnitReport.objects.filter(cluster_year=stale).exists()


def test_a_report_save_after_a_publish_in_the_same_transaction_is_refused(
    seeded, officer_laichau, admin_user
):
    """The order of a race, in one transaction: the year is published, then the officer's save
    (with the year it loaded as open) comes."""
    stale = ClusterYear.objects.get(pk=seeded.years[2024].pk)
    report = UnitReport(cluster_year=stale, unit=seeded.units["lai-chau"], drug_cases=3)
    with transaction.atomic():
        cluster_services.cluster_year_publish(
            cluster_year=ClusterYear.objects.get(pk=stale.pk),
            by=admin_user,
            accepted=checklist_keys(stale),
        )
        with pytest.raises(ValidationError) as refused:
            report_services.unit_report_save(report=report, by=officer_laichau)
    assert PUBLISHED in refused.value.messages[0]
    assert not UnitReport.objects.filter(cluster_year=stale).exists()


# --- 5. the admin never makes a fund's balance negative ---------------------------------------

SHORT = "Quỹ “Quỹ 2024” đã chi 80.000.000 ₫: số đã thu không thể ít hơn (còn thiếu 30.000.000 ₫)."


def test_the_admin_does_not_lower_a_contribution_below_what_was_paid_from_it(
    admin_client, funds_2024
):
    gift = funds_2024["gift"]
    response = admin_client.post(
        reverse("admin:welfare_contribution_change", args=[gift.pk]),
        contribution_form(gift, amount="50000000"),
    )
    assert response.status_code == 200
    assert SHORT in html(response)
    gift.refresh_from_db()
    assert gift.amount == 100_000_000
    assert welfare_services.collected(funds_2024["spent"]) == 100_000_000


def test_the_admin_does_not_delete_a_contribution_that_was_paid_out(admin_client, funds_2024):
    gift = funds_2024["gift"]
    shortfall = SHORT.replace("30.000.000", "80.000.000")
    response = admin_client.post(
        reverse("admin:welfare_contribution_delete", args=[gift.pk]), {"post": "yes"}, follow=True
    )
    assert shortfall in html(response)
    response = admin_client.post(
        reverse("admin:welfare_contribution_changelist"),
        {"action": "delete_selected", "_selected_action": [gift.pk], "post": "yes"},
        follow=True,
    )
    assert shortfall in html(response)
    assert Contribution.objects.filter(pk=gift.pk, amount=100_000_000).exists()
    assert welfare_services.collected(funds_2024["spent"]) == 100_000_000


def test_the_funds_inline_does_not_lower_or_delete_a_contribution_that_was_paid_out(
    admin_client, funds_2024
):
    fund, gift = funds_2024["spent"], funds_2024["gift"]
    base = {
        "cluster_year": fund.cluster_year_id,
        "title": fund.title,
        "purpose": fund.purpose,
        "target": "",
        "opened_on": "",
        "closed_on": "",
        "status": fund.status,
        "notes": fund.notes,
        "data_status": fund.data_status,
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "1",
        "contributions-MIN_NUM_FORMS": "0",
        "contributions-MAX_NUM_FORMS": "1000",
        "contributions-0-id": gift.pk,
        "contributions-0-fund": fund.pk,
        "contributions-0-unit": gift.unit_id,
        "contributions-0-donor_name": "",
        "contributions-0-amount": "100000000",
        "contributions-0-given_on": "",
        "contributions-0-data_status": gift.data_status,
    }
    url = reverse("admin:welfare_fund_change", args=[fund.pk])
    lowered = admin_client.post(
        url, {**base, "notes": "đổi", "contributions-0-amount": "50000000"}, follow=True
    )
    assert SHORT in html(lowered)
    deleted = admin_client.post(url, {**base, "contributions-0-DELETE": "on"}, follow=True)
    assert SHORT.replace("30.000.000", "80.000.000") in html(deleted)
    gift.refresh_from_db()
    fund.refresh_from_db()
    assert gift.amount == 100_000_000 and fund.notes == ""  # nothing of either post was kept


# --- 8. one post, one write; one title per year ------------------------------------------------


def contribution_post(seeded, fund, **extra):
    return {
        "action": "contribution",
        "gift-fund": fund.pk,
        "gift-unit": seeded.units["son-la"].pk,
        "gift-donor_name": "",
        "gift-amount": "15.000.000",
        "gift-given_on": "15/04/2024",
        **extra,
    }


@pytest.fixture
def open_fund(seeded, secretary):
    return welfare_services.fund_open(
        cluster_year=seeded.years[2024], title="Xây nhà 2024", by=secretary
    )


def test_the_same_contribution_posted_twice_with_the_pages_token_is_recorded_once(
    client, seeded, secretary, open_fund
):
    client.force_login(secretary)
    token = token_of(html(client.get(EDIT_2024)), "contribution-form")
    first = post_section(client, EDIT_2024, contribution_post(seeded, open_fund, form_token=token))
    assert "Đã ghi khoản đóng góp." in html(first)
    second = post_section(client, EDIT_2024, contribution_post(seeded, open_fund, form_token=token))
    assert ALREADY_DONE in html(second) and "Đã ghi khoản đóng góp." not in html(second)
    assert list(open_fund.contributions.values_list("amount", flat=True)) == [15_000_000]


def test_four_posts_of_one_token_are_recorded_once(client, seeded, secretary, open_fund):
    client.force_login(secretary)
    token = token_of(html(client.get(EDIT_2024)), "contribution-form")
    answers = [
        html(
            post_section(client, EDIT_2024, contribution_post(seeded, open_fund, form_token=token))
        )
        for _ in range(4)
    ]
    assert ["Đã ghi khoản đóng góp." in answer for answer in answers] == [True, False, False, False]
    assert all(ALREADY_DONE in answer for answer in answers[1:])
    assert open_fund.contributions.count() == 1


def test_a_post_without_the_pages_token_is_written_once_per_post(
    client, seeded, secretary, open_fund
):
    client.force_login(secretary)
    # The same gift twice within 24 hours asks first (welfare.services): answered "Vẫn ghi thêm".
    again = {"gift-confirm_repeat": "on"}
    for _ in range(2):
        response = post_section(client, EDIT_2024, contribution_post(seeded, open_fund, **again))
        assert "Đã ghi khoản đóng góp." in html(response)
    assert open_fund.contributions.count() == 2
    # A new token of the page after them is one more write, not refused as already done.
    token = token_of(html(client.get(EDIT_2024)), "contribution-form")
    post_section(client, EDIT_2024, contribution_post(seeded, open_fund, form_token=token, **again))
    assert open_fund.contributions.count() == 3


def test_the_page_refuses_a_second_fund_of_the_same_title_in_a_year(client, seeded, secretary):
    client.force_login(secretary)

    def open_fund(title):
        page = html(client.get(EDIT_2024))
        return post_section(
            client,
            EDIT_2024,
            {
                "action": "fund_open",
                "fund-title": title,
                "fund-purpose": "",
                "fund-target": "",
                "fund-opened_on": "",
                "form_token": token_of(page, "fund-form"),
            },
        )

    assert "Đã mở quỹ “Quỹ A”." in html(open_fund("Quỹ A"))
    response = open_fund("  quỹ a ")
    assert "Năm 2024 đã có quỹ “quỹ a”; hãy đặt tên khác." in html(response)
    assert Fund.objects.filter(cluster_year=seeded.years[2024], title__iexact="quỹ a").count() == 1


@pytest.fixture
def namesake_funds(seeded):
    """Two 2024 funds of one title, as data from before the title check left them."""
    year = seeded.years[2024]
    return [Fund.objects.create(cluster_year=year, title="Quỹ trùng tên") for _ in range(2)]


def test_a_sheet_meeting_two_funds_of_one_title_is_answered_in_vietnamese(namesake_funds):
    sheet = {
        "Quỹ": [
            ["Cụm thi đua", "Năm", "Tên quỹ", "Mục đích"],
            [CLUSTER, 2024, "Quỹ trùng tên", "Xây nhà"],
        ]
    }
    outcome = import_file(xlsx(sheet), "quy.xlsx")
    assert not outcome.ok
    text = " ".join(messages(outcome))
    assert "more than one" not in text and "get()" not in text, text
    assert "2 quỹ cùng tên “Quỹ trùng tên”" in text, text
    assert [(p.sheet, p.row, p.column) for p in outcome.problems] == [("Quỹ", 2, "Tên quỹ")]
    assert sorted(Fund.objects.filter(title="Quỹ trùng tên").values_list("purpose", flat=True)) == [
        "",
        "",
    ]


def test_a_contribution_row_naming_a_fund_two_funds_share_is_refused_in_vietnamese(
    namesake_funds,
):
    sheet = {
        "Đóng góp": [
            [
                "Cụm thi đua",
                "Năm",
                "Quỹ",
                "Đơn vị",
                "Nhà hảo tâm khác",
                "Số tiền (₫)",
                "Ngày đóng góp",
            ],
            [CLUSTER, 2024, "Quỹ trùng tên", "Công an tỉnh Sơn La", "", 5_000_000, "01/05/2024"],
        ]
    }
    outcome = import_file(xlsx(sheet), "dong-gop.xlsx")
    assert not outcome.ok
    assert [(p.sheet, p.row, p.column) for p in outcome.problems] == [("Đóng góp", 2, "Quỹ")]
    assert "2 quỹ cùng tên “Quỹ trùng tên”" in outcome.problems[0].message
    assert not Contribution.objects.filter(fund__in=namesake_funds).exists()


# --- 9. a refused form writes nothing ---------------------------------------------------------


def test_a_refused_quota_leaves_the_leading_unit_as_it_was(client, seeded, secretary):
    year = seeded.years[2024]
    award_services.cluster_year_set_leader(
        cluster_year=year, unit=seeded.units["son-la"], by=secretary
    )
    for slug in ("son-la", "lai-chau"):
        award_services.nomination_propose(
            cluster_year=year,
            award_kind=flag(),
            unit=seeded.units[slug],
            by=secretary,
            votes_for=7,
            council_size=7,
        )
    client.force_login(secretary)
    response = post_section(
        client,
        EDIT_2024,
        {"action": "leader", "leading_unit": seeded.units["lang-son"].pk, "ministry_quota": "1"},
    )
    refusal = "Cụm đã đề nghị 2 Cờ thi đua của Bộ Công an; chỉ tiêu không thể nhỏ hơn."
    assert refusal in html(response)
    year.refresh_from_db()
    assert year.leading_unit == seeded.units["son-la"]
    assert not AwardQuota.objects.filter(cluster_year=year).exists()


# --- 14. a closed fund stays closed -------------------------------------------------------------

REOPEN = "Quỹ “Xây nhà 2024” đã khóa sổ: không mở lại được bằng cách sửa trạng thái."


@pytest.fixture
def closed_fund(open_fund, secretary):
    return welfare_services.fund_close(fund=open_fund, by=secretary, closed_on=DAY)


@pytest.mark.parametrize("status", ["collecting", " collecting "])
def test_a_sheet_does_not_reopen_a_closed_fund(closed_fund, admin_user, status):
    sheet = {
        "Quỹ": [
            ["Cụm thi đua", "Năm", "Tên quỹ", "Trạng thái (collecting/closed)"],
            [CLUSTER, 2024, "Xây nhà 2024", status],
        ]
    }
    outcome = import_file(xlsx(sheet), "quy.xlsx", user=admin_user)
    assert not outcome.ok
    assert REOPEN in " ".join(messages(outcome)), messages(outcome)
    closed_fund.refresh_from_db()
    assert (closed_fund.status, closed_fund.closed_on) == (Fund.Status.CLOSED, DAY)


def test_the_admins_form_does_not_reopen_a_closed_fund(admin_client, closed_fund):
    response = admin_client.post(
        reverse("admin:welfare_fund_change", args=[closed_fund.pk]),
        {
            "cluster_year": closed_fund.cluster_year_id,
            "title": closed_fund.title,
            "purpose": "",
            "target": "",
            "opened_on": "",
            "closed_on": "",
            "status": "collecting",
            "notes": "",
            "data_status": closed_fund.data_status,
            "contributions-TOTAL_FORMS": "0",
            "contributions-INITIAL_FORMS": "0",
            "contributions-MIN_NUM_FORMS": "0",
            "contributions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert REOPEN in html(response)
    closed_fund.refresh_from_db()
    assert (closed_fund.status, closed_fund.closed_on) == (Fund.Status.CLOSED, DAY)


def test_the_command_line_does_not_reopen_a_closed_fund_either(closed_fund):
    closed_fund.status = Fund.Status.COLLECTING
    with pytest.raises(ValidationError) as refused:
        welfare_services.fund_save(fund=closed_fund, by=COMMAND_LINE)
    assert refused.value.message_dict["status"] == [REOPEN]
    assert Fund.objects.get(pk=closed_fund.pk).status == Fund.Status.CLOSED
