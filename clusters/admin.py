from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from clusters import services
from clusters import workbook as resources
from clusters.models import Cluster, ClusterYear, Membership, Source, Unit
from core.admin import FrozenInline, ServiceAdmin, VietnameseAdmin


@admin.display(description=_("năm"), ordering="year")
def year_label(obj):
    # The admin groups integers by thousands ("2.024"); a year is a label, not a quantity.
    return str(obj.year)


class PredecessorInline(admin.TabularInline):
    model = Unit
    fk_name = "successor"
    fields = ("name", "ended_on")
    readonly_fields = ("name", "ended_on")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("đơn vị đã hợp nhất vào đơn vị này")
    verbose_name_plural = _("các đơn vị đã hợp nhất vào đơn vị này")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.UnitResource]
    list_display = ("name", "short_name", "slug", "ended_on", "successor")
    list_select_related = ("successor",)
    list_filter = (("ended_on", admin.EmptyFieldListFilter),)
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    autocomplete_fields = ("successor",)
    inlines = [PredecessorInline]

    def write(self, obj, by):
        services.unit_save(unit=obj, by=by)

    def remove(self, obj, by):
        services.catalogue_delete(obj=obj, by=by)


@admin.register(Cluster)
class ClusterAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.ClusterResource]
    list_display = ("number", "name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def write(self, obj, by):
        services.cluster_save(cluster=obj, by=by)

    def remove(self, obj, by):
        services.catalogue_delete(obj=obj, by=by)


class MembershipInlineFormSet(BaseInlineFormSet):
    """The roster and the chairs are validated together, by the same service rules as everywhere."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        cluster_year = self.instance
        if cluster_year.pk and cluster_year.is_published:
            return  # shown read-only; saving it is refused by the service (published year)
        units = [
            form.cleaned_data["unit"]
            for form in self.forms
            if form.cleaned_data.get("unit") and not form.cleaned_data.get("DELETE")
        ]
        errors = services.roster_errors(cluster_year=cluster_year, units=units)
        errors += services.chair_errors(
            chair=cluster_year.chair,
            vice_chair=cluster_year.vice_chair,
            member_ids=[u.pk for u in units],
        ).values()
        if errors:
            raise ValidationError(errors)
        for form in self.forms:
            form.instance.year = cluster_year.year


class FrozenWhenPublishedInline(FrozenInline, admin.TabularInline):
    """Children of a published ClusterYear are read-only until an admin reopens the year."""


class MembershipInline(FrozenWhenPublishedInline):
    model = Membership
    formset = MembershipInlineFormSet
    fields = ("unit",)
    autocomplete_fields = ("unit",)
    extra = 0


@admin.register(ClusterYear)
class ClusterYearAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.ClusterYearResource]
    list_display = ("cluster", year_label, "chair", "vice_chair", "handover_date", "status")
    list_select_related = ("cluster", "chair", "vice_chair")
    list_filter = ("cluster", "status", "year")
    search_fields = ("cluster__name", "chair__name", "vice_chair__name")
    autocomplete_fields = ("chair", "vice_chair")
    inlines = [MembershipInline]
    actions = ["publish", "reopen"]

    def year_of(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        # A published year stays viewable (read-only fields below) and can be reopened.
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    # The year and its roster are one write (chairs are checked against the roster posted with
    # them): the year is saved with the roster's formset, in save_formset.
    trial_write = False

    def write(self, obj, by):
        services.cluster_year_save(cluster_year=obj, by=by)

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            self.write(obj, request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A year is restored field by field on its own form, where its roster is checked with
        # its chairs; the history page only shows earlier versions.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def remove(self, obj, by):
        with transaction.atomic():
            services.lock_year_for(by, obj)
            obj.delete()

    def save_formset(self, request, form, formset, change):
        """The roster goes through the roster service (chairs checked with it); conferences
        through theirs."""
        if formset.model is Membership:
            units = [
                f.cleaned_data["unit"]
                for f in formset.forms
                if f.cleaned_data.get("unit") and not f.cleaned_data.get("DELETE")
            ]
            services.cluster_year_save(cluster_year=form.instance, by=request.user, units=units)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        writer = getattr(formset, "write", None)
        if writer is None:
            raise ValidationError("no service for this inline")
        writer(request.user)

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the publish/reopen actions (services); a published year
        # is frozen whole until an admin reopens it.
        if obj is None:
            return ()
        if obj.is_published:
            return self.get_fields(request, obj)
        return ("cluster", year_label, "status")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["cluster", "year", "chair", "vice_chair", "handover_date", "handover_note"]
        return [
            "cluster",
            year_label,
            "chair",
            "vice_chair",
            "handover_date",
            "handover_note",
            "status",
        ]

    @admin.action(description=_("Công bố các năm đã chọn"), permissions=["change"])
    def publish(self, request, queryset):
        for cluster_year in queryset.select_related("cluster"):
            try:
                services.cluster_year_publish(cluster_year=cluster_year, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, text, messages.WARNING)
            else:
                self.message_user(request, _("Đã công bố %(year)s.") % {"year": cluster_year})

    @admin.action(description=_("Mở lại các năm đã chọn"), permissions=["change"])
    def reopen(self, request, queryset):
        for cluster_year in queryset.select_related("cluster"):
            try:
                services.cluster_year_reopen(cluster_year=cluster_year, by=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Đã mở lại %(year)s.") % {"year": cluster_year})


@admin.register(Membership)
class MembershipAdmin(VietnameseAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ("unit", "cluster_year", year_label)
    list_select_related = ("unit", "cluster_year__cluster")
    list_filter = ("year", "cluster_year__cluster")
    search_fields = ("unit__name", "cluster_year__cluster__name")

    def has_add_permission(self, request):
        # Rosters are edited on their ClusterYear, where the chairs are checked with them.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SourceForm(forms.ModelForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if hasattr(upload, "content_type"):  # a new upload, not the stored file
            errors = services.source_file_errors(upload)
            if errors:
                raise ValidationError(errors)
        return upload


@admin.register(Source)
class SourceAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """Documents behind figures. The file is written by the service once the form is valid (no
    trial write: a trial would store the file before knowing the save stands)."""

    form = SourceForm
    trial_write = False
    list_display = ("title", "number", "issuer", "issued_on", "cluster_year", "file_name")
    list_select_related = ("cluster_year__cluster",)
    list_filter = ("cluster_year__cluster", "issuer")
    search_fields = ("title", "number", "issuer")
    readonly_fields = ("file_name",)

    def write(self, obj, by):
        services.source_save(source=obj, by=by)

    def remove(self, obj, by):
        services.source_delete(source=obj, by=by)

    def year_of(self, obj):
        return obj.cluster_year
