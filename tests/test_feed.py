"""The live account feed: new events arrive at once, and a client that reconnects misses nothing."""

import pytest

from .conftest import login
from .customers_helpers import post, received, setup_accounts, socket_for


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def test_posted_event_arrives_live_with_the_api_json(app, client, people, acc):
    """A client in the account room receives `feed_event` with exactly the JSON the POST answered."""
    sio = socket_for(app, people, "expert")
    sio.emit("join", {"customer_id": acc["X"], "after": 0}, callback=True)
    created = post(client, people, "staff", acc["X"], kind="visit", body="上门拜访，客户关心交付周期").get_json()
    assert received(sio, "feed_event") == [created]


def test_events_of_other_accounts_do_not_arrive(app, client, people, acc):
    sio = socket_for(app, people, "expert")
    sio.emit("join", {"customer_id": acc["X"]}, callback=True)
    post(client, people, "staff", acc["Y"], kind="note", body="别的客户")
    assert received(sio, "feed_event") == []


def test_reconnect_replays_exactly_the_missed_events(app, client, people, acc):
    """Drop a client, post events, reconnect with the last seen id: everything after it, in order, once."""
    sio = socket_for(app, people, "expert")
    sio.emit("join", {"customer_id": acc["X"], "after": 0}, callback=True)
    seen = [post(client, people, "staff", acc["X"], kind="note", body=f"在线 {i}").get_json() for i in range(3)]
    live = received(sio, "feed_event")
    assert [e["id"] for e in live] == [e["id"] for e in seen]
    last_id = live[-1]["id"]
    sio.disconnect()

    missed = [post(client, people, "staff", acc["X"], kind="note", body=f"离线 {i}").get_json() for i in range(4)]
    task = post(client, people, "staff", acc["X"], kind="task", body="离线任务").get_json()
    client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"}, headers=people.auth("staff"))
    expected_ids = [e["id"] for e in missed] + [task["id"]]

    again = socket_for(app, people, "expert")
    ack = again.emit("join", {"customer_id": acc["X"], "after": last_id}, callback=True)
    ids = [e["id"] for e in ack["events"]]
    assert ids[: len(expected_ids)] == expected_ids
    assert len(ids) == len(expected_ids) + 1  # the completion is an event of its own
    assert ack["events"][-1]["kind"] == "update" and ack["events"][-1]["action"] == "completed"
    assert ids == sorted(set(ids)) and all(i > last_id for i in ids)
    assert ack["events"][: len(missed)] == missed
    assert ack["last_id"] == ids[-1] and ack["more"] is False
    # And it is live again afterwards.
    newer = post(client, people, "staff", acc["X"], kind="call", body="回电").get_json()
    assert received(again, "feed_event") == [newer]


def test_long_gaps_are_replayed_in_pages(app, client, people, acc, monkeypatch):
    """A replay longer than the page limit says `more` and continues from `last_id` without gaps."""
    from hub.customers import sockets as customer_sockets

    monkeypatch.setattr(customer_sockets, "REPLAY_LIMIT", 3)
    created = [post(client, people, "staff", acc["X"], kind="note", body=f"{i}").get_json()["id"] for i in range(7)]
    sio = socket_for(app, people, "expert")
    got, after = [], 0
    while True:
        ack = sio.emit("join", {"customer_id": acc["X"], "after": after}, callback=True)
        got += [e["id"] for e in ack["events"]]
        after = ack["last_id"]
        if not ack["more"]:
            break
    assert got == created


def test_task_assignment_notifies_the_assignee_live(app, client, people, acc):
    """The assignee's personal room gets `notification` (with the unread count) wherever they are."""
    login(client, people.emails["expert"])
    sio = socket_for(app, flask_client=client)
    post(client, people, "staff", acc["X"], kind="task", body="整理需求清单", assignee_id=people.ids["expert"])
    notes = received(sio, "notification")
    assert len(notes) == 1 and notes[0]["kind"] == "task" and notes[0]["unread"] == 1
    assert "整理需求清单" in notes[0]["text"] and notes[0]["url"].startswith(f"/customers/{acc['X']}")


def test_complaint_reaches_owner_live_and_the_room(app, client, people, acc):
    """A complaint is a notification for the owner and a feed event for everyone on the page."""
    owner = socket_for(app, people, "staff")
    watcher = socket_for(app, people, "expert")
    watcher.emit("join", {"customer_id": acc["X"]}, callback=True)
    ev = post(client, people, "service", acc["X"], kind="complaint", body="系统宕机两小时", severity="high").get_json()
    assert [n["kind"] for n in received(owner, "notification")] == ["complaint"]
    assert received(watcher, "feed_event") == [ev]


def test_update_events_carry_the_parent_state(app, client, people, acc):
    """Solving a help request sends an update whose `parent` tells the new status."""
    req = post(client, people, "staff", acc["X"], kind="help_request", body="求助",
               to_user_id=people.ids["expert"]).get_json()
    sio = socket_for(app, people, "admin")
    sio.emit("join", {"customer_id": acc["X"], "after": req["id"]}, callback=True)
    client.patch(f"/api/v1/help-requests/{req['id']}", json={"status": "solved"}, headers=people.auth("expert"))
    (update,) = received(sio, "feed_event")
    assert update["parent"] == {"id": req["id"], "kind": "help_request", "status": "solved"}
    assert update["action"] == "solved"
