"""The customers blueprint: the list and account pages (views.py) and the actions on them (actions.py)."""

from flask import Blueprint

bp = Blueprint("customers", __name__, url_prefix="/customers")
