"""The year's news draft: a short Vietnamese text in the style of the press articles about the
cluster's conferences (who attended, the results with their figures, the awards proposed, the
handover, the welfare), for the secretariat to check, edit and send.

The wording is templates/pages/news_draft.txt, a sentence written only when its data exists;
every figure is filled in here from the year's data (pages.year_report.year_facts): the cluster's
published figure where it published one, else the sum of the units' reports, marked where it is
not a unit's report ("(minh họa)"). Nothing is invented: without data there is no sentence."""

import re

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from docx.shared import Pt

from clusters.models import DataStatus
from clusters.selectors import visible_years
from core import documents as layout
from core import rates
from pages.year_report import (
    MARKS,
    Figure,
    YearFacts,
    docx_response,
    doubt_mark,
    paragraphs,
    presiding_text,
    readable_year_or_404,
    weakest,
    year_facts,
)
from reports.models import COUNT_FIELDS
from welfare.models import Support
from welfare.templatetags.money import vnd_words

PARAGRAPH = "¶"  # the template's paragraph break; every other line break is a space
# A list of guests that starts with a common noun reads on after "Dự hội nghị có …".
COMMON_STARTS = ("Đại diện ", "Lãnh đạo ", "Các ", "Đồng chí ")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def beneficiary_text(beneficiary) -> str:
    """ "Đại úy Vừ A Di - Phó trưởng Công an xã Khổng Lào, huyện Phong Thổ, tỉnh Lai Châu": the
    position, then the parts of the place it does not already name."""
    name = str(beneficiary)
    position = beneficiary.position
    if not position:
        return f"{name}, {beneficiary.unit.name}"
    parts = [p.strip() for p in (beneficiary.place or "").split(",") if p.strip()]
    extra = [part for part in parts if part.lower() not in position.lower()]
    return f"{name} - " + ", ".join([position, *extra])


def whom(supports) -> str:
    """One beneficiary by name; several as "2 cán bộ Công an tỉnh Cao Bằng"."""
    people = list({s.beneficiary_id: s.beneficiary for s in supports}.values())
    if len(people) == 1:
        return beneficiary_text(people[0])
    units = {person.unit.name for person in people}
    if len(units) == 1:
        return f"{len(people)} cán bộ {units.pop()}"
    return f"{len(people)} cán bộ của các đơn vị: " + ", ".join(sorted(units))


def recipients(nominations) -> str:
    """ "Công an tỉnh Sơn La"; "Công an 3 tỉnh: Lạng Sơn, Hà Giang, Lai Châu"; people by name."""
    units = [n for n in nominations if not n.person_name]
    people = [n for n in nominations if n.person_name]
    parts = []
    provinces = [n for n in units if n.unit.name.startswith("Công an tỉnh ")]
    if len(units) > 1 and len(provinces) == len(units):
        names = ", ".join(f"{n.unit.short_name}{doubt_mark(n.data_status)}" for n in units)
        parts.append(f"Công an {len(units)} tỉnh: {names}")
    else:
        parts += [f"{n.unit.name}{doubt_mark(n.data_status)}" for n in units]
    parts += [f"{n.recipient_label}{doubt_mark(n.data_status)}" for n in people]
    return ", ".join(parts)


def _awards(facts: YearFacts) -> list[str]:
    by_kind = {}
    for nomination in facts.proposed:
        by_kind.setdefault(nomination.award_kind.name, []).append(nomination)
    return [f"{kind} cho {recipients(nominations)}" for kind, nominations in by_kind.items()]


def _decisions(facts: YearFacts) -> list[str]:
    sentences = []
    for n in facts.proposed:
        if n.status != n.Status.APPROVED or not n.decision_number:
            continue
        day = f" ngày {n.decision_date:%d/%m/%Y}" if n.decision_date else ""
        sentences.append(
            f"{n.recipient_label} đã được tặng {n.award_kind.name} theo Quyết định số "
            f"{n.decision_number}{day}."
        )
    return sentences


def _welfare(facts: YearFacts):
    """(houses handed over, houses being built, gifts per fund, collections without a gift)."""
    conference_day = facts.conference.date if facts.conference else None
    handed, building, gifts, collecting = [], [], [], []
    for fund in facts.funds:
        supports = [s for s in facts.supports if s.fund_id == fund.pk]
        rest = []
        for support in supports:
            if support.kind == Support.Kind.HOUSE and support.handed_over_on:
                day = support.handed_over_on
                before = conference_day is not None and day < conference_day
                handed.append(
                    {
                        "day": f"{day:%d/%m}" if before else f"{day:%d/%m/%Y}",
                        "before_conference": before,
                        "whom": beneficiary_text(support.beneficiary),
                        "amount": vnd_words(support.amount) if support.amount else "",
                        "mark": doubt_mark(support.data_status),
                    }
                )
            elif support.kind == Support.Kind.HOUSE and support.building_started_on:
                building.append({"whom": beneficiary_text(support.beneficiary)})
            else:
                rest.append(support)
        if rest:
            known = all(s.amount is not None for s in rest)
            total = sum(s.amount for s in rest) if known else None
            mark = doubt_mark(weakest(s.data_status for s in rest)) if known else ""
            if known and fund.target and total == fund.target:
                # an illustrative split of the fund's own total (2018: 140 million for two
                # officers, the split not told): the sum is the fund's figure, as sure as it
                mark = doubt_mark(fund.data_status)
            gifts.append(
                {
                    "amount": vnd_words(total) if known else "",
                    "mark": mark,
                    "whom": whom(rest),
                    "houses": all(s.kind == Support.Kind.HOUSE for s in rest),
                }
            )
        gifts_of_fund = [c for c in facts.contributions if c.fund_id == fund.pk]
        if not supports and gifts_of_fund:
            collecting.append(
                {
                    "title": fund.title,
                    "amount": vnd_words(fund.collected),
                    "mark": doubt_mark(weakest(c.data_status for c in gifts_of_fund)),
                }
            )
    return handed, building, gifts, collecting


def roster_text(members) -> tuple[str, str]:
    """("Công an 7 tỉnh", "Lai Châu, …") when every member is a province's police, else
    ("7 đơn vị", "Công an tỉnh …, …")."""
    if all(unit.name.startswith("Công an tỉnh ") for unit in members):
        return f"Công an {len(members)} tỉnh", ", ".join(u.short_name for u in members)
    return f"{len(members)} đơn vị", ", ".join(u.name for u in members)


def sentence(**figures: Figure) -> dict:
    """The figures of one sentence, each with its text and mark; a mark they all share is said
    once, at the sentence's end ("(số liệu minh họa)")."""
    marks = {figure.mark for figure in figures.values() if figure.text}
    shared = marks.pop() if len(marks) == 1 else ""
    words = {
        name: {"text": figure.text, "mark": "" if shared else figure.mark}
        for name, figure in figures.items()
    }
    words["mark"] = f" (số liệu {shared.strip()[1:-1]})" if shared else ""
    return words


def guests_text(guests: str) -> str:
    guests = guests.strip().rstrip(".")
    return lower_first(guests) if guests.startswith(COMMON_STARTS) else guests


def draft_context(facts: YearFacts) -> dict:
    cluster_year, conference = facts.cluster_year, facts.conference
    figures = {name: facts.figure(name) for name in COUNT_FIELDS}
    totals = facts.totals
    crimes_change = ""
    if totals.compared:
        change = rates.change(
            totals.compared_sums["crimes_recorded"],
            totals.compared_previous_sums["crimes_recorded"],
        )
        if change is not None:
            crimes_change = str(change.label)
            if change.direction != "same":
                crimes_change += f" {layout.percent(change.percent)}"
            crimes_change += doubt_mark(weakest(facts.compared_statuses))
            if not totals.like_with_like:
                crimes_change += f" (so sánh {totals.compared} đơn vị báo cáo cả hai năm)"
    presiding = presiding_text(conference)
    directions = paragraphs(conference.directions) if conference else []
    following = facts.next_year
    chair = cluster_year.chair
    handed, building, gifts, collecting = _welfare(facts)
    roster, roster_names = roster_text(facts.members) if facts.members else ("", "")
    from_sums = [name for name, figure in figures.items() if not figure.published]
    return {
        "cluster": cluster_year.cluster.name,
        "year": str(cluster_year.year),
        "previous_year": str(cluster_year.year - 1),
        "next_year": str(cluster_year.year + 1),
        "conference": conference,
        "movement": conference.movement if conference else "",
        "place": conference.place if conference else "",
        "date": f"{conference.date:%d/%m/%Y}" if conference and conference.date else "",
        "host": conference.host.name if conference and conference.host else "",
        "guests": guests_text(conference.guests) if conference else "",
        "slogan": conference.slogan.strip() if conference else "",
        "presiding": presiding,
        # "Phát biểu chỉ đạo tại hội nghị, Đại tá X, <title>, biểu dương …"
        "presiding_lead": f"{presiding}," if conference and conference.presiding_title else "",
        "directions_lead": directions[0] if directions else "",
        "directions_lead_lower": lower_first(directions[0]) if directions else "",
        "directions_rest": directions[1:],
        "roster": roster,
        "roster_names": roster_names,
        "crimes": sentence(
            recorded=figures["crimes_recorded"],
            solved=figures["crimes_solved"],
            rate=facts.rate("crimes_solved", "crimes_recorded"),
        ),
        "serious": sentence(
            recorded=figures["serious_recorded"],
            solved=figures["serious_solved"],
            rate=facts.rate("serious_solved", "serious_recorded"),
        ),
        "drugs": sentence(cases=figures["drug_cases"], offenders=figures["drug_offenders"]),
        "commended": sentence(
            collectives=figures["commended_collectives"],
            individuals=figures["commended_individuals"],
        ),
        "tips": sentence(tips=figures["citizen_tips"]),
        "crimes_change": crimes_change,
        # sums of only some of the units: said so
        "partial": bool(facts.reports and facts.missing and from_sums),
        "reported": len(facts.reports),
        "members": len(facts.members),
        "awards": _awards(facts),
        "decisions": _decisions(facts),
        "handover_opening": "Tại hội nghị, lãnh đạo" if conference else "Lãnh đạo",
        "chair": chair.name if chair else "",
        "next_chair": following.chair.name if following and following.chair else "",
        "next_vice": following.vice_chair.name if following and following.vice_chair else "",
        "houses": handed,
        "building": building,
        "gifts": gifts,
        "collecting": collecting,
    }


def missing_parts(facts: YearFacts) -> list[str]:
    """What the draft cannot tell for lack of data, for the clerk (in the page's language)."""
    missing = []
    if facts.conference is None:
        missing.append(_("hội nghị tổng kết"))
    if not facts.reports and not facts.published:
        missing.append(_("kết quả của các đơn vị"))
    if not facts.proposed:
        missing.append(_("bình xét, suy tôn"))
    if facts.next_year is None or facts.next_year.chair is None:
        missing.append(_("Cụm trưởng năm %(year)s") % {"year": facts.year + 1})
    if not facts.funds:
        missing.append(_("nghĩa tình đồng đội"))
    return missing


def news_text(facts: YearFacts) -> str:
    """The draft as plain text: paragraphs separated by a blank line."""
    with translation.override("vi"):  # a Vietnamese text: 4.213, 92,6%
        rendered = render_to_string("pages/news_draft.txt", draft_context(facts))
    parts = (re.sub(r"\s+", " ", part).strip() for part in rendered.split(PARAGRAPH))
    return "\n\n".join(part for part in parts if part) + "\n"


def news_document(text: str) -> bytes:
    """The draft as a Word file: its first paragraph the headline."""
    document = layout.document()
    headline, *rest = [p for p in text.split("\n\n") if p.strip()]
    layout.centred(document, headline.strip(), bold=True).paragraph_format.space_after = Pt(12)
    for paragraph in rest:
        layout.body(document, paragraph.strip())
    return layout.save(document)


@require_safe
def year_news(request, slug, year):
    cluster_year, refusal = readable_year_or_404(request, slug, year)
    if refusal is not None:
        return refusal
    facts = year_facts(cluster_year, visible_years(request.user))
    text = news_text(facts)
    name = f"tin-bai-{cluster_year.cluster.slug}-{year}"
    answer = request.GET.get("format")
    if answer == "txt":
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.txt"'
        return response
    if answer == "docx":
        return docx_response(news_document(text), f"{name}.docx")
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "draft": text,
        "missing": missing_parts(facts),
        "marked": any(
            f"{MARKS[status]})" in text for status in (DataStatus.ESTIMATE, DataStatus.ILLUSTRATIVE)
        ),
    }
    return render(request, "pages/year_news.html", context)
