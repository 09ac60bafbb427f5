"""Pages made of sections that post to their own addresses (the year's edit page).

A section's view saves through its service and redirects back to the page at the section's
anchor. When the service or the form refuses, the view keeps what was typed and why in the
session and redirects there too: the page then rebuilds that one form bound to the same data,
with the refusal at the top of its section, and the browser lands on it (not at the top of a
long page, where a clerk would believe it saved).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect

from core.forms import add_service_errors

RETRY_KEY = "section_retry"


def back_to(edit_url: str, anchor: str):
    return redirect(f"{edit_url}#{anchor}")


def _error_lists(form=None, error: ValidationError | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if error is not None:
        if hasattr(error, "error_dict"):
            for field, messages_ in error.message_dict.items():
                errors.setdefault(field, []).extend(messages_)
        else:
            errors.setdefault("__all__", []).extend(error.messages)
    return errors


def refuse(request, *, section: str, anchor: str, edit_url: str, data=None, error=None, form=None):
    """Keep the posted data and the service's refusal for the page, and go back to the section.
    Form errors are not kept: the page finds them again by validating the same data."""
    service_errors = _error_lists(error=error)
    request.session[RETRY_KEY] = {
        "section": section,
        "data": {key: data.getlist(key) for key in data} if data is not None else {},
        "errors": service_errors,
    }
    text = " ".join(m for messages_ in service_errors.values() for m in messages_)
    if form is not None and form.errors:
        text = " ".join([*(m for ms in form.errors.values() for m in ms), text]).strip()
    messages.error(request, text or "…", extra_tags=f"section-{anchor}")
    return back_to(edit_url, anchor)


def retried(request, section: str):
    """(data, service errors) posted to this section and refused, once; else None."""
    entry = request.session.get(RETRY_KEY)
    if not entry or entry.get("section") != section:
        return None
    del request.session[RETRY_KEY]
    data = QueryDict(mutable=True)
    for key, values in entry["data"].items():
        data.setlist(key, values)
    return data, entry["errors"]


def rebind(form_class, retry, **kwargs):
    """The section's form bound to the refused data, with the service's refusal added."""
    data, errors = retry
    form = form_class(data, **kwargs)
    form.is_valid()
    if errors:
        add_service_errors(form, ValidationError(errors))
    return form
