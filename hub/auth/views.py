"""Sign in and out, language, profile and personal access tokens."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..i18n import LANGUAGES
from ..models import AccessToken
from . import services
from .forms import EmptyForm, LoginForm, PasswordForm, TokenForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Accept only same-site paths as a post-login destination."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def landing_for(user) -> str:
    return url_for("portal.home") if user.is_customer else url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(landing_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.active and user.check_password(form.password.data):
            lang = session.get("lang")
            session.clear()  # a fresh session at every sign-in: nothing carried over from before
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or landing_for(user))
        form.password.errors.append(_("Wrong e-mail or password, or the account is disabled."))
        return render_template("auth/login.html", form=form), 401
    if form.is_submitted():
        if "csrf_token" in form.errors:
            flash(_("The form expired or its security token is missing. Please reload and try again."), "error")
        return render_template("auth/login.html", form=form), 400
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.route("/profile")
def profile():
    tokens = db.session.scalars(
        select(AccessToken).where(AccessToken.user_id == current_user.id).order_by(AccessToken.id.desc())
    ).all()
    return render_template(
        "auth/profile.html",
        tokens=tokens,
        token_form=TokenForm(),
        password_form=PasswordForm(),
        empty_form=EmptyForm(),
        new_token=session.pop("new_token", None),
    )


@bp.route("/profile/tokens", methods=["POST"])
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        raw = services.issue_token(current_user, form.name.data)
        db.session.commit()
        session["new_token"] = raw  # shown once on the next page, never stored
        flash(_("Token created. Copy it now: it will not be shown again."), "success")
    else:
        flash(_("Please give the token a name of at most 80 characters."), "error")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != current_user.id or not EmptyForm().validate_on_submit():
        return render_template("error.html", status=404, message=_("Not found.")), 404
    services.revoke_token(token)
    db.session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/password", methods=["POST"])
def change_password():
    form = PasswordForm()
    if form.validate_on_submit() and current_user.check_password(form.current.data):
        user = current_user._get_current_object()
        user.set_password(form.new.data)  # also signs out every other session
        db.session.commit()
        login_user(user)  # ...and this one carries on with the new nonce
        flash(_("Password changed."), "success")
    else:
        flash(_("The password was not changed: check the current password and repeat the new one."), "error")
    return redirect(url_for("auth.profile"))
