from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import history_user
from accounts.models import Role, User


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
