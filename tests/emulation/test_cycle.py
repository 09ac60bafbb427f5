"""The emulation cycle's services: criteria and their maxima, the freeze, the pledge, scores and
who sees them, disagreements, the ranking and the leading unit it names."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import COMMAND_LINE
from awards import services as award_services
from clusters.models import ClusterYear
from clusters.services import leader_by_hand
from emulation import selectors, services
from emulation.models import Criterion, Cycle, Pledge, ScoreSheet, TieBreak
from tests.emulation.conftest import D, add, criteria, fill

pytestmark = pytest.mark.django_db


def sheet(cycle, unit, kind=ScoreSheet.Kind.SELF):
    return ScoreSheet.objects.get(cycle=cycle, unit=unit, kind=kind)


def started(cycle):
    return services.scoring_start(cycle=cycle, by=COMMAND_LINE)


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# criteria


def test_the_scale_adds_criteria_bonus_and_penalty_apart(cycle):
    scale = selectors.scale(list(cycle.criteria.all()))
    assert scale == {"scored": D("100"), "bonus": D("5"), "penalty": D("10")}
    rows = selectors.criteria_tree(list(cycle.criteria.all()))
    assert [(r.criterion.number, r.depth) for r in rows] == [
        ("I", 0),
        ("1", 1),
        ("2", 1),
        ("II", 0),
        ("3", 1),
        ("4", 0),
        ("5", 0),
    ]


def test_a_criterion_needs_its_maximum_and_sits_only_under_a_group(cycle):
    found = criteria(cycle)
    with pytest.raises(ValidationError) as excinfo:
        add(cycle, "6", "Không có điểm")
    assert "Hãy nhập điểm tối đa." in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        add(cycle, "6", "Dưới một tiêu chí", max_points=D("1"), parent=found["1"])
    assert "Chỉ đặt tiêu chí dưới một nhóm tiêu chí." in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        add(cycle, "1", "Trùng số", max_points=D("1"))
    assert "Số thứ tự này đã có trong bộ tiêu chí năm nay." in messages(excinfo)


def test_a_group_cannot_be_put_inside_itself(cycle):
    found = criteria(cycle)
    inner = add(cycle, "I.a", "Nhóm con", kind=Criterion.Kind.GROUP, parent=found["I"])
    group = found["I"]
    group.parent = inner
    with pytest.raises(ValidationError) as excinfo:
        services.criterion_save(criterion=group, by=COMMAND_LINE)
    assert "Một nhóm không thể nằm trong chính nó." in messages(excinfo)


def test_the_next_year_starts_from_a_copy_of_the_last_criteria(cycle, cluster_ii):
    """2024's criteria copied into 2025's cycle: the same tree, new rows."""
    next_year = ClusterYear.objects.create(cluster=cluster_ii.cluster, year=2025)
    copy = services.cycle_open(cluster_year=next_year, by=COMMAND_LINE)
    copied = selectors.criteria_tree(list(copy.criteria.all()))
    original = selectors.criteria_tree(list(cycle.criteria.all()))
    assert [(r.criterion.number, r.depth, r.criterion.max_points) for r in copied] == [
        (r.criterion.number, r.depth, r.criterion.max_points) for r in original
    ]
    assert not {r.criterion.pk for r in copied} & {r.criterion.pk for r in original}
    assert criteria(copy)["1"].parent == criteria(copy)["I"]
    assert services.cycle_open(cluster_year=next_year, by=COMMAND_LINE) == copy


def test_the_criteria_freeze_when_scoring_begins_except_for_the_admin(cycle, secretary, admin_user):
    found = criteria(cycle)
    services.criterion_save(criterion=found["1"], by=secretary)  # before: the secretariat may
    started(cycle)
    one = criteria(cycle)["1"]
    one.max_points = D("35")
    with pytest.raises(ValidationError) as excinfo:
        services.criterion_save(criterion=one, by=secretary)
    assert "Bộ tiêu chí đã khóa từ khi bắt đầu chấm điểm" in messages(excinfo)
    with pytest.raises(ValidationError):
        services.criterion_delete(criterion=criteria(cycle)["4"], by=secretary)
    services.criterion_save(criterion=one, by=admin_user)
    one.refresh_from_db()
    assert one.max_points == D("35")
    latest = one.history.first()
    assert latest.history_user == admin_user or latest.max_points == D("35")


def test_a_maximum_is_not_lowered_below_a_score_given(cycle, admin_user):
    started(cycle)
    lai_chau = cycle.cluster_year.memberships.get(unit__slug="lai-chau").unit
    fill(sheet(cycle, lai_chau), COMMAND_LINE, submit=False, c1=28)
    one = criteria(cycle)["1"]
    one.max_points = D("25")
    with pytest.raises(ValidationError) as excinfo:
        services.criterion_save(criterion=one, by=admin_user)
    assert "Đã có phiếu chấm 28 điểm cho tiêu chí này" in messages(excinfo)


# scores


def test_points_above_a_maximum_or_below_zero_are_refused_and_nothing_is_written(
    cycle, cluster_ii, officer_laichau
):
    started(cycle)
    own = sheet(cycle, cluster_ii.units["lai-chau"])
    with pytest.raises(ValidationError) as excinfo:
        fill(own, officer_laichau, submit=False, c1=20, c2="40.5")
    assert "Tiêu chí 2: 40,5 điểm vượt mức tối đa 40." in messages(excinfo)
    assert not own.scores.exists()
    with pytest.raises(ValidationError) as excinfo:
        fill(own, officer_laichau, submit=False, c5=-1)
    assert "Tiêu chí 5: điểm không được âm." in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        fill(own, officer_laichau, submit=False, cI=1)
    assert "Tiêu chí I không chấm điểm được." in messages(excinfo)


def test_penalties_are_taken_away_and_bonuses_added(cycle, cluster_ii, officer_laichau):
    started(cycle)
    own = fill(
        sheet(cycle, cluster_ii.units["lai-chau"]),
        officer_laichau,
        c1=28,
        c2=35,
        c3=30,
        c4=2,
        c5="3.5",
    )
    result = selectors.totals(own.scores.select_related("criterion"))
    assert (result.scored, result.bonus, result.penalty, result.total) == (
        D("93"),
        D("2"),
        D("3.5"),
        D("91.5"),
    )


def test_a_sheet_is_submitted_only_with_every_criterion_scored_then_frozen(
    cycle, cluster_ii, officer_laichau
):
    started(cycle)
    own = sheet(cycle, cluster_ii.units["lai-chau"])
    fill(own, officer_laichau, submit=False, c1=28)
    with pytest.raises(ValidationError) as excinfo:
        services.sheet_submit(sheet=own, by=officer_laichau)
    assert "Còn 2 tiêu chí chưa chấm: 2, 3." in messages(excinfo)
    fill(own, officer_laichau, c2=35, c3=30)
    with pytest.raises(ValidationError) as excinfo:
        fill(own, officer_laichau, submit=False, c1=29)
    assert "Phiếu đã gửi lúc" in messages(excinfo)


def test_a_unit_writes_its_own_sheet_not_another_units(cycle, cluster_ii, officer_laichau):
    started(cycle)
    with pytest.raises(PermissionDenied):
        fill(sheet(cycle, cluster_ii.units["son-la"]), officer_laichau, submit=False, c1=1)
    with pytest.raises(PermissionDenied):
        fill(
            sheet(cycle, cluster_ii.units["lai-chau"], ScoreSheet.Kind.AGREED),
            officer_laichau,
            submit=False,
            c1=1,
        )
    with pytest.raises(PermissionDenied):
        services.inspection_assign(
            cycle=cycle,
            inspector=cluster_ii.units["lai-chau"],
            unit=cluster_ii.units["son-la"],
            by=officer_laichau,
        )


def test_an_inspector_sees_the_self_score_only_after_submitting_its_own(
    cycle, cluster_ii, secretary, officer_laichau, officer_sonla
):
    started(cycle)
    lai_chau, son_la = cluster_ii.units["lai-chau"], cluster_ii.units["son-la"]
    fill(sheet(cycle, son_la), officer_sonla, c1=30, c2=40, c3=30)
    inspection = services.inspection_assign(
        cycle=cycle, inspector=lai_chau, unit=son_la, by=secretary
    )

    def sees(user, target):
        sheets = selectors.sheets_of(cycle)
        found = next(s for s in sheets if s.pk == target.pk)
        return selectors.may_see(user, found, sheets, cycle)

    own_of_son_la = sheet(cycle, son_la)
    assert not sees(officer_laichau, own_of_son_la)
    assert sees(officer_laichau, inspection)  # its own work
    assert not sees(officer_sonla, inspection)  # the inspected unit waits for it too
    assert sees(secretary, own_of_son_la)
    fill(inspection, officer_laichau, submit=False, c1=25)
    assert not sees(officer_laichau, own_of_son_la)
    fill(inspection, officer_laichau, c2=40, c3=30)
    assert sees(officer_laichau, own_of_son_la)
    assert sees(officer_sonla, ScoreSheet.objects.get(pk=inspection.pk))
    assert not sees(officer_laichau, sheet(cycle, cluster_ii.units["dien-bien"]))


def test_disagreements_above_the_threshold_are_flagged(cycle, cluster_ii, secretary):
    started(cycle)
    lai_chau, son_la = cluster_ii.units["lai-chau"], cluster_ii.units["son-la"]
    fill(sheet(cycle, son_la), COMMAND_LINE, c1=30, c2=40, c3=30, c5=0)
    inspection = services.inspection_assign(
        cycle=cycle, inspector=lai_chau, unit=son_la, by=secretary
    )
    # threshold 2: a difference of 2 is not flagged, 2.5 and a penalty of 3 are
    fill(inspection, COMMAND_LINE, c1=28, c2="37.5", c3=30, c5=3)
    found = selectors.divergences(cycle, selectors.sheets_of(cycle))
    assert [(d.criterion.number, d.own, d.inspected) for d in found] == [
        ("2", D("40"), D("37.5")),
        ("5", D("0"), D("3")),
    ]
    assert found[0].difference == D("2.5")
    services.cycle_settings_save(
        cycle=cycle, by=secretary, divergence_threshold=D("3"), tie_break=cycle.tie_break
    )
    cycle.refresh_from_db()
    assert [
        d.criterion.number for d in selectors.divergences(cycle, selectors.sheets_of(cycle))
    ] == []


# ranking


def agree(cycle, unit, **points):
    return fill(sheet(cycle, unit, ScoreSheet.Kind.AGREED), COMMAND_LINE, **points)


def agree_all(cycle, cluster_ii, scores):
    """scores: {slug: (c1, c2, c3, bonus, penalty)}; the other members get 50 points."""
    for membership in cycle.cluster_year.memberships.select_related("unit"):
        c1, c2, c3, c4, c5 = scores.get(membership.unit.slug, (10, 20, 20, 0, 0))
        agree(cycle, membership.unit, c1=c1, c2=c2, c3=c3, c4=c4, c5=c5)


def places(cycle):
    cycle.refresh_from_db()
    return selectors.ranking(
        cycle, selectors.sheets_of(cycle), selectors.members_of(cycle.cluster_year)
    )


def test_ties_are_broken_by_fewer_penalty_points_then_more_bonus(cycle, cluster_ii):
    started(cycle)
    agree_all(
        cycle,
        cluster_ii,
        {
            "son-la": (30, 35, 30, 5, 5),  # 95, penalty 5
            "lai-chau": (30, 35, 30, 2, 2),  # 95, penalty 2: first
            "dien-bien": (30, 35, 30, 5, 5),  # 95, penalty 5, bonus 5: ties Sơn La
            "lao-cai": (30, 40, 30, 0, 0),  # 100: first of all
        },
    )
    ranked = places(cycle)
    assert [(p.unit.slug, p.rank, str(p.totals.total)) for p in ranked[:4]] == [
        ("lao-cai", 1, "100.00"),
        ("lai-chau", 2, "95.00"),
        ("dien-bien", 3, "95.00"),
        ("son-la", 3, "95.00"),
    ]
    assert ranked[2].tied_with_next
    services.cycle_settings_save(
        cycle=cycle,
        by=COMMAND_LINE,
        divergence_threshold=D("2"),
        tie_break=TieBreak.BONUS_THEN_PENALTY,
    )
    assert [p.unit.slug for p in places(cycle)[1:4]] == ["dien-bien", "son-la", "lai-chau"]


def test_the_ranking_names_the_leading_unit_and_a_hand_choice_needs_a_reason(
    cycle, cluster_ii, secretary
):
    started(cycle)
    agree_all(cycle, cluster_ii, {"lao-cai": (30, 40, 30, 5, 0)})
    services.ranking_adopt(cycle=cycle, by=secretary)
    year = ClusterYear.objects.get(pk=cycle.cluster_year_id)
    assert year.leading_unit == year.ranked_leader == cluster_ii.units["lao-cai"]
    with pytest.raises(ValidationError) as excinfo:
        award_services.cluster_year_set_leader(
            cluster_year=year, unit=cluster_ii.units["son-la"], by=secretary
        )
    assert (
        "Bảng xếp hạng đã thông qua đặt Công an tỉnh Lào Cai đứng đầu cụm; chọn Công an tỉnh "
        "Sơn La làm đơn vị dẫn đầu thì phải nêu lý do." in messages(excinfo)
    )
    year.refresh_from_db()
    assert year.leading_unit == cluster_ii.units["lao-cai"]
    award_services.cluster_year_set_leader(
        cluster_year=year,
        unit=cluster_ii.units["son-la"],
        by=secretary,
        reason="Theo kết luận hội nghị",
    )
    year.refresh_from_db()
    assert leader_by_hand(year) and year.leader_reason == "Theo kết luận hội nghị"
    award_services.cluster_year_set_leader(
        cluster_year=year, unit=cluster_ii.units["lao-cai"], by=secretary, reason="thừa"
    )
    year.refresh_from_db()
    assert not leader_by_hand(year) and year.leader_reason == ""


def test_a_tie_at_the_top_is_not_adopted(cycle, cluster_ii, secretary):
    started(cycle)
    services.cycle_settings_save(
        cycle=cycle, by=secretary, divergence_threshold=D("2"), tie_break=TieBreak.NONE
    )
    agree_all(cycle, cluster_ii, {"lao-cai": (30, 40, 30, 0, 0), "son-la": (30, 40, 30, 5, 5)})
    with pytest.raises(ValidationError) as excinfo:
        services.ranking_adopt(cycle=cycle, by=secretary)
    assert "Lào Cai, Sơn La bằng điểm nhau ở vị trí thứ nhất" in messages(excinfo)
    assert Cycle.objects.get(pk=cycle.pk).ranking_adopted_at is None


def test_the_ranking_waits_for_every_agreed_score(cycle, cluster_ii, secretary):
    started(cycle)
    agree(cycle, cluster_ii.units["lao-cai"], c1=30, c2=40, c3=30)
    with pytest.raises(ValidationError) as excinfo:
        services.ranking_adopt(cycle=cycle, by=secretary)
    assert "Chưa có điểm thống nhất (đã chốt) của: " in messages(excinfo)
    assert "Lai Châu" in messages(excinfo) and "Lào Cai" not in messages(excinfo)


# the pledge


def test_a_unit_signs_the_pledge_for_itself_only(cycle, cluster_ii, officer_laichau, officer_sonla):
    day = datetime.date(2024, 1, 15)
    pledge = services.pledge_sign(
        cycle=cycle,
        unit=cluster_ii.units["lai-chau"],
        signed_by="Đại tá Nguyễn Văn A, Giám đốc",
        signed_on=day,
        by=officer_laichau,
    )
    assert (pledge.signed_by, pledge.recorded_by) == (
        "Đại tá Nguyễn Văn A, Giám đốc",
        officer_laichau,
    )
    with pytest.raises(PermissionDenied):
        services.pledge_sign(
            cycle=cycle,
            unit=cluster_ii.units["lai-chau"],
            signed_by="X",
            signed_on=day,
            by=officer_sonla,
        )
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_sign(
            cycle=cycle,
            unit=cluster_ii.units["son-la"],
            signed_by="X",
            signed_on=datetime.date(2021, 1, 1),
            by=officer_sonla,
        )
    assert "Ngày ký phải trong năm 2024 hoặc cuối năm trước." in messages(excinfo)
    assert Pledge.objects.filter(cycle=cycle).count() == 1


def test_nothing_is_written_into_a_published_year(cluster_ii, seeded, secretary):
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_open(cluster_year=seeded.years[2023], by=COMMAND_LINE)
    assert "đã công bố nên không thể sửa" in messages(excinfo)
    assert not Cycle.objects.filter(cluster_year=seeded.years[2023]).exists()
