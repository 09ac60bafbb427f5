"""Real form data for tests: the forms of a page as a browser would send them, filled validly.

forms_of(html) reads every <form> of a page with html.parser: its action, its method, and what
a browser would post: inputs with their value, checked radios and checkboxes, the selected (or
else the first non-empty) option of each select, textareas, and the first named submit button
(the one Enter presses). Disabled fields are left out, as browsers do. fill() then puts a
plausible valid value, chosen by the field's name, into each required field left empty.
File inputs are known (Form.fields) but not filled: the caller gives the file.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Values a clerk would type, by the field's name (the first pattern that matches wins).
NUMBERS = [(r"amount|target|cost|funding", "1000000")]  # đồng
COUNT = "5"  # any other number
TEXTS = [
    (r"password", "Mat-khau-moi-2024!"),
    (r"date|_on$|^on$", "15/01/2024"),
    (r"email", "canbo@example.com"),
    (r"name|issuer", "Nguyễn Văn A"),
    (r"rank", "Đại tá"),
    (r"position|presiding_title", "Giám đốc"),
    (r"title", "Quỹ hỗ trợ đồng đội"),
    (r"place|address", "Lai Châu"),
    (r"number", "123/QĐ-BCA"),
]
TEXT = "Nội dung kiểm thử"


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    required: bool = False
    numeric: bool = False
    choices: list[str] = field(default_factory=list)  # options, or the values of its boxes


@dataclass
class Form:
    action: str  # absolute path, as resolved against the page's address
    method: str
    data: list[tuple[str, str]] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, str | list[str]]:
        """The data for django.test.Client.post: one value, or a list where a name repeats."""
        result: dict[str, list[str]] = {}
        for name, value in self.data:
            result.setdefault(name, []).append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in result.items()}


class _Parser(HTMLParser):
    def __init__(self, address):
        super().__init__(convert_charrefs=True)
        self.address = address
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            parts = urlsplit(urljoin(self.address, attrs.get("action") or self.address))
            self.form = Form(
                action=parts.path + (f"?{parts.query}" if parts.query else ""),
                method=(attrs.get("method") or "get").lower(),
            )
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        disabled = "disabled" in attrs
        if tag == "input" and name and not disabled:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value")
            if kind in ("submit", "image"):
                self.form.buttons.append((name, value or ""))
                return
            if kind in ("button", "reset"):
                return
            known = self.form.fields.setdefault(
                name,
                Field(
                    name,
                    kind,
                    required="required" in attrs,
                    numeric=kind == "number" or attrs.get("inputmode") == "numeric",
                ),
            )
            if kind in ("checkbox", "radio"):
                known.choices.append(value if value is not None else "on")
                if "checked" in attrs:
                    self.form.data.append((name, value if value is not None else "on"))
            elif kind != "file":
                self.form.data.append((name, value or ""))
        elif tag == "button" and name and not disabled:
            if (attrs.get("type") or "submit").lower() == "submit":
                self.form.buttons.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "multiple": "multiple" in attrs,
                "disabled": disabled,
                "required": "required" in attrs,
                "options": [],
            }
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = {
                "name": name,
                "disabled": disabled,
                "required": "required" in attrs,
                "text": "",
            }

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            self._end_select()
        elif tag == "textarea" and self.textarea is not None:
            area, self.textarea = self.textarea, None
            if self.form is not None and not area["disabled"]:
                # the parser keeps the newline right after <textarea>; browsers drop it
                text = area["text"][1:] if area["text"].startswith("\n") else area["text"]
                self.form.fields[area["name"]] = Field(area["name"], "textarea", area["required"])
                self.form.data.append((area["name"], text))

    def _end_select(self):
        select, self.select, self.option = self.select, None, None
        if self.form is None or select["disabled"]:
            return
        name, options = select["name"], select["options"]
        for option in options:
            if option["value"] is None:
                option["value"] = option["text"].strip()
        kind = "select-multiple" if select["multiple"] else "select"
        values = [o["value"] for o in options]
        self.form.fields[name] = Field(name, kind, select["required"], choices=values)
        chosen = [o["value"] for o in options if o["selected"]]
        if not select["multiple"]:
            # one value: the selected option (the last, if several say so), else the first
            # non-empty one
            chosen = chosen[-1:] or [o["value"] for o in options if o["value"]][:1]
        self.form.data.extend((name, value) for value in chosen)


def forms_of(html: str, address: str) -> list[Form]:
    """Every form of the page at address."""
    parser = _Parser(address)
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        if form.buttons:  # the default button: the one Enter (or a click on the first) sends
            form.data.append(form.buttons[0])
    return parser.forms


def posting_to(html: str, address: str, action: str | None = None) -> list[Form]:
    """The POST forms of the page at address whose action is action (default: the page itself)."""
    action = action or address
    return [f for f in forms_of(html, address) if f.method == "post" and f.action == action]


def first_choice(field_: Field) -> str:
    """The first non-empty option of a select (or value of a checkbox or radio group)."""
    return next((value for value in field_.choices if value), "")


def plausible(field_: Field) -> str:
    """What a clerk would type into the field, by its name."""
    patterns, default = (NUMBERS, COUNT) if field_.numeric else (TEXTS, TEXT)
    return next((value for pattern, value in patterns if re.search(pattern, field_.name)), default)


def fill(form: Form) -> Form:
    """Fill each required field the page left empty: an empty required input or textarea gets a
    plausible value for its name, an unticked required checkbox is ticked. Empty optional
    fields are sent empty, as a browser does; a required select showing its empty choice gets
    its first real one, and an empty password field is always filled (no password form is
    valid without one)."""
    sent = {name for name, _ in form.data}
    data = []
    for name, value in form.data:
        field_ = form.fields.get(name)
        if value == "" and field_ is not None:
            if field_.kind.startswith("select"):
                if field_.required:
                    value = first_choice(field_)
            elif field_.kind == "password" or (field_.required and field_.kind != "hidden"):
                value = plausible(field_)
        data.append((name, value))
    for name, field_ in form.fields.items():
        if field_.required and field_.kind == "checkbox" and name not in sent:
            data.append((name, "on"))
    form.data = data
    return form
