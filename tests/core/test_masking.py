"""Masking personal data for staff, and the one reason rule for revealing it (videocall.core.masking)."""

import pytest

from videocall.core.errors import ValidationFailed
from videocall.core.masking import (
    REVEAL_REASON_MAX,
    REVEAL_REASON_MIN,
    mask_all,
    mask_email,
    mask_text,
    reveal_reason_clean,
)


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("mia@example.org", "m•••@e•••.org"),
        ("a.very.long.local.part@sub.example.co.uk", "a•••@s•••.uk"),
        ("x@localhost", "x•••@l•••"),
        ("odd@name@example.org", "o•••@e•••.org"),
        ("not-an-address", "•••"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_email(email, masked):
    assert mask_email(email) == masked


def test_masks_do_not_tell_the_length():
    assert mask_email("a@b.org") == mask_email("alexandra@bigcompany.org") == "a•••@b•••.org"
    assert mask_text("Mia Member") == mask_text("Maximilian Müller-Lüdenscheidt") == "M••• M•••"
    assert mask_text("") == "" and mask_text(None) == ""
    assert mask_all("secret") == "••••••" and mask_all("") == ""


@pytest.mark.parametrize("reason", ["", "   ", "x", "too short", " " * 20 + "short" + " " * 20])
def test_a_reveal_needs_a_real_reason(reason):
    with pytest.raises(ValidationFailed) as caught:
        reveal_reason_clean(reason)
    assert caught.value.code == "reason_required" and "reason" in caught.value.fields


def test_reveal_reason_bounds_and_whitespace():
    assert REVEAL_REASON_MIN == 10 and REVEAL_REASON_MAX == 500
    assert reveal_reason_clean("Ticket  4711:\n  confirm address") == "Ticket 4711: confirm address"
    assert reveal_reason_clean("x" * REVEAL_REASON_MIN) == "x" * REVEAL_REASON_MIN
    assert reveal_reason_clean("x" * REVEAL_REASON_MAX) == "x" * REVEAL_REASON_MAX
    with pytest.raises(ValidationFailed):
        reveal_reason_clean("x" * (REVEAL_REASON_MAX + 1))
