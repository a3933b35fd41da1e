"""Pages of the search area: the search page and the admin dictionary."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..errors import ValidationError
from ..ids import parse_id
from ..loading import load_visible
from . import dictionary, query, rescue
from .forms import WORD_KIND_LABELS, WordForm
from .models import SearchWord
from .presenting import CATEGORY_LABELS, KIND_LABELS, facet_labels, for_reader, notice_text, reader_filters
from .service import SORTS, Filters, search

bp = Blueprint("search", __name__, url_prefix="/search")

FILTER_ARGS = ("kind", "department_id", "category", "file_type", "min_rating", "since", "sort")


def _int(name: str, default: int | None) -> int | None:
    value = parse_id(request.args.get(name, ""))
    return default if value is None else value


def _float(name: str) -> float | None:
    try:
        value = float(request.args.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value <= 5 else None


@bp.route("/")
def index():
    q = request.args.get("q", "")
    filters = Filters(
        kind=request.args.get("kind", "")[:20],
        department_id=_int("department_id", None),
        category=request.args.get("category", "")[:20],
        file_type=request.args.get("file_type", "")[:12],
        min_rating=_float("min_rating"),
        since=request.args.get("since", "")[:5],
    )
    filters, sort = reader_filters(current_user, filters, request.args.get("sort", "relevance"))
    outcome = None
    if q.strip():
        outcome = search(current_user, q, filters, sort=sort, page=_int("page", 1) or 1, per_page=10)
        outcome = for_reader(current_user, outcome)
    active = {k: request.args.get(k) for k in FILTER_ARGS if request.args.get(k)}
    if current_user.is_customer:  # only the filters a customer may use stay in their links
        active = {k: v for k, v in active.items() if k in ("kind", "file_type") or (k == "sort" and v == sort)}
    facets = facet_labels(outcome.facets, outcome.department_names) if outcome else {}
    offers = _offers(q, outcome) if outcome and not outcome.total else None

    def link(**changes):
        """This search with some parameters changed (None removes one); back to page 1."""
        params = {"q": q, **active, **changes}
        return url_for("search.index", **{k: v for k, v in params.items() if v not in (None, "")})

    return render_template(
        "search/index.html",
        q=q,
        outcome=outcome,
        facets=facets,
        facet_count=sum(1 for values in facets.values() for f in values if f["count"]),
        rescue=offers,
        # the any-word fallback is said above its results instead
        notices=[notice_text(c, d) for c, d in outcome.notices if c != query.ANY_MATCH] if outcome else [],
        filters=filters,
        sort=sort if sort in SORTS else "relevance",
        active=active,
        link=link,
        kind_labels=KIND_LABELS,
        category_labels=CATEGORY_LABELS,
    )


def _offers(q: str, outcome) -> dict:
    """What an empty page offers instead: spellings and titles that find something, and what to try."""
    return {
        "corrections": rescue.corrections(current_user, q),
        "suggestions": rescue.pinyin_suggestions(current_user, q),
        "filtered_out": outcome.unfiltered,  # found, but the filters left nothing
    }


@bp.route("/dictionary", endpoint="dictionary")
def dictionary_page():
    return render_template(
        "search/dictionary.html", words=dictionary.words(), form=WordForm(), kind_labels=WORD_KIND_LABELS
    )


@bp.route("/dictionary", methods=["POST"])
def add_word():
    if not policy.can_manage(current_user):
        abort(403)
    form = WordForm()
    if form.validate_on_submit():
        try:
            word = dictionary.add_word(form.word.data, form.kind.data, current_user)
        except ValidationError as exc:  # refused before anything was added: show why on the page
            flash(exc.message, "error")
        else:
            flash(_("“%(word)s” added. It applies at the next reindex.", word=word.word), "success")
    else:
        flash(_("Please give a name and its kind."), "error")
    return redirect(url_for("search.dictionary"))


@bp.route("/dictionary/<int:word_id>/delete", methods=["POST"])
def delete_word(word_id: int):
    entry = load_visible(SearchWord, word_id, lambda user, _w: policy.can_manage(user))
    dictionary.remove_word(entry)
    flash(_("Removed. It applies at the next reindex."), "success")
    return redirect(url_for("search.dictionary"))
