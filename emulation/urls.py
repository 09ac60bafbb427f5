from django.urls import path

from emulation import ballot_views, dossier_views, views

app_name = "emulation"

BASE = "clusters/<slug:slug>/<int:year>/scoring/"
BALLOT = "clusters/<slug:slug>/<int:year>/ballot/"
DOSSIER = "clusters/<slug:slug>/<int:year>/dossier/"

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
    path(BALLOT, ballot_views.ballot, name="ballot"),
    path(f"{BALLOT}member/", ballot_views.council_member, name="council_member"),
    path(
        f"{BALLOT}member-delete/", ballot_views.council_member_delete, name="council_member_delete"
    ),
    path(f"{BALLOT}discipline/", ballot_views.discipline, name="discipline"),
    path(f"{BALLOT}candidate/", ballot_views.candidate, name="candidate"),
    path(f"{BALLOT}candidate-delete/", ballot_views.candidate_delete, name="candidate_delete"),
    path(f"{BALLOT}count/", ballot_views.count, name="count"),
    path(f"{BALLOT}propose/", ballot_views.propose, name="propose"),
    path(f"{BALLOT}print/", ballot_views.ballots_print, name="ballots_print"),
    path(f"{BALLOT}ballots.pdf", ballot_views.ballots_pdf, name="ballots_pdf"),
    path(DOSSIER, dossier_views.dossier, name="dossier"),
    path(f"{DOSSIER}minutes.docx", dossier_views.minutes_docx, name="minutes_docx"),
    path(f"{DOSSIER}proposal.docx", dossier_views.proposal_docx, name="proposal_docx"),
    path(
        f"{DOSSIER}achievements/<int:pk>.docx",
        dossier_views.achievements_docx,
        name="achievements_docx",
    ),
    path(f"{DOSSIER}scan/", dossier_views.scan, name="dossier_scan"),
    path(f"{DOSSIER}submit/", dossier_views.submit, name="dossier_submit"),
    path(f"{DOSSIER}recall/", dossier_views.recall, name="dossier_recall"),
    path(f"{DOSSIER}receive/", dossier_views.receive, name="dossier_receive"),
    path(f"{DOSSIER}return/", dossier_views.return_, name="dossier_return"),
    path(f"{DOSSIER}decide/", dossier_views.decide, name="dossier_decide"),
]
