"""A sheet of the year's workbook, as each domain app declares it in its own workbook.py: the
title, the resource (columns, how a row is found, which service writes it), the columns that
identify a row, the rows to export, and the columns imported in a second pass."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from import_export.widgets import DateWidget, IntegerWidget


@dataclass(frozen=True)
class Section:
    """One sheet of the workbook: its title, the resource that reads and writes it, the columns
    a sheet must have to be read as this section (those that identify a row), and the columns
    that refer forward and are imported in a second pass after the section named by
    deferred_after (None: after everything else)."""

    order: int  # where the sheet stands in the workbook, and when it is imported
    title: str
    resource_class: type
    required: tuple[str, ...]
    rows: Callable  # (years, member_units, year) -> queryset, in a stable order
    deferred: tuple[str, ...] = ()
    deferred_after: str | None = None
    # A small sheet whose rows another sheet's rows carry already (the clusters of the years
    # sheet): the export writes derive(that sheet's objects) instead of asking again.
    derived_from: str | None = None
    derive: Callable | None = None  # (objects of the sheet named derived_from) -> rows

    @cached_property
    def headers(self) -> list[str]:
        return [f.column_name for f in self.resource_class().get_export_fields()]

    @cached_property
    def kinds(self) -> dict[str, str]:
        return column_kinds(self.resource_class)


def column_kinds(resource_class) -> dict[str, str]:
    """How to read each column of a sheet: integer, date, a name (a foreign key) or text."""
    kinds = {}
    for resource_field in resource_class().get_export_fields():
        widget = resource_field.widget
        if isinstance(widget, IntegerWidget):
            kinds[resource_field.column_name] = "integer"
        elif isinstance(widget, DateWidget):
            kinds[resource_field.column_name] = "date"
        elif (
            resource_field.attribute
            and "__" not in resource_field.attribute
            and hasattr(widget, "model")
        ):
            kinds[resource_field.column_name] = "name"
        else:
            kinds[resource_field.column_name] = "text"
    return kinds
