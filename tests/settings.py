"""Settings for the test suite: the production settings module with a throwaway key, debug off (as in
production), plain static storage (no collectstatic manifest needed) and no HTTPS redirect."""

import os

os.environ.setdefault("RUNGS_INSECURE_DEV_KEY", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from rungs.settings import *  # noqa: E402,F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests create many users
STATIC_ROOT = None  # WhiteNoise serves from the finders; no collectstatic in tests
