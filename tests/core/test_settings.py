import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_check(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_bad_boolean_is_refused_with_a_clear_message():
    result = run_check(DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="x")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_debug_on_starts_without_a_key():
    assert run_check(DJANGO_DEBUG="1").returncode == 0


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["05/03/2025", "05-03-2025", "2025-03-05"])
def test_dates_are_read_day_first(language, typed):
    with translation.override(language):
        form = DateForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2025, 3, 5)


def test_american_dates_are_refused_not_misread():
    with translation.override("vi"):
        form = DateForm({"day": "12/31/2025"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Nhập một ngày hợp lệ."]


def test_vietnamese_number_and_date_formats():
    with translation.override("vi"):
        assert formats.number_format(4213, use_l10n=True, force_grouping=True) == "4.213"
        assert formats.localize(140_000_000, use_l10n=True) == "140.000.000"
        assert formats.date_format(datetime.date(2023, 11, 21), "SHORT_DATE_FORMAT") == "21/11/2023"


def test_settings_are_vietnamese_by_default(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_THOUSAND_SEPARATOR is True
