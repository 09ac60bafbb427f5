"""The vote and the life of a nomination. Every rule is checked here; views, forms, the admin and
seed_demo call these functions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can, history_user, require
from awards.models import (
    AwardKind,
    AwardQuota,
    AwardRule,
    Commendation,
    Discipline,
    Nomination,
    NominationEvent,
)
from awards.tallies import refresh_tallies
from clusters.models import ClusterYear, Unit
from clusters.services import (
    leader_by_hand,
    leader_errors,
    lock_year,
    lock_year_for,
    source_attach,
)
from core.cells import normalise_name


def vote_day(cluster_year: ClusterYear, conferences=None) -> datetime.date:
    """The day the vote is taken: the year-end conference if recorded, else the year's last day.
    `conferences`: the year's conferences when a page has read them already (no query)."""
    if conferences is None:
        conference = cluster_year.conferences.filter(kind="year_end", date__isnull=False).first()
    else:
        conference = next(
            (c for c in conferences if c.kind == "year_end" and c.date is not None), None
        )
    return conference.date if conference else datetime.date(cluster_year.year, 12, 31)


def rule_in_force(
    award_kind: AwardKind,
    cluster_year: ClusterYear,
    *,
    day: datetime.date | None = None,
    rules: list[AwardRule] | None = None,
) -> AwardRule | None:
    """The rule of the kind in force on the vote's day (`day`, else vote_day()); chosen among
    `rules` when a page has them already (awards.bundle.award_rules: no query)."""
    day = day or vote_day(cluster_year)
    if rules is not None:
        in_force = [r for r in rules if r.award_kind_id == award_kind.pk and r.valid_from <= day]
        return max(in_force, key=lambda r: r.valid_from, default=None)
    return award_kind.rules.filter(valid_from__lte=day).order_by("-valid_from").first()


def quota_for(
    award_kind: AwardKind,
    cluster_year: ClusterYear,
    rule: AwardRule | None,
    *,
    quotas: dict[int, AwardQuota] | None = None,
) -> int | None:
    """How many of this kind the cluster may propose this year: the secretariat's quota, else the
    rule's default, never above the rule's yearly limit. `quotas`: the year's quotas by kind id
    when a page has read them already (no query)."""
    limits = []
    if quotas is not None:
        quota = quotas.get(award_kind.pk)
    else:
        quota = AwardQuota.objects.filter(cluster_year=cluster_year, award_kind=award_kind).first()
    if quota is not None:
        limits.append(quota.quota)
    elif rule and rule.default_quota is not None:
        limits.append(rule.default_quota)
    if rule and rule.yearly_limit is not None:
        limits.append(rule.yearly_limit)
    return min(limits) if limits else None


def _live(cluster_year: ClusterYear, award_kind: AwardKind):
    """The nominations that count against a quota or a limit: a withdrawn one no longer does."""
    return Nomination.objects.filter(cluster_year=cluster_year, award_kind=award_kind).exclude(
        status=Nomination.Status.WITHDRAWN
    )


def _basis(rule: AwardRule) -> str:
    return rule.legal_basis


def rule_problems(
    *,
    cluster_year: ClusterYear,
    award_kind: AwardKind,
    unit: Unit,
    votes_for: int | None,
    council_size: int | None,
    exclude_pk: int | None = None,
) -> list[str]:
    """The rules of the award kind in force at the vote that this nomination would break."""
    rule = rule_in_force(award_kind, cluster_year)
    if rule is None:
        return []
    problems = []
    if rule.vote_threshold:
        if votes_for is None or council_size is None:
            problems.append(
                _(
                    "Cần nhập số phiếu đồng ý và tổng số thành viên hội đồng: %(award)s phải đạt "
                    "từ %(threshold)s%% tổng số thành viên (%(basis)s)."
                )
                % {"award": award_kind, "threshold": rule.vote_threshold, "basis": _basis(rule)}
            )
        elif votes_for * 100 < rule.vote_threshold * council_size:
            problems.append(
                _(
                    "%(award)s cần từ %(threshold)s%% phiếu đồng ý trên tổng số thành viên hội đồng "
                    "(%(basis)s); mới đạt %(votes)s/%(council)s phiếu (%(percent)s%%)."
                )
                % {
                    "award": award_kind,
                    "threshold": rule.vote_threshold,
                    "basis": _basis(rule),
                    "votes": votes_for,
                    "council": council_size,
                    "percent": formats.number_format(
                        votes_for * 100 / council_size, decimal_pos=1, use_l10n=True
                    ),
                }
            )
    if rule.leader_only:
        if cluster_year.leading_unit_id is None:
            problems.append(
                _(
                    "%(award)s chỉ đề nghị cho đơn vị dẫn đầu cụm (%(basis)s); năm %(year)s chưa "
                    "xác định đơn vị dẫn đầu."
                )
                % {"award": award_kind, "basis": _basis(rule), "year": cluster_year.year}
            )
        elif cluster_year.leading_unit_id != unit.pk:
            problems.append(
                _(
                    "%(award)s chỉ đề nghị cho đơn vị dẫn đầu cụm năm %(year)s là %(leader)s "
                    "(%(basis)s)."
                )
                % {
                    "award": award_kind,
                    "year": cluster_year.year,
                    "leader": cluster_year.leading_unit,
                    "basis": _basis(rule),
                }
            )
    quota = quota_for(award_kind, cluster_year, rule)
    if quota is not None:
        taken = _live(cluster_year, award_kind).exclude(pk=exclude_pk).count()
        if taken >= quota:
            problems.append(
                _(
                    "Cụm đã đề nghị %(taken)s/%(quota)s %(award)s năm %(year)s; không được vượt "
                    "chỉ tiêu (%(basis)s)."
                )
                % {
                    "taken": taken,
                    "quota": quota,
                    "award": award_kind,
                    "year": cluster_year.year,
                    "basis": _basis(rule),
                }
            )
    return problems


def _same_name(a: str, b: str) -> bool:
    return normalise_name(a).casefold() == normalise_name(b).casefold()


def discipline_of(*, cluster_year: ClusterYear, unit: Unit, person_name: str = ""):
    """The discipline that bars this nominee in the year: the unit's own for a collective, the
    person's (same unit, same name, whatever the case and spacing) for an individual."""
    records = Discipline.objects.filter(cluster_year=cluster_year, unit=unit).select_related("unit")
    for record in records:
        if person_name and record.person_name and _same_name(record.person_name, person_name):
            return record
        if not person_name and not record.person_name:
            return record
    return None


@transaction.atomic
def discipline_save(*, discipline: Discipline, by) -> Discipline:
    """Record a discipline of a member unit or of one of its people in an open year (the
    secretariat of the cluster, the admin)."""
    lock_year_for(by, discipline.cluster_year)
    discipline.person_name = normalise_name(discipline.person_name)
    if not discipline.cluster_year.memberships.filter(unit=discipline.unit).exists():
        raise ValidationError(
            {
                "unit": _("%(unit)s không phải thành viên của cụm năm %(year)s.")
                % {"unit": discipline.unit, "year": discipline.cluster_year.year}
            }
        )
    discipline.full_clean()
    discipline.save()
    return discipline


@transaction.atomic
def discipline_delete(*, discipline: Discipline, by) -> None:
    lock_year_for(by, discipline.cluster_year)
    discipline.delete()


def nomination_fit_errors(
    *, cluster_year: ClusterYear, award_kind: AwardKind, unit: Unit, person_name: str
) -> dict[str, str]:
    """Whether the nominee fits the award at all: a member of the cluster that year, a person
    for an individual award, the unit alone for a collective one. The vote page and the
    workbook import both ask this."""
    errors = {}
    if not cluster_year.memberships.filter(unit=unit).exists():
        errors["unit"] = _("%(unit)s không phải thành viên của cụm năm %(year)s.") % {
            "unit": unit,
            "year": cluster_year.year,
        }
    discipline = discipline_of(cluster_year=cluster_year, unit=unit, person_name=person_name)
    if discipline is not None:
        errors["__all__"] = _(
            "%(who)s bị kỷ luật trong năm %(year)s (%(record)s): không được đề nghị khen thưởng."
        ) % {"who": discipline.subject, "year": cluster_year.year, "record": discipline.record}
    if award_kind.recipient == "individual" and not person_name:
        errors["person_name"] = _("%(award)s dành cho cá nhân: hãy nhập họ tên.") % {
            "award": award_kind
        }
    if award_kind.recipient == "collective" and person_name:
        errors["person_name"] = _("%(award)s dành cho tập thể: bỏ trống họ tên.") % {
            "award": award_kind
        }
    return errors


def _record(nomination: Nomination, status: str, by, note: str = "") -> None:
    NominationEvent.objects.create(
        nomination=nomination, status=status, by=history_user(by), note=note
    )


def _lock_for_move(
    nomination: Nomination, by, message: str, perm: str = "awards.move_nomination"
) -> Nomination:
    """Lock the year, then re-read the nomination under its own lock: two clerks deciding at
    once, or a decision racing the publish, meet here one after the other."""
    lock_year(nomination.cluster_year)
    require(by, perm, nomination, message)
    Nomination.objects.select_for_update().filter(pk=nomination.pk).first()
    nomination.refresh_from_db()
    return nomination


DECISION_NOT_YOURS = gettext_lazy(
    "Chỉ thư ký cụm, cán bộ thi đua của Bộ hoặc quản trị viên được ghi quyết định."
)
VOTE_NOT_YOURS = gettext_lazy("Chỉ thư ký cụm hoặc quản trị viên được ghi kết quả bình xét.")


def _vote_checked(
    nomination: Nomination,
    *,
    cluster_year: ClusterYear,
    by,
    override_reason: str,
    exclude_pk: int | None = None,
) -> list[str]:
    """Hold a nomination's vote (new or corrected) to the rules in force at the vote: the nominee
    fits, the figures stand, no rule is broken unless the admin gives a reason. Fills the
    override fields; returns the broken rules (for the event's note)."""
    nomination.person_name = " ".join(nomination.person_name.split())
    nomination.person_rank = nomination.person_rank.strip()
    nomination.person_position = nomination.person_position.strip()
    nomination.achievements = nomination.achievements.strip()
    errors = nomination_fit_errors(
        cluster_year=cluster_year,
        award_kind=nomination.award_kind,
        unit=nomination.unit,
        person_name=nomination.person_name,
    )
    if errors:
        raise ValidationError(errors)
    nomination.full_clean()
    problems = rule_problems(
        cluster_year=cluster_year,
        award_kind=nomination.award_kind,
        unit=nomination.unit,
        votes_for=nomination.votes_for,
        council_size=nomination.council_size,
        exclude_pk=exclude_pk,
    )
    override_reason = override_reason.strip()
    if problems:
        if not can(by, "awards.override_nomination", cluster_year):
            raise ValidationError(problems)
        if not override_reason:
            raise ValidationError(
                [*problems, _("Quản trị viên chỉ được vượt quy định khi nêu rõ lý do.")]
            )
        if override_reason != nomination.override_reason:
            nomination.override_reason = override_reason
            nomination.overridden_by = history_user(by)
    else:
        nomination.override_reason = ""
        nomination.overridden_by = None
    return problems


@transaction.atomic
def nomination_propose(
    *,
    cluster_year: ClusterYear,
    award_kind: AwardKind,
    unit: Unit,
    by,
    votes_for: int | None = None,
    council_size: int | None = None,
    person_name: str = "",
    person_rank: str = "",
    person_position: str = "",
    rank_order: int | None = None,
    achievements: str = "",
    override_reason: str = "",
) -> Nomination:
    """Record the cluster's vote for one award. Broken rules are refused with their legal basis,
    unless an admin overrides them with a reason, which is then shown with the nomination."""
    lock_year_for(by, cluster_year, VOTE_NOT_YOURS)
    nomination = Nomination(
        cluster_year=cluster_year,
        award_kind=award_kind,
        unit=unit,
        person_name=person_name,
        person_rank=person_rank,
        person_position=person_position,
        rank_order=rank_order,
        votes_for=votes_for,
        council_size=council_size,
        achievements=achievements,
    )
    problems = _vote_checked(
        nomination, cluster_year=cluster_year, by=by, override_reason=override_reason
    )
    if not problems and override_reason.strip():
        nomination.notes = override_reason.strip()
    nomination.save()
    _record(nomination, Nomination.Status.PROPOSED, by, note="; ".join(problems))
    return nomination


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    by,
    award_kind: AwardKind,
    unit: Unit,
    votes_for: int | None = None,
    council_size: int | None = None,
    person_name: str = "",
    person_rank: str = "",
    person_position: str = "",
    rank_order: int | None = None,
    achievements: str = "",
    override_reason: str | None = None,
) -> Nomination:
    """Correct the vote of a nomination not yet submitted, under the same rules as a new one (it
    does not count against its own quota). `override_reason` None keeps the stored one."""
    nomination = _lock_for_move(nomination, by, VOTE_NOT_YOURS)
    if nomination.status != Nomination.Status.PROPOSED:
        raise ValidationError(
            _("Chỉ sửa được đề nghị đang ở trạng thái “%(state)s”.")
            % {"state": Nomination.Status.PROPOSED.label}
        )
    nomination.award_kind = award_kind
    nomination.unit = unit
    nomination.votes_for = votes_for
    nomination.council_size = council_size
    nomination.person_name = person_name
    nomination.person_rank = person_rank
    nomination.person_position = person_position
    nomination.rank_order = rank_order
    nomination.achievements = achievements
    problems = _vote_checked(
        nomination,
        cluster_year=nomination.cluster_year,
        by=by,
        override_reason=nomination.override_reason if override_reason is None else override_reason,
        exclude_pk=nomination.pk,
    )
    nomination.save()
    note = _("Sửa kết quả bình xét")
    if problems:
        note = "; ".join([note, *problems])
    _record(nomination, Nomination.Status.PROPOSED, by, note=note)
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by, reason: str = "") -> Nomination | None:
    """Take a nomination out of the vote. Not yet submitted, it was never sent anywhere: it is
    deleted with its events (the history keeps who deleted it). Submitted, it was sent up: it
    stays, withdrawn, with the reason it must give; it no longer counts. Decided: refused."""
    nomination = _lock_for_move(
        nomination, by, _("Chỉ thư ký cụm hoặc quản trị viên được rút đề nghị.")
    )
    reason = reason.strip()
    if nomination.status == Nomination.Status.PROPOSED:
        nomination._history_user = history_user(by)
        nomination.delete()
        return None
    if nomination.status != Nomination.Status.SUBMITTED:
        raise ValidationError(_("Đề nghị đã có quyết định nên không rút được."))
    if not reason:
        raise ValidationError(_("Đề nghị đã trình chỉ rút được khi nêu rõ lý do."))
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.withdrawal_reason = reason
    nomination.full_clean()
    nomination.save(update_fields=["status", "withdrawal_reason"])
    _record(nomination, nomination.status, by, note=reason)
    return nomination


@transaction.atomic
def nomination_submit(*, nomination: Nomination, by) -> Nomination:
    """The cluster sends its proposal up (tờ trình)."""
    nomination = _lock_for_move(
        nomination, by, _("Chỉ thư ký cụm hoặc quản trị viên được trình đề nghị.")
    )
    if nomination.status != Nomination.Status.PROPOSED:
        raise ValidationError(
            _("Chỉ trình được đề nghị đang ở trạng thái “%(state)s”.")
            % {"state": Nomination.Status.PROPOSED.label}
        )
    nomination.status = Nomination.Status.SUBMITTED
    nomination.save(update_fields=["status"])
    _record(nomination, nomination.status, by)
    return nomination


def share_problems(nomination: Nomination) -> list[str]:
    """An approval of an award kind whose rule caps it across clusters (the Government flag: a
    share of the clusters' leading units that year) that would go over the cap."""
    rule = rule_in_force(nomination.award_kind, nomination.cluster_year)
    if rule is None or not rule.leaders_share:
        return []
    year = nomination.cluster_year.year
    leaders = ClusterYear.objects.filter(year=year, leading_unit__isnull=False).count()
    allowed = leaders * rule.leaders_share // 100
    approved = (
        Nomination.objects.filter(
            award_kind=nomination.award_kind,
            cluster_year__year=year,
            status=Nomination.Status.APPROVED,
        )
        .exclude(pk=nomination.pk)
        .count()
    )
    if approved < allowed:
        return []
    return [
        _(
            "%(award)s năm %(year)s: đã có %(approved)s quyết định tặng, trên %(leaders)s cụm có "
            "đơn vị dẫn đầu; tối đa %(share)s%% là %(allowed)s (%(basis)s)."
        )
        % {
            "award": nomination.award_kind,
            "year": year,
            "approved": approved,
            "leaders": leaders,
            "share": rule.leaders_share,
            "allowed": allowed,
            "basis": rule.share_basis or rule.legal_basis,
        }
    ]


def _share_checked(nomination: Nomination, by, override_reason: str) -> None:
    problems = share_problems(nomination)
    if not problems:
        return
    override_reason = override_reason.strip()
    if not can(by, "awards.override_nomination", nomination.cluster_year):
        raise ValidationError(problems)
    if not override_reason:
        raise ValidationError(
            [*problems, _("Quản trị viên chỉ được vượt quy định khi nêu rõ lý do.")]
        )
    nomination.override_reason = override_reason
    nomination.overridden_by = history_user(by)


@transaction.atomic
def nomination_decide(
    *,
    nomination: Nomination,
    approved: bool,
    by,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    decision_issuer: str = "",
    override_reason: str = "",
) -> Nomination:
    """Record the decision from above. An approval creates the Commendation it grants, in the
    same transaction: a refused commendation leaves the nomination undecided."""
    nomination = _lock_for_move(nomination, by, DECISION_NOT_YOURS, perm="awards.decide_nomination")
    if nomination.status != Nomination.Status.SUBMITTED:
        raise ValidationError(
            _("Chỉ ghi quyết định cho đề nghị đã trình (trạng thái “%(state)s”).")
            % {"state": Nomination.Status.SUBMITTED.label}
        )
    decision_number = decision_number.strip()
    if approved and (not decision_number or decision_date is None):
        raise ValidationError(_("Khen thưởng được duyệt cần số và ngày của quyết định."))
    if approved:
        _share_checked(nomination, by, override_reason)
    nomination.status = Nomination.Status.APPROVED if approved else Nomination.Status.NOT_APPROVED
    nomination.decision_number = decision_number
    nomination.decision_date = decision_date
    nomination.decision_issuer = decision_issuer.strip()
    nomination.full_clean()
    nomination.save()
    if approved:
        _grant(nomination)
    _record(nomination, nomination.status, by, note=decision_number)
    return nomination


def _grant(nomination: Nomination) -> Commendation:
    """The commendation an approved nomination grants, with the decision's document if any."""
    commendation = Commendation(
        award_kind=nomination.award_kind,
        year=nomination.cluster_year.year,
        unit=nomination.unit,
        person_name=nomination.person_name,
        person_rank=nomination.person_rank,
        person_position=nomination.person_position,
        decision_number=nomination.decision_number,
        decision_date=nomination.decision_date,
        decision_issuer=nomination.decision_issuer,
        nomination=nomination,
        source=nomination.decision_source,
    )
    commendation.full_clean()
    commendation.save()
    refresh_tallies([(commendation.unit_id, commendation.year)])
    return commendation


@transaction.atomic
def nomination_amend_decision(
    *,
    nomination: Nomination,
    approved: bool,
    by,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    decision_issuer: str = "",
    upload=None,
    override_reason: str = "",
) -> Nomination:
    """The Ministry's decision on a submitted nomination, arriving after its year was published:
    the one write a published year takes (lock_year would refuse it). The year row is locked
    here, and it must be published; the nomination must be submitted and undecided (a decision
    already recorded is corrected only by reopening the year). Only the decision fields are
    written, with the decision's document as a Source of the year (its file, when uploaded), an
    event marked as an amendment (who, when, which document) and, for an approval, the
    commendation it grants, as nomination_decide does."""
    cluster_year = (
        ClusterYear.objects.select_for_update()
        .select_related("cluster")
        .get(pk=nomination.cluster_year_id)
    )
    nomination.cluster_year = cluster_year
    require(by, "awards.decide_nomination", nomination, DECISION_NOT_YOURS)
    if not cluster_year.is_published:
        raise ValidationError(
            _("Năm thi đua chưa công bố: ghi quyết định ở mục Bình xét của trang sửa năm.")
        )
    Nomination.objects.select_for_update().filter(pk=nomination.pk).first()
    nomination.refresh_from_db()
    nomination.cluster_year = cluster_year
    if nomination.status != Nomination.Status.SUBMITTED:
        raise ValidationError(
            _(
                "Chỉ ghi quyết định đến sau cho đề nghị đã trình và chưa có quyết định; quyết "
                "định đã ghi chỉ sửa được khi quản trị viên mở lại năm."
            )
        )
    decision_number = decision_number.strip()
    decision_issuer = decision_issuer.strip()
    if approved and (not decision_number or decision_date is None):
        raise ValidationError(_("Khen thưởng được duyệt cần số và ngày của quyết định."))
    if not decision_number and upload is None:
        raise ValidationError(
            _("Quyết định đến sau cần số quyết định hoặc tệp văn bản để lưu làm căn cứ.")
        )
    if approved:
        _share_checked(nomination, by, override_reason)
    source = source_attach(
        cluster_year=cluster_year,
        title=(
            _("Quyết định về đề nghị %(award)s cho %(recipient)s")
            % {"award": nomination.award_kind, "recipient": nomination.recipient_label}
        ),
        number=decision_number[:80],
        issued_on=decision_date,
        issuer=decision_issuer,
        upload=upload,
    )
    nomination.status = Nomination.Status.APPROVED if approved else Nomination.Status.NOT_APPROVED
    nomination.decision_number = decision_number
    nomination.decision_date = decision_date
    nomination.decision_issuer = decision_issuer
    nomination.decision_source = source
    nomination.amended_at = timezone.now()
    nomination.full_clean()
    nomination.save(
        update_fields=[
            "status",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "decision_source",
            "amended_at",
            "override_reason",
            "overridden_by",
        ]
    )
    if approved:
        _grant(nomination)
    NominationEvent.objects.create(
        nomination=nomination,
        status=nomination.status,
        by=history_user(by),
        note=decision_number,
        amendment=True,
        source=source,
    )
    return nomination


def _set_quota(cluster_year: ClusterYear, award_kind: AwardKind, quota: int) -> AwardQuota:
    taken = _live(cluster_year, award_kind).count()
    if quota < taken:
        raise ValidationError(
            {
                "quota": _("Cụm đã đề nghị %(taken)s %(award)s; chỉ tiêu không thể nhỏ hơn.")
                % {"taken": taken, "award": award_kind}
            }
        )
    row, _created = AwardQuota.objects.update_or_create(
        cluster_year=cluster_year, award_kind=award_kind, defaults={"quota": quota}
    )
    return row


@transaction.atomic
def cluster_year_set_leader(
    *, cluster_year: ClusterYear, unit: Unit | None, by, reason: str = ""
) -> ClusterYear:
    """The unit leading the cluster. Once the ranking is adopted, its first unit leads unless
    another is chosen by hand with a reason (kept while that choice stands)."""
    locked = lock_year_for(by, cluster_year)
    cluster_year.ranked_leader_id = locked.ranked_leader_id
    cluster_year.leader_reason = reason.strip()
    member_ids = cluster_year.memberships.values_list("unit_id", flat=True)
    errors = leader_errors(cluster_year, unit, member_ids)
    if errors:
        raise ValidationError(errors)
    cluster_year.leading_unit = unit
    if not leader_by_hand(cluster_year):
        cluster_year.leader_reason = ""
    cluster_year.save(update_fields=["leading_unit", "leader_reason"])
    return cluster_year


@transaction.atomic
def award_quota_set(
    *, cluster_year: ClusterYear, award_kind: AwardKind, quota: int, by
) -> AwardQuota:
    lock_year_for(by, cluster_year)
    return _set_quota(cluster_year, award_kind, quota)


@transaction.atomic
def leader_and_quota_set(
    *,
    cluster_year: ClusterYear,
    unit: Unit | None,
    by,
    award_kind: AwardKind | None = None,
    quota: int | None = None,
    reason: str = "",
) -> ClusterYear:
    """The leading unit and the flag quota, saved together: a refused quota leaves the leading
    unit as it was."""
    cluster_year_set_leader(cluster_year=cluster_year, unit=unit, by=by, reason=reason)
    if award_kind is not None and quota is not None:
        award_quota_set(cluster_year=cluster_year, award_kind=award_kind, quota=quota, by=by)
    return cluster_year


@transaction.atomic
def award_quota_delete(*, quota: AwardQuota, by) -> None:
    lock_year_for(by, quota.cluster_year)
    quota.delete()


@transaction.atomic
def nomination_annotate(*, nomination: Nomination, by) -> Nomination:
    """The admin's notes on a nomination (rank, achievements, notes) while its year is open;
    the vote's figures and the status move only through the vote and its transitions."""
    lock_year_for(by, nomination.cluster_year)
    nomination.full_clean()
    nomination.save(update_fields=["rank_order", "achievements", "notes"])
    return nomination


@transaction.atomic
def nomination_import(*, nomination: Nomination, by, note: str = "") -> Nomination:
    """A nomination from a workbook row, held to the rules in force at the vote as on the
    secretariat's page; only the admin may pass a broken rule, with a reason. The history says
    it came from a sheet, and who brought it."""
    cluster_year = lock_year_for(by, nomination.cluster_year, VOTE_NOT_YOURS)
    kind = nomination.award_kind
    errors = list(
        nomination_fit_errors(
            cluster_year=cluster_year,
            award_kind=kind,
            unit=nomination.unit,
            person_name=nomination.person_name,
        ).values()
    )
    if nomination.status == Nomination.Status.APPROVED and not (
        nomination.decision_number and nomination.decision_date
    ):
        errors.append(_("Khen thưởng được duyệt cần số và ngày của quyết định."))
    problems = rule_problems(
        cluster_year=nomination.cluster_year,
        award_kind=kind,
        unit=nomination.unit,
        votes_for=nomination.votes_for,
        council_size=nomination.council_size,
        exclude_pk=nomination.pk,
    )
    if problems:
        if not nomination.override_reason:
            errors.extend(problems)
        elif not can(by, "awards.override_nomination", cluster_year):
            errors.extend([*problems, _("Chỉ quản trị viên được vượt quy định.")])
        elif nomination.overridden_by_id is None:
            nomination.overridden_by = history_user(by)
    if errors:
        raise ValidationError(errors)
    nomination.full_clean()
    nomination.save()
    last = nomination.events.order_by("-at", "-pk").first()
    if last is None or last.status != nomination.status:
        _record(nomination, nomination.status, by, note=note or _("Nhập từ tệp Excel"))
    return nomination


def commendation_guard(by):
    """A check for many commendation rows of one import: who may write a commendation of a unit
    in a year. The admin writes any year that is not published for the unit's cluster; the
    secretariat only its own cluster's open years. Each year concerned is locked once."""
    # (year, unit id) -> None when allowed, else the refusal; asked once per pair, as a file
    # of 10,000 rows names a few dozen pairs.
    answers: dict[tuple[int, int], ValidationError | None] = {}

    def ask(year: int, unit_id: int) -> None:
        cluster_year = (
            ClusterYear.objects.select_for_update()
            .select_related("cluster")
            .filter(year=year, memberships__unit_id=unit_id)
            .first()
        )
        if cluster_year is not None and cluster_year.is_published:
            lock_year(cluster_year)  # raises the frozen-year message
        if can(by, "clusters.keep_units"):
            return
        if cluster_year is None or not can(by, "clusters.change_clusteryear", cluster_year):
            raise ValidationError(
                _(
                    "Thư ký cụm chỉ được nhập khen thưởng của đơn vị trong cụm mình, năm chưa công bố."
                )
            )

    def check(*, year: int, unit_id: int) -> None:
        key = (year, unit_id)
        if key not in answers:
            try:
                ask(year, unit_id)
                answers[key] = None
            except ValidationError as refusal:
                answers[key] = refusal
        if answers[key] is not None:
            # Raised afresh for each row: a re-raised exception would keep every row's frames.
            raise answers[key].with_traceback(None)

    return check


@transaction.atomic
def commendation_save(*, commendation: Commendation, by) -> Commendation:
    """A commendation is written in an open year of its unit's cluster, and a stored one is
    moved only out of a year that is open too."""
    guard = commendation_guard(by)
    stored = None
    if commendation.pk is not None:
        stored = Commendation.objects.filter(pk=commendation.pk).values("year", "unit_id").first()
        if stored is not None:
            guard(year=stored["year"], unit_id=stored["unit_id"])
    guard(year=commendation.year, unit_id=commendation.unit_id)
    commendation.full_clean()
    commendation.save()
    moved_from = [(stored["unit_id"], stored["year"])] if stored else []
    refresh_tallies([(commendation.unit_id, commendation.year), *moved_from])
    return commendation


@transaction.atomic
def commendation_delete(*, commendation: Commendation, by) -> None:
    commendation_guard(by)(year=commendation.year, unit_id=commendation.unit_id)
    commendation.delete()
    refresh_tallies([(commendation.unit_id, commendation.year)])


def commendation_year(commendation: Commendation) -> ClusterYear | None:
    """The emulation year a commendation belongs to: its unit's cluster that year, if any."""
    return (
        ClusterYear.objects.filter(
            year=commendation.year, memberships__unit_id=commendation.unit_id
        )
        .select_related("cluster")
        .first()
    )


def _published_under(day: datetime.date) -> bool:
    """Whether a published year was voted under rules in force from `day` on."""
    return ClusterYear.objects.published().filter(year__gte=day.year).exists()


@transaction.atomic
def award_rule_save(*, rule: AwardRule, by) -> AwardRule:
    """A rule row, kept by the admin. A change of law is a new row; a row (old or new) that would
    change what applied to a published year's vote is refused."""
    require(by, "clusters.keep_units", None, _("Chỉ quản trị viên được sửa quy định khen thưởng."))
    days = [rule.valid_from]
    if rule.pk is not None:
        stored = AwardRule.objects.filter(pk=rule.pk).values_list("valid_from", flat=True).first()
        if stored is not None:
            days.append(stored)
    if any(day and _published_under(day) for day in days):
        raise ValidationError(
            _(
                "Quy định này đã áp dụng (hoặc sẽ áp dụng) cho năm thi đua đã công bố; thay đổi "
                "pháp luật là một dòng mới, có hiệu lực sau năm công bố gần nhất."
            )
        )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def award_rule_delete(*, rule: AwardRule, by) -> None:
    require(by, "clusters.keep_units", None, _("Chỉ quản trị viên được sửa quy định khen thưởng."))
    if _published_under(rule.valid_from):
        raise ValidationError(
            _("Quy định này đã áp dụng cho năm thi đua đã công bố nên không xóa được.")
        )
    rule.delete()


@transaction.atomic
def award_kind_delete(*, award_kind: AwardKind, by) -> None:
    require(by, "clusters.keep_units", None, _("Chỉ quản trị viên được sửa danh mục khen thưởng."))
    award_kind.delete()


@transaction.atomic
def award_kind_save(*, award_kind: AwardKind, by) -> AwardKind:
    require(by, "clusters.keep_units", None, _("Chỉ quản trị viên được sửa danh mục khen thưởng."))
    award_kind.full_clean()
    award_kind.save()
    return award_kind
