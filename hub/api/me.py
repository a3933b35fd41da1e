"""Who am I: the caller as the API sees them."""

from flask_login import current_user

from .blueprint import bp
from .schemas import MeOut
from .spec import operation, respond


@bp.get("/me")
@operation("The signed-in caller", "people", responses={200: MeOut})
def get_me():
    user = current_user
    return respond(
        MeOut,
        {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "job": user.job,
            "account_id": user.account_id,
            "department_ids": sorted(user.department_ids),
        },
    )
