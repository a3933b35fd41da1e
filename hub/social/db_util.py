"""Portable single-statement upserts: the unique constraints decide, not a read-then-write race."""

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db


def insert_for(model):
    """Return a dialect insert (SQLite or PostgreSQL) that supports ON CONFLICT."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)


def upsert(model, values: dict, keys: list[str], update: dict | None = None) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET update (or DO NOTHING when `update` is empty)."""
    statement = insert_for(model).values(**values)
    if update:
        statement = statement.on_conflict_do_update(index_elements=keys, set_=update)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    db.session.execute(statement)
