"""config/ keeps only settings, urls, wsgi and asgi (DESIGN §2); the layers are make lint's."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_config_holds_only_the_projects_wiring():
    files = {p.name for p in (ROOT / "config").iterdir() if p.suffix == ".py"}
    assert files == {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py"}
    assert not [p for p in (ROOT / "config").iterdir() if p.is_dir() and p.name != "__pycache__"]


@pytest.mark.parametrize("app", ["reports", "awards", "welfare"])
def test_domain_apps_declare_their_sheets_and_services(app):
    for module in ("services.py", "selectors.py", "workbook.py", "views.py", "urls.py"):
        assert (ROOT / app / module).exists(), f"{app}/{module}"
