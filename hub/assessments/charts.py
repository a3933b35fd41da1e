"""Server-rendered SVG: the value quadrant chart, the 3×3 opening grid, an account's score history.

Only geometry goes in presentation attributes; colours come from classes in static/css/assessments.css
(the CSP allows no inline styles). Every mark that leads somewhere is an SVG link with a <title>.
"""

import math

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..models.assessments import POSITIONS, TERRITORIES
from . import scoring

SIZE = 360
PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 40, 40, 12, 12
R_MIN, R_MAX = 5.0, 16.0
LABELLED_R = 8.0  # the smallest dot that still holds its number legibly
GAP = 1.5  # space kept between two dots after spreading
SPREAD_MAX = 150


def spread(dots: list[list[float]], box: tuple[float, float, float, float], rounds: int = 60) -> None:
    """Push overlapping dots ([x, y, r], moved in place) apart until each one shows, staying inside the box.

    Accounts with the same scores would sit on one spot; a few rounds of pairwise nudges fan them out
    by no more than needed, so every dot stays near its true place. Deterministic: the same input, the same picture.
    """
    left, top, right, bottom = box
    if len(dots) > SPREAD_MAX:  # pairwise nudging is quadratic; that many dots read as density, the list names them
        rounds = 0
    for _round in range(rounds):
        moved = False
        for i in range(len(dots)):
            for j in range(i + 1, len(dots)):
                a, b = dots[i], dots[j]
                ra, rb = max(a[2], LABELLED_R), max(b[2], LABELLED_R)
                dx, dy = b[0] - a[0], b[1] - a[1]
                dist = math.hypot(dx, dy)
                need = ra + rb + GAP
                if dist >= need:
                    continue
                if dist < 0.01:  # the very same spot: part them along a fixed, per-pair direction
                    angle = (i * 7 + j * 13) * 0.9
                    dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                push = (need - dist) / 2
                ux, uy = dx / dist, dy / dist
                a[0], a[1] = a[0] - ux * push, a[1] - uy * push
                b[0], b[1] = b[0] + ux * push, b[1] + uy * push
                moved = True
        for d in dots:
            r = max(d[2], LABELLED_R)
            d[0] = min(max(d[0], left + r), right - r)
            d[1] = min(max(d[1], top + r), bottom - r)
        if not moved:
            return


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, words, cls: str, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" class="{cls}"{extra}>'
            f"{escape(str(words))}</text>")


def radius(value: float, largest: float) -> float:
    """Dot radius by deal value: area grows with the value, so a deal twice as big looks twice as big."""
    if largest <= 0 or value <= 0:
        return R_MIN
    return R_MIN + (R_MAX - R_MIN) * math.sqrt(min(value, largest) / largest)


def quadrant_chart(points: list[dict], link) -> Markup:
    """x: short-term return, y: long-term impact, dot size: deal value, colour: opening class."""
    width = SIZE - PAD_LEFT - PAD_RIGHT
    height = SIZE - PAD_TOP - PAD_BOTTOM

    def sx(v: float) -> float:
        return PAD_LEFT + width * v / 10

    def sy(v: float) -> float:
        return PAD_TOP + height * (1 - v / 10)

    mid_x, mid_y = sx(scoring.BIG_FROM), sy(scoring.BIG_FROM)
    parts = [
        f'<svg class="chart quadrant-chart" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'aria-labelledby="qc-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="qc-title">{escape(_("Customer value of every account"))}</title>',
        f'<rect x="{PAD_LEFT}" y="{PAD_TOP}" width="{_num(mid_x - PAD_LEFT)}" height="{_num(mid_y - PAD_TOP)}" class="q-bg q-small_business_big_impact"/>',
        f'<rect x="{_num(mid_x)}" y="{PAD_TOP}" width="{_num(PAD_LEFT + width - mid_x)}" height="{_num(mid_y - PAD_TOP)}" class="q-bg q-big_business_big_impact"/>',
        f'<rect x="{PAD_LEFT}" y="{_num(mid_y)}" width="{_num(mid_x - PAD_LEFT)}" height="{_num(PAD_TOP + height - mid_y)}" class="q-bg q-small_business_small_impact"/>',
        f'<rect x="{_num(mid_x)}" y="{_num(mid_y)}" width="{_num(PAD_LEFT + width - mid_x)}" height="{_num(PAD_TOP + height - mid_y)}" class="q-bg q-big_business_small_impact"/>',
        f'<line x1="{_num(mid_x)}" y1="{PAD_TOP}" x2="{_num(mid_x)}" y2="{PAD_TOP + height}" class="midline"/>',
        f'<line x1="{PAD_LEFT}" y1="{_num(mid_y)}" x2="{PAD_LEFT + width}" y2="{_num(mid_y)}" class="midline"/>',
        f'<rect x="{PAD_LEFT}" y="{PAD_TOP}" width="{width}" height="{height}" class="frame"/>',
    ]
    corners = (
        (PAD_LEFT + 6, PAD_TOP + 16, "start", "small_business_big_impact"),
        (PAD_LEFT + width - 6, PAD_TOP + 16, "end", "big_business_big_impact"),
        (PAD_LEFT + 6, PAD_TOP + height - 8, "start", "small_business_small_impact"),
        (PAD_LEFT + width - 6, PAD_TOP + height - 8, "end", "big_business_small_impact"),
    )
    for x, y, anchor, key in corners:
        parts.append(_text(x, y, scoring.QUADRANT_LABELS[key], "q-label", anchor))
    for v in (0, 5, 10):
        parts.append(_text(sx(v), PAD_TOP + height + 14, v, "tick"))
        parts.append(_text(PAD_LEFT - 6, sy(v) + 4, v, "tick", "end"))
    parts.append(_text(PAD_LEFT + width / 2, SIZE - 6, _("Short-term return →"), "axis-label"))
    y_mid = PAD_TOP + height / 2
    parts.append(_text(12, y_mid, _("Long-term impact →"), "axis-label",
                       extra=f' transform="rotate(-90 12 {_num(y_mid)})"'))
    largest = max((p["deal_value"] for p in points), default=0)
    # Translated once, filled in per dot: a chart may carry a thousand accounts.
    tip_text = _("%(name)s: short-term %(short)s, long-term %(long)s, %(value)s (10k CNY), %(cls)s")
    class_labels = {key: str(label) for key, label in scoring.CLASS_LABELS.items()}
    dots = [[sx(p["short_term"]), sy(p["long_term"]), radius(p["deal_value"], largest)] for p in points]
    spread(dots, (PAD_LEFT, PAD_TOP, PAD_LEFT + width, PAD_TOP + height))
    # Big dots first, so small ones stay on top and clickable; each carries its number in the list below.
    for n, (p, (x, y, r)) in sorted(enumerate(zip(points, dots, strict=True), 1), key=lambda d: -d[1][1][2]):
        name = p["account"] + (f" · {p['opportunity']}" if p["opportunity"] else "")
        tip = tip_text % {"name": name, "short": _num(p["short_term"]), "long": _num(p["long_term"]),
                          "value": _num(p["deal_value"]), "cls": class_labels[p["opening_class"]]}
        parts.append(
            f'<a href="{escape(link(p))}" class="dot-link" data-dot="{n}"><title>{escape(tip)}</title>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(max(r, LABELLED_R))}" '
            f'class="dot cls-{p["opening_class"]}" data-account="{p["account_id"]}"/>'
            + _text(x, y + 4, n, "dot-number") + "</a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def opening_grid(counts: dict[tuple[str, str], int], link, selected: tuple[str, str] | None = None) -> Markup:
    """The nine openings: rows are whose territory, columns who leads; each cell shows its class and count."""
    head_w, head_h = 70, 30
    cell_w, cell_h = (SIZE - head_w) / 3, 74
    height = head_h + 3 * cell_h
    parts = [
        f'<svg class="chart opening-grid" viewBox="0 0 {SIZE} {_num(height)}" role="img" '
        f'aria-labelledby="og-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="og-title">{escape(_("The nine openings"))}</title>',
    ]
    for col, pos in enumerate(POSITIONS):
        parts.append(_text(head_w + cell_w * (col + 0.5), head_h - 10, scoring.POSITION_LABELS[pos], "grid-head"))
    for row, territory in enumerate(TERRITORIES):
        y = head_h + row * cell_h
        parts.append(_text(head_w - 8, y + cell_h / 2 + 4, scoring.TERRITORY_LABELS[territory], "grid-head", "end"))
        for col, pos in enumerate(POSITIONS):
            x = head_w + col * cell_w
            cls = scoring.OPENINGS[(territory, pos)]
            n = counts.get((territory, pos), 0)
            chosen = " selected" if selected == (territory, pos) else ""
            tip = _("%(territory)s × %(position)s: %(cls)s, %(n)d accounts",
                    territory=scoring.TERRITORY_LABELS[territory], position=scoring.POSITION_LABELS[pos],
                    cls=scoring.CLASS_LABELS[cls], n=n)
            parts.append(
                f'<a href="{escape(link(territory, pos))}" class="cell-link" data-cell="{territory}-{pos}">'
                f"<title>{escape(tip)}</title>"
                f'<rect x="{_num(x + 2)}" y="{_num(y + 2)}" width="{_num(cell_w - 4)}" height="{_num(cell_h - 4)}" '
                f'rx="8" class="cell cls-{cls}{chosen}{" empty" if not n else ""}"/>'
                + _text(x + cell_w / 2, y + 34, n, "cell-count")
                + _text(x + cell_w / 2, y + 56, scoring.CLASS_LABELS[cls], "cell-class")
                + "</a>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def date_ticks(start, end, count: int = 4) -> list:
    """Up to `count` evenly spaced moments from start to end (both included); one when they coincide."""
    span = (end - start).total_seconds()
    if span <= 0:
        return [start]
    return [start + (end - start) * (i / (count - 1)) for i in range(count)]


def tick_label(moment, previous, span_seconds: float) -> str:
    """A tick's date: the full date first and where the year changes, the time of day when all fits in two days."""
    if previous is None or previous.year != moment.year:
        return moment.strftime("%Y-%m-%d")
    if span_seconds < 2 * 86400:
        return moment.strftime("%H:%M") if previous.date() == moment.date() else moment.strftime("%m-%d %H:%M")
    return moment.strftime("%m-%d")


def score_history(items: list, width: int = 320, height: int = 150) -> Markup:
    """How an account's scores moved over time: short-term (solid), long-term (dashed), dated on a time axis.

    Points sit where their dates put them, so a gap of months looks like one; when every assessment
    carries the same moment they are spaced evenly instead, and the axis shows that one date.
    """
    items = list(items)
    left, right, top, bottom = 28, 14, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(items)
    start = items[0].created_at if n else None
    span = (items[-1].created_at - start).total_seconds() if n else 0

    def sx(i: int) -> float:
        if span > 0:
            return left + plot_w * (items[i].created_at - start).total_seconds() / span
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def sy(v: float) -> float:
        return top + plot_h * (1 - v / 10)

    parts = [
        f'<svg class="chart history-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_("How the scores moved"))}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{left}" y1="{_num(sy(5))}" x2="{left + plot_w}" y2="{_num(sy(5))}" class="midline"/>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" class="frame"/>',
    ]
    for v in (0, 5, 10):
        parts.append(_text(left - 5, sy(v) + 4, v, "tick", "end"))
    if n:
        ticks = date_ticks(start, items[-1].created_at, 4 if width >= 300 else 3)
        previous = None
        for k, moment in enumerate(ticks):
            x = left + (plot_w * k / (len(ticks) - 1) if len(ticks) > 1 else plot_w / 2)
            anchor = "middle" if len(ticks) == 1 else ("start" if k == 0 else "end" if k == len(ticks) - 1 else "middle")
            parts.append(f'<line x1="{_num(x)}" y1="{top + plot_h}" x2="{_num(x)}" y2="{top + plot_h + 4}" class="frame"/>')
            parts.append(_text(x, height - 6, tick_label(moment, previous, span), "tick date-tick", anchor))
            previous = moment
    for attr, cls in (("short_term", "line-short"), ("long_term", "line-long")):
        coords = [(sx(i), sy(getattr(a, attr))) for i, a in enumerate(items)]
        if n > 1:
            path = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
            parts.append(f'<polyline points="{path}" class="{cls}"/>')
        for (x, y), a in zip(coords, items, strict=True):
            label = _("Short-term") if attr == "short_term" else _("Long-term")
            tip = f"{a.created_at:%Y-%m-%d} · {label} {_num(getattr(a, attr))}"
            parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" class="{cls}-dot"><title>{escape(tip)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
