"""Comparisons: a cluster's units between two years (/clusters/<slug>/compare/?from=&to=) and
every cluster in one year against the year before (/compare/?year=). Like with like: a change
is computed only over the units that reported in both years (reports.selectors.paired_totals);
a total over different sets of units is shown, never compared as if it were the same."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.access import can
from clusters import selectors as cluster_selectors
from clusters.models import Cluster, ClusterYear, DataStatus
from clusters.selectors import vietnamese_sort_key
from core import rates
from core.charts import Chart, Series
from pages import selectors as page_selectors
from reports import selectors as report_selectors
from reports.models import UnitReport

COUNT, RATE = "count", "rate"

# (group title, [(figure, kind, label)]): the figures compared, in the results table's order
GROUPS = [
    (
        gettext_lazy("Tội phạm về trật tự xã hội"),
        [
            ("crimes_recorded", COUNT, gettext_lazy("Xảy ra")),
            ("crimes_solved", COUNT, gettext_lazy("Khám phá")),
            ("clearance_rate", RATE, gettext_lazy("Tỷ lệ khám phá")),
        ],
    ),
    (
        gettext_lazy("Án nghiêm trọng, đặc biệt nghiêm trọng"),
        [
            ("serious_recorded", COUNT, gettext_lazy("Xảy ra")),
            ("serious_solved", COUNT, gettext_lazy("Khám phá")),
            ("serious_rate", RATE, gettext_lazy("Tỷ lệ khám phá")),
        ],
    ),
    (
        gettext_lazy("Ma túy"),
        [
            ("drug_cases", COUNT, gettext_lazy("Số vụ")),
            ("drug_offenders", COUNT, gettext_lazy("Số đối tượng")),
        ],
    ),
    (
        gettext_lazy("Khen thưởng (lượt)"),
        [
            ("commended_collectives", COUNT, gettext_lazy("Tập thể")),
            ("commended_individuals", COUNT, gettext_lazy("Cá nhân")),
        ],
    ),
    (
        gettext_lazy("Diễn đàn “Công an lắng nghe ý kiến nhân dân”"),
        [("citizen_tips", COUNT, gettext_lazy("Thông tin tiếp nhận"))],
    ),
]

RATE_OF = {
    "clearance_rate": ("crimes_solved", "crimes_recorded"),
    "serious_rate": ("serious_solved", "serious_recorded"),
}


@dataclass
class Pair:
    """One figure in the two years compared, and its change (None where not comparable)."""

    kind: str
    before: int | Decimal | None
    after: int | Decimal | None
    before_record: object = None
    after_record: object = None
    comparable: bool = True
    # what the change is computed on, when not the two figures shown: the same units' figures
    basis: tuple | None = None

    @property
    def _ends(self):
        return self.basis if self.basis is not None else (self.before, self.after)

    @property
    def change(self):
        if not self.comparable or self.kind != COUNT:
            return None
        before, after = self._ends
        return rates.change(after, before)

    @property
    def points(self) -> Decimal | None:
        """A rate's change in percentage points."""
        before, after = self._ends
        if not self.comparable or self.kind != RATE or None in (before, after):
            return None
        return after - before


def _value(sums: dict, figure: str):
    if figure in RATE_OF:
        part, whole = RATE_OF[figure]
        return rates.rate(sums.get(part), sums.get(whole))
    return sums.get(figure)


def _of_report(report) -> dict:
    if report is None:
        return {}
    return {name: getattr(report, name) for group in GROUPS for name, kind, _label in group[1]} | {
        name: getattr(report, name) for pair in RATE_OF.values() for name in pair
    }


def _pairs(before: dict, after: dict, *, comparable=True, records=(None, None), basis=None) -> list:
    """Per group, per figure: a Pair. `basis`: the (before, after) sums the change is computed
    on, when the figures shown are of different sets of units."""
    return [
        [
            Pair(
                kind,
                _value(before, name) if before else None,
                _value(after, name) if after else None,
                *records,
                comparable=comparable and bool(before) and bool(after),
                basis=None if basis is None else tuple(_value(b, name) for b in basis),
            )
            for name, kind, _label in figures
        ]
        for _title, figures in GROUPS
    ]


def _reader_or_refusal(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "awards.view_summary"):
        raise PermissionDenied
    return None


class YearsForm(forms.Form):
    start = forms.TypedChoiceField(
        label=gettext_lazy("Từ năm"), coerce=int, required=False, empty_value=None
    )
    end = forms.TypedChoiceField(
        label=gettext_lazy("Đến năm"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, years):
        # the addresses say ?from=&to= ("from" is a keyword in Python)
        data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data)
        for name in ("start", "end"):
            self.fields[name].choices = [("", "—")] + [(y, str(y)) for y in years]


def _not_reported(record) -> bool:
    return record is not None and record.data_status != DataStatus.REPORTED


@require_safe
def compare_years(request, slug):
    refusal = _reader_or_refusal(request)
    if refusal is not None:
        return refusal
    cluster = get_object_or_404(Cluster, slug=slug)
    visible = cluster_selectors.visible_years(request.user)
    mine = UnitReport.objects.filter(cluster_year__cluster=cluster, cluster_year__in=visible)
    years = sorted(set(mine.order_by().values_list("cluster_year__year", flat=True).distinct()))
    form = YearsForm(request.GET, years=years)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    # without a choice: the last year with figures against the one before it
    end = end or (years[-1] if years else None)
    if start is None and end is not None:
        start = max((y for y in years if y < end), default=None)
    context = {"cluster": cluster, "years": years, "form": form, "start": start, "end": end}
    if start is None or end is None or start == end:
        context["problem"] = (
            _("Cụm chưa có số liệu của hai năm để so sánh.")
            if len(years) < 2
            else _("Hãy chọn hai năm khác nhau.")
        )
        return render(request, "pages/compare_years.html", context)
    if start > end:
        start, end = end, start
        context.update(start=start, end=end)

    reports = list(
        mine.filter(cluster_year__year__in=[start, end]).select_related("unit", "cluster_year")
    )
    by_unit: dict[int, dict[int, UnitReport]] = {}
    units = {}
    for report in reports:
        by_unit.setdefault(report.unit_id, {})[report.cluster_year.year] = report
        units[report.unit_id] = report.unit
    ordered = sorted(units.values(), key=vietnamese_sort_key)
    both = [u for u in ordered if len(by_unit[u.pk]) == 2]
    one = [u for u in ordered if len(by_unit[u.pk]) == 1]

    def unit_row(unit, comparable):
        before, after = by_unit[unit.pk].get(start), by_unit[unit.pk].get(end)
        return {
            "unit": unit,
            "before": before,
            "after": after,
            "groups": _pairs(
                _of_report(before),
                _of_report(after),
                comparable=comparable,
                records=(before, after),
            ),
        }

    compared_rows = [unit_row(u, True) for u in both]
    single_rows = [unit_row(u, False) for u in one]
    totals = report_selectors.paired_totals(mine, end, start)
    compared_total = _pairs(totals.compared_previous_sums, totals.compared_sums)
    whole_total = _pairs(totals.previous_sums, totals.sums, comparable=totals.like_with_like)
    # the years in between: totals and the unit that led the cluster, with its clearance rate
    span = report_selectors.yearly_sums(
        mine.filter(cluster_year__year__gte=start, cluster_year__year__lte=end)
    )
    leaders = page_selectors.leaders_of(
        ClusterYear.objects.filter(
            cluster=cluster, year__gte=start, year__lte=end, pk__in=visible.values("pk")
        ),
        visible,
    )
    context.update(
        # one table per group of figures, each row with its pairs for that group
        tables=[
            {
                "title": title,
                "labels": [label for _name, _kind, label in figures],
                "compared": [(r, r["groups"][i]) for r in compared_rows],
                "single": [(r, r["groups"][i]) for r in single_rows],
                "compared_total": compared_total[i],
                "whole_total": whole_total[i],
            }
            for i, (title, figures) in enumerate(GROUPS)
        ],
        totals=totals,
        compared_units=len(both),
        span=[
            {**row, "clearance_rate": rates.rate(row["crimes_solved"], row["crimes_recorded"])}
            for row in span
        ],
        leaders=leaders,
        any_not_reported=any(_not_reported(r) for r in reports),
    )
    return render(request, "pages/compare_years.html", context)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Năm"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["year"].choices = [("", "—")] + [(y, str(y)) for y in years]


@require_safe
def compare_clusters(request):
    refusal = _reader_or_refusal(request)
    if refusal is not None:
        return refusal
    visible = cluster_selectors.visible_years(request.user)
    readable = UnitReport.objects.filter(cluster_year__in=visible)
    years = sorted(
        set(readable.order_by().values_list("cluster_year__year", flat=True).distinct()),
        reverse=True,
    )
    form = YearForm(request.GET, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else None
    year = year or (years[0] if years else None)
    context = {"form": form, "year": year, "years": years}
    if year is None:
        context["problem"] = _("Chưa có số liệu báo cáo nào để so sánh.")
        return render(request, "pages/compare_clusters.html", context)
    by_cluster = report_selectors.paired_totals(
        readable, year, year - 1, by="cluster_year__cluster_id"
    )
    cluster_years = ClusterYear.objects.filter(year=year, pk__in=visible.values("pk")).annotate(
        member_count=Count("memberships")
    )
    leaders = {
        row["cluster_year"].pk: row for row in page_selectors.leaders_of(cluster_years, visible)
    }
    rows = []
    for row in leaders.values():
        cy = row["cluster_year"]
        totals = by_cluster.get(cy.cluster_id)
        if totals is None or not totals.reports:
            rows.append({"cluster_year": cy, "leader": row, "totals": None})
            continue
        rows.append(
            {
                "cluster_year": cy,
                "leader": row,
                "totals": totals,
                # the whole cluster's figures of both years, the change over the same units
                "groups": _pairs(
                    totals.previous_sums,
                    totals.sums,
                    comparable=totals.compared > 0,
                    basis=(totals.compared_previous_sums, totals.compared_sums),
                ),
            }
        )
    with_figures = [r for r in rows if r["totals"]]
    chart = Chart(
        _(
            "Tỷ lệ điều tra, khám phá tội phạm về TTXH, các đơn vị có số liệu cả hai năm "
            "%(before)s và %(year)s"
        )
        % {"before": year - 1, "year": year},
        [r["cluster_year"].cluster.name for r in with_figures],
        [
            Series(str(year), [r["totals"].compared_clearance_rate for r in with_figures]),
            Series(str(year - 1), [r["totals"].previous_clearance_rate for r in with_figures]),
        ],
        unit="%",
        category_label=_("Cụm"),
        slug="clearance",
    )
    # the whole force: every cluster's sums added (one aggregate read fewer)
    overall = report_selectors.Totals.combined(list(by_cluster.values()), year=year)
    overall_groups = _pairs(
        overall.previous_sums,
        overall.sums,
        comparable=overall.compared > 0,
        basis=(overall.compared_previous_sums, overall.compared_sums),
    )
    context.update(
        rows=rows,
        overall=overall,
        tables=[
            {
                "title": title,
                "labels": [label for _name, _kind, label in figures],
                "rows": [(r, r["groups"][i]) for r in with_figures],
                "overall": overall_groups[i],
            }
            for i, (title, figures) in enumerate(GROUPS)
        ],
        chart=chart,
        any_not_reported=readable.filter(cluster_year__year__in=[year, year - 1])
        .exclude(data_status=DataStatus.REPORTED)
        .exists(),
    )
    return render(request, "pages/compare_clusters.html", context)
