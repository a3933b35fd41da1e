"""People and organisation: the work behind the admin pages, the profile page and the `users` CLI.

`create_user`, `set_active`, `issue_token` and friends flush only (demo data and tests compose them);
`add_person`, `switch_active`, `new_token`, `withdraw_token` and `replace_password` commit.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from .. import rooms
from ..errors import ValidationError
from ..extensions import db
from ..models import ROLES, AccessToken, CustomerAccount, Department, Membership, User, utcnow
from ..models.users import JOBS, PasswordReset
from ..socket_close import close_after_commit
from . import sessions

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")
MIN_PASSWORD = 8


def get_or_create_department(name: str) -> Department:
    name = name.strip()
    if not name or len(name) > 80:
        raise ValidationError(_("A department name needs 1 to 80 characters."), field="department")
    dept = db.session.scalar(select(Department).where(Department.name == name))
    if dept is None:
        dept = Department(name=name, description="")
        db.session.add(dept)
        db.session.flush()
    return dept


def get_or_create_account(name: str) -> CustomerAccount:
    name = name.strip()
    if not name or len(name) > 120:
        raise ValidationError(_("An account name needs 1 to 120 characters."), field="account")
    account = db.session.scalar(select(CustomerAccount).where(CustomerAccount.name == name))
    if account is None:
        account = CustomerAccount(name=name)
        db.session.add(account)
        db.session.flush()
    return account


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    email: str,
    name: str,
    role: str,
    password: str,
    account_name: str | None = None,
    department_name: str | None = None,
    job: str | None = None,
    title: str | None = None,
) -> User:
    """Create a person; a customer needs an account, staff may join a department. Flushes, never commits."""
    email = email.strip().lower()
    name = name.strip()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise ValidationError(_("Please give a valid e-mail address."), field="email")
    if not name or len(name) > 80:
        raise ValidationError(_("A name needs 1 to 80 characters."), field="name")
    if role not in ROLES:
        raise ValidationError(_("The role must be admin, staff or customer."), field="role")
    if len(password) < MIN_PASSWORD:
        raise ValidationError(_("A password needs at least %(n)d characters.", n=MIN_PASSWORD), field="password")
    if job is not None and job not in JOBS:
        raise ValidationError(_("Unknown job."), field="job")
    if find_user(email) is not None:
        raise ValidationError(_("Someone with this e-mail address already exists."), field="email")
    if role == "customer" and not account_name:
        raise ValidationError(_("A customer user must belong to a customer account."), field="account")
    if role != "customer" and account_name:
        raise ValidationError(_("Only customer users belong to a customer account."), field="account")
    if role == "customer" and department_name:
        raise ValidationError(_("Customer users do not join departments."), field="department")

    user = User(email=email, name=name, role=role, job=job, title=title, password_hash="")
    user.set_password(password)
    if account_name:
        user.account = get_or_create_account(account_name)
    db.session.add(user)
    if department_name:
        db.session.flush()
        db.session.add(Membership(user=user, department=get_or_create_department(department_name)))
    db.session.flush()
    return user


def revoke_all_tokens(user: User) -> None:
    now = utcnow()
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = now


def drop_reset_links(user: User) -> None:
    """Delete the person's unused password reset links (used ones stay as the record)."""
    db.session.execute(
        delete(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
    )


def end_everything(user: User) -> None:
    """End every sign-in, token and unused reset link of this person; all their sockets close after commit."""
    sessions.end_all(user)
    revoke_all_tokens(user)
    drop_reset_links(user)
    close_after_commit(db.session, rooms.user(user.id))


def set_active(user: User, active: bool) -> None:
    """Enable or disable a person; disabling ends every session and token at once (enabling brings none back)."""
    user.active = active
    if not active:
        end_everything(user)


def change_password(user: User, password: str) -> None:
    """New password: every sign-in and token of the person ends; the caller signs the current device in anew."""
    user.set_password(password)
    end_everything(user)


def issue_token(user: User, name: str) -> str:
    name = (name or "").strip() or "token"
    if len(name) > 80:
        raise ValidationError(_("A token name needs at most 80 characters."))
    _token, raw = AccessToken.issue(user, name)
    db.session.flush()
    return raw


def revoke_token(token: AccessToken) -> None:
    """Revoke a token; the sockets opened with it close after commit."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    close_after_commit(db.session, rooms.token(token.id))


# --- what a request or a command does: each commits ----------------------------------


def add_person(email: str, name: str, role: str, password: str, **details) -> User:
    """Create a person (see create_user) and commit; a refusal leaves nothing behind."""
    try:
        user = create_user(email, name, role, password, **details)
    except ValidationError:
        db.session.rollback()  # a department or account may already have been flushed
        raise
    db.session.commit()
    return user


def switch_active(user: User, active: bool) -> None:
    set_active(user, active)
    db.session.commit()


def new_token(user: User, name: str) -> str:
    """Issue and commit a token; the raw value is returned once and never stored."""
    raw = issue_token(user, name)
    db.session.commit()
    return raw


def withdraw_token(token: AccessToken) -> None:
    revoke_token(token)
    db.session.commit()


def replace_password(user: User, password: str) -> None:
    """Change the password (every sign-in and token ends) and sign this device in anew."""
    change_password(user, password)
    sessions.start(user)
    db.session.commit()
