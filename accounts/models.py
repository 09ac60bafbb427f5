from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị")
    LEADERSHIP = "leadership", _("Lãnh đạo")
    SECRETARIAT = "secretariat", _("Thư ký cụm")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị")
    MINISTRY = "ministry", _("Cán bộ thi đua của Bộ")


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    Role = Role

    role = models.CharField(
        _("vai trò"), max_length=20, choices=Role.choices, default=Role.UNIT_OFFICER
    )
    unit = models.ForeignKey(
        "clusters.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Bắt buộc với cán bộ đơn vị: đơn vị mà tài khoản nhập báo cáo."),
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("cụm thi đua"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariat_users",
        help_text=_("Bắt buộc với thư ký cụm: cụm mà tài khoản giúp việc."),
    )

    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_(
            "Khi đánh dấu, lần đăng nhập tới tài khoản chỉ vào được trang đổi mật khẩu, cho đến "
            "khi tự đặt mật khẩu mới."
        ),
    )

    objects = AccountManager()

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.UNIT_OFFICER) | Q(unit__isnull=False),
                name="user_unit_officer_has_unit",
                violation_error_message=_("Cán bộ đơn vị phải thuộc một đơn vị."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.SECRETARIAT) | Q(cluster__isnull=False),
                name="user_secretariat_has_cluster",
                violation_error_message=_("Thư ký cụm phải gắn với một cụm thi đua."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role == Role.UNIT_OFFICER and not self.unit_id:
            raise ValidationError({"unit": _("Cán bộ đơn vị phải thuộc một đơn vị.")})
        if self.role == Role.SECRETARIAT and not self.cluster_id:
            raise ValidationError({"cluster": _("Thư ký cụm phải gắn với một cụm thi đua.")})

    @property
    def is_admin_role(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)


class Notification(models.Model):
    """A message for one account: in the application (the bell) and, where EMAIL_HOST is set,
    by email. `key` keeps a reminder from being sent twice."""

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=40)
    text = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    key = models.CharField(_("khóa chống gửi trùng"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text
