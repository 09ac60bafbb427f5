"""Money dates in the future (welfare/warnings.py) and the fund's items of the publish checklist
(welfare/checklist.py)."""

import datetime

import pytest
from django.utils import timezone

from clusters.checklist import Item, items_for
from core.models import WarningRule
from core.warnings import FigureWarning
from welfare import checklist, services, warnings
from welfare.models import Beneficiary, Contribution, Fund, Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(db):
    found, _ = WarningRule.objects.update_or_create(
        code="future_money_date", defaults={"active": True}
    )
    return found


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def year(cluster_ii):
    return cluster_ii.years[2024]


def future_books(year, today, by, n=1):
    """n funds opened today, each with a contribution given tomorrow, one given today, and a
    house approved yesterday and handed over next week."""
    tomorrow, week = today + datetime.timedelta(days=1), today + datetime.timedelta(days=7)
    made = []
    for i in range(n):
        fund = services.fund_open(
            cluster_year=year, title=f"Quỹ {i}", by=by, opened_on=today, target=None
        )
        gift = services.contribution_add(
            fund=fund,
            amount=50_000_000,
            given_on=tomorrow,
            by=by,
            unit=year.memberships.first().unit,
        )
        services.contribution_add(
            fund=fund, amount=1_000_000, given_on=today, by=by, donor_name="Ngân hàng"
        )
        officer = Beneficiary.objects.create(
            full_name=f"Lò Văn Minh {i}", rank="Thiếu tá", unit=year.memberships.first().unit
        )
        house = services.support_save(
            support=Support(
                fund=fund,
                beneficiary=officer,
                amount=10_000_000,
                approved_on=today - datetime.timedelta(days=1),
                handed_over_on=week,
            ),
            by=by,
        )
        made.append((fund, gift, house))
    return made


def test_future_money_dates_are_warned_with_their_record(year, rule, today, secretary):
    [(fund, gift, house)] = future_books(year, today, secretary)
    found = warnings.for_cluster_year(year)
    assert all(isinstance(w, FigureWarning) for w in found)
    by_key = {w.key: w for w in found}
    assert sorted(by_key) == [
        f"welfare:contribution-{gift.pk}:given_on:future_money_date",
        f"welfare:support-{house.pk}:handed_over_on:future_money_date",
    ]
    warned = by_key[f"welfare:contribution-{gift.pk}:given_on:future_money_date"]
    tomorrow = today + datetime.timedelta(days=1)
    assert warned.rule == "future_money_date" and warned.value == tomorrow
    assert warned.subject == f"Quỹ 0: {gift.donor}" and warned.figure == "ngày đóng góp"
    assert warned.previous is None
    assert warned.reason == (
        f"Ngày đóng góp {tomorrow:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y}): "
        "hãy kiểm tra lại ngày."
    )
    house_warning = by_key[f"welfare:support-{house.pk}:handed_over_on:future_money_date"]
    assert house_warning.subject == "Quỹ 0: Thiếu tá Lò Văn Minh 0"
    assert house_warning.figure == "ngày khánh thành, bàn giao"


def test_a_fund_dated_in_the_future_is_warned(year, rule, today, secretary):
    fund = services.fund_open(
        cluster_year=year, title="Quỹ 2024", by=secretary, opened_on=today + datetime.timedelta(3)
    )
    Fund.objects.filter(pk=fund.pk).update(
        status="closed", closed_on=today + datetime.timedelta(days=5)
    )
    assert [(w.key, w.subject, w.figure) for w in warnings.for_cluster_year(year)] == [
        (f"welfare:fund-{fund.pk}:opened_on:future_money_date", "Quỹ 2024", "ngày bắt đầu"),
        (f"welfare:fund-{fund.pk}:closed_on:future_money_date", "Quỹ 2024", "ngày khóa sổ"),
    ]


def test_no_warning_when_the_rule_is_off(year, rule, today, secretary):
    future_books(year, today, secretary)
    rule.active = False
    rule.save()
    assert warnings.for_cluster_year(year) == []


def test_other_years_dates_are_not_this_years_warnings(cluster_ii, rule, today, admin_user):
    future_books(cluster_ii.years[2023], today, admin_user)
    assert warnings.for_cluster_year(cluster_ii.years[2024]) == []
    assert len(warnings.for_cluster_year(cluster_ii.years[2023])) == 2


def test_the_warnings_cost_a_fixed_number_of_queries(
    year, rule, today, secretary, django_assert_num_queries
):
    future_books(year, today, secretary, n=4)
    with django_assert_num_queries(4):
        found = warnings.for_cluster_year(year)
    assert len(found) == 8


# --- the publish checklist ------------------------------------------------------------------


def test_the_checklist_names_collecting_funds_houses_and_warnings(
    year, rule, today, secretary, django_assert_max_num_queries
):
    [(fund, gift, house)] = future_books(year, today, secretary)
    closed = services.fund_open(cluster_year=year, title="Quỹ đã xong", by=secretary)
    services.fund_close(fund=closed, by=secretary, closed_on=today)
    done = Beneficiary.objects.create(
        full_name="Vừ A Di", rank="Đại úy", unit=house.beneficiary.unit
    )
    services.support_save(
        support=Support(
            fund=fund, beneficiary=done, amount=1_000_000, kind="house", handed_over_on=today
        ),
        by=secretary,
    )
    money = Beneficiary.objects.create(full_name="Cầm Văn Sơn", unit=house.beneficiary.unit)
    services.support_save(
        support=Support(fund=fund, beneficiary=money, amount=1_000_000, kind="money"),
        by=secretary,
    )
    Support.objects.filter(pk=house.pk).update(handed_over_on=None)  # a house not yet handed over
    Contribution.objects.filter(pk=gift.pk).update(given_on=today)
    Support.objects.filter(pk=house.pk).update(paid_on=today + datetime.timedelta(days=2))
    with django_assert_max_num_queries(6):
        found = checklist.items(year)
    assert found == [
        Item(
            key=f"welfare:fund-collecting:fund-{fund.pk}",
            section="welfare",
            text="Quỹ “Quỹ 0” còn đang vận động, chưa khóa sổ.",
        ),
        Item(
            key=f"welfare:house-not-handed-over:support-{house.pk}",
            section="welfare",
            text="Nhà của Thiếu tá Lò Văn Minh 0 chưa khánh thành, bàn giao.",
        ),
        Item(
            key=f"warning:welfare:support-{house.pk}:paid_on:future_money_date",
            section="welfare",
            text=(
                f"Quỹ 0: Thiếu tá Lò Văn Minh 0 – Ngày chi "
                f"{today + datetime.timedelta(days=2):%d/%m/%Y} ở tương lai (hôm nay là "
                f"{today:%d/%m/%Y}): hãy kiểm tra lại ngày."
            ),
        ),
    ]
    assert set(found) <= set(items_for(year))  # discovered by the checklist of clusters


def test_a_finished_year_has_nothing_on_the_checklist(seeded):
    # 2023: the fund is closed and Đại úy Vừ A Di's house was handed over on 21/11/2023
    assert checklist.items(seeded.years[2023]) == []
    assert checklist.items(seeded.years[2024]) == []
