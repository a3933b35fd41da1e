"""The customers JSON API: accounts, posting events, bad input, tasks, help requests, complaints."""

import pytest

from hub.extensions import db
from hub.models import CustomerAccount, FeedEvent, Notification

from .customers_helpers import event_count, post, setup_accounts


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def test_staff_list_and_filter_accounts(client, people, acc):
    """Staff list accounts and narrow them by search text and industry."""
    all_ = client.get("/api/v1/customers", headers=people.auth("expert")).get_json()["customers"]
    assert {a["id"] for a in all_} == {acc["X"], acc["Y"]}
    hits = client.get("/api/v1/customers?q=物流", headers=people.auth("expert")).get_json()["customers"]
    assert [a["id"] for a in hits] == [acc["Y"]]
    hits = client.get("/api/v1/customers?industry=制造业", headers=people.auth("expert")).get_json()["customers"]
    assert [a["id"] for a in hits] == [acc["X"]]
    mine = client.get(f"/api/v1/customers?owner={people.ids['staff']}", headers=people.auth("expert")).get_json()
    assert [a["owner"]["id"] for a in mine["customers"]] == [people.ids["staff"]]


def test_customer_users_never_see_accounts(client, people, acc):
    """Customer users get 403 on every customers endpoint; anonymous callers get 401."""
    assert client.get("/api/v1/customers", headers=people.auth("customer")).status_code == 403
    assert client.get(f"/api/v1/customers/{acc['X']}/events", headers=people.auth("customer")).status_code == 403
    assert post(client, people, "customer", acc["X"], kind="note", body="hi").status_code == 403
    assert client.get("/api/v1/customers").status_code == 401


def test_account_detail(client, people, acc):
    """The account answer names owner, team, contacts and open counts."""
    data = client.get(f"/api/v1/customers/{acc['X']}", headers=people.auth("expert")).get_json()
    assert data["owner"]["id"] == people.ids["staff"]
    assert data["team"] == [] and data["key_contacts"] == [] and data["last_event_id"] == 0


def test_post_note_and_read_back_in_order(client, people, acc):
    """Posted events come back from `after` in ascending ids, shaped like the POST answer."""
    created = [post(client, people, "staff", acc["X"], kind=k, body=f"第{i}条").get_json()
               for i, k in enumerate(["note", "call", "visit"])]
    assert [c["kind"] for c in created] == ["note", "call", "visit"]
    listed = client.get(f"/api/v1/customers/{acc['X']}/events?after=0", headers=people.auth("expert")).get_json()
    assert listed["events"] == created
    after_first = client.get(f"/api/v1/customers/{acc['X']}/events?after={created[0]['id']}",
                             headers=people.auth("expert")).get_json()
    assert [e["id"] for e in after_first["events"]] == [created[1]["id"], created[2]["id"]]
    assert after_first["last_id"] == created[2]["id"] and after_first["more"] is False


def test_event_body_is_sanitised(client, people, acc):
    """Script in a body never survives into body_html."""
    ev = post(client, people, "staff", acc["X"], kind="note", body="<script>alert(1)</script> **粗体**").get_json()
    assert "<script>" not in ev["body_html"] and "<strong>粗体</strong>" in ev["body_html"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "gossip", "body": "x"},
        {"kind": "note"},
        {"kind": "note", "body": "   "},
        {"kind": "note", "body": "长" * 5001},
        {"kind": "note", "body": "x", "extra": 1},
        {"kind": "task", "body": "x", "assignee_id": 999999},
        {"kind": "task", "body": "x", "due_date": "tomorrow"},
        {"kind": "help_request", "body": "x"},
        {"kind": "help_request", "body": "x", "to_user_id": 999999},
        {"kind": "help_request", "body": "x", "to_department_id": 999999},
        {"kind": "complaint", "body": "x", "severity": "apocalyptic"},
        {"kind": "document", "document_id": 999999},
    ],
)
def test_bad_events_are_refused_and_nothing_stored(client, people, acc, body):
    """Unknown kinds, missing, blank or overlong fields and unknown people give 422 and store nothing."""
    if body["kind"] == "complaint":
        who = "service"
    else:
        who = "staff"
    response = post(client, people, who, acc["X"], **body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == "invalid"
    assert event_count() == 0


def test_malformed_json_is_a_clear_error(client, people, acc):
    """A body that is not a JSON object is a 400/422, not a crash."""
    r = client.post(f"/api/v1/customers/{acc['X']}/events", data="{oops", headers=people.auth("staff")
                    | {"Content-Type": "application/json"})
    assert r.status_code == 400
    r = post(client, people, "staff", acc["X"])
    assert r.status_code == 422
    assert event_count() == 0


def test_task_assigned_to_customer_user_is_refused(client, people, acc):
    """A task goes to a colleague, never to a customer user."""
    r = post(client, people, "staff", acc["X"], kind="task", body="x", assignee_id=people.ids["customer"])
    assert r.status_code == 422 and event_count() == 0


def test_events_on_invisible_accounts_are_404(client, people, acc):
    """Unknown and disabled accounts answer 404 to staff; nothing is stored."""
    assert post(client, people, "staff", 424242, kind="note", body="x").status_code == 404
    db.session.get(CustomerAccount, acc["Y"]).active = False
    db.session.commit()
    assert post(client, people, "staff", acc["Y"], kind="note", body="x").status_code == 404
    assert client.get(f"/api/v1/customers/{acc['Y']}/events", headers=people.auth("staff")).status_code == 404
    assert event_count() == 0


@pytest.mark.parametrize("after", ["-5", "99999999999", "abc", str(2**80)])
def test_replay_from_bad_positions_is_refused(client, people, acc, after):
    """after=-5, a huge id or junk gives 422."""
    post(client, people, "staff", acc["X"], kind="note", body="x")
    r = client.get(f"/api/v1/customers/{acc['X']}/events?after={after}", headers=people.auth("staff"))
    assert r.status_code == 422


def test_unknown_kind_filter_is_refused(client, people, acc):
    r = client.get(f"/api/v1/customers/{acc['X']}/events?kind=gossip", headers=people.auth("staff"))
    assert r.status_code == 422


def test_only_service_staff_log_complaints_and_owner_is_notified(client, people, acc):
    """Sales staff may not log a complaint; service staff may, and the owner gets a notification and an alert."""
    assert post(client, people, "staff", acc["X"], kind="complaint", body="x").status_code == 403
    r = post(client, people, "service", acc["X"], kind="complaint", body="发货延迟三天", severity="high")
    assert r.status_code == 201
    ev = r.get_json()
    assert ev["complaint"]["status"] == "open" and ev["complaint"]["severity"] == "high"
    note = db.session.query(Notification).filter_by(user_id=people.ids["staff"]).one()
    assert note.kind == "complaint" and "发货延迟三天" in note.text
    alerts = client.get("/api/v1/complaints/alerts", headers=people.auth("staff")).get_json()["complaints"]
    assert [a["id"] for a in alerts] == [ev["id"]]
    # Only the owner acknowledges; then the alert is gone.
    assert client.post(f"/api/v1/complaints/{ev['id']}/acknowledge", headers=people.auth("expert")).status_code == 403
    r = client.post(f"/api/v1/complaints/{ev['id']}/acknowledge", headers=people.auth("staff"))
    assert r.status_code == 200 and r.get_json()["complaint"]["status"] == "acknowledged"
    assert client.get("/api/v1/complaints/alerts", headers=people.auth("staff")).get_json()["complaints"] == []


def test_task_lifecycle(client, people, acc):
    """A task is created, assigned (the assignee is notified), completed and reopened, each change a new event."""
    task = post(client, people, "staff", acc["X"], kind="task", body="准备报价单",
                assignee_id=people.ids["expert"], due_date="2026-12-01").get_json()
    assert task["task"]["assignee"]["id"] == people.ids["expert"] and task["task"]["status"] == "open"
    assert db.session.query(Notification).filter_by(user_id=people.ids["expert"], kind="task").count() == 1
    r = client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"}, headers=people.auth("expert"))
    assert r.status_code == 200 and r.get_json()["task"]["status"] == "done"
    assert r.get_json()["task"]["closed_by"]["id"] == people.ids["expert"]
    r = client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "open", "due_date": None},
                     headers=people.auth("staff"))
    assert r.get_json()["task"]["status"] == "open" and r.get_json()["task"]["due_date"] is None
    updates = db.session.query(FeedEvent).filter_by(parent_id=task["id"]).order_by(FeedEvent.id).all()
    assert [u.action for u in updates] == ["completed", "reopened", "rescheduled"]


def test_task_changes_are_checked(client, people, acc):
    """Outsiders get 403, unknown assignees 422, unknown tasks 404; nothing changes."""
    task = post(client, people, "staff", acc["X"], kind="task", body="x").get_json()
    assert client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"},
                        headers=people.auth("service")).status_code == 403
    assert client.patch(f"/api/v1/tasks/{task['id']}", json={"assignee_id": 999999},
                        headers=people.auth("staff")).status_code == 422
    assert client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "finished"},
                        headers=people.auth("staff")).status_code == 422
    assert client.patch("/api/v1/tasks/999999", json={"status": "done"}, headers=people.auth("staff")).status_code == 404
    note = post(client, people, "staff", acc["X"], kind="note", body="x").get_json()
    assert client.patch(f"/api/v1/tasks/{note['id']}", json={"status": "done"},
                        headers=people.auth("staff")).status_code == 404
    assert db.session.query(FeedEvent).filter(FeedEvent.parent_id.is_not(None)).count() == 0


def test_help_request_to_department_reply_and_solve(client, people, acc):
    """A help request to a department notifies its members; a reply notifies the asker; it is marked solved."""
    req = post(client, people, "staff", acc["X"], kind="help_request", body="客户问能否私有化部署？",
               to_department_id=people.departments["B"]).get_json()
    assert req["help_request"]["to_department"]["id"] == people.departments["B"]
    notified = {n.user_id for n in db.session.query(Notification).filter_by(kind="help_request")}
    assert notified == {people.ids["expert"], people.ids["service"]}
    r = client.post(f"/api/v1/help-requests/{req['id']}/replies", json={"body": "可以，最少三台服务器。"},
                    headers=people.auth("expert"))
    assert r.status_code == 201 and r.get_json()["kind"] == "reply" and r.get_json()["parent_id"] == req["id"]
    assert db.session.query(Notification).filter_by(user_id=people.ids["staff"], kind="help_reply").count() == 1
    assert client.post(f"/api/v1/help-requests/{req['id']}/replies", json={"body": ""},
                       headers=people.auth("expert")).status_code == 422
    r = client.patch(f"/api/v1/help-requests/{req['id']}", json={"status": "solved"}, headers=people.auth("expert"))
    assert r.get_json()["help_request"]["status"] == "solved"
    assert client.patch(f"/api/v1/help-requests/{req['id']}", json={"status": "open"},
                        headers=people.auth("admin")).status_code == 200


def test_help_request_to_a_colleague_and_a_department_goes_to_the_colleague(client, people, acc):
    """The API takes what the page's composer sends: given both, the named colleague is asked, not the department."""
    r = post(client, people, "staff", acc["X"], kind="help_request", body="等保材料谁有？",
             to_user_id=people.ids["expert"], to_department_id=people.departments["B"])
    assert r.status_code == 201
    req = r.get_json()["help_request"]
    assert req["to_user"]["id"] == people.ids["expert"] and req["to_department"] is None
    notified = {n.user_id for n in db.session.query(Notification).filter_by(kind="help_request")}
    assert notified == {people.ids["expert"]}
    # Neither is still refused.
    assert post(client, people, "staff", acc["X"], kind="help_request", body="x").status_code == 422


def test_mention_notifies_the_person(client, people, acc):
    """`@Name` in a note notifies that colleague."""
    ev = post(client, people, "staff", acc["X"], kind="note", body="@Expert 请看一下**这个**客户的需求").get_json()
    note = db.session.query(Notification).filter_by(user_id=people.ids["expert"]).one()
    assert note.kind == "feed_mention" and note.params["text"] == "@Expert 请看一下这个客户的需求"  # no raw Markdown
    # The feed links the name to the person, as comments do.
    assert f'<a href="/people/{people.ids["expert"]}"' in ev["body_html"]


def test_notifications_api(client, people, acc):
    """My notifications list with the unread count; marking some and all read."""
    for i in range(3):
        post(client, people, "staff", acc["X"], kind="task", body=f"任务{i}", assignee_id=people.ids["expert"])
    data = client.get("/api/v1/notifications", headers=people.auth("expert")).get_json()
    assert data["unread"] == 3 and len(data["notifications"]) == 3
    first = data["notifications"][0]["id"]
    r = client.post("/api/v1/notifications/read", json={"ids": [first]}, headers=people.auth("expert")).get_json()
    assert r == {"marked": 1, "unread": 2}
    # Someone else's ids mark nothing.
    r = client.post("/api/v1/notifications/read", json={"ids": [first + 1]}, headers=people.auth("staff")).get_json()
    assert r["marked"] == 0
    r = client.post("/api/v1/notifications/read", json={"all": True}, headers=people.auth("expert")).get_json()
    assert r == {"marked": 2, "unread": 0}
    assert client.post("/api/v1/notifications/read", json={"ids": ["x"]},
                       headers=people.auth("expert")).status_code == 422
    unread = client.get("/api/v1/notifications?unread=true", headers=people.auth("expert")).get_json()
    assert unread["notifications"] == []


def test_openapi_lists_the_feed(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/customers", "/customers/{account_id}/events", "/tasks/{task_id}",
                 "/help-requests/{request_id}/replies", "/notifications", "/notifications/read"):
        assert path in paths


def test_events_filter_by_kind_and_person(client, people, acc):
    """kind= keeps one kind; person= keeps what a colleague wrote or was assigned."""
    post(client, people, "staff", acc["X"], kind="note", body="记录")
    task = post(client, people, "staff", acc["X"], kind="task", body="任务", assignee_id=people.ids["expert"]).get_json()
    call = post(client, people, "expert", acc["X"], kind="call", body="电话").get_json()
    url = f"/api/v1/customers/{acc['X']}/events"
    tasks = client.get(f"{url}?kind=task", headers=people.auth("staff")).get_json()["events"]
    assert [e["id"] for e in tasks] == [task["id"]]
    expert = client.get(f"{url}?person={people.ids['expert']}", headers=people.auth("staff")).get_json()["events"]
    assert [e["id"] for e in expert] == [task["id"], call["id"]]


def test_link_a_document_to_the_feed(client, people, acc):
    """A staff-wide document is linked with its title; a department-only one is refused (all staff read the feed)."""
    from .social_helpers import make_document

    open_doc = make_document(people, visibility="staff", title="智能客服产品白皮书")
    closed_doc = make_document(people, visibility="department", title="内部报价底线")
    ev = post(client, people, "staff", acc["X"], kind="document", document_id=open_doc, body="客户要的白皮书").get_json()
    assert ev["document"] == {"id": open_doc, "title": "智能客服产品白皮书"}
    r = post(client, people, "expert", acc["X"], kind="document", document_id=closed_doc)
    assert r.status_code == 422 and "内部报价底线" not in r.get_data(as_text=True)
    assert event_count() == 1
