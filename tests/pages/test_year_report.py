"""The year's report (báo cáo tổng kết) as a Word file, read back: the administrative heading and
title, every unit's figures as the database holds them, the totals beside the cluster's published
figures, the comparison with last year like with like, the vote, the handover, the welfare, the
leadership's directions; nothing that is not in the data; who may have it; its queries."""

import datetime
import io
import re

import pytest
from django.db.models import Sum
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from accounts.models import Role
from awards import services as award_services
from awards.models import AwardKind, Nomination
from clusters.models import ClusterYear
from core import rates
from reports.models import COUNT_FIELDS, Conference, PublishedFigure, UnitReport
from tests.factories import UnitReportFactory, UserFactory
from tests.pages.test_query_budget import grow
from welfare import services as welfare_services
from welfare.models import Beneficiary, Contribution, Support

pytestmark = pytest.mark.django_db


def url(year, slug="cum-2"):
    return reverse("pages:year_report", args=[slug, year])


def paragraphs_of(document) -> list[str]:
    """Every paragraph of the document, its tables' cells included, in order."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return lines


def fetch(client, year, slug="cum-2"):
    response = client.get(url(year, slug))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    document = Document(io.BytesIO(response.content))
    return response, document, "\n".join(paragraphs_of(document))


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_starting(document, *headers) -> list[list[str]]:
    for table in document.tables:
        rows = rows_of(table)
        if rows[0][: len(headers)] == list(headers):
            return rows
    raise AssertionError(f"no table with the headers {headers}")


def vi(value) -> str:
    """4213 -> "4.213", as the report writes it."""
    return f"{value:,}".replace(",", ".")


def vi_rate(value) -> str:
    return "—" if value is None else str(value).replace(".", ",") + "%"


@pytest.fixture
def reader(client, leader):
    client.force_login(leader)
    return client


def test_the_2023_report_has_the_administrative_heading_and_title(reader, seeded):
    response, document, text = fetch(reader, 2023)
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-tong-ket-cum-2-2023.docx"'
    )
    heading = rows_of(document.tables[0])[0]
    assert heading[0].splitlines()[:2] == ["BỘ CÔNG AN", "CỤM THI ĐUA SỐ II"]
    assert "Số: ……/BC-CTĐ" in heading[0]  # the number is the clerk's
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[1]
    # the conference was in Lai Châu; the article gives no date: dotted
    assert "Lai Châu, ngày …… tháng …… năm ……" in heading[1]
    assert (
        "BÁO CÁO\nTổng kết phong trào thi đua “Vì an ninh Tổ quốc” năm 2023 của Cụm thi đua số II"
        in text
    )
    assert "Nơi nhận:" in text and "TM. CỤM THI ĐUA SỐ II" in text
    # a table running over a page repeats its header; the signature is never cut from its title
    results = next(t for t in document.tables if t.rows[0].cells[0].text == "Đơn vị")
    assert results.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    signature = document.tables[-1]
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_every_units_row_is_its_report_and_the_totals_are_their_sums(reader, seeded):
    _response, document, text = fetch(reader, 2023)
    year = seeded.years[2023]
    reports = list(UnitReport.objects.filter(cluster_year=year).select_related("unit"))
    assert len(reports) == 7
    crimes = table_starting(document, "Đơn vị", "Xảy ra (vụ)")
    others = table_starting(document, "Đơn vị", "Ma túy: số vụ")
    for report in reports:
        # every 2023 figure of a unit is an illustrative split: marked on its row
        name = f"{report.unit.short_name} (minh họa)"
        row = next(r for r in crimes if r[0] == name)
        assert row[1:] == [
            vi(report.crimes_recorded),
            vi(report.crimes_solved),
            vi_rate(rates.rate(report.crimes_solved, report.crimes_recorded)),
            "—",  # no 2022 report: no change to tell
            vi(report.serious_recorded),
            vi(report.serious_solved),
            vi_rate(rates.rate(report.serious_solved, report.serious_recorded)),
        ]
        row = next(r for r in others if r[0] == name)
        assert row[1:] == [
            vi(report.drug_cases),
            vi(report.drug_offenders),
            vi(report.commended_collectives),
            vi(report.commended_individuals),
            vi(report.citizen_tips),
        ]
    sums = UnitReport.objects.filter(cluster_year=year).aggregate(
        **{name: Sum(name) for name in COUNT_FIELDS}
    )
    total = next(r for r in crimes if r[0].startswith("Tổng các đơn vị"))
    assert total[1:3] == [vi(sums["crimes_recorded"]), vi(sums["crimes_solved"])]
    assert total[3] == vi_rate(rates.rate(sums["crimes_solved"], sums["crimes_recorded"]))
    total = next(r for r in others if r[0].startswith("Tổng các đơn vị"))
    assert total[1:] == [
        vi(sums[name])
        for name in (
            "drug_cases",
            "drug_offenders",
            "commended_collectives",
            "commended_individuals",
            "citizen_tips",
        )
    ]
    # the cluster's own figures beside the sums, each in its column, said which is which
    published = next(r for r in others if r[0] == "Số liệu cụm công bố")
    assert published[1:] == ["4.213", "5.435", "2.847", "9.341", ""]
    figures = {f.figure: f.value for f in PublishedFigure.objects.filter(cluster_year=year)}
    assert figures == {
        "drug_cases": 4213,
        "drug_offenders": 5435,
        "commended_collectives": 2847,
        "commended_individuals": 9341,
    }
    # the cluster published no crime figure: no row of them
    assert not any(r[0] == "Số liệu cụm công bố" for r in crimes)
    assert "“Số liệu cụm công bố” là số liệu do cụm công bố" in text
    assert "“(minh họa)”: minh họa (dữ liệu mẫu)" in text  # the marks' legend
    assert "Chưa có số liệu năm 2022 của cụm để so sánh." in text


def test_the_units_results_as_charts_images_under_their_tables(reader, seeded):
    _response, document, text = fetch(reader, 2023)
    # crimes, clearance rates, drugs, commendations: every unit side by side, as PNG images
    # 160 mm wide (the text's width less a margin)
    assert len(document.inline_shapes) == 4
    assert all(round(shape.width.mm) == 160 for shape in document.inline_shapes)
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 4 and all(image.blob.startswith(b"\x89PNG") for image in images)
    assert "3. Biểu đồ" in text
    _response, document, text = fetch(reader, 2018)  # no unit's figures: no chart
    assert len(document.inline_shapes) == 0 and "Biểu đồ" not in text


def test_the_handover_to_next_years_chair_and_vice_chair(reader, seeded):
    _response, _document, text = fetch(reader, 2023)
    assert (
        "Công an tỉnh Lai Châu (Cụm trưởng năm 2023) bàn giao đơn vị Cụm trưởng năm 2024 cho "
        "Công an tỉnh Lạng Sơn, Phó Cụm trưởng năm 2024 cho Công an tỉnh Cao Bằng." in text
    )


def test_the_house_and_the_conference_of_2023(reader, seeded):
    _response, document, text = fetch(reader, 2023)
    house = table_starting(document, "TT", "Người được hỗ trợ")
    assert house[1][1] == "Đại úy Vừ A Di, Phó trưởng Công an xã Khổng Lào (Lai Châu)"
    assert house[1][3] == "chưa có số liệu"  # the article gives no cost
    assert house[1][4] == "Đã khánh thành, bàn giao 21/11/2023"
    assert "Cụm thi đua số II tổ chức Hội nghị tổng kết" in text
    assert "do Công an tỉnh Lai Châu đăng cai" in text
    assert "Chủ trì, chỉ đạo hội nghị: …………\n" in text  # not in the article
    assert "Dự hội nghị: Cục Công tác Đảng và công tác Chính trị, Bộ Công an" in text
    assert "Chưa có kết quả bình xét, suy tôn." in text  # the 2023 article tells no vote


def test_the_2018_vote_welfare_and_directions(reader, seeded):
    _response, document, text = fetch(reader, 2018)
    votes = table_starting(document, "TT", "Hình thức")
    nominations = list(
        Nomination.objects.filter(cluster_year=seeded.years[2018])
        .select_related("award_kind", "unit")
        .order_by("award_kind__order", "rank_order")
    )
    assert [row[1:3] for row in votes[1:]] == [
        [n.award_kind.name, n.unit.name] for n in nominations
    ]
    assert votes[1][1:] == [
        "Cờ thi đua của Chính phủ",
        "Công an tỉnh Sơn La",
        "không ghi",  # the article gives no counts
        "Đã trình",
        "",
    ]
    assert [row[2] for row in votes[2:]] == [
        "Công an tỉnh Lạng Sơn",
        "Công an tỉnh Hà Giang",
        "Công an tỉnh Lai Châu",
    ]
    assert "Đơn vị dẫn đầu cụm: Công an tỉnh Sơn La." in text
    # no unit's figures in 2018: said so, no table made up
    assert "Chưa có số liệu báo cáo của các đơn vị." in text
    assert not any(t.rows[0].cells[0].text == "Đơn vị" for t in document.tables)
    collected = Contribution.objects.filter(fund__cluster_year=seeded.years[2018]).aggregate(
        total=Sum("amount")
    )["total"]
    assert collected == 140_000_000
    assert "Tổng số tiền đóng góp: 140.000.000 đồng (140 triệu đồng) (minh họa)" in text
    supports = table_starting(document, "TT", "Người được hỗ trợ")
    assert [row[3] for row in supports[1:]] == ["70.000.000 (minh họa)"] * 2
    # the marks are spelled out here too: 2018 has no results table and its legend
    assert "Ký hiệu: “(minh họa)”: minh họa (dữ liệu mẫu)." in text
    conference = Conference.objects.get(cluster_year=seeded.years[2018])
    assert "Phát biểu chỉ đạo tại hội nghị, Đại tá Nguyễn Công Bẩy:" in text
    for line in conference.directions.splitlines():
        assert line in text
    assert "Cụm trưởng, Phó Cụm trưởng năm 2019: chưa có số liệu." in text


def numbers_in(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,/]\d+)*", text))


def invented(text: str, allowed: set[str]) -> set[str]:
    """The numbers of `text` the data does not give; "5/7" (votes, units compared) is two."""
    found = set()
    for number in numbers_in(text) - allowed:
        if "/" in number:
            found |= {part for part in number.split("/") if part not in allowed}
        else:
            found.add(number)
    return found


def allowed_numbers(cluster_year) -> set[str]:
    """Every number the year's data holds or gives, written the Vietnamese way: counts, sums,
    rates and changes, money, dates, years, and the numbers inside its texts."""
    allowed = {str(n) for n in range(1, 16)}  # ordinals of rows and sections
    for year in (cluster_year.year - 1, cluster_year.year, cluster_year.year + 1):
        allowed.add(str(year))
    values = []
    texts = []
    reports = list(UnitReport.objects.filter(cluster_year=cluster_year))
    for report in reports:
        values += [getattr(report, name) for name in COUNT_FIELDS]
        texts += [report.notes]
        allowed |= {
            vi_rate(report.clearance_rate)[:-1],
            vi_rate(report.serious_rate)[:-1],
        }
    sums = {name: sum(getattr(r, name) for r in reports) for name in COUNT_FIELDS}
    values += list(sums.values())
    allowed |= {
        vi_rate(rates.rate(sums["crimes_solved"], sums["crimes_recorded"]))[:-1],
        vi_rate(rates.rate(sums["serious_solved"], sums["serious_recorded"]))[:-1],
    }
    values += list(
        PublishedFigure.objects.filter(cluster_year=cluster_year).values_list("value", flat=True)
    )
    for conference in Conference.objects.filter(cluster_year=cluster_year):
        texts += [conference.guests, conference.highlights, conference.directions]
        texts += [conference.slogan, conference.notes, conference.place]
        texts += [conference.presiding_name, conference.presiding_title]
        if conference.date:
            allowed.add(conference.date.strftime("%d/%m/%Y"))
    for nomination in Nomination.objects.filter(cluster_year=cluster_year):
        values += [nomination.votes_for, nomination.council_size]
        allowed.add(vi_rate(nomination.vote_percent)[:-1])
        texts += [nomination.decision_number, nomination.notes]
        if nomination.decision_date:
            allowed.add(nomination.decision_date.strftime("%d/%m/%Y"))
    for contribution in Contribution.objects.filter(fund__cluster_year=cluster_year):
        values.append(contribution.amount)
    for support in Support.objects.filter(fund__cluster_year=cluster_year).select_related(
        "beneficiary", "fund"
    ):
        values += [support.amount, support.fund.target]
        texts += [support.beneficiary.full_name, support.fund.title, support.fund.notes]
        texts += [support.notes, support.beneficiary.position]
        for day in (support.handed_over_on, support.building_started_on, support.approved_on):
            if day:
                allowed |= {day.strftime("%d/%m/%Y"), day.strftime("%d/%m")}
    funds = {}
    for contribution in Contribution.objects.filter(fund__cluster_year=cluster_year):
        funds[contribution.fund_id] = funds.get(contribution.fund_id, 0) + contribution.amount
    values += list(funds.values())
    values.append(len(cluster_year.memberships.all()))
    for source in cluster_year.sources.all():
        texts.append(str(source))
    following = ClusterYear.objects.filter(
        cluster=cluster_year.cluster, year=cluster_year.year + 1
    ).first()
    if following:
        texts.append(following.handover_note)
        if following.handover_date:
            allowed.add(following.handover_date.strftime("%d/%m/%Y"))
    for value in values:
        if value is not None:
            allowed |= {vi(value), str(value)}
            if value >= 1_000_000 and value % 100_000 == 0:
                allowed.add(vi(value // 1_000_000))  # "140 triệu đồng"
    for text in texts:
        allowed |= numbers_in(text or "")
    return allowed


@pytest.mark.parametrize("year", [2018, 2023])
def test_no_figure_that_is_not_in_the_data(reader, seeded, year):
    _response, _document, text = fetch(reader, year)
    assert not invented(text, allowed_numbers(seeded.years[year]))


def test_the_change_against_last_year_only_over_the_units_that_reported_both_years(reader, seeded):
    year = seeded.years[2024]
    for slug in ("lai-chau", "son-la", "cao-bang"):
        UnitReportFactory(cluster_year=year, unit=seeded.units[slug])
    _response, document, text = fetch(reader, 2024)
    assert "chỉ so sánh 3/7 đơn vị báo cáo cả hai năm" in text
    last = UnitReport.objects.filter(
        cluster_year=seeded.years[2023], unit__slug__in=["lai-chau", "son-la", "cao-bang"]
    ).aggregate(crimes=Sum("crimes_recorded"), drugs=Sum("drug_cases"))
    table = table_starting(document, "Chỉ tiêu", "Năm 2023 (minh họa)")
    crimes = next(r for r in table if r[0] == "Tội phạm về TTXH xảy ra (vụ)")
    change = rates.change(300, last["crimes"])
    assert crimes[1:] == [
        vi(last["crimes"]),
        vi(300),
        f"{change.label} {vi_rate(change.percent)}",
    ]
    drugs = next(r for r in table if r[0] == "Ma túy: số vụ")
    assert drugs[1:3] == [vi(last["drugs"]), "15"]
    # the units that did not report are named
    assert "Chưa có báo cáo của: Điện Biên, Hà Giang, Lào Cai, Lạng Sơn." in text


@pytest.fixture
def decided_2024(seeded, admin_user):
    """2024 with a conference (its guests typed with a stray control character), a flag
    approved by a decision, a person's proposal withdrawn, and a house handed over before the
    conference."""
    year = seeded.years[2024]
    Conference.objects.create(
        cluster_year=year,
        kind=Conference.Kind.YEAR_END,
        date=datetime.date(2024, 12, 10),
        host=seeded.units["lang-son"],
        place="Lạng Sơn",
        presiding_rank="Thiếu tướng",
        presiding_name="Trần Văn Bình",
        presiding_title="Cục trưởng",
        guests="Đại diện lãnh đạo\x0b Cục Công tác Đảng",
        directions="Tiếp tục đẩy mạnh phong trào.\nNâng cao chất lượng điều tra.",
    )
    quyet_thang = AwardKind.objects.get(code="don-vi-quyet-thang")
    approved = award_services.nomination_propose(
        cluster_year=year,
        award_kind=quyet_thang,
        unit=seeded.units["lai-chau"],
        votes_for=7,
        council_size=7,
        by=admin_user,
    )
    award_services.nomination_submit(nomination=approved, by=admin_user)
    award_services.nomination_decide(
        nomination=approved,
        approved=True,
        by=admin_user,
        decision_number="45/QĐ-BCA",
        decision_date=datetime.date(2024, 12, 20),
        decision_issuer="Bộ trưởng Bộ Công an",
    )
    person = award_services.nomination_propose(
        cluster_year=year,
        award_kind=AwardKind.objects.get(code="bang-khen-bo-truong"),
        unit=seeded.units["son-la"],
        person_name="Nguyễn Văn An",
        person_rank="Thiếu tá",
        by=admin_user,
    )
    award_services.nomination_submit(nomination=person, by=admin_user)
    award_services.nomination_withdraw(nomination=person, by=admin_user, reason="Trùng hồ sơ")
    fund = welfare_services.fund_open(cluster_year=year, title="Quỹ nghĩa tình 2024", by=admin_user)
    welfare_services.contribution_add(
        fund=fund,
        amount=50_000_000,
        given_on=datetime.date(2024, 3, 1),
        by=admin_user,
        unit=seeded.units["son-la"],
    )
    officer = welfare_services.beneficiary_save(
        beneficiary=Beneficiary(
            full_name="Lò Văn Páo",
            rank="Trung úy",
            position="Cán bộ Công an xã Mường So",
            place="Xã Mường So, huyện Phong Thổ",
            unit=seeded.units["lai-chau"],
        ),
        by=admin_user,
        cluster_year=year,
    )
    welfare_services.support_save(
        support=Support(
            fund=fund,
            beneficiary=officer,
            kind=Support.Kind.HOUSE,
            amount=40_000_000,
            handed_over_on=datetime.date(2024, 12, 1),
        ),
        by=admin_user,
    )
    return year


def test_decisions_withdrawals_and_a_stray_control_character(reader, decided_2024):
    _response, document, text = fetch(reader, 2024)
    assert "Lạng Sơn, ngày 10 tháng 12 năm 2024" in text
    assert "Chủ trì, chỉ đạo hội nghị: Thiếu tướng Trần Văn Bình, Cục trưởng." in text
    assert "Dự hội nghị: Đại diện lãnh đạo Cục Công tác Đảng." in text  # \x0b dropped
    votes = table_starting(document, "TT", "Hình thức")
    # in the kinds' order: the Minister's certificate, then "Đơn vị quyết thắng"
    assert votes[1][1:] == [
        "Bằng khen của Bộ trưởng Bộ Công an",
        "Thiếu tá Nguyễn Văn An (Sơn La)",
        "không ghi",
        "Đã rút (lý do: Trùng hồ sơ)",
        "",
    ]
    assert votes[2][1:] == [
        "Đơn vị quyết thắng",
        "Công an tỉnh Lai Châu",
        "7/7 (100,0%)",
        "Được khen thưởng",
        "Số 45/QĐ-BCA, ngày 20/12/2024, Bộ trưởng Bộ Công an",
    ]
    assert not invented(text, allowed_numbers(decided_2024))


def test_anonymous_is_sent_to_login_and_another_clusters_officer_gets_404(
    client, seeded, other_cluster
):
    response = client.get(url(2024))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=other_cluster.members.first())
    client.force_login(officer)
    assert client.get(url(2024)).status_code == 404
    assert client.get(url(2023)).status_code == 200  # a published year: every signed-in user
    assert client.post(url(2023)).status_code == 405
    assert client.get(url(2031)).status_code == 404


# session and user; the year with its people and roster (2); its conferences; the sources and
# the published figures (2); the next year; last year's statuses; the reports; the sums of this
# year and last; the nominations; the funds, contributions and supports (3)
REPORT_QUERIES = 15


def test_the_report_reads_each_kind_of_record_once(
    client, seeded, secretary, admin_user, django_assert_num_queries
):
    grow(seeded, secretary, admin_user, 1)
    client.force_login(secretary)
    client.get(url(2024))
    with django_assert_num_queries(REPORT_QUERIES):
        fetch(client, 2024)
    grow(seeded, secretary, admin_user, 4)
    with django_assert_num_queries(REPORT_QUERIES):
        _response, document, _text = fetch(client, 2024)
    assert len(table_starting(document, "Đơn vị", "Xảy ra (vụ)")) == 1 + 12 + 1  # and the total
