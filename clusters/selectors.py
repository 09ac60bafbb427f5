"""Reads with their joins and the rotation suggestion."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from accounts.models import Role
from clusters.models import Cluster, ClusterYear, Membership, MembershipChange, Unit


def vietnamese_sort_key(unit: Unit) -> tuple[str, str]:
    # Same rule as clusters.models.unit_ordering, for lists already in memory.
    return (unit.short_name.replace("Đ", "D~"), unit.name)


def clusters_overview():
    """Clusters with their years (newest first, with chair, vice-chair and member count)."""
    years = ClusterYear.objects.with_people().annotate(member_count=Count("memberships"))
    return Cluster.objects.prefetch_related(
        Prefetch("years", queryset=years.order_by("-year"), to_attr="years_desc")
    )


def cluster_with_years(slug: str) -> Cluster:
    """One cluster with every year, its roster, chair and vice-chair, and the changes of its
    members with their reasons (4 queries)."""
    changes = MembershipChange.objects.select_related("unit").order_by("decision_date", "at", "id")
    years = (
        ClusterYear.objects.with_roster()
        .prefetch_related(Prefetch("membership_changes", queryset=changes))
        .order_by("-year")
    )
    return Cluster.objects.prefetch_related(
        Prefetch("years", queryset=years, to_attr="years_desc")
    ).get(slug=slug)


def unit_history(slug: str) -> Unit:
    """One unit with successor, predecessors and its memberships year by year (3 queries)."""
    memberships = Membership.objects.select_related(
        "cluster_year__cluster", "cluster_year__chair", "cluster_year__vice_chair"
    ).order_by("-year")
    return (
        Unit.objects.select_related("successor")
        .prefetch_related(
            Prefetch("predecessors", queryset=Unit.objects.all()),
            Prefetch("memberships", queryset=memberships, to_attr="memberships_desc"),
        )
        .get(slug=slug)
    )


@dataclass(frozen=True)
class RotationRow:
    unit: Unit
    last_chaired: int | None
    times_chaired: int
    eligible: bool


@dataclass(frozen=True)
class ChairSuggestion:
    year: int
    unit: Unit
    reason: str
    rows: list[RotationRow]
    first_year: int | None = None  # the first year recorded: before it, who chaired is not known


def suggest_next_chair(years: list[ClusterYear]) -> ChairSuggestion | None:
    """The member that chaired least recently (never chaired first) chairs next.

    `years` are one cluster's ClusterYears with their memberships prefetched. Ties between members
    that never chaired go to the current vice-chair, then by name. Units that end before or during
    the target year cannot chair it; the outgoing chair does not follow itself.
    """
    if not years:
        return None
    latest = max(years, key=lambda cy: cy.year)
    target = latest.year + 1 if latest.chair_id else latest.year
    first_year = min(cy.year for cy in years)

    last_chaired: dict[int, int] = {}
    times_chaired: dict[int, int] = {}
    for cy in years:
        if cy.chair_id and cy.year < target:
            last_chaired[cy.chair_id] = max(cy.year, last_chaired.get(cy.chair_id, cy.year))
            times_chaired[cy.chair_id] = times_chaired.get(cy.chair_id, 0) + 1

    rows = []
    for membership in latest.memberships.all():
        unit = membership.unit
        eligible = unit.is_active_through(target) and unit.pk != (
            latest.chair_id if target > latest.year else None
        )
        rows.append(
            RotationRow(
                unit=unit,
                last_chaired=last_chaired.get(unit.pk),
                times_chaired=times_chaired.get(unit.pk, 0),
                eligible=eligible,
            )
        )

    def priority(row: RotationRow):
        is_vice = row.unit.pk == latest.vice_chair_id
        return (
            row.last_chaired is not None,
            row.last_chaired or 0,
            not is_vice,
            vietnamese_sort_key(row.unit),
        )

    rows.sort(key=priority)
    candidates = [row for row in rows if row.eligible]
    if not candidates:
        return None
    best = candidates[0]
    if best.last_chaired is None:
        reason = _(
            "Không làm Cụm trưởng năm nào trong các năm có dữ liệu (từ năm %(first)s); "
            "trước năm đó chưa rõ."
        ) % {"first": first_year}
        if best.unit.pk == latest.vice_chair_id:
            reason += " " + _("Là Phó Cụm trưởng năm %(year)s.") % {"year": latest.year}
    else:
        reason = _(
            "Làm Cụm trưởng gần nhất năm %(last)s, lâu nhất trong các đơn vị thành viên."
        ) % {"last": best.last_chaired}
    return ChairSuggestion(
        year=target, unit=best.unit, reason=reason, rows=rows, first_year=first_year
    )


def cluster_year_for_page(slug: str, year: int) -> ClusterYear:
    """The year with cluster, chair, vice-chair and roster (2 queries). Raises DoesNotExist."""
    return (
        ClusterYear.objects.with_people()
        .select_related("leading_unit", "ranked_leader")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
        )
        .get(cluster__slug=slug, year=year)
    )


# The roles that read every year (the Ministry's officer: to receive every cluster's dossier).
READ_ALL = (Role.LEADERSHIP, Role.MINISTRY)


def visible_years(user):
    """The emulation years the viewer may read, as a queryset: the same answer as the rule
    clusters.view_clusteryear (tests compare them), for filtering lists in the database. Everyone
    reads published years; leadership, the Ministry's officer and the admin every year; a secretariat its own cluster's;
    an officer the years their unit is a member of."""
    years = ClusterYear.objects.all()
    if user.is_authenticated and user.is_active:
        if user.is_admin_role or user.role in READ_ALL:
            return years
        allowed = Q(status=ClusterYear.Status.PUBLISHED)
        if user.role == Role.SECRETARIAT and user.cluster_id:
            allowed |= Q(cluster_id=user.cluster_id)
        if user.role == Role.UNIT_OFFICER and user.unit_id:
            allowed |= Q(
                Exists(Membership.objects.filter(cluster_year=OuterRef("pk"), unit_id=user.unit_id))
            )
        return years.filter(allowed)
    return years.filter(status=ClusterYear.Status.PUBLISHED)


def visibility_key(user) -> str:
    """A short text that is the same for two viewers exactly when visible_years() gives them the
    same years: for keeping in the cache what was filtered by it."""
    if user.is_authenticated and user.is_active:
        if user.is_admin_role or user.role in READ_ALL:
            return "all"
        return f"{user.role}:{user.cluster_id or ''}:{user.unit_id or ''}"
    return "public"


def sees_every_year(visible) -> bool:
    """Whether visible_years() left every year in (leadership, the admin): filters by it can go."""
    return not visible.query.has_filters()


def hidden_memberships(visible):
    """Memberships in years the viewer may not read: a record of a unit in such a year (a
    commendation by year and unit) is hidden with it. Use with OuterRef("unit"), OuterRef("year")."""
    return Membership.objects.filter(unit_id=OuterRef("unit_id"), year=OuterRef("year")).exclude(
        cluster_year__in=visible
    )
