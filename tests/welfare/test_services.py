import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.access import COMMAND_LINE
from welfare import services
from welfare.models import MAX_MONEY, Beneficiary, Contribution, Support

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 1)


@pytest.fixture
def fund(cluster_ii, secretary):
    return services.fund_open(
        cluster_year=cluster_ii.years[2024],
        title="Xây nhà Nghĩa tình đồng đội 2024",
        by=secretary,
        target=300_000_000,
    )


@pytest.fixture
def officer_in_hardship(cluster_ii):
    return Beneficiary.objects.create(
        full_name="Lò Văn Minh", rank="Thiếu tá", unit=cluster_ii.units["dien-bien"]
    )


def add(fund, amount, by, **kwargs):
    return services.contribution_add(fund=fund, amount=amount, given_on=DAY, by=by, **kwargs)


def support(fund, beneficiary, amount, **kwargs):
    return Support(fund=fund, beneficiary=beneficiary, amount=amount, **kwargs)


def test_large_sums_stay_exact_integers(fund, cluster_ii, secretary):
    # 999.999.999.999 + 1 would be off by rounding in a float-based sum of many odd amounts
    amounts = [333_333_333_333, 333_333_333_333, 333_333_333_333]
    for slug, amount in zip(("son-la", "lai-chau", "lao-cai"), amounts, strict=True):
        add(fund, amount, secretary, unit=cluster_ii.units[slug])
    total = services.collected(fund)
    assert total == 999_999_999_999 and isinstance(total, int)
    assert services.vnd(total) == "999.999.999.999 ₫"


def test_amounts_above_the_bound_are_refused(fund, cluster_ii, secretary):
    with pytest.raises(ValidationError) as excinfo:
        add(fund, MAX_MONEY + 1, secretary, unit=cluster_ii.units["son-la"])
    assert excinfo.value.message_dict["amount"] == ["Số tiền quá lớn: tối đa 1.000.000.000.000 ₫."]


def test_a_contribution_needs_a_donor_and_a_positive_amount(fund, secretary):
    with pytest.raises(ValidationError) as excinfo:
        add(fund, 1_000_000, secretary)
    assert "Cần chọn đơn vị hoặc ghi tên người đóng góp." in excinfo.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(fund=fund, donor_name="Ngân hàng", amount=0, given_on=DAY)
    assert (
        add(fund, 50_000_000, secretary, donor_name="Ngân hàng Agribank Lai Châu").donor
        == "Ngân hàng Agribank Lai Châu"
    )


def test_a_closed_fund_takes_no_new_contribution(fund, cluster_ii, secretary):
    add(fund, 10_000_000, secretary, unit=cluster_ii.units["son-la"])
    services.fund_close(fund=fund, by=secretary, closed_on=datetime.date(2024, 12, 1))
    with pytest.raises(ValidationError) as excinfo:
        add(fund, 10_000_000, secretary, unit=cluster_ii.units["lai-chau"])
    assert excinfo.value.messages == [
        "Quỹ “Xây nhà Nghĩa tình đồng đội 2024” đã khóa sổ, không nhận thêm đóng góp."
    ]
    assert services.collected(fund) == 10_000_000


def test_a_fund_never_pays_out_more_than_it_received(
    fund, cluster_ii, secretary, officer_in_hardship
):
    add(fund, 70_000_000, secretary, unit=cluster_ii.units["son-la"])
    add(fund, 30_000_000, secretary, unit=cluster_ii.units["lai-chau"])
    services.support_save(support=support(fund, officer_in_hardship, 60_000_000), by=secretary)
    with pytest.raises(ValidationError) as excinfo:
        services.support_save(support=support(fund, officer_in_hardship, 40_000_001), by=secretary)
    assert excinfo.value.message_dict["amount"] == [
        "Quỹ “Xây nhà Nghĩa tình đồng đội 2024” chỉ còn 40.000.000 ₫, không thể chi 40.000.001 ₫."
    ]
    services.support_save(support=support(fund, officer_in_hardship, 40_000_000), by=secretary)
    assert services.collected(fund) - services.paid_out(fund) == 0


def test_changing_a_support_counts_its_own_amount_once(
    fund, cluster_ii, secretary, officer_in_hardship
):
    add(fund, 100_000_000, secretary, unit=cluster_ii.units["son-la"])
    house = services.support_save(
        support=support(fund, officer_in_hardship, 100_000_000), by=secretary
    )
    house.notes = "Đã nghiệm thu"
    services.support_save(support=house, by=secretary)  # not "100 more than the fund holds"


def test_a_beneficiary_outside_the_cluster_needs_a_reason(fund, cluster_ii, secretary):
    add(fund, 100_000_000, secretary, unit=cluster_ii.units["son-la"])
    outsider = Beneficiary.objects.create(
        full_name="Nguyễn Văn B", unit=cluster_ii.units["tuyen-quang"]
    )
    with pytest.raises(ValidationError) as excinfo:
        services.support_save(support=support(fund, outsider, 10_000_000), by=secretary)
    assert excinfo.value.message_dict["non_member_reason"] == [
        "Công an tỉnh Tuyên Quang không thuộc cụm năm 2024: hãy ghi lý do hỗ trợ ngoài cụm."
    ]
    ok = support(fund, outsider, 10_000_000, non_member_reason="Cán bộ biệt phái từ Lai Châu")
    assert services.support_save(support=ok, by=secretary).pk


def test_milestones_go_forward_in_order(fund, cluster_ii, secretary, officer_in_hardship):
    add(fund, 100_000_000, secretary, unit=cluster_ii.units["son-la"])
    house = services.support_save(
        support=support(
            fund,
            officer_in_hardship,
            80_000_000,
            house_total_cost=120_000_000,
            other_funding=40_000_000,
        ),
        by=secretary,
    )
    assert house.house_stage == "Dự kiến" and str(house.cluster_share) == "66.7"
    services.support_milestone(
        support=house, milestone="approved", on=datetime.date(2024, 7, 1), by=secretary
    )
    services.support_milestone(
        support=house, milestone="building", on=datetime.date(2024, 8, 1), by=secretary
    )
    with pytest.raises(ValidationError) as excinfo:
        services.support_milestone(
            support=house, milestone="handed_over", on=datetime.date(2024, 7, 15), by=secretary
        )
    assert "Ngày bàn giao không thể trước ngày khởi công." in excinfo.value.messages
    house.refresh_from_db()
    assert house.handed_over_on is None
    services.support_milestone(
        support=house, milestone="handed_over", on=datetime.date(2024, 11, 20), by=secretary
    )
    assert house.house_stage == "Đã khánh thành, bàn giao"
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.filter(pk=house.pk).update(approved_on=datetime.date(2025, 1, 1))


def test_only_the_secretariat_and_admin_manage_funds(
    cluster_ii, officer_laichau, leader, admin_user
):
    for user in (officer_laichau, leader):
        with pytest.raises(PermissionDenied):
            services.fund_open(cluster_year=cluster_ii.years[2024], title="X", by=user)
    assert services.fund_open(cluster_year=cluster_ii.years[2024], title="X", by=admin_user).pk


def test_published_year_funds_are_frozen(cluster_ii, secretary):
    from clusters import services as cluster_services

    cluster_services.cluster_year_publish(by=COMMAND_LINE, cluster_year=cluster_ii.years[2023])
    with pytest.raises(ValidationError):
        services.fund_open(cluster_year=cluster_ii.years[2023], title="X", by=secretary)
