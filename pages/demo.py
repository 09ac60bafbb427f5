import os

from accounts.models import Role, User
from accounts.services import user_create, user_sync_admin_flags
from clusters.demo import ClusterDemo

DEFAULT_DEMO_PASSWORD = "demo-matkhau"  # noqa: S105 (demo accounts, refused unless DEBUG is on)


def demo_accounts(demo: ClusterDemo) -> list[dict]:
    return [
        {"username": "quantri", "role": Role.ADMIN, "last_name": "Quản trị hệ thống"},
        {"username": "lanhdao", "role": Role.LEADERSHIP, "last_name": "Lãnh đạo"},
        {"username": "canbo.bo", "role": Role.MINISTRY, "last_name": "Cán bộ thi đua của Bộ"},
        {
            "username": "thuky.cum2",
            "role": Role.SECRETARIAT,
            "cluster": demo.cluster,
            "last_name": "Thư ký Cụm II",
        },
        {
            "username": "canbo.laichau",
            "role": Role.UNIT_OFFICER,
            "unit": demo.units["lai-chau"],
            "last_name": "Cán bộ Lai Châu",
        },
        {
            "username": "canbo.sonla",
            "role": Role.UNIT_OFFICER,
            "unit": demo.units["son-la"],
            "last_name": "Cán bộ Sơn La",
        },
    ]


def seed_users(demo: ClusterDemo) -> tuple[list[dict], str]:
    password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    accounts = demo_accounts(demo)
    for account in accounts:
        fields = {"unit": None, "cluster": None, **account}
        user = User.objects.filter(username=account["username"]).first()
        if user is None:
            user_create(password=password, **fields)
            continue
        for name, value in fields.items():
            setattr(user, name, value)
        user.set_password(password)
        user.is_active = True
        user_sync_admin_flags(user)
        user.full_clean()
        user.save()
    return accounts, password
