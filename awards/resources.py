"""Spreadsheet columns for award kinds, nominations and commendations: names, never ids.

Commendations come by the thousand (9,341 individuals in cluster II in 2023): names are looked
up in a dictionary built once per file, existing rows are read once per file, and new rows are
written in batches after every row has been validated, so errors still name their row."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from awards.models import AwardKind, Commendation, Nomination
from clusters.models import Unit
from clusters.resources import AllOrNothingResource, date_field, number_widget, text_field


def normalise(text) -> str:
    """One spelling for a name: Unicode NFC (Excel on Windows and on Mac differ), single spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


class CachedNameWidget(ForeignKeyWidget):
    """A foreign key typed as its name, resolved from a dictionary loaded on first use."""

    def __init__(self, model, field="name"):
        super().__init__(model, field)
        self._by_name = None

    def clean(self, value, row=None, **kwargs):
        if value is None or normalise(value) == "":
            return None
        if self._by_name is None:
            self._by_name = {normalise(getattr(o, self.field)): o for o in self.model.objects.all()}
        try:
            return self._by_name[normalise(value)]
        except KeyError:
            raise ValueError(
                _("Không tìm thấy %(model)s có tên “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": normalise(value)}
            ) from None


class AwardKindResource(AllOrNothingResource):
    code = text_field("code", "Mã")
    name = text_field("name", "Tên")
    level = text_field("level", "Cấp (government/ministry/unit)")
    recipient = text_field("recipient", "Đối tượng (collective/individual/both)")

    class Meta:
        model = AwardKind
        import_id_fields = ("code",)
        fields = ("code", "name", "level", "recipient")
        skip_unchanged = True
        clean_model_instances = True


class NominationResource(AllOrNothingResource):
    """Export only: nominations are made by the vote, through the rules, not by a sheet."""

    cluster = text_field("cluster_year__cluster__name", "Cụm thi đua")
    year = fields.Field(attribute="cluster_year__year", column_name="Năm", widget=number_widget())
    award_kind = text_field("award_kind__name", "Hình thức")
    unit = text_field("unit__name", "Đơn vị")
    person_name = text_field("person_name", "Họ tên")
    votes_for = fields.Field(
        attribute="votes_for", column_name="Số phiếu đồng ý", widget=number_widget()
    )
    council_size = fields.Field(
        attribute="council_size", column_name="Tổng số thành viên", widget=number_widget()
    )
    status = text_field("get_status_display", "Trạng thái")
    decision_number = text_field("decision_number", "Số quyết định")
    decision_date = date_field("decision_date", "Ngày quyết định")
    override_reason = text_field("override_reason", "Lý do vượt quy định")

    class Meta:
        model = Nomination
        fields = (
            "cluster",
            "year",
            "award_kind",
            "unit",
            "person_name",
            "votes_for",
            "council_size",
            "status",
            "decision_number",
            "decision_date",
            "override_reason",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "award_kind", "unit")


class CommendationResource(AllOrNothingResource):
    year = fields.Field(attribute="year", column_name="Năm", widget=number_widget())
    award_kind = fields.Field(
        attribute="award_kind", column_name="Hình thức", widget=CachedNameWidget(AwardKind)
    )
    unit = fields.Field(attribute="unit", column_name="Đơn vị", widget=CachedNameWidget(Unit))
    person_name = text_field("person_name", "Họ tên")
    person_rank = text_field("person_rank", "Cấp bậc")
    person_position = text_field("person_position", "Chức vụ")
    decision_number = text_field("decision_number", "Số quyết định")
    decision_date = date_field("decision_date", "Ngày quyết định")
    decision_issuer = text_field("decision_issuer", "Người ký")
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Commendation
        import_id_fields = ("year", "award_kind", "unit", "person_name", "decision_number")
        fields = (
            "year",
            "award_kind",
            "unit",
            "person_name",
            "person_rank",
            "person_position",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "notes",
        )
        clean_model_instances = True
        use_bulk = True
        batch_size = 1000
        skip_diff = True

    def get_queryset(self):
        return super().get_queryset().select_related("award_kind", "unit")

    def _key(self, year, award_kind_id, unit_id, person_name, decision_number):
        return (
            year,
            award_kind_id,
            unit_id,
            normalise(person_name or ""),
            normalise(decision_number or ""),
        )

    def before_import(self, dataset, **kwargs):
        """Read the existing commendations of the file's years once, instead of once per row."""
        super().before_import(dataset, **kwargs)
        years = set()
        if "Năm" in (dataset.headers or []):
            for value in dataset["Năm"]:
                try:
                    years.add(int(str(value).strip()))
                except (TypeError, ValueError):
                    continue
        self._existing = {
            self._key(c.year, c.award_kind_id, c.unit_id, c.person_name, c.decision_number): c
            for c in Commendation.objects.filter(year__in=years)
        }

    def get_instance(self, instance_loader, row):
        try:
            year = self.fields["year"].clean(row)
            award_kind = self.fields["award_kind"].clean(row)
            unit = self.fields["unit"].clean(row)
        except ValueError:
            return None  # the row's own validation will say what is wrong
        if not (year and award_kind and unit):
            return None
        key = self._key(
            year,
            award_kind.pk,
            unit.pk,
            row.get("Họ tên"),
            row.get("Số quyết định"),
        )
        return getattr(self, "_existing", {}).get(key)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean() without re-reading the kind and the unit the widgets already found (a
        query each per row); their presence is checked here instead."""
        errors = dict(import_validation_errors or {})
        for field in ("award_kind", "unit"):
            if field not in errors and getattr(instance, f"{field}_id") is None:
                errors[field] = [_("Thiếu giá trị.")]
        try:
            instance.full_clean(
                exclude=[*errors, "award_kind", "unit", "nomination"], validate_unique=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.person_name = normalise(instance.person_name or "")
        instance.decision_number = normalise(instance.decision_number or "")


# The commendation sheet's headers, in order (the template, the tests and the benchmark use them).
COMMENDATION_HEADERS = CommendationResource().get_export_headers()
