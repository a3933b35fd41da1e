"""Signing in and out, sessions, CSRF, rate limits, tokens."""

from sqlalchemy import select

from hub.extensions import db
from hub.models import AccessToken, User

from .conftest import PASSWORD, csrf_token, login


def test_password_is_stored_as_scrypt_hash(people):
    """Passwords are never stored in clear: the row holds a salted scrypt hash."""
    user = db.session.get(User, people.ids["staff"])
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_wrong_password_is_refused_with_message(client, people):
    """A wrong password re-shows the form with a clear message and signs nobody in."""
    response = login(client, people.emails["staff"], "wrong-password")
    assert response.status_code == 401
    assert "邮箱或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_rotates_the_session(app, client, people):
    """Sign-in issues a new session; the cookie from before sign-in carries no identity."""
    client.get("/login")
    before = client.get_cookie("session").value
    login(client, people.emails["staff"])
    after = client.get_cookie("session").value
    assert before != after
    stranger = app.test_client()
    stranger.set_cookie("session", before)
    assert stranger.get("/").status_code == 302


def test_password_change_signs_out_other_sessions(app, people):
    """Changing the password ends the person's other sessions, keeps the current one."""
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, people.emails["staff"])
    login(phone, people.emails["staff"])
    data = {"current": PASSWORD, "new": "a-new-password-1", "confirm": "a-new-password-1"}
    laptop.post("/profile/password", data=data | {"csrf_token": csrf_token(laptop, "/profile")})
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_customer_lands_in_portal(client, people):
    """A customer user signs in at the same page and lands in their portal."""
    response = login(client, people.emails["customer"])
    assert response.headers["Location"].endswith("/portal/")
    assert client.get("/").headers["Location"].endswith("/portal/")


def test_open_redirect_is_ignored(client, people):
    """A `next` pointing off-site is ignored after sign-in."""
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": people.emails["staff"], "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_form_without_csrf_token_is_refused(client, people):
    """Posting a form without its CSRF token is refused with 400 and changes nothing."""
    response = client.post("/login", data={"email": people.emails["staff"], "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_session_api_call_needs_csrf_header(login_as, people):
    """A browser API call using the session cookie needs the CSRF header; without it nothing is stored."""
    client = login_as("staff")
    dept = people.departments["A"]
    refused = client.post(f"/api/v1/departments/{dept}/questions", json={"title": "无令牌"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf"
    token = csrf_token(client, "/profile")
    ok = client.post(f"/api/v1/departments/{dept}/questions", json={"title": "有令牌"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 201


def test_login_is_rate_limited(app, people):
    """Repeated sign-in attempts from one address get 429."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [login(client, people.emails["staff"], "nope-nope-nope").status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


def test_disabled_user_token_and_session_stop_at_once(app, client, people):
    """Disabling a person ends their token and their open session at once."""
    from hub.auth import services

    signed_in = app.test_client()
    login(signed_in, people.emails["staff"])
    assert client.get("/api/v1/me", headers=people.auth("staff")).status_code == 200
    services.set_active(db.session.get(User, people.ids["staff"]), False)
    db.session.commit()
    assert client.get("/api/v1/me", headers=people.auth("staff")).status_code == 401
    assert signed_in.get("/").status_code == 302


def test_token_created_and_revoked_on_profile(login_as, people):
    """A token made on the profile page works once shown, and stops working when revoked; only its hash is stored."""
    client = login_as("expert")
    client.post("/profile/tokens", data={"name": "脚本", "csrf_token": csrf_token(client, "/profile")})
    html = client.get("/profile").get_data(as_text=True)
    raw = html.split('data-testid="new-token"><code>')[1].split("<")[0]
    assert client.application.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    token = db.session.scalar(select(AccessToken).where(AccessToken.name == "脚本"))
    assert raw not in token.token_hash
    client.post(f"/profile/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(client, "/profile")})
    assert client.application.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(login_as, people):
    """Revoking another person's token id answers 404 and leaves it working."""
    client = login_as("expert")
    other = db.session.scalar(select(AccessToken).where(AccessToken.user_id == people.ids["staff"]))
    response = client.post(f"/profile/tokens/{other.id}/revoke", data={"csrf_token": csrf_token(client, "/profile")})
    assert response.status_code == 404
    db.session.refresh(other)
    assert other.revoked_at is None


def test_bad_bearer_token_is_not_rescued_by_cookie(login_as, people):
    """A request naming a wrong token is refused even when a valid session cookie rides along."""
    client = login_as("staff")
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_security_headers(client):
    """Every answer carries nosniff, a CSP without inline script, and frame denial."""
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
