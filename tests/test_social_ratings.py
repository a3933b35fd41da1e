"""Star ratings over the API: values, one per person, summaries, visibility and the Bayesian ranking."""

import pytest

from hub.extensions import db
from hub.models import Rating
from hub.social import ratings

from .social_helpers import api, make_document


def test_rate_change_and_remove(client, people):
    """A staff member rates, changes and removes a rating; the summary follows each step."""
    doc_id = make_document(people)
    first = api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 4})
    assert first.status_code == 200
    assert (first.json["count"], first.json["average"], first.json["mine"]) == (1, 4.0, 4)
    assert first.json["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
    api(client, people, "service", "PUT", f"/documents/{doc_id}/rating", {"stars": 1})
    changed = api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 2})
    assert changed.json["count"] == 2 and changed.json["average"] == 1.5 and changed.json["mine"] == 2
    got = api(client, people, "service", "GET", f"/documents/{doc_id}/rating")
    assert got.json["mine"] == 1 and got.json["distribution"]["2"] == 1
    removed = api(client, people, "staff", "DELETE", f"/documents/{doc_id}/rating")
    assert removed.json["count"] == 1 and removed.json["mine"] is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 1


@pytest.mark.parametrize("stars", [0, 6, 3.5, "abc", None, True, -1, "4.0", [4]])
def test_bad_stars_are_refused_and_nothing_stored(client, people, stars):
    """Stars outside whole 1..5 get a 422 with a message, and no row is written."""
    doc_id = make_document(people)
    response = api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": stars})
    assert response.status_code == 422
    assert "1" in response.json["error"]["message"] and "5" in response.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 0


def test_missing_or_malformed_body_is_a_client_error(client, people):
    """No stars field (422), extra fields (422) and a non-JSON body (400) are refused."""
    doc_id = make_document(people)
    assert api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {}).status_code == 422
    assert (
        api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 3, "x": 1}).status_code
        == 422
    )
    raw = client.put(f"/api/v1/documents/{doc_id}/rating", data="stars=3", headers=people.auth("staff"))
    assert raw.status_code == 400


def test_hidden_document_answers_404_like_a_missing_one(client, people):
    """Rating a department-only document of another department is 404 (not 403), nothing stored."""
    doc_id = make_document(people, dept="B", visibility="department")
    for method in ("GET", "PUT", "DELETE"):
        response = api(client, people, "staff", method, f"/documents/{doc_id}/rating", {"stars": 5})
        assert response.status_code == 404, method
        assert response.json["error"]["code"] == "not_found"
    assert api(client, people, "staff", "GET", "/documents/999999/rating").status_code == 404
    assert (
        api(client, people, "expert", "PUT", f"/documents/{doc_id}/rating", {"stars": 5}).status_code == 200
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 1


def test_customers_cannot_rate(client, people):
    """Customer users are refused by the route policy."""
    doc_id = make_document(people)
    response = api(client, people, "customer", "PUT", f"/documents/{doc_id}/rating", {"stars": 5})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 0


def test_bayesian_score_prefers_many_good_votes_over_one_perfect():
    """One 5-star vote scores below forty votes averaging 4.6."""
    assert ratings.bayesian(5, 1) < ratings.bayesian(4.6 * 40, 40)
    assert ratings.bayesian(0, 0) == ratings.PRIOR_MEAN


def test_rating_summary_notifies_owner_at_milestones(client, people):
    """The owner hears once when the first rating arrives, not again for a changed vote."""
    from hub.models import Notification

    doc_id = make_document(people, owner="expert")
    api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 5})
    api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 4})
    api(client, people, "service", "PUT", f"/documents/{doc_id}/rating", {"stars": 4})
    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "rating_summary")).all()
    assert [(n.user_id, n.url) for n in notes] == [(people.ids["expert"], f"/documents/{doc_id}")]
