from django.urls import path

from reports import history, views

app_name = "reports"

urlpatterns = [
    path("clusters/<slug:slug>/<int:year>/", views.year_detail, name="year_detail"),
    path("clusters/<slug:slug>/<int:year>/edit/", views.year_edit, name="year_edit"),
    path(
        "clusters/<slug:slug>/<int:year>/history/",
        history.year_history_page,
        name="year_history",
    ),
    path("units/<slug:slug>/<int:year>/report/", views.unit_report, name="unit_report"),
]
