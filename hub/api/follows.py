"""Follows over JSON: what I follow, follow something, stop following it."""

from flask import abort
from flask_login import current_user

from .. import policy
from ..follows import services
from ..follows.schemas import FollowList, FollowState
from .blueprint import bp
from .spec import operation, respond

TAG = "follows"


@bp.get("/follows")
@operation("What I follow (and may still see), newest first", TAG, responses={200: FollowList})
def list_follows():
    return respond(FollowList, {"follows": services.following(current_user)})


@bp.put("/follows/<kind>/<int:ident>")
@operation("Follow a document, department, question or customer account (again is a no-op)", TAG,
           responses={200: FollowState})
def put_follow(kind: str, ident: int):
    target = services.load_target(kind, ident)
    if target is None or not policy.can_follow(current_user, kind, target):
        abort(404)
    services.follow(current_user, kind, target)
    return respond(FollowState, {"kind": kind, "id": ident, "following": True})


@bp.delete("/follows/<kind>/<int:ident>")
@operation("Stop following something", TAG, responses={200: FollowState})
def delete_follow(kind: str, ident: int):
    if services.load_target(kind, ident) is None:
        abort(404)
    services.unfollow(current_user, kind, ident)
    return respond(FollowState, {"kind": kind, "id": ident, "following": False})
