from django.urls import path

from workbook import views

urlpatterns = [
    path("clusters/<slug:slug>/<int:year>/import/", views.year_import, name="workbook_import"),
    path("clusters/<slug:slug>/<int:year>/export.xlsx", views.year_export, name="workbook_export"),
    path("workbook/template.xlsx", views.template, name="workbook_template"),
    path("workbook/jobs/<int:pk>/", views.job_detail, name="workbook_job"),
    path("workbook/jobs/<int:pk>/progress.json", views.job_progress, name="workbook_job_progress"),
    path("admin/workbook/", views.admin_workbook, name="admin_workbook"),
]
