"""The JSON API's one blueprint, under /api/v1; each route module attaches its views to it."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
