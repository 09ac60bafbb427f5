"""PDFs of our own HTML (WeasyPrint): the same templates the browser prints, with our print
stylesheet read from the static files. Nothing is fetched while rendering: a page that names an
address (an image, a stylesheet) gets nothing from it, neither from our server nor elsewhere."""

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetchingError


def _fetch_nothing(url, *args, **kwargs):
    raise URLFetchingError(f"not fetched while rendering a PDF: {url}")


def pdf_from_html(html: str, *stylesheets: str) -> bytes:
    """`stylesheets`: paths under static/ (e.g. "css/documents.css")."""
    sheets = [CSS(filename=finders.find(path), url_fetcher=_fetch_nothing) for path in stylesheets]
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=sheets)
