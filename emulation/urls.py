from django.urls import path

from emulation import views

app_name = "emulation"

BASE = "clusters/<slug:slug>/<int:year>/scoring/"

urlpatterns = [
    path(BASE, views.scoring, name="scoring"),
    path(f"{BASE}open/", views.cycle_open, name="open"),
    path(f"{BASE}settings/", views.cycle_settings, name="settings"),
    path(f"{BASE}criterion/", views.criterion, name="criterion"),
    path(f"{BASE}criterion-delete/", views.criterion_delete, name="criterion_delete"),
    path(f"{BASE}start/", views.scoring_start, name="start"),
    path(f"{BASE}pledge/", views.pledge, name="pledge"),
    path(f"{BASE}assign/", views.assign, name="assign"),
    path(f"{BASE}unassign/", views.unassign, name="unassign"),
    path(f"{BASE}rank/", views.rank, name="rank"),
    path(f"{BASE}sheets/<int:pk>/", views.sheet, name="sheet"),
    path(f"{BASE}sheets/<int:pk>/return/", views.sheet_return, name="sheet_return"),
]
