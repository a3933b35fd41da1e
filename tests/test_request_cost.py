"""What every request pays before its view: the person behind a token or a sign-in cookie comes in one
statement, and templates' gettext finds the request's catalogue once yet follows force_locale."""


from flask import render_template_string, request
from flask_babel import force_locale

from hub.auth import loaders, sessions
from hub.extensions import db
from hub.models import User

from .statements import counted_statements


def test_a_token_request_finds_its_person_in_one_statement(app, people):
    db.session.commit()
    with app.app_context(), app.test_request_context("/api/v1/me", headers=people.auth("staff")):
        loaders.load_from_token(request)  # the once-a-minute "last used" write
        db.session.expire_all()
        with counted_statements() as statements:
            user = loaders.load_from_token(request)
            assert user.id == people.ids["staff"] and user.active and user.role == "staff"
            assert user.department_ids == {people.departments["A"]}  # policy's question, no second statement
    assert len(statements) == 1, statements


def test_a_signed_in_request_finds_its_person_in_one_statement(app, people):
    with app.test_request_context("/"):
        expert = db.session.get(User, people.ids["expert"])
        sessions.sign_in(expert)
        key = expert.login_key
    db.session.expire_all()
    with app.app_context(), app.test_request_context("/"), counted_statements() as statements:
        user = sessions.resolve(key)
        assert user.id == people.ids["expert"] and user.active and user.language in (None, "zh", "en")
        assert user.department_ids == {people.departments["B"]}
    assert len(statements) == 1, statements


def test_template_gettext_follows_force_locale_within_one_request(app):
    page = "{{ _('Documents') }}|{{ gettext('Sign in') }}"
    with app.app_context(), app.test_request_context("/"):
        assert render_template_string(page) == "文档|登录"
        with force_locale("en"):
            assert render_template_string(page) == "Documents|Sign in"
        assert render_template_string(page) == "文档|登录"
    with app.app_context(), app.test_request_context("/?lang=en"):  # a request of its own (own g)
        assert render_template_string(page) == "Documents|Sign in"
