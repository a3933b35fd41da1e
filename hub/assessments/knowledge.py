"""Knowledge for an opening: success cases and competitor documents (through search), experts on the rival."""

import logging
import re

from ..search.service import Filters, search
from ..social import experts as social_experts

log = logging.getLogger("hub.assessments")

LIMIT = 5
_SYNTAX = re.compile(r'["“”「」＂():*]|(?:^|\s)-|\b(?:OR|AND|NOT)\b|\b[A-Za-z_]+:')


def _words(*parts: str) -> str:
    """Plain search words from names: query syntax (quotes, OR, field:, -exclusion) taken out."""
    text = " ".join(p for p in parts if p)
    return " ".join(_SYNTAX.sub(" ", text).split())[:200]


def _find(user, q: str, category: str) -> list:
    """Documents of one category the reader may see; all words first, any word when none match."""
    if not q:
        return []
    try:
        return search(user, q, Filters(kind="document", category=category), per_page=LIMIT).hits
    except Exception:  # a broken or rebuilding index must not take the account page down
        log.exception("knowledge search failed for %r", q)
        return []


def suggest(user, industry: str, competitor: str) -> dict:
    """Cases for the industry (and rival), the rival's documents, and the colleagues who know the rival best."""
    q = _words(industry, competitor)
    experts = []
    if competitor:
        try:
            experts = social_experts.ranked(user, tag=competitor, limit=LIMIT)
        except Exception:
            log.exception("experts lookup failed for %r", competitor)
    return {
        "industry": industry,
        "competitor": competitor,
        "query": q,
        "cases": _find(user, q, "case_study"),
        "competitor_documents": _find(user, _words(competitor, industry), "competitor") if competitor else [],
        "experts": experts,
    }
