"""Key-account assessments over JSON: an account's history, scoring it, and the overview of all accounts."""

from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..assessments import services
from ..assessments.schemas import AssessmentIn, AssessmentList, AssessmentOut, OverviewOut
from ..errors import ApiError
from ..loading import load_visible
from ..models import CustomerAccount
from .blueprint import bp
from .spec import operation, parse_body, respond


@bp.get("/customers/<int:account_id>/assessments")
@operation("Assessments of an account, newest first, with the territory its recorded history suggests",
           "assessments", responses={200: AssessmentList})
def list_assessments(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_assessments)
    data = {
        "account_id": account.id,
        "assessments": [services.assessment_json(a) for a in services.history(account)],
        "territory_suggestion": services.suggestion_json(services.suggestion(account)),
    }
    return respond(AssessmentList, data)


@bp.post("/customers/<int:account_id>/assessments")
@operation("Score an account's value and opening; it is kept in its history and posted to its feed",
           "assessments", body=AssessmentIn, responses={201: AssessmentOut})
def create_assessment(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_assessments)
    if not policy.can_assess(current_user, account):
        raise ApiError(403, _("This account is disabled; it can no longer be assessed."))
    data = parse_body(AssessmentIn)
    assessment = services.record(account, current_user, data)
    return respond(AssessmentOut, services.assessment_json(assessment), 201)


@bp.get("/assessments/overview")
@operation("The latest assessment of every account you may see: quadrant counts and the 3×3 opening grid",
           "assessments", responses={200: OverviewOut})
def assessments_overview():
    return respond(OverviewOut, services.overview(services.latest(current_user)))
