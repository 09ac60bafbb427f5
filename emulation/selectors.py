"""Reads of the emulation cycle: the criteria as a tree, each sheet's totals, what a viewer may
see of the scores, the disagreements between a unit's own score and its inspection, and the
ranking."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats

from accounts.access import can
from accounts.models import Role
from awards import services as award_services
from awards.models import AwardQuota, AwardRule
from clusters.models import ClusterYear, Membership, unit_ordering
from clusters.selectors import vietnamese_sort_key
from core.cache import kept
from emulation.models import (
    Criterion,
    Cycle,
    Pledge,
    Score,
    ScoreSheet,
    TieBreak,
)

ZERO = Decimal("0")


def points(value: Decimal | None) -> str:
    """Points the Vietnamese way, without needless decimals: 28, 40,5 (empty for none)."""
    if value is None:
        return ""
    value = value.quantize(Decimal("0.01")).normalize()
    places = max(0, -value.as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


@dataclass
class PledgeStatus:
    signed: list
    unsigned: list


def may_open_paper(user, source) -> bool | None:
    """Whether `user` may open the file of `source` when it is one of the cycle's papers (None
    when it is not: no query): never anonymously, even in a published year; a score's evidence
    as its sheet (may_see: an inspector not before sending its own); the other papers (signed
    pledges, the dossier's scans and documents) to whoever may see the cycle's pages."""
    if not source.cycle_paper or source.cluster_year_id is None:
        return None
    if not user.is_authenticated:
        return False
    scores = list(
        Score.objects.filter(evidence=source).select_related("sheet__cycle__cluster_year")
    )
    if scores:
        cycle = scores[0].sheet.cycle
        heads = sheet_heads(cycle)
        return any(may_see(user, score.sheet, heads, cycle) for score in scores)
    return can(user, "emulation.view_cycle", source.cluster_year)


def pledge_status(cluster_year: ClusterYear, members) -> PledgeStatus | None:
    """Which members signed the year's pledge: None while the year has no cycle. One query."""
    rows = list(
        Cycle.objects.filter(cluster_year=cluster_year).values_list("pk", "pledges__unit_id")
    )
    if not rows:
        return None
    signed = {unit_id for _pk, unit_id in rows if unit_id is not None}
    return PledgeStatus(
        signed=[unit for unit in members if unit.pk in signed],
        unsigned=[unit for unit in members if unit.pk not in signed],
    )


def cycle_of(cluster_year: ClusterYear) -> Cycle | None:
    return Cycle.objects.filter(cluster_year=cluster_year).first()


@dataclass
class Row:
    criterion: Criterion
    depth: int


def criteria_tree(criteria: list[Criterion]) -> list[Row]:
    """The criteria in reading order, each with its depth under its groups (one list, no
    queries): children follow their group in `order`."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.order, c.pk or 0))
    rows: list[Row] = []

    def walk(parent_id, depth):
        for criterion in children.get(parent_id, []):
            rows.append(Row(criterion, depth))
            if depth < 20:
                walk(criterion.pk, depth + 1)

    walk(None, 0)
    return rows


def scale(criteria: list[Criterion]) -> dict[str, Decimal]:
    """The point scale's maxima by kind: the score a unit can reach, and the most a bonus adds
    or a penalty takes away."""
    sums = dict.fromkeys((Criterion.Kind.SCORED, Criterion.Kind.BONUS, "penalty"), ZERO)
    for criterion in criteria:
        if not criterion.is_group:
            sums[criterion.kind] += criterion.max_points or ZERO
    return {"scored": sums["scored"], "bonus": sums["bonus"], "penalty": sums["penalty"]}


@dataclass
class Totals:
    scored: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    count: int = 0  # scores entered

    @property
    def total(self) -> Decimal:
        return self.scored + self.bonus - self.penalty


def totals(scores) -> Totals:
    """A sheet's totals from its scores (each with its criterion loaded)."""
    result = Totals()
    for score in scores:
        result.count += 1
        kind = score.criterion.kind
        if kind == Criterion.Kind.SCORED:
            result.scored += score.points
        elif kind == Criterion.Kind.BONUS:
            result.bonus += score.points
        elif kind == Criterion.Kind.PENALTY:
            result.penalty += score.points
    return result


def sheets_of(cycle: Cycle, criteria: list[Criterion] | None = None) -> list[ScoreSheet]:
    """Every sheet of the cycle with its units, its points by criterion id (`sheet.points`) and
    its totals (`sheet.sums`). The points are read as plain values, not as a model per score (a
    cluster of eight scores about six hundred): 2 queries, 3 without the cycle's criteria."""
    if criteria is None:
        criteria = list(cycle.criteria.all())
    by_id = {criterion.pk: criterion for criterion in criteria}
    sheets = list(
        ScoreSheet.objects.filter(cycle=cycle)
        .select_related("unit", "inspector")
        .order_by("unit__short_name", "kind", "inspector__short_name")
    )
    points = {sheet.pk: {} for sheet in sheets}
    for sheet_id, criterion_id, value in Score.objects.filter(sheet__cycle=cycle).values_list(
        "sheet_id", "criterion_id", "points"
    ):
        points[sheet_id][criterion_id] = value
    for sheet in sheets:
        sheet.points = points[sheet.pk]
        sheet.criteria = by_id
        sheet.sums = totals_by_id(sheet.points, by_id)
    return sheets


def totals_by_id(points: dict, criteria: dict) -> Totals:
    """A sheet's totals from its points by criterion id."""
    result = Totals()
    for criterion_id, value in points.items():
        result.count += 1
        kind = criteria[criterion_id].kind
        if kind == Criterion.Kind.SCORED:
            result.scored += value
        elif kind == Criterion.Kind.BONUS:
            result.bonus += value
        elif kind == Criterion.Kind.PENALTY:
            result.penalty += value
    return result


def members_of(cluster_year: ClusterYear):
    return [
        m.unit
        for m in Membership.objects.filter(cluster_year=cluster_year)
        .select_related("unit")
        .order_by(unit_ordering("unit__"))
    ]


def sheet_heads(cycle: Cycle) -> list[ScoreSheet]:
    """Every sheet of the cycle without its scores: enough to decide who may see which. One
    query."""
    return list(ScoreSheet.objects.filter(cycle=cycle))


def pledges_by_unit(cycle: Cycle) -> dict[int, Pledge]:
    return {
        p.unit_id: p
        for p in Pledge.objects.filter(cycle=cycle).select_related("document", "recorded_by")
    }


def reads_everything(user, cluster_year: ClusterYear) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_admin_role or user.role in (Role.LEADERSHIP, Role.MINISTRY):
        return True
    return user.role == Role.SECRETARIAT and user.cluster_id == cluster_year.cluster_id


def may_see(user, sheet: ScoreSheet, sheets: list[ScoreSheet], cycle: Cycle) -> bool:
    """Whether `user` may see the points of `sheet`. The secretariat, leadership, the Ministry
    and the admin see every sheet. A unit's officers see their own unit's sheets and those their
    unit writes; an inspecting unit sees the self-score of the unit it inspects only once its own
    inspection is submitted, and the inspected unit sees the inspection only once its own
    self-score is; the agreed scores of every unit once the ranking is adopted."""
    if reads_everything(user, cycle.cluster_year):
        return True
    if not (user.is_authenticated and user.role == Role.UNIT_OFFICER and user.unit_id):
        return False
    own = user.unit_id
    if sheet.kind == ScoreSheet.Kind.INSPECTION:
        if sheet.inspector_id == own:
            return True
        if sheet.unit_id != own or not sheet.is_submitted:
            return False
        # the inspection of our own unit: once our self-score is sent, so its points cannot be
        # copied into it
        return any(
            s.kind == ScoreSheet.Kind.SELF and s.unit_id == own and s.is_submitted for s in sheets
        )
    if sheet.unit_id == own:
        return True
    if sheet.kind == ScoreSheet.Kind.AGREED:
        return cycle.ranking_adopted_at is not None
    # another unit's self-score: only after our own inspection of it is submitted
    return any(
        s.kind == ScoreSheet.Kind.INSPECTION
        and s.inspector_id == own
        and s.unit_id == sheet.unit_id
        and s.is_submitted
        for s in sheets
    )


@dataclass
class Divergence:
    unit: object
    inspector: object
    criterion: Criterion
    own: Decimal
    inspected: Decimal

    @property
    def difference(self) -> Decimal:
        return abs(self.own - self.inspected)


def divergences(cycle: Cycle, sheets: list[ScoreSheet]) -> list[Divergence]:
    """Criteria where a unit's submitted self-score and a submitted inspection of it differ by
    more than the cluster's threshold: to be discussed before the score is agreed."""
    own_sheets = {s.unit_id: s for s in sheets if s.kind == ScoreSheet.Kind.SELF and s.is_submitted}
    found = []
    for inspection in sheets:
        if inspection.kind != ScoreSheet.Kind.INSPECTION or not inspection.is_submitted:
            continue
        own_sheet = own_sheets.get(inspection.unit_id)
        if own_sheet is None:
            continue
        for criterion_id, inspected in inspection.points.items():
            mine = own_sheet.points.get(criterion_id, ZERO)
            if abs(mine - inspected) > cycle.divergence_threshold:
                found.append(
                    Divergence(
                        unit=inspection.unit,
                        inspector=inspection.inspector,
                        criterion=inspection.criteria[criterion_id],
                        own=mine,
                        inspected=inspected,
                    )
                )
    found.sort(key=lambda d: (vietnamese_sort_key(d.unit), d.criterion.order, d.criterion.pk))
    return found


@dataclass
class Place:
    unit: object
    totals: Totals
    rank: int = 0
    tied_with_next: bool = False
    tie_broken_by: str = ""
    missing: bool = False
    notes: list[str] = field(default_factory=list)


def _key(place: Place, tie_break: str):
    t = place.totals
    if tie_break == TieBreak.PENALTY_THEN_BONUS:
        return (-t.total, t.penalty, -t.bonus)
    if tie_break == TieBreak.BONUS_THEN_PENALTY:
        return (-t.total, -t.bonus, t.penalty)
    return (-t.total,)


def ranking(cycle: Cycle, sheets: list[ScoreSheet], members) -> list[Place]:
    """The members ordered by their agreed totals, ties broken by the cluster's rule; units with
    the same key share a rank. A member without a submitted agreed sheet is listed last, unranked."""
    agreed = {s.unit_id: s for s in sheets if s.kind == ScoreSheet.Kind.AGREED and s.is_submitted}
    placed, missing = [], []
    for unit in members:
        sheet = agreed.get(unit.pk)
        if sheet is None:
            missing.append(Place(unit=unit, totals=Totals(), missing=True))
        else:
            placed.append(Place(unit=unit, totals=sheet.sums))
    placed.sort(key=lambda p: (_key(p, cycle.tie_break), vietnamese_sort_key(p.unit)))
    previous = None
    for position, place in enumerate(placed, start=1):
        key = _key(place, cycle.tie_break)
        if previous is not None and key == _key(previous, cycle.tie_break):
            place.rank = previous.rank
            previous.tied_with_next = True
        else:
            place.rank = position
            if previous is not None and previous.totals.total == place.totals.total:
                previous.tie_broken_by = cycle.get_tie_break_display()
        previous = place
    return placed + missing


def leader_of(places: list[Place]) -> Place | None:
    """The ranking's first unit when it alone is first and every member is ranked."""
    if not places or any(p.missing for p in places):
        return None
    first = places[0]
    return None if first.tied_with_next else first


# --- the ballot ---------------------------------------------------------------------------------


@dataclass
class Line:
    candidate: object
    total: int | None
    percent: Decimal | None = None
    reaches: bool = False
    elected: bool = False
    tied: bool = False
    position: int | None = None


def _elect(lines: list[Line], quota: int | None) -> None:
    """Elect those that reached the threshold, most votes first, within the quota. Names with
    equal votes go in together or not at all: a tie across the quota's last place is not
    decided by the order of the ballot (they are marked tied: the council votes again)."""
    elected = 0
    groups: dict[int, list[Line]] = {}
    for line in lines:
        if line.reaches:
            groups.setdefault(line.total or 0, []).append(line)
    for total in sorted(groups, reverse=True):
        group = groups[total]
        if quota is not None and elected + len(group) > quota:
            if elected < quota:
                for line in group:
                    line.tied = True
            break
        for line in group:
            line.elected = True
        elected += len(group)


@dataclass
class KindResult:
    award_kind: object
    count: object  # BallotCount or None
    council_size: int
    threshold: int | None
    quota: int | None
    basis: str
    lines: list


def ballot_results(cycle: Cycle, candidates=None, counts=None, council_size=None, conferences=None):
    """Per award kind on the ballot: each name's votes (at the meeting and in writing) against
    the threshold on the council's whole membership, and who is elected within the quota, most
    votes first."""
    if candidates is None:
        candidates = list(
            cycle.candidates.select_related("unit", "award_kind", "nomination").order_by(
                "award_kind__order", "order", "id"
            )
        )
    if counts is None:
        counts = {c.award_kind_id: c for c in cycle.counts.all()}
    if council_size is None:
        council_size = cycle.council.count()
    by_kind: dict = {}
    for candidate in candidates:
        by_kind.setdefault(candidate.award_kind_id, []).append(candidate)
    results = []
    if not by_kind:
        return results
    # the same three reads whatever the number of kinds on the ballot
    day = award_services.vote_day(cycle.cluster_year, conferences)
    rules = kept("award-rules", lambda: list(AwardRule.objects.all()))
    quotas = {
        q.award_kind_id: q for q in AwardQuota.objects.filter(cluster_year_id=cycle.cluster_year_id)
    }
    for kind_candidates in by_kind.values():
        award_kind = kind_candidates[0].award_kind
        rule = award_services.rule_in_force(award_kind, cycle.cluster_year, day=day, rules=rules)
        threshold = rule.vote_threshold if rule else None
        quota = award_services.quota_for(award_kind, cycle.cluster_year, rule, quotas=quotas)
        count = counts.get(award_kind.pk)
        lines = [Line(candidate=c, total=c.total_for) for c in kind_candidates]
        if count is not None:
            lines.sort(key=lambda line: -(line.total or 0))
            for position, line in enumerate(lines, start=1):
                line.position = position
                total = line.total or 0
                if council_size:
                    line.percent = Decimal(total * 100) / council_size
                line.reaches = total > 0 and (
                    threshold is None or total * 100 >= threshold * council_size
                )
            _elect(lines, quota)
        results.append(
            KindResult(
                award_kind=award_kind,
                count=count,
                council_size=council_size,
                threshold=threshold,
                quota=quota,
                basis=rule.legal_basis if rule else "",
                lines=lines,
            )
        )
    return results
