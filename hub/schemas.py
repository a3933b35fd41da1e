"""Pydantic bases shared by every area's schemas and the API: strict input, UTC-stamped output, a person reference.

They sit below the areas (hub/<area>/schemas.py) and the API alike, so neither has to import the other.
"""

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value):
        """Stored times are naive UTC; say so, so every answer carries an RFC 3339 date-time."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class UserRef(Out):
    id: int
    name: str
