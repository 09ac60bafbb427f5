import pytest

from awards.models import AwardKind, Commendation, Nomination
from tests.awards.test_discipline_and_share import leaders_in
from tests.sections import post_section

pytestmark = pytest.mark.django_db

URL = "/clusters/cum-2/2024/edit/"


def nominate(client, seeded, **overrides):
    data = {
        "action": "nominate",
        "award_kind": AwardKind.objects.get(code="co-bo-cong-an").pk,
        "unit": seeded.units["son-la"].pk,
        "votes_for": "5",
        "council_size": "7",
        "person_name": "",
        "person_rank": "",
        "person_position": "",
        "rank_order": "",
        "achievements": "",
        **overrides,
    }
    return post_section(client, URL, data)


def test_a_vote_below_the_threshold_is_refused_on_the_page(client, seeded, secretary):
    client.force_login(secretary)
    response = nominate(client, seeded)
    assert response.status_code == 200
    html = response.content.decode()
    assert "mới đạt 5/7 phiếu (71,4%)" in html and "Nghị định 98/2023/NĐ-CP, Điều 30" in html
    assert not Nomination.objects.filter(cluster_year__year=2024).exists()
    assert 'name="override_reason"' not in html  # only the admin may override


def test_leader_then_government_flag_then_decision(client, seeded, secretary):
    # the Government flag goes to at most 20% of the clusters' leading units nationally
    # (tests/awards/test_discipline_and_share.py): four more clusters lead in 2024
    leaders_in(4)
    client.force_login(secretary)
    response = post_section(
        client,
        URL,
        {"action": "leader", "leading_unit": seeded.units["lang-son"].pk, "ministry_quota": "4"},
    )
    assert response.redirect_chain[0][1] == 302
    response = nominate(
        client,
        seeded,
        award_kind=AwardKind.objects.get(code="co-chinh-phu").pk,
        unit=seeded.units["lang-son"].pk,
        votes_for="7",
        council_size="7",
    )
    assert response.redirect_chain[0][1] == 302
    nomination = Nomination.objects.get(cluster_year__year=2024)
    post_section(client, URL, {"action": "submit", "nomination": nomination.pk})
    response = post_section(
        client,
        URL,
        {
            "action": "decide",
            "nomination": nomination.pk,
            "approved": "1",
            "decision_number": "",
            "decision_date": "",
            "decision_issuer": "",
        },
    )
    assert "Khen thưởng được duyệt cần số và ngày của quyết định." in response.content.decode()
    post_section(
        client,
        URL,
        {
            "action": "decide",
            "nomination": nomination.pk,
            "approved": "1",
            "decision_number": "99/QĐ-TTg",
            "decision_date": "15/01/2025",
            "decision_issuer": "Thủ tướng Chính phủ",
        },
    )
    commendation = Commendation.objects.get(nomination=nomination)
    assert commendation.decision_date.isoformat() == "2025-01-15"
    html = client.get("/clusters/cum-2/2024/").content.decode()
    assert "99/QĐ-TTg, 15/01/2025" in html and "Được khen thưởng" in html


def test_the_admin_overrides_with_a_reason_and_it_shows(client, seeded, admin_user):
    client.force_login(admin_user)
    response = nominate(client, seeded, override_reason="Cục X01 đồng ý bổ sung")
    assert response.redirect_chain[0][1] == 302
    html = client.get("/clusters/cum-2/2024/").content.decode()
    assert "Vượt quy định, quantri cho phép: Cục X01 đồng ý bổ sung" in html
    assert "vượt quy định: Cục X01 đồng ý bổ sung" in client.get("/units/son-la/").content.decode()
    summary = client.get("/awards/", {"year": 2024}).content.decode()
    assert "vượt quy định: Cục X01 đồng ý bổ sung" in summary


def test_votes_above_the_council_are_explained(client, seeded, secretary):
    client.force_login(secretary)
    response = nominate(client, seeded, votes_for="9")
    assert response.context["nomination_form"].errors["votes_for"] == [
        "Số phiếu đồng ý không thể lớn hơn số thành viên hội đồng."
    ]
