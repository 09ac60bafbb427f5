from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.services import user_deactivate, user_save
from core.resources import NameForeignKeyWidget

# Units and clusters sit one floor up (clusters); their models are reached through the fields.
Unit = User._meta.get_field("unit").related_model
Cluster = User._meta.get_field("cluster").related_model


class UserResource(resources.ModelResource):
    """Accounts leave as a list (never with passwords); they are created here one by one."""

    username = fields.Field(attribute="username", column_name="Tên đăng nhập")
    full_name = fields.Field(attribute="get_full_name", column_name="Họ và tên", readonly=True)
    role = fields.Field(attribute="get_role_display", column_name="Vai trò", readonly=True)
    unit = fields.Field(
        attribute="unit", column_name="Đơn vị", widget=NameForeignKeyWidget(Unit, "name")
    )
    cluster = fields.Field(
        attribute="cluster", column_name="Cụm thi đua", widget=NameForeignKeyWidget(Cluster, "name")
    )
    is_active = fields.Field(attribute="is_active", column_name="Đang hoạt động")
    last_login = fields.Field(attribute="last_login", column_name="Đăng nhập lần cuối")

    class Meta:
        model = User
        fields = ("username", "full_name", "role", "unit", "cluster", "is_active", "last_login")

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "cluster")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, ExportMixin, DjangoUserAdmin):
    resource_classes = [UserResource]
    list_display = ("username", "get_full_name", "role", "unit", "cluster", "is_active")
    list_select_related = ("unit", "cluster")
    list_filter = ("role", "is_active", "cluster", "unit")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    autocomplete_fields = ("unit", "cluster")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email")}),
        (_("Vai trò và đơn vị"), {"fields": ("role", "unit", "cluster", "is_active")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "unit", "cluster"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        user_save(user=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Never deleted: the history names who made each change (django-simple-history's
        # history_user), and a deleted account would leave those entries nameless. Accounts
        # that leave are deactivated (the action below, or "active" in the form).
        return False

    @admin.action(description=_("Ngừng hoạt động các tài khoản đã chọn"), permissions=["change"])
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset.filter(is_active=True):
            try:
                user_deactivate(user=user, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{user.username}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("Đã ngừng hoạt động %(count)d tài khoản.") % {"count": done}
            )
