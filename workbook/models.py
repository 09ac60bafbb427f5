"""A workbook import that runs in the background (workbook.jobs): too many rows for a browser
to wait on. The row carries the file itself (a worker on another machine reads it from the
database), who started it, how far the worker is, and what it found."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chờ ghi")
        REFUSED = "refused", _("Có lỗi, chưa ghi gì")
        WRITING = "writing", _("Đang ghi")
        WRITTEN = "written", _("Đã ghi")
        FAILED = "failed", _("Không thực hiện được")

    # A worker is at work (or about to be) in these; the page keeps asking how far it is.
    RUNNING = (Status.CHECKING, Status.WRITING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("người nhập"),
    )
    # The year's import page the file came from; empty: the admin's page (any year).
    cluster_year = models.ForeignKey(
        "clusters.ClusterYear",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("năm thi đua"),
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(_("nội dung tệp"), blank=True, default=b"")
    # The file as the check read it (workbook.jobs.sheets_as_json): the write need not read it again.
    sheets = models.JSONField(_("các trang đã đọc"), default=list, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.CHECKING
    )
    overwrite = models.JSONField(_("báo cáo được ghi đè"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_checked = models.PositiveIntegerField(_("số dòng đã kiểm tra"), default=0)
    rows_written = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    task_id = models.CharField(_("mã việc chạy nền"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("lúc tạo"), auto_now_add=True)
    started_at = models.DateTimeField(_("lúc bắt đầu"), null=True, blank=True)
    # The worker's last word (it starts, and reports progress a few times a second): a running
    # job not heard of for long has lost its worker (workbook.jobs.silence).
    heard_at = models.DateTimeField(_("lúc máy chạy nền báo tin gần nhất"), null=True, blank=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lượt nhập chạy nền")
        verbose_name_plural = _("lượt nhập chạy nền")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("workbook_job", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING


class ExportJob(models.Model):
    """A year's workbook too large to write while the browser waits: a worker writes it, and
    keeps the file here (a worker on another machine included) for its starter to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang ghi tệp")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không thực hiện được")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("người xuất"),
    )
    cluster_year = models.ForeignKey(
        "clusters.ClusterYear",
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("năm thi đua"),
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(_("nội dung tệp"), blank=True, default=b"")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_written = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(_("mã việc chạy nền"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("lúc tạo"), auto_now_add=True)
    started_at = models.DateTimeField(_("lúc bắt đầu"), null=True, blank=True)
    # The worker's last word (it starts, and reports progress a few times a second): a running
    # job not heard of for long has lost its worker (workbook.jobs.silence).
    heard_at = models.DateTimeField(_("lúc máy chạy nền báo tin gần nhất"), null=True, blank=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lượt xuất chạy nền")
        verbose_name_plural = _("lượt xuất chạy nền")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("workbook_export_job", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
