"""One settings file, driven by the environment (see README, "Configuration").

DATABASE_URL          default: SQLite file db.sqlite3 next to manage.py
DJANGO_DEBUG          default: off
DJANGO_SECRET_KEY     required when DEBUG is off
DJANGO_ALLOWED_HOSTS  comma-separated; default: localhost names only
DJANGO_HTTPS          default: on when DEBUG is off. Redirect to HTTPS, HSTS, secure cookies.
                      Off only behind no TLS at all (a test server); see README, "Deploy".
DJANGO_SESSION_MINUTES how long a login lasts at most, in minutes; default 480 (a working day)
DJANGO_SESSION_IDLE   minutes without a request after which a login ends; default 30
DJANGO_TRUSTED_PROXIES reverse proxies in front of the application (their X-Forwarded-For is
                      trusted for the client's address, e.g. for the login lockout); default 0
REDIS_URL             cache shared by every application server (redis://host:6379/0), and the
                      background jobs' queue (RQ; workers: manage.py rqworker); unset: each
                      process keeps its own cache in memory (one server only), and the queue is
                      a table of the database (workers: manage.py db_worker)
EMAIL_HOST            mail server; unset (the default, a closed network): no password reset
                      by email, whose addresses then answer 404. With it: EMAIL_PORT (25),
                      EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS (off), DEFAULT_FROM_EMAIL;
                      the notifications are also sent by email (SITE_URL: the address in links)
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django import forms as django_forms
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def envint(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, {minimum} or more; got {value!r}"
        )
    return number


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off: "
            "set DJANGO_SECRET_KEY to a long random string, or DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, which the admin's own widgets extend
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "simple_history",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 CSS/JS served locally, never from a CDN
    "django_tasks",  # background jobs: Django's Tasks API (backport), see TASKS
    "django_tasks_db",
    "core",
    "accounts",
    "clusters",
    "reports",
    "awards",
    "welfare",
    "emulation",
    "workbook",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.LargeBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.IdleSessionMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    # Django's own widget templates, in their Jinja2 form: the year's edit page renders some
    # seventy fields and 350 options, and each widget and option through the Django template
    # engine cost about a fifth of the page (make bench). Only that directory: asked first,
    # it knows no other template: pages, crispy's and the admin's go to the engine below.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(django_forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Forms and widgets are rendered through TEMPLATES (Django's documented TemplatesSetting).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people at once on SQLite: the write-ahead log lets readers go on while one writes;
    # IMMEDIATE takes the write lock when a transaction begins, so a second writer waits (up to
    # 20 s) at the start rather than failing with "database is locked" in the middle of a save.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),  # options given in DATABASE_URL win
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our queries are short, and on 3 million commendations PostgreSQL chose to
    # compile one for 145 ms that then ran in 4 ms (measured by make bench).
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off",
        **DATABASES["default"].get("OPTIONS", {}),  # options given in DATABASE_URL win
    }

# The cache keeps rendered published years and their generation counter (core.cache). With
# REDIS_URL every application server shares one; without it each process has its own, which is
# right for one server only: another server would not see an invalidation.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "emulation",
            "TIMEOUT": 24 * 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked user before the others
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Logins: 5 failures for one user from one address lock that pair for 15 minutes (colleagues
# behind the same office address are not locked out together); the admin can unlock earlier
# by deleting the attempt in /admin/axes/. A session ends after DJANGO_SESSION_IDLE minutes
# without a request (core.middleware.IdleSessionMiddleware).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Behind DJANGO_TRUSTED_PROXIES reverse proxies (README, "Deploy"), every request comes from the
# nearest proxy's address: the client's is the one those proxies appended to X-Forwarded-For.
# Without a trusted proxy the header is ignored (a client could write any address in it).
# django-axes reads these through django-ipware, an optional extra that is not installed, so
# core.middleware.client_ip_address reads the same two settings (right-most entries: what the
# client wrote itself before them is never trusted).
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip_address"
AXES_USERNAME_CALLABLE = "core.middleware.lockout_username"
_trusted_proxies = envint("DJANGO_TRUSTED_PROXIES", 0)
if _trusted_proxies > 0:
    AXES_IPWARE_PROXY_COUNT = _trusted_proxies
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
SESSION_IDLE_SECONDS = int(os.environ.get("DJANGO_SESSION_IDLE", "30")) * 60

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Mail: the password reset by email (accounts.views) and the notifications' copies by email
# (accounts.services.notify), only where a server is given. SITE_URL (https://cum.example.vn)
# makes the links in those emails whole.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "webmaster@localhost"
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

# Vietnamese by default, English available; dates typed and shown as dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["core.formats"]
# Fallback for code that reads the global setting rather than the locale's (django-import-export's
# DateWidget does): Django's default starts with %m/%d/%Y, which would read 05/03/2025 as 3 May.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# whitenoise serves the collected files (gzip and brotli-free compression) under gunicorn.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Files checked on the upload pages, kept until the user confirms (workbook.views): at most
    # an hour, 3 per user, deleted at logout. Readable by this process's user only; never served.
    "workbook_uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(os.environ.get("TMPDIR") or "/tmp") / "workbook-uploads",
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    # Sources' files (decisions, minutes, photos of houses): checked by type and size on upload
    # (clusters.services.source_save), served only to those who may see the record
    # (clusters.views.source_file), never from a public URL.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(os.environ.get("DOCUMENTS_ROOT") or BASE_DIR / "documents"),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

WHITENOISE_USE_FINDERS = DEBUG  # local development serves straight from the apps' folders

# Deployment: HTTPS only, cookies never sent in clear, no framing, no referrer leaving the site.
HTTPS = envbool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS  # only a header directive; nobody submits a closed network
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_MINUTES", "480")) * 60

# Content-Security-Policy: only our own scripts, styles, images and fonts; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap draws its icons as data: images
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Background jobs: Django's Tasks API (the django-tasks backport). Without REDIS_URL, its
# database backend (django-tasks-db): the queue is a table of the one database every application
# server shares, so `manage.py db_worker` may run on any machine that reaches it. With REDIS_URL,
# RQ's (django-tasks-rq): the queue is in that Redis, and workers are `manage.py rqworker
# --job-class django_tasks_rq.Job default` (README, "Deploy"). Either way the jobs' rows, files
# and progress are in the database. A workbook of more than WORKBOOK_BACKGROUND_ROWS rows is
# checked and written by a worker (workbook.jobs); smaller ones are imported while the browser
# waits.
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job may run as long as a national year's workbook takes (RQ stops it after this).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKBOOK_BACKGROUND_ROWS = envint("WORKBOOK_BACKGROUND_ROWS", 5000, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Without these, everyone who reaches the admin may import and export (PITFALLS.md).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True


def one_line_refusals(record) -> bool:
    """A 4xx (a 404 for another unit's page, a 403 for a read-only role) is the application
    working as meant: django.request logs it as `GET /path 404`, without the traceback that
    Django attaches to a PermissionDenied. A 500 keeps its traceback."""
    status = getattr(record, "status_code", None)
    request = getattr(record, "request", None)
    if status is not None and 400 <= status < 500 and request is not None:
        path = request.path.encode("unicode_escape").decode("ascii")  # no forged log lines
        record.msg, record.args = "%s %s %s", (request.method, path, status)
        record.exc_info = record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_refusals": {
            "()": "django.utils.log.CallbackFilter",
            "callback": one_line_refusals,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's own console handler (DEBUG only) would print each line a second time.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["one_line_refusals"]},
        # WeasyPrint warns of every CSS rule it does not draw (Bootstrap's, the charts' SVG):
        # dozens of lines a PDF, none of them ours to act on
        "weasyprint": {"level": "ERROR"},
        # matplotlib's font manager tells of its cache at the first chart
        "matplotlib": {"level": "WARNING"},
    },
}

# Uploads
# Django refuses a form body over DATA_UPLOAD_MAX_MEMORY_SIZE (uploaded files not counted), and
# writes an uploaded file over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, not to memory.
# A body larger than a workbook upload may be (20 MB, workbook.importer.MAX_BYTES, and the rest
# of the form) is refused with a 413 before anything reads it (core.middleware.LargeBodyMiddleware,
# placed before CsrfViewMiddleware, which reads the whole body to find its token).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
REQUEST_MAX_BYTES = 20 * 1024 * 1024 + 256 * 1024
# The admin's exports: CSV and XLSX that never hand a spreadsheet a formula (core.export_formats;
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT alone only strips one leading "="). Imports keep
# django-import-export's own formats.
from core.export_formats import FORMATS as _EXPORT_FORMATS  # noqa: E402

EXPORT_FORMATS = _EXPORT_FORMATS
