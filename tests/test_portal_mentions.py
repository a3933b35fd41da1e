"""Customers cannot @mention staff: what they write in the portal stays plain text."""

import pytest

from hub import policy
from hub.extensions import db
from hub.models import Notification, User

from .customers_helpers import setup_accounts
from .portal_helpers import signed_in

TEXT = "@Expert @Admin 请尽快处理我们的问题"


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def _mentions() -> list:
    return db.session.query(Notification).filter(Notification.kind.in_(("mention", "feed_mention"))).all()


def test_only_staff_may_mention(app, people, acc):
    """The rule is about who writes: a colleague's @Expert in the feed still reaches Expert."""
    for who, allowed in (("customer", False), ("staff", True), ("admin", True)):
        assert policy.can_mention(db.session.get(User, people.ids[who])) is allowed
    response = app.test_client().post(f"/api/v1/customers/{acc['X']}/events", json={"kind": "note", "body": TEXT},
                                      headers=people.auth("staff"))
    assert response.status_code == 201
    assert {n.user_id for n in _mentions()} == {people.ids["expert"], people.ids["admin"]}


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_portal_requests_and_messages_with_mentions_notify_nobody_by_name(app, people, acc, kind):
    """Page form and API alike: no mention notification, and the staff feed shows no mention link."""
    customer = signed_in(app, people, "customer")
    sent = customer.post("/api/v1/portal/messages", json={"body": TEXT}, headers={"X-CSRFToken": customer.csrf})
    assert sent.status_code == 201
    assert customer.post("/portal/messages", data={"csrf_token": customer.csrf, "body": TEXT}).status_code == 302
    page = customer.post("/portal/requests", data={"csrf_token": customer.csrf, "kind": kind, "body": TEXT})
    assert page.status_code == 302
    api = customer.post("/api/v1/portal/requests", json={"kind": kind, "body": TEXT},
                        headers={"X-CSRFToken": customer.csrf})
    assert api.status_code == 201, api.get_json()
    assert _mentions() == []
    events = app.test_client().get(f"/api/v1/customers/{acc['X']}/events", headers=people.auth("staff")).get_json()
    portal_events = [e for e in events["events"] if "@Expert" in e["body"]]
    assert len(portal_events) == 2
    assert all("/people/" not in e["body_html"] for e in portal_events)
    html = signed_in(app, people, "staff").get(f"/customers/{acc['X']}").get_data(as_text=True)
    assert f'href="/people/{people.ids["expert"]}"' not in html
