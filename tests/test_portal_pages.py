"""The portal's pages for customers, and the staff's side on account and document pages."""

import io

import pytest

from hub.extensions import db, socketio
from hub.models import Announcement, Notification, PortalMessage, Share

from .customers_helpers import received
from .documents_helpers import png_bytes
from .portal_helpers import World, get, setup_world, shared_ok, signed_in


@pytest.fixture
def world(app, client, people) -> World:
    return setup_world(app, client, people)


def test_customer_lands_in_their_portal(app, people, world):
    """Signing in sends a customer to /portal: account name, initial badge, shared documents, contact cards."""
    shared_ok(app.test_client(), people, world.docs["shared"], world.X)
    customer = signed_in(app, people, "customer")
    assert customer.get("/").headers["Location"].endswith("/portal/")
    html = customer.get("/portal/").get_data(as_text=True)
    assert "华东精密制造" in html and 'data-testid="portal-initial"' in html
    assert "shared方案说明" in html and "other方案说明" not in html
    assert html.count('data-testid="contact-card"') == 2 and "staff@test.hub" in html


def test_portal_speaks_english_too(app, people, world):
    """The language switch turns the portal into English."""
    customer = signed_in(app, people, "customer")
    customer.post("/language/en", data={"csrf_token": customer.csrf, "next": "/portal/"})
    html = customer.get("/portal/").get_data(as_text=True)
    assert "Documents shared with you" in html and "Talk to your team" in html
    customer.post("/language/zh", data={"csrf_token": customer.csrf, "next": "/portal/"})
    assert "与服务团队沟通" in customer.get("/portal/").get_data(as_text=True)


def test_shared_document_opens_in_the_same_viewer(app, people, world):
    """The portal viewer is the documents viewer, fed by portal routes that check the share."""
    shared_ok(app.test_client(), people, world.docs["shared"], world.X)
    html = signed_in(app, people, "customer").get(f"/portal/documents/{world.docs['shared']}").get_data(as_text=True)
    assert "data-viewer" in html and "js/documents.js" in html and "css/documents.css" in html
    assert f'data-page-url="/api/v1/portal/documents/{world.docs["shared"]}/pages/0?v=1"' in html
    assert 'data-testid="view-only"' in html and 'data-testid="download"' not in html


def test_staff_share_with_several_accounts_and_revoke_from_the_document_page(app, people, world):
    """The document page's form shares with two accounts at once (expiry, download); revoke ends one."""
    staff = signed_in(app, people, "staff")
    page = staff.get(f"/documents/{world.docs['shared']}").get_data(as_text=True)
    assert 'data-testid="share-form"' in page
    staff.post(f"/sharing/documents/{world.docs['shared']}/shares", data={
        "csrf_token": staff.csrf, "account_id": [str(world.X), str(world.Y)], "expires_on": "2099-12-31",
        "allow_download": "1"})
    rows = db.session.query(Share).order_by(Share.account_id).all()
    assert [(s.account_id, s.allow_download, s.expires_at.date().isoformat()) for s in rows] == [
        (world.X, True, "2099-12-31"), (world.Y, True, "2099-12-31")]
    staff.post(f"/sharing/shares/{rows[1].id}/revoke", data={"csrf_token": staff.csrf})
    db.session.expire_all()
    assert db.session.get(Share, rows[1].id).revoked_at is not None
    assert db.session.get(Share, rows[0].id).revoked_at is None
    bad = staff.post(f"/sharing/documents/{world.docs['shared']}/shares", data={
        "csrf_token": staff.csrf, "account_id": str(world.X), "expires_on": "31/12/2099"})
    assert bad.status_code == 302 and db.session.query(Share).count() == 2


def test_staff_answer_announce_and_brand_from_the_account_page(app, people, world):
    """On the account page staff post an announcement, answer the chat, and set a logo the customer sees."""
    app.test_client().post("/api/v1/portal/requests", json={"body": "请开通新账号"}, headers=people.auth("customer"))
    staff = signed_in(app, people, "staff")
    panel = staff.get(f"/customers/{world.X}").get_data(as_text=True)
    assert 'data-testid="portal-panel"' in panel and "请开通新账号" in panel
    assert "服务请求</span>" in panel and "已提交</span>" in panel
    staff.post(f"/sharing/accounts/{world.X}/announcements", data={"csrf_token": staff.csrf, "body": "下周二系统升级"})
    staff.post(f"/sharing/accounts/{world.X}/messages", data={"csrf_token": staff.csrf, "body": "有问题随时找我"})
    staff.post(f"/sharing/accounts/{world.X}/brand", content_type="multipart/form-data", data={
        "csrf_token": staff.csrf, "welcome": "欢迎来到专属服务空间", "logo": (io.BytesIO(png_bytes(800, 400)), "logo.png")})
    customer = signed_in(app, people, "customer")
    html = customer.get("/portal/").get_data(as_text=True)
    assert "下周二系统升级" in html and "有问题随时找我" in html and "欢迎来到专属服务空间" in html
    assert 'data-testid="portal-logo"' in html and 'data-testid="portal-initial"' not in html
    logo = get(customer, "/portal/logo")
    assert logo.status_code == 200 and logo.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert get(signed_in(app, people, "other_customer"), "/portal/logo").status_code == 404


def test_logo_must_be_an_image(app, people, world):
    """A file that is not an image is refused with a message; the initial badge stays."""
    staff = signed_in(app, people, "staff")
    response = staff.post(f"/sharing/accounts/{world.X}/brand", content_type="multipart/form-data", data={
        "csrf_token": staff.csrf, "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.svg")}, follow_redirects=True)
    assert "不是" in response.get_data(as_text=True) or "not an image" in response.get_data(as_text=True)
    assert 'data-testid="portal-initial"' in signed_in(app, people, "customer").get("/portal/").get_data(as_text=True)


def test_oversized_and_scripted_messages(app, people, world):
    """Oversized messages are refused and nothing is stored; script is shown as text, never run."""
    customer = signed_in(app, people, "customer")
    too_long = customer.post("/api/v1/portal/messages", json={"body": "长" * 2001}, headers={"X-CSRFToken": customer.csrf})
    assert too_long.status_code == 422 and db.session.query(PortalMessage).count() == 0
    ok = customer.post("/api/v1/portal/messages", json={"body": "<script>alert(1)</script>"},
                       headers={"X-CSRFToken": customer.csrf})
    assert ok.status_code == 201
    html = customer.get("/portal/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    empty = customer.post("/portal/requests", data={"csrf_token": customer.csrf, "kind": "request", "body": "  "})
    assert empty.status_code == 422 and 'data-error-for="body"' in empty.get_data(as_text=True)  # by the field
    no_csrf = customer.post("/api/v1/portal/messages", json={"body": "hi"})
    assert no_csrf.status_code == 400


def test_customer_cannot_announce_or_answer_for_staff(app, people, world):
    """Staff forms refuse customers (403), whatever account id they name."""
    customer = signed_in(app, people, "customer")
    for path in (f"/sharing/accounts/{world.X}/announcements", f"/sharing/accounts/{world.X}/messages"):
        assert customer.post(path, data={"csrf_token": customer.csrf, "body": "x"}).status_code == 403
    assert db.session.query(Announcement).count() == 0


def test_engagement_shows_opens_and_pages_and_tells_the_owner_once(app, people, world):
    """Opening a shared document notifies the owner live the first time only; engagement lists pages viewed."""
    shared_ok(app.test_client(), people, world.docs["shared"], world.X)
    owner = socketio.test_client(app, auth={"token": people.tokens["staff"]})
    customer = signed_in(app, people, "customer")
    customer.get(f"/portal/documents/{world.docs['shared']}")
    get(customer, f"/api/v1/portal/documents/{world.docs['shared']}/pages/2")
    customer.get(f"/portal/documents/{world.docs['shared']}")
    notes = [n for n in received(owner, "notification") if n["kind"] == "share_opened"]
    assert len(notes) == 1 and "shared方案说明" in notes[0]["text"]
    assert db.session.query(Notification).filter_by(kind="share_opened").count() == 1
    report = app.test_client().get(f"/api/v1/customers/{world.X}/engagement", headers=people.auth("staff")).get_json()
    [doc] = report["documents"]
    [reader] = doc["readers"]
    assert doc["document_id"] == world.docs["shared"] and reader["user"]["id"] == people.ids["customer"]
    assert reader["opens"] == 2 and [p["page"] for p in reader["pages"]] == [2]
    refused = app.test_client().get(f"/api/v1/customers/{world.X}/engagement", headers=people.auth("expert"))
    assert refused.status_code == 403


def test_live_conversation_between_customer_and_team(app, people, world):
    """A message from staff reaches the customer's open portal at once, and the other way round."""
    customer = socketio.test_client(app, auth={"token": people.tokens["customer"]})
    service = socketio.test_client(app, auth={"token": people.tokens["service"]})
    assert customer.emit("join", {"portal_id": world.X}, callback=True)["ok"]
    assert service.emit("join", {"portal_id": world.X}, callback=True)["ok"]
    api = app.test_client()
    api.post(f"/api/v1/customers/{world.X}/portal-messages", json={"body": "您好，我是赵静"}, headers=people.auth("service"))
    api.post("/api/v1/portal/messages", json={"body": "收到，谢谢"}, headers=people.auth("customer"))
    assert [m["body"] for m in received(customer, "portal_message")] == ["您好，我是赵静", "收到，谢谢"]
    assert [m["body"] for m in received(service, "portal_message")] == ["您好，我是赵静", "收到，谢谢"]
    late = socketio.test_client(app, auth={"token": people.tokens["customer"]})
    ack = late.emit("join", {"portal_id": world.X, "after": 0}, callback=True)
    assert [m["body"] for m in ack["messages"]] == ["您好，我是赵静", "收到，谢谢"]
