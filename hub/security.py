"""Request guards and response headers: route policy, CSRF, security headers."""

import logging
import secrets

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import current_user

from . import policy
from .extensions import csrf

log = logging.getLogger("hub.security")

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def uses_bearer_token() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def enforce_route_policy():
    """Refuse the request unless policy.ROUTES admits the caller to this endpoint."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404/405 handler answers
    audience = policy.route_audience(endpoint)
    if audience is None:
        log.error("no policy decision for endpoint %s; refusing", endpoint)
        abort(403)
    role = policy.role_of(current_user)
    if policy.audience_admits(audience, role):
        return None
    if role == "anonymous":
        if is_api_request():
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def check_csrf():
    """Forms and browser API calls carry a CSRF token; bearer-token API calls are not ambient, so skip."""
    if request.method in UNSAFE_METHODS and not uses_bearer_token():
        csrf.protect()


def init_app(app: Flask) -> None:
    @app.before_request
    def guards():
        g.request_id = request.headers.get("X-Request-Id") or secrets.token_hex(8)
        response = enforce_route_policy()
        if response is not None:
            return response
        check_csrf()
        return None

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
