"""Spreadsheet columns for award kinds, nominations and commendations: names, never ids.

Commendations come by the thousand (9,341 individuals in cluster II in 2023): names are looked
up in a dictionary built once per file, existing rows are read once per file, and new rows are
written in batches after every row has been validated, so errors still name their row."""

import datetime
import unicodedata
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.access import history_user
from awards import services
from awards.models import AwardKind, Commendation, Level, Nomination, Recipient
from awards.tallies import refresh_tallies
from clusters.models import Unit
from clusters.workbook import CLUSTER, UNIT, YEAR, ClusterYearWidget, ProvenanceResource
from core.resources import (
    ChoiceWidget,
    NameForeignKeyWidget,
    ServiceResource,
    date_field,
    number_widget,
    text_field,
)
from core.sheets import Section


def normalise(text) -> str:
    """One spelling for a name: Unicode NFC (Excel on Windows and on Mac differ), single spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


class _Unclean:
    """A cell its widget refused: the exception, kept until the row is imported."""

    __slots__ = ("error",)

    def __init__(self, error: Exception):
        self.error = error


class CachedNameWidget(ForeignKeyWidget):
    """A foreign key typed as its name, resolved from a dictionary loaded on first use."""

    def __init__(self, model, field="name"):
        super().__init__(model, field)
        self._by_name = None

    def clean(self, value, row=None, **kwargs):
        name = "" if value is None else normalise(value)
        if not name:
            return None
        if self._by_name is None:
            self._by_name = {normalise(getattr(o, self.field)): o for o in self.model.objects.all()}
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(
                _("Không tìm thấy %(model)s có tên “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": name}
            ) from None


class AwardKindResource(ServiceResource):
    code = text_field("code", "Mã")
    name = text_field("name", "Tên")
    level = fields.Field(
        attribute="level", column_name="Cấp (government/ministry/unit)", widget=ChoiceWidget(Level)
    )
    recipient = fields.Field(
        attribute="recipient",
        column_name="Đối tượng (collective/individual/both)",
        widget=ChoiceWidget(Recipient),
    )

    class Meta:
        model = AwardKind
        import_id_fields = ("code",)
        fields = ("code", "name", "level", "recipient")
        skip_unchanged = True
        clean_model_instances = True

    def write(self, instance, by):
        services.award_kind_save(award_kind=instance, by=by)


class NominationResource(ProvenanceResource):
    """The vote's proposals and their decisions. A new row is held to the rules in force at the
    vote, as on the secretariat's page; only the admin may pass a broken rule, with a reason."""

    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(
        attribute="cluster_year__year", column_name=YEAR, readonly=True, widget=number_widget()
    )
    award_kind = fields.Field(
        attribute="award_kind",
        column_name="Hình thức",
        widget=NameForeignKeyWidget(AwardKind, "name"),
    )
    unit = fields.Field(
        attribute="unit", column_name="Đơn vị", widget=NameForeignKeyWidget(Unit, "name")
    )
    person_name = text_field("person_name", "Họ tên")
    person_rank = text_field("person_rank", "Cấp bậc")
    person_position = text_field("person_position", "Chức vụ")
    rank_order = fields.Field(
        attribute="rank_order", column_name="Thứ hạng", widget=number_widget()
    )
    votes_for = fields.Field(
        attribute="votes_for", column_name="Số phiếu đồng ý", widget=number_widget()
    )
    council_size = fields.Field(
        attribute="council_size", column_name="Tổng số thành viên", widget=number_widget()
    )
    achievements = text_field("achievements", "Tóm tắt thành tích")
    status = fields.Field(
        attribute="status", column_name="Trạng thái", widget=ChoiceWidget(Nomination.Status)
    )
    decision_number = text_field("decision_number", "Số quyết định")
    decision_date = date_field("decision_date", "Ngày quyết định")
    decision_issuer = text_field("decision_issuer", "Người ký")
    override_reason = text_field("override_reason", "Lý do vượt quy định")
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Nomination
        import_id_fields = ("cluster_year", "award_kind", "unit", "person_name")
        fields = (
            "cluster_year",
            "year",
            "award_kind",
            "unit",
            "person_name",
            "person_rank",
            "person_position",
            "rank_order",
            "votes_for",
            "council_size",
            "achievements",
            "status",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "override_reason",
            "notes",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "award_kind", "unit")

    def write(self, instance, by):
        services.nomination_import(nomination=instance, by=by)


class CommendationResource(ProvenanceResource):
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

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Bulk writes skip save() and its signals: the history is written with them here."""
        if self.create_instances and (using_transactions or not dry_run):
            try:
                touched = {(c.unit_id, c.year) for c in self.create_instances}
                bulk_create_with_history(
                    self.create_instances,
                    Commendation,
                    batch_size=batch_size,
                    default_user=self._user,
                    default_change_reason=_("Nhập từ tệp Excel"),
                )
                self._touched |= touched
            except Exception as error:  # noqa: BLE001 - reported as the import's error
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                touched = {(c.unit_id, c.year) for c in self.update_instances}
                bulk_update_with_history(
                    self.update_instances,
                    Commendation,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self._user,
                    default_change_reason=_("Nhập từ tệp Excel"),
                )
                self._touched |= touched
            except Exception as error:  # noqa: BLE001 - reported as the import's error
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def before_import(self, dataset, **kwargs):
        """Clean every cell once, then find the existing commendations the file's rows name, in
        two queries whatever the size of the year: the keys of the year's commendations of the
        file's units (plain tuples), then the model instances of those the file repeats. A year
        holds 150,000 commendations nationwide; making each an instance took most of an
        import's time."""
        super().before_import(dataset, **kwargs)
        user = kwargs.get("user")
        self._user = history_user(user)
        self._snapshots = {}
        self._touched = set()  # (unit id, year) pairs written: their tallies are recounted once
        self._row_cells = []
        wanted = set()
        headers = dataset.headers or []
        for values in dataset if headers else []:
            cells = self._clean_cells(dict(zip(headers, values, strict=False)))
            self._row_cells.append(cells)
            key = self._key_of(cells)
            if key is not None:
                wanted.add(key)
        stored = (
            Commendation.objects.filter(
                year__in={key[0] for key in wanted}, unit_id__in={key[2] for key in wanted}
            )
            .order_by()
            .values_list("pk", "year", "award_kind_id", "unit_id", "person_name", "decision_number")
        )
        pks = {self._key(*values[1:]): values[0] for values in stored}
        found = Commendation.objects.select_related("award_kind", "unit").in_bulk(
            [pk for key, pk in pks.items() if key in wanted]
        )
        self._existing = {
            self._key(c.year, c.award_kind_id, c.unit_id, c.person_name, c.decision_number): c
            for c in found.values()
        }

    # Each cell is cleaned once per file: django-import-export cleans the identifying columns
    # four times a row (the existing rows' lookup, the row's errors, the instance lookup, the
    # import), which was a third of an import's time.

    # Columns whose widget reads only its own cell, and whose cells repeat down a file (one
    # kind, a few units, one decision date for thousands of rows): each distinct cell is
    # cleaned once. The source's widget reads the row's year, and names are nearly all
    # different: those are cleaned cell by cell.
    REPEATING = (
        "year",
        "award_kind",
        "unit",
        "person_rank",
        "person_position",
        "decision_date",
        "decision_issuer",
        "notes",
        "data_status",
    )

    def _clean_cells(self, row) -> dict:
        """Every importable column of the row, cleaned: attribute -> value, or the exception its
        widget raised (said as the row's error later, where django-import-export says it)."""
        if self._seen is None:
            self._seen = {attribute: {} for attribute in self.REPEATING}
        cells = {}
        for field in self.get_import_fields():
            attribute = field.attribute
            if field.readonly or not attribute or field.column_name not in row:
                continue
            seen = self._seen.get(attribute)
            value = row[field.column_name]
            if seen is None or not isinstance(value, (str, int, float, datetime.date)):
                cells[attribute] = self._clean_cell(field, row)
                continue
            key = (type(value), value)
            if key not in seen:
                seen[key] = self._clean_cell(field, row)
            cells[attribute] = seen[key]
        return cells

    @staticmethod
    def _clean_cell(field, row):
        try:
            return field.clean(row)
        except Exception as error:  # noqa: BLE001 - kept, and raised with its row
            return _Unclean(error)

    def _cells(self, row) -> dict:
        """The cleaned cells of the row being imported (cleaned in before_import)."""
        if self._current is not None and self._current[0] is row:
            return self._current[1]
        cells = self._clean_cells(row)
        self._current = (row, cells)
        return cells

    def _key_of(self, cells):
        values = [cells.get(name) for name in ("year", "award_kind", "unit")]
        if any(value is None or isinstance(value, _Unclean) for value in values):
            return None
        year, award_kind, unit = values
        return self._key(
            year,
            award_kind.pk,
            unit.pk,
            self._text(cells.get("person_name")),
            self._text(cells.get("decision_number")),
        )

    @staticmethod
    def _text(value):
        return "" if value is None or isinstance(value, _Unclean) else value

    _current = None
    _row_cells = ()
    _seen = None

    @cached_property
    def fields_by_attribute(self) -> dict:
        return {field.attribute: field for field in self.fields.values() if field.attribute}

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs.get("row_number")
        if number is not None and 0 < number <= len(self._row_cells):
            self._current = (row, self._row_cells[number - 1])
        else:
            self._current = None
        return super().import_row(row, instance_loader, **kwargs)

    def get_or_init_instance(self, instance_loader, row):
        """As ServiceResource's, from the cells cleaned once."""
        cells = self._cells(row)
        errors = {}
        for name in self.get_import_id_fields():
            attribute = self.fields[name].attribute
            cell = cells.get(attribute)
            if isinstance(cell, _Unclean):
                if not isinstance(cell.error, ValueError):
                    raise cell.error.with_traceback(None)
                errors[attribute] = [str(cell.error)]
        if errors:
            raise ValidationError(errors)
        instance = self.get_instance(instance_loader, row)
        if instance:
            return instance, False
        return self.init_instance(row), True

    def import_instance(self, instance, row, **kwargs):
        """django-import-export's, from the cells cleaned once: a widget's ValueError is the
        field's error; the rows' other errors are raised as they were."""
        errors = {}
        for attribute, cell in self._cells(row).items():
            if isinstance(cell, _Unclean):
                if not isinstance(cell.error, ValueError):
                    raise cell.error.with_traceback(None)
                errors[attribute] = ValidationError(str(cell.error), code="invalid")
            elif cell is not None or self.fields_by_attribute[attribute].saves_null_values:
                setattr(instance, attribute, cell)
        if errors:
            raise ValidationError(errors)

    def after_import(self, dataset, result, **kwargs):
        """Recount the tallies of what the batches wrote, once for the whole file."""
        super().after_import(dataset, result, **kwargs)
        refresh_tallies(self._touched)

    def get_instance(self, instance_loader, row):
        key = self._key_of(self._cells(row))
        if key is None:
            return None  # the row's own validation will say what is wrong
        found = getattr(self, "_existing", {}).get(key)
        if found is not None:
            self._snapshots[found.pk] = self._values(found)
        return found

    SNAPSHOT_FIELDS = (
        "year",
        "award_kind_id",
        "unit_id",
        "person_name",
        "person_rank",
        "person_position",
        "decision_number",
        "decision_date",
        "decision_issuer",
        "notes",
    )

    def _values(self, commendation) -> tuple:
        values = [getattr(commendation, name) for name in self.SNAPSHOT_FIELDS]
        values[3] = normalise(values[3] or "")
        values[6] = normalise(values[6] or "")
        return tuple(values)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing commendation whose cells say what it already says is left alone (the
        bulk mode keeps no copy to compare with, so a snapshot is taken when it is found)."""
        if import_validation_errors or instance.pk is None:
            return False
        return self._snapshots.get(instance.pk) == self._values(instance)

    def save_instance(self, instance, is_create, row, **kwargs):
        """The guard locks each year once and asks the rules; the rows are then written in
        batches (bulk_create below), with their history."""
        if not hasattr(self, "_guard"):
            self._guard = services.commendation_guard(kwargs.get("user"))
        self._guard(year=instance.year, unit_id=instance.unit_id)
        resources.ModelResource.save_instance(self, instance, is_create, row, **kwargs)

    # Model fields whose validation reads only their own value (a length, a range, a choice):
    # a value that passed once in this file is not checked again on the next thousand rows.
    VALIDATED_BY_VALUE = (
        "year",
        "person_rank",
        "person_position",
        "decision_date",
        "decision_issuer",
        "notes",
        "data_status",
    )
    _passed = None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean() without re-reading the kind and the unit the widgets already found (a
        query each per row); their presence is checked here instead."""
        if self._passed is None:
            self._passed = set()
        errors = dict(import_validation_errors or {})
        for field in ("award_kind", "unit"):
            if field not in errors and getattr(instance, f"{field}_id") is None:
                errors[field] = [_("Thiếu giá trị.")]
        values = [(name, getattr(instance, name)) for name in self.VALIDATED_BY_VALUE]
        passed = [name for name, value in values if (name, value) in self._passed]
        try:
            instance.full_clean(
                exclude=[*errors, "award_kind", "unit", "nomination", *passed],
                validate_unique=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        self._passed.update(values)

    def before_save_instance(self, instance, row, **kwargs):
        instance.person_name = normalise(instance.person_name or "")
        instance.decision_number = normalise(instance.decision_number or "")


# The commendation sheet's headers, in order (the template, the tests and the benchmark use them).
COMMENDATION_HEADERS = CommendationResource().get_export_headers()


# The sheets of the year's workbook that this app keeps (workbook.registry finds them).
SHEETS = [
    Section(
        70,
        "Bình xét",
        NominationResource,
        (CLUSTER, YEAR, "Hình thức", UNIT, "Họ tên"),
        lambda years, units, year: (
            Nomination.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "award_kind", "unit")
            .order_by(
                "cluster_year__cluster__number",
                "cluster_year__cluster__name",
                "award_kind__order",
                "award_kind__name",
                "rank_order",
                "unit__name",
                "person_name",
            )
        ),
    ),
    Section(
        80,
        "Khen thưởng",
        CommendationResource,
        (YEAR, "Hình thức", UNIT, "Họ tên", "Số quyết định"),
        lambda years, units, year: (
            Commendation.objects.filter(year=year, unit__in=units)
            .select_related("award_kind", "unit")
            .order_by(
                "award_kind__order",
                "award_kind__name",
                "unit__name",
                "person_name",
                "decision_number",
                "decision_date",
                "person_rank",
                "person_position",
                "notes",
            )
        ),
    ),
]
