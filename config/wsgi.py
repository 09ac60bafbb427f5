import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded now (Django, the apps, their modules: some 120,000 objects) lives as long as
# the process. Moved out of the collector's sight, a full collection no longer walks it: on the
# year's edit page those collections were the slowest twentieth of requests, 40-70 ms each
# (make bench). gc.freeze() is the standard library's way for long-lived servers.
gc.collect()
gc.freeze()
