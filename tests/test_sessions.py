"""Server-side sign-ins: logout, expiry, signing out devices, and what a password change or disabling ends."""

from datetime import timedelta

from flask_login.utils import encode_cookie
from sqlalchemy import select

from hub.auth import services
from hub.extensions import db
from hub.models import AccessToken, LoginSession, User, utcnow

from .conftest import PASSWORD, csrf_token, login


def signed_in(app, people, who="staff", agent="TestBrowser/1.0"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    assert login(client, people.emails[who]).status_code == 302
    return client


def copy_of(app, client):
    """A second browser holding a copy of the client's session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def rows(people, who="staff"):
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == people.ids[who])
                                   .order_by(LoginSession.id)))


def test_logout_ends_the_session_on_the_server(app, people):
    """A cookie copied before logout is refused afterwards, on pages and on the API."""
    client = signed_in(app, people)
    thief = copy_of(app, client)
    assert thief.get("/api/v1/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    assert rows(people) == []
    assert thief.get("/api/v1/me").status_code == 401
    assert thief.get("/profile").status_code == 302


def test_remember_cookie_cannot_bring_back_an_ended_sign_in(app, people):
    """Flask-Login's remember cookie names the sign-in, so it dies with it."""
    client = signed_in(app, people)
    with client.session_transaction() as sess:
        key = sess["_user_id"]
    with app.test_request_context():
        remember = encode_cookie(key)
    rescuer = app.test_client()
    rescuer.set_cookie("remember_token", remember)
    assert rescuer.get("/api/v1/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    rescuer = app.test_client()
    rescuer.set_cookie("remember_token", remember)
    assert rescuer.get("/api/v1/me").status_code == 401


def test_idle_sign_in_expires(app, people):
    """A sign-in unused for longer than the idle lifetime is refused and removed; a younger one is kept and touched."""
    client = signed_in(app, people)
    row = rows(people)[0]
    row.last_seen_at = utcnow() - timedelta(days=13)
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 200
    assert rows(people)[0].last_seen_at > utcnow() - timedelta(minutes=5)
    rows(people)[0].last_seen_at = utcnow() - timedelta(days=app.config["SESSION_IDLE_DAYS"], minutes=1)
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert rows(people) == []


def test_absolute_lifetime_ends_even_a_busy_sign_in(app, people):
    """A sign-in older than the absolute lifetime ends although it was used a moment ago."""
    client = signed_in(app, people)
    row = rows(people)[0]
    row.created_at = utcnow() - timedelta(days=app.config["SESSION_ABSOLUTE_DAYS"], minutes=1)
    db.session.commit()
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_last_seen_is_written_at_most_once_a_minute(app, people):
    """Requests within a minute of the last write leave "last seen" alone; a later one moves it."""
    client = signed_in(app, people)
    recent = utcnow() - timedelta(seconds=20)
    rows(people)[0].last_seen_at = recent
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 200
    assert rows(people)[0].last_seen_at == recent
    older = utcnow() - timedelta(minutes=2)
    rows(people)[0].last_seen_at = older
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 200
    assert rows(people)[0].last_seen_at > older


def test_profile_lists_sign_ins_and_marks_this_device(app, people):
    """The profile shows each live sign-in with its device, address and times; "this device" marks the current one."""
    laptop = signed_in(app, people, agent="Laptop-Firefox/128")
    signed_in(app, people, agent="Phone-Safari/17")
    signed_in(app, people, who="expert", agent="Someone-Else/1")
    html = laptop.get("/profile").get_data(as_text=True)
    assert "Laptop-Firefox/128" in html and "Phone-Safari/17" in html and "Someone-Else/1" not in html
    assert html.count('data-testid="this-device"') == 1
    mine = next(r for r in rows(people) if r.user_agent == "Laptop-Firefox/128")
    row_html = html.split(f'data-sign-in="{mine.id}"')[1].split("</li>")[0]
    assert 'data-testid="this-device"' in row_html and "本设备" in row_html and "127.0.0.1" in row_html


def test_sign_out_one_other_device(app, people):
    """Signing out the phone from the laptop ends the phone only; another person's sign-in answers 404."""
    laptop = signed_in(app, people, agent="Laptop")
    phone = signed_in(app, people, agent="Phone")
    others = signed_in(app, people, who="expert")
    phone_row = next(r for r in rows(people) if r.user_agent == "Phone")
    laptop.post(f"/profile/sessions/{phone_row.id}/end", data={"csrf_token": csrf_token(laptop, "/profile")})
    assert phone.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 200
    foreign = rows(people, "expert")[0]
    response = laptop.post(f"/profile/sessions/{foreign.id}/end", data={"csrf_token": csrf_token(laptop, "/profile")})
    assert response.status_code == 404
    assert others.get("/api/v1/me").status_code == 200


def test_sign_out_everywhere(app, people):
    """Every sign-in of the person ends, this device included; their tokens and other people's sign-ins stay."""
    laptop, phone = signed_in(app, people), signed_in(app, people)
    thief = copy_of(app, phone)
    colleague = signed_in(app, people, who="expert")
    response = laptop.post("/profile/sessions/end-all", data={"csrf_token": csrf_token(laptop, "/profile")})
    assert response.headers["Location"].endswith("/login")
    for browser in (laptop, phone, thief):
        assert browser.get("/api/v1/me").status_code == 401
    assert rows(people) == []
    assert colleague.get("/api/v1/me").status_code == 200
    assert app.test_client().get("/api/v1/me", headers=people.auth("staff")).status_code == 200


def test_sign_out_everywhere_needs_the_csrf_token(app, people):
    """Without the form's token nothing is ended."""
    laptop = signed_in(app, people)
    laptop.post("/profile/sessions/end-all", data={})
    assert laptop.get("/api/v1/me").status_code == 200


def test_password_change_revokes_tokens(app, people):
    """After a password change every personal access token of the person is revoked; the page said so."""
    client = signed_in(app, people)
    html = client.get("/profile").get_data(as_text=True)
    assert "撤销您的全部个人访问令牌" in html
    assert app.test_client().get("/api/v1/me", headers=people.auth("staff")).status_code == 200
    data = {"current": PASSWORD, "new": "a-new-password-1", "confirm": "a-new-password-1"}
    client.post("/profile/password", data=data | {"csrf_token": csrf_token(client, "/profile")})
    assert client.get("/api/v1/me").status_code == 200
    assert app.test_client().get("/api/v1/me", headers=people.auth("staff")).status_code == 401
    tokens = db.session.scalars(select(AccessToken).where(AccessToken.user_id == people.ids["staff"])).all()
    assert tokens and all(t.revoked_at is not None for t in tokens)
    assert app.test_client().get("/api/v1/me", headers=people.auth("expert")).status_code == 200


def test_disable_revokes_tokens_and_enable_does_not_restore_them(app, people):
    """Disabling ends sign-ins and revokes tokens; enabling again brings neither back."""
    client = signed_in(app, people)
    user = db.session.get(User, people.ids["staff"])
    services.set_active(user, False)
    db.session.commit()
    services.set_active(db.session.get(User, people.ids["staff"]), True)
    db.session.commit()
    assert app.test_client().get("/api/v1/me", headers=people.auth("staff")).status_code == 401
    assert client.get("/api/v1/me").status_code == 401
    token = db.session.scalar(select(AccessToken).where(AccessToken.user_id == people.ids["staff"]))
    assert token.revoked_at is not None
    assert login(app.test_client(), people.emails["staff"]).status_code == 302  # the person may sign in again
