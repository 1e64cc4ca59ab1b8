"""Production profile: PostgreSQL, HTTPS, secrets required.

Start: CLEANASIA_PROFILE=production CLEANASIA_SECRET_KEY=... DATABASE_URL=postgres://...
       gunicorn cleanasia.wsgi -w 2 -b 127.0.0.1:8000   (behind a TLS-terminating proxy)
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("CLEANASIA_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("CLEANASIA_SECRET_KEY must be set to a random value of at least 50 characters.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must point at the production database (PostgreSQL).")

ALLOWED_HOSTS = env_list("CLEANASIA_ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("CLEANASIA_ALLOWED_HOSTS must name the host(s) the platform answers for.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("CLEANASIA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("CLEANASIA_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

TASKS = {"default": {"BACKEND": os.environ.get("CLEANASIA_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
