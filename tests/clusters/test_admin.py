import datetime

import pytest
import tablib
from django.urls import reverse

from accounts.access import COMMAND_LINE
from clusters.models import ClusterYear, Membership, Unit
from clusters.workbook import ClusterYearResource, MembershipResource, UnitResource

pytestmark = pytest.mark.django_db


CHANGELISTS = {  # changelist: rows it lists with cluster II and the named people
    "admin:clusters_unit_changelist": 9,
    "admin:clusters_cluster_changelist": 1,
    "admin:clusters_clusteryear_changelist": 3,
    "admin:clusters_membership_changelist": 21,
    "admin:accounts_user_changelist": 5,
}


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_have_a_fixed_number_of_queries(
    admin_client, cluster_ii, people, name, django_assert_max_num_queries
):
    # cluster II has 9 units, 4 years, 28 memberships, 5 users: enough rows to show an N+1.
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["cl"].result_count == CHANGELISTS[name]


def test_change_forms_open(admin_client, cluster_ii, people):
    year = cluster_ii.years[2024]
    for url in (
        reverse("admin:clusters_unit_change", args=[cluster_ii.units["ha-giang"].pk]),
        reverse("admin:clusters_cluster_change", args=[cluster_ii.cluster.pk]),
        reverse("admin:clusters_clusteryear_change", args=[year.pk]),
        reverse("admin:accounts_user_change", args=[people["secretary"].pk]),
        reverse("admin:clusters_clusteryear_add"),
        reverse("admin:accounts_user_add"),
    ):
        assert admin_client.get(url).status_code == 200, url


INLINE_MANAGEMENT_CONFERENCES = {
    "conferences-TOTAL_FORMS": "0",
    "conferences-INITIAL_FORMS": "0",
    "conferences-MIN_NUM_FORMS": "0",
    "conferences-MAX_NUM_FORMS": "1000",
}


def roster_post(year, units, *, chair, vice_chair=None, status="open"):
    data = {
        "chair": chair.pk,
        "vice_chair": vice_chair.pk if vice_chair else "",
        "handover_date": "",
        "handover_note": "",
        "status": status,
        "memberships-TOTAL_FORMS": str(len(units)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        **INLINE_MANAGEMENT_CONFERENCES,
    }
    for i, unit in enumerate(units):
        data[f"memberships-{i}-unit"] = unit.pk
        data[f"memberships-{i}-id"] = ""
        data[f"memberships-{i}-cluster_year"] = year.pk if year else ""
    return data


def test_admin_refuses_a_chair_outside_the_roster(admin_client, cluster_ii):
    year = ClusterYear.objects.create(cluster=cluster_ii.cluster, year=2025)
    units = [cluster_ii.units["son-la"], cluster_ii.units["dien-bien"]]
    data = roster_post(year, units, chair=cluster_ii.units["cao-bang"])
    response = admin_client.post(reverse("admin:clusters_clusteryear_change", args=[year.pk]), data)
    assert response.status_code == 200
    assert "Công an tỉnh Cao Bằng không có trong danh sách thành viên năm này" in (
        response.content.decode()
    )
    year.refresh_from_db()
    assert year.chair is None and year.memberships.count() == 0


def test_admin_saves_a_valid_roster_with_its_chair(admin_client, cluster_ii):
    year = ClusterYear.objects.create(cluster=cluster_ii.cluster, year=2025)
    units = [cluster_ii.units["son-la"], cluster_ii.units["cao-bang"]]
    data = roster_post(
        year, units, chair=cluster_ii.units["cao-bang"], vice_chair=cluster_ii.units["son-la"]
    )
    response = admin_client.post(reverse("admin:clusters_clusteryear_change", args=[year.pk]), data)
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.chair.slug == "cao-bang"
    assert set(year.memberships.values_list("year", flat=True)) == {2025}


def test_admin_refuses_a_unit_already_in_another_cluster(admin_client, cluster_ii, other_cluster):
    units = [*other_cluster.members.all(), cluster_ii.units["lai-chau"]]
    data = roster_post(other_cluster, units, chair=units[0])
    response = admin_client.post(
        reverse("admin:clusters_clusteryear_change", args=[other_cluster.pk]), data
    )
    assert "đã là thành viên của Cụm thi đua số II trong năm 2024" in response.content.decode()
    assert other_cluster.memberships.count() == 2


def test_published_year_is_read_only_in_the_admin_and_reopened_by_action(
    admin_client, cluster_ii, monkeypatch
):
    from clusters import checklist

    monkeypatch.setattr(checklist, "providers", list)  # nothing left unfinished
    year = cluster_ii.years[2023]
    changelist = reverse("admin:clusters_clusteryear_changelist")
    response = admin_client.post(
        changelist, {"action": "publish", "_selected_action": [year.pk]}, follow=True
    )
    assert "Đã công bố Cụm thi đua số II – 2023." in response.content.decode()
    year.refresh_from_db()
    assert year.is_published

    url = reverse("admin:clusters_clusteryear_change", args=[year.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == set()
    # a POST to the frozen form changes nothing
    admin_client.post(url, {"chair": cluster_ii.units["son-la"].pk})
    year.refresh_from_db()
    assert year.chair.slug == "lai-chau"

    admin_client.post(changelist, {"action": "reopen", "_selected_action": [year.pk]})
    year.refresh_from_db()
    assert not year.is_published and year.memberships.count() == 7


def test_reopen_is_refused_to_anyone_but_an_admin(cluster_ii, people):
    from django.core.exceptions import PermissionDenied

    from clusters import services

    year = services.cluster_year_publish(by=COMMAND_LINE, cluster_year=cluster_ii.years[2023])
    with pytest.raises(PermissionDenied):
        services.cluster_year_reopen(cluster_year=year, by=people["secretary"])
    services.cluster_year_reopen(cluster_year=year, by=people["admin"])
    assert not year.is_published


def test_saving_a_user_in_the_admin_keeps_staff_flags_in_step_with_the_role(
    admin_client, people, cluster_ii
):
    leader = people["leader"]
    url = reverse("admin:accounts_user_change", args=[leader.pk])
    response = admin_client.post(
        url,
        {
            "username": "lanhdao",
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": "admin",
            "unit": "",
            "cluster": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.is_staff and leader.is_superuser


def test_unit_export_uses_names_never_ids(cluster_ii):
    dataset = UnitResource().export()
    assert dataset.headers == [
        "Tên đơn vị",
        "Tên ngắn",
        "Mã đường dẫn",
        "Ngày thành lập",
        "Ngày kết thúc",
        "Đơn vị kế thừa",
        "Ghi chú",
    ]
    ha_giang = next(row for row in dataset.dict if row["Mã đường dẫn"] == "ha-giang")
    assert ha_giang["Đơn vị kế thừa"] == "Công an tỉnh Tuyên Quang"
    assert ha_giang["Ngày kết thúc"] == "01/07/2025"


def test_unit_import_by_name_reads_dates_day_first(cluster_ii):
    dataset = tablib.Dataset(
        headers=UnitResource().export().headers,
    )
    dataset.append(
        [
            "Công an tỉnh Bắc Kạn",
            "Bắc Kạn",
            "bac-kan",
            "",
            "05/03/2025",
            "  Công an tỉnh   Cao Bằng ",
            "",
        ]
    )
    result = UnitResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    unit = Unit.objects.get(slug="bac-kan")
    assert unit.ended_on == datetime.date(2025, 3, 5)
    assert unit.successor == cluster_ii.units["cao-bang"]


def test_unknown_names_in_an_import_are_named_and_nothing_is_written(cluster_ii):
    dataset = tablib.Dataset(headers=["Cụm thi đua", "Năm", "Đơn vị"])
    dataset.append(["Cụm thi đua số II", 2024, "Công an tỉnh Không Có"])
    result = MembershipResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert result.has_validation_errors()
    assert result.invalid_rows[0].error_dict == {
        "unit": ["Không tìm thấy đơn vị có tên “Công an tỉnh Không Có”."]
    }
    assert Membership.objects.filter(year=2024).count() == 7


def test_membership_import_refuses_a_unit_of_another_cluster(cluster_ii, other_cluster):
    dataset = tablib.Dataset(headers=["Cụm thi đua", "Năm", "Đơn vị"])
    dataset.append(["Cụm thi đua số I", 2024, "Công an tỉnh Lai Châu"])
    result = MembershipResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert result.has_errors() or result.has_validation_errors()
    assert other_cluster.memberships.count() == 2


def test_cluster_year_round_trip_by_name(cluster_ii):
    dataset = ClusterYearResource().export()
    row = next(r for r in dataset.dict if r["Năm"] == 2024)
    assert row["Cụm thi đua"] == "Cụm thi đua số II"
    assert (row["Cụm trưởng"], row["Phó Cụm trưởng"]) == (
        "Công an tỉnh Lạng Sơn",
        "Công an tỉnh Cao Bằng",
    )
    result = ClusterYearResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 3


def test_admin_never_groups_years(admin_client, cluster_ii):
    pages = [
        reverse("admin:clusters_clusteryear_changelist"),
        reverse("admin:clusters_membership_changelist"),
        reverse("admin:clusters_clusteryear_change", args=[cluster_ii.years[2024].pk]),
    ]
    for url in pages:
        html = admin_client.get(url).content.decode()
        assert "2024" in html and "2.024" not in html and "2.023" not in html, url


def upload(admin_client, url, text, name="don-vi.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = admin_client.get(url).context["form"]
    csv_choice = next(value for value, label in form.fields["format"].choices if label == "csv")
    return admin_client.post(
        url,
        {
            "import_file": SimpleUploadedFile(name, text.encode("utf-8-sig")),
            "format": csv_choice,
        },
    )


def test_admin_import_previews_then_writes_on_confirm(admin_client, cluster_ii):
    url = reverse("admin:clusters_unit_import")
    text = (
        "Tên đơn vị,Tên ngắn,Mã đường dẫn,Ngày thành lập,Ngày kết thúc,Đơn vị kế thừa,Ghi chú\n"
        "Công an tỉnh Bắc Kạn,Bắc Kạn,bac-kan,,01/07/2025,Công an tỉnh Cao Bằng,\n"
    )
    preview = upload(admin_client, url, text)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Xác nhận nhập" in html and "Công an tỉnh Bắc Kạn" in html
    assert not Unit.objects.filter(slug="bac-kan").exists()  # the preview writes nothing

    confirm = preview.context["confirm_form"]
    response = admin_client.post(
        reverse("admin:clusters_unit_process_import"), confirm.initial, follow=True
    )
    assert response.status_code == 200
    unit = Unit.objects.get(slug="bac-kan")
    assert (unit.ended_on, unit.successor.slug) == (datetime.date(2025, 7, 1), "cao-bang")


def test_admin_import_with_an_unknown_name_writes_nothing(admin_client, cluster_ii):
    url = reverse("admin:clusters_unit_import")
    text = (
        "Tên đơn vị,Tên ngắn,Mã đường dẫn,Ngày thành lập,Ngày kết thúc,Đơn vị kế thừa,Ghi chú\n"
        "Công an tỉnh Bắc Kạn,Bắc Kạn,bac-kan,,01/07/2025,Công an tỉnh Cao Bằng,\n"
        "Công an tỉnh Thái Nguyên,Thái Nguyên,thai-nguyen,,01/07/2025,Công an tỉnh Không Có,\n"
    )
    response = upload(admin_client, url, text)
    html = response.content.decode()
    assert "Không tìm thấy đơn vị có tên “Công an tỉnh Không Có”." in html
    assert "Xác nhận nhập" not in html
    assert not Unit.objects.filter(slug__in=["bac-kan", "thai-nguyen"]).exists()
