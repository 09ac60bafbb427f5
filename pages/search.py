"""The search page (/search/?q=): units, people commended, nominated or helped, decisions and
documents, found whatever the accents and the letter case ("vu a di" finds "Đại úy Vừ A Di",
"1234/qd" finds decision 1234/QĐ-BCA), among the years the viewer may read only.

Every group is one query, whatever the data: its first SHOWN rows, ordered, with the number of
matches beside them (a window count). The commendations are millions of rows nationwide: they are
searched on their folded keys (core.search.SearchKeyField, trigram-indexed on PostgreSQL), and
counted, ordered and grouped into decisions only over a bounded number of matches (COUNTED,
GROUPED), so that a word found in half the country costs what a rare one does; the page then
says "more than" and asks for a closer term. The other lists are a few thousand rows at most and
are folded as they are read (core.search.folded).

Disciplines are left out: no rule lets anyone but the cycle's pages show them, and a search that
named the disciplined would publish what those pages keep to the secretariat and the Ministry.
The cycle's papers (Source.cycle_paper) are left out too: they are never public and stay on the
cycle's pages, whose guard decides who opens them (clusters.file_guards)."""

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.db import connections
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Concat
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards.models import Commendation, Nomination
from awards.selectors import visible_commendations
from clusters.models import Membership, Source, Unit, unit_ordering
from clusters.selectors import visible_years
from core.search import folded, search_key
from welfare.models import Support

MIN_LENGTH = 2  # folded characters of the query
# The commendations need three: a trigram index has nothing to look up for fewer, and two
# letters match hundreds of thousands of names.
MIN_LENGTH_COMMENDATIONS = 3
MAX_LENGTH = 100  # characters of the query kept; a longer one is cut and the page says so
SHOWN = 50  # rows shown in each group
COUNTED = 1000  # commendations counted at most: beyond, "more than"
GROUPED = 20_000  # commendations grouped into decisions at most


@dataclass
class Group:
    key: str
    title: str
    rows: list
    total: int
    at_least: bool = False  # more matched than were counted: total is a lower bound

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass(frozen=True)
class Person:
    """Someone commended, nominated or helped, as the page lists them."""

    rank: str
    name: str
    position: str
    unit: Unit
    year: int
    cluster_slug: str | None  # the year page's cluster, when the unit was in one that year
    what: str  # the award kind, or the support
    detail: str = ""  # the decision, the nomination's status

    def __str__(self):
        person = " ".join(part for part in (self.rank, self.name) if part)
        return f"{person} ({self.unit.short_name}, {self.year})"


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as typed, with control and format characters as spaces (a NUL byte, which
    PostgreSQL refuses in a string), spaces joined, cut to MAX_LENGTH characters; and whether it
    was cut."""
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char
        for char in raw[: MAX_LENGTH * 4]
    )
    text = " ".join(text.split())
    if len(text) <= MAX_LENGTH:
        return text, False
    return text[:MAX_LENGTH].rstrip(), True


def _total(rows) -> int:
    return rows[0].total if rows else 0


def _rows_and_total(queryset) -> tuple[list, int]:
    rows = list(queryset.annotate(total=Window(Count("pk")))[:SHOWN])
    return rows, _total(rows)


def find_units(term: str) -> Group:
    rows, total = _rows_and_total(
        Unit.objects.alias(folded_name=folded("name"), folded_short=folded("short_name"))
        .filter(Q(folded_name__contains=term) | Q(folded_short__contains=term))
        .select_related("successor")
        .order_by(unit_ordering(), "name")
    )
    return Group("units", _("Đơn vị"), rows, total)


def _cluster_of_unit_that_year():
    return Subquery(
        Membership.objects.filter(unit_id=OuterRef("unit_id"), year=OuterRef("year"))
        .order_by()  # one membership a unit a year (a constraint): nothing to sort
        .values("cluster_year__cluster__slug")[:1]
    )


def find_commended(term: str, visible) -> Group:
    matching = visible_commendations(
        Commendation.objects.filter(search_name__contains=term), visible
    )
    kept = matching.order_by().values("pk")[: COUNTED + 1]
    rows = list(
        Commendation.objects.filter(pk__in=kept)
        .select_related("award_kind", "unit")
        .annotate(total=Window(Count("pk")), cluster_slug=_cluster_of_unit_that_year())
        .order_by("-year", "person_name", "pk")[:SHOWN]
    )
    people = [
        Person(
            rank=c.person_rank,
            name=c.person_name,
            position=c.person_position,
            unit=c.unit,
            year=c.year,
            cluster_slug=c.cluster_slug,
            what=c.award_kind.name,
            detail=c.decision_number,
        )
        for c in rows
    ]
    total = _total(rows)
    return Group(
        "commended",
        _("Cá nhân được khen thưởng"),
        people,
        min(total, COUNTED),
        at_least=total > COUNTED,
    )


def find_nominated(term: str, visible) -> Group:
    rows, total = _rows_and_total(
        Nomination.objects.filter(cluster_year__in=visible)
        .exclude(person_name="")
        .alias(person=folded(Concat("person_rank", Value(" "), "person_name")))
        .filter(person__contains=term)
        .select_related("award_kind", "unit", "cluster_year__cluster")
        .order_by("-cluster_year__year", "person_name", "pk")
    )
    people = [
        Person(
            rank=n.person_rank,
            name=n.person_name,
            position=n.person_position,
            unit=n.unit,
            year=n.cluster_year.year,
            cluster_slug=n.cluster_year.cluster.slug,
            what=n.award_kind.name,
            detail=n.status_label,
        )
        for n in rows
    ]
    return Group("nominated", _("Cá nhân được đề nghị khen thưởng"), people, total)


def find_helped(term: str, visible) -> Group:
    rows, total = _rows_and_total(
        Support.objects.filter(fund__cluster_year__in=visible)
        .alias(person=folded(Concat("beneficiary__rank", Value(" "), "beneficiary__full_name")))
        .filter(person__contains=term)
        .select_related("beneficiary__unit", "fund__cluster_year__cluster")
        .order_by("-fund__cluster_year__year", "beneficiary__full_name", "pk")
    )
    people = [
        Person(
            rank=s.beneficiary.rank,
            name=s.beneficiary.full_name,
            position=s.beneficiary.position,
            unit=s.beneficiary.unit,
            year=s.fund.cluster_year.year,
            cluster_slug=s.fund.cluster_year.cluster.slug,
            what=s.get_kind_display(),
            detail=s.house_stage,
        )
        for s in rows
    ]
    return Group("helped", _("Người được hỗ trợ (Nghĩa tình đồng đội)"), people, total)


DECISION_COLUMNS = ("decision_number", "decision_date", "decision_issuer", "year")


def find_decisions(term: str, visible) -> Group:
    """Commendations by decision: one decision covers thousands of them. Grouped straight from
    the first GROUPED+1 matches, read with the columns grouped (the ORM would group a second
    read of the same rows by primary key: 20,001 more lookups for a broad term)."""
    matching = visible_commendations(
        Commendation.objects.filter(search_decision__contains=term), visible
    )
    kept = matching.order_by().values(*DECISION_COLUMNS, "unit_id")[: GROUPED + 1]
    inner, params = kept.query.get_compiler(using=kept.db).as_sql()
    connection = connections[kept.db]
    number, day, issuer, year, unit = map(connection.ops.quote_name, (*DECISION_COLUMNS, "unit_id"))
    columns = f"{number}, {day}, {issuer}, {year}"
    sql = (
        f"SELECT {columns}, COUNT(*), COUNT(DISTINCT {unit}), COUNT(*) OVER (), "
        f"SUM(COUNT(*)) OVER () FROM ({inner}) kept GROUP BY {columns} "
        f"ORDER BY {year} DESC, {day} DESC, {number}, {issuer} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, SHOWN))
        found = cursor.fetchall()
    names = (*DECISION_COLUMNS, "records", "units", "total", "counted")
    rows = [dict(zip(names, row, strict=True)) for row in found]
    for row in rows:  # SQLite answers a date as text: the ORM's converters did not run
        if isinstance(row["decision_date"], str):
            row["decision_date"] = parse_date(row["decision_date"])
    total = rows[0]["total"] if rows else 0
    at_least = bool(rows) and rows[0]["counted"] > GROUPED
    return Group("decisions", _("Quyết định khen thưởng"), rows, total, at_least=at_least)


def find_nomination_decisions(term: str, visible) -> Group:
    rows, total = _rows_and_total(
        Nomination.objects.filter(cluster_year__in=visible)
        .exclude(decision_number="")
        .alias(number=folded("decision_number"))
        .filter(number__contains=term)
        .select_related("award_kind", "unit", "cluster_year__cluster")
        .order_by("-cluster_year__year", "decision_number", "award_kind__order", "pk")
    )
    return Group("nomination_decisions", _("Quyết định về đề nghị khen thưởng"), rows, total)


def find_chair_decisions(term: str, visible) -> Group:
    rows, total = _rows_and_total(
        visible.exclude(chair_decision_number="")
        .alias(number=folded("chair_decision_number"))
        .filter(number__contains=term)
        .select_related("cluster", "chair")
        .order_by("-year", "cluster__number")
    )
    return Group("chair_decisions", _("Quyết định chỉ định Cụm trưởng"), rows, total)


def find_documents(term: str, visible) -> Group:
    """Sources of the years the viewer reads and those of no year (laws, guidance), never the
    cycle's papers."""
    rows, total = _rows_and_total(
        Source.objects.filter(cycle_paper=False)
        .filter(Q(cluster_year__isnull=True) | Q(cluster_year__in=visible))
        .alias(folded_title=folded("title"), folded_number=folded("number"))
        .filter(Q(folded_title__contains=term) | Q(folded_number__contains=term))
        .select_related("cluster_year__cluster")
        .order_by(F("issued_on").desc(nulls_last=True), "title", "pk")
    )
    return Group("documents", _("Tài liệu"), rows, total)


def searches_commendations(term: str) -> bool:
    return len(term) >= MIN_LENGTH_COMMENDATIONS and any(char.isalnum() for char in term)


@require_safe
def search(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    q, cut = clean_query(request.GET.get("q", ""))
    term = search_key(q)
    context = {"q": q, "cut": cut, "max_length": MAX_LENGTH, "groups": [], "found": 0}
    if not term:
        context["message"] = _(
            "Nhập tên đơn vị, họ tên cán bộ, số quyết định hoặc tên tài liệu để tìm."
        )
    elif len(term) < MIN_LENGTH:
        context["message"] = _("Nhập ít nhất %(count)s ký tự (không kể dấu).") % {
            "count": MIN_LENGTH
        }
    else:
        visible = visible_years(request.user)
        with_commendations = searches_commendations(term)
        groups = [find_units(term)]
        if with_commendations:
            groups.append(find_commended(term, visible))
        groups += [find_nominated(term, visible), find_helped(term, visible)]
        if with_commendations:
            groups.append(find_decisions(term, visible))
        else:
            context["note"] = _(
                "Khen thưởng đã nhận (cá nhân và quyết định) chỉ được tìm khi từ khóa có ít nhất "
                "%(count)s ký tự, trong đó có chữ hoặc số."
            ) % {"count": MIN_LENGTH_COMMENDATIONS}
        groups += [
            find_nomination_decisions(term, visible),
            find_chair_decisions(term, visible),
            find_documents(term, visible),
        ]
        context.update(
            groups=groups,
            found=sum(g.total for g in groups),
            found_at_least=any(g.at_least for g in groups),
            counted=COUNTED,
            grouped=GROUPED,
        )
    return render(request, "pages/search.html", context)
