"""Spreadsheet columns as people type them: names for foreign keys (never ids), text never
NULL, numbers as numbers, choices by their Vietnamese label; and the resource every sheet
extends, which hands each row to its app's service."""

import datetime
import difflib
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import CharWidget, DateWidget, ForeignKeyWidget, IntegerWidget

from core.cells import read_integer


class ServiceResource(resources.ModelResource):
    """Rows are written by the app's service, never by the resource: `write(instance, by)` calls
    it with the importing user (the admin's import page, the workbook upload; the command line
    comes as the admin). The service asks the rules and locks the year; a refusal is the row's
    error. An import writes every row or none: django-import-export keeps the valid rows of a
    file with invalid ones unless told otherwise."""

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def write(self, instance, by) -> None:
        raise ValidationError(_("Trang này chỉ để xem, không nhập được."))

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
        by = kwargs.get("user")
        if by is None:
            raise ValidationError(_("Không rõ ai nhập tệp này."))
        # The history says who imported it, also outside a web request (django-simple-history).
        if getattr(by, "pk", None) is not None:
            instance._history_user = by
        instance._change_reason = _("Nhập từ tệp Excel")
        try:
            self.write(instance, by)
        except PermissionDenied as error:
            # The rules' refusal is this row's error, said as the service says it.
            raise ValidationError(
                str(error) or _("Tài khoản này không được ghi dòng này.")
            ) from None


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


class TextWidget(CharWidget):
    """Text as people type it into sheets: an empty cell is "" (never NULL, which the database
    would refuse only at the write, far from its row), NFC-normalised, trimmed."""

    def clean(self, value, row=None, **kwargs):
        return unicodedata.normalize("NFC", super().clean(value, row, **kwargs)).strip()


def text_field(attribute, header, **kwargs):
    return fields.Field(attribute=attribute, column_name=header, widget=TextWidget(), **kwargs)


class WholeNumberWidget(IntegerWidget):
    """A whole number read as the workbook importer reads it (core.cells.read_integer): a cell
    that is not one ("hai nghìn", "12,5", 12.5) is the cell's error, said in Vietnamese, never
    a truncated number or a decimal module's exception."""

    def clean(self, value, row=None, **kwargs):
        return read_integer(value)


def number_widget():
    # Numbers stay numbers in the sheet; the default renders them localised ("2.024").
    return WholeNumberWidget(coerce_to_string=False)


def date_field(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=DateWidget())


def without_accents(text: str) -> str:
    """Letters without their Vietnamese marks, in one case: "Đang vận động" -> "dang van dong".
    For matching what people type (a sheet typed without a Vietnamese keyboard), never stored."""
    decomposed = unicodedata.normalize("NFD", " ".join(str(text).split()).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("đ", "d")


class ChoiceWidget(CharWidget):
    """A choice written as its Vietnamese label ("Đang vận động"), which the export writes; the
    code ("collecting") is accepted too. Letter case, Unicode forms, extra spaces and missing
    marks do not matter, as long as the whole label matches (and only one label does)."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def _labels(self) -> list[tuple[str, str]]:
        """(code, label) in Vietnamese, and in the active language if that differs."""
        pairs = []
        with translation.override("vi"):
            pairs += [(code, str(label)) for code, label in self.choices.choices]
        pairs += [(code, str(label)) for code, label in self.choices.choices]
        return pairs

    def clean(self, value, row=None, **kwargs):
        text = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
        if not text:
            return ""
        pairs = self._labels()
        for code, label in pairs:
            if text.casefold() in (str(code).casefold(), label.casefold()):
                return code
        bare = without_accents(text)
        codes = {
            code for code, label in pairs if bare in (without_accents(code), without_accents(label))
        }
        if len(codes) == 1:
            return codes.pop()
        with translation.override("vi"):
            labels = [str(label) for label in self.choices.labels]
        raise ValueError(
            _("“%(value)s” không phải một trong: %(labels)s.")
            % {"value": text, "labels": ", ".join(f"“{label}”" for label in labels)}
        )

    def render(self, value, obj=None, **kwargs):
        """The Vietnamese label, whatever the language of the one exporting: the workbook's
        headers are Vietnamese, and so must its cells be to come back in."""
        if value in (None, ""):
            return ""
        try:
            choice = self.choices(value)
        except ValueError:  # a code no longer among the choices: kept as it is
            return str(value)
        with translation.override("vi"):
            return str(choice.label)


class ReadingWidget(CharWidget):
    """A value as a reader sees it: a related object by its name, a choice by its label."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return str(value)


def reading_resource(model, names: list[str]):
    """An export-only resource of `names`, each under its Vietnamese name: for the admin's lists
    of records written elsewhere (their pages and services)."""
    attrs = {}
    for name in names:
        field = model._meta.get_field(name)
        attribute = f"get_{name}_display" if field.choices else name
        attrs[name] = fields.Field(
            attribute=attribute, column_name=field.verbose_name, widget=ReadingWidget()
        )
    meta = type("Meta", (), {"model": model, "fields": tuple(names), "export_order": tuple(names)})
    return type(f"{model.__name__}Reading", (ServiceResource,), {**attrs, "Meta": meta})
