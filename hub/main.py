"""Home page and the people directory."""

from datetime import datetime

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_babel import format_timedelta
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import activity
from .customers.views import feed_labels
from .departments import services as departments
from .extensions import db
from .models import Membership, User, utcnow
from .social import experts, rankings

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if current_user.is_customer:
        return redirect(url_for("portal.home"))
    # The first screen: what happened, what colleagues rate and open, who knows; then departments, Q&A, notes.
    return render_template(
        "main/home.html",
        happenings=activity.recent(current_user),
        best_rated=rankings.all_rankings(current_user)["best_rated"][:3],
        viewed_week=activity.viewed_this_week(current_user),
        top_experts=experts.ranked(current_user, limit=5),
        feed_words=feed_labels(),
        departments=departments.active_departments(),
        member_counts=departments.member_counts(),
        questions=activity.latest_questions(current_user),
        posts=activity.latest_posts(current_user),
    )


@bp.app_template_filter("ago")
def ago(value: datetime) -> str:
    """How long ago, in the reader's language ("3 小时前"); the exact time stays in the title."""
    return format_timedelta(value - utcnow(), threshold=0.9, add_direction=True)


@bp.route("/people")
def people():
    staff = db.session.scalars(
        select(User).where(User.role.in_(("staff", "admin")), User.active).order_by(User.name)
        .options(selectinload(User.memberships).joinedload(Membership.department))  # each card lists them
    ).all()
    return render_template("main/people.html", people=staff)


def init_app(app: Flask) -> None:
    """Add the home page and the people directory."""
    app.register_blueprint(bp)
