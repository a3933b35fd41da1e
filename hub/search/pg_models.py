"""The PostgreSQL search backend's tables (HUB_SEARCH=postgres): one row per searchable record.

They live in their own MetaData, not the app's: the SQLite schema (and `db.create_all`) never holds
them, and the migration creates them only on PostgreSQL. `terms` is a tsvector made from Hub's own
analysis (jieba, folding, stemming) with positions, weighted title A, tags B, body D; `suggest` holds
the typing keys as a tsvector too, so prefix lookups (`'key':*`) use its GIN index without pg_trgm.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, Table, Text, inspect, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

metadata = MetaData()

search_entries = Table(
    "search_entries",
    metadata,
    Column("key", Text, primary_key=True),  # "document:12"
    Column("kind", Text, nullable=False),
    Column("parent", Text, nullable=False, server_default=""),  # key of the record it hangs on
    Column("scope", ARRAY(Text), nullable=False),  # who may see it: "staff", "dept:3", "account:7"
    Column("terms", TSVECTOR, nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    Column("tags", ARRAY(Text), nullable=False, server_default="{}"),  # folded
    Column("dept", Integer),
    Column("category", Text, nullable=False, server_default=""),
    Column("file_type", Text, nullable=False, server_default=""),
    Column("rating", Integer, nullable=False, server_default="0"),  # average stars x 100
    Column("date", BigInteger, nullable=False, server_default="0"),  # ms since the epoch, UTC
    Column("suggest", TSVECTOR, nullable=False),  # typing keys: text, pinyin, initials
    Column("digest", Text, nullable=False),  # the same digest as the Whoosh entry, for `search check`
    Index("ix_search_entries_scope", "scope", postgresql_using="gin"),
    Index("ix_search_entries_terms", "terms", postgresql_using="gin"),
    Index("ix_search_entries_suggest", "suggest", postgresql_using="gin"),
    Index("ix_search_entries_parent", "parent"),
)

# What the index was built with (the admin dictionary), as Whoosh keeps it beside its segments.
search_meta = Table(
    "search_meta",
    metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),
)


def tables_exist(connection) -> bool:
    names = set(inspect(connection).get_table_names())
    return {"search_entries", "search_meta"} <= names


def drop_all(connection) -> None:
    """For tests: remove the backend's tables (the app fixture's drop_all does not know them)."""
    connection.execute(text("DROP TABLE IF EXISTS search_entries, search_meta"))
