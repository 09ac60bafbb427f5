"""import_workbook: what export writes comes back; every problem names sheet, row, column, value;
all or nothing; who may write which row."""

import datetime
import io
import unicodedata

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from awards.models import AwardKind, Commendation, Nomination, NominationEvent
from clusters.models import Cluster, ClusterYear, Membership, Source, Unit
from core.spreadsheets import workbook_bytes
from reports.models import Conference, PublishedFigure, UnitReport
from welfare.models import Beneficiary, Contribution, Fund, Support
from workbook.exporter import SECTIONS, export_workbook
from workbook.importer import WorkbookError, import_file

pytestmark = pytest.mark.django_db

OTHER_COUNTS = [
    "Tội phạm TTXH xảy ra",
    "Tội phạm TTXH khám phá",
    "Án nghiêm trọng xảy ra",
    "Án nghiêm trọng khám phá",
    "Khen thưởng: tập thể",
    "Khen thưởng: cá nhân",
    "Thông tin qua Diễn đàn",
]
REPORT_HEADERS = [
    "Cụm thi đua",
    "Năm",
    "Đơn vị",
    "Ma túy: số vụ",
    "Ma túy: số đối tượng",
    *OTHER_COUNTS,
]
CLUSTER = "Cụm thi đua số II"
LAI_CHAU = "Công an tỉnh Lai Châu"
SON_LA = "Công an tỉnh Sơn La"


def xlsx(sheets) -> bytes:
    """sheets: {title: [rows]}, written as a person would, with openpyxl's normal mode."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def exported(year) -> bytes:
    buffer = io.BytesIO()
    export_workbook(buffer, year=year)
    return buffer.getvalue()


def wipe_domain_data():
    for model in (
        Support,
        Beneficiary,
        Contribution,
        Fund,
        Commendation,
        NominationEvent,
        Nomination,
        PublishedFigure,
        UnitReport,
        Conference,
        Membership,
    ):
        model.objects.all().delete()
    ClusterYear.objects.update(chair=None, vice_chair=None, leading_unit=None, source=None)
    Source.objects.all().delete()
    ClusterYear.objects.all().delete()
    Cluster.objects.all().delete()
    Unit.objects.update(successor=None)
    Unit.objects.all().delete()


def report_rows(*rows):
    """Rows of cluster, year, unit, drug cases, drug offenders; the other counts are 0."""
    return {"Báo cáo đơn vị": [REPORT_HEADERS, *(list(r) + [0] * 7 for r in rows)]}


def messages(outcome):
    return [str(problem) for problem in outcome.problems]


# --- round trip ----------------------------------------------------------------------------


def test_round_trip_of_the_demo_data_into_an_empty_database(seeded):
    years = (2018, 2023, 2024)
    before = {year: exported(year) for year in years}
    wipe_domain_data()
    assert not Unit.objects.exists()
    for year in years:
        outcome = import_file(before[year], f"{year}.xlsx")
        assert outcome.ok, messages(outcome)
    for year in years:
        assert cells(exported(year)) == cells(before[year]), year
    for year in years:  # the years are open now: a second import still changes nothing
        again = import_file(before[year], f"{year}.xlsx")
        assert again.ok and sum(c.created + c.changed for c in again.counts) == 0, year
    # What the articles say came back with the cells.
    house = Support.objects.get(beneficiary__full_name="Vừ A Di")
    assert house.handed_over_on == datetime.date(2023, 11, 21)
    assert Nomination.objects.filter(cluster_year__year=2018).count() == 4
    assert NominationEvent.objects.filter(note="Nhập từ tệp Excel").count() == 4
    # and where each figure comes from: the article, and whether it is published or illustrative
    report = UnitReport.objects.get(cluster_year__year=2023, unit__slug="son-la")
    assert report.data_status == "illustrative" and "2023" in report.source.title
    assert PublishedFigure.objects.get(cluster_year__year=2023, figure="drug_cases").value == 4213


def test_importing_the_same_workbook_twice_changes_nothing(seeded):
    data = exported(2018)
    outcome = import_file(data, "2018.xlsx")
    assert outcome.ok, messages(outcome)  # 2018 is published: unchanged rows are no change
    assert sum(c.created + c.changed for c in outcome.counts) == 0
    assert sum(c.unchanged for c in outcome.counts) == sum(c.rows for c in outcome.counts) > 20


def test_commendations_imported_twice_are_left_alone_the_second_time(cluster_ii):
    kind = AwardKind.objects.get(code="bang-khen-bo-truong")
    sheet = {
        "Khen thưởng": [
            ["Năm", "Hình thức", "Đơn vị", "Họ tên", "Số quyết định", "Ngày quyết định"],
            [2024, kind.name, LAI_CHAU, "Nguyễn Văn A", "12/QĐ-BCA", "05/03/2025"],
            [2024, kind.name, SON_LA, "", "13/QĐ-BCA", datetime.date(2025, 3, 6)],
        ]
    }
    first = import_file(xlsx(sheet), "kt.xlsx")
    assert first.ok, messages(first)
    assert (first.counts[0].created, first.counts[0].unchanged) == (2, 0)
    second = import_file(xlsx(sheet), "kt.xlsx")
    assert (second.counts[0].created, second.counts[0].changed, second.counts[0].unchanged) == (
        0,
        0,
        2,
    )
    assert Commendation.objects.get(decision_number="12/QĐ-BCA").decision_date == datetime.date(
        2025, 3, 5
    )


# --- what real sheets contain --------------------------------------------------------------


def test_unicode_forms_spaces_letter_case_and_dotted_numbers_are_read(cluster_ii):
    decomposed = unicodedata.normalize("NFD", LAI_CHAU)
    assert decomposed != LAI_CHAU
    data = xlsx(
        report_rows(
            ["  Cụm thi đua  số II ", "2024", decomposed, "4.213", " 1 234 "],
            [CLUSTER, 2024.0, "công an tỉnh sơn la", 12, 0],
        )
    )
    outcome = import_file(data, "bc.xlsx")
    assert outcome.ok, messages(outcome)
    report = UnitReport.objects.get(unit__name=LAI_CHAU, cluster_year__year=2024)
    assert (report.drug_cases, report.drug_offenders) == (4213, 1234)
    assert UnitReport.objects.get(unit__name=SON_LA).drug_cases == 12


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4,213", "dấu phẩy ở Việt Nam là dấu thập phân"),
        ("4.21", "Cần một số nguyên"),
        ("12,5", "Cần một số nguyên"),
        ("mười", "Cần một số nguyên"),
        (4.5, "không có phần thập phân"),
        (-3, "0"),
    ],
)
def test_numbers_that_are_not_clear_are_refused_with_the_reason(cluster_ii, value, expected):
    outcome = import_file(xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, value, 1])), "bc.xlsx")
    assert not outcome.ok
    problem = outcome.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Báo cáo đơn vị", 2, "Ma túy: số vụ")
    assert expected in problem.message
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21/11/2023", datetime.date(2023, 11, 21)),
        ("1/7/2025", datetime.date(2025, 7, 1)),
        ("2023-11-21", datetime.date(2023, 11, 21)),
        (datetime.datetime(2023, 11, 21), datetime.date(2023, 11, 21)),
        ("05/03/25", "dd/mm/yyyy"),
        ("31/02/2024", "không có trên lịch"),
        (45000, "là số"),
    ],
)
def test_dates_as_text_or_real_dates(cluster_ii, value, expected):
    data = xlsx(
        {
            "Đơn vị": [
                ["Tên đơn vị", "Tên ngắn", "Mã đường dẫn", "Ngày thành lập"],
                ["Công an tỉnh Mới", "Mới", "moi", value],
            ]
        }
    )
    outcome = import_file(data, "dv.xlsx")
    if isinstance(expected, datetime.date):
        assert outcome.ok, messages(outcome)
        assert Unit.objects.get(slug="moi").started_on == expected
    else:
        assert [(p.row, p.column) for p in outcome.problems] == [(2, "Ngày thành lập")]
        assert expected in outcome.problems[0].message
        assert not Unit.objects.filter(slug="moi").exists()


def test_title_rows_above_the_header_and_empty_rows_keep_excel_row_numbers(cluster_ii):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Báo cáo đơn vị"
    sheet.append(["BÁO CÁO KẾT QUẢ NĂM 2024"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Cụm thi đua số II"])
    sheet.append([])
    sheet.append(["STT", *REPORT_HEADERS])  # row 4, with a running-number column
    sheet.append([1, CLUSTER, 2024, LAI_CHAU, 5, 6, *[0] * 7])
    sheet.append([])
    sheet.append([2, CLUSTER, 2024, SON_LA, "năm", 6, *[0] * 7])  # row 7
    for _ in range(30):
        sheet.append([None, None, None])  # formatted but empty rows at the end
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = import_file(buffer.getvalue(), "bc.xlsx")
    assert [(p.row, p.column, p.value) for p in outcome.problems] == [(7, "Ma túy: số vụ", "năm")]
    assert outcome.counts[0].rows == 2


def test_a_single_sheet_as_csv_with_bom_and_semicolons(cluster_ii):
    zeros = ";0" * 7
    text = "\ufeff" + ";".join(REPORT_HEADERS) + f"\n{CLUSTER};2024;{LAI_CHAU};4.213;7{zeros}\n"
    outcome = import_file(text.encode("utf-8"), "Báo cáo đơn vị.csv")
    assert outcome.ok, messages(outcome)
    assert UnitReport.objects.get().drug_cases == 4213
    # The sheet is recognised by its headers whatever the file is called.
    text = ",".join(REPORT_HEADERS) + f"\n{CLUSTER},2024,{SON_LA},3,1" + ",0" * 7 + "\n"
    assert import_file(text.encode("utf-8"), "tai-ve (1).csv").ok


def test_csv_in_another_encoding_is_refused(cluster_ii):
    text = ",".join(REPORT_HEADERS) + "\n"
    with pytest.raises(WorkbookError, match="UTF-8"):
        import_file(text.encode("utf-16"), "bc.csv")


def test_files_that_are_not_spreadsheets_are_refused(cluster_ii):
    with pytest.raises(WorkbookError, match="hỏng"):
        import_file(b"not a zip", "bc.xlsx")
    with pytest.raises(WorkbookError, match=".xlsx hoặc .csv"):
        import_file(b"abc", "bc.pdf")


def test_unknown_columns_missing_columns_unknown_sheets_and_duplicate_rows(cluster_ii):
    data = xlsx(
        {
            "Báo cáo đơn vị": [
                [*REPORT_HEADERS, "Ghi chu them"],
                [CLUSTER, 2024, LAI_CHAU, 1, 1, *[0] * 7, "x"],
                [CLUSTER, 2024, unicodedata.normalize("NFD", LAI_CHAU), 2, 1, *[0] * 7, "y"],
            ],
            "Thành viên": [["Cụm thi đua", "Đơn vị"], [CLUSTER, LAI_CHAU]],
            "Ghi nhớ": [["Việc cần làm"], ["gọi điện"]],
        }
    )
    outcome = import_file(data, "bc.xlsx")
    found = [(p.sheet, p.row, p.column) for p in outcome.problems]
    assert ("Báo cáo đơn vị", 1, "Ghi chu them") in found
    assert ("Báo cáo đơn vị", 3, "Cụm thi đua, Năm, Đơn vị") in found
    assert any(p.sheet == "Thành viên" and "Năm" in p.message for p in outcome.problems)
    assert any(p.sheet == "Ghi nhớ" and "Không nhận ra" in p.message for p in outcome.problems)
    assert not UnitReport.objects.exists()


def test_names_that_match_nothing_suggest_the_closest(cluster_ii):
    outcome = import_file(
        xlsx(report_rows([CLUSTER, 2024, "Công an tỉnh Lai Chau", 1, 1])), "bc.xlsx"
    )
    problem = outcome.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "Đơn vị", "Công an tỉnh Lai Chau")
    assert f"Có phải: “{LAI_CHAU}”" in problem.message


def test_one_bad_row_among_ten_thousand_writes_nothing_and_names_its_row(cluster_ii):
    kind = AwardKind.objects.get(code="bang-khen-bo-truong").name
    rows = [["Năm", "Hình thức", "Đơn vị", "Họ tên", "Số quyết định", "Ngày quyết định"]]
    for n in range(10_000):
        rows.append([2024, kind, LAI_CHAU, f"Cán bộ {n}", "12/QĐ-BCA", "05/03/2025"])
    rows[9_998][5] = "32/03/2025"  # Excel row 9,999
    outcome = import_file(workbook_bytes([("Khen thưởng", rows[0], rows[1:])]), "kt.xlsx")
    assert [(p.row, p.column, p.value) for p in outcome.problems] == [
        (9_999, "Ngày quyết định", "32/03/2025")
    ]
    assert outcome.counts[0].rows == 10_000
    assert not Commendation.objects.exists()


def test_a_rule_broken_in_one_sheet_is_reported_with_the_others_and_nothing_is_kept(cluster_ii):
    data = xlsx(
        {
            **report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]),
            "Hội nghị": [
                ["Cụm thi đua", "Năm", "Loại hội nghị (year_end/mid_year)", "Ngày"],
                [CLUSTER, 2024, "cuối năm", "31/12/2024"],
            ],
            "Báo cáo đơn vị 2": [
                ["Cụm thi đua", "Năm", "Đơn vị", "Tội phạm TTXH xảy ra", "Tội phạm TTXH khám phá"],
            ],
        }
    )
    outcome = import_file(data, "nam.xlsx")
    assert any(p.sheet == "Hội nghị" and p.row == 2 for p in outcome.problems)
    assert any("cùng là “Báo cáo đơn vị”" in p.message for p in outcome.problems)
    assert not UnitReport.objects.exists() and not Conference.objects.exists()


def test_dry_run_counts_and_writes_nothing(cluster_ii):
    data = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, 1, 1]))
    outcome = import_file(data, "bc.xlsx", dry_run=True)
    assert outcome.ok and not outcome.written
    assert (outcome.counts[0].created, outcome.counts[0].changed) == (2, 0)
    assert not UnitReport.objects.exists()
    import_file(data, "bc.xlsx")
    changed = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 4, 2], [CLUSTER, 2024, SON_LA, 1, 1]))
    outcome = import_file(changed, "bc.xlsx", dry_run=True)
    count = outcome.counts[0]
    assert (count.created, count.changed, count.unchanged) == (0, 1, 1)
    assert UnitReport.objects.get(unit__name=LAI_CHAU).drug_cases == 3


# --- who may write which row ----------------------------------------------------------------


def test_an_officer_imports_only_their_own_units_report_row(cluster_ii, officer_laichau):
    data = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, 1, 1]))
    outcome = import_file(data, "bc.xlsx", user=officer_laichau)
    assert [(p.row, "được sửa báo cáo này" in p.message) for p in outcome.problems] == [(3, True)]
    assert not UnitReport.objects.exists()
    alone = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    assert import_file(alone, "bc.xlsx", user=officer_laichau).ok
    units = xlsx({"Đơn vị": [["Tên đơn vị", "Tên ngắn", "Mã đường dẫn"], ["X mới", "X", "x"]]})
    assert not import_file(units, "dv.xlsx", user=officer_laichau).ok


def test_the_secretariat_imports_only_its_clusters_open_years(
    seeded, secretary, other_cluster, leader
):
    open_row = [CLUSTER, 2024, LAI_CHAU, 3, 2]
    assert import_file(xlsx(report_rows(open_row)), "bc.xlsx", user=secretary).ok
    published = [CLUSTER, 2023, LAI_CHAU, 999, 2]
    outcome = import_file(xlsx(report_rows(published)), "bc.xlsx", user=secretary)
    assert "đã công bố" in outcome.problems[0].message
    other = ["Cụm thi đua số I", 2024, other_cluster.memberships.first().unit.name, 1, 1]
    outcome = import_file(xlsx(report_rows(other)), "bc.xlsx", user=secretary)
    assert "được sửa báo cáo này" in outcome.problems[0].message
    outcome = import_file(xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 4, 2])), "x.xlsx", user=leader)
    assert "được sửa báo cáo này" in outcome.problems[0].message
    assert UnitReport.objects.get(unit__name=LAI_CHAU, cluster_year__year=2024).drug_cases == 3


def test_the_admin_may_not_write_into_a_published_year_without_reopening_it(seeded, admin_user):
    outcome = import_file(
        xlsx(report_rows([CLUSTER, 2023, LAI_CHAU, 999, 2])), "bc.xlsx", user=admin_user
    )
    assert "đã công bố" in outcome.problems[0].message


def test_a_broken_vote_rule_needs_the_admin_and_a_reason(seeded, secretary, admin_user):
    flag = AwardKind.objects.get(level="ministry", is_flag=True).name
    headers = ["Cụm thi đua", "Năm", "Hình thức", "Đơn vị", "Họ tên", "Số phiếu đồng ý"]
    headers += ["Tổng số thành viên", "Lý do vượt quy định"]
    row = [CLUSTER, 2024, flag, LAI_CHAU, "", 5, 7, ""]
    outcome = import_file(xlsx({"Bình xét": [headers, row]}), "bx.xlsx", user=secretary)
    assert any("80%" in p.message for p in outcome.problems)
    row[-1] = "Theo ý kiến Thường trực Hội đồng"
    outcome = import_file(xlsx({"Bình xét": [headers, row]}), "bx.xlsx", user=secretary)
    assert any("Chỉ quản trị viên" in p.message for p in outcome.problems)
    outcome = import_file(xlsx({"Bình xét": [headers, row]}), "bx.xlsx", user=admin_user)
    assert outcome.ok, messages(outcome)
    assert Nomination.objects.get(cluster_year__year=2024, unit__name=LAI_CHAU).overridden_by == (
        admin_user
    )


# --- the command --------------------------------------------------------------------------


def test_the_command_prints_counts_and_problems(tmp_path, cluster_ii, capsys):
    good = tmp_path / "bc.xlsx"
    good.write_bytes(xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2])))
    call_command("import_workbook", str(good), "--dry-run")
    assert "thêm 1" in capsys.readouterr().out and not UnitReport.objects.exists()
    call_command("import_workbook", str(good))
    assert UnitReport.objects.count() == 1
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(xlsx(report_rows([CLUSTER, 2024, SON_LA, "4,213", 2])))
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import_workbook", str(bad))
    assert "Trang “Báo cáo đơn vị”, dòng 2, cột “Ma túy: số vụ” (giá trị “4,213”)" in (
        capsys.readouterr().err
    )
    with pytest.raises(CommandError, match="Không đọc được"):
        call_command("import_workbook", str(tmp_path / "khong-co.xlsx"))


def test_every_section_of_the_template_is_recognised_by_its_headers_alone():
    for section in SECTIONS:
        data = xlsx({"Trang 1": [section.headers]})
        from workbook.importer import read

        sheets, problems = read(data, "x.xlsx")
        assert problems == [] and sheets[0].section is section, section.title
