"""The writes of the admin pages: departments and customer accounts (people are hub.auth.services'). Each commits."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth import services as people
from ..errors import ValidationError
from ..extensions import db
from ..models import CustomerAccount, Department


def create_department(name: str, description: str | None) -> Department:
    name = name.strip()
    if db.session.scalar(select(Department).where(Department.name == name)):
        raise ValidationError(_("A department with this name exists already."), field="name")
    dept = Department(name=name, description=(description or "").strip())
    db.session.add(dept)
    db.session.commit()
    return dept


def toggle_department(dept: Department) -> None:
    dept.active = not dept.active
    db.session.commit()


def create_account(name: str, industry: str | None, region: str | None) -> CustomerAccount:
    name = name.strip()
    if db.session.scalar(select(CustomerAccount).where(CustomerAccount.name == name)):
        raise ValidationError(_("An account with this name exists already."), field="name")
    account = CustomerAccount(name=name, industry=industry or "", region=region or "")
    db.session.add(account)
    db.session.commit()
    return account


def toggle_account(account: CustomerAccount) -> None:
    """Open or close an account; closing it disables its people (their sign-ins and tokens end)."""
    account.active = not account.active
    if not account.active:
        for user in account.users:
            people.set_active(user, False)
    db.session.commit()
