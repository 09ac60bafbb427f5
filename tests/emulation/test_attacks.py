"""The cycle attacked as users and attackers would: every address anonymously, each role on
what is not its to write, other clusters' rows by number, forms posted twice, bad input, a
published year, papers and evidence asked for by number, notifications of others."""

import io
from urllib.parse import urlparse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from accounts.access import COMMAND_LINE
from accounts.models import Notification, Role
from accounts.services import notify
from awards.models import AwardKind, Nomination
from clusters import services as cluster_services
from emulation import services
from emulation.models import (
    BallotCount,
    Candidate,
    CouncilMember,
    Criterion,
    Cycle,
    DossierRound,
    Pledge,
    Score,
    ScoreSheet,
)
from tests.emulation.conftest import D, criteria, fill
from tests.emulation.test_cycle import agree_all
from tests.emulation.test_dossier import ministry, send, voted  # noqa: F401  (fixtures)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = "/clusters/cum-2/2024/"
SCORING = f"{YEAR}scoring/"
BALLOT = f"{YEAR}ballot/"
DOSSIER = f"{YEAR}dossier/"


def html(response) -> str:
    return response.content.decode()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def sheet_of(cycle, unit, kind="self", inspector=None):
    return ScoreSheet.objects.get(cycle=cycle, unit=unit, kind=kind, inspector=inspector)


def sheet_url(sheet) -> str:
    return f"{SCORING}sheets/{sheet.pk}/"


@pytest.fixture
def quiet(client):
    """A client that answers 500 instead of raising: a probe then reads the status."""
    return Client(raise_request_exception=False)


@pytest.fixture
def started(cycle):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    return cycle


@pytest.fixture
def council(cycle):
    for number, state in enumerate(["present"] * 4 + ["written"], start=1):
        services.council_member_save(
            member=CouncilMember(cycle=cycle, name=f"Đại tá Thành viên {number}", attendance=state),
            by=COMMAND_LINE,
        )
    return cycle


def flag():
    return AwardKind.objects.get(code="co-bo-cong-an")


@pytest.fixture
def other_cycle(other_cluster):
    """Cluster I's 2024 cycle: one criterion, scoring started, a council member, a candidate."""
    cycle = services.cycle_open(cluster_year=other_cluster, by=COMMAND_LINE)
    group = services.criterion_save(
        criterion=Criterion(cycle=cycle, number="A", title="Nhóm", kind=Criterion.Kind.GROUP),
        by=COMMAND_LINE,
    )
    services.criterion_save(
        criterion=Criterion(cycle=cycle, number="1", title="Một", max_points=D("10"), parent=group),
        by=COMMAND_LINE,
    )
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    services.council_member_save(
        member=CouncilMember(cycle=cycle, name="Thành viên cụm I"), by=COMMAND_LINE
    )
    unit = other_cluster.memberships.select_related("unit").first().unit
    services.candidate_add(
        candidate=Candidate(cycle=cycle, award_kind=flag(), unit=unit), by=COMMAND_LINE
    )
    return cycle


def publish_2024(cluster_ii):
    cluster_services.cluster_year_publish(cluster_year=cluster_ii.years[2024], by=COMMAND_LINE)
    cluster_ii.years[2024].refresh_from_db()


# --- anonymous visitors ------------------------------------------------------------------------

READ_ADDRESSES = [
    SCORING,
    BALLOT,
    f"{BALLOT}print/",
    f"{BALLOT}ballots.pdf",
    DOSSIER,
    f"{DOSSIER}minutes.docx",
    f"{DOSSIER}proposal.docx",
    f"{DOSSIER}achievements/1.docx",
    f"{SCORING}sheets/1/",
]
WRITE_ADDRESSES = (
    [
        f"{SCORING}{name}/"
        for name in (
            "open",
            "settings",
            "criterion",
            "criterion-delete",
            "start",
            "pledge",
            "assign",
            "unassign",
            "rank",
        )
    ]
    + [
        f"{SCORING}sheets/1/return/",
        f"{SCORING}sheets/1/",
    ]
    + [
        f"{BALLOT}{name}/"
        for name in (
            "member",
            "member-delete",
            "discipline",
            "candidate",
            "candidate-delete",
            "count",
            "propose",
        )
    ]
    + [f"{DOSSIER}{name}/" for name in ("scan", "submit", "recall", "receive", "return", "decide")]
)


# Each probe below walks every address over one cycle set up once (a cycle per address would
# cost the suite a minute); the assertion names the address that fails.


def test_anonymous_reads_are_sent_to_log_in(quiet, started):
    for address in READ_ADDRESSES:
        response = quiet.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith("/accounts/login/"), address


def test_anonymous_writes_are_sent_to_log_in_and_write_nothing(quiet, started):
    before = (Criterion.objects.count(), ScoreSheet.objects.count(), Score.objects.count())
    for address in WRITE_ADDRESSES:
        response = quiet.post(address, {"pk": "1", "number": "9", "title": "x", "kind": "scored"})
        assert response.status_code == 302, address
        assert response["Location"].startswith("/accounts/login/"), address
    assert (Criterion.objects.count(), ScoreSheet.objects.count(), Score.objects.count()) == before


def test_anonymous_notifications(quiet):
    assert quiet.get("/notifications/").status_code == 302
    assert quiet.get("/notifications/unread.json").json() == {"unread": 0}
    response = quiet.post("/notifications/read/", {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- GET on POST-only addresses ------------------------------------------------------------------


def test_a_get_on_a_post_only_address_is_405_not_500(quiet, started, secretary):
    quiet.force_login(secretary)
    for address in WRITE_ADDRESSES:
        if not address.endswith("sheets/1/"):
            assert quiet.get(address).status_code == 405, address


def test_a_get_on_notifications_read_is_405(quiet, officer_laichau):
    quiet.force_login(officer_laichau)
    assert quiet.get("/notifications/read/").status_code == 405


# --- roles writing what is not theirs ------------------------------------------------------------


KEEPERS_ADDRESSES = [
    f"{SCORING}open/",
    f"{SCORING}settings/",
    f"{SCORING}criterion/",
    f"{SCORING}criterion-delete/",
    f"{SCORING}start/",
    f"{SCORING}assign/",
    f"{SCORING}unassign/",
    f"{SCORING}rank/",
    f"{BALLOT}member/",
    f"{BALLOT}member-delete/",
    f"{BALLOT}discipline/",
    f"{BALLOT}candidate/",
    f"{BALLOT}candidate-delete/",
    f"{BALLOT}count/",
    f"{BALLOT}propose/",
    f"{DOSSIER}scan/",
    f"{DOSSIER}submit/",
    f"{DOSSIER}recall/",
    f"{DOSSIER}receive/",
    f"{DOSSIER}return/",
    f"{DOSSIER}decide/",
]
MINISTRYS_OWN = ("receive/", "return/", "decide/")


@pytest.mark.parametrize("role", ["officer_laichau", "leader", "ministry"])
def test_readers_and_units_cannot_keep_the_cycle(quiet, started, request, role):
    user = request.getfixturevalue(role)
    quiet.force_login(user)
    before = (
        Criterion.objects.count(),
        ScoreSheet.objects.count(),
        CouncilMember.objects.count(),
        Candidate.objects.count(),
        DossierRound.objects.count(),
    )
    for address in KEEPERS_ADDRESSES:
        if role == "ministry" and address.endswith(MINISTRYS_OWN):
            continue
        response = quiet.post(address, {"pk": "1", "number": "9", "title": "x", "kind": "scored"})
        assert response.status_code == 403, address
    after = (
        Criterion.objects.count(),
        ScoreSheet.objects.count(),
        CouncilMember.objects.count(),
        Candidate.objects.count(),
        DossierRound.objects.count(),
    )
    assert after == before


def test_a_unit_cannot_write_its_own_agreed_score(quiet, started, cluster_ii, officer_laichau):
    agreed = sheet_of(started, cluster_ii.units["lai-chau"], "agreed")
    found = criteria(started)
    quiet.force_login(officer_laichau)
    response = quiet.post(sheet_url(agreed), {"action": "save", f"points_{found['1'].pk}": "30"})
    assert response.status_code == 403
    assert not agreed.scores.exists()


def test_a_unit_cannot_write_another_units_self_score_even_when_it_may_read_it(
    quiet, started, cluster_ii, secretary, officer_laichau
):
    lai_chau, son_la = cluster_ii.units["lai-chau"], cluster_ii.units["son-la"]
    theirs = sheet_of(started, son_la)
    services.sheet_save(
        sheet=theirs,
        entries=[services.Entry(criterion=criteria(started)["1"], points=D("20"))],
        by=COMMAND_LINE,
    )
    inspection = services.inspection_assign(
        cycle=started, inspector=lai_chau, unit=son_la, by=secretary
    )
    fill(inspection, officer_laichau, c1=25, c2=40, c3=30)
    quiet.force_login(officer_laichau)
    assert quiet.get(sheet_url(theirs)).status_code == 200  # readable now
    response = quiet.post(
        sheet_url(theirs), {"action": "save", f"points_{criteria(started)['1'].pk}": "0"}
    )
    assert response.status_code == 403
    assert theirs.scores.get().points == D("20")


def test_a_unit_cannot_write_an_inspection_another_unit_makes(
    quiet, started, cluster_ii, secretary, officer_laichau
):
    son_la, dien_bien = cluster_ii.units["son-la"], cluster_ii.units["dien-bien"]
    inspection = services.inspection_assign(
        cycle=started, inspector=son_la, unit=dien_bien, by=secretary
    )
    quiet.force_login(officer_laichau)
    response = quiet.post(
        sheet_url(inspection), {"action": "save", f"points_{criteria(started)['1'].pk}": "1"}
    )
    assert response.status_code in (403, 404)
    assert not inspection.scores.exists()


def test_the_inspected_unit_cannot_write_the_inspection_of_itself(
    quiet, started, cluster_ii, secretary, officer_sonla
):
    inspection = services.inspection_assign(
        cycle=started,
        inspector=cluster_ii.units["lai-chau"],
        unit=cluster_ii.units["son-la"],
        by=secretary,
    )
    quiet.force_login(officer_sonla)
    response = quiet.post(
        sheet_url(inspection), {"action": "save", f"points_{criteria(started)['1'].pk}": "30"}
    )
    assert response.status_code in (403, 404)
    assert not inspection.scores.exists()


def test_the_service_refuses_a_unit_writing_another_units_sheet(
    started, cluster_ii, officer_laichau
):
    theirs = sheet_of(started, cluster_ii.units["son-la"])
    with pytest.raises(PermissionDenied):
        services.sheet_save(
            sheet=theirs,
            entries=[services.Entry(criterion=criteria(started)["1"], points=D("1"))],
            by=officer_laichau,
        )


def test_another_clusters_secretariat_finds_nothing_here(quiet, started, cluster_ii, other_cluster):
    stranger = UserFactory(
        username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster
    )
    quiet.force_login(stranger)
    agreed = sheet_of(started, cluster_ii.units["lai-chau"], "agreed")
    assert quiet.get(SCORING).status_code == 404
    assert quiet.get(sheet_url(agreed)).status_code == 404
    response = quiet.post(
        sheet_url(agreed), {"action": "save", f"points_{criteria(started)['1'].pk}": "1"}
    )
    assert response.status_code == 404
    assert quiet.post(f"{BALLOT}member/", {"name": "X"}).status_code == 404
    assert not agreed.scores.exists() and not CouncilMember.objects.exists()


# --- what an inspector may see before sending its inspection -----------------------------------


@pytest.fixture
def inspecting(started, cluster_ii, secretary):
    """Sơn La sent its self-score (30/40/30 = 100); Lai Châu is assigned to inspect it and has
    not sent its inspection yet. Every agreed sheet is also sent (the ranking not adopted)."""
    son_la = cluster_ii.units["son-la"]
    fill(sheet_of(started, son_la), COMMAND_LINE, c1="29.75", c2="39.25", c3="28.5")
    inspection = services.inspection_assign(
        cycle=started, inspector=cluster_ii.units["lai-chau"], unit=son_la, by=secretary
    )
    return started, inspection


def test_the_inspector_sees_neither_sheet_nor_total_of_the_self_score_before_sending(
    client, inspecting, cluster_ii, officer_laichau
):
    cycle, _inspection = inspecting
    client.force_login(officer_laichau)
    assert client.get(sheet_url(sheet_of(cycle, cluster_ii.units["son-la"]))).status_code == 404
    page = html(client.get(SCORING))
    assert "97,5" not in page and "29,75" not in page
    assert 'id="divergences"' not in page and 'id="ranking-table"' not in page


def test_the_inspector_sees_the_self_score_in_no_document_before_sending(
    client, inspecting, cluster_ii, officer_laichau
):
    cycle, _inspection = inspecting
    client.force_login(officer_laichau)
    for address in (f"{DOSSIER}minutes.docx", f"{DOSSIER}proposal.docx"):
        response = client.get(address)
        assert response.status_code in (200, 403, 404)
        if response.status_code == 200:
            text = docx_text(response.content)
            assert "97,5" not in text and "29,75" not in text


def test_a_unit_does_not_read_the_unadopted_ranking_in_the_minutes_docx(
    client, started, cluster_ii, officer_laichau
):
    """The scoring page hides the ranking from a unit until the cluster adopts it; the minutes
    download, open to every member, must not show it either."""
    agree_all(started, cluster_ii, {"lao-cai": (30, 40, 30, 5, 0), "son-la": (29, 39, 28, 0, 0)})
    client.force_login(officer_laichau)
    page = html(client.get(SCORING))
    assert 'id="ranking-table"' not in page  # holds on the page
    response = client.get(f"{DOSSIER}minutes.docx")
    assert response.status_code in (200, 403, 404)
    if response.status_code == 200:
        text = docx_text(response.content)
        assert "105" not in text  # Lào Cai's agreed total
        assert "Công an tỉnh Sơn La\n96" not in text and "\n96\n" not in text


def test_the_inspected_unit_does_not_see_the_inspection_before_sending_its_own_self_score(
    client, started, cluster_ii, secretary, officer_laichau, officer_sonla
):
    """Sơn La must not read Lai Châu's inspection of it (and align its own score on it) before
    Sơn La's self-score is sent."""
    lai_chau, son_la = cluster_ii.units["lai-chau"], cluster_ii.units["son-la"]
    inspection = services.inspection_assign(
        cycle=started, inspector=lai_chau, unit=son_la, by=secretary
    )
    fill(inspection, officer_laichau, c1="21.25", c2=40, c3=30)
    assert not sheet_of(started, son_la).is_submitted
    client.force_login(officer_sonla)
    assert client.get(sheet_url(inspection)).status_code == 404
    assert "91,25" not in html(client.get(SCORING))


def test_another_unit_cannot_download_a_self_scores_evidence_by_its_number(
    quiet, started, cluster_ii, secretary, officer_laichau
):
    """The self-score of Sơn La is hidden from its inspector until the inspection is sent: the
    evidence file attached to it must not be downloadable by pk meanwhile."""
    son_la = cluster_ii.units["son-la"]
    theirs = sheet_of(started, son_la)
    services.sheet_save(
        sheet=theirs,
        entries=[
            services.Entry(
                criterion=criteria(started)["1"],
                points=D("30"),
                explanation="Tự chấm tối đa",
                uploads=[SimpleUploadedFile("tu-cham-son-la.pdf", b"%PDF-1.4 tu cham 30 diem")],
            )
        ],
        by=COMMAND_LINE,
    )
    services.inspection_assign(
        cycle=started, inspector=cluster_ii.units["lai-chau"], unit=son_la, by=secretary
    )
    evidence = theirs.scores.get().evidence.get()
    quiet.force_login(officer_laichau)
    response = quiet.get(reverse("clusters:source_file", args=[evidence.pk]))
    assert response.status_code == 404


def test_the_public_cannot_download_score_evidence_once_the_year_is_published(
    quiet, started, cluster_ii
):
    son_la = cluster_ii.units["son-la"]
    services.sheet_save(
        sheet=sheet_of(started, son_la),
        entries=[
            services.Entry(
                criterion=criteria(started)["1"],
                points=D("30"),
                uploads=[SimpleUploadedFile("bang-chung.pdf", b"%PDF-1.4 noi bo")],
            )
        ],
        by=COMMAND_LINE,
    )
    evidence = sheet_of(started, son_la).scores.get().evidence.get()
    publish_2024(cluster_ii)
    response = quiet.get(reverse("clusters:source_file", args=[evidence.pk]))
    assert response.status_code == 404


def test_the_public_cannot_download_the_dossier_sent_to_the_ministry_once_published(
    quiet,
    voted,  # noqa: F811
    secretary,
    cluster_ii,
):
    sent = send(voted, secretary)
    document = sent.documents.first()
    publish_2024(cluster_ii)
    response = quiet.get(reverse("clusters:source_file", args=[document.pk]))
    assert response.status_code == 404


# --- a published year -----------------------------------------------------------------------------


@pytest.fixture
def published(started, cluster_ii, council):
    lao_cai = cluster_ii.units["lao-cai"]
    services.candidate_add(
        candidate=Candidate(cycle=started, award_kind=flag(), unit=lao_cai), by=COMMAND_LINE
    )
    publish_2024(cluster_ii)
    started.cluster_year.refresh_from_db()
    return started


@pytest.mark.parametrize(
    "address,data",
    [
        (f"{SCORING}settings/", {"divergence_threshold": "5", "tie_break": "none"}),
        (
            f"{SCORING}criterion/",
            {"kind": "scored", "number": "9", "title": "x", "max_points": "1"},
        ),
        (f"{SCORING}assign/", {}),
        (f"{SCORING}rank/", {}),
        (f"{BALLOT}member/", {"name": "Thành viên mới", "attendance": "present", "order": "0"}),
        (f"{BALLOT}candidate/", {}),
        (f"{BALLOT}count/", {}),
        (f"{BALLOT}propose/", {}),
        (f"{DOSSIER}submit/", {}),
        (f"{DOSSIER}scan/", {}),
    ],
)
def test_the_secretariat_writes_nothing_in_a_published_year(
    quiet, published, secretary, address, data
):
    quiet.force_login(secretary)
    before = (
        Criterion.objects.count(),
        CouncilMember.objects.count(),
        Candidate.objects.count(),
        BallotCount.objects.count(),
        DossierRound.objects.count(),
    )
    response = quiet.post(address, data)
    assert response.status_code == 403
    after = (
        Criterion.objects.count(),
        CouncilMember.objects.count(),
        Candidate.objects.count(),
        BallotCount.objects.count(),
        DossierRound.objects.count(),
    )
    assert after == before
    published.refresh_from_db()
    assert published.divergence_threshold == D("2")


def test_no_sheet_is_written_in_a_published_year(
    quiet, published, cluster_ii, secretary, officer_laichau, admin_user
):
    found = criteria(published)
    own = sheet_of(published, cluster_ii.units["lai-chau"])
    agreed = sheet_of(published, cluster_ii.units["lai-chau"], "agreed")
    for user, sheet in (
        (officer_laichau, own),
        (secretary, own),
        (secretary, agreed),
        (admin_user, agreed),
    ):
        quiet.force_login(user)
        response = quiet.post(sheet_url(sheet), {"action": "save", f"points_{found['1'].pk}": "5"})
        assert response.status_code == 403
    assert not Score.objects.exists()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.sheet_save(
            sheet=own,
            entries=[services.Entry(criterion=found["1"], points=D("5"))],
            by=COMMAND_LINE,
        )
    quiet.force_login(officer_laichau)
    response = quiet.post(
        f"{SCORING}pledge/",
        {"unit": cluster_ii.units["lai-chau"].pk, "signed_by": "X", "signed_on": "15/01/2024"},
    )
    assert response.status_code == 403
    assert not Pledge.objects.exists()


def test_the_services_refuse_a_published_year(published, cluster_ii):
    for call in (
        lambda: services.council_member_save(
            member=CouncilMember(cycle=published, name="X"), by=COMMAND_LINE
        ),
        lambda: services.ballot_propose(cycle=published, by=COMMAND_LINE),
        lambda: services.scoring_start(cycle=published, by=COMMAND_LINE),
        lambda: services.dossier_submit(cycle=published, by=COMMAND_LINE, documents=[]),
        lambda: services.inspection_assign(
            cycle=published,
            inspector=cluster_ii.units["lai-chau"],
            unit=cluster_ii.units["son-la"],
            by=COMMAND_LINE,
        ),
    ):
        with pytest.raises((ValidationError, PermissionDenied)):
            call()
    assert (
        CouncilMember.objects.count() == 5
        and not ScoreSheet.objects.filter(kind="inspection").exists()
    )


# --- another cluster's objects by their number ------------------------------------------------


def test_another_clusters_sheet_by_pk_is_404(quiet, started, other_cycle, admin_user):
    theirs = ScoreSheet.objects.filter(cycle=other_cycle, kind="self").first()
    crit = other_cycle.criteria.get(number="1")
    quiet.force_login(admin_user)
    assert quiet.get(sheet_url(theirs)).status_code == 404
    response = quiet.post(sheet_url(theirs), {"action": "save", f"points_{crit.pk}": "5"})
    assert response.status_code == 404
    assert quiet.post(f"{SCORING}sheets/{theirs.pk}/return/").status_code == 404
    assert quiet.post(f"{SCORING}unassign/", {"pk": theirs.pk}).status_code == 404
    assert not theirs.scores.exists() and ScoreSheet.objects.filter(pk=theirs.pk).exists()


def test_another_clusters_criterion_member_and_candidate_by_pk_are_404(
    quiet, started, other_cycle, admin_user
):
    quiet.force_login(admin_user)
    crit = other_cycle.criteria.get(number="1")
    member = other_cycle.council.get()
    candidate = other_cycle.candidates.get()
    assert quiet.post(f"{SCORING}criterion-delete/", {"pk": crit.pk}).status_code == 404
    response = quiet.post(
        f"{SCORING}criterion/",
        {"pk": crit.pk, "kind": "scored", "number": "1", "title": "Đổi", "max_points": "1"},
    )
    assert response.status_code == 404
    assert quiet.post(f"{BALLOT}member-delete/", {"pk": member.pk}).status_code == 404
    assert quiet.post(f"{BALLOT}candidate-delete/", {"pk": candidate.pk}).status_code == 404
    crit.refresh_from_db()
    assert crit.title == "Một" and CouncilMember.objects.filter(pk=member.pk).exists()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_a_criterion_cannot_be_hung_under_another_clusters_group(
    quiet, started, other_cycle, admin_user
):
    quiet.force_login(admin_user)
    group = other_cycle.criteria.get(number="A")
    response = quiet.post(
        f"{SCORING}criterion/",
        {"kind": "scored", "number": "77", "title": "x", "max_points": "1", "parent": group.pk},
    )
    assert response.status_code == 422
    assert not started.criteria.filter(number="77").exists()


def test_another_years_nomination_docx_by_pk_is_404(quiet, started, other_cycle, admin_user):
    """Cluster I votes and proposes; its nomination's achievement report is not reachable
    through cluster II's address."""
    candidate = other_cycle.candidates.get()
    services.ballot_count_save(
        cycle=other_cycle,
        award_kind=flag(),
        tally=services.Tally(
            ballots_cast=1, blank=0, spoiled=0, written=0, votes={candidate.pk: (1, 0)}
        ),
        by=COMMAND_LINE,
    )
    (nomination,) = services.ballot_propose(cycle=other_cycle, by=COMMAND_LINE)
    quiet.force_login(admin_user)
    assert quiet.get(f"{DOSSIER}achievements/{nomination.pk}.docx").status_code == 404
    own = f"/clusters/cum-1/2024/dossier/achievements/{nomination.pk}.docx"
    assert quiet.get(own).status_code == 200


# --- double posts --------------------------------------------------------------------------------


def test_a_candidate_posted_twice_is_on_the_ballot_once(quiet, council, cluster_ii, secretary):
    quiet.force_login(secretary)
    data = {"award_kind": flag().pk, "unit": cluster_ii.units["lao-cai"].pk, "order": "0"}
    assert quiet.post(f"{BALLOT}candidate/", data).status_code == 302
    assert quiet.post(f"{BALLOT}candidate/", data).status_code == 422
    data["person_name"] = "  "  # blank after trimming: the same collective
    assert quiet.post(f"{BALLOT}candidate/", data).status_code == 422
    assert Candidate.objects.filter(cycle=council).count() == 1


def test_a_council_member_posted_twice_is_in_the_council_once(quiet, cycle, secretary):
    """A double click on "add" must not add a phantom member: the thresholds are counted on the
    council's whole membership, so one more member changes who is elected."""
    quiet.force_login(secretary)
    data = {
        "name": "Đại tá Nguyễn Văn A",
        "title": "Phó Giám đốc",
        "attendance": "present",
        "order": "1",
    }
    assert quiet.post(f"{BALLOT}member/", data).status_code == 302
    quiet.post(f"{BALLOT}member/", data)
    assert CouncilMember.objects.filter(cycle=cycle).count() == 1


def counted(council, cluster_ii, at_meeting):
    """Lào Cai alone on the Ministry's flag ballot, counted: `at_meeting` votes and 1 in writing."""
    lao_cai = services.candidate_add(
        candidate=Candidate(cycle=council, award_kind=flag(), unit=cluster_ii.units["lao-cai"]),
        by=COMMAND_LINE,
    )
    services.ballot_count_save(
        cycle=council,
        award_kind=flag(),
        tally=services.Tally(
            ballots_cast=4, blank=0, spoiled=0, written=1, votes={lao_cai.pk: (at_meeting, 1)}
        ),
        by=COMMAND_LINE,
    )
    return lao_cai


def test_propose_twice_makes_the_nominations_once(quiet, council, cluster_ii, secretary):
    counted(council, cluster_ii, at_meeting=4)
    quiet.force_login(secretary)
    assert quiet.post(f"{BALLOT}propose/").status_code == 302
    assert quiet.post(f"{BALLOT}propose/").status_code == 302
    assert Nomination.objects.filter(cluster_year=council.cluster_year).count() == 1


def test_submit_twice_makes_one_round(quiet, voted, secretary):  # noqa: F811
    quiet.force_login(secretary)
    assert quiet.post(f"{DOSSIER}submit/").status_code == 302
    assert quiet.post(f"{DOSSIER}submit/").status_code == 302
    assert DossierRound.objects.filter(dossier__cycle=voted).count() == 1


def test_receive_twice_and_return_twice_hold(quiet, voted, secretary, ministry):  # noqa: F811
    services.dossier_submit(cycle=voted, by=secretary, documents=[])
    quiet.force_login(ministry)
    assert quiet.post(f"{DOSSIER}receive/").status_code == 302
    assert quiet.post(f"{DOSSIER}receive/").status_code == 302
    assert quiet.post(f"{DOSSIER}return/", {"reason": "Thiếu"}).status_code == 302
    assert quiet.post(f"{DOSSIER}return/", {"reason": "Thiếu"}).status_code == 422
    assert Notification.objects.filter(kind="dossier_returned").count() == 1


def test_open_start_assign_and_pledge_twice_are_idempotent(quiet, cycle, cluster_ii, secretary):
    quiet.force_login(secretary)
    assert quiet.post(f"{SCORING}open/").status_code == 302
    assert quiet.post(f"{SCORING}open/").status_code == 302
    assert Cycle.objects.filter(cluster_year=cycle.cluster_year).count() == 1
    quiet.post(f"{SCORING}start/")
    sheets = ScoreSheet.objects.count()
    quiet.post(f"{SCORING}start/")
    members = cycle.cluster_year.memberships.count()
    assert ScoreSheet.objects.count() == sheets == 2 * members
    data = {"inspector": cluster_ii.units["lai-chau"].pk, "unit": cluster_ii.units["son-la"].pk}
    quiet.post(f"{SCORING}assign/", data)
    quiet.post(f"{SCORING}assign/", data)
    assert ScoreSheet.objects.filter(kind="inspection").count() == 1
    pledge = {"unit": cluster_ii.units["son-la"].pk, "signed_by": "A", "signed_on": "15/01/2024"}
    quiet.post(f"{SCORING}pledge/", pledge)
    quiet.post(f"{SCORING}pledge/", pledge)
    assert Pledge.objects.count() == 1


def test_a_count_for_a_kind_with_no_name_on_the_ballot_is_refused(quiet, council, secretary):
    """A count posted for an award kind nobody is on the ballot for is recorded where no page
    shows it, and then locks the council (no member can be removed) for nothing."""
    quiet.force_login(secretary)
    government = AwardKind.objects.get(code="co-chinh-phu")
    response = quiet.post(
        f"{BALLOT}count/",
        {
            "award_kind": government.pk,
            "ballots_cast": "0",
            "blank": "0",
            "spoiled": "0",
            "written": "0",
        },
    )
    assert response.status_code in (404, 422)
    assert not BallotCount.objects.filter(cycle=council).exists()


def test_no_council_member_is_added_once_the_ballots_are_counted(
    quiet, council, cluster_ii, secretary
):
    """Removing a member after the count is refused (the thresholds are on the whole council);
    adding one changes the thresholds just as much and must be refused too."""
    counted(council, cluster_ii, at_meeting=3)
    quiet.force_login(secretary)
    member = council.council.first()
    quiet.post(f"{BALLOT}member-delete/", {"pk": member.pk})
    assert CouncilMember.objects.filter(cycle=council).count() == 5  # holds
    quiet.post(
        f"{BALLOT}member/", {"name": "Thành viên thêm", "attendance": "absent", "order": "9"}
    )
    assert CouncilMember.objects.filter(cycle=council).count() == 5


# --- bad input: never a 500 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "-1",
        "30,01",
        "31",
        "1e3",
        "1E+2",
        "99999999999999999999",
        "NaN",
        "Infinity",
        "-Infinity",
        "3,5,5",
        "0x10",
        "1/2",
        "--1",
    ],
)
def test_bad_points_are_refused_on_the_page(quiet, started, cluster_ii, officer_laichau, value):
    own = sheet_of(started, cluster_ii.units["lai-chau"])
    found = criteria(started)
    quiet.force_login(officer_laichau)
    response = quiet.post(sheet_url(own), {"action": "save", f"points_{found['1'].pk}": value})
    assert response.status_code == 422
    assert not own.scores.exists()


def test_a_sheet_post_with_no_fields_or_unknown_fields_is_harmless(
    quiet, started, cluster_ii, officer_laichau, other_cycle
):
    own = sheet_of(started, cluster_ii.units["lai-chau"])
    foreign = other_cycle.criteria.get(number="1")
    quiet.force_login(officer_laichau)
    assert quiet.post(sheet_url(own), {}).status_code == 302
    response = quiet.post(sheet_url(own), {"action": "submit", f"points_{foreign.pk}": "5"})
    assert response.status_code == 422
    assert not own.scores.exists() and not ScoreSheet.objects.get(pk=own.pk).is_submitted


def test_sheet_save_service_refuses_negative_above_max_and_foreign_criteria(
    started, cluster_ii, other_cycle
):
    own = sheet_of(started, cluster_ii.units["lai-chau"])
    found = criteria(started)
    for entry in (
        services.Entry(criterion=found["1"], points=D("-0.01")),
        services.Entry(criterion=found["1"], points=D("30.01")),
        services.Entry(criterion=found["I"], points=D("1")),
        services.Entry(criterion=other_cycle.criteria.get(number="1"), points=D("1")),
    ):
        with pytest.raises(ValidationError):
            services.sheet_save(sheet=own, entries=[entry], by=COMMAND_LINE)
    assert not own.scores.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"divergence_threshold": "abc", "tie_break": "none"},
        {"divergence_threshold": "-1", "tie_break": "none"},
        {"divergence_threshold": "1e30", "tie_break": "none"},
        {"divergence_threshold": "2", "tie_break": "coin_toss"},
        {"divergence_threshold": "2", "tie_break": "none", "self_score_due": "31/02/2024"},
        {"divergence_threshold": "2", "tie_break": "none", "report_due": "2024-13-01"},
        {"divergence_threshold": "2", "tie_break": "none", "dossier_due": "hôm nay"},
        {"divergence_threshold": "2", "tie_break": "none", "inspection_due": "99/99/99999"},
        {},
    ],
)
def test_bad_settings_are_refused(quiet, cycle, secretary, data):
    quiet.force_login(secretary)
    assert quiet.post(f"{SCORING}settings/", data).status_code == 422
    cycle.refresh_from_db()
    assert cycle.divergence_threshold == D("2") and cycle.tie_break == "penalty_then_bonus"


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "bogus", "number": "9", "title": "x", "max_points": "1"},
        {"kind": "scored", "number": "9", "title": "x", "max_points": "-5"},
        {"kind": "scored", "number": "9", "title": "x", "max_points": "abc"},
        {"kind": "scored", "number": "9", "title": "x", "max_points": "1e9"},
        {"kind": "scored", "number": "9", "title": "x"},
        {"kind": "scored", "number": "", "title": "x", "max_points": "1"},
        {"kind": "scored", "number": "9", "title": "", "max_points": "1"},
        {"kind": "scored", "number": "9", "title": "x" * 600, "max_points": "1"},
        {"kind": "scored", "number": "9", "title": "x", "max_points": "1", "order": "-1"},
        {
            "kind": "scored",
            "number": "9",
            "title": "x",
            "max_points": "1",
            "order": "99999999999999999999",
        },
        {"kind": "scored", "number": "9", "title": "x", "max_points": "1", "parent": "abc"},
        {"kind": "scored", "number": "9", "title": "x", "max_points": "1", "parent": "999999"},
    ],
)
def test_bad_criteria_are_refused(quiet, cycle, secretary, data):
    quiet.force_login(secretary)
    assert quiet.post(f"{SCORING}criterion/", data).status_code == 422
    assert cycle.criteria.count() == 7


def test_a_group_cannot_become_its_own_grandchild(quiet, cycle, secretary):
    found = criteria(cycle)
    sub = services.criterion_save(
        criterion=Criterion(
            cycle=cycle,
            number="I.a",
            title="Nhóm con",
            kind=Criterion.Kind.GROUP,
            parent=found["I"],
        ),
        by=COMMAND_LINE,
    )
    quiet.force_login(secretary)
    response = quiet.post(
        f"{SCORING}criterion/",
        {"pk": found["I"].pk, "kind": "group", "number": "I", "title": "x", "parent": sub.pk},
    )
    assert response.status_code == 422
    found["I"].refresh_from_db()
    assert found["I"].parent_id is None


def test_a_scored_criterion_with_scores_cannot_become_a_group(
    quiet, started, cluster_ii, admin_user
):
    """Once points were given to a criterion, even the admin may not turn it into a group (its
    scores would then count for nothing) or move it to another kind."""
    found = criteria(started)
    own = sheet_of(started, cluster_ii.units["lai-chau"])
    services.sheet_save(
        sheet=own, entries=[services.Entry(criterion=found["1"], points=D("28"))], by=COMMAND_LINE
    )
    quiet.force_login(admin_user)
    response = quiet.post(
        f"{SCORING}criterion/",
        {
            "pk": found["1"].pk,
            "kind": "group",
            "number": "1",
            "title": "Kiềm chế tội phạm",
            "parent": found["I"].pk,
            "order": "1",
        },
    )
    assert response.status_code == 422
    found["1"].refresh_from_db()
    assert found["1"].kind == "scored" and found["1"].max_points == D("30")


def test_a_criterion_pk_that_is_not_a_number_does_not_touch_an_existing_one(
    quiet, cycle, secretary
):
    quiet.force_login(secretary)
    response = quiet.post(
        f"{SCORING}criterion/",
        {"pk": "abc", "kind": "scored", "number": "1", "title": "Trùng", "max_points": "1"},
    )
    assert response.status_code == 422
    assert criteria(cycle)["1"].title == "Kiềm chế tội phạm"
    assert quiet.post(f"{SCORING}criterion-delete/", {"pk": "abc"}).status_code == 404
    assert quiet.post(f"{SCORING}criterion-delete/", {}).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"signed_by": "A", "signed_on": "32/01/2024"},
        {"signed_by": "A", "signed_on": "2024-02-30"},
        {"signed_by": "A", "signed_on": "01/01/1900"},
        {"signed_by": "A", "signed_on": "01/01/2099"},
        {"signed_by": "", "signed_on": "15/01/2024"},
        {"signed_by": "A" * 300, "signed_on": "15/01/2024"},
        {"signed_by": "A", "signed_on": ""},
        {"signed_by": "A", "signed_on": "15/01/2024", "unit": "abc"},
    ],
)
def test_bad_pledges_are_refused(quiet, cycle, cluster_ii, officer_laichau, data):
    quiet.force_login(officer_laichau)
    data = {"unit": cluster_ii.units["lai-chau"].pk, **data}
    assert quiet.post(f"{SCORING}pledge/", data).status_code == 422
    assert not Pledge.objects.exists()


def test_a_pledge_for_a_unit_of_another_cluster_is_refused(quiet, cycle, other_cluster, secretary):
    quiet.force_login(secretary)
    stranger = other_cluster.memberships.first().unit_id
    data = {"unit": stranger, "signed_by": "A", "signed_on": "15/01/2024"}
    assert quiet.post(f"{SCORING}pledge/", data).status_code == 422
    assert not Pledge.objects.exists()


def test_bad_assignments_are_refused(quiet, started, cluster_ii, other_cluster, secretary):
    quiet.force_login(secretary)
    lai_chau = cluster_ii.units["lai-chau"].pk
    stranger = other_cluster.memberships.first().unit_id
    for data in (
        {"inspector": lai_chau, "unit": lai_chau},
        {"inspector": lai_chau, "unit": stranger},
        {"inspector": stranger, "unit": lai_chau},
        {"inspector": lai_chau},
        {"inspector": "abc", "unit": "def"},
    ):
        assert quiet.post(f"{SCORING}assign/", data).status_code == 422
    assert not ScoreSheet.objects.filter(kind="inspection").exists()


def test_assigning_before_scoring_started_is_refused(quiet, cycle, cluster_ii, secretary):
    quiet.force_login(secretary)
    data = {"inspector": cluster_ii.units["lai-chau"].pk, "unit": cluster_ii.units["son-la"].pk}
    assert quiet.post(f"{SCORING}assign/", data).status_code in (404, 422)
    assert not ScoreSheet.objects.exists()


def test_unassign_refuses_a_self_sheet_and_bad_pks(quiet, started, cluster_ii, secretary):
    quiet.force_login(secretary)
    own = sheet_of(started, cluster_ii.units["lai-chau"])
    assert quiet.post(f"{SCORING}unassign/", {"pk": own.pk}).status_code == 302
    assert ScoreSheet.objects.filter(pk=own.pk).exists()
    assert quiet.post(f"{SCORING}unassign/", {"pk": "abc"}).status_code == 404
    assert quiet.post(f"{SCORING}sheets/999999/return/").status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "attendance": "present", "order": "0"},
        {"name": "A" * 300, "attendance": "present", "order": "0"},
        {"name": "A", "attendance": "maybe", "order": "0"},
        {"name": "A", "attendance": "present", "order": "-1"},
        {"name": "A", "attendance": "present", "order": "99999999999999999999"},
        {"name": "A", "attendance": "present", "order": "abc"},
    ],
)
def test_bad_council_members_are_refused(quiet, cycle, secretary, data):
    quiet.force_login(secretary)
    assert quiet.post(f"{BALLOT}member/", data).status_code == 422
    assert not CouncilMember.objects.exists()


def test_bad_candidates_are_refused(quiet, council, cluster_ii, other_cluster, secretary):
    quiet.force_login(secretary)
    stranger = other_cluster.memberships.first().unit_id
    lao_cai = cluster_ii.units["lao-cai"].pk
    for data in (
        {"award_kind": "abc", "unit": lao_cai, "order": "0"},
        {"award_kind": "999999", "unit": lao_cai, "order": "0"},
        {"award_kind": flag().pk, "unit": stranger, "order": "0"},
        {"award_kind": flag().pk, "unit": "abc", "order": "0"},
        {"award_kind": flag().pk, "unit": lao_cai, "order": "-3"},
        {"award_kind": flag().pk, "unit": lao_cai, "order": "0", "person_name": "X" * 200},
        {},
    ):
        assert quiet.post(f"{BALLOT}candidate/", data).status_code == 422, data
    assert not Candidate.objects.exists()


def test_bad_counts_are_refused(quiet, council, cluster_ii, secretary):
    lao_cai = services.candidate_add(
        candidate=Candidate(cycle=council, award_kind=flag(), unit=cluster_ii.units["lao-cai"]),
        by=COMMAND_LINE,
    )
    quiet.force_login(secretary)
    base = {
        "award_kind": flag().pk,
        "ballots_cast": "4",
        "blank": "0",
        "spoiled": "0",
        "written": "1",
    }
    assert quiet.post(f"{BALLOT}count/", {**base, "award_kind": "abc"}).status_code == 404
    assert quiet.post(f"{BALLOT}count/", {**base, "award_kind": ""}).status_code == 404
    for change in (
        {"ballots_cast": "abc"},
        {"ballots_cast": "-1"},
        {"ballots_cast": "100000000000"},
        {"ballots_cast": ""},
        {"blank": "3", "spoiled": "3"},
        {f"votes_{lao_cai.pk}": "abc"},
        {f"votes_{lao_cai.pk}": "-1"},
        {f"votes_{lao_cai.pk}": "5"},
        {f"written_{lao_cai.pk}": "2"},
    ):
        assert quiet.post(f"{BALLOT}count/", {**base, **change}).status_code == 422, change
    assert not BallotCount.objects.exists()


def test_bad_discipline_is_refused(quiet, cycle, cluster_ii, secretary):
    quiet.force_login(secretary)
    for data in (
        {},
        {
            "unit": cluster_ii.units["lao-cai"].pk,
            "form": "x",
            "decision_date": "31/02/2024",
            "decision_number": "1",
        },
        {"unit": "abc", "form": "x", "decision_date": "01/02/2024", "decision_number": "1"},
    ):
        assert quiet.post(f"{BALLOT}discipline/", data).status_code == 422


def test_the_ministrys_bad_input_is_refused(quiet, voted, secretary, ministry):  # noqa: F811
    services.dossier_submit(cycle=voted, by=secretary, documents=[])
    quiet.force_login(ministry)
    assert quiet.post(f"{DOSSIER}return/", {"reason": "   "}).status_code == 422
    assert quiet.post(f"{DOSSIER}return/", {}).status_code == 422
    # decisions before receiving: refused, not a 500
    nomination = Nomination.objects.get(cluster_year=voted.cluster_year)
    response = quiet.post(f"{DOSSIER}decide/", {f"outcome_{nomination.pk}": "yes"})
    assert response.status_code == 422
    services.dossier_receive(cycle=voted, by=ministry)
    for data in (
        {f"outcome_{nomination.pk}": "maybe"},
        {f"outcome_{nomination.pk}": "yes", "day": "31/02/2025"},
        {f"outcome_{nomination.pk}": "yes", "day": "hôm qua"},
        {f"outcome_{nomination.pk}": "", "day": "01/02/2025"},
        {f"outcome_{nomination.pk}": "yes", "number": "N" * 100},
        {"outcome_999999": "yes"},
    ):
        assert quiet.post(f"{DOSSIER}decide/", data).status_code == 422, data
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


def test_a_scan_without_a_file_or_with_a_bad_one_is_refused(quiet, cycle, secretary):
    quiet.force_login(secretary)
    assert quiet.post(f"{DOSSIER}scan/", {"title": "x"}).status_code == 422
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert quiet.post(f"{DOSSIER}scan/", {"title": "x", "file": bad}).status_code == 422


@pytest.mark.parametrize("day", ["2024-02-30", "2024-13-01", "9999-99-99", "abc", "31/12/2024"])
@pytest.mark.parametrize("document", ["minutes.docx", "proposal.docx"])
def test_a_bad_document_day_is_not_a_500(quiet, cycle, secretary, day, document):
    quiet.force_login(secretary)
    response = quiet.get(f"{DOSSIER}{document}", {"day": day, "number": "1" * 500})
    assert response.status_code in (200, 400)


def test_a_bad_achievements_day_is_not_a_500(quiet, voted, secretary):  # noqa: F811
    nomination = Nomination.objects.get(cluster_year=voted.cluster_year)
    quiet.force_login(secretary)
    response = quiet.get(f"{DOSSIER}achievements/{nomination.pk}.docx", {"day": "2024-02-30"})
    assert response.status_code in (200, 400)


# --- the documents and pages when there is nothing in them ------------------------------------


def test_empty_documents_and_pages_are_made(quiet, cluster_ii, secretary):
    cycle = services.cycle_open(cluster_year=cluster_ii.years[2024], by=COMMAND_LINE)
    assert not cycle.criteria.exists()
    quiet.force_login(secretary)
    for address in (SCORING, BALLOT, DOSSIER, f"{BALLOT}print/"):
        assert quiet.get(address).status_code == 200, address
    for address in (f"{DOSSIER}minutes.docx", f"{DOSSIER}proposal.docx"):
        response = quiet.get(address)
        assert response.status_code == 200 and response.content[:2] == b"PK", address
    response = quiet.get(f"{BALLOT}ballots.pdf")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    # a dossier with nothing to send is refused, not a 500
    response = quiet.post(f"{DOSSIER}submit/")
    assert response.status_code == 302 and not DossierRound.objects.exists()
    assert quiet.post(f"{SCORING}start/").status_code == 302  # "no scored criterion" message
    assert not ScoreSheet.objects.exists()
    assert quiet.post(f"{SCORING}rank/").status_code == 302


def test_pages_and_documents_before_any_cycle(quiet, cluster_ii, secretary, officer_laichau):
    for user in (secretary, officer_laichau):
        quiet.force_login(user)
        for address in (SCORING, BALLOT, DOSSIER):
            assert quiet.get(address).status_code == 200, address
        for address in (
            f"{DOSSIER}minutes.docx",
            f"{BALLOT}ballots.pdf",
            f"{BALLOT}print/",
            f"{SCORING}sheets/1/",
        ):
            assert quiet.get(address).status_code == 404, address
    quiet.force_login(secretary)
    for address in (
        f"{SCORING}settings/",
        f"{SCORING}start/",
        f"{BALLOT}member/",
        f"{DOSSIER}submit/",
    ):
        assert quiet.post(address, {}).status_code == 404, address


def test_a_rank_adopted_with_every_sheet_but_no_ballot_makes_documents(
    quiet, started, cluster_ii, secretary
):
    agree_all(started, cluster_ii, {"lao-cai": (30, 40, 30, 5, 0)})
    quiet.force_login(secretary)
    assert quiet.post(f"{SCORING}rank/").status_code == 302
    started.refresh_from_db()
    assert started.ranking_adopted_at is not None
    response = quiet.get(f"{DOSSIER}minutes.docx")
    assert response.status_code == 200
    assert "Công an tỉnh Lào Cai là đơn vị dẫn đầu" in docx_text(response.content)


# --- notifications ------------------------------------------------------------------------------


def test_one_cannot_mark_anothers_notification_read(quiet, officer_laichau, officer_sonla):
    (theirs,) = notify(users=[officer_sonla], kind="x", text="Của Sơn La", url="/")
    (mine,) = notify(users=[officer_laichau], kind="x", text="Của Lai Châu", url="/")
    quiet.force_login(officer_laichau)
    assert quiet.post("/notifications/read/", {"pk": theirs.pk}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert quiet.get("/notifications/unread.json").json() == {"unread": 1}
    assert "Của Sơn La" not in html(quiet.get("/notifications/"))
    quiet.post("/notifications/read/", {})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None and mine.read_at is not None


def test_a_malformed_pk_does_not_mark_every_notification_read(quiet, officer_laichau):
    made = notify(users=[officer_laichau], kind="x", text="Một", url="/") + notify(
        users=[officer_laichau], kind="x", text="Hai", url="/"
    )
    quiet.force_login(officer_laichau)
    quiet.post("/notifications/read/", {"pk": "abc", "next": "/"})
    assert (
        Notification.objects.filter(pk__in=[n.pk for n in made], read_at__isnull=True).count() == 2
    )


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "\\\\evil.example",
    ],
)
def test_the_next_address_after_reading_stays_on_the_site(quiet, officer_laichau, target):
    (mine,) = notify(users=[officer_laichau], kind="x", text="Một", url="/")
    quiet.force_login(officer_laichau)
    response = quiet.post("/notifications/read/", {"pk": mine.pk, "next": target})
    assert response.status_code == 302
    location = response["Location"]
    # Django sends a backslash as %5C: "/%5Cevil.example/" is a path of this site
    assert urlparse(location).netloc == "", location
    assert not location.startswith(("//", "/\\")), location


def test_the_notifications_page_survives_a_bad_page_number(quiet, officer_laichau):
    quiet.force_login(officer_laichau)
    for page in ("abc", "-1", "99999999999999999999", "0"):
        assert quiet.get("/notifications/", {"page": page}).status_code == 200
