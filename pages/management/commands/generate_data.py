import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.generate import AlreadyGenerated, generate


def grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # 3.000.000, as Vietnamese write it


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mô phỏng ở quy mô toàn quốc (cụm, đơn vị, năm, báo cáo, bình xét, khen "
        "thưởng, quỹ) trong các cụm riêng “mô phỏng”, để đo hiệu năng. Mọi bản ghi ghi “minh họa”. "
        "Cùng --seed cho cùng dữ liệu. Chỉ chạy khi DEBUG bật hoặc có --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=15, help="Số cụm (mặc định 15).")
        parser.add_argument(
            "--units-per-cluster", type=int, default=8, help="Số đơn vị mỗi cụm (mặc định 8)."
        )
        parser.add_argument("--years", type=int, default=20, help="Số năm (mặc định 20).")
        parser.add_argument(
            "--commendations",
            type=int,
            default=10_000,
            help="Số khen thưởng cá nhân mỗi cụm mỗi năm (mặc định 10.000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên.")
        parser.add_argument(
            "--last-year", type=int, default=None, help="Năm cuối (mặc định: năm ngoái)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Cho chạy cả khi DEBUG tắt (máy đo hiệu năng)."
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["force"]):
            raise CommandError(
                "Từ chối tạo dữ liệu mô phỏng khi DEBUG tắt: cơ sở dữ liệu này có thể là dữ liệu "
                "thật. Chạy với DJANGO_DEBUG=1, hoặc thêm --force nếu chắc chắn."
            )
        for name in ("clusters", "units_per_cluster", "years"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} phải từ 1 trở lên.")
        if options["units_per_cluster"] < 3:
            raise CommandError("--units-per-cluster phải từ 3 trở lên (Cụm trưởng, Phó, dẫn đầu).")
        if options["commendations"] < 0:
            raise CommandError("--commendations không được âm.")
        if options["clusters"] > 899:
            raise CommandError("--clusters tối đa 899.")
        started = time.perf_counter()

        def progress(made):
            self.stdout.write(
                f"  {made.clusters}/{options['clusters']} cụm, {grouped(made.commendations)} khen "
                f"thưởng, {time.perf_counter() - started:.0f} s"
            )

        try:
            made = generate(
                clusters=options["clusters"],
                units_per_cluster=options["units_per_cluster"],
                years=options["years"],
                commendations=options["commendations"],
                seed=options["seed"],
                last_year=options["last_year"],
                progress=progress if options["verbosity"] else None,
            )
        except AlreadyGenerated:
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu mô phỏng (các cụm “mo-phong-…”); không tạo thêm."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {made.clusters} cụm, {made.units} đơn vị, {made.cluster_years} năm thi đua, "
                f"{made.reports} báo cáo, {made.nominations} đề nghị, {grouped(made.commendations)} khen "
                f"thưởng, {made.contributions} khoản đóng góp trong "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
