"""The search part of the JSON API: GET /search and GET /search/suggest."""

from flask_login import current_user

from ..search import presenting
from ..search.service import Filters, search
from ..search.suggest import suggest
from .blueprint import bp
from .search_schemas import SearchOut, SearchQuery, SuggestOut, SuggestQuery
from .spec import operation, parse_query, respond


@bp.get("/search", endpoint="search")
@operation(
    "Full-text search over what the caller may see (documents, notes, Q&A, comments, customers)",
    "search",
    query=SearchQuery,
    responses={200: SearchOut},
)
def search_api():
    args = parse_query(SearchQuery)
    filters = Filters(
        kind=args.kind,
        department_id=args.department_id,
        category=args.category,
        file_type=args.file_type,
        min_rating=args.min_rating,
        since=args.since,
    )
    filters, sort = presenting.reader_filters(current_user, filters, args.sort)
    outcome = search(current_user, args.q, filters, sort=sort, page=args.page, per_page=args.per_page)
    return respond(SearchOut, presenting.outcome_json(presenting.for_reader(current_user, outcome)))


@bp.get("/search/suggest")
@operation(
    "Suggestions while typing: titles, tags, people, accounts (also by pinyin)",
    "search",
    query=SuggestQuery,
    responses={200: SuggestOut},
)
def search_suggest():
    args = parse_query(SuggestQuery)
    return respond(SuggestOut, {"suggestions": suggest(current_user, args.q)})
