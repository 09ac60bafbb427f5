"""/awards/: every award kind on one summary, for leadership, the secretariats and the admin.

By year and kind: the clusters' nominations (collectives, individuals) and what was decided,
beside the commendations recorded. By year and cluster: the flags proposed and received, the
commendations recorded and as the units reported them, the unit that led the cluster and its
clearance rate. Flags and commendations over the years as charts with their tables; the flag
matrix (units × years); the listing of every commendation; all of it in one XLSX."""

from collections import defaultdict

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import can
from awards import selectors as award_selectors
from awards.models import AwardKind, Level, Nomination
from clusters import selectors as cluster_selectors
from clusters.models import Cluster, ClusterYear, DataStatus, Unit
from clusters.selectors import vietnamese_sort_key
from core.cache import generation
from core.charts import Chart, Series
from core.spreadsheets import xlsx_response
from pages import selectors as page_selectors
from reports.models import UnitReport

FLAG_LEVELS = (Level.GOVERNMENT, Level.MINISTRY)


class SummaryFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Năm"), required=False, coerce=int, empty_value=None
    )
    # any year of the emulation's range, not only those with data: "since 2019"
    year_from = forms.IntegerField(
        label=gettext_lazy("Từ năm"), required=False, min_value=1990, max_value=2100
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("Đến năm"), required=False, min_value=1990, max_value=2100
    )
    cluster = forms.ModelChoiceField(
        label=gettext_lazy("Cụm thi đua"),
        queryset=Cluster.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Tất cả các cụm"),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị"),
        queryset=Unit.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Tất cả các đơn vị"),
    )
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Hình thức"),
        queryset=AwardKind.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("Tất cả các hình thức"),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(y, str(y)) for y in years]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            data["year_from"], data["year_to"] = end, start
        return data

    def narrowing(self) -> dict:
        """The filters as the selectors take them (nothing for an invalid form)."""
        names = ("year", "year_from", "year_to", "cluster", "unit", "kind")
        if not self.is_valid():
            return dict.fromkeys(names)
        return {name: self.cleaned_data.get(name) for name in names}


@require_safe
def awards_summary(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "awards.view_summary"):
        raise PermissionDenied
    visible = cluster_selectors.visible_years(request.user)
    years = sorted(
        ClusterYear.objects.order_by()
        .values_list("year", flat=True)
        .union(award_selectors.tallied_years()),
        reverse=True,
    )
    filters = SummaryFilter(request.GET or None, years=years)
    narrowing = filters.narrowing()
    year, cluster = narrowing["year"], narrowing["cluster"]

    commendations = award_selectors.commendations_in(visible=visible, **narrowing)
    tallies = award_selectors.tallies_in(visible=visible, **narrowing)
    nominations = award_selectors.nominations_in(visible=visible, **narrowing)
    exporting = request.GET.get("format") == "xlsx"
    kinds = {kind.pk: kind for kind in AwardKind.objects.order_by("order")}
    # the filters' choices, and the names in the flags' chart
    clusters = {c.pk: c for c in Cluster.objects.order_by("number")}
    units = {u.pk: u for u in Unit.objects.order_by("short_name")}

    # Every table, chart and the flag matrix are the same for every page of the listing and
    # change only with the data: kept rendered per viewer scope, filters, language and data
    # generation (core.cache), with the listing's rows by year.
    key = ":".join(
        str(part)
        for part in (
            "awards-summary",
            cluster_selectors.visibility_key(request.user),
            *(getattr(value, "pk", value) or "" for value in narrowing.values()),
            get_language(),
            generation(),
        )
    )
    kept = None if exporting else cache.get(key)
    sections = {}
    if kept is None:
        sections = _sections(
            visible, narrowing, nominations, commendations, tallies, kinds, clusters, units
        )
        if exporting:
            listing = commendations.select_related("award_kind", "unit").order_by(
                "-year", "award_kind__order", "unit__short_name", "unit_id", "person_name", "id"
            )
            return _summary_workbook(narrowing, listing=listing, **sections)
        kept = {
            "html": render_to_string("pages/_summary_sections.html", sections),
            "listing_years": sections["listing_years"],
        }
        cache.set(key, kept)
    paginator = Paginator(award_selectors.CommendationListing(tallies, kept["listing_years"]), 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "year": year,
        "cluster": cluster,
        "narrowing": narrowing,
        **sections,  # when computed for this request (the tests read them)
        "sections_html": kept["html"],
        "page": page,
        "query": query.urlencode(),
        "clusters": clusters.values(),
        "units": sorted(units.values(), key=vietnamese_sort_key),
        "kinds": sorted(kinds.values(), key=lambda k: k.order),
    }
    return render(request, "pages/awards_summary.html", context)


def _sections(visible, narrowing, nominations, commendations, tallies, kinds, clusters, units):
    """Everything the summary shows above the listing, from two grouped reads (records and
    nominations), the leading units, the units' own counts and the flag matrix's rows."""
    recorded = award_selectors.tally_groups(tallies)
    proposed = award_selectors.nomination_groups(nominations)
    by_cluster = _by_year_and_cluster(visible, narrowing, proposed, recorded, kinds)
    flags_by_cluster = not (narrowing["cluster"] or narrowing["unit"])
    flags = _flags_by_unit(
        proposed, kinds, clusters if flags_by_cluster else units, by_cluster=flags_by_cluster
    )
    matrix_years, matrix_rows = award_selectors.flag_matrix(
        list(nominations.filter(award_kind__is_flag=True)),
        _flag_commendations(commendations, kinds),
    )
    rows_by_year = defaultdict(int)
    for group in recorded:
        rows_by_year[group["year"]] += (group["collectives"] or 0) + (group["individuals"] or 0)
    return {
        "totals": _totals_by_kind(recorded, kinds),
        "by_kind": _by_year_and_kind(proposed, recorded, kinds),
        "by_cluster": by_cluster,
        "flags": flags,
        "charts": _charts(by_cluster, flags, flags_by_cluster=flags_by_cluster),
        "matrix_years": matrix_years,
        "matrix_rows": matrix_rows,
        "listing_years": sorted(((y, n) for y, n in rows_by_year.items() if n), reverse=True),
    }


def _flag_commendations(commendations, kinds):
    # The kinds by id, not by a join on is_flag: the database then takes the few flag rows
    # from the kind's index instead of reading every commendation (1.0 s -> 4 ms at 3 million).
    flag_kinds = [pk for pk, kind in kinds.items() if kind.is_flag]
    return list(
        commendations.filter(award_kind__in=flag_kinds, nomination__isnull=True).select_related(
            "award_kind", "unit"
        )
    )


def _totals_by_kind(recorded, kinds) -> list[dict]:
    """[{award_kind__name, collectives, individuals}] in the kinds' order."""
    sums = defaultdict(lambda: {"collectives": 0, "individuals": 0})
    for group in recorded:
        for name in ("collectives", "individuals"):
            sums[group["kind"]][name] += group[name] or 0
    return [
        {"award_kind__name": kinds[pk].name, **sums[pk]}
        for pk in sorted(sums, key=lambda pk: kinds[pk].order)
    ]


def _by_year_and_kind(proposed, recorded, kinds) -> list[dict]:
    """One row per year and kind with nominations or records, latest year first: proposed
    collectives and individuals (not withdrawn), approved, not approved, undecided; recorded."""
    rows: dict[tuple, dict] = defaultdict(dict)
    for group in proposed:
        counts = rows[(group["year"], group["kind"])].setdefault(
            "nominated",
            dict.fromkeys(
                ("collectives", "individuals", "approved", "not_approved", "undecided"), 0
            ),
        )
        status, count = group["status"], group["count"]
        if status != Nomination.Status.WITHDRAWN:
            counts["collectives" if group["collective"] else "individuals"] += count
        if status == Nomination.Status.APPROVED:
            counts["approved"] += count
        elif status == Nomination.Status.NOT_APPROVED:
            counts["not_approved"] += count
        elif status in Nomination.UNDECIDED:
            counts["undecided"] += count
    for group in recorded:
        counts = rows[(group["year"], group["kind"])].setdefault(
            "recorded", {"collectives": 0, "individuals": 0}
        )
        for name in ("collectives", "individuals"):
            counts[name] += group[name] or 0
    return [
        {"year": year, "kind": kinds[kind], **row}
        for (year, kind), row in sorted(
            rows.items(), key=lambda i: (-i[0][0], kinds[i[0][1]].order)
        )
    ]


def _by_year_and_cluster(visible, narrowing, proposed, recorded_groups, kinds) -> list[dict]:
    """One row per cluster-year the viewer may read in the filters: the flags proposed and
    received, the commendations recorded and reported, the leading unit and its clearance rate."""
    cluster_years = ClusterYear.objects.filter(pk__in=visible.values("pk"))
    reports = UnitReport.objects.filter(cluster_year__in=visible)
    year, start, end = narrowing["year"], narrowing["year_from"], narrowing["year_to"]
    for path, queryset in (("year", "cluster_years"), ("cluster_year__year", "reports")):
        selection = cluster_years if queryset == "cluster_years" else reports
        if year:
            selection = selection.filter(**{path: year})
        if start:
            selection = selection.filter(**{f"{path}__gte": start})
        if end:
            selection = selection.filter(**{f"{path}__lte": end})
        if queryset == "cluster_years":
            cluster_years = selection
        else:
            reports = selection
    if narrowing["cluster"]:
        cluster_years = cluster_years.filter(cluster=narrowing["cluster"])
        reports = reports.filter(cluster_year__cluster=narrowing["cluster"])
    if narrowing["unit"]:
        cluster_years = cluster_years.filter(memberships__unit=narrowing["unit"])
        reports = reports.filter(unit=narrowing["unit"])
    leaders = page_selectors.leaders_of(cluster_years, visible)
    flags_proposed = defaultdict(int)
    for group in proposed:
        kind = kinds[group["kind"]]
        if kind.is_flag and group["status"] != Nomination.Status.WITHDRAWN:
            flags_proposed[(group["year"], group["cluster"], kind.level)] += group["count"]
    recorded = defaultdict(lambda: {"collectives": 0, "individuals": 0})
    received = defaultdict(int)
    for group in recorded_groups:
        place = (group["year"], group["cluster"])
        recorded[place]["collectives"] += group["collectives"] or 0
        recorded[place]["individuals"] += group["individuals"] or 0
        kind = kinds[group["kind"]]
        if kind.is_flag:
            received[(*place, kind.level)] += group["collectives"] or 0
    reported = {
        (row["year"], row["cluster"]): {**row, "status": page_selectors.weakest_status(row)}
        for row in page_selectors.reported_by_year_and_cluster(reports)
    }
    rows = []
    for leader in leaders:
        cy = leader["cluster_year"]
        place = (cy.year, cy.cluster_id)
        rows.append(
            {
                "cluster_year": cy,
                "leader": leader,
                "flags": [
                    (flags_proposed[(*place, level)], received[(*place, level)])
                    for level in FLAG_LEVELS
                ],
                "recorded": recorded.get(place),
                "reported": reported.get(place),
            }
        )
    rows.sort(key=lambda r: (-r["cluster_year"].year, r["cluster_year"].cluster.number))
    return rows


def _flags_by_unit(proposed, kinds, named, *, by_cluster: bool) -> dict:
    """Flags proposed by the clusters' votes (not withdrawn) over the years, per unit, or per
    cluster for the whole force: {name: {level: count}}, in order. `named`: every cluster or
    unit by id (no query)."""
    counts = defaultdict(lambda: dict.fromkeys(FLAG_LEVELS, 0))
    field = "cluster" if by_cluster else "unit_ref"
    for group in proposed:
        kind = kinds[group["kind"]]
        if kind.is_flag and group["status"] != Nomination.Status.WITHDRAWN:
            counts[group[field]][kind.level] += group["count"]
    present = [named[pk] for pk in counts]
    if by_cluster:
        return {c.name: counts[c.pk] for c in sorted(present, key=lambda c: c.number)}
    return {u.short_name: counts[u.pk] for u in sorted(present, key=vietnamese_sort_key)}


def _charts(by_cluster, flags, *, flags_by_cluster) -> list[Chart]:
    years = sorted({row["cluster_year"].year for row in by_cluster})
    recorded = defaultdict(lambda: {"collectives": 0, "individuals": 0})
    reported = defaultdict(lambda: {"collectives": 0, "individuals": 0})
    known_recorded, known_reported = set(), set()
    doubts = {}  # year: the status of the least certain of the units' counts
    for row in by_cluster:
        year = row["cluster_year"].year
        if row["recorded"]:
            known_recorded.add(year)
            for name in ("collectives", "individuals"):
                recorded[year][name] += row["recorded"][name]
        if row["reported"]:
            known_reported.add(year)
            if row["reported"]["status"] != DataStatus.REPORTED:
                doubts[year] = str(DataStatus(row["reported"]["status"]).label)
            for name in ("collectives", "individuals"):
                reported[year][name] += row["reported"][name] or 0
    charts = []
    for name, title in (
        ("collectives", _("Tập thể được khen thưởng")),
        ("individuals", _("Cá nhân được khen thưởng")),
    ):
        charts.append(
            Chart(
                title,
                [str(y) for y in years],
                [
                    Series(
                        _("Đã ghi nhận (quyết định)"),
                        [recorded[y][name] if y in known_recorded else None for y in years],
                    ),
                    Series(
                        _("Theo báo cáo của đơn vị"),
                        [reported[y][name] if y in known_reported else None for y in years],
                        [doubts.get(y, "") for y in years],
                    ),
                ],
                kind="line",
                unit=_("lượt"),
                category_label=_("Năm"),
                slug=f"commendations-{name}",
            )
        )
    charts.append(
        Chart(
            _("Cờ thi đua được cụm bình xét, đề nghị"),
            list(flags),
            [
                Series(_("Cờ của Chính phủ"), [c[Level.GOVERNMENT] for c in flags.values()]),
                Series(_("Cờ của Bộ Công an"), [c[Level.MINISTRY] for c in flags.values()]),
            ],
            unit=_("lá cờ"),
            category_label=_("Cụm") if flags_by_cluster else _("Đơn vị"),
            slug="flags",
        )
    )
    return charts


def _summary_workbook(
    narrowing, *, matrix_years, matrix_rows, totals, by_kind, by_cluster, flags, listing, **_rest
):
    def matrix():
        for unit, cells in matrix_rows:
            yield [unit.name, *["; ".join(f"{k}: {s}" for k, s in cell) for cell in cells]]

    def kind_rows():
        for row in by_kind:
            nominated, recorded = row.get("nominated") or {}, row.get("recorded") or {}
            yield [
                row["year"],
                row["kind"].name,
                nominated.get("collectives", 0),
                nominated.get("individuals", 0),
                nominated.get("approved", 0),
                nominated.get("not_approved", 0),
                nominated.get("undecided", 0),
                recorded.get("collectives", 0),
                recorded.get("individuals", 0),
            ]

    def cluster_rows():
        for row in by_cluster:
            cy, leader = row["cluster_year"], row["leader"]
            recorded, reported = row["recorded"] or {}, row["reported"] or {}
            (gov_proposed, gov_received), (min_proposed, min_received) = row["flags"]
            yield [
                cy.year,
                cy.cluster.name,
                gov_proposed,
                gov_received,
                min_proposed,
                min_received,
                recorded.get("collectives"),
                recorded.get("individuals"),
                reported.get("collectives"),
                reported.get("individuals"),
                leader["unit"].name if leader["unit"] else "",
                leader["rate"],
                leader["previous_rate"],
            ]

    def listing_rows():
        for c in listing.iterator(chunk_size=2000):
            yield [
                c.year,
                c.award_kind.name,
                c.unit.name,
                c.person_name,
                c.person_rank,
                c.person_position,
                c.decision_number,
                c.decision_date,
                c.decision_issuer,
            ]

    sheets = [
        ("Cờ thi đua", ["Đơn vị", *[str(y) for y in matrix_years]], matrix()),
        (
            "Tổng hợp theo hình thức",
            ["Hình thức", "Tập thể", "Cá nhân"],
            ([t["award_kind__name"], t["collectives"], t["individuals"]] for t in totals),
        ),
        (
            "Theo năm và hình thức",
            [
                "Năm",
                "Hình thức",
                "Đề nghị: tập thể",
                "Đề nghị: cá nhân",
                "Được khen thưởng",
                "Không được khen thưởng",
                "Chưa quyết định",
                "Đã ghi nhận: tập thể",
                "Đã ghi nhận: cá nhân",
            ],
            kind_rows(),
        ),
        (
            "Theo năm và cụm",
            [
                "Năm",
                "Cụm",
                "Cờ Chính phủ: đề nghị",
                "Cờ Chính phủ: được tặng",
                "Cờ Bộ Công an: đề nghị",
                "Cờ Bộ Công an: được tặng",
                "Đã ghi nhận: tập thể",
                "Đã ghi nhận: cá nhân",
                "Đơn vị báo cáo: tập thể",
                "Đơn vị báo cáo: cá nhân",
                "Đơn vị dẫn đầu cụm",
                "Tỷ lệ khám phá của đơn vị dẫn đầu (%)",
                "Năm trước (%)",
            ],
            cluster_rows(),
        ),
        (
            "Cờ theo đơn vị",
            ["Đơn vị / cụm", "Cờ của Chính phủ", "Cờ của Bộ Công an"],
            ([name, c[Level.GOVERNMENT], c[Level.MINISTRY]] for name, c in flags.items()),
        ),
        (
            "Danh sách khen thưởng",
            [
                "Năm",
                "Hình thức",
                "Đơn vị",
                "Họ tên",
                "Cấp bậc",
                "Chức vụ",
                "Số quyết định",
                "Ngày quyết định",
                "Người ký",
            ],
            listing_rows(),
        ),
    ]
    name = "khen-thuong"
    if narrowing["cluster"]:
        name += f"-{narrowing['cluster'].slug}"
    if narrowing["unit"]:
        name += f"-{narrowing['unit'].slug}"
    if narrowing["year"]:
        name += f"-{narrowing['year']}"
    if narrowing["year_from"] or narrowing["year_to"]:
        name += f"-{narrowing['year_from'] or ''}-{narrowing['year_to'] or ''}"
    return xlsx_response(f"{name}.xlsx", sheets)
