"""Language choice: Chinese by default, English on request (kept in the session)."""

from flask import Flask, has_request_context, request, session
from flask_login import current_user

LANGUAGES = {"zh": "中文", "en": "English"}


def select_locale() -> str:
    if not has_request_context():
        return "zh"  # CLI commands and background jobs
    for chosen in (session.get("lang"), request.args.get("lang")):
        if chosen in LANGUAGES:
            return chosen
    # No choice in this session (an API token, a new sign-in): the language the person last chose.
    stored = getattr(current_user, "language", None)
    return stored if stored in LANGUAGES else "zh"


def init_app(app: Flask) -> None:
    @app.context_processor
    def languages():
        return {"LANGUAGES": LANGUAGES}
