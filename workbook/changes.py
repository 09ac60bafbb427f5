"""What an import would change, row by row, before it changes it: the values of each row to add
and, for each row to change, every cell as old → new, shown the way the pages show them (unit
names, 4.213, 21/11/2023, "140.000.000 ₫", choice labels). Computed from the instances the
importer's dry run builds, before and after each row (workbook.importer collects them).

Also which unit reports the unit filed itself (the report's latest history record was saved by
one of that unit's own officers): a row that would overwrite one needs its own tick.
"""

import copy
import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import Role
from core.resources import ChoiceWidget
from reports.models import UnitReport

PAGE_ROWS = 200  # rows listed per sheet and page of the preview


@dataclass
class Cell:
    header: str
    old: str
    new: str


@dataclass
class RowChange:
    """A row of a sheet that adds or changes something ("new" or "update")."""

    sheet: str
    row: int  # the Excel row
    kind: str
    values: dict[str, str]  # after the row, by header (what a new row adds)
    cells: list[Cell] = field(default_factory=list)  # what an existing row changes
    filed_unit: str = ""  # the unit whose own report this row overwrites
    filed_slug: str = ""
    left_alone: bool = False  # not written: it overwrites a self-filed report, and was not ticked

    @property
    def is_new(self) -> bool:
        return self.kind == "new"

    @property
    def shown(self) -> list[dict]:
        """Every column of the row: its value, and the old one where it changes."""
        old = {cell.header: cell.old for cell in self.cells}
        return [
            {"header": h, "new": v, "old": old.get(h, ""), "changed": h in old}
            for h, v in self.values.items()
        ]

    @property
    def summary(self) -> str:
        """ "Ma túy: số vụ 425 → 410; …" """
        return "; ".join(
            f"{cell.header} {cell.old or '—'} → {cell.new or '—'}" for cell in self.cells
        )

    @property
    def filed_message(self) -> str:
        if len(self.cells) == 1:
            change = f"{self.cells[0].old or '—'} → {self.cells[0].new or '—'}"
            return _("%(unit)s đã tự báo cáo (%(column)s): %(change)s") % {
                "unit": self.filed_unit,
                "column": self.cells[0].header,
                "change": change,
            }
        return _("%(unit)s đã tự báo cáo: %(changes)s") % {
            "unit": self.filed_unit,
            "changes": self.summary,
        }

    @property
    def filed_note(self) -> str:
        """The table's short mark: one changed cell in full, more as a count (each cell shows
        its own old → new beside it; the tick list below spells them all out)."""
        if len(self.cells) <= 2:
            return self.filed_message
        return _("%(unit)s đã tự báo cáo: %(count)s ô thay đổi") % {
            "unit": self.filed_unit,
            "count": len(self.cells),
        }


@dataclass
class SheetChanges:
    title: str
    headers: list[str]
    rows: list[RowChange] = field(default_factory=list)  # in the sheet's order


def display(resource_field, value) -> str:
    """A value as the pages show it."""
    if value is None or value == "":
        return ""
    widget = resource_field.widget
    if isinstance(widget, ChoiceWidget) or getattr(widget, "renders_ids", False):
        return widget.render(value)
    if resource_field.attribute in ("year", "cluster_year__year"):
        return str(value)  # a year is never grouped: 2024, not 2.024
    if isinstance(value, models.Model):
        try:
            return str(widget.render(value))
        except AttributeError:  # a widget that renders ids: the object's own name
            return str(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        text = formats.number_format(value, use_l10n=True, force_grouping=True)
        return f"{text} ₫" if "₫" in (resource_field.column_name or "") else text
    return str(value)


def columns_of(resource, headers) -> list:
    """The resource's fields for the sheet's columns, in the sheet's order."""
    by_header = {f.column_name: f for f in resource.get_export_fields()}
    return [by_header[header] for header in headers if header in by_header]


def snapshot(columns, obj) -> dict[str, str]:
    """{header: shown value} of an instance, for the sheet's columns (columns_of)."""
    shown = {}
    for resource_field in columns:
        try:
            value = resource_field.get_value(obj)
        except (AttributeError, ValueError, models.ObjectDoesNotExist):
            value = None  # a relation a row without errors always has; an invalid row lacks
        shown[resource_field.column_name] = display(resource_field, value)
    return shown


def original_of(resource, row_result):
    """The instance as it was before the row. Resources in bulk mode keep no copy
    (skip_diff): they keep a snapshot of their own fields when they find the row."""
    if row_result.original is not None:
        return row_result.original
    snapshots = getattr(resource, "_snapshots", None)
    instance = row_result.instance
    if not snapshots or instance is None or instance.pk not in snapshots:
        return None
    before = copy.copy(instance)
    for name, value in zip(resource.SNAPSHOT_FIELDS, snapshots[instance.pk], strict=True):
        if not name.endswith("_id"):  # the relations are the row's key: they did not change
            setattr(before, name, value)
    return before


def cells_changed(before: dict[str, str], after: dict[str, str]) -> list[Cell]:
    return [
        Cell(header, before.get(header, ""), value)
        for header, value in after.items()
        if before.get(header, "") != value
    ]


def self_filed_reports(cluster_year) -> dict[int, tuple[str, str]]:
    """{unit id: (unit name, unit slug)} of the year's reports whose latest history record was
    saved by an officer of the report's own unit. One query for the whole year."""
    history = UnitReport.history.model
    latest = (
        history.objects.filter(id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = (
        history.objects.filter(
            cluster_year_id=cluster_year.pk,
            history_id=Subquery(latest),
            history_user__role=Role.UNIT_OFFICER,
            history_user__unit_id=F("unit_id"),
        )
        .exclude(history_type="-")
        .values_list("unit_id", "unit__name", "unit__slug")
    )
    return {unit_id: (name, slug) for unit_id, name, slug in rows}
