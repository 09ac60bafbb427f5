import io

import openpyxl
import pytest

from awards.models import AwardKind, Commendation
from awards.tallies import rebuild_tallies
from tests.factories import CommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousands(seeded):
    """2,000 individual commendations in 2023 spread over the seven units, 30 collective ones."""
    units = list(seeded.years[2023].members.all())
    kind = AwardKind.objects.get(code="chien-si-thi-dua-co-so")
    Commendation.objects.bulk_create(
        CommendationFactory.build(unit=units[i % 7], award_kind=kind) for i in range(2000)
    )
    collective = AwardKind.objects.get(code="don-vi-quyet-thang")
    Commendation.objects.bulk_create(
        CommendationFactory.build(
            unit=units[i % 7], award_kind=collective, person_name="", person_rank=""
        )
        for i in range(30)
    )
    rebuild_tallies()  # bulk_create writes no tally
    return seeded


def test_summary_figures_against_hand_counts(client, thousands, leader, django_assert_num_queries):
    client.force_login(leader)
    # the session, the user, the years, the cluster, the kinds, the records and the nominations
    # grouped, the years' leading units (2) and the units' reports, the filters' choices (2),
    # the flag matrix (2), the listing's groups and rows
    with django_assert_num_queries(15):
        response = client.get("/awards/", {"year": 2023, "cluster": "cum-2"})
    assert response.status_code == 200
    totals = {
        t["award_kind__name"]: (t["collectives"], t["individuals"])
        for t in response.context["totals"]
    }
    assert totals == {"Đơn vị quyết thắng": (30, 0), "Chiến sĩ thi đua cơ sở": (0, 2000)}
    page = response.context["page"]
    assert page.paginator.count == 2030 and len(page.object_list) == 50
    html = response.content.decode()
    assert "2.000" in html and "Trang 1/41" in html
    # the units' own count beside the records (the articles' figure), by year and cluster
    row = response.context["by_cluster"][0]
    assert (row["cluster_year"].year, row["cluster_year"].cluster.slug) == (2023, "cum-2")
    assert (row["reported"]["collectives"], row["reported"]["individuals"]) == (2847, 9341)
    assert row["recorded"] == {"collectives": 30, "individuals": 2000}


def test_summary_query_count_does_not_grow_with_pages(
    client, thousands, leader, django_assert_num_queries
):
    client.force_login(leader)
    with django_assert_num_queries(15):  # the flag matrix is rendered and kept
        client.get("/awards/", {"page": 1})
    # then read from the cache: the session, the user, the years, the filters' choices (3), the
    # listing's groups and rows
    with django_assert_num_queries(8):
        response = client.get("/awards/", {"page": 30})
    assert response.context["page"].number == 30


def test_flag_matrix_shows_the_2018_vote(client, seeded, secretary):
    client.force_login(secretary)
    response = client.get("/awards/", {"cluster": "cum-2"})
    years, rows = response.context["matrix_years"], response.context["matrix_rows"]
    assert years == [2018]
    cells = {unit.slug: cell[0] for unit, cell in rows}
    assert cells["son-la"] == [("Cờ thi đua của Chính phủ", "Đã trình")]
    assert (
        cells["lang-son"]
        == cells["ha-giang"]
        == cells["lai-chau"]
        == [("Cờ thi đua của Bộ Công an", "Đã trình")]
    )
    assert "cao-bang" not in cells


def test_cluster_filter_counts_units_of_that_cluster_that_year(
    client, thousands, other_cluster, leader
):
    CommendationFactory(unit=other_cluster.members.first(), year=2024)
    client.force_login(leader)
    response = client.get("/awards/", {"cluster": "cum-1"})
    assert response.context["page"].paginator.count == 1


def test_bad_filters_show_everything_with_a_message(client, seeded, leader):
    client.force_login(leader)
    response = client.get("/awards/", {"year": "abc", "cluster": "khong-co"})
    assert response.status_code == 200
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_export_is_what_is_shown_with_numbers_and_safe_text(client, thousands, leader):
    unit = thousands.units["son-la"]
    CommendationFactory(unit=unit, person_name='=HYPERLINK("http://x")', year=2023)
    client.force_login(leader)
    response = client.get("/awards/", {"year": 2023, "cluster": "cum-2", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="khen-thuong-cum-2-2023.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Cờ thi đua",
        "Tổng hợp theo hình thức",
        "Theo năm và hình thức",
        "Theo năm và cụm",
        "Cờ theo đơn vị",
        "Danh sách khen thưởng",
    ]
    totals = list(workbook["Tổng hợp theo hình thức"].iter_rows(values_only=True))
    assert totals[0] == ("Hình thức", "Tập thể", "Cá nhân")
    assert ("Chiến sĩ thi đua cơ sở", 0, 2001) in totals
    listing = workbook["Danh sách khen thưởng"]
    assert listing.max_row == 2032  # header + 2031 rows
    assert listing.freeze_panes == "A2"
    dangerous = [c for c in listing["D"] if c.value and str(c.value).startswith("=")]
    assert len(dangerous) == 1
    assert dangerous[0].data_type == "s" and dangerous[0].quotePrefix
    first = next(listing.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[0] == 2023 and hasattr(first[7], "year")  # numbers and dates stay typed


def test_officers_may_not_see_the_summary(client, seeded, officer_laichau):
    client.force_login(officer_laichau)
    assert client.get("/awards/").status_code == 403
    assert 'href="/awards/"' not in client.get("/").content.decode()


def test_every_page_of_the_listing_is_the_plain_ordering_cut_in_fifties(client, thousands, leader):
    """The listing pages through the tallies; what it shows must be exactly the commendations
    in (year, kind, unit, person, id) order, page after page, with nothing left out or twice."""
    for unit in thousands.years[2023].members.all()[:2]:
        CommendationFactory(unit=unit, year=2018, person_name="")  # another year, collective
    # Years in between: page 41 spans the end of 2023 and the start of 2022; page 42 starts
    # inside 2022 and spans 2021 and 2018.
    units = list(thousands.years[2023].members.all())
    for i in range(60):
        CommendationFactory(unit=units[i % 3], year=2022)
    for i in range(4):
        CommendationFactory(unit=units[-1 - i], year=2021, person_name=f"Người {9 - i}")
    client.force_login(leader)
    expected = list(
        Commendation.objects.order_by(
            "-year", "award_kind__order", "unit__short_name", "unit_id", "person_name", "id"
        ).values_list("id", flat=True)
    )
    shown = []
    pages = -(-len(expected) // 50)
    for number in range(1, pages + 1):
        response = client.get("/awards/", {"page": number})
        shown += [c.pk for c in response.context["page"].object_list]
    assert len(expected) == 2096 and shown == expected
    assert pages == 42


def test_the_tallies_follow_every_write_path(seeded, admin_user):
    """A commendation saved, moved and deleted through the services leaves the tallies equal to
    a fresh count (the summary reads them instead of the commendations)."""
    from awards import services
    from awards.tallies import tallies_match

    unit = seeded.years[2024].members.first()
    other = seeded.years[2024].members.last()
    commendation = CommendationFactory.build(unit=unit, year=2024)
    services.commendation_save(commendation=commendation, by=admin_user)
    assert tallies_match()
    commendation.unit = other
    services.commendation_save(commendation=commendation, by=admin_user)
    assert tallies_match()
    services.commendation_delete(commendation=commendation, by=admin_user)
    assert tallies_match()


def test_the_kept_flag_matrix_shows_a_new_flag_at_once(client, seeded, leader, admin_user):
    from awards import services

    client.force_login(leader)
    before = client.get("/awards/").content.decode()
    unit = seeded.years[2023].members.get(slug="lang-son")
    flag = AwardKind.objects.get(code="co-bo-cong-an")
    commendation = CommendationFactory.build(
        unit=unit, year=2021, award_kind=flag, person_name="", person_rank=""
    )
    services.commendation_save(commendation=commendation, by=admin_user)
    after = client.get("/awards/").content.decode()
    assert ">2021<" not in before and ">2021<" in after


def test_an_imported_sheet_leaves_the_tallies_equal_to_a_count(seeded):
    """The workbook writes commendations in bulk batches; the tallies are recounted once at the
    end, for every (unit, year) the batches touched, and a second import of the same file too."""
    import tablib

    from accounts.access import COMMAND_LINE
    from awards.tallies import tallies_match
    from awards.workbook import COMMENDATION_HEADERS, CommendationResource

    rows = [
        [2024, "Chiến sĩ thi đua cơ sở", "Công an tỉnh Sơn La", f"Cán bộ {i}", "Đại úy", "",
         f"{i}/QĐ-CAT", "15/01/2025", "Giám đốc", ""]
        for i in range(2500)
    ]  # fmt: skip
    width = len(COMMENDATION_HEADERS)  # the status and source columns stay empty
    dataset = tablib.Dataset(
        *[row + [""] * (width - len(row)) for row in rows], headers=COMMENDATION_HEADERS
    )
    result = CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    assert tallies_match()
    from awards.models import CommendationTally

    assert (
        CommendationTally.objects.get(
            unit__slug="son-la", year=2024, award_kind__code="chien-si-thi-dua-co-so"
        ).individuals
        == 2500
    )
    CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert tallies_match()


def test_a_flag_imported_from_a_sheet_is_on_the_kept_matrix_at_once(client, seeded, leader):
    """Bulk writes send no signal; the tallies' recount moves the cache's generation on."""
    import tablib

    from accounts.access import COMMAND_LINE
    from awards.workbook import COMMENDATION_HEADERS, CommendationResource

    def matrix(response):
        html = response.content.decode()
        return html[
            html.index('id="flag-matrix"') : html.index("</table>", html.index('id="flag-matrix"'))
        ]

    client.force_login(leader)
    assert ">2020<" not in matrix(client.get("/awards/"))  # the matrix is kept
    row = [2020, "Cờ thi đua của Bộ Công an", "Công an tỉnh Lạng Sơn", "", "", "", "9/QĐ-BCA",
           "15/01/2021", "Bộ trưởng"]  # fmt: skip
    row += [""] * (len(COMMENDATION_HEADERS) - len(row))
    dataset = tablib.Dataset(row, headers=COMMENDATION_HEADERS)
    result = CommendationResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    assert ">2020<" in matrix(client.get("/awards/"))
