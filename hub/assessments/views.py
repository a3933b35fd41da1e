"""Assessment pages: the overview of all accounts, one account's assessments, scoring it, recording history."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import ValidationError as PydanticError

from .. import policy
from ..errors import ValidationError, refusal
from ..loading import load_visible
from ..models import CustomerAccount
from ..models.assessments import POSITIONS, SUB_SCORES, TERRITORIES
from . import charts, knowledge, scoring, services
from .schemas import AssessmentIn

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

FORM_FIELDS = ("short_term", "long_term", "territory", "position", *SUB_SCORES,
               "opportunity", "competitor", "deal_value", "note")


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else ""


def words() -> dict:
    """Labels for templates, translated once per request into the reader's language."""
    groups = {
        "territories": scoring.TERRITORY_LABELS,
        "positions": scoring.POSITION_LABELS,
        "classes": scoring.CLASS_LABELS,
        "quadrants": scoring.QUADRANT_LABELS,
        "quadrant_advice": scoring.QUADRANT_ADVICE,
        "sub_scores": scoring.SUB_SCORE_LABELS,
    }
    return {name: {key: str(text) for key, text in group.items()} for name, group in groups.items()}


@bp.route("/")
def overview():
    filters = {
        "territory": _choice("territory", TERRITORIES),
        "position": _choice("position", POSITIONS),
        "quadrant": _choice("quadrant", scoring.QUADRANTS),
        "opening_class": _choice("cls", scoring.OPENING_CLASSES),
    }
    everything = services.overview(by_severity(services.latest(current_user)))
    shown = by_severity(services.latest(current_user, **filters)) if any(filters.values()) else everything["points"]
    counts = {(c["territory"], c["position"]): c["count"] for c in everything["grid"]}
    cell = (filters["territory"], filters["position"]) if filters["territory"] and filters["position"] else None
    return render_template(
        "assessments/overview.html",
        quadrant_svg=charts.quadrant_chart(everything["points"], _account_link),
        grid_svg=charts.opening_grid(counts, _cell_link, cell),
        quadrant_counts=everything["quadrants"],
        total=len(everything["points"]),
        chart_points=everything["points"],
        points=shown,
        filters=filters,
        words=words(),
    )


# Worst first: an abnormal opening needs a decision today, a normal one can wait.
SEVERITY = {"abnormal": 0, "problem": 1, "normal": 2}


def by_severity(points: list[dict]) -> list[dict]:
    """Accounts in the order they need attention: opening class, then the bigger deal, then the name."""
    return sorted(points, key=lambda p: (SEVERITY[p["opening_class"]], -p["deal_value"], p["account"], p["opportunity"]))


def _account_link(point: dict) -> str:
    return url_for("assessments.account", account_id=point["account_id"])


def _cell_link(territory: str, position: str) -> str:
    return url_for("assessments.overview", territory=territory, position=position, _anchor="accounts")


def _account_page(account: CustomerAccount, form: dict | None = None, status: int = 200,
                  errors: dict[str, str] | None = None):
    items = services.history(account)
    hint = services.suggestion(account)
    current = items[0] if items else None
    competitor = current.competitor if current else (hint.top_rival if hint else "")
    return render_template(
        "assessments/account.html",
        account=account,
        items=items,
        current=current,
        explained={a.id: services.explain(a) for a in items},
        history_svg=charts.score_history(list(reversed(items))) if items else None,
        shares=services.shares(account),
        hint=hint,
        links=knowledge.suggest(current_user, account.industry, competitor),
        may_assess=policy.can_assess(current_user, account),
        form=form or {},
        errors=errors or {},
        sub_scores=SUB_SCORES,
        territories=TERRITORIES,
        positions=POSITIONS,
        words=words(),
    ), status


@bp.route("/accounts/<int:account_id>")
def account(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_assessments)
    return _account_page(account)


@bp.route("/accounts/<int:account_id>", methods=["POST"])
def create(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_assessments)
    if not policy.can_assess(current_user, account):
        abort(403)
    form = {f: request.form.get(f, "").strip() for f in FORM_FIELDS}
    raw = {k: v for k, v in form.items() if v != ""}
    try:
        data = AssessmentIn.model_validate(raw)
        a = services.record(account, current_user, data)
    except PydanticError as exc:
        return _account_page(account, form, 422, refusal(exc).fields)
    except ValidationError as exc:
        # A refusal about the sheet as a whole (no field) still shows inside the form, above the button.
        return _account_page(account, form, 422, exc.fields or {"": exc.message})
    flash(_("Assessment saved and posted to the account feed."), "success")
    return redirect(url_for("assessments.account", account_id=account.id, _anchor=f"a{a.id}"))


@bp.route("/accounts/<int:account_id>/shares", methods=["POST"])
def record_share(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_assessments)
    if not policy.can_assess(current_user, account):
        abort(403)
    back = redirect(url_for("assessments.account", account_id=account.id, _anchor="history-share"))
    ours = request.form.get("party") == "ours"
    competitor = "" if ours else request.form.get("competitor", "").strip()
    if not ours and not competitor:
        flash(_("Please name the competitor."), "error")
        return back
    amount = None
    if request.form.get("action") != "remove":
        raw = request.form.get("amount", "").strip()
        try:
            amount = float(raw)
        except ValueError:
            flash(_("Please give the past business as a number (10k CNY)."), "error")
            return back
    try:
        services.save_share(account, current_user, competitor, amount)
    except ValidationError as exc:
        flash(str(exc), "error")
        return back
    flash(_("Past business recorded."), "success")
    return back


@bp.app_context_processor
def panel_helper():
    """`assessment_panel(account)` for the account page's include: the latest scores, for staff only."""

    def assessment_panel(account):
        if account is None or not policy.can_view_assessments(current_user, account):
            return None
        items = services.history(account, limit=30)
        return {
            "current": items[0] if items else None,
            "explained": services.explain(items[0]) if items else None,
            "count": len(items),
            "history_svg": charts.score_history(list(reversed(items)), height=120) if len(items) > 1 else None,
            "may_assess": policy.can_assess(current_user, account),
            "words": words(),
        }

    return {"assessment_panel": assessment_panel}
