"""PostgreSQL backend: run a parsed search over search_entries, with the Whoosh path's results contract.

The reader's scope (`scope && tokens`), the kinds they may see and the Filters are all in the WHERE;
counts and facets are computed over that same WHERE (GROUP BY GROUPING SETS), then one page is read
in the asked order. Snippets, best pages and the Hit shape come from hits.build_page, shared
with Whoosh. Every statement runs under a transaction-local statement_timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from ..extensions import db
from . import kinds as registry
from .pg_index import sync_dictionary
from .pg_query import WEIGHTS, Untranslatable, Where, translate
from .query import ANY_MATCH

log = logging.getLogger("hub.search")

TIMEOUT = "search_timeout"  # notice: the search took too long and was stopped
UNAVAILABLE = "index_unavailable"
FACET_COLUMNS = ("kind", "dept", "category", "file_type")
DAY_MS = 86_400_000


@dataclass
class Shared:
    """What the search service shares with this backend (passed in: service imports this module)."""

    build_hits: Callable  # (stored fields, parsed, user) -> [Hit]
    rating_steps: tuple
    since: dict


def run(outcome, parsed, kinds: list[str], tokens: tuple, filters, sort: str, user, clock, shared: Shared):
    """Fill `outcome` (already holding the parse notices) for this reader; never raises on bad input."""
    build_hits, rating_steps, since = shared.build_hits, shared.rating_steps, shared.since
    timeout_ms = int(current_app.config.get("SEARCH_STATEMENT_TIMEOUT_MS") or 2000)
    now = time.time() * 1000
    try:
        where = translate(parsed.match_all)
        fallback = translate(parsed.match_any, prefix="f") if parsed.match_any is not None else None
        with db.engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": f"{timeout_ms}ms"})
            sync_dictionary(conn)
            base = _base(kinds, tokens)
            conds, cparams = _filters(filters, now, since)
            clock.lap("open")
            counts = _counts(conn, where, base, conds, cparams, now, rating_steps, since)
            if not counts["unfiltered"] and fallback is not None:
                counts_any = _counts(conn, fallback, base, conds, cparams, now, rating_steps, since)
                if counts_any["unfiltered"]:
                    where, counts = fallback, counts_any
                    outcome.notices.append((ANY_MATCH, ""))
                    outcome.any_words = True
            outcome.unfiltered, outcome.total = counts["unfiltered"], counts["total"]
            clock.lap("match")
            outcome.facets = _facets(
                conn, where, base, conds, cparams, counts, outcome.total, rating_steps, since
            )
            clock.lap("facets")
            start = (outcome.page - 1) * outcome.per_page
            if start < outcome.total:
                stored = _page(conn, where, base, conds, cparams, parsed, sort, now, start, outcome.per_page)
                clock.lap("rank")
                outcome.hits = build_hits(stored, parsed, user)
                clock.lap("hits")
    except OperationalError as exc:
        if "statement timeout" not in str(exc) and "canceling statement" not in str(exc):
            log.exception("search: PostgreSQL failed")
            outcome.notices.append((UNAVAILABLE, ""))
        else:
            log.warning("search: stopped after %d ms: %r", timeout_ms, parsed.text[:80])
            outcome.notices.append((TIMEOUT, ""))
        _clear(outcome)
    except (DBAPIError, Untranslatable, RecursionError):
        log.exception(
            "search: the PostgreSQL search failed (run `flask db upgrade` and `flask search reindex`?)"
        )
        outcome.notices.append((UNAVAILABLE, ""))
        _clear(outcome)
    return outcome


def _clear(outcome) -> None:
    outcome.total = outcome.unfiltered = 0
    outcome.hits, outcome.facets, outcome.any_words = [], {}, False


def _base(kinds: list[str], tokens: tuple) -> tuple[str, dict]:
    """The reader's trim: scope tokens, and kinds when they may not see every kind."""
    sql = "scope && CAST(:scope_tokens AS text[])"
    params: dict = {"scope_tokens": list(tokens)}
    if set(kinds) != set(registry.KINDS):
        sql += " AND kind = ANY(CAST(:scope_kinds AS text[]))"
        params["scope_kinds"] = list(kinds)
    return sql, params


def _filters(f, now: float, since: dict) -> tuple[str, dict]:
    conds, params = [], {}
    if f.kind:
        conds.append("kind = :f_kind")
        params["f_kind"] = f.kind
    if f.department_id is not None:  # an id no integer column holds matches nothing (not an error)
        in_range = -(2**31) <= int(f.department_id) < 2**31
        conds.append("dept = :f_dept" if in_range else "FALSE")
        params["f_dept"] = int(f.department_id) if in_range else 0
    if f.category:
        conds.append("category = :f_category")
        params["f_category"] = f.category
    if f.file_type:
        conds.append("file_type = :f_file_type")
        params["f_file_type"] = f.file_type
    if f.min_rating:
        conds.append("rating >= :f_rating")
        params["f_rating"] = float(f.min_rating) * 100
    if f.since in since:
        conds.append("date >= :f_since")
        params["f_since"] = int(now - since[f.since] * DAY_MS)
    return (" AND ".join(conds) or "TRUE"), params


def _counts(conn, where: Where, base, conds: str, cparams: dict, now, steps, since) -> dict:
    """Matches before and after the filters, and the rating and date thresholds after them, in one scan."""
    columns = ["count(*) AS unfiltered", f"count(*) FILTER (WHERE {conds}) AS total"]
    params = {**where.params, **base[1], **cparams}
    for s in steps:
        columns.append(f"count(*) FILTER (WHERE {conds} AND rating >= {int(s) * 100}) AS r{int(s)}")
    for name, days in since.items():
        params[f"c_{name}"] = int(now - days * DAY_MS)
        columns.append(f"count(*) FILTER (WHERE {conds} AND date >= :c_{name}) AS s_{name}")
    sql = f"SELECT {', '.join(columns)} FROM search_entries WHERE {base[0]} AND {where.sql}"
    return dict(conn.execute(text(sql), params).mappings().one())


def _facets(conn, where: Where, base, conds, cparams, counts, total: int, steps, since) -> dict:
    out: dict[str, list[dict]] = {name: [] for name in FACET_COLUMNS}
    if total:
        grouping = ", ".join(f"GROUPING({c}) AS g_{c}" for c in FACET_COLUMNS)
        sets = ", ".join(f"({c})" for c in FACET_COLUMNS)
        sql = (
            f"SELECT {', '.join(FACET_COLUMNS)}, {grouping}, count(*) AS n FROM search_entries "
            f"WHERE {base[0]} AND {where.sql} AND {conds} GROUP BY GROUPING SETS ({sets})"
        )
        for row in conn.execute(text(sql), {**where.params, **base[1], **cparams}).mappings():
            for name in FACET_COLUMNS:
                value = row[name]
                if row[f"g_{name}"] == 0 and value not in (None, ""):
                    out[name].append({"value": str(value), "count": row["n"]})
        for name in FACET_COLUMNS:
            out[name].sort(key=lambda f: (-f["count"], f["value"]))
    out["rating"] = [{"value": s, "count": counts[f"r{int(s)}"]} for s in steps]
    out["since"] = [{"value": k, "count": counts[f"s_{k}"]} for k in since]
    return out


def _page(
    conn, where: Where, base, conds, cparams, parsed, sort: str, now, start: int, size: int
) -> list[dict]:
    params = {**where.params, **base[1], **cparams, "p_limit": size, "p_offset": start}
    if sort == "rating":
        order = "rating DESC, date DESC, key"
    elif sort == "newest":
        order = "date DESC, key"
    else:
        order = "score DESC, key"
    # The Whoosh path's _boost: +15% for five stars, +10% fading over about 90 days.
    boost = (
        "(1 + 0.15 * (rating / 500.0) "
        "+ 0.10 * exp(-least(700.0, greatest(0.0, (:p_now - date) / 86400000.0) / 90.0)))"
    )
    params["p_now"] = now
    if where.rank:
        params["p_rank"] = where.rank
        relevance = f"ts_rank_cd('{WEIGHTS}', terms, CAST(:p_rank AS tsquery), 1)"
    else:
        relevance = "1.0"
    if parsed.tags:  # a word that is a tag exactly ranks that tag's entries first, as in Whoosh
        params["p_tags"] = sorted(parsed.tags)
        relevance = f"({relevance} + CASE WHEN tags && CAST(:p_tags AS text[]) THEN 0.5 ELSE 0 END)"
    sql = (
        f"SELECT key, title, tags, dept, category, file_type, rating, date, {relevance} * {boost} AS score "
        f"FROM search_entries WHERE {base[0]} AND {where.sql} AND {conds} "
        f"ORDER BY {order} LIMIT :p_limit OFFSET :p_offset"
    )
    return [
        {
            "key": r["key"],
            "title": r["title"],
            "tags": ",".join(r["tags"] or ()),
            "dept": "" if r["dept"] is None else str(r["dept"]),
            "category": r["category"],
            "file_type": r["file_type"],
            "rating": r["rating"],
            "date": r["date"],
        }
        for r in conn.execute(text(sql), params).mappings()
    ]
