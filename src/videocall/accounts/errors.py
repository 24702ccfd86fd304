"""The accounts app's error codes (sign-up rules the staff console sets, among others)."""

from __future__ import annotations

from videocall.core.errors import ProblemCode


class AccountsError(ProblemCode):
    REGISTRATION_MODE = "registration_mode"  # unknown registration mode
    MINIMUM_AGE = "minimum_age"  # outside the allowed minimum-age range
