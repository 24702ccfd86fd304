from django.apps import apps
from django.db import models

from videocall.core.datamap import DataMap, data_map


def test_every_field_of_every_model_is_declared():
    missing = data_map.undeclared_fields()
    assert missing == [], (
        "fields missing from the data map (declare them in the app's privacy.py): " + ", ".join(missing)
    )


def test_an_undeclared_field_is_named():
    """A model with one undeclared field makes the check name that exact field."""
    User = apps.get_model("accounts", "User")
    probe = DataMap(models=dict(data_map.models), excluded=dict(data_map.excluded))
    decl = probe.models[User._meta.label_lower]
    trimmed = dict(decl.personal)
    trimmed.pop("last_name")
    probe.models[User._meta.label_lower] = type(decl)(decl.model, trimmed, decl.not_personal, decl.owner_path)
    assert "accounts.user.last_name" in probe.undeclared_fields()


def test_retention_keys_exist(settings):
    for decl, name, field in data_map.personal_fields():
        assert field.retention in settings.RETENTION_DAYS, (
            f"{decl.model._meta.label_lower}.{name}: unknown retention {field.retention!r}"
        )


def test_personal_text_fields_are_encrypted():
    """Free text that can hold personal data is stored encrypted (or is a hash/token by design)."""
    allowed_plain = {
        "sessions.session.session_key",
        "sessions.session.session_data",
        "accounts.user.email_index",
        "accounts.user.password",
        "accounts.user.timezone",
        "accounts.user.language",
        "admin.logentry.object_repr",
        "admin.logentry.change_message",
        "account.emailconfirmation.key",
        "privacy.consentrecord.purpose",
        "privacy.consentrecord.channel",
        "privacy.consentrecord.visitor_id",
        "notifications.notification.kind",
        "notifications.notification.url",
        "accounts.device.os_name",
        "accounts.device.os_version",
        "accounts.device.app_version",
        "accounts.device.locale",
        "support.ticket.contact_email_index",
        "support.ticket.link_token_hash",
        "meetings.invitation.email_index",
        # Access log: an HMAC pseudonym of the session, and values from fixed sets (URL names,
        # HTTP methods, session kinds); never free text.
        "telemetry.accesslogentry.session_hash",
        "telemetry.accesslogentry.auth",
        "telemetry.accesslogentry.method",
        "telemetry.accesslogentry.route",
    }
    plain = []
    for decl, name, _field in data_map.personal_fields():
        field = decl.model._meta.get_field(name)
        key = f"{decl.model._meta.label_lower}.{name}"
        is_text = isinstance(field, (models.CharField, models.TextField))
        if is_text and not getattr(field, "encrypted", False) and key not in allowed_plain:
            plain.append(key)
    assert plain == [], f"personal text stored in clear: {plain}"
