"""The year page leads a signed-in reader to the year's report and news draft (issue 15); an
anonymous visitor, whom both would send to the login, sees neither."""

import pytest

pytestmark = pytest.mark.django_db


def test_signed_in_readers_find_the_report_and_the_news_draft(client, seeded, leader):
    html = client.get("/clusters/cum-2/2023/").content.decode()
    assert 'id="pdf-link"' in html
    assert 'id="report-link"' not in html and 'id="news-link"' not in html
    client.force_login(leader)
    html = client.get("/clusters/cum-2/2023/").content.decode()
    assert 'href="/clusters/cum-2/2023/report.docx"' in html
    assert 'href="/clusters/cum-2/2023/news/"' in html
    assert client.get("/clusters/cum-2/2023/report.docx").status_code == 200
    assert client.get("/clusters/cum-2/2023/news/").status_code == 200
