"""A page of search hits from the entries' stored fields: passages, snippets, links, thumbnails and
department names, read in one statement for the whole page (either backend)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import bindparam, select

from .. import policy
from ..ids import parse_id
from ..models import Department
from . import hit_rows
from . import kinds as registry
from .highlight import snippet
from .hints import asked, matched_tags_for
from .hit_rows import Part
from .kinds import column_rows
from .query import Parsed
from .urls import page_links


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    url: str
    snippet_html: str
    page: int | None
    department_id: int | None
    department: str
    category: str
    file_type: str
    rating: float | None
    date: datetime | None
    thumbnail: str | None = None
    matched_tags: list[str] = field(default_factory=list)  # tags the query asked for


def _may_call(user, endpoint: str | None) -> bool:
    """Offer a link only when the reader may open it (thumbnails are served to staff)."""
    audience = policy.route_audience(endpoint)
    return audience is not None and policy.audience_admits(audience, policy.role_of(user))


# Built once: constructing the statement per search costs more than running it.
_DEPARTMENT_NAMES = select(Department.id, Department.name).where(
    Department.id.in_(bindparam("ids", expanding=True))
)


def facet_departments(facets: dict[str, list[dict]]) -> list[int]:
    return [i for i in (parse_id(str(f["value"])) for f in facets.get("dept", ())) if i is not None]


def department_names(ids, known: dict[int, str] | None = None) -> dict[int, str]:
    """{id: name} of these departments (those in `known` are not read again), in one statement."""
    names = dict(known or {})
    missing = [i for i in dict.fromkeys(ids) if i not in names]
    if missing:
        names.update(column_rows(_DEPARTMENT_NAMES, {"ids": missing}).all())
    return names


def _thumbnailed(spec, user) -> bool:
    """Whether a page of this kind's hits shows thumbnails to this reader."""
    return "thumbnails" in spec.extra and _may_call(user, spec.extra.get("thumbnail_endpoint"))


def _hit_parts(spec, ids: list[int], user):
    """A kind's passages, link maker and thumbnail links for a page of its hits.

    A kind whose links need its rows (a comment's target) reads both in one batch (`hit_parts` in
    its extra), so a page costs a statement per kind, not per hit; others give passages and url.
    A kind with thumbnails reads them in that batch too, when the reader may open them.
    """
    parts = spec.extra.get("hit_parts")
    thumbed = _thumbnailed(spec, user)
    if parts is None:
        thumbs = spec.extra["thumbnails"](ids) if thumbed else {}
        return (spec.passages(ids) if spec.passages else {}), spec.url, thumbs
    if "thumbnails" in spec.extra:  # its hit_parts reads them with the passages
        return parts(ids, thumbnails=thumbed)
    return (*parts(ids), {})


def _no_link(ident: int, page: int | None) -> str:
    return "#"


_DEPARTMENTS_PART = Part("departments", _DEPARTMENT_NAMES, ("int", "text"), lambda rows: dict(rows))


def build_page(
    stored: list[dict], parsed: Parsed, user=None, departments=(), names: dict | None = None
) -> tuple[list[Hit], dict[int, str]]:
    """Hits from the stored fields of entries (either backend), snippets and best pages from their
    passages, and the names of the hits' departments and of `departments` (the facets'): the kinds'
    rows and the names missing from `names` are read in one statement (hit_rows)."""
    keys = [registry.split_key(s["key"]) for s in stored]
    by_kind: dict[str, list[int]] = {}
    for kind, ident in keys:
        by_kind.setdefault(kind, []).append(ident)
    with page_links():
        return _build_hits(stored, parsed, user, names, keys, by_kind, departments)


def _build_hits(stored, parsed, user, names, keys, by_kind, departments) -> tuple[list[Hit], dict[int, str]]:
    passages: dict[str, dict] = {}
    links: dict[str, object] = {}
    thumbs: dict[str, dict] = {}
    reads: list[tuple[str | None, Part, list[int]]] = []
    for kind, ids in by_kind.items():
        spec = registry.get(kind)
        if spec is None:
            continue
        rows_of = spec.extra.get("hit_rows")
        if rows_of is None:
            passages[kind], links[kind], thumbs[kind] = _hit_parts(spec, ids, user)
        else:
            reads.append((kind, rows_of(thumbnails=_thumbnailed(spec, user)), ids))
    depts = [int(s["dept"]) if s.get("dept") else None for s in stored]
    names = dict(names or {})
    missing = [i for i in dict.fromkeys([*departments, *(d for d in depts if d is not None)]) if i not in names]
    if missing:
        reads.append((None, _DEPARTMENTS_PART, missing))
    if reads:
        for (kind, _part, _ids), found in zip(reads, hit_rows.read([(p, i) for _k, p, i in reads]), strict=True):
            if kind is None:
                names.update(found)
            else:
                passages[kind], links[kind], thumbs[kind] = found
    terms, prefixes = frozenset(t for t in parsed.terms if t), tuple(parsed.prefixes)
    tags_asked = asked(parsed)
    hits = []
    for (kind, ident), s, dept in zip(keys, stored, depts, strict=True):
        html, page = snippet(passages.get(kind, {}).get(ident, []), terms, prefixes)
        hits.append(
            Hit(
                kind=kind,
                id=ident,
                title=s.get("title", ""),
                page=page,
                snippet_html=str(html),
                url=links.get(kind, _no_link)(ident, page),
                department_id=dept,
                department=names.get(dept, ""),
                category=s.get("category", ""),
                file_type=s.get("file_type", ""),
                rating=(s["rating"] / 100.0) if s.get("rating") else None,
                date=datetime.fromtimestamp(s["date"] / 1000, UTC) if s.get("date") else None,
                thumbnail=thumbs.get(kind, {}).get(ident),
                matched_tags=matched_tags_for(s.get("tags", ""), tags_asked),
            )
        )
    return hits, names
