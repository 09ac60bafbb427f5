from django.db import models
from import_export import fields

from clusters.models import Unit
from clusters.workbook import CLUSTER, UNIT, YEAR, ClusterYearWidget, ProvenanceResource
from core.resources import (
    ChoiceWidget,
    NameForeignKeyWidget,
    date_field,
    number_widget,
    text_field,
)
from core.sheets import Section
from reports import services
from reports.models import CONFERENCE_FIELDS, COUNT_FIELDS, Conference, PublishedFigure, UnitReport

REPORT_HEADERS = {
    "crimes_recorded": "Tội phạm TTXH xảy ra",
    "crimes_solved": "Tội phạm TTXH khám phá",
    "serious_recorded": "Án nghiêm trọng xảy ra",
    "serious_solved": "Án nghiêm trọng khám phá",
    "drug_cases": "Ma túy: số vụ",
    "drug_offenders": "Ma túy: số đối tượng",
    "commended_collectives": "Khen thưởng: tập thể",
    "commended_individuals": "Khen thưởng: cá nhân",
    "citizen_tips": "Thông tin qua Diễn đàn",
    "project06_notes": "Đề án 06",
    "other_results": "Kết quả khác",
    "notes": "Ghi chú",
}


class UnitReportResource(ProvenanceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(
        attribute="cluster_year__year", column_name=YEAR, readonly=True, widget=number_widget()
    )
    unit = fields.Field(
        attribute="unit", column_name=UNIT, widget=NameForeignKeyWidget(Unit, "name")
    )

    class Meta:
        model = UnitReport
        import_id_fields = ("cluster_year", "unit")
        fields = ("cluster_year", "year", "unit", *REPORT_HEADERS)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, header in REPORT_HEADERS.items():
            self.fields[name].column_name = header
            if name in COUNT_FIELDS:
                self.fields[name].widget = number_widget()

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "unit")

    def write(self, instance, by):
        services.unit_report_save(report=instance, by=by)


class ConferenceResource(ProvenanceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(
        attribute="cluster_year__year", column_name=YEAR, readonly=True, widget=number_widget()
    )
    kind = fields.Field(
        attribute="kind",
        column_name="Loại hội nghị (year_end/mid_year)",
        widget=ChoiceWidget(Conference.Kind),
    )
    date = date_field("date", "Ngày")
    host = fields.Field(
        attribute="host", column_name="Đơn vị đăng cai", widget=NameForeignKeyWidget(Unit, "name")
    )
    place = text_field("place", "Địa điểm")
    presiding_rank = text_field("presiding_rank", "Cấp bậc người chủ trì")
    presiding_name = text_field("presiding_name", "Họ tên người chủ trì")
    presiding_title = text_field("presiding_title", "Chức vụ người chủ trì")
    guests = text_field("guests", "Đại biểu dự")
    movement = text_field("movement", "Phong trào")
    slogan = text_field("slogan", "Khẩu hiệu")
    highlights = text_field("highlights", "Kết quả nổi bật")
    directions = text_field("directions", "Ý kiến chỉ đạo")
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Conference
        import_id_fields = ("cluster_year", "kind")
        fields = ("cluster_year", "year", "kind", *CONFERENCE_FIELDS)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "host")

    def write(self, instance, by):
        services.conference_save(conference=instance, by=by)


# The figures a cluster publishes, as choices for ChoiceWidget (labels: the sheet's own headers).
FigureChoices = models.TextChoices(
    "FigureChoices", [(name.upper(), (name, REPORT_HEADERS[name])) for name in COUNT_FIELDS]
)


class PublishedFigureResource(ProvenanceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(
        attribute="cluster_year__year", column_name=YEAR, readonly=True, widget=number_widget()
    )
    figure = fields.Field(
        attribute="figure", column_name="Chỉ tiêu", widget=ChoiceWidget(FigureChoices)
    )
    value = fields.Field(
        attribute="value", column_name="Số liệu cụm công bố", widget=number_widget()
    )
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = PublishedFigure
        import_id_fields = ("cluster_year", "figure")
        fields = ("cluster_year", "year", "figure", "value", "notes")
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster")

    def write(self, instance, by):
        services.published_figure_save(figure=instance, by=by)


# The sheets of the year's workbook that this app keeps (workbook.registry finds them).
SHEETS = [
    Section(
        50,
        "Hội nghị",
        ConferenceResource,
        (CLUSTER, YEAR, "Loại hội nghị (year_end/mid_year)"),
        lambda years, units, year: (
            Conference.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "host")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "kind")
        ),
    ),
    Section(
        60,
        "Báo cáo đơn vị",
        UnitReportResource,
        (CLUSTER, YEAR, UNIT),
        lambda years, units, year: (
            UnitReport.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "unit")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "unit__name")
        ),
    ),
    Section(
        65,
        "Số liệu cụm công bố",
        PublishedFigureResource,
        (CLUSTER, YEAR, "Chỉ tiêu"),
        lambda years, units, year: (
            PublishedFigure.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster")
            .order_by("cluster_year__year", "figure")
        ),
    ),
]
