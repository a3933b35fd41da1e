"""Customer accounts: lists with filters, details, the account team and key contacts.

The changes come twice: building blocks that only flush (the demo loader adds many in one transaction)
and, at the end, the functions the account page calls, which commit.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from ..auth.services import EMAIL_RE
from ..errors import ValidationError
from ..extensions import db
from ..models import AccountContact, AccountMember, CustomerAccount, Document, User
from ..models.customers import ACCOUNT_STATUSES, MEMBER_ROLES
from . import events


def _like(text: str) -> str:
    return "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"


def list_accounts(user, q: str = "", industry: str = "", region: str = "", status: str = "",
                  owner: int | None = None) -> list[CustomerAccount]:
    """Accounts this person may see, filtered; search matches name, industry and region."""
    query = select(CustomerAccount)
    if not user.is_admin:
        query = query.where(CustomerAccount.active)
    q = q.strip()
    if q:
        pattern = _like(q)
        query = query.where(or_(CustomerAccount.name.ilike(pattern), CustomerAccount.industry.ilike(pattern),
                                CustomerAccount.region.ilike(pattern)))
    if industry:
        query = query.where(CustomerAccount.industry == industry)
    if region:
        query = query.where(CustomerAccount.region == region)
    if status:
        query = query.where(CustomerAccount.status == status)
    if owner:
        query = query.where(CustomerAccount.owner_id == owner)
    return list(db.session.scalars(query.order_by(CustomerAccount.name).limit(500)))


def facets() -> dict[str, list[str]]:
    """Distinct industries and regions of active accounts, for the filter menus."""
    def distinct(column):
        rows = db.session.scalars(select(column).where(CustomerAccount.active, column != "").distinct())
        return sorted(rows)

    return {"industries": distinct(CustomerAccount.industry), "regions": distinct(CustomerAccount.region)}


def members(account: CustomerAccount, role: str) -> list[User]:
    query = (
        select(User)
        .join(AccountMember, AccountMember.user_id == User.id)
        .where(AccountMember.account_id == account.id, AccountMember.role == role, User.active)
        .order_by(User.name)
    )
    return list(db.session.scalars(query))


def contacts(account: CustomerAccount) -> list[AccountContact]:
    return list(db.session.scalars(
        select(AccountContact).where(AccountContact.account_id == account.id).order_by(AccountContact.id)
    ))


def staff_people() -> list[User]:
    """Active colleagues, for assignee and team pickers."""
    return list(db.session.scalars(
        select(User).where(User.active, User.role.in_(("staff", "admin"))).order_by(User.name)
    ))


def _ref(u: User) -> dict:
    return {"id": u.id, "name": u.name}


def detail(account: CustomerAccount) -> dict:
    ref = _ref
    return summary(account) | {
        "team": [ref(u) for u in members(account, "team")],
        "service_contacts": [ref(u) for u in members(account, "service")],
        "key_contacts": [
            {"id": c.id, "name": c.name, "title": c.title, "phone": c.phone, "email": c.email, "note": c.note}
            for c in contacts(account)
        ],
        "open_complaints": events.open_items(account, "complaint"),
        "open_tasks": events.open_items(account, "task"),
        "last_event_id": events.max_event_id(account.id),
    }


def summary(account: CustomerAccount) -> dict:
    owner = account.owner
    return {
        "id": account.id,
        "name": account.name,
        "industry": account.industry,
        "region": account.region,
        "status": account.status,
        "active": account.active,
        "owner": None if owner is None else {"id": owner.id, "name": owner.name},
    }


def _text(value: str | None, field: str, maximum: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("%(field)s must not be empty.", field=field))
    if len(value) > maximum:
        raise ValidationError(_("%(field)s may have at most %(n)d characters.", field=field, n=maximum))
    return value


def update_account(account: CustomerAccount, industry: str, region: str, status: str, owner_id: int | None) -> None:
    """Change an account's details; the owner must be an active colleague. Flushes, never commits."""
    if status not in ACCOUNT_STATUSES:
        raise ValidationError(_("Unknown account status."))
    owner = None
    if owner_id:
        owner = db.session.get(User, owner_id)
        if owner is None or not owner.active or not owner.is_staff:
            raise ValidationError(_("The owner must be an active colleague."))
    industry, region = _text(industry, _("Industry"), 80), _text(region, _("Region"), 80)
    account.industry, account.region, account.status = industry, region, status
    account.owner_id = owner.id if owner else None
    db.session.flush()


def add_member(account: CustomerAccount, user_id: int, role: str) -> None:
    if role not in MEMBER_ROLES:
        raise ValidationError(_("Unknown team role."))
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.is_staff:
        raise ValidationError(_("Only active colleagues join an account team."))
    if db.session.get(AccountMember, (account.id, user.id, role)) is None:
        db.session.add(AccountMember(account_id=account.id, user_id=user.id, role=role))
        db.session.flush()


def remove_member(account: CustomerAccount, user_id: int, role: str) -> None:
    db.session.execute(delete(AccountMember).where(
        AccountMember.account_id == account.id, AccountMember.user_id == user_id, AccountMember.role == role
    ))


def add_contact(account: CustomerAccount, name: str, title: str = "", phone: str = "", email: str = "",
                note: str = "") -> AccountContact:
    email = _text(email, _("E-mail"), 254).lower()
    if email and not EMAIL_RE.match(email):
        raise ValidationError(_("Please give a valid e-mail address."))
    contact = AccountContact(
        account_id=account.id,
        name=_text(name, _("Name"), 80, required=True),
        title=_text(title, _("Title"), 80),
        phone=_text(phone, _("Phone"), 40),
        email=email,
        note=_text(note, _("Note"), 200),
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def remove_contact(contact: AccountContact) -> None:
    db.session.delete(contact)


def linkable_documents(limit: int = 100):
    """Recent documents every colleague may read: the ones that can be linked to an account feed."""
    return list(db.session.scalars(
        select(Document).where(Document.visibility == "staff").order_by(Document.id.desc()).limit(limit)
    ))


# --- changes from the account page: each checks everything first, then commits ------------------------


def change_account(account: CustomerAccount, industry: str, region: str, status: str, owner_id: int | None) -> None:
    update_account(account, industry, region, status, owner_id)
    db.session.commit()


def join_team(account: CustomerAccount, user_id: int, role: str) -> None:
    add_member(account, user_id, role)
    db.session.commit()


def leave_team(account: CustomerAccount, user_id: int, role: str) -> None:
    remove_member(account, user_id, role)
    db.session.commit()


def new_contact(account: CustomerAccount, name: str, title: str = "", phone: str = "", email: str = "",
                note: str = "") -> AccountContact:
    contact = add_contact(account, name, title, phone, email, note)
    db.session.commit()
    return contact


def drop_contact(contact: AccountContact) -> None:
    remove_contact(contact)
    db.session.commit()
