"""Measures one bench database (run by tests/perf/bench.py in a process of its own, with
DATABASE_URL pointing at that database); prints one JSON object on its last line.

    python -m tests.perf.measure pages|import|export|sessions
"""

import io
import json
import os
import statistics
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

# The application as gunicorn loads it (config/wsgi.py sets Django up and tunes the process).
import config.wsgi  # noqa: E402, F401

# isort: split

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from clusters.models import Cluster, Unit  # noqa: E402
from emulation.models import ScoreSheet  # noqa: E402

CLUSTER = "mo-phong-101"  # the first synthetic cluster, at both scales
UNIT = "mo-phong-101-1"
PUBLISHED, OPEN = 2024, 2025  # generate_data --last-year 2025
RUNS = int(os.environ.get("BENCH_RUNS", "50"))


def people() -> dict[str, User]:
    """One bench account per role (not domain data: written directly, idempotent)."""
    cluster = Cluster.objects.get(slug=CLUSTER)
    unit = Unit.objects.get(slug=UNIT)
    wanted = {
        "admin": {"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
        "leader": {"role": Role.LEADERSHIP},
        "secretary": {"role": Role.SECRETARIAT, "cluster": cluster},
        "officer": {"role": Role.UNIT_OFFICER, "unit": unit},
        "ministry": {"role": Role.MINISTRY},
    }
    users = {}
    for name, fields in wanted.items():
        user, _created = User.objects.update_or_create(
            username=f"bench.{name}", defaults={**fields, "must_change_password": False}
        )
        users[name] = user
    return users


# (label, address, who): every page of DESIGN §4 that exists, as a role that may see it.
PAGES = [
    ("healthz", "/healthz", None),
    ("home", "/", None),
    ("cluster", f"/clusters/{CLUSTER}/", None),
    ("year published (anonymous)", f"/clusters/{CLUSTER}/{PUBLISHED}/", None),
    ("year published (leader)", f"/clusters/{CLUSTER}/{PUBLISHED}/", "leader"),
    ("year open (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/", "secretary"),
    ("edit page (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/edit/", "secretary"),
    ("history (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/history/", "secretary"),
    ("import page (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/import/", "secretary"),
    ("unit", f"/units/{UNIT}/", None),
    ("report form (officer)", f"/units/{UNIT}/{OPEN}/report/", "officer"),
    ("awards (leader)", "/awards/", "leader"),
    ("awards ?year", f"/awards/?year={PUBLISHED}", "leader"),
    ("awards ?cluster", f"/awards/?cluster={CLUSTER}", "leader"),
    ("awards ?year&cluster", f"/awards/?year={PUBLISHED}&cluster={CLUSTER}", "leader"),
    ("awards last page", "/awards/?page=999999", "leader"),
    ("admin commendations", "/admin/awards/commendation/", "admin"),
    ("scoring open (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/scoring/", "secretary"),
    ("scoring open (officer)", f"/clusters/{CLUSTER}/{OPEN}/scoring/", "officer"),
    ("scoring published (ministry)", f"/clusters/{CLUSTER}/{PUBLISHED}/scoring/", "ministry"),
    ("score sheet (officer)", "{own self-score sheet}", "officer"),
    ("ballot open (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/ballot/", "secretary"),
    ("ballots to print (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/ballot/print/", "secretary"),
    ("dossier open (secretariat)", f"/clusters/{CLUSTER}/{OPEN}/dossier/", "secretary"),
    ("dossier published (ministry)", f"/clusters/{CLUSTER}/{PUBLISHED}/dossier/", "ministry"),
    ("notifications (secretariat)", "/notifications/", "secretary"),
    # the leadership's views (issue 15)
    ("home (leader)", "/", "leader"),
    ("compare years (leader)", f"/clusters/{CLUSTER}/compare/?from=2020&to={PUBLISHED}", "leader"),
    ("compare clusters (leader)", f"/compare/?year={PUBLISHED}", "leader"),
    (
        "awards range&unit (leader)",
        f"/awards/?year_from=2020&year_to={PUBLISHED}&unit={UNIT}",
        "leader",
    ),
    ("search a person (leader)", "/search/?q=lo+a+son", "leader"),
    ("search a decision (officer)", "/search/?q=123%2Fqd-cat", "officer"),
    ("news draft (secretariat)", f"/clusters/{CLUSTER}/{PUBLISHED}/news/", "secretary"),
]
# Downloads: their queries are counted like pages; their time is the export's measure.
DOWNLOADS = [
    ("year export.xlsx", f"/clusters/{CLUSTER}/{PUBLISHED}/export.xlsx", "leader"),
    ("ballots.pdf", f"/clusters/{CLUSTER}/{OPEN}/ballot/ballots.pdf", "secretary"),
    ("minutes.docx", f"/clusters/{CLUSTER}/{OPEN}/dossier/minutes.docx", "secretary"),
    ("year print.pdf", f"/clusters/{CLUSTER}/{PUBLISHED}/print.pdf", None),
    ("year report.docx", f"/clusters/{CLUSTER}/{PUBLISHED}/report.docx", "leader"),
]


def _address(url: str) -> str:
    """Addresses that name a row: the bench unit's own self-score sheet in the open year."""
    if url == "{own self-score sheet}":
        sheet = ScoreSheet.objects.get(
            cycle__cluster_year__cluster__slug=CLUSTER,
            cycle__cluster_year__year=OPEN,
            unit__slug=UNIT,
            kind=ScoreSheet.Kind.SELF,
        )
        return f"/clusters/{CLUSTER}/{OPEN}/scoring/sheets/{sheet.pk}/"
    return url


def _counting(queries: list):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def _client(users, who) -> Client:
    client = Client()
    if who:
        client.force_login(users[who])
    return client


def pages() -> dict:
    users = people()
    results = {}
    for label, address, who in PAGES + DOWNLOADS:
        url = _address(address)
        client = _client(users, who)
        response = client.get(url)  # warm: the first rendering of a published year is kept
        assert response.status_code == 200, (url, who, response.status_code)
        queries = []
        with connection.execute_wrapper(_counting(queries)):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        timings = []
        runs = RUNS if (label, address, who) not in DOWNLOADS else 3
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results[label] = {
            "url": url,
            "who": who or "anonymous",
            "queries": len(queries),
            "median_ms": statistics.median(timings),
            "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
            "download": (label, address, who) in DOWNLOADS,
        }
    return results


def sessions() -> dict:
    """Session cookies for the load generator (a real login's session, written directly)."""
    users = people()
    cookies = {}
    for who in ("secretary", "leader"):
        store = SessionStore()
        user = users[who]
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["seen_at"] = time.time()
        store.set_expiry(3600)
        store.save()
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return {"cookies": cookies, "cluster": CLUSTER, "published": PUBLISHED, "open": OPEN}


def _commendation_sheet(rows: int) -> bytes:
    import openpyxl

    from awards.workbook import COMMENDATION_HEADERS

    units = list(Unit.objects.filter(slug__startswith=f"{CLUSTER}-").values_list("name", flat=True))
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách khen thưởng")
    sheet.append(COMMENDATION_HEADERS)
    for i in range(rows):
        sheet.append(
            [
                OPEN,
                "Chiến sĩ thi đua cơ sở",
                units[i % len(units)],
                f"Cán bộ đo {i}",
                "Đại úy",
                "Đội trưởng",
                f"{i}/QĐ-DO",
                f"15/01/{OPEN + 1}",
                "Giám đốc",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Rollback(Exception):
    pass


def import_() -> dict:
    """10,000 commendation rows through the import, against a bare bulk_create of the same
    rows with their history rows, in the same run; both rolled back. Each is timed three times,
    in turn, and their medians compared: one timing each swung the ratio by a third on this
    2-core machine."""
    import datetime

    import tablib
    from simple_history.utils import bulk_create_with_history

    from accounts.access import COMMAND_LINE
    from awards.models import AwardKind, Commendation
    from awards.workbook import CommendationResource

    rows = 10_000
    content = _commendation_sheet(rows)
    kind = AwardKind.objects.get(code="chien-si-thi-dua-co-so")
    units = list(Unit.objects.filter(slug__startswith=f"{CLUSTER}-"))

    def through_the_import() -> float:
        dataset = tablib.Dataset().load(content, format="xlsx")
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = CommendationResource().import_data(
                    dataset, dry_run=False, user=COMMAND_LINE
                )
                assert not result.has_errors() and not result.has_validation_errors()
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        return elapsed

    def bare() -> float:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                objects = [
                    Commendation(
                        award_kind=kind,
                        year=OPEN,
                        unit=units[i % len(units)],
                        person_name=f"Cán bộ đo {i}",
                        person_rank="Đại úy",
                        person_position="Đội trưởng",
                        decision_number=f"{i}/QĐ-DO",
                        decision_date=datetime.date(OPEN + 1, 1, 15),
                        decision_issuer="Giám đốc",
                    )
                    for i in range(rows)
                ]
                bulk_create_with_history(objects, Commendation, batch_size=1000)
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        return elapsed

    imported, bulk = [], []
    for _ in range(3):
        imported.append(through_the_import())
        bulk.append(bare())
    return {
        "rows": rows,
        "import_s": statistics.median(imported),
        "bulk_s": statistics.median(bulk),
        "import_runs": imported,
        "bulk_runs": bulk,
    }


def export() -> dict:
    """The published year's workbook of the first synthetic cluster at 1× and 4× its
    commendations (the extra rows rolled back): seconds and peak memory of each."""
    import datetime

    from awards.models import AwardKind, Commendation
    from workbook.exporter import export_workbook

    cluster = Cluster.objects.get(slug=CLUSTER)
    units = list(Unit.objects.filter(slug__startswith=f"{CLUSTER}-"))

    def run():
        export_workbook("/dev/null", year=PUBLISHED, cluster=cluster)  # warm
        started = time.perf_counter()
        export_workbook("/dev/null", year=PUBLISHED, cluster=cluster)
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        export_workbook("/dev/null", year=PUBLISHED, cluster=cluster)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows = Commendation.objects.filter(year=PUBLISHED, unit__in=units).count()
        return rows, elapsed, peak / 2**20

    rows1, seconds1, peak1 = run()
    kind = AwardKind.objects.get(code="chien-si-thi-dua-co-so")
    try:
        with transaction.atomic():
            Commendation.objects.bulk_create(
                (
                    Commendation(
                        award_kind=kind,
                        year=PUBLISHED,
                        unit=units[i % len(units)],
                        person_name=f"Thêm {i}",
                        decision_number=f"{i}/QĐ-THEM",
                        decision_date=datetime.date(PUBLISHED, 12, 1),
                    )
                    for i in range(rows1 * 3)
                ),
                batch_size=5000,
            )
            rows4, seconds4, peak4 = run()
            raise Rollback
    except Rollback:
        pass
    return {
        "rows_1x": rows1,
        "seconds_1x": seconds1,
        "peak_mib_1x": peak1,
        "rows_4x": rows4,
        "seconds_4x": seconds4,
        "peak_mib_4x": peak4,
    }


if __name__ == "__main__":
    what = sys.argv[1]
    answer = {"pages": pages, "sessions": sessions, "import": import_, "export": export}[what]()
    answer["vendor"] = connection.vendor
    print(json.dumps(answer))
