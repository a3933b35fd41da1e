"""Error responses: JSON `{"error": {"code", "message"}}` under /api, friendly pages elsewhere."""

import logging
import math
import time

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
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

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


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


def json_error(status: int, message: str, code: str | None = None, field: str | None = None):
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
    if field:
        body["error"]["field"] = field
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
            return json_error(exc.status, exc.message, field=exc.field)
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
