"""The admin writes through the services, like every other path.

A ServiceAdmin names, per model, the service that saves (`write(obj, by)`) and the one that
deletes (`remove(obj, by)`), and the emulation year an object hangs from (`year_of(obj)`):
objects of a published year are shown read-only and cannot be deleted. The change form asks the
service before it says the form is valid (a trial write, rolled back), so its refusals show next
to the form; a refusal that comes only at the real write (a publish committed in between) is
shown as a message and nothing is written.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from import_export.forms import SelectableFieldsExportForm

from core.export_formats import SHEET_TITLE_REFUSED
from core.search import fold, folded


class _TrialWrite(Exception):
    """Rolls the trial write back."""


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "403"


def _final_field(model, path: str):
    """The field `path` ends on ("unit__name": Unit.name), or None when it ends on a lookup."""
    opts, field = model._meta, None
    for part in path.split(LOOKUP_SEP):
        try:
            field = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            return None
        if field.related_model is not None:
            opts = field.related_model._meta
    return field


def _is_text(model, path: str) -> bool:
    field = None if path[0] in "^=@" else _final_field(model, path)
    return isinstance(field, models.CharField | models.TextField) and not field.is_relation


def _django_lookup(model, path: str) -> str:
    """The lookup Django's own search uses for a search field that is not plain text."""
    prefixes = {"^": "istartswith", "=": "iexact", "@": "search"}
    if path[0] in prefixes:
        return f"{path[1:]}__{prefixes[path[0]]}"
    return f"{path}__icontains" if _final_field(model, path) is not None else path


class AccentInsensitiveSearch:
    """The changelist's and the autocomplete's search, word by word as Django's (every word in
    some search field), but each text field is compared folded: LOWER(UNACCENT(field)) contains
    the folded word (core.search), so "lai chau" finds "Lai Châu" and "DIEN BIEN" "Điện Biên".
    Fields with a prefix (^ = @), an explicit lookup or no text keep Django's comparison."""

    def get_search_results(self, request, queryset, search_term):
        search_fields = [str(f) for f in self.get_search_fields(request)]
        if not (search_fields and search_term):
            return super().get_search_results(request, queryset, search_term)
        model = queryset.model
        plain = [f for f in search_fields if _is_text(model, f)]
        others = [_django_lookup(model, f) for f in search_fields if f not in plain]
        aliases = {f"_folded_{i}": folded(path) for i, path in enumerate(plain)}
        queryset = queryset.alias(**aliases)
        words = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            words.append(
                models.Q.create(
                    [(f"{alias}__contains", fold(bit)) for alias in aliases]
                    + [(lookup, bit) for lookup in others],
                    connector=models.Q.OR,
                )
            )
        queryset = queryset.filter(models.Q.create(words))
        may_have_duplicates = any(
            lookup_spawns_duplicates(self.opts, path) for path in [*plain, *others]
        )
        return queryset, may_have_duplicates


def sheet_title(name) -> str:
    """An XLSX sheet's title from a model's plural name: capitalised, without the characters
    Excel refuses, at most 31 characters."""
    title = str(name)
    title = SHEET_TITLE_REFUSED.sub("-", title[:1].upper() + title[1:])[:31]
    return title or str(_("Dữ liệu"))


class VietnameseExportForm(SelectableFieldsExportForm):
    """django-import-export's export form, its columns named as the file's headers (the
    resource's Vietnamese column names, not "Crimes Recorded (…)")."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].label = _("Định dạng tệp")
        if "resource" in self.fields:
            self.fields["resource"].label = _("Mẫu xuất")

    def _get_field_label(self, resource, field_name):
        # An instance: some resources name their columns in __init__ (reports.workbook).
        if getattr(self, "_named", (None,))[0] is not resource:
            self._named = (resource, resource().fields)
        field = self._named[1].get(field_name)
        return field.column_name if field is not None else field_name


class VietnameseExport:
    """The admin's export (django-import-export): the form above; an XLSX sheet titled with
    the model's plural name. Its page is templates/admin/import_export/export.html (no inline
    script: the CSP allows none)."""

    export_form_class = VietnameseExportForm

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        dataset.title = sheet_title(self.model._meta.verbose_name_plural)
        return dataset


class VietnameseAdmin(AccentInsensitiveSearch, VietnameseExport):
    """Search and exports as every admin of the project does them."""


class ServiceAdmin(VietnameseAdmin, admin.ModelAdmin):
    trial_write = True  # ask the service while validating the form

    def write(self, obj, by) -> None:  # the model's save service
        raise PermissionDenied

    def remove(self, obj, by) -> None:  # the model's delete service
        raise PermissionDenied

    def year_of(self, obj):
        """The ClusterYear the object belongs to, or None."""
        return None

    def frozen(self, obj) -> bool:
        year = self.year_of(obj) if obj is not None else None
        return year is not None and year.is_published

    def has_change_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self
        if not self.trial_write:
            return form_class

        class ServiceChecked(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                instance = self.instance
                pk, adding = instance.pk, instance._state.adding
                try:
                    with transaction.atomic():
                        model_admin.write(instance, request.user)
                        raise _TrialWrite
                except _TrialWrite:
                    pass
                except (ValidationError, PermissionDenied) as error:
                    if isinstance(error, PermissionDenied):
                        error = ValidationError(_message(error))
                    self._update_errors(error)
                finally:
                    instance.pk, instance._state.adding = pk, adding

        ServiceChecked.__name__ = form_class.__name__
        return ServiceChecked

    def save_model(self, request, obj, form, change):
        self.write(obj, request.user)

    def delete_model(self, request, obj):
        self.remove(obj, request.user)

    def delete_queryset(self, request, queryset):
        # All or nothing: one refused object leaves every other one in place.
        with transaction.atomic():
            for obj in queryset:
                self.remove(obj, request.user)

    def _refused(self, request, error):
        self.message_user(request, _message(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as error:
            return self._refused(request, error)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an earlier version is a change: of an object the user may change now (not
        one of a published year), through the same service."""
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except ValidationError as error:
            return self._refused(request, error)

    def changelist_view(self, request, *args, **kwargs):
        try:
            return super().changelist_view(request, *args, **kwargs)
        except ValidationError as error:
            return self._refused(request, error)


class FrozenInline:
    """An inline of a year-bound parent: read-only once the year is published."""

    def _editable(self, obj):
        year = obj if hasattr(obj, "is_published") else getattr(obj, "cluster_year", None)
        return obj is None or year is None or not year.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


# The plausibility rules (core.warnings): the admin sets a threshold or turns a rule off; the
# codes are fixed, each one is a check in code (reports/warnings.py, welfare/warnings.py).
# Imported here, beside their admin, to keep this addition in one place.
from core import services as core_services  # noqa: E402
from core.models import WarningRule  # noqa: E402


@admin.register(WarningRule)
class WarningRuleAdmin(ServiceAdmin):
    list_display = ("code", "__str__", "threshold", "active")
    fields = ("code", "threshold", "active", "notes")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, obj, by):
        core_services.warning_rule_save(rule=obj, by=by)
