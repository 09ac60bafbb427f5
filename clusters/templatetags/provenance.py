"""The short mark beside a figure or record that says where it comes from (Provenance), and its
legend. `{% provenance report %}` → a mark with the status and the source in its title;
`{% provenance_legend %}` once per page that shows marks."""

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


def describe(obj) -> str:
    """ "minh họa (dữ liệu mẫu) — nguồn: …" or "… — chưa ghi nguồn"."""
    status = DataStatus(obj.data_status)
    source = getattr(obj, "source", None) if getattr(obj, "source_id", None) else None
    where = _("nguồn: %(source)s") % {"source": source} if source else _("chưa ghi nguồn")
    return f"{status.label} — {where}"


@register.simple_tag
def provenance(obj):
    if obj is None or not getattr(obj, "data_status", None):
        return ""
    status = DataStatus(obj.data_status)
    letters, css = MARKS[status]
    no_source = "" if getattr(obj, "source_id", None) else " prov-unsourced"
    return format_html(
        '<abbr class="prov {}{}" title="{}" aria-label="{}">{}</abbr>',
        css,
        no_source,
        describe(obj),
        describe(obj),
        letters,
    )


@register.inclusion_tag("clusters/_provenance_legend.html")
def provenance_legend(sources=()):
    return {
        "marks": [(MARKS[status][0], MARKS[status][1], status.label) for status in DataStatus],
        "sources": sources,
    }
