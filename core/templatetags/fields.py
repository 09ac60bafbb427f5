"""Bootstrap 5 form fields drawn in Python, in the markup crispy-forms' bootstrap5 pack draws.

The year's edit page shows some seventy fields; through crispy's templates (a dozen nested
templates of conditions a field) they were a third of the page's time (make bench). The plain
widgets drawn here (text, number, date, select, textarea, checkbox) come out as crispy draws
them: the wrapper `div_id_<name>`, the label with its asterisk, the widget's classes, `is-invalid`
and the errors, the help text. Any other widget (a file, radio buttons, several checkboxes) is
handed to crispy's own `as_crispy_field`.

    {% load fields %}
    {{ form.amount|bs_field }}      {{ form|bs_form }}
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# widget → the classes crispy's bootstrap5 pack gives it (its name in lower case, then Bootstrap's)
PLAIN = (
    (forms.CheckboxInput, "form-check-input"),
    (forms.Select, "form-select"),  # SelectMultiple too
    (forms.Textarea, "form-control"),
    (forms.DateInput, "form-control"),
    (forms.NumberInput, "form-control"),
    (forms.EmailInput, "form-control"),
    (forms.URLInput, "form-control"),
    (forms.PasswordInput, "form-control"),
    (forms.TextInput, "form-control"),
)
NOT_PLAIN = (forms.RadioSelect, forms.FileInput, forms.MultiWidget)


def _bootstrap_class(widget) -> str | None:
    if isinstance(widget, NOT_PLAIN):
        return None
    for kind, css in PLAIN:
        if isinstance(widget, kind):
            return css
    return None


@register.filter
def bs_field(bound_field):
    widget = bound_field.field.widget
    if bound_field.is_hidden:
        return bound_field.as_widget()
    css = _bootstrap_class(widget)
    if css is None:
        return as_crispy_field(bound_field)
    errors = bound_field.errors
    classes = [type(widget).__name__.lower(), css] + (["is-invalid"] if errors else [])
    own = widget.attrs.get("class", "").split()
    # Django adds aria-describedby (help, errors) and aria-invalid itself
    drawn = _widget(bound_field, {"class": " ".join(own + [c for c in classes if c not in own])})
    required = bound_field.field.required
    label = ""
    if bound_field.label:
        star = mark_safe('<span class="asteriskField">*</span>') if required else ""
        label_class = "form-check-label" if css == "form-check-input" else "form-label"
        if required and css != "form-check-input":
            label_class += " requiredField"
        label = format_html(
            '<label for="{}" class="{}">{}{}</label>',
            bound_field.id_for_label,
            label_class,
            bound_field.label,
            star,
        )
    feedback = ""
    if errors:
        feedback = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound_field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((i, bound_field.auto_id, e) for i, e in enumerate(errors, start=1)),
            ),
        )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            bound_field.auto_id,
            bound_field.help_text,
        )
        if bound_field.help_text
        else ""
    )
    wrapper = flatatt({"id": f"div_{bound_field.auto_id}"})
    if css == "form-check-input":
        return format_html(
            '<div class="mb-3"><div{} class="form-check">{}{}{}{}</div></div>',
            wrapper,
            drawn,
            label,
            feedback,
            help_text,
        )
    return format_html(
        '<div{} class="mb-3">{}{}{}{}</div>', wrapper, label, drawn, feedback, help_text
    )


# Django's own templates of the plain widgets: a widget drawn with one of these is drawn here
# in Python, the same HTML (a widget with a template or a render() of its own is left to Django).
DRAWN_HERE = {
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "date", "email", "url", "password", "checkbox", "select")
} | {"django/forms/widgets/textarea.html"}


def _attrs(attrs) -> str:
    """Django's widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _widget(bound_field, attrs):
    """BoundField.as_widget(attrs=...), the widget's template drawn in Python: the templates'
    engine was a third of a field's time, and a select of 130 units draws 130 options."""
    widget = bound_field.field.widget
    if (
        widget.template_name not in DRAWN_HERE
        or type(widget).render is not forms.Widget.render
        or bound_field.field.localize
    ):
        return bound_field.as_widget(attrs=attrs)
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    name, own = conditional_escape(context["name"]), _attrs(context["attrs"])
    if isinstance(widget, forms.Select):
        options = []
        for group, choices, _index in context["optgroups"]:
            if group:
                options.append(f'<optgroup label="{conditional_escape(group)}">')
            options.extend(
                f'<option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in choices
            )
            if group:
                options.append("</optgroup>")
        return mark_safe(f'<select name="{name}"{own}>{"".join(options)}</select>')
    if isinstance(widget, forms.Textarea):
        text = conditional_escape(context["value"]) if context["value"] else ""
        return mark_safe(f'<textarea name="{name}"{own}>\n{text}</textarea>')
    value = context["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return mark_safe(
        f'<input type="{conditional_escape(context["type"])}" name="{name}"{shown}{own}>'
    )


@register.filter
def bs_form(form):
    """A whole form's fields as bs_field draws them, its errors above them (crispy's `|crispy`
    when a field needs crispy's own drawing: a file, radio buttons)."""
    if any(_bootstrap_class(f.field.widget) is None for f in form.visible_fields()):
        return as_crispy_form(form)
    parts = []
    if form.non_field_errors():
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                format_html_join("", "<li>{}</li>", ((e,) for e in form.non_field_errors())),
            )
        )
    parts.extend(bs_field(f) for f in form.hidden_fields())
    parts.extend(bs_field(f) for f in form.visible_fields())
    return mark_safe("".join(str(p) for p in parts))
