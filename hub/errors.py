"""Error responses: JSON `{"error": {"code", "message"}}` under /api, friendly pages elsewhere."""

import logging
import math
import time

import pydantic
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("hub.errors")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
}


class ValidationError(ValueError):
    """Input a service refuses: a message for the reader and, when it is about one field, that field.

    Services raise it and never an HTTP error; one handler answers 422 (JSON under /api, the error
    page elsewhere). A page view that re-shows its form catches it to put the message by the field.
    """

    status = 422  # a subclass may answer with a more precise one (a refused upload: 413, 415)

    def __init__(self, message: str, field: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field or next(iter(fields or {}), None)
        # Every refused field with its own message, for forms that show each one under its input.
        self.fields = dict(fields) if fields else ({field: message} if field else {})


# Each pydantic error type as a sentence for whoever filled in the form; %(n)s is the limit it broke.
FIELD_MESSAGES = {
    "missing": _l("Please fill in this field."),
    "string_too_short": _l("At least %(n)s characters."),
    "string_too_long": _l("At most %(n)s characters."),
    "too_short": _l("At least %(n)s entries."),
    "too_long": _l("At most %(n)s entries."),
    "greater_than": _l("Must be more than %(n)s."),
    "greater_than_equal": _l("At least %(n)s."),
    "less_than": _l("Must be less than %(n)s."),
    "less_than_equal": _l("At most %(n)s."),
    "int_parsing": _l("Please give a whole number."),
    "int_type": _l("Please give a whole number."),
    "int_from_float": _l("Please give a whole number."),
    "float_parsing": _l("Please give a number."),
    "float_type": _l("Please give a number."),
    "finite_number": _l("Please give a number."),
    "decimal_parsing": _l("Please give a number."),
    "string_type": _l("Please give text."),
    "bool_type": _l("Please answer yes or no."),
    "bool_parsing": _l("Please answer yes or no."),
    "literal_error": _l("Please choose one of the options."),
    "enum": _l("Please choose one of the options."),
    "union_tag_invalid": _l("Please choose one of the options."),
    "union_tag_not_found": _l("Please choose one of the options."),
    "date_parsing": _l("Please give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _l("Please give a date as YYYY-MM-DD."),
    "date_type": _l("Please give a date as YYYY-MM-DD."),
    "datetime_parsing": _l("Please give a date and time."),
    "datetime_from_date_parsing": _l("Please give a date and time."),
    "datetime_type": _l("Please give a date and time."),
    "extra_forbidden": _l("This field is not expected here."),
    "dict_type": _l("Please give an object."),
    "model_type": _l("Please give an object."),
    "model_attributes_type": _l("Please give an object."),
    "list_type": _l("Please give a list."),
}
LIMITS = ("min_length", "max_length", "gt", "ge", "lt", "le")


class FieldProblem(ValueError):
    """Raised by a schema validator with a message already in the reader's language, shown as it is."""


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def field_message(err: dict) -> str:
    """One pydantic complaint as a sentence in the reader's language (never pydantic's English)."""
    ctx = err.get("ctx") or {}
    if isinstance(ctx.get("error"), FieldProblem):
        return str(ctx["error"])
    if err.get("type") == "string_too_short" and ctx.get("min_length") == 1:
        return str(FIELD_MESSAGES["missing"])
    template = FIELD_MESSAGES.get(err.get("type", ""))
    if template is None:
        return _("This value is not valid.")
    limit = next((ctx[k] for k in LIMITS if k in ctx), "")
    return template % {"n": _number(limit)}


def field_name(loc, tagged: bool = False) -> str:
    """The dotted field a complaint is about; a tagged union's first step (the tag itself) is left out."""
    parts = [str(p) for p in loc if not str(p).startswith(("function-", "tagged-union["))]
    if tagged and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts)


def field_errors(exc: pydantic.ValidationError, tagged: bool = False) -> dict[str, str]:
    """{field: message} for every refused field, the first complaint of each, in the reader's language."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = field_name(err.get("loc", ()), tagged)
        if not name and str(err.get("type", "")).startswith("union_tag"):
            name = str((err.get("ctx") or {}).get("discriminator", "")).strip("'")  # the missing `kind`
        fields.setdefault(name, field_message(err))
    return fields


def refusal(exc: pydantic.ValidationError, tagged: bool = False) -> ValidationError:
    """A schema's refusal as our ValidationError: every field with its message, the first one as the headline."""
    fields = field_errors(exc, tagged)
    first, message = next(iter(fields.items()))
    if not first:  # the body as a whole (not an object, say)
        return ValidationError(message)
    return ValidationError(message, field=first, fields={k: v for k, v in fields.items() if k})


class ApiError(Exception):
    """Raised by services and API views to answer with a clear JSON error."""

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")


def default_message(status: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in first."),
        403: _("You do not have permission to do that."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("That conflicts with the current state."),
        413: _("The upload is too large."),
        414: _("The address is too long."),
        415: _("This file type is not supported."),
        422: _("Some fields are invalid."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. It has been logged."),
    }.get(status, _("Error"))


def retry_after() -> int | None:
    """Seconds until the breached rate limit of this request lets the caller try again."""
    from .extensions import limiter

    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


def json_error(status: int, message: str, code: str | None = None, field: str | None = None,
               fields: dict[str, str] | None = None):
    """The API's error body; `fields` maps each refused field to its message, for forms to show by the field."""
    if field and not message.startswith(f"{field}:"):
        message = f"{field}: {message}"  # clients that read only the message still learn which field
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
    if field:
        body["error"]["field"] = field
    if fields:
        body["fields"] = fields
    return jsonify(body), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return json_error(exc.status, exc.message, exc.code)

    @app.errorhandler(ValidationError)
    def validation_error(exc: ValidationError):
        from .extensions import db

        db.session.rollback()  # nothing half-done survives a refusal
        if request.path.startswith("/api/"):
            return json_error(exc.status, exc.message, field=exc.field, fields=exc.fields)
        return render_template("error.html", status=exc.status, message=exc.message), exc.status

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = _("The form expired or its security token is missing. Please reload and try again.")
        if request.path.startswith("/api/"):
            return json_error(400, message, "csrf")
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = default_message(status)
        headers = {}
        wait = retry_after() if status == 429 else None
        if wait is not None:
            message = _("Too many attempts. Please try again in %(seconds)d seconds.", seconds=wait)
            headers["Retry-After"] = str(wait)
        if request.path.startswith("/api/"):
            if status == 400 and exc.description and "JSON" in exc.description:
                message = _("The request body is not valid JSON.")
            body, status = json_error(status, message)
            return body, status, headers
        return render_template("error.html", status=status, message=message), status, headers

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if isinstance(exc, OverflowError | DataError):
            # A number too big for its column: the input is out of range, not a server fault.
            from .extensions import db

            db.session.rollback()
            message = _("A number in the request is out of range.")
            if request.path.startswith("/api/"):
                return json_error(422, message)
            return render_template("error.html", status=422, message=message), 422
        log.exception("unhandled error on %s %s", request.method, request.path)
        return http_error(InternalServerError())
