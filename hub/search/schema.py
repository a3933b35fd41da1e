"""The Whoosh schema: one entry per searchable record, keyed "kind:id".

The index is a rebuildable copy of the database. It stores what ranking, filtering,
facets and suggestions need; snippets are cut from the database text at query time.
"""

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import HubTokenizer

# Bump when fields or analysis change: an index of another version is rebuilt by `search reindex`.
SCHEMA_VERSION = 3


def build_schema() -> Schema:
    analyzer = HubTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),  # "document:12"
        kind=ID(stored=True, sortable=True),
        parent=ID(stored=True),  # key of the record this one hangs on
        scope=KEYWORD(),  # who may see it: "staff", "dept:3", "account:7"
        title=TEXT(analyzer=analyzer, phrase=True, stored=True, field_boost=3.0),
        body=TEXT(analyzer=analyzer, phrase=True),
        tags=KEYWORD(commas=True, lowercase=True, stored=True, scorable=True, field_boost=2.0),
        dept=ID(stored=True, sortable=True),
        category=ID(stored=True, sortable=True),
        file_type=ID(stored=True, sortable=True),
        rating=NUMERIC(int, stored=True, sortable=True, default=0),  # average stars x 100
        date=NUMERIC(
            int, bits=64, stored=True, sortable=True, default=0
        ),  # milliseconds since the epoch, UTC
        suggest=KEYWORD(lowercase=True),  # prefixes for typing: text, pinyin, initials
        digest=STORED(),  # hash of the fields, for `search check`
    )


SEARCH_FIELDS = ("title", "body", "tags")
