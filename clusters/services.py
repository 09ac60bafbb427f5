"""Writes that enforce the clusters' business rules. Views, forms, the admin and seed_demo call these."""

import datetime
from collections.abc import Collection, Iterable
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import CommandLine, history_user, require
from clusters import checklist
from clusters.checklist import Item
from clusters.models import (
    SOURCE_FILE_MAX_BYTES,
    SOURCE_FILE_TYPES,
    Cluster,
    ClusterYear,
    Membership,
    MembershipChange,
    PublishEvent,
    Source,
    Unit,
)

NOT_YOURS = _("Chỉ thư ký của cụm hoặc quản trị viên được sửa năm thi đua này.")
ADMIN_ONLY = _("Chỉ quản trị viên được sửa danh mục đơn vị, cụm và mở năm thi đua mới.")


def ensure_year_open(cluster_year: ClusterYear) -> None:
    if cluster_year.is_published:
        raise ValidationError(
            _(
                "Năm thi đua %(year)s của %(cluster)s đã công bố nên không thể sửa; "
                "chỉ quản trị viên mới mở lại được."
            )
            % {"year": cluster_year.year, "cluster": cluster_year.cluster}
        )


def lock_year(cluster_year: ClusterYear) -> ClusterYear:
    """Re-read the year under a row lock inside the writing transaction, and refuse if it is
    published: a save can never land after a publish that committed first. Every write service
    calls this before it writes anything of that year."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_year() must run inside the writing transaction")
    locked = (
        ClusterYear.objects.select_for_update().select_related("cluster").get(pk=cluster_year.pk)
    )
    ensure_year_open(locked)
    cluster_year.status = locked.status
    return locked


def lock_year_for(by, cluster_year: ClusterYear, message: str = "") -> ClusterYear:
    """The secretariat's and the admin's writes: may `by` change this year, and is it open?"""
    locked = lock_year(cluster_year)
    require(by, "clusters.change_clusteryear", locked, message or NOT_YOURS)
    return locked


@transaction.atomic
def unit_save(*, unit: Unit, by) -> Unit:
    require(by, "clusters.keep_units", None, ADMIN_ONLY)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def cluster_save(*, cluster: Cluster, by) -> Cluster:
    require(by, "clusters.keep_units", None, ADMIN_ONLY)
    cluster.full_clean()
    cluster.save()
    return cluster


@transaction.atomic
def catalogue_delete(*, obj: Unit | Cluster, by) -> None:
    """Units and clusters go only while nothing refers to them (the database protects them)."""
    require(by, "clusters.keep_units", None, ADMIN_ONLY)
    obj.delete()


def roster_errors(*, cluster_year: ClusterYear, units: Iterable[Unit]) -> list[str]:
    """Every reason the given roster cannot stand for that ClusterYear, in Vietnamese."""
    units = list(units)
    errors = []
    seen = set()
    for unit in units:
        if unit.pk in seen:
            errors.append(_("%(unit)s có tên hai lần trong danh sách thành viên.") % {"unit": unit})
        seen.add(unit.pk)
        if not unit.is_active_in(cluster_year.year):
            errors.append(
                _("%(unit)s không còn hoạt động trong năm %(year)s nên không thể là thành viên.")
                % {"unit": unit, "year": cluster_year.year}
            )
    elsewhere = (
        Membership.objects.filter(year=cluster_year.year, unit__in=seen)
        .exclude(cluster_year__cluster_id=cluster_year.cluster_id)
        .select_related("unit", "cluster_year__cluster")
    )
    for membership in elsewhere:
        errors.append(
            _(
                "%(unit)s đã là thành viên của %(other)s trong năm %(year)s; "
                "một đơn vị chỉ thuộc một cụm thi đua trong một năm."
            )
            % {
                "unit": membership.unit,
                "other": membership.cluster_year.cluster,
                "year": cluster_year.year,
            }
        )
    return errors


def chair_errors(
    *, chair: Unit | None, vice_chair: Unit | None, member_ids: Iterable[int]
) -> dict[str, str]:
    """Reasons the chair and vice-chair cannot stand, keyed by field name."""
    member_ids = set(member_ids)
    errors = {}
    if chair and vice_chair and chair.pk == vice_chair.pk:
        errors["vice_chair"] = _("Cụm trưởng và Phó Cụm trưởng phải là hai đơn vị khác nhau.")
    if chair and chair.pk not in member_ids:
        errors["chair"] = _(
            "%(unit)s không có trong danh sách thành viên năm này nên không thể làm Cụm trưởng."
        ) % {"unit": chair}
    if vice_chair and vice_chair.pk not in member_ids and "vice_chair" not in errors:
        errors["vice_chair"] = _(
            "%(unit)s không có trong danh sách thành viên năm này nên không thể làm Phó Cụm trưởng."
        ) % {"unit": vice_chair}
    return errors


@transaction.atomic
def cluster_year_create(
    *,
    by,
    cluster: Cluster,
    year: int,
    units: Iterable[Unit] = (),
    chair: Unit | None = None,
    vice_chair: Unit | None = None,
    handover_date: datetime.date | None = None,
    handover_note: str = "",
) -> ClusterYear:
    require(by, "clusters.open_clusteryear", None, ADMIN_ONLY)
    cluster_year = ClusterYear(cluster=cluster, year=year)
    cluster_year.full_clean()
    cluster_year.save()
    cluster_year_set_roster(cluster_year=cluster_year, units=units, by=by)
    if chair or vice_chair:
        cluster_year_set_chairs(
            by=by,
            cluster_year=cluster_year,
            chair=chair,
            vice_chair=vice_chair,
            handover_date=handover_date,
            handover_note=handover_note,
        )
    return cluster_year


@transaction.atomic
def cluster_year_set_roster(*, cluster_year: ClusterYear, units: Iterable[Unit], by) -> None:
    """Make the roster exactly `units`; the chair and vice-chair must stay members."""
    cluster_year = lock_year_for(by, cluster_year)
    units = list(units)
    errors = roster_errors(cluster_year=cluster_year, units=units)
    errors += chair_errors(
        chair=cluster_year.chair,
        vice_chair=cluster_year.vice_chair,
        member_ids=[u.pk for u in units],
    ).values()
    if errors:
        raise ValidationError(errors)
    _apply_roster(cluster_year, units)


def _apply_roster(cluster_year: ClusterYear, units: list[Unit]) -> None:
    wanted = {u.pk for u in units}
    cluster_year.memberships.exclude(unit__in=wanted).delete()
    present = set(cluster_year.memberships.values_list("unit_id", flat=True))
    for unit in units:
        if unit.pk not in present:
            membership = Membership(cluster_year=cluster_year, unit=unit, year=cluster_year.year)
            membership.full_clean()
            membership.save()


@transaction.atomic
def cluster_year_set_chairs(
    *,
    by,
    cluster_year: ClusterYear,
    chair: Unit | None,
    vice_chair: Unit | None,
    handover_date: datetime.date | None = None,
    handover_note: str = "",
) -> ClusterYear:
    lock_year_for(by, cluster_year)
    member_ids = cluster_year.memberships.values_list("unit_id", flat=True)
    errors = chair_errors(chair=chair, vice_chair=vice_chair, member_ids=member_ids)
    if errors:
        raise ValidationError(errors)
    cluster_year.chair = chair
    cluster_year.vice_chair = vice_chair
    cluster_year.handover_date = handover_date
    cluster_year.handover_note = handover_note
    cluster_year.full_clean()
    cluster_year.save(update_fields=["chair", "vice_chair", "handover_date", "handover_note"])
    return cluster_year


def leader_errors(cluster_year: ClusterYear, unit: Unit | None, member_ids) -> dict[str, str]:
    """A leading unit must be a member; once the cluster has adopted its ranking, a unit other
    than the ranking's first needs the reason it was chosen by hand (`leader_reason`)."""
    if unit is not None and unit.pk not in set(member_ids):
        return {
            "leading_unit": _("%(unit)s không phải thành viên của cụm năm %(year)s.")
            % {"unit": unit, "year": cluster_year.year}
        }
    ranked = cluster_year.ranked_leader_id
    if (
        ranked is not None
        and unit is not None
        and unit.pk != ranked
        and not cluster_year.leader_reason.strip()
    ):
        return {
            "leader_reason": _(
                "Bảng xếp hạng đã thông qua đặt %(ranked)s đứng đầu cụm; chọn %(unit)s làm đơn vị "
                "dẫn đầu thì phải nêu lý do."
            )
            % {"ranked": cluster_year.ranked_leader, "unit": unit}
        }
    return {}


def leader_by_hand(cluster_year: ClusterYear) -> bool:
    """Whether the leading unit was chosen against the adopted ranking (its reason is shown
    wherever the leader is)."""
    return (
        cluster_year.leading_unit_id is not None
        and cluster_year.ranked_leader_id is not None
        and cluster_year.leading_unit_id != cluster_year.ranked_leader_id
    )


@transaction.atomic
def cluster_year_save(
    *, cluster_year: ClusterYear, by, units: Iterable[Unit] | None = None
) -> ClusterYear:
    """A year's own fields as a whole (the admin's form, a workbook row): a new year is the
    admin's; an existing one is its secretariat's or the admin's while it is open. Status
    moves only through publish and reopen."""
    if cluster_year.pk is None:
        require(by, "clusters.open_clusteryear", None, ADMIN_ONLY)
        cluster_year.status = ClusterYear.Status.OPEN
        member_ids = set()
    else:
        locked = lock_year_for(by, cluster_year)
        cluster_year.status = locked.status
        cluster_year.ranked_leader_id = locked.ranked_leader_id
        if (cluster_year.cluster_id, cluster_year.year) != (locked.cluster_id, locked.year):
            raise ValidationError(_("Không đổi được cụm hay năm của một năm thi đua đã có."))
        member_ids = set(cluster_year.memberships.values_list("unit_id", flat=True))
    roster_problems = []
    if units is not None:
        units = list(units)
        member_ids = {unit.pk for unit in units}
        roster_problems = roster_errors(cluster_year=cluster_year, units=units)
    errors = chair_errors(
        chair=cluster_year.chair, vice_chair=cluster_year.vice_chair, member_ids=member_ids
    )
    errors.update(leader_errors(cluster_year, cluster_year.leading_unit, member_ids))
    if errors or roster_problems:
        raise ValidationError([*roster_problems, *errors.values()])
    if not leader_by_hand(cluster_year):
        cluster_year.leader_reason = ""
    cluster_year.full_clean()
    cluster_year.save()
    if units is not None:
        _apply_roster(cluster_year, units)
    return cluster_year


@transaction.atomic
def membership_add(*, membership: Membership, by) -> Membership:
    """One unit onto a year's roster (a workbook row)."""
    cluster_year = lock_year_for(by, membership.cluster_year)
    membership.year = cluster_year.year
    errors = roster_errors(cluster_year=cluster_year, units=[membership.unit])
    if errors:
        raise ValidationError(errors)
    membership.full_clean()
    membership.save()
    return membership


class _AcceptAll:
    """What the command line accepts when it publishes (seed_demo): every item, as it finds them."""

    def __repr__(self):
        return "ALL"


ALL = _AcceptAll()


def locked_message(cluster_year: ClusterYear) -> str:
    """What someone who could edit the year while open is told once it is published."""
    return _("Năm %(year)s đã công bố và khóa; chỉ quản trị viên mở lại được.") % {
        "year": cluster_year.year
    }


def _not_accepted_message(items: list[Item]) -> str:
    return _(
        "Chưa công bố: còn %(count)s mục chưa được đánh dấu chấp nhận "
        "(danh sách có thể đã thay đổi từ lúc mở trang): %(items)s"
    ) % {"count": len(items), "items": " ".join(item.text for item in items)}


@transaction.atomic
def cluster_year_publish(
    *,
    cluster_year: ClusterYear,
    by,
    accepted: Collection[str] | _AcceptAll | None = None,
    note: str = "",
) -> ClusterYear:
    """Publish the year: it becomes public and read-only for everyone but an admin.

    The checklist (clusters.checklist) is read again under the year's lock: every item still
    unfinished must be in `accepted` (its keys, as the clerk ticked them on the page), or nothing
    is published. `accepted=ALL` takes every item as found, for the command line only (seed_demo
    has no clerk to tick); a person who names nothing accepts nothing, the command line that
    names nothing accepts all. The items accepted are kept with the publish event."""
    if accepted is None:
        accepted = ALL if isinstance(by, CommandLine) else frozenset()
    if accepted is ALL and not isinstance(by, CommandLine):
        raise PermissionDenied(_("Hãy đánh dấu từng mục còn dở trước khi công bố."))
    locked = lock_year_for(by, cluster_year)
    items = checklist.items_for(locked)
    if accepted is not ALL:
        left = [item for item in items if item.key not in accepted]
        if left:
            raise ValidationError(_not_accepted_message(left))
    cluster_year.status = ClusterYear.Status.PUBLISHED
    cluster_year.save(update_fields=["status"])
    PublishEvent.objects.create(
        cluster_year=locked,
        action=PublishEvent.Action.PUBLISH,
        by=history_user(by),
        checklist=[item.as_dict() for item in items],
        note=note[:300],
    )
    return cluster_year


@transaction.atomic
def cluster_year_reopen(*, cluster_year: ClusterYear, by, note: str = "") -> ClusterYear:
    """Only an admin reopens a published year; the reopen is kept beside the publishes."""
    require(
        by,
        "clusters.reopen_clusteryear",
        cluster_year,
        _("Chỉ quản trị viên mới mở lại được năm thi đua đã công bố."),
    )
    locked = ClusterYear.objects.select_for_update().get(pk=cluster_year.pk)
    if not locked.is_published:
        cluster_year.status = locked.status
        return cluster_year
    cluster_year.status = ClusterYear.Status.OPEN
    cluster_year.save(update_fields=["status"])
    PublishEvent.objects.create(
        cluster_year=locked,
        action=PublishEvent.Action.REOPEN,
        by=history_user(by),
        note=note[:300],
    )
    return cluster_year


# --- the year's lifecycle: the next year, its members, the handover ----------------------------

OPEN_NEXT_NOT_YOURS = _("Chỉ thư ký của cụm hoặc quản trị viên được mở năm thi đua tiếp theo.")


def has_reports(cluster_year: ClusterYear) -> bool:
    """Whether a unit has filed its report for the year. The reverse relation is read by name
    (reports.UnitReport.cluster_year, related_name "unit_reports"): clusters imports no app above."""
    return cluster_year.unit_reports.exists()


def _next_roster(current: ClusterYear, year: int) -> list[Unit]:
    """This year's members that still exist next year; a unit merged away is followed by its
    successor (the 2025 merger of provinces), once."""
    roster, seen = [], set()
    for membership in current.memberships.select_related("unit__successor"):
        unit = membership.unit
        while unit is not None and not unit.is_active_in(year):
            unit = unit.successor
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            roster.append(unit)
    return roster


@transaction.atomic
def cluster_year_open_next(*, cluster_year: ClusterYear, by) -> ClusterYear:
    """Open year+1 of the cluster with this year's roster. The current year's row is locked so
    that two clerks opening it at once make one year, not an error page."""
    require(by, "clusters.open_next_clusteryear", cluster_year, OPEN_NEXT_NOT_YOURS)
    current = (
        ClusterYear.objects.select_for_update().select_related("cluster").get(pk=cluster_year.pk)
    )
    year = current.year + 1
    later = ClusterYear.objects.filter(cluster_id=current.cluster_id, year__gt=current.year)
    if later.exclude(year=year).exists():
        raise ValidationError(
            _("Chỉ mở năm tiếp theo từ năm mới nhất của %(cluster)s.")
            % {"cluster": current.cluster}
        )
    if ClusterYear.objects.filter(cluster_id=current.cluster_id, year=year).exists():
        raise ValidationError(
            _("Năm %(year)s của %(cluster)s đã được mở.")
            % {"year": year, "cluster": current.cluster}
        )
    units = _next_roster(current, year)
    next_year = ClusterYear(cluster=current.cluster, year=year, status=ClusterYear.Status.OPEN)
    errors = roster_errors(cluster_year=next_year, units=units)
    if errors:
        raise ValidationError(errors)
    next_year.full_clean()
    next_year.save()
    _apply_roster(next_year, units)
    return next_year


@transaction.atomic
def membership_change(
    *,
    cluster_year: ClusterYear,
    unit: Unit,
    action: str,
    by,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> MembershipChange:
    """Add a unit to the year's roster or remove one, and keep why. Until the first report of
    the year is filed the roster is still being set up and the Ministry's decision is optional;
    after that, its number and date are required."""
    locked = lock_year_for(by, cluster_year)
    change = MembershipChange(
        cluster_year=locked,
        unit=unit,
        action=action,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        note=note.strip(),
        by=history_user(by),
    )
    errors: dict[str, list[str]] = {}
    if has_reports(locked):
        if not change.decision_number:
            errors["decision_number"] = [
                _("Năm đã có đơn vị nộp báo cáo: hãy ghi số quyết định của Bộ.")
            ]
        if change.decision_date is None:
            errors["decision_date"] = [_("Năm đã có đơn vị nộp báo cáo: hãy ghi ngày quyết định.")]
    member = locked.memberships.filter(unit=unit).first()
    if action == MembershipChange.Action.ADD:
        if member is not None:
            errors.setdefault("unit", []).append(
                _("%(unit)s đã là thành viên năm %(year)s.") % {"unit": unit, "year": locked.year}
            )
        else:
            problems = roster_errors(cluster_year=locked, units=[unit])
            if problems:
                errors.setdefault("unit", []).extend(problems)
    elif action == MembershipChange.Action.REMOVE:
        if member is None:
            errors.setdefault("unit", []).append(
                _("%(unit)s không phải thành viên năm %(year)s.")
                % {"unit": unit, "year": locked.year}
            )
        elif unit.pk == locked.leading_unit_id:
            errors.setdefault("unit", []).append(
                _("%(unit)s là đơn vị dẫn đầu cụm năm %(year)s: đổi đơn vị dẫn đầu trước.")
                % {"unit": unit, "year": locked.year}
            )
        elif (
            locked.unit_reports.filter(unit=unit).exists()
            or locked.nominations.filter(unit=unit).exists()
            or Unit.objects.filter(pk=unit.pk, contributions__fund__cluster_year=locked).exists()
        ):
            # Its figures would stay in the year's totals, votes and funds with no member behind
            # them: what it filed is corrected or removed first, where it was written.
            errors.setdefault("unit", []).append(
                _(
                    "%(unit)s đã có báo cáo, đề nghị khen thưởng hoặc khoản đóng góp năm %(year)s: "
                    "xóa hoặc chuyển các số liệu đó trước khi rút đơn vị khỏi cụm."
                )
                % {"unit": unit, "year": locked.year}
            )
        elif unit.pk in (locked.chair_id, locked.vice_chair_id):
            errors.setdefault("unit", []).append(
                _(
                    "%(unit)s đang là Cụm trưởng hoặc Phó Cụm trưởng năm %(year)s: "
                    "đổi Cụm trưởng, Phó Cụm trưởng trước."
                )
                % {"unit": unit, "year": locked.year}
            )
    if errors:
        raise ValidationError(errors)
    change.full_clean()
    if action == MembershipChange.Action.ADD:
        membership = Membership(cluster_year=locked, unit=unit, year=locked.year)
        membership.full_clean()
        membership.save()
    else:
        member.delete()
    change.save()
    return change


@transaction.atomic
def handover_record(
    *,
    cluster_year: ClusterYear,
    by,
    chair: Unit | None,
    vice_chair: Unit | None,
    handover_date: datetime.date | None = None,
    note: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> ClusterYear:
    """This year's secretariat hands the chair over: next year's chair and vice-chair, the day,
    and the Ministry's decision when the chair was assigned by one rather than by rotation. Kept
    on next year's ClusterYear, which is opened now (roster copied) if it is not yet."""
    require(by, "clusters.open_next_clusteryear", cluster_year, OPEN_NEXT_NOT_YOURS)
    decision_number = decision_number.strip()
    if bool(decision_number) != (decision_date is not None):
        field = "decision_date" if decision_number else "decision_number"
        raise ValidationError({field: _("Quyết định chỉ định Cụm trưởng cần ghi cả số và ngày.")})
    next_year = ClusterYear.objects.filter(
        cluster_id=cluster_year.cluster_id, year=cluster_year.year + 1
    ).first() or cluster_year_open_next(cluster_year=cluster_year, by=by)
    cluster_year_set_chairs(
        by=by,
        cluster_year=next_year,
        chair=chair,
        vice_chair=vice_chair,
        handover_date=handover_date,
        handover_note=note.strip(),
    )
    next_year.chair_decision_number = decision_number
    next_year.chair_decision_date = decision_date
    next_year.full_clean()
    next_year.save(update_fields=["chair_decision_number", "chair_decision_date"])
    return next_year


@transaction.atomic
def unit_merge(*, unit: Unit, successor: Unit, ended_on: datetime.date, by) -> Unit:
    """Record that `unit` ended on `ended_on` and was merged into `successor`.
    Its history stays under its own name."""
    require(by, "clusters.keep_units", None, ADMIN_ONLY)
    if unit.pk == successor.pk:
        raise ValidationError({"successor": _("Đơn vị không thể kế thừa chính nó.")})
    if successor.ended_on and successor.ended_on <= ended_on:
        raise ValidationError(
            {
                "successor": _("%(unit)s đã kết thúc trước ngày hợp nhất nên không thể kế thừa.")
                % {"unit": successor}
            }
        )
    later = unit.memberships.filter(year__gt=ended_on.year).order_by("year")
    if later:
        raise ValidationError(
            {
                "ended_on": _(
                    "%(unit)s vẫn có tên trong danh sách thành viên năm %(year)s, sau ngày kết thúc."
                )
                % {"unit": unit, "year": later[0].year}
            }
        )
    unit.ended_on = ended_on
    unit.successor = successor
    unit.full_clean()
    unit.save()
    return unit


# --- sources: the documents behind figures and records -------------------------------------------

SOURCE_NOT_YOURS = _("Chỉ thư ký của cụm năm đó hoặc quản trị viên được ghi nguồn tài liệu.")
# What a file of each type begins with: the name alone is the uploader's word, the bytes are not.
_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


def source_file_errors(upload) -> list[str]:
    """Why an uploaded file cannot be kept as a source's file (type, size, content)."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in SOURCE_FILE_TYPES:
        return [
            _("Chỉ nhận tệp %(types)s.")
            % {"types": ", ".join(sorted({s.lstrip(".").upper() for s in SOURCE_FILE_TYPES}))}
        ]
    if upload.size > SOURCE_FILE_MAX_BYTES:
        return [
            _("Tệp lớn quá: tối đa %(mb)s MB.") % {"mb": SOURCE_FILE_MAX_BYTES // (1024 * 1024)}
        ]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_MAGIC[suffix]):
        return [
            _("Nội dung tệp không phải %(type)s như tên tệp cho biết.")
            % {"type": suffix.lstrip(".").upper()}
        ]
    return []


@transaction.atomic
def source_save(*, source, by, upload=None):
    """Add or change a source. Adding one to a published year is allowed (documents arrive late
    and change no figure); changing one of a published year is the admin's."""
    year = source.cluster_year
    if year is not None:
        year = ClusterYear.objects.select_for_update().get(pk=year.pk)
    require(by, "clusters.keep_source", source, SOURCE_NOT_YOURS)
    if source.pk and year is not None and year.is_published:
        stored = Source.objects.get(pk=source.pk)
        if stored.cluster_year_id != source.cluster_year_id or not by.is_admin_role:
            ensure_year_open(year)
    if source.pk:
        stored_year = Source.objects.values_list("cluster_year_id", flat=True).get(pk=source.pk)
        if stored_year != source.cluster_year_id:
            raise ValidationError(_("Nguồn tài liệu không chuyển sang năm khác được."))
    if upload is None and source.file and not source.file._committed:
        upload = source.file.file  # a ModelForm (the admin) assigned the upload to the field
    if upload is not None:
        errors = source_file_errors(upload)
        if errors:
            raise ValidationError({"file": errors})
        source.file_name = (upload.name or "")[-200:]
        source.file.save(upload.name, upload, save=False)
    source.full_clean()
    source.save()
    return source


def source_attach(*, cluster_year: ClusterYear, title: str, upload=None, **fields) -> Source:
    """A document a service keeps with what it wrote (a signed pledge, a score's evidence, a
    decision the Ministry recorded), after asking its own rule and locking the year: checked and
    stored like any source's file, seen by whoever may see the year."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("source_attach() must run inside the writing transaction")
    source = Source(cluster_year=cluster_year, title=title[:300], **fields)
    if upload is not None:
        errors = source_file_errors(upload)
        if errors:
            raise ValidationError({"file": errors})
        source.file_name = (upload.name or "")[-200:]
        source.file.save(upload.name, upload, save=False)
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_delete(*, source, by) -> None:
    require(by, "clusters.keep_source", source, SOURCE_NOT_YOURS)
    if source.cluster_year_id:
        year = ClusterYear.objects.select_for_update().get(pk=source.cluster_year_id)
        if not by.is_admin_role:
            ensure_year_open(year)
    name, storage = source.file.name, source.file.storage
    source.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
