"""Follow and unfollow from a page (the button's form without JavaScript, and the profile's list)."""

from flask import Blueprint, abort, redirect, request
from flask_login import current_user

from .. import policy
from ..auth.forms import EmptyForm
from ..redirects import safe_next
from . import services

bp = Blueprint("follows", __name__, url_prefix="/follows")


def _visible_target(kind: str, ident: int):
    """The record to (un)follow, or 404: unknown, or not something this person may see."""
    target = services.load_target(kind, ident)
    if target is None or not policy.can_follow(current_user, kind, target):
        abort(404)
    return target


def _back(kind: str, target):
    return redirect(safe_next(request.form.get("next")) or services.url_of(kind, target))


@bp.route("/<kind>/<int:ident>", methods=["POST"])
def follow(kind: str, ident: int):
    target = _visible_target(kind, ident)
    if EmptyForm().validate_on_submit():
        services.follow(current_user, kind, target)
    return _back(kind, target)


@bp.route("/<kind>/<int:ident>/remove", methods=["POST"])
def unfollow(kind: str, ident: int):
    """Unfollowing also works for something the person may no longer see (it only ends their own row)."""
    target = services.load_target(kind, ident)
    if target is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.unfollow(current_user, kind, ident)
    if not policy.can_follow(current_user, kind, target):
        return redirect(safe_next(request.form.get("next")) or "/")
    return _back(kind, target)


@bp.app_context_processor
def follow_state():
    """The follow button (templates/_follow.html) asks whether the reader follows something already."""

    def is_following(kind: str, ident: int) -> bool:
        return current_user.is_authenticated and services.is_following(current_user, kind, ident)

    def may_follow(kind: str, target) -> bool:
        return current_user.is_authenticated and policy.can_follow(current_user, kind, target)

    def followed_things() -> list[dict]:
        return services.following(current_user) if current_user.is_authenticated else []

    return {"is_following": is_following, "may_follow": may_follow, "followed_things": followed_things}
