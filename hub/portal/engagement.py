"""What customers read: document opens and page views, and the owner's live note on a first open."""

import logging

from flask import url_for
from sqlalchemy import func, not_, select, update
from sqlalchemy.exc import IntegrityError

from .. import policy
from ..extensions import db
from ..models import CustomerAccount, Document, DocumentOpen, PageView, User, utcnow
from ..models.base import iso
from ..notifications.service import notify

log = logging.getLogger("hub.portal")


def _bump(model, where: dict, values: dict) -> bool:
    """Count one more on an existing row; return False when there is none yet."""
    now = utcnow()
    result = db.session.execute(
        update(model).filter_by(**where).values(last_at=now, count=model.count + 1)
    )
    return result.rowcount > 0


def _upsert(model, where: dict, extra: dict) -> bool:
    """Insert the first row or count again; return True when this call created it (a first time)."""
    if _bump(model, where, {}):
        db.session.commit()
        return False
    try:
        with db.session.begin_nested():
            db.session.add(model(**where, **extra))
        db.session.commit()
        return True
    except IntegrityError:  # someone (another tab) inserted it meanwhile
        db.session.rollback()
        _bump(model, where, {})
        db.session.commit()
        return False


def record_open(user: User, document: Document, page: int | None = None) -> bool:
    """Note that a customer user opened a shared document (and saw `page`, when given); tell the account
    owner the first time."""
    account = user.account
    first = _upsert(DocumentOpen, {"document_id": document.id, "user_id": user.id}, {"account_id": account.id})
    if first:
        log.info("customer user %s opened shared document %s for the first time", user.id, document.id)
        _tell_first_open(user, account, document)
    if page is not None:
        record_page(user, document, page)
    return first


def _tell_first_open(user: User, account: CustomerAccount, document: Document) -> None:
    """The owner hears of it; the title only when they may see the document (department-only ones stay there)."""
    owner = account.owner
    if owner is None:
        return
    params = {"name": user.name, "account": account.name}
    if policy.can_view_document(owner, document):
        params["title"] = document.title  # worded with the title (hub.notifications.messages)
    notify([owner.id], "share_opened", params, url_for("customers.show", account_id=account.id, _anchor="portal"),
           actor_id=user.id)


REPEAT_SECONDS = 60  # the same page again within a minute is the same look (lazy loading, zooming)


def record_page(user: User, document: Document, page: int) -> None:
    """Note a page view; a repeat within a minute is not written again (page images are re-fetched often)."""
    where = {"document_id": document.id, "user_id": user.id, "page": page}
    last = db.session.scalar(select(PageView.last_at).filter_by(**where))
    if last is not None and (utcnow() - last).total_seconds() < REPEAT_SECONDS:
        return
    _upsert(PageView, where, {"account_id": user.account_id})


def report(account: CustomerAccount, reader: User) -> tuple[list[dict], int]:
    """Per shared document the reader may see, who of the customer's people opened it, when, and which
    pages they viewed; and how many other opened documents there are (the reader may not see those)."""
    visible = policy.visible_documents(reader)
    opens = db.session.execute(
        select(DocumentOpen, Document.title, User.name)
        .join(Document, Document.id == DocumentOpen.document_id)
        .join(User, User.id == DocumentOpen.user_id)
        .where(DocumentOpen.account_id == account.id, visible)
        .order_by(DocumentOpen.last_at.desc())
    ).all()
    hidden = db.session.scalar(
        select(func.count(func.distinct(DocumentOpen.document_id)))
        .join(Document, Document.id == DocumentOpen.document_id)
        .where(DocumentOpen.account_id == account.id, not_(visible))
    ) or 0
    pages: dict[tuple[int, int], list[dict]] = {}
    for view in db.session.scalars(
        select(PageView).where(PageView.account_id == account.id).order_by(PageView.page)
    ):
        pages.setdefault((view.document_id, view.user_id), []).append(
            {"page": view.page, "first_at": iso(view.first_at), "last_at": iso(view.last_at), "count": view.count}
        )
    documents: dict[int, dict] = {}
    for row, title, name in opens:
        doc = documents.setdefault(row.document_id, {"document_id": row.document_id, "title": title, "readers": []})
        doc["readers"].append({
            "user": {"id": row.user_id, "name": name},
            "first_opened_at": iso(row.first_at),
            "last_opened_at": iso(row.last_at),
            "opens": row.count,
            "pages": pages.get((row.document_id, row.user_id), []),
        })
    return list(documents.values()), hidden
