"""The admin writes through the services, like every other path.

A ServiceAdmin names, per model, the service that saves (`write(obj, by)`) and the one that
deletes (`remove(obj, by)`), and the emulation year an object hangs from (`year_of(obj)`):
objects of a published year are shown read-only and cannot be deleted. The change form asks the
service before it says the form is valid (a trial write, rolled back), so its refusals show next
to the form; a refusal that comes only at the real write (a publish committed in between) is
shown as a message and nothing is written.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect


class _TrialWrite(Exception):
    """Rolls the trial write back."""


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "403"


class ServiceAdmin(admin.ModelAdmin):
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
