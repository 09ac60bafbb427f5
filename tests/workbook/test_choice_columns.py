"""Choice columns take the Vietnamese label (as the export writes it) or the code; case, Unicode
form, spaces and missing marks do not matter; anything else is refused with the labels."""

import io
import unicodedata

import pytest
from django.utils import translation

from awards.models import Level, Nomination, Recipient
from core.resources import ChoiceWidget
from core.spreadsheets import workbook_bytes
from reports.models import Conference
from tests.workbook.test_import_workbook import CLUSTER, cells, xlsx
from welfare.models import Beneficiary, Fund, Support
from workbook.exporter import sections
from workbook.importer import import_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("choices", "typed", "code"),
    [
        (Fund.Status, "Đang vận động", "collecting"),
        (Fund.Status, "đang vận động", "collecting"),
        (Fund.Status, "ĐANG VẬN ĐỘNG", "collecting"),
        (Fund.Status, "Dang van dong", "collecting"),
        (Fund.Status, "  Đang   vận động ", "collecting"),
        (Fund.Status, "collecting", "collecting"),
        (Fund.Status, "Đã khóa sổ", "closed"),
        (Support.Kind, "Nhà Nghĩa tình đồng đội", "house"),
        (Support.Kind, "nha nghia tinh dong doi", "house"),
        (Support.Kind, "house", "house"),
        (Beneficiary.Circumstance, "Bệnh hiểm nghèo", "illness"),
        (Beneficiary.Circumstance, "gia đình chính sách", "policy_family"),
        (Nomination.Status, "Được khen thưởng", "approved"),
        (Nomination.Status, "Không được khen thưởng", "not_approved"),
        (Level, "Bộ Công an", "ministry"),
        (Recipient, "Tập thể hoặc cá nhân", "both"),
        (Conference.Kind, "Hội nghị sơ kết", "mid_year"),
    ],
)
def test_a_label_or_a_code_is_read_as_the_code(choices, typed, code):
    assert ChoiceWidget(choices).clean(typed) == code


def test_decomposed_marks_are_the_same_label():
    typed = unicodedata.normalize("NFD", "Đã khóa sổ")
    assert ChoiceWidget(Fund.Status).clean(typed) == "closed"


@pytest.mark.parametrize("typed", ["Đang vận", "đang gom", "vận động đang", "collect"])
def test_only_a_whole_label_matches_and_the_error_lists_the_labels(typed):
    with pytest.raises(ValueError) as refused:
        ChoiceWidget(Fund.Status).clean(typed)
    assert str(refused.value) == (
        f"“{typed.strip()}” không phải một trong: “Đang vận động”, “Đã khóa sổ”."
    )


def test_the_label_is_vietnamese_whatever_the_language_of_the_exporter():
    with translation.override("en"):
        assert ChoiceWidget(Support.Kind).render("house") == "Nhà Nghĩa tình đồng đội"
        assert ChoiceWidget(Support.Kind).clean("Nhà Nghĩa tình đồng đội") == "house"


def test_the_export_writes_the_labels(seeded):
    sheets = cells(workbook_bytes(sections(2023, seeded.cluster)))
    fund_headers, fund = sheets["Quỹ"][:2]
    assert fund[fund_headers.index("Trạng thái (collecting/closed)")] == "Đã khóa sổ"
    support_headers, support = sheets["Hỗ trợ"][:2]
    assert support[support_headers.index("Hình thức")] == "Nhà Nghĩa tình đồng đội"
    person_headers, person = sheets["Người được hỗ trợ"][:2]
    column = "Hoàn cảnh (hardship/policy_family/illness/disaster/other)"
    assert person[person_headers.index(column)] == "Hoàn cảnh khó khăn"
    conference_headers, conference = sheets["Hội nghị"][:2]
    assert conference[conference_headers.index("Loại hội nghị (year_end/mid_year)")] == (
        "Hội nghị tổng kết"
    )


def test_a_sheet_with_labels_imports_and_an_unknown_label_names_its_row(cluster_ii):
    headers = ["Cụm thi đua", "Năm", "Tên quỹ", "Trạng thái (collecting/closed)"]
    good = xlsx({"Quỹ": [headers, [CLUSTER, 2024, "Quỹ A", "Dang van dong"]]})
    outcome = import_file(io.BytesIO(good), "quy.xlsx")
    assert outcome.written, outcome.problems
    assert Fund.objects.get(title="Quỹ A").status == "collecting"

    bad = xlsx({"Quỹ": [headers, [CLUSTER, 2024, "Quỹ B", "Đang gom"]]})
    outcome = import_file(io.BytesIO(bad), "quy.xlsx")
    assert [(p.sheet, p.row, p.column, p.value) for p in outcome.problems] == [
        ("Quỹ", 2, "Trạng thái (collecting/closed)", "Đang gom")
    ]
    assert "“Đang vận động”, “Đã khóa sổ”" in outcome.problems[0].message
    assert not Fund.objects.filter(title="Quỹ B").exists()
