"""The pages that compose several apps: home, a unit's history, the year, the year's edit page
(whose sections post to their own apps) and the award summary."""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import can
from awards import bundle as award_bundle
from awards import selectors as award_selectors
from awards import services as award_services
from awards.forms import DecisionForm, LeaderForm, NominationForm, WithdrawForm
from awards.models import Nomination
from awards.views import late_decision_context, nomination_form_for
from clusters import selectors as cluster_selectors
from clusters.bundle import YearBundle
from clusters.models import Cluster, Source, Unit
from clusters.selectors import vietnamese_sort_key
from clusters.views import edit_context as cluster_edit_context
from clusters.views import (
    edit_refusal,
    edit_years_or_404,
    login_first,
    number_in_slug,
    year_or_404,
)
from core.cache import generation
from core.charts import Chart, Series
from core.forms import form_after_conflict
from core.sections import rebind, retried
from emulation import selectors as emulation_selectors
from emulation.models import Dossier
from pages import charts
from pages import selectors as page_selectors
from reports import selectors as report_selectors
from reports.forms import ConferenceForm
from reports.models import Conference, UnitReport
from reports.services import EditConflict
from reports.views import conference_of
from welfare import selectors as welfare_selectors
from welfare.views import edit_context as welfare_edit_context


@require_safe
def home(request):
    clusters = list(cluster_selectors.clusters_overview())
    for cluster in clusters:
        cluster.latest_year = cluster.years_desc[0] if cluster.years_desc else None
        cluster.latest_published = next((cy for cy in cluster.years_desc if cy.is_published), None)
    context = {"clusters": clusters}
    if can(request.user, "awards.view_summary"):
        context.update(_force_at_a_glance(request, clusters))
    return render(request, "pages/home.html", context)


# the stages of a year, in order, as the leadership's glance counts them
DOSSIER_SENT = (Dossier.Status.SUBMITTED, Dossier.Status.RECEIVED, Dossier.Status.DECIDED)


def _force_at_a_glance(request, clusters) -> dict:
    """For those who read every cluster's summary: every cluster in one year, where it stands
    (reported, voted, published, dossier sent), counted in a chart with its table."""
    years = sorted({cy.year for c in clusters for cy in c.years_desc}, reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    if year is None:
        return {}
    visible = cluster_selectors.visible_years(request.user)
    rows = page_selectors.force_overview(year, visible)
    for cy in rows:
        cy.all_reported = bool(cy.member_count) and cy.reported_count == cy.member_count
        cy.dossier_sent = cy.dossier_status in DOSSIER_SENT
        cy.dossier_label = Dossier.Status(cy.dossier_status).label if cy.dossier_status else ""
    stages = [
        (_("Đủ báo cáo của các đơn vị"), sum(cy.all_reported for cy in rows)),
        (_("Đã bình xét, đề nghị"), sum(cy.voted for cy in rows)),
        (_("Đã công bố"), sum(cy.is_published for cy in rows)),
        (_("Đã gửi hồ sơ lên Bộ"), sum(cy.dossier_sent for cy in rows)),
    ]
    chart = Chart(
        _("Các cụm thi đua năm %(year)s: %(count)s cụm") % {"year": year, "count": len(rows)},
        [label for label, _count in stages],
        [Series(_("Số cụm"), [count for _label, count in stages])],
        category_label=_("Bước"),
        slug="force",
    )
    return {"glance_year": year, "glance_years": years, "glance": rows, "glance_chart": chart}


@require_safe
def cluster_detail(request, slug):
    """A cluster: its years with roster, chair and vice-chair, the next chair's suggestion, and
    its figures over the years it has reports the viewer may read."""
    try:
        cluster = cluster_selectors.cluster_with_years(slug)
    except Cluster.DoesNotExist:
        # People type the cluster's number ("cum2", "cum-ii"): send them to the real address.
        number = number_in_slug(slug)
        canonical = Cluster.objects.filter(number=number).first() if number else None
        if canonical is None:
            raise Http404 from None
        return redirect(canonical, permanent=True)
    years = cluster.years_desc
    for cy in years:
        cy.roster = sorted((m.unit for m in cy.memberships.all()), key=vietnamese_sort_key)
    visible = cluster_selectors.visible_years(request.user)
    sums = report_selectors.yearly_sums(
        UnitReport.objects.filter(cluster_year__cluster=cluster, cluster_year__in=visible)
    )
    # every year between the first and the last with figures: a year without any is a gap
    chart_years = list(range(sums[0]["year"], sums[-1]["year"] + 1)) if sums else []
    context = {
        "cluster": cluster,
        "years": years,
        "suggestion": cluster_selectors.suggest_next_chair(years),
        "charts": charts.over_the_years_charts(charts.cluster_figures(sums), chart_years),
        "compare_years": chart_years,
    }
    return render(request, "pages/cluster_detail.html", context)


@require_safe
def unit_detail(request, slug):
    try:
        unit = cluster_selectors.unit_history(slug)
    except Unit.DoesNotExist:
        raise Http404 from None
    reports = [
        report
        for report in report_selectors.reports_of_unit(
            unit, cluster_selectors.visible_years(request.user)
        )
        if can(request.user, "reports.view_published_unitreport", report)
    ]
    visible = cluster_selectors.visible_years(request.user)
    nominations, collective, individual = award_selectors.unit_awards(unit, visible)
    # A proposal is public once its year is; before that, for those who may see the unit's report.
    nominations = [
        n
        for n in nominations
        if can(
            request.user,
            "reports.view_published_unitreport",
            UnitReport(unit=unit, cluster_year=n.cluster_year),
        )
    ]
    given, received = welfare_selectors.unit_welfare(unit, visible)
    context = {
        "unit": unit,
        "reports": reports,
        "years_to_enter": report_selectors.years_to_enter(request.user, unit, reports),
        "contributions_given": given,
        "supports_received": received,
        "nominations": nominations,
        "collective_commendations": collective,
        "individual_commendations": individual,
    }
    # the sources behind the figures shown: one query, for the marks and the legend
    source_ids = {r.source_id for r in reports if r.source_id}
    source_ids |= {n.source_id for n in nominations if getattr(n, "source_id", None)}
    source_ids |= {c.source_id for c in collective if c.source_id}
    source_ids |= {s.source_id for s in received if s.source_id}
    sources = list(Source.objects.filter(pk__in=source_ids)) if source_ids else []
    context.update(sources=sources, sources_by_id={source.pk: source for source in sources})
    figures = charts.unit_figures(reports)
    if figures:
        first, last = min(f.year for f in figures), max(f.year for f in figures)
        context["charts"] = charts.over_the_years_charts(figures, list(range(first, last + 1)))
    return render(request, "pages/unit_detail.html", context)


# Stands for the CSRF token in a page kept for anonymous visitors; each visitor gets their own.
CSRF_PLACEHOLDER = "csrf0token0kept0page0placeholder"


def _anonymous_page_key(request) -> str | None:
    """The cache key of the whole page for an anonymous visitor without pending messages (the
    only content of theirs), or None when the page must be rendered for them."""
    if (
        request.user.is_authenticated
        or request.COOKIES.get("messages")
        or request.session.get("_messages")
    ):
        return None
    # the path only: the page reads no parameter, and a query string must not render it again
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    # the page prints the day's date in its print heading: kept for one day at most
    return f"page:{path}:{get_language()}:{generation()}:{timezone.localdate().isoformat()}"


@require_safe
def year_detail(request, slug, year):
    # A published year seen anonymously is served whole from the cache: no query at all. Only a
    # published year is ever kept, and any write (a reopen too) moves the generation on.
    page_key = _anonymous_page_key(request)
    page = cache.get(page_key) if page_key else None
    if page is not None:
        return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
    cluster_year = year_or_404(slug, year)
    if not can(request.user, "clusters.view_clusteryear", cluster_year):
        if not request.user.is_authenticated:
            return login_first(request)
        raise Http404
    can_edit = can(request.user, "clusters.change_clusteryear", cluster_year)
    context = {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "can_edit": can_edit}
    if cluster_year.is_published and not _writes_to(request.user, cluster_year):
        # Everyone who only reads a published year sees the same content: rendered once per
        # generation of the data (core.cache) and language, then served from the cache.
        key = f"year-body:{cluster_year.pk}:{get_language()}:{generation()}"
        body = cache.get(key)
        if body is None:
            shared = {**year_context(AnonymousUser(), cluster_year), "user": AnonymousUser()}
            body = render_to_string("pages/_year_body.html", {**context, **shared})
            cache.set(key, body)
        context["cached_body"] = body
        if page_key:
            page = render_to_string(
                "pages/year_detail.html", {**context, "csrf_token": CSRF_PLACEHOLDER}, request
            )
            cache.set(page_key, page)
            return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
    else:
        context.update(year_context(request.user, cluster_year))
        context.update(late_decision_context(request, cluster_year))
    return render(request, "pages/year_detail.html", context)


def _writes_to(user, cluster_year) -> bool:
    """Whether the year page holds forms or messages of this viewer's own: the secretariat of
    the cluster and the admin (a late decision on a published year)."""
    return can(user, "awards.move_nomination", Nomination(cluster_year=cluster_year))


def year_context(user, cluster_year) -> dict:
    """What the year's body shows `user` (the year page, its PDF): a fixed number of queries."""
    # the year before only where the viewer may read it (it may be open again for a correction)
    visible = cluster_selectors.visible_years(user)
    reports = report_selectors.reports_of(cluster_year, visible)
    reported = {report.unit_id for report in reports}
    members = sorted((m.unit for m in cluster_year.memberships.all()), key=vietnamese_sort_key)
    return {
        "conferences": report_selectors.conferences_of(cluster_year),
        "reports": reports,
        "totals": report_selectors.cluster_totals(cluster_year, visible),
        "members": members,
        "missing": [unit for unit in members if unit.pk not in reported],
        "report_forms": report_selectors.forms_open_to(user, cluster_year, members),
        "report_notes": sorted({report.notes for report in reports if report.notes}),
        "nominations": award_selectors.nominations_of(cluster_year),
        "funds": (funds := welfare_selectors.funds_of(cluster_year)),
        "contributions": welfare_selectors.contributions_by_donor(cluster_year),
        "supports": welfare_selectors.supports_of(cluster_year, funds),
        "late_decision_form": None,
        "pledges": emulation_selectors.pledge_status(cluster_year, members),
        "year_charts": charts.year_results_charts(reports) if reports else [],
        **provenance_context(cluster_year),
    }


def provenance_context(cluster_year):
    """The year's sources for the marks and the legend, and the cluster's published totals
    (two queries whatever the number of figures)."""
    sources = list(cluster_year.sources.filter(cycle_paper=False))
    return {
        "sources": sources,
        "sources_by_id": {source.pk: source for source in sources},
        "published_figures": {
            figure.figure: figure for figure in cluster_year.published_figures.all()
        },
        # the results table's columns after the unit, in order: a count's name or "" (a rate,
        # last year's figure, a change: the cluster publishes none of these)
        "published_columns": [
            "crimes_recorded",
            "",
            "",
            "crimes_solved",
            "",
            "serious_recorded",
            "serious_solved",
            "",
            "drug_cases",
            "drug_offenders",
            "commended_collectives",
            "commended_individuals",
            "citizen_tips",
        ],
    }


def _conference_section(request, bundle, read_only):
    cluster_year = bundle.cluster_year
    kind = request.GET.get("kind") or Conference.Kind.YEAR_END
    conference = conference_of(cluster_year, kind, report_selectors.year_conferences(bundle))
    members = bundle.members
    retry = retried(request, "conference")
    conflict = None
    if retry is None or read_only:
        form = ConferenceForm(instance=conference, members=members, read_only=read_only)
    else:
        data, _errors = retry
        if conference.pk and str(conference.version) != (data.get("version") or ""):
            form, conflict = form_after_conflict(
                ConferenceForm, data, EditConflict(conference), {"members": members}
            )
        else:
            form = rebind(ConferenceForm, retry, instance=conference, members=members)
    return {"kind": kind, "conference_form": form, "conflict": conflict}


def _vote_section(request, bundle):
    cluster_year = bundle.cluster_year
    members = bundle.members
    kinds = award_bundle.award_kinds(bundle)
    flag = award_bundle.ministry_flag(bundle)
    quota = None
    if flag is not None:
        day = award_services.vote_day(cluster_year, report_selectors.year_conferences(bundle))
        rule = award_services.rule_in_force(
            flag, cluster_year, day=day, rules=award_bundle.award_rules(bundle)
        )
        quota = award_services.quota_for(flag, cluster_year, rule)
    can_override = can(request.user, "awards.override_nomination", cluster_year)
    nominations = award_bundle.year_nominations(bundle)
    in_the_vote = Nomination.objects.filter(cluster_year=cluster_year)  # a posted one, checked
    forms_ = {
        "leader": (LeaderForm, {"members": members}),
        "nominate": (
            NominationForm,
            {"members": members, "can_override": can_override, "kinds": kinds},
        ),
        "decide": (DecisionForm, {"nominations": in_the_vote}),
        "withdraw": (WithdrawForm, {"nominations": in_the_vote}),
    }
    context = {
        "leader_form": LeaderForm(
            members=members,
            initial={
                "leading_unit": cluster_year.leading_unit_id,
                "leader_reason": cluster_year.leader_reason,
                "ministry_quota": quota,
            },
        ),
        "nomination_form": NominationForm(members=members, can_override=can_override, kinds=kinds),
        "decision_form": None,
        "withdraw_form": None,
        "nominations": nominations,
        "ministry_quota": quota,
    }
    names = {
        "leader": "leader_form",
        "nominate": "nomination_form",
        "decide": "decision_form",
        "withdraw": "withdraw_form",
    }
    for section, (form_class, options) in forms_.items():
        retry = retried(request, section)
        if retry is not None:
            context[names[section]] = rebind(form_class, retry, **options)
    context["nomination_form"], context["editing"] = nomination_form_for(
        request,
        cluster_year,
        context["nomination_form"],
        members=members,
        can_override=can_override,
        nominations=nominations,
        kinds=kinds,
    )
    return context


@require_safe
def year_edit(request, slug, year):
    """The secretariat's page; every form on it posts to its own section's address. The year,
    with its cluster's years around it, is read once and every section, the publish checklist
    and the warnings read through one YearBundle: one query per kind of record shown."""
    if not request.user.is_authenticated:
        return login_first(request)
    cluster_year, years = edit_years_or_404(slug, year)
    refusal = edit_refusal(request, cluster_year)
    if refusal is not None:
        return refusal
    bundle = YearBundle(cluster_year, years=years)
    read_only = cluster_year.is_published
    reported = {report.unit_id for report in report_selectors.year_reports(bundle)}
    context = {
        **_conference_section(request, bundle, read_only),
        **_vote_section(request, bundle),
        **welfare_edit_context(request, cluster_year, bundle),
        **cluster_edit_context(request, cluster_year, bundle, reported=reported),
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "kinds": Conference.Kind.choices,
        "read_only": read_only,
        "can_reopen": can(request.user, "clusters.reopen_clusteryear", cluster_year),
    }
    return render(request, "pages/year_edit.html", context)
