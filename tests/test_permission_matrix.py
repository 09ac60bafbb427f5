"""Every address × every role, GET and POST: the exact answer (DESIGN.md §4).

Each POST sends the real form of its address, filled validly (tests.formdata): the form as the
admin sees it on the page that shows it, the same data for every role. Every role's request runs
in a savepoint that is rolled back, so each role meets the same data, whatever the roles before
it wrote. A POST that is refused, whatever its answer, must leave every domain table as it was.

A new address must get its rows here: test_every_url_pattern_is_in_the_matrix fails otherwise.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import Role
from emulation import services as emulation
from emulation.models import Candidate, CouncilMember, Criterion, ScoreSheet
from tests.factories import UserFactory
from tests.formdata import fill, first_choice, plausible, posting_to

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin",
    "leader",
    "secretary",
    "officer_laichau",
    "officer_sonla",
    "other_secretary",
    "other_officer",
    "ministry",
]
LOGIN = "login"
SECTIONS = [
    ("reports:conference_save", "conference/"),
    ("clusters:year_publish", "publish/"),
    ("awards:leader", "leader/"),
    ("awards:nominate", "nominate/"),
    ("awards:submit", "submit/"),
    ("awards:decide", "decide/"),
    ("awards:withdraw", "withdraw/"),
    ("welfare:fund_open", "fund-open/"),
    ("welfare:fund_close", "fund-close/"),
    ("welfare:contribution", "contribution/"),
    ("welfare:support", "support/"),
    ("welfare:milestone", "milestone/"),
]
ADMIN_LOGIN = "admin-login"
# A 302 whose request left an error or a warning for the page: the write was refused (a section
# of the edit page goes back to the page either way; only its message tells which).
REFUSED = "302 refused"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def admin_only(answer=200):
    """The admin's pages: everyone else is sent to the admin's login."""
    return {**dict.fromkeys(ROLES, ADMIN_LOGIN), "admin": answer}


def answers(
    anonymous,
    admin,
    leader,
    secretary,
    laichau,
    sonla,
    other_secretary,
    other_officer,
    *,
    ministry=None,
):
    """Each role's answer. The Ministry's emulation officer reads what leadership reads and
    writes only the Ministry's returns and decisions: the leader's answer unless given."""
    return dict(
        zip(
            ROLES,
            (
                anonymous,
                admin,
                leader,
                secretary,
                laichau,
                sonla,
                other_secretary,
                other_officer,
                leader if ministry is None else ministry,
            ),
            strict=True,
        )
    )


# (url pattern name, address, {role: GET answer}, {role: POST answer})
MATRIX = [
    ("home", "/", everyone(200), everyone(405)),
    ("pages:cluster_detail", "/clusters/cum-2/", everyone(200), everyone(405)),
    ("pages:unit_detail", "/units/lai-chau/", everyone(200), everyone(405)),
    ("pages:unit_detail", "/units/ha-giang/", everyone(200), everyone(405)),
    ("healthz", "/healthz", everyone(200), everyone(405)),
    # the year page: public once published; members and staff before
    ("pages:year_detail", "/clusters/cum-2/2023/", everyone(200), everyone(405)),
    (
        "pages:year_detail",
        "/clusters/cum-2/2024/",
        answers(LOGIN, 200, 200, 200, 200, 200, 404, 404),
        everyone(405),
    ),
    # the secretariat's page: its own cluster's open year; admin always
    (
        "pages:year_edit",
        "/clusters/cum-2/2024/edit/",
        answers(LOGIN, 200, 403, 200, 403, 403, 404, 404),
        everyone(405),  # every form on it posts to its own section's address
    ),
    (
        "pages:year_edit",
        "/clusters/cum-2/2023/edit/",
        answers(LOGIN, 200, 403, 403, 403, 403, 404, 404),
        everyone(405),
    ),
    # the sections of the edit page: POST only; each goes back to the page (302), a refused form
    # with its refusal (REFUSED). The open year's valid form is saved for the admin and the
    # cluster's secretariat. A published year's page shows none of these forms: the open year's
    # is posted there, which the secretariat may not (403) and the admin sees refused (the year
    # is locked, or it has no such fund, nomination or house).
    *[
        (
            name,
            f"/clusters/cum-2/{year}/edit/{path}",
            everyone(405),
            answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)
            if year == 2024
            else answers(LOGIN, REFUSED, 403, 403, 403, 403, 404, 404),
        )
        for year in (2024, 2023)
        for name, path in SECTIONS
    ],
    # a correction's delete on the edit page: the open year's first contribution is the gift the
    # house already spent, so deleting it is refused with the balance; its support goes
    (
        "welfare:contribution_delete",
        "/clusters/cum-2/2024/edit/contribution-delete/",
        everyone(405),
        answers(LOGIN, REFUSED, 403, REFUSED, 403, 403, 404, 404),
    ),
    (
        "welfare:support_delete",
        "/clusters/cum-2/2024/edit/support-delete/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
    ),
    *[
        (
            name,
            f"/clusters/cum-2/2023/edit/{path}",
            everyone(405),
            answers(LOGIN, REFUSED, 403, 403, 403, 403, 404, 404),
        )
        for name, path in (
            ("welfare:contribution_delete", "contribution-delete/"),
            ("welfare:support_delete", "support-delete/"),
        )
    ],
    # a document of the year: the secretariat of an open year and the admin (who may add one to a
    # published year too: documents change no figure)
    (
        "clusters:year_source",
        "/clusters/cum-2/2024/edit/source/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
    ),
    (
        "clusters:year_source",
        "/clusters/cum-2/2023/edit/source/",
        everyone(405),
        answers(LOGIN, 302, 403, 403, 403, 403, 404, 404),
    ),
    # a source's file: only through its year's visibility (tests/clusters/test_sources.py);
    # a source without a file is a 404 for everyone
    ("clusters:source_file", "/sources/999999/file/", everyone(404), everyone(405)),
    # one's own password; the reset by email exists only with EMAIL_HOST (404 here)
    (
        "password_change",
        "/accounts/password_change/",
        answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        answers(LOGIN, 302, 302, 302, 302, 302, 302, 302),
    ),
    (
        "password_change_done",
        "/accounts/password_change/done/",
        answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        answers(LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ),
    ("password_reset", "/accounts/password_reset/", everyone(404), everyone(404)),
    ("password_reset_done", "/accounts/password_reset/done/", everyone(404), everyone(404)),
    (
        "password_reset_confirm",
        "/accounts/reset/MQ/set-password/",
        everyone(404),
        everyone(404),
    ),
    ("password_reset_complete", "/accounts/reset/done/", everyone(404), everyone(404)),
    # the Ministry's late decision on a published year's submitted nomination: the cluster's
    # secretariat and the admin, from the year page; an open year's is refused (no such form)
    (
        "awards:late_decision",
        "/clusters/cum-2/2018/late-decision/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
    ),
    (
        "awards:late_decision",
        "/clusters/cum-2/2024/late-decision/",
        everyone(405),
        answers(LOGIN, REFUSED, 403, REFUSED, 403, 403, 404, 404),
    ),
    (
        "clusters:year_reopen",
        "/clusters/cum-2/2024/edit/reopen/",
        everyone(405),
        answers(LOGIN, 302, 403, 403, 403, 403, 404, 404),  # open already: nothing changes
    ),
    (
        "clusters:year_reopen",
        "/clusters/cum-2/2023/edit/reopen/",
        everyone(405),
        # the admin alone reopens; a published year is public, so another cluster's people
        # are refused (403), not told it is not there
        answers(LOGIN, 302, 403, 403, 403, 403, 403, 403),
    ),
    # the year's lifecycle (issue 12): the cluster's secretariat and the admin open the next
    # year, record the handover (kept on next year, which is open even when this one is
    # published) and change members of an open year
    (
        "clusters:year_open_next",
        "/clusters/cum-2/2024/edit/open-next/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
    ),
    (
        "clusters:year_open_next",
        "/clusters/cum-2/2023/edit/open-next/",
        everyone(405),
        answers(LOGIN, REFUSED, 403, 403, 403, 403, 404, 404),  # 2024 is open already
    ),
    (
        "clusters:year_handover",
        "/clusters/cum-2/2024/edit/handover/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
    ),
    (
        "clusters:year_handover",
        "/clusters/cum-2/2023/edit/handover/",
        everyone(405),
        answers(LOGIN, 302, 403, 403, 403, 403, 404, 404),  # the admin, onto open 2024
    ),
    (
        "clusters:year_membership",
        "/clusters/cum-2/2024/edit/membership/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
    ),
    (
        "clusters:year_membership",
        "/clusters/cum-2/2023/edit/membership/",
        everyone(405),
        answers(LOGIN, REFUSED, 403, 403, 403, 403, 404, 404),
    ),
    # the emulation cycle (issue 14): the year's members, its secretariat, leadership, the
    # Ministry's officer and the admin read it (2024 is being scored; 2023 has no cycle)
    *[
        (
            "emulation:scoring",
            f"/clusters/cum-2/{year}/scoring/",
            answers(LOGIN, 200, 200, 200, 200, 200, 404, 404),
            everyone(405),
        )
        for year in (2024, 2023)
    ],
    # the secretariat's and the admin's forms of an open year; a published year's are refused
    # as locked (403), for the admin too. 2024's criteria are frozen: the admin still changes
    # them, the secretariat is shown why not (422, or a refusal for a deletion)
    *[
        (
            name,
            f"/clusters/cum-2/{year}/scoring/{path}",
            everyone(405),
            (open_answer if year == 2024 else answers(LOGIN, 403, 403, 403, 403, 403, 404, 404)),
        )
        for year in (2024, 2023)
        for name, path, open_answer in (
            ("emulation:open", "open/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            ("emulation:settings", "settings/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            (
                "emulation:criterion",
                "criterion/",
                answers(LOGIN, 302, 403, 422, 403, 403, 404, 404),
            ),
            (
                "emulation:criterion_delete",
                "criterion-delete/",
                answers(LOGIN, 302, 403, REFUSED, 403, 403, 404, 404),
            ),
            ("emulation:start", "start/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            ("emulation:assign", "assign/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            ("emulation:unassign", "unassign/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            # nothing is agreed yet: the ranking is refused with what is missing
            (
                "emulation:rank",
                "rank/",
                answers(LOGIN, REFUSED, 403, REFUSED, 403, 403, 404, 404),
            ),
        )
    ],
    # the ballot (issue 14): read like the cycle; its council, disciplines, names, count and
    # proposals are the secretariat's and the admin's in an open year
    *[
        (
            name,
            f"/clusters/cum-2/{year}/ballot/{path}",
            answers(LOGIN, 200, 200, 200, 200, 200, 404, 404)
            if year == 2024 or not path
            else everyone(404) | {"anonymous": LOGIN},
            everyone(405),
        )
        for year in (2024, 2023)
        for name, path in (
            ("emulation:ballot", ""),
            ("emulation:ballots_print", "print/"),
            ("emulation:ballots_pdf", "ballots.pdf"),
        )
    ],
    *[
        (
            name,
            f"/clusters/cum-2/{year}/ballot/{path}",
            everyone(405),
            (open_answer if year == 2024 else answers(LOGIN, 403, 403, 403, 403, 403, 404, 404)),
        )
        for year in (2024, 2023)
        for name, path, open_answer in (
            (
                "emulation:council_member",
                "member/",
                answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
            ),
            (
                "emulation:council_member_delete",
                "member-delete/",
                answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
            ),
            (
                "emulation:discipline",
                "discipline/",
                answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
            ),
            (
                "emulation:candidate",
                "candidate/",
                answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
            ),
            (
                "emulation:candidate_delete",
                "candidate-delete/",
                answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
            ),
            ("emulation:count", "count/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            # nothing counted yet: no name to propose
            (
                "emulation:propose",
                "propose/",
                answers(LOGIN, REFUSED, 403, REFUSED, 403, 403, 404, 404),
            ),
        )
    ],
    # the dossier to the Ministry (issue 14): read like the cycle; its documents made from the
    # year's data (2023 has no cycle: none to make)
    *[
        (name, f"/clusters/cum-2/{year}/dossier/{path}", readers, everyone(405))
        for year, readers in (
            (2024, answers(LOGIN, 200, 200, 200, 200, 200, 404, 404)),
            (2023, everyone(404) | {"anonymous": LOGIN}),
        )
        for name, path in (
            ("emulation:minutes_docx", "minutes.docx"),
            ("emulation:proposal_docx", "proposal.docx"),
            ("emulation:achievements_docx", "achievements/{nomination_open}.docx"),
        )
    ],
    *[
        (
            "emulation:dossier",
            f"/clusters/cum-2/{year}/dossier/",
            answers(LOGIN, 200, 200, 200, 200, 200, 404, 404),
            everyone(405),
        )
        for year in (2024, 2023)
    ],
    # the secretariat prepares, sends and recalls (nothing sent yet: a recall is refused); the
    # Ministry's officer reads (403 on a post); a published year's dossier is locked
    *[
        (name, f"/clusters/cum-2/2024/dossier/{path}", everyone(405), answer)
        for name, path, answer in (
            ("emulation:dossier_scan", "scan/", answers(LOGIN, 302, 403, 302, 403, 403, 404, 404)),
            (
                "emulation:dossier_submit",
                "submit/",
                answers(LOGIN, 302, 403, 302, 403, 403, 404, 404),
            ),
            (
                "emulation:dossier_recall",
                "recall/",
                answers(LOGIN, REFUSED, 403, REFUSED, 403, 403, 404, 404),
            ),
            # the Ministry's officer and the admin rule on it: nothing received yet (refused),
            # a return without its reason and a decision without a choice (422)
            (
                "emulation:dossier_receive",
                "receive/",
                answers(LOGIN, REFUSED, 403, 403, 403, 403, 404, 404, ministry=REFUSED),
            ),
            (
                "emulation:dossier_return",
                "return/",
                answers(LOGIN, 422, 403, 403, 403, 403, 404, 404, ministry=422),
            ),
            (
                "emulation:dossier_decide",
                "decide/",
                answers(LOGIN, 422, 403, 403, 403, 403, 404, 404, ministry=422),
            ),
        )
    ],
    *[
        (
            name,
            f"/clusters/cum-2/2023/dossier/{path}",
            everyone(405),
            answers(LOGIN, 403, 403, 403, 403, 403, 404, 404),
        )
        for name, path in (
            ("emulation:dossier_scan", "scan/"),
            ("emulation:dossier_submit", "submit/"),
            ("emulation:dossier_recall", "recall/"),
        )
    ],
    # one's own notifications; their count answers everyone (0 for a visitor)
    (
        "notifications",
        "/notifications/",
        answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        everyone(405),
    ),
    ("notifications_unread", "/notifications/unread.json", everyone(200), everyone(405)),
    (
        "notifications_read",
        "/notifications/read/",
        everyone(405),
        answers(LOGIN, 302, 302, 302, 302, 302, 302, 302),
    ),
    # the pledge: a member unit's officers sign for their own unit only (the form posted names
    # another member: refused on the form, 422); the secretariat and the admin for any member
    (
        "emulation:pledge",
        "/clusters/cum-2/2024/scoring/pledge/",
        everyone(405),
        answers(LOGIN, 302, 403, 302, 422, 422, 404, 404),
    ),
    (
        "emulation:pledge",
        "/clusters/cum-2/2023/scoring/pledge/",
        everyone(405),
        answers(LOGIN, 403, 403, 403, 403, 403, 404, 404),
    ),
    # Lai Châu's own score sheet: Sơn La may not see it (404); leadership and the Ministry read
    # it (403 on a post); saved by its unit, the secretariat and the admin (back to the sheet)
    (
        "emulation:sheet",
        "/clusters/cum-2/2024/scoring/sheets/{sheet_self}/",
        answers(LOGIN, 200, 200, 200, 200, 404, 404, 404),
        answers(LOGIN, 302, 403, 302, 302, 404, 404, 404),
    ),
    # giving a sheet back is the secretariat's; this one was never sent: refused
    (
        "emulation:sheet_return",
        "/clusters/cum-2/2024/scoring/sheets/{sheet_self}/return/",
        everyone(405),
        answers(LOGIN, REFUSED, 403, REFUSED, 403, 403, 404, 404),
    ),
    # a unit's report: its officers, its cluster's secretariat, admin; leadership reads
    (
        "reports:unit_report",
        "/units/lai-chau/2024/report/",
        answers(LOGIN, 200, 200, 200, 200, 404, 404, 404),
        answers(LOGIN, 302, 403, 302, 302, 404, 404, 404),  # saved, back to the report
    ),
    (
        "reports:unit_report",
        "/units/lai-chau/2023/report/",
        answers(LOGIN, 200, 200, 200, 200, 404, 404, 404),
        answers(LOGIN, 403, 403, 403, 403, 404, 404, 404),  # published: nobody writes
    ),
    (
        "login",
        "/accounts/login/",
        everyone(200),
        everyone(302),  # a real account's password: whoever asks is logged in as that account
    ),
    ("logout", "/accounts/logout/", everyone(405), everyone(302)),
    ("set_language", "/i18n/setlang/", everyone(302), everyone(302)),
    # the awards summary: leadership, every secretariat, admin; officers may not
    (
        "pages:awards_summary",
        "/awards/",
        answers(LOGIN, 200, 200, 200, 403, 403, 200, 403),
        everyone(405),
    ),
    (
        "pages:awards_summary",
        "/awards/?year=2018&cluster=cum-2&format=xlsx",
        answers(LOGIN, 200, 200, 200, 403, 403, 200, 403),
        everyone(405),
    ),
    # comparisons: those who read the award summary; another secretariat compares the years it
    # may read (the published ones)
    *[
        (name, address, answers(LOGIN, 200, 200, 200, 403, 403, 200, 403), everyone(405))
        for name, address in (
            ("pages:compare_clusters", "/compare/?year=2023"),
            ("pages:compare_clusters", "/compare/"),
            ("pages:compare_years", "/clusters/cum-2/compare/?from=2018&to=2023"),
            ("pages:compare_years", "/clusters/cum-2/compare/"),
        )
    ],
    # search: every signed-in user, each finding only what they may read
    (
        "pages:search",
        "/search/?q=lai+chau",
        answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        everyone(405),
    ),
    # the year printed (PDF): as the year page; the year's report and news draft: signed-in
    # readers of the year
    ("pages:year_pdf", "/clusters/cum-2/2023/print.pdf", everyone(200), everyone(405)),
    (
        "pages:year_pdf",
        "/clusters/cum-2/2024/print.pdf",
        answers(LOGIN, 200, 200, 200, 200, 200, 404, 404),
        everyone(405),
    ),
    *[
        (name, f"/clusters/cum-2/2023/{path}", answers(LOGIN, *[200] * 7), everyone(405))
        for name, path in (("pages:year_report", "report.docx"), ("pages:year_news", "news/"))
    ],
    *[
        (
            name,
            f"/clusters/cum-2/2024/{path}",
            answers(LOGIN, 200, 200, 200, 200, 200, 404, 404),
            everyone(405),
        )
        for name, path in (("pages:year_report", "report.docx"), ("pages:year_news", "news/"))
    ],
    # spreadsheets: the upload for an open year (officers for their own report rows, checked per
    # row); the export for leadership, the admin and the cluster's secretariat; the template
    (
        "workbook_import",
        "/clusters/cum-2/2024/import/",
        answers(LOGIN, 200, 403, 200, 200, 200, 404, 404),
        # the file (checked, not yet written) is Lai Châu's report row: Sơn La's officer sees
        # the row refused (422)
        answers(LOGIN, 200, 403, 200, 200, 422, 404, 404),
    ),
    (
        "workbook_import",
        "/clusters/cum-2/2023/import/",
        answers(LOGIN, 403, 403, 403, 403, 403, 404, 404),  # published: reopen first
        answers(LOGIN, 403, 403, 403, 403, 403, 404, 404),
    ),
    (
        "workbook_export",
        "/clusters/cum-2/2024/export.xlsx",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    (
        "workbook_export",
        "/clusters/cum-2/2023/export.xlsx",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    (
        "workbook_template",
        "/workbook/template.xlsx",
        answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        everyone(405),
    ),
    # the admin's upload: the file is checked and kept for confirmation (200)
    ("admin_workbook", "/admin/workbook/", admin_only(), admin_only()),
    # a background import (the secretariat's, checked): its starter and the admin only; the
    # confirmation queues its write (302)
    (
        "workbook_job",
        "/workbook/jobs/{job}/",
        answers(LOGIN, 200, 404, 200, 404, 404, 404, 404),
        answers(LOGIN, 302, 404, 302, 404, 404, 404, 404),
    ),
    (
        "workbook_job_progress",
        "/workbook/jobs/{job}/progress.json",
        answers(LOGIN, 200, 404, 200, 404, 404, 404, 404),
        everyone(405),
    ),
    # a large year's export, written by a worker: started by whoever may export the year; its
    # page, figures and file are its starter's (the secretariat's here) and the admin's
    (
        "workbook_export_start",
        "/clusters/cum-2/2024/export/",
        everyone(405),
        answers(LOGIN, 302, 302, 302, 403, 403, 404, 404),
    ),
    *[
        (name, address, answers(LOGIN, 200, 404, 200, 404, 404, 404, 404), everyone(405))
        for name, address in (
            ("workbook_export_job", "/workbook/exports/{export}/"),
            ("workbook_export_job_progress", "/workbook/exports/{export}/progress.json"),
            ("workbook_export_file", "/workbook/exports/{export}/file.xlsx"),
        )
    ],
    # a year's history of changes: those who oversee it
    (
        "pages:year_history",
        "/clusters/cum-2/2024/history/",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    (
        "pages:year_history",
        "/clusters/cum-2/2023/history/",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    # ?year= asks for the export: the page's upload form posted there gets the file (200)
    ("admin_workbook", "/admin/workbook/?year=2023", admin_only(), admin_only()),
    ("admin:index", "/admin/", admin_only(), admin_only()),
    # A changelist's form runs its first action on its first row. Mostly that is delete, which
    # asks for confirmation first (200); the nominations' first action submits the first one and
    # the accounts' deactivates the first account: the admin's to do, done (302). Changelists
    # without actions (or rows) show again (200).
    ("admin:clusters_unit_changelist", "/admin/clusters/unit/", admin_only(), admin_only()),
    ("admin:clusters_cluster_changelist", "/admin/clusters/cluster/", admin_only(), admin_only()),
    (
        "admin:clusters_clusteryear_changelist",
        "/admin/clusters/clusteryear/",
        admin_only(),
        admin_only(),
    ),
    (
        "admin:clusters_membership_changelist",
        "/admin/clusters/membership/",
        admin_only(),
        admin_only(),
    ),
    (
        "admin:accounts_user_changelist",
        "/admin/accounts/user/",
        admin_only(),
        admin_only(302),  # deactivates the first account
    ),
    (
        "admin:reports_unitreport_changelist",
        "/admin/reports/unitreport/",
        admin_only(),
        admin_only(),
    ),
    (
        "admin:reports_conference_changelist",
        "/admin/reports/conference/",
        admin_only(),
        admin_only(),
    ),
    ("admin:awards_awardkind_changelist", "/admin/awards/awardkind/", admin_only(), admin_only()),
    (
        "admin:awards_nomination_changelist",
        "/admin/awards/nomination/",
        admin_only(),
        admin_only(302),  # submits the first nomination
    ),
    (
        "admin:awards_commendation_changelist",
        "/admin/awards/commendation/",
        admin_only(),
        admin_only(),
    ),
    ("admin:welfare_fund_changelist", "/admin/welfare/fund/", admin_only(), admin_only()),
    ("admin:welfare_support_changelist", "/admin/welfare/support/", admin_only(), admin_only()),
    *[
        (f"admin:{app}_{model}_changelist", f"/admin/{app}/{model}/", admin_only(), admin_only())
        for app, model in [
            ("auth", "group"),
            ("awards", "awardquota"),
            ("welfare", "contribution"),
            ("welfare", "beneficiary"),
            ("axes", "accessattempt"),
            ("axes", "accessfailurelog"),
            ("axes", "accesslog"),
            ("workbook", "importjob"),
            ("workbook", "exportjob"),
            ("awards", "discipline"),
            ("emulation", "councilmember"),
            ("emulation", "candidate"),
            ("emulation", "ballotcount"),
            ("emulation", "dossier"),
            ("emulation", "dossierround"),
            ("emulation", "cycle"),
            ("emulation", "criterion"),
            ("emulation", "pledge"),
            ("emulation", "scoresheet"),
        ]
    ],
    # change forms with real ids ({...} is filled in by the ids fixture): the form posted as it
    # shows, inlines and their management forms included, is saved (302)
    *[
        (f"admin:{name}", address, admin_only(), admin_only(302))
        for name, address in [
            ("clusters_unit_change", "/admin/clusters/unit/{unit}/change/"),
            ("clusters_cluster_change", "/admin/clusters/cluster/{cluster}/change/"),
            ("clusters_clusteryear_change", "/admin/clusters/clusteryear/{year_open}/change/"),
            ("accounts_user_change", "/admin/accounts/user/{user}/change/"),
            ("accounts_user_password_change", "/admin/accounts/user/{user}/password/"),
            ("awards_awardkind_change", "/admin/awards/awardkind/{award_kind}/change/"),
        ]
    ],
    # a history has no form: a POST shows it again
    (
        "admin:reports_unitreport_history",
        "/admin/reports/unitreport/{report}/history/",
        admin_only(),
        admin_only(),
    ),
    # a published year's change form, posted as it shows (its Save button is there for the
    # reopen action): the service refuses, nothing changes
    (
        "admin:clusters_clusteryear_change",
        "/admin/clusters/clusteryear/{year_published}/change/",
        admin_only(),
        admin_only(REFUSED),
    ),
    # objects of a published year: frozen for the admin too until the year is reopened
    *[
        (f"admin:{name}", address, admin_only(), {**admin_only(), "admin": 403})
        for name, address in [
            ("reports_unitreport_change", "/admin/reports/unitreport/{report}/change/"),
            ("awards_nomination_change", "/admin/awards/nomination/{nomination}/change/"),
            ("welfare_beneficiary_change", "/admin/welfare/beneficiary/{beneficiary}/change/"),
            ("reports_conference_change", "/admin/reports/conference/{conference}/change/"),
            ("welfare_fund_change", "/admin/welfare/fund/{fund}/change/"),
            ("welfare_support_change", "/admin/welfare/support/{support}/change/"),
            ("welfare_contribution_change", "/admin/welfare/contribution/{contribution}/change/"),
            # a roster is changed on its year's form, where its rules are checked together
            ("clusters_membership_change", "/admin/clusters/membership/{membership}/change/"),
        ]
    ],
]

# URL patterns that are not pages of ours to put in the matrix: Django admin's own sub-views are
# covered through the changelists above and the admin tests.
NOT_PAGES = {"admin", "javascript-catalog"}


@pytest.fixture
def users(seeded, people, other_cluster):
    return {
        "anonymous": None,
        **people,
        "other_secretary": UserFactory(
            username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster
        ),
        "other_officer": UserFactory(
            username="canbo.hanoi", role=Role.UNIT_OFFICER, unit=other_cluster.members.first()
        ),
        "ministry": UserFactory(username="canbo.bo", role=Role.MINISTRY),
    }


@pytest.fixture
def open_year_work(users):
    """What the open year's forms act on, so that the edit page shows them: a collecting fund
    with a contribution and a house it supports; a proposed, a submitted and an approved
    nomination (whose commendation gives the commendations' changelist a row to act on)."""
    from awards import services as awards
    from awards.models import AwardKind
    from clusters.models import ClusterYear
    from welfare import services as welfare
    from welfare.models import Beneficiary, Support

    admin, unit = users["admin"], users["officer_laichau"].unit
    year = ClusterYear.objects.get(cluster__slug="cum-2", year=2024)
    fund = welfare.fund_open(
        cluster_year=year,
        title="Quỹ nghĩa tình 2024",
        by=admin,
        opened_on=datetime.date(2024, 1, 2),
    )
    welfare.contribution_add(
        fund=fund, amount=50_000_000, given_on=datetime.date(2024, 1, 3), by=admin, unit=unit
    )
    beneficiary = welfare.beneficiary_save(
        beneficiary=Beneficiary(full_name="Vừ A Páo", unit=unit, circumstance="hardship"),
        by=admin,
        cluster_year=year,
    )
    welfare.support_save(
        support=Support(fund=fund, beneficiary=beneficiary, kind="house", amount=20_000_000),
        by=admin,
    )
    cycle = emulation.cycle_open(cluster_year=year, by=admin)
    group = emulation.criterion_save(
        criterion=Criterion(cycle=cycle, number="I", title="Chuyên môn", kind="group"), by=admin
    )
    for number, kind in (("1", "scored"), ("2", "bonus"), ("3", "penalty")):
        emulation.criterion_save(
            criterion=Criterion(
                cycle=cycle,
                number=number,
                title=f"Tiêu chí {number}",
                kind=kind,
                max_points=10,
                parent=group if kind == "scored" else None,
            ),
            by=admin,
        )
    emulation.scoring_start(cycle=cycle, by=admin)
    emulation.council_member_save(
        member=CouncilMember(cycle=cycle, name="Đại tá Chủ tịch Hội đồng"), by=admin
    )
    emulation.candidate_add(
        candidate=Candidate(
            cycle=cycle, award_kind=AwardKind.objects.get(code="co-bo-cong-an"), unit=unit
        ),
        by=admin,
    )
    emulation.inspection_assign(
        cycle=cycle,
        inspector=unit,
        unit=year.memberships.get(unit__slug="son-la").unit,
        by=admin,
    )
    proposed, submitted, approved = (
        awards.nomination_propose(
            cluster_year=year,
            award_kind=AwardKind.objects.get(code=code),
            unit=year.memberships.get(unit__slug=slug).unit,
            by=admin,
        )
        for code, slug in (
            ("don-vi-quyet-thang", "son-la"),
            ("don-vi-tien-tien", "lai-chau"),
            ("don-vi-quyet-thang", "lai-chau"),
        )
    )
    for nomination in (submitted, approved):
        awards.nomination_submit(nomination=nomination, by=admin)
    awards.nomination_decide(
        nomination=approved,
        approved=True,
        by=admin,
        decision_number="45/QĐ-BCA",
        decision_date=datetime.date(2024, 12, 20),
    )


def refusals(response) -> list[str]:
    """The errors and warnings the request left for the next page."""
    queued = messages.get_messages(response.wsgi_request)
    return [str(m) for m in queued if m.level >= messages.WARNING]


def answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
        if refusals(response):
            return REFUSED
    return response.status_code


# One test per address and method, every role inside it: the data are built once per test, not
# once per role (the matrix is the largest part of the suite).
CASES = [
    pytest.param(address, method, expected, id=f"{method} {address}")
    for _, address, get_answers, post_answers in MATRIX
    for method, expected in (("GET", get_answers), ("POST", post_answers))
]
CASE_COUNT = len(CASES) * len(ROLES)

DOMAIN_APPS = ["accounts", "clusters", "reports", "awards", "welfare", "emulation"]


def domain_models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def snapshot():
    """Everything a refused POST must leave as it was: every row of every table of the domain
    apps, their histories (simple_history) and many-to-many tables included. Read with plain
    SQL, every column as stored: the ORM's values() gives the same rows ten times slower, and
    the matrix takes thousands of these."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for model in domain_models():
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
            rows[model._meta.label] = cursor.fetchall()
    return rows


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


# --- the form each POST sends --------------------------------------------------------------

FIRST = object()  # an override: the field's first non-empty choice
TYPED = object()  # an override: a plausible value for the field's name, as fill() types it
EDIT_PAGE = "/clusters/cum-2/{year}/edit/"
SECTION = re.compile(r"^/clusters/cum-2/(?P<year>\d+)/edit/(?P<section>[a-z-]+)/$")
SCORING = re.compile(
    r"^/clusters/cum-2/(?P<year>\d+)/(?P<page>scoring|ballot|dossier)/(?P<path>[a-z-]+/)$"
)


def source_of(address):
    """(page, action): the page that shows the form POSTed to address, and that form's action.

    An edit-page section is POST only: its form is on the edit page. A published year's page
    shows none of them (the year is read-only), so both years post the form of the open year's
    page, 2024; the reopen button shows on a published year's page only, so both take 2023's.
    The logout and language forms are on every page; the admin's export address (?year=) answers
    with a file, the page's upload form is the one posted there."""
    match = SCORING.match(address)
    if match:  # a published year shows no forms: both years post 2024's
        page = f"/clusters/cum-2/2024/{match['page']}/"
        return page, f"{page}{match['path']}"
    match = SECTION.match(address)
    if match:
        year = "2023" if match["section"] == "reopen" else "2024"
        page = EDIT_PAGE.format(year=year)
        return page, f"{page}{match['section']}/"
    if address in ("/accounts/logout/", "/i18n/setlang/"):
        return "/", address
    if address == "/clusters/cum-2/2023/import/":  # a published year's upload page is a 403
        return "/clusters/cum-2/2024/import/", "/clusters/cum-2/2024/import/"
    if address.endswith("/late-decision/"):  # the form is on the published 2018 year page
        return "/clusters/cum-2/2018/", "/clusters/cum-2/2018/late-decision/"
    if address.startswith("/admin/workbook/"):
        return "/admin/workbook/", "/admin/workbook/"
    return address, address


# POSTs whose 302 writes nothing of the domain's (every other 302 of a POST must have written);
# a background import's confirmation queues the write, which a worker does later
WRITES_NOTHING = {
    "/accounts/logout/",
    "/i18n/setlang/",
    "/clusters/cum-2/2024/edit/reopen/",
    "/workbook/jobs/{job}/",
    "/clusters/cum-2/2024/export/",
    # the cycle is open and scoring began already: asked again, nothing changes
    "/clusters/cum-2/2024/scoring/open/",
    "/clusters/cum-2/2024/scoring/start/",
    "/notifications/read/",  # nothing unread: nothing to mark
}

# Addresses that no form posts to: they are sent nothing.
FORMLESS = {
    "/admin/",
    "/admin/reports/unitreport/{report}/history/",
    "/sources/999999/file/",
    "/accounts/password_change/done/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/set-password/",
    "/accounts/reset/done/",
    "/clusters/cum-2/2024/export/",  # its form shows only for a year too large to export at once
    # shown only before the cycle is opened, before scoring begins, for a sheet that was sent
    "/clusters/cum-2/2024/scoring/open/",
    "/clusters/cum-2/2023/scoring/open/",
    "/clusters/cum-2/2024/scoring/start/",
    "/clusters/cum-2/2023/scoring/start/",
    "/clusters/cum-2/2024/scoring/sheets/{sheet_self}/return/",
    # shown only for a dossier sent, received: none is yet
    "/clusters/cum-2/2024/dossier/recall/",
    "/clusters/cum-2/2023/dossier/recall/",
    "/clusters/cum-2/2024/dossier/receive/",
    "/clusters/cum-2/2024/dossier/return/",
    "/clusters/cum-2/2024/dossier/decide/",
    "/notifications/read/",
}


def report_workbook():
    """A workbook of one report row, Lai Châu's 2024, as the import pages take it: the sheet's
    own headers (workbook.registry), every count 5."""
    from core.spreadsheets import workbook_bytes
    from workbook.registry import SECTIONS

    sheet = next(s for s in SECTIONS if s.title == "Báo cáo đơn vị")
    cluster, year, unit = sheet.required
    known = {cluster: "Cụm thi đua số II", year: 2024, unit: "Công an tỉnh Lai Châu"}
    row = [
        known.get(header, 5 if sheet.kinds.get(header) == "integer" else "")
        for header in sheet.headers
    ]
    return workbook_bytes([(sheet.title, sheet.headers, [row])])


def upload():
    return {"file": SimpleUploadedFile("bao-cao.xlsx", report_workbook())}


# Where the generic fill is not a valid post: a name and a value, or a callable giving fresh
# values for each post (an uploaded file is read once).
OVERRIDES = {
    "/accounts/password_change/": {
        "old_password": "mat-khau-thu",
        "new_password1": "Mat-khau-moi-2026!",
        "new_password2": "Mat-khau-moi-2026!",
    },
    # a real account's password (the factories' one); any role may log in
    "/accounts/login/": {"username": "canbo.sonla", "password": "mat-khau-thu"},
    # the first award kind is the Government's flag: only the cluster's leading unit, with 80%
    # of the votes; a unit award without rules is a valid vote
    "nominate/": {"award_kind": "{award_kind_unit}"},
    # an approval needs its decision's number and date
    "decide/": {"decision_number": TYPED, "decision_date": TYPED},
    "/clusters/cum-2/2018/late-decision/": {"decision_number": TYPED, "decision_date": TYPED},
    "/clusters/cum-2/2024/late-decision/": {"decision_number": TYPED, "decision_date": TYPED},
    # a house's milestone needs its day
    "milestone/": {"on": TYPED},
    # a unit that is not a member yet, by a Ministry decision (2024 has reports)
    "membership/": {
        "member-unit": "{unit_outside}",
        "member-decision_number": TYPED,
        "member-decision_date": TYPED,
    },
    # a contribution names a member unit or a donor
    "contribution/": {"gift-unit": FIRST},
    # a beneficiary of a member unit (another unit needs a reason for support out of the cluster)
    "support/": {"support-unit": "{unit}"},
    "/clusters/cum-2/2024/import/": upload,
    "/clusters/cum-2/2023/import/": upload,
    "/admin/workbook/": upload,
    "/admin/workbook/?year=2023": upload,
    # a pledge is signed in the year (or late the year before)
    "/clusters/cum-2/2024/scoring/pledge/": {"signed_on": "15/01/2024"},
    "/clusters/cum-2/2023/scoring/pledge/": {"signed_on": "15/01/2024"},
    # a criterion's number is its own in the year
    "/clusters/cum-2/2024/scoring/criterion/": {"number": "9", "max_points": "5"},
    "/clusters/cum-2/2023/scoring/criterion/": {"number": "9", "max_points": "5"},
    # a line of the sheet scored
    "/clusters/cum-2/2024/scoring/sheets/{sheet_self}/": {"points_{criterion_scored}": "5"},
    # a signed scan of the dossier
    "/clusters/cum-2/2024/dossier/scan/": lambda: {
        "file": SimpleUploadedFile("bien-ban-da-ky.pdf", b"%PDF-1.4 signed")
    },
    "/clusters/cum-2/2023/dossier/scan/": lambda: {
        "file": SimpleUploadedFile("bien-ban-da-ky.pdf", b"%PDF-1.4 signed")
    },
    # a unit-level award (the first kind, the Government's flag, is the leading unit's only)
    "/clusters/cum-2/2024/ballot/candidate/": {"award_kind": "{award_kind_unit}"},
    "/clusters/cum-2/2023/ballot/candidate/": {"award_kind": "{award_kind_unit}"},
    # one member of the council is present: one ballot
    "/clusters/cum-2/2024/ballot/count/": {"ballots_cast": "1"},
    "/clusters/cum-2/2023/ballot/count/": {"ballots_cast": "1"},
    # one unit inspects another, not itself
    "/clusters/cum-2/2024/scoring/assign/": {"unit": "{unit}"},
    "/clusters/cum-2/2023/scoring/assign/": {"unit": "{unit}"},
}


def overrides_for(address):
    section = SECTION.match(address)
    return OVERRIDES.get(f"{section['section']}/" if section else address, {})


def changelist(address):
    return re.fullmatch(r"/admin/\w+/\w+/", address) is not None


def form_data(admin_client, address, ids):
    """The form POSTed to address as the admin's browser would send it, filled validly: a
    function giving a fresh dict for each post."""
    page, action = source_of(address)
    if address in FORMLESS:
        return dict
    with transaction.atomic():  # whatever showing the page writes is not kept
        response = admin_client.get(page.format(**ids))
        transaction.set_rollback(True)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    forms = posting_to(response.content.decode(), page.format(**ids), action.format(**ids))
    assert forms, f"no form on {page} posts to {action}"
    form = fill(forms[0])
    if changelist(address) and "_selected_action" in form.fields:
        # an action needs a row to act on: the first one (see the changelists in the MATRIX)
        form.data.append(("_selected_action", first_choice(form.fields["_selected_action"])))
    data = form.as_dict()
    extra = overrides_for(address)
    if callable(extra):
        return lambda: {**data, **extra()}
    for name, value in extra.items():
        if value is FIRST:
            value = first_choice(form.fields[name])
        elif value is TYPED:
            value = plausible(form.fields[name])
        data[name.format(**ids)] = value.format(**ids)
    return lambda: dict(data)


@pytest.fixture
def ids(users, open_year_work):
    from awards.models import AwardKind, Nomination
    from clusters.models import ClusterYear, Membership, Unit
    from reports.models import Conference, UnitReport
    from welfare.models import Beneficiary, Contribution, Fund, Support
    from workbook.models import ExportJob, ImportJob

    return {
        "unit": users["officer_laichau"].unit_id,
        "unit_outside": Unit.objects.get(slug="tuyen-quang").pk,
        "cluster": users["secretary"].cluster_id,
        "year_open": ClusterYear.objects.get(cluster__slug="cum-2", year=2024).pk,
        "year_published": ClusterYear.objects.get(cluster__slug="cum-2", year=2023).pk,
        "report": UnitReport.objects.filter(cluster_year__year=2023).first().pk,
        "conference": Conference.objects.filter(cluster_year__status="published").first().pk,
        "nomination": Nomination.objects.filter(cluster_year__status="published").first().pk,
        "fund": Fund.objects.filter(cluster_year__status="published").first().pk,
        "support": Support.objects.filter(fund__cluster_year__status="published").first().pk,
        "user": users["officer_sonla"].pk,
        "membership": Membership.objects.filter(year=2024).first().pk,
        "award_kind": AwardKind.objects.first().pk,
        "award_kind_unit": AwardKind.objects.get(code="don-vi-quyet-thang").pk,
        "nomination_open": Nomination.objects.filter(cluster_year__year=2024).first().pk,
        "criterion_scored": Criterion.objects.get(number="1", cycle__cluster_year__year=2024).pk,
        "sheet_self": ScoreSheet.objects.get(
            kind="self", unit=users["officer_laichau"].unit, cycle__cluster_year__year=2024
        ).pk,
        "beneficiary": Beneficiary.objects.filter(supports__fund__cluster_year__status="published")
        .first()
        .pk,
        "contribution": Contribution.objects.filter(fund__cluster_year__status="published")
        .first()
        .pk,
        "job": ImportJob.objects.create(
            user=users["secretary"],
            cluster_year=ClusterYear.objects.get(cluster__slug="cum-2", year=2024),
            filename="bao-cao.xlsx",
            content=report_workbook(),
            status=ImportJob.Status.CHECKED,
            finished_at=timezone.now(),
        ).pk,
        "export": ExportJob.objects.create(
            user=users["secretary"],
            cluster_year=ClusterYear.objects.get(cluster__slug="cum-2", year=2024),
            filename="cum-2-2024.xlsx",
            content=report_workbook(),
            status=ExportJob.Status.DONE,
            finished_at=timezone.now(),
        ).pk,
    }


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    """Checked uploads are kept in a folder of the test's own."""
    from workbook.views import UPLOAD_STORAGE

    configured = settings.STORAGES[UPLOAD_STORAGE]
    options = {**configured.get("OPTIONS", {}), "location": tmp_path / "kept"}
    settings.STORAGES = {**settings.STORAGES, UPLOAD_STORAGE: {**configured, "OPTIONS": options}}


@pytest.mark.parametrize("address,method,expected", CASES)
def test_matrix(users, ids, address, method, expected):
    # Everyone logs in first (a login writes the account's last_login): then one snapshot is
    # what every role's request starts from, each request being rolled back after it.
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if users[role]:
            clients[role].force_login(users[role])
    # A 405 is answered before anything reads the body: those addresses have no form to send.
    posts = method == "POST" and set(expected.values()) != {405}
    data = form_data(clients["admin"], address, ids) if posts else dict
    before = snapshot() if method == "POST" else None
    writes = address not in WRITES_NOTHING
    address = address.format(**ids)
    wrong = []
    for role in ROLES:
        client = clients[role]
        with transaction.atomic():  # rolled back: the next role meets the same data
            response = client.get(address) if method == "GET" else client.post(address, data())
            if answer(response) != expected[role]:
                why = " ".join(refusals(response))
                wrong.append(f"{role}: {answer(response)} instead of {expected[role]} {why}")
            if method == "POST":
                changed = changed_tables(before, snapshot())
                if expected[role] != 302 and changed:
                    wrong.append(f"{role}: a refused POST changed {', '.join(changed)}")
                if expected[role] == 302 and writes and not changed:
                    wrong.append(f"{role}: a POST answered as saved wrote nothing")
            transaction.set_rollback(True)
    assert not wrong, f"{method} {address}: " + "; ".join(wrong)


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue
            yield from named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_pattern_is_in_the_matrix():
    # Our own addresses; the admin's are covered by the changelist and change form rows above.
    covered = {name for name, *_ in MATRIX}
    missing = set(named_patterns()) - covered - NOT_PAGES
    assert not missing, f"addresses without a row in the permission matrix: {sorted(missing)}"
