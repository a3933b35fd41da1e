"""Live comments: readers of a document (room doc:<id>) receive new, edited and deleted comments."""

from hub.extensions import socketio

from .conftest import login
from .social_helpers import api, make_document


def connect(app, people, who):
    """A Socket.IO test client signed in with the person's session cookie."""
    flask_client = app.test_client()
    assert login(flask_client, people.emails[who]).status_code == 302
    client = socketio.test_client(app, flask_test_client=flask_client)
    assert client.is_connected()
    return client


def events(client, name):
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


def test_reader_receives_new_edited_and_deleted_comments(app, people, client):
    """A reader who joined doc:<id> gets `comment`, `comment_updated` and `comment_deleted` live."""
    doc_id = make_document(people)
    reader = connect(app, people, "expert")
    assert reader.emit("join_document", {"document_id": doc_id}, callback=True) == {
        "ok": True,
        "room": f"doc:{doc_id}",
    }
    reader.get_received()
    created = api(
        client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "**新评论** @Expert"}
    ).json
    [live] = events(reader, "comment")
    assert live["id"] == created["id"] and "<strong>新评论</strong>" in live["html"]
    api(client, people, "staff", "PATCH", f"/comments/{created['id']}", {"body": "改过了"})
    assert events(reader, "comment_updated")[0]["body"] == "改过了"
    api(client, people, "staff", "DELETE", f"/comments/{created['id']}")
    assert events(reader, "comment_deleted") == [{"id": created["id"]}]
    reader.disconnect()


def test_mentioned_reader_gets_a_notification_in_their_own_room(app, people, client):
    """The mentioned colleague's connection receives a `notification` with the unread count."""
    doc_id = make_document(people)
    mentioned = connect(app, people, "service")
    mentioned.get_received()
    api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "@Service 请看"})
    [note] = events(mentioned, "notification")
    assert note["kind"] == "mention" and note["unread"] == 1
    mentioned.disconnect()


def test_hidden_or_unknown_documents_cannot_be_joined(app, people, client):
    """Joining the room of a document one cannot see, or of none, is refused the same way; no events leak."""
    hidden = make_document(people, dept="B", visibility="department")
    outsider = connect(app, people, "staff")
    refused = outsider.emit("join_document", {"document_id": hidden}, callback=True)
    assert refused["error"]["code"] == "not_found"
    assert outsider.emit("join_document", {"document_id": 987654}, callback=True) == refused
    for bad in ({"document_id": "1"}, {"document_id": True}, {"document_id": -3}, "x", None):
        assert outsider.emit("join_document", bad, callback=True)["error"]["code"] == "bad_request"
    outsider.get_received()
    api(client, people, "expert", "POST", f"/documents/{hidden}/comments", {"body": "内部讨论"})
    assert events(outsider, "comment") == []
    assert outsider.is_connected()
    outsider.disconnect()


def test_generic_join_event_also_reaches_the_document_room(app, people, client):
    """hub.sockets' `join` with {"document_id"} joins the same room through the same policy."""
    doc_id = make_document(people)
    reader = connect(app, people, "admin")
    assert reader.emit("join", {"document_id": doc_id}, callback=True)["ok"] is True
    reader.get_received()
    api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "hello"})
    assert len(events(reader, "comment")) == 1
    reader.disconnect()


def test_customers_cannot_join_document_rooms(app, people):
    """A customer user's join of an internal document room is refused."""
    doc_id = make_document(people)
    customer = connect(app, people, "customer")
    assert (
        customer.emit("join_document", {"document_id": doc_id}, callback=True)["error"]["code"] == "not_found"
    )
    customer.disconnect()


def test_readers_receive_the_new_rating_summary(app, people, client):
    """After a rating, readers in the room get the summary (without anyone's own stars)."""
    doc_id = make_document(people)
    reader = connect(app, people, "expert")
    reader.emit("join_document", {"document_id": doc_id}, callback=True)
    reader.get_received()
    api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 3})
    [summary] = events(reader, "rating")
    assert summary["count"] == 1 and summary["average"] == 3.0 and "mine" not in summary
    reader.disconnect()
