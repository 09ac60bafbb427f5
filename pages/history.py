"""The history of one emulation year: every create, change and delete of its roster, conference,
reports, vote, funds, contributions and supports, with who, when, and the values before and after.

The records are django-simple-history's; they are read here with one query per kind of object
(plus one for the names the values refer to), and each record is compared with the previous
record of the same object in Python, so the page costs the same whatever the number of changes.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards.models import AwardKind, AwardQuota, Nomination
from clusters.models import ClusterYear, Membership, Unit
from clusters.views import year_page
from reports.models import Conference, UnitReport
from welfare.models import Beneficiary, Contribution, Fund, Support

LIMIT = 300
SKIPPED = {"id", "created_at", "updated_at", "year", "version"}


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    label: str
    action: str
    changes: list = field(default_factory=list)  # (field, before, after)
    reason: str = ""


def _records(cluster_year: ClusterYear):
    funds = Fund.history.filter(cluster_year_id=cluster_year.pk).values_list("id", flat=True)
    fund_ids = set(funds)
    return [
        (ClusterYear, ClusterYear.history.filter(id=cluster_year.pk)),
        (Membership, Membership.history.filter(cluster_year_id=cluster_year.pk)),
        (Conference, Conference.history.filter(cluster_year_id=cluster_year.pk)),
        (UnitReport, UnitReport.history.filter(cluster_year_id=cluster_year.pk)),
        (AwardQuota, AwardQuota.history.filter(cluster_year_id=cluster_year.pk)),
        (Nomination, Nomination.history.filter(cluster_year_id=cluster_year.pk)),
        (Fund, Fund.history.filter(cluster_year_id=cluster_year.pk)),
        (Contribution, Contribution.history.filter(fund_id__in=fund_ids)),
        (Support, Support.history.filter(fund_id__in=fund_ids)),
    ]


def _display(model_field, value, names):
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(value, f"#{value}")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def year_history(cluster_year: ClusterYear) -> list[Entry]:
    records = []
    for model, queryset in _records(cluster_year):
        rows = list(queryset.select_related("history_user").order_by("id", "history_date"))
        records.append((model, rows))
    names = {
        Unit: dict(Unit.objects.values_list("id", "name")),
        AwardKind: dict(AwardKind.objects.values_list("id", "name")),
        Fund: dict(Fund.objects.filter(cluster_year=cluster_year).values_list("id", "title")),
        Beneficiary: dict(
            Beneficiary.objects.filter(supports__fund__cluster_year=cluster_year).values_list(
                "id", "full_name"
            )
        ),
        ClusterYear: {cluster_year.pk: str(cluster_year)},
    }
    actions = {"+": _("Thêm"), "~": _("Sửa"), "-": _("Xóa")}
    entries = []
    for model, rows in records:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in SKIPPED and not f.name.startswith("history")
        ]
        previous = {}
        for record in rows:
            before = previous.get(record.id)
            changes = []
            for model_field in fields:
                new = getattr(record, model_field.attname)
                old = getattr(before, model_field.attname) if before else None
                if before is None and record.history_type == "+":
                    if new not in (None, ""):
                        changes.append(
                            (model_field.verbose_name, "", _display(model_field, new, names))
                        )
                elif before is not None and old != new:
                    changes.append(
                        (
                            model_field.verbose_name,
                            _display(model_field, old, names),
                            _display(model_field, new, names),
                        )
                    )
            previous[record.id] = record
            if record.history_type == "~" and not changes:
                continue
            user = record.history_user
            entries.append(
                Entry(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else _("hệ thống"),
                    kind=model._meta.verbose_name,
                    label=_label(model, record, names),
                    action=actions.get(record.history_type, record.history_type),
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:LIMIT]


def _label(model, record, names) -> str:
    units = names[Unit]
    if model in (UnitReport, Membership):
        return units.get(record.unit_id, "")
    if model is Conference:
        return str(dict(Conference.Kind.choices).get(record.kind, record.kind))
    if model is Nomination:
        parts = [names[AwardKind].get(record.award_kind_id, ""), units.get(record.unit_id, "")]
        return " – ".join(p for p in [*parts, record.person_name] if p)
    if model is AwardQuota:
        return names[AwardKind].get(record.award_kind_id, "")
    if model is Fund:
        return record.title
    if model is Contribution:
        return units.get(record.unit_id) or record.donor_name
    if model is Support:
        return names[Beneficiary].get(record.beneficiary_id, "")
    return str(record.year) if model is ClusterYear else ""


@require_safe
@year_page("clusters.export_clusteryear")
def year_history_page(request, cluster_year):
    return render(
        request,
        "pages/year_history.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "entries": year_history(cluster_year),
            "limit": LIMIT,
        },
    )
