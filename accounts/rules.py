"""Who may see and change what: the one place that decides (DESIGN.md §3 accounts, §4).

Three questions per kind of object:
- view:   may the user read it?
- access: is it the user's own business (their unit, their cluster) or are they a read-all role?
          A user without access gets 404: another unit's or cluster's object does not exist for them.
- change: may the user write it? A user with access but without change gets 403.
"""

import rules

from accounts.models import Role


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.is_admin_role


@rules.predicate
def is_leadership(user):
    return user.is_authenticated and user.is_active and user.role == Role.LEADERSHIP


@rules.predicate
def is_ministry(user):
    """The Ministry's emulation officer: reads every cluster's years and dossiers, writes only
    the Ministry's returns and decisions on dossiers."""
    return user.is_authenticated and user.is_active and user.role == Role.MINISTRY


@rules.predicate
def is_secretariat_of_cluster_year(user, cluster_year):
    return (
        cluster_year is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.SECRETARIAT
        and user.cluster_id == cluster_year.cluster_id
    )


@rules.predicate
def is_officer_of_member_unit(user, cluster_year):
    if cluster_year is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role != Role.UNIT_OFFICER or not user.unit_id:
        return False
    cache = getattr(cluster_year, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        return any(m.unit_id == user.unit_id for m in cache["memberships"])
    return cluster_year.memberships.filter(unit_id=user.unit_id).exists()


@rules.predicate
def is_published(user, cluster_year):
    return cluster_year is not None and cluster_year.is_published


@rules.predicate
def is_open(user, cluster_year):
    return cluster_year is not None and not cluster_year.is_published


has_cluster_year_access = (
    is_admin
    | is_leadership
    | is_ministry
    | is_secretariat_of_cluster_year
    | is_officer_of_member_unit
)

rules.add_perm("clusters.access_clusteryear", has_cluster_year_access)
rules.add_perm("clusters.view_clusteryear", is_published | has_cluster_year_access)
rules.add_perm("clusters.change_clusteryear", is_admin | (is_secretariat_of_cluster_year & is_open))
rules.add_perm("clusters.reopen_clusteryear", is_admin)
# Spreadsheets: leadership and the admin export every year, the secretariat its own cluster's;
# importing is for the secretariat of an open year, the admin, and a member unit's officer (whose
# rows are then limited to the unit's own report, row by row, in the import).
rules.add_perm(
    "clusters.export_clusteryear",
    is_admin | is_leadership | is_ministry | is_secretariat_of_cluster_year,
)
rules.add_perm(
    "clusters.import_clusteryear",
    is_open & (is_admin | is_secretariat_of_cluster_year | is_officer_of_member_unit),
)


# Unit reports. The object is a UnitReport (possibly unsaved) with unit and cluster_year set;
# these predicates read only loaded attributes, so a list can be filtered without queries.


@rules.predicate
def is_officer_of_report_unit(user, report):
    return (
        report is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.UNIT_OFFICER
        and user.unit_id == report.unit_id
    )


@rules.predicate
def is_secretariat_of_report_cluster(user, report):
    return report is not None and is_secretariat_of_cluster_year(user, report.cluster_year)


@rules.predicate
def is_report_year_published(user, report):
    return report is not None and report.cluster_year.is_published


has_report_access = (
    is_admin
    | is_leadership
    | is_ministry
    | is_officer_of_report_unit
    | is_secretariat_of_report_cluster
)

rules.add_perm("reports.access_unitreport", has_report_access)
rules.add_perm("reports.view_unitreport", has_report_access)
rules.add_perm("reports.view_published_unitreport", is_report_year_published | has_report_access)
# A published year is frozen for everyone, the admin included: the admin reopens it first.
rules.add_perm(
    "reports.change_unitreport",
    (is_admin | is_officer_of_report_unit | is_secretariat_of_report_cluster)
    & ~is_report_year_published,
)


# Awards. The summary is for leadership, every secretariat and the admin.


@rules.predicate
def is_secretariat(user):
    return user.is_authenticated and user.is_active and user.role == Role.SECRETARIAT


@rules.predicate
def is_secretariat_of_nomination_cluster(user, nomination):
    return nomination is not None and is_secretariat_of_cluster_year(user, nomination.cluster_year)


rules.add_perm("awards.view_summary", is_admin | is_leadership | is_ministry | is_secretariat)
rules.add_perm("awards.override_nomination", is_admin)
rules.add_perm("awards.move_nomination", is_admin | is_secretariat_of_nomination_cluster)
# A decision on a submitted nomination: recorded by the cluster's secretariat when it arrives, or
# by the Ministry's emulation officer on the dossier it received.
rules.add_perm(
    "awards.decide_nomination", is_admin | is_ministry | is_secretariat_of_nomination_cluster
)


# Units, clusters and the opening of a new emulation year are the admin's.
rules.add_perm("clusters.keep_units", is_admin)
rules.add_perm("clusters.open_clusteryear", is_admin)
rules.add_perm("welfare.keep_beneficiaries", is_admin | is_secretariat)


# Sources (documents behind figures): the secretariat of the year's cluster and the admin add
# them, also to a published year (a decision arrives after publishing); changing or removing one of
# a published year is the admin's (clusters.services.source_save/source_delete).
def _source_year(user, source):
    return getattr(source, "cluster_year", None) if source is not None else None


@rules.predicate
def keeps_sources_of_its_year(user, source):
    year = _source_year(user, source)
    return year is not None and is_secretariat_of_cluster_year(user, year)


rules.add_perm("clusters.keep_source", is_admin | keeps_sources_of_its_year)


# The year's lifecycle (clusters.services): the secretariat of the cluster opens the next year
# from its current one (roster copied) and records the handover to it; the object is the
# current year, which may already be published (the conference comes before the publish, the
# paperwork not always). Changing a year's members is clusters.change_clusteryear (open years).
rules.add_perm("clusters.open_next_clusteryear", is_admin | is_secretariat_of_cluster_year)


# The emulation cycle (emulation.services). The page is for whoever reaches the year (members,
# its secretariat, leadership, the Ministry's officer, the admin), not the public. The cluster's
# rules, criteria, cross-inspection, agreed scores and ranking are its secretariat's and the
# admin's while the year is open; once scoring began, the criteria only the admin's.
rules.add_perm("emulation.view_cycle", has_cluster_year_access)
rules.add_perm("emulation.keep_cycle", is_open & (is_admin | is_secretariat_of_cluster_year))
rules.add_perm("emulation.keep_frozen_criteria", is_open & is_admin)


def _unit_officer_of(user, unit_id) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.UNIT_OFFICER
        and unit_id is not None
        and user.unit_id == unit_id
    )


@rules.predicate
def signs_for_its_unit(user, pledge):
    """A pledge (possibly unsaved, with cycle and unit): the unit's own officer signs it."""
    return pledge is not None and _unit_officer_of(user, pledge.unit_id)


@rules.predicate
def is_pledge_year_open(user, pledge):
    return pledge is not None and not pledge.cycle.cluster_year.is_published


@rules.predicate
def keeps_pledge_cycle(user, pledge):
    return pledge is not None and is_secretariat_of_cluster_year(user, pledge.cycle.cluster_year)


rules.add_perm(
    "emulation.sign_pledge",
    is_pledge_year_open & (is_admin | keeps_pledge_cycle | signs_for_its_unit),
)


@rules.predicate
def writes_the_sheet(user, sheet):
    """A unit's officers write their unit's self-score and the inspections their unit makes."""
    if sheet is None:
        return False
    if sheet.kind == "self":
        return _unit_officer_of(user, sheet.unit_id)
    if sheet.kind == "inspection":
        return _unit_officer_of(user, sheet.inspector_id)
    return False


@rules.predicate
def keeps_sheet_cycle(user, sheet):
    return sheet is not None and is_secretariat_of_cluster_year(user, sheet.cycle.cluster_year)


@rules.predicate
def is_sheet_year_open(user, sheet):
    return sheet is not None and not sheet.cycle.cluster_year.is_published


# The secretariat may also type a unit's paper score sheet in for it; the agreed sheet is the
# secretariat's alone.
rules.add_perm(
    "emulation.write_sheet",
    is_sheet_year_open & (is_admin | keeps_sheet_cycle | writes_the_sheet),
)


# The dossier to the Ministry: prepared, sent and recalled by the secretariat (open year); the
# Ministry's emulation officer (and the admin) receives it, returns it with a reason or records
# the decisions, whether the year is open or published.
rules.add_perm("emulation.rule_on_dossier", is_admin | is_ministry)
