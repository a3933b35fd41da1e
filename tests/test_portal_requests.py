"""Portal requests and the conversation as the team hears of them: one bell per burst, plain words, labels."""

from datetime import timedelta

import pytest

from hub.extensions import db
from hub.models import Notification, PortalMessage

from .portal_helpers import World, setup_world, signed_in


@pytest.fixture
def world(app, client, people) -> World:
    return setup_world(app, client, people)


def _portal_bells(people) -> int:
    return db.session.query(Notification).filter_by(user_id=people.ids["staff"], kind="portal_message").count()


def test_a_burst_of_customer_lines_rings_the_team_once(app, people, world):
    """Five lines in a row ring once; after the team answers, or after a long pause, the next line rings again."""
    api = app.test_client()
    for i in range(5):
        assert api.post("/api/v1/portal/messages", json={"body": f"第{i}行"}, headers=people.auth("customer")).status_code == 201
    assert _portal_bells(people) == 1
    api.post(f"/api/v1/customers/{world.X}/portal-messages", json={"body": "收到"}, headers=people.auth("service"))
    api.post("/api/v1/portal/messages", json={"body": "还有一个问题"}, headers=people.auth("customer"))
    assert _portal_bells(people) == 2
    last = db.session.query(PortalMessage).order_by(PortalMessage.id.desc()).first()
    last.created_at -= timedelta(hours=1)  # as if the customer paused for an hour
    db.session.commit()
    api.post("/api/v1/portal/messages", json={"body": "一小时后再问"}, headers=people.auth("customer"))
    assert _portal_bells(people) == 3


def test_staff_reply_form_and_share_wording(app, people, world):
    """The staff side says 回复 (not 回答) and 撤销共享 (not 吊销)."""
    app.test_client().post("/api/v1/portal/requests", json={"body": "请开通新账号"}, headers=people.auth("customer"))
    html = signed_in(app, people, "staff").get(f"/customers/{world.X}").get_data(as_text=True)
    assert 'data-testid="portal-reply-form"' in html and "回复客户…" in html and ">回答<" not in html
    assert "服务请求" in html and "在门户面板中回复" in html
    doc = signed_in(app, people, "staff").get(f"/documents/{world.docs['shared']}").get_data(as_text=True)
    assert "吊销" not in doc


def test_customer_search_box_promises_shared_documents(app, people, world):
    """A customer's search box says it searches the documents shared with them; staff keep theirs."""
    assert 'placeholder="搜索与您共享的文档…"' in signed_in(app, people, "customer").get("/portal/").get_data(as_text=True)
    staff = signed_in(app, people, "staff").get("/").get_data(as_text=True)
    assert "搜索与您共享的文档" not in staff
