import pytest
from django.urls import reverse

from awards.models import AwardKind, AwardRule, Commendation, Nomination
from tests.factories import CommendationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,rows",
    [
        ("admin:awards_awardkind_changelist", 8),
        ("admin:awards_nomination_changelist", 4),
        ("admin:awards_commendation_changelist", 50),  # a page of 3,000
        ("admin:awards_awardquota_changelist", 0),
    ],
)
def test_changelists(admin_client, seeded, name, rows, django_assert_max_num_queries):
    units = list(seeded.years[2023].members.all())
    Commendation.objects.bulk_create(
        CommendationFactory.build(unit=units[i % 7]) for i in range(3000)
    )
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_commendation_changelist_skips_the_full_count(admin_client, seeded):
    response = admin_client.get(reverse("admin:awards_commendation_changelist"))
    assert response.context["cl"].show_full_result_count is False


def test_rules_are_edited_as_rows_of_their_kind(admin_client, seeded):
    kind = AwardKind.objects.get(code="co-chinh-phu")
    response = admin_client.get(reverse("admin:awards_awardkind_change", args=[kind.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nghị định 98/2023/NĐ-CP, Điều 30" in html and "Nghị định 152/2025/NĐ-CP" in html
    assert AwardRule.objects.filter(award_kind=kind).count() == 2


def test_nominations_are_not_added_in_the_admin_and_keep_their_vote(admin_client, seeded):
    assert admin_client.get(reverse("admin:awards_nomination_add")).status_code == 403
    nomination = Nomination.objects.get(award_kind__code="co-chinh-phu")
    response = admin_client.get(reverse("admin:awards_nomination_change", args=[nomination.pk]))
    # Its year is published: nothing of it changes until the admin reopens the year.
    assert nomination.cluster_year.is_published
    assert set(response.context["adminform"].form.fields) == set()
