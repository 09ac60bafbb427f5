from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
    path("clusters/<slug:slug>/<int:year>/edit/publish/", views.year_publish, name="year_publish"),
    path("clusters/<slug:slug>/<int:year>/edit/reopen/", views.year_reopen, name="year_reopen"),
    path(
        "clusters/<slug:slug>/<int:year>/edit/open-next/",
        views.year_open_next,
        name="year_open_next",
    ),
    path(
        "clusters/<slug:slug>/<int:year>/edit/membership/",
        views.year_membership,
        name="year_membership",
    ),
    path(
        "clusters/<slug:slug>/<int:year>/edit/source/",
        views.year_source,
        name="year_source",
    ),
    path(
        "clusters/<slug:slug>/<int:year>/edit/handover/",
        views.year_handover,
        name="year_handover",
    ),
]
