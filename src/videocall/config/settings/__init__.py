"""The settings, one module per topic: environment variables over safe embedded defaults.

``DJANGO_SETTINGS_MODULE`` is this package, ``videocall.config.settings``. Every variable read here is
documented in docs/configuration.md and .env.example (tests/core/test_configuration_docs.py keeps them in
step). No name is defined in two modules, and a module that needs another's value imports it by name
from that module, so the order of the imports below does not matter.
"""

from videocall.config.settings.accounts import *  # noqa: F403
from videocall.config.settings.base import *  # noqa: F403
from videocall.config.settings.cache import *  # noqa: F403
from videocall.config.settings.celery import *  # noqa: F403
from videocall.config.settings.database import *  # noqa: F403
from videocall.config.settings.email import *  # noqa: F403
from videocall.config.settings.jitsi import *  # noqa: F403
from videocall.config.settings.notifications import *  # noqa: F403
from videocall.config.settings.privacy import *  # noqa: F403
from videocall.config.settings.security import *  # noqa: F403
from videocall.config.settings.storage import *  # noqa: F403
from videocall.config.settings.support import *  # noqa: F403
from videocall.config.settings.telemetry import *  # noqa: F403
