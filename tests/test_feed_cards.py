"""The account page's cards over the socket: rendered by the page's macro, per reader, controls by hub.policy."""

import pytest

from hub.extensions import db
from hub.models import CustomerAccount

from .customers_helpers import post, setup_accounts, socket_for


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def cards_after(app, people, who: str, account_id: int, after: int = 0) -> dict:
    ack = socket_for(app, people, who).emit("join", {"customer_id": account_id, "after": after, "cards": True},
                                            callback=True)
    assert ack["ok"] is True, ack
    return ack


def test_cards_are_per_reader_and_a_plain_join_is_unchanged(app, client, people, acc):
    """The assignee gets the task's control, a colleague does not; without `cards` the answer has none."""
    task = post(client, people, "staff", acc["X"], kind="task", body="准备报价", assignee_id=people.ids["expert"]).get_json()
    done = client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"}, headers=people.auth("staff")).get_json()
    ack = cards_after(app, people, "expert", acc["X"])
    assert set(ack["cards"]) == {str(task["id"]), str(task["id"] + 1)}
    card = ack["cards"][str(task["id"])]
    assert f'id="e{task["id"]}"' in card and "准备报价" in card and 'class="inline item-action"' in card
    assert ack["cards"][str(task["id"] + 1)] == card  # an update comes with its item's card
    assert done["task"]["status"] == "done" and "status-done" in card
    assert "item-action" not in cards_after(app, people, "service", acc["X"])["cards"][str(task["id"])]
    plain = socket_for(app, people, "expert").emit("join", {"customer_id": acc["X"], "after": 0}, callback=True)
    assert "cards" not in plain


def test_a_disabled_account_offers_no_changes_even_to_an_admin(app, client, people, acc):
    """The rule the page applies (an inactive account takes no changes) holds for the live cards too."""
    task = post(client, people, "staff", acc["X"], kind="task", body="回访").get_json()
    assert "item-action" in cards_after(app, people, "admin", acc["X"])["cards"][str(task["id"])]
    db.session.get(CustomerAccount, acc["X"]).active = False
    db.session.commit()
    assert "item-action" not in cards_after(app, people, "admin", acc["X"])["cards"][str(task["id"])]


def test_cards_escape_what_people_wrote(app, client, people, acc):
    """Text goes through the same escaping as the page: no markup from a post survives."""
    note = post(client, people, "staff", acc["X"], kind="note", body='<img src=x onerror="alert(1)">').get_json()
    card = cards_after(app, people, "expert", acc["X"])["cards"][str(note["id"])]
    assert "<img" not in card and "&lt;img" in card
