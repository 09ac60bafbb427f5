"""A year's import page takes that year's workbook and nothing else.

Two ways another year's data could come in: rows that say so (a 2023 workbook uploaded on the
2024 page), and a 2023 workbook "relabelled": its Năm cells changed to 2024, so that every row
names the right year while the chair, the conference and the figures are 2023's (that is how a
2024 import once replaced the 2024 chair and conference: through the sheets "Năm thi đua, Cụm
trưởng" and "Hội nghị"). Rows of the first kind are found by their year. The second kind by
what the relabelling leaves: a sheet titled with another year ("Báo cáo 2023"), or a row of the
sheets that make a year what it is (its chair, its conference, its unit reports) equal, apart
from its year, to the cluster's row of another year in the database.

Each problem is (sheet, Excel row, column, value, message); workbook.importer words them.
"""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from clusters.models import ClusterYear, Unit
from clusters.workbook import CLUSTER, YEAR
from core.cells import normalise_name
from core.resources import ChoiceWidget
from reports.models import Conference, UnitReport
from workbook.exporter import typed_row

YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# The sheets that say what a year is; a copy of another year's row in them is a relabelled file.
YEAR_DEFINING = (ClusterYear, Conference, UnitReport)


def year_problems(sheets, cluster_year) -> list[tuple]:
    year = cluster_year.year
    problems = []
    for sheet in sheets:
        in_title = {int(found) for found in YEAR_IN_TITLE.findall(sheet.title)}
        if in_title and year not in in_title:
            problems.append(
                (
                    sheet.title,
                    None,
                    "",
                    sheet.title,
                    _(
                        "Tên trang ghi năm %(found)s, còn trang nhập này là của năm %(year)s: "
                        "hãy nhập tệp của năm %(found)s ở trang của năm đó, hoặc nhập đúng tệp "
                        "của năm %(year)s."
                    )
                    % {"found": min(in_title), "year": year},
                )
            )
        if CLUSTER in sheet.headers:
            own = _folded(cluster_year.cluster.name)
            elsewhere = [
                (number, row[CLUSTER])
                for number, row in sheet.rows
                if row.get(CLUSTER) not in (None, "") and _folded(row[CLUSTER]) != own
            ]
            if elsewhere:
                number, found = elsewhere[0]
                problems.append(
                    (
                        sheet.title,
                        number,
                        CLUSTER,
                        str(found),
                        _(
                            "Dòng này là của “%(found)s”, còn trang nhập này là của %(cluster)s: "
                            "cả tệp không được nhập. Hãy nhập ở trang của cụm đó."
                        )
                        % {"found": found, "cluster": cluster_year.cluster.name},
                    )
                )
        if YEAR not in sheet.headers:
            continue
        wrong = [
            (number, row[YEAR])
            for number, row in sheet.rows
            if row.get(YEAR) not in (None, "") and row[YEAR] != year
        ]
        if wrong:
            number, found = wrong[0]
            message = _(
                "Dòng này là của năm %(found)s, còn trang nhập này là của năm %(year)s: cả tệp "
                "không được nhập. Hãy nhập tệp năm %(found)s ở trang của năm %(found)s."
            ) % {"found": found, "year": year}
            if len(wrong) > 1:
                message += " " + _(
                    "Trang này còn %(others)s dòng khác không phải năm %(year)s."
                ) % {"others": len(wrong) - 1, "year": year}
            problems.append((sheet.title, number, YEAR, str(found), message))
    if not problems:
        problems += _copies(sheets, cluster_year)
    return problems


def _folded(name) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()


def _same(widget, value):
    """A cell as it compares: names and texts without case or spacing, choices as codes."""
    if value is None or value == "" or value == 0:
        return ""
    if isinstance(widget, ChoiceWidget):
        try:
            return widget.clean(value)
        except ValueError:
            pass
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return normalise_name(value).casefold()
    return value


def _copies(sheets, cluster_year) -> list[tuple]:
    """Rows of the year-defining sheets that are another year's row with the year changed."""
    others = ClusterYear.objects.filter(cluster_id=cluster_year.cluster_id).exclude(
        pk=cluster_year.pk
    )
    problems = []
    for sheet in sheets:
        section = sheet.section
        if section.resource_class._meta.model not in YEAR_DEFINING or YEAR not in sheet.headers:
            continue
        resource = section.resource_class()
        fields = resource.get_export_fields()
        widgets = {f.column_name: f.widget for f in fields}
        headers = [h for h in sheet.headers if h != YEAR]
        content = [h for h in headers if h not in section.required]
        if not content:
            continue  # nothing but the row's key (the roster): the same every year
        seen = {}  # {the row without its year: the year it is in the database}
        for obj in section.rows(others, Unit.objects.none(), cluster_year.year).iterator():
            row = typed_row(resource, fields, obj)
            values = dict(zip([f.column_name for f in fields], row, strict=True))
            key = tuple(_same(widgets[h], values.get(h)) for h in headers)
            seen.setdefault(key, values.get(YEAR))
        copies = []
        for number, row in sheet.rows:
            if all(_same(widgets[h], row.get(h)) == "" for h in content):
                continue  # an empty row says nothing of where it came from
            key = tuple(_same(widgets[h], row.get(h)) for h in headers)
            if key in seen:
                copies.append((number, seen[key]))
        if copies:
            number, found = copies[0]
            message = _(
                "Dòng này giống hệt dữ liệu năm %(found)s của cụm, chỉ khác cột “Năm”: tệp có "
                "vẻ là tệp năm %(found)s đã sửa năm thành %(year)s, nên cả tệp không được "
                "nhập. Trang này chỉ nhận dữ liệu của năm %(year)s."
            ) % {"found": found, "year": cluster_year.year}
            if len(copies) > 1:
                message += " " + _("Trang này còn %(others)s dòng như vậy.") % {
                    "others": len(copies) - 1
                }
            problems.append((sheet.title, number, YEAR, str(cluster_year.year), message))
    return problems
