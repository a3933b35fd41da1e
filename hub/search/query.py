"""The query language: words (all must match), "phrases", OR, -exclusion, prefix*, title:, tag:, dept:.

Parsing never fails: a malformed query (unbalanced quotes or parentheses) or an unknown
`field:` is searched as plain words, and the reason is returned as a notice for the page.
Every word goes through `analysis.analyze`, the same analysis the index used.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.query import And, Every, Not, NullQuery, Or, Phrase, Prefix, Query, Term

from .analysis import analyze, fold

MAX_QUERY = 500
MAX_CLAUSES = 24
MAX_TERMS = 32  # analysed terms per clause, and in the any-match fallback: long pastes stay fast
FIELDS = ("title", "body")
KNOWN_FIELDS = ("title", "tag", "dept")
QUOTES = {"“": '"', "”": '"', "「": '"', "」": '"', "＂": '"'}
TOKEN_RE = re.compile(r'(-?)(?:([A-Za-z_]+):)?("([^"]*)"|\S+)')

# Notice codes; the views turn them into sentences.
TRUNCATED = "truncated"
MALFORMED = "malformed"
UNKNOWN_FIELD = "unknown_field"
NOTHING = "nothing_to_search"
NO_DEPARTMENT = "no_department"
ANY_MATCH = "any_match"
PREFIX_CAPPED = "prefix_capped"  # set by the Whoosh search (expansion.py), detail: the prefixes


@dataclass
class Parsed:
    text: str  # the query as searched (after cutting)
    all_query: Query | None  # every clause must match (ranking form: title, body, tags)
    any_query: Query | None  # fallback: any positive term ranks
    match_all: Query | None = None  # the same, matching the body only (which holds title and tags)
    match_any: Query | None = None
    terms: set[str] = field(default_factory=set)  # analysed terms, for highlighting
    prefixes: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)  # folded tags asked for (tag:, or a lone word), to say so
    notices: list[tuple[str, str]] = field(default_factory=list)  # (code, detail)


def _words_query(text: str, fields=FIELDS, terms: set | None = None, rank: bool = True) -> Query | None:
    """Every analysed term of text in any of fields; None when text holds only stop words.

    For matching (rank=False) the body alone is enough: it holds the title and tags too.
    """
    tokens = analyze(text)
    if not tokens:
        return None
    if terms is not None:
        terms.update(tokens)
    if not rank and fields == FIELDS:
        fields = ("body",)
    parts = [
        Or([Term(f, t) for f in fields]) if len(fields) > 1 else Term(fields[0], t)
        for t in list(dict.fromkeys(tokens))[:MAX_TERMS]
    ]
    query = parts[0] if len(parts) == 1 else And(parts)
    if rank and fields == FIELDS and " " not in text.strip():
        query = Or([query, Term("tags", fold(text).strip())])
    return query


def _phrase_query(text: str, fields=FIELDS, terms: set | None = None, rank: bool = True) -> Query | None:
    tokens = analyze(text)
    if len(tokens) < 2:
        return _words_query(text, fields, terms, rank)
    if terms is not None:
        terms.update(tokens)
    if not rank and fields == FIELDS:
        fields = ("body",)
    phrases = [Phrase(f, tokens) for f in fields]
    return phrases[0] if len(phrases) == 1 else Or(phrases)


def _prefix_query(stem: str, prefixes: set, rank: bool = True) -> Query | None:
    word = fold(stem).strip()
    if not word or not any(c.isalnum() for c in word):
        return None
    prefixes.add(word)
    if not rank:
        return Prefix("body", word)
    return Or([Prefix("title", word), Prefix("body", word), Prefix("tags", word)])


def parse(raw: str, resolve_dept: Callable[[str], list[int]] | None = None) -> Parsed:
    """Turn what a person typed into Whoosh queries; never raises."""
    notices: list[tuple[str, str]] = []
    text = (raw or "").replace("\x00", " ")
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY]
        notices.append((TRUNCATED, str(MAX_QUERY)))
    text = "".join(QUOTES.get(c, c) for c in text).strip()
    plain = text.count('"') % 2 == 1 or text.count("(") != text.count(")") or "(" in text
    if plain:
        notices.append((MALFORMED, ""))
        text_for_words = re.sub(r'["()]', " ", text)
        return _finish(text, [[("", "", text_for_words, False, False)]], notices, resolve_dept)
    groups: list[list[tuple]] = []
    joiner = False
    for match in TOKEN_RE.finditer(text):
        neg, fname, token, quoted, _ = match.group(1), match.group(2), match.group(3), match.group(4), None
        if token in ("OR", "|") and not neg and not fname:
            joiner = bool(groups)
            continue
        is_phrase = quoted is not None
        value = quoted if is_phrase else token
        clause = (neg, (fname or "").lower(), value, is_phrase, value.endswith("*") and not is_phrase)
        if joiner and groups:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        joiner = False
    return _finish(text, groups, notices, resolve_dept)


def _clause(clause, parsed: Parsed, resolve_dept, rank: bool = True) -> Query | None:
    neg, fname, value, is_phrase, is_prefix = clause
    terms = None if neg else parsed.terms
    if fname and fname not in KNOWN_FIELDS:
        parsed.notices.append((UNKNOWN_FIELD, fname))
        return _words_query(f"{fname} {value}", terms=terms, rank=rank)
    if fname == "tag":
        tag = fold(value).strip()
        if tag and not neg:
            parsed.tags.add(tag)
        return Term("tags", tag) if tag else None
    if fname == "dept":
        ids = resolve_dept(value) if resolve_dept else []
        if not ids:
            parsed.notices.append((NO_DEPARTMENT, value))
            return NullQuery
        return Or([Term("dept", str(i)) for i in ids])
    fields = ("title",) if fname == "title" else FIELDS
    if is_prefix and len(value.rstrip("*")) >= 1 and fname != "title":
        return _prefix_query(value.rstrip("*"), parsed.prefixes, rank)
    if is_phrase:
        return _phrase_query(value, fields, terms, rank)
    if not neg and not fname and value.strip() and " " not in value.strip():  # ranks exact tags too
        parsed.tags.add(fold(value).strip())
    return _words_query(value.replace("*", " "), fields, terms, rank)


def _finish(text: str, groups, notices, resolve_dept) -> Parsed:
    """Build the ranking queries (title, body, tags) and the cheaper matching ones (body only)."""
    resolve = functools.lru_cache(maxsize=16)(resolve_dept) if resolve_dept else None
    # a clause said twice (`a* a* a*`) matches what it matches once: search it once
    groups = list(dict.fromkeys(tuple(dict.fromkeys(group)) for group in groups))
    parsed = _build(text, groups, notices, resolve, rank=True)
    matching = _build(text, groups, [], resolve, rank=False)
    parsed.match_all, parsed.match_any = matching.all_query, matching.any_query
    return parsed


def _build(text: str, groups, notices, resolve_dept, rank: bool) -> Parsed:
    parsed = Parsed(text=text, all_query=None, any_query=None, notices=notices)
    positives, negatives, required = [], [], []
    for group in groups[:MAX_CLAUSES]:
        queries = [(c, _clause(c, parsed, resolve_dept, rank)) for c in group]
        if len(group) == 1 and group[0][0]:
            if queries[0][1] is not None:
                negatives.append(queries[0][1])
            continue
        alternatives = [q for _c, q in queries if q is not None]
        if not alternatives:
            continue
        query = alternatives[0] if len(alternatives) == 1 else Or(alternatives)
        # tag: and dept: narrow the search; they stay required when falling back to any-match
        (required if len(group) == 1 and group[0][1] in ("tag", "dept") else positives).append(query)
    if len(groups) > MAX_CLAUSES and (TRUNCATED, str(MAX_QUERY)) not in notices:
        notices.append((TRUNCATED, str(MAX_QUERY)))
    if not positives and not negatives and not required:
        notices.append((NOTHING, ""))
        return parsed
    exclude = [Not(q) for q in negatives]
    base = positives + required or [Every()]
    parsed.all_query = And(base + exclude) if len(base) + len(exclude) > 1 else base[0]
    fields = FIELDS if rank else ("body",)
    loose = [Or([Term(f, t) for f in fields]) for t in sorted(parsed.terms)[:MAX_TERMS]]
    loose += [Or([Prefix(f, p) for f in fields]) for p in sorted(parsed.prefixes)]
    if len(loose) > 1:
        parsed.any_query = And([Or(loose)] + required + exclude)
    return parsed
