"""Customer pages: the list with filters, the account page and its composer, team and contacts, the bell."""

import re

import pytest

from hub.extensions import db
from hub.models import AccountContact, AccountMember, FeedEvent, Notification

from .conftest import csrf_token, login
from .customers_helpers import post, setup_accounts


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def form_post(client, path, data, page):
    return client.post(path, data=data | {"csrf_token": csrf_token(client, page)})


def test_list_filters_and_search(login_as, acc):
    """The list shows accounts; search and industry filters narrow it."""
    client = login_as("expert")
    html = client.get("/customers/").get_data(as_text=True)
    assert "华东精密制造" in html and "宏远物流" in html
    html = client.get("/customers/?q=物流").get_data(as_text=True)
    assert "宏远物流" in html and "华东精密制造" not in html
    html = client.get("/customers/?industry=制造业").get_data(as_text=True)
    assert "华东精密制造" in html and "宏远物流" not in html


def test_customer_users_are_kept_out(login_as, acc):
    client = login_as("customer")
    assert client.get("/customers/").status_code == 403
    assert client.get(f"/customers/{acc['X']}").status_code == 403


def test_account_page_shows_feed_and_composer(login_as, client, people, acc):
    """The account page lists items newest first and offers the composer; complaint only to service staff."""
    post(client, people, "staff", acc["X"], kind="note", body="第一次拜访纪要")
    post(client, people, "staff", acc["X"], kind="task", body="发送报价", assignee_id=people.ids["expert"])
    page = login_as("expert")
    html = page.get(f"/customers/{acc['X']}").get_data(as_text=True)
    assert html.index("发送报价") < html.index("第一次拜访纪要")
    assert f'data-customer-id="{acc["X"]}"' in html and "js/feed.js" in html
    composer = re.search(r'<select name="kind" id="kind">.*?</select>', html, re.S).group(0)
    assert 'value="task"' in composer and 'value="complaint"' not in composer
    filtered = page.get(f"/customers/{acc['X']}?kind=task").get_data(as_text=True)
    assert "发送报价" in filtered and "第一次拜访纪要" not in filtered


def test_unknown_account_is_404(login_as):
    assert login_as("staff").get("/customers/999999").status_code == 404


def test_post_through_the_form(login_as, acc, people):
    """The composer posts a help request; bad input is flashed and nothing is stored."""
    client = login_as("staff")
    page = f"/customers/{acc['X']}"
    r = form_post(client, f"{page}/events", {"kind": "help_request", "body": "客户要等保材料",
                                             "to_user_id": str(people.ids["expert"]), "assignee_id": ""}, page)
    assert r.status_code == 302
    ev = db.session.query(FeedEvent).one()
    assert ev.kind == "help_request" and ev.to_user_id == people.ids["expert"]
    r = form_post(client, f"{page}/events", {"kind": "task", "body": "x", "assignee_id": "999999"}, page)
    assert db.session.query(FeedEvent).count() == 1
    r = form_post(client, f"{page}/events", {"kind": "complaint", "body": "x"}, page)
    assert r.status_code == 403
    r = form_post(client, f"{page}/events", {"kind": "nonsense", "body": "x"}, page)
    assert r.status_code == 302 and db.session.query(FeedEvent).count() == 1
    r = client.post(f"{page}/events", data={"kind": "note", "body": "no token"})
    assert r.status_code == 400 and db.session.query(FeedEvent).count() == 1


def test_task_done_and_complaint_acknowledged_through_forms(login_as, client, people, acc):
    task = post(client, people, "staff", acc["X"], kind="task", body="回访").get_json()
    complaint = post(client, people, "service", acc["X"], kind="complaint", body="响应太慢").get_json()
    page = login_as("staff")
    html = page.get(f"/customers/{acc['X']}").get_data(as_text=True)
    # One bar with the count, linking to the list; the list holds the complaint with its button.
    bar = re.search(r'<div class="complaint-bar"[^>]*>', html).group(0)
    assert "hidden" not in bar and "data-complaint-count>1<" in html
    listing = page.get("/customers/").get_data(as_text=True)
    assert listing.count('data-testid="complaint-alert"') == 1 and "响应太慢" in listing
    path = f"/customers/{acc['X']}"
    form_post(page, f"/customers/tasks/{task['id']}", {"status": "done"}, path)
    form_post(page, f"/customers/complaints/{complaint['id']}/acknowledge", {}, path)
    assert db.session.get(FeedEvent, task["id"]).status == "done"
    assert db.session.get(FeedEvent, complaint["id"]).status == "acknowledged"
    html = page.get(path).get_data(as_text=True)
    assert 'data-testid="complaint-bar" role="status" hidden' in html
    assert 'data-testid="complaint-alert"' not in page.get("/customers/").get_data(as_text=True)


def test_owner_manages_team_and_contacts(login_as, people, acc):
    """The owner adds a service contact and a key contact; others may not."""
    client = login_as("staff")
    page = f"/customers/{acc['X']}"
    form_post(client, f"{page}/members", {"user_id": str(people.ids["service"]), "role": "service"}, page)
    form_post(client, f"{page}/contacts", {"name": "钱建国", "title": "采购总监", "email": "qian@example.com"}, page)
    assert db.session.query(AccountMember).filter_by(role="service").count() == 1
    contact = db.session.query(AccountContact).one()
    html = client.get(page).get_data(as_text=True)
    assert "钱建国" in html and "采购总监" in html
    form_post(client, f"{page}/contacts", {"name": "", "email": "bad"}, page)
    assert db.session.query(AccountContact).count() == 1
    form_post(client, f"/customers/contacts/{contact.id}/remove", {}, page)
    assert db.session.query(AccountContact).count() == 0
    other = f"/customers/{acc['Y']}"
    r = form_post(client, f"{other}/members", {"user_id": str(people.ids["service"]), "role": "team"}, other)
    assert r.status_code == 403


def test_bell_and_notifications_page(app, login_as, client, people, acc):
    """The nav bell shows the unread count; opening a notification marks it read and follows its link."""
    post(client, people, "staff", acc["X"], kind="task", body="准备演示环境", assignee_id=people.ids["expert"])
    page = login_as("expert")
    html = page.get("/").get_data(as_text=True)
    assert re.search(r'id="bell-count"[^>]*data-unread="1"', html)
    assert "js/live.js" in html and "vendor/socket.io.min.js" in html
    html = page.get("/notifications/").get_data(as_text=True)
    assert "准备演示环境" in html
    note = db.session.query(Notification).one()
    r = form_post(page, f"/notifications/{note.id}/open", {}, "/notifications/")
    assert r.status_code == 302 and r.headers["Location"].startswith(f"/customers/{acc['X']}")
    assert db.session.get(Notification, note.id).read_at is not None
    staff = app.test_client()
    login(staff, people.emails["staff"])
    r = form_post(staff, f"/notifications/{note.id}/open", {}, "/notifications/")
    assert r.status_code == 404
