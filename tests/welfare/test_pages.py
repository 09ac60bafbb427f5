import pytest

from accounts.access import COMMAND_LINE
from clusters import services as cluster_services
from tests.factories import UnitFactory
from tests.sections import post_section
from welfare import services
from welfare.models import Beneficiary, Contribution, Fund, Support
from welfare.templatetags.money import vnd, vnd_words

pytestmark = pytest.mark.django_db
URL = "/clusters/cum-2/2024/edit/"


@pytest.mark.parametrize(
    "amount,words",
    [
        (140_000_000, "140 triệu đồng"),
        (1_500_000_000, "1,5 tỷ đồng"),
        (2_000_000_000, "2 tỷ đồng"),
        (12_500_000, "12,5 triệu đồng"),
        (12_345_678, "12.345.678 ₫"),
        (999_999_999_999, "999.999.999.999 ₫"),
    ],
)
def test_amounts_read_the_vietnamese_way(amount, words):
    assert vnd_words(amount) == words
    assert vnd(140_000_000) == "140.000.000 ₫" and vnd(None) == "—"


def test_the_seed_funds_on_the_year_pages(client, seeded):
    html = client.get("/clusters/cum-2/2018/").content.decode()
    assert "140.000.000 ₫ (140 triệu đồng)" in html
    assert "Cán bộ Công an tỉnh Cao Bằng (1)" in html and "Cán bộ Công an tỉnh Cao Bằng (2)" in html
    assert "Phân bổ minh họa" in html
    html = client.get("/clusters/cum-2/2023/").content.decode()
    assert "Đại úy Vừ A Di, Phó trưởng Công an xã Khổng Lào" in html
    assert "Đã khánh thành, bàn giao 21/11/2023" in html
    assert "chưa rõ số tiền" in html


def test_unit_page_shows_what_was_given_and_received(client, seeded):
    html = client.get("/units/son-la/").content.decode()
    assert "Hỗ trợ cán bộ Công an tỉnh Cao Bằng làm nhà – 20.000.000 ₫" in html
    html = client.get("/units/lai-chau/").content.decode()
    assert "Đại úy Vừ A Di" in html and "21/11/2023" in html


def test_secretariat_runs_a_fund_from_the_page(client, seeded, secretary):
    client.force_login(secretary)
    r = post_section(
        client,
        URL,
        {
            "action": "fund_open",
            "fund-title": "Xây nhà 2024",
            "fund-purpose": "",
            "fund-target": "200.000.000",
            "fund-opened_on": "01/03/2024",
        },
    )
    assert r.redirect_chain[0][1] == 302
    fund = Fund.objects.get(title="Xây nhà 2024")
    assert fund.target == 200_000_000 and fund.opened_on.isoformat() == "2024-03-01"
    for slug, amount in (("son-la", "120.000.000"), ("lai-chau", "80.000.000")):
        r = post_section(
            client,
            URL,
            {
                "action": "contribution",
                "gift-fund": fund.pk,
                "gift-unit": seeded.units[slug].pk,
                "gift-donor_name": "",
                "gift-amount": amount,
                "gift-given_on": "15/04/2024",
            },
        )
        assert r.redirect_chain[0][1] == 302
    support = {
        "action": "support",
        "support-fund": fund.pk,
        "support-full_name": "Lò Văn Minh",
        "support-rank": "Thiếu tá",
        "support-position": "Trạm trưởng",
        "support-unit": seeded.units["dien-bien"].pk,
        "support-place": "Mường Nhé",
        "support-circumstance": "hardship",
        "support-story": "",
        "support-kind": "house",
        "support-amount": "250.000.000",
        "support-house_total_cost": "300.000.000",
        "support-other_funding": "50.000.000",
        "support-non_member_reason": "",
    }
    r = post_section(client, URL, support)
    assert "chỉ còn 200.000.000 ₫, không thể chi 250.000.000 ₫" in r.content.decode()
    assert not Beneficiary.objects.filter(full_name="Lò Văn Minh").exists()  # nothing half-written
    r = post_section(client, URL, {**support, "support-amount": "200.000.000"})
    assert r.redirect_chain[0][1] == 302
    house = Support.objects.get(beneficiary__full_name="Lò Văn Minh")
    r = post_section(
        client,
        URL,
        {
            "action": "milestone",
            "support": house.pk,
            "milestone": "handed_over",
            "on": "20/11/2024",
        },
    )
    assert r.redirect_chain[0][1] == 302
    html = client.get("/clusters/cum-2/2024/").content.decode()
    assert (
        "200.000.000 ₫ (200 triệu đồng)" in html and "Đã khánh thành, bàn giao 20/11/2024" in html
    )
    assert "66,7% của 300.000.000 ₫" in html
    post_section(client, URL, {"action": "fund_close", "fund": fund.pk})
    r = post_section(
        client,
        URL,
        {
            "action": "contribution",
            "gift-fund": fund.pk,
            "gift-unit": seeded.units["son-la"].pk,
            "gift-donor_name": "",
            "gift-amount": "1.000",
            "gift-given_on": "15/12/2024",
        },
    )
    assert r.context["contribution_form"].errors["fund"]  # a closed fund is no longer offered
    assert Contribution.objects.filter(fund=fund).count() == 2


@pytest.mark.parametrize(
    "amount,message",
    [
        ("-5", "Giá trị phải lớn hơn hoặc bằng 1."),
        ("abc", "Nhập một số nguyên."),
        ("1.000.000.000.001", "Số tiền quá lớn: tối đa 1.000.000.000.000 ₫."),
        ("", "Trường này là bắt buộc."),
    ],
)
def test_bad_amounts_are_explained(client, seeded, secretary, amount, message):
    client.force_login(secretary)
    fund = services.fund_open(cluster_year=seeded.years[2024], title="Quỹ", by=secretary)
    r = post_section(
        client,
        URL,
        {
            "action": "contribution",
            "gift-fund": fund.pk,
            "gift-unit": seeded.units["son-la"].pk,
            "gift-donor_name": "",
            "gift-amount": amount,
            "gift-given_on": "15/04/2024",
        },
    )
    assert r.context["contribution_form"].errors["amount"] == [message]
    assert not Contribution.objects.filter(fund=fund).exists()


def test_year_page_queries_do_not_grow_with_funds(
    client, seeded, admin_user, django_assert_num_queries
):
    year = seeded.years[2024]
    for i in range(5):
        fund = services.fund_open(cluster_year=year, title=f"Quỹ {i}", by=admin_user)
        for unit in year.members.all():
            services.contribution_add(
                fund=fund, unit=unit, amount=1_000_000 + i, given_on=None, by=admin_user
            )
        b = Beneficiary.objects.create(full_name=f"Cán bộ {i}", unit=UnitFactory())
        services.support_save(
            support=Support(
                fund=fund, beneficiary=b, amount=500_000, non_member_reason="Biệt phái"
            ),
            by=admin_user,
        )
    cluster_services.cluster_year_publish(by=COMMAND_LINE, cluster_year=year)
    with django_assert_num_queries(12):
        response = client.get("/clusters/cum-2/2024/")
    assert len(response.context["funds"]) == 5 and len(response.context["supports"]) == 5
