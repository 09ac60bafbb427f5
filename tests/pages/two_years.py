"""One cluster's units in 2023 and 2024 with the crimes each reported, or None for no report: the
arithmetic of the tests of totals and comparisons (like with like), counted by hand there."""

from clusters.models import ClusterYear
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    MembershipFactory,
    UnitFactory,
    UnitReportFactory,
)


def build(crimes, *, number=61, suffix="", status_2024="published", leaders=None):
    """`crimes`: {letter: ((recorded, solved) or None for 2023, the same for 2024)}; every unit
    is a member both years; `leaders`: {year: letter} of the cluster's leading units. Units are
    "Tỉnh <letter><suffix>"; returns (cluster, {year: ClusterYear}, {letter: Unit})."""
    cluster = ClusterFactory(number=number, slug=f"cum-{number}")
    years = {
        2023: ClusterYearFactory(cluster=cluster, year=2023, status="published"),
        2024: ClusterYearFactory(cluster=cluster, year=2024, status=status_2024),
    }
    units = {}
    for letter, figures in crimes.items():
        units[letter] = unit = UnitFactory(
            short_name=f"Tỉnh {letter}{suffix}",
            name=f"Công an tỉnh {letter}{suffix}",
            slug=f"{letter.lower()}-{number}" if suffix else letter,
        )
        for year, figure in zip((2023, 2024), figures, strict=True):
            MembershipFactory(cluster_year=years[year], unit=unit)
            if figure is not None:
                recorded, solved = figure
                UnitReportFactory(
                    cluster_year=years[year],
                    unit=unit,
                    crimes_recorded=recorded,
                    crimes_solved=solved,
                    drug_cases=recorded // 10,
                )
    for year, letter in (leaders or {}).items():
        ClusterYear.objects.filter(pk=years[year].pk).update(leading_unit=units[letter])
    return cluster, years, units
