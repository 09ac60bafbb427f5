"""The ballot: who may be on it, the count and its arithmetic, thresholds on the council's whole
membership (absent members' written votes included), quotas, and the nominations it makes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.access import COMMAND_LINE
from awards import services as award_services
from awards.models import AwardKind, Discipline, Nomination
from emulation import selectors, services
from emulation.models import Candidate, CouncilMember

pytestmark = pytest.mark.django_db

PRESENT, WRITTEN, ABSENT = (
    CouncilMember.Attendance.PRESENT,
    CouncilMember.Attendance.WRITTEN,
    CouncilMember.Attendance.ABSENT,
)


def kind(code):
    return AwardKind.objects.get(code=code)


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.fixture
def council(cycle):
    """Ten members: seven present, two voting in writing, one absent."""
    attendance = [PRESENT] * 7 + [WRITTEN] * 2 + [ABSENT]
    for number, state in enumerate(attendance, start=1):
        services.council_member_save(
            member=CouncilMember(
                cycle=cycle, name=f"Thành viên {number}", attendance=state, order=number
            ),
            by=COMMAND_LINE,
        )
    return cycle


def on_ballot(cycle, unit, code="co-bo-cong-an", **person):
    return services.candidate_add(
        candidate=Candidate(cycle=cycle, award_kind=kind(code), unit=unit, **person),
        by=COMMAND_LINE,
    )


def count(cycle, code, votes, cast=7, blank=0, spoiled=0, written=2):
    return services.ballot_count_save(
        cycle=cycle,
        award_kind=kind(code),
        tally=services.Tally(
            ballots_cast=cast,
            blank=blank,
            spoiled=spoiled,
            written=written,
            votes={c.pk: v for c, v in votes.items()},
        ),
        by=COMMAND_LINE,
    )


def results(cycle, code="co-bo-cong-an"):
    found = selectors.ballot_results(cycle)
    return next(r for r in found if r.award_kind.code == code)


def test_the_threshold_is_on_the_whole_council_written_votes_included(council, cluster_ii):
    a = on_ballot(council, cluster_ii.units["lao-cai"])
    b = on_ballot(council, cluster_ii.units["son-la"])
    count(council, "co-bo-cong-an", {a: (6, 2), b: (7, 0)})
    result = results(council)
    assert (result.council_size, result.threshold) == (10, 80)
    lines = {line.candidate.unit.slug: line for line in result.lines}
    # 8 of 10 members reach 80%; 7 of 7 present do not: the absent member counts
    assert (lines["lao-cai"].total, lines["lao-cai"].reaches) == (8, True)
    assert (lines["son-la"].total, lines["son-la"].reaches) == (7, False)
    assert [line.candidate.unit.slug for line in result.lines] == ["lao-cai", "son-la"]


def test_the_count_must_hold_together(council, cluster_ii):
    a = on_ballot(council, cluster_ii.units["lao-cai"])
    with pytest.raises(ValidationError) as excinfo:
        count(council, "co-bo-cong-an", {a: (8, 0)}, cast=8)
    assert "Thu về 8 phiếu nhưng chỉ 7 thành viên có mặt." in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        count(council, "co-bo-cong-an", {a: (0, 3)}, written=3)
    assert "Nhận 3 phiếu bằng văn bản nhưng chỉ 2 thành viên vắng có gửi." in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        count(council, "co-bo-cong-an", {a: (6, 0)}, blank=1, spoiled=1)
    assert "Công an tỉnh Lào Cai: 6 phiếu đồng ý, nhiều hơn 5 phiếu hợp lệ." in messages(excinfo)
    a.refresh_from_db()
    assert a.votes_for is None and not council.counts.exists()


def test_the_quota_elects_the_most_voted_first_and_never_splits_a_tie(council, cluster_ii):
    names = ["lai-chau", "dien-bien", "son-la", "lao-cai"]
    votes = dict(zip(names, [(6, 2), (7, 2), (7, 1), (6, 2)], strict=True))
    candidates = {slug: on_ballot(council, cluster_ii.units[slug]) for slug in names}
    count(council, "co-bo-cong-an", {candidates[s]: votes[s] for s in names})
    result = results(council)
    assert result.quota == 3
    # three names share 8 votes for the two places left: none is elected by the ballot's order
    assert [
        (line.candidate.unit.slug, line.total, line.elected, line.tied) for line in result.lines
    ] == [
        ("dien-bien", 9, True, False),
        ("lai-chau", 8, False, True),
        ("son-la", 8, False, True),
        ("lao-cai", 8, False, True),
    ]
    # with a fourth place, all three are in
    award_services.award_quota_set(
        cluster_year=council.cluster_year,
        award_kind=kind("co-bo-cong-an"),
        quota=4,
        by=COMMAND_LINE,
    )
    assert [line.elected for line in results(council).lines] == [True] * 4


def test_the_elected_become_nominations_with_their_votes(council, cluster_ii):
    a = on_ballot(council, cluster_ii.units["lao-cai"])
    b = on_ballot(council, cluster_ii.units["son-la"])
    count(council, "co-bo-cong-an", {a: (7, 2), b: (5, 1)})
    made = services.ballot_propose(cycle=council, by=COMMAND_LINE)
    assert [(n.unit.slug, n.votes_for, n.council_size, n.rank_order) for n in made] == [
        ("lao-cai", 9, 10, 1)
    ]
    a.refresh_from_db()
    assert a.nomination == made[0]
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_propose(cycle=council, by=COMMAND_LINE)
    assert "Không có tên nào đạt ngưỡng mà chưa thành đề nghị." in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        count(council, "co-bo-cong-an", {a: (7, 2)})
    assert "Kết quả đã thành đề nghị khen thưởng" in messages(excinfo)
    assert Nomination.objects.filter(cluster_year=council.cluster_year).count() == 1


def test_the_government_flag_is_only_for_the_leading_unit(council, cluster_ii):
    with pytest.raises(ValidationError) as excinfo:
        on_ballot(council, cluster_ii.units["son-la"], code="co-chinh-phu")
    assert "chưa xác định đơn vị dẫn đầu" in messages(excinfo)
    award_services.cluster_year_set_leader(
        cluster_year=council.cluster_year, unit=cluster_ii.units["lao-cai"], by=COMMAND_LINE
    )
    council.cluster_year.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        on_ballot(council, cluster_ii.units["son-la"], code="co-chinh-phu")
    assert "chỉ dành cho đơn vị dẫn đầu cụm là Công an tỉnh Lào Cai" in messages(excinfo)
    on_ballot(council, cluster_ii.units["lao-cai"], code="co-chinh-phu")


def test_a_disciplined_unit_is_not_put_on_the_ballot(council, cluster_ii):
    award_services.discipline_save(
        discipline=Discipline(
            cluster_year=council.cluster_year,
            unit=cluster_ii.units["son-la"],
            form="Khiển trách",
            decision_number="7/QĐ-BCA",
            decision_date=datetime.date(2024, 5, 2),
        ),
        by=COMMAND_LINE,
    )
    with pytest.raises(ValidationError) as excinfo:
        on_ballot(council, cluster_ii.units["son-la"])
    assert (
        "Công an tỉnh Sơn La bị kỷ luật trong năm 2024 (Khiển trách, quyết định số 7/QĐ-BCA"
        in messages(excinfo)
    )
