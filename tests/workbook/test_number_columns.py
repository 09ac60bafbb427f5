"""The resources' number columns (the admin's import, and the commendation sheet read in bulk)
read whole numbers as the workbook importer does (core.cells): anything else (words, a
fraction) is the cell's error in Vietnamese, never a truncated number or a decimal module's
exception."""

import pytest
from django.utils import translation

from core.resources import number_widget
from reports.models import UnitReport
from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, report_rows, xlsx
from workbook.importer import import_file


@pytest.mark.parametrize(
    ("typed", "number"),
    [(2024, 2024), ("2024", 2024), (" 2024 ", 2024), (2024.0, 2024), ("5.000.000", 5_000_000)],
)
def test_whole_numbers_are_read(typed, number):
    with translation.override("vi"):
        assert number_widget().clean(typed) == number


@pytest.mark.parametrize("typed", ["", None])
def test_an_empty_cell_is_no_number(typed):
    assert number_widget().clean(typed) is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("hai nghìn", "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “hai nghìn”."),
        ("1/2", "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “1/2”."),
        ("NaN", "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “NaN”."),
        ("12,5", "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “12,5”."),
        (12.5, "Cần một số nguyên, không có phần thập phân."),
    ],
)
def test_anything_else_is_refused_in_words(typed, said):
    with translation.override("vi"), pytest.raises(ValueError) as refused:
        number_widget().clean(typed)
    assert str(refused.value) == said


@pytest.mark.django_db
def test_a_word_in_a_number_column_is_named_with_its_row_and_column(seeded, admin_user):
    outcome = import_file(
        xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, "ba", 2])), "bc.xlsx", user=admin_user
    )
    assert not outcome.ok
    [problem] = outcome.problems
    assert (problem.row, problem.value) == (2, "ba")
    assert problem.message == "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “ba”."
    assert problem.column
    assert not UnitReport.objects.filter(unit__name=LAI_CHAU, drug_cases=3).exists()
