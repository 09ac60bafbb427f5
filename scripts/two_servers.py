"""Run from the checkout: .venv/bin/python scripts/two_servers.py (needs Redis on 127.0.0.1:6379).

Two gunicorn processes on two ports, one database and one Redis: a login on one is a login on
the other; failed logins count together; a write on one is seen on the other at once."""

import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

os.makedirs("/tmp/two", exist_ok=True)

DB = "sqlite:////tmp/two/db.sqlite3"
env = dict(
    os.environ,
    DATABASE_URL=DB,
    DJANGO_SECRET_KEY="two-servers",
    DJANGO_HTTPS="0",
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
    REDIS_URL="redis://127.0.0.1:6379/5",
    DJANGO_DEBUG="0",
)
py = ".venv/bin/python"
if os.path.exists("/tmp/two/db.sqlite3"):
    os.remove("/tmp/two/db.sqlite3")
subprocess.run([py, "manage.py", "migrate", "-v0"], env=env, check=True)
subprocess.run([py, "manage.py", "seed_demo", "-v0"], env=env, check=True)
subprocess.run(
    [
        py,
        "manage.py",
        "shell",
        "-c",
        "from accounts.models import User, Role; u=User.objects.create(username='lanhdao', role=Role.LEADERSHIP, must_change_password=False); u.set_password('mat-khau-dai-1'); u.save()",
    ],
    env=env,
    check=True,
)
subprocess.run(["redis-cli", "-n", "5", "flushdb"], check=True, capture_output=True)
servers = [
    subprocess.Popen(
        [
            py,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{p}",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    for p in (8801, 8802)
]
time.sleep(4)
try:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open("http://127.0.0.1:8801/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "lanhdao", "password": "mat-khau-dai-1"}
    ).encode()
    opener.open(
        urllib.request.Request(
            "http://127.0.0.1:8801/accounts/login/",
            data=data,
            headers={"Referer": "http://127.0.0.1:8801/accounts/login/"},
        )
    )
    # cookies are per host (127.0.0.1), not per port: the second server receives the same session
    r = opener.open("http://127.0.0.1:8802/awards/")
    print("login on :8801, /awards/ on :8802 ->", r.status, r.url)
    # failed logins alternating between the servers: the lockout counts them together
    codes = []
    for i in range(6):
        port = 8801 + i % 2
        o = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        p = o.open(f"http://127.0.0.1:{port}/accounts/login/").read().decode()
        t = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p).group(1)
        d = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": t, "username": "lanhdao", "password": "sai-mat-khau"}
        ).encode()
        try:
            resp = o.open(
                urllib.request.Request(
                    f"http://127.0.0.1:{port}/accounts/login/",
                    data=d,
                    headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"},
                )
            )
            body = resp.read().decode()
            codes.append((port, resp.status, "khóa" in body.lower() or "tạm khóa" in body.lower()))
        except urllib.error.HTTPError as e:
            codes.append((port, e.code, "locked"))
    print("six wrong passwords, alternating servers:", codes)
    # a published year rendered and kept on :8801; a write through the other server's process
    before = urllib.request.urlopen("http://127.0.0.1:8801/clusters/cum-2/2023/").read().decode()
    subprocess.run(
        [
            py,
            "manage.py",
            "shell",
            "-c",
            "from clusters.models import Unit; from clusters import services; from accounts.access import COMMAND_LINE; u=Unit.objects.get(slug='lai-chau'); u.name='Công an tỉnh Lai Châu (thử)'; services.unit_save(unit=u, by=COMMAND_LINE)",
        ],
        env=env,
        check=True,
    )
    after = urllib.request.urlopen("http://127.0.0.1:8802/clusters/cum-2/2023/").read().decode()
    after1 = urllib.request.urlopen("http://127.0.0.1:8801/clusters/cum-2/2023/").read().decode()
    print(
        "renamed unit seen at once on :8802:",
        "Lai Châu (thử)" in after,
        "and on :8801:",
        "Lai Châu (thử)" in after1,
        "(before:",
        "Lai Châu (thử)" in before,
        ")",
    )
finally:
    for s in servers:
        os.killpg(s.pid, signal.SIGTERM)
