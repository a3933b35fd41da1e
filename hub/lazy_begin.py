"""PostgreSQL: reads run outside a transaction, and the first write opens one.

The driver's default opens a transaction before the first statement and the pool ends it with a
ROLLBACK, so a page of reads paid two more round trips than it had statements. The ROLLBACK also
made psycopg forget the statements it had prepared on that connection, so every statement was parsed
and planned anew on every request. Served under load, the two cost a quarter to a third of the
throughput of the list, the page and the feed.

The engine runs in autocommit, and this module opens a transaction just before the first statement
that is not a plain SELECT: INSERT, UPDATE, DELETE, DDL, SAVEPOINT, SELECT ... FOR UPDATE/SHARE, a
SELECT of a function whose effect lasts to the end of the transaction (set_config, advisory locks,
sequences), or any SQL it cannot read as a plain SELECT. From there on, until the commit or rollback,
statements run in that transaction as they did before. Under PostgreSQL's READ COMMITTED every statement takes its
own snapshot anyway, so a read outside a transaction sees what it would have seen inside one.

Work that needs one snapshot across several reads asks for it (hub/ops/backup.py: REPEATABLE READ);
SQLAlchemy then turns autocommit off for that connection, and this module leaves it alone.
"""

import re
from functools import lru_cache

from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine

OPENED = "hub.lazy_begin"  # in the connection record's info: this module turned autocommit off
# row locks, and functions whose effect lasts to the end of the transaction (a SET LOCAL by set_config)
_TRANSACTIONAL = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\b(?:set_config|pg_advisory\w*|nextval|setval)\s*\(",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def plain_read(sql: str) -> bool:
    """Whether `sql` only reads: a SELECT (or a parenthesised compound of SELECTs) that takes no lock
    and calls none of the functions above. Values are bound parameters, never in this text; WITH is
    not read as a SELECT (a data-modifying CTE writes)."""
    head = sql.lstrip().lstrip("(").lstrip()[:6].upper()
    return head == "SELECT" and not _TRANSACTIONAL.search(sql)


def install(engine: Engine) -> None:
    """Open transactions lazily on this PostgreSQL (psycopg 3) engine, created with AUTOCOMMIT."""

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_writes(conn, cursor, statement, parameters, context, executemany):
        raw = cursor.connection
        if plain_read(statement):
            # A read after this module's transaction ended (commit or rollback): back to autocommit,
            # so the read neither opens a transaction nor ends with a ROLLBACK.
            if not raw.autocommit and conn.info.get(OPENED) and _idle(raw):
                raw.autocommit = True
                conn.info.pop(OPENED)
        elif raw.autocommit:
            raw.autocommit = False  # psycopg sends BEGIN before this statement
            conn.info[OPENED] = True

    @event.listens_for(engine, "checkin")
    def _autocommit_again(dbapi_connection, record):
        # The pool has rolled back whatever was left open; the next checkout starts in autocommit.
        if record.info.pop(OPENED, None) and not dbapi_connection.closed and _idle(dbapi_connection):
            dbapi_connection.autocommit = True


def _idle(raw) -> bool:
    return raw.info.transaction_status == TransactionStatus.IDLE
