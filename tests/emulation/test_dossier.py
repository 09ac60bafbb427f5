"""The documents read back (the administrative layout, numbers, dates, counts, names), the
dossier's rounds (send, recall, return, send again, decide), and the notifications they leave."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from docx.shared import Mm

from accounts.access import COMMAND_LINE
from accounts.models import Notification, Role
from accounts.services import notify
from awards.models import AwardKind, Commendation, Nomination
from emulation import documents, services
from emulation.models import Candidate, CouncilMember, Dossier, ScoreSheet
from tests.emulation.conftest import fill
from tests.emulation.test_cycle import agree_all, started
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    """Every paragraph of the document, its tables' cells included, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return "\n".join(lines)


@pytest.fixture
def voted(cycle, cluster_ii):
    """2024 scored and ranked (Lào Cai first), a council of five (one voting in writing), Lào
    Cai elected for the Ministry's flag with 5 of 5 votes and proposed."""
    started(cycle)
    agree_all(cycle, cluster_ii, {"lao-cai": (30, 40, 30, 5, 0)})
    services.ranking_adopt(cycle=cycle, by=COMMAND_LINE)
    for number, state in enumerate(["present"] * 4 + ["written"], start=1):
        services.council_member_save(
            member=CouncilMember(
                cycle=cycle,
                name=f"Đại tá Thành viên {number}",
                title="Phó Giám đốc",
                attendance=state,
            ),
            by=COMMAND_LINE,
        )
    flag = AwardKind.objects.get(code="co-bo-cong-an")
    lao_cai = services.candidate_add(
        candidate=Candidate(cycle=cycle, award_kind=flag, unit=cluster_ii.units["lao-cai"]),
        by=COMMAND_LINE,
    )
    son_la = services.candidate_add(
        candidate=Candidate(cycle=cycle, award_kind=flag, unit=cluster_ii.units["son-la"]),
        by=COMMAND_LINE,
    )
    services.ballot_count_save(
        cycle=cycle,
        award_kind=flag,
        tally=services.Tally(
            ballots_cast=4,
            blank=0,
            spoiled=0,
            written=1,
            votes={lao_cai.pk: (4, 1), son_la.pk: (2, 0)},
        ),
        by=COMMAND_LINE,
    )
    services.ballot_propose(cycle=cycle, by=COMMAND_LINE)
    cycle.refresh_from_db()
    cycle.cluster_year.refresh_from_db()
    return cycle


def test_the_minutes_in_the_administrative_layout_with_the_counts(voted, cluster_ii):
    year = voted.cluster_year
    text = text_of(documents.minutes(voted, number="05", day=datetime.date(2024, 12, 15)))
    assert "BỘ CÔNG AN" in text and "CỤM THI ĐUA SỐ II" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 05/BB-CTĐ" in text
    assert f"{year.chair.short_name}, ngày 15 tháng 12 năm 2024" in text
    assert "BIÊN BẢN" in text
    assert (
        "Hội đồng bình xét có 5 thành viên; có mặt 4, vắng mặt 1 (trong đó 1 thành viên gửi phiếu bằng văn bản)."
        in text
    )
    assert (
        "Hội đồng thống nhất: Công an tỉnh Lào Cai là đơn vị dẫn đầu Cụm thi đua số II năm 2024."
        in text
    )
    assert "thu về 4; phiếu hợp lệ 4, phiếu trắng 0, phiếu không hợp lệ 0" in text
    assert "Công an tỉnh Lào Cai\n5\n100,0%\nĐạt" in text
    assert "Công an tỉnh Sơn La\n2\n40,0%\nKhông đạt" in text
    assert "Nơi nhận:" in text and "Lưu: VT." in text


def test_the_columns_keep_their_widths_on_the_page(voted):
    """A4 less the margins (30 and 15 mm): the heading's two columns, a numbered table's narrow
    first column; on the grid, which LibreOffice reads, and on every cell, which Word reads."""
    document = Document(io.BytesIO(documents.minutes(voted)))
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    heading, council = document.tables[0], document.tables[1]
    assert [round(c.width.mm) for c in heading.columns] == [62, 103]
    assert round(council.columns[0].width.mm) == round(council.rows[1].cells[0].width.mm) == 18
    assert round(sum(c.width for c in council.columns) / Mm(1)) == 165
    heading_text = heading.rows[0].cells[1].paragraphs[0].runs[0]
    assert heading_text.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and heading_text.bold


def test_a_date_in_january_or_february_has_its_leading_zero_and_an_unknown_one_is_dotted():
    assert documents.vietnamese_date("Lai Châu", datetime.date(2025, 2, 5)) == (
        "Lai Châu, ngày 05 tháng 02 năm 2025"
    )
    assert documents.vietnamese_date("Lai Châu", datetime.date(2025, 11, 20)) == (
        "Lai Châu, ngày 20 tháng 11 năm 2025"
    )
    assert documents.vietnamese_date("Lai Châu", None).startswith("Lai Châu, ngày …")


def test_the_proposal_lists_the_nominations_with_their_votes(voted):
    text = text_of(documents.proposal(voted))
    assert "TỜ TRÌNH" in text and "Kính gửi: Hội đồng Thi đua - Khen thưởng Bộ Công an" in text
    assert "Số:       /TTr-CTĐ" in text  # the number is left for the clerk
    assert "Công an tỉnh Lào Cai\nCờ thi đua của Bộ Công an\n5/5\n100,0%" in text
    assert "Sơn La" not in text  # not elected, not proposed


def test_an_achievement_report_is_filled_from_the_years_data_and_invents_nothing(voted):
    nomination = Nomination.objects.get(cluster_year=voted.cluster_year)
    text = text_of(documents.achievements(voted, nomination))
    assert "BÁO CÁO THÀNH TÍCH" in text
    assert "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024" in text
    assert "xếp thứ 1/7" in text
    # 2024 has no report of Lào Cai in the demo: said so, dotted, no figure made up
    assert "đơn vị chưa có báo cáo năm trong hệ thống" in text


@pytest.fixture
def ministry(db):
    return UserFactory(username="canbo.bo", role=Role.MINISTRY)


def send(cycle, by):
    return services.dossier_submit(
        cycle=cycle, by=by, documents=[("to-trinh.docx", documents.proposal(cycle))]
    )


def test_the_dossier_goes_round_and_the_decision_becomes_a_commendation(
    voted, secretary, ministry, cluster_ii
):
    officer = UserFactory(
        username="canbo.laocai", role=Role.UNIT_OFFICER, unit=cluster_ii.units["lao-cai"]
    )
    first = send(voted, secretary)
    nomination = Nomination.objects.get(cluster_year=voted.cluster_year)
    assert nomination.status == Nomination.Status.SUBMITTED
    assert first.number == 1 and first.documents.count() == 1
    # recalled before the Ministry took it, sent again
    services.dossier_recall(cycle=voted, by=secretary)
    assert Dossier.objects.get(cycle=voted).status == Dossier.Status.DRAFT
    second = send(voted, secretary)
    assert second.number == 2
    # the Ministry receives it: it can no longer be recalled; it returns it with a reason
    services.dossier_receive(cycle=voted, by=ministry)
    with pytest.raises(ValidationError) as excinfo:
        services.dossier_recall(cycle=voted, by=secretary)
    assert "Bộ chưa tiếp nhận" in " ".join(excinfo.value.messages)
    with pytest.raises(ValidationError):
        services.dossier_return(cycle=voted, reason="  ", by=ministry)
    services.dossier_return(cycle=voted, reason="Thiếu bản scan biên bản có chữ ký", by=ministry)
    told = Notification.objects.get(user=secretary, kind="dossier_returned")
    assert told.text == "Bộ trả lại hồ sơ năm 2024 (lần gửi 2): Thiếu bản scan biên bản có chữ ký"
    # corrected and sent a third time; every round is kept
    third = send(voted, secretary)
    assert [r.number for r in Dossier.objects.get(cycle=voted).rounds.all()] == [1, 2, 3]
    services.dossier_receive(cycle=voted, by=ministry)
    services.dossier_decide(
        cycle=voted,
        decisions=[
            services.Decision(
                nomination=nomination,
                approved=True,
                number="1234/QĐ-BCA",
                day=datetime.date(2025, 3, 10),
                issuer="Bộ trưởng Bộ Công an",
            )
        ],
        by=ministry,
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    commendation = Commendation.objects.get(nomination=nomination)
    assert (commendation.decision_number, commendation.year) == ("1234/QĐ-BCA", 2024)
    dossier = Dossier.objects.get(cycle=voted)
    third.refresh_from_db()
    assert dossier.status == Dossier.Status.DECIDED and third.decided_at is not None
    assert Notification.objects.filter(user=officer, kind="decision").count() == 1
    assert Notification.objects.filter(user=secretary, kind="decision").count() == 1


def test_the_ministry_only_rules_and_the_secretariat_only_sends(voted, secretary, ministry):
    with pytest.raises(PermissionDenied):
        send(voted, ministry)
    send(voted, secretary)
    with pytest.raises(PermissionDenied):
        services.dossier_receive(cycle=voted, by=secretary)
    with pytest.raises(PermissionDenied):
        services.dossier_return(cycle=voted, reason="x", by=secretary)


def test_nothing_is_sent_without_nominations(cycle, secretary):
    with pytest.raises(ValidationError) as excinfo:
        send(cycle, secretary)
    assert "Chưa có đề nghị khen thưởng nào để gửi." in " ".join(excinfo.value.messages)


def test_an_inspection_assigned_and_a_disagreement_are_told(
    cycle, cluster_ii, secretary, officer_laichau
):
    started(cycle)
    lai_chau, son_la = cluster_ii.units["lai-chau"], cluster_ii.units["son-la"]
    inspection = services.inspection_assign(
        cycle=cycle, inspector=lai_chau, unit=son_la, by=secretary
    )
    told = Notification.objects.get(user=officer_laichau)
    assert (
        told.text == "Công an tỉnh Lai Châu được giao kiểm tra chéo Công an tỉnh Sơn La năm 2024."
    )
    assert told.url == "/clusters/cum-2/2024/scoring/#scores"
    # assigning again tells nobody twice
    services.inspection_assign(cycle=cycle, inspector=lai_chau, unit=son_la, by=secretary)
    assert Notification.objects.filter(user=officer_laichau).count() == 1
    fill(
        ScoreSheet.objects.get(cycle=cycle, unit=son_la, kind="self"),
        COMMAND_LINE,
        c1=30,
        c2=40,
        c3=30,
    )
    fill(inspection, officer_laichau, c1=20, c2=40, c3=30)
    warning = Notification.objects.get(user=secretary, kind="divergence")
    assert "chênh quá ngưỡng ở 1 tiêu chí (1)" in warning.text


def test_the_bell_counts_and_marks_read(client, officer_laichau):
    notify(users=[officer_laichau], kind="x", text="Một", url="/clusters/cum-2/2024/scoring/")
    notify(users=[officer_laichau], kind="x", text="Hai")
    client.force_login(officer_laichau)
    assert client.get("/notifications/unread.json").json() == {"unread": 2}
    page = client.get("/notifications/").content.decode()
    assert page.count('class="list-group-item') == 2 and "chưa đọc" in page
    first = Notification.objects.get(text="Một")
    response = client.post("/notifications/read/", {"pk": first.pk, "next": first.url})
    assert response["Location"] == "/clusters/cum-2/2024/scoring/"
    assert client.get("/notifications/unread.json").json() == {"unread": 1}
    client.post("/notifications/read/")
    assert client.get("/notifications/unread.json").json() == {"unread": 0}
    # another account's notification is not theirs to mark
    other = UserFactory(username="khac", role=Role.LEADERSHIP)
    notify(users=[other], kind="x", text="Của người khác")
    client.post("/notifications/read/", {"pk": Notification.objects.get(user=other).pk})
    assert Notification.objects.get(user=other).read_at is None


def test_reminders_tell_who_is_late_once_per_deadline(
    cycle, cluster_ii, secretary, officer_laichau, officer_sonla
):
    started(cycle)
    fill(
        ScoreSheet.objects.get(cycle=cycle, unit=cluster_ii.units["son-la"], kind="self"),
        COMMAND_LINE,
        c1=1,
        c2=1,
        c3=1,
    )
    services.cycle_settings_save(
        cycle=cycle,
        by=secretary,
        divergence_threshold=cycle.divergence_threshold,
        tie_break=cycle.tie_break,
        self_score_due=datetime.date(2024, 12, 10),
        dossier_due=datetime.date(2024, 12, 30),
    )
    # eight days before: nothing yet
    assert services.remind(today=datetime.date(2024, 12, 2), days=3) == 0
    # three days before the self-score: Lai Châu, which has not sent, is told; Sơn La is not
    assert services.remind(today=datetime.date(2024, 12, 7), days=3) >= 1
    told = Notification.objects.get(user=officer_laichau, kind="self_score_due")
    assert told.text == "Hạn gửi phiếu tự chấm điểm năm 2024: 10/12/2024."
    assert not Notification.objects.filter(user=officer_sonla, kind="self_score_due").exists()
    # the next day's run tells nobody twice
    services.remind(today=datetime.date(2024, 12, 8), days=3)
    assert Notification.objects.filter(user=officer_laichau, kind="self_score_due").count() == 1
    # the dossier's deadline tells the secretariat
    services.remind(today=datetime.date(2024, 12, 28), days=3)
    assert Notification.objects.get(user=secretary, kind="dossier_due").text == (
        "Hạn gửi hồ sơ đề nghị khen thưởng năm 2024 về Bộ: 30/12/2024."
    )


# every page of the cycle costs the same queries whatever it shows: one award kind or two on the
# ballot, one round of the dossier or three, a sheet empty or full, two notifications or forty
# (measured after one warm request: the session and the kept rows read once)

YEAR = "/clusters/cum-2/2024"


def queries_of(client, url, django_assert_num_queries, expected):
    client.get(url)
    with django_assert_num_queries(expected):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url


def second_kind(cycle, cluster_ii):
    """The Government flag on the ballot too, counted: a second kind's lines."""
    flag = AwardKind.objects.get(code="co-chinh-phu")
    leader = services.candidate_add(
        candidate=Candidate(cycle=cycle, award_kind=flag, unit=cluster_ii.units["lao-cai"]),
        by=COMMAND_LINE,
    )
    services.ballot_count_save(
        cycle=cycle,
        award_kind=flag,
        tally=services.Tally(
            ballots_cast=4, blank=0, spoiled=0, written=1, votes={leader.pk: (4, 1)}
        ),
        by=COMMAND_LINE,
    )


@pytest.mark.parametrize(
    ("page", "expected"),
    [("ballot/", 12), ("ballot/print/", 11), ("dossier/minutes.docx", 13)],
)
def test_the_ballot_and_its_papers_cost_the_same_with_a_second_kind(
    client, voted, cluster_ii, secretary, django_assert_num_queries, page, expected
):
    client.force_login(secretary)
    queries_of(client, f"{YEAR}/{page}", django_assert_num_queries, expected)
    second_kind(voted, cluster_ii)
    queries_of(client, f"{YEAR}/{page}", django_assert_num_queries, expected)


def test_the_dossier_page_costs_the_same_with_more_rounds(
    client, voted, secretary, ministry, django_assert_num_queries
):
    client.force_login(ministry)
    url = f"{YEAR}/dossier/"
    send(voted, secretary)
    queries_of(client, url, django_assert_num_queries, DOSSIER)
    services.dossier_receive(cycle=voted, by=ministry)
    services.dossier_return(cycle=voted, reason="Thiếu bản scan", by=ministry)
    send(voted, secretary)
    services.dossier_recall(cycle=voted, by=secretary)
    send(voted, secretary)
    queries_of(client, url, django_assert_num_queries, DOSSIER)
    assert client.get(url).content.decode().count('class="mb-3 round"') == 3


DOSSIER = 9


def test_a_sheet_costs_the_same_with_one_score_or_all(
    client, cycle, cluster_ii, officer_laichau, django_assert_num_queries
):
    services.scoring_start(cycle=cycle, by=COMMAND_LINE)
    sheet = ScoreSheet.objects.get(cycle=cycle, unit=cluster_ii.units["lai-chau"], kind="self")
    url = f"{YEAR}/scoring/sheets/{sheet.pk}/"
    client.force_login(officer_laichau)
    fill(sheet, officer_laichau, submit=False, c1=30)
    queries_of(client, url, django_assert_num_queries, SHEET)
    fill(sheet, officer_laichau, submit=False, c1=30, c2=30, c3=30, c4=2, c5=1)
    queries_of(client, url, django_assert_num_queries, SHEET)


SHEET = 9


def test_the_notifications_cost_the_same_two_or_forty(
    client, officer_laichau, django_assert_num_queries
):
    client.force_login(officer_laichau)
    for number in range(2):
        notify(users=[officer_laichau], kind="x", text=f"Thông báo {number}")
    queries_of(client, "/notifications/", django_assert_num_queries, 4)
    for number in range(38):
        notify(users=[officer_laichau], kind="x", text=f"Thêm {number}")
    queries_of(client, "/notifications/", django_assert_num_queries, 4)


def test_the_proposal_and_an_achievement_report_cost_the_same_with_a_second_kind(
    client, voted, cluster_ii, secretary, django_assert_num_queries
):
    client.force_login(secretary)
    nomination = voted.cluster_year.nominations.get()
    urls = [f"{YEAR}/dossier/proposal.docx", f"{YEAR}/dossier/achievements/{nomination.pk}.docx"]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    second_kind(voted, cluster_ii)
    services.ballot_propose(cycle=voted, by=COMMAND_LINE)
    for url, before in zip(urls, counts, strict=True):
        queries_of(client, url, django_assert_num_queries, before)
