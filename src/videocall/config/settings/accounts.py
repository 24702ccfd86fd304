"""Passwords, sign-up and sign-in (django-allauth), MFA, app tokens (allauth headless)."""

from __future__ import annotations

from videocall.config.env import ConfigurationError, env, env_int
from videocall.config.settings.base import PRODUCTION, SITE_URL
from videocall.config.settings.security import SESSION_COOKIE_AGE

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
VIDEOCALL_AGE_CHECK_COOKIE_SECONDS = env_int("VIDEOCALL_AGE_CHECK_COOKIE_SECONDS", 3600)
VIDEOCALL_AVATAR_SIZE = env_int("VIDEOCALL_AVATAR_SIZE", 512)

# --- django-allauth -------------------------------------------------------------------------------
ACCOUNT_ADAPTER = "videocall.accounts.adapter.AccountAdapter"
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
# django-allauth's email and session tables are encrypted: migrations shipped by videocall.accounts.
MIGRATION_MODULES = {
    "account": "videocall.accounts.allauth_migrations.account",
    "usersessions": "videocall.accounts.allauth_migrations.usersessions",
}

# --- App clients (allauth headless) ---------------------------------------------------------------
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
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = SESSION_COOKIE_AGE
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{SITE_URL}/accounts/confirm-email/{{key}}/",
    "account_reset_password_from_key": f"{SITE_URL}/accounts/password/reset/key/{{key}}/",
    "account_signup": f"{SITE_URL}/accounts/signup/",
}
