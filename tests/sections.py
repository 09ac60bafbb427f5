"""Posting to the sections of the year's edit page: each form posts to its own address."""

PATHS = {
    "conference": "conference/",
    "publish": "publish/",
    "reopen": "reopen/",
    "leader": "leader/",
    "nominate": "nominate/",
    "submit": "submit/",
    "decide": "decide/",
    "fund_open": "fund-open/",
    "fund_close": "fund-close/",
    "contribution": "contribution/",
    "support": "support/",
    "milestone": "milestone/",
    "source": "source/",
}


def section_url(edit_url: str, action: str) -> str:
    return edit_url + PATHS[action]


def post_section(client, edit_url, data, *, follow=True, **kwargs):
    """Post `data` (with its "action") to that section's address, follow=True follows the redirect back
    to the edit page, as the browser does."""
    data = dict(data)
    action = data.pop("action")
    return client.post(section_url(edit_url, action), data, follow=follow, **kwargs)
