"""The search page (/search/?q=): units, people commended, nominated or helped, decisions and
documents, found whatever the accents and the letter case, among the years the viewer may read
only, at a fixed number of queries; and the folded keys it reads, kept by every write path."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from awards.models import AwardKind, Commendation, Nomination
from clusters.models import ClusterYear, Source
from core.search import fill_search_keys, search_key
from pages import search as search_page
from pages.generate import generate
from tests.factories import CommendationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/search/"
DECIDED = datetime.date(2024, 1, 15)


def kind(code="chien-si-thi-dua-co-so"):
    return AwardKind.objects.get(code=code)


def search(client, user, q, status=200):
    client.force_login(user)
    response = client.get(URL, {"q": q})
    assert response.status_code == status, response.content[:500]
    return response


def group(response, key):
    return next(g for g in response.context["groups"] if g.key == key)


def names(response, key) -> list[str]:
    """The people of a group as "rank name (unit short name, year)"."""
    return [str(row) for row in group(response, key).rows]


@pytest.fixture
def world(seeded, other_cluster):
    """Cluster II (2023 published, 2024 open, Sơn La and Lai Châu members) and cluster I (2024
    open, Hà Nội and Hải Phòng) with people and decisions on both sides of the line."""
    lai_chau = seeded.units["lai-chau"]
    ha_noi = other_cluster.memberships.get(unit__slug="ha-noi").unit
    for n in range(3):
        CommendationFactory(
            unit=lai_chau,
            year=2023,
            person_name=f"Nguyễn Thị Ánh Tuyết {n}" if n == 0 else f"Lò Văn Páo {n}",
            person_rank="Thượng úy",
            person_position="Cán bộ",
            decision_number="1234/QĐ-BCA",
            decision_date=DECIDED,
            decision_issuer="Bộ trưởng Bộ Công an",
        )
    CommendationFactory(
        unit=lai_chau,
        year=2022,
        person_name="Lò Văn Páo",
        decision_number="1234/QĐ-BCA",
        decision_date=datetime.date(2023, 1, 10),
        decision_issuer="Bộ trưởng Bộ Công an",
    )
    # cluster I's open year: not for Sơn La's officer
    CommendationFactory(
        unit=ha_noi, year=2024, person_name="Trần Bí Mật", decision_number="77/QĐ-KÍN"
    )
    Nomination.objects.create(
        cluster_year=other_cluster,
        award_kind=kind(),
        unit=ha_noi,
        person_name="Lê Thị Đề Cử",
        person_rank="Trung tá",
        decision_number="88/QĐ-KÍN",
    )
    # cluster II's open year: its members read it
    Nomination.objects.create(
        cluster_year=seeded.years[2024],
        award_kind=kind(),
        unit=lai_chau,
        person_name="Hoàng Văn Ứng Viên",
        person_rank="Đại úy",
    )
    Source.objects.create(
        cluster_year=seeded.years[2023],
        title="Quyết định tặng Bằng khen",
        number="1234/QĐ-BCA",
        issuer="Bộ Công an",
        issued_on=DECIDED,
    )
    Source.objects.create(
        cluster_year=seeded.years[2023],
        title="Biên bản kiểm phiếu 1234",
        number="5/BB",
        cycle_paper=True,
    )
    Source.objects.create(cluster_year=other_cluster, title="Tờ trình kín 1234", number="9/TTr")
    Source.objects.create(title="Thông tư hướng dẫn thi đua", number="1234/2019/TT-BCA")
    return seeded


# --- who may ask --------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL, {"q": "lai chau"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_post_is_refused(client, leader):
    client.force_login(leader)
    assert client.post(URL, {"q": "lai chau"}).status_code == 405


def test_head_answers(client, leader):
    client.force_login(leader)
    assert client.head(URL, {"q": "lai chau"}).status_code == 200


# --- what is found ------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["LAI CHAU", "lai chau", "Lai Châu", "  lai   CHÂU  "])
def test_units_are_found_without_accents_or_case(client, world, officer_sonla, q):
    response = search(client, officer_sonla, q)
    units = group(response, "units")
    assert [u.name for u in units.rows] == ["Công an tỉnh Lai Châu"]
    assert units.total == 1
    assert 'href="/units/lai-chau/"' in response.content.decode()


def test_a_person_helped_is_found_without_accents(client, world, officer_sonla):
    response = search(client, officer_sonla, "vu a di")
    assert names(response, "helped") == ["Đại úy Vừ A Di (Lai Châu, 2023)"]
    html = response.content.decode()
    assert 'href="/clusters/cum-2/2023/"' in html
    assert "Vừ A Di" in html


def test_a_rank_and_name_finds_the_person(client, world, leader):
    response = search(client, leader, "dai uy vu a di")
    assert names(response, "helped") == ["Đại úy Vừ A Di (Lai Châu, 2023)"]


def test_people_commended_are_found_with_rank_unit_year_and_kind(client, world, leader):
    response = search(client, leader, "NGUYEN THI ANH TUYET")
    commended = group(response, "commended")
    assert [str(row) for row in commended.rows] == [
        "Thượng úy Nguyễn Thị Ánh Tuyết 0 (Lai Châu, 2023)"
    ]
    row = commended.rows[0]
    assert row.what == kind().name
    assert row.cluster_slug == "cum-2"  # the year page of the unit's cluster that year
    html = response.content.decode()
    assert 'href="/clusters/cum-2/2023/"' in html
    assert ">2023<" in html and "2.023" not in html
    assert kind().name in html


def test_one_person_in_two_years_is_two_rows_newest_first(client, world, leader):
    response = search(client, leader, "lo van pao")
    assert names(response, "commended") == [
        "Thượng úy Lò Văn Páo 1 (Lai Châu, 2023)",
        "Thượng úy Lò Văn Páo 2 (Lai Châu, 2023)",
        "Đại úy Lò Văn Páo (Lai Châu, 2022)",
    ]
    assert group(response, "commended").total == 3


def test_people_nominated_are_found(client, world, officer_sonla):
    response = search(client, officer_sonla, "ung vien")
    assert names(response, "nominated") == ["Đại úy Hoàng Văn Ứng Viên (Lai Châu, 2024)"]
    assert 'href="/clusters/cum-2/2024/"' in response.content.decode()


def test_a_decision_is_one_row_with_its_records_counted(client, world, leader):
    response = search(client, leader, "1234/QĐ")
    decisions = group(response, "decisions")
    rows = [
        (d["decision_number"], d["decision_date"], d["decision_issuer"], d["year"], d["records"])
        for d in decisions.rows
    ]
    assert rows == [
        ("1234/QĐ-BCA", DECIDED, "Bộ trưởng Bộ Công an", 2023, 3),
        ("1234/QĐ-BCA", datetime.date(2023, 1, 10), "Bộ trưởng Bộ Công an", 2022, 1),
    ]
    assert decisions.total == 2
    # the documents: the decision's own, the guidance without a year; never a cycle paper
    assert [s.title for s in group(response, "documents").rows] == ["Quyết định tặng Bằng khen"]


def test_documents_of_no_year_are_for_every_signed_in_user(client, world, officer_sonla):
    response = search(client, officer_sonla, "THONG TU")
    assert [s.number for s in group(response, "documents").rows] == ["1234/2019/TT-BCA"]


@pytest.mark.parametrize("q", ["1234/qd", "1234/QĐ-BCA", "1234/qđ-bca", "qd-bca"])
def test_decision_numbers_fold_too(client, world, leader, q):
    response = search(client, leader, q)
    assert {d["decision_number"] for d in group(response, "decisions").rows} == {"1234/QĐ-BCA"}


def test_a_nomination_decision_and_a_chair_decision_are_found(client, world, leader):
    year = world.years[2023]
    nomination = Nomination.objects.create(
        cluster_year=year,
        award_kind=kind("don-vi-quyet-thang"),
        unit=world.units["dien-bien"],
        status=Nomination.Status.APPROVED,
        decision_number="4321/QĐ-BCA",
        decision_date=DECIDED,
        decision_issuer="Bộ trưởng",
    )
    ClusterYear.objects.filter(pk=world.years[2024].pk).update(
        chair_decision_number="4321/QĐ-BCA-X", chair_decision_date=DECIDED
    )
    response = search(client, leader, "4321/qd")
    assert [n.pk for n in group(response, "nomination_decisions").rows] == [nomination.pk]
    assert [cy.year for cy in group(response, "chair_decisions").rows] == [2024]
    html = response.content.decode()
    assert "Công an tỉnh Điện Biên" in html and "4321/QĐ-BCA-X" in html


# --- scope --------------------------------------------------------------------------------


def test_an_officer_finds_nothing_of_another_clusters_open_year(client, world, officer_sonla):
    for q, key in (
        ("tran bi mat", "commended"),
        ("le thi de cu", "nominated"),
        ("77/qd", "decisions"),
        ("88/qd", "nomination_decisions"),
        ("to trinh kin", "documents"),
    ):
        response = search(client, officer_sonla, q)
        assert group(response, key).rows == [], q
        assert group(response, key).total == 0, q
        assert "Bí Mật" not in response.content.decode()


def test_the_leader_finds_what_the_officer_may_not(client, world, leader):
    assert names(search(client, leader, "tran bi mat"), "commended") == [
        "Đại úy Trần Bí Mật (Hà Nội, 2024)"
    ]
    assert names(search(client, leader, "le thi de cu"), "nominated") == [
        "Trung tá Lê Thị Đề Cử (Hà Nội, 2024)"
    ]
    assert [s.title for s in group(search(client, leader, "to trinh kin"), "documents").rows] == [
        "Tờ trình kín 1234"
    ]


def test_the_secretariat_reads_its_own_open_year_not_anothers(client, world, secretary):
    # cluster II's secretary: cluster I's open year is not theirs
    assert group(search(client, secretary, "tran bi mat"), "commended").rows == []
    # their own cluster's open year is
    assert names(search(client, secretary, "ung vien"), "nominated") == [
        "Đại úy Hoàng Văn Ứng Viên (Lai Châu, 2024)"
    ]


def test_a_cycle_paper_is_never_found(client, world, admin_user):
    response = search(client, admin_user, "bien ban kiem phieu")
    assert group(response, "documents").rows == []


def test_an_officer_of_no_cluster_reads_only_published_years(client, world):
    outsider_unit = UnitFactory(short_name="Ngoài cụm", slug="ngoai-cum")
    outsider = UserFactory(username="canbo.ngoai", role=Role.UNIT_OFFICER, unit=outsider_unit)
    assert group(search(client, outsider, "ung vien"), "nominated").rows == []
    assert names(search(client, outsider, "nguyen thi anh tuyet"), "commended") == [
        "Thượng úy Nguyễn Thị Ánh Tuyết 0 (Lai Châu, 2023)"
    ]


# --- the query itself ---------------------------------------------------------------------


def test_the_query_is_echoed_and_counts_shown(client, world, leader):
    response = search(client, leader, "lo van pao")
    html = response.content.decode()
    assert 'value="lo van pao"' in html
    assert "Kết quả tìm kiếm: lo van pao" in html
    assert response.context["q"] == "lo van pao"
    assert response.context["found"] == 3


@pytest.mark.parametrize("q", ["", " ", "a", "Đ", "\u0301\u0300", "%", "_"])
def test_an_empty_or_short_query_is_explained(client, world, leader, q):
    response = search(client, leader, q)
    assert response.context["groups"] == []
    html = response.content.decode()
    assert ("Nhập ít nhất 2 ký tự" in html) or ("Nhập tên đơn vị" in html)


def test_two_letters_search_the_small_lists_and_say_why_not_commendations(client, world, leader):
    response = search(client, leader, "la")  # Lai Châu, Lào Cai, Lạng Sơn, Sơn La…
    assert "Công an tỉnh Lai Châu" in [u.name for u in group(response, "units").rows]
    keys = [g.key for g in response.context["groups"]]
    assert "commended" not in keys and "decisions" not in keys
    assert "ít nhất 3 ký tự" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "x" * 10_000,
        "%",
        "%%%",
        "_",
        "a_c",
        "50%",
        "\\",
        "a\\b",
        "lai\x00chau",
        "\x00\x00\x00",
        "\u0301\u0300\u0303",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "\ufeff\u200b",
        "ﷺ𝕏😀",
    ],
)
def test_hostile_input_gets_an_answer_not_an_error(client, world, leader, q):
    response = search(client, leader, q)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_wildcards_are_letters(client, world, leader):
    Source.objects.create(title="Đạt abc xyz", number="")
    assert group(search(client, leader, "a_c"), "documents").rows == []
    assert group(search(client, leader, "a%c"), "documents").rows == []
    assert [s.title for s in group(search(client, leader, "abc"), "documents").rows] == [
        "Đạt abc xyz"
    ]


def test_a_long_query_is_cut_and_says_so(client, world, leader):
    response = search(client, leader, "lai chau" + "x" * 10_000)
    assert len(response.context["q"]) == search_page.MAX_LENGTH
    assert "chỉ tìm theo" in response.content.decode()


def test_the_page_needs_no_inline_script_or_style(client, world, leader):
    """The content security policy blocks them (tests/core/test_deploy.py)."""
    html = search(client, leader, "lo van pao").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\s(on[a-z]+|style)=", html)


def test_a_nul_byte_is_dropped(client, world, leader):
    response = search(client, leader, "lai\x00chau")
    assert response.context["q"] == "lai chau"
    assert [u.name for u in group(response, "units").rows] == ["Công an tỉnh Lai Châu"]


# --- caps and counts ----------------------------------------------------------------------


def test_each_group_shows_a_capped_number_and_says_how_many_more(client, world, leader):
    unit = world.units["son-la"]
    for n in range(search_page.SHOWN + 5):
        CommendationFactory(unit=unit, year=2023, person_name=f"Quàng Văn Mẫu {n}")
    response = search(client, leader, "quang van mau")
    commended = group(response, "commended")
    assert len(commended.rows) == search_page.SHOWN
    assert commended.total == search_page.SHOWN + 5
    assert commended.more == 5
    assert "và 5 kết quả nữa" in response.content.decode()


def test_commendations_are_counted_up_to_a_bound(client, world, leader, monkeypatch):
    monkeypatch.setattr(search_page, "COUNTED", 4)
    monkeypatch.setattr(search_page, "SHOWN", 3)
    unit = world.units["son-la"]
    for n in range(7):
        CommendationFactory(unit=unit, year=2023, person_name=f"Quàng Văn Mẫu {n}")
    response = search(client, leader, "quang van mau")
    commended = group(response, "commended")
    assert len(commended.rows) == 3
    assert commended.at_least and commended.total == 4
    html = response.content.decode()
    assert "Hơn 4 kết quả; đang hiện 3 kết quả đầu" in html
    assert "Hơn 4 kết quả cho “quang van mau”" in html


def test_decisions_grouped_from_a_bounded_number_of_records(client, world, leader, monkeypatch):
    monkeypatch.setattr(search_page, "GROUPED", 2)
    response = search(client, leader, "1234/qd")
    decisions = group(response, "decisions")
    assert decisions.at_least
    assert "số quyết định đầy đủ hơn" in response.content.decode()


# --- queries ------------------------------------------------------------------------------


def _queries(client, q) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"q": q}).status_code == 200
    return len(queries)


# session and user; units; people commended, nominated, helped; decisions of commendations,
# of nominations, of chairs; documents
QUERIES = 10
SHORT_QUERIES = QUERIES - 2  # a two-letter query leaves the commendations out


@pytest.mark.parametrize("who", ["leader", "officer_sonla"])
def test_the_page_costs_the_same_queries_whatever_the_rows(client, world, people, who):
    client.force_login(people[who])
    assert _queries(client, "lo van") == QUERIES
    assert _queries(client, "1234") == QUERIES
    assert _queries(client, "la") == SHORT_QUERIES
    units = list(world.units.values())
    for n in range(40):
        CommendationFactory(
            unit=units[n % len(units)],
            year=2023,
            person_name=f"Lò Văn {n}",
            decision_number=f"1234/QĐ-{n}",
        )
        Source.objects.create(cluster_year=world.years[2023], title=f"Lò Văn {n} 1234")
    for n in range(10):
        Nomination.objects.create(
            cluster_year=world.years[2024],
            award_kind=kind(),
            unit=units[n % len(units)],
            person_name=f"Lò Văn Đề {n}",
            decision_number=f"1234/QĐ-N{n}",
        )
    assert _queries(client, "lo van") == QUERIES
    assert _queries(client, "1234") == QUERIES
    assert _queries(client, "la") == SHORT_QUERIES


# --- the keys -----------------------------------------------------------------------------


def test_the_key_folds_and_joins_spaces():
    assert search_key("Đại úy", " Vừ  A   Di ") == "dai uy vu a di"
    assert search_key("", "Nguyễn Thị Ánh Tuyết") == "nguyen thi anh tuyet"
    assert search_key("1234/QĐ-BCA") == "1234/qd-bca"
    assert search_key(None, "") == ""


def test_save_and_bulk_create_fill_the_keys(cluster_ii):
    unit = cluster_ii.units["lai-chau"]
    saved = CommendationFactory(unit=unit, person_rank="Đại úy", person_name="Vừ A Di")
    assert saved.search_name == "dai uy vu a di"
    assert saved.search_decision == search_key(saved.decision_number)
    [bulk] = Commendation.objects.bulk_create(
        [
            Commendation(
                award_kind=kind(),
                year=2023,
                unit=unit,
                person_name="Lò Thị Mai",
                decision_number="5/QĐ-CAT",
                decision_date=DECIDED,
            )
        ]
    )
    stored = Commendation.objects.filter(person_name="Lò Thị Mai").values_list(
        "search_name", "search_decision"
    )
    assert list(stored) == [("lo thi mai", "5/qd-cat")]
    # a collective commendation has no person to find
    collective = CommendationFactory(unit=unit, person_name="", person_rank="")
    assert collective.search_name == ""
    # a changed name is found under its new spelling
    saved.person_name = "Vừ A Dính"
    saved.save()
    saved.refresh_from_db()
    assert saved.search_name == "dai uy vu a dinh"
    assert bulk.search_name == "lo thi mai"


def test_the_fill_for_existing_rows_computes_every_key(cluster_ii):
    unit = cluster_ii.units["lai-chau"]
    for n in range(5):
        CommendationFactory(unit=unit, person_name=f"Điêu Chính {n}", decision_number=f"{n}/QĐ")
    Commendation.objects.update(search_name="", search_decision="")
    assert fill_search_keys(Commendation, ("search_name", "search_decision"), batch_size=2) == 5
    assert sorted(Commendation.objects.values_list("search_name", "search_decision")) == [
        (f"dai uy dieu chinh {n}", f"{n}/qd") for n in range(5)
    ]


def test_the_fill_writes_a_batch_in_as_many_statements_as_the_database_needs(cluster_ii):
    """SQLite binds at most 999 parameters a statement: 700 rows of 3 take three."""
    Commendation.objects.bulk_create(
        Commendation(
            award_kind=kind(),
            year=2023,
            unit=cluster_ii.units["son-la"],
            person_name=f"Cầm Thị {n}",
            decision_number=f"{n}/QĐ",
            decision_date=DECIDED,
        )
        for n in range(700)
    )
    Commendation.objects.update(search_name="", search_decision="")
    assert fill_search_keys(Commendation, ("search_name", "search_decision")) == 700
    assert set(Commendation.objects.values_list("search_name", flat=True)) == {
        f"cam thi {n}" for n in range(700)
    }


def test_the_generator_writes_the_keys(db):
    generate(clusters=1, units_per_cluster=3, years=2, commendations=12, last_year=2023)
    rows = list(
        Commendation.objects.values_list(
            "person_rank", "person_name", "decision_number", "search_name", "search_decision"
        )
    )
    assert len(rows) > 24  # the individuals of both years and the flags of the published one
    for rank, name, number, name_key, number_key in rows:
        assert name_key == (search_key(rank, name) if name else "")
        assert number_key == search_key(number)


def test_each_database_searches_the_stored_keys_its_own_way(world):
    """Both databases compare the stored folded keys, never fold three million rows per query.
    PostgreSQL serves LIKE '%…%' from the trigram indexes (a few test rows are read faster
    without an index: the planner is left only the bitmap scans) and keeps statistics fine
    enough to tell rare names from common ones; SQLite reads the folded column."""
    searches = (
        ("search_name", search_key("Nguyễn Thị Ánh"), "commendation_search_name_trgm"),
        ("search_decision", search_key("1234/QĐ"), "commendation_search_decision_trgm"),
    )
    for column, term, _index in searches:
        sql = str(Commendation.objects.filter(**{f"{column}__contains": term}).query)
        assert re.search(rf'"{column}"(::text)? LIKE', sql) and "UNACCENT" not in sql.upper(), sql
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
    for column, term, index in searches:
        plan = Commendation.objects.filter(**{f"{column}__contains": term}).order_by().explain()
        assert f"Bitmap Index Scan on {index}" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'awards_commendation'::regclass AND attname LIKE 'search_%%'"
        )
        assert dict(cursor.fetchall()) == {"search_name": 1000, "search_decision": 1000}
