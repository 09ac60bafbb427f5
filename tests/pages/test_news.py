"""The news draft of a year, in the style of the seed articles, written from the data only: the
2023 draft quotes the cluster's published figures (4.213 cases, 5.435 offenders, 2.847 and 9.341
commendations), the handover to Lạng Sơn and Cao Bằng and the house for Đại úy Vừ A Di; every
number in it is one of the data's; a year without data gives a short draft with nothing made up;
the page, its downloads, who may see it and its queries."""

import html
import io
import re

import pytest
from django.urls import reverse
from docx import Document

from accounts.models import Role
from tests.factories import UserFactory
from tests.pages.test_query_budget import grow
from tests.pages.test_year_report import allowed_numbers, decided_2024, invented  # noqa: F401

pytestmark = pytest.mark.django_db


def url(year, slug="cum-2"):
    return reverse("pages:year_news", args=[slug, year])


def draft_of(client, year, slug="cum-2") -> str:
    response = client.get(url(year, slug), {"format": "txt"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="tin-bai-{slug}-{year}.txt"')
    return response.content.decode()


@pytest.fixture
def reader(client, leader):
    client.force_login(leader)
    return client


def test_the_2023_draft_quotes_the_clusters_published_figures(reader, seeded):
    draft = draft_of(reader, 2023)
    # the article's own figures, as the cluster published them, Vietnamese-style
    assert "phát hiện, bắt giữ 4.213 vụ, 5.435 đối tượng phạm tội về ma túy" in draft
    assert "đã có 2.847 lượt tập thể và 9.341 lượt cá nhân trong Cụm" in draft
    assert "4213" not in draft and "9341" not in draft
    # who attended, as the conference records it
    assert "Dự hội nghị có Cục Công tác Đảng và công tác Chính trị, Bộ Công an" in draft
    # the handover to next year's chair and vice-chair
    assert (
        "lãnh đạo Công an tỉnh Lai Châu bàn giao đơn vị Cụm trưởng Cụm thi đua cho Công an "
        "tỉnh Lạng Sơn, Phó Cụm trưởng Cụm thi đua cho Công an tỉnh Cao Bằng." in draft
    )
    # the house, on the day it was handed over
    assert (
        "Ngày 21/11/2023, Cụm thi đua số II đã khánh thành và trao nhà “Nghĩa tình đồng đội” "
        "cho Đại úy Vừ A Di - Phó trưởng Công an xã Khổng Lào, huyện Phong Thổ, tỉnh Lai Châu."
        in draft
    )
    # the crimes come from the units' illustrative split: quoted, and marked so
    assert (
        "Tội phạm về trật tự xã hội xảy ra 1.955 vụ; điều tra, khám phá 1.810 vụ, đạt tỷ lệ "
        "92,6% (số liệu minh họa)." in draft
    )
    assert "Cụm thi đua số II gồm Công an 7 tỉnh: Cao Bằng, Điện Biên," in draft
    # no vote in 2023, no directions, no date: no sentence about them
    assert "bình xét" not in draft and "chỉ đạo" not in draft and "Ngày …" not in draft


def test_every_number_in_the_draft_is_one_of_the_datas(reader, seeded):
    for year in (2018, 2023):
        draft = draft_of(reader, year)
        assert re.search(r"\d", draft)
        assert not invented(draft, allowed_numbers(seeded.years[year])), year


def test_the_2018_draft_tells_the_vote_the_directions_and_the_gift(reader, seeded):
    draft = draft_of(reader, 2018)
    assert (
        "Tại hội nghị, các đại biểu đã bình xét, suy tôn đề nghị tặng Cờ thi đua của Chính phủ "
        "cho Công an tỉnh Sơn La; "
        "Cờ thi đua của Bộ Công an cho Công an 3 tỉnh: Lạng Sơn, Hà Giang, Lai Châu." in draft
    )
    assert (
        "Phát biểu chỉ đạo tại hội nghị, Đại tá Nguyễn Công Bẩy biểu dương những thành tích "
        "đạt được của Công an các tỉnh trong Cụm thi đua số 2" in draft
    )
    # the article's 140 million (the fund's published total), not marked though its split
    # between the two officers is illustrative
    assert "trao tặng số tiền 140 triệu đồng hỗ trợ 2 cán bộ Công an tỉnh Cao Bằng" in draft
    assert "Khẩu hiệu hành động: “Chủ động, đổi mới, kỷ cương" in draft
    # as the article: "Dự Hội nghị có đại diện lãnh đạo Cục Công tác Đảng …"
    assert "Dự hội nghị có đại diện lãnh đạo Cục Công tác Đảng và Công tác chính trị CAND" in draft
    # no unit reported in 2018: no figure, no sentence about them
    assert "ma túy" not in draft and "trật tự xã hội" not in draft
    assert "bàn giao" not in draft  # 2019 is not in the data


def test_a_year_without_data_gives_a_short_draft_without_invented_sentences(reader, other_cluster):
    draft = draft_of(reader, 2024, "cum-1")
    paragraphs = [p for p in draft.split("\n\n") if p.strip()]
    assert len(paragraphs) <= 2, paragraphs
    for invented_topic in ("hội nghị", "ma túy", "bàn giao", "khen thưởng", "Nghĩa tình", "vụ"):
        assert invented_topic not in draft.lower()
    assert "Cụm thi đua số I" in draft
    page = reader.get(url(2024, "cum-1")).content.decode()
    # the page tells the clerk what the data lacks
    assert 'id="news-missing"' in page and "kết quả của các đơn vị" in page


def test_decisions_directions_and_a_house_before_the_conference(reader, decided_2024):  # noqa: F811
    draft = draft_of(reader, 2024)
    assert (
        "Cụm thi đua số II tổ chức Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” "
        "năm 2024 tại Lạng Sơn ngày 10/12/2024, do Công an tỉnh Lạng Sơn đăng cai." in draft
    )
    assert "Dự hội nghị có đại diện lãnh đạo Cục Công tác Đảng." in draft
    # the proposal still standing, not the one withdrawn; its decision
    assert (
        "Tại hội nghị, các đại biểu đã bình xét, suy tôn đề nghị tặng Đơn vị quyết thắng cho "
        "Công an tỉnh Lai Châu." in draft
    )
    assert "Nguyễn Văn An" not in draft
    assert (
        "Công an tỉnh Lai Châu đã được tặng Đơn vị quyết thắng theo Quyết định số 45/QĐ-BCA "
        "ngày 20/12/2024." in draft
    )
    assert (
        "Phát biểu chỉ đạo tại hội nghị, Thiếu tướng Trần Văn Bình, Cục trưởng, tiếp tục đẩy "
        "mạnh phong trào.\n\nNâng cao chất lượng điều tra." in draft
    )
    assert (
        "Trước đó, ngày 01/12, Cụm thi đua số II đã khánh thành và trao nhà “Nghĩa tình đồng "
        "đội” cho Trung úy Lò Văn Páo - Cán bộ Công an xã Mường So, huyện Phong Thổ, với số "
        "tiền hỗ trợ từ quỹ 40 triệu đồng." in draft
    )
    assert not invented(draft, allowed_numbers(decided_2024))


def test_the_page_shows_the_draft_to_edit_copy_and_download(reader, seeded):
    response = reader.get(url(2023))
    assert response.status_code == 200
    page = response.content.decode()
    draft = draft_of(reader, 2023)
    textarea = re.search(r'<textarea[^>]*id="news-draft"[^>]*>(.*?)</textarea>', page, re.S)
    assert html.unescape(textarea.group(1)).strip() == draft.strip()
    assert "bản nháp" in page.lower()
    assert 'data-copy="#news-draft"' in page and "js/news.js" in page
    assert "?format=txt" in page and "?format=docx" in page
    # the page's printed heading names the cluster and the year, never "2.023"
    heading = re.search(r'class="print-heading-title">(.*?)</span>', page, re.S).group(1)
    assert "Cụm thi đua số II" in heading and "2023" in heading


def test_the_draft_as_a_word_file(reader, seeded):
    response = reader.get(url(2023), {"format": "docx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tin-bai-cum-2-2023.docx"'
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs if p.text]
    draft = draft_of(reader, 2023)
    assert texts == [p.strip() for p in draft.split("\n\n") if p.strip()]


def test_anonymous_is_sent_to_login_and_another_clusters_officer_gets_404(
    client, seeded, other_cluster
):
    response = client.get(url(2024))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=other_cluster.members.first())
    client.force_login(officer)
    assert client.get(url(2024)).status_code == 404
    assert client.get(url(2024), {"format": "txt"}).status_code == 404
    assert client.get(url(2023)).status_code == 200
    assert client.post(url(2023)).status_code == 405


# as the year's report (tests/pages/test_year_report.py): session and user; the year with its
# people and roster (2); conferences; sources and published figures (2); the next year; last
# year's statuses; reports; sums; nominations; funds, contributions and supports (3)
NEWS_QUERIES = 15


@pytest.mark.parametrize("fmt", ["", "txt", "docx"])
def test_the_draft_reads_each_kind_of_record_once(
    client, seeded, secretary, admin_user, django_assert_num_queries, fmt
):
    grow(seeded, secretary, admin_user, 1)
    client.force_login(secretary)
    client.get(url(2024))
    with django_assert_num_queries(NEWS_QUERIES):
        assert client.get(url(2024), {"format": fmt}).status_code == 200
    grow(seeded, secretary, admin_user, 4)
    with django_assert_num_queries(NEWS_QUERIES):
        response = client.get(url(2024), {"format": fmt})
    assert response.status_code == 200
