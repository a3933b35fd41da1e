"""Models of assessments: a new one (the API body, also checking the page form) and how the API answers."""

from datetime import datetime
from typing import Literal

from flask_babel import lazy_gettext as _
from pydantic import ConfigDict, Field, field_validator

from ..errors import FieldProblem
from ..schemas import Out, Strict, UserRef

Territory = Literal["ours", "neutral", "theirs"]
Position = Literal["lead", "even", "trail"]
Quadrant = Literal[
    "big_business_big_impact", "small_business_big_impact", "big_business_small_impact", "small_business_small_impact"
]
OpeningClass = Literal["normal", "problem", "abnormal"]

Score = Field(default=None, ge=0, le=10)


class AssessmentIn(Strict):
    """A new assessment. Each score may be left out when its sheet's sub-scores are given (their mean is used);
    `territory` may be left out when the account's recorded history suggests one."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    short_term: float | None = Score
    long_term: float | None = Score
    territory: Territory | None = None
    position: Position
    deal_revenue: int | None = Score
    quota_effect: int | None = Score
    follow_on: int | None = Score
    reference_value: int | None = Score
    team_morale: int | None = Score
    opportunity: str = Field(default="", max_length=120)
    competitor: str = Field(default="", max_length=80)
    deal_value: float = Field(default=0, ge=0, le=10_000_000)
    note: str = Field(default="", max_length=5000)

    @field_validator(
        "short_term", "long_term", "deal_revenue", "quota_effect", "follow_on", "reference_value", "team_morale",
        "deal_value", mode="before",
    )
    @classmethod
    def no_booleans(cls, value):
        """true/false are not scores (Python would read them as 1 and 0)."""
        if isinstance(value, bool):
            raise FieldProblem(_("Please give a number."))
        return value

    @field_validator("opportunity", "competitor", "note")
    @classmethod
    def stripped(cls, value: str) -> str:
        return value.strip()


class SubScoresOut(Out):
    deal_revenue: int | None
    quota_effect: int | None
    follow_on: int | None
    reference_value: int | None
    team_morale: int | None


class AssessmentOut(Out):
    id: int
    account_id: int
    opportunity: str
    competitor: str
    deal_value: float
    short_term: float
    long_term: float
    sub_scores: SubScoresOut
    territory: Territory
    suggested_territory: Territory | None
    position: Position
    quadrant: Quadrant
    opening_class: OpeningClass
    meaning: str
    advice: str
    quadrant_advice: str
    note: str
    author: UserRef | None
    created_at: datetime


class ShareOut(Out):
    party: str  # '' is our own business
    share: float


class SuggestionOut(Out):
    territory: Territory
    leader: str
    our_share: float
    shares: list[ShareOut]


class AssessmentList(Out):
    account_id: int
    assessments: list[AssessmentOut]  # newest first
    territory_suggestion: SuggestionOut | None


class PointOut(Out):
    assessment_id: int
    account_id: int
    account: str
    industry: str
    opportunity: str
    competitor: str
    short_term: float
    long_term: float
    deal_value: float
    territory: Territory
    position: Position
    quadrant: Quadrant
    opening_class: OpeningClass
    created_at: datetime


class GridCellOut(Out):
    territory: Territory
    position: Position
    opening_class: OpeningClass
    count: int


class QuadrantCountOut(Out):
    quadrant: Quadrant
    count: int


class OverviewOut(Out):
    """The latest assessment of each account (and of each named opportunity on it) the reader may see."""

    points: list[PointOut]
    quadrants: list[QuadrantCountOut]
    grid: list[GridCellOut]
