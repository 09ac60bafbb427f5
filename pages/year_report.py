"""The year's report (báo cáo tổng kết) as a Word file in the administrative layout of
core.documents, issued by the cluster (its chair unit signs for it): the conference, every unit's
results with the cluster's totals beside its published figures, the change against last year like
with like, the charts, the vote and the awards proposed, the handover, the welfare, the
leadership's directions.

Everything comes from the year's data (`year_facts`, read in a fixed number of queries, which
the news draft reads too); what the data lacks is dotted or said to be missing, never invented.
A figure whose status is not "reported" carries its mark ("(minh họa)"), spelled out in a legend."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from accounts.access import can
from awards.models import Nomination
from awards.selectors import nominations_of
from clusters.models import ClusterYear, DataStatus, Source, Unit
from clusters.selectors import vietnamese_sort_key, visible_years
from clusters.views import login_first, year_or_404
from core import charts, rates
from core import documents as layout
from core.documents import DOTS, SHORT_DOTS, TEXT_WIDTH, Heading
from emulation.documents import CLUSTER_SYMBOL
from pages.charts import year_results_charts
from pages.views import provenance_context
from reports import selectors as report_selectors
from reports.models import COUNT_FIELDS, Conference, PublishedFigure, UnitReport
from reports.selectors import Totals
from welfare import selectors as welfare_selectors
from welfare.models import Contribution, Fund, Support
from welfare.templatetags.money import vnd_words

NO_DATA = "chưa có số liệu"
REPORT_SYMBOL = f"BC-{CLUSTER_SYMBOL}"

# The mark beside a figure whose status is not a unit's report, and its legend.
MARKS = {
    DataStatus.CLUSTER_PUBLISHED: "cụm công bố",
    DataStatus.ESTIMATE: "ước tính",
    DataStatus.ILLUSTRATIVE: "minh họa",
}
# When figures of several statuses are summed, the sum is as weak as its weakest part.
WEAKEST_FIRST = [
    DataStatus.ILLUSTRATIVE,
    DataStatus.ESTIMATE,
    DataStatus.CLUSTER_PUBLISHED,
    DataStatus.REPORTED,
]

# What each count is called in the tables and the comparison.
FIGURE_NAMES = {
    "crimes_recorded": "Tội phạm về TTXH xảy ra (vụ)",
    "crimes_solved": "Tội phạm về TTXH khám phá (vụ)",
    "serious_recorded": "Án NT, ĐBNT xảy ra (vụ)",
    "serious_solved": "Án NT, ĐBNT khám phá (vụ)",
    "drug_cases": "Ma túy: số vụ",
    "drug_offenders": "Ma túy: số đối tượng",
    "commended_collectives": "Khen thưởng: lượt tập thể",
    "commended_individuals": "Khen thưởng: lượt cá nhân",
    "citizen_tips": "Thông tin qua Diễn đàn",
}
OTHER_FIGURES = [
    "drug_cases",
    "drug_offenders",
    "commended_collectives",
    "commended_individuals",
    "citizen_tips",
]


def weakest(statuses) -> str:
    """The weakest of the statuses (DataStatus values), "reported" when there are none."""
    present = set(statuses)
    return next((status for status in WEAKEST_FIRST if status in present), DataStatus.REPORTED)


def mark(status) -> str:
    """ " (minh họa)" after a figure of that status; "" after a unit's report."""
    return f" ({MARKS[status]})" if status in MARKS else ""


def doubt_mark(status) -> str:
    """ " (minh họa)" after a figure that is neither reported nor published: an estimate or an
    illustration (the news draft marks only these)."""
    return mark(status) if status in (DataStatus.ESTIMATE, DataStatus.ILLUSTRATIVE) else ""


def count(value) -> str:
    """4213 -> "4.213" (the report is Vietnamese whatever the reader's language); "—" if None."""
    return "—" if value is None else layout.number(value)


def percent(value) -> str:
    return "—" if value is None else layout.percent(value)


def day_text(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


@dataclass
class Figure:
    """One of the year's cluster-wide figures as it should be quoted: the cluster's published
    figure where it published one, else the sum of the units' reports."""

    value: int | Decimal | None
    status: str  # a DataStatus value
    published: bool

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, Decimal):
            return layout.percent(self.value)
        return layout.number(self.value)

    @property
    def mark(self) -> str:
        """Only an estimate or an illustration is marked: a figure the cluster published, or
        the units reported, is quoted as it is."""
        return doubt_mark(self.status)


@dataclass
class YearFacts:
    """Everything the report and the news draft say, read once."""

    cluster_year: ClusterYear
    conference: Conference | None
    members: list[Unit]
    reports: list[UnitReport]
    totals: Totals
    previous_statuses: dict[int, str]  # last year's reports of the cluster: unit id -> status
    published: dict[str, PublishedFigure]
    sources: list[Source]
    nominations: list[Nomination]
    next_year: ClusterYear | None
    funds: list[Fund]
    contributions: list[Contribution]
    supports: list[Support]

    @property
    def year(self) -> int:
        return self.cluster_year.year

    @property
    def cluster(self):
        return self.cluster_year.cluster

    @property
    def missing(self) -> list[Unit]:
        reported = {report.unit_id for report in self.reports}
        return [unit for unit in self.members if unit.pk not in reported]

    @property
    def reports_status(self) -> str:
        return weakest(report.data_status for report in self.reports)

    @property
    def compared_statuses(self) -> tuple[str, str]:
        """The statuses of the reports compared with last year: (last year's, this year's)."""
        units = {report.unit_id for report in self.reports} & set(self.previous_statuses)
        return (
            weakest(self.previous_statuses[unit] for unit in units),
            weakest(r.data_status for r in self.reports if r.unit_id in units),
        )

    @property
    def proposed(self) -> list[Nomination]:
        return [n for n in self.nominations if n.status != Nomination.Status.WITHDRAWN]

    def figure(self, name: str) -> Figure:
        published = self.published.get(name)
        if published is not None:
            return Figure(published.value, published.data_status, published=True)
        value = self.totals.sums[name] if self.reports else None
        return Figure(value, self.reports_status, published=False)

    def rate(self, solved: str, recorded: str) -> Figure:
        """A rate from the published pair where the cluster published both, else from the sums
        (never one of each)."""
        if solved in self.published and recorded in self.published:
            pair = self.published[solved], self.published[recorded]
            return Figure(
                rates.rate(pair[0].value, pair[1].value),
                weakest(p.data_status for p in pair),
                published=True,
            )
        value = rates.rate(self.totals.sums[solved], self.totals.sums[recorded])
        return Figure(value, self.reports_status, published=False)


def year_facts(cluster_year: ClusterYear, visible=None) -> YearFacts:
    """The year's records for the report and the news draft: 12 queries whatever the number of
    units, reports, nominations or supports (the year itself read by the caller). The year
    before is read only where `visible` (the reader's years) holds it."""
    conferences = report_selectors.conferences_of(cluster_year)
    conference = next((c for c in conferences if c.kind == Conference.Kind.YEAR_END), None)
    provenance = provenance_context(cluster_year)
    funds = welfare_selectors.funds_of(cluster_year)
    next_year = (
        ClusterYear.objects.with_people()
        .filter(cluster_id=cluster_year.cluster_id, year=cluster_year.year + 1)
        .first()
    )
    previous = UnitReport.objects.filter(
        cluster_year__cluster_id=cluster_year.cluster_id,
        cluster_year__year=cluster_year.year - 1,
    )
    if visible is not None:
        previous = previous.filter(cluster_year__in=visible)
    previous_statuses = dict(previous.values_list("unit_id", "data_status"))
    return YearFacts(
        cluster_year=cluster_year,
        conference=conference,
        members=sorted((m.unit for m in cluster_year.memberships.all()), key=vietnamese_sort_key),
        reports=report_selectors.reports_of(cluster_year, visible),
        totals=report_selectors.cluster_totals(cluster_year, visible),
        previous_statuses=previous_statuses,
        published=provenance["published_figures"],
        sources=provenance["sources"],
        nominations=nominations_of(cluster_year),
        next_year=next_year,
        funds=funds,
        contributions=welfare_selectors.contributions_of(cluster_year),
        supports=welfare_selectors.supports_of(cluster_year, funds),
    )


CHART_WIDTH = TEXT_WIDTH - 5  # mm


def year_charts(facts: YearFacts) -> list[bytes]:
    """Every unit's key results side by side (the year page's charts) as PNG images; none
    without figures."""
    return [
        charts.png(chart, width_mm=CHART_WIDTH)
        for chart in year_results_charts(facts.reports)
        if chart.has_data
    ]


# --- the document --------------------------------------------------------------------------------


def heading(document, text: str):
    """A section's heading, kept on the page of what follows it."""
    return layout.body(document, text, bold=True, keep_with_next=True)


def presiding_text(conference: Conference | None) -> str:
    if conference is None or not conference.presiding_official:
        return ""
    title = f", {conference.presiding_title}" if conference.presiding_title else ""
    return f"{conference.presiding_official}{title}"


def ended(text: str) -> str:
    """The sentence with its full stop, unless it ends dotted for the clerk (or already ends)."""
    return text if text.endswith((DOTS, ".")) else f"{text}."


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def report_document(facts: YearFacts) -> bytes:
    conference = facts.conference
    cluster = facts.cluster
    movement = conference.movement if conference else "Vì an ninh Tổ quốc"
    document = layout.document()
    place = ""
    if conference is not None:
        place = conference.place or (conference.host.short_name if conference.host else "")
    layout.header(
        document,
        Heading(
            body="Bộ Công an",
            unit=cluster.name,
            symbol=REPORT_SYMBOL,
            place=place,
            day=conference.date if conference else None,
            number=SHORT_DOTS,
        ),
    )
    layout.title(
        document,
        "Báo cáo",
        f"Tổng kết phong trào thi đua “{movement}” năm {facts.year} của {cluster.name}",
    )
    _conference_section(document, facts, movement)
    _results_section(document, facts)
    _awards_section(document, facts)
    _handover_section(document, facts)
    _welfare_section(document, facts)
    _directions_section(document, facts)
    if facts.sources:
        layout.body(document, "Nguồn số liệu:", italic=True, size=12)
        for source in facts.sources:
            layout.body(document, f"- {source}", italic=True, size=12)
    layout.footer(
        document,
        ["Hội đồng Thi đua - Khen thưởng Bộ Công an", "Các đơn vị thành viên cụm"],
        [f"TM. {cluster.name}", "Cụm trưởng"],
        "",
        keep_together=True,
    )
    return layout.save(document)


def _conference_section(document, facts: YearFacts, movement: str):
    conference, cluster = facts.conference, facts.cluster
    heading(document, "I. HỘI NGHỊ TỔNG KẾT")
    if conference is None:
        layout.body(document, f"Hội nghị tổng kết năm {facts.year}: {NO_DATA}.")
    else:
        when = f"{conference.date:%d/%m/%Y}" if conference.date else DOTS
        host = f", do {conference.host.name} đăng cai" if conference.host else ""
        layout.body(
            document,
            f"Ngày {when}, tại {conference.place or DOTS}, {cluster.name} tổ chức Hội nghị tổng "
            f"kết phong trào thi đua “{movement}” năm {facts.year}{host}.",
        )
        layout.body(
            document, ended(f"Chủ trì, chỉ đạo hội nghị: {presiding_text(conference) or DOTS}")
        )
        layout.body(document, ended(f"Dự hội nghị: {conference.guests.strip() or DOTS}"))
        if conference.slogan:
            layout.body(document, f"Khẩu hiệu hành động: “{conference.slogan}”.")
    chair = facts.cluster_year.chair
    vice = facts.cluster_year.vice_chair
    layout.body(
        document,
        ended(
            f"Cụm trưởng năm {facts.year}: {chair.name if chair else DOTS}; Phó Cụm trưởng: "
            f"{vice.name if vice else DOTS}"
        ),
    )
    if facts.members:
        names = ", ".join(unit.name for unit in facts.members)
        layout.body(
            document,
            f"Các đơn vị thành viên năm {facts.year} ({len(facts.members)} đơn vị): {names}.",
        )


def _unit_label(report: UnitReport) -> str:
    return f"{report.unit.short_name}{mark(report.data_status)}"


def _results_section(document, facts: YearFacts):
    totals = facts.totals
    heading(document, "II. KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA")
    heading(document, "1. Kết quả của các đơn vị")
    statuses = {report.data_status for report in facts.reports}
    if not facts.reports:
        layout.body(document, "Chưa có số liệu báo cáo của các đơn vị.")
        if facts.published:
            layout.body(document, "Số liệu cụm công bố:")
            layout.table(
                document,
                ["Chỉ tiêu", "Số liệu cụm công bố"],
                [
                    [FIGURE_NAMES[name], count(figure.value) + mark_published(figure)]
                    for name, figure in _in_order(facts.published)
                ],
                size=12,
                numeric_from=1,
            )
    else:
        reported = len(facts.reports)
        layout.body(
            document, f"Có {reported}/{len(facts.members)} đơn vị thành viên đã báo cáo số liệu."
        )
        if facts.missing:
            names = ", ".join(unit.short_name for unit in facts.missing)
            layout.body(document, f"Chưa có báo cáo của: {names}.")
        total_label = f"Tổng các đơn vị{mark(facts.reports_status)}"
        layout.body(
            document,
            "Bảng 1. Tội phạm về trật tự xã hội (án NT, ĐBNT: án nghiêm trọng và đặc biệt "
            "nghiêm trọng)",
            italic=True,
            keep_with_next=True,
        )
        rows = [
            [
                _unit_label(r),
                count(r.crimes_recorded),
                count(r.crimes_solved),
                percent(r.clearance_rate),
                _change(r.crimes_change),
                count(r.serious_recorded),
                count(r.serious_solved),
                percent(r.serious_rate),
            ]
            for r in facts.reports
        ]
        rows.append(
            [
                total_label,
                count(totals.sums["crimes_recorded"]),
                count(totals.sums["crimes_solved"]),
                percent(totals.clearance_rate),
                _change(totals.crimes_change) if totals.like_with_like else "—",
                count(totals.sums["serious_recorded"]),
                count(totals.sums["serious_solved"]),
                percent(totals.serious_rate),
            ]
        )
        published_row = _published_row(
            facts,
            ["crimes_recorded", "crimes_solved", "", "", "serious_recorded", "serious_solved", ""],
        )
        if published_row:
            rows.append(published_row)
        layout.table(
            document,
            [
                "Đơn vị",
                "Xảy ra (vụ)",
                "Khám phá (vụ)",
                "Tỷ lệ khám phá",
                "So với năm trước",
                "Án NT, ĐBNT xảy ra",
                "Án NT, ĐBNT khám phá",
                "Tỷ lệ",
            ],
            rows,
            widths=[38] + [(TEXT_WIDTH - 38) / 7] * 7,
            size=11,
            numeric_from=1,
            bold_rows=(len(facts.reports),),
            repeat_header=True,
        )
        layout.body(
            document, "Bảng 2. Ma túy, khen thưởng, Diễn đàn", italic=True, keep_with_next=True
        )
        rows = [
            [_unit_label(r), *[count(getattr(r, name)) for name in OTHER_FIGURES]]
            for r in facts.reports
        ]
        rows.append([total_label, *[count(totals.sums[name]) for name in OTHER_FIGURES]])
        published_row = _published_row(facts, OTHER_FIGURES)
        if published_row:
            rows.append(published_row)
        layout.table(
            document,
            [
                "Đơn vị",
                "Ma túy: số vụ",
                "Ma túy: số đối tượng",
                "Khen thưởng: lượt tập thể",
                "Khen thưởng: lượt cá nhân",
                "Thông tin qua Diễn đàn",
            ],
            rows,
            widths=[40] + [(TEXT_WIDTH - 40) / 5] * 5,
            size=11,
            numeric_from=1,
            bold_rows=(len(facts.reports),),
            repeat_header=True,
        )
        layout.body(
            document,
            "Tỷ lệ và mức thay đổi do hệ thống tính từ số liệu các đơn vị; “—” là không tính "
            "được (chưa có số liệu năm trước hoặc không có vụ nào). “Tổng các đơn vị” là tổng các "
            "báo cáo trong hệ thống.",
            italic=True,
            size=12,
        )
        if facts.published:
            layout.body(
                document,
                "“Số liệu cụm công bố” là số liệu do cụm công bố (tại hội nghị, trên báo chí), "
                "ghi bên cạnh tổng các đơn vị; hai số có thể khác nhau.",
                italic=True,
                size=12,
            )
            differ = [
                f"{FIGURE_NAMES[name]}: cụm công bố {count(figure.value)}, tổng các đơn vị "
                f"{count(totals.sums[name])}"
                for name, figure in _in_order(facts.published)
                if figure.value != totals.sums[name]
            ]
            if differ:
                layout.body(
                    document, "Khác nhau ở: " + "; ".join(differ) + ".", italic=True, size=12
                )
        _legend(document, statuses | {mark_status(figure) for figure in facts.published.values()})
        for note in sorted({report.notes for report in facts.reports if report.notes}):
            layout.body(document, note, italic=True, size=12)
    _comparison(document, facts)
    charts = year_charts(facts)
    if charts:
        # the charts begin a page: a chart is half a page high, its heading stays with it
        heading(document, "3. Biểu đồ").paragraph_format.page_break_before = True
        for image in charts:
            layout.picture(document, image, width_mm=CHART_WIDTH)
    if facts.conference and facts.conference.highlights:
        heading(document, f"{4 if charts else 3}. Kết quả nổi bật")
        for line in paragraphs(facts.conference.highlights):
            layout.body(document, line)


def _in_order(published: dict) -> list:
    return [(name, published[name]) for name in COUNT_FIELDS if name in published]


def mark_status(figure: PublishedFigure) -> str:
    """The status a published figure is marked with: none when the cluster published it."""
    if figure.data_status == DataStatus.CLUSTER_PUBLISHED:
        return DataStatus.REPORTED
    return figure.data_status


def mark_published(figure: PublishedFigure) -> str:
    return mark(mark_status(figure))


def _published_row(facts: YearFacts, names: list[str]) -> list[str] | None:
    """The cluster's published figures under the columns `names` ("" for a rate, a change)."""
    if not any(name in facts.published for name in names):
        return None
    cells = []
    for name in names:
        figure = facts.published.get(name) if name else None
        cells.append(count(figure.value) + mark_published(figure) if figure else "")
    return ["Số liệu cụm công bố", *cells]


def _change(value) -> str:
    if value is None:
        return "—"
    if value.direction == "same":
        return str(value.label)
    return f"{value.label} {layout.percent(value.percent)}"


def _legend(document, statuses):
    """One line spelling out the marks of `statuses` (the statuses of the figures marked)."""
    marked = [status for status in DataStatus if status in statuses and status in MARKS]
    if not marked:
        return
    legend = "; ".join(f"“({MARKS[s]})”: {DataStatus(s).label}" for s in marked)
    layout.body(document, f"Ký hiệu: {legend}.", italic=True, size=12)


def _comparison(document, facts: YearFacts):
    totals, year = facts.totals, facts.year
    heading(document, f"2. So với năm {year - 1}")
    if not facts.reports:
        layout.body(document, f"{NO_DATA.capitalize()}.")
        return
    if not totals.previous_reports:
        layout.body(document, f"Chưa có số liệu năm {year - 1} của cụm để so sánh.")
        return
    if not totals.compared:
        layout.body(
            document,
            f"Năm {year} có {totals.reports} đơn vị báo cáo, năm {year - 1} có "
            f"{totals.previous_reports}; không đơn vị nào báo cáo cả hai năm nên không so sánh được.",
        )
        return
    if totals.like_with_like:
        layout.body(document, f"So sánh {totals.compared} đơn vị báo cáo cả hai năm:")
    else:
        layout.body(
            document,
            f"Năm {year} có {totals.reports} đơn vị báo cáo, năm {year - 1} có "
            f"{totals.previous_reports}: chỉ so sánh {totals.compared}/{len(facts.members)} đơn vị "
            "báo cáo cả hai năm.",
        )
    before, now = totals.compared_previous_sums, totals.compared_sums
    rows = [
        [
            FIGURE_NAMES[name],
            count(before[name]),
            count(now[name]),
            _change(rates.change(now[name], before[name])),
        ]
        for name in COUNT_FIELDS
    ]
    for label, solved, recorded in (
        ("Tỷ lệ khám phá tội phạm về TTXH", "crimes_solved", "crimes_recorded"),
        ("Tỷ lệ khám phá án NT, ĐBNT", "serious_solved", "serious_recorded"),
    ):
        old, new = (
            rates.rate(before[solved], before[recorded]),
            rates.rate(now[solved], now[recorded]),
        )
        rows.append([label, percent(old), percent(new), _points(old, new)])
    previous_status, status = facts.compared_statuses
    layout.table(
        document,
        [
            "Chỉ tiêu",
            f"Năm {year - 1}{mark(previous_status)}",
            f"Năm {year}{mark(status)}",
            "Thay đổi",
        ],
        rows,
        widths=[65, 32, 32, 36],
        size=12,
        repeat_header=True,
        numeric_from=1,
    )
    _legend(document, {previous_status, status})


def _points(old, new) -> str:
    if old is None or new is None:
        return "—"
    if old == new:
        return "không đổi"
    word = "tăng" if new > old else "giảm"
    return f"{word} {layout.number(abs(new - old))} điểm %"


def _awards_section(document, facts: YearFacts):
    cluster_year = facts.cluster_year
    heading(document, "III. BÌNH XÉT, SUY TÔN VÀ ĐỀ NGHỊ KHEN THƯỞNG")
    leader = cluster_year.leading_unit
    layout.body(document, ended(f"Đơn vị dẫn đầu cụm: {leader.name if leader else DOTS}"))
    if not facts.nominations:
        layout.body(document, "Chưa có kết quả bình xét, suy tôn.")
        return
    rows = []
    for index, n in enumerate(facts.nominations, start=1):
        votes = (
            f"{n.votes_for}/{n.council_size} ({layout.percent(n.vote_percent)})"
            if n.votes_for is not None and n.council_size
            else "không ghi"
        )
        decision = ""
        if n.decision_number:
            decision = f"Số {n.decision_number}"
            if n.decision_date:
                decision += f", ngày {n.decision_date:%d/%m/%Y}"
            if n.decision_issuer:
                decision += f", {n.decision_issuer}"
        rows.append(
            [
                index,
                n.award_kind.name,
                f"{n.recipient_label}{mark_nomination(n)}",
                votes,
                n.status_label,
                decision,
            ]
        )
    layout.table(
        document,
        [
            "TT",
            "Hình thức",
            "Tập thể, cá nhân được đề nghị",
            "Phiếu đồng ý",
            "Trạng thái",
            "Quyết định",
        ],
        rows,
        widths=[11, 36, 40, 22, 24, 32],
        size=12,
        repeat_header=True,
    )
    _legend(
        document,
        {n.data_status for n in facts.nominations if n.data_status != DataStatus.CLUSTER_PUBLISHED},
    )
    for note in sorted({n.notes for n in facts.nominations if n.notes}):
        layout.body(document, note, italic=True, size=12)


def mark_nomination(nomination) -> str:
    # what the cluster itself published (its vote in the article) is not marked
    if nomination.data_status == DataStatus.CLUSTER_PUBLISHED:
        return ""
    return mark(nomination.data_status)


def _handover_section(document, facts: YearFacts):
    year, chair = facts.year, facts.cluster_year.chair
    following = facts.next_year
    heading(document, "IV. BÀN GIAO CỤM TRƯỞNG")
    if following is None or following.chair is None:
        layout.body(document, f"Cụm trưởng, Phó Cụm trưởng năm {year + 1}: {NO_DATA}.")
        return
    text = (
        f"{chair.name if chair else DOTS} (Cụm trưởng năm {year}) bàn giao đơn vị Cụm trưởng "
        f"năm {year + 1} cho {following.chair.name}"
    )
    if following.vice_chair:
        text += f", Phó Cụm trưởng năm {year + 1} cho {following.vice_chair.name}"
    layout.body(document, text + ".")
    if following.handover_date:
        layout.body(document, f"Ngày nhận bàn giao: {following.handover_date:%d/%m/%Y}.")
    if following.handover_note:
        layout.body(document, following.handover_note, italic=True, size=12)


def beneficiary_text(beneficiary) -> str:
    text = str(beneficiary)
    if beneficiary.position:
        text += f", {beneficiary.position}"
    return f"{text} ({beneficiary.unit.short_name})"


def _welfare_section(document, facts: YearFacts):
    heading(document, "V. CÔNG TÁC NGHĨA TÌNH ĐỒNG ĐỘI")
    if not facts.funds:
        layout.body(document, f"{NO_DATA.capitalize()}.")
        return
    for index, fund in enumerate(facts.funds, start=1):
        heading(document, f"{index}. {fund.title}")
        if fund.purpose:
            layout.body(document, fund.purpose)
        gifts = [c for c in facts.contributions if c.fund_id == fund.pk]
        if fund.target:
            layout.body(document, f"Mục tiêu: {layout.number(fund.target)} đồng.")
        if gifts:
            status = mark(weakest(c.data_status for c in gifts))
            layout.body(
                document,
                f"Tổng số tiền đóng góp: {layout.number(fund.collected)} đồng "
                f"({vnd_words(fund.collected)}){status}.",
            )
            by_donor = {}
            for gift in gifts:
                by_donor.setdefault(gift.donor, []).append(gift)
            layout.table(
                document,
                ["TT", "Đơn vị, người đóng góp", "Số tiền (đồng)"],
                [
                    [
                        index,
                        donor,
                        layout.number(sum(g.amount for g in given))
                        + mark(weakest(g.data_status for g in given)),
                    ]
                    for index, (donor, given) in enumerate(by_donor.items(), start=1)
                ],
                widths=[12, 103, 50],
                size=12,
                repeat_header=True,
                numeric_from=2,
            )
        else:
            layout.body(document, f"Tổng số tiền đóng góp: {NO_DATA}.")
        supports = [s for s in facts.supports if s.fund_id == fund.pk]
        if supports:
            rows = []
            for index, support in enumerate(supports, start=1):
                amount = (
                    NO_DATA
                    if support.amount is None
                    else layout.number(support.amount) + mark(support.data_status)
                )
                stage = support.house_stage
                day = support.handed_over_on or support.building_started_on or support.approved_on
                if stage and day:
                    stage += f" {day:%d/%m/%Y}"
                rows.append(
                    [
                        index,
                        beneficiary_text(support.beneficiary),
                        support.get_kind_display(),
                        amount,
                        stage,
                    ]
                )
            layout.table(
                document,
                ["TT", "Người được hỗ trợ", "Hình thức", "Số tiền (đồng)", "Tiến độ"],
                rows,
                widths=[11, 62, 30, 28, 34],
                size=12,
                repeat_header=True,
            )
            if not fund.paid_out:
                paid = "chưa rõ số tiền" if fund.has_unknown_amounts else "0 đồng"
            else:
                paid = f"{layout.number(fund.paid_out)} đồng"
                if fund.has_unknown_amounts:
                    paid += " và khoản chưa rõ số tiền"
            layout.body(document, f"Đã chi: {paid}.")
        # the marks of the fund's tables: every figure of a contribution, a known amount given
        _legend(
            document,
            {c.data_status for c in gifts}
            | {s.data_status for s in supports if s.amount is not None},
        )
        if fund.notes:
            layout.body(document, fund.notes, italic=True, size=12)


def _directions_section(document, facts: YearFacts):
    conference = facts.conference
    heading(document, "VI. Ý KIẾN CHỈ ĐẠO CỦA LÃNH ĐẠO")
    if conference is None or not conference.directions:
        layout.body(document, f"{NO_DATA.capitalize()}.")
        return
    who = presiding_text(conference)
    layout.body(
        document,
        f"Phát biểu chỉ đạo tại hội nghị, {who}:" if who else "Ý kiến chỉ đạo tại hội nghị:",
        keep_with_next=True,
    )
    for line in paragraphs(conference.directions):
        layout.body(document, line)


# --- the address ---------------------------------------------------------------------------------


def readable_year_or_404(request, slug, year):
    """The year for a signed-in user who may read it; the anonymous are asked to log in first,
    others are told it does not exist. Returns (year, None) or (None, the answer)."""
    if not request.user.is_authenticated:
        return None, login_first(request)
    cluster_year = year_or_404(slug, year)
    if not can(request.user, "clusters.view_clusteryear", cluster_year):
        raise Http404
    return cluster_year, None


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=layout.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def year_report(request, slug, year):
    cluster_year, refusal = readable_year_or_404(request, slug, year)
    if refusal is not None:
        return refusal
    with translation.override("vi"):  # a Vietnamese document: 4.213, 93,3%
        content = report_document(year_facts(cluster_year, visible_years(request.user)))
    return docx_response(content, f"bao-cao-tong-ket-{cluster_year.cluster.slug}-{year}.docx")
