"""Reads that join several apps, for the pages that compose them."""

from django.db.models import Sum

from reports.models import UnitReport


def reported_commendations(*, visible, year=None, cluster=None):
    """Commendations as counted in the units' yearly reports, by year (1 aggregate query): the
    figure the articles publish, even where the individual records were never imported."""
    queryset = UnitReport.objects.filter(cluster_year__in=visible)
    if year:
        queryset = queryset.filter(cluster_year__year=year)
    if cluster:
        queryset = queryset.filter(cluster_year__cluster=cluster)
    return list(
        queryset.values("cluster_year__year")
        .annotate(
            collectives=Sum("commended_collectives"), individuals=Sum("commended_individuals")
        )
        .order_by("-cluster_year__year")
    )
