from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.forms import PasswordChangeForm
from accounts.models import User
from accounts.services import user_deactivate, user_require_password_change, user_save
from core.admin import VietnameseAdmin
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
class UserAdmin(VietnameseAdmin, SimpleHistoryAdmin, ExportMixin, DjangoUserAdmin):
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
        (_("Mật khẩu"), {"fields": ("must_change_password",)}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "password1",
                    "password2",
                    "must_change_password",
                    "role",
                    "unit",
                    "cluster",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["deactivate", "require_password_change"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "must_change_password" in form.base_fields:
            # A password someone else chose is a temporary one: its owner replaces it at the
            # first login (the admin may untick it, e.g. for an account set up with its owner).
            form.base_fields["must_change_password"].initial = True
        return form

    def save_model(self, request, obj, form, change):
        if not obj.has_usable_password():
            obj.must_change_password = False  # no password to change: it cannot log in
        user_save(user=obj, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        """The admin sets someone else's password: a temporary one, to be replaced by its owner
        at the next login. Their own password the admin changes on /accounts/password_change/."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            changed = response.url != request.get_full_path()
            if changed and user.pk != request.user.pk and user.has_usable_password():
                user_require_password_change(user=user, by=request.user)
        return response

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

    @admin.action(description=_("Yêu cầu đổi mật khẩu ở lần đăng nhập tới"), permissions=["change"])
    def require_password_change(self, request, queryset):
        done = 0
        for user in queryset.filter(is_active=True, must_change_password=False):
            try:
                user_require_password_change(user=user, by=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"{user.username}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            _("Đã yêu cầu: %(count)d tài khoản phải đổi mật khẩu ở lần đăng nhập tới.")
            % {"count": done},
        )


# The admin's own "change password" link saves through the same service as everyone's.
admin.site.password_change_form = PasswordChangeForm
