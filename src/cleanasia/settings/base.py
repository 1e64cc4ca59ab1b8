"""Base settings: every value comes from the environment, with a safe embedded default.

The embedded default is a single machine with SQLite under ./data, e-mail
written to the console and background work run inline. Production
(settings/production.py) refuses to start without its secrets.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A source checkout keeps its data beside pyproject.toml; an installed package uses the working directory.
_CHECKOUT = PACKAGE_DIR.parent.parent
BASE_DIR = Path(
    os.environ.get("CLEANASIA_BASE_DIR", _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd())
).resolve()
DATA_DIR = Path(os.environ.get("CLEANASIA_DATA_DIR", BASE_DIR / "data")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development key, only ever used on the embedded default; production demands its own.
SECRET_KEY = os.environ.get("CLEANASIA_SECRET_KEY", "insecure-embedded-default-key-change-me-for-any-shared-deployment")
DEBUG = env_bool("CLEANASIA_DEBUG", False)
ALLOWED_HOSTS = env_list("CLEANASIA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CLEANASIA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "cleanasia.core",
    "cleanasia.accounts",
    "cleanasia.directory",
    "cleanasia.framework",
    "cleanasia.portal",
    "cleanasia.measures",
    "cleanasia.meetings",
    "cleanasia.network",
    "cleanasia.cobenefits",
    "cleanasia.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cleanasia.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cleanasia.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last: it turns lockouts raised by authenticate() into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cleanasia.urls"
WSGI_APPLICATION = "cleanasia.wsgi.application"

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
                "cleanasia.core.context_processors.platform",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'cleanasia.sqlite3'}"),
        # Persistent connections are worth 2-3x on PostgreSQL (MEASURED.md).
        conn_max_age=int(os.environ.get("CLEANASIA_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer writes; IMMEDIATE avoids "database is locked"
    # upgrades inside transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own cache (no cache server to run, the deployment may be a single host); what
# is cached is keyed by data generations held in the database (core.cache), so every worker sees a change
# at once. Room for the meeting pages of a few hundred readers (about 20 KB each).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cleanasia",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CLEANASIA_CACHE_ENTRIES", "3000"))},
    }
}

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:staff-home"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_RESET_TIMEOUT = int(os.environ.get("CLEANASIA_PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24)))

# Failed sign-ins: lock the account/address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CLEANASIA_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CLEANASIA_AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# Count failures per address whatever its letter case (sign-in page, admin and API token alike).
AXES_USERNAME_CALLABLE = "cleanasia.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Second factor (TOTP): required for secretariat and administrator accounts.
OTP_TOTP_ISSUER = "Clean Asia Platform"
CLEANASIA_REQUIRE_2FA_ROLES = env_list("CLEANASIA_REQUIRE_2FA_ROLES", "secretariat,admin")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "cleanasia.core.views.errors.csrf_failure"

# --- E-mail ---------------------------------------------------------------
# console (default), file (writes to data/mail), or smtp (EMAIL_HOST etc.).
_email = os.environ.get("CLEANASIA_EMAIL_BACKEND", "console")
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}.get(_email, _email)
EMAIL_FILE_PATH = os.environ.get("CLEANASIA_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("CLEANASIA_FROM_EMAIL", "Clean Asia Platform <noreply@cleanasia.invalid>")
# Absolute links in e-mails sent outside a request (invitations, confirmations, reminders from cron).
CLEANASIA_SITE_URL = os.environ.get("CLEANASIA_SITE_URL", "http://localhost:8000").rstrip("/")

# --- Uploads (meeting documents) ------------------------------------------
CLEANASIA_MAX_UPLOAD_MB = int(os.environ.get("CLEANASIA_MAX_UPLOAD_MB", "20"))
# A virus scanner run on every upload, e.g. "clamdscan --no-summary --fdpass" (the file path is appended);
# a non-zero exit refuses the upload. Unset: uploads are recorded as not scanned.
CLEANASIA_VIRUS_SCAN_COMMAND = os.environ.get("CLEANASIA_VIRUS_SCAN_COMMAND", "")
CLEANASIA_VIRUS_SCAN_TIMEOUT = int(os.environ.get("CLEANASIA_VIRUS_SCAN_TIMEOUT", "120"))

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("CLEANASIA_TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cleanasia.formats"]
# Content fields: ja and en; a missing translation falls back to the other language
# and the templates show a marker (core/templatetags/bilingual.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ja"), "ja": ("en",), "en": ("ja",)}
MODELTRANSLATION_AUTO_POPULATE = False

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CLEANASIA_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up about a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CLEANASIA_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("CLEANASIA_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve from the finders when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Background work ------------------------------------------------------
# Inline on the embedded default; a database queue and `cleanasia db_worker` in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CLEANASIA_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "cleanasia.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cleanasia.api.problems.problem_exception_handler",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CLEANASIA_API_ANON_RATE", "600/min"),
        "user": os.environ.get("CLEANASIA_API_USER_RATE", "3000/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clean Asia Platform API",
    "DESCRIPTION": (
        "Reference data and the modules of the Clean Asia Initiative platform. "
        "Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "cleanasia.api.schema.ApiSchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cleanasia.api.schema.add_problem_responses",
    ],
    # Two models have a "kind" field with different choices; name both enums.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "cleanasia.directory.models.OrganisationKind",
        "FrameworkNodeKindEnum": "cleanasia.framework.models.NodeKind",
        "MeasureKindEnum": "cleanasia.measures.models.MeasureKind",
        "PeriodKindEnum": "cleanasia.measures.models.PeriodKind",
        # Fields named status, kind and language carry different choices in several modules: name each set.
        "LanguageEnum": "cleanasia.settings.base.LANGUAGES",
        "MeasureStatusEnum": "cleanasia.measures.models.MeasureStatus",
        "MeetingStatusEnum": "cleanasia.meetings.models.MeetingStatus",
        "OutcomeStatusEnum": "cleanasia.meetings.models.OutcomeStatus",
        "OutcomeKindEnum": "cleanasia.meetings.models.OutcomeKind",
        "ElementKindEnum": "cleanasia.meetings.models.ElementKind",
        "ActionStatusEnum": "cleanasia.meetings.models.ActionStatus",
        "ProgressStatusEnum": "cleanasia.measures.models.ProgressStatus",
        "MeetingLevelEnum": "cleanasia.meetings.models.MeetingLevel",
        "WorkingGroupStatusEnum": "cleanasia.network.models.GroupStatus",
        "WorkPlanStatusEnum": "cleanasia.network.models.WorkPlanStatus",
        "GroupRoleEnum": "cleanasia.network.models.GroupRole",
        "ParticipantRoleEnum": "cleanasia.meetings.models.ParticipantRole",
        "NominationStateEnum": "cleanasia.network.models.NominationState",
        "ProjectStatusEnum": "cleanasia.network.models.ProjectStatus",
        "OutputKindEnum": "cleanasia.network.models.OutputKind",
        "PackageKindEnum": "cleanasia.network.models.PackageKind",
        "NeedStatusEnum": "cleanasia.network.models.NeedStatus",
        "TrainingLevelEnum": "cleanasia.network.models.TrainingLevel",
        "TrainingModeEnum": "cleanasia.network.models.TrainingMode",
        "TraineeStateEnum": "cleanasia.network.models.TraineeState",
        "AttendanceStatusEnum": "cleanasia.network.models.AttendanceStatus",
        "AssessmentKindEnum": "cleanasia.network.models.AssessmentKind",
        "GenderEnum": "cleanasia.network.models.Gender",
        "CobenefitProjectStatusEnum": "cleanasia.cobenefits.models.ProjectStatus",
    },
    # Swagger UI must not call swagger.io's online validator: the platform runs offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cleanasia.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CLEANASIA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Platform -------------------------------------------------------------
CLEANASIA_SITE_NAME = _("Clean Asia Platform")
# Shown on every page while the database holds demonstration data.
CLEANASIA_DEMO_BANNER = env_bool("CLEANASIA_DEMO_BANNER", True)
