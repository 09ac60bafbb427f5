"""`{% chart c %}`: a core.charts.Chart drawn, with its numbers as a table under it."""

from django import template

from core import charts

register = template.Library()


@register.inclusion_tag("core/_chart.html")
def chart(value):
    return {"chart": value, "drawing": charts.svg(value) if value.has_data else ""}
