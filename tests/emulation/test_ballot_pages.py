"""The ballot's page as the secretariat uses it, the ballots to print and their PDF read back."""

import io

import pytest
from pypdf import PdfReader

from accounts.access import COMMAND_LINE
from awards.models import AwardKind, Nomination
from emulation import services
from emulation.models import Candidate, CouncilMember

pytestmark = pytest.mark.django_db

PAGE = "/clusters/cum-2/2024/ballot/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def on_ballot(cycle, cluster_ii):
    for number, state in enumerate(["present"] * 4 + ["written"], start=1):
        services.council_member_save(
            member=CouncilMember(cycle=cycle, name=f"Đại tá Thành viên {number}", attendance=state),
            by=COMMAND_LINE,
        )
    flag = AwardKind.objects.get(code="co-bo-cong-an")
    return [
        services.candidate_add(
            candidate=Candidate(cycle=cycle, award_kind=flag, unit=cluster_ii.units[slug]),
            by=COMMAND_LINE,
        )
        for slug in ("lao-cai", "son-la")
    ]


def test_the_secretariat_counts_the_ballots_and_proposes_the_elected(
    client, secretary, on_ballot, cluster_ii
):
    lao_cai, son_la = on_ballot
    client.force_login(secretary)
    page = html(client.get(PAGE))
    assert "5 thành viên: 4 có mặt, 1 vắng gửi phiếu bằng văn bản." in page
    flag = AwardKind.objects.get(code="co-bo-cong-an")
    data = {
        "award_kind": flag.pk,
        "ballots_cast": "4",
        "blank": "0",
        "spoiled": "0",
        "written": "1",
        f"votes_{lao_cai.pk}": "4",
        f"written_{lao_cai.pk}": "1",
        f"votes_{son_la.pk}": "5",  # more than the valid ballots
        f"written_{son_la.pk}": "0",
    }
    response = client.post(f"{PAGE}count/", data)
    assert response.status_code == 422
    assert "Công an tỉnh Sơn La: 5 phiếu đồng ý, nhiều hơn 4 phiếu hợp lệ." in html(response)
    assert 'value="5"' in html(response)  # what was typed stays
    data[f"votes_{son_la.pk}"] = "3"
    assert client.post(f"{PAGE}count/", data).status_code == 302
    page = html(client.get(PAGE))
    # 5 of 5 reach 80%; 3 of 5 (60%) do not
    assert "100,0%" in page and "60,0%" in page and "Không đạt ngưỡng" in page
    assert client.post(f"{PAGE}propose/").status_code == 302
    nomination = Nomination.objects.get(cluster_year=cluster_ii.years[2024])
    assert (nomination.unit.slug, nomination.votes_for, nomination.council_size) == (
        "lao-cai",
        5,
        5,
    )
    assert "Đã thành đề nghị" in html(client.get(PAGE))


def test_an_officer_reads_the_ballot_page_but_writes_nothing(client, officer_laichau, on_ballot):
    client.force_login(officer_laichau)
    page = html(client.get(PAGE))
    assert 'id="candidate-form"' not in page and 'id="propose"' not in page
    assert client.post(f"{PAGE}propose/").status_code == 403


def test_one_numbered_ballot_per_council_member_without_names(client, secretary, on_ballot):
    client.force_login(secretary)
    page = html(client.get(f"{PAGE}print/"))
    assert page.count('class="ballot"') == 5
    assert "Phiếu số 5/5" in page and "Đại tá Thành viên" not in page
    assert "Công an tỉnh Lào Cai" in page and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page


def test_the_ballots_pdf_reads_back_one_page_per_member(client, secretary, on_ballot):
    client.force_login(secretary)
    response = client.get(f"{PAGE}ballots.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 5
    text = reader.pages[4].extract_text()
    assert "Phiếu số 5/5" in text
    assert "Cờ thi đua của Bộ Công an" in text and "Công an tỉnh Sơn La" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
