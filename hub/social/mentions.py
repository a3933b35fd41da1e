"""@mentions: find colleagues named in a text, suggest names while typing, link them when rendering."""

import re

from flask import url_for
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import User

# An @ that starts a mention: not inside an e-mail address or a word of Latin letters and digits.
MENTION_START = re.compile(r"(?<![A-Za-z0-9_.+\-])@")
TOKEN = re.compile(r"[^\s@,，。.!！?？;；:：、()（）\[\]<>\"'“”]+")
ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def mentionable_people() -> list[User]:
    """Active staff and admins: the people a comment may name."""
    return list(db.session.scalars(select(User).where(User.active, User.role.in_(("staff", "admin")))))


def _match_at(text: str, start: int, people: list[User]) -> User | None:
    """Return the person whose name (longest first) follows position `start`, if any."""
    rest = text[start:].casefold()
    for person in sorted(people, key=lambda p: len(p.name), reverse=True):
        name = person.name.casefold()
        if not name or not rest.startswith(name):
            continue
        after = text[start + len(name) : start + len(name) + 1]
        if ASCII_WORD.match(name[-1]) and after and ASCII_WORD.match(after):
            continue  # "@Ann" must not match inside "@Anna"
        return person
    return None


def find_mentions(text: str, people: list[User] | None = None) -> tuple[list[User], list[str]]:
    """Return (people named, names that match nobody), each in order of first appearance."""
    people = mentionable_people() if people is None else people
    found: dict[int, User] = {}
    unknown: list[str] = []
    for match in MENTION_START.finditer(text or ""):
        person = _match_at(text, match.end(), people)
        if person is not None:
            found.setdefault(person.id, person)
            continue
        token = TOKEN.match(text, match.end())
        if token and token.group(0) not in unknown:
            unknown.append(token.group(0))
    return list(found.values()), unknown


def link_mentions(text: str, people: list[User]) -> str:
    """Turn `@Name` of the given people into Markdown links to their profile pages."""
    if not people:
        return text
    out, last = [], 0
    for match in MENTION_START.finditer(text):
        if match.start() < last:
            continue
        person = _match_at(text, match.end(), people)
        if person is None:
            continue
        end = match.end() + len(person.name)
        label = MARKDOWN_SPECIAL.sub(r"\\\1", text[match.end() : end])
        out.append(text[last : match.start()])
        out.append(f"[@{label}]({url_for('social.person', user_id=person.id)})")
        last = end
    out.append(text[last:])
    return "".join(out)


def suggest(prefix: str, limit: int = 8) -> list[User]:
    """Colleagues whose name or e-mail starts with (or name contains) `prefix`, for autocomplete."""
    prefix = (prefix or "").strip()[:80]
    query = select(User).where(User.active, User.role.in_(("staff", "admin")))
    if prefix:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(
                func.lower(User.name).like(f"%{escaped.lower()}%", escape="\\"),
                func.lower(User.email).like(f"{escaped.lower()}%", escape="\\"),
            )
        )
    people = db.session.scalars(query.order_by(User.name).limit(50)).all()
    lowered = prefix.lower()
    people.sort(key=lambda p: (not p.name.lower().startswith(lowered), len(p.name), p.name))
    return people[:limit]
