"""An assessment's feed line is worded from per-language tables (hub.assessments.services._words).

The replay test compares two paths that share this wording, so a wrong word would pass there: here
the line is checked against gettext and url_for called the plain way, in both languages, and a
force_locale inside one request must still change the language.
"""

from itertools import product
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from hub.assessments import scoring, services
from hub.models.assessments import POSITIONS, TERRITORIES


def reference(a) -> str:
    """The line as written before the tables: one gettext per word, url_for per line."""
    words = scoring.describe(a.short_term, a.long_term, a.territory, a.position)
    head = _("Value: %(quadrant)s (short-term %(short)s, long-term %(long)s). Opening: %(territory)s × %(position)s, **%(cls)s**.",
             quadrant=words["quadrant_label"], short=f"{a.short_term:g}", long=f"{a.long_term:g}",
             territory=words["territory_label"], position=words["position_label"], cls=words["class_label"])
    if a.opportunity:
        head = _("%(opportunity)s: %(text)s", opportunity=a.opportunity, text=head)
    link = url_for("assessments.account", account_id=a.account_id, _anchor=f"a{a.id}")
    parts = [head, f"[{_('Open the assessment')}]({link})"]
    if a.note:
        parts.insert(1, a.note)
    return "\n\n".join(parts)


def rows():
    """Every opening, each value quadrant, with and without an opportunity and a note, two accounts."""
    scores = [(8.0, 7.5), (2.0, 9.0), (6.0, 1.0), (0.5, 4.9)]
    for n, ((territory, position), (short, long)) in enumerate(product(product(TERRITORIES, POSITIONS), scores)):
        yield SimpleNamespace(
            id=100 + n, account_id=1 + n % 2, territory=territory, position=position, short_term=short,
            long_term=long, opportunity="二期 %" if n % 3 else "", note="看好 **续约**" if n % 2 else "",
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_line_is_what_gettext_words(app, lang):
    with app.test_request_context("/"), force_locale(lang):
        for a in rows():
            assert services._feed_text(a) == reference(a), (lang, a)


def test_a_forced_language_in_the_same_request_is_followed(app):
    a = next(rows())
    with app.test_request_context("/"):
        with force_locale("zh"):
            chinese = services._feed_text(a)
            assert chinese == reference(a) and "查看评估" in chinese
        with force_locale("en"):
            english = services._feed_text(a)
            assert english == reference(a) and "Open the assessment" in english
        with force_locale("zh"):
            assert services._feed_text(a) == chinese


def test_without_a_request_the_link_is_the_plain_path(app):
    a = next(rows())
    with app.app_context():
        assert f"(/assessments/accounts/{a.account_id}#a{a.id})" in services._feed_text(a)
