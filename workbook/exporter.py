"""One workbook per emulation year: a sheet per section, with the columns of each model's resource
(the same headers the admin's import/export and, later, import_workbook use)."""

import datetime
from collections.abc import Iterator

from django.db import models
from django.db.models import Func, IntegerField, Subquery

from clusters.models import Cluster, ClusterYear, Unit
from core.resources import ChoiceWidget
from core.sheets import Section
from core.spreadsheets import write_workbook
from workbook.registry import SECTIONS


def typed_row(resource, fields, obj) -> list:
    """A row of real values: dates stay dates and numbers stay numbers; a related object is
    written as its name and a choice as its Vietnamese label (the resource's widget), never as
    an id or a code."""
    row = []
    for field in fields:
        value = field.get_value(obj)
        if (
            isinstance(value, models.Model)
            or isinstance(field.widget, ChoiceWidget)
            or getattr(field.widget, "renders_ids", False)  # a name looked up from an id
        ):
            value = field.widget.render(value)
        elif isinstance(value, datetime.datetime):
            value = value.date()
        elif value is not None and not isinstance(value, int | datetime.date | str):
            value = str(value)
        row.append(value)
    return row


def _sheet(section: Section, objects):
    """`objects`: a queryset, read in chunks (the commendations of a national year do not fit
    in memory twice), or the list a small sheet was derived from."""
    resource = section.resource_class()
    fields = resource.get_export_fields()
    if isinstance(objects, models.QuerySet):
        objects = objects.iterator(chunk_size=2000)

    def rows() -> Iterator[list]:
        for obj in objects:
            yield typed_row(resource, fields, obj)

    return section.title, [f.column_name for f in fields], rows()


def sections(year: int, cluster: Cluster | None = None):
    years = ClusterYear.objects.filter(year=year)
    if cluster is not None:
        years = years.filter(cluster=cluster)
    member_units = Unit.objects.filter(memberships__cluster_year__in=years)
    by_title = {section.title: section for section in SECTIONS}
    sources = {section.derived_from for section in SECTIONS if section.derived_from}
    read = {}  # the objects of a sheet another is derived from, read once

    def objects_of(section: Section):
        if section.title not in sources:
            return section.rows(years, member_units, year)
        if section.title not in read:
            read[section.title] = list(section.rows(years, member_units, year))
        return read[section.title]

    written = []
    for section in SECTIONS:
        if section.derived_from:
            objects = section.derive(objects_of(by_title[section.derived_from]))
        else:
            objects = objects_of(section)
        written.append(_sheet(section, objects))
    return written


def _count(queryset):
    """The number of rows `queryset` gives, as a subquery (a COUNT over its rows, distinct ones
    counted once), so that every sheet is counted in one query."""
    queryset = queryset.order_by()
    if queryset.query.distinct:
        queryset = queryset.model.objects.filter(pk__in=queryset.values("pk")).order_by()
    every_row = Func(template="COUNT(*)", output_field=IntegerField())  # no GROUP BY: one row
    return Subquery(queryset.annotate(rows=every_row).values("rows"))


def row_count(year: int, cluster: Cluster | None = None) -> int:
    """The rows sections() would write: what decides whether the workbook is written in the
    background (workbook.jobs). One query, each sheet's count a subquery of it."""
    years = ClusterYear.objects.filter(year=year)
    if cluster is not None:
        years = years.filter(cluster=cluster)
    member_units = Unit.objects.filter(memberships__cluster_year__in=years)
    counts = {
        f"sheet_{i}": _count(section.rows(years, member_units, year))
        for i, section in enumerate(SECTIONS)
    }
    # any one row to hang the subqueries on; no year at all, no rows to write
    row = ClusterYear.objects.order_by().annotate(**counts).values(*counts).first()
    return sum(row.values()) if row else 0


def template_sections():
    """The blank template: every sheet with its headers and no rows."""
    return [(section.title, section.headers, []) for section in SECTIONS]


def export_workbook(target, *, year: int, cluster: Cluster | None = None) -> None:
    write_workbook(target, sections(year, cluster))
