"""One-click unsubscribe links (RFC 2369 / RFC 8058)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from videocall.accounts.models import User
from videocall.core.errors import NotFound
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import (
    ConsentRecord,
)

from .consent import consent_set

_UNSUBSCRIBE_SALT = "videocall.privacy.unsubscribe"


def unsubscribe_token(user: Any, purpose: ConsentPurpose) -> str:
    """A signed, non-expiring token naming a user and a purpose: the one-click unsubscribe link."""
    return signing.dumps({"u": user.pk, "p": purpose.value}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_headers(
    user: Any, purpose: ConsentPurpose = ConsentPurpose.MARKETING_EMAIL
) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers for a non-transactional email to ``user``."""
    url = settings.SITE_URL + reverse(
        "privacy:unsubscribe", kwargs={"token": unsubscribe_token(user, purpose)}
    )
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_check(*, token: str) -> tuple[Any, ConsentPurpose]:
    """The user and purpose a signed unsubscribe token names; 404 for anything else."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        purpose = ConsentPurpose(data["p"])
        user = User.objects.get(pk=int(data["u"]), is_deleted=False)
    except (signing.BadSignature, KeyError, ValueError, TypeError, User.DoesNotExist) as exc:
        raise NotFound() from exc
    return user, purpose


@transaction.atomic
def unsubscribe_apply(*, token: str) -> ConsentRecord:
    """Withdraw the consent the token names (one click; no sign-in, by design of RFC 8058)."""
    user, purpose = unsubscribe_check(token=token)
    return consent_set(
        actor=user, user=user, purpose=purpose, granted=False, channel=ConsentRecord.Channel.EMAIL
    )
