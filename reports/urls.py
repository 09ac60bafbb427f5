from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path(
        "clusters/<slug:slug>/<int:year>/edit/conference/",
        views.conference_save,
        name="conference_save",
    ),
    path("units/<slug:slug>/<int:year>/report/", views.unit_report, name="unit_report"),
]
