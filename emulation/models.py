"""The emulation cycle of a cluster year: the pledge the units sign at the start, the criteria
and their point scale, each unit's self-score, the cross-inspection, the agreed scores and the
ranking that names the unit leading the cluster."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterYear, Source, Unit

POINTS = {"max_digits": 7, "decimal_places": 2}


class TieBreak(models.TextChoices):
    """How two units with the same total are ordered (the cluster's rules say which)."""

    PENALTY_THEN_BONUS = "penalty_then_bonus", _("Ít điểm trừ hơn, rồi nhiều điểm thưởng hơn")
    BONUS_THEN_PENALTY = "bonus_then_penalty", _("Nhiều điểm thưởng hơn, rồi ít điểm trừ hơn")
    NONE = "none", _("Không phân định: đồng hạng")


class Cycle(models.Model):
    """One cluster year's emulation cycle: its settings and where it stands."""

    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.CASCADE,
        related_name="cycle",
    )
    divergence_threshold = models.DecimalField(
        _("ngưỡng chênh lệch (điểm)"),
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Điểm tự chấm và điểm kiểm tra chéo của một tiêu chí chênh nhau quá ngưỡng này thì "
            "đưa ra thảo luận."
        ),
        **POINTS,
    )
    tie_break = models.CharField(
        _("cách phân định khi bằng điểm"),
        max_length=30,
        choices=TieBreak.choices,
        default=TieBreak.PENALTY_THEN_BONUS,
    )
    scoring_started_at = models.DateTimeField(
        _("bắt đầu chấm điểm lúc"),
        null=True,
        blank=True,
        help_text=_("Từ lúc này bộ tiêu chí không sửa được nữa (trừ quản trị viên, có lưu vết)."),
    )
    ranking_adopted_at = models.DateTimeField(_("thông qua xếp hạng lúc"), null=True, blank=True)
    self_score_due = models.DateField(_("hạn tự chấm điểm"), null=True, blank=True)
    inspection_due = models.DateField(_("hạn kiểm tra chéo"), null=True, blank=True)
    report_due = models.DateField(_("hạn gửi báo cáo"), null=True, blank=True)
    dossier_due = models.DateField(_("hạn gửi hồ sơ về Bộ"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chu kỳ thi đua")
        verbose_name_plural = _("chu kỳ thi đua")

    def __str__(self):
        return str(self.cluster_year)

    @property
    def criteria_frozen(self) -> bool:
        return self.scoring_started_at is not None


class Criterion(models.Model):
    """A group of criteria or one criterion of the cluster's point scale. Only criteria carry
    points: a scored criterion up to its maximum, a bonus item adds up to it, a penalty item takes
    up to it away."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Nhóm tiêu chí")
        SCORED = "scored", _("Tiêu chí chấm điểm")
        BONUS = "bonus", _("Điểm thưởng")
        PENALTY = "penalty", _("Điểm trừ")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc nhóm"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.SCORED)
    number = models.CharField(_("số thứ tự"), max_length=20, help_text=_("Ví dụ: I, 1, 1.2."))
    title = models.CharField(_("nội dung"), max_length=500)
    max_points = models.DecimalField(
        _("điểm tối đa"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Bỏ trống với nhóm tiêu chí; với điểm trừ là mức trừ tối đa."),
        **POINTS,
    )
    guidance = models.TextField(_("cách chấm"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí thi đua")
        verbose_name_plural = _("tiêu chí thi đua")
        ordering = ["cycle", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="group") & Q(max_points__isnull=True))
                | (~Q(kind="group") & Q(max_points__gte=0)),
                name="criterion_points_only_on_criteria",
                violation_error_message=_(
                    "Nhóm tiêu chí không có điểm tối đa; tiêu chí, điểm thưởng, điểm trừ phải có."
                ),
            ),
            models.UniqueConstraint(
                fields=["cycle", "number"],
                name="criterion_number_once_per_cycle",
                violation_error_message=_("Số thứ tự này đã có trong bộ tiêu chí năm nay."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP


class Pledge(models.Model):
    """A member unit's signature under the cluster's pledge (giao ước thi đua)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="pledges"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="pledges"
    )
    signed_by = models.CharField(
        _("người ký"), max_length=200, help_text=_("Họ tên, cấp bậc, chức vụ người ký.")
    )
    signed_on = models.DateField(_("ngày ký"))
    document = models.ForeignKey(
        Source,
        verbose_name=_("bản ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ký giao ước thi đua")
        verbose_name_plural = _("ký giao ước thi đua")
        ordering = ["cycle", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                name="pledge_once_per_unit",
                violation_error_message=_("Đơn vị đã ký giao ước năm nay."),
            )
        ]

    def __str__(self):
        return f"{self.unit} ({self.signed_on:%d/%m/%Y})"


class ScoreSheet(models.Model):
    """One set of scores of one unit: its own (self), another unit's (inspection), or the
    cluster's agreed score."""

    class Kind(models.TextChoices):
        SELF = "self", _("Tự chấm")
        INSPECTION = "inspection", _("Kiểm tra chéo")
        AGREED = "agreed", _("Cụm thống nhất")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="sheets"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị được chấm"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    inspector = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị kiểm tra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        ordering = ["cycle", "unit__short_name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="inspection") & Q(inspector__isnull=False))
                | (~Q(kind="inspection") & Q(inspector__isnull=True)),
                name="scoresheet_inspector_only_on_inspection",
            ),
            models.CheckConstraint(
                condition=Q(inspector__isnull=True) | ~Q(inspector=models.F("unit")),
                name="scoresheet_no_self_inspection",
                violation_error_message=_("Một đơn vị không tự kiểm tra chéo chính mình."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "unit", "kind"],
                condition=~Q(kind="inspection"),
                name="scoresheet_one_self_and_agreed_per_unit",
            ),
            models.UniqueConstraint(
                fields=["cycle", "unit", "inspector"],
                condition=Q(kind="inspection"),
                name="scoresheet_one_inspection_per_pair",
                violation_error_message=_("Đơn vị này đã được giao kiểm tra đơn vị đó."),
            ),
        ]

    def __str__(self):
        if self.inspector_id:
            return f"{self.get_kind_display()}: {self.inspector} → {self.unit}"
        return f"{self.get_kind_display()}: {self.unit}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """The points one sheet gives one criterion, with the explanation and the evidence."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("phiếu"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="scores"
    )
    points = models.DecimalField(_("điểm"), validators=[MinValueValidator(Decimal("0"))], **POINTS)
    explanation = models.TextField(_("giải trình"), blank=True)
    evidence = models.ManyToManyField(
        Source, verbose_name=_("tài liệu chứng minh"), blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["sheet", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"], name="score_once_per_sheet_and_criterion"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="score_points_not_negative",
                violation_error_message=_("Điểm không được âm (điểm trừ ghi số điểm bị trừ)."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion.number}: {self.points}"


class CouncilMember(models.Model):
    """A member of the cluster's emulation council that votes (bình xét, suy tôn). The
    thresholds are counted on every member, present or not."""

    class Attendance(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        WRITTEN = "written", _("Vắng, gửi phiếu bằng văn bản")
        ABSENT = "absent", _("Vắng, không gửi phiếu")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="council"
    )
    name = models.CharField(_("họ tên, cấp bậc"), max_length=200)
    title = models.CharField(_("chức vụ, đơn vị"), max_length=300, blank=True)
    attendance = models.CharField(
        _("tham dự"), max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["cycle", "order", "id"]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    """A name on the ballot for an award kind, with the votes it received once counted: on the
    ballots cast at the meeting and in absent members' written votes."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="candidates"
    )
    award_kind = models.ForeignKey(
        "awards.AwardKind", verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("họ tên cá nhân"), max_length=120, blank=True)
    person_rank = models.CharField(_("cấp bậc"), max_length=50, blank=True)
    person_position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    votes_for = models.PositiveSmallIntegerField(
        _("phiếu đồng ý tại hội nghị"), null=True, blank=True
    )
    written_for = models.PositiveSmallIntegerField(
        _("phiếu đồng ý bằng văn bản"), null=True, blank=True
    )
    nomination = models.OneToOneField(
        "awards.Nomination",
        verbose_name=_("đề nghị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("người, đơn vị trong phiếu bầu")
        verbose_name_plural = _("người, đơn vị trong phiếu bầu")
        ordering = ["cycle", "award_kind__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "award_kind", "unit", "person_name"],
                name="candidate_once_per_kind",
                violation_error_message=_("Đã có tên này trong phiếu bầu hình thức đó."),
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.person_name:
            person = " ".join(p for p in (self.person_rank, self.person_name) if p)
            return f"{person} ({self.unit.short_name})"
        return self.unit.name

    @property
    def total_for(self) -> int | None:
        if self.votes_for is None and self.written_for is None:
            return None
        return (self.votes_for or 0) + (self.written_for or 0)


class BallotCount(models.Model):
    """The count of one award kind's ballots: how many were cast, blank, spoiled, and how many
    absent members voted in writing."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="counts"
    )
    award_kind = models.ForeignKey(
        "awards.AwardKind", verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="+"
    )
    ballots_cast = models.PositiveSmallIntegerField(_("số phiếu thu về"))
    blank = models.PositiveSmallIntegerField(_("phiếu trắng"), default=0)
    spoiled = models.PositiveSmallIntegerField(_("phiếu không hợp lệ"), default=0)
    written = models.PositiveSmallIntegerField(_("phiếu bằng văn bản nhận được"), default=0)
    counted_at = models.DateTimeField(_("kiểm phiếu lúc"), auto_now=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả kiểm phiếu")
        verbose_name_plural = _("kết quả kiểm phiếu")
        ordering = ["cycle", "award_kind__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "award_kind"], name="ballotcount_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(blank__lte=models.F("ballots_cast") - models.F("spoiled")),
                name="ballotcount_blank_and_spoiled_within_cast",
                violation_error_message=_(
                    "Phiếu trắng và phiếu không hợp lệ không thể nhiều hơn số phiếu thu về."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.award_kind}: {self.ballots_cast}"

    @property
    def valid(self) -> int:
        return self.ballots_cast - self.blank - self.spoiled


class Dossier(models.Model):
    """The year's dossier to the Ministry: the proposal, the minutes, the achievement reports
    and the signed scans; sent in rounds (a returned dossier is corrected and sent again)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        SUBMITTED = "submitted", _("Đã gửi Bộ")
        RECEIVED = "received", _("Bộ đã tiếp nhận")
        RETURNED = "returned", _("Bộ trả lại để bổ sung")
        DECIDED = "decided", _("Bộ đã quyết định")

    cycle = models.OneToOneField(
        Cycle, verbose_name=_("chu kỳ"), on_delete=models.CASCADE, related_name="dossier"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    scans = models.ManyToManyField(
        Source, verbose_name=_("bản scan đã ký"), blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")

    def __str__(self):
        return f"{self.cycle} – {self.get_status_display()}"


class DossierRound(models.Model):
    """One sending of the dossier, with the documents as they were sent and what became of it."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("lần gửi"))
    submitted_at = models.DateTimeField(_("gửi lúc"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    documents = models.ManyToManyField(
        Source, verbose_name=_("tài liệu đã gửi"), blank=True, related_name="+"
    )
    recalled_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("Bộ tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("Bộ trả lại lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    decided_at = models.DateTimeField(_("Bộ quyết định lúc"), null=True, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người của Bộ trả lại, quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lần gửi hồ sơ")
        verbose_name_plural = _("lần gửi hồ sơ")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="dossierround_once")
        ]

    def __str__(self):
        return f"{self.dossier.cycle} – lần {self.number}"
