"""Deployment settings, the Content-Security-Policy, and pages for faults (DESIGN §6)."""

import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_no_issues_with_debug_off():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k7#Qv2!pZ9w@Lx4^Rb8&Tn1*Hc6(Jm3)Fd5_Gs0+Yu-Ea=Wo%Ni~Kl" * 2,
        DJANGO_ALLOWED_HOSTS="thidua.bocongan.vn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy(client, seeded):
    response = client.get("/clusters/cum-2/2023/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "address,user",
    [
        ("/", None),
        ("/clusters/cum-2/2023/", None),
        ("/clusters/cum-2/2024/edit/", "secretary"),
        ("/clusters/cum-2/2024/import/", "secretary"),
        ("/units/lai-chau/2024/report/", "secretary"),
        ("/awards/", "secretary"),
        ("/accounts/login/", None),
    ],
)
def test_no_inline_script_or_style_that_the_policy_would_block(
    client, seeded, people, address, user
):
    if user:
        client.force_login(people[user])
    html = client.get(address).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert not re.search(r"\sstyle=", html), "inline style attribute"


def test_a_database_that_does_not_answer_gets_a_vietnamese_503(client, cluster_ii):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection refused"),
    ):
        client.raise_request_exception = False
        response = client.get("/clusters/cum-2/")
        health = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    text = response.content.decode()
    assert "Cơ sở dữ liệu đang không trả lời" in text and "connection refused" not in text
    assert health.status_code == 503


def test_an_unexpected_error_gets_our_500_page_without_a_traceback(client, cluster_ii):
    client.raise_request_exception = False
    with mock.patch("pages.views.render", side_effect=RuntimeError("secret detail")):
        response = client.get("/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Hệ thống gặp lỗi" in text
    assert "secret detail" not in text and "Traceback" not in text


# --- make test on a fresh Debian machine: scripts/system-deps -----------------------------

SYSTEM_DEPS = ROOT / "scripts" / "system-deps"


PDF_LIBS = [
    ("ldconfig", "#!/bin/sh\necho '\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /lib/libpangoft2'\n"),
    ("fc-list", "#!/bin/sh\necho '/usr/share/fonts/LiberationSerif.ttf: Liberation Serif'\n"),
]


def run_system_deps(tmp_path, *, uid, tools=(), chromium=None, extra=None, pdf_libs=True):
    """scripts/system-deps with a PATH of our own: only `tools` (names linked to the real ones,
    or (name, script) pairs written here) are found; the browser is looked for at `chromium`.
    `pdf_libs`: Pango and the Liberation fonts are there (fake ldconfig and fc-list say so)."""
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    pdf = [*PDF_LIBS, "grep"] if pdf_libs else ["grep"]
    for tool in ("sh", "id", "cat", "touch", "chmod", "mkdir", *pdf, *tools):
        if isinstance(tool, tuple):
            name, text = tool
            (bin_dir / name).write_text(text)
            (bin_dir / name).chmod(0o755)
        else:
            (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {
        "PATH": str(bin_dir),
        "CHROMIUM_PATH": str(chromium or tmp_path / "no-chromium"),
        "SYSTEM_DEPS_UID": str(uid),
        **(extra or {}),
    }
    return subprocess.run(
        ["/bin/sh", str(SYSTEM_DEPS)], env=env, capture_output=True, text=True, check=False
    )


def test_system_deps_stops_with_the_one_command_when_not_root(tmp_path):
    result = run_system_deps(tmp_path, uid=1000)
    assert result.returncode != 0
    assert "sudo apt-get install -y chromium gettext" in result.stderr
    assert "chromium" in result.stderr and "msgfmt" in result.stderr


def test_system_deps_names_only_what_is_missing(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    result = run_system_deps(tmp_path, uid=1000, chromium=browser)
    assert result.returncode != 0
    assert "sudo apt-get install -y gettext" in result.stderr
    assert "install -y chromium" not in result.stderr


def test_system_deps_names_pango_and_the_fonts_for_the_pdfs(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    result = run_system_deps(
        tmp_path, uid=1000, chromium=browser, tools=[("msgfmt", "#!/bin/sh\n")], pdf_libs=False
    )
    assert result.returncode != 0
    assert (
        "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fontconfig"
        in result.stderr
    )
    assert "Pango (WeasyPrint's PDFs)" in result.stderr


def test_system_deps_is_quiet_when_everything_is_there(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    result = run_system_deps(
        tmp_path, uid=1000, chromium=browser, tools=[("msgfmt", "#!/bin/sh\n")]
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_system_deps_installs_them_itself_as_root(tmp_path):
    """As root with apt-get, it installs both and goes on; the fake apt-get records its calls
    and 'installs' what it is asked for (the browser at CHROMIUM_PATH, msgfmt on PATH)."""
    log = tmp_path / "apt.log"
    browser = tmp_path / "chromium"
    fake_apt = (
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'case "$*" in *install*)\n'
        f"  touch {browser}; chmod +x {browser}\n"
        f'  printf "#!/bin/sh\\n" > {tmp_path}/bin/msgfmt; chmod +x {tmp_path}/bin/msgfmt;;\n'
        "esac\n"
    )
    result = run_system_deps(
        tmp_path, uid=0, chromium=browser, tools=["echo", "printf", ("apt-get", fake_apt)]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    calls = log.read_text().splitlines()
    assert calls[-1].startswith("install -y") and calls[-1].split()[-2:] == ["chromium", "gettext"]


def test_system_deps_as_root_stops_when_the_install_fails(tmp_path):
    result = run_system_deps(tmp_path, uid=0, tools=[("apt-get", "#!/bin/sh\nexit 100\n")])
    assert result.returncode != 0
    assert "sudo apt-get install -y chromium gettext" in result.stderr


def test_make_test_runs_the_check_before_any_test():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^test:(.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert target, "no test target"
    prerequisites, recipe = target.group(1).split(), target.group(2)
    assert prerequisites[0] == "system-deps"
    assert "scripts/system-deps" in re.search(r"^system-deps:.*\n\t(.*)", makefile, re.M).group(1)
    assert "pytest" in recipe
    assert "scripts/system-deps" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "sudo apt-get install -y chromium gettext" in readme
