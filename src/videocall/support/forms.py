from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from videocall.core.masking import REVEAL_REASON_MAX, REVEAL_REASON_MIN
from videocall.support.models import TicketCategory, TicketPriority, TicketStatus
from videocall.support.services import BODY_MAX, SUBJECT_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        limit = settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS
        if len(files) > limit:
            raise forms.ValidationError(_("At most %(n)d screenshots.") % {"n": limit})
        return [super(ScreenshotsField, self).clean(item, initial) for item in files]


class TicketOpenForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=TicketCategory.choices)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    message = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    screenshots = ScreenshotsField(
        label=_("Screenshots (optional)"),
        help_text=_("PNG, JPEG, WebP or GIF. Location and camera details are removed before we store them."),
    )


class ContactForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    category = forms.ChoiceField(label=_("Category"), choices=TicketCategory.choices)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    message = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    screenshots = ScreenshotsField(label=_("Screenshots (optional)"))


class ContactReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class StaffReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    internal = forms.BooleanField(label=_("Internal note (the requester never sees it)"), required=False)
    status = forms.ChoiceField(
        label=_("Then set the status to"),
        choices=[("", _("Default (waiting on user for a reply)")), *TicketStatus.choices],
        required=False,
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("None")), *TicketPriority.choices], required=False
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), min_length=REVEAL_REASON_MIN, max_length=REVEAL_REASON_MAX)


class CannedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
