from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("units/<slug:slug>/", views.unit_detail, name="unit_detail"),
]
