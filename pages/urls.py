from django.urls import path

from pages import history, views

app_name = "pages"

urlpatterns = [
    path("units/<slug:slug>/", views.unit_detail, name="unit_detail"),
    path("clusters/<slug:slug>/<int:year>/", views.year_detail, name="year_detail"),
    path("clusters/<slug:slug>/<int:year>/edit/", views.year_edit, name="year_edit"),
    path(
        "clusters/<slug:slug>/<int:year>/history/", history.year_history_page, name="year_history"
    ),
    path("awards/", views.awards_summary, name="awards_summary"),
]
