"""The assessment method itself, as pure functions: value quadrants, the nine openings, territory from history.

Nothing here touches the database or the request: pages, API, charts and tests all call the same rules.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import ValidationError
from ..models.assessments import LONG_TERM_PARTS, SHORT_TERM_PARTS, TERRITORIES

SCORE_MIN, SCORE_MAX = 0.0, 10.0
BIG_FROM = 5.0  # a score at or above the middle of the scale counts as "big"
# The territory belongs to whoever holds the largest past share, unless the runner-up is this close.
NEUTRAL_MARGIN = 0.15

QUADRANTS = (
    "big_business_big_impact",
    "small_business_big_impact",
    "big_business_small_impact",
    "small_business_small_impact",
)
OPENING_CLASSES = ("normal", "problem", "abnormal")

# Where the history points (territory) against who is ahead now (position): the nine openings.
OPENINGS: dict[tuple[str, str], str] = {
    ("ours", "lead"): "normal",
    ("ours", "even"): "problem",
    ("ours", "trail"): "abnormal",
    ("neutral", "lead"): "normal",
    ("neutral", "even"): "normal",
    ("neutral", "trail"): "normal",
    ("theirs", "lead"): "abnormal",
    ("theirs", "even"): "problem",
    ("theirs", "trail"): "normal",
}


class AssessmentError(ValidationError):
    """Input the method cannot score (a value out of range, an unknown position): refused like any input."""


def check_score(value: float, name: str) -> float:
    if value is None or value != value or not SCORE_MIN <= value <= SCORE_MAX:  # value != value: NaN
        raise AssessmentError(_("A score runs from 0 to 10."), field=name)
    return float(value)


def combine(parts: list[int | None]) -> float | None:
    """The mean of the sub-scores that were given, to one decimal; None when none were."""
    given = [p for p in parts if p is not None]
    if not given:
        return None
    return round(sum(given) / len(given), 1)


def resolve_scores(short_term: float | None, long_term: float | None, subs: dict[str, int | None]) -> tuple[float, float]:
    """Take the scores as given, or work each out from its sheet's sub-scores; refuse when neither is there."""
    for name, value in subs.items():
        if value is not None:
            check_score(value, name)
    if short_term is None:
        short_term = combine([subs.get(p) for p in SHORT_TERM_PARTS])
    if long_term is None:
        long_term = combine([subs.get(p) for p in LONG_TERM_PARTS])
    if short_term is None:
        raise AssessmentError(_("Give the score, or score the lines above it."), field="short_term")
    if long_term is None:
        raise AssessmentError(_("Give the score, or score the lines above it."), field="long_term")
    return check_score(short_term, "short_term"), check_score(long_term, "long_term")


def quadrant(short_term: float, long_term: float) -> str:
    """Place a deal in one of the four value quadrants."""
    big_business = check_score(short_term, "short_term") >= BIG_FROM
    big_impact = check_score(long_term, "long_term") >= BIG_FROM
    return {
        (True, True): "big_business_big_impact",
        (False, True): "small_business_big_impact",
        (True, False): "big_business_small_impact",
        (False, False): "small_business_small_impact",
    }[(big_business, big_impact)]


def opening_class(territory: str, position: str) -> str:
    """Class one of the nine openings as normal, problem or abnormal."""
    try:
        return OPENINGS[(territory, position)]
    except KeyError:
        if territory not in TERRITORIES:
            raise AssessmentError(_("Please choose one of the options."), field="territory") from None
        raise AssessmentError(_("Please choose one of the options."), field="position") from None


@dataclass
class Suggestion:
    """Whose territory the recorded history says this is, and on what shares."""

    territory: str
    leader: str  # '' for us, otherwise the rival with the largest share
    our_share: float
    shares: list[tuple[str, float]] = field(default_factory=list)  # (party, share 0..1), largest first

    @property
    def top_rival(self) -> str:
        return next((party for party, _share in self.shares if party), "")


def suggest_territory(amounts: dict[str, float]) -> Suggestion | None:
    """Read the territory off past business: '' is ours, other keys are rivals; None without any history."""
    clean = {party: float(amount) for party, amount in amounts.items() if amount and amount > 0}
    total = sum(clean.values())
    if total <= 0:
        return None
    shares = sorted(((p, a / total) for p, a in clean.items()), key=lambda item: (-item[1], item[0]))
    leader, top = shares[0]
    runner_up = shares[1][1] if len(shares) > 1 else 0.0
    if top - runner_up < NEUTRAL_MARGIN:
        territory = "neutral"
    else:
        territory = "ours" if leader == "" else "theirs"
    return Suggestion(territory=territory, leader=leader, our_share=clean.get("", 0.0) / total, shares=shares)


# --- words: labels, what each outcome usually means, and what to do ------------------

TERRITORY_LABELS = {"ours": _l("Our territory"), "neutral": _l("Neutral territory"), "theirs": _l("Their territory")}
POSITION_LABELS = {"lead": _l("We lead"), "even": _l("Even"), "trail": _l("We trail")}
CLASS_LABELS = {"normal": _l("Normal opening"), "problem": _l("Problem opening"), "abnormal": _l("Abnormal opening")}
QUADRANT_LABELS = {
    "big_business_big_impact": _l("Big business, big impact"),
    "small_business_big_impact": _l("Small business, big impact"),
    "big_business_small_impact": _l("Big business, small impact"),
    "small_business_small_impact": _l("Small business, small impact"),
}
QUADRANT_ADVICE = {
    "big_business_big_impact": _l(
        "Go all in: put the strongest team on it, bring in senior sponsors early and be ready to give ground on terms."
    ),
    "small_business_big_impact": _l(
        "Invest for what comes after: the reference and follow-on orders are the prize, so accept a thin first deal but cap the cost."
    ),
    "big_business_small_impact": _l(
        "Win it efficiently for this period's numbers: standard resources, firm prices, no concessions that set a precedent."
    ),
    "small_business_small_impact": _l(
        "Keep it light: follow the standard process with minimal effort, or step back politely if better deals need the people."
    ),
}
SUB_SCORE_LABELS = {
    "deal_revenue": _l("One-time revenue of this deal"),
    "quota_effect": _l("Effect on this period's quota"),
    "follow_on": _l("Follow-on business"),
    "reference_value": _l("Brand and reference value in the region or industry"),
    "team_morale": _l("Lift for the team's morale"),
}
OPENING_MEANING = {
    ("ours", "lead"): _l("History and the new deal agree: the customer leans our way and we are ahead."),
    ("ours", "even"): _l("We should be ahead on our own ground, yet the rival has drawn level; the relationship may be loosening."),
    ("ours", "trail"): _l("On our own ground we are behind. Something important has changed: a new decision maker, a bad experience, a bold offer from the rival."),
    ("neutral", "lead"): _l("Nobody owns this customer and we got off the mark first."),
    ("neutral", "even"): _l("Open ground and a standoff: whoever moves faster will break it."),
    ("neutral", "trail"): _l("Open ground, but the rival started quicker."),
    ("theirs", "lead"): _l("On the rival's ground we are ahead. Something has changed: they may be unhappy with the incumbent, or we may only be a price lever."),
    ("theirs", "even"): _l("The incumbent should be ahead but is not; there is a crack in their position."),
    ("theirs", "trail"): _l("As expected: the rival holds this customer and leads the new deal."),
}
OPENING_ADVICE = {
    ("ours", "lead"): _l("Hold the lead: keep close to every decision maker and leave the rival no opening."),
    ("ours", "even"): _l("Find out why we lost ground, meet the decision makers again and take the lead back before it slips further."),
    ("ours", "trail"): _l("Find what changed, fast. Escalate, rebuild the key relationships and treat it as a crisis until proven otherwise."),
    ("neutral", "lead"): _l("Press on: turn the early lead into commitments before the rival catches up."),
    ("neutral", "even"): _l("Move faster than the rival: look for the one breakthrough (a sponsor, a pilot, a proof) that tips the balance."),
    ("neutral", "trail"): _l("Catch up quickly: find where we are clearly better and get it in front of the people who decide."),
    ("theirs", "lead"): _l("Check what changed and whether our lead is real; if the customer truly wants a change, this is a big chance, so back it."),
    ("theirs", "even"): _l("Find the reason for the crack and widen it; a focused push can win ground the rival has always held."),
    ("theirs", "trail"): _l("Decide by the customer's value whether to fight at all; if so, look for a narrow wedge instead of a frontal attack."),
}


def describe(short_term: float, long_term: float, territory: str, position: str) -> dict:
    """Everything a page needs to explain one assessment: keys, labels, meaning and advice."""
    quad = quadrant(short_term, long_term)
    cls = opening_class(territory, position)
    return {
        "quadrant": quad,
        "quadrant_label": QUADRANT_LABELS[quad],
        "quadrant_advice": QUADRANT_ADVICE[quad],
        "opening_class": cls,
        "class_label": CLASS_LABELS[cls],
        "territory_label": TERRITORY_LABELS[territory],
        "position_label": POSITION_LABELS[position],
        "meaning": OPENING_MEANING[(territory, position)],
        "advice": OPENING_ADVICE[(territory, position)],
    }
