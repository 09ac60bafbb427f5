"""Writes of the emulation cycle. Each takes `by`, locks the year's row, checks it is open and
asks the rules (accounts.rules); the pages and the admin call these and nothing else."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can, history_user, require
from accounts.models import Role, User
from accounts.services import notify
from awards import services as award_services
from awards.models import AwardKind, Nomination
from clusters.models import ClusterYear, Membership, Unit
from clusters.services import lock_year, source_attach
from emulation import selectors
from emulation.models import (
    BallotCount,
    Candidate,
    CouncilMember,
    Criterion,
    Cycle,
    Dossier,
    DossierRound,
    Pledge,
    Score,
    ScoreSheet,
)
from reports.models import UnitReport

NOT_YOURS = gettext_lazy("Chỉ thư ký cụm hoặc quản trị viên được làm việc này.")
SHEET_NOT_YOURS = gettext_lazy(
    "Chỉ cán bộ của đơn vị chấm phiếu này, thư ký cụm hoặc quản trị viên được ghi điểm."
)
PLEDGE_NOT_YOURS = gettext_lazy(
    "Chỉ cán bộ của đơn vị, thư ký cụm hoặc quản trị viên được ghi chữ ký giao ước."
)


def officers_of(unit_ids) -> list[User]:
    return list(User.objects.filter(role=Role.UNIT_OFFICER, unit_id__in=unit_ids, is_active=True))


def secretariat_of(cluster_id) -> list[User]:
    return list(User.objects.filter(role=Role.SECRETARIAT, cluster_id=cluster_id, is_active=True))


def _page_of(cluster_year: ClusterYear, page: str, anchor: str = "") -> str:
    url = reverse(f"emulation:{page}", args=[cluster_year.cluster.slug, cluster_year.year])
    return f"{url}#{anchor}" if anchor else url


def _day(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def _locked_cycle(cycle: Cycle) -> Cycle:
    """The year under its row lock (refused when published), then the cycle as it stands."""
    lock_year(cycle.cluster_year)
    locked = Cycle.objects.select_related("cluster_year__cluster").get(pk=cycle.pk)
    return locked


def _member_ids(cluster_year: ClusterYear) -> set[int]:
    return set(
        Membership.objects.filter(cluster_year=cluster_year).values_list("unit_id", flat=True)
    )


def _previous_cycle(cluster_year: ClusterYear) -> Cycle | None:
    return (
        Cycle.objects.filter(
            cluster_year__cluster_id=cluster_year.cluster_id,
            cluster_year__year__lt=cluster_year.year,
        )
        .order_by("-cluster_year__year")
        .first()
    )


def _copy_criteria(source: Cycle, target: Cycle) -> int:
    """Copy a cycle's criteria tree (groups first, so that children find their new parent)."""
    new_ids: dict[int, Criterion] = {}
    rows = selectors.criteria_tree(list(source.criteria.all()))
    for row in rows:
        old = row.criterion
        copy = Criterion(
            cycle=target,
            parent=new_ids.get(old.parent_id),
            kind=old.kind,
            number=old.number,
            title=old.title,
            max_points=old.max_points,
            guidance=old.guidance,
            order=old.order,
        )
        copy.save()
        new_ids[old.pk] = copy
    return len(rows)


@transaction.atomic
def cycle_open(*, cluster_year: ClusterYear, by) -> Cycle:
    """Open the year's emulation cycle: its settings and criteria start as a copy of the last
    cycle of the cluster (the clerk then changes what changed). Opening twice gives the same."""
    locked = lock_year(cluster_year)
    require(by, "emulation.keep_cycle", locked, NOT_YOURS)
    existing = Cycle.objects.filter(cluster_year=locked).first()
    if existing is not None:
        return existing
    previous = _previous_cycle(locked)
    cycle = Cycle(cluster_year=locked)
    if previous is not None:
        cycle.divergence_threshold = previous.divergence_threshold
        cycle.tie_break = previous.tie_break
    cycle.full_clean()
    cycle.save()
    if previous is not None:
        _copy_criteria(previous, cycle)
    return cycle


@transaction.atomic
def cycle_settings_save(
    *,
    cycle: Cycle,
    by,
    divergence_threshold: Decimal,
    tie_break: str,
    self_score_due: datetime.date | None = None,
    inspection_due: datetime.date | None = None,
    report_due: datetime.date | None = None,
    dossier_due: datetime.date | None = None,
) -> Cycle:
    """The cluster's settings for the year: the threshold of disagreement, the tie-break rule
    (fixed once the ranking is adopted), the deadlines."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    if locked.ranking_adopted_at is not None and tie_break != locked.tie_break:
        raise ValidationError(
            {
                "tie_break": _(
                    "Bảng xếp hạng đã thông qua: mở lại xếp hạng trước khi đổi cách phân định."
                )
            }
        )
    locked.divergence_threshold = divergence_threshold
    locked.tie_break = tie_break
    locked.self_score_due = self_score_due
    locked.inspection_due = inspection_due
    locked.report_due = report_due
    locked.dossier_due = dossier_due
    locked.full_clean()
    locked.save()
    return locked


def _may_change_criteria(by, cycle: Cycle) -> None:
    require(by, "emulation.keep_cycle", cycle.cluster_year, NOT_YOURS)
    if cycle.criteria_frozen and not can(by, "emulation.keep_frozen_criteria", cycle.cluster_year):
        raise ValidationError(
            _(
                "Bộ tiêu chí đã khóa từ khi bắt đầu chấm điểm (%(day)s); chỉ quản trị viên được "
                "sửa, và mọi thay đổi được lưu vết."
            )
            % {"day": _day(cycle.scoring_started_at)}
        )


def _tree_errors(criterion: Criterion) -> dict[str, str]:
    errors = {}
    parent = criterion.parent
    if parent is not None:
        if parent.cycle_id != criterion.cycle_id:
            errors["parent"] = _("Nhóm cha phải thuộc bộ tiêu chí năm này.")
        elif not parent.is_group:
            errors["parent"] = _("Chỉ đặt tiêu chí dưới một nhóm tiêu chí.")
        else:
            seen, node = set(), parent
            while node is not None and node.pk not in seen:
                if criterion.pk is not None and node.pk == criterion.pk:
                    errors["parent"] = _("Một nhóm không thể nằm trong chính nó.")
                    break
                seen.add(node.pk)
                node = node.parent
    if (
        criterion.pk is not None
        and not criterion.is_group
        and Criterion.objects.filter(parent_id=criterion.pk).exists()
    ):
        errors["kind"] = _("Mục này đang có tiêu chí con: chỉ nhóm tiêu chí mới có mục con.")
    if criterion.is_group:
        criterion.max_points = None
    elif criterion.max_points is None:
        errors["max_points"] = _("Hãy nhập điểm tối đa.")
    return errors


@transaction.atomic
def criterion_save(*, criterion: Criterion, by) -> Criterion:
    """Add or change a group or a criterion of the year's scale. Once scoring began, only the
    admin may, never below a score already given."""
    cycle = _locked_cycle(criterion.cycle)
    _may_change_criteria(by, cycle)
    criterion.number = criterion.number.strip()
    criterion.title = " ".join(criterion.title.split())
    errors = _tree_errors(criterion)
    if errors:
        raise ValidationError(errors)
    if criterion.pk is not None:
        before = Criterion.objects.get(pk=criterion.pk)
        if (
            before.kind != criterion.kind
            and Score.objects.filter(criterion_id=criterion.pk).exists()
        ):
            # the points given would count as something else, or not at all (a group)
            raise ValidationError(
                {
                    "kind": _("Đã có phiếu chấm điểm cho mục này: không đổi được loại (%(kind)s).")
                    % {"kind": before.get_kind_display()}
                }
            )
    if criterion.pk is not None and criterion.max_points is not None:
        above = Score.objects.filter(criterion_id=criterion.pk, points__gt=criterion.max_points)
        if above.exists():
            raise ValidationError(
                {
                    "max_points": _(
                        "Đã có phiếu chấm %(points)s điểm cho tiêu chí này: điểm tối đa không "
                        "thể thấp hơn."
                    )
                    % {"points": selectors.points(max(above.values_list("points", flat=True)))}
                }
            )
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by) -> None:
    cycle = _locked_cycle(criterion.cycle)
    _may_change_criteria(by, cycle)
    scored = Score.objects.filter(criterion__in=_subtree_ids(criterion)).exists()
    if scored:
        raise ValidationError(
            _("Tiêu chí %(number)s đã được chấm điểm: không xóa được.")
            % {"number": criterion.number}
        )
    criterion.delete()


def _subtree_ids(criterion: Criterion) -> list[int]:
    every = list(Criterion.objects.filter(cycle_id=criterion.cycle_id).values("pk", "parent_id"))
    found, frontier = [criterion.pk], [criterion.pk]
    while frontier:
        frontier = [c["pk"] for c in every if c["parent_id"] in frontier]
        found.extend(frontier)
    return found


@transaction.atomic
def scoring_start(*, cycle: Cycle, by) -> Cycle:
    """Freeze the criteria and open the score sheets: every member's own sheet and the agreed one."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    if locked.criteria_frozen:
        return locked
    if not locked.criteria.filter(kind=Criterion.Kind.SCORED).exists():
        raise ValidationError(_("Bộ tiêu chí chưa có tiêu chí chấm điểm nào."))
    locked.scoring_started_at = timezone.now()
    locked.save(update_fields=["scoring_started_at"])
    for unit_id in _member_ids(locked.cluster_year):
        for kind in (ScoreSheet.Kind.SELF, ScoreSheet.Kind.AGREED):
            ScoreSheet.objects.get_or_create(cycle=locked, unit_id=unit_id, kind=kind)
    return locked


@transaction.atomic
def pledge_sign(
    *,
    cycle: Cycle,
    unit: Unit,
    signed_by: str,
    signed_on: datetime.date,
    by,
    upload=None,
) -> Pledge:
    """A member unit's signature under the pledge, with its signed scan when there is one.
    Signing again corrects the record (the history keeps the earlier one)."""
    locked = _locked_cycle(cycle)
    pledge = Pledge.objects.filter(cycle=locked, unit=unit).first() or Pledge(
        cycle=locked, unit=unit
    )
    require(by, "emulation.sign_pledge", pledge, PLEDGE_NOT_YOURS)
    if unit.pk not in _member_ids(locked.cluster_year):
        raise ValidationError(
            {
                "unit": _("%(unit)s không phải thành viên của cụm năm %(year)s.")
                % {"unit": unit, "year": locked.cluster_year.year}
            }
        )
    year = locked.cluster_year.year
    if signed_on is None or not (year - 1 <= signed_on.year <= year):
        raise ValidationError(
            {
                "signed_on": _("Ngày ký phải trong năm %(year)s hoặc cuối năm trước.")
                % {"year": year}
            }
        )
    pledge.signed_by = " ".join((signed_by or "").split())
    pledge.signed_on = signed_on
    pledge.recorded_by = history_user(by)
    if upload is not None:
        pledge.document = source_attach(
            cycle_paper=True,
            cluster_year=locked.cluster_year,
            title=_("Giao ước thi đua năm %(year)s – %(unit)s") % {"year": year, "unit": unit},
            upload=upload,
        )
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def inspection_assign(*, cycle: Cycle, inspector: Unit, unit: Unit, by) -> ScoreSheet:
    """The secretariat assigns `inspector` to inspect `unit` (both members, not the same)."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    if not locked.criteria_frozen:
        raise ValidationError(
            _("Hãy bắt đầu chấm điểm (khóa bộ tiêu chí) trước khi giao kiểm tra chéo.")
        )
    members = _member_ids(locked.cluster_year)
    errors = {}
    for name, who in (("inspector", inspector), ("unit", unit)):
        if who.pk not in members:
            errors[name] = _("%(unit)s không phải thành viên của cụm năm %(year)s.") % {
                "unit": who,
                "year": locked.cluster_year.year,
            }
    if not errors and inspector.pk == unit.pk:
        errors["inspector"] = _("Một đơn vị không tự kiểm tra chéo chính mình.")
    if errors:
        raise ValidationError(errors)
    sheet, _created = ScoreSheet.objects.get_or_create(
        cycle=locked, unit=unit, inspector=inspector, kind=ScoreSheet.Kind.INSPECTION
    )
    year = locked.cluster_year
    notify(
        users=officers_of([inspector.pk]),
        kind="inspection",
        text=_("%(inspector)s được giao kiểm tra chéo %(unit)s năm %(year)s.")
        % {"inspector": inspector, "unit": unit, "year": year.year},
        url=_page_of(year, "scoring", "scores"),
        key=f"inspection:{sheet.pk}",
    )
    return sheet


@transaction.atomic
def inspection_unassign(*, sheet: ScoreSheet, by) -> None:
    locked = _locked_cycle(sheet.cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.kind != ScoreSheet.Kind.INSPECTION:
        raise ValidationError(_("Chỉ bỏ được phiếu kiểm tra chéo."))
    if sheet.is_submitted:
        raise ValidationError(_("Phiếu kiểm tra chéo đã gửi: không bỏ được."))
    sheet.delete()


@dataclass
class Entry:
    """One criterion's line of a sheet as typed: points (None: not scored yet), explanation,
    new evidence files."""

    criterion: Criterion
    points: Decimal | None
    explanation: str = ""
    uploads: Iterable = ()


def _sheet_for_writing(sheet: ScoreSheet, by) -> tuple[Cycle, ScoreSheet]:
    cycle = _locked_cycle(sheet.cycle)
    sheet = (
        # only the sheet's row: PostgreSQL locks no nullable side of an outer join (inspector)
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("unit", "inspector", "cycle__cluster_year")
        .get(pk=sheet.pk)
    )
    if sheet.kind == ScoreSheet.Kind.AGREED:
        require(by, "emulation.keep_cycle", cycle.cluster_year, NOT_YOURS)
    else:
        require(by, "emulation.write_sheet", sheet, SHEET_NOT_YOURS)
    if sheet.is_submitted:
        raise ValidationError(
            _("Phiếu đã gửi lúc %(day)s: không sửa được nữa.") % {"day": _day(sheet.submitted_at)}
        )
    if sheet.kind == ScoreSheet.Kind.AGREED and cycle.ranking_adopted_at is not None:
        raise ValidationError(_("Bảng xếp hạng đã thông qua: mở lại xếp hạng trước khi sửa điểm."))
    return cycle, sheet


@transaction.atomic
def sheet_save(*, sheet: ScoreSheet, entries: list[Entry], by) -> ScoreSheet:
    """Save a sheet's lines: each within its criterion's maximum; an empty line removes its
    score. All lines or none."""
    cycle, sheet = _sheet_for_writing(sheet, by)
    errors = []
    for entry in entries:
        criterion = entry.criterion
        if criterion.cycle_id != cycle.pk or criterion.is_group:
            errors.append(
                _("Tiêu chí %(number)s không chấm điểm được.") % {"number": criterion.number}
            )
            continue
        if entry.points is None:
            continue
        if entry.points < 0:
            errors.append(
                _("Tiêu chí %(number)s: điểm không được âm.") % {"number": criterion.number}
            )
        elif entry.points > criterion.max_points:
            errors.append(
                _("Tiêu chí %(number)s: %(points)s điểm vượt mức tối đa %(max)s.")
                % {
                    "number": criterion.number,
                    "points": selectors.points(entry.points),
                    "max": selectors.points(criterion.max_points),
                }
            )
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
    for entry in entries:
        score = existing.get(entry.criterion.pk)
        uploads = list(entry.uploads)
        if entry.points is None:
            if score is not None and not uploads:
                score.delete()
                continue
            if score is None:
                if uploads:
                    errors.append(
                        _("Tiêu chí %(number)s: hãy nhập điểm trước khi đính kèm tài liệu.")
                        % {"number": entry.criterion.number}
                    )
                continue
        if score is None:
            score = Score(sheet=sheet, criterion=entry.criterion)
        if entry.points is not None:
            score.points = entry.points
        score.explanation = entry.explanation.strip()
        score.full_clean()
        score.save()
        for upload in uploads:
            score.evidence.add(
                source_attach(
                    cycle_paper=True,
                    cluster_year=cycle.cluster_year,
                    title=_("Tài liệu chứng minh tiêu chí %(number)s – %(unit)s")
                    % {"number": entry.criterion.number, "unit": sheet.unit},
                    upload=upload,
                )
            )
    if errors:
        raise ValidationError(errors)
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, by) -> ScoreSheet:
    """Send the sheet: every scored criterion has its points (bonus and penalty lines may stay
    empty: none). After this it is read-only, and an inspecting unit may see the self-score."""
    cycle, sheet = _sheet_for_writing(sheet, by)
    scored = set(sheet.scores.values_list("criterion_id", flat=True))
    missing = [
        row.criterion.number
        for row in selectors.criteria_tree(list(cycle.criteria.all()))
        if row.criterion.kind == Criterion.Kind.SCORED and row.criterion.pk not in scored
    ]
    if missing:
        raise ValidationError(
            _("Còn %(count)s tiêu chí chưa chấm: %(numbers)s.")
            % {"count": len(missing), "numbers": ", ".join(missing)}
        )
    sheet.submitted_at = timezone.now()
    sheet.submitted_by = history_user(by)
    sheet.save(update_fields=["submitted_at", "submitted_by"])
    _tell_disagreements(cycle, sheet)
    return sheet


def _tell_disagreements(cycle: Cycle, sheet: ScoreSheet) -> None:
    """When a unit's own score and an inspection of it are both sent and differ above the
    threshold, its secretariat is told (once per inspection)."""
    if sheet.kind == ScoreSheet.Kind.AGREED:
        return
    found = [
        d
        for d in selectors.divergences(cycle, selectors.sheets_of(cycle))
        if d.unit.pk == sheet.unit_id
    ]
    if not found:
        return
    year = cycle.cluster_year
    for inspector_id in {d.inspector.pk for d in found}:
        mine = [d for d in found if d.inspector.pk == inspector_id]
        notify(
            users=secretariat_of(year.cluster_id),
            kind="divergence",
            text=_(
                "Điểm tự chấm của %(unit)s và điểm kiểm tra chéo của %(inspector)s chênh quá "
                "ngưỡng ở %(count)s tiêu chí (%(numbers)s): cần thảo luận."
            )
            % {
                "unit": mine[0].unit,
                "inspector": mine[0].inspector,
                "count": len(mine),
                "numbers": ", ".join(d.criterion.number for d in mine),
            },
            url=_page_of(year, "scoring", "scores"),
            key=f"divergence:{cycle.pk}:{sheet.unit_id}:{inspector_id}",
        )


@transaction.atomic
def sheet_return(*, sheet: ScoreSheet, by) -> ScoreSheet:
    """The secretariat gives a submitted sheet back to be corrected (before the ranking)."""
    cycle = _locked_cycle(sheet.cycle)
    require(by, "emulation.keep_cycle", cycle.cluster_year, NOT_YOURS)
    if cycle.ranking_adopted_at is not None:
        raise ValidationError(_("Bảng xếp hạng đã thông qua: mở lại xếp hạng trước."))
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if not sheet.is_submitted:
        raise ValidationError(_("Phiếu chưa gửi: không có gì để trả lại."))
    sheet.submitted_at = None
    sheet.submitted_by = None
    sheet.save(update_fields=["submitted_at", "submitted_by"])
    return sheet


@transaction.atomic
def ranking_adopt(*, cycle: Cycle, by) -> list[selectors.Place]:
    """The cluster adopts the ranking of the agreed scores: its first unit becomes the unit
    leading the cluster (a choice by hand stays possible, with a reason: awards.services)."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    members = selectors.members_of(locked.cluster_year)
    places = selectors.ranking(locked, selectors.sheets_of(locked), members)
    missing = [p.unit.short_name for p in places if p.missing]
    if not members:
        raise ValidationError(_("Cụm năm này chưa có đơn vị thành viên."))
    if missing:
        raise ValidationError(
            _("Chưa có điểm thống nhất (đã chốt) của: %(units)s.") % {"units": ", ".join(missing)}
        )
    first = selectors.leader_of(places)
    if first is None:
        tied = [p.unit.short_name for p in places if p.rank == places[0].rank]
        raise ValidationError(
            _(
                "%(units)s bằng điểm nhau ở vị trí thứ nhất, kể cả sau cách phân định của cụm; "
                "hãy chọn đơn vị dẫn đầu bằng tay và nêu lý do."
            )
            % {"units": ", ".join(tied)}
        )
    locked.ranking_adopted_at = timezone.now()
    locked.save(update_fields=["ranking_adopted_at"])
    year = ClusterYear.objects.get(pk=locked.cluster_year_id)
    year.ranked_leader = first.unit
    year.leading_unit = first.unit
    year.leader_reason = ""
    year.save(update_fields=["ranked_leader", "leading_unit", "leader_reason"])
    return places


@transaction.atomic
def ranking_reopen(*, cycle: Cycle, by) -> Cycle:
    """Take the adoption back (scores to correct): the leading unit stays until changed."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    locked.ranking_adopted_at = None
    locked.save(update_fields=["ranking_adopted_at"])
    year = ClusterYear.objects.get(pk=locked.cluster_year_id)
    year.ranked_leader = None
    year.leader_reason = ""
    year.save(update_fields=["ranked_leader", "leader_reason"])
    return locked


# --- the council and the ballot ---------------------------------------------------------------


@transaction.atomic
def council_member_save(*, member: CouncilMember, by) -> CouncilMember:
    locked = _locked_cycle(member.cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    member.name = " ".join(member.name.split())
    member.title = " ".join(member.title.split())
    member.full_clean()
    others = locked.council.exclude(pk=member.pk)
    if any(m.name.casefold() == member.name.casefold() for m in others):
        raise ValidationError({"name": _("%(name)s đã có trong hội đồng.") % {"name": member.name}})
    if locked.counts.exists():
        # the thresholds are on the whole council and the count was checked against who came
        before = CouncilMember.objects.filter(pk=member.pk).first() if member.pk else None
        if before is None or before.attendance != member.attendance:
            raise ValidationError(
                _(
                    "Đã kiểm phiếu: không thêm thành viên hay đổi việc tham dự được nữa "
                    "(chỉ sửa họ tên, chức vụ)."
                )
            )
    member.save()
    return member


@transaction.atomic
def council_member_delete(*, member: CouncilMember, by) -> None:
    locked = _locked_cycle(member.cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    if locked.counts.exists():
        raise ValidationError(_("Đã kiểm phiếu: không bớt thành viên hội đồng được nữa."))
    member.delete()


def _leader_only_problem(cycle: Cycle, award_kind: AwardKind, unit: Unit) -> str | None:
    rule = award_services.rule_in_force(award_kind, cycle.cluster_year)
    if rule is None or not rule.leader_only:
        return None
    leader = cycle.cluster_year.leading_unit
    if leader is None:
        return _(
            "%(award)s chỉ dành cho đơn vị dẫn đầu cụm (%(basis)s); năm này chưa xác định đơn vị "
            "dẫn đầu: thông qua bảng xếp hạng trước."
        ) % {"award": award_kind, "basis": rule.legal_basis}
    if leader.pk != unit.pk:
        return _("%(award)s chỉ dành cho đơn vị dẫn đầu cụm là %(leader)s (%(basis)s).") % {
            "award": award_kind,
            "leader": leader,
            "basis": rule.legal_basis,
        }
    return None


@transaction.atomic
def candidate_add(*, candidate: Candidate, by) -> Candidate:
    """Put a unit or a person on the ballot of an award kind: a member, not disciplined, the
    right kind of recipient, and for a flag kept for the leading unit, that unit."""
    locked = _locked_cycle(candidate.cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    if locked.counts.filter(award_kind=candidate.award_kind).exists():
        raise ValidationError(_("Đã kiểm phiếu hình thức này: không thêm tên được nữa."))
    candidate.person_name = " ".join(candidate.person_name.split())
    errors = award_services.nomination_fit_errors(
        cluster_year=locked.cluster_year,
        award_kind=candidate.award_kind,
        unit=candidate.unit,
        person_name=candidate.person_name,
    )
    problem = _leader_only_problem(locked, candidate.award_kind, candidate.unit)
    if problem:
        errors.setdefault("unit", problem)
    if errors:
        raise ValidationError(errors)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_delete(*, candidate: Candidate, by) -> None:
    locked = _locked_cycle(candidate.cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    if locked.counts.filter(award_kind_id=candidate.award_kind_id).exists():
        raise ValidationError(_("Đã kiểm phiếu hình thức này: không bớt tên được nữa."))
    candidate.delete()


@dataclass
class Tally:
    """What was read from the ballots of one award kind."""

    ballots_cast: int
    blank: int
    spoiled: int
    written: int
    votes: dict  # candidate pk -> (votes at the meeting, written votes)


@transaction.atomic
def ballot_count_save(*, cycle: Cycle, award_kind: AwardKind, tally: Tally, by) -> BallotCount:
    """Record the count of one kind's ballots. The figures must hold together: no more ballots
    than members present, no more written votes than members who sent one, no candidate with
    more votes than valid ballots."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    council = list(locked.council.all())
    if not council:
        raise ValidationError(_("Hãy ghi danh sách thành viên hội đồng trước khi kiểm phiếu."))
    present = sum(m.attendance == CouncilMember.Attendance.PRESENT for m in council)
    writing = sum(m.attendance == CouncilMember.Attendance.WRITTEN for m in council)
    candidates = {
        c.pk: c for c in locked.candidates.filter(award_kind=award_kind).select_related("unit")
    }
    if not candidates:
        raise ValidationError(
            _("Chưa có tên nào trên phiếu bầu %(award)s: không có gì để kiểm.")
            % {"award": award_kind}
        )
    if any(c.nomination_id for c in candidates.values()):
        raise ValidationError(_("Kết quả đã thành đề nghị khen thưởng: không sửa được nữa."))
    errors = []
    if tally.ballots_cast > present:
        errors.append(
            _("Thu về %(cast)s phiếu nhưng chỉ %(present)s thành viên có mặt.")
            % {"cast": tally.ballots_cast, "present": present}
        )
    if tally.blank + tally.spoiled > tally.ballots_cast:
        errors.append(_("Phiếu trắng và phiếu không hợp lệ không thể nhiều hơn số phiếu thu về."))
    if tally.written > writing:
        errors.append(
            _("Nhận %(written)s phiếu bằng văn bản nhưng chỉ %(writing)s thành viên vắng có gửi.")
            % {"written": tally.written, "writing": writing}
        )
    valid = tally.ballots_cast - tally.blank - tally.spoiled
    for pk, (at_meeting, in_writing) in tally.votes.items():
        candidate = candidates.get(pk)
        if candidate is None:
            errors.append(_("Có tên không thuộc phiếu bầu hình thức này."))
            continue
        if at_meeting is not None and at_meeting > valid:
            errors.append(
                _("%(who)s: %(votes)s phiếu đồng ý, nhiều hơn %(valid)s phiếu hợp lệ.")
                % {"who": candidate.label, "votes": at_meeting, "valid": valid}
            )
        if in_writing is not None and in_writing > tally.written:
            errors.append(
                _("%(who)s: %(votes)s phiếu bằng văn bản, nhiều hơn %(written)s phiếu nhận được.")
                % {"who": candidate.label, "votes": in_writing, "written": tally.written}
            )
    if errors:
        raise ValidationError(errors)
    count, _created = BallotCount.objects.update_or_create(
        cycle=locked,
        award_kind=award_kind,
        defaults={
            "ballots_cast": tally.ballots_cast,
            "blank": tally.blank,
            "spoiled": tally.spoiled,
            "written": tally.written,
            "counted_by": history_user(by),
        },
    )
    for pk, (at_meeting, in_writing) in tally.votes.items():
        candidate = candidates[pk]
        candidate.votes_for, candidate.written_for = at_meeting, in_writing
        candidate.save(update_fields=["votes_for", "written_for"])
    return count


@transaction.atomic
def ballot_propose(*, cycle: Cycle, by) -> list:
    """Turn the counted ballots into the cluster's nominations: every candidate that reached
    its kind's threshold on the council's whole membership, within the kind's quota, most votes
    first, through the vote's own service (which checks every rule again). All or none: a
    refusal names the candidate and why."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    results = selectors.ballot_results(locked)
    proposed, errors = [], []
    for result in results:
        if result.count is None:
            continue
        for line in result.lines:
            if not line.elected or line.candidate.nomination_id:
                continue
            candidate = line.candidate
            try:
                nomination = award_services.nomination_propose(
                    cluster_year=locked.cluster_year,
                    award_kind=candidate.award_kind,
                    unit=candidate.unit,
                    person_name=candidate.person_name,
                    person_rank=candidate.person_rank,
                    person_position=candidate.person_position,
                    votes_for=line.total,
                    council_size=result.council_size,
                    rank_order=line.position,
                    by=by,
                )
            except ValidationError as error:
                errors.append(f"{candidate.label}: {' '.join(error.messages)}")
                continue
            candidate.nomination = nomination
            candidate.save(update_fields=["nomination"])
            proposed.append(nomination)
    if errors:
        raise ValidationError(errors)
    if not proposed:
        raise ValidationError(_("Không có tên nào đạt ngưỡng mà chưa thành đề nghị."))
    return proposed


# --- the dossier to the Ministry --------------------------------------------------------------

DOSSIER_NOT_YOURS = gettext_lazy(
    "Chỉ cán bộ thi đua của Bộ hoặc quản trị viên được tiếp nhận, trả lại hồ sơ và ghi quyết định."
)


def _dossier_for_update(cycle: Cycle) -> Dossier:
    dossier, _created = Dossier.objects.get_or_create(cycle=cycle)
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _current_round(dossier: Dossier) -> DossierRound | None:
    return dossier.rounds.order_by("-number").first()


def _lock_for_ministry(cycle: Cycle, by) -> Cycle:
    """The Ministry rules on a dossier whether the year is open or published: the year's row is
    locked (a publish or a reopen waits) but not refused."""
    require(by, "emulation.rule_on_dossier", cycle.cluster_year, DOSSIER_NOT_YOURS)
    ClusterYear.objects.select_for_update().get(pk=cycle.cluster_year_id)
    return Cycle.objects.select_related("cluster_year__cluster", "cluster_year__chair").get(
        pk=cycle.pk
    )


@transaction.atomic
def dossier_scan_add(*, cycle: Cycle, upload, title: str, by) -> Dossier:
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    dossier = _dossier_for_update(locked)
    if dossier.status not in (Dossier.Status.DRAFT, Dossier.Status.RETURNED):
        raise ValidationError(_("Hồ sơ đang ở Bộ: rút lại hoặc chờ Bộ trả lại rồi mới bổ sung."))
    dossier.scans.add(
        source_attach(
            cycle_paper=True,
            cluster_year=locked.cluster_year,
            title=title.strip() or _("Bản scan hồ sơ"),
            upload=upload,
        )
    )
    return dossier


@transaction.atomic
def dossier_submit(*, cycle: Cycle, by, documents: list[tuple[str, bytes]]) -> DossierRound:
    """Send the dossier: the cluster's nominations go to the Ministry (proposed → submitted),
    and the documents as they are now are kept with this round (`documents`: file name and
    content, made by emulation.documents)."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    dossier = _dossier_for_update(locked)
    if dossier.status not in (Dossier.Status.DRAFT, Dossier.Status.RETURNED):
        raise ValidationError(
            _("Hồ sơ đã gửi (%(state)s).") % {"state": dossier.get_status_display()}
        )
    nominations = list(
        Nomination.objects.filter(cluster_year=locked.cluster_year).exclude(
            status=Nomination.Status.WITHDRAWN
        )
    )
    if not nominations:
        raise ValidationError(_("Chưa có đề nghị khen thưởng nào để gửi."))
    for nomination in nominations:
        if nomination.status == Nomination.Status.PROPOSED:
            award_services.nomination_submit(nomination=nomination, by=by)
    previous = _current_round(dossier)
    number = previous.number + 1 if previous else 1
    sent = DossierRound.objects.create(
        dossier=dossier, number=number, submitted_at=timezone.now(), submitted_by=history_user(by)
    )
    for name, content in documents:
        sent.documents.add(
            source_attach(
                cycle_paper=True,
                cluster_year=locked.cluster_year,
                title=_("%(name)s (hồ sơ gửi Bộ lần %(number)s)")
                % {"name": name, "number": number},
                upload=ContentFile(content, name=name),
            )
        )
    sent.documents.add(*dossier.scans.all())
    dossier.status = Dossier.Status.SUBMITTED
    dossier.save(update_fields=["status"])
    return sent


@transaction.atomic
def dossier_recall(*, cycle: Cycle, by) -> Dossier:
    """Take the dossier back before the Ministry received it."""
    locked = _locked_cycle(cycle)
    require(by, "emulation.keep_cycle", locked.cluster_year, NOT_YOURS)
    dossier = _dossier_for_update(locked)
    if dossier.status != Dossier.Status.SUBMITTED:
        raise ValidationError(
            _("Chỉ rút lại được hồ sơ đã gửi mà Bộ chưa tiếp nhận (hiện: %(state)s).")
            % {"state": dossier.get_status_display()}
        )
    sent = _current_round(dossier)
    sent.recalled_at = timezone.now()
    sent.save(update_fields=["recalled_at"])
    dossier.status = Dossier.Status.DRAFT
    dossier.save(update_fields=["status"])
    return dossier


@transaction.atomic
def dossier_receive(*, cycle: Cycle, by) -> Dossier:
    locked = _lock_for_ministry(cycle, by)
    dossier = _dossier_for_update(locked)
    if dossier.status != Dossier.Status.SUBMITTED:
        raise ValidationError(
            _("Chỉ tiếp nhận được hồ sơ đang gửi (hiện: %(state)s).")
            % {"state": dossier.get_status_display()}
        )
    sent = _current_round(dossier)
    sent.received_at = timezone.now()
    sent.received_by = history_user(by)
    sent.save(update_fields=["received_at", "received_by"])
    dossier.status = Dossier.Status.RECEIVED
    dossier.save(update_fields=["status"])
    return dossier


@transaction.atomic
def dossier_return(*, cycle: Cycle, reason: str, by) -> Dossier:
    """The Ministry gives the dossier back with its reason: the cluster corrects and sends it
    again (a new round; this one is kept)."""
    locked = _lock_for_ministry(cycle, by)
    dossier = _dossier_for_update(locked)
    if dossier.status not in (Dossier.Status.SUBMITTED, Dossier.Status.RECEIVED):
        raise ValidationError(
            _("Chỉ trả lại được hồ sơ đang ở Bộ (hiện: %(state)s).")
            % {"state": dossier.get_status_display()}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại hồ sơ.")})
    sent = _current_round(dossier)
    sent.returned_at = timezone.now()
    sent.return_reason = reason
    sent.ruled_by = history_user(by)
    sent.save(update_fields=["returned_at", "return_reason", "ruled_by"])
    dossier.status = Dossier.Status.RETURNED
    dossier.save(update_fields=["status"])
    year = locked.cluster_year
    notify(
        users=secretariat_of(year.cluster_id),
        kind="dossier_returned",
        text=_("Bộ trả lại hồ sơ năm %(year)s (lần gửi %(number)s): %(reason)s")
        % {"year": year.year, "number": sent.number, "reason": reason},
        url=_page_of(year, "dossier"),
        key=f"returned:{sent.pk}",
    )
    return dossier


@dataclass
class Decision:
    nomination: Nomination
    approved: bool
    number: str = ""
    day: datetime.date | None = None
    issuer: str = ""


@transaction.atomic
def dossier_decide(*, cycle: Cycle, decisions: list[Decision], by) -> Dossier:
    """The Ministry's decisions on the dossier's nominations, each through the vote's own
    service (an approval becomes the commendation it grants; a published year takes it as an
    audited late decision). The dossier is decided when no nomination waits any more."""
    locked = _lock_for_ministry(cycle, by)
    dossier = _dossier_for_update(locked)
    if dossier.status != Dossier.Status.RECEIVED:
        raise ValidationError(
            _("Hãy tiếp nhận hồ sơ trước khi ghi quyết định (hiện: %(state)s).")
            % {"state": dossier.get_status_display()}
        )
    errors = []
    for decision in decisions:
        nomination = decision.nomination
        if nomination.cluster_year_id != locked.cluster_year_id:
            raise ValidationError(_("Đề nghị không thuộc hồ sơ này."))
        record = (
            award_services.nomination_amend_decision
            if locked.cluster_year.is_published
            else award_services.nomination_decide
        )
        try:
            record(
                nomination=nomination,
                approved=decision.approved,
                by=by,
                decision_number=decision.number,
                decision_date=decision.day,
                decision_issuer=decision.issuer,
            )
        except ValidationError as error:
            errors.append(f"{nomination.recipient_label}: {' '.join(error.messages)}")
    if errors:
        raise ValidationError(errors)
    year = locked.cluster_year
    decided = [d.nomination for d in decisions]
    if decided:
        notify(
            users=secretariat_of(year.cluster_id) + officers_of({n.unit_id for n in decided}),
            kind="decision",
            text=_("Bộ đã ghi quyết định cho %(count)s đề nghị khen thưởng năm %(year)s.")
            % {"count": len(decided), "year": year.year},
            url=_page_of(year, "dossier"),
        )
    waiting = Nomination.objects.filter(
        cluster_year=locked.cluster_year, status=Nomination.Status.SUBMITTED
    ).exists()
    if not waiting:
        sent = _current_round(dossier)
        sent.decided_at = timezone.now()
        sent.ruled_by = history_user(by)
        sent.save(update_fields=["decided_at", "ruled_by"])
        dossier.status = Dossier.Status.DECIDED
        dossier.save(update_fields=["status"])
    return dossier


# --- deadlines --------------------------------------------------------------------------------


def remind(*, today: datetime.date, days: int = 3) -> int:
    """Tell who still has work due within `days` days (the cycle's deadlines of open years):
    units whose report, self-score or inspection is not in; the secretariat whose dossier is not
    sent. Each account is told once per deadline. Returns how many were told."""
    horizon = today + datetime.timedelta(days=days)
    cycles = Cycle.objects.filter(cluster_year__status=ClusterYear.Status.OPEN).select_related(
        "cluster_year__cluster"
    )
    return sum(_remind_cycle(cycle, today, horizon) for cycle in cycles)


def _remind_cycle(cycle: Cycle, today: datetime.date, horizon: datetime.date) -> int:
    told = 0
    year = cycle.cluster_year

    def due(day):
        return day is not None and today <= day <= horizon

    def tell(users, kind, text, page, anchor=""):
        return len(
            notify(
                users=users,
                kind=kind,
                text=text,
                url=_page_of(year, page, anchor),
                key=f"due:{kind}:{cycle.pk}:{text[:80]}",
            )
        )

    members = _member_ids(year)
    if due(cycle.report_due):
        reported = set(
            UnitReport.objects.filter(cluster_year=year).values_list("unit_id", flat=True)
        )
        late = members - reported
        told += tell(
            officers_of(late),
            "report_due",
            _("Hạn gửi báo cáo năm %(year)s của %(cluster)s: %(day)s.")
            % {
                "year": year.year,
                "cluster": year.cluster,
                "day": f"{cycle.report_due:%d/%m/%Y}",
            },
            "scoring",
        )
    sheets_due = (
        # (sheets of this kind, their deadline, who writes them, the notice's kind and text)
        (
            ScoreSheet.Kind.SELF,
            cycle.self_score_due,
            "unit_id",
            "self_score_due",
            _("Hạn gửi phiếu tự chấm điểm năm %(year)s: %(day)s."),
        ),
        (
            ScoreSheet.Kind.INSPECTION,
            cycle.inspection_due,
            "inspector_id",
            "inspection_due",
            _("Hạn gửi phiếu kiểm tra chéo năm %(year)s: %(day)s."),
        ),
    )
    for kind, deadline, writer, notice_kind, notice in sheets_due:
        if not (due(deadline) and cycle.criteria_frozen):
            continue
        late = set(
            ScoreSheet.objects.filter(
                cycle=cycle, kind=kind, submitted_at__isnull=True
            ).values_list(writer, flat=True)
        )
        told += tell(
            officers_of(late),
            notice_kind,
            notice % {"year": year.year, "day": f"{deadline:%d/%m/%Y}"},
            "scoring",
            "scores",
        )
    if due(cycle.dossier_due):
        sent = Dossier.objects.filter(
            cycle=cycle,
            status__in=[
                Dossier.Status.SUBMITTED,
                Dossier.Status.RECEIVED,
                Dossier.Status.DECIDED,
            ],
        ).exists()
        if not sent:
            told += tell(
                secretariat_of(year.cluster_id),
                "dossier_due",
                _("Hạn gửi hồ sơ đề nghị khen thưởng năm %(year)s về Bộ: %(day)s.")
                % {"year": year.year, "day": f"{cycle.dossier_due:%d/%m/%Y}"},
                "dossier",
            )
    return told
