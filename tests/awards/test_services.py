import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.access import COMMAND_LINE
from awards import services
from awards.models import AwardKind, Commendation, Nomination
from clusters.models import ClusterYear
from reports.models import Conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2024(cluster_ii):
    year = cluster_ii.years[2024]
    year.leading_unit = cluster_ii.units["lang-son"]
    year.save()
    return year


def kind(code):
    return AwardKind.objects.get(code=code)


def propose(cluster_year, code, unit, by, **kwargs):
    return services.nomination_propose(
        cluster_year=cluster_year, award_kind=kind(code), unit=unit, by=by, **kwargs
    )


def messages(excinfo):
    return " ".join(excinfo.value.messages)


def test_threshold_at_79_9_percent_is_refused_with_its_legal_basis(
    year_2024, cluster_ii, secretary
):
    with pytest.raises(ValidationError) as excinfo:
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["son-la"],
            secretary,
            votes_for=799,
            council_size=1000,
        )
    assert messages(excinfo) == (
        "Cờ thi đua của Bộ Công an cần từ 80% phiếu đồng ý trên tổng số thành viên hội đồng "
        "(Nghị định 98/2023/NĐ-CP, Điều 30); mới đạt 799/1000 phiếu (79,9%)."
    )
    assert not Nomination.objects.exists()


def test_threshold_at_exactly_80_percent_passes(year_2024, cluster_ii, secretary):
    nomination = propose(
        year_2024,
        "co-bo-cong-an",
        cluster_ii.units["son-la"],
        secretary,
        votes_for=800,
        council_size=1000,
    )
    assert nomination.status == "proposed" and str(nomination.vote_percent) == "80.0"
    assert [(e.status, e.by) for e in nomination.events.all()] == [("proposed", secretary)]


def test_absent_members_count_in_the_council(year_2024, cluster_ii, secretary):
    # 7 members, 6 voted yes, 1 absent in writing: 6/7 = 85.7% passes; 5/7 = 71.4% does not.
    assert propose(
        year_2024,
        "co-bo-cong-an",
        cluster_ii.units["son-la"],
        secretary,
        votes_for=6,
        council_size=7,
    )
    with pytest.raises(ValidationError):
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["lai-chau"],
            secretary,
            votes_for=5,
            council_size=7,
        )


def test_votes_are_required_where_a_threshold_applies(year_2024, cluster_ii, secretary):
    with pytest.raises(ValidationError) as excinfo:
        propose(year_2024, "co-bo-cong-an", cluster_ii.units["son-la"], secretary)
    assert "Cần nhập số phiếu đồng ý và tổng số thành viên hội đồng" in messages(excinfo)


def test_government_flag_only_for_the_leading_unit(year_2024, cluster_ii, secretary):
    with pytest.raises(ValidationError) as excinfo:
        propose(
            year_2024,
            "co-chinh-phu",
            cluster_ii.units["son-la"],
            secretary,
            votes_for=7,
            council_size=7,
        )
    assert messages(excinfo) == (
        "Cờ thi đua của Chính phủ chỉ đề nghị cho đơn vị dẫn đầu cụm năm 2024 là "
        "Công an tỉnh Lạng Sơn (Nghị định 98/2023/NĐ-CP, Điều 30)."
    )
    assert propose(
        year_2024,
        "co-chinh-phu",
        cluster_ii.units["lang-son"],
        secretary,
        votes_for=7,
        council_size=7,
    )


def test_government_flag_needs_a_leading_unit_first(cluster_ii, secretary):
    year = cluster_ii.years[2024]
    with pytest.raises(ValidationError) as excinfo:
        propose(
            year,
            "co-chinh-phu",
            cluster_ii.units["lang-son"],
            secretary,
            votes_for=7,
            council_size=7,
        )
    assert "năm 2024 chưa xác định đơn vị dẫn đầu" in messages(excinfo)


def test_a_second_government_flag_is_refused(year_2024, cluster_ii, secretary, admin_user):
    propose(
        year_2024,
        "co-chinh-phu",
        cluster_ii.units["lang-son"],
        secretary,
        votes_for=7,
        council_size=7,
    )
    year_2024.leading_unit = cluster_ii.units["cao-bang"]
    year_2024.save()
    with pytest.raises(ValidationError) as excinfo:
        propose(
            year_2024,
            "co-chinh-phu",
            cluster_ii.units["cao-bang"],
            secretary,
            votes_for=7,
            council_size=7,
        )
    assert "Cụm đã đề nghị 1/1 Cờ thi đua của Chính phủ năm 2024" in messages(excinfo)


def test_ministry_quota_default_3_and_set_by_the_secretariat(year_2024, cluster_ii, secretary):
    for slug in ("son-la", "lai-chau", "ha-giang"):
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units[slug],
            secretary,
            votes_for=7,
            council_size=7,
        )
    with pytest.raises(ValidationError) as excinfo:
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["dien-bien"],
            secretary,
            votes_for=7,
            council_size=7,
        )
    assert "Cụm đã đề nghị 3/3 Cờ thi đua của Bộ Công an năm 2024" in messages(excinfo)

    with pytest.raises(ValidationError):
        services.award_quota_set(
            cluster_year=year_2024, award_kind=kind("co-bo-cong-an"), quota=2, by=secretary
        )
    services.award_quota_set(
        cluster_year=year_2024, award_kind=kind("co-bo-cong-an"), quota=4, by=secretary
    )
    assert propose(
        year_2024,
        "co-bo-cong-an",
        cluster_ii.units["dien-bien"],
        secretary,
        votes_for=7,
        council_size=7,
    )


def test_admin_override_needs_a_reason_and_is_recorded(
    year_2024, cluster_ii, admin_user, secretary
):
    unit = cluster_ii.units["son-la"]
    with pytest.raises(ValidationError) as excinfo:
        propose(year_2024, "co-bo-cong-an", unit, admin_user, votes_for=5, council_size=7)
    assert "Quản trị viên chỉ được vượt quy định khi nêu rõ lý do." in messages(excinfo)
    with pytest.raises(ValidationError):
        propose(
            year_2024,
            "co-bo-cong-an",
            unit,
            secretary,
            votes_for=5,
            council_size=7,
            override_reason="Thư ký không được vượt quy định",
        )
    nomination = propose(
        year_2024,
        "co-bo-cong-an",
        unit,
        admin_user,
        votes_for=5,
        council_size=7,
        override_reason="Bộ đồng ý bổ sung theo công văn 123/X01",
    )
    assert nomination.override_reason == "Bộ đồng ý bổ sung theo công văn 123/X01"
    assert nomination.overridden_by == admin_user
    assert "mới đạt 5/7 phiếu" in nomination.events.get().note


def test_the_rule_in_force_follows_the_vote_date(cluster_ii, secretary):
    from clusters import services as cluster_services

    year = cluster_services.cluster_year_create(
        by=COMMAND_LINE,
        cluster=cluster_ii.cluster,
        year=2025,
        units=list(cluster_ii.years[2024].members.exclude(slug="ha-giang")),
    )
    Conference.objects.create(cluster_year=year, kind="year_end", date=datetime.date(2025, 12, 20))
    rule = services.rule_in_force(kind("co-chinh-phu"), year)
    assert rule.legal_basis.startswith("Nghị định 152/2025/NĐ-CP")
    assert services.rule_in_force(kind("co-chinh-phu"), cluster_ii.years[2024]).legal_basis == (
        "Nghị định 98/2023/NĐ-CP, Điều 30"
    )
    assert services.rule_in_force(kind("co-chinh-phu"), cluster_ii.years[2018]) is None


def test_votes_above_the_council_are_refused_by_form_and_database(year_2024, cluster_ii, secretary):
    with pytest.raises(ValidationError):
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["son-la"],
            secretary,
            votes_for=8,
            council_size=7,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            cluster_year=year_2024,
            award_kind=kind("co-bo-cong-an"),
            unit=cluster_ii.units["son-la"],
            votes_for=8,
            council_size=7,
        )


def test_recipient_type_is_respected(year_2024, cluster_ii, secretary):
    with pytest.raises(ValidationError) as excinfo:
        propose(year_2024, "chien-si-thi-dua-co-so", cluster_ii.units["son-la"], secretary)
    assert "dành cho cá nhân" in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["son-la"],
            secretary,
            person_name="Lò Văn A",
            votes_for=7,
            council_size=7,
        )
    assert "dành cho tập thể" in messages(excinfo)
    person = propose(
        year_2024,
        "chien-si-thi-dua-co-so",
        cluster_ii.units["son-la"],
        secretary,
        person_name="  Lò   Văn A ",
        person_rank="Thiếu tá",
    )
    assert person.recipient_label == "Thiếu tá Lò Văn A (Sơn La)"


def test_only_members_and_only_the_right_people(
    year_2024, cluster_ii, secretary, officer_laichau, leader
):
    with pytest.raises(ValidationError):
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["tuyen-quang"],
            secretary,
            votes_for=7,
            council_size=7,
        )
    for user in (officer_laichau, leader):
        with pytest.raises(PermissionDenied):
            propose(
                year_2024,
                "co-bo-cong-an",
                cluster_ii.units["son-la"],
                user,
                votes_for=7,
                council_size=7,
            )
    ClusterYear.objects.filter(pk=year_2024.pk).update(status="published")
    year_2024.refresh_from_db()
    with pytest.raises(ValidationError):
        propose(
            year_2024,
            "co-bo-cong-an",
            cluster_ii.units["son-la"],
            secretary,
            votes_for=7,
            council_size=7,
        )


def test_transitions_through_to_the_commendation(
    year_2024, cluster_ii, secretary, officer_laichau, leader
):
    nomination = propose(
        year_2024,
        "co-bo-cong-an",
        cluster_ii.units["son-la"],
        secretary,
        votes_for=7,
        council_size=7,
    )
    with pytest.raises(PermissionDenied):
        services.nomination_submit(nomination=nomination, by=officer_laichau)
    services.nomination_submit(nomination=nomination, by=secretary)
    with pytest.raises(ValidationError):
        services.nomination_submit(nomination=nomination, by=secretary)
    with pytest.raises(PermissionDenied):
        services.nomination_decide(nomination=nomination, approved=True, by=leader)
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_decide(nomination=nomination, approved=True, by=secretary)
    assert "cần số và ngày của quyết định" in messages(excinfo)
    services.nomination_decide(
        nomination=nomination,
        approved=True,
        by=secretary,
        decision_number="1234/QĐ-BCA",
        decision_date=datetime.date(2025, 2, 10),
        decision_issuer="Bộ trưởng Bộ Công an",
    )
    commendation = Commendation.objects.get(nomination=nomination)
    assert (commendation.year, commendation.unit.slug, commendation.decision_number) == (
        2024,
        "son-la",
        "1234/QĐ-BCA",
    )
    assert [e.status for e in nomination.events.all()] == ["proposed", "submitted", "approved"]


def test_not_approved_creates_no_commendation(year_2024, cluster_ii, secretary):
    nomination = propose(
        year_2024,
        "co-bo-cong-an",
        cluster_ii.units["son-la"],
        secretary,
        votes_for=7,
        council_size=7,
    )
    services.nomination_submit(nomination=nomination, by=secretary)
    services.nomination_decide(nomination=nomination, approved=False, by=secretary)
    assert nomination.status == "not_approved" and not Commendation.objects.exists()


def test_leader_must_be_a_member(cluster_ii, secretary):
    with pytest.raises(ValidationError):
        services.cluster_year_set_leader(
            cluster_year=cluster_ii.years[2024], unit=cluster_ii.units["tuyen-quang"], by=secretary
        )
    services.cluster_year_set_leader(
        cluster_year=cluster_ii.years[2024], unit=cluster_ii.units["son-la"], by=secretary
    )
    assert ClusterYear.objects.get(pk=cluster_ii.years[2024].pk).leading_unit.slug == "son-la"
