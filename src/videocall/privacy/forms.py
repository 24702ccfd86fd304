from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from videocall.core.datamap import Category
from videocall.privacy.consents import CONSENT_PURPOSES
from videocall.privacy.models import PrivacyRequest

_PUBLIC_KINDS = [
    (k, label) for k, label in PrivacyRequest.Kind.choices if k != PrivacyRequest.Kind.COMPLAINT
] + [(PrivacyRequest.Kind.COMPLAINT, PrivacyRequest.Kind.COMPLAINT.label)]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), choices=_PUBLIC_KINDS)
    email = forms.EmailField(label=_("Your email address"), max_length=254, required=False)
    message = forms.CharField(label=_("Your message"), widget=forms.Textarea, max_length=5000)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["email"]
        else:
            self.fields["email"].required = True


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"), max_length=20, help_text=_("This cannot be undone.")
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != "DELETE":
            raise forms.ValidationError(_("Type DELETE in capital letters to confirm."))
        return value


class PolicyDraftForm(forms.Form):
    text = forms.CharField(label=_("Policy text (Markdown)"), widget=forms.Textarea, max_length=100000)
    summary = forms.CharField(
        label=_("Summary of changes"), widget=forms.Textarea, max_length=5000, required=False
    )
    effective_at = forms.DateTimeField(label=_("Effective date (UTC)"))
    reconsent_purposes = forms.MultipleChoiceField(
        label=_("Consent purposes this version changes (asked again)"),
        choices=[(p.value, info.label) for p, info in CONSENT_PURPOSES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class RequestUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "—"), *PrivacyRequest.Status.choices], required=False)
    verification = forms.ChoiceField(
        choices=[("", "—"), *PrivacyRequest.Verification.choices], required=False
    )
    note = forms.CharField(widget=forms.Textarea, max_length=2000, required=False)


class RequestExtendForm(forms.Form):
    months = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int)
    reason = forms.CharField(widget=forms.Textarea, max_length=2000)


class LegalHoldForm(forms.Form):
    categories = forms.MultipleChoiceField(
        choices=[(c.value, c.value) for c in Category], widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(widget=forms.Textarea, max_length=2000)
    review_at = forms.DateField()
