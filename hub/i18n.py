"""Language choice: Chinese by default, English on request (kept in the session)."""

from babel.support import NullTranslations
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import get_domain, get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = {"zh": "中文", "en": "English"}
_NO_TRANSLATIONS = NullTranslations()


def select_locale() -> str:
    if not has_request_context():
        return "zh"  # CLI commands and background jobs
    for chosen in (session.get("lang"), request.args.get("lang")):
        if chosen in LANGUAGES:
            return chosen
    # No choice in this session (an API token, a new sign-in): the language the person last chose.
    stored = getattr(current_user, "language", None)
    return stored if stored in LANGUAGES else "zh"


def translations():
    """This request's catalogue, looked up once per locale: flask_babel finds it again on every call
    (a page makes dozens), through g's proxy several times and formatting the locale's name. Reads the
    locale flask_babel chose for this context, so force_locale and refresh still take effect."""
    if not has_app_context():
        return _NO_TRANSLATIONS
    state = g._get_current_object()  # one proxy lookup instead of several per call
    locale = getattr(getattr(state, "_flask_babel", None), "babel_locale", None) or get_locale()
    cached = getattr(state, "_hub_translations", None)
    if cached is None or cached[0] is not locale:
        cached = state._hub_translations = (locale, get_domain().get_translations())
    return cached[1]


@pass_context
def template_gettext(context, string: str, **variables) -> str:
    """Jinja's newstyle gettext (escaped when autoescaping, always %-formatted), calling the catalogue
    directly rather than through the template context."""
    text = translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app: Flask) -> None:
    # Templates' _(), gettext and friends (Jinja's newstyle wrappers around them, as flask_babel installs).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    # The most used one, directly; Jinja's `_` would look `gettext` up in the context on every call.
    app.jinja_env.globals["gettext"] = app.jinja_env.globals["_"] = template_gettext

    @app.context_processor
    def languages():
        return {"LANGUAGES": LANGUAGES}
