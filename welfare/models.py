from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterYear, Provenance, Unit
from core.fields import UpperBoundMixin
from core.rates import rate

# Money is a whole number of đồng, never a float. No cluster fund comes near a thousand billion.
MAX_MONEY = 1_000_000_000_000
TOO_MUCH = _("Số tiền quá lớn: tối đa 1.000.000.000.000 ₫.")


class MoneyField(UpperBoundMixin, models.PositiveBigIntegerField):
    """Đồng as an integer."""

    upper_bound = MAX_MONEY
    too_large = TOO_MUCH


class Fund(Provenance):
    """A ClusterYear's collection, e.g. "ủng hộ xây nhà Nghĩa tình đồng đội"."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("Đang vận động")
        CLOSED = "closed", _("Đã khóa sổ")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("năm thi đua của cụm"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    title = models.CharField(_("tên quỹ"), max_length=200)
    purpose = models.TextField(_("mục đích"), blank=True)
    target = MoneyField(_("mục tiêu (₫)"), null=True, blank=True)
    opened_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    closed_on = models.DateField(_("ngày khóa sổ"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.COLLECTING
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quỹ")
        verbose_name_plural = _("quỹ")
        ordering = ["cluster_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opened_on__isnull=True)
                | Q(closed_on__isnull=True)
                | Q(opened_on__lte=F("closed_on")),
                name="fund_opens_before_it_closes",
                violation_error_message=_("Ngày khóa sổ phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.cluster_year.year})"


def donor_label(unit_name: str, donor_name: str) -> str:
    """ "Ngân hàng Y (qua Công an tỉnh X)" for a gift a unit passed on; else whichever is named."""
    if unit_name and donor_name:
        return _("%(donor)s (qua %(unit)s)") % {"donor": donor_name, "unit": unit_name}
    return unit_name or donor_name


class Contribution(Provenance):
    """A unit's (or another donor's) contribution to a fund."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("quỹ"), on_delete=models.CASCADE, related_name="contributions"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đóng góp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    donor_name = models.CharField(
        _("nhà hảo tâm khác"),
        max_length=200,
        blank=True,
        help_text=_(
            "Khi người đóng góp không phải đơn vị trong cụm: ngân hàng, doanh nghiệp, tỉnh…"
        ),
    )
    amount = MoneyField(_("số tiền (₫)"))
    given_on = models.DateField(
        _("ngày đóng góp"), null=True, blank=True, help_text=_("Để trống khi nguồn không ghi ngày.")
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản đóng góp")
        verbose_name_plural = _("khoản đóng góp")
        ordering = ["fund", "given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="contribution_amount_positive",
                violation_error_message=_("Số tiền phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(donor_name=""),
                name="contribution_has_a_donor",
                violation_error_message=_("Cần chọn đơn vị hoặc ghi tên người đóng góp."),
            ),
        ]

    def __str__(self):
        return f"{self.donor} – {self.amount} ₫"

    @property
    def donor(self) -> str:
        """Who gave it: the unit, the donor, or a donor's gift passed on by a unit."""
        return donor_label(self.unit.name if self.unit_id else "", self.donor_name)


class Beneficiary(Provenance):
    """An officer in hardship who receives support."""

    class Circumstance(models.TextChoices):
        HARDSHIP = "hardship", _("Hoàn cảnh khó khăn")
        POLICY_FAMILY = "policy_family", _("Gia đình chính sách")
        ILLNESS = "illness", _("Bệnh hiểm nghèo")
        DISASTER = "disaster", _("Thiên tai")
        OTHER = "other", _("Khác")

    full_name = models.CharField(_("họ tên"), max_length=120)
    rank = models.CharField(_("cấp bậc"), max_length=50, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="beneficiaries"
    )
    place = models.CharField(_("nơi công tác, cư trú"), max_length=200, blank=True)
    circumstance = models.CharField(
        _("hoàn cảnh"), max_length=20, choices=Circumstance.choices, default=Circumstance.HARDSHIP
    )
    story = models.TextField(_("câu chuyện"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("người được hỗ trợ")
        verbose_name_plural = _("người được hỗ trợ")
        ordering = ["unit__short_name", "full_name"]

    def __str__(self):
        return " ".join(p for p in (self.rank, self.full_name) if p)


class Support(Provenance):
    """Money or a house given from a fund to a beneficiary. A house goes approved → building →
    inaugurated and handed over, each on a date, in that order."""

    class Kind(models.TextChoices):
        HOUSE = "house", _("Nhà Nghĩa tình đồng đội")
        MONEY = "money", _("Tiền")
        OTHER = "other", _("Khác")

    fund = models.ForeignKey(
        Fund, verbose_name=_("quỹ"), on_delete=models.PROTECT, related_name="supports"
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("người được hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="supports",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices, default=Kind.HOUSE)
    amount = MoneyField(
        _("số tiền từ quỹ (₫)"),
        null=True,
        blank=True,
        help_text=_("Để trống chỉ với hồ sơ cũ mà nguồn không ghi số tiền."),
    )
    paid_on = models.DateField(_("ngày chi"), null=True, blank=True)
    non_member_reason = models.TextField(
        _("lý do hỗ trợ ngoài cụm"),
        blank=True,
        help_text=_("Bắt buộc khi đơn vị của người được hỗ trợ không thuộc cụm năm đó."),
    )
    house_total_cost = MoneyField(_("tổng chi phí ngôi nhà (₫)"), null=True, blank=True)
    other_funding = MoneyField(
        _("nguồn khác (₫)"), null=True, blank=True, help_text=_("Gia đình, địa phương… góp thêm.")
    )
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    building_started_on = models.DateField(_("ngày khởi công"), null=True, blank=True)
    handed_over_on = models.DateField(_("ngày khánh thành, bàn giao"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản hỗ trợ")
        verbose_name_plural = _("khoản hỗ trợ")
        ordering = ["fund", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="support_amount_positive",
                violation_error_message=_("Số tiền phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True)
                | Q(building_started_on__isnull=True)
                | Q(approved_on__lte=F("building_started_on")),
                name="support_approved_before_building",
                violation_error_message=_("Ngày khởi công không thể trước ngày phê duyệt."),
            ),
            models.CheckConstraint(
                condition=Q(building_started_on__isnull=True)
                | Q(handed_over_on__isnull=True)
                | Q(building_started_on__lte=F("handed_over_on")),
                name="support_building_before_handover",
                violation_error_message=_("Ngày bàn giao không thể trước ngày khởi công."),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True)
                | Q(handed_over_on__isnull=True)
                | Q(approved_on__lte=F("handed_over_on")),
                name="support_approved_before_handover",
                violation_error_message=_("Ngày bàn giao không thể trước ngày phê duyệt."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.beneficiary}"

    @property
    def house_stage(self) -> str:
        if self.kind != self.Kind.HOUSE:
            return ""
        if self.handed_over_on:
            return str(_("Đã khánh thành, bàn giao"))
        if self.building_started_on:
            return str(_("Đang xây dựng"))
        if self.approved_on:
            return str(_("Đã phê duyệt"))
        return str(_("Dự kiến"))

    @property
    def cluster_share(self):
        """Percent of the house the cluster's fund paid, or None without a total cost."""
        return rate(self.amount, self.house_total_cost)
