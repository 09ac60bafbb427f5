from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import rates as stats
from reports.models import UnitReport
from tests.factories import ClusterYearFactory, UnitReportFactory

pytestmark = pytest.mark.django_db

VALID = {
    "crimes_recorded": 10,
    "crimes_solved": 9,
    "serious_recorded": 2,
    "serious_solved": 2,
    "drug_cases": 3,
    "drug_offenders": 4,
    "commended_collectives": 1,
    "commended_individuals": 5,
    "citizen_tips": 7,
}


def refused_by_database(**values):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitReport.objects.create(**values)


def test_the_database_itself_refuses_solved_above_recorded(cluster_ii):
    base = {"cluster_year": cluster_ii.years[2024], "unit": cluster_ii.units["lai-chau"]}
    refused_by_database(**base, **{**VALID, "crimes_solved": 11})
    refused_by_database(**base, **{**VALID, "serious_solved": 3})
    refused_by_database(**base, **{**VALID, "drug_cases": -1})
    UnitReport.objects.create(**base, **VALID)
    refused_by_database(**base, **VALID)  # one report per unit and year


def test_model_validation_names_the_field(cluster_ii):
    report = UnitReport(
        cluster_year=cluster_ii.years[2024],
        unit=cluster_ii.units["lai-chau"],
        **{**VALID, "crimes_recorded": 4213, "crimes_solved": 4214},
    )
    with pytest.raises(ValidationError) as excinfo:
        report.full_clean()
    assert excinfo.value.message_dict == {
        "crimes_solved": ["Không thể lớn hơn số vụ tội phạm về TTXH xảy ra (4.213)."]
    }


@pytest.mark.parametrize(
    "part,whole,expected",
    [
        (9, 10, Decimal("90.0")),
        (1810, 1955, Decimal("92.6")),
        (2, 3, Decimal("66.7")),
        (1, 8, Decimal("12.5")),
        (0, 5, Decimal("0.0")),
        (0, 0, None),
        (5, None, None),
        (None, 5, None),
    ],
)
def test_rate(part, whole, expected):
    assert stats.rate(part, whole) == expected


def test_change_down_up_same_and_missing():
    down = stats.change(1955, 2087)
    assert (down.direction, str(down.label), down.percent, down.difference) == (
        "down",
        "giảm",
        Decimal("6.3"),
        132,
    )
    up = stats.change(110, 100)
    assert (up.direction, str(up.label), up.percent) == ("up", "tăng", Decimal("10.0"))
    same = stats.change(7, 7)
    assert (same.direction, same.percent) == ("same", Decimal("0.0"))
    assert stats.change(5, None) is None  # no previous-year report
    assert stats.change(5, 0) is None  # nothing to compare with
    assert stats.change(None, 5) is None


def test_report_properties_use_the_previous_year(seeded):
    # the seeds tell no 2022: a 2022 year and report for the comparison
    UnitReportFactory(
        cluster_year=ClusterYearFactory(cluster=seeded.cluster, year=2022),
        unit=seeded.units["lai-chau"],
        crimes_recorded=228,
        crimes_solved=209,
    )
    report = (
        UnitReport.objects.with_previous_year()
        .select_related("cluster_year")
        .get(unit__slug="lai-chau", cluster_year__year=2023)
    )
    assert report.previous_crimes_recorded == 228
    assert report.clearance_rate == Decimal("93.3")
    assert (
        report.crimes_change.percent == Decimal("7.9") and report.crimes_change.direction == "down"
    )
    first = UnitReport.objects.with_previous_year().get(
        unit__slug="lai-chau", cluster_year__year=2022
    )
    assert first.previous_crimes_recorded is None and first.crimes_change is None
