import datetime

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from welfare.models import Contribution

pytestmark = pytest.mark.django_db

SHEETS = [
    "Đơn vị",
    "Cụm thi đua",
    "Năm thi đua, Cụm trưởng",
    "Nguồn tài liệu",
    "Thành viên",
    "Hội nghị",
    "Báo cáo đơn vị",
    "Số liệu cụm công bố",
    "Bình xét",
    "Khen thưởng",
    "Quỹ",
    "Đóng góp",
    "Người được hỗ trợ",
    "Hỗ trợ",
]


def export(tmp_path, *args):
    out = tmp_path / "nam.xlsx"
    call_command("export_workbook", str(out), *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return openpyxl.load_workbook(out)


def rows(sheet):
    header, *body = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in body]


def test_one_sheet_per_section_with_names_and_typed_cells(tmp_path, seeded):
    book = export(tmp_path, "--year", "2018", "--cluster", "cum-2")
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet.freeze_panes == "A2"
    years = rows(book["Năm thi đua, Cụm trưởng"])
    assert years == [
        {
            "Cụm thi đua": "Cụm thi đua số II",
            "Năm": 2018,
            "Cụm trưởng": None,
            "Phó Cụm trưởng": None,
            "Ngày nhận bàn giao": None,
            "Ghi chú bàn giao": None,
            "Đơn vị dẫn đầu": "Công an tỉnh Sơn La",
            "Tình trạng số liệu": "số liệu cụm công bố",
            "Nguồn": (
                "Bài báo về Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” năm 2018 "
                "của Cụm thi đua số 2 (tác giả Thanh Duyên - Ngọc Ánh)"
            ),
        }
    ]
    members = {r["Đơn vị"] for r in rows(book["Thành viên"])}
    assert len(members) == 7 and "Công an tỉnh Hà Giang" in members
    units = {r["Tên đơn vị"]: r for r in rows(book["Đơn vị"])}
    assert units["Công an tỉnh Hà Giang"]["Đơn vị kế thừa"] == "Công an tỉnh Tuyên Quang"
    assert units["Công an tỉnh Hà Giang"]["Ngày kết thúc"] == datetime.datetime(2025, 7, 1)
    assert "Công an tỉnh Tuyên Quang" in units  # a successor comes along so its name resolves
    gifts = rows(book["Đóng góp"])
    assert len(gifts) == 7 and {g["Số tiền (₫)"] for g in gifts} == {20_000_000}
    flags = rows(book["Bình xét"])
    assert {(f["Hình thức"], f["Đơn vị"]) for f in flags} >= {
        ("Cờ thi đua của Chính phủ", "Công an tỉnh Sơn La")
    }
    assert book["Quỹ"].column_dimensions["C"].width > 20  # the fund's title fits


def test_report_figures_are_numbers(tmp_path, seeded):
    reports = rows(export(tmp_path, "--year", "2023")["Báo cáo đơn vị"])
    assert sum(r["Ma túy: số vụ"] for r in reports) == 4213
    assert sum(r["Khen thưởng: cá nhân"] for r in reports) == 9341


def test_formula_like_text_is_written_as_text(tmp_path, seeded):
    Contribution.objects.filter(fund__cluster_year__year=2018).update(notes="=1+2")
    sheet = export(tmp_path, "--year", "2018")["Đóng góp"]
    notes = list(sheet["H"][1:])
    assert notes and all(c.value == "=1+2" and c.data_type == "s" and c.quotePrefix for c in notes)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--year", "2018", "--cluster", "khong-co"], "Không có cụm thi đua “khong-co”."),
        (["--year", "1999"], "Không có năm thi đua 1999."),
    ],
)
def test_clear_errors(tmp_path, seeded, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_workbook", str(tmp_path / "x.xlsx"), *args)


def test_output_must_be_xlsx(tmp_path, seeded):
    with pytest.raises(CommandError, match="đuôi .xlsx"):
        call_command("export_workbook", str(tmp_path / "x.csv"), "--year", "2018")


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2"]
)
def test_every_formula_start_is_neutralised_and_numbers_stay_numbers(tmp_path, seeded, text):
    Contribution.objects.filter(fund__cluster_year__year=2018).update(notes=text)
    sheet = export(tmp_path, "--year", "2018")["Đóng góp"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        note = row[header.index("Ghi chú")]
        # XML reads a carriage return as a line feed: the writer says so itself.
        assert (note.value, note.data_type, note.quotePrefix) == (
            text.replace("\r", "\n"),
            "s",
            True,
        )
        amount = row[header.index("Số tiền (₫)")]
        assert amount.data_type == "n" and amount.value == 20_000_000
