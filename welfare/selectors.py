"""Reads for the year and unit pages: sums in the database, a fixed number of queries."""

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from clusters.bundle import YearBundle
from clusters.models import unit_ordering
from welfare.models import Contribution, Fund, Support, donor_label


def _sum_of(model, field="amount"):
    rows = (
        model.objects.filter(fund=OuterRef("pk"))
        .values("fund")
        .annotate(total=Sum(field))
        .values("total")
    )
    # Two Sums over two joins would multiply each other; one subquery each does not.
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def funds_of(cluster_year) -> list[Fund]:
    """The year's funds with collected, paid out and balance (1 query)."""
    funds = list(
        Fund.objects.filter(cluster_year=cluster_year)
        .annotate(collected=_sum_of(Contribution), paid_out=_sum_of(Support))
        .order_by("id")
    )
    for fund in funds:
        fund.balance = fund.collected - fund.paid_out
    return funds


def contributions_by_donor(cluster_year) -> list[dict]:
    """[{fund_id, unit__short_name, donor_name, total}] (1 query)."""
    return list(
        Contribution.objects.filter(fund__cluster_year=cluster_year)
        .values("fund_id", "unit__short_name", "unit__slug", "donor_name")
        .annotate(total=Sum("amount"))
        .order_by("fund_id", "-total", unit_ordering("unit__"), "donor_name")
    )


def contributions_of(cluster_year) -> list[Contribution]:
    """Every contribution of the year, one by one, for the edit page's list (1 query)."""
    return list(
        Contribution.objects.filter(fund__cluster_year=cluster_year)
        .select_related("fund", "unit")
        .order_by("fund_id", "given_on", "id")
    )


def supports_of(cluster_year, funds=()) -> list[Support]:
    """The year's supports; funds given are marked when one of their supports has no known
    amount, so that a sum is never shown as if it were complete."""
    supports = list(
        Support.objects.filter(fund__cluster_year=cluster_year)
        .select_related("beneficiary__unit", "fund")
        .order_by("fund_id", "id")
    )
    unknown = {s.fund_id for s in supports if s.amount is None}
    for fund in funds:
        fund.has_unknown_amounts = fund.pk in unknown
    return supports


def year_funds(bundle: YearBundle) -> list[Fund]:
    """The year's funds with their sums and balance (funds_of), marked when one of their
    supports has no known amount; read once a request with the contributions and supports."""
    return _books(bundle)[0]


def year_contributions(bundle: YearBundle) -> list[Contribution]:
    """Every contribution of the year with fund and unit (contributions_of), once a request."""
    return _books(bundle)[1]


def year_supports(bundle: YearBundle) -> list[Support]:
    """Every support of the year with beneficiary, unit and fund (supports_of), once a request."""
    return _books(bundle)[2]


def _books(bundle: YearBundle):
    def read():
        cluster_year = bundle.cluster_year
        funds = funds_of(cluster_year)
        for fund in funds:
            fund.cluster_year = cluster_year  # a fund's label names its year: no query each
        return funds, contributions_of(cluster_year), supports_of(cluster_year, funds)

    return bundle.once("welfare:books", read)


def unit_welfare(unit, visible):
    """What a unit gave, fund by fund (a donor's gift it passed on apart, with the donor's
    `donor` label), and what its officers received (2 queries), in the years `visible`
    (clusters.selectors.visible_years) only: an open year's money is not public."""
    given = list(
        Contribution.objects.filter(unit=unit, fund__cluster_year__in=visible)
        .values(
            "fund__title",
            "fund__cluster_year__year",
            "fund__cluster_year__cluster__slug",
            "donor_name",
        )
        .annotate(total=Sum("amount"))
        .order_by("-fund__cluster_year__year", "fund__title", "donor_name")
    )
    for row in given:
        row["donor"] = donor_label(unit.name, row["donor_name"]) if row["donor_name"] else ""
    received = list(
        Support.objects.filter(beneficiary__unit=unit, fund__cluster_year__in=visible)
        .select_related("beneficiary", "fund__cluster_year__cluster")
        .order_by("-fund__cluster_year__year", "id")
    )
    return given, received
