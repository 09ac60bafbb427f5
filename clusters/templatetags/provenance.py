"""The short mark beside a figure or record that says where it comes from (Provenance), and its
legend. `{% provenance report sources_by_id %}` → a mark with the status and the source in its
title; `{% provenance_legend sources %}` once per page that shows marks."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clusters.models import DataStatus

register = template.Library()

# Two letters each, so that a table column stays narrow; the legend spells them out.
MARKS = {
    DataStatus.REPORTED: ("BC", "prov-reported"),
    DataStatus.CLUSTER_PUBLISHED: ("CB", "prov-published"),
    DataStatus.ESTIMATE: ("ƯT", "prov-estimate"),
    DataStatus.ILLUSTRATIVE: ("MH", "prov-illustrative"),
}


def describe(obj, sources=None) -> str:
    """ "minh họa (dữ liệu mẫu) — nguồn: …" or "… — chưa ghi nguồn". The source's title comes
    from the page's map of sources (one query for the page), or from an already loaded relation;
    never from a query per figure."""
    status = DataStatus(obj.data_status)
    source_id = getattr(obj, "source_id", None)
    if not source_id:
        return f"{status.label} — {_('chưa ghi nguồn')}"
    source = (sources or {}).get(source_id)
    if source is None and "source" in obj._state.fields_cache:
        source = obj.source
    where = (
        _("nguồn: %(source)s") % {"source": source}
        if source is not None
        else _("có ghi nguồn (xem chú thích nguồn)")
    )
    return f"{status.label} — {where}"


@register.simple_tag
def provenance(obj, sources=None):
    """A two-letter mark with the status and the source in its title; `sources`: the page's
    {id: Source}."""
    if obj is None or not getattr(obj, "data_status", None):
        return ""
    status = DataStatus(obj.data_status)
    letters, css = MARKS[status]
    no_source = "" if getattr(obj, "source_id", None) else " prov-unsourced"
    text = describe(obj, sources)
    return format_html(
        '<abbr class="prov {}{}" title="{}" aria-label="{}" data-status="{}">{}</abbr>',
        css,
        no_source,
        text,
        text,
        status.value,
        letters,
    )


@register.simple_tag
def status_mark(status):
    """The two letters of a sum's status (the least certain of its figures) without a source,
    or nothing for "reported"."""
    if not status or status == DataStatus.REPORTED:
        return ""
    letters, css = MARKS[DataStatus(status)]
    label = DataStatus(status).label
    return format_html(
        '<abbr class="prov {}" title="{}" aria-label="{}" data-status="{}">{}</abbr>',
        css,
        label,
        label,
        status,
        letters,
    )


@register.inclusion_tag("clusters/_provenance_legend.html")
def provenance_legend(sources=()):
    return {
        "marks": [(MARKS[status][0], MARKS[status][1], status.label) for status in DataStatus],
        "sources": sources,
    }


@register.filter
def get(mapping, key):
    """mapping[key] in a template, or None."""
    return mapping.get(key) if mapping else None
