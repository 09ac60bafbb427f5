"""Correcting the fund's books through the services: editing and deleting contributions and
supports, the question a repeated contribution asks, and the donor's name kept beside the unit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from welfare import services
from welfare.models import Beneficiary, Contribution, Support

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 1)


@pytest.fixture
def fund(cluster_ii, secretary):
    return services.fund_open(
        cluster_year=cluster_ii.years[2024], title="Xây nhà 2024", by=secretary
    )


@pytest.fixture
def house(fund, cluster_ii, secretary):
    """A fund of 100 million that paid 80 million for a house."""
    services.contribution_add(
        fund=fund, amount=60_000_000, given_on=DAY, by=secretary, unit=cluster_ii.units["son-la"]
    )
    services.contribution_add(
        fund=fund,
        amount=40_000_000,
        given_on=DAY,
        by=secretary,
        unit=cluster_ii.units["lai-chau"],
    )
    officer = Beneficiary.objects.create(full_name="Lò Văn Minh", unit=cluster_ii.units["son-la"])
    return services.support_save(
        support=Support(fund=fund, beneficiary=officer, amount=80_000_000), by=secretary
    )


def test_deleting_a_contribution_the_supports_spent_is_refused_with_the_balance(house, secretary):
    gift = Contribution.objects.get(amount=60_000_000)
    with pytest.raises(ValidationError) as refused:
        services.contribution_delete(contribution=gift, by=secretary)
    assert refused.value.messages == [
        "Không xóa được khoản đóng góp 60.000.000 ₫ của Công an tỉnh Sơn La: quỹ “Xây nhà 2024” "
        "chỉ còn 20.000.000 ₫ chưa chi. Quỹ “Xây nhà 2024” đã chi 80.000.000 ₫: số đã thu không "
        "thể ít hơn (còn thiếu 40.000.000 ₫)."
    ]
    assert Contribution.objects.filter(pk=gift.pk).exists()


def test_a_contribution_the_balance_covers_is_deleted(house, fund, secretary, cluster_ii):
    services.contribution_add(
        fund=fund, amount=15_000_000, given_on=DAY, by=secretary, unit=cluster_ii.units["lao-cai"]
    )
    gift = Contribution.objects.get(amount=15_000_000)
    services.contribution_delete(contribution=gift, by=secretary)
    assert services.collected(fund) == 100_000_000


def test_a_contribution_is_corrected_but_not_below_what_was_paid(house, secretary):
    gift = Contribution.objects.get(amount=40_000_000)
    gift.amount = 25_000_000
    services.contribution_save(contribution=gift, by=secretary)
    gift.amount = 10_000_000
    with pytest.raises(ValidationError) as refused:
        services.contribution_save(contribution=gift, by=secretary)
    assert "còn thiếu 10.000.000 ₫" in refused.value.messages[0]
    assert Contribution.objects.get(pk=gift.pk).amount == 25_000_000


def test_a_closed_funds_supports_are_not_deleted(house, fund, secretary):
    services.fund_close(fund=fund, by=secretary, closed_on=datetime.date(2024, 12, 1))
    with pytest.raises(ValidationError) as refused:
        services.support_delete(support=house, by=secretary)
    assert refused.value.messages == [
        "Quỹ “Xây nhà 2024” đã khóa sổ: không xóa khoản hỗ trợ của quỹ này."
    ]
    assert Support.objects.filter(pk=house.pk).exists()


def test_a_closed_funds_contributions_are_not_deleted(house, fund, secretary):
    gift = Contribution.objects.get(amount=40_000_000)
    services.fund_close(fund=fund, by=secretary, closed_on=datetime.date(2024, 12, 1))
    with pytest.raises(ValidationError) as refused:
        services.contribution_delete(contribution=gift, by=secretary)
    assert refused.value.messages == [
        "Quỹ “Xây nhà 2024” đã khóa sổ: không xóa khoản đóng góp của quỹ này."
    ]
    assert Contribution.objects.filter(pk=gift.pk).exists()


def test_an_open_funds_support_is_deleted_and_its_money_is_back(house, fund, secretary):
    services.support_delete(support=house, by=secretary)
    assert services.paid_out(fund) == 0


# --- the question a repeated contribution asks -------------------------------------------


def add(fund, by, **kwargs):
    values = {"amount": 20_000_000, "given_on": DAY, **kwargs}
    return services.contribution_add(fund=fund, by=by, **values)


def test_a_repeat_within_a_day_asks_before_it_is_written(fund, cluster_ii, secretary):
    first = add(fund, secretary, unit=cluster_ii.units["son-la"])
    with pytest.raises(ValidationError) as asked:
        add(fund, secretary, unit=cluster_ii.units["son-la"], given_on=datetime.date(2024, 6, 2))
    recorded = timezone.localtime(first.history.earliest().history_date)
    assert asked.value.message_dict == {
        "confirm_repeat": [
            f"Đã ghi khoản này lúc {recorded:%H:%M %d/%m/%Y} — ghi thêm? (Công an tỉnh Sơn La, "
            "20.000.000 ₫, ngày đóng góp 01/06/2024). Đánh dấu “Vẫn ghi thêm” nếu đây là một "
            "khoản khác."
        ]
    }
    assert Contribution.objects.filter(fund=fund).count() == 1
    add(fund, secretary, unit=cluster_ii.units["son-la"], confirm_repeat=True)
    assert Contribution.objects.filter(fund=fund).count() == 2


def test_the_repeat_question_shows_the_time_in_vietnam(fund, cluster_ii, secretary):
    first = add(fund, secretary, unit=cluster_ii.units["son-la"], given_on=None)
    recorded = (timezone.now() - datetime.timedelta(hours=2)).replace(microsecond=0)
    first.history.update(history_date=recorded)
    with pytest.raises(ValidationError) as asked:
        add(fund, secretary, unit=cluster_ii.units["son-la"], given_on=None)
    in_hanoi = recorded.astimezone(datetime.UTC) + datetime.timedelta(hours=7)  # no summer time
    assert (
        f"lúc {in_hanoi:%H:%M %d/%m/%Y} — ghi thêm? (Công an tỉnh Sơn La, 20.000.000 ₫)."
        in asked.value.messages[0]
    )


@pytest.mark.parametrize(
    "changed",
    [
        {"amount": 20_000_001},
        {"unit": "lai-chau"},
        {"donor_name": "Ngân hàng Agribank"},
        {"fund": "other"},
    ],
)
def test_another_amount_donor_or_fund_is_no_repeat(fund, cluster_ii, secretary, changed):
    add(fund, secretary, unit=cluster_ii.units["son-la"])
    values = {"unit": cluster_ii.units["son-la"], "fund": fund}
    if changed.get("unit"):
        values["unit"] = cluster_ii.units[changed["unit"]]
    if changed.get("fund"):
        values["fund"] = services.fund_open(
            cluster_year=cluster_ii.years[2024], title="Quỹ khác", by=secretary
        )
    if changed.get("amount"):
        values["amount"] = changed["amount"]
    if changed.get("donor_name"):
        values["donor_name"] = changed["donor_name"]
    fund_ = values.pop("fund")
    assert add(fund_, secretary, **values).pk


def test_a_repeat_older_than_a_day_is_written_without_asking(fund, cluster_ii, secretary):
    first = add(fund, secretary, donor_name="Ngân hàng Agribank")
    first.history.update(history_date=timezone.now() - datetime.timedelta(hours=24, minutes=1))
    assert add(fund, secretary, donor_name="ngân hàng agribank ").pk


def test_a_donor_outside_the_roster_repeats_by_name(fund, secretary):
    add(fund, secretary, donor_name="Ngân hàng Agribank")
    with pytest.raises(ValidationError) as asked:
        add(fund, secretary, donor_name="  ngân hàng agribank")
    assert "(Ngân hàng Agribank, 20.000.000 ₫" in asked.value.messages[0]


def test_the_admins_and_workbooks_path_asks_too_unless_confirmed(fund, cluster_ii, secretary):
    add(fund, secretary, unit=cluster_ii.units["son-la"])
    again = Contribution(fund=fund, unit=cluster_ii.units["son-la"], amount=20_000_000)
    with pytest.raises(ValidationError) as asked:
        services.contribution_save(contribution=again, by=secretary)
    assert "confirm_repeat" in asked.value.message_dict
    assert services.contribution_save(contribution=again, by=secretary, confirm_repeat=True).pk
    again.notes = "Sửa ghi chú"  # a correction of a saved entry is no repeat
    services.contribution_save(contribution=again, by=secretary)


# --- the donor's name beside the unit ------------------------------------------------------


def test_a_gift_through_a_unit_keeps_the_donors_name(fund, cluster_ii, secretary):
    gift = add(fund, secretary, unit=cluster_ii.units["lai-chau"], donor_name="Ngân hàng Agribank")
    assert gift.donor == "Ngân hàng Agribank (qua Công an tỉnh Lai Châu)"
    assert add(fund, secretary, amount=1, unit=cluster_ii.units["lai-chau"]).donor == (
        "Công an tỉnh Lai Châu"
    )
    assert add(fund, secretary, amount=2, donor_name="Bà Lò Thị Xuân").donor == "Bà Lò Thị Xuân"
