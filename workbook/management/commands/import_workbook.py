from django.core.management.base import BaseCommand, CommandError

from workbook.importer import WorkbookError, import_file


class Command(BaseCommand):
    help = (
        "Nhập một tệp Excel (các trang mà export_workbook ghi ra, hoặc chỉ một trang) hoặc một "
        "trang dạng CSV UTF-8. Kiểm tra mọi dòng của mọi trang trước; có lỗi thì không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Tệp .xlsx hoặc .csv.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và cho biết sẽ thêm, sửa, giữ nguyên bao nhiêu dòng; không ghi gì.",
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            with open(file, "rb") as handle:
                outcome = import_file(handle, file, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error.strerror}.") from None
        except WorkbookError as error:
            raise CommandError(str(error)) from None
        for count in outcome.counts:
            self.stdout.write(
                f"{count.title}: {count.rows} dòng — thêm {count.created}, sửa {count.changed}, "
                f"giữ nguyên {count.unchanged}"
            )
        if outcome.problems:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(outcome.problems)} lỗi; không ghi gì vào cơ sở dữ liệu. "
                "Hãy sửa tệp rồi nhập lại."
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Chạy thử: không ghi gì vào cơ sở dữ liệu."))
        else:
            self.stdout.write(self.style.SUCCESS("Đã nhập xong."))
