from django.urls import path

from workbook import views

urlpatterns = [
    path("clusters/<slug:slug>/<int:year>/import/", views.year_import, name="workbook_import"),
    path("clusters/<slug:slug>/<int:year>/export.xlsx", views.year_export, name="workbook_export"),
    path(
        "clusters/<slug:slug>/<int:year>/export/", views.export_start, name="workbook_export_start"
    ),
    path("workbook/template.xlsx", views.template, name="workbook_template"),
    path("workbook/jobs/<int:pk>/", views.job_detail, name="workbook_job"),
    path("workbook/jobs/<int:pk>/progress.json", views.job_progress, name="workbook_job_progress"),
    path("workbook/exports/<int:pk>/", views.export_job_detail, name="workbook_export_job"),
    path(
        "workbook/exports/<int:pk>/progress.json",
        views.export_job_progress,
        name="workbook_export_job_progress",
    ),
    path("workbook/exports/<int:pk>/file.xlsx", views.export_job_file, name="workbook_export_file"),
    path("admin/workbook/", views.admin_workbook, name="admin_workbook"),
]
