from django.db import transaction

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
