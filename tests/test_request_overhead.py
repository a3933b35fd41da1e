"""What the per-request caches must not change: a rotated secret key, a changed or broken search index, the
language of template strings."""

import os
import re

from tests.conftest import login
from tests.search_helpers import index_now, make_document


def test_session_cookie_follows_secret_key_rotation(app, client, people):
    """The cached signing serializer is rebuilt when the key changes: the old key still verifies as a
    fallback, and without it the cookie no longer signs anyone in."""
    login(client, people.emails["staff"])
    assert client.get("/").status_code == 200
    old = app.secret_key
    app.config["SECRET_KEY"] = "rotated-" + old
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert client.get("/").status_code == 200
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/").status_code == 302  # to the sign-in page


def test_healthz_recounts_a_changed_index_and_reports_a_broken_one(app, client, people):
    def index_check():
        return client.get("/healthz").get_json()["checks"]["index"]

    make_document(people, "第一份", pages=["内容"])
    index_now(app)
    first = index_check()["documents"]
    assert index_check()["documents"] == first  # from the cache
    make_document(people, "第二份", pages=["内容"])
    index_now(app)
    assert index_check()["documents"] == first + 1
    folder = app.config["INDEX_DIR"]
    for name in os.listdir(folder):
        if name.endswith(".seg"):
            os.remove(os.path.join(folder, name))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["checks"]["index"]["ok"] is False


def test_template_strings_follow_the_language_of_each_request(app):
    """Cached per catalogue: alternating languages, each page keeps its own language's words."""

    def page(query: str) -> str:
        text = app.test_client().get("/login" + query).get_data(as_text=True)
        return re.sub(r'value="[^"]+"', "", text)  # the CSRF token differs per visitor

    english, chinese = page("?lang=en"), page("")
    assert "Sign in" in english and "登录" in chinese and "登录" not in english
    assert page("?lang=en") == english and page("") == chinese
