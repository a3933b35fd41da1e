"""PostgreSQL backend: the query `query.parse` built, as a WHERE clause over search_entries.

`parse` stays the one parser: its matching trees (body only: And, Or, Not, Term, Phrase, Prefix,
Every, NullQuery) are translated node by node. Text nodes become one tsquery, matched by the GIN
index on `terms`; `tag:` and `dept:` become column tests. Every lexeme is quoted as tsquery input
(pg_index.quote) and the whole tsquery is one bound parameter: no user text is ever part of the
SQL. The lexemes are Hub's analysed terms, so they are compared exactly as pg_index stored them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh.query import And, Every, Not, NullQuery, Or, Phrase, Prefix, Term

from .pg_index import quote, usable

TS, SQL, TRUE, FALSE = "ts", "sql", "true", "false"
WEIGHTS = "{0.25,0.25,0.75,1.0}"  # D (body), C (unused), B (tags), A (title): Whoosh's body 1, tags +2, title +3


class Untranslatable(Exception):
    """A query node this backend does not know (parse never builds one)."""


@dataclass
class Where:
    """A translated query: SQL text with its bound parameters, and the positive lexemes for ranking."""

    sql: str
    params: dict = field(default_factory=dict)
    rank: str | None = None  # a tsquery (input form) OR-ing the positive text parts


@dataclass
class _Builder:
    prefix: str
    params: dict = field(default_factory=dict)
    positives: list[str] = field(default_factory=list)

    def bind(self, value) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def ts_sql(self, tsquery: str) -> str:
        return f"(terms @@ CAST({self.bind(tsquery)} AS tsquery))"


def translate(query, prefix: str = "m") -> Where:
    """Translate a matching tree of `parse` into SQL; None (no query) matches nothing."""
    builder = _Builder(prefix)
    if query is None:
        return Where("FALSE")
    kind, value = _node(query, builder, positive=True)
    rank = " | ".join(dict.fromkeys(builder.positives)) or None
    return Where(_as_sql(kind, value, builder), builder.params, rank)


def _as_sql(kind: str, value: str, builder: _Builder) -> str:
    if kind == TS:
        return builder.ts_sql(value)
    if kind == TRUE:
        return "TRUE"
    if kind == FALSE:
        return "FALSE"
    return value


def _weight(fieldname: str) -> str:
    return ":A" if fieldname == "title" else ""


def _node(q, b: _Builder, positive: bool) -> tuple[str, str]:
    if q is NullQuery or type(q).__name__ == "_NullQuery":
        return FALSE, ""
    if isinstance(q, Every):
        return TRUE, ""
    if type(q) is Term:
        return _term(q, b, positive)
    if isinstance(q, Phrase):
        words = [w for w in q.words if w]
        if not words or not all(usable(w) for w in words):
            return FALSE, ""
        ts = " <-> ".join(f"{quote(w)}{_weight(q.fieldname)}" for w in words)
        ts = f"({ts})" if len(words) > 1 else ts
        if positive:
            b.positives.append(ts)
        return TS, ts
    if isinstance(q, Prefix):
        if not usable(q.text):
            return FALSE, ""
        ts = f"{quote(q.text)}:*{_weight(q.fieldname)[1:]}"
        if positive:
            b.positives.append(ts)
        return TS, ts
    if isinstance(q, Not):
        kind, value = _node(q.query, b, not positive)
        if kind == TS:
            return TS, f"!({value})"
        if kind == TRUE:
            return FALSE, ""
        if kind == FALSE:
            return TRUE, ""
        return SQL, f"(NOT COALESCE({value}, FALSE))"
    if type(q) in (And, Or):
        return _compound(q, b, positive, conjunction=type(q) is And)
    raise Untranslatable(type(q).__name__)


def _term(q: Term, b: _Builder, positive: bool) -> tuple[str, str]:
    text = q.text if isinstance(q.text, str) else str(q.text)
    if q.fieldname in ("body", "title"):
        if not usable(text):
            return FALSE, ""
        ts = f"{quote(text)}{_weight(q.fieldname)}"
        if positive:
            b.positives.append(ts)
        return TS, ts
    if q.fieldname == "tags":
        return SQL, f"(tags @> CAST({b.bind([text])} AS text[]))"
    if q.fieldname == "dept":
        if not text.isdigit() or len(text) > 9:
            return FALSE, ""
        return SQL, f"COALESCE(dept = {b.bind(int(text))}, FALSE)"
    raise Untranslatable(f"field {q.fieldname}")


def _compound(q, b: _Builder, positive: bool, conjunction: bool) -> tuple[str, str]:
    absorbing, neutral = (FALSE, TRUE) if conjunction else (TRUE, FALSE)
    texts, sqls = [], []
    for sub in q.subqueries:
        kind, value = _node(sub, b, positive)
        if kind == absorbing:
            return absorbing, ""
        if kind == TS:
            texts.append(value)
        elif kind == SQL:
            sqls.append(value)
    if not texts and not sqls:
        return neutral, ""
    op = " & " if conjunction else " | "
    if texts and not sqls:
        return TS, texts[0] if len(texts) == 1 else "(" + op.join(texts) + ")"
    parts = ([b.ts_sql(op.join(texts))] if texts else []) + sqls
    joiner = " AND " if conjunction else " OR "
    return SQL, parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"
