"""Spreadsheet columns for the admin's import/export and the workbook: units and clusters by
name, never by id. Every resource checks, row by row, that the importing user may write that row."""

import difflib
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import CharWidget, DateWidget, ForeignKeyWidget, IntegerWidget

from accounts.access import can
from accounts.models import Role
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

    # Who may write a row. The user comes with the import (the admin's import page, the workbook
    # upload); the command line runs as the admin. A published year is frozen for everyone.

    def cluster_year_of(self, instance) -> ClusterYear | None:
        """The emulation year a row belongs to; None for rows outside any year."""
        return getattr(instance, "cluster_year", None)

    def secretariat_may(self, user, instance, cluster_year) -> bool:
        return cluster_year is not None and can(user, "clusters.change_clusteryear", cluster_year)

    def officer_may(self, user, instance) -> bool:
        return False

    def refusal(self, user, instance, is_create: bool) -> str | None:
        cluster_year = self.cluster_year_of(instance)
        if cluster_year is not None and cluster_year.is_published:
            return _(
                "Năm thi đua %(year)s của %(cluster)s đã công bố nên không thể sửa; "
                "chỉ quản trị viên mới mở lại được."
            ) % {"year": cluster_year.year, "cluster": cluster_year.cluster}
        if user is None or user.is_admin_role:
            return None
        if user.is_active and user.role == Role.SECRETARIAT:
            if self.secretariat_may(user, instance, cluster_year):
                return None
            return _("Thư ký cụm chỉ được nhập dữ liệu các năm chưa công bố của cụm mình.")
        if user.is_active and user.role == Role.UNIT_OFFICER:
            if self.officer_may(user, instance):
                return None
            return _("Cán bộ đơn vị chỉ được nhập báo cáo của đơn vị mình, năm chưa công bố.")
        return _("Tài khoản này chỉ được xem và xuất dữ liệu, không được nhập.")

    def get_or_init_instance(self, instance_loader, row):
        """A name in an identifying column that matches nothing is the row's error, with its
        column, not a failure of the whole row."""
        errors = {}
        for name in self.get_import_id_fields():
            resource_field = self.fields[name]
            try:
                resource_field.clean(row)
            except ValueError as error:
                errors[resource_field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)
        return super().get_or_init_instance(instance_loader, row)

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user")
        message = self.refusal(user, instance, is_create)
        if message:
            raise ValidationError(message)
        # The history says who imported it, also outside a web request (django-simple-history).
        if getattr(user, "is_authenticated", False):
            instance._history_user = user
        instance._change_reason = _("Nhập từ tệp Excel")
        super().save_instance(instance, is_create, row, **kwargs)


class AdminOnlyResource(AllOrNothingResource):
    """Units, clusters and award kinds are kept by the admin."""

    def secretariat_may(self, user, instance, cluster_year) -> bool:
        return False


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(str(text).split())).casefold()


class NameForeignKeyWidget(ForeignKeyWidget):
    """A foreign key typed as its name: Unicode forms, spaces and letter case do not matter as
    long as one name matches; a name that matches nothing (or two) is an error that names it and
    suggests the closest names."""

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return None
        value = unicodedata.normalize("NFC", " ".join(str(value).split()))
        try:
            return self.model.objects.get(**{self.field: value})
        except self.model.DoesNotExist:
            pass
        names = list(self.model.objects.values_list(self.field, flat=True))
        same = [name for name in names if _folded(name) == _folded(value)]
        if len(same) == 1:
            return self.model.objects.get(**{self.field: same[0]})
        if len(same) > 1:
            raise ValueError(
                _("“%(value)s” có thể là %(names)s: hãy gõ đúng chữ hoa, chữ thường.")
                % {"value": value, "names": ", ".join(f"“{name}”" for name in same)}
            )
        close = difflib.get_close_matches(value, names, n=2, cutoff=0.85)
        message = _("Không tìm thấy %(model)s có tên “%(value)s”.") % {
            "model": self.model._meta.verbose_name,
            "value": value,
        }
        if close:
            message += " " + _("Có phải: %(names)s?") % {
                "names": ", ".join(f"“{name}”" for name in close)
            }
        raise ValueError(message)


class ClusterYearWidget(ForeignKeyWidget):
    """The cluster column names the cluster; the year comes from the row's year column."""

    def __init__(self):
        super().__init__(ClusterYear)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        cluster = NameForeignKeyWidget(Cluster, "name").clean(value)
        year = row.get(YEAR) if row else None
        try:
            return ClusterYear.objects.select_related("cluster").get(
                cluster=cluster, year=int(year)
            )
        except (TypeError, ValueError):
            raise ValueError(
                _("Năm “%(value)s” không phải là một năm.") % {"value": year}
            ) from None
        except ClusterYear.DoesNotExist:
            raise ValueError(
                _("%(cluster)s chưa có năm thi đua %(year)s.")
                % {"cluster": cluster.name, "year": year}
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


class UnitResource(AdminOnlyResource):
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


class ClusterResource(AdminOnlyResource):
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
    leading_unit = fields.Field(
        attribute="leading_unit",
        column_name="Đơn vị dẫn đầu",
        widget=NameForeignKeyWidget(Unit, "name"),
    )

    class Meta:
        model = ClusterYear
        import_id_fields = ("cluster", "year")
        fields = (
            "cluster",
            "year",
            "chair",
            "vice_chair",
            "handover_date",
            "handover_note",
            "leading_unit",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster", "chair", "vice_chair")

    def cluster_year_of(self, instance):
        return instance

    def secretariat_may(self, user, instance, cluster_year) -> bool:
        # A new emulation year is opened by the admin; the secretariat keeps its open ones.
        return instance.pk is not None and super().secretariat_may(user, instance, cluster_year)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            services.ensure_year_open(ClusterYear.objects.get(pk=instance.pk))
            member_ids = set(instance.memberships.values_list("unit_id", flat=True))
        else:
            member_ids = set()
        errors = services.chair_errors(
            chair=instance.chair, vice_chair=instance.vice_chair, member_ids=member_ids
        )
        if instance.leading_unit_id and instance.leading_unit_id not in member_ids:
            errors["leading_unit"] = _("%(unit)s không phải thành viên của cụm năm %(year)s.") % {
                "unit": instance.leading_unit,
                "year": instance.year,
            }
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


class ChoiceWidget(CharWidget):
    """A choice written as its Vietnamese label; the code (e.g. "approved") is accepted too."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
        if not text:
            return ""
        for code, label in self.choices.choices:
            if text.casefold() in (str(code).casefold(), str(label).casefold()):
                return code
        raise ValueError(
            _("“%(value)s” không phải một trong: %(labels)s.")
            % {"value": text, "labels": ", ".join(str(label) for label in self.choices.labels)}
        )

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return str(self.choices(value).label)
