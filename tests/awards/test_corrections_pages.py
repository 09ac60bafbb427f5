"""Issue 12 on the pages: correcting and withdrawing on the edit page, and the Ministry's late
decision on a published year's page, with who may do it and what every page then shows."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from awards import services
from awards.models import AwardKind, Commendation, Nomination, NominationEvent
from clusters.models import Source
from tests.factories import UserFactory
from tests.sections import post_section as post_known_section

pytestmark = pytest.mark.django_db

EDIT = "/clusters/cum-2/2024/edit/"
LATE_2018 = "/clusters/cum-2/2018/late-decision/"
LATE_2024 = "/clusters/cum-2/2024/late-decision/"
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


def flag():
    return AwardKind.objects.get(code="co-bo-cong-an")


def vote(seeded, slug="son-la", by=None, **kwargs):
    return services.nomination_propose(
        cluster_year=seeded.years[2024],
        award_kind=flag(),
        unit=seeded.units[slug],
        by=by,
        votes_for=7,
        council_size=7,
        **kwargs,
    )


def post_section(client, edit_url, data):
    """tests.sections knows the sections of before; the withdrawal is posted here."""
    data = dict(data)
    if data["action"] != "withdraw":
        return post_known_section(client, edit_url, data)
    del data["action"]
    return client.post(edit_url + "withdraw/", data, follow=True)


def form_data(nomination, **overrides):
    return {
        "action": "nominate",
        "nomination": nomination.pk,
        "award_kind": nomination.award_kind_id,
        "unit": nomination.unit_id,
        "votes_for": nomination.votes_for,
        "council_size": nomination.council_size,
        "person_name": "",
        "person_rank": "",
        "person_position": "",
        "rank_order": "",
        "achievements": "",
        **overrides,
    }


def late_2018(seeded, slug="lang-son"):
    return Nomination.objects.get(
        cluster_year=seeded.years[2018], unit=seeded.units[slug], award_kind__is_flag=True
    )


def late_data(nomination, **overrides):
    return {
        "nomination": nomination.pk,
        "approved": "1",
        "decision_number": "1234/QĐ-BCA",
        "decision_date": "20/03/2019",
        "decision_issuer": "Bộ trưởng Bộ Công an",
        **overrides,
    }


def today():
    return timezone.localdate().strftime("%d/%m/%Y")


# --- editing on the edit page ---------------------------------------------------------------


def test_edit_opens_the_same_form_filled_and_saves_the_correction(client, seeded, secretary):
    nomination = vote(seeded, by=secretary, achievements="Bản đầu")
    client.force_login(secretary)
    page = client.get(EDIT).content.decode()
    assert f'href="?edit={nomination.pk}#nomination-form"' in page
    plain = count_queries(client, EDIT)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EDIT, {"edit": nomination.pk})
    assert len(queries) == plain  # the nomination being corrected is among those listed
    html = response.content.decode()
    assert f'<input type="hidden" name="nomination" value="{nomination.pk}">' in html
    assert "Sửa đề nghị Cờ thi đua của Bộ Công an – Công an tỉnh Sơn La" in html
    form = response.context["nomination_form"]
    assert (form.initial["unit"], form.initial["votes_for"], form.initial["achievements"]) == (
        seeded.units["son-la"].pk,
        7,
        "Bản đầu",
    )

    response = post_section(client, EDIT, form_data(nomination, votes_for="6"))
    assert "Đã sửa kết quả bình xét." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.votes_for == 6 and Nomination.objects.count() == 5  # 4 of 2018 + this


def test_a_refused_correction_stays_a_correction_of_the_same_nomination(client, seeded, secretary):
    nomination = vote(seeded, by=secretary)
    client.force_login(secretary)
    response = post_section(client, EDIT, form_data(nomination, votes_for="5"))
    html = response.content.decode()
    assert "mới đạt 5/7 phiếu (71,4%)" in html
    assert f'<input type="hidden" name="nomination" value="{nomination.pk}">' in html
    nomination.refresh_from_db()
    assert nomination.votes_for == 7


def test_a_submitted_nomination_has_no_edit_link_and_ignores_edit(client, seeded, secretary):
    nomination = vote(seeded, by=secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    client.force_login(secretary)
    response = client.get(EDIT, {"edit": nomination.pk})
    assert response.context["editing"] is None
    assert 'href="?edit=' not in response.content.decode()


# --- withdrawing on the edit page -----------------------------------------------------------


def test_withdrawing_a_proposal_removes_it(client, seeded, secretary):
    nomination = vote(seeded, by=secretary)
    client.force_login(secretary)
    response = post_section(
        client, EDIT, {"action": "withdraw", "nomination": nomination.pk, "reason": ""}
    )
    assert "Đã rút đề nghị." in response.content.decode()
    assert not Nomination.objects.filter(pk=nomination.pk).exists()


def test_a_submitted_withdrawal_needs_its_reason_and_shows_it_everywhere(
    client, seeded, secretary, leader
):
    nomination = vote(seeded, by=secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    client.force_login(secretary)
    response = post_section(
        client, EDIT, {"action": "withdraw", "nomination": nomination.pk, "reason": " "}
    )
    assert "Đề nghị đã trình chỉ rút được khi nêu rõ lý do." in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"

    post_section(
        client,
        EDIT,
        {
            "action": "withdraw",
            "nomination": nomination.pk,
            "reason": "Cán bộ vi phạm",
            "form_token": "rut-1",
        },
    )
    shown = "Đã rút (lý do: Cán bộ vi phạm)"
    assert shown in client.get(EDIT).content.decode()
    assert shown in client.get("/clusters/cum-2/2024/").content.decode()
    assert shown in client.get("/units/son-la/").content.decode()
    client.force_login(leader)
    assert shown in client.get("/awards/", {"year": 2024}).content.decode()


@pytest.mark.parametrize(
    "who,status", [("leader", 403), ("officer_sonla", 403), ("other_secretary", 404)]
)
def test_withdrawal_is_refused_to_others(
    client, seeded, secretary, people, other_cluster, who, status
):
    people["other_secretary"] = UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster)
    nomination = vote(seeded, by=secretary)
    client.force_login(people[who])
    response = client.post(EDIT + "withdraw/", {"nomination": nomination.pk, "reason": ""})
    assert response.status_code == status
    assert Nomination.objects.filter(pk=nomination.pk).exists()


def test_withdraw_is_post_only_and_asks_to_log_in(client, seeded, secretary):
    nomination = vote(seeded, by=secretary)
    response = client.post(EDIT + "withdraw/", {"nomination": nomination.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(secretary)
    assert client.get(EDIT + "withdraw/").status_code == 405
    assert Nomination.objects.filter(pk=nomination.pk).exists()


# --- the late decision ----------------------------------------------------------------------


def test_the_secretariat_records_a_late_decision_and_every_page_marks_it(
    client, seeded, secretary, leader
):
    nomination = late_2018(seeded)
    client.force_login(secretary)
    year_page = client.get("/clusters/cum-2/2018/").content.decode()
    assert f'id="late-decision-{nomination.pk}"' in year_page
    assert 'enctype="multipart/form-data"' in year_page and 'name="form_token"' in year_page

    upload = SimpleUploadedFile("qd-1234.pdf", PDF, content_type="application/pdf")
    response = client.post(
        LATE_2018, {**late_data(nomination), "document": upload, "form_token": "late-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/clusters/cum-2/2018/#awards"

    mark = f"Bổ sung sau công bố ngày {today()}"
    html = client.get("/clusters/cum-2/2018/").content.decode()
    assert "Đã ghi quyết định đến sau." in html
    row = re.search(rf'<tr data-nomination="{nomination.pk}".*?</tr>', html, re.S).group(0)
    assert "Được khen thưởng" in row and mark in row
    assert "1234/QĐ-BCA, 20/03/2019 (Bộ trưởng Bộ Công an)" in row
    source = Source.objects.get(number="1234/QĐ-BCA")
    assert f'href="/sources/{source.pk}/file/"' in row or source.get_file_url() in row
    assert f'id="late-decision-{nomination.pk}"' not in html  # decided: no form any more
    assert mark in client.get("/units/lang-son/").content.decode()
    client.force_login(leader)
    assert mark in client.get("/awards/", {"year": 2018}).content.decode()
    assert Commendation.objects.filter(nomination=nomination, year=2018).exists()
    event = NominationEvent.objects.get(nomination=nomination, amendment=True)
    assert (event.by, event.source_id) == (secretary, source.pk)


def test_the_same_late_form_posted_twice_is_written_once(client, seeded, admin_user):
    nomination = late_2018(seeded)
    client.force_login(admin_user)
    data = {**late_data(nomination, approved="0", decision_number="7/TB"), "form_token": "twice"}
    assert client.post(LATE_2018, data).status_code == 302
    response = client.post(LATE_2018, data, follow=True)
    assert "đã được ghi ở lần gửi trước" in response.content.decode()
    assert Source.objects.filter(number="7/TB").count() == 1
    assert NominationEvent.objects.filter(nomination=nomination, amendment=True).count() == 1


def test_a_refused_late_decision_comes_back_open_with_what_was_typed(client, seeded, secretary):
    nomination = late_2018(seeded)
    client.force_login(secretary)
    response = client.post(
        LATE_2018,
        late_data(nomination, decision_number="", decision_issuer="Bộ Công an"),
        follow=True,
    )
    html = response.content.decode()
    assert "Khen thưởng được duyệt cần số và ngày của quyết định." in html
    assert f'id="late-decision-{nomination.pk}" open' in html
    assert 'value="Bộ Công an"' in html
    nomination.refresh_from_db()
    assert nomination.status == "submitted" and not Source.objects.filter(issuer="Bộ Công an")


def test_a_bad_file_is_refused_on_the_page(client, seeded, secretary):
    nomination = late_2018(seeded)
    client.force_login(secretary)
    upload = SimpleUploadedFile("qd.pdf", b"MZ....", content_type="application/pdf")
    response = client.post(LATE_2018, {**late_data(nomination), "document": upload}, follow=True)
    assert "Nội dung tệp không phải PDF như tên tệp cho biết." in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"


def test_an_open_year_is_refused_an_amendment(client, seeded, secretary):
    nomination = vote(seeded, by=secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    client.force_login(secretary)
    response = client.post(LATE_2024, late_data(nomination), follow=True)
    assert "Năm thi đua chưa công bố" in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"


@pytest.mark.parametrize(
    "who,status",
    [
        ("leader", 403),
        ("officer_laichau", 403),
        ("other_secretary", 404),
        ("other_officer", 404),
    ],
)
def test_late_decisions_are_refused_to_others(client, seeded, people, other_cluster, who, status):
    people["other_secretary"] = UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster)
    people["other_officer"] = UserFactory(
        role=Role.UNIT_OFFICER, unit=other_cluster.memberships.first().unit
    )
    nomination = late_2018(seeded)
    client.force_login(people[who])
    assert client.post(LATE_2018, late_data(nomination)).status_code == status
    assert (
        f'id="late-decision-{nomination.pk}"'
        not in client.get("/clusters/cum-2/2018/").content.decode()
    )
    nomination.refresh_from_db()
    assert nomination.status == "submitted" and not Source.objects.filter(number="1234/QĐ-BCA")


def test_late_decision_is_post_only_and_asks_to_log_in(client, seeded, secretary):
    nomination = late_2018(seeded)
    response = client.post(LATE_2018, late_data(nomination))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "/clusters/cum-2/2018/" in response["Location"]
    client.force_login(secretary)
    assert client.get(LATE_2018).status_code == 405


def test_another_years_nomination_is_not_found(client, seeded, secretary):
    nomination = vote(seeded, by=secretary)
    services.nomination_submit(nomination=nomination, by=secretary)
    client.force_login(secretary)
    response = client.post(LATE_2018, late_data(nomination), follow=True)
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"


def test_the_admins_published_edit_page_links_to_the_late_form(client, seeded, admin_user):
    nomination = late_2018(seeded)
    client.force_login(admin_user)
    html = client.get("/clusters/cum-2/2018/edit/").content.decode()
    assert f"/clusters/cum-2/2018/#late-decision-{nomination.pk}" in html
    assert "decision-form" not in html and "withdraw-form" not in html


def test_the_admin_form_of_a_published_nomination_stays_frozen_after_an_amendment(
    client, seeded, admin_user
):
    nomination = late_2018(seeded)
    services.nomination_amend_decision(
        nomination=nomination,
        approved=False,
        by=admin_user,
        decision_number="5/TB",
    )
    client.force_login(admin_user)
    change = reverse("admin:awards_nomination_change", args=[nomination.pk])
    response = client.get(change)
    assert set(response.context["adminform"].form.fields) == set()
    assert "5/TB" in response.content.decode()
    response = client.post(change, {"rank_order": "9", "notes": "sửa sau công bố"})
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert (nomination.rank_order, nomination.status) == (1, "not_approved")


# --- queries --------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/clusters/cum-2/2018/", "/units/lang-son/", "/awards/?year=2018"])
def test_pages_cost_the_same_with_more_amendments(client, seeded, secretary, url):
    client.force_login(secretary)
    one = late_2018(seeded, "lang-son")
    services.nomination_amend_decision(
        nomination=one,
        approved=True,
        by=secretary,
        decision_number="1/QĐ",
        decision_date=timezone.localdate(),
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    before = count_queries(client, url)
    for slug in ("ha-giang", "lai-chau", "son-la"):
        services.nomination_amend_decision(
            nomination=late_2018(seeded, slug),
            approved=True,
            by=secretary,
            decision_number=f"{slug}/QĐ",
            decision_date=timezone.localdate(),
            upload=SimpleUploadedFile(f"{slug}.pdf", PDF),
        )
    assert count_queries(client, url) == before


def test_the_published_year_page_with_its_late_forms_has_a_fixed_cost(
    client, seeded, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    with django_assert_max_num_queries(30):
        html = client.get("/clusters/cum-2/2018/").content.decode()
    assert html.count('class="mt-2 late-decision-form"') == 4
