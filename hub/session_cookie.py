"""Flask's signed session cookie, with its signing serializer built once per set of keys."""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CachedSigningSessionInterface(SecureCookieSessionInterface):
    """Same cookie, same keys and same checks as Flask's: Flask builds the serializer (and with it a
    trial dump to sniff its type) on every request, twice when the cookie is written. Kept until the
    secret key or its fallbacks change, so a key rotation takes effect on the next request."""

    _cached: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._cached  # one tuple, so a thread never sees a key with another key's serializer
        if cached is None or cached[0] != keys:
            cached = self._cached = (keys, super().get_signing_serializer(app))
        return cached[1]


def init_app(app: Flask) -> None:
    app.session_interface = CachedSigningSessionInterface()
