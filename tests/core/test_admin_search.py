"""The admin's search ignores accents and letter case, on SQLite and PostgreSQL alike: "lai chau"
finds "Công an tỉnh Lai Châu", "DIEN BIEN" finds "Điện Biên", "vu a di" finds "Vừ A Di"."""

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from awards.models import AwardKind, Nomination
from clusters.models import Unit
from core.search import Unaccent, fold, folded
from tests.factories import CommendationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def found(client, model: str, term: str) -> list[str]:
    response = client.get(reverse(f"admin:{model.replace('.', '_')}_changelist"), {"q": term})
    assert response.status_code == 200
    return [str(obj) for obj in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Công an tỉnh Lai Châu", "cong an tinh lai chau"),
        ("ĐIỆN BIÊN", "dien bien"),
        ("Điện Biên", "dien bien"),
        ("Vừ A Di", "vu a di"),
        ("Nguyễn Thị Ánh Tuyết", "nguyen thi anh tuyet"),
        ("Lào Cai", "lao cai"),
    ],
)
def test_fold_strips_marks_and_case(text, expected):
    assert fold(text) == expected


def test_the_database_folds_as_python_does():
    UnitFactory()
    for name in ["Công an tỉnh Điện Biên", "ĐẮK LẮK", "Vừ A Di", "Hà Giang", "Nguyễn Ánh Tuyết"]:
        value = Unit.objects.annotate(f=folded(Value(name))).values_list("f", flat=True)[0]
        assert value == fold(name), (connection.vendor, name)
    unaccented = Unit.objects.annotate(u=Unaccent(Value("Điện"))).values_list("u", flat=True)[0]
    assert unaccented.lower() == "dien"


def test_lower_knows_vietnamese_letters_on_both_databases():
    UnitFactory()
    value = Unit.objects.annotate(lo=Lower(Value("ĐIỆN BIÊN"))).values_list("lo", flat=True)[0]
    assert value == "điện biên"


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("lai chau", "Công an tỉnh Lai Châu"),
        ("LAI CHÂU", "Công an tỉnh Lai Châu"),
        ("DIEN BIEN", "Công an tỉnh Điện Biên"),
        ("điện biên", "Công an tỉnh Điện Biên"),
        ('"tinh son la"', "Công an tỉnh Sơn La"),
    ],
)
def test_units_are_found_without_accents(admin_client, cluster_ii, term, expected):
    assert found(admin_client, "clusters.unit", term) == [expected]


def test_a_term_that_matches_nothing_finds_nothing(admin_client, cluster_ii):
    assert found(admin_client, "clusters.unit", "lai chau son") == []
    # LIKE's wildcards in a term are letters, not wildcards
    assert found(admin_client, "clusters.unit", "lai%chau") == []
    assert found(admin_client, "clusters.unit", "l_i") == []


def test_beneficiaries_are_found_by_name(admin_client, seeded):
    for term in ("vu a di", "VU A DI", "Vừ a di"):
        names = found(admin_client, "welfare.beneficiary", term)
        assert len(names) == 1 and names[0].endswith("Vừ A Di"), (term, names)


def test_commendations_are_found_by_person_name(admin_client, cluster_ii):
    lai_chau = cluster_ii.units["lai-chau"]
    CommendationFactory(person_name="Nguyễn Thị Ánh Tuyết", unit=lai_chau)
    CommendationFactory(person_name="Nguyễn Văn An", unit=lai_chau)
    names = found(admin_client, "awards.commendation", "nguyen thi anh")
    assert len(names) == 1 and "Nguyễn Thị Ánh Tuyết" in names[0]
    assert len(found(admin_client, "awards.commendation", "NGUYEN")) == 2


def test_nominations_are_found_by_person_name(admin_client, cluster_ii):
    Nomination.objects.create(
        cluster_year=cluster_ii.years[2024],
        award_kind=AwardKind.objects.get(code="chien-si-thi-dua-co-so"),
        unit=cluster_ii.units["dien-bien"],
        person_name="Lò Văn Đức",
        person_rank="Thiếu tá",
    )
    names = found(admin_client, "awards.nomination", "lo van duc")
    assert len(names) == 1 and "Lò Văn Đức" in names[0]
    assert found(admin_client, "awards.nomination", "lo van dung") == []


def test_users_are_found_by_name(admin_client, db):
    UserFactory(username="canbo.x", first_name="Đặng Thị", last_name="Hà", role=Role.LEADERSHIP)
    UserFactory(username="canbo.y", first_name="Lê", last_name="Văn Hải", role=Role.LEADERSHIP)
    assert found(admin_client, "accounts.user", "dang thi ha") == ["Đặng Thị Hà"]
    assert found(admin_client, "accounts.user", "HAI") == ["Lê Văn Hải"]


def test_autocomplete_folds_too(admin_client, cluster_ii):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "dien bien",
            "app_label": "awards",
            "model_name": "commendation",
            "field_name": "unit",
        },
    )
    assert response.status_code == 200, response.content[:300]
    assert [r["text"] for r in response.json()["results"]] == ["Công an tỉnh Điện Biên"]


def _changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"q": "nguyen thi"}).status_code == 200
    return len(queries)


def test_a_searched_changelist_costs_the_same_whatever_the_rows(admin_client, cluster_ii):
    url = reverse("admin:awards_commendation_changelist")
    units = list(cluster_ii.units.values())
    for n in range(3):
        CommendationFactory(person_name=f"Nguyễn Thị {n}", unit=units[n % len(units)])
    few = _changelist_queries(admin_client, url)
    for n in range(60):
        CommendationFactory(person_name=f"Nguyễn Thị Bé {n}", unit=units[n % len(units)])
    assert _changelist_queries(admin_client, url) == few
