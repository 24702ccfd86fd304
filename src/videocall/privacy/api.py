"""The privacy API for the app: policy version and acknowledgement, consents, export, deletion, restriction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from videocall.core.api import api_auth
from videocall.core.errors import NotFound
from videocall.core.schemas import ProblemOut
from videocall.privacy import selectors, services
from videocall.privacy.archive import archive_response
from videocall.privacy.consents import CONSENT_PURPOSES
from videocall.privacy.models import ConsentRecord, PolicyNotice, PolicyVersion
from videocall.privacy.reauth import require_recent_authentication
from videocall.privacy.schemas import (
    AccountDeleteIn,
    AccountDeleteOut,
    ConsentOut,
    ConsentSetIn,
    ExportCreateIn,
    ExportOut,
    PolicyAcknowledgeIn,
    PolicyAcknowledgeOut,
    PolicyCurrentOut,
    RestrictionOut,
    RestrictionSetIn,
)

router = Router(tags=["privacy"])
_ERRORS = {401: ProblemOut, 404: ProblemOut, 409: ProblemOut, 410: ProblemOut, 422: ProblemOut}


@router.get(
    "/policy/current", response={200: PolicyCurrentOut, 404: ProblemOut}, url_name="privacy_policy_current"
)
def policy_current(request: HttpRequest) -> Any:
    version = selectors.policy_current()
    if version is None:
        raise NotFound()
    acknowledged = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        acknowledged = PolicyNotice.objects.filter(
            user=user, version=version, acknowledged_at__isnull=False
        ).exists()
    return {
        "number": version.number,
        "summary": version.summary,
        "effective_at": version.effective_at,
        "published_at": version.published_at,
        "url": reverse("privacy:policy_version", kwargs={"number": version.number}),
        "text_markdown": version.text,
        "reconsent_purposes": version.reconsent_list,
        "acknowledged": acknowledged,
    }


@router.post(
    "/policy/acknowledge",
    auth=api_auth,
    response={200: PolicyAcknowledgeOut, **_ERRORS},
    url_name="privacy_policy_acknowledge",
)
def policy_acknowledge(request: HttpRequest, payload: PolicyAcknowledgeIn) -> Any:
    version = PolicyVersion.objects.filter(
        number=payload.number, status=PolicyVersion.Status.PUBLISHED
    ).first()
    if version is None:
        raise NotFound()
    notice = services.policy_acknowledge(actor=request.user, version=version)
    return {"number": version.number, "acknowledged_at": notice.acknowledged_at}


def _consents(user: Any) -> list[dict[str, Any]]:
    return [
        {"purpose": p, "label": str(info.label), "description": str(info.description), "granted": granted}
        for (p, info), granted in zip(
            CONSENT_PURPOSES.items(), selectors.consent_choices(user).values(), strict=True
        )
    ]


@router.get(
    "/consents",
    auth=api_auth,
    response={200: list[ConsentOut], 401: ProblemOut},
    url_name="privacy_consents_list",
)
def consents_list(request: HttpRequest) -> Any:
    return _consents(request.user)


@router.post(
    "/consents", auth=api_auth, response={200: list[ConsentOut], **_ERRORS}, url_name="privacy_consent_set"
)
def consent_set(request: HttpRequest, payload: ConsentSetIn) -> Any:
    services.consent_set(
        actor=request.user,
        user=request.user,
        purpose=payload.purpose,
        granted=payload.granted,
        channel=ConsentRecord.Channel.APP,
    )
    return _consents(request.user)


def _export_out(export: Any) -> dict[str, Any]:
    return {
        "id": export.pk,
        "status": export.status,
        "requested_at": export.requested_at,
        "completed_at": export.completed_at,
        "expires_at": export.expires_at,
        "downloaded_at": export.downloaded_at,
        "size_bytes": export.size_bytes,
    }


@router.post(
    "/exports", auth=api_auth, response={202: ExportOut, **_ERRORS}, url_name="privacy_export_create"
)
def export_create(request: HttpRequest, payload: ExportCreateIn) -> Any:
    require_recent_authentication(request)
    export = services.export_request(actor=request.user, user=request.user)
    return Status(202, _export_out(export))


@router.get(
    "/exports/{export_id}", auth=api_auth, response={200: ExportOut, **_ERRORS}, url_name="privacy_export_get"
)
def export_get(request: HttpRequest, export_id: UUID) -> Any:
    return _export_out(selectors.export_for_owner(user=request.user, export_id=export_id))


@router.get(
    "/exports/{export_id}/download",
    auth=api_auth,
    response={200: None, **_ERRORS},
    url_name="privacy_export_download",
)
def export_download(request: HttpRequest, export_id: UUID) -> Any:
    """The archive (application/zip), once, after a recent authentication."""
    export = selectors.export_for_owner(user=request.user, export_id=export_id)
    require_recent_authentication(request)
    return archive_response(services.export_download(actor=request.user, export=export))


@router.post(
    "/account/delete",
    auth=api_auth,
    response={200: AccountDeleteOut, **_ERRORS},
    url_name="privacy_account_delete",
)
def account_delete(request: HttpRequest, payload: AccountDeleteIn) -> Any:
    require_recent_authentication(request)
    services.account_erase(actor=request.user, user=request.user, reason="self_service")
    return {"deleted": True}


@router.post(
    "/restriction",
    auth=api_auth,
    response={200: RestrictionOut, **_ERRORS},
    url_name="privacy_restriction_set",
)
def restriction_set(request: HttpRequest, payload: RestrictionSetIn) -> Any:
    user = services.restriction_set(actor=request.user, user=request.user, restricted=payload.restricted)
    return {"restricted": user.is_restricted}
