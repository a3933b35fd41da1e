"""A feed post tells the account's followers in one commit with the event: its statements do not grow
with the followers, and each follower's socket still gets their notification, in their language, with
their own unread count."""

from hub.auth import services
from hub.extensions import db, socketio
from hub.models import Follow, Notification, User
from hub.notifications.service import notify

from .customers_helpers import post, received, setup_accounts
from .statements import counted_statements


def _followers(people, account_id: int, count: int, start: int = 0) -> list[tuple[int, str]]:
    """`count` sales colleagues following the account: (id, token) each; every other one reads English."""
    made = []
    for n in range(start, start + count):
        user = services.create_user(f"follower{n}@test.hub", f"Follower {n}", password="correct-horse-9",
                                    role="staff", job="sales", department_name="销售通产品部")
        user.language = "en" if n % 2 else "zh"
        db.session.flush()
        db.session.add(Follow(user_id=user.id, target_kind="customer", target_id=account_id))
        made.append((user.id, services.issue_token(user, "test")))
    db.session.commit()
    return made


def _statements_of_a_post(client, people, account_id: int) -> int:
    with counted_statements() as statements:
        response = post(client, people, "admin", account_id, kind="note", body="客户确认下周验收")
    assert response.status_code == 201, response.get_json()
    return len(statements)


def test_a_post_costs_the_same_for_one_follower_and_for_eight(app, client, people):
    acc = setup_accounts(people)
    _followers(people, acc["X"], 1)
    post(client, people, "admin", acc["X"], kind="note", body="先热身一次")
    few = _statements_of_a_post(client, people, acc["X"])
    _followers(people, acc["X"], 7, start=1)
    many = _statements_of_a_post(client, people, acc["X"])
    assert many == few, (few, many)
    told = db.session.query(Notification).filter(Notification.kind == "follow_feed").count()
    assert told == 1 + 1 + 8  # warm-up, first measured post, second measured post


def test_each_follower_hears_live_in_their_language_with_their_own_unread_count(app, client, people):
    acc = setup_accounts(people)
    followers = _followers(people, acc["X"], 4)
    first = followers[0][0]
    with app.test_request_context():  # the first follower already has two unread notices
        notify([first, first], "task", {"actor": "Staff", "account": "ACME", "text": "quote"}, "/", None)
        notify([first], "task", {"actor": "Staff", "account": "ACME", "text": "call"}, "/", None)
    sockets = {uid: socketio.test_client(app, auth={"token": token}) for uid, token in followers}
    for sio in sockets.values():
        sio.get_received()
    owner = socketio.test_client(app, auth={"token": people.tokens["staff"]})  # the account's sales rep
    owner.get_received()
    response = post(client, people, "service", acc["X"], kind="complaint", body="设备停机, 请尽快处理",
                    severity="high")
    assert response.status_code == 201, response.get_json()
    assert [n["kind"] for n in received(owner, "notification")] == ["complaint"]  # at once, with the event
    for uid, sio in sockets.items():
        notes = received(sio, "notification")
        assert len(notes) == 1 and notes[0]["kind"] == "follow_feed", (uid, notes)
        english = db.session.get(User, uid).language == "en"
        assert ("which you follow" in notes[0]["text"]) == english, notes[0]
        assert notes[0]["unread"] == (3 if uid == first else 1), (uid, notes[0])
