"""Spreadsheet columns for the admin's import/export: units and clusters by name, never by id."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import CharWidget, DateWidget, ForeignKeyWidget, IntegerWidget

from clusters import services
from clusters.models import Cluster, ClusterYear, Membership, Unit

CLUSTER = "Cụm thi đua"
YEAR = "Năm"
UNIT = "Đơn vị"


class AllOrNothingResource(resources.ModelResource):
    """An import writes every row or none: django-import-export keeps the valid rows of a file
    with invalid ones unless told otherwise."""

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)


class NameForeignKeyWidget(ForeignKeyWidget):
    """A foreign key typed as its name; a name that matches nothing is an error that names the value."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = " ".join(value.split())
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("Không tìm thấy %(model)s có tên “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None


class ClusterYearWidget(ForeignKeyWidget):
    """The cluster column names the cluster; the year comes from the row's year column."""

    def __init__(self):
        super().__init__(ClusterYear)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        name = " ".join(str(value).split())
        year = row.get(YEAR) if row else None
        try:
            return ClusterYear.objects.select_related("cluster").get(
                cluster__name=name, year=int(year)
            )
        except (TypeError, ValueError):
            raise ValueError(
                _("Năm “%(value)s” không phải là một năm.") % {"value": year}
            ) from None
        except ClusterYear.DoesNotExist:
            raise ValueError(
                _("%(cluster)s chưa có năm thi đua %(year)s.") % {"cluster": name, "year": year}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.cluster.name if value else ""


class TextWidget(CharWidget):
    """Text as people type it into sheets: an empty cell is "" (never NULL, which the database
    would refuse only at the write, far from its row), NFC-normalised, trimmed."""

    def clean(self, value, row=None, **kwargs):
        return unicodedata.normalize("NFC", super().clean(value, row, **kwargs)).strip()


def text_field(attribute, header, **kwargs):
    return fields.Field(attribute=attribute, column_name=header, widget=TextWidget(), **kwargs)


def number_widget():
    # Numbers stay numbers in the sheet; the default renders them localised ("2.024").
    return IntegerWidget(coerce_to_string=False)


def date_field(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=DateWidget())


class UnitResource(AllOrNothingResource):
    name = text_field("name", "Tên đơn vị")
    short_name = text_field("short_name", "Tên ngắn")
    slug = text_field("slug", "Mã đường dẫn")
    started_on = date_field("started_on", "Ngày thành lập")
    ended_on = date_field("ended_on", "Ngày kết thúc")
    successor = fields.Field(
        attribute="successor",
        column_name="Đơn vị kế thừa",
        widget=NameForeignKeyWidget(Unit, "name"),
    )
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Unit
        import_id_fields = ("name",)
        fields = ("name", "short_name", "slug", "started_on", "ended_on", "successor", "notes")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("successor")


class ClusterResource(AllOrNothingResource):
    number = fields.Field(attribute="number", column_name="Số", widget=number_widget())
    name = text_field("name", "Tên cụm")
    slug = text_field("slug", "Mã đường dẫn")
    description = text_field("description", "Mô tả")

    class Meta:
        model = Cluster
        import_id_fields = ("name",)
        fields = ("number", "name", "slug", "description")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class ClusterYearResource(AllOrNothingResource):
    cluster = fields.Field(
        attribute="cluster", column_name=CLUSTER, widget=NameForeignKeyWidget(Cluster, "name")
    )
    year = fields.Field(attribute="year", column_name=YEAR, widget=number_widget())
    chair = fields.Field(
        attribute="chair", column_name="Cụm trưởng", widget=NameForeignKeyWidget(Unit, "name")
    )
    vice_chair = fields.Field(
        attribute="vice_chair",
        column_name="Phó Cụm trưởng",
        widget=NameForeignKeyWidget(Unit, "name"),
    )
    handover_date = date_field("handover_date", "Ngày nhận bàn giao")
    handover_note = text_field("handover_note", "Ghi chú bàn giao")

    class Meta:
        model = ClusterYear
        import_id_fields = ("cluster", "year")
        fields = ("cluster", "year", "chair", "vice_chair", "handover_date", "handover_note")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster", "chair", "vice_chair")

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            services.ensure_year_open(ClusterYear.objects.get(pk=instance.pk))
            member_ids = instance.memberships.values_list("unit_id", flat=True)
        else:
            member_ids = []
        errors = services.chair_errors(
            chair=instance.chair, vice_chair=instance.vice_chair, member_ids=member_ids
        )
        if errors:
            raise ValidationError(errors)


class MembershipResource(AllOrNothingResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(attribute="year", column_name=YEAR, widget=number_widget())
    unit = fields.Field(
        attribute="unit", column_name=UNIT, widget=NameForeignKeyWidget(Unit, "name")
    )

    class Meta:
        model = Membership
        import_id_fields = ("cluster_year", "unit")
        fields = ("cluster_year", "year", "unit")
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "unit")

    def before_save_instance(self, instance, row, **kwargs):
        services.ensure_year_open(instance.cluster_year)
        instance.year = instance.cluster_year.year
        errors = services.roster_errors(cluster_year=instance.cluster_year, units=[instance.unit])
        if errors:
            raise ValidationError(errors)
