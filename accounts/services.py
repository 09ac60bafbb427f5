from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import history_user
from accounts.models import Notification, Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    unit=None,
    cluster=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        unit=unit,
        cluster=cluster,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user_sync_admin_flags(user)
    user.full_clean()
    user.save()
    return user


def user_sync_admin_flags(user: User) -> None:
    """Only the admin role reaches Django's admin; keep is_staff/is_superuser in step with the role."""
    is_admin = user.role == Role.ADMIN
    user.is_staff = is_admin
    user.is_superuser = is_admin


@transaction.atomic
def user_deactivate(*, user: User, by) -> User:
    """End an account without deleting it: it no longer logs in (its open sessions end with it),
    and every history entry it made still names it. Accounts are never deleted."""
    if not getattr(by, "is_admin_role", False):
        raise PermissionDenied(_("Chỉ quản trị viên được ngừng hoạt động tài khoản."))
    if by.pk is not None and user.pk == by.pk:
        raise ValidationError(_("Không thể tự ngừng hoạt động tài khoản của mình."))
    user.is_active = False
    author = history_user(by)
    if author is not None:
        user._history_user = author
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_save(*, user: User, by) -> User:
    """An account as the admin's form gives it: only an admin writes accounts; the admin flags
    follow the role; an admin does not end their own account from the form either."""
    if not getattr(by, "is_admin_role", False):
        raise PermissionDenied(_("Chỉ quản trị viên được sửa tài khoản."))
    if by.pk is not None and user.pk == by.pk and not user.is_active:
        raise ValidationError(_("Không thể tự ngừng hoạt động tài khoản của mình."))
    user_sync_admin_flags(user)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_set_own_password(*, user: User, password: str, by) -> User:
    """A user's own new password (the change page, or the link of a reset email): only for
    themselves; it ends any requirement to change it. The form has validated the password."""
    if by is None or getattr(by, "pk", None) is None or by.pk != user.pk:
        raise PermissionDenied(_("Mỗi người chỉ tự đổi mật khẩu của mình."))
    user.set_password(password)
    user.must_change_password = False
    user._history_user = history_user(by)
    user.save(update_fields=["password", "must_change_password"])
    return user


@transaction.atomic
def user_require_password_change(*, user: User, by) -> User:
    """The admin asks for a new password at the user's next page: until they set one
    themselves, every page sends them to the change page (accounts.middleware)."""
    if not getattr(by, "is_admin_role", False):
        raise PermissionDenied(_("Chỉ quản trị viên được yêu cầu đổi mật khẩu."))
    user.must_change_password = True
    author = history_user(by)
    if author is not None:
        user._history_user = author
    user.save(update_fields=["must_change_password"])
    return user


def notify(*, users, kind: str, text: str, url: str = "", key: str = "") -> list[Notification]:
    """Tell these accounts (active ones): a notification each, and an email after the writing
    transaction commits where EMAIL_HOST is set and the account has an address. With `key`, an
    account that was told already is not told again."""
    users = [u for u in users if u is not None and u.is_active]
    if key:
        told = set(
            Notification.objects.filter(user__in=users, key=key).values_list("user_id", flat=True)
        )
        users = [u for u in users if u.pk not in told]
    made = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, text=text[:500], url=url[:300], key=key) for u in users]
    )
    if settings.EMAIL_HOST:
        addresses = [u.email for u in users if u.email]
        if addresses:
            link = f"\n\n{settings.SITE_URL}{url}" if url and settings.SITE_URL else ""
            transaction.on_commit(
                lambda: send_mass_mail(
                    [(text[:150], f"{text}{link}", None, [address]) for address in addresses],
                    fail_silently=True,
                )
            )
    return made


def notifications_read(*, user, pks=None) -> int:
    """Mark the user's own notifications read (all of them, or those of `pks`)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
