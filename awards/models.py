from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterYear, Provenance, Unit
from core.rates import rate
from core.search import SearchKeyField


class Level(models.TextChoices):
    GOVERNMENT = "government", _("Chính phủ")
    MINISTRY = "ministry", _("Bộ Công an")
    UNIT = "unit", _("Đơn vị")


class Recipient(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    BOTH = "both", _("Tập thể hoặc cá nhân")


class AwardKind(models.Model):
    """An emulation title or form of commendation, e.g. "Cờ thi đua của Chính phủ"."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    recipient = models.CharField(_("đối tượng"), max_length=20, choices=Recipient.choices)
    is_flag = models.BooleanField(
        _("là cờ thi đua"), default=False, help_text=_("Hiện trong ma trận cờ thi đua.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class AwardRuleQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(valid_from__lte=day).order_by("award_kind_id", "-valid_from")


class AwardRule(models.Model):
    """The rules of an award kind from a date on. A change of law is a new row, not new code."""

    award_kind = models.ForeignKey(
        AwardKind, verbose_name=_("hình thức"), on_delete=models.CASCADE, related_name="rules"
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    vote_threshold = models.PositiveSmallIntegerField(
        _("ngưỡng phiếu (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Tỷ lệ phiếu đồng ý tối thiểu trên tổng số thành viên hội đồng."),
    )
    yearly_limit = models.PositiveSmallIntegerField(
        _("tối đa mỗi cụm mỗi năm"), null=True, blank=True
    )
    default_quota = models.PositiveSmallIntegerField(
        _("chỉ tiêu mặc định"),
        null=True,
        blank=True,
        help_text=_("Chỉ tiêu mỗi cụm mỗi năm; thư ký cụm có thể đặt lại cho từng năm."),
    )
    leader_only = models.BooleanField(_("chỉ cho đơn vị dẫn đầu cụm"), default=False)
    leaders_share = models.PositiveSmallIntegerField(
        _("tối đa % số đơn vị dẫn đầu các cụm"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Trên toàn quốc mỗi năm, số quyết định tặng không quá tỷ lệ này của số cụm có đơn vị "
            "dẫn đầu (kiểm khi ghi quyết định)."
        ),
    )
    share_basis = models.CharField(_("căn cứ của tỷ lệ"), max_length=500, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=300)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = AwardRuleQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy định khen thưởng")
        verbose_name_plural = _("quy định khen thưởng")
        ordering = ["award_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_kind", "valid_from"],
                name="awardrule_one_per_kind_and_date",
                violation_error_message=_("Hình thức này đã có quy định áp dụng từ ngày đó."),
            ),
            models.CheckConstraint(
                condition=Q(vote_threshold__isnull=True)
                | (Q(vote_threshold__gte=1) & Q(vote_threshold__lte=100)),
                name="awardrule_threshold_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.award_kind} ({self.valid_from:%d/%m/%Y})"


class AwardQuota(models.Model):
    """The secretariat's quota of an award kind for one cluster year (e.g. Ministry flags: 3)."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.CASCADE,
        related_name="award_quotas",
    )
    award_kind = models.ForeignKey(
        AwardKind, verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="quotas"
    )
    quota = models.PositiveSmallIntegerField(_("chỉ tiêu"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu khen thưởng")
        verbose_name_plural = _("chỉ tiêu khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "award_kind"], name="awardquota_one_per_kind_and_year"
            )
        ]

    def __str__(self):
        return f"{self.award_kind}: {self.quota} ({self.cluster_year})"


class PersonFields(models.Model):
    """A person proposed or commended; empty for a collective."""

    person_name = models.CharField(_("họ tên cá nhân"), max_length=120, blank=True)
    person_rank = models.CharField(_("cấp bậc"), max_length=50, blank=True)
    person_position = models.CharField(_("chức vụ"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Nomination(Provenance, PersonFields):
    """The cluster's proposal of an award to a member unit or a person, from the vote to the
    decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đã bình xét")
        SUBMITTED = "submitted", _("Đã trình")
        APPROVED = "approved", _("Được khen thưởng")
        NOT_APPROVED = "not_approved", _("Không được khen thưởng")
        WITHDRAWN = "withdrawn", _("Đã rút")

    UNDECIDED = (Status.PROPOSED, Status.SUBMITTED)

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    award_kind = models.ForeignKey(
        AwardKind, verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="nominations",
        help_text=_("Tập thể được đề nghị, hoặc đơn vị của cá nhân được đề nghị."),
    )
    rank_order = models.PositiveSmallIntegerField(_("thứ hạng"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("số phiếu đồng ý"), null=True, blank=True)
    council_size = models.PositiveSmallIntegerField(
        _("tổng số thành viên hội đồng"),
        null=True,
        blank=True,
        help_text=_("Kể cả thành viên vắng mặt (lấy ý kiến bằng văn bản)."),
    )
    achievements = models.TextField(_("tóm tắt thành tích"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(_("người/cơ quan ký"), max_length=200, blank=True)
    decision_source = models.ForeignKey(
        "clusters.Source",
        verbose_name=_("văn bản quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amended_at = models.DateTimeField(
        _("bổ sung sau công bố lúc"),
        null=True,
        blank=True,
        help_text=_("Quyết định đến sau khi năm đã công bố, ghi bổ sung có kiểm soát."),
    )
    withdrawal_reason = models.TextField(_("lý do rút"), blank=True)
    override_reason = models.TextField(_("lý do vượt quy định"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho phép vượt quy định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["cluster_year", "award_kind__order", "rank_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(council_size__isnull=True)
                | Q(votes_for__lte=F("council_size")),
                name="nomination_votes_within_council",
                violation_error_message=_(
                    "Số phiếu đồng ý không thể lớn hơn số thành viên hội đồng."
                ),
            ),
            models.CheckConstraint(
                condition=Q(council_size__isnull=True) | Q(council_size__gt=0),
                name="nomination_council_not_empty",
            ),
            models.UniqueConstraint(
                fields=["cluster_year", "award_kind", "unit"],
                condition=Q(person_name=""),
                name="nomination_unit_once_per_kind_and_year",
                violation_error_message=_("Đơn vị đã được đề nghị hình thức này trong năm."),
            ),
        ]

    def __str__(self):
        return f"{self.award_kind} – {self.recipient_label} ({self.cluster_year.year})"

    @property
    def recipient_label(self) -> str:
        if self.person_name:
            person = " ".join(p for p in (self.person_rank, self.person_name) if p)
            return f"{person} ({self.unit.short_name})"
        return self.unit.name

    @property
    def vote_percent(self):
        return rate(self.votes_for, self.council_size)

    @property
    def is_live(self) -> bool:
        """Still in the vote: a withdrawn nomination no longer counts against quota or limit."""
        return self.status != self.Status.WITHDRAWN

    @property
    def status_label(self) -> str:
        if self.status == self.Status.WITHDRAWN and self.withdrawal_reason:
            return gettext("Đã rút (lý do: %(reason)s)") % {"reason": self.withdrawal_reason}
        return str(self.get_status_display())

    @property
    def amendment_mark(self) -> str:
        """ "Bổ sung sau công bố ngày dd/mm/yyyy" on a decision recorded after publishing."""
        if self.amended_at is None:
            return ""
        day = timezone.localtime(self.amended_at).date()
        return gettext("Bổ sung sau công bố ngày %(date)s") % {
            "date": formats.date_format(day, "SHORT_DATE_FORMAT")
        }


class NominationEvent(models.Model):
    """Who moved a nomination, to what, when."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("đề nghị"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Nomination.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)
    amendment = models.BooleanField(
        _("bổ sung sau công bố"),
        default=False,
        help_text=_("Quyết định ghi vào năm đã công bố (quyết định đến sau)."),
    )
    source = models.ForeignKey(
        "clusters.Source",
        verbose_name=_("văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("diễn biến đề nghị")
        verbose_name_plural = _("diễn biến đề nghị")
        ordering = ["nomination", "at", "id"]

    def __str__(self):
        return f"{self.nomination} → {self.get_status_display()}"


class CommendationQuerySet(models.QuerySet):
    def with_names(self):
        return self.select_related("award_kind", "unit")


class Commendation(Provenance, PersonFields):
    """A commendation actually received (by decision), collective or individual."""

    award_kind = models.ForeignKey(
        AwardKind,
        verbose_name=_("hình thức"),
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    year = models.PositiveSmallIntegerField(
        _("năm thành tích"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="commendations",
        help_text=_("Tập thể được khen, hoặc đơn vị của cá nhân được khen."),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    decision_issuer = models.CharField(_("người/cơ quan ký"), max_length=200, blank=True)
    nomination = models.OneToOneField(
        Nomination,
        verbose_name=_("từ đề nghị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendation",
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    # The person (rank and name) and the decision number folded (core.search), kept by every
    # save and bulk_create, for the search page: millions of rows cannot be folded per search.
    # Trigram-indexed on PostgreSQL (migration 0009). Derived data: no history of their own.
    search_name = SearchKeyField(
        max_length=200, sources=("person_rank", "person_name"), required="person_name"
    )
    search_decision = SearchKeyField(max_length=80, sources=("decision_number",))

    objects = CommendationQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_name", "search_decision"])

    class Meta:
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("khen thưởng đã nhận")
        ordering = ["-year", "award_kind__order", "unit__short_name", "person_name", "id"]
        indexes = [
            models.Index(fields=["year", "award_kind"], name="commendation_year_kind"),
            models.Index(fields=["unit", "year"], name="commendation_unit_year"),
            # A unit's collective commendations, a few a year among its 1,250 people's (the
            # unit page lists them: 25,000 rows read for 9 found, 10 ms, without it).
            models.Index(
                fields=["unit", "year"],
                name="commendation_collective",
                condition=models.Q(person_name=""),
            ),
        ]

    def __str__(self):
        who = self.person_name or self.unit.name
        return f"{self.award_kind} – {who} ({self.year})"

    @property
    def is_individual(self) -> bool:
        return bool(self.person_name)


class CommendationTally(models.Model):
    """How many commendations a unit received in a year, by kind: kept by awards.tallies after
    every write to commendations, so that the award summary counts and pages a few thousand rows
    instead of millions. Derived data: rebuilt from the commendations whenever in doubt."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    award_kind = models.ForeignKey(AwardKind, on_delete=models.CASCADE, related_name="+")
    collectives = models.PositiveIntegerField(default=0)
    individuals = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số khen thưởng theo đơn vị, năm, hình thức")
        verbose_name_plural = _("số khen thưởng theo đơn vị, năm, hình thức")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "award_kind"], name="commendation_tally_once"
            )
        ]
        indexes = [models.Index(fields=["year", "unit"], name="commendation_tally_year_unit")]

    def __str__(self):
        return f"{self.unit_id} {self.year} {self.award_kind_id}: {self.collectives}+{self.individuals}"

    @property
    def total(self) -> int:
        return self.collectives + self.individuals


class Discipline(PersonFields):
    """A unit or a person disciplined in a year, by decision: they may not be proposed for an
    award of that year. Empty person fields: the unit itself."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.PROTECT,
        related_name="disciplines",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="disciplines",
        help_text=_("Tập thể bị kỷ luật, hoặc đơn vị của cá nhân bị kỷ luật."),
    )
    form = models.CharField(
        _("hình thức kỷ luật"), max_length=100, help_text=_("Ví dụ: Khiển trách, Cảnh cáo.")
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    decision_issuer = models.CharField(_("người/cơ quan ký"), max_length=200, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["cluster_year", "unit__short_name", "person_name", "id"]

    def __str__(self):
        return f"{self.form} – {self.subject} ({self.decision_number})"

    @property
    def subject(self) -> str:
        if self.person_name:
            person = " ".join(p for p in (self.person_rank, self.person_name) if p)
            return f"{person} ({self.unit.short_name})"
        return self.unit.name

    @property
    def record(self) -> str:
        """The record as a refusal quotes it."""
        text = gettext("%(form)s, quyết định số %(number)s ngày %(date)s") % {
            "form": self.form,
            "number": self.decision_number,
            "date": formats.date_format(self.decision_date, "SHORT_DATE_FORMAT"),
        }
        if self.decision_issuer:
            text += gettext(" của %(issuer)s") % {"issuer": self.decision_issuer}
        return text
