"""Request guards and response headers: route policy, CSRF, security headers, URL length."""

import itertools
import logging
import os

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestURITooLarge

from . import policy
from .extensions import csrf

log = logging.getLogger("hub.security")

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RequestIds:
    """Request ids: a random prefix per process and a counter, 16 hex digits like token_hex(8) was;
    unique is all they need to be, and a urandom call per request was a syscall under load."""

    def __init__(self):
        self.reseed()
        os.register_at_fork(after_in_child=self.reseed)  # a forked child must not repeat the parent's

    def reseed(self) -> None:
        self.prefix, self.counter = os.urandom(4).hex(), itertools.count(int.from_bytes(os.urandom(3), "big"))

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter) & 0xFFFFFFFF:08x}"


request_ids = RequestIds()

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


HSTS_SECONDS = 365 * 24 * 3600


BASE_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
)
# Served over HTTPS (HUB_SECURE_COOKIES=1): keep it so.
HTTPS_HEADERS = (*BASE_HEADERS, ("Strict-Transport-Security", f"max-age={HSTS_SECONDS}"))


def header_defaults(config) -> tuple[tuple[str, str], ...]:
    """Built once at import: every response gets them, and none of them changes per request."""
    return HTTPS_HEADERS if config.get("SESSION_COOKIE_SECURE") else BASE_HEADERS


class Guard:
    """WSGI middleware around everything, Socket.IO and static files included (they never reach
    after_request): refuse over-long URLs before anything parses them, add the security headers a
    response does not set itself."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        defaults = header_defaults(self.app.config)

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            extra = [(name, value) for name, value in defaults if name.lower() not in present]
            return start_response(status, list(headers) + extra, exc_info)

        # WSGI strings hold one character per byte, so len() counts bytes.
        length = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))
        if length > self.app.config["MAX_URL_BYTES"]:
            return self.too_long(environ, start)
        return self.wsgi_app(environ, start)

    def too_long(self, environ, start):
        """414 through the usual error handler (JSON under /api, a page elsewhere), with the URL cut off."""
        api = environ.get("PATH_INFO", "").startswith("/api/")
        short = dict(environ, PATH_INFO="/api/" if api else "/", QUERY_STRING="")
        with self.app.request_context(short):
            response = self.app.make_response(self.app.handle_http_exception(RequestURITooLarge()))
        return response(short, start)


def wrap(app: Flask) -> None:
    """Outermost layer: called last in the factory, after Socket.IO and production wrapping."""
    app.wsgi_app = Guard(app, app.wsgi_app)


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


def has_header(headers, lowered_name: str) -> bool:
    """Like `name in headers`, without the KeyError werkzeug raises and catches for a missing one."""
    return any(name.lower() == lowered_name for name, _value in headers)


def check_csrf():
    """Forms and browser API calls carry a CSRF token; bearer-token API calls are not ambient, so skip."""
    if request.method in UNSAFE_METHODS and not uses_bearer_token():
        csrf.protect()


def init_app(app: Flask) -> None:
    @app.before_request
    def guards():
        # From the environ: a missing header through request.headers builds and catches a KeyError.
        g.request_id = request.environ.get("HTTP_X_REQUEST_ID") or request_ids.next()
        response = enforce_route_policy()
        if response is not None:
            return response
        check_csrf()
        return None

    @app.after_request
    def headers(response):
        # nosniff, CSP, frame denial and the rest: added by Guard, around every response.
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if request.endpoint != "static" and not has_header(response.headers, "cache-control"):
            response.headers["Cache-Control"] = "no-store"  # appended last, as setdefault did
        return response
