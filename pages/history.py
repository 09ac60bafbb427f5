"""The history of one emulation year: every create, change and delete of its roster, conference,
reports, vote, funds, contributions and supports, with who, when, and the values before and after.

The records are django-simple-history's; they are read here with one query per kind of object
(plus two for the names of units and award kinds the values refer to), and each record is compared with the previous
record of the same object in Python, so the page costs the same whatever the number of changes.
The page filters by section (in the query: only the chosen kind is read), by who made the
change and by dates (after the comparison, so that the first change of a range still shows the
value before it), and shows 50 changes a page.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_safe

from awards.models import AwardKind, AwardQuota, Nomination
from clusters.models import ClusterYear, Membership, Unit
from clusters.views import year_page
from core.forms import DayFirstDateInput
from reports.models import Conference, UnitReport
from welfare.models import Beneficiary, Contribution, Fund, Support

PER_PAGE = 50
SKIPPED = {"id", "created_at", "updated_at", "year", "version"}
# The sections of the page's filter: the kinds of record the history lists, in its order.
SECTIONS = {
    "year": ClusterYear,
    "roster": Membership,
    "conference": Conference,
    "reports": UnitReport,
    "quotas": AwardQuota,
    "nominations": Nomination,
    "funds": Fund,
    "contributions": Contribution,
    "supports": Support,
}


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    label: str
    action: str
    changes: list = field(default_factory=list)  # (field, before, after)
    reason: str = ""
    section: str = ""
    user_id: int | None = None
    order: int = 0  # the record's id: changes saved in the same instant keep their order


def _records(cluster_year: ClusterYear, sections):
    by_year = {"cluster_year_id": cluster_year.pk}
    # The names of a fund and of a beneficiary come with the records that name them (the
    # year's own funds, and the beneficiaries its funds support), not in queries of their own.
    fund_title = Subquery(
        Fund.objects.filter(pk=OuterRef("fund_id"), cluster_year=cluster_year).values("title")[:1]
    )
    beneficiary_name = Subquery(
        Beneficiary.objects.filter(
            pk=OuterRef("beneficiary_id"), supports__fund__cluster_year=cluster_year
        ).values("full_name")[:1]
    )
    queries = {
        "year": lambda: ClusterYear.history.filter(id=cluster_year.pk),
        "roster": lambda: Membership.history.filter(**by_year),
        "conference": lambda: Conference.history.filter(**by_year),
        "reports": lambda: UnitReport.history.filter(**by_year),
        "quotas": lambda: AwardQuota.history.filter(**by_year),
        "nominations": lambda: Nomination.history.filter(**by_year),
        "funds": lambda: Fund.history.filter(**by_year),
        # a fund's children: through the funds the year ever had (a subquery, not a query)
        "contributions": lambda: Contribution.history.filter(
            fund_id__in=_fund_ids(cluster_year)
        ).annotate(fund_title=fund_title),
        "supports": lambda: Support.history.filter(fund_id__in=_fund_ids(cluster_year)).annotate(
            fund_title=fund_title, beneficiary_name=beneficiary_name
        ),
    }
    return [(key, SECTIONS[key], queries[key]()) for key in sections]


def _fund_ids(cluster_year):
    return Fund.history.filter(cluster_year_id=cluster_year.pk).values("id")


def _named(records, id_name: str, name: str) -> dict:
    """{id: name} from the records that carry the name of what they refer to (_records())."""
    return {
        getattr(record, id_name): getattr(record, name)
        for _key, _model, rows in records
        for record in rows
        if getattr(record, name, None) is not None
    }


def _display(model_field, value, names):
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(value, f"#{value}")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def year_history(cluster_year: ClusterYear, sections=tuple(SECTIONS)) -> list[Entry]:
    """Every change of the year in `sections`, newest first."""
    records = []
    for key, model, queryset in _records(cluster_year, sections):
        rows = queryset.select_related("history_user").order_by("id", "history_date", "history_id")
        records.append((key, model, list(rows)))
    names = {
        Unit: dict(Unit.objects.values_list("id", "name")),
        AwardKind: dict(AwardKind.objects.values_list("id", "name")),
        Fund: _named(records, "fund_id", "fund_title"),
        Beneficiary: _named(records, "beneficiary_id", "beneficiary_name"),
        ClusterYear: {cluster_year.pk: str(cluster_year)},
    }
    actions = {
        "+": pgettext("history action", "Thêm"),
        "~": pgettext("history action", "Sửa"),
        "-": pgettext("history action", "Xóa"),
    }
    entries = []
    for key, model, rows in records:
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
                    section=key,
                    user_id=record.history_user_id,
                    order=record.history_id,
                )
            )
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries


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


DATE_ERRORS = {"invalid": gettext_lazy("Hãy gõ ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2025.")}


class HistoryFilterForm(forms.Form):
    """The page's filters, all optional; who can be chosen among those the history names."""

    section = forms.ChoiceField(label=gettext_lazy("Phần"), required=False)
    user = forms.TypedChoiceField(
        label=gettext_lazy("Người thực hiện"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Hãy chọn một người có trong danh sách: người này không có thay đổi nào ở đây."
            )
        },
    )
    date_from = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        widget=DayFirstDateInput(),
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=DayFirstDateInput(),
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("Mọi phần"))] + [
            (key, capfirst(model._meta.verbose_name_plural)) for key, model in SECTIONS.items()
        ]
        self.fields["section"].error_messages["invalid_choice"] = _(
            "Hãy chọn một phần có trong danh sách."
        )

    def mark_fields(self) -> None:
        """Bootstrap's classes, once validated: a field with an error is outlined."""
        for name, form_field in self.fields.items():
            css = "form-select" if isinstance(form_field, forms.ChoiceField) else "form-control"
            if name in self.errors:
                css += " is-invalid"
            form_field.widget.attrs["class"] = f"{css} form-control-sm"

    def chosen_sections(self) -> tuple[str, ...]:
        """Read before validation: the section decides what is read, and so whom to offer."""
        key = self.data.get("section")
        return (key,) if key in SECTIONS else tuple(SECTIONS)

    def offer(self, people: dict[int, str]) -> None:
        choices = sorted(people.items(), key=lambda item: (item[1].casefold(), item[0]))
        self.fields["user"].choices = [("", _("Mọi người")), *choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Từ ngày phải trước hoặc bằng đến ngày."))
        return data

    def keep(self, entry: Entry) -> bool:
        """Whether the entry passes the filters that are valid (a bad one is shown, not used)."""
        data = self.cleaned_data
        if data.get("user") and entry.user_id != data["user"]:
            return False
        day = timezone.localdate(entry.when)
        if data.get("date_from") and day < data["date_from"]:
            return False
        return not (data.get("date_to") and day > data["date_to"])


@require_safe
@year_page("clusters.export_clusteryear")
def year_history_page(request, cluster_year):
    form = HistoryFilterForm(request.GET)
    entries = year_history(cluster_year, form.chosen_sections())
    form.offer({entry.user_id: entry.who for entry in entries if entry.user_id})
    form.is_valid()  # the errors are shown with the form; the valid filters still apply
    form.mark_fields()
    entries = [entry for entry in entries if form.keep(entry)]
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pages/year_history.html",
        {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "form": form, "page": page},
    )
