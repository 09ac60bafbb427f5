from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def unit_ordering(prefix: str = ""):
    """Order units the Vietnamese way: "Đ" is a letter of its own that follows "D", while a binary
    collation would put "Điện Biên" after "Yên Bái"."""
    return Replace(F(f"{prefix}short_name"), Value("Đ"), Value("D~"))


def documents_storage():
    """Sources' files (decisions, minutes, photos): STORAGES["documents"], never served directly."""
    return storages["documents"]


YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class DataStatus(models.TextChoices):
    """Where a figure or record stands: who says so."""

    REPORTED = "reported", _("báo cáo của đơn vị")
    CLUSTER_PUBLISHED = "cluster_published", _("số liệu cụm công bố")
    ESTIMATE = "estimate", _("ước tính")
    ILLUSTRATIVE = "illustrative", _("minh họa (dữ liệu mẫu)")


class Provenance(models.Model):
    """Where a figure or record comes from, and what kind of figure it is. Every record that holds
    figures or facts inherits it; pages show a short mark beside the figure with a legend."""

    source = models.ForeignKey(
        "clusters.Source",
        verbose_name=_("nguồn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data_status = models.CharField(
        _("tình trạng số liệu"),
        max_length=20,
        choices=DataStatus.choices,
        default=DataStatus.REPORTED,
    )

    class Meta:
        abstract = True

    def provenance_year_id(self):
        """The ClusterYear this record belongs to: its source must be of that year (or of no
        year: a law, a guidance)."""
        if isinstance(self, ClusterYear):
            return self.pk
        if getattr(self, "cluster_year_id", None):
            return self.cluster_year_id
        if getattr(self, "fund_id", None):
            return self.fund.cluster_year_id
        return None

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        if not self.source_id or (exclude and "source" in exclude):
            return
        own = self.provenance_year_id()
        if own is None:
            return
        # A source of the record's own cluster (any of its years: 2024's chairs come from the
        # 2023 article) or of none; never another cluster's documents.
        source_year = (
            Source.objects.filter(pk=self.source_id)
            .values_list("cluster_year_id", flat=True)
            .first()
        )
        if source_year is None or source_year == own:
            return
        clusters = set(
            ClusterYear.objects.filter(pk__in=(own, source_year)).values_list(
                "cluster_id", flat=True
            )
        )
        if len(clusters) > 1:
            raise ValidationError(
                {
                    "source": _(
                        "Nguồn tài liệu này thuộc cụm thi đua khác: hãy chọn nguồn của cụm này."
                    )
                }
            )


class Unit(models.Model):
    """A police unit, e.g. "Công an tỉnh Lai Châu"; it can end and name a successor (mergers)."""

    name = models.CharField(_("tên đơn vị"), max_length=200, unique=True)
    short_name = models.CharField(_("tên ngắn"), max_length=100, help_text=_("Ví dụ: Lai Châu."))
    slug = models.SlugField(_("mã đường dẫn"), max_length=100, unique=True)
    started_on = models.DateField(_("thành lập ngày"), null=True, blank=True)
    ended_on = models.DateField(
        _("kết thúc ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày đơn vị thôi hoạt động, ví dụ do hợp nhất tỉnh."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = [unit_ordering(), "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=F("pk")),
                name="unit_successor_not_self",
                violation_error_message=_("Đơn vị không thể kế thừa chính nó."),
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(ended_on__isnull=False),
                name="unit_successor_needs_end_date",
                violation_error_message=_("Đơn vị có đơn vị kế thừa phải có ngày kết thúc."),
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(started_on__lte=F("ended_on")),
                name="unit_started_before_ended",
                violation_error_message=_("Ngày kết thúc phải sau ngày thành lập."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pages:unit_detail", args=[self.slug])

    def is_active_in(self, year: int) -> bool:
        """Whether the unit existed for at least part of the given year."""
        if self.started_on and self.started_on.year > year:
            return False
        return not (self.ended_on and self.ended_on.year < year)

    def is_active_through(self, year: int) -> bool:
        """Whether the unit exists for the whole of the given year (so it can chair it)."""
        if self.started_on and self.started_on.year > year:
            return False
        return not (self.ended_on and self.ended_on.year <= year)


class Cluster(models.Model):
    """An emulation cluster, e.g. "Cụm thi đua số II"."""

    number = models.PositiveSmallIntegerField(_("số"), unique=True)
    name = models.CharField(_("tên cụm"), max_length=200, unique=True)
    slug = models.SlugField(_("mã đường dẫn"), max_length=100, unique=True)
    description = models.TextField(_("mô tả"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cụm thi đua")
        verbose_name_plural = _("cụm thi đua")
        ordering = ["number"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pages:cluster_detail", args=[self.slug])


class ClusterYearQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("cluster", "chair", "vice_chair")

    def with_roster(self):
        return self.with_people().prefetch_related(
            models.Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
        )

    def published(self):
        return self.filter(status=ClusterYear.Status.PUBLISHED)


class ClusterYear(Provenance):
    """One cluster in one emulation year: roster, chair (Cụm trưởng), vice-chair, handover."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        PUBLISHED = "published", _("Đã công bố")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm thi đua"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("năm thi đua"), validators=YEAR_VALIDATORS)
    members = models.ManyToManyField(
        Unit,
        through="Membership",
        verbose_name=_("đơn vị thành viên"),
        related_name="cluster_years",
    )
    chair = models.ForeignKey(
        Unit,
        verbose_name=_("Cụm trưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_years",
    )
    vice_chair = models.ForeignKey(
        Unit,
        verbose_name=_("Phó Cụm trưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vice_chaired_years",
    )
    handover_date = models.DateField(
        _("ngày nhận bàn giao"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày đơn vị Cụm trưởng năm này nhận bàn giao (thường tại hội nghị năm trước)."
        ),
    )
    handover_note = models.CharField(_("ghi chú bàn giao"), max_length=300, blank=True)
    chair_decision_number = models.CharField(
        _("số quyết định chỉ định Cụm trưởng"),
        max_length=80,
        blank=True,
        help_text=_("Khi Bộ chỉ định Cụm trưởng bằng quyết định thay vì luân phiên."),
    )
    chair_decision_date = models.DateField(
        _("ngày quyết định chỉ định Cụm trưởng"), null=True, blank=True
    )
    leading_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị dẫn đầu cụm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_years",
        help_text=_("Do cụm bình xét; chỉ đơn vị này được đề nghị Cờ thi đua của Chính phủ."),
    )
    ranked_leader = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đứng đầu bảng xếp hạng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("Ghi khi cụm thông qua bảng xếp hạng điểm thi đua."),
    )
    leader_reason = models.TextField(
        _("lý do chọn đơn vị dẫn đầu khác xếp hạng"),
        blank=True,
        help_text=_("Bắt buộc khi đơn vị dẫn đầu không phải đơn vị đứng đầu bảng xếp hạng."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    objects = ClusterYearQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("năm thi đua của cụm")
        verbose_name_plural = _("năm thi đua của cụm")
        ordering = ["cluster__number", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="clusteryear_one_per_cluster_and_year",
                violation_error_message=_("Cụm này đã có năm thi đua đó."),
            ),
            models.CheckConstraint(
                condition=Q(chair__isnull=True)
                | Q(vice_chair__isnull=True)
                | ~Q(chair=F("vice_chair")),
                name="clusteryear_chair_is_not_vice_chair",
                violation_error_message=_(
                    "Cụm trưởng và Phó Cụm trưởng phải là hai đơn vị khác nhau."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="clusteryear_year_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.cluster} – {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Membership(models.Model):
    """A unit on a ClusterYear's roster. `year` repeats the ClusterYear's year so that the database
    itself can refuse a unit in two clusters in the same year."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị thành viên")
        verbose_name_plural = _("đơn vị thành viên")
        ordering = ["cluster_year", unit_ordering("unit__")]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit"],
                name="membership_unit_once_per_cluster_year",
                violation_error_message=_("Đơn vị đã có trong danh sách thành viên năm này."),
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="membership_one_cluster_per_unit_and_year",
                violation_error_message=_("Một đơn vị chỉ thuộc một cụm thi đua trong một năm."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.cluster_year}"


# Files a source may carry: scans and photos of decisions, minutes, houses; office documents.
SOURCE_FILE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SOURCE_FILE_MAX_BYTES = 20 * 1024 * 1024


def source_upload_to(instance, filename):
    # The name on disk is ours, never the uploader's: the original name is kept in the row.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"sources/{uuid.uuid4().hex}{suffix}"


class Source(models.Model):
    """A document a figure or record comes from: a newspaper article, a decision, minutes, a
    unit's report. A source of a cluster year is seen by whoever may see that year; a source
    without one (a law, a Ministry guidance) by every signed-in user. Its file is stored through
    the "documents" storage and served only through clusters.views.source_file."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
    )
    title = models.CharField(_("tên tài liệu"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(
        _("cơ quan ban hành, tờ báo"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Bộ Công an; Báo Công an nhân dân."),
    )
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    file = models.FileField(
        _("tệp đính kèm"), storage=documents_storage, upload_to=source_upload_to, blank=True
    )
    file_name = models.CharField(_("tên tệp gốc"), max_length=200, blank=True, editable=False)
    notes = models.TextField(_("ghi chú"), blank=True)
    cycle_paper = models.BooleanField(
        _("giấy tờ của chu kỳ thi đua"),
        default=False,
        editable=False,
        help_text=_(
            "Bản ký giao ước, tài liệu chứng minh điểm, hồ sơ gửi Bộ: xem ở các trang của chu kỳ "
            "thi đua, không nằm trong nguồn số liệu của năm và không bao giờ công khai."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nguồn tài liệu")
        verbose_name_plural = _("nguồn tài liệu")
        ordering = ["-issued_on", "title", "id"]

    def __str__(self):
        parts = [self.title]
        if self.number:
            parts.append(self.number)
        if self.issuer:
            parts.append(self.issuer)
        if self.issued_on:
            parts.append(self.issued_on.strftime("%d/%m/%Y"))
        return ", ".join(parts)

    def get_file_url(self):
        return reverse("clusters:source_file", args=[self.pk]) if self.file else ""


class PublishEvent(models.Model):
    """A publish or a reopen of a year, with the checklist as it stood: every unfinished item
    the clerk accepted by publishing (clusters.checklist), who did it and when."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Công bố")
        REOPEN = "reopen", _("Mở lại")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.CASCADE,
        related_name="publish_events",
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Trống khi thực hiện từ dòng lệnh (nạp dữ liệu mẫu)."),
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    checklist = models.JSONField(
        _("các mục còn dở đã chấp nhận"),
        default=list,
        blank=True,
        help_text=_("Mỗi mục: key, section, text; như lúc công bố."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lần công bố, mở lại")
        verbose_name_plural = _("lần công bố, mở lại")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.cluster_year}"


class MembershipChange(models.Model):
    """A unit added to or removed from a year's roster by a Ministry decision, with its reason."""

    class Action(models.TextChoices):
        ADD = "add", _("Bổ sung vào cụm")
        REMOVE = "remove", _("Đưa ra khỏi cụm")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.CASCADE,
        related_name="membership_changes",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="membership_changes"
    )
    action = models.CharField(_("thay đổi"), max_length=10, choices=Action.choices)
    # Required once a report of the year is filed (clusters.services.membership_change); before
    # that the roster is still being set up.
    decision_number = models.CharField(_("số quyết định của Bộ"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi thành viên")
        verbose_name_plural = _("thay đổi thành viên")
        ordering = ["cluster_year", "decision_date", "id"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.unit} – {self.cluster_year}"
