"""The portal API for customers and the sharing API for staff."""

import pytest

from hub.extensions import db
from hub.models import FeedEvent, Notification, PortalRequest, User
from hub.portal import services

from .portal_helpers import World, get, setup_world, shared_ok


@pytest.fixture
def world(app, client, people) -> World:
    return setup_world(app, client, people)


def test_customer_sees_their_space(client, people, world):
    """GET /portal answers the caller's account with its name, initial badge, team cards and announcements."""
    body = client.get("/api/v1/portal", headers=people.auth("customer")).get_json()
    assert body["account"]["name"] == "华东精密制造" and body["account"]["initial"] == "华"
    assert body["account"]["logo_url"] is None
    assert [c["role"] for c in body["team"]] == ["owner", "service"]
    assert body["team"][0]["name"] == "Staff" and body["announcements"] == []


def test_shared_document_is_listed_viewed_and_downloaded_only_where_allowed(client, people, world):
    """A share lists the document; its pages are served; download only when the share allows it."""
    doc = world.docs["shared"]
    shared_ok(client, people, doc, world.X)
    listed = client.get("/api/v1/portal/documents", headers=people.auth("customer")).get_json()["documents"]
    assert [d["id"] for d in listed] == [doc] and listed[0]["allow_download"] is False
    one = client.get(f"/api/v1/portal/documents/{doc}", headers=people.auth("customer")).get_json()
    assert one["preview"]["state"] == "ready" and one["download_url"] is None
    page = get(client, f"/api/v1/portal/documents/{doc}/pages/2", people.auth("customer"))
    assert page.status_code == 200 and page.data[:2] == b"\xff\xd8"
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert get(client, f"/api/v1/portal/documents/{doc}/download", people.auth("customer")).status_code == 403
    shared_ok(client, people, doc, world.X, allow_download=True)
    download = get(client, f"/api/v1/portal/documents/{doc}/download", people.auth("customer"))
    assert download.status_code == 200 and download.data[:4] == b"%PDF"


def test_request_is_a_service_request_not_a_complaint(client, people, world):
    """A portal request is its own kind in the feed (source portal, open); the owner and service contacts
    hear of it, but it raises no complaint alert."""
    response = client.post("/api/v1/portal/requests", json={"kind": "request", "body": "请协助开通**三个**新账号"},
                           headers=people.auth("customer"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "open" and created["kind"] == "request"
    event = db.session.get(FeedEvent, created["id"])
    assert (event.kind, event.source, event.account_id, event.status) == ("service_request", "portal", world.X, "open")
    notes = db.session.query(Notification).filter_by(kind="service_request").all()
    assert {n.user_id for n in notes} == {people.ids["staff"], people.ids["service"]}
    assert notes[0].params["text"] == "请协助开通三个新账号"  # plain words, never Markdown
    assert db.session.query(Notification).filter_by(kind="complaint").count() == 0
    assert client.get("/api/v1/complaints/alerts", headers=people.auth("staff")).get_json()["count"] == 0
    listed = client.get("/api/v1/portal/requests", headers=people.auth("customer")).get_json()["requests"]
    assert [r["id"] for r in listed] == [created["id"]]


def test_portal_complaint_alerts_the_owner_and_answering_clears_it(client, people, world):
    """A complaint from the portal is the owner's alert; the team's answer in the portal acknowledges it."""
    created = client.post("/api/v1/portal/requests", json={"kind": "complaint", "body": "发货又延迟了"},
                          headers=people.auth("customer")).get_json()
    assert db.session.get(FeedEvent, created["id"]).kind == "complaint"
    alerts = client.get("/api/v1/complaints/alerts", headers=people.auth("staff")).get_json()
    assert alerts["count"] == 1 and [a["id"] for a in alerts["complaints"]] == [created["id"]]
    with client.application.test_request_context():
        staff = db.session.get(User, people.ids["service"])
        services.reply_request(db.session.get(PortalRequest, created["id"]), staff, "已联系物流，明天送达")
    assert db.session.get(FeedEvent, created["id"]).status == "acknowledged"
    assert client.get("/api/v1/complaints/alerts", headers=people.auth("staff")).get_json()["count"] == 0
    listed = client.get("/api/v1/portal/requests", headers=people.auth("customer")).get_json()["requests"]
    assert listed[0]["status"] == "answered"


def test_request_goes_open_answered_closed(client, people, world):
    """Replying answers a service request; replying with "close" closes it; each step is in the feed."""
    created = client.post("/api/v1/portal/requests", json={"body": "请开通三个账号"},
                          headers=people.auth("customer")).get_json()
    with client.application.test_request_context():
        staff = db.session.get(User, people.ids["service"])
        row = db.session.get(PortalRequest, created["id"])
        services.reply_request(row, staff, "今天下午开通")
        assert row.event.status == "answered"
        services.reply_request(row, staff, "已开通，请查收邮件", resolve=True)
        assert row.event.status == "closed"
    events = client.get(f"/api/v1/customers/{world.X}/events", headers=people.auth("staff")).get_json()["events"]
    assert [(e["kind"], e["action"]) for e in events] == [("service_request", None), ("update", "answered"),
                                                          ("update", "closed")]
    assert events[0]["service_request"]["status"] == "closed"  # the item holds its current state
    listed = client.get("/api/v1/portal/requests", headers=people.auth("customer")).get_json()["requests"]
    assert listed[0]["status"] == "closed" and len(listed[0]["replies"]) == 2


def test_staff_reply_reaches_the_customer_but_internal_feed_does_not(client, people, world):
    """Only the team's portal replies show; internal notes and replies of the feed never do."""
    created = client.post("/api/v1/portal/requests", json={"kind": "complaint", "body": "系统很慢"},
                          headers=people.auth("customer")).get_json()
    client.post(f"/api/v1/customers/{world.X}/events", json={"kind": "note", "body": "内部：客户预算很紧"},
                headers=people.auth("staff"))
    with client.application.test_request_context():
        staff = db.session.get(User, people.ids["service"])
        services.reply_request(db.session.get(PortalRequest, created["id"]), staff, "已排查，今晚修复", resolve=True)
    listed = client.get("/api/v1/portal/requests", headers=people.auth("customer")).get_json()["requests"]
    assert listed[0]["status"] == "closed" and [r["body"] for r in listed[0]["replies"]] == ["已排查，今晚修复"]
    text = client.get("/portal/", headers=people.auth("customer")).get_data(as_text=True)
    assert "内部：客户预算很紧" not in text


def test_messages_go_both_ways(client, people, world):
    """The customer writes, staff answer; both read the same conversation in order."""
    mine = client.post("/api/v1/portal/messages", json={"body": "你好，演示环境打不开"}, headers=people.auth("customer"))
    assert mine.status_code == 201 and mine.get_json()["from_customer"] is True
    answer = client.post(f"/api/v1/customers/{world.X}/portal-messages", json={"body": "马上处理"},
                         headers=people.auth("service"))
    assert answer.status_code == 201
    listed = client.get("/api/v1/portal/messages", headers=people.auth("customer")).get_json()
    assert [m["body"] for m in listed["messages"]] == ["你好，演示环境打不开", "马上处理"]
    after = client.get(f"/api/v1/portal/messages?after={mine.get_json()['id']}", headers=people.auth("customer"))
    assert [m["body"] for m in after.get_json()["messages"]] == ["马上处理"]
