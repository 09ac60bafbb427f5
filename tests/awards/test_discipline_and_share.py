"""Issue 14: a unit or a person disciplined in the year is not proposed (the refusal quotes the
record); the Government flag is capped across clusters at the dated rule's share of the
clusters' leading units."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.access import COMMAND_LINE
from awards import services
from awards.models import AwardKind, AwardRule, Discipline, Nomination
from clusters import services as cluster_services
from tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


def kind(code):
    return AwardKind.objects.get(code=code)


def discipline(year, unit, person_name="", **fields):
    return services.discipline_save(
        discipline=Discipline(
            cluster_year=year,
            unit=unit,
            person_name=person_name,
            form=fields.get("form", "Khiển trách"),
            decision_number=fields.get("decision_number", "12/QĐ-CAT"),
            decision_date=datetime.date(2024, 3, 1),
            decision_issuer=fields.get("decision_issuer", "Giám đốc Công an tỉnh"),
        ),
        by=COMMAND_LINE,
    )


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_a_disciplined_unit_is_not_proposed_and_the_refusal_quotes_the_record(cluster_ii):
    year, son_la = cluster_ii.years[2024], cluster_ii.units["son-la"]
    discipline(year, son_la)
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_propose(
            cluster_year=year, award_kind=kind("don-vi-quyet-thang"), unit=son_la, by=COMMAND_LINE
        )
    assert messages(excinfo) == (
        "Công an tỉnh Sơn La bị kỷ luật trong năm 2024 (Khiển trách, quyết định số 12/QĐ-CAT "
        "ngày 01/03/2024 của Giám đốc Công an tỉnh): không được đề nghị khen thưởng."
    )
    assert not Nomination.objects.filter(cluster_year=year, unit=son_la).exists()
    # its people are not barred by the unit's discipline
    services.nomination_propose(
        cluster_year=year,
        award_kind=kind("chien-si-thi-dua-co-so"),
        unit=son_la,
        person_name="Lò Văn Minh",
        by=COMMAND_LINE,
    )


def test_a_disciplined_person_is_found_whatever_the_case_and_spacing(cluster_ii):
    year, lai_chau = cluster_ii.years[2024], cluster_ii.units["lai-chau"]
    discipline(year, lai_chau, person_name="Nguyễn Văn  Hùng", form="Cảnh cáo")
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_propose(
            cluster_year=year,
            award_kind=kind("chien-si-thi-dua-co-so"),
            unit=lai_chau,
            person_name="nguyễn văn hùng",
            by=COMMAND_LINE,
        )
    assert "Nguyễn Văn Hùng (Lai Châu) bị kỷ luật trong năm 2024 (Cảnh cáo," in messages(excinfo)
    # the unit itself and a namesake of another unit are not barred
    services.nomination_propose(
        cluster_year=year, award_kind=kind("don-vi-tien-tien"), unit=lai_chau, by=COMMAND_LINE
    )
    services.nomination_propose(
        cluster_year=year,
        award_kind=kind("chien-si-thi-dua-co-so"),
        unit=cluster_ii.units["son-la"],
        person_name="Nguyễn Văn Hùng",
        by=COMMAND_LINE,
    )


def test_a_discipline_names_a_member_unit(cluster_ii):
    with pytest.raises(ValidationError) as excinfo:
        discipline(cluster_ii.years[2024], UnitFactory(short_name="Hà Tĩnh"))
    assert "không phải thành viên của cụm năm 2024" in messages(excinfo)


def test_the_government_flag_rule_carries_its_share_marked_unverified(cluster_ii):
    rules = AwardRule.objects.filter(award_kind__code="co-chinh-phu")
    assert rules.count() == 2
    for rule in rules:
        assert rule.leaders_share == 20
        assert "CHƯA ĐỐI CHIẾU" in rule.share_basis and "91/2017/NĐ-CP" in rule.share_basis


def leaders_in(count, year=2024):
    """`count` other clusters with a leading unit in `year`."""
    for number in range(count):
        cluster = ClusterFactory(
            number=30 + number, name=f"Cụm {30 + number}", slug=f"cum-{30 + number}"
        )
        unit = UnitFactory(short_name=f"Tỉnh {number}", slug=f"tinh-{number}")
        cluster_year = cluster_services.cluster_year_create(
            by=COMMAND_LINE, cluster=cluster, year=year, units=[unit]
        )
        cluster_year.leading_unit = unit
        cluster_year.save(update_fields=["leading_unit"])


def flag_for_leader(cluster_ii):
    year = cluster_ii.years[2024]
    services.cluster_year_set_leader(
        cluster_year=year, unit=cluster_ii.units["son-la"], by=COMMAND_LINE
    )
    nomination = services.nomination_propose(
        cluster_year=year,
        award_kind=kind("co-chinh-phu"),
        unit=cluster_ii.units["son-la"],
        votes_for=9,
        council_size=10,
        by=COMMAND_LINE,
    )
    return services.nomination_submit(nomination=nomination, by=COMMAND_LINE)


def decide(nomination, by, **extra):
    return services.nomination_decide(
        nomination=nomination,
        approved=True,
        by=by,
        decision_number="1/QĐ-TTg",
        decision_date=datetime.date(2025, 3, 1),
        **extra,
    )


def test_the_government_flag_is_refused_over_its_share_of_leading_units(cluster_ii, secretary):
    nomination = flag_for_leader(cluster_ii)
    leaders_in(3)  # 4 clusters lead: 20% of 4 is 0
    with pytest.raises(ValidationError) as excinfo:
        decide(nomination, secretary)
    assert (
        "Cờ thi đua của Chính phủ năm 2024: đã có 0 quyết định tặng, trên 4 cụm có đơn vị dẫn "
        "đầu; tối đa 20% là 0 (Không quá 20% số tập thể dẫn đầu" in messages(excinfo)
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    # one more leading cluster: 20% of 5 is 1
    cluster = ClusterFactory(number=50, name="Cụm 50", slug="cum-50")
    unit = UnitFactory(short_name="Tỉnh 50", slug="tinh-50")
    other = cluster_services.cluster_year_create(
        by=COMMAND_LINE, cluster=cluster, year=2024, units=[unit]
    )
    other.leading_unit = unit
    other.save(update_fields=["leading_unit"])
    decide(nomination, secretary)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED


def test_the_admin_goes_over_the_share_only_with_a_reason(cluster_ii, admin_user):
    nomination = flag_for_leader(cluster_ii)
    with pytest.raises(ValidationError) as excinfo:
        decide(nomination, admin_user)
    assert "Quản trị viên chỉ được vượt quy định khi nêu rõ lý do." in messages(excinfo)
    decide(nomination, admin_user, override_reason="Quyết định của Thủ tướng đã ban hành")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert nomination.override_reason == "Quyết định của Thủ tướng đã ban hành"
    assert nomination.overridden_by == admin_user
