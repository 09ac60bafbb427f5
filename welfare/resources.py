from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from clusters.models import Unit
from clusters.resources import (
    CLUSTER,
    YEAR,
    AllOrNothingResource,
    ClusterYearWidget,
    NameForeignKeyWidget,
    TextWidget,
    date_field,
    number_widget,
    text_field,
)
from welfare.models import Beneficiary, Contribution, Fund, Support

FUND = "Quỹ"


class FundWidget(ForeignKeyWidget):
    """A fund named by its title; the cluster and the year come from the row."""

    def __init__(self):
        super().__init__(Fund)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        title = TextWidget().clean(value)
        cluster_year = ClusterYearWidget().clean(row.get(CLUSTER), row)
        fund = Fund.objects.filter(cluster_year=cluster_year, title=title).first()
        if fund is None:
            raise ValueError(
                _("%(cluster_year)s không có quỹ “%(title)s”.")
                % {"cluster_year": cluster_year, "title": title}
            )
        return fund

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class FundResource(AllOrNothingResource):
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
    status = text_field("status", "Trạng thái (collecting/closed)")
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


class ContributionResource(AllOrNothingResource):
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

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None and instance.fund.status == Fund.Status.CLOSED:
            raise ValidationError(
                _("Quỹ “%(fund)s” đã khóa sổ, không nhận thêm đóng góp.")
                % {"fund": instance.fund.title}
            )


class BeneficiaryResource(AllOrNothingResource):
    full_name = text_field("full_name", "Họ tên")
    rank = text_field("rank", "Cấp bậc")
    position = text_field("position", "Chức vụ")
    unit = fields.Field(
        attribute="unit", column_name="Đơn vị", widget=NameForeignKeyWidget(Unit, "name")
    )
    place = text_field("place", "Nơi công tác, cư trú")
    circumstance = text_field(
        "circumstance", "Hoàn cảnh (hardship/policy_family/illness/disaster/other)"
    )
    story = text_field("story", "Câu chuyện")

    class Meta:
        model = Beneficiary
        import_id_fields = ("full_name", "unit")
        fields = ("full_name", "rank", "position", "unit", "place", "circumstance", "story")
        skip_unchanged = True
        clean_model_instances = True


class SupportResource(AllOrNothingResource):
    """Export only: a support moves money and is checked against the fund on the secretariat's page."""

    cluster = fields.Field(attribute="fund__cluster_year__cluster__name", column_name=CLUSTER)
    year = fields.Field(
        attribute="fund__cluster_year__year", column_name=YEAR, widget=number_widget()
    )
    fund = fields.Field(attribute="fund__title", column_name=FUND)
    beneficiary = fields.Field(attribute="beneficiary", column_name="Người được hỗ trợ")
    unit = fields.Field(attribute="beneficiary__unit__name", column_name="Đơn vị")
    kind = fields.Field(attribute="get_kind_display", column_name="Hình thức")
    amount = fields.Field(attribute="amount", column_name="Số tiền (₫)", widget=number_widget())
    house_total_cost = fields.Field(
        attribute="house_total_cost", column_name="Tổng chi phí nhà (₫)", widget=number_widget()
    )
    other_funding = fields.Field(
        attribute="other_funding", column_name="Nguồn khác (₫)", widget=number_widget()
    )
    approved_on = date_field("approved_on", "Ngày phê duyệt")
    building_started_on = date_field("building_started_on", "Ngày khởi công")
    handed_over_on = date_field("handed_over_on", "Ngày khánh thành, bàn giao")

    class Meta:
        model = Support
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
            "approved_on",
            "building_started_on",
            "handed_over_on",
        )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("fund__cluster_year__cluster", "beneficiary__unit")
        )
