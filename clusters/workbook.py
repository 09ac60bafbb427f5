"""Spreadsheet columns for the admin's import/export and the workbook: units and clusters by
name, never by id. Every resource checks, row by row, that the importing user may write that row."""

from django.db import models
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from clusters import services
from clusters.models import Cluster, ClusterYear, DataStatus, Membership, Source, Unit
from core.resources import (
    ChoiceWidget,
    NameForeignKeyWidget,
    ServiceResource,
    date_field,
    number_widget,
    text_field,
)
from core.sheets import Section

CLUSTER = "Cụm thi đua"
YEAR = "Năm"
UNIT = "Đơn vị"


class ClusterYearWidget(ForeignKeyWidget):
    """The cluster column names the cluster; the year comes from the row's year column."""

    def __init__(self):
        super().__init__(ClusterYear)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        cluster = NameForeignKeyWidget(Cluster, "name").clean(value)
        year = row.get(YEAR) if row else None
        try:
            return ClusterYear.objects.select_related("cluster").get(
                cluster=cluster, year=int(year)
            )
        except (TypeError, ValueError):
            raise ValueError(
                _("Năm “%(value)s” không phải là một năm.") % {"value": year}
            ) from None
        except ClusterYear.DoesNotExist:
            raise ValueError(
                _("%(cluster)s chưa có năm thi đua %(year)s.")
                % {"cluster": cluster.name, "year": year}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.cluster.name if value else ""


STATUS = "Tình trạng số liệu"
SOURCE = "Nguồn"


class SourceWidget(ForeignKeyWidget):
    """A record's source, by the document's title (the "Nguồn tài liệu" sheet lists them). The
    field holds `source_id`, so that neither export nor import asks the database once per row:
    the titles are read once per sheet."""

    renders_ids = True  # workbook.exporter: the cell is the title, never the id

    def __init__(self):
        super().__init__(Source)
        self._by_id = None
        self._by_title = None

    def _load(self):
        if self._by_id is None:
            self._by_id, self._by_title = {}, {}
            rows = Source.objects.values_list(
                "pk", "title", "cluster_year__year", "cluster_year__cluster__name"
            )
            for pk, title, year, cluster in rows:
                self._by_id[pk] = title
                key = " ".join(title.split()).casefold()
                self._by_title.setdefault(key, []).append((pk, year, cluster))

    def clean(self, value, row=None, **kwargs):
        title = " ".join(str(value or "").split())
        if not title:
            return None
        self._load()
        found = self._by_title.get(title.casefold(), [])
        # Only a source of the row's own cluster (the row's year first), or one of no year (a
        # law): a record never cites another cluster's documents (nor learns which it holds).
        year = str(row.get(YEAR) or "").strip() if row else ""
        cluster = " ".join(str(row.get(CLUSTER) or "").split()).casefold() if row else ""
        found = [
            (pk, source_year, source_cluster)
            for pk, source_year, source_cluster in found
            if source_year is None or not cluster or (source_cluster or "").casefold() == cluster
        ]
        found.sort(key=lambda f: str(f[1]) != year)
        if not found:
            raise ValueError(
                _("Không có nguồn tài liệu “%(title)s” của cụm này (xem trang “Nguồn tài liệu”).")
                % {"title": title}
            )
        return found[0][0]

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        self._load()
        return self._by_id.get(value, "")


class StatusWidget(ChoiceWidget):
    """A record's status; an empty cell is what a unit or the secretariat types in itself:
    "báo cáo của đơn vị"."""

    def __init__(self):
        super().__init__(DataStatus)

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or DataStatus.REPORTED


def provenance_fields():
    """The two columns every sheet of figures or records carries: where it comes from."""
    return {
        "data_status": fields.Field(
            attribute="data_status", column_name=STATUS, widget=StatusWidget()
        ),
        "source_id": fields.Field(attribute="source_id", column_name=SOURCE, widget=SourceWidget()),
    }


class ProvenanceResource(ServiceResource):
    """A resource whose rows carry the provenance columns (declared once, here)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, field in provenance_fields().items():
            self.fields[name] = field

    def get_export_order(self):
        order = [n for n in super().get_export_order() if n not in ("data_status", "source_id")]
        return (*order, "data_status", "source_id")


class SourceResource(ServiceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(
        attribute="cluster_year__year", column_name=YEAR, readonly=True, widget=number_widget()
    )
    title = text_field("title", "Tên tài liệu")
    number = text_field("number", "Số, ký hiệu")
    issued_on = date_field("issued_on", "Ngày ban hành")
    issuer = text_field("issuer", "Cơ quan ban hành, tờ báo")
    url = text_field("url", "Đường dẫn")
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Source
        import_id_fields = ("cluster_year", "title")
        fields = ("cluster_year", "year", "title", "number", "issued_on", "issuer", "url", "notes")
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster")

    def write(self, instance, by):
        services.source_save(source=instance, by=by)


class UnitResource(ServiceResource):
    name = text_field("name", "Tên đơn vị")
    short_name = text_field("short_name", "Tên ngắn")
    slug = text_field("slug", "Mã đường dẫn")
    started_on = date_field("started_on", "Ngày thành lập")
    ended_on = date_field("ended_on", "Ngày kết thúc")
    successor = fields.Field(
        attribute="successor",
        column_name="Đơn vị kế thừa",
        widget=NameForeignKeyWidget(Unit, "name"),
    )
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Unit
        import_id_fields = ("name",)
        fields = ("name", "short_name", "slug", "started_on", "ended_on", "successor", "notes")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("successor")

    def write(self, instance, by):
        services.unit_save(unit=instance, by=by)


class ClusterResource(ServiceResource):
    number = fields.Field(attribute="number", column_name="Số", widget=number_widget())
    name = text_field("name", "Tên cụm")
    slug = text_field("slug", "Mã đường dẫn")
    description = text_field("description", "Mô tả")

    class Meta:
        model = Cluster
        import_id_fields = ("name",)
        fields = ("number", "name", "slug", "description")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def write(self, instance, by):
        services.cluster_save(cluster=instance, by=by)


class ClusterYearResource(ProvenanceResource):
    cluster = fields.Field(
        attribute="cluster", column_name=CLUSTER, widget=NameForeignKeyWidget(Cluster, "name")
    )
    year = fields.Field(attribute="year", column_name=YEAR, widget=number_widget())
    chair = fields.Field(
        attribute="chair", column_name="Cụm trưởng", widget=NameForeignKeyWidget(Unit, "name")
    )
    vice_chair = fields.Field(
        attribute="vice_chair",
        column_name="Phó Cụm trưởng",
        widget=NameForeignKeyWidget(Unit, "name"),
    )
    handover_date = date_field("handover_date", "Ngày nhận bàn giao")
    handover_note = text_field("handover_note", "Ghi chú bàn giao")
    leading_unit = fields.Field(
        attribute="leading_unit",
        column_name="Đơn vị dẫn đầu",
        widget=NameForeignKeyWidget(Unit, "name"),
    )

    class Meta:
        model = ClusterYear
        import_id_fields = ("cluster", "year")
        fields = (
            "cluster",
            "year",
            "chair",
            "vice_chair",
            "handover_date",
            "handover_note",
            "leading_unit",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster", "chair", "vice_chair")

    def write(self, instance, by):
        services.cluster_year_save(cluster_year=instance, by=by)


class MembershipResource(ServiceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(attribute="year", column_name=YEAR, widget=number_widget())
    unit = fields.Field(
        attribute="unit", column_name=UNIT, widget=NameForeignKeyWidget(Unit, "name")
    )

    class Meta:
        model = Membership
        import_id_fields = ("cluster_year", "unit")
        fields = ("cluster_year", "year", "unit")
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "unit")

    def write(self, instance, by):
        services.membership_add(membership=instance, by=by)


def _clusters_of(cluster_years) -> list[Cluster]:
    """The clusters of the years sheet's rows, in the order of the query above (a cluster
    without a number last, as PostgreSQL puts it)."""
    clusters = {year.cluster_id: year.cluster for year in cluster_years}.values()
    return sorted(clusters, key=lambda c: (c.number is None, c.number or 0, c.name))


def _units(years, member_units, year):
    # Successors and predecessors come along, so that every name in the sheet can be found.
    return (
        Unit.objects.filter(
            models.Q(pk__in=member_units)
            | models.Q(predecessors__in=member_units)
            | models.Q(successor__in=member_units)
        )
        .distinct()
        .select_related("successor")
        .order_by("name")
    )


# The sheets of the year's workbook that this app keeps (workbook.registry finds them).
SHEETS = [
    Section(
        10,
        "Đơn vị",
        UnitResource,
        ("Tên đơn vị",),
        _units,
        deferred=("Đơn vị kế thừa",),
        deferred_after="Đơn vị",
    ),
    Section(
        20,
        "Cụm thi đua",
        ClusterResource,
        ("Tên cụm",),
        lambda years, units, year: (
            Cluster.objects.filter(years__in=years).distinct().order_by("number", "name")
        ),
        derived_from="Năm thi đua, Cụm trưởng",
        derive=_clusters_of,
    ),
    Section(
        30,
        "Năm thi đua, Cụm trưởng",
        ClusterYearResource,
        (CLUSTER, YEAR),
        lambda years, units, year: years.select_related(
            "cluster", "chair", "vice_chair", "leading_unit"
        ).order_by("cluster__number", "cluster__name", "year"),
        deferred=("Cụm trưởng", "Phó Cụm trưởng", "Đơn vị dẫn đầu", SOURCE),
        deferred_after="Thành viên",
    ),
    Section(
        35,
        "Nguồn tài liệu",
        SourceResource,
        (CLUSTER, YEAR, "Tên tài liệu"),
        lambda years, units, year: (
            Source.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster")
            .order_by("cluster_year__year", "title", "pk")
        ),
    ),
    Section(
        40,
        "Thành viên",
        MembershipResource,
        (CLUSTER, YEAR, UNIT),
        lambda years, units, year: (
            Membership.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "unit")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "unit__name")
        ),
    ),
]
