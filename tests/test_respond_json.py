"""spec.respond writes the JSON with pydantic: naive stored times still answer as UTC (RFC 3339 with Z),
on declared, optional and inherited fields, and the status and Content-Type are kept."""

from datetime import UTC, datetime, timedelta, timezone

from hub.api.spec import respond
from hub.schemas import Out, UserRef


class Stamped(Out):
    at: datetime
    maybe: datetime | None = None
    count: int = 0
    who: UserRef | None = None


class MoreStamped(Stamped):
    later: datetime


def test_naive_times_answer_as_utc(app):
    with app.test_request_context("/api/v1/x"):
        response, status = respond(MoreStamped, {
            "at": datetime(2026, 1, 2, 3, 4, 5), "maybe": datetime(2026, 1, 2, 3, 4, 5, 600),
            "later": datetime(2026, 2, 1), "who": {"id": 1, "name": "王磊"},
        }, 201)
        assert status == 201 and response.mimetype == "application/json"
        assert response.get_json() == {
            "at": "2026-01-02T03:04:05Z", "maybe": "2026-01-02T03:04:05.000600Z", "count": 0,
            "who": {"id": 1, "name": "王磊"}, "later": "2026-02-01T00:00:00Z",
        }
        assert "王磊" in response.get_data(as_text=True)  # readable Chinese, as before
        aware, _ = respond(Stamped, {"at": datetime(2026, 1, 1, 8, tzinfo=timezone(timedelta(hours=8)))})
        assert aware.get_json()["at"] == "2026-01-01T08:00:00+08:00" and aware.get_json()["maybe"] is None
        utc, _ = respond(Stamped, {"at": datetime(2026, 1, 1, tzinfo=UTC)})
        assert utc.get_json()["at"] == "2026-01-01T00:00:00Z"
