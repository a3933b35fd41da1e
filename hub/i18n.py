"""Language choice: Chinese by default, English on request (kept in the session)."""

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import get_domain, get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = {"zh": "中文", "en": "English"}
# Parsed once: flask_babel parses whatever the selector returns on every request, and passes a Locale through.
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}
_NO_TRANSLATIONS = NullTranslations()
# Per catalogue, the finished text of each template string without variables; bounded, in case a template
# passes data through _().
_TEXTS_PER_CATALOGUE = 4000


def select_locale() -> str:
    if not has_request_context():
        return "zh"  # CLI commands and background jobs
    for chosen in (session.get("lang"), request.args.get("lang")):
        if chosen in LANGUAGES:
            return chosen
    # No choice in this session (an API token, a new sign-in): the language the person last chose.
    stored = getattr(current_user, "language", None)
    return stored if stored in LANGUAGES else "zh"


def babel_locale() -> Locale:
    """flask_babel's locale selector: the language select_locale chooses, as its parsed Locale."""
    code = select_locale()
    return _LOCALES.get(code) or Locale.parse(code)


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
    directly rather than through the template context. Without variables the result depends only on the
    catalogue, the string and autoescaping, so it is kept on the catalogue (a page makes ~75 such calls)."""
    catalogue = translations()
    autoescape = context.eval_ctx.autoescape
    if variables or type(string) is not str:
        return _finish(catalogue.ugettext(string), autoescape, variables)
    texts = catalogue.__dict__.get("_hub_template_texts")
    if texts is None:
        texts = catalogue.__dict__.setdefault("_hub_template_texts", {})
    key = (string, bool(autoescape))
    text = texts.get(key)
    if text is None:
        text = _finish(catalogue.ugettext(string), autoescape, variables)
        if len(texts) < _TEXTS_PER_CATALOGUE:
            texts[key] = text
    return text


def _finish(text: str, autoescape, variables: dict) -> str:
    if autoescape:
        text = Markup(text)
    return text % variables  # always %-formatted, variables or not, as Jinja's own gettext


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
