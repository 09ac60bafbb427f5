from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from awards.demo import seed_awards
from clusters.demo import publish_the_past, seed_clusters
from pages.demo import seed_users
from reports.demo import seed_reports
from welfare.demo import seed_welfare


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu của Cụm thi đua số II từ hai bài báo (2018, 2023). Chạy lại nhiều lần "
        "không tạo bản ghi trùng. --users thêm một tài khoản mẫu cho mỗi vai trò (chỉ khi DEBUG bật)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            action="store_true",
            help="Thêm tài khoản mẫu (mật khẩu: biến môi trường DEMO_PASSWORD hoặc demo-matkhau).",
        )

    def handle(self, *args, users=False, **options):
        if users and not settings.DEBUG:
            raise CommandError(
                "Từ chối tạo tài khoản mẫu khi DEBUG tắt: mật khẩu mẫu ai cũng biết. "
                "Chạy với DJANGO_DEBUG=1 trên máy phát triển."
            )
        with transaction.atomic():
            demo = seed_clusters()
            seed_reports(demo)
            seed_awards(demo)
            seed_welfare(demo)
            publish_the_past(demo)
            accounts = seed_users(demo)[0] if users else []
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {demo.cluster.name}: {len(demo.units)} đơn vị, "
                f"các năm {', '.join(str(y) for y in sorted(demo.years))}."
            )
        )
        if accounts:
            self.stdout.write("Tài khoản mẫu (mật khẩu: DEMO_PASSWORD hoặc demo-matkhau):")
            for account in accounts:
                self.stdout.write(f"  {account['username']:<15} {account['role'].label}")
