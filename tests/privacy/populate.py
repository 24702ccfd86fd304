"""Fill every owned model of the data map for one user, generically, with recognisable values.

Free-text values carry the given ``mark`` so tests can look for them (and for their absence) anywhere.
New models declared in the data map are filled without changes here; a model this cannot build
(unusual required fields) is reported by name so its test factory can be added to ``FACTORIES``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from videocall.core.datamap import data_map

_counter = itertools.count(1)
# Model label -> factory(user, mark) for models the generic filler cannot build.
FACTORIES: dict[str, Callable[[Any, str], Any]] = {}
# A tiny valid PNG (1x1) for image fields.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "00010005fe02fea70000000049454e44ae426082"
)


def _text(mark: str, model: type[models.Model], name: str, max_length: int | None) -> str:
    value = f"{mark}-{model._meta.model_name}-{name}-{next(_counter)}"
    if max_length and len(value) > max_length:
        value = f"{mark}{next(_counter)}"[:max_length]
    return value


def _ip(mark: str) -> str:
    n = next(_counter)
    return f"198.51.{(sum(map(ord, mark)) % 200) + 1}.{n % 250 + 1}"


def _value(field: models.Field, model: type[models.Model], user: Any, mark: str, depth: int) -> Any:
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        target = field.related_model
        if target is get_user_model():
            return user
        if field.null:
            return None
        return fill(target, user, mark, depth=depth + 1)  # type: ignore[arg-type]
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return bool(field.get_default()) if field.has_default() else False
    if isinstance(field, models.FileField):
        return ContentFile(
            PNG if isinstance(field, models.ImageField) else f"file {mark}".encode(), name="f.png"
        )
    if isinstance(field, models.GenericIPAddressField) or field.name in ("ip", "ip_address"):
        return _ip(mark)
    if isinstance(field, models.EmailField) or (
        "email" in field.name and isinstance(field, models.CharField | models.TextField)
    ):
        return f"{mark}{next(_counter)}@example.org"
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.now().date()
    if isinstance(field, models.DurationField):
        return dt.timedelta(minutes=42)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.IntegerField | models.BigIntegerField | models.FloatField):
        if field.unique:
            return 100000 + next(_counter)
        return field.get_default() if field.has_default() and field.get_default() is not None else 1
    if isinstance(field, models.JSONField) or "JSON" in type(field).__name__:
        return {"note": _text(mark, model, field.name, None)}
    if isinstance(field, models.CharField | models.TextField):
        return _text(mark, model, field.name, getattr(field, "max_length", None))
    if field.has_default():
        return field.get_default()
    return None


def fill(model: type[models.Model], user: Any, mark: str, *, depth: int = 0) -> models.Model:
    label = model._meta.label_lower
    if label in FACTORIES:
        return FACTORIES[label](user, mark)
    if depth > 3:
        raise RuntimeError(f"cannot build {label}: relations too deep")
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and (field.auto_created or isinstance(field, models.AutoField)):
            continue
        if field.primary_key and field.has_default():
            continue
        values[field.name] = _value(field, model, user, mark, depth)
    files = {k: v for k, v in values.items() if isinstance(v, ContentFile)}
    for key in files:
        values.pop(key)
    obj = model(**values)
    for key, content in files.items():
        getattr(obj, key).save(content.name, content, save=False)
    with transaction.atomic():
        obj.save()
    return obj


def populate_everything(user: Any, mark: str) -> dict[str, list[models.Model]]:
    """One row of every data-map model that names an owner; returns the rows by model label."""
    made: dict[str, list[models.Model]] = {}
    failures: list[str] = []
    user_model = get_user_model()
    user.first_name, user.last_name = f"{mark}-first", f"{mark}-last"
    user.avatar.save("a.png", ContentFile(PNG + mark.encode()), save=False)
    user.save()
    made[user_model._meta.label_lower] = [user]
    for label, decl in sorted(data_map.models.items()):
        if not decl.owner_path or decl.model is user_model:
            continue
        try:
            made.setdefault(label, []).append(fill(decl.model, user, mark))
        except (IntegrityError, RuntimeError, TypeError, ValueError) as exc:
            failures.append(f"{label}: {exc}")
    if failures:
        raise AssertionError(
            "add a factory in tests/privacy/populate.py FACTORIES for: " + "; ".join(failures)
        )
    return made


def owned_rows(decl: Any, user: Any) -> list[models.Model]:
    return list(decl.model._default_manager.filter(**{decl.owner_path: user.pk}))
