from django import template

from accounts import access
from accounts.redirects import login_link

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, perm, obj=None):
    """{% can "awards.view_summary" as allowed %}: the rules registry, without user.has_perm()
    (which loads the user's model permissions from the database on every page)."""
    return access.can(context["user"], perm, obj)


@register.simple_tag(takes_context=True)
def login_url(context):
    """The nav's login address: back to this page afterwards, never to a login page."""
    return login_link(context["request"])
