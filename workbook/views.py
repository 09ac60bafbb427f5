"""Spreadsheets in the browser: the year's workbook export, the blank template, and the upload
(check first, then write) for the secretariat, the unit officers (their own report rows) and the
admin. The work itself is workbook.exporter and workbook.importer; these views only carry files."""

import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import can
from clusters.models import Cluster, ClusterYear
from clusters.views import login_first as _login_first
from clusters.views import year_or_404 as _cluster_year_or_404
from core.spreadsheets import xlsx_response
from workbook.exporter import SECTIONS, sections, template_sections
from workbook.importer import MAX_BYTES, WorkbookError, import_file

UPLOAD_KEY = "workbook_uploads"
UPLOAD_LIFETIME = 6 * 3600


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


def _upload_dir() -> Path:
    folder = Path(getattr(settings, "WORKBOOK_UPLOAD_DIR", "") or tempfile.gettempdir())
    folder = folder / "workbook-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.upload"):
        if now - old.stat().st_mtime > UPLOAD_LIFETIME:
            old.unlink(missing_ok=True)
    return folder


def _keep(request, upload) -> str:
    """Keep a checked file until the user confirms; the session knows whose it is."""
    token = secrets.token_urlsafe(16)
    path = _upload_dir() / f"{token}.upload"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    uploads = request.session.get(UPLOAD_KEY, {})
    uploads[token] = {"name": upload.name, "path": str(path)}
    request.session[UPLOAD_KEY] = uploads
    return token


def _kept(request, token):
    entry = request.session.get(UPLOAD_KEY, {}).get(token or "")
    if entry is None or not Path(entry["path"]).exists():
        return None
    return entry


def _forget(request, token):
    uploads = request.session.get(UPLOAD_KEY, {})
    entry = uploads.pop(token, None)
    request.session[UPLOAD_KEY] = uploads
    if entry:
        Path(entry["path"]).unlink(missing_ok=True)


def _upload_page(request, *, context, done_url):
    """GET shows the form; POST action=check reads and checks the file (a dry run), and keeps it
    if it is clean; POST action=confirm imports the kept file for real."""
    form = UploadForm()
    outcome = token = filename = error = None
    action = request.POST.get("action", "check")
    if request.method == "POST" and action != "confirm":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            try:
                outcome = import_file(upload, filename, user=request.user, dry_run=True)
            except WorkbookError as problem:
                error = str(problem)
            else:
                if outcome.ok:
                    upload.seek(0)
                    token = _keep(request, upload)
    elif request.method == "POST":
        token = request.POST.get("token")
        entry = _kept(request, token)
        if entry is None:
            error = _("Tệp đã kiểm tra không còn; hãy tải lên lại.")
        else:
            filename = entry["name"]
            with open(entry["path"], "rb") as handle:
                try:
                    outcome = import_file(handle, filename, user=request.user)
                except WorkbookError as problem:
                    error = str(problem)
            if outcome is not None and outcome.written:
                _forget(request, token)
                created = sum(c.created for c in outcome.counts)
                changed = sum(c.changed for c in outcome.counts)
                messages.success(
                    request,
                    _("Đã nhập tệp %(name)s: thêm %(created)s dòng, sửa %(changed)s dòng.")
                    % {"name": filename, "created": created, "changed": changed},
                )
                return redirect(done_url)
            token = None
    context.update(
        {
            "form": form,
            "outcome": outcome,
            "token": token,
            "filename": filename,
            "error": error,
            "sections": SECTIONS,
            "template_url": reverse("workbook_template"),
        }
    )
    status = 200 if error is None and (outcome is None or outcome.ok) else 422
    return render(request, "workbook/import.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def year_import(request, slug, year):
    if not request.user.is_authenticated:
        return _login_first(request)
    cluster_year = _cluster_year_or_404(slug, year)
    if not can(request.user, "clusters.access_clusteryear", cluster_year):
        raise Http404
    if not can(request.user, "clusters.import_clusteryear", cluster_year):
        raise PermissionDenied
    done = reverse("pages:year_detail", args=[cluster_year.cluster.slug, cluster_year.year])
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "can_export": can(request.user, "clusters.export_clusteryear", cluster_year),
    }
    return _upload_page(request, context=context, done_url=done)


@require_safe
def year_export(request, slug, year):
    if not request.user.is_authenticated:
        return _login_first(request)
    cluster_year = _cluster_year_or_404(slug, year)
    if not can(request.user, "clusters.access_clusteryear", cluster_year):
        raise Http404
    if not can(request.user, "clusters.export_clusteryear", cluster_year):
        raise PermissionDenied
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
