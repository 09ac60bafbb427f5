"""The scoring page and a score sheet's page, as the secretariat, a unit and a reader use them."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.access import COMMAND_LINE
from accounts.models import Role
from clusters.models import Source
from emulation import services
from emulation.models import Criterion, Cycle, Pledge, ScoreSheet
from tests.emulation.conftest import D, criteria, fill
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/clusters/cum-2/2024/scoring/"


def html(response) -> str:
    return response.content.decode()


def sheet_address(sheet) -> str:
    return f"{PAGE}sheets/{sheet.pk}/"


def test_a_visitor_logs_in_and_another_clusters_officer_finds_nothing(client, cycle, other_cluster):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(
        UserFactory(
            username="canbo.hanoi", role=Role.UNIT_OFFICER, unit=other_cluster.members.first()
        )
    )
    assert client.get(PAGE).status_code == 404


def test_the_secretariat_opens_the_cycle_and_adds_a_criterion_with_vietnamese_points(
    client, cluster_ii, secretary
):
    client.force_login(secretary)
    page = client.get(PAGE)
    assert "Năm này chưa mở chu kỳ thi đua" in html(page)
    response = client.post(f"{PAGE}open/")
    assert response.status_code == 302
    cycle = Cycle.objects.get(cluster_year=cluster_ii.years[2024])
    response = client.post(
        f"{PAGE}criterion/",
        {
            "kind": "scored",
            "number": "1",
            "title": "Kiềm chế tội phạm",
            "max_points": "9,5",
            "order": "1",
        },
    )
    assert response.status_code == 302
    assert criteria(cycle)["1"].max_points == D("9.5")
    page = html(client.get(PAGE))
    assert 'data-number="1"' in page and "9,5" in page


def test_a_refused_criterion_keeps_what_was_typed_and_says_why(client, cycle, secretary):
    client.force_login(secretary)
    response = client.post(
        f"{PAGE}criterion/",
        {
            "kind": "scored",
            "number": "1",
            "title": "Một tiêu chí trùng số",
            "max_points": "5",
            "order": "9",
        },
    )
    assert response.status_code == 422
    page = html(response)
    assert "Số thứ tự này đã có trong bộ tiêu chí năm nay." in page
    assert 'value="Một tiêu chí trùng số"' in page
    assert cycle.criteria.count() == 7


def test_the_page_says_who_has_not_signed_the_pledge(client, cycle, cluster_ii, officer_laichau):
    client.force_login(officer_laichau)
    page = html(client.get(PAGE))
    assert "7 đơn vị chưa ký giao ước:" in page
    scan = SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(
        f"{PAGE}pledge/",
        {
            "unit": cluster_ii.units["lai-chau"].pk,
            "signed_by": "Đại tá Nguyễn Văn A",
            "signed_on": "15/01/2024",
            "document": scan,
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(cycle=cycle, unit=cluster_ii.units["lai-chau"])
    assert (
        pledge.signed_on == datetime.date(2024, 1, 15)
        and pledge.document.file_name == "giao-uoc.pdf"
    )
    page = html(client.get(PAGE))
    assert (
        "6 đơn vị chưa ký giao ước:" in page
        and "Lai Châu, " not in page.split("chưa ký giao ước:")[1][:80]
    )
    # another unit's pledge is not theirs to sign: the form refuses the unit, nothing written
    response = client.post(
        f"{PAGE}pledge/",
        {"unit": cluster_ii.units["son-la"].pk, "signed_by": "X", "signed_on": "15/01/2024"},
    )
    assert response.status_code == 422
    assert not Pledge.objects.filter(unit=cluster_ii.units["son-la"]).exists()


def test_a_unit_scores_itself_on_its_sheet_then_sends_it(
    client, cycle, cluster_ii, officer_laichau
):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    own = ScoreSheet.objects.get(cycle=cycle, unit=cluster_ii.units["lai-chau"], kind="self")
    found = criteria(cycle)
    client.force_login(officer_laichau)
    assert client.get(sheet_address(own)).status_code == 200
    evidence = SimpleUploadedFile("bang-chung.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(
        sheet_address(own),
        {
            "action": "save",
            f"points_{found['1'].pk}": "28,5",
            f"explanation_{found['1'].pk}": "Giảm 12% số vụ",
            f"evidence_{found['1'].pk}": evidence,
            f"points_{found['2'].pk}": "41",  # above its maximum of 40
        },
    )
    assert response.status_code == 422
    assert "Đảm bảo giá trị này nhỏ hơn hoặc bằng 40" in html(response) or "40" in html(response)
    assert not own.scores.exists()
    response = client.post(
        sheet_address(own),
        {
            "action": "submit",
            f"points_{found['1'].pk}": "28,5",
            f"explanation_{found['1'].pk}": "Giảm 12% số vụ",
            f"points_{found['2'].pk}": "35",
            f"points_{found['3'].pk}": "30",
            f"points_{found['5'].pk}": "1",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.is_submitted
    assert {s.criterion.number: s.points for s in own.scores.select_related("criterion")} == {
        "1": D("28.5"),
        "2": D("35"),
        "3": D("30"),
        "5": D("1"),
    }
    page = html(client.get(sheet_address(own)))
    assert "Đã gửi lúc" in page and 'id="save-sheet"' not in page
    assert "92,5" in page  # 28,5 + 35 + 30 − 1


def test_an_inspector_cannot_open_the_self_score_before_sending_its_own(
    client, cycle, cluster_ii, secretary, officer_laichau
):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    lai_chau, son_la = cluster_ii.units["lai-chau"], cluster_ii.units["son-la"]
    theirs = ScoreSheet.objects.get(cycle=cycle, unit=son_la, kind="self")
    fill(theirs, COMMAND_LINE, c1=30, c2=40, c3=30)
    inspection = services.inspection_assign(
        cycle=cycle, inspector=lai_chau, unit=son_la, by=secretary
    )
    client.force_login(officer_laichau)
    assert client.get(sheet_address(theirs)).status_code == 404
    assert f'data-sheet="{theirs.pk}"' in html(client.get(PAGE))
    assert "ẩn" in html(client.get(PAGE))
    fill(inspection, officer_laichau, c1=25, c2=40, c3=30)
    assert client.get(sheet_address(theirs)).status_code == 200


def test_a_leader_reads_the_ranking_and_the_divergences_but_writes_nothing(
    client, cycle, cluster_ii, leader
):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    client.force_login(leader)
    page = html(client.get(PAGE))
    assert 'id="ranking-table"' in page and 'id="adopt-ranking"' not in page
    assert 'id="criterion-form"' not in page and 'id="assign-form"' not in page
    assert client.post(f"{PAGE}rank/").status_code == 403


def test_the_scoring_page_costs_the_same_queries_with_more_sheets(
    client, cycle, cluster_ii, secretary, django_assert_num_queries
):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    members = [m.unit for m in cycle.cluster_year.memberships.select_related("unit")]
    client.force_login(secretary)
    client.get(PAGE)  # the session and the kept rows read once
    with django_assert_num_queries(QUERIES) as first:
        assert client.get(PAGE).status_code == 200
    for inspector, unit in zip(members, members[1:] + members[:1], strict=True):
        inspection = services.inspection_assign(
            cycle=cycle, inspector=inspector, unit=unit, by=secretary
        )
        fill(inspection, COMMAND_LINE, c1=20, c2=20, c3=20, c4=1, c5=1)
        fill(
            ScoreSheet.objects.get(cycle=cycle, unit=unit, kind="self"),
            COMMAND_LINE,
            c1=30,
            c2=30,
            c3=30,
        )
    client.get(PAGE)
    with django_assert_num_queries(QUERIES):
        page = html(client.get(PAGE))
    assert page.count("data-sheet=") == 21 and 'id="divergences"' in page
    assert len(first.captured_queries) == QUERIES


QUERIES = 9


def test_the_admin_changes_frozen_criteria_the_secretariat_is_told_why_not(
    client, cycle, secretary, admin_user
):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    one = criteria(cycle)["1"]
    data = {
        "pk": one.pk,
        "kind": "scored",
        "number": "1",
        "title": one.title,
        "max_points": "32",
        "order": "1",
        "parent": one.parent_id,
    }
    client.force_login(secretary)
    response = client.post(f"{PAGE}criterion/", data)
    assert response.status_code == 422
    assert "Bộ tiêu chí đã khóa từ khi bắt đầu chấm điểm" in html(response)
    client.force_login(admin_user)
    assert client.post(f"{PAGE}criterion/", data).status_code == 302
    one.refresh_from_db()
    assert one.max_points == D("32")
    assert one.history.first().history_user == admin_user


def test_a_published_years_scoring_is_locked(client, seeded, secretary):
    client.force_login(secretary)
    response = client.post("/clusters/cum-2/2023/scoring/open/")
    assert response.status_code == 403
    assert "đã công bố" in html(response)
    assert not Cycle.objects.filter(cluster_year=seeded.years[2023]).exists()


def test_criterion_kinds_show_with_their_signs(client, cycle, secretary):
    client.force_login(secretary)
    page = html(client.get(PAGE))
    assert "−10" in page and "+5 / −10" in page
    assert str(Criterion.Kind.PENALTY.label) in page


def sign_with_scan(cycle, cluster_ii, officer):
    """Lai Châu signs the pledge with its signed scan."""
    services.pledge_sign(
        cycle=cycle,
        by=officer,
        unit=cluster_ii.units["lai-chau"],
        signed_by="Đại tá Nguyễn Văn A",
        signed_on=datetime.date(2024, 1, 15),
        upload=SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4 signed"),
    )


def test_the_cycles_papers_stay_on_the_cycles_pages_not_among_the_years_sources(
    client, cycle, cluster_ii, officer_laichau
):
    """A signed pledge is a paper of the cycle, not the source of a figure: the year page's
    legend of sources lists the year's sources without it."""
    year = cycle.cluster_year
    Source.objects.create(cluster_year=year, title="Báo cáo tổng kết của cụm (minh họa)")
    sign_with_scan(cycle, cluster_ii, officer_laichau)
    client.force_login(officer_laichau)
    legend = html(client.get("/clusters/cum-2/2024/")).split('id="year-provenance"')[1]
    assert "Báo cáo tổng kết của cụm (minh họa)" in legend
    assert "Giao ước thi đua" not in legend
    assert "giao-uoc.pdf" in html(client.get(PAGE))


def test_papers_kept_before_the_flag_are_marked_by_the_migration(
    cycle, cluster_ii, officer_laichau
):
    """emulation 0004 marks the sources the cycle kept before Source.cycle_paper existed."""
    sign_with_scan(cycle, cluster_ii, officer_laichau)
    other = Source.objects.create(cluster_year=cycle.cluster_year, title="Quyết định (minh họa)")
    Source.objects.update(cycle_paper=False)
    import_module("emulation.migrations.0004_mark_cycle_papers").mark(django_apps, None)
    pledge = Pledge.objects.get(cycle=cycle)
    assert Source.objects.get(pk=pledge.document_id).cycle_paper
    assert not Source.objects.get(pk=other.pk).cycle_paper
