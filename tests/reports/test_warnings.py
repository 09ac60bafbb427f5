"""Plausibility warnings on the units' figures (reports/warnings.py): never blocking, always
explained, read from the rules the admin keeps (core.WarningRule)."""

from decimal import Decimal

import pytest

from core.models import WarningRule
from reports import warnings
from reports.models import UnitReport
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    MembershipFactory,
    UnitFactory,
    UnitReportFactory,
)

pytestmark = pytest.mark.django_db

PLAUSIBLE = {
    "crimes_recorded": 100,
    "crimes_solved": 92,
    "serious_recorded": 10,
    "serious_solved": 10,
    "drug_cases": 50,
    "drug_offenders": 70,
    "commended_collectives": 30,
    "commended_individuals": 110,
    "citizen_tips": 200,
}


@pytest.fixture
def unit():
    return UnitFactory(short_name="tỉnh Sơn La", name="Công an tỉnh Sơn La", slug="son-la-w")


def report(unit, year=2024, **figures):
    return UnitReport(
        unit=unit, cluster_year=ClusterYearFactory.build(year=year), **{**PLAUSIBLE, **figures}
    )


def found(found_warnings):
    return {(w.figure, w.rule) for w in found_warnings}


def test_a_plausible_report_raises_nothing(unit):
    assert warnings.for_report(report(unit), report(unit, 2023)) == []
    assert warnings.for_report(report(unit)) == []


def test_a_count_more_than_doubled_is_flagged_with_both_values(unit):
    (warning,) = warnings.for_report(
        report(unit, drug_cases=4213), report(unit, 2023, drug_cases=1200)
    )
    assert warning.rule == "count_change" and warning.figure == "ma túy: số vụ bắt giữ"
    assert (warning.subject, warning.value, warning.previous) == ("Công an tỉnh Sơn La", 4213, 1200)
    # the value is in the key: a tick given to one figure does not accept another written later
    assert warning.key == f"reports:unit-{unit.pk}:drug_cases:count_change:{warning.value}"
    assert warning.reason == (
        "Công an tỉnh Sơn La: ma túy: số vụ bắt giữ năm nay là 4.213, năm trước 1.200 – "
        "tăng gấp 3,5 lần, quá ngưỡng 2 lần. Hãy kiểm tra lại số liệu."
    )


def test_a_count_fallen_below_half_is_flagged_too(unit):
    (warning,) = warnings.for_report(
        report(unit, citizen_tips=99), report(unit, 2023, citizen_tips=200)
    )
    assert warning.rule == "count_change" and (warning.value, warning.previous) == (99, 200)
    assert "năm nay là 99, năm trước 200 – giảm còn chưa bằng 1/2. " in warning.reason


@pytest.mark.parametrize(
    "now,before,flagged",
    [
        (200, 100, False),  # exactly the factor: not more than it
        (201, 100, True),
        (50, 100, False),
        (49, 100, True),
        (19, 3, False),  # small counts swing by chance: the larger of the two is under 20
        (20, 3, True),
        (0, 19, False),
        (0, 20, True),
        (25, 0, True),  # from nothing to 25
        (0, 0, False),
    ],
)
def test_where_a_change_starts_to_count(unit, now, before, flagged):
    result = warnings.for_report(
        report(unit, commended_collectives=now), report(unit, 2023, commended_collectives=before)
    )
    assert (("lượt tập thể được khen thưởng", "count_change") in found(result)) is flagged


def test_low_clearance_rates(unit):
    result = warnings.for_report(
        report(unit, crimes_solved=49, serious_recorded=10, serious_solved=6),
        report(unit, 2023),
    )
    by_rule = {w.rule: w for w in result}
    assert set(by_rule) == {"clearance_rate", "serious_clearance_rate"}
    low = by_rule["clearance_rate"]
    assert (low.value, low.previous) == (Decimal("49.0"), Decimal("92.0"))
    assert low.reason == (
        "Công an tỉnh Sơn La: tỷ lệ điều tra, khám phá tội phạm về TTXH là 49,0% "
        "(49/100 vụ), năm trước 92,0%, dưới mức 50%. Hãy kiểm tra lại số liệu."
    )
    serious = by_rule["serious_clearance_rate"]
    assert serious.value == Decimal("60.0")
    assert "là 60,0% (6/10 vụ), năm trước 100,0%, dưới mức 70%." in serious.reason
    # at the threshold is not under it
    assert warnings.for_report(report(unit, crimes_solved=50, serious_solved=7)) == []


def test_nothing_solved_is_said_once_not_also_as_a_low_rate(unit):
    result = warnings.for_report(report(unit, crimes_solved=0, serious_solved=0))
    assert found(result) == {
        ("số vụ điều tra, khám phá", "zero_solved"),
        ("án nghiêm trọng và đặc biệt nghiêm trọng khám phá", "zero_solved"),
    }
    assert result[0].key == f"reports:unit-{unit.pk}:crimes_solved:zero_solved:0"
    assert (result[0].value, result[0].previous) == (0, None)
    assert result[0].reason == (
        "Công an tỉnh Sơn La: có 100 vụ phạm tội về TTXH xảy ra nhưng không khám phá vụ nào. "
        "Hãy kiểm tra lại số liệu."
    )
    (with_last_year,) = [
        w
        for w in warnings.for_report(
            report(unit, crimes_solved=0), report(unit, 2023, crimes_solved=100)
        )
        if w.rule == "zero_solved"
    ]
    assert with_last_year.previous == 100
    assert "nhưng không khám phá vụ nào (năm trước khám phá 100/100 vụ). " in with_last_year.reason
    # without the zero rule, the rate rules still see it
    set_rule("zero_solved", active=False)
    assert {w.rule for w in warnings.for_report(report(unit, crimes_solved=0))} == {
        "clearance_rate"
    }


def test_no_crimes_no_rate_to_judge(unit):
    assert (
        warnings.for_report(
            report(unit, crimes_recorded=0, crimes_solved=0, serious_recorded=0, serious_solved=0)
        )
        == []
    )


def test_the_admins_thresholds_and_switches_are_read(unit):
    now, before = report(unit, drug_cases=250, crimes_solved=55), report(unit, 2023)
    assert {w.rule for w in warnings.for_report(now, before)} == {"count_change"}
    # saved as the admin saves them: the rules in force are kept between requests (core.cache)
    # and a saved row moves the cache on
    set_rule("count_change", threshold=Decimal("6"))
    set_rule("clearance_rate", threshold=Decimal("60"))
    assert {w.rule for w in warnings.for_report(now, before)} == {"clearance_rate"}
    for rule in WarningRule.objects.all():
        set_rule(rule.code, active=False)
    assert warnings.for_report(now, before) == []


def set_rule(code, **fields):
    rule = WarningRule.objects.get(code=code)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()


def test_a_rule_left_without_threshold_checks_nothing(unit):
    set_rule("clearance_rate", threshold=None)
    assert warnings.for_report(report(unit, crimes_solved=10)) == []


@pytest.fixture
def two_years():
    """A cluster with 12 units in 2023 and 2024; three of them with something to flag."""
    cluster = ClusterFactory(number=42)
    before = ClusterYearFactory(cluster=cluster, year=2023)
    now = ClusterYearFactory(cluster=cluster, year=2024)
    units = [UnitFactory() for _ in range(12)]
    for unit in units:
        for cluster_year in (before, now):
            MembershipFactory(cluster_year=cluster_year, unit=unit)
        UnitReportFactory(cluster_year=before, unit=unit)
    odd = {0: {"drug_cases": 500}, 1: {"crimes_solved": 10}, 2: {"serious_solved": 0}}
    for index, unit in enumerate(units[:-1]):  # the last one has not reported
        UnitReportFactory(cluster_year=now, unit=unit, **odd.get(index, {}))
    return now, units


def test_a_whole_year_in_two_queries(two_years, django_assert_num_queries):
    cluster_year, units = two_years
    with django_assert_num_queries(2):  # the rules; this year's reports with last year's
        result = warnings.for_cluster_year(cluster_year)
    assert [(w.subject, w.rule) for w in result] == [
        (units[0].name, "count_change"),
        (units[1].name, "count_change"),  # 10 solved after 92
        (units[1].name, "clearance_rate"),
        (units[2].name, "zero_solved"),
    ]
    assert result[0].previous == 5 and result[0].value == 500


def test_keys_are_stable_and_unique(two_years):
    cluster_year, _units = two_years
    first = [w.key for w in warnings.for_cluster_year(cluster_year)]
    assert first == [w.key for w in warnings.for_cluster_year(cluster_year)]
    assert len(set(first)) == len(first)


def test_last_year_is_the_units_own_report_in_any_cluster(two_years):
    """A unit that came from another cluster is compared with its own report there."""
    cluster_year, units = two_years
    elsewhere = ClusterYearFactory(cluster=ClusterFactory(number=43), year=2023)
    newcomer = UnitFactory()
    MembershipFactory(cluster_year=elsewhere, unit=newcomer)
    MembershipFactory(cluster_year=cluster_year, unit=newcomer)
    UnitReportFactory(cluster_year=elsewhere, unit=newcomer, citizen_tips=1000)
    UnitReportFactory(cluster_year=cluster_year, unit=newcomer)
    result = [w for w in warnings.for_cluster_year(cluster_year) if w.subject == newcomer.name]
    assert [(w.figure, w.value, w.previous) for w in result] == [
        ("thông tin tiếp nhận qua Diễn đàn", 20, 1000)
    ]
