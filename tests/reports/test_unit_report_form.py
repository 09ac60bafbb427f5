import pytest

from clusters import services
from reports.models import COUNT_FIELDS, UnitReport

pytestmark = pytest.mark.django_db

URL = "/units/lai-chau/2024/report/"
GOOD = {
    "crimes_recorded": "4.213",
    "crimes_solved": "4000",
    "serious_recorded": "30",
    "serious_solved": "29",
    "drug_cases": "400",
    "drug_offenders": "520",
    "commended_collectives": "350",
    "commended_individuals": "1.150",
    "citizen_tips": "620",
    "project06_notes": "Hoàn thành cấp căn cước điện tử.",
    "other_results": "",
    "notes": "",
}


def post(client, user, data, url=URL):
    client.force_login(user)
    return client.post(url, data)


def test_officer_saves_the_report_with_dots_for_thousands(
    client, seeded, officer_laichau, django_assert_max_num_queries
):
    response = post(client, officer_laichau, GOOD)
    assert response.status_code == 302 and response["Location"] == URL
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    assert (report.crimes_recorded, report.commended_individuals) == (4213, 1150)
    page = client.get(URL)
    html = page.content.decode()
    assert "Đã lưu báo cáo năm 2024 của Công an tỉnh Lai Châu." in html
    assert 'value="4.213"' in html  # shown back as typed here
    assert "Năm 2023: 210 vụ phạm tội về TTXH, tỷ lệ khám phá 93,3%." in html
    with django_assert_max_num_queries(9):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("crimes_recorded", "-1", "Giá trị phải lớn hơn hoặc bằng 0."),
        ("drug_cases", "abc", "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “abc”."),
        ("drug_cases", "4,5", "Cần một số nguyên (ví dụ 4213 hoặc 4.213), không phải “4,5”."),
        (
            "drug_cases",
            "4,213",
            "Không rõ “4,213” là bao nhiêu: dấu phẩy ở Việt Nam là dấu thập phân. "
            "Hãy gõ 4213 hoặc 4.213.",
        ),
        ("drug_offenders", "99999999999", "Số quá lớn: tối đa 10.000.000."),
        ("drug_offenders", "10000001", "Số quá lớn: tối đa 10.000.000."),
        ("citizen_tips", "", "Trường này là bắt buộc."),
        ("crimes_solved", "5000", "Không thể lớn hơn số vụ tội phạm về TTXH xảy ra (4.213)."),
        ("serious_solved", "31", "Không thể lớn hơn số án nghiêm trọng xảy ra (30)."),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
    client, seeded, officer_laichau, field, value, message
):
    response = post(client, officer_laichau, {**GOOD, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_a_failed_edit_keeps_the_previous_values(client, seeded, officer_laichau):
    post(client, officer_laichau, GOOD)
    post(client, officer_laichau, {**GOOD, "crimes_recorded": "100", "crimes_solved": "-3"})
    assert UnitReport.objects.get(cluster_year__year=2024).crimes_recorded == 4213


def test_published_year_is_read_only_and_refuses_a_post(client, seeded, officer_laichau):
    client.force_login(officer_laichau)
    url = "/units/lai-chau/2023/report/"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert all(field.disabled for field in form.fields.values())
    assert "Năm thi đua đã công bố: báo cáo chỉ xem được" in response.content.decode()
    assert 'type="submit"' not in response.content.decode().split('id="report-form"')[1]
    response = client.post(url, {**GOOD, "crimes_recorded": "1", "crimes_solved": "1"})
    assert response.status_code == 403
    assert (
        UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2023).crimes_recorded
        == 210
    )


def test_even_the_admin_reopens_before_changing_a_published_report(client, seeded, admin_user):
    response = post(client, admin_user, GOOD, url="/units/lai-chau/2023/report/")
    assert response.status_code == 403
    services.cluster_year_reopen(cluster_year=seeded.years[2023], by=admin_user)
    response = post(client, admin_user, GOOD, url="/units/lai-chau/2023/report/")
    assert response.status_code == 302
    assert (
        UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2023).crimes_recorded
        == 4213
    )


def test_another_units_form_is_a_404_and_changes_nothing(client, seeded, officer_sonla):
    client.force_login(officer_sonla)
    assert client.get(URL).status_code == 404
    assert client.post(URL, GOOD).status_code == 404
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_leadership_reads_but_may_not_write(client, seeded, leader):
    client.force_login(leader)
    response = client.get(URL)
    assert response.status_code == 200
    assert all(f.disabled for f in response.context["form"].fields.values())
    assert client.post(URL, GOOD).status_code == 403
    assert (
        not UnitReport.objects.exists()
        or not UnitReport.objects.filter(cluster_year__year=2024).exists()
    )


def test_the_secretariat_can_enter_a_members_report(client, seeded, secretary):
    assert post(client, secretary, GOOD).status_code == 302
    assert UnitReport.objects.filter(cluster_year__year=2024).count() == 1


def test_a_unit_outside_every_roster_that_year_is_404(client, seeded, admin_user):
    client.force_login(admin_user)
    assert client.get("/units/tuyen-quang/2024/report/").status_code == 404
    assert client.get("/units/lai-chau/2030/report/").status_code == 404
    assert client.get("/units/khong-co/2024/report/").status_code == 404


def test_anonymous_is_sent_to_login(client, seeded):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_form_labels_are_vietnamese(client, seeded, officer_laichau):
    client.force_login(officer_laichau)
    html = client.get(URL).content.decode()
    for label in (
        "Tội phạm về TTXH xảy ra",
        "Ma túy: số vụ bắt giữ",
        "Thông tin tiếp nhận qua Diễn đàn",
    ):
        assert label in html
    assert 'inputmode="numeric"' in html
    assert len(COUNT_FIELDS) == html.count('inputmode="numeric"')


@pytest.mark.parametrize("typed", ["4 213", "4.213", "4213", " 4\u00a0213 "])
def test_the_form_reads_counts_as_the_importer_does(client, seeded, officer_laichau, typed):
    assert post(client, officer_laichau, {**GOOD, "drug_cases": typed}).status_code == 302
    assert UnitReport.objects.get(cluster_year__year=2024).drug_cases == 4213


def test_a_comma_gets_the_importers_explanation_word_for_word(client, seeded, officer_laichau):
    from core.cells import CellError, read_integer

    with pytest.raises(CellError) as importer:
        read_integer("4,213")
    response = post(client, officer_laichau, {**GOOD, "drug_cases": "4,213"})
    assert response.context["form"].errors["drug_cases"] == [str(importer.value)]


def test_errors_are_summed_up_at_the_top_with_links_and_typed_values_stay(
    client, seeded, officer_laichau
):
    typed = {**GOOD, "drug_cases": "4,213", "crimes_solved": "5000", "citizen_tips": "1 620"}
    response = post(client, officer_laichau, typed)
    html = response.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert summary.index('href="#id_crimes_solved"') < summary.index('href="#id_drug_cases"')
    assert "số vụ điều tra, khám phá" in summary.lower()
    assert "ma túy: số vụ bắt giữ" in summary.lower()
    assert summary.count("<li") == 2
    assert html.index('id="error-summary"') < html.index('id="report-form"') or html.index(
        'id="error-summary"'
    ) < html.index('name="crimes_recorded"')
    # what was typed is shown again as typed, the wrong values too
    assert 'value="4,213"' in html and 'value="5000"' in html and 'value="1 620"' in html
    assert 'value="4.213"' in html  # crimes_recorded as typed
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_no_summary_without_errors(client, seeded, officer_laichau):
    client.force_login(officer_laichau)
    assert 'id="error-summary"' not in client.get(URL).content.decode()


def test_a_save_with_implausible_figures_goes_through_and_says_why(
    client, seeded, officer_laichau, django_assert_num_queries
):
    # Lai Châu 2023: 210 crimes, 402 drug cases; 10 of 210 solved would be 4,8%
    typed = {**GOOD, "crimes_recorded": "210", "crimes_solved": "10", "drug_cases": "4.213"}
    response = post(client, officer_laichau, typed)
    assert response.status_code == 302  # never blocked
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    assert report.drug_cases == 4213
    with django_assert_num_queries(8):  # the rules' one among them
        html = client.get(URL).content.decode()
    listed = html[html.index('id="figure-warnings"') :]
    listed = listed[: listed.index("</div>")]
    assert "Đã lưu báo cáo năm 2024" in html
    assert (
        "Công an tỉnh Lai Châu: ma túy: số vụ bắt giữ năm nay là 4.213, năm trước 402 – "
        "tăng gấp 10,5 lần, quá ngưỡng 2 lần. Hãy kiểm tra lại số liệu." in listed
    )
    assert "tỷ lệ điều tra, khám phá tội phạm về TTXH là 4,8% (10/210 vụ), năm trước 93,3%" in (
        listed
    )
    # drug cases ×10, solved 196 → 10 and the rate; the other figures are close to 2023's
    assert listed.count("<li") == 3
    assert "Cảnh báo không chặn việc lưu" in listed


def test_plausible_figures_show_no_warning_list(client, seeded, officer_laichau):
    plausible = {**GOOD, "crimes_recorded": "215", "crimes_solved": "200"}
    assert post(client, officer_laichau, plausible).status_code == 302
    html = client.get(URL).content.decode()
    assert "Đã lưu báo cáo năm 2024" in html
    assert 'id="figure-warnings"' not in html
