"""Password reset links an admin makes, the 'forgot password' page, and the short device names on the profile."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hub.auth import devices
from hub.extensions import db
from hub.models import AccessToken, LoginSession, User, utcnow
from hub.models.users import PasswordReset

from .conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "a-brand-new-pass-7"
LINK_RE = re.compile(r'data-testid="reset-url">([^<]+)<')


def make_link(app, people, who="staff") -> str:
    """Sign in as the admin, make a reset link for `who` on the admin page and return its path and query."""
    admin = app.test_client()
    assert login(admin, people.emails["admin"]).status_code == 302
    response = admin.post(f"/admin/users/{people.ids[who]}/reset-link",
                          data={"csrf_token": csrf_token(admin, "/admin/")})
    assert response.status_code == 302
    page = admin.get("/admin/").get_data(as_text=True)
    url = LINK_RE.search(page).group(1).replace("&amp;", "&")
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def reset(client, path, password=NEW_PASSWORD, confirm=None):
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/password-reset", data={
        "csrf_token": csrf_token(client, path), "token": token, "new": password, "confirm": confirm or password,
    })


def test_admin_link_sets_a_new_password_once_and_ends_everything(app, people):
    """The link sets the password, ends every other sign-in and token, signs this device in, and works once."""
    victim_device = app.test_client()
    assert login(victim_device, people.emails["staff"]).status_code == 302
    path = make_link(app, people)
    assert "token=" in path and path.startswith("/password-reset?")
    stored = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == people.ids["staff"]))
    assert stored.token_hash not in path  # only the hash is kept

    browser = app.test_client()
    response = reset(browser, path)
    assert response.status_code == 302
    assert browser.get("/api/v1/me").get_json()["id"] == people.ids["staff"]  # signed in afresh
    assert victim_device.get("/api/v1/me").status_code == 401  # the old sign-in ended
    token = db.session.scalar(select(AccessToken).where(AccessToken.user_id == people.ids["staff"]))
    assert token.revoked_at is not None
    assert len(db.session.scalars(select(LoginSession).where(LoginSession.user_id == people.ids["staff"])).all()) == 1
    assert db.session.get(User, people.ids["staff"]).check_password(NEW_PASSWORD)

    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "invalid or has expired" in again.get_data(as_text=True) or "无效" in again.get_data(as_text=True)


@pytest.mark.parametrize("spoil", ["expired", "disabled", "replaced", "forged", "empty", "huge"])
def test_unusable_links_get_one_clear_page(app, people, spoil):
    """Expired, replaced, forged and over-long tokens and disabled people all get the same 404 page, never a 500."""
    path = make_link(app, people)
    link = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == people.ids["staff"]))
    if spoil == "expired":
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    elif spoil == "disabled":
        db.session.get(User, people.ids["staff"]).active = False
        db.session.commit()
    elif spoil == "replaced":
        make_link(app, people)
    elif spoil == "forged":
        path = "/password-reset?token=" + "x" * 43
    elif spoil == "empty":
        path = "/password-reset"
    else:
        path = "/password-reset?token=" + "x" * 5000
    client = app.test_client()
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    assert "reset-invalid" in page and "Traceback" not in page


def test_reset_form_refuses_short_or_differing_passwords_and_missing_csrf(app, people):
    """The password rules of the password change apply; a post without CSRF token is refused."""
    path = make_link(app, people)
    client = app.test_client()
    assert reset(client, path, password="short").status_code == 422
    assert reset(client, path, password=NEW_PASSWORD, confirm="something-else").status_code == 422
    token = path.split("token=")[1]
    assert client.post("/password-reset", data={"token": token, "new": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD}).status_code == 400
    assert db.session.get(User, people.ids["staff"]).check_password(PASSWORD)
    assert reset(client, path).status_code == 302  # still unused, still works


def test_reset_attempts_are_rate_limited(app, people):
    """Posting to the reset form counts against the password limit per address (429 after it)."""
    app.config["PASSWORD_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    token = csrf_token(client, "/login")
    codes = [client.post("/password-reset", data={"csrf_token": token, "token": "nope"}).status_code
             for _ in range(3)]
    assert codes == [404, 404, 429]


def test_only_admins_make_links_and_never_for_disabled_people(app, people, login_as):
    """Staff are refused the admin action; a disabled person gets no link."""
    client = login_as("staff")
    assert client.post(f"/admin/users/{people.ids['expert']}/reset-link",
                       data={"csrf_token": csrf_token(client, "/profile")}).status_code == 403
    db.session.get(User, people.ids["expert"]).active = False
    db.session.commit()
    admin = app.test_client()
    login(admin, people.emails["admin"])
    admin.post(f"/admin/users/{people.ids['expert']}/reset-link", data={"csrf_token": csrf_token(admin, "/admin/")})
    assert db.session.scalar(select(PasswordReset)) is None


def test_admin_page_shows_the_open_links_expiry(app, people):
    """After making a link, the people table says until when it is open."""
    make_link(app, people)
    admin = app.test_client()
    login(admin, people.emails["admin"])
    page = admin.get("/admin/").get_data(as_text=True)
    assert 'data-testid="reset-open"' in page
    assert 'data-testid="reset-url"' not in page  # the link itself was shown once only


def test_password_change_drops_an_open_link(app, people, login_as):
    """Changing the password makes an outstanding reset link useless."""
    path = make_link(app, people)
    client = login_as("staff")
    client.post("/profile/password", data={"csrf_token": csrf_token(client, "/profile"), "current": PASSWORD,
                                           "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert app.test_client().get(path).status_code == 404


def test_cli_reset_link_prints_a_working_link_last(app, people):
    """`flask users reset-link EMAIL` prints the link on its last line; unknown people fail."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-link", people.emails["customer"], "--base-url", "https://hub.example"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("https://hub.example/password-reset?token=")
    client = app.test_client()
    assert reset(client, link.removeprefix("https://hub.example")).status_code == 302
    assert client.get("/api/v1/me").get_json()["id"] == people.ids["customer"]
    assert runner.invoke(args=["users", "reset-link", "nobody@test.hub"]).exit_code != 0


def test_login_links_to_the_forgot_password_page(client):
    """The sign-in page links to a page that says to ask the administrator."""
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/forgot-password"' in page
    forgot = client.get("/forgot-password")
    assert forgot.status_code == 200
    assert "管理员" in forgot.get_data(as_text=True)


@pytest.mark.parametrize("agent, label", [
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
     ("Chrome", "Android")),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Mobile/15E148 Safari/604.1", ("Safari", "iPhone")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0", ("Firefox", "Windows")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 "
     "Edg/126.0", ("Edge", "Windows")),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
     ("Safari", "Mac")),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
     "MicroMessenger/8.0.49", ("WeChat", "iPhone")),
    ("curl/8.5.0", (None, None)),
    ("", (None, None)),
])
def test_device_names_from_user_agents(agent, label):
    """Common browsers and systems get their short names; anything else is unknown."""
    assert devices.describe(agent) == label


def test_profile_lists_sign_ins_by_short_device_name(app, people):
    """The profile shows "Firefox on Windows", with the raw string as a title only."""
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    login(client, people.emails["staff"])
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/profile")})
    page = client.get("/profile").get_data(as_text=True)
    assert 'data-testid="device-label">Firefox on Windows<' in page
    assert f'title="{agent}"' in page
