"""Pydantic bases shared by every area's schemas and the API: strict input, UTC-stamped output, a person reference.

They sit below the areas (hub/<area>/schemas.py) and the API alike, so neither has to import the other.
"""

import sys
import typing
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


def _stamp_utc(cls, value):
    """Stored times are naive UTC; say so, so every answer carries an RFC 3339 date-time."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _may_hold_datetime(annotation, module: str) -> bool:
    """Whether a field's annotation admits a datetime; when unsure (an unresolved string), yes."""
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, vars(sys.modules[module]))  # noqa: S307 - our own annotations
        except Exception:  # noqa: BLE001 - a forward reference: stamp it, as the "*" validator did
            return True
    if isinstance(annotation, type):
        return issubclass(annotation, datetime)
    return any(_may_hold_datetime(arg, module) for arg in typing.get_args(annotation) if arg is not Ellipsis)


class Out(BaseModel):
    """Output models: naive datetimes are stamped UTC.

    Only on the fields that may hold one: a validator on every field ("*") was a Python call per field
    of every answer. Each class gets its own validator (the name differs) for the fields it declares;
    those it inherits keep their parent's.
    """

    model_config = ConfigDict(from_attributes=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__", {})
        names = [name for name, annotation in own.items()
                 if not name.startswith("_") and _may_hold_datetime(annotation, cls.__module__)]
        if names:
            # Set before pydantic collects the class's validators (it does so right after this hook).
            validator = field_validator(*names, mode="after", check_fields=False)(classmethod(_stamp_utc))
            setattr(cls, f"_utc_{cls.__name__}", validator)


class UserRef(Out):
    id: int
    name: str
