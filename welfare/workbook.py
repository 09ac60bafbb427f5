from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from clusters.models import Unit
from clusters.workbook import CLUSTER, UNIT, YEAR, ClusterYearWidget, ProvenanceResource
from core.resources import (
    ChoiceWidget,
    NameForeignKeyWidget,
    TextWidget,
    date_field,
    number_widget,
    text_field,
)
from core.sheets import Section
from welfare import services
from welfare.models import Beneficiary, Contribution, Fund, Support

FUND = "Quỹ"


def namesakes_message(cluster_year, title: str, count: int) -> str:
    """Two funds of one year under one title (data from before the title check): a row naming
    that title cannot say which one it means."""
    return _(
        "%(cluster_year)s có %(count)s quỹ cùng tên “%(title)s”: không biết dòng này nói quỹ "
        "nào. Hãy đổi tên để mỗi quỹ một tên (trang quản trị) rồi nhập lại."
    ) % {"cluster_year": cluster_year, "title": title, "count": count}


class FundWidget(ForeignKeyWidget):
    """A fund named by its title; the cluster and the year come from the row. A title two funds
    of that year share is refused, never read as the first of them."""

    def __init__(self):
        super().__init__(Fund)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        title = TextWidget().clean(value)
        cluster_year = ClusterYearWidget().clean(row.get(CLUSTER), row)
        funds = list(Fund.objects.filter(cluster_year=cluster_year, title=title)[:2])
        if not funds:
            raise ValueError(
                _("%(cluster_year)s không có quỹ “%(title)s”.")
                % {"cluster_year": cluster_year, "title": title}
            )
        if len(funds) > 1:
            count = Fund.objects.filter(cluster_year=cluster_year, title=title).count()
            raise ValueError(namesakes_message(cluster_year, title, count))
        return funds[0]

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class FundResource(ProvenanceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(
        attribute="cluster_year__year", column_name=YEAR, readonly=True, widget=number_widget()
    )
    title = text_field("title", "Tên quỹ")
    purpose = text_field("purpose", "Mục đích")
    target = fields.Field(attribute="target", column_name="Mục tiêu (₫)", widget=number_widget())
    opened_on = date_field("opened_on", "Ngày bắt đầu")
    closed_on = date_field("closed_on", "Ngày khóa sổ")
    status = fields.Field(
        attribute="status",
        column_name="Trạng thái (collecting/closed)",
        widget=ChoiceWidget(Fund.Status),
    )
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Fund
        import_id_fields = ("cluster_year", "title")
        fields = (
            "cluster_year",
            "year",
            "title",
            "purpose",
            "target",
            "opened_on",
            "closed_on",
            "status",
            "notes",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster")

    def get_instance(self, instance_loader, row):
        """The row's fund by year and title; two funds of that title are the row's error, in
        Vietnamese, on the title's column (not "get() returned more than one Fund")."""
        try:
            return super().get_instance(instance_loader, row)
        except Fund.MultipleObjectsReturned:
            cluster_year = self.fields["cluster_year"].clean(row)
            title = self.fields["title"].clean(row)
            count = Fund.objects.filter(cluster_year=cluster_year, title=title).count()
            raise ValidationError(
                {"title": [namesakes_message(cluster_year, title, count)]}
            ) from None

    def write(self, instance, by):
        services.fund_save(fund=instance, by=by)


class ContributionResource(ProvenanceResource):
    cluster = fields.Field(
        attribute="fund__cluster_year__cluster__name", column_name=CLUSTER, readonly=True
    )
    year = fields.Field(
        attribute="fund__cluster_year__year",
        column_name=YEAR,
        readonly=True,
        widget=number_widget(),
    )
    fund = fields.Field(attribute="fund", column_name=FUND, widget=FundWidget())
    unit = fields.Field(
        attribute="unit", column_name="Đơn vị", widget=NameForeignKeyWidget(Unit, "name")
    )
    donor_name = text_field("donor_name", "Nhà hảo tâm khác")
    amount = fields.Field(attribute="amount", column_name="Số tiền (₫)", widget=number_widget())
    given_on = date_field("given_on", "Ngày đóng góp")
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Contribution
        fields = ("cluster", "year", "fund", "unit", "donor_name", "amount", "given_on", "notes")
        import_id_fields = ("fund", "unit", "donor_name", "amount", "given_on")
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("fund__cluster_year__cluster", "unit")

    def write(self, instance, by):
        # The import does not ask the page's repeat question: it shows every row it will add
        # before it writes, a row is found again by fund, donor, amount and date (the same sheet
        # twice adds nothing), and two like rows on a sheet are two gifts, as the sheet says.
        services.contribution_save(contribution=instance, by=by, confirm_repeat=True)


class BeneficiaryResource(ProvenanceResource):
    full_name = text_field("full_name", "Họ tên")
    rank = text_field("rank", "Cấp bậc")
    position = text_field("position", "Chức vụ")
    unit = fields.Field(
        attribute="unit", column_name="Đơn vị", widget=NameForeignKeyWidget(Unit, "name")
    )
    place = text_field("place", "Nơi công tác, cư trú")
    circumstance = fields.Field(
        attribute="circumstance",
        column_name="Hoàn cảnh (hardship/policy_family/illness/disaster/other)",
        widget=ChoiceWidget(Beneficiary.Circumstance),
    )
    story = text_field("story", "Câu chuyện")

    class Meta:
        model = Beneficiary
        import_id_fields = ("full_name", "unit")
        fields = ("full_name", "rank", "position", "unit", "place", "circumstance", "story")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def write(self, instance, by):
        services.beneficiary_save(beneficiary=instance, by=by)


class BeneficiaryWidget(ForeignKeyWidget):
    """A beneficiary named by full name; the unit column of the row tells namesakes apart."""

    def __init__(self):
        super().__init__(Beneficiary)

    def clean(self, value, row=None, **kwargs):
        name = TextWidget().clean(value)
        if not name:
            return None
        name = " ".join(name.split())
        unit = NameForeignKeyWidget(Unit, "name").clean((row or {}).get(UNIT))
        found = Beneficiary.objects.filter(full_name=name, unit=unit).first()
        if found is None:
            raise ValueError(
                _("Không có người được hỗ trợ “%(name)s” của %(unit)s (trang Người được hỗ trợ).")
                % {"name": name, "unit": unit or "—"}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.full_name if value else ""


class SupportResource(ProvenanceResource):
    """Money or a house from a fund, held to the same checks as on the secretariat's page: the
    fund's balance, the beneficiary's cluster, the order of the house's dates."""

    cluster = fields.Field(
        attribute="fund__cluster_year__cluster__name", column_name=CLUSTER, readonly=True
    )
    year = fields.Field(
        attribute="fund__cluster_year__year",
        column_name=YEAR,
        readonly=True,
        widget=number_widget(),
    )
    fund = fields.Field(attribute="fund", column_name=FUND, widget=FundWidget())
    beneficiary = fields.Field(
        attribute="beneficiary", column_name="Người được hỗ trợ", widget=BeneficiaryWidget()
    )
    unit = fields.Field(attribute="beneficiary__unit__name", column_name=UNIT, readonly=True)
    kind = fields.Field(
        attribute="kind", column_name="Hình thức", widget=ChoiceWidget(Support.Kind)
    )
    amount = fields.Field(attribute="amount", column_name="Số tiền (₫)", widget=number_widget())
    house_total_cost = fields.Field(
        attribute="house_total_cost", column_name="Tổng chi phí nhà (₫)", widget=number_widget()
    )
    other_funding = fields.Field(
        attribute="other_funding", column_name="Nguồn khác (₫)", widget=number_widget()
    )
    paid_on = date_field("paid_on", "Ngày chi")
    approved_on = date_field("approved_on", "Ngày phê duyệt")
    building_started_on = date_field("building_started_on", "Ngày khởi công")
    handed_over_on = date_field("handed_over_on", "Ngày khánh thành, bàn giao")
    non_member_reason = text_field("non_member_reason", "Lý do hỗ trợ ngoài cụm")
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Support
        import_id_fields = ("fund", "beneficiary", "kind")
        fields = (
            "cluster",
            "year",
            "fund",
            "beneficiary",
            "unit",
            "kind",
            "amount",
            "house_total_cost",
            "other_funding",
            "paid_on",
            "approved_on",
            "building_started_on",
            "handed_over_on",
            "non_member_reason",
            "notes",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("fund__cluster_year__cluster", "beneficiary__unit")
        )

    def write(self, instance, by):
        # Old records may not say how much was paid (the seeds do not).
        services.support_save(support=instance, by=by, require_amount=False)


def _beneficiaries_of(supports) -> list[Beneficiary]:
    """The people the support sheet's rows helped, each once, in the order of the query above
    (one without a unit last, as PostgreSQL puts it)."""
    people = {support.beneficiary_id: support.beneficiary for support in supports}.values()
    return sorted(
        people, key=lambda b: (b.unit is None, b.unit.name if b.unit else "", b.full_name)
    )


# The sheets of the year's workbook that this app keeps (workbook.registry finds them).
SHEETS = [
    Section(
        90,
        "Quỹ",
        FundResource,
        (CLUSTER, YEAR, "Tên quỹ"),
        lambda years, units, year: (
            Fund.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "title")
        ),
        deferred=("Trạng thái (collecting/closed)",),
    ),
    Section(
        100,
        "Đóng góp",
        ContributionResource,
        (CLUSTER, YEAR, "Quỹ", UNIT, "Nhà hảo tâm khác", "Số tiền (₫)", "Ngày đóng góp"),
        lambda years, units, year: (
            Contribution.objects.filter(fund__cluster_year__in=years)
            .select_related("fund__cluster_year__cluster", "unit")
            .order_by(
                "fund__cluster_year__cluster__number",
                "fund__cluster_year__cluster__name",
                "fund__title",
                "given_on",
                "unit__name",
                "donor_name",
                "amount",
                "notes",
            )
        ),
    ),
    Section(
        110,
        "Người được hỗ trợ",
        BeneficiaryResource,
        ("Họ tên", UNIT),
        lambda years, units, year: (
            Beneficiary.objects.filter(supports__fund__cluster_year__in=years)
            .distinct()
            .select_related("unit")
            .order_by("unit__name", "full_name")
        ),
        derived_from="Hỗ trợ",
        derive=_beneficiaries_of,
    ),
    Section(
        120,
        "Hỗ trợ",
        SupportResource,
        (CLUSTER, YEAR, "Quỹ", "Người được hỗ trợ", UNIT, "Hình thức"),
        lambda years, units, year: (
            Support.objects.filter(fund__cluster_year__in=years)
            .select_related("fund__cluster_year__cluster", "beneficiary__unit")
            .order_by(
                "fund__cluster_year__cluster__number",
                "fund__cluster_year__cluster__name",
                "fund__title",
                "beneficiary__unit__name",
                "beneficiary__full_name",
                "kind",
            )
        ),
    ),
]
