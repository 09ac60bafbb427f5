from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.access import can
from awards import selectors, services
from awards.forms import DecisionForm, LeaderForm, NominationForm
from awards.models import AwardKind, Commendation, Nomination
from clusters.models import Cluster, ClusterYear, Unit
from config.forms import add_service_errors
from config.spreadsheets import xlsx_response


def vote_section(request, cluster_year):
    """The secretariat's part of the edit page for the vote. Returns (context, response): a
    response (a redirect after a successful POST) ends the request; otherwise the context holds
    the forms, bound with their errors when a POST failed."""
    members = Unit.objects.filter(memberships__cluster_year=cluster_year)
    nominations = selectors.nominations_of(cluster_year)
    ministry_flag = AwardKind.objects.filter(code="co-bo-cong-an").first()
    rule = services.rule_in_force(ministry_flag, cluster_year) if ministry_flag else None
    quota = services.quota_for(ministry_flag, cluster_year, rule) if ministry_flag else None
    leader_form = LeaderForm(
        members=members,
        initial={"leading_unit": cluster_year.leading_unit_id, "ministry_quota": quota},
    )
    can_override = can(request.user, "awards.override_nomination", cluster_year)
    nomination_form = NominationForm(members=members, can_override=can_override)
    decision_form = None
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "leader":
        leader_form = LeaderForm(request.POST, members=members)
        if leader_form.is_valid():
            try:
                services.cluster_year_set_leader(
                    cluster_year=cluster_year,
                    unit=leader_form.cleaned_data["leading_unit"],
                    by=request.user,
                )
                if leader_form.cleaned_data["ministry_quota"] is not None and ministry_flag:
                    services.award_quota_set(
                        cluster_year=cluster_year,
                        award_kind=ministry_flag,
                        quota=leader_form.cleaned_data["ministry_quota"],
                        by=request.user,
                    )
            except ValidationError as error:
                add_service_errors(leader_form, error)
            else:
                messages.success(request, _("Đã lưu đơn vị dẫn đầu và chỉ tiêu."))
                return {}, redirect(request.path + "#vote")
    elif action == "nominate":
        nomination_form = NominationForm(request.POST, members=members, can_override=can_override)
        if nomination_form.is_valid():
            data = nomination_form.cleaned_data
            try:
                services.nomination_propose(
                    cluster_year=cluster_year,
                    award_kind=data["award_kind"],
                    unit=data["unit"],
                    by=request.user,
                    votes_for=data["votes_for"],
                    council_size=data["council_size"],
                    person_name=data["person_name"],
                    person_rank=data["person_rank"],
                    person_position=data["person_position"],
                    rank_order=data["rank_order"],
                    achievements=data["achievements"],
                    override_reason=data.get("override_reason", ""),
                )
            except ValidationError as error:
                add_service_errors(nomination_form, error)
            else:
                messages.success(request, _("Đã ghi kết quả bình xét."))
                return {}, redirect(request.path + "#vote")
    elif action == "submit":
        nomination = Nomination.objects.filter(
            cluster_year=cluster_year, pk=request.POST.get("nomination")
        ).first()
        if nomination is not None:
            try:
                services.nomination_submit(nomination=nomination, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Đã trình đề nghị."))
        return {}, redirect(request.path + "#vote")
    elif action == "decide":
        decision_form = DecisionForm(
            request.POST, nominations=Nomination.objects.filter(cluster_year=cluster_year)
        )
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                services.nomination_decide(
                    nomination=data["nomination"],
                    approved=data["approved"],
                    by=request.user,
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    decision_issuer=data["decision_issuer"],
                )
            except ValidationError as error:
                add_service_errors(decision_form, error)
            else:
                messages.success(request, _("Đã ghi quyết định."))
                return {}, redirect(request.path + "#vote")

    context = {
        "leader_form": leader_form,
        "nomination_form": nomination_form,
        "decision_form": decision_form,
        "nominations": nominations,
        "ministry_quota": quota,
    }
    return context, None


class SummaryFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Năm"), required=False, coerce=int, empty_value=None
    )
    cluster = forms.ModelChoiceField(
        label=gettext_lazy("Cụm thi đua"),
        queryset=Cluster.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Tất cả các cụm"),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả các năm"))] + [(y, str(y)) for y in years]


@require_safe
def summary(request):
    """/awards/: flags and commendations by year and cluster, for leadership, secretariat, admin."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "awards.view_summary"):
        raise PermissionDenied
    years = sorted(
        set(ClusterYear.objects.values_list("year", flat=True))
        | set(Commendation.objects.values_list("year", flat=True).distinct()),
        reverse=True,
    )
    filters = SummaryFilter(request.GET or None, years=years)
    year = cluster = None
    if filters.is_valid():
        year, cluster = filters.cleaned_data["year"], filters.cleaned_data["cluster"]

    flag_nominations = list(selectors.nominations_in(year=year, cluster=cluster, flags_only=True))
    commendations = selectors.commendations_in(year=year, cluster=cluster)
    flag_commendations = list(
        commendations.filter(award_kind__is_flag=True, nomination__isnull=True).select_related(
            "award_kind", "unit"
        )
    )
    matrix_years, matrix_rows = selectors.flag_matrix(flag_nominations, flag_commendations)
    totals = selectors.totals_by_kind(commendations)
    listing = commendations.select_related("award_kind", "unit").order_by(
        "-year", "award_kind__order", "unit__short_name", "person_name", "id"
    )

    if request.GET.get("format") == "xlsx":
        return _summary_workbook(year, cluster, matrix_years, matrix_rows, totals, listing)

    paginator = Paginator(listing, 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "year": year,
        "cluster": cluster,
        "flag_nominations": flag_nominations,
        "matrix_years": matrix_years,
        "matrix_rows": matrix_rows,
        "totals": totals,
        "reported": selectors.reported_commendations(year=year, cluster=cluster),
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "awards/summary.html", context)


def _summary_workbook(year, cluster, matrix_years, matrix_rows, totals, listing):
    def matrix():
        for unit, cells in matrix_rows:
            yield [unit.name, *["; ".join(f"{k}: {s}" for k, s in cell) for cell in cells]]

    def listing_rows():
        for c in listing.iterator(chunk_size=2000):
            yield [
                c.year,
                c.award_kind.name,
                c.unit.name,
                c.person_name,
                c.person_rank,
                c.person_position,
                c.decision_number,
                c.decision_date,
                c.decision_issuer,
            ]

    sheets = [
        ("Cờ thi đua", ["Đơn vị", *[str(y) for y in matrix_years]], matrix()),
        (
            "Tổng hợp theo hình thức",
            ["Hình thức", "Tập thể", "Cá nhân"],
            ([t["award_kind__name"], t["collectives"], t["individuals"]] for t in totals),
        ),
        (
            "Danh sách khen thưởng",
            [
                "Năm",
                "Hình thức",
                "Đơn vị",
                "Họ tên",
                "Cấp bậc",
                "Chức vụ",
                "Số quyết định",
                "Ngày quyết định",
                "Người ký",
            ],
            listing_rows(),
        ),
    ]
    name = "khen-thuong"
    if cluster:
        name += f"-{cluster.slug}"
    if year:
        name += f"-{year}"
    return xlsx_response(f"{name}.xlsx", sheets)
