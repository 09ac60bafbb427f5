"""Spreadsheets in the browser: the year's workbook export, the blank template, and the upload
(check first, then write) for the secretariat, the unit officers (their own report rows) and the
admin. The work itself is workbook.exporter and workbook.importer; these views only carry files."""

import io
import secrets
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import can
from clusters.models import Cluster, ClusterYear
from clusters.views import login_first as _login_first
from clusters.views import year_page
from core.spreadsheets import XLSX, xlsx_response
from workbook import jobs
from workbook.changes import PAGE_ROWS
from workbook.exporter import SECTIONS, sections, template_sections
from workbook.importer import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, WorkbookError, import_file
from workbook.models import ExportJob, ImportJob

UPLOAD_KEY = "workbook_uploads"  # in the session: {token: {"name", "stored", "kept"}}
UPLOAD_STORAGE = "workbook_uploads"  # settings.STORAGES
UPLOAD_LIFETIME = 3600  # seconds a checked file waits for its confirmation
MAX_KEPT = 3  # checked files kept per user; keeping a fourth deletes the oldest
RECENT_JOBS = 5  # background imports listed on the upload page, to come back to


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV UTF-8"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 20 MB; hãy chia thành nhiều tệp."))
        return upload


# ---------------------------------------------------------------------------------------------
# Checked files kept until the user confirms. In the "workbook_uploads" storage, one folder per
# user ("<user id>/<token>.upload"); the session knows the tokens it may confirm. A file goes
# when it is confirmed, at logout, after UPLOAD_LIFETIME, and when the user keeps a fourth.


def _storage():
    return storages[UPLOAD_STORAGE]


def _age(storage, name) -> float:
    """Seconds since the kept file was written (infinite if it is gone)."""
    try:
        return time.time() - storage.get_modified_time(name).timestamp()
    except (FileNotFoundError, OSError):
        return float("inf")


def _purge(storage, user_folder: str) -> None:
    """Delete every kept file older than UPLOAD_LIFETIME, whoever kept it (sessions that never
    logged out leave theirs), and the user's oldest beyond MAX_KEPT - 1: room for one more."""
    if not storage.exists(""):
        return
    folders, loose = storage.listdir("")
    names = list(loose)  # files kept before there was a folder per user
    for folder in folders:
        names += [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
    for name in names:
        if _age(storage, name) > UPLOAD_LIFETIME:
            storage.delete(name)
    if storage.exists(user_folder):
        mine = [f"{user_folder}/{name}" for name in storage.listdir(user_folder)[1]]
        mine.sort(key=lambda name: _age(storage, name), reverse=True)  # oldest first
        for name in mine[: max(0, len(mine) - (MAX_KEPT - 1))]:
            storage.delete(name)


def _keep(request, upload) -> str:
    """Keep a checked file until the user confirms; the session knows whose it is."""
    storage = _storage()
    folder = str(request.user.pk)
    _purge(storage, folder)
    token = secrets.token_urlsafe(16)
    upload.seek(0)
    stored = storage.save(f"{folder}/{token}.upload", upload)
    uploads = {
        key: entry
        for key, entry in request.session.get(UPLOAD_KEY, {}).items()
        if entry.get("stored") and storage.exists(entry["stored"])
    }
    uploads[token] = {"name": upload.name, "stored": stored, "kept": time.time()}
    request.session[UPLOAD_KEY] = uploads
    return token


def _kept(request, token):
    """The session's entry for a kept file that is still there and still fresh, or None."""
    entry = request.session.get(UPLOAD_KEY, {}).get(token or "")
    if entry is None or not entry.get("stored"):
        return None
    storage = _storage()
    fresh = time.time() - entry.get("kept", 0) <= UPLOAD_LIFETIME
    if not fresh or _age(storage, entry["stored"]) > UPLOAD_LIFETIME:
        _forget(request, token)
        return None
    return entry


def _open_kept(entry):
    if entry is None:
        return None
    try:
        return _storage().open(entry["stored"], "rb")
    except FileNotFoundError:  # purged meanwhile by another session of the user
        return None


def _forget(request, token):
    uploads = request.session.get(UPLOAD_KEY, {})
    entry = uploads.pop(token, None)
    request.session[UPLOAD_KEY] = uploads
    if entry and entry.get("stored"):
        _storage().delete(entry["stored"])


def forget_kept_uploads(sender, request=None, user=None, **kwargs):
    """user_logged_out receiver (workbook.apps): the session's kept files go with it."""
    session = getattr(request, "session", None)
    if session is None:
        return
    storage = _storage()
    for entry in session.get(UPLOAD_KEY, {}).values():
        if entry.get("stored"):
            storage.delete(entry["stored"])
    session.pop(UPLOAD_KEY, None)


def _upload_page(request, *, context, done_url, cluster_year=None):
    """GET shows the form; POST action=check reads and checks the file (a dry run), and keeps it
    if it is clean; GET with the kept file's token shows another page of its preview (a dry run
    again); POST action=confirm imports the kept file for real, leaving alone the rows that
    overwrite a report its unit filed itself unless that unit is ticked ("overwrite").
    cluster_year: the year's page, which takes only that year's file. A body larger than an
    upload may be never gets here (core.middleware.LargeBodyMiddleware answers 413)."""
    form = UploadForm()
    outcome = token = filename = error = None
    status = None
    if request.method == "POST" and request.POST.get("action", "check") != "confirm":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            try:
                if jobs.in_background(upload, filename):
                    job = jobs.start(
                        upload=upload,
                        filename=filename,
                        user=request.user,
                        cluster_year=cluster_year,
                    )
                    return redirect(job)
                outcome = import_file(
                    upload, filename, user=request.user, dry_run=True, cluster_year=cluster_year
                )
            except WorkbookError as problem:
                error = str(problem)
            else:
                if outcome.ok:
                    token = _keep(request, upload)
    elif request.method == "POST":
        token = request.POST.get("token")
        entry = _kept(request, token)
        handle = _open_kept(entry)
        if handle is None:
            error = _("Tệp đã kiểm tra không còn; hãy tải lên lại.")
        else:
            filename = entry["name"]
            with handle:
                try:
                    outcome = import_file(
                        handle,
                        filename,
                        user=request.user,
                        cluster_year=cluster_year,
                        overwrite=request.POST.getlist("overwrite"),
                    )
                except WorkbookError as problem:
                    error = str(problem)
            if outcome is not None and outcome.written:
                _forget(request, token)
                _say_what_was_written(request, filename, outcome)
                return redirect(done_url)
            token = None
    elif request.GET.get("token"):
        token = request.GET["token"]
        entry = _kept(request, token)
        handle = _open_kept(entry)
        if handle is None:
            error = _("Tệp đã kiểm tra không còn; hãy tải lên lại.")
            token = None
        else:
            filename = entry["name"]
            with handle:
                try:
                    outcome = import_file(
                        handle, filename, user=request.user, dry_run=True, cluster_year=cluster_year
                    )
                except WorkbookError as problem:
                    error = str(problem)
            if outcome is None or not outcome.ok:
                token = None
    context.update(
        {
            "form": form,
            "outcome": outcome,
            "token": token,
            "filename": filename,
            "error": error,
            "changes": _pages(request, outcome) if outcome is not None and outcome.ok else [],
            # Plausibility warnings of the year as the file would leave it (never blocking).
            "warnings": outcome.warnings if outcome is not None and outcome.ok else [],
            "sections": SECTIONS,
            "template_url": reverse("workbook_template"),
            "max_rows": MAX_ROWS,
            "max_columns": MAX_COLUMNS,
            "kept_minutes": UPLOAD_LIFETIME // 60,
            "background_rows": settings.WORKBOOK_BACKGROUND_ROWS,
            "jobs": jobs.visible_jobs(request.user, cluster_year=cluster_year)[:RECENT_JOBS],
        }
    )
    if status is None:
        status = 200 if error is None and (outcome is None or outcome.ok) else 422
    return render(request, "workbook/import.html", context, status=status)


def _pages(request, outcome) -> list[dict]:
    """Each sheet's rows to add or change, PAGE_ROWS at a time: ?sheet=<index>&page=<n> turns
    one sheet's page; the others show their first."""
    try:
        turned = int(request.GET.get("sheet", ""))
    except ValueError:
        turned = None
    shown = []
    for index, sheet in enumerate(outcome.changes):
        if not sheet.rows:
            continue
        number = request.GET.get("page") if index == turned else 1
        page = Paginator(sheet.rows, PAGE_ROWS).get_page(number)
        shown.append({"index": index, "sheet": sheet, "page": page})
    return shown


def _say_what_was_written(request, filename, outcome) -> None:
    written, left = _what_was_written(
        filename,
        created=sum(c.created for c in outcome.counts),
        changed=sum(c.changed for c in outcome.counts),
        left=[(row.sheet, row.row, row.filed_message) for row in outcome.left_alone],
    )
    messages.success(request, written)
    if left:
        messages.warning(request, left)


def _what_was_written(filename, *, created, changed, left) -> tuple[str, str | None]:
    """The two sentences after a write (the second only if rows were left alone): the same for
    a file written while the browser waited and for one written by a worker (job_detail).
    left: (sheet, row, message) of each row left alone."""
    written = _("Đã nhập tệp %(name)s: thêm %(created)s dòng, sửa %(changed)s dòng.") % {
        "name": filename,
        "created": created,
        "changed": changed,
    }
    if not left:
        return written, None
    return written, _(
        "Để nguyên %(count)s dòng ghi đè báo cáo đơn vị đã tự báo cáo (không được đánh "
        "dấu cho ghi): %(rows)s."
    ) % {
        "count": len(left),
        "rows": "; ".join(
            _("trang “%(sheet)s” dòng %(row)s – %(message)s")
            % {"sheet": sheet, "row": row, "message": message}
            for sheet, row, message in left
        ),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@year_page("clusters.import_clusteryear")
def year_import(request, cluster_year):
    done = reverse("pages:year_detail", args=[cluster_year.cluster.slug, cluster_year.year])
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "can_export": can(request.user, "clusters.export_clusteryear", cluster_year),
    }
    return _upload_page(request, context=context, done_url=done, cluster_year=cluster_year)


@require_safe
@year_page("clusters.export_clusteryear")
def year_export(request, cluster_year):
    """The year's workbook; one of more than WORKBOOK_BACKGROUND_ROWS rows is written by a
    worker instead: this page then offers to start it (a POST to export_start)."""
    rows = jobs.export_rows(cluster_year)
    if rows > settings.WORKBOOK_BACKGROUND_ROWS:
        context = {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "rows": rows,
            "exports": jobs.visible_exports(request.user, cluster_year)[:RECENT_JOBS],
        }
        return render(request, "workbook/export_start.html", context)
    return xlsx_response(
        f"{cluster_year.cluster.slug}-{cluster_year.year}.xlsx",
        sections(cluster_year.year, cluster_year.cluster),
    )


@require_safe
def template(request):
    if not request.user.is_authenticated:
        return _login_first(request)
    return xlsx_response("mau-nhap-lieu.xlsx", template_sections())


class ExportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Năm thi đua"), coerce=int)
    cluster = forms.ModelChoiceField(
        label=gettext_lazy("Cụm thi đua"),
        queryset=Cluster.objects.order_by("number", "name"),
        required=False,
        empty_label=gettext_lazy("Tất cả các cụm"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = ClusterYear.objects.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = [(y, str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def admin_workbook(request):
    """The admin's page: export any year (all clusters or one) and import any workbook."""
    if not request.user.is_admin_role:
        raise PermissionDenied
    export_form = ExportForm(request.GET if "year" in request.GET else None)
    if export_form.is_bound and export_form.is_valid():
        year = export_form.cleaned_data["year"]
        cluster = export_form.cleaned_data["cluster"]
        name = f"{cluster.slug}-{year}.xlsx" if cluster else f"cac-cum-{year}.xlsx"
        return xlsx_response(name, sections(year, cluster))
    context = {
        "admin_page": True,
        "export_form": export_form,
        "title": _("Nhập, xuất tệp Excel"),
    }
    return _upload_page(request, context=context, done_url=reverse("admin_workbook"))


# ---------------------------------------------------------------------------------------------
# Background imports (workbook.jobs): the job's page, which the user can leave and come back to,
# and the figures its script asks for while a worker checks or writes.


def _job_for(request, pk) -> ImportJob:
    """The job, for the one who started it or an admin; a 404 for anyone else."""
    job = get_object_or_404(
        ImportJob.objects.select_related("user", "cluster_year__cluster").defer("content"), pk=pk
    )
    if not jobs.may_see(request.user, job):
        raise Http404
    return job


@require_http_methods(["GET", "HEAD", "POST"])
def job_detail(request, pk):
    """GET: how far the job is (its script asks job_progress until it ends, then reloads);
    then the preview and the confirmation, the problems, or what was written. POST
    action=confirm: queue the write of a checked job, with the filed reports ticked."""
    if not request.user.is_authenticated:
        return _login_first(request)
    job = _job_for(request, pk)
    error = None
    if request.method == "POST":
        if request.POST.get("action") != "confirm":
            return redirect(job)
        error = jobs.confirm(job=job, overwrite=request.POST.getlist("overwrite"))
        if error is None:
            return redirect(job)
    cluster_year = job.cluster_year
    if cluster_year is not None:
        back = reverse("workbook_import", args=[cluster_year.cluster.slug, cluster_year.year])
        done = reverse("pages:year_detail", args=[cluster_year.cluster.slug, cluster_year.year])
    else:
        back = done = reverse("admin_workbook")
    result = job.result or {}
    written = left = None
    if job.status == ImportJob.Status.WRITTEN:
        written, left = _what_was_written(
            job.filename,
            created=result.get("created", 0),
            changed=result.get("changed", 0),
            left=[(r["sheet"], r["row"], r["filed_message"]) for r in result.get("left_alone", [])],
        )
    context = {
        "job": job,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster if cluster_year else None,
        "progress": jobs.progress_of(job),
        "result": result,
        "error": error or result.get("error"),
        "written": written,
        "left": left,
        "back_url": back,
        "done_url": done,
        "progress_url": reverse("workbook_job_progress", args=[job.pk]),
        "kept_minutes": jobs.CHECKED_LIFETIME // 60,
    }
    return render(request, "workbook/job.html", context, status=422 if error else 200)


@require_safe
def job_progress(request, pk):
    """The figures of a job, as JSON, for its page's script."""
    if not request.user.is_authenticated:
        return _login_first(request)
    job = _job_for(request, pk)
    return JsonResponse(jobs.progress_of(job), headers={"Cache-Control": "no-store"})


@require_http_methods(["POST"])
@year_page("clusters.export_clusteryear")
def export_start(request, cluster_year):
    return redirect(jobs.start_export(user=request.user, cluster_year=cluster_year))


def _export_job_for(request, pk) -> ExportJob:
    job = get_object_or_404(
        ExportJob.objects.select_related("user", "cluster_year__cluster").defer("content"), pk=pk
    )
    if not jobs.may_see(request.user, job):
        raise Http404
    return job


@require_safe
def export_job_detail(request, pk):
    """How far the worker is (the page's script asks export_job_progress, then reloads); then
    the file to download, or why there is none."""
    if not request.user.is_authenticated:
        return _login_first(request)
    job = _export_job_for(request, pk)
    cluster_year = job.cluster_year
    context = {
        "job": job,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "progress": jobs.export_progress_of(job),
        "progress_url": reverse("workbook_export_job_progress", args=[job.pk]),
        "kept_hours": jobs.EXPORT_KEPT // 3600,
    }
    return render(request, "workbook/export_job.html", context)


@require_safe
def export_job_progress(request, pk):
    if not request.user.is_authenticated:
        return _login_first(request)
    job = _export_job_for(request, pk)
    return JsonResponse(jobs.export_progress_of(job), headers={"Cache-Control": "no-store"})


@require_safe
def export_job_file(request, pk):
    """The written workbook, for as long as it is kept (a 404 before it is written, after)."""
    if not request.user.is_authenticated:
        return _login_first(request)
    job = _export_job_for(request, pk)
    content = (
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE)
        .values_list("content", flat=True)
        .first()
    )
    if not content:
        raise Http404
    return FileResponse(
        io.BytesIO(bytes(content)), as_attachment=True, filename=job.filename, content_type=XLSX
    )
