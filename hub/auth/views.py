"""Sign in and out, language, profile (sign-ins, personal access tokens, password)."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from .. import policy
from ..errors import ValidationError
from ..extensions import db, limiter
from ..i18n import LANGUAGES
from ..models import AccessToken, LoginSession
from ..notifications import service as notifications
from ..redirects import safe_next
from . import devices, resets, services, sessions, signin
from .forms import EmptyForm, LoginForm, PasswordForm, ResetForm, TokenForm

bp = Blueprint("auth", __name__)


def landing_for(user) -> str:
    return url_for("portal.home") if user.is_customer else url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
# Refused passwords count per e-mail and, more generously, per address (one office behind a NAT).
@limiter.limit(signin.login_limit, key_func=signin.email_key, methods=["POST"], deduct_when=signin.failed_sign_in)
@limiter.limit(
    signin.login_address_limit, key_func=signin.address_key, methods=["POST"], deduct_when=signin.failed_sign_in
)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(landing_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = signin.authenticate(form.email.data, form.password.data)
        if user is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session at every sign-in: nothing carried over from before
            if lang:
                session["lang"] = lang
            sessions.sign_in(user)  # the cookie names this new server-side sign-in
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
        _sign_out(sessions.current())
    return redirect(url_for("auth.login"))


def _sign_out(row: LoginSession | None) -> None:
    """End this device's sign-in on the server (copies of the cookie stop working), then forget it here."""
    sessions.sign_out(row)
    logout_user()
    session.clear()


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            notifications.set_language(current_user, code)  # live notifications follow the choice
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.route("/profile")
def profile():
    tokens = db.session.scalars(
        select(AccessToken).where(AccessToken.user_id == current_user.id).order_by(AccessToken.id.desc())
    ).all()
    here = sessions.current()
    sign_ins = sessions.live_for(current_user)
    return render_template(
        "auth/profile.html",
        tokens=tokens,
        sign_ins=sign_ins,
        device_labels={row.id: devices.label(row.user_agent) for row in sign_ins},
        this_sign_in=here.id if here is not None else None,
        token_form=TokenForm(),
        password_form=PasswordForm(),
        empty_form=EmptyForm(),
        new_token=session.pop("new_token", None),
    )


@bp.route("/profile/tokens", methods=["POST"])
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        raw = services.new_token(current_user, form.name.data)
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
    services.withdraw_token(token)
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/password", methods=["POST"])
@limiter.limit(signin.password_limit, key_func=signin.person_key)  # guessing the current password
def change_password():
    form = PasswordForm()
    if form.validate_on_submit() and current_user.check_password(form.current.data):
        user = current_user._get_current_object()
        # Ends every sign-in and token of this person; this device carries on with a new sign-in.
        services.replace_password(user, form.new.data)
        login_user(user)
        flash(_("Password changed. Every other device is signed out and your access tokens are revoked."), "success")
    else:
        flash(_("The password was not changed: check the current password and repeat the new one."), "error")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int):
    row = db.session.get(LoginSession, session_id)
    if row is None or not policy.can_end_sign_in(current_user, row) or not EmptyForm().validate_on_submit():
        return render_template("error.html", status=404, message=_("Not found.")), 404
    here = sessions.current()
    if here is not None and here.id == row.id:
        _sign_out(row)
        return redirect(url_for("auth.login"))
    sessions.sign_out(row)
    flash(_("That device is signed out."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/sessions/end-all", methods=["POST"])
def end_all_sessions():
    """Sign out everywhere, this device included; access tokens stay (scripts are not devices)."""
    if EmptyForm().validate_on_submit():
        sessions.sign_out_everywhere(current_user)
        logout_user()
        session.clear()
        flash(_("You are signed out on every device."), "success")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.profile"))


@bp.route("/forgot-password")
def forgot_password():
    """No e-mail server: the page tells the person to ask an administrator for a reset link."""
    return render_template("auth/forgot.html")


@bp.route("/password-reset", methods=["GET", "POST"])
# The token travels in the query string (GET) or the form (POST), never in the path: request logs
# record paths. Attempts count per address, as password changes count per person.
@limiter.limit(signin.password_limit, key_func=signin.address_key, methods=["POST"])
def reset_password():
    form = ResetForm()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")
    link = resets.find_usable(form.token.data)
    if link is None:
        return _no_reset_page()
    if form.validate_on_submit():
        previous = sessions.current()
        try:
            user = resets.use(link, form.new.data)
        except ValidationError as exc:
            form.new.errors.append(str(exc))
        else:
            _start_fresh(user, previous)
            flash(_("Your new password is set. Every other device is signed out."), "success")
            return redirect(landing_for(user))
    status = 422 if form.is_submitted() else 200
    return _private(render_template("auth/reset.html", form=form, person=link.user), status)


def _no_reset_page():
    """One answer for unknown, forged, used and expired links and disabled people."""
    return _private(render_template("auth/reset_invalid.html"), 404)


def _private(body: str, status: int):
    """The page's URL holds the token: no Referer leaves it, not even to our own pages."""
    return body, status, {"Referrer-Policy": "no-referrer"}


def _start_fresh(user, previous: LoginSession | None) -> None:
    """Sign this device in as the person (resets.use opened the sign-in) with a new session; someone
    else signed in here before is signed out on the server too."""
    if previous is not None and previous.user_id != user.id:
        sessions.sign_out(previous)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
