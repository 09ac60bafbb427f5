from django.urls import path

from welfare import views

app_name = "welfare"

urlpatterns = [
    path("clusters/<slug:slug>/<int:year>/edit/fund-open/", views.fund_open, name="fund_open"),
    path("clusters/<slug:slug>/<int:year>/edit/fund-close/", views.fund_close, name="fund_close"),
    path(
        "clusters/<slug:slug>/<int:year>/edit/contribution/",
        views.contribution,
        name="contribution",
    ),
    path(
        "clusters/<slug:slug>/<int:year>/edit/contribution-delete/",
        views.contribution_delete,
        name="contribution_delete",
    ),
    path("clusters/<slug:slug>/<int:year>/edit/support/", views.support, name="support"),
    path(
        "clusters/<slug:slug>/<int:year>/edit/support-delete/",
        views.support_delete,
        name="support_delete",
    ),
    path("clusters/<slug:slug>/<int:year>/edit/milestone/", views.milestone, name="milestone"),
]
