"""Socket.IO for the account feed: `join {"customer_id", "after"}` subscribes and replays what was missed.

The answer (the join's ack) carries every event of the account with an id above `after`, oldest first,
at most REPLAY_LIMIT at a time (`more: true` asks the client to join again from `last_id`). Live events
arrive as `feed_event`; the client drops any id it has already seen. The room is declared in this
area's init_app.
"""

from flask_babel import gettext as _

from ..errors import ValidationError
from ..extensions import db
from ..models import CustomerAccount
from .cards import render_cards
from .events import REPLAY_LIMIT, events_after, open_items, wire_json
from .schemas import MAX_EVENT_ID


def replay(user, account_id: int, data: dict) -> dict:
    """Answer a join with the events after the client's last seen id."""
    after = data.get("after", 0)
    if after is None:
        after = 0
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_EVENT_ID:
        raise ValidationError(_("after must be zero or a positive event id."))
    account = db.session.get(CustomerAccount, account_id)
    rows, more = events_after(account, after, REPLAY_LIMIT)
    answer = {
        "customer_id": account_id,
        "events": [wire_json(ev) for ev in rows],
        "last_id": rows[-1].id if rows else after,
        "more": more,
    }
    if data.get("cards") is True:  # the account page: each item's card for this reader (hub.customers.cards)
        answer["cards"] = render_cards(user, account, rows)
        # and its counters, so "open complaints" follows what arrives and what is acknowledged
        answer["counts"] = {"complaints": open_items(account, "complaint"), "tasks": open_items(account, "task")}
    return answer
