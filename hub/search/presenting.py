"""Words for what search found: notices, facet labels, and the JSON shape of an outcome."""

from __future__ import annotations

import weakref

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from ..documents.services import CATEGORY_LABELS  # the upload form's words, so filters read the same
from ..i18n import translations
from ..ids import parse_id
from ..models import Share
from ..models.base import iso, utcnow
from . import query
from .hits import Hit, department_names, facet_departments
from .kinds import column_rows
from .service import Filters, Outcome
from .urls import build_url, page_links

KIND_LABELS = {
    "document": _l("Documents"),
    "post": _l("Experience notes"),
    "question": _l("Questions"),
    "answer": _l("Answers"),
    "comment": _l("Comments"),
    "customer": _l("Customers"),
    "person": _l("People"),
    "tag": _l("Tags"),
}
SINCE_LABELS = {"7d": _l("Past week"), "30d": _l("Past month"), "365d": _l("Past year")}


def notice_text(code: str, detail: str) -> str:
    if code == query.TRUNCATED:
        return _("Your query was cut to its first %(n)s characters.", n=detail)
    if code == query.MALFORMED:
        return _("Unbalanced quotes or parentheses: searched as plain words.")
    if code == query.UNKNOWN_FIELD:
        return _(
            "“%(field)s:” is not a search field (use title:, tag: or dept:); searched as plain words.",
            field=detail,
        )
    if code == query.NOTHING:
        return _("Type a few words to search for.")
    if code == query.NO_DEPARTMENT:
        return _("No department matches “%(name)s”.", name=detail)
    if code == "index_unavailable":
        return _("Search is being rebuilt. Please try again in a few minutes.")
    if code == "search_timeout":
        return _("This search took too long and was stopped. Try fewer or more precise words.")
    if code == query.PREFIX_CAPPED:
        return _("“%(words)s” begins too many words: searched the most common of them.", words=detail)
    if code == query.ANY_MATCH:
        return _("Nothing contains all of your words; showing results with any of them.")
    return code


_LABEL_TABLES = {"kind": KIND_LABELS, "category": CATEGORY_LABELS, "since": SINCE_LABELS}
# catalogue -> its words for the facet values: str() of a lazy string looks the catalogue up each time
_WORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _words() -> dict:
    """The facet words in the reader's language, resolved once per catalogue (that is, per language)."""
    catalogue = translations()  # flask_babel's get_translations(), looked up once per request
    try:
        return _WORDS[catalogue]
    except KeyError:
        pass
    words = {facet: {k: str(v) for k, v in table.items()} for facet, table in _LABEL_TABLES.items()}
    words["stars"] = _("%(n)s stars & up")  # filled in per value below, as gettext(..., n=value) does
    try:
        _WORDS[catalogue] = words
    except TypeError:  # a catalogue that cannot be weakly referenced: no caching
        pass
    return words


def facet_labels(facets: dict[str, list[dict]], names: dict[int, str] | None = None) -> dict[str, list[dict]]:
    """Add a human label to each facet value (department names, category names, kinds).

    `names`: department names the search already read (Outcome.department_names)."""
    names = department_names(facet_departments(facets), names)
    words = _words()
    labelled = {}
    for name, values in facets.items():
        rows = []
        table = words.get(name) if name in _LABEL_TABLES else None
        for f in values:
            value = f["value"]
            if table is not None:
                label = table.get(value)
                if label is None:
                    label = str(value)
            elif name == "dept":
                ident = parse_id(str(value))
                value = value if ident is None else ident
                label = names.get(value, str(value))
            elif name == "file_type":
                label = str(value).upper()  # as on each hit (PDF, DOCX)
            elif name == "rating":
                label = words["stars"] % {"n": value}
            else:
                label = str(value)
            rows.append({"value": value, "count": f["count"], "label": label})
        labelled[name] = rows
    return labelled


# A customer sees what their portal shows: no ratings, departments or staff pages, so none of their filters either.
CUSTOMER_FACETS = ("file_type",)


def reader_filters(user, filters: Filters, sort: str) -> tuple[Filters, str]:
    """Drop the filters and sorts a customer cannot see (rating and department would leak through them)."""
    if not getattr(user, "is_customer", False):
        return filters, sort
    return Filters(kind=filters.kind, file_type=filters.file_type), "relevance" if sort == "rating" else sort


def for_reader(user, outcome: Outcome) -> Outcome:
    """Strip staff-only facts from a customer's outcome: the hit shows title, snippet and shared date."""
    if not getattr(user, "is_customer", False):
        return outcome
    shared = _shared_dates(user.account_id, [h.id for h in outcome.hits if h.kind == "document"])
    with page_links():
        outcome.hits = [_customer_hit(h, shared.get(h.id)) for h in outcome.hits if h.kind == "document"]
    outcome.facets = {k: v for k, v in outcome.facets.items() if k in CUSTOMER_FACETS}
    return outcome


def _shared_dates(account_id: int | None, doc_ids: list[int]) -> dict:
    if account_id is None or not doc_ids:
        return {}
    rows = column_rows(_SHARED_DATES, {"account": account_id, "docs": doc_ids, "now": utcnow()})
    return dict(rows.all())  # the newest share wins, as in the portal


# Built once: constructing the statement per search costs more than running it.
_SHARED_DATES = (
    select(Share.document_id, Share.created_at)
    .where(
        Share.account_id == bindparam("account"),
        Share.document_id.in_(bindparam("docs", expanding=True)),
        Share.revoked_at.is_(None),
    )
    .where((Share.expires_at.is_(None)) | (Share.expires_at > bindparam("now", type_=Share.expires_at.type)))
    .order_by(Share.id)
)


def _customer_hit(hit: Hit, shared_at) -> Hit:
    # The portal viewer cannot open at a page, so a hit links to the portal document page, without a page number.
    # build_url: url_for's answer, from a template per page (the endpoints are the portal's own)
    portal = build_url("portal.document", f"/portal/documents/{hit.id}", doc_id=hit.id)
    thumbnail = (
        build_url(
            "api.portal_document_thumbnail", f"/api/v1/portal/documents/{hit.id}/thumbnail", doc_id=hit.id
        )
        if hit.thumbnail
        else None
    )
    return Hit(
        kind=hit.kind,
        id=hit.id,
        title=hit.title,
        url=portal,
        snippet_html=hit.snippet_html,
        page=None,
        department_id=None,
        department="",
        category="",
        file_type=hit.file_type,
        rating=None,
        date=shared_at,
        thumbnail=thumbnail,
        matched_tags=[],
    )


def outcome_json(outcome: Outcome) -> dict:
    notices = [{"code": code, "message": notice_text(code, detail)} for code, detail in outcome.notices]
    return {
        "total": outcome.total,
        "page": outcome.page,
        "per_page": outcome.per_page,
        "pages": outcome.pages,
        "results": [
            {
                "kind": h.kind,
                "id": h.id,
                "title": h.title,
                "snippet_html": h.snippet_html,
                "url": h.url,
                "page": h.page,
                "department_id": h.department_id,
                "department": h.department,
                "category": h.category,
                "file_type": h.file_type,
                "rating": h.rating,
                "date": iso(h.date.replace(tzinfo=None)) if h.date else None,
                "thumbnail": h.thumbnail,
                "matched_tags": h.matched_tags,
            }
            for h in outcome.hits
        ],
        "facets": facet_labels(outcome.facets, outcome.department_names),
        "notice": " ".join(n["message"] for n in notices) or None,
        "notices": notices,
    }
