"""Accounts. Importing the package (Django does so before any models module) installs the field swap
that keeps django-allauth's personal data encrypted at rest."""

from videocall.accounts.allauth_fields import install as _install_allauth_field_swap

_install_allauth_field_swap()
