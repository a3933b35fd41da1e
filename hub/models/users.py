"""People: staff, admins and customer users, their sign-ins (login sessions), personal access tokens and
password reset links."""

import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import utcnow

ROLES = ("admin", "staff", "customer")
JOBS = ("sales", "service", "product", "management")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'staff', 'customer')", name="ck_users_role"),
        # A customer user belongs to exactly one account; staff belong to none.
        CheckConstraint(
            "(role = 'customer') = (account_id IS NOT NULL)", name="ck_users_customer_account"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    job: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("customer_accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language last chosen in the UI (zh, en): live notifications are worded in it.
    language: Mapped[str | None] = mapped_column(String(5))

    account = relationship("CustomerAccount", foreign_keys=[account_id], back_populates="users")
    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")
    tokens = relationship("AccessToken", back_populates="user", cascade="all, delete-orphan")
    login_sessions = relationship(
        "LoginSession", back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    # The raw key of the sign-in this request runs under (set by hub.auth.sessions; never stored).
    login_key = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_staff(self) -> bool:
        """Admins are staff too: they see everything staff see."""
        return self.role in ("admin", "staff")

    @property
    def is_customer(self) -> bool:
        return self.role == "customer"

    @property
    def department_ids(self) -> set[int]:
        return {m.department_id for m in self.memberships}

    def get_id(self) -> str:
        """What Flask-Login puts in the session (and remember) cookie: the sign-in's key, not the person."""
        return self.login_key or ""

    def set_password(self, password: str) -> None:
        """Only the hash; ending sessions and tokens is hub.auth.services.change_password's job."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AccessToken(db.Model):
    """A personal access token; only its hash is stored."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user = relationship("User", back_populates="tokens")

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["AccessToken", str]:
        """Create a token for user; return the row and the raw secret (shown once)."""
        raw = "hub_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, token_hash=hash_token(raw), prefix=raw[:12])
        db.session.add(token)
        return token, raw


class LoginSession(db.Model):
    """One sign-in. The login cookie holds its random key (only the hash is stored); deleting the row
    ends that sign-in, whatever copies of the cookie exist."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", back_populates="login_sessions")


class PasswordReset(db.Model):
    """A one-time link an admin makes so a person can set a new password; only the token's hash is stored.

    A person has at most one unused link: a newer one replaces it, and a password change or disabling
    deletes it."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The admin who made it (kept for the record; the link outlives a deleted admin).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])
