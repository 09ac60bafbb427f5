"""The awards' reads of one emulation year, once a request (clusters.bundle): the vote section of
the edit page and the publish checklist show the same nominations and choose among the same
kinds. awards.selectors holds the queries; this module only keeps what they gave."""

from awards.models import AwardKind, AwardRule, Nomination
from awards.selectors import nominations_of
from clusters.bundle import YearBundle
from core.cache import kept

MINISTRY_FLAG = "co-bo-cong-an"


def year_nominations(bundle: YearBundle) -> list[Nomination]:
    """The year's nominations with kind, unit, who overrode and the decision's document, in the
    vote's order (1 query)."""
    return bundle.once("awards:nominations", lambda: nominations_of(bundle.cluster_year))


def award_kinds(bundle: YearBundle) -> list[AwardKind]:
    """Every award kind, in their order (1 query, or none while they are kept: core.cache): the
    vote form's choices and the flag."""
    return bundle.once(
        "awards:kinds", lambda: kept("award-kinds", lambda: list(AwardKind.objects.all()))
    )


def award_rules(bundle: YearBundle) -> list[AwardRule]:
    """Every kind's dated rules (1 query, or none while they are kept), for rule_in_force."""
    return bundle.once(
        "awards:rules", lambda: kept("award-rules", lambda: list(AwardRule.objects.all()))
    )


def ministry_flag(bundle: YearBundle) -> AwardKind | None:
    """The Ministry's flag (Cờ thi đua của Bộ Công an), whose quota the vote section shows."""
    return next((kind for kind in award_kinds(bundle) if kind.code == MINISTRY_FLAG), None)
