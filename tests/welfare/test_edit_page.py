"""The fund's books on the year's edit page (#welfare): every contribution and support listed with
edit and delete while its fund is open, the repeat question, the donor's name everywhere, and the
money-date warnings."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import COMMAND_LINE
from accounts.models import Role
from clusters import services as cluster_services
from core.models import WarningRule
from tests.factories import UserFactory
from welfare import services
from welfare.models import Beneficiary, Contribution, Support
from welfare.views import edit_context
from workbook.exporter import export_workbook

pytestmark = pytest.mark.django_db
URL = "/clusters/cum-2/2024/edit/"
DAY = datetime.date(2024, 4, 15)


@pytest.fixture
def books(cluster_ii, secretary):
    """An open fund of 100 million that paid 40 million for a house; a closed fund."""
    year = cluster_ii.years[2024]
    fund = services.fund_open(cluster_year=year, title="Xây nhà 2024", by=secretary)
    son_la = services.contribution_add(
        fund=fund, amount=70_000_000, given_on=DAY, by=secretary, unit=cluster_ii.units["son-la"]
    )
    bank = services.contribution_add(
        fund=fund,
        amount=30_000_000,
        given_on=DAY,
        by=secretary,
        unit=cluster_ii.units["lai-chau"],
        donor_name="Ngân hàng Agribank Lai Châu",
    )
    officer = Beneficiary.objects.create(
        full_name="Lò Văn Minh", rank="Thiếu tá", unit=cluster_ii.units["son-la"]
    )
    house = services.support_save(
        support=Support(fund=fund, beneficiary=officer, amount=40_000_000), by=secretary
    )
    closed = services.fund_open(cluster_year=year, title="Quỹ 2024 đã khóa", by=secretary)
    old_gift = services.contribution_add(
        fund=closed, amount=5_000_000, given_on=DAY, by=secretary, unit=cluster_ii.units["son-la"]
    )
    services.fund_close(fund=closed, by=secretary, closed_on=datetime.date(2024, 5, 1))
    return {
        "fund": fund,
        "son_la": son_la,
        "bank": bank,
        "house": house,
        "closed": closed,
        "old_gift": old_gift,
    }


def html(response) -> str:
    return response.content.decode()


def row(page: str, kind: str, pk: int) -> str:
    match = re.search(rf'<(tr|li)[^>]*data-{kind}="{pk}".*?</\1>', page, re.S)
    assert match, f"no row for {kind} {pk}"
    return match.group(0)


def gift_data(fund, unit, amount="20.000.000", **extra):
    return {
        "gift-fund": fund.pk,
        "gift-unit": unit.pk if unit else "",
        "gift-donor_name": "",
        "gift-amount": amount,
        "gift-given_on": "15/04/2024",
        **extra,
    }


# --- the lists --------------------------------------------------------------------------------


def test_the_edit_page_lists_contributions_and_supports_with_their_actions(
    client, books, secretary
):
    client.force_login(secretary)
    page = html(client.get(URL))
    gift = row(page, "contribution", books["bank"].pk)
    assert "Ngân hàng Agribank Lai Châu (qua Công an tỉnh Lai Châu)" in gift
    assert "30.000.000 ₫" in gift and "15/04/2024" in gift
    assert f'href="?contribution={books["bank"].pk}#contribution-form"' in gift
    assert 'action="/clusters/cum-2/2024/edit/contribution-delete/"' in gift
    assert 'name="form_token"' in gift
    house = row(page, "support", books["house"].pk)
    assert "Thiếu tá Lò Văn Minh" in house and "40.000.000 ₫" in house
    assert f'href="?support={books["house"].pk}#support-form"' in house
    assert 'action="/clusters/cum-2/2024/edit/support-delete/"' in house
    closed = row(page, "contribution", books["old_gift"].pk)
    assert "Quỹ đã khóa sổ: chỉ xem." in closed
    assert "contribution-delete" not in closed and "?contribution=" not in closed


def test_a_published_year_lists_them_read_only_with_the_reason(admin_client, seeded):
    page = html(admin_client.get("/clusters/cum-2/2018/edit/"))
    gifts = re.findall(r'<tr[^>]*data-contribution="\d+".*?</tr>', page, re.S)
    assert len(gifts) == 7
    assert all("Năm đã công bố: chỉ xem." in gift for gift in gifts)
    assert "contribution-delete" not in page and "support-delete" not in page
    assert "?contribution=" not in page and "?support=" not in page


def test_the_edit_pages_queries_do_not_grow_with_the_books(
    client, cluster_ii, secretary, django_assert_num_queries
):
    year = cluster_ii.years[2024]
    client.force_login(secretary)

    def fill(n):
        for i in range(n):
            fund = services.fund_open(cluster_year=year, title=f"Quỹ {i}-{n}", by=secretary)
            for unit in year.members.all():
                services.contribution_add(
                    fund=fund, unit=unit, amount=1_000_000, given_on=DAY, by=secretary
                )
            officer = Beneficiary.objects.create(full_name=f"Cán bộ {i}-{n}", unit=unit)
            services.support_save(
                support=Support(fund=fund, beneficiary=officer, amount=500_000), by=secretary
            )

    fill(1)
    client.get(URL)  # the first visit also writes the session
    with CaptureQueriesContext(connection) as one_fund:
        client.get(URL)
    one_fund_queries = len(one_fund.captured_queries)  # now: the log keeps the last 9,000 only
    fill(4)
    client.get(URL)  # the writes moved the cache on: the kept reference rows are read again
    with django_assert_num_queries(one_fund_queries):
        response = client.get(URL)
    # on its own, the section reads funds, contributions and supports once for its lists, its
    # warnings and its forms' choices; the roster for those choices (the warning rules and every
    # unit are kept: core.cache.kept)
    request = RequestFactory().get(URL)
    request.user, request.session = secretary, {}
    with django_assert_num_queries(4):
        edit_context(request, year)
    assert len(response.context["welfare_contributions"]) == 5 * len(year.members.all())
    assert len(response.context["welfare_supports"]) == 5


# --- editing ----------------------------------------------------------------------------------


def test_edit_opens_the_same_form_filled_and_saves_the_correction(client, books, secretary):
    client.force_login(secretary)
    bank = books["bank"]
    response = client.get(f"{URL}?contribution={bank.pk}")
    form = response.context["contribution_form"]
    assert form.editing and form["id"].value() == bank.pk
    page = html(response)
    assert "Sửa khoản đóng góp" in page and 'value="Ngân hàng Agribank Lai Châu"' in page
    assert 'value="30.000.000"' in page and 'value="15/04/2024"' in page
    r = client.post(
        URL + "contribution/",
        {
            **gift_data(books["fund"], bank.unit, "35.000.000"),
            "gift-id": bank.pk,
            "gift-donor_name": "Ngân hàng Agribank",
            "form_token": "t-edit",
        },
        follow=True,
    )
    assert r.redirect_chain[-1][0].endswith("#welfare")
    assert "Đã sửa khoản đóng góp." in html(r)
    bank.refresh_from_db()
    assert (bank.amount, bank.donor_name) == (35_000_000, "Ngân hàng Agribank")
    assert Contribution.objects.filter(fund=books["fund"]).count() == 2  # changed, not added


def test_a_refused_correction_comes_back_to_the_filled_form(client, books, secretary):
    client.force_login(secretary)
    son_la = books["son_la"]
    r = client.post(
        URL + "contribution/",
        {**gift_data(books["fund"], son_la.unit, "5.000.000"), "gift-id": son_la.pk},
        follow=True,
    )
    form = r.context["contribution_form"]
    assert form.editing and form["amount"].value() == "5.000.000"
    assert "còn thiếu 5.000.000 ₫" in html(r)
    assert Contribution.objects.get(pk=son_la.pk).amount == 70_000_000


def test_a_contribution_of_a_closed_fund_or_another_year_is_not_edited(
    client, books, secretary, seeded
):
    client.force_login(secretary)
    for gift in (books["old_gift"], Contribution.objects.filter(fund__cluster_year__year=2018)[0]):
        r = client.post(
            URL + "contribution/",
            {**gift_data(books["fund"], gift.unit, "1.000"), "gift-id": gift.pk},
            follow=True,
        )
        assert r.context["contribution_form"].errors["id"]
        gift.refresh_from_db()
        assert gift.amount != 1000
    assert (
        client.get(f"{URL}?contribution={books['old_gift'].pk}")
        .context["contribution_form"]
        .editing
        is False
    )


def test_edit_a_support_and_its_beneficiary(client, books, secretary, cluster_ii):
    client.force_login(secretary)
    house = books["house"]
    response = client.get(f"{URL}?support={house.pk}")
    form = response.context["support_form"]
    assert form.editing and form["full_name"].value() == "Lò Văn Minh"
    assert form["amount"].value() == 40_000_000 and form["kind"].value() == "house"
    data = {
        "support-id": house.pk,
        "support-fund": books["fund"].pk,
        "support-full_name": "Lò Văn Minh",
        "support-rank": "Trung tá",
        "support-position": "",
        "support-unit": cluster_ii.units["son-la"].pk,
        "support-place": "",
        "support-circumstance": "hardship",
        "support-story": "",
        "support-kind": "house",
        "support-amount": "45.000.000",
        "support-house_total_cost": "",
        "support-other_funding": "",
        "support-non_member_reason": "",
    }
    r = client.post(URL + "support/", data, follow=True)
    assert "Đã sửa khoản hỗ trợ." in html(r)
    house.refresh_from_db()
    assert house.amount == 45_000_000 and house.beneficiary.rank == "Trung tá"
    assert Support.objects.count() == 1 and Beneficiary.objects.count() == 1
    r = client.post(URL + "support/", {**data, "support-amount": "110.000.000"}, follow=True)
    assert "chỉ còn 100.000.000 ₫, không thể chi 110.000.000 ₫" in html(r)
    assert r.context["support_form"].editing
    assert Support.objects.get(pk=house.pk).amount == 45_000_000


# --- deleting ---------------------------------------------------------------------------------


def test_delete_a_contribution_once(client, books, secretary):
    client.force_login(secretary)
    gift = books["son_la"]
    services.contribution_add(
        fund=books["fund"], amount=70_000_000, given_on=DAY, by=secretary, donor_name="Ngân hàng"
    )
    data = {"contribution": gift.pk, "form_token": "xoa-1"}
    r = client.post(URL + "contribution-delete/", data, follow=True)
    assert r.redirect_chain[-1][0].endswith("#welfare")
    assert "Đã xóa khoản đóng góp 70.000.000 ₫ của Công an tỉnh Sơn La." in html(r)
    assert not Contribution.objects.filter(pk=gift.pk).exists()
    r = client.post(URL + "contribution-delete/", data, follow=True)
    assert "đã được ghi ở lần gửi trước" in html(r)


def test_deleting_what_the_supports_spent_is_refused_with_the_balance(client, books, secretary):
    client.force_login(secretary)
    r = client.post(
        URL + "contribution-delete/",
        {"contribution": books["son_la"].pk, "form_token": "xoa-2"},
        follow=True,
    )
    assert "quỹ “Xây nhà 2024” chỉ còn 60.000.000 ₫ chưa chi" in html(r)
    assert Contribution.objects.filter(pk=books["son_la"].pk).exists()
    # the refusal gave the token back: the same form posts again once corrected
    books["house"].delete()
    client.post(
        URL + "contribution-delete/", {"contribution": books["son_la"].pk, "form_token": "xoa-2"}
    )
    assert not Contribution.objects.filter(pk=books["son_la"].pk).exists()


def test_delete_a_support(client, books, secretary):
    client.force_login(secretary)
    r = client.post(
        URL + "support-delete/", {"support": books["house"].pk, "form_token": "x"}, follow=True
    )
    assert "Đã xóa khoản hỗ trợ cho Thiếu tá Lò Văn Minh." in html(r)
    assert not Support.objects.exists()


@pytest.mark.parametrize("section,field", [("contribution", "old_gift"), ("support", None)])
def test_a_closed_funds_entries_are_not_deleted(client, books, secretary, section, field):
    client.force_login(secretary)
    if field is None:
        services.fund_close(fund=books["fund"], by=secretary)
        pk = books["house"].pk
    else:
        pk = books[field].pk
    r = client.post(f"{URL}{section}-delete/", {section: pk}, follow=True)
    assert "đã khóa sổ" in html(r)
    assert (Contribution if section == "contribution" else Support).objects.filter(pk=pk).exists()


def test_another_years_entry_is_not_deleted_from_this_year(client, books, secretary, seeded):
    client.force_login(secretary)
    gift = Contribution.objects.filter(fund__cluster_year__year=2018).first()
    r = client.post(URL + "contribution-delete/", {"contribution": gift.pk}, follow=True)
    assert "Không có khoản đóng góp này trong năm 2024." in html(r)
    assert Contribution.objects.filter(pk=gift.pk).exists()


@pytest.mark.parametrize("section", ["contribution-delete", "support-delete", "contribution"])
def test_who_may_correct_the_books(client, books, cluster_ii, other_cluster, section):
    pk = books["house"].pk if section == "support-delete" else books["bank"].pk
    field = {"contribution-delete": "contribution", "support-delete": "support"}.get(
        section, "gift-id"
    )
    data = {field: pk}
    address = URL + f"{section}/"
    assert client.get(address).status_code == 405
    assert client.post(address, data)["Location"].startswith("/accounts/login/")
    people = {
        403: [
            UserFactory(role=Role.UNIT_OFFICER, unit=cluster_ii.units["lai-chau"]),
            UserFactory(role=Role.LEADERSHIP),
        ],
        404: [UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster)],
    }
    for status, users in people.items():
        for user in users:
            client.force_login(user)
            assert client.post(address, data).status_code == status
    assert Contribution.objects.filter(pk=books["bank"].pk, amount=30_000_000).exists()
    assert Support.objects.filter(pk=books["house"].pk).exists()


def test_a_published_years_books_are_not_corrected(admin_client, seeded):
    gift = Contribution.objects.filter(fund__cluster_year__year=2018).first()
    r = admin_client.post(
        "/clusters/cum-2/2018/edit/contribution-delete/", {"contribution": gift.pk}, follow=True
    )
    assert "đã công bố" in html(r)
    assert Contribution.objects.filter(pk=gift.pk).exists()


# --- the repeat question ------------------------------------------------------------------


def test_a_repeat_asks_and_only_the_ticked_box_writes_it(client, books, secretary, cluster_ii):
    client.force_login(secretary)
    son_la = cluster_ii.units["son-la"]
    first = client.post(URL + "contribution/", gift_data(books["fund"], son_la), follow=True)
    assert "Đã ghi khoản đóng góp." in html(first)
    recorded = timezone.localtime(Contribution.objects.latest("pk").history.earliest().history_date)
    again = client.post(URL + "contribution/", gift_data(books["fund"], son_la), follow=True)
    page = html(again)
    assert f"Đã ghi khoản này lúc {recorded:%H:%M %d/%m/%Y} — ghi thêm?" in page
    assert "(Công an tỉnh Sơn La, 20.000.000 ₫, ngày đóng góp 15/04/2024)" in page
    assert 'name="gift-confirm_repeat"' in page and "Vẫn ghi thêm" in page
    assert again.context["contribution_form"]["amount"].value() == "20.000.000"
    assert Contribution.objects.filter(amount=20_000_000).count() == 1
    ticked = gift_data(books["fund"], son_la, **{"gift-confirm_repeat": "on"})
    r = client.post(URL + "contribution/", ticked, follow=True)
    assert "Đã ghi khoản đóng góp." in html(r)
    assert Contribution.objects.filter(amount=20_000_000).count() == 2


def test_the_box_is_not_offered_before_the_question(client, books, secretary):
    client.force_login(secretary)
    assert 'name="gift-confirm_repeat"' not in html(client.get(URL))


def test_the_admin_form_asks_too(admin_client, books, cluster_ii):
    data = {
        "fund": books["fund"].pk,
        "unit": cluster_ii.units["son-la"].pk,
        "donor_name": "",
        "amount": "70000000",
        "given_on": "15/04/2024",
        "notes": "",
    }
    r = admin_client.post(reverse("admin:welfare_contribution_add"), data)
    assert r.status_code == 200 and "Đã ghi khoản này lúc" in html(r)
    assert Contribution.objects.filter(amount=70_000_000).count() == 1
    r = admin_client.post(
        reverse("admin:welfare_contribution_add"), {**data, "confirm_repeat": "on"}
    )
    assert r.status_code == 302
    assert Contribution.objects.filter(amount=70_000_000).count() == 2


# --- the donor's name everywhere --------------------------------------------------------------


def test_the_donors_name_shows_beside_the_unit_on_every_page(
    client, admin_client, books, secretary
):
    cluster_services.cluster_year_publish(by=COMMAND_LINE, cluster_year=books["fund"].cluster_year)
    year_page = html(client.get("/clusters/cum-2/2024/"))
    assert 'Ngân hàng Agribank Lai Châu (qua <a href="/units/lai-chau/">Lai Châu</a>)' in year_page
    unit_page = html(client.get("/units/lai-chau/"))
    assert "Xây nhà 2024 – Ngân hàng Agribank Lai Châu (qua Công an tỉnh Lai Châu)" in unit_page
    changelist = html(admin_client.get(reverse("admin:welfare_contribution_changelist")))
    assert "Ngân hàng Agribank Lai Châu (qua Công an tỉnh Lai Châu)" in changelist
    buffer = io.BytesIO()
    export_workbook(buffer, year=2024)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)["Đóng góp"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    unit, donor = rows[0].index("Đơn vị"), rows[0].index("Nhà hảo tâm khác")
    assert ("Công an tỉnh Lai Châu", "Ngân hàng Agribank Lai Châu") in {
        (r[unit], r[donor]) for r in rows[1:]
    }


# --- the money-date warnings ------------------------------------------------------------------


def test_future_money_dates_are_warned_on_the_edit_page(client, books, secretary):
    WarningRule.objects.update_or_create(code="future_money_date", defaults={"active": True})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Contribution.objects.filter(pk=books["bank"].pk).update(given_on=tomorrow)
    client.force_login(secretary)
    page = html(client.get(URL))
    warnings = re.search(r'<div[^>]*id="welfare-warnings".*?</div>', page, re.S).group(0)
    assert f"Ngày đóng góp {tomorrow:%d/%m/%Y} ở tương lai" in warnings
    assert "Ngân hàng Agribank Lai Châu (qua Công an tỉnh Lai Châu)" in warnings
    rule = WarningRule.objects.get(code="future_money_date")
    rule.active = False
    rule.save()  # as the admin saves it: the rules in force are kept until a write (core.cache)
    assert 'id="welfare-warnings"' not in html(client.get(URL))
