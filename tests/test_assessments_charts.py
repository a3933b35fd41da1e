"""Chart geometry: overlapping dots are spread apart, the trend axis is a time axis with real dates."""

import math
import re
from datetime import datetime
from types import SimpleNamespace

from hub.assessments.charts import LABELLED_R, score_history, spread


def test_dots_on_the_same_spot_are_spread_apart_inside_the_box():
    dots = [[100.0, 100.0, 6.0] for _ in range(5)] + [[300.0, 20.0, 16.0]]
    spread(dots, (40, 12, 348, 320))
    for i, a in enumerate(dots):
        assert 40 <= a[0] - max(a[2], LABELLED_R) and a[0] + max(a[2], LABELLED_R) <= 348
        for b in dots[i + 1:]:
            assert math.hypot(a[0] - b[0], a[1] - b[1]) >= max(a[2], LABELLED_R) + max(b[2], LABELLED_R)
    assert all(math.hypot(d[0] - 100, d[1] - 100) < 40 for d in dots[:5])  # still near their true place


def test_the_trend_axis_places_points_by_date_and_names_the_year(app):
    items = [SimpleNamespace(created_at=datetime(*d), short_term=5, long_term=6)
             for d in ((2025, 11, 3), (2025, 11, 10), (2026, 6, 1))]
    with app.test_request_context():
        svg = str(score_history(items))
    ticks = re.findall(r'class="tick date-tick"[^>]*>([^<]+)<', svg)
    assert ticks[0] == "2025-11-03" and "2026-" in " ".join(ticks) and ticks[-1] == "06-01"
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"[^>]*class="line-short-dot"', svg)]
    assert xs[1] - xs[0] < (xs[2] - xs[1]) / 10  # a week apart sits close, seven months apart far
