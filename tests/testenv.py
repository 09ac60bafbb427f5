"""Loaded by pytest before pytest-django reads the settings (addopts "-p tests.testenv").

The settings refuse to start without DJANGO_SECRET_KEY when DEBUG is off; tests run with DEBUG off,
so they get a throwaway key here (an environment value, if set, wins), and plain HTTP.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")  # the test client and the live server speak plain HTTP

# Sources' files go to a throwaway folder of this run, never to the checkout's documents/.
if "DOCUMENTS_ROOT" not in os.environ:
    import tempfile

    os.environ["DOCUMENTS_ROOT"] = tempfile.mkdtemp(prefix="test-documents-")
