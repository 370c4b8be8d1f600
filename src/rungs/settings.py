"""Django settings, read from the environment (12-factor).

DATABASE_URL   default sqlite:///<project>/var/rungs.sqlite3 (the embedded default); production: postgres://…
SECRET_KEY     required when DEBUG is off with DATABASE_URL set (the embedded default makes one in var/)
DEBUG          "1"/"true" turns debug on (default off; `rungs demo` turns it on for the laptop)
ALLOWED_HOSTS  comma-separated (default: localhost,127.0.0.1)
RUNGS_VAR      folder for the SQLite file and uploads (default: <project>/var)
MAX_UPLOAD_MB  largest file the import page takes (default 100)
MAX_BODY_MB    largest request body, e.g. of POST /api/records/bulk (default 64)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parents[1]
VAR_DIR = Path(os.environ.get("RUNGS_VAR", PROJECT_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def _embedded_key() -> str:
    """The embedded default (no DATABASE_URL) keeps its own random key in var/, made on first use, so
    every command of the README works after `make run` without configuring anything."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets
        import tempfile

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=VAR_DIR)  # mode 0600
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)  # atomic: a second process starting at once keeps the first key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


DEBUG = _flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and "DATABASE_URL" not in os.environ and not _flag("RUNGS_INSECURE_DEV_KEY"):
    SECRET_KEY = _embedded_key()
if not SECRET_KEY:
    if not DEBUG and not _flag("RUNGS_INSECURE_DEV_KEY"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README: production)")
    SECRET_KEY = "rungs-insecure-development-key-never-use-in-production"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "rungs.audit",
    "rungs.accounts",
    "rungs.notify",
    "rungs.people",
    "rungs.records",
    "rungs.datasets",
    "rungs.policies",
    "rungs.board",
    "rungs.promotions",
    "rungs.cases",
    "rungs.honors",
    "rungs.talent",
    "rungs.effect",
    "rungs.rewards",
    "rungs.voice",
    "rungs.entry",
    "rungs.api",
    "ninja",  # its templates and static files: the API docs page is served locally, not from a CDN
    "rungs.web",
    "rungs.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "rungs.web.middleware.private_pages",
    "rungs.web.middleware.first_password",
]

# Every script, style and font is served by the app itself (no CDN, no inline code), so the policy can
# allow only this origin; charts are inline SVG without style attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "rungs.urls"
WSGI_APPLICATION = "rungs.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rungs.web.context.abilities",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'rungs.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if "DATABASE_URL" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default works from a fresh clone
    # WAL lets the web server read while the worker writes; the timeout rides out short write locks.
    # IMMEDIATE: a transaction takes the write lock when it begins, so two writers that read before they
    # write (an import plans, then writes) run one after the other instead of failing or both writing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (rungs.accounts.throttle): this many failures for one username, or from one address,
# within the window locks further attempts for the rest of the window, the right password included.
LOGIN_FAILURES_ALLOWED = int(os.environ.get("LOGIN_FAILURES_ALLOWED", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))  # seconds
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Limits. The bulk API takes up to 100,000 rows per list (schemas.BulkIn); three full lists of typical rows
# (~200 bytes of JSON each) are ~60 MB, so the body limit must be above that or the documented limit could
# never be reached (Django's default is 2.5 MB). Uploaded files are not held in memory by Django (they go to
# a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE); the import form refuses one over MAX_UPLOAD_BYTES.
MAX_BODY_BYTES = int(float(os.environ.get("MAX_BODY_MB", "64")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
MAX_UPLOAD_BYTES = int(float(os.environ.get("MAX_UPLOAD_MB", "100")) * 1024 * 1024)

# The suggestion box releases suggestions to their handlers in batches of this many (rungs.voice).
RUNGS_SUGGESTION_BATCH = max(2, int(os.environ.get("RUNGS_SUGGESTION_BATCH", "3")))

# How many thank-yous (rungs.honors recognitions) each user may give per calendar month.
RUNGS_RECOGNITION_PER_MONTH = max(1, int(os.environ.get("RUNGS_RECOGNITION_PER_MONTH", "5")))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Production hardening; `manage.py check --deploy` passes with DEBUG off and a real SECRET_KEY.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
