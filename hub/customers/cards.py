"""Feed cards rendered for one reader: the page's Jinja macro is the only markup of a feed item.

Live events are broadcast to the account room, and what a reader may do with an item (its controls)
differs per reader, so the broadcast carries no markup. A page that receives one asks again with
`join {"customer_id", "after", "cards": true}`; the answer's `cards` maps each replayed event id to
the HTML of the top-level item it belongs to, rendered for the joining reader with hub.policy.
"""

from flask import render_template

from .. import policy
from ..models import FeedEvent
from .views import feed_labels


def render_cards(user, account, rows: list[FeedEvent]) -> dict[str, str]:
    """Event id -> the card of its item (the item itself, or the parent of a reply/update), for `user`."""
    labels = feed_labels()
    cards: dict[str, str] = {}
    done: dict[int, str] = {}
    for ev in rows:
        item = ev.parent if ev.parent is not None else ev
        if item.id not in done:
            done[item.id] = render_template(
                "customers/_card.html", ev=item, account=account, me=user, labels=labels, policy=policy
            )
        cards[str(ev.id)] = done[item.id]
    return cards
