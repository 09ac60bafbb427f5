import pytest
import tablib
from django.urls import reverse

from accounts.access import COMMAND_LINE
from welfare.models import Contribution, Fund, Support
from welfare.workbook import ContributionResource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,rows",
    [
        ("admin:welfare_fund_changelist", 2),
        ("admin:welfare_contribution_changelist", 7),
        ("admin:welfare_beneficiary_changelist", 3),
        ("admin:welfare_support_changelist", 3),
    ],
)
def test_changelists(admin_client, seeded, name, rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse(name))
    assert response.status_code == 200 and response.context["cl"].result_count == rows


def test_admin_support_form_keeps_the_fund_rule(admin_client, seeded, secretary):
    from welfare import services

    fund = services.fund_open(cluster_year=seeded.years[2024], title="Quỹ 2024", by=secretary)
    services.contribution_add(
        fund=fund, unit=seeded.units["son-la"], amount=10_000_000, given_on=None, by=secretary
    )
    beneficiary = Support.objects.first().beneficiary
    response = admin_client.post(
        reverse("admin:welfare_support_add"),
        {
            "fund": fund.pk,
            "beneficiary": beneficiary.pk,
            "kind": "money",
            "amount": "20000000",
            "non_member_reason": "",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "chỉ còn 10.000.000 ₫, không thể chi 20.000.000 ₫" in response.content.decode()
    assert not Support.objects.filter(fund=fund).exists()


def test_contribution_import_by_names_refuses_a_closed_fund(seeded, secretary):
    from welfare import services

    fund = services.fund_open(cluster_year=seeded.years[2024], title="Quỹ 2024", by=secretary)
    headers = [
        "Cụm thi đua",
        "Năm",
        "Quỹ",
        "Đơn vị",
        "Nhà hảo tâm khác",
        "Số tiền (₫)",
        "Ngày đóng góp",
        "Ghi chú",
    ]
    good = tablib.Dataset(headers=headers)
    good.append(
        [
            "Cụm thi đua số II",
            2024,
            "Quỹ 2024",
            "Công an tỉnh Sơn La",
            "",
            "15.000.000",
            "01/05/2024",
            "",
        ]
    )
    good.append(
        [
            "Cụm thi đua số II",
            2024,
            "Quỹ 2024",
            "",
            "Ngân hàng Agribank",
            5000000,
            "02/05/2024",
            None,
        ]
    )
    result = ContributionResource().import_data(good, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    assert sorted(fund.contributions.values_list("amount", flat=True)) == [5_000_000, 15_000_000]

    services.fund_close(fund=fund, by=secretary)
    more = tablib.Dataset(headers=headers)
    more.append(
        [
            "Cụm thi đua số II",
            2024,
            "Quỹ 2024",
            "Công an tỉnh Lai Châu",
            "",
            1000000,
            "01/12/2024",
            "",
        ]
    )
    result = ContributionResource().import_data(more, dry_run=False, user=COMMAND_LINE)
    assert result.has_errors() or result.has_validation_errors()
    assert Contribution.objects.filter(fund=fund).count() == 2


def test_published_funds_are_read_only(admin_client, seeded):
    fund = Fund.objects.get(cluster_year__year=2018)
    response = admin_client.get(reverse("admin:welfare_fund_change", args=[fund.pk]))
    assert response.status_code == 200 and not response.context["has_change_permission"]
