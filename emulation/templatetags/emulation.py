from django import template

from emulation.selectors import points as points_text

register = template.Library()


@register.filter
def points(value):
    """Points the Vietnamese way: 28, 40,5."""
    return points_text(value)
