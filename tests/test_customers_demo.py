"""Demo data for the customers area: teams, key contacts and feed entries, loaded once."""

from sqlalchemy import select

from hub import demo
from hub.customers import events
from hub.extensions import db
from hub.models import AccountContact, CustomerAccount, FeedEvent, Notification, User


def test_demo_feed_loads_once(app):
    """Every demo account gets a feed; loading again adds nothing; the logistics owner sees an open complaint."""
    assert demo.load() is True
    db.session.commit()
    counts = (db.session.query(FeedEvent).count(), db.session.query(AccountContact).count())
    assert demo.load() is False and demo.load_customer_feed() is False
    db.session.commit()
    assert (db.session.query(FeedEvent).count(), db.session.query(AccountContact).count()) == counts
    for account in db.session.scalars(select(CustomerAccount)):
        assert events.max_event_id(account.id) > 0, account.name
    lina = db.session.scalar(select(User).where(User.email == "lina@yunfan.demo"))
    assert [a.body[:3] for a in events.owner_alerts(lina)] == ["许经理"]
    kinds = {n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == lina.id))}
    assert "complaint" in kinds  # the feed goes through the real services: the owner's bell has the complaint
    chenhao = db.session.scalar(select(User).where(User.email == "chenhao@yunfan.demo"))
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == chenhao.id)))
    assert {"feed_mention", "help_reply"} <= kinds  # named in a colleague's note; his help request answered
