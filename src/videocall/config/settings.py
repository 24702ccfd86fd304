"""The one settings module: environment variables over safe embedded defaults.

Every variable read here is documented in docs/configuration.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

from videocall.config.env import (
    ConfigurationError,
    embedded_secrets,
    env,
    env_bool,
    env_int,
    env_list,
    secret,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VIDEOCALL_VAR_DIR", str(Path.cwd() / "var")) or "var").resolve()

VIDEOCALL_ENV = (env("VIDEOCALL_ENV", "development") or "development").lower()
if VIDEOCALL_ENV not in {"development", "production", "test"}:
    raise ConfigurationError("VIDEOCALL_ENV must be development, production or test")
PRODUCTION = VIDEOCALL_ENV == "production"

_fallback: dict[str, str] = {} if PRODUCTION else embedded_secrets(VAR_DIR)

SECRET_KEY = secret("SECRET_KEY", production=PRODUCTION, fallback=_fallback)
VIDEOCALL_DATA_KEYS = secret("VIDEOCALL_DATA_KEYS", production=PRODUCTION, fallback=_fallback)
VIDEOCALL_INDEX_KEY = secret("VIDEOCALL_INDEX_KEY", production=PRODUCTION, fallback=_fallback)
VIDEOCALL_METRICS_TOKEN = env("VIDEOCALL_METRICS_TOKEN", _fallback.get("VIDEOCALL_METRICS_TOKEN"))

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG cannot be on with VIDEOCALL_ENV=production")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS is required when VIDEOCALL_ENV=production")
SITE_URL = (env("VIDEOCALL_SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "videocall.staff.apps.StaffAdminConfig",  # django.contrib.admin with the staff console as admin.site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.headless",
    "videocall.core",
    "videocall.audit",
    "videocall.accounts",
    "videocall.privacy",
    "videocall.meetings",
    "videocall.support",
    "videocall.telemetry",
    "videocall.notifications",
    "videocall.staff",
    "videocall.config",  # the composition root: the worker and export_openapi commands
]

MIDDLEWARE = [
    "videocall.staff.metrics.MetricsMiddleware",
    "videocall.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "videocall.core.sessions.IdleSessionTimeoutMiddleware",
    "videocall.telemetry.accesslog.AccessLogMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "videocall.accounts.middleware.ThrottledUserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "videocall.core.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "videocall.config.urls"
WSGI_APPLICATION = "videocall.config.wsgi.application"
ASGI_APPLICATION = "videocall.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "videocall.core.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'videocall.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL or "", conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, rate limits, broker -------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "videocall"}
    }

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
# Without a broker, tasks run in-process (still only after the transaction commits).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}  # each app adds its entries in its block below

# --- Passwords and accounts -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "videocall.core.hashers.VideoCallArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

VIDEOCALL_MINIMUM_AGE = env_int("VIDEOCALL_MINIMUM_AGE", 13)
if not 13 <= VIDEOCALL_MINIMUM_AGE <= 16:
    raise ConfigurationError("VIDEOCALL_MINIMUM_AGE must be between 13 and 16")
VIDEOCALL_REGISTRATION = env("VIDEOCALL_REGISTRATION", "open")

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[VideoCall Network] "
ACCOUNT_SIGNUP_FORM_CLASS = "videocall.accounts.forms.SignupExtraForm"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 1
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
PASSWORD_RESET_TIMEOUT = 3600
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "VideoCall Network"
MFA_ADAPTER = "videocall.accounts.adapter.MFAAdapter"
MFA_RECOVERY_CODE_COUNT = 10
USERSESSIONS_TRACK_ACTIVITY = True
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_SERVE_SPECIFICATION = True
# App tokens: short-lived JWT access tokens bound to a server-side session (stateful validation, so a
# revoked session kills its tokens) and rotating refresh tokens.
HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.jwt.JWTTokenStrategy"  # noqa: S105 - a class path
HEADLESS_JWT_ALGORITHM = env("VIDEOCALL_JWT_ALGORITHM", "HS256") or "HS256"
HEADLESS_JWT_PRIVATE_KEY = env("VIDEOCALL_JWT_PRIVATE_KEY", "") or ""
if HEADLESS_JWT_ALGORITHM not in {"HS256", "RS256"}:
    raise ConfigurationError("VIDEOCALL_JWT_ALGORITHM must be HS256 or RS256")
if HEADLESS_JWT_ALGORITHM == "RS256" and not HEADLESS_JWT_PRIVATE_KEY:
    raise ConfigurationError("VIDEOCALL_JWT_ALGORITHM=RS256 needs VIDEOCALL_JWT_PRIVATE_KEY (PEM)")
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = env_int("VIDEOCALL_JWT_ACCESS_SECONDS", 300)
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{SITE_URL}/accounts/confirm-email/{{key}}/",
    "account_reset_password_from_key": f"{SITE_URL}/accounts/password/reset/key/{{key}}/",
    "account_signup": f"{SITE_URL}/accounts/signup/",
}

# --- Sessions and cookies -------------------------------------------------------------------------
# Session data is encrypted with the data key ring (allauth keeps pending-login emails in it).
SESSION_ENGINE = "videocall.accounts.sessions.cache" if REDIS_URL else "videocall.accounts.sessions.db"
SESSION_COOKIE_AGE = env_int("VIDEOCALL_SESSION_ABSOLUTE_SECONDS", 14 * 24 * 3600)
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = SESSION_COOKIE_AGE
VIDEOCALL_SESSION_IDLE_SECONDS = env_int("VIDEOCALL_SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("VIDEOCALL_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env_int("VIDEOCALL_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_SSL_REDIRECT = env_bool("VIDEOCALL_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("VIDEOCALL_BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env("VIDEOCALL_MEDIA_ROOT", str(VAR_DIR / "media")) or "")
MEDIA_URL = "/media-not-served/"
STORAGE_BACKEND = env("VIDEOCALL_STORAGE", "local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("VIDEOCALL_S3_BUCKET"),
            "endpoint_url": env("VIDEOCALL_S3_ENDPOINT_URL"),
            "region_name": env("VIDEOCALL_S3_REGION"),
            "access_key": env("VIDEOCALL_S3_ACCESS_KEY_ID"),
            "secret_key": env("VIDEOCALL_S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
else:
    raise ConfigurationError("VIDEOCALL_STORAGE must be local or s3")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
VIDEOCALL_UPLOAD_MAX_BYTES = env_int("VIDEOCALL_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = VIDEOCALL_UPLOAD_MAX_BYTES + 1024 * 1024

# --- Email ----------------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL")
if EMAIL_URL:
    _email = dj_email_url.parse(EMAIL_URL)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "VideoCall Network <no-reply@videocall.network>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Product settings -----------------------------------------------------------------------------
VIDEOCALL_SITE_NAME = env("VIDEOCALL_SITE_NAME", "VideoCall Network")
VIDEOCALL_PRIVACY_CONTACT = env("VIDEOCALL_PRIVACY_CONTACT", "privacy@videocall.network")
VIDEOCALL_SUPPORT_CONTACT = env("VIDEOCALL_SUPPORT_CONTACT", "support@videocall.network")
VIDEOCALL_CONTROLLER = env("VIDEOCALL_CONTROLLER", "VideoCall Network")

JITSI_MODE = env("JITSI_MODE", "open")
if JITSI_MODE not in {"open", "self-hosted", "jaas"}:
    raise ConfigurationError("JITSI_MODE must be open, self-hosted or jaas")
JITSI_DOMAIN = env("JITSI_DOMAIN", "meet.jit.si")
JITSI_APP_ID = env("JITSI_APP_ID", "videocall")
JITSI_APP_SECRET = env("JITSI_APP_SECRET")
JITSI_ALGORITHM = env("JITSI_ALGORITHM", "HS256")
JITSI_AUDIENCE = env("JITSI_AUDIENCE", "videocall")
JITSI_SUBJECT = env("JITSI_SUBJECT")
JITSI_PRIVATE_KEY = env("JITSI_PRIVATE_KEY")
JITSI_KEY_ID = env("JITSI_KEY_ID")
JITSI_TOKEN_TTL_SECONDS = env_int("JITSI_TOKEN_TTL_SECONDS", 300)
JITSI_WEBHOOK_SECRET = env("JITSI_WEBHOOK_SECRET")
JITSI_WEBHOOK_TOLERANCE_SECONDS = env_int("JITSI_WEBHOOK_TOLERANCE_SECONDS", 300)
JITSI_SCRIPT_ORIGIN = env("JITSI_SCRIPT_ORIGIN")

# Retention, in days, per data category (0 = keep until the account is deleted, as the policy says).
RETENTION_DAYS = {
    "account": 0,
    "access_log": env_int("RETENTION_ACCESS_LOG_DAYS", 90),
    "ip_address": env_int("RETENTION_IP_ADDRESS_DAYS", 30),
    "crash_reports": env_int("RETENTION_CRASH_REPORTS_DAYS", 90),
    "closed_tickets": env_int("RETENTION_CLOSED_TICKETS_DAYS", 730),
    "exports": env_int("RETENTION_EXPORTS_DAYS", 7),
    "unverified_signups": env_int("RETENTION_UNVERIFIED_SIGNUPS_DAYS", 7),
    "notifications": env_int("RETENTION_NOTIFICATIONS_DAYS", 365),
    "meeting_events": env_int("RETENTION_MEETING_EVENTS_DAYS", 90),
    "meeting_history": 0,
    "audit_log": env_int("RETENTION_AUDIT_LOG_DAYS", 2190),
    "privacy_requests": env_int("RETENTION_PRIVACY_REQUESTS_DAYS", 1095),
}

PUSH_FCM_PROJECT_ID = env("PUSH_FCM_PROJECT_ID")
PUSH_FCM_CREDENTIALS_FILE = env("PUSH_FCM_CREDENTIALS_FILE")
PUSH_FCM_ENDPOINT = env("PUSH_FCM_ENDPOINT", "https://fcm.googleapis.com")
PUSH_APNS_KEY_FILE = env("PUSH_APNS_KEY_FILE")
PUSH_APNS_KEY_ID = env("PUSH_APNS_KEY_ID")
PUSH_APNS_TEAM_ID = env("PUSH_APNS_TEAM_ID")
PUSH_APNS_TOPIC = env("PUSH_APNS_TOPIC")
PUSH_APNS_ENDPOINT = env("PUSH_APNS_ENDPOINT", "https://api.push.apple.com")

# --- Logging: JSON lines, never personal data -----------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "videocall.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

TESTING = os.environ.get("VIDEOCALL_TESTING") == "1"

# User.email is unique through its blind index column (email_index, unique); the encrypted column
# itself cannot carry a unique constraint because every ciphertext is different.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
ACCOUNT_ADAPTER = "videocall.accounts.adapter.AccountAdapter"

# --- notifications ---
from celery.schedules import crontab  # noqa: E402

NOTIFICATIONS_UNSUBSCRIBE_MAILTO = (
    VIDEOCALL_SUPPORT_CONTACT  # the mailto: of List-Unsubscribe; the desk acts on it
)
NOTIFICATIONS_JOB_RECORD_DAYS = 30  # job records and idempotency keys (no personal data) kept this long
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_TRACK_STARTED = True
CELERY_BEAT_SCHEDULE.update(
    {
        "notifications-sweep": {
            "task": "videocall.notifications.tasks.notifications_sweep",
            "schedule": crontab(minute=17, hour=3),
        },
    }
)

# --- support ---
# Closed-ticket retention runs in the privacy center's daily sweep (support/privacy.py).
# One-time links emailed to contact-form visitors (verification, then one per agent reply).
VIDEOCALL_SUPPORT_LINK_TTL_SECONDS = env_int("VIDEOCALL_SUPPORT_LINK_TTL_SECONDS", 24 * 3600)
# How long a visitor who followed such a link may read and answer their thread (signed cookie).
VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS = env_int("VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS", 1800)
VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR = env_int("VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR", 5)
VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR = env_int("VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR", 3)
# How long an agent keeps seeing a requester's unmasked name and email after revealing them.
VIDEOCALL_SUPPORT_REVEAL_SECONDS = env_int("VIDEOCALL_SUPPORT_REVEAL_SECONDS", 900)
# Resolved tickets without activity are closed after this many days (then RETENTION_DAYS applies).
VIDEOCALL_SUPPORT_AUTOCLOSE_DAYS = env_int("VIDEOCALL_SUPPORT_AUTOCLOSE_DAYS", 14)
VIDEOCALL_SUPPORT_MAX_ATTACHMENTS = env_int("VIDEOCALL_SUPPORT_MAX_ATTACHMENTS", 3)

# --- accounts ---
# django-allauth's email and session tables are encrypted: migrations shipped by videocall.accounts.
MIGRATION_MODULES = {
    "account": "videocall.accounts.allauth_migrations.account",
    "usersessions": "videocall.accounts.allauth_migrations.usersessions",
}
MIDDLEWARE += [
    "videocall.accounts.middleware.AgeCheckCookieMiddleware",
    "videocall.accounts.middleware.StaffMFARequiredMiddleware",
    "videocall.accounts.middleware.ReauthenticationRotationMiddleware",
]
VIDEOCALL_AGE_CHECK_COOKIE_SECONDS = env_int("VIDEOCALL_AGE_CHECK_COOKIE_SECONDS", 3600)
VIDEOCALL_AVATAR_SIZE = env_int("VIDEOCALL_AVATAR_SIZE", 512)
# Unverified sign-ups are erased by the privacy center's retention sweep; ended sessions go hourly.
CELERY_BEAT_SCHEDULE.update(
    {
        "accounts-purge-ended-sessions": {
            "task": "videocall.accounts.tasks.purge_ended_sessions",
            "schedule": 3600.0,
        }
    }
)
# Our overrides of allauth's templates (accounts/templates/{allauth,account,mfa}/) must win over the
# allauth apps' own, which come earlier in INSTALLED_APPS.
_template_dirs = TEMPLATES[0]["DIRS"]
assert isinstance(_template_dirs, list)
_template_dirs.append(PACKAGE_DIR / "accounts" / "templates")

# --- telemetry ---
# Access log: buffered in-process, bulk-inserted by a background thread (0 seconds = flush inline
# whenever the batch is full, which the tests use with a batch of 1).
_INLINE_ACCESS_LOG = TESTING or "pytest" in __import__("sys").modules  # tests: no background thread
VIDEOCALL_ACCESS_LOG_ENABLED = env_bool("VIDEOCALL_ACCESS_LOG_ENABLED", True)
VIDEOCALL_ACCESS_LOG_BATCH = env_int("VIDEOCALL_ACCESS_LOG_BATCH", 1 if _INLINE_ACCESS_LOG else 200)
VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = float(
    env("VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS", "0" if _INLINE_ACCESS_LOG else "5") or "5"
)
VIDEOCALL_ACCESS_LOG_MAX_PENDING = env_int("VIDEOCALL_ACCESS_LOG_MAX_PENDING", 20000)
# Crash intake (Sentry-compatible): size limits and a rate limit per project key and minute.
VIDEOCALL_CRASH_MAX_COMPRESSED_BYTES = env_int("VIDEOCALL_CRASH_MAX_COMPRESSED_BYTES", 1024 * 1024)
VIDEOCALL_CRASH_MAX_BYTES = env_int("VIDEOCALL_CRASH_MAX_BYTES", 5 * 1024 * 1024)
VIDEOCALL_CRASH_RATE_PER_MINUTE = env_int("VIDEOCALL_CRASH_RATE_PER_MINUTE", 60)

# --- privacy ---
# Consent choices of visitors who never signed in, and the first-party page-view counts, are swept
# after these many days (13 months: the longest a consent choice is kept before it is asked again).
RETENTION_DAYS["consent_visitors"] = env_int("RETENTION_CONSENT_VISITORS_DAYS", 395)
RETENTION_DAYS["analytics"] = env_int("RETENTION_ANALYTICS_DAYS", 395)
VIDEOCALL_PRIVACY_AUTHORITY_URL = env(
    "VIDEOCALL_PRIVACY_AUTHORITY_URL", "https://edpb.europa.eu/about-edpb/about-edpb/members_en"
)
VIDEOCALL_PRIVACY_NOTICE_BATCH = env_int("VIDEOCALL_PRIVACY_NOTICE_BATCH", 200)
VIDEOCALL_CONSENT_COOKIE = "__Host-vc_consent" if SECURE_COOKIES else "vc_consent"
CELERY_BEAT_SCHEDULE.update(
    {
        "privacy-retention-sweep": {
            "task": "videocall.privacy.tasks.retention_sweep",
            "schedule": crontab(hour=3, minute=17),
        },
        "privacy-policy-continued-use": {
            "task": "videocall.privacy.tasks.policy_record_continued_use",
            "schedule": crontab(hour=4, minute=7),
        },
    }
)

# --- staff ---
# Networks allowed to read /metrics without the bearer token (comma-separated IPs or CIDRs).
VIDEOCALL_METRICS_ALLOW_IPS = env_list("VIDEOCALL_METRICS_ALLOW_IPS", [])
CELERY_BEAT_SCHEDULE.update(
    {
        # `videocall audit-verify` as a job: alerts administrators (in-app + email) when the chain breaks.
        "staff-audit-chain-verify": {"task": "staff.audit_chain_verify", "schedule": 3600.0},
        "staff-retention-sweep": {"task": "staff.retention_sweep", "schedule": 24 * 3600.0},
    }
)
# HSTS preload (SECURE_HSTS_PRELOAD above) commits every subdomain to HTTPS once the domain is
# submitted to the browsers' list: an operator's decision, so the deploy check's reminder is silenced.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# --- core: API CSRF failures ---
# A request under /api/ refused by Django's CSRF middleware answers problem+json (code csrf_failed);
# website pages keep Django's HTML page.
CSRF_FAILURE_VIEW = "videocall.core.views.csrf_failure"
