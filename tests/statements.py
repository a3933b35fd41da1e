"""Count the SQL statements a block sends to the database (the query-budget tests use it)."""

from contextlib import contextmanager

from sqlalchemy import event

from hub.extensions import db


@contextmanager
def counted_statements():
    """Yield a list that collects each statement sent while the block runs."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
