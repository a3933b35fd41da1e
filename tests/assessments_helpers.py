"""Helpers for the assessment tests: accounts with industries, posting assessments, counting what was stored."""

from hub.extensions import db
from hub.models import AccountShare, Assessment, CustomerAccount, FeedEvent

GOOD = {"short_term": 8, "long_term": 7, "territory": "ours", "position": "lead", "competitor": "远图软件",
        "deal_value": 120, "note": "客户倾向我们"}


def accounts(people) -> dict:
    """Accounts X (制造业) and Y (物流), both active; returns their ids."""
    x = db.session.get(CustomerAccount, people.accounts["customer"])
    y = db.session.get(CustomerAccount, people.accounts["other_customer"])
    x.industry, y.industry = "制造业", "物流"
    x.owner_id = people.ids["staff"]
    db.session.commit()
    return {"X": x.id, "Y": y.id}


def assess(client, people, who: str, account_id: int, **body):
    return client.post(f"/api/v1/customers/{account_id}/assessments", json=body, headers=people.auth(who))


def counts() -> tuple[int, int, int]:
    """(assessments, assessment feed events, share rows) in the database."""
    return (
        db.session.query(Assessment).count(),
        db.session.query(FeedEvent).filter(FeedEvent.kind == "assessment").count(),
        db.session.query(AccountShare).count(),
    )


def disable(account_id: int) -> None:
    db.session.get(CustomerAccount, account_id).active = False
    db.session.commit()
