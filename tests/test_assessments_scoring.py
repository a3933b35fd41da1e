"""The assessment method as pure rules: value quadrants, the nine openings, territory from past business."""

import math

import pytest

from hub.assessments import scoring
from hub.assessments.scoring import AssessmentError


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        (10, 10, "big_business_big_impact"),
        (5, 5, "big_business_big_impact"),  # the middle of the scale counts as big
        (4.9, 5, "small_business_big_impact"),
        (5, 4.9, "big_business_small_impact"),
        (0, 0, "small_business_small_impact"),
        (9, 1, "big_business_small_impact"),
        (2, 8, "small_business_big_impact"),
    ],
)
def test_quadrant_follows_both_scores(short, long, expected):
    """Each score is big from the middle of the scale up; the pair picks the quadrant."""
    assert scoring.quadrant(short, long) == expected


@pytest.mark.parametrize("bad", [-0.1, 10.1, math.nan, math.inf, None])
def test_quadrant_refuses_scores_off_the_scale(bad):
    with pytest.raises(AssessmentError):
        scoring.quadrant(bad, 5)
    with pytest.raises(AssessmentError):
        scoring.quadrant(5, bad)


def test_the_nine_openings_are_classed_as_the_method_says():
    """History and position agreeing is normal; the expected leader merely level is a problem; trailing is abnormal."""
    assert scoring.OPENINGS == {
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
    classes = [scoring.opening_class(t, p) for t in ("ours", "neutral", "theirs") for p in ("lead", "even", "trail")]
    assert (classes.count("normal"), classes.count("problem"), classes.count("abnormal")) == (5, 2, 2)


def test_every_opening_and_quadrant_has_words(app):
    """Each of the nine openings has a meaning and advice, each quadrant advice, in Chinese by default."""
    with app.test_request_context():
        for key in scoring.OPENINGS:
            words = scoring.describe(6, 6, *key)
            assert str(words["meaning"]) and str(words["advice"])
        assert len({str(scoring.QUADRANT_ADVICE[q]) for q in scoring.QUADRANTS}) == 4
        assert str(scoring.CLASS_LABELS["abnormal"]) == "反常开局"


@pytest.mark.parametrize(("territory", "position"), [("mine", "lead"), ("ours", "ahead"), ("", ""), ("OURS", "lead")])
def test_unknown_territory_or_position_is_refused(territory, position):
    with pytest.raises(AssessmentError):
        scoring.opening_class(territory, position)


@pytest.mark.parametrize(
    ("amounts", "territory", "leader"),
    [
        ({"": 80, "远图软件": 20}, "ours", ""),
        ({"": 20, "远图软件": 80}, "theirs", "远图软件"),
        ({"": 45, "远图软件": 40, "恒信云": 15}, "neutral", ""),  # a 5-point lead owns nothing
        ({"": 30, "远图软件": 50, "恒信云": 20}, "theirs", "远图软件"),
        ({"远图软件": 50, "恒信云": 50}, "neutral", "恒信云"),  # a tie is broken by name, so the answer is stable
        ({"": 10}, "ours", ""),
        ({"恒信云": 10, "": 0}, "theirs", "恒信云"),
    ],
)
def test_territory_is_suggested_from_past_shares(amounts, territory, leader):
    """The largest past share owns the territory unless the runner-up is within the neutral margin."""
    hint = scoring.suggest_territory(amounts)
    assert (hint.territory, hint.leader) == (territory, leader)
    assert math.isclose(sum(share for _p, share in hint.shares), 1.0)


def test_no_history_suggests_nothing():
    assert scoring.suggest_territory({}) is None
    assert scoring.suggest_territory({"": 0, "远图软件": 0}) is None
    assert scoring.suggest_territory({"": -5}) is None


def test_top_rival_is_the_biggest_competitor_even_when_we_lead():
    hint = scoring.suggest_territory({"": 70, "恒信云": 10, "远图软件": 20})
    assert hint.territory == "ours" and hint.top_rival == "远图软件"
    assert math.isclose(hint.our_share, 0.7)


def test_scores_come_from_the_sheets_when_not_given():
    """Each score is the mean of its sub-scores (one decimal); a score given outright wins."""
    subs = {"deal_revenue": 8, "quota_effect": 7, "follow_on": 9, "reference_value": 6, "team_morale": 6}
    assert scoring.resolve_scores(None, None, subs) == (7.5, 7.0)
    assert scoring.resolve_scores(3, None, subs) == (3.0, 7.0)
    assert scoring.resolve_scores(None, None, {"deal_revenue": 5, "follow_on": 2}) == (5.0, 2.0)


@pytest.mark.parametrize(
    ("short", "long", "subs"),
    [
        (None, 5, {}),  # no short-term score and no short-term sheet
        (5, None, {"deal_revenue": 5}),  # a short-term line does not make a long-term score
        (11, 5, {}),
        (5, 5, {"team_morale": 12}),  # a bad sub-score is refused even when the total is given
        (5, 5, {"quota_effect": -1}),
    ],
)
def test_incomplete_or_out_of_range_sheets_are_refused(short, long, subs):
    with pytest.raises(AssessmentError):
        scoring.resolve_scores(short, long, subs)
