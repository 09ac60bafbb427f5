from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("clusters/<slug:slug>/<int:year>/edit/leader/", views.leader, name="leader"),
    path("clusters/<slug:slug>/<int:year>/edit/nominate/", views.nominate, name="nominate"),
    path("clusters/<slug:slug>/<int:year>/edit/submit/", views.submit, name="submit"),
    path("clusters/<slug:slug>/<int:year>/edit/decide/", views.decide, name="decide"),
    path("clusters/<slug:slug>/<int:year>/edit/withdraw/", views.withdraw, name="withdraw"),
    path(
        "clusters/<slug:slug>/<int:year>/late-decision/",
        views.late_decision,
        name="late_decision",
    ),
]
