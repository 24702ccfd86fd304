"""Static files (WhiteNoise) and uploaded files (local directory or S3)."""

from __future__ import annotations

from pathlib import Path

from videocall.config.env import ConfigurationError, env, env_int
from videocall.config.settings.base import PACKAGE_DIR, PRODUCTION, VAR_DIR

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
