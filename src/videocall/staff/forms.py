from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from videocall.accounts.models import SiteSettings
from videocall.accounts.services import MINIMUM_AGE_RANGE
from videocall.core.masking import REVEAL_REASON_MAX, REVEAL_REASON_MIN
from videocall.core.permissions import Role


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this?"),
        min_length=REVEAL_REASON_MIN,
        max_length=REVEAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail, e.g. the ticket number you are working on."),
    )


class SiteSettingsForm(forms.Form):
    registration_mode = forms.ChoiceField(label=_("Registration"), choices=SiteSettings.Registration.choices)
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), min_value=MINIMUM_AGE_RANGE[0], max_value=MINIMUM_AGE_RANGE[1]
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(r.value, r.label) for r in Role if r is not Role.MEMBER],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every account is a member; staff roles add console permissions."),
    )
