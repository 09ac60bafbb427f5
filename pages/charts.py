"""The charts of the pages, built from figures the pages have already read (no query here
unless a function says so). Every value whose record is not "reported" carries the record's
status as its note (core.charts stars it and spells it out)."""

from django.utils.translation import gettext as _

from clusters.models import DataStatus
from core import rates
from core.charts import Chart, Series
from reports.models import COUNT_FIELDS


def _note(record) -> str:
    status = getattr(record, "data_status", DataStatus.REPORTED)
    return "" if status == DataStatus.REPORTED else str(DataStatus(status).label)


def _series(label, records, value):
    records = list(records)
    return Series(
        label,
        [None if r is None else value(r) for r in records],
        ["" if r is None else _note(r) for r in records],
    )


def year_results_charts(reports) -> list[Chart]:
    """Every unit's key results side by side (the year page, the year's report): crimes and
    solved, clearance rates, drug cases and offenders, commendations. `reports`: UnitReports
    with their unit, in the page's order."""
    units = [r.unit.short_name for r in reports]
    label = _("Đơn vị")

    def chart(slug, title, unit, *series):
        return Chart(title, units, series, unit=unit, category_label=label, slug=slug)

    return [
        chart(
            "crimes",
            _("Tội phạm về trật tự xã hội"),
            _("vụ"),
            _series(_("Xảy ra"), reports, lambda r: r.crimes_recorded),
            _series(_("Điều tra, khám phá"), reports, lambda r: r.crimes_solved),
        ),
        chart(
            "rates",
            _("Tỷ lệ điều tra, khám phá"),
            "%",
            _series(_("Tội phạm về TTXH"), reports, lambda r: r.clearance_rate),
            _series(_("Án nghiêm trọng, đặc biệt nghiêm trọng"), reports, lambda r: r.serious_rate),
        ),
        chart(
            "drugs",
            _("Ma túy"),
            "",
            _series(_("Số vụ"), reports, lambda r: r.drug_cases),
            _series(_("Số đối tượng"), reports, lambda r: r.drug_offenders),
        ),
        chart(
            "commendations",
            _("Khen thưởng"),
            _("lượt"),
            _series(_("Tập thể"), reports, lambda r: r.commended_collectives),
            _series(_("Cá nhân"), reports, lambda r: r.commended_individuals),
        ),
    ]


class YearFigures:
    """One year's figures over the years' charts: sums (a cluster) or one report (a unit), and
    the note of the least certain record among them."""

    def __init__(self, year, sums: dict, note: str = ""):
        self.year, self.sums, self.note = year, sums, note

    def __getitem__(self, name):
        return self.sums.get(name)

    @property
    def clearance_rate(self):
        return rates.rate(self.sums.get("crimes_solved"), self.sums.get("crimes_recorded"))

    @property
    def serious_rate(self):
        return rates.rate(self.sums.get("serious_solved"), self.sums.get("serious_recorded"))


def over_the_years_charts(figures: list[YearFigures], years: list[int]) -> list[Chart]:
    """Each figure over the years (a cluster's totals, a unit's results): one line per figure,
    a gap where a year has no figures (unknown is not zero)."""
    by_year = {f.year: f for f in figures}
    row = [by_year.get(year) for year in years]
    label = _("Năm")

    def line(title, value):
        return Series(
            title,
            [None if f is None else value(f) for f in row],
            ["" if f is None else f.note for f in row],
        )

    def chart(slug, title, unit, *series):
        return Chart(
            title,
            [str(y) for y in years],
            series,
            kind="line",
            unit=unit,
            category_label=label,
            slug=slug,
        )

    return [
        chart(
            "crimes",
            _("Tội phạm về trật tự xã hội"),
            _("vụ"),
            line(_("Xảy ra"), lambda f: f["crimes_recorded"]),
            line(_("Điều tra, khám phá"), lambda f: f["crimes_solved"]),
        ),
        chart(
            "rates",
            _("Tỷ lệ điều tra, khám phá"),
            "%",
            line(_("Tội phạm về TTXH"), lambda f: f.clearance_rate),
            line(_("Án nghiêm trọng, đặc biệt nghiêm trọng"), lambda f: f.serious_rate),
        ),
        chart(
            "drugs",
            _("Ma túy"),
            "",
            line(_("Số vụ"), lambda f: f["drug_cases"]),
            line(_("Số đối tượng"), lambda f: f["drug_offenders"]),
        ),
        chart(
            "commendations",
            _("Khen thưởng (theo báo cáo)"),
            _("lượt"),
            line(_("Tập thể"), lambda f: f["commended_collectives"]),
            line(_("Cá nhân"), lambda f: f["commended_individuals"]),
        ),
    ]


def unit_figures(reports) -> list[YearFigures]:
    """A unit's reports as YearFigures (no query)."""
    return [
        YearFigures(
            r.cluster_year.year, {name: getattr(r, name) for name in COUNT_FIELDS}, _note(r)
        )
        for r in reports
    ]


def cluster_figures(rows) -> list[YearFigures]:
    """reports.selectors.yearly_sums rows as YearFigures: a year's note names every status
    other than "reported" among its reports."""
    figures = []
    for row in rows:
        notes = [
            str(DataStatus(status).label)
            for status in row["statuses"]
            if status != DataStatus.REPORTED
        ]
        sums = {name: row[name] for name in COUNT_FIELDS}
        figures.append(YearFigures(row["year"], sums, "; ".join(notes)))
    return figures
