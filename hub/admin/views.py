"""Administration: create and disable people, departments and customer accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import policy
from ..auth import resets, services
from ..errors import ValidationError
from ..extensions import db
from ..models import CustomerAccount, Department, Membership, User
from . import services as admin
from .forms import AccountForm, DepartmentForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(user_form=None, department_form=None, account_form=None, status=200):
    users = db.session.scalars(
        select(User).order_by(User.role, User.name)
        .options(selectinload(User.account), selectinload(User.memberships).selectinload(Membership.department))
    ).all()
    return (
        render_template(
            "admin/index.html",
            users=users,
            reset_expiries=resets.open_links(users),
            new_reset=session.pop("new_reset", None),
            departments=db.session.scalars(select(Department).order_by(Department.name)).all(),
            accounts=db.session.scalars(select(CustomerAccount).order_by(CustomerAccount.name)).all(),
            user_form=user_form or UserForm(prefix="u"),
            department_form=department_form or DepartmentForm(prefix="d"),
            account_form=account_form or AccountForm(prefix="a"),
        ),
        status,
    )


def on_field(form, exc: ValidationError, default: str) -> None:
    """A service's refusal under the field it is about (exc.field), else under `default`."""
    for name, message in (exc.fields or {default: exc.message}).items():
        field = form[name] if name in form else form[default]
        field.errors = [*field.errors, message]


@bp.route("/")
def index():
    return _page()


@bp.route("/users", methods=["POST"])
def create_user():
    form = UserForm(prefix="u")
    if form.validate_on_submit():
        try:
            user = services.add_person(
                form.email.data,
                form.name.data,
                form.role.data,
                form.password.data,
                account_name=form.account.data or None,
                department_name=form.department.data or None,
                job=form.job.data or None,
            )
        except ValidationError as exc:
            on_field(form, exc, "email")
        else:
            flash(_("%(name)s can now sign in.", name=user.name), "success")
            return redirect(url_for("admin.index"))
    return _page(user_form=form, status=422)


@bp.route("/users/<int:user_id>/toggle", methods=["POST"])
def toggle_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot disable yourself."), "error")
        return redirect(url_for("admin.index"))
    services.switch_active(user, not user.active)
    flash(_("%(name)s is now %(state)s.", name=user.name, state=_("active") if user.active else _("disabled")), "success")
    return redirect(url_for("admin.index"))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
def reset_link(user_id: int):
    """Make a one-time password reset link; the admin sees it once, on the next page, to pass it on."""
    user = db.session.get(User, user_id) or abort(404)
    if not policy.can_make_reset_link(current_user, user):
        flash(_("%(name)s is disabled: enable the account before making a reset link.", name=user.name), "error")
        return redirect(url_for("admin.index"))
    raw = resets.issue(user, current_user)
    # Kept in the session only until the next page shows it; the database holds just the hash.
    session["new_reset"] = {"name": user.name, "url": url_for("auth.reset_password", token=raw, _external=True)}
    return redirect(url_for("admin.index", _anchor="new-reset"))


@bp.route("/departments", methods=["POST"])
def create_department():
    form = DepartmentForm(prefix="d")
    if form.validate_on_submit():
        try:
            admin.create_department(form.name.data, form.description.data)
        except ValidationError as exc:
            on_field(form, exc, "name")
        else:
            flash(_("Department created."), "success")
            return redirect(url_for("admin.index"))
    return _page(department_form=form, status=422)


@bp.route("/departments/<int:dept_id>/toggle", methods=["POST"])
def toggle_department(dept_id: int):
    dept = db.session.get(Department, dept_id) or abort(404)
    admin.toggle_department(dept)
    return redirect(url_for("admin.index"))


@bp.route("/accounts", methods=["POST"])
def create_account():
    form = AccountForm(prefix="a")
    if form.validate_on_submit():
        try:
            admin.create_account(form.name.data, form.industry.data, form.region.data)
        except ValidationError as exc:
            on_field(form, exc, "name")
        else:
            flash(_("Customer account created."), "success")
            return redirect(url_for("admin.index"))
    return _page(account_form=form, status=422)


@bp.route("/accounts/<int:account_id>/toggle", methods=["POST"])
def toggle_account(account_id: int):
    account = db.session.get(CustomerAccount, account_id) or abort(404)
    admin.toggle_account(account)
    return redirect(url_for("admin.index"))
