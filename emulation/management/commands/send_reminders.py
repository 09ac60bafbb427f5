"""Tell who has work due soon (run it once a day: cron, or a scheduler beside the workers)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from emulation.services import remind


class Command(BaseCommand):
    help = "Nhắc hạn: báo cáo, phiếu tự chấm, phiếu kiểm tra chéo, hồ sơ gửi Bộ sắp đến hạn."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Nhắc trước bao nhiêu ngày (3).")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="yyyy-mm-dd"
        )

    def handle(self, *args, days, today, **options):
        today = today or timezone.localdate()
        told = remind(today=today, days=max(0, days))
        self.stdout.write(f"Đã gửi {told} thông báo nhắc hạn.")
