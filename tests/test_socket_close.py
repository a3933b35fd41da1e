"""Live sockets end with their credentials: real servers, real python-socketio clients.

For each way a credential ends (token revoked, password changed, logout, sign out everywhere, person
disabled) the sockets opened with it are closed by the server and hear nothing more, while a socket
of a credential that lives on keeps receiving. Last, the same across two processes sharing Redis.
"""

import os
import subprocess
import sys

import pytest

from .conftest import service_missing
from .live_sockets import PASSWORD, ROOT, Browser, Listener, Site, refused

REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    instance = tmp_path_factory.mktemp("socket-close") / "instance"
    instance.mkdir()
    site = Site(instance)
    try:
        site.start()
        yield site
    finally:
        site.stop()


def hears_nothing_more(site: Site, url: str, ended: Listener, witness: Listener, assignee_id: int | None) -> None:
    """The server closes the ended socket; a new event (and a notification for `assignee_id`, the
    witness's own person) then reaches the witness but not the ended socket."""
    assert ended.closed.wait(20), "the server did not close the socket"
    marker = site.post_task(url, assignee_id)
    assert witness.wait_for(marker, note=assignee_id is not None)
    assert not ended.saw(marker)
    assert not ended.sio.connected


def test_revoking_a_token_closes_its_sockets(site):
    """The revoked token's socket closes; the person's socket with their other token keeps both feed and bell."""
    url, person = site.urls[0], site.person()
    ended = Listener(url, token=person["token"], account=site.account)
    spare = Listener(url, token=person["spare"], account=site.account)
    try:
        Browser(url, person["email"]).post(f"/profile/tokens/{person['token_id']}/revoke")
        hears_nothing_more(site, url, ended, spare, person["id"])
        assert spare.sio.connected
        assert refused(url, token=person["token"])
    finally:
        ended.close()
        spare.close()


def test_password_change_closes_every_socket_of_the_person(site):
    """Token and cookie sockets of the person close (tokens are revoked, sign-ins end); a colleague's stays."""
    url, person = site.urls[0], site.person()
    phone = Browser(url, person["email"])
    by_token = Listener(url, token=person["token"], account=site.account)
    by_cookie = Listener(url, cookie=phone.cookie, account=site.account)
    colleague = Listener(url, token=site.person()["token"], account=site.account)
    try:
        laptop = Browser(url, person["email"])
        laptop.post("/profile/password", {"current": PASSWORD, "new": "a-new-password-1", "confirm": "a-new-password-1"})
        hears_nothing_more(site, url, by_token, colleague, None)
        hears_nothing_more(site, url, by_cookie, colleague, None)
        assert refused(url, token=person["spare"]) and refused(url, cookie=phone.cookie)
    finally:
        for listener in (by_token, by_cookie, colleague):
            listener.close()


def test_logout_closes_the_sockets_of_that_sign_in(site):
    """Logout closes the sockets opened with that sign-in's cookie; the person's token socket stays."""
    url, person = site.urls[0], site.person()
    browser = Browser(url, person["email"])
    cookie = browser.cookie
    ended = Listener(url, cookie=cookie, account=site.account)
    survivor = Listener(url, token=person["token"], account=site.account)
    try:
        browser.post("/logout")
        hears_nothing_more(site, url, ended, survivor, person["id"])
        assert survivor.sio.connected
        assert refused(url, cookie=cookie)
    finally:
        ended.close()
        survivor.close()


def test_sign_out_everywhere_closes_every_cookie_socket(site):
    """Signing out everywhere from the laptop closes the phone's socket; tokens are not sign-ins and stay."""
    url, person = site.urls[0], site.person()
    phone = Browser(url, person["email"])
    ended = Listener(url, cookie=phone.cookie, account=site.account)
    survivor = Listener(url, token=person["token"], account=site.account)
    try:
        Browser(url, person["email"]).post("/profile/sessions/end-all")
        hears_nothing_more(site, url, ended, survivor, person["id"])
        assert survivor.sio.connected
    finally:
        ended.close()
        survivor.close()


def test_disabling_a_person_closes_their_sockets(site):
    """An admin disables the person: their token and cookie sockets close, a colleague's keeps listening."""
    url, person = site.urls[0], site.person()
    by_token = Listener(url, token=person["token"], account=site.account)
    by_cookie = Listener(url, cookie=Browser(url, person["email"]).cookie, account=site.account)
    colleague = Listener(url, token=site.person()["token"], account=site.account)
    try:
        Browser(url, site.admin_email).post(f"/admin/users/{person['id']}/toggle")
        hears_nothing_more(site, url, by_token, colleague, None)
        hears_nothing_more(site, url, by_cookie, colleague, None)
        Browser(url, site.admin_email).post(f"/admin/users/{person['id']}/toggle")  # enabled again
        assert refused(url, token=person["spare"])  # ...without its tokens
    finally:
        for listener in (by_token, by_cookie, colleague):
            listener.close()


@pytest.mark.redis
def test_credential_ended_on_one_process_closes_the_socket_on_another(tmp_path):
    """Two processes share Redis: a token revoked and a logout on A close the sockets held by B, and a
    `flask users disable` in a third process closes the person's sockets on both."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is absent
        service_missing("Redis", str(exc))
    instance = tmp_path / "instance"
    instance.mkdir()
    site = Site(instance, redis_url=REDIS_URL)
    try:
        a, b = site.start(2)
        person = site.person()
        browser = Browser(a, person["email"])
        by_token = Listener(b, token=person["token"], account=site.account)
        by_cookie = Listener(b, cookie=browser.cookie, account=site.account)
        spare_a = Listener(a, token=person["spare"], account=site.account)
        spare_b = Listener(b, token=person["spare"], account=site.account)
        colleague = Listener(b, token=site.person()["token"], account=site.account)
        browser.post(f"/profile/tokens/{person['token_id']}/revoke")
        hears_nothing_more(site, a, by_token, spare_b, person["id"])
        assert by_cookie.sio.connected
        browser.post("/logout")
        hears_nothing_more(site, a, by_cookie, spare_b, person["id"])
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "users", "disable", person["email"]],
                              cwd=ROOT, env=site.env() | {"PATH": os.environ.get("PATH", "")}, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        hears_nothing_more(site, a, spare_a, colleague, None)
        hears_nothing_more(site, a, spare_b, colleague, None)
        for listener in (by_token, by_cookie, spare_a, spare_b, colleague):
            listener.close()
    finally:
        site.stop()
