import re

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from accounts.access import can
from awards import selectors as award_selectors
from clusters import selectors
from clusters.models import Cluster, Unit
from reports import selectors as report_selectors
from reports.models import UnitReport
from welfare import selectors as welfare_selectors

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _number_in_slug(slug: str) -> int | None:
    """ "cum2", "cum-ii", "2" or "cum-thi-dua-so-ii" -> 2; None when nothing reads as a number."""
    match = re.search(r"(?:^|-|cum)(\d+|[ivxl]+)$", slug.lower())
    if not match:
        return None
    token = match.group(1)
    if token.isdigit():
        return int(token)
    values = [ROMAN[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@require_safe
def home(request):
    clusters = list(selectors.clusters_overview())
    for cluster in clusters:
        cluster.latest_year = cluster.years_desc[0] if cluster.years_desc else None
        cluster.latest_published = next((cy for cy in cluster.years_desc if cy.is_published), None)
    return render(request, "clusters/home.html", {"clusters": clusters})


@require_safe
def cluster_detail(request, slug):
    try:
        cluster = selectors.cluster_with_years(slug)
    except Cluster.DoesNotExist:
        # People type the cluster's number ("cum2", "cum-ii"): send them to the real address.
        number = _number_in_slug(slug)
        canonical = Cluster.objects.filter(number=number).first() if number else None
        if canonical is None:
            raise Http404 from None
        return redirect(canonical, permanent=True)
    years = cluster.years_desc
    for cy in years:
        cy.roster = sorted(
            (m.unit for m in cy.memberships.all()), key=selectors.vietnamese_sort_key
        )
    context = {
        "cluster": cluster,
        "years": years,
        "suggestion": selectors.suggest_next_chair(years),
    }
    return render(request, "clusters/cluster_detail.html", context)


@require_safe
def unit_detail(request, slug):
    try:
        unit = selectors.unit_history(slug)
    except Unit.DoesNotExist:
        raise Http404 from None
    reports = [
        report
        for report in report_selectors.reports_of_unit(unit)
        if can(request.user, "reports.view_published_unitreport", report)
    ]
    nominations, collective, individual = award_selectors.unit_awards(unit)
    # A proposal is public once its year is; before that, for those who may see the unit's report.
    nominations = [
        n
        for n in nominations
        if can(
            request.user,
            "reports.view_published_unitreport",
            UnitReport(unit=unit, cluster_year=n.cluster_year),
        )
    ]
    given, received = welfare_selectors.unit_welfare(unit)
    context = {
        "unit": unit,
        "reports": reports,
        "contributions_given": given,
        "supports_received": received,
        "nominations": nominations,
        "collective_commendations": collective,
        "individual_commendations": individual,
    }
    return render(request, "clusters/unit_detail.html", context)
