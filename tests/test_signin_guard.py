"""Sign-in hardening: only same-site `next` paths, the same hash work for every e-mail, rate limits
per e-mail, per address and per person, with clear 429 answers."""

import sys

import werkzeug.security

from hub.auth import services
from hub.extensions import db
from hub.models import User

from .conftest import PASSWORD, csrf_token, login

# Percent-encoded as they arrive in a URL: tab, CR LF, backslash, protocol-relative, other schemes.
HOSTILE_NEXT = [
    "/%09/evil.example/x",
    "/%0d%0aX",
    "/%0aevil",
    "/%5Cevil.example",
    "/%5C/evil.example",
    "//evil.example/x",
    "/%2F/evil.example",
    "https://evil.example/x",
    "https:evil.example",
    "javascript:alert(1)",
    "/%E2%80%AE/evil",  # right-to-left override: invisible, never part of a real path
]
# The same values as a form field carries them (decoded).
HOSTILE_FORM_NEXT = ["/\t/evil.example/x", "/\r\nX", "/\\evil.example", "//evil.example/x", "https://evil.example/x"]


def test_login_ignores_every_off_site_next(app, people):
    """Each hostile `next` lands on the start page after sign-in; none answers 500 or leaves the site."""
    landed = {}
    for value in HOSTILE_NEXT:
        client = app.test_client()
        data = {"email": people.emails["staff"], "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
        response = client.post(f"/login?next={value}", data=data)
        landed[value] = (response.status_code, response.headers.get("Location"))
    assert landed == {value: (302, "/") for value in HOSTILE_NEXT}
    client = app.test_client()  # ...while a same-site path, query and non-ASCII included, is kept
    data = {"email": people.emails["staff"], "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    response = client.post("/login?next=/search/%3Fq%3D%E6%96%87%E6%A1%A3", data=data)
    assert response.headers["Location"] == "/search/?q=%E6%96%87%E6%A1%A3"


def test_language_switch_ignores_every_off_site_next(client):
    """The language form's `next` (copied from the current path) never sends the browser off-site."""
    token = csrf_token(client, "/login")
    landed = {}
    for value in HOSTILE_FORM_NEXT:
        response = client.post("/language/en", data={"next": value, "csrf_token": token})
        landed[value] = (response.status_code, response.headers.get("Location"))
    assert landed == {value: (302, "/") for value in HOSTILE_FORM_NEXT}
    assert client.post("/language/zh", data={"next": "/login", "csrf_token": token}).headers["Location"] == "/login"


def hash_checks(action) -> list[str]:
    """Run `action` and list the method part (`scrypt:N:r:p`) of each werkzeug check_password_hash call."""
    seen = []
    code = werkzeug.security.check_password_hash.__code__

    def profile(frame, event, _arg):
        if event == "call" and frame.f_code is code:
            seen.append(frame.f_locals["pwhash"].split("$")[0])

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return seen


def test_unknown_and_disabled_emails_do_the_same_hash_work(client, people):
    """A wrong password, an unknown e-mail and a disabled person each cost one scrypt check with the same
    parameters, so the answer time does not tell which e-mails exist."""
    stored = db.session.get(User, people.ids["staff"]).password_hash.split("$")[0]
    token = csrf_token(client, "/login")

    def attempt(email, password="wrong-password"):
        response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
        assert response.status_code == 401

    services.set_active(db.session.get(User, people.ids["expert"]), False)
    db.session.commit()
    assert hash_checks(lambda: attempt(people.emails["staff"])) == [stored]
    assert hash_checks(lambda: attempt("nobody@test.hub")) == [stored]
    assert hash_checks(lambda: attempt(people.emails["expert"], PASSWORD)) == [stored]


def test_lock_on_one_email_leaves_others_at_the_same_address(app, people):
    """Wrong tries on a (non-existent) e-mail lock that e-mail only, however it is spelt; colleagues
    behind the same address still sign in."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [login(client, "nobody@test.hub", "nope-nope-nope").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    assert login(client, "  NoBody@Test.hub ", "nope-nope-nope").status_code == 429
    assert login(client, people.emails["staff"]).status_code == 302


def test_address_limit_still_applies_across_emails(app, people):
    """Many e-mails tried from one address hit the (more generous) per-address limit; another address does not."""
    app.config["LOGIN_IP_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [login(client, f"guess{i}@test.hub", "nope-nope-nope").status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(elsewhere, "guess9@test.hub", "nope-nope-nope").status_code == 401


def test_successful_sign_ins_use_up_no_limit(app, people):
    """Only refused passwords count: a whole office signing in from one address is never locked out."""
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    app.config["LOGIN_IP_RATE_LIMIT"] = "2 per minute"
    statuses = [login(app.test_client(), people.emails["staff"]).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 302]


def test_rate_limit_answer_says_when_in_the_readers_language(app, people):
    """The 429 page names the wait in the reader's language and sends Retry-After."""
    app.config["LOGIN_RATE_LIMIT"] = "1 per minute"
    client = app.test_client()
    login(client, "nobody@test.hub", "nope-nope-nope")
    refused = login(client, "nobody@test.hub", "nope-nope-nope")
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= 61
    assert f"请 {wait} 秒后再试" in refused.get_data(as_text=True)
    client.post("/language/en", data={"next": "/login", "csrf_token": csrf_token(client, "/login")})
    english = login(client, "nobody@test.hub", "nope-nope-nope")
    assert "Too many attempts. Please try again in" in english.get_data(as_text=True)


def test_password_change_is_limited_per_person(app, people):
    """Guessing the current password on the profile page is limited per person, not for everyone."""
    app.config["PASSWORD_RATE_LIMIT"] = "2 per minute"
    guesser, other = app.test_client(), app.test_client()
    login(guesser, people.emails["staff"])
    login(other, people.emails["expert"])
    wrong = {"current": "not-it-at-all", "new": "a-new-password-1", "confirm": "a-new-password-1"}
    statuses = [
        guesser.post("/profile/password", data=wrong | {"csrf_token": csrf_token(guesser, "/profile")}).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    right = wrong | {"current": PASSWORD, "csrf_token": csrf_token(other, "/profile")}
    assert other.post("/profile/password", data=right).status_code == 302
    assert db.session.get(User, people.ids["expert"]).check_password("a-new-password-1")
