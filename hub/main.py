"""Home page and the people directory."""

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .departments import services as departments
from .extensions import db
from .models import Post, Question, User

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if current_user.is_customer:
        return redirect(url_for("portal.home"))
    return render_template(
        "main/home.html",
        departments=departments.active_departments(),
        member_counts=departments.member_counts(),
        questions=db.session.scalars(select(Question).order_by(Question.id.desc()).limit(8)).all(),
        posts=db.session.scalars(select(Post).order_by(Post.id.desc()).limit(6)).all(),
    )


@bp.route("/people")
def people():
    staff = db.session.scalars(
        select(User).where(User.role.in_(("staff", "admin")), User.active).order_by(User.name)
    ).all()
    return render_template("main/people.html", people=staff)


def init_app(app: Flask) -> None:
    """Add the home page and the people directory."""
    app.register_blueprint(bp)
