from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterYear, DataStatus, Provenance, Unit, unit_ordering
from core import rates as stats
from core.fields import UpperBoundMixin


class Conference(Provenance):
    """The summary conference of a ClusterYear. Its draft/published state is the year's status:
    publishing the year publishes and freezes the conference with every report of that year."""

    class Kind(models.TextChoices):
        YEAR_END = "year_end", _("Hội nghị tổng kết")
        MID_YEAR = "mid_year", _("Hội nghị sơ kết")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.CASCADE,
        related_name="conferences",
    )
    kind = models.CharField(_("loại hội nghị"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("ngày tổ chức"), null=True, blank=True)
    host = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đăng cai"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_conferences",
    )
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    presiding_rank = models.CharField(
        _("cấp bậc người chủ trì"), max_length=50, blank=True, help_text=_("Ví dụ: Đại tá.")
    )
    presiding_name = models.CharField(_("họ tên người chủ trì"), max_length=100, blank=True)
    presiding_title = models.CharField(
        _("chức vụ người chủ trì"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Phó Cục trưởng Cục Công tác Đảng và công tác chính trị."),
    )
    guests = models.TextField(_("đại biểu dự"), blank=True)
    movement = models.CharField(
        _("phong trào thi đua"), max_length=200, default="Vì an ninh Tổ quốc"
    )
    slogan = models.TextField(_("khẩu hiệu hành động"), blank=True)
    highlights = models.TextField(_("kết quả nổi bật"), blank=True)
    directions = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    version = models.PositiveIntegerField(
        _("phiên bản"),
        default=0,
        editable=False,
        help_text=_("Tăng mỗi lần lưu: hai người sửa cùng lúc thì người lưu sau được báo."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["cluster_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "kind"],
                name="conference_one_per_kind_and_year",
                violation_error_message=_("Năm thi đua này đã có hội nghị loại đó."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.cluster_year}"

    def save(self, *args, **kwargs):
        # Every write, from any path (forms, admin, imports), moves the version on, so that a
        # form opened before it knows it is out of date (reports.services.check_version).
        self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    @property
    def presiding_official(self) -> str:
        return " ".join(p for p in (self.presiding_rank, self.presiding_name) if p)


# What the secretariat fills in for a conference, in the order of the form and the sheet.
CONFERENCE_FIELDS = [
    "date",
    "host",
    "place",
    "presiding_rank",
    "presiding_name",
    "presiding_title",
    "guests",
    "movement",
    "slogan",
    "highlights",
    "directions",
    "notes",
]


class UnitReportQuerySet(models.QuerySet):
    def with_previous_year(self, visible=None):
        """Annotate each report with the same unit's social-order crimes of the year before
        (only from the years `visible`, when given: clusters.selectors.visible_years)."""
        previous = UnitReport.objects.filter(
            unit=models.OuterRef("unit"),
            cluster_year__year=models.OuterRef("cluster_year__year") - 1,
        )
        if visible is not None:
            previous = previous.filter(cluster_year__in=visible)
        previous = previous.values("crimes_recorded")[:1]
        return self.annotate(previous_crimes_recorded=models.Subquery(previous))


# No province records ten million of anything in a year; the bound is the same on every database
# (Django's own range check allows 2^63 on SQLite but 2^31 on PostgreSQL).
MAX_COUNT = 10_000_000


TOO_LARGE = _("Số quá lớn: tối đa 10.000.000.")


class CountField(UpperBoundMixin, models.PositiveIntegerField):
    """A yearly count from 0 to MAX_COUNT."""

    upper_bound = MAX_COUNT
    too_large = TOO_LARGE


# Every count of a report, in the order of the form and the tables.
COUNT_FIELDS = [
    "crimes_recorded",
    "crimes_solved",
    "serious_recorded",
    "serious_solved",
    "drug_cases",
    "drug_offenders",
    "commended_collectives",
    "commended_individuals",
    "citizen_tips",
]


class UnitReport(Provenance):
    """One unit's results for one emulation year. Counts only; every rate is computed."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.PROTECT,
        related_name="unit_reports",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    crimes_recorded = CountField(
        _("tội phạm về TTXH xảy ra"), help_text=_("Số vụ phạm tội về trật tự xã hội trong năm.")
    )
    crimes_solved = CountField(_("số vụ điều tra, khám phá"), help_text=_("Trong số vụ xảy ra."))
    serious_recorded = CountField(_("án nghiêm trọng và đặc biệt nghiêm trọng xảy ra"))
    serious_solved = CountField(_("án nghiêm trọng và đặc biệt nghiêm trọng khám phá"))
    drug_cases = CountField(_("ma túy: số vụ bắt giữ"))
    drug_offenders = CountField(_("ma túy: số đối tượng"))
    commended_collectives = CountField(_("lượt tập thể được khen thưởng"))
    commended_individuals = CountField(_("lượt cá nhân được khen thưởng"))
    citizen_tips = CountField(
        _("thông tin tiếp nhận qua Diễn đàn"),
        help_text=_("Diễn đàn “Công an lắng nghe ý kiến nhân dân”."),
    )
    project06_notes = models.TextField(_("kết quả thực hiện Đề án 06"), blank=True)
    other_results = models.TextField(_("kết quả khác"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    version = models.PositiveIntegerField(
        _("phiên bản"),
        default=0,
        editable=False,
        help_text=_("Tăng mỗi lần lưu: hai người sửa cùng lúc thì người lưu sau được báo."),
    )

    objects = UnitReportQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo kết quả của đơn vị")
        verbose_name_plural = _("báo cáo kết quả của đơn vị")
        ordering = ["cluster_year", unit_ordering("unit__")]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit"],
                name="unitreport_one_per_unit_and_year",
                violation_error_message=_("Đơn vị đã có báo cáo cho năm thi đua này."),
            ),
            models.CheckConstraint(
                condition=Q(crimes_solved__lte=F("crimes_recorded")),
                name="unitreport_crimes_solved_within_recorded",
                violation_error_message=_("Số vụ khám phá không thể lớn hơn số vụ xảy ra."),
            ),
            models.CheckConstraint(
                condition=Q(serious_solved__lte=F("serious_recorded")),
                name="unitreport_serious_solved_within_recorded",
                violation_error_message=_(
                    "Số án nghiêm trọng khám phá không thể lớn hơn số án xảy ra."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.cluster_year.year}"

    def save(self, *args, **kwargs):
        # Every write, from any path (forms, admin, imports), moves the version on, so that a
        # form opened before it knows it is out of date (reports.services.check_version).
        self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:unit_report", args=[self.unit.slug, self.cluster_year.year])

    @property
    def clearance_rate(self):
        return stats.rate(self.crimes_solved, self.crimes_recorded)

    @property
    def serious_rate(self):
        return stats.rate(self.serious_solved, self.serious_recorded)

    @property
    def crimes_change(self):
        """Against the unit's previous-year report; needs QuerySet.with_previous_year()."""
        return stats.change(self.crimes_recorded, getattr(self, "previous_crimes_recorded", None))

    def clean(self):
        errors = {}
        for solved, recorded, label in (
            ("crimes_solved", "crimes_recorded", _("số vụ tội phạm về TTXH xảy ra")),
            ("serious_solved", "serious_recorded", _("số án nghiêm trọng xảy ra")),
        ):
            solved_value, recorded_value = getattr(self, solved), getattr(self, recorded)
            if None not in (solved_value, recorded_value) and solved_value > recorded_value:
                errors[solved] = _("Không thể lớn hơn %(label)s (%(recorded)s).") % {
                    "label": label,
                    "recorded": formats.localize(recorded_value),
                }
        if errors:
            raise ValidationError(errors)


class PublishedFigure(Provenance):
    """A cluster total as the cluster itself published it (at its conference, in the press): the
    2023 article's 4.213 drug cases, 9.341 individuals commended. Kept beside the sum of the units'
    reports, never instead of it: the two can differ, and the page shows both."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.PROTECT,
        related_name="published_figures",
    )
    figure = models.CharField(
        _("chỉ tiêu"),
        max_length=40,
        choices=[(name, UnitReport._meta.get_field(name).verbose_name) for name in COUNT_FIELDS],
    )
    value = CountField(_("số liệu cụm công bố"))
    data_status = models.CharField(
        _("tình trạng số liệu"),
        max_length=20,
        choices=DataStatus.choices,
        default=DataStatus.CLUSTER_PUBLISHED,
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu tổng cụm công bố")
        verbose_name_plural = _("số liệu tổng cụm công bố")
        ordering = ["cluster_year", "figure"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "figure"],
                name="publishedfigure_one_per_figure_and_year",
                violation_error_message=_("Năm thi đua này đã có số liệu công bố cho chỉ tiêu đó."),
            )
        ]

    def __str__(self):
        return f"{self.get_figure_display()}: {self.value} ({self.cluster_year})"
