from django.urls import path

from pages import compare, history, news, printing, search, summary, views, year_report

app_name = "pages"

urlpatterns = [
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("units/<slug:slug>/", views.unit_detail, name="unit_detail"),
    path("clusters/<slug:slug>/<int:year>/", views.year_detail, name="year_detail"),
    path("clusters/<slug:slug>/<int:year>/edit/", views.year_edit, name="year_edit"),
    path(
        "clusters/<slug:slug>/<int:year>/history/", history.year_history_page, name="year_history"
    ),
    path("clusters/<slug:slug>/<int:year>/print.pdf", printing.year_pdf, name="year_pdf"),
    path(
        "clusters/<slug:slug>/<int:year>/report.docx", year_report.year_report, name="year_report"
    ),
    path("clusters/<slug:slug>/<int:year>/news/", news.year_news, name="year_news"),
    path("clusters/<slug:slug>/compare/", compare.compare_years, name="compare_years"),
    path("compare/", compare.compare_clusters, name="compare_clusters"),
    path("awards/", summary.awards_summary, name="awards_summary"),
    path("search/", search.search, name="search"),
]
