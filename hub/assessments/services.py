"""Storing and reading assessments: the history of one account, recorded shares, the overview of all accounts.

The scoring rules themselves are pure functions in scoring.py.
"""

import logging
import re
import weakref
from collections import namedtuple
from types import SimpleNamespace

from flask import g, has_request_context, url_for
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from .. import policy
from ..customers import feed
from ..errors import ValidationError
from ..extensions import db
from ..models import AccountShare, Assessment, CustomerAccount, User
from ..models.assessments import POSITIONS, SUB_SCORES, TERRITORIES
from . import scoring
from .scoring import AssessmentError

log = logging.getLogger("hub.assessments")

HISTORY_LIMIT = 200
COMPETITOR_MAX = 80
AMOUNT_MAX = 10_000_000


# --- recorded history of business with the account ------------------------------------


def shares(account: CustomerAccount) -> list[AccountShare]:
    """Our own row first, then rivals by amount."""
    rows = db.session.scalars(select(AccountShare).where(AccountShare.account_id == account.id))
    return sorted(rows, key=lambda s: (s.competitor != "", -s.amount, s.competitor))


def suggestion(account: CustomerAccount) -> scoring.Suggestion | None:
    return scoring.suggest_territory({s.competitor: s.amount for s in shares(account)})


def record_share(account: CustomerAccount, actor: User, competitor: str, amount: float | None) -> AccountShare | None:
    """Set (or with amount None, remove) the past business of us ('') or one rival; flushes, never commits."""
    competitor = " ".join((competitor or "").split())
    if len(competitor) > COMPETITOR_MAX:
        raise ValidationError(_("A competitor's name may have at most %(n)d characters.", n=COMPETITOR_MAX))
    row = db.session.scalar(
        select(AccountShare).where(AccountShare.account_id == account.id, AccountShare.competitor == competitor)
    )
    if amount is None:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        return None
    if amount != amount or not 0 <= amount <= AMOUNT_MAX:
        raise ValidationError(_("The amount must be between 0 and %(n)d.", n=AMOUNT_MAX))
    if row is None:
        row = AccountShare(account_id=account.id, competitor=competitor)
        db.session.add(row)
    row.amount, row.recorded_by_id = float(amount), actor.id
    db.session.flush()
    return row


def save_share(account: CustomerAccount, actor: User, competitor: str, amount: float | None) -> AccountShare | None:
    """The page's change of past business: record_share, then commit."""
    row = record_share(account, actor, competitor, amount)
    db.session.commit()
    return row


# --- assessments ---------------------------------------------------------------------


def history(account: CustomerAccount, limit: int = HISTORY_LIMIT) -> list[Assessment]:
    """Assessments of an account, newest first."""
    query = (
        select(Assessment)
        .where(Assessment.account_id == account.id)
        .options(selectinload(Assessment.author))
        .order_by(Assessment.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def explain(a: Assessment) -> dict:
    return scoring.describe(a.short_term, a.long_term, a.territory, a.position)


def assessment_json(a: Assessment) -> dict:
    """One assessment as the API answers it."""
    words = explain(a)
    return {
        "id": a.id,
        "account_id": a.account_id,
        "opportunity": a.opportunity,
        "competitor": a.competitor,
        "deal_value": a.deal_value,
        "short_term": a.short_term,
        "long_term": a.long_term,
        "sub_scores": {name: getattr(a, name) for name in SUB_SCORES},
        "territory": a.territory,
        "suggested_territory": a.suggested_territory,
        "position": a.position,
        "quadrant": words["quadrant"],
        "opening_class": words["opening_class"],
        "meaning": str(words["meaning"]),
        "advice": str(words["advice"]),
        "quadrant_advice": str(words["quadrant_advice"]),
        "note": a.note,
        "author": None if a.author is None else {"id": a.author.id, "name": a.author.name},
        "created_at": a.created_at,
    }


def suggestion_json(s: scoring.Suggestion | None) -> dict | None:
    if s is None:
        return None
    return {
        "territory": s.territory,
        "leader": s.leader,
        "our_share": round(s.our_share, 4),
        "shares": [{"party": p, "share": round(x, 4)} for p, x in s.shares],
    }


_WORDING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # translations -> wording (below)


def _words(translations) -> dict:
    """The feed line's templates and labels in one catalogue's language, translated once per language.

    A replay words hundreds of lines: eight gettext calls each cost more than the rest of its body.
    Keyed by flask_babel's translations object (one per language), so a reloaded catalog is read again.
    """
    words = _WORDING.get(translations)
    if words is None:
        words = _WORDING[translations] = {
            # gettext without variables is the template itself; filled with `%` below, as gettext would
            "head": _("Value: %(quadrant)s (short-term %(short)s, long-term %(long)s). Opening: %(territory)s × %(position)s, **%(cls)s**."),
            "opportunity": _("%(opportunity)s: %(text)s"),
            "open": _("Open the assessment"),
            "quadrant": {k: str(v) for k, v in scoring.QUADRANT_LABELS.items()},
            "territory": {k: str(v) for k, v in scoring.TERRITORY_LABELS.items()},
            "position": {k: str(v) for k, v in scoring.POSITION_LABELS.items()},
            "class": {k: str(v) for k, v in scoring.CLASS_LABELS.items()},
        }
    return words


class _Lines:
    """What the feed lines of one request share, found once: the wording of the request's locale (kept
    while flask_babel's locale stays the same object: a force_locale() inside the request makes another),
    each account's page link and each account's assessments."""

    __slots__ = ("locale", "words", "pages", "assessments")

    def __init__(self):
        self.locale, self.words, self.pages, self.assessments = None, None, {}, {}

    def wording(self, state) -> dict:
        locale = getattr(getattr(state, "_flask_babel", None), "babel_locale", None)
        if locale is None or locale is not self.locale:
            self.locale = get_locale()  # chooses the locale when this request has not yet
            self.words = _words(get_translations())
        return self.words


def _request_lines() -> tuple["_Lines | None", object]:
    """This request's _Lines and its g (None, None outside a request: the demo loader runs without one)."""
    if not has_request_context():
        return None, None
    state = g._get_current_object()  # one proxy lookup per line, not one per word
    lines = state.__dict__.get("_hub_feed_lines")
    if lines is None:
        lines = state._hub_feed_lines = _Lines()
    return lines, state


def _link(account_id: int, assessment_id: int, lines: "_Lines | None") -> str:
    """The assessment's page link; url_for once per account and request (a replay names one account)."""
    if lines is None:  # the demo loader runs without a request
        return f"/assessments/accounts/{account_id}#a{assessment_id}"
    page = lines.pages.get(account_id)
    if page is None:
        page = lines.pages[account_id] = url_for("assessments.account", account_id=account_id)
    return f"{page}#a{assessment_id}"  # url_for's _anchor quotes nothing in "a<id>"


def _feed_text(a: Assessment) -> str:
    """The account feed's line for a new assessment (Markdown), in the author's language.

    `a` is an Assessment or a row of _FEED_COLUMNS (a replay words many lines without the ORM).
    """
    lines, state = _request_lines()
    words = _words(get_translations()) if lines is None else lines.wording(state)
    link = _link(a.account_id, a.id, lines)
    quad = scoring.quadrant(a.short_term, a.long_term)
    cls = scoring.opening_class(a.territory, a.position)
    head = words["head"] % {
        "quadrant": words["quadrant"][quad], "short": f"{a.short_term:g}", "long": f"{a.long_term:g}",
        "territory": words["territory"][a.territory], "position": words["position"][a.position],
        "cls": words["class"][cls],
    }
    if a.opportunity:
        head = words["opportunity"] % {"opportunity": a.opportunity, "text": head}
    parts = [head, f"[{words['open']}]({link})"]
    if a.note:
        parts.insert(1, a.note)
    return "\n\n".join(parts)


_FEED_LINK = re.compile(r"/assessments/accounts/(\d+)#a(\d+)")
_FEED_COLUMNS = (Assessment.id, Assessment.account_id, Assessment.opportunity, Assessment.short_term,
                 Assessment.long_term, Assessment.territory, Assessment.position, Assessment.note)
_FEED_QUERY = select(*_FEED_COLUMNS).where(Assessment.account_id == bindparam("account"))  # built once
# What a feed line reads of an assessment, as a named tuple: a Row's attribute costs twenty times a tuple's
_FeedAssessment = namedtuple("_FeedAssessment", [column.key for column in _FEED_COLUMNS])


def _feed_assessments(account_id: int) -> dict:
    """The account's assessments (rows of what _feed_text reads) by id, loaded once per request."""
    lines = _request_lines()[0]
    cache = {} if lines is None else lines.assessments
    found = cache.get(account_id)
    if found is None:
        # Core rows on the session's connection: the ORM's execution layers cost more than the read
        rows = db.session.connection().execute(_FEED_QUERY, {"account": account_id})
        found = cache[account_id] = {row[0]: _FeedAssessment._make(row) for row in rows}
    return found


def feed_text_for(ev) -> str:
    """An assessment event's line worded again in the reader's language (found by the link it carries)."""
    found = _FEED_LINK.search(ev.body or "")
    a = _feed_assessments(ev.account_id).get(int(found.group(2))) if found else None
    if a is None or a.account_id != ev.account_id:
        return ev.body
    return _feed_text(a)


def build(account: CustomerAccount, author: User, data) -> Assessment:
    """Check an assessment (data: an AssessmentIn) and add it to the session; nothing is committed.

    Raises ValidationError before anything is added when the input cannot be scored.
    """
    subs = {name: getattr(data, name) for name in SUB_SCORES}
    short_term, long_term = scoring.resolve_scores(data.short_term, data.long_term, subs)
    hint = suggestion(account)
    territory = data.territory or (hint.territory if hint else None)
    if territory is None:
        raise AssessmentError(_("No past business is recorded for this account, so please choose one."),
                              field="territory")
    if territory not in TERRITORIES:
        raise AssessmentError(_("Please choose one of the options."), field="territory")
    if data.position not in POSITIONS:
        raise AssessmentError(_("Please choose one of the options."), field="position")
    scoring.opening_class(territory, data.position)
    competitor = data.competitor or (hint.top_rival if hint else "")
    a = Assessment(
        account_id=account.id, author_id=author.id, opportunity=data.opportunity, competitor=competitor[:80],
        deal_value=float(data.deal_value or 0), short_term=short_term, long_term=long_term,
        territory=territory, position=data.position, suggested_territory=hint.territory if hint else None,
        note=data.note, **subs,
    )
    db.session.add(a)
    db.session.flush()
    return a


def feed_entry(a: Assessment, account: CustomerAccount) -> SimpleNamespace:
    """What the account feed's service takes to post an `assessment` event."""
    return SimpleNamespace(kind="assessment", body=_feed_text(a))


def record(account: CustomerAccount, author: User, data) -> Assessment:
    """Score an account, store it with its feed event, commit both at once, then tell the account room."""
    a = build(account, author, data)
    try:  # the feed stores its event, commits (with this row), then emits
        feed.post_event(account, author, feed_entry(a, account))
    except Exception:
        db.session.rollback()
        raise
    log.info("assessment %s on account %s by user %s", a.id, account.id, author.id)
    return a


# --- the overview of all accounts ---------------------------------------------------------


def latest(user, territory: str = "", position: str = "", quadrant: str = "", opening_class: str = "") -> list[dict]:
    """The newest assessment of each account (and of each named opportunity) the reader may see, filtered."""
    newest = select(func.max(Assessment.id)).group_by(Assessment.account_id, Assessment.opportunity)
    query = (
        select(Assessment, CustomerAccount)
        .join(CustomerAccount, CustomerAccount.id == Assessment.account_id)
        .where(Assessment.id.in_(newest), policy.assessable_accounts(user))
    )
    if territory:
        query = query.where(Assessment.territory == territory)
    if position:
        query = query.where(Assessment.position == position)
    points = []
    for a, account in db.session.execute(query.order_by(CustomerAccount.name, Assessment.opportunity)):
        quad = scoring.quadrant(a.short_term, a.long_term)
        cls = scoring.OPENINGS[(a.territory, a.position)]
        if (quadrant and quad != quadrant) or (opening_class and cls != opening_class):
            continue
        points.append({
            "assessment_id": a.id, "account_id": account.id, "account": account.name, "industry": account.industry,
            "opportunity": a.opportunity, "competitor": a.competitor, "short_term": a.short_term,
            "long_term": a.long_term, "deal_value": a.deal_value, "territory": a.territory, "position": a.position,
            "quadrant": quad, "opening_class": cls, "created_at": a.created_at,
        })
    return points


def overview(points: list[dict]) -> dict:
    """Counts per value quadrant and per opening (all nine cells, empty ones too)."""
    quadrants = [{"quadrant": q, "count": sum(1 for p in points if p["quadrant"] == q)} for q in scoring.QUADRANTS]
    grid = [
        {
            "territory": t,
            "position": pos,
            "opening_class": scoring.OPENINGS[(t, pos)],
            "count": sum(1 for p in points if p["territory"] == t and p["position"] == pos),
        }
        for t in TERRITORIES
        for pos in POSITIONS
    ]
    return {"points": points, "quadrants": quadrants, "grid": grid}
