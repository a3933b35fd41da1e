"""The customer VIP portal: every query starts from the signed-in customer's own account."""

from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.route("/")
def home():
    account = current_user.account
    owner = account.owner if account else None
    return render_template("portal/home.html", account=account, owner=owner)
