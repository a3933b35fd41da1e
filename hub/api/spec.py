"""Describe API operations where they are defined; /api/v1/openapi.json is built from these notes.

Each API view handles one HTTP method and is decorated with `operation(...)`. Request bodies
and responses are pydantic models: the same model validates input, shapes output and
becomes the schema, so the document cannot drift from what the code does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pydantic
from flask import current_app, request
from flask_babel import gettext as _
from pydantic import BaseModel

from ..errors import ApiError, ValidationError, refusal


@dataclass
class Operation:
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    multipart: dict[str, Any] | None = None
    binary: str | None = None  # media type of a non-JSON success response
    public: bool = False


def operation(summary: str, tag: str, **kwargs) -> Callable:
    def mark(view: Callable) -> Callable:
        view.openapi = Operation(summary=summary, tag=tag, **kwargs)
        return view

    return mark


def _refusal(exc: pydantic.ValidationError, model: type[BaseModel] | None = None) -> ValidationError:
    """Every complaint as our ValidationError, in the reader's language, with each field's own message."""
    return refusal(exc, tagged=model is not None and issubclass(model, pydantic.RootModel))


def parse_body(model: type[BaseModel]) -> BaseModel:
    """Validate the JSON body against `model`: 400 for malformed JSON, 422 (hub.errors.ValidationError) for invalid fields.

    Strictly, in pydantic's JSON mode: "5" is no number, 5 no text, "true" no boolean, while dates
    (which JSON can only write as text) still parse. Pages validate forms with the same models, laxly.
    """
    if request.get_json(silent=True) is None:
        raise ApiError(400, _("The request body must be a JSON object."))
    try:
        return model.model_validate_json(request.get_data(cache=True), strict=True)
    except pydantic.ValidationError as exc:
        raise _refusal(exc, model) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(request.args.to_dict())
    except pydantic.ValidationError as exc:
        raise _refusal(exc) from None


def respond(model: type[BaseModel], data: Any, status: int = 200):
    """Shape `data` through the response model, so every answer matches its schema.

    pydantic writes the JSON itself (in Rust): dumping to Python values for Flask's encoder cost more
    than the validation. Same values as before; keys come in the model's field order. The validator
    and serializer are called directly (model_validate only passes its defaults on to the same validator).
    """
    shaped = model.__pydantic_validator__.validate_python(data)
    body = model.__pydantic_serializer__.to_json(shaped) + b"\n"
    return current_app.response_class(body, content_type="application/json"), status
