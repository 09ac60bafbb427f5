from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<slug:slug>/<int:year>/edit/publish/", views.year_publish, name="year_publish"),
    path("clusters/<slug:slug>/<int:year>/edit/reopen/", views.year_reopen, name="year_reopen"),
]
