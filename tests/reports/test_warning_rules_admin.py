"""The plausibility rules in the admin: the admin sets a threshold or turns a rule off, through
core.services.warning_rule_save; the codes themselves are fixed (the checks are code)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core import services
from core.models import WarningRule

pytestmark = pytest.mark.django_db


def change_url(code):
    return reverse("admin:core_warningrule_change", args=[WarningRule.objects.get(code=code).pk])


def form(threshold, active=True, notes=""):
    return {"threshold": threshold, "notes": notes, **({"active": "on"} if active else {})}


def test_the_five_rules_are_listed(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = admin_client.get(reverse("admin:core_warningrule_changelist"))
    assert response.status_code == 200
    assert sorted(r.code for r in response.context["cl"].result_list) == sorted(
        WarningRule.Code.values
    )


def test_the_admin_sets_a_threshold_and_turns_a_rule_off(admin_client):
    response = admin_client.post(change_url("count_change"), form("3", notes="Cụm II: ×3."))
    assert response.status_code == 302
    rule = WarningRule.objects.get(code="count_change")
    assert (rule.threshold, rule.notes, rule.active) == (Decimal("3"), "Cụm II: ×3.", True)
    assert admin_client.post(change_url("zero_solved"), form("", active=False)).status_code == 302
    assert not WarningRule.objects.get(code="zero_solved").active


@pytest.mark.parametrize(
    "code,threshold,message",
    [
        (
            "count_change",
            "1",
            "Hệ số thay đổi phải lớn hơn 1 (ví dụ 2: tăng gấp đôi hoặc giảm một nửa).",
        ),
        ("count_change", "", "Quy tắc này cần một ngưỡng."),
        ("clearance_rate", "120", "Tỷ lệ tối thiểu phải từ 0 đến 100 (%)."),
        ("serious_clearance_rate", "-5", "Tỷ lệ tối thiểu phải từ 0 đến 100 (%)."),
        ("zero_solved", "3", "Quy tắc này không dùng ngưỡng; hãy để trống."),
    ],
)
def test_a_threshold_that_cannot_work_is_refused_next_to_it(admin_client, code, threshold, message):
    before = WarningRule.objects.get(code=code).threshold
    response = admin_client.post(change_url(code), form(threshold))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["threshold"]
    assert WarningRule.objects.get(code=code).threshold == before


def test_rules_are_neither_added_nor_deleted(admin_client):
    assert admin_client.get(reverse("admin:core_warningrule_add")).status_code == 403
    rule = WarningRule.objects.get(code="clearance_rate")
    url = reverse("admin:core_warningrule_delete", args=[rule.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert WarningRule.objects.count() == 5


def test_only_the_admin_keeps_the_rules(people):
    rule = WarningRule.objects.get(code="clearance_rate")
    rule.threshold = Decimal("1")
    for name in ("leader", "secretary", "officer_laichau"):
        with pytest.raises(PermissionDenied):
            services.warning_rule_save(rule=rule, by=people[name])
    assert WarningRule.objects.get(code="clearance_rate").threshold == Decimal("50")
    services.warning_rule_save(rule=rule, by=people["admin"])
    assert WarningRule.objects.get(code="clearance_rate").threshold == Decimal("1")


def test_the_service_refuses_a_code_of_its_own(admin_user):
    with pytest.raises(ValidationError):
        services.warning_rule_save(rule=WarningRule(code="made_up", threshold=2), by=admin_user)


def test_others_are_sent_to_the_admins_login(client, leader):
    client.force_login(leader)
    response = client.get(reverse("admin:core_warningrule_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
