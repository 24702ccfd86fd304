"""Environment, secrets, hosts, applications, middleware, templates, language and logging."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from videocall.config.env import (
    ConfigurationError,
    embedded_secrets,
    env,
    env_bool,
    env_list,
    secret,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent  # src/videocall
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

# --- Product --------------------------------------------------------------------------------------
VIDEOCALL_SITE_NAME = env("VIDEOCALL_SITE_NAME", "VideoCall Network")
VIDEOCALL_PRIVACY_CONTACT = env("VIDEOCALL_PRIVACY_CONTACT", "privacy@videocall.network")
VIDEOCALL_SUPPORT_CONTACT = env("VIDEOCALL_SUPPORT_CONTACT", "support@videocall.network")
VIDEOCALL_CONTROLLER = env("VIDEOCALL_CONTROLLER", "VideoCall Network")

# --- Applications and middleware ------------------------------------------------------------------
INSTALLED_APPS = [
    "videocall.staff.apps.StaffAdminConfig",  # django.contrib.admin with the staff console as admin.site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",  # django-csp: its system checks on CONTENT_SECURITY_POLICY
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
    "videocall.core.metrics.MetricsMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy from CONTENT_SECURITY_POLICY (security.py)
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
    # accounts: the age-check cookie, MFA for staff, a new session key after reauthentication
    "videocall.accounts.middleware.AgeCheckCookieMiddleware",
    "videocall.accounts.middleware.StaffMFARequiredMiddleware",
    "videocall.accounts.middleware.ReauthenticationRotationMiddleware",
]

ROOT_URLCONF = "videocall.config.urls"
WSGI_APPLICATION = "videocall.config.wsgi.application"
ASGI_APPLICATION = "videocall.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our overrides of allauth's templates (accounts/templates/{allauth,account,mfa}/) must win over
        # the allauth apps' own, which come earlier in INSTALLED_APPS.
        "DIRS": [PACKAGE_DIR / "templates", PACKAGE_DIR / "accounts" / "templates"],
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

SILENCED_SYSTEM_CHECKS = [
    # User.email is unique through its blind index column (email_index, unique); the encrypted column
    # itself cannot carry a unique constraint because every ciphertext is different.
    "auth.W004",
    # HSTS preload (SECURE_HSTS_PRELOAD in settings/security.py) commits every subdomain to HTTPS once
    # the domain is submitted to the browsers' list: an operator's decision, so the deploy check's
    # reminder is silenced.
    "security.W021",
]

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

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
