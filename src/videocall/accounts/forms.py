"""Website forms. The sign-up extras are also the fields of the app's headless sign-up payload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.core import context
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.accounts import agegate

NAME_MAX_LENGTH = 150

AGE_REFUSAL = _(
    "Thank you for your interest. We are sorry, but we cannot create an account for you. "
    "Nothing you entered has been kept."
)


class SignupExtraForm(forms.Form):
    """``ACCOUNT_SIGNUP_FORM_CLASS``: allauth adds these fields to its sign-up form and to the headless
    ``POST /auth/v1/auth/signup`` input. The date of birth is neutral (no hint of the limit) and never
    stored; below the minimum age the form is invalid, so allauth creates nothing."""

    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX_LENGTH)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"})
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "date_of_birth"]

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def clean_date_of_birth(self) -> dt.date:
        birth: dt.date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if birth > today or birth.year < today.year - 130:
            raise ValidationError(_("Please enter a valid date."), code="invalid")
        return birth

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        request = getattr(context, "request", None)
        birth = cleaned.get("date_of_birth")
        refused = agegate.recently_failed(request) or (birth is not None and not agegate.is_old_enough(birth))
        if refused:
            agegate.mark_failed(request)
            # Nothing of the attempt may be kept, not even in the form's data or the re-rendered page.
            self.cleaned_data = {}
            self.data = {}
            raise ValidationError(AGE_REFUSAL, code="age_check_failed")
        cleaned.pop("date_of_birth", None)
        return cleaned

    def signup(self, request: Any, user: Any) -> None:
        """allauth calls this after saving the user; names were already set by the adapter."""


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX_LENGTH)
    timezone = forms.CharField(label=_("Time zone"), max_length=64)
    language = forms.ChoiceField(label=_("Language"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        language: Any = self.fields["language"]
        language.choices = [(code, name) for code, name in settings.LANGUAGES]

    def clean_timezone(self) -> str:
        import zoneinfo

        value = self.cleaned_data["timezone"].strip()
        if value not in zoneinfo.available_timezones():
            raise ValidationError(_("Choose a valid time zone, for example Europe/Berlin."))
        return value


class AvatarForm(forms.Form):
    picture = forms.FileField(label=_("Profile picture"), help_text=_("JPEG, PNG or WebP."))
