"""Workbook imports too large for a browser to wait on: checked, then written, by a worker.

A file of more than settings.WORKBOOK_BACKGROUND_ROWS rows is kept in an ImportJob row and
handed to Django's Tasks API (the django-tasks backport; settings.TASKS: the database backend,
so any machine that reaches the database can run `manage.py db_worker`). It goes as the
synchronous upload does, in two steps the user sees: the worker checks every row (a dry run)
and keeps the summary; the user reads it and confirms; the worker writes it, all or nothing,
through the same importer and so the same services, as the user who started it.

How far the worker is cannot be written in the job's row by the import's own connection: the
import is one transaction, invisible to the page until it ends. So the worker reports through
Progress: on PostgreSQL through a second connection that commits each figure at once (every
application server reads it); on SQLite, whose single writer is the import itself, in a small
file beside the kept uploads (SQLite is one machine anyway).
"""

import contextlib
import datetime
import io
import itertools
import json
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.access import can
from core.cache import kept
from core.spreadsheets import write_workbook
from workbook.exporter import row_count, sections
from workbook.importer import Sheet, WorkbookError, count_rows, import_file, run
from workbook.models import ExportJob, ImportJob
from workbook.registry import SECTIONS

UPLOAD_STORAGE = "workbook_uploads"  # settings.STORAGES; the progress files live there
CHECKED_LIFETIME = 3600  # seconds a checked file waits for its confirmation (as on the page)
PROBLEMS_KEPT = 500  # the page shows the first 500 problems, as the synchronous page does
REPORT_INTERVAL = 0.25  # seconds between two progress reports of a worker
# A running job not heard of for this long has lost its worker (stopped, killed, its machine
# gone), or none has taken it: its page says so. A worker reports a few times a second while it
# reads rows; its longest silence is one sheet's bulk write (seconds at national scale).
SILENT_AFTER = datetime.timedelta(minutes=10)

Status = ImportJob.Status


def in_background(upload, filename: str) -> bool:
    """Whether the file has more rows than a browser waits for (WorkbookError: unreadable)."""
    return count_rows(upload, filename) > settings.WORKBOOK_BACKGROUND_ROWS


def start(*, upload, filename: str, user, cluster_year=None) -> ImportJob:
    """Keep the file in a new job and queue its check."""
    _forget_stale_files()
    upload.seek(0)
    job = ImportJob.objects.create(
        user=user,
        cluster_year=cluster_year,
        filename=filename,
        content=upload.read(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    _enqueue(job)
    return job


def confirm(*, job: ImportJob, overwrite) -> str | None:
    """Queue the write of a checked job; the reason it cannot be, or None."""
    if job.status != Status.CHECKED:
        return _("Lượt nhập này không còn chờ ghi.")
    if _expired(job) or not job.content:
        ImportJob.objects.filter(pk=job.pk).update(content=b"", sheets=[])
        return _("Tệp đã kiểm tra không còn; hãy tải lên lại.")
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
        status=Status.WRITING,
        overwrite=sorted(set(overwrite)),
        rows_written=0,
        started_at=None,
        heard_at=timezone.now(),  # queued again: a worker's silence is counted from now
        finished_at=None,
    )
    if not updated:  # confirmed twice at once: the first one goes
        return _("Lượt nhập này không còn chờ ghi.")
    job.refresh_from_db()
    _enqueue(job)
    return None


def _enqueue(job: ImportJob) -> None:
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def _expired(job: ImportJob) -> bool:
    finished = job.finished_at or job.created_at
    return timezone.now() - finished > datetime.timedelta(seconds=CHECKED_LIFETIME)


def _forget_stale_files() -> None:
    """Checked files nobody confirmed within the hour go, as on the synchronous page."""
    cutoff = timezone.now() - datetime.timedelta(seconds=CHECKED_LIFETIME)
    ImportJob.objects.filter(status=Status.CHECKED, finished_at__lt=cutoff).exclude(
        content=b""
    ).update(content=b"", sheets=[])


def visible_jobs(user, *, cluster_year=None):
    """The user's own recent jobs of this page (a year's page, or the admin's: no year)."""
    return (
        ImportJob.objects.filter(user=user, cluster_year=cluster_year)
        .defer("content")
        .order_by("-created_at", "-pk")
    )


def may_see(user, job: ImportJob) -> bool:
    """The one who started it, or an admin; anyone else is told it does not exist."""
    return job.user_id == user.pk or user.is_admin_role


# ---------------------------------------------------------------------------------------------
# Progress


def _progress_file(job) -> Path:
    name = f"progress/{job._meta.model_name}-{job.pk}.json"
    return Path(storages[UPLOAD_STORAGE].path(name))


class Progress:
    """What a worker tells about the rows it has gone through, while the import's transaction
    hides everything else it writes. Called by the importer as progress(done, total) in passes
    of rows; reported as rows of the file, a few times a second at most."""

    def __init__(self, job: ImportJob | ExportJob, field: str):
        self.job = job
        self.field = field  # "rows_checked" or "rows_written"
        self.reported_at = 0.0
        self.side = None  # PostgreSQL: a connection of its own, committing each figure

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.reported_at < REPORT_INTERVAL:
            return
        self.reported_at = now
        rows = self.job.rows_total * done // total if total else 0
        self.report({"rows_total": self.job.rows_total, self.field: rows})

    def report(self, values: dict) -> None:
        heard = timezone.now()
        if connection.vendor == "sqlite":
            path = _progress_file(self.job)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                json.dump({**values, "heard_at": heard.isoformat()}, stream)
            os.replace(temporary, path)  # a reader sees the old figures or the new, never half
            return
        values = {**values, "heard_at": heard}
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self.side.ops.quote_name
        meta = self.job._meta
        columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {columns} WHERE id = %s",
                [*values.values(), self.job.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None
        _progress_file(self.job).unlink(missing_ok=True)


def _said(job) -> dict:
    """What a running job's worker last wrote in its progress file (SQLite), if anything."""
    if not job.running:
        return {}
    try:
        said = json.loads(_progress_file(job).read_text())
    except (OSError, ValueError):
        return {}
    return said if isinstance(said, dict) else {}


def _figures(job, names, said) -> dict:
    """The job's figures: its row's, or what its worker last said, if that is further."""
    figures = {name: getattr(job, name) for name in names}
    for name in figures:
        if isinstance(said.get(name), int):
            figures[name] = max(figures[name], said[name])
    return figures


def silence(job, said=None) -> str:
    """Why a running job seems stuck, said for its page ("" when it does not): no worker has
    taken it, or its worker has not been heard of, for SILENT_AFTER."""
    if not job.running:
        return ""
    said = _said(job) if said is None else said
    heard = [job.created_at, job.heard_at, job.started_at]
    with contextlib.suppress(KeyError, TypeError, ValueError):
        heard.append(datetime.datetime.fromisoformat(said["heard_at"]))
    last = max(moment for moment in heard if moment)
    if timezone.now() - last < SILENT_AFTER:
        return ""
    when = formats.date_format(timezone.localtime(last), "H:i d/m/Y")
    if job.started_at is None:
        return _(
            "Chưa có máy chạy nền nào nhận việc này từ %(when)s: có thể chưa bật máy chạy nền. "
            "Hãy báo quản trị viên."
        ) % {"when": when}
    if isinstance(job, ExportJob):
        return _(
            "Máy chạy nền không báo tiến độ từ %(when)s: có thể nó đã dừng giữa chừng, chưa ghi "
            "xong tệp. Hãy báo quản trị viên, hoặc xuất tệp lại."
        ) % {"when": when}
    return _(
        "Máy chạy nền không báo tiến độ từ %(when)s: có thể nó đã dừng giữa chừng. Chưa có gì "
        "được ghi. Hãy báo quản trị viên, hoặc tải tệp lên lại."
    ) % {"when": when}


def progress_of(job: ImportJob) -> dict:
    """The job's figures as the page shows them."""
    said = _said(job)
    figures = _figures(job, ("rows_total", "rows_checked", "rows_written"), said)
    field = "rows_written" if job.status in (Status.WRITING, Status.WRITTEN) else "rows_checked"
    total = figures["rows_total"]
    done = figures[field]
    finished = job.status in (Status.CHECKED, Status.WRITTEN)
    percent = 100 if finished else (min(100, done * 100 // total) if total else 0)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": job.running,
        "started": job.started_at is not None,
        "phase": "write" if field == "rows_written" else "check",
        **figures,
        "done": done,
        "percent": percent,
        "silence": silence(job, said),
    }


# ---------------------------------------------------------------------------------------------
# The worker's side


@task()
def run_import_job(job_id: int) -> str:
    """Check or write (by the job's status) the file of a job, as the user who started it."""
    job = (
        ImportJob.objects.select_related("user", "cluster_year__cluster")
        .filter(pk=job_id, status__in=ImportJob.RUNNING)
        .first()
    )
    if job is None:
        return "gone"
    with translation.override(job.language):
        try:
            return _run(job)
        except Exception:
            _finish(job, Status.FAILED, result={"error": _("Lỗi không lường trước; chưa ghi gì.")})
            raise


def _run(job: ImportJob) -> str:
    writing = job.status == Status.WRITING
    job.started_at = job.heard_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(started_at=job.started_at, heard_at=job.heard_at)
    if not _still_allowed(job):
        _finish(job, Status.FAILED, result={"error": _("Bạn không còn quyền nhập tệp này.")})
        return Status.FAILED
    progress = Progress(job, "rows_written" if writing else "rows_checked")

    def on_read(sheets):
        job.rows_total = sum(len(sheet.rows) for sheet in sheets)
        job.sheets = sheets_as_json(sheets)
        ImportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)

    options = {
        "user": job.user,
        "dry_run": not writing,
        "cluster_year": job.cluster_year,
        "overwrite": set(job.overwrite),
        "progress": progress,
    }
    try:
        if writing and job.sheets:  # as the check read it: reading a large .xlsx takes a while
            outcome = run(sheets_from_json(job.sheets), **options)
        else:
            outcome = import_file(
                io.BytesIO(bytes(job.content)), job.filename, on_read=on_read, **options
            )
    except WorkbookError as problem:
        _finish(job, Status.FAILED, result={"error": str(problem)})
        return Status.FAILED
    finally:
        progress.close()
    result = summary(outcome)
    if writing and outcome.written:
        _finish(job, Status.WRITTEN, result=result, rows_written=job.rows_total)
    elif not writing and outcome.ok:
        _finish(job, Status.CHECKED, result=result, rows_checked=job.rows_total, keep_file=True)
    else:  # problems; for a write, found since the check (the year was closed meanwhile)
        _finish(job, Status.REFUSED, result=result, rows_checked=job.rows_total, rows_written=0)
    return job.status


def _still_allowed(job: ImportJob) -> bool:
    if not job.user.is_active:
        return False
    if job.cluster_year is None:
        return job.user.is_admin_role
    return can(job.user, "clusters.import_clusteryear", job.cluster_year)


def _finish(job: ImportJob, status: str, *, result: dict, keep_file=False, **figures) -> None:
    job.status = status
    job.result = result
    job.finished_at = timezone.now()
    for name, value in figures.items():
        setattr(job, name, value)
    fields = ["status", "result", "finished_at", *figures]
    if keep_file:
        fields.append("sheets")
    else:
        job.content, job.sheets = b"", []
        fields += ["content", "sheets"]
    job.save(update_fields=fields)


def sheets_as_json(sheets) -> list:
    """The sheets read from a file (workbook.importer.Sheet), as JSON: each row's values in
    the sheet's column order; a date as ["date", "YYYY-MM-DD"] (a cell is never a list)."""

    def cell(value):
        if isinstance(value, datetime.date):
            return ["date", value.isoformat()]
        return value

    return [
        {
            "title": sheet.title,
            "section": sheet.section.title,
            "headers": sheet.headers,
            "rows": [
                [number, [cell(values.get(header)) for header in sheet.headers]]
                for number, values in sheet.rows
            ],
        }
        for sheet in sheets
    ]


def sheets_from_json(data) -> list[Sheet]:
    by_title = {section.title: section for section in SECTIONS}

    def value(cell):
        if isinstance(cell, list):
            return datetime.date.fromisoformat(cell[1])
        return cell

    sheets = []
    for sheet in data:
        headers = sheet["headers"]
        rows = [
            (number, {h: value(c) for h, c in zip(headers, cells, strict=True)})
            for number, cells in sheet["rows"]
        ]
        sheets.append(Sheet(sheet["title"], by_title[sheet["section"]], headers, rows))
    return sheets


def summary(outcome) -> dict:
    """What the page shows of an Outcome (workbook.importer), as JSON: the counts, the
    problems, the warnings, and the rows that overwrite a report its unit filed itself. Not the
    row-by-row changes: for a file of thousands of rows the counts say it."""

    def marked(row):
        return {
            "sheet": row.sheet,
            "row": row.row,
            "filed_unit": row.filed_unit,
            "filed_slug": row.filed_slug,
            "filed_message": str(row.filed_message),
        }

    problems = [
        {key: (str(value) if key != "row" else value) for key, value in asdict(p).items()}
        for p in outcome.problems[:PROBLEMS_KEPT]
    ]
    return {
        "counts": [asdict(count) for count in outcome.counts],
        "created": sum(count.created for count in outcome.counts),
        "changed": sum(count.changed for count in outcome.counts),
        "problems": problems,
        "problem_count": len(outcome.problems),
        "warnings": [str(warning.reason) for warning in outcome.warnings],
        "marked": [marked(row) for row in outcome.marked],
        "left_alone": [marked(row) for row in outcome.left_alone] if outcome.written else [],
    }


# ---------------------------------------------------------------------------------------------
# Exports: a year's workbook of more than WORKBOOK_BACKGROUND_ROWS rows is written by a worker
# into its job's row, from which its starter downloads it.

EXPORT_KEPT = 24 * 3600  # seconds a written file stays for download


def export_rows(cluster_year) -> int:
    """The rows of the year's workbook (one query; none while the count is kept: core.cache)."""
    return kept(
        f"export-rows:{cluster_year.pk}",
        lambda: row_count(cluster_year.year, cluster_year.cluster),
    )


def start_export(*, user, cluster_year) -> ExportJob:
    cutoff = timezone.now() - datetime.timedelta(seconds=EXPORT_KEPT)
    ExportJob.objects.filter(finished_at__lt=cutoff).exclude(content=b"").update(content=b"")
    job = ExportJob.objects.create(
        user=user,
        cluster_year=cluster_year,
        filename=f"{cluster_year.cluster.slug}-{cluster_year.year}.xlsx",
    )
    result = run_export_job.enqueue(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return job


def visible_exports(user, cluster_year):
    return (
        ExportJob.objects.filter(user=user, cluster_year=cluster_year)
        .defer("content")
        .order_by("-created_at", "-pk")
    )


def export_progress_of(job: ExportJob) -> dict:
    said = _said(job)
    figures = _figures(job, ("rows_total", "rows_written"), said)
    total, done = figures["rows_total"], figures["rows_written"]
    percent = 100 if job.status == ExportJob.Status.DONE else (done * 100 // total if total else 0)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": job.running,
        "started": job.started_at is not None,
        "phase": "export",
        **figures,
        "done": done,
        "percent": min(100, percent),
        "silence": silence(job, said),
    }


@task()
def run_export_job(job_id: int) -> str:
    """Write the year's workbook of a job, as the user who asked for it may see it."""
    job = (
        ExportJob.objects.select_related("user", "cluster_year__cluster")
        .filter(pk=job_id, status=ExportJob.Status.QUEUED)
        .first()
    )
    if job is None:
        return "gone"
    cluster_year = job.cluster_year
    job.status, job.started_at = ExportJob.Status.RUNNING, timezone.now()
    job.heard_at = job.started_at
    job.rows_total = export_rows(cluster_year)
    job.save(update_fields=["status", "started_at", "heard_at", "rows_total"])
    if not (job.user.is_active and can(job.user, "clusters.export_clusteryear", cluster_year)):
        job.status, job.finished_at = ExportJob.Status.FAILED, timezone.now()
        job.error = _("Bạn không còn quyền xuất năm này.")
        job.save(update_fields=["status", "finished_at", "error"])
        return job.status
    progress = Progress(job, "rows_written")
    done = itertools.count(1)

    def counted(rows):
        for row in rows:
            yield row
            progress(next(done), job.rows_total)

    try:
        with tempfile.TemporaryFile() as target:
            write_workbook(
                target,
                [
                    (title, headers, counted(rows))
                    for title, headers, rows in sections(cluster_year.year, cluster_year.cluster)
                ],
            )
            target.seek(0)
            job.content = target.read()
    except Exception:
        job.status, job.finished_at = ExportJob.Status.FAILED, timezone.now()
        job.error = _("Lỗi không lường trước khi ghi tệp.")
        job.save(update_fields=["status", "finished_at", "error"])
        raise
    finally:
        progress.close()
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.rows_written = job.rows_total
    job.save(update_fields=["status", "finished_at", "rows_written", "content"])
    return job.status
