from django.core.management.base import BaseCommand, CommandError

from clusters.models import Cluster, ClusterYear
from workbook.exporter import export_workbook


class Command(BaseCommand):
    help = (
        "Xuất một tệp Excel cho năm thi đua: mỗi phần một trang (đơn vị, thành viên và Cụm trưởng, "
        "hội nghị, báo cáo, bình xét, khen thưởng, quỹ và đóng góp, người được hỗ trợ và hỗ trợ)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.xlsx", help="Tệp Excel sẽ ghi ra.")
        parser.add_argument("--year", type=int, required=True, help="Năm thi đua, ví dụ 2023.")
        parser.add_argument("--cluster", metavar="SLUG", help="Chỉ một cụm, ví dụ cum-2.")

    def handle(self, *args, out, year, cluster=None, **options):
        chosen = None
        if cluster:
            chosen = Cluster.objects.filter(slug=cluster).first()
            if chosen is None:
                raise CommandError(f"Không có cụm thi đua “{cluster}”.")
        if not ClusterYear.objects.filter(
            year=year, **({"cluster": chosen} if chosen else {})
        ).exists():
            raise CommandError(
                f"Không có năm thi đua {year}" + (f" của {chosen}." if chosen else ".")
            )
        if not out.lower().endswith(".xlsx"):
            raise CommandError("Tệp ra phải có đuôi .xlsx.")
        try:
            export_workbook(out, year=year, cluster=chosen)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {out}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Đã xuất năm {year} ra {out}."))
