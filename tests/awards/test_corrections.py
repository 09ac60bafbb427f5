"""Issue 12 at the service level: a nomination corrected or withdrawn before the Ministry decides,
and the Ministry's decision that arrives after the year is published."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import services
from awards.checklist import items
from awards.models import AwardKind, Commendation, Nomination, NominationEvent
from clusters import services as cluster_services
from clusters.checklist import items_for
from clusters.models import ClusterYear, Source

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% quyet dinh\n"


@pytest.fixture(autouse=True)
def documents(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture
def year_2024(cluster_ii):
    year = cluster_ii.years[2024]
    year.leading_unit = cluster_ii.units["lang-son"]
    year.save()
    return year


def kind(code):
    return AwardKind.objects.get(code=code)


def propose(cluster_year, unit, by, code="co-bo-cong-an", **kwargs):
    return services.nomination_propose(
        cluster_year=cluster_year,
        award_kind=kind(code),
        unit=unit,
        by=by,
        **{"votes_for": 7, "council_size": 7, **kwargs},
    )


def update(nomination, by, **changes):
    fields = {
        "award_kind": nomination.award_kind,
        "unit": nomination.unit,
        "votes_for": nomination.votes_for,
        "council_size": nomination.council_size,
        "person_name": nomination.person_name,
        "person_rank": nomination.person_rank,
        "person_position": nomination.person_position,
        "rank_order": nomination.rank_order,
        "achievements": nomination.achievements,
        **changes,
    }
    return services.nomination_update(nomination=nomination, by=by, **fields)


def text(excinfo):
    return " ".join(excinfo.value.messages)


# --- editing a proposal ---------------------------------------------------------------------


def test_a_proposal_is_corrected_under_the_same_rules(year_2024, cluster_ii, secretary):
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary, votes_for=6)
    update(nomination, secretary, votes_for=7, achievements="Dẫn đầu về ma túy")
    nomination.refresh_from_db()
    assert (nomination.votes_for, nomination.achievements) == (7, "Dẫn đầu về ma túy")
    assert [e.status for e in nomination.events.all()] == ["proposed", "proposed"]
    assert nomination.events.last().note == "Sửa kết quả bình xét"

    with pytest.raises(ValidationError) as excinfo:
        update(nomination, secretary, votes_for=5)
    assert "mới đạt 5/7 phiếu (71,4%)" in text(excinfo)
    nomination.refresh_from_db()
    assert nomination.votes_for == 7


def test_editing_does_not_count_the_nomination_against_its_own_quota(
    year_2024, cluster_ii, secretary
):
    services.award_quota_set(
        cluster_year=year_2024, award_kind=kind("co-bo-cong-an"), quota=1, by=secretary
    )
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    update(nomination, secretary, unit=cluster_ii.units["lai-chau"])
    nomination.refresh_from_db()
    assert nomination.unit == cluster_ii.units["lai-chau"]


def test_a_submitted_nomination_is_not_edited(year_2024, cluster_ii, secretary):
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    with pytest.raises(ValidationError) as excinfo:
        update(nomination, secretary, votes_for=6)
    assert text(excinfo) == "Chỉ sửa được đề nghị đang ở trạng thái “Đã bình xét”."


def test_editing_asks_the_rules_and_the_open_year(
    year_2024, cluster_ii, secretary, leader, other_cluster
):
    from tests.factories import UserFactory

    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    other = UserFactory(role="secretariat", cluster=other_cluster.cluster)
    for who in (leader, other):
        with pytest.raises(PermissionDenied):
            update(nomination, who, votes_for=6)
    ClusterYear.objects.filter(pk=year_2024.pk).update(status="published")
    with pytest.raises(ValidationError) as excinfo:
        update(nomination, secretary, votes_for=6)
    assert "đã công bố nên không thể sửa" in text(excinfo)


# --- withdrawing ----------------------------------------------------------------------------


def test_a_proposal_withdrawn_before_submission_leaves_the_vote(year_2024, cluster_ii, secretary):
    services.award_quota_set(
        cluster_year=year_2024, award_kind=kind("co-bo-cong-an"), quota=1, by=secretary
    )
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    pk = nomination.pk
    assert services.nomination_withdraw(nomination=nomination, by=secretary) is None
    assert not Nomination.objects.filter(pk=pk).exists()
    assert not NominationEvent.objects.filter(nomination_id=pk).exists()
    deleted = Nomination.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == secretary
    # the quota of 1 is free again, and the same unit may be proposed again
    assert propose(year_2024, cluster_ii.units["son-la"], secretary).pk != pk


def test_after_submission_withdrawal_needs_a_reason_and_no_longer_counts(
    year_2024, cluster_ii, secretary
):
    services.award_quota_set(
        cluster_year=year_2024, award_kind=kind("co-bo-cong-an"), quota=1, by=secretary
    )
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_withdraw(nomination=nomination, by=secretary, reason="  ")
    assert text(excinfo) == "Đề nghị đã trình chỉ rút được khi nêu rõ lý do."
    services.nomination_withdraw(
        nomination=nomination, by=secretary, reason="Đơn vị có cán bộ vi phạm kỷ luật"
    )
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"
    assert nomination.status_label == "Đã rút (lý do: Đơn vị có cán bộ vi phạm kỷ luật)"
    event = nomination.events.last()
    assert (event.status, event.note, event.by) == (
        "withdrawn",
        "Đơn vị có cán bộ vi phạm kỷ luật",
        secretary,
    )
    # no longer counts: another unit fits the quota of 1, and the quota may go down to 1
    propose(year_2024, cluster_ii.units["lai-chau"], secretary)
    services.award_quota_set(
        cluster_year=year_2024, award_kind=kind("co-bo-cong-an"), quota=1, by=secretary
    )
    # withdrawn is the end: it is neither decided nor withdrawn again
    with pytest.raises(ValidationError):
        services.nomination_decide(
            nomination=nomination,
            approved=True,
            by=secretary,
            decision_number="1/QĐ",
            decision_date=datetime.date(2025, 1, 2),
        )
    with pytest.raises(ValidationError):
        services.nomination_withdraw(nomination=nomination, by=secretary, reason="Lần nữa")


def test_a_decided_nomination_is_not_withdrawn(year_2024, cluster_ii, secretary):
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    services.nomination_decide(nomination=nomination, approved=False, by=secretary)
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_withdraw(nomination=nomination, by=secretary, reason="Nhầm")
    assert text(excinfo) == "Đề nghị đã có quyết định nên không rút được."


def test_withdrawal_asks_the_rules_and_the_open_year(year_2024, cluster_ii, secretary, leader):
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(nomination=nomination, by=leader)
    ClusterYear.objects.filter(pk=year_2024.pk).update(status="published")
    with pytest.raises(ValidationError):
        services.nomination_withdraw(nomination=nomination, by=secretary)
    assert Nomination.objects.filter(pk=nomination.pk).exists()


# --- the Ministry's late decision -----------------------------------------------------------


def submitted_2018(seeded):
    """Lạng Sơn's Ministry flag, submitted in 2018; the year is published without its decision."""
    return Nomination.objects.get(
        cluster_year=seeded.years[2018], unit=seeded.units["lang-son"], award_kind__is_flag=True
    )


def amend(nomination, by, **kwargs):
    fields = {
        "approved": True,
        "decision_number": "1234/QĐ-BCA",
        "decision_date": datetime.date(2019, 3, 20),
        "decision_issuer": "Bộ trưởng Bộ Công an",
        **kwargs,
    }
    return services.nomination_amend_decision(nomination=nomination, by=by, **fields)


def test_a_late_approval_is_an_audited_amendment_with_its_document(seeded, secretary):
    nomination = submitted_2018(seeded)
    before = ClusterYear.objects.get(pk=seeded.years[2018].pk)
    upload = SimpleUploadedFile("qd-1234.pdf", PDF, content_type="application/pdf")
    amend(nomination, secretary, upload=upload)

    nomination.refresh_from_db()
    assert nomination.status == "approved"
    assert (nomination.decision_number, nomination.decision_date, nomination.decision_issuer) == (
        "1234/QĐ-BCA",
        datetime.date(2019, 3, 20),
        "Bộ trưởng Bộ Công an",
    )
    assert nomination.amended_at is not None
    source = nomination.decision_source
    assert (source.cluster_year_id, source.number, source.issued_on, source.issuer) == (
        before.pk,
        "1234/QĐ-BCA",
        datetime.date(2019, 3, 20),
        "Bộ trưởng Bộ Công an",
    )
    assert source.file_name == "qd-1234.pdf" and source.file.read() == PDF
    event = nomination.events.last()
    assert (event.status, event.amendment, event.by, event.source_id) == (
        "approved",
        True,
        secretary,
        source.pk,
    )
    assert nomination.amendment_mark.startswith("Bổ sung sau công bố ngày ")
    # as the decide path does: the approval creates the commendation it grants
    commendation = Commendation.objects.get(nomination=nomination)
    assert (commendation.year, commendation.decision_number, commendation.source_id) == (
        2018,
        "1234/QĐ-BCA",
        source.pk,
    )
    # the year stays published, untouched
    after = ClusterYear.objects.get(pk=before.pk)
    assert after.is_published and after.leading_unit_id == before.leading_unit_id


def test_a_late_refusal_needs_a_number_or_a_document(seeded, admin_user):
    nomination = submitted_2018(seeded)
    with pytest.raises(ValidationError) as excinfo:
        amend(nomination, admin_user, approved=False, decision_number="", decision_date=None)
    assert text(excinfo) == (
        "Quyết định đến sau cần số quyết định hoặc tệp văn bản để lưu làm căn cứ."
    )
    amend(nomination, admin_user, approved=False, decision_number="88/TB-X01")
    nomination.refresh_from_db()
    assert nomination.status == "not_approved" and nomination.decision_source.number == "88/TB-X01"
    assert not Commendation.objects.filter(nomination=nomination).exists()


def test_a_late_approval_needs_number_and_date(seeded, secretary):
    nomination = submitted_2018(seeded)
    with pytest.raises(ValidationError) as excinfo:
        amend(nomination, secretary, decision_date=None)
    assert text(excinfo) == "Khen thưởng được duyệt cần số và ngày của quyết định."
    assert not Source.objects.filter(number="1234/QĐ-BCA").exists()


def test_a_bad_document_writes_nothing(seeded, secretary):
    nomination = submitted_2018(seeded)
    upload = SimpleUploadedFile("qd.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        amend(nomination, secretary, upload=upload)
    nomination.refresh_from_db()
    assert nomination.status == "submitted" and nomination.amended_at is None
    assert not Source.objects.filter(number="1234/QĐ-BCA").exists()
    assert not Commendation.objects.filter(nomination=nomination).exists()


def test_only_once_and_only_undecided(seeded, secretary):
    nomination = submitted_2018(seeded)
    amend(nomination, secretary)
    with pytest.raises(ValidationError) as excinfo:
        amend(nomination, secretary, decision_number="9999/QĐ-BCA")
    assert text(excinfo) == (
        "Chỉ ghi quyết định đến sau cho đề nghị đã trình và chưa có quyết định; quyết định đã "
        "ghi chỉ sửa được khi quản trị viên mở lại năm."
    )
    assert Source.objects.filter(number="9999/QĐ-BCA").count() == 0


def test_an_open_year_takes_its_decision_through_the_vote_not_an_amendment(
    year_2024, cluster_ii, secretary
):
    nomination = propose(year_2024, cluster_ii.units["son-la"], secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    with pytest.raises(ValidationError) as excinfo:
        amend(nomination, secretary)
    assert text(excinfo) == (
        "Năm thi đua chưa công bố: ghi quyết định ở mục Bình xét của trang sửa năm."
    )


def test_a_late_decision_is_for_the_cluster_secretariat_and_the_admin(
    seeded, leader, officer_laichau, other_cluster
):
    from tests.factories import UserFactory

    nomination = submitted_2018(seeded)
    other = UserFactory(role="secretariat", cluster=other_cluster.cluster)
    for who in (leader, officer_laichau, other):
        with pytest.raises(PermissionDenied):
            amend(nomination, who)
    nomination.refresh_from_db()
    assert nomination.status == "submitted"


def test_every_other_write_still_refuses_the_published_year(seeded, secretary, admin_user):
    year = seeded.years[2018]
    nomination = submitted_2018(seeded)
    frozen = "đã công bố nên không thể sửa"
    writes = [
        lambda: services.nomination_decide(
            nomination=nomination,
            approved=True,
            by=admin_user,
            decision_number="1/QĐ",
            decision_date=datetime.date(2019, 1, 1),
        ),
        lambda: services.nomination_submit(nomination=nomination, by=admin_user),
        lambda: services.nomination_withdraw(nomination=nomination, by=admin_user, reason="x"),
        lambda: update(nomination, admin_user, votes_for=None, council_size=None),
        lambda: services.nomination_annotate(nomination=nomination, by=admin_user),
        lambda: propose(year, seeded.units["son-la"], admin_user, code="bang-khen-bo-truong"),
        lambda: services.cluster_year_set_leader(cluster_year=year, unit=None, by=admin_user),
        lambda: services.award_quota_set(
            cluster_year=year, award_kind=kind("co-bo-cong-an"), quota=5, by=admin_user
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as excinfo:
            write()
        assert frozen in text(excinfo)
    # after the amendment too: the year did not open
    amend(nomination, secretary)
    with pytest.raises(ValidationError):
        services.nomination_annotate(nomination=nomination, by=admin_user)
    with pytest.raises(ValidationError):
        cluster_services.lock_year_for(admin_user, year)


# --- the publish checklist ------------------------------------------------------------------


def test_checklist_names_every_live_nomination_without_a_decision(year_2024, cluster_ii, secretary):
    proposed = propose(year_2024, cluster_ii.units["son-la"], secretary)
    submitted = propose(year_2024, cluster_ii.units["lai-chau"], secretary)
    services.nomination_submit(nomination=submitted, by=secretary)
    decided = propose(year_2024, cluster_ii.units["ha-giang"], secretary)
    services.nomination_submit(nomination=decided, by=secretary)
    services.nomination_decide(nomination=decided, approved=False, by=secretary)
    withdrawn = propose(year_2024, cluster_ii.units["lang-son"], secretary, code="co-chinh-phu")
    services.nomination_submit(nomination=withdrawn, by=secretary)
    services.nomination_withdraw(nomination=withdrawn, by=secretary, reason="Nhầm")

    found = items(year_2024)
    assert [(i.key, i.section, i.text) for i in found] == [
        (
            f"awards:undecided:nomination-{proposed.pk}",
            "vote",
            "Đề nghị Cờ thi đua của Bộ Công an cho Công an tỉnh Sơn La chưa có quyết định "
            "(Đã bình xét).",
        ),
        (
            f"awards:undecided:nomination-{submitted.pk}",
            "vote",
            "Đề nghị Cờ thi đua của Bộ Công an cho Công an tỉnh Lai Châu chưa có quyết định "
            "(Đã trình).",
        ),
    ]
    assert {i.key for i in found} <= {i.key for i in items_for(year_2024)}


def test_checklist_costs_one_query(year_2024, cluster_ii, secretary, django_assert_num_queries):
    for slug in ("son-la", "lai-chau", "ha-giang", "dien-bien"):
        propose(year_2024, cluster_ii.units[slug], secretary, code="bang-khen-bo-truong")
    with django_assert_num_queries(1):
        assert len(items(year_2024)) == 4
