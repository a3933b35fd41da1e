"""Run a search for a reader: parse, trim to their scope inside the query, facet, sort, page, highlight."""

from __future__ import annotations

import heapq
import logging
import math
import threading
import time
from bisect import bisect_left
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from operator import itemgetter

from flask import current_app
from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..ids import parse_id
from ..models import Department
from . import backends
from . import kinds as registry
from .analysis import custom_words, fold
from .docsets import matching_docs
from .expansion import bound
from .hits import Hit, build_page, facet_departments
from .index import IndexOutdated
from .query import ANY_MATCH, MAX_QUERY, PREFIX_CAPPED, Parsed, parse
from .ranking import direct_scores
from .readers import reading

log = logging.getLogger("hub.search")

SORTS = ("relevance", "rating", "newest")
UNAVAILABLE = "index_unavailable"
MAX_PER_PAGE = 50
SINCE = {"7d": 7, "30d": 30, "365d": 365}
RATING_STEPS = (4, 3, 2, 1)
DIRECT_SCORING = 2000  # up to this many hits, score each one directly (cheaper than walking postings)


@dataclass
class Filters:
    kind: str = ""
    department_id: int | None = None
    category: str = ""
    file_type: str = ""
    min_rating: float | None = None
    since: str = ""  # 7d, 30d, 365d


@dataclass
class Outcome:
    q: str
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)
    notices: list[tuple[str, str]] = field(default_factory=list)
    took_ms: float = 0.0
    unfiltered: int = 0  # matches before the filters (Filters), to offer clearing them
    any_words: bool = False  # nothing held every word: these hits hold some of them
    timings: dict[str, float] = field(default_factory=dict)  # ms per stage, for the benchmark
    # names of the departments in the facets and hits, read once for both (facet labels use them)
    department_names: dict[int, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


class _Clock:
    def __init__(self, into: dict, started: float):
        self.into, self.last = into, started

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = (now - self.last) * 1000
        self.last = now


def resolve_department(value: str) -> list[int]:
    """`dept:` takes a department id or (part of) its name."""
    value = value.strip()
    ident = parse_id(value)
    if ident is not None:
        return [ident]
    wanted = fold(value)
    if not wanted:
        return []
    return [d.id for d in db.session.scalars(select(Department)) if wanted in fold(d.name)]


def search(
    user,
    q: str,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
    path: str | None = None,
) -> Outcome:
    """Search what `user` may see; never raises on odd input."""
    started = time.perf_counter()
    filters = filters or Filters()
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    sort = sort if sort in SORTS else "relevance"
    parsed = _parse(q or "")
    outcome = Outcome(q=parsed.text, total=0, page=page, per_page=per_page, notices=list(parsed.notices))
    kinds = policy.search_kinds(user, registry.searchable_kinds())
    tokens = tuple(policy.search_scope(user))
    if parsed.all_query is None or not kinds or not tokens:
        return outcome
    clock = _Clock(outcome.timings, started)
    if backends.postgres():
        from . import pg_search

        def page_hits(stored, parsed, user):  # after the facets: one statement names both's departments
            hits, outcome.department_names = build_page(stored, parsed, user, facet_departments(outcome.facets))
            return hits

        shared = pg_search.Shared(page_hits, RATING_STEPS, SINCE)
        pg_search.run(outcome, parsed, kinds, tokens, filters, sort, user, clock, shared)
        outcome.took_ms = (time.perf_counter() - started) * 1000
        return outcome
    try:
        with reading(path or current_app.config["INDEX_DIR"]) as v:
            allowed = v.scope_docs(tokens)
            parsed = _bounded(v, parsed, outcome.notices)
            clock.lap("open")
            matched = _matches(v, parsed.match_all, allowed, kinds, tokens)
            query = parsed.all_query
            if not matched and parsed.match_any is not None:
                matched = _matches(v, parsed.match_any, allowed, kinds, tokens)
                query = parsed.any_query
                if matched:
                    outcome.notices.append((ANY_MATCH, ""))
                    outcome.any_words = True
            outcome.unfiltered = len(matched)
            final = _apply_filters(v, matched, filters)
            clock.lap("match")
            outcome.facets = facets(v, final)
            outcome.total = len(final)
            clock.lap("facets")
            start = (page - 1) * per_page
            if start < len(final):
                ordered = _order(v, query, final, sort, start + per_page)
                clock.lap("rank")
                stored = [v.stored(d) for d in ordered[start : start + per_page]]
                # the facets' departments are named by the statement that reads the hits' rows
                outcome.hits, outcome.department_names = build_page(
                    stored, parsed, user, facet_departments(outcome.facets)
                )
                clock.lap("hits")
    except IndexOutdated:
        log.error("search index unusable: run `flask search reindex`")
        outcome.notices.append((UNAVAILABLE, ""))
        return outcome
    outcome.took_ms = (time.perf_counter() - started) * 1000
    return outcome


_PARSED: OrderedDict = OrderedDict()  # (query text, custom dictionary) -> Parsed
_parsed_lock = threading.Lock()


def _parse(q: str) -> Parsed:
    """parse(q), remembered for queries that read nothing from the database (no dept:): the same
    words are parsed the same way while the segmenter's dictionary stays. Each search gets its own
    copy of the mutable parts."""
    if len(q) > MAX_QUERY or "dept:" in q.lower():
        return parse(q, resolve_department)
    key = (q, custom_words())
    with _parsed_lock:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
    if found is None:
        found = parse(q, resolve_department)
        with _parsed_lock:
            _PARSED[key] = found
            while len(_PARSED) > 1024:
                _PARSED.popitem(last=False)
    return replace(
        found, terms=set(found.terms), prefixes=set(found.prefixes), tags=set(found.tags), notices=list(found.notices)
    )


def _bounded(v, parsed: Parsed, notices: list) -> Parsed:
    """The queries with each prefix replaced by its commonest terms in this index (see expansion)."""
    if not parsed.prefixes:
        return parsed
    capped: set[str] = set()
    names = ("all_query", "any_query", "match_all", "match_any")
    bounded = replace(parsed, **{n: bound(getattr(parsed, n), v.expansion, capped) for n in names})
    if capped:
        notices.append((PREFIX_CAPPED, " ".join(f"{word}*" for word in sorted(capped))))
    return bounded


def _matches(v, query, allowed: set[int], kinds: list[str], tokens: tuple) -> set[int]:
    """The entries of these kinds the query matches that the scope tokens admit (remembered per
    generation, as `allowed` is: the same search again reads no postings). Shared: do not modify."""
    return v.memo(("matches", query, tokens, tuple(kinds)), lambda: _matching(v, query, allowed, kinds))


def _matching(v, query, allowed: set[int], kinds: list[str]) -> set[int]:
    docs = matching_docs(v.searcher, query, v.postings)
    docs &= allowed  # a new set: the postings' own stay as they are
    kind_col = v.column("kind")
    wanted = set(kinds)
    if len(wanted) < len(set(registry.KINDS)):
        docs = {d for d in docs if kind_col[d] in wanted}
    return docs


def _apply_filters(v, docs: set[int], f: Filters) -> set[int]:
    checks = []
    if f.kind:
        checks.append((v.column("kind"), lambda x, want=f.kind: x == want))
    if f.department_id is not None:
        checks.append((v.column("dept"), lambda x, want=str(f.department_id): x == want))
    if f.category:
        checks.append((v.column("category"), lambda x, want=f.category: x == want))
    if f.file_type:
        checks.append((v.column("file_type"), lambda x, want=f.file_type: x == want))
    if f.min_rating:
        checks.append((v.column("rating"), lambda x, want=f.min_rating * 100: (x or 0) >= want))
    if f.since in SINCE:
        cutoff = (time.time() - SINCE[f.since] * 86400) * 1000
        checks.append((v.column("date"), lambda x, c=cutoff: (x or 0) >= c))
    for column, ok in checks:
        docs = {d for d in docs if ok(column[d])}
    return docs


def _values(column: list, docs) -> tuple:
    """The column's values for these entries, fetched in one C-level call (a tuple, even for one)."""
    if not docs:
        return ()
    if len(docs) == 1:
        return (column[next(iter(docs))],)
    return itemgetter(*docs)(column)


def facets(v, docs: set[int]) -> dict[str, list[dict]]:
    """Counts per value of each facet over the (already trimmed) result set, one pass per column."""
    out: dict[str, list[dict]] = {}
    for name in ("kind", "dept", "category", "file_type"):
        counts = Counter(_values(v.column(name), docs))
        counts.pop("", None)
        counts.pop(None, None)
        out[name] = [
            {"value": k, "count": c} for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    # thresholds: sort once, then each step is a bisection
    ratings = sorted(x or 0 for x in _values(v.column("rating"), docs))
    out["rating"] = [
        {"value": s, "count": len(ratings) - bisect_left(ratings, s * 100)} for s in RATING_STEPS
    ]
    now = time.time() * 1000
    dates = sorted(x or 0 for x in _values(v.column("date"), docs))
    out["since"] = [
        {"value": k, "count": len(dates) - bisect_left(dates, now - n * 86_400_000)} for k, n in SINCE.items()
    ]
    return out


def _boost(rating: int | None, date: int | None, now: float) -> float:
    """A gentle lift for well-rated and recently active entries (at most +25%)."""
    age_days = max(0.0, (now - (date or 0)) / 86_400_000.0)
    return 1.0 + 0.15 * ((rating or 0) / 500.0) + 0.10 * math.exp(-age_days / 90.0)


def _order(v, query, docs: set[int], sort: str, needed: int) -> list[int]:
    if sort == "rating":
        rating, date = v.column("rating"), v.column("date")
        return heapq.nlargest(needed, docs, key=lambda d: (rating[d] or 0, date[d] or 0, -d))
    if sort == "newest":
        date = v.column("date")
        return heapq.nlargest(needed, docs, key=lambda d: (date[d] or 0, -d))
    now = time.time() * 1000
    if len(docs) <= DIRECT_SCORING:  # a generation's scores cannot change: the same search scores once
        scores = v.memo(("scores", query, frozenset(docs)), lambda: _scored(v.searcher, query, docs, v.postings))
    else:  # many hits: Whoosh's top-N collection skips blocks that cannot make the window
        window = min(len(docs), max(needed * 2, 30))
        scores = {hit.docnum: hit.score for hit in v.searcher.search(query, limit=window, filter=docs)}
    rating, date = v.column("rating"), v.column("date")
    scored = [(score * _boost(rating[d], date[d], now), -d) for d, score in scores.items()]
    return [-d for _s, d in heapq.nlargest(needed, scored)]


def _scored(searcher, query, docs: set[int], postings=None) -> dict[int, float]:
    """{docnum: score} of every entry of docs (0.0 where the query scores none)."""
    scores = direct_scores(searcher, query, docs, postings)
    if scores is None:
        return _score_only(searcher, query, docs)
    for d in docs:
        scores.setdefault(d, 0.0)
    return scores


def _score_only(searcher, query, docs: set[int]) -> dict[int, float]:
    """Score just these entries: skip the query's matchers to each one instead of walking every posting."""
    scores: dict[int, float] = {}
    context = searcher.context()
    wanted = sorted(docs)
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = [d - offset for d in wanted if offset <= d < end]
        if not local:
            continue
        matcher = query.matcher(sub, context)
        for d in local:
            if not matcher.is_active():
                break
            if matcher.id() < d:
                matcher.skip_to(d)
                if not matcher.is_active():
                    break
            if matcher.id() == d:
                scores[d + offset] = matcher.score()
    for d in docs:
        scores.setdefault(d, 0.0)
    return scores
