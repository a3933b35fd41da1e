"""What a customer's search shows: only what their portal shows, never staff data or staff links."""

import re

import pytest

from . import search_backends
from .documents_helpers import drain
from .portal_helpers import World, setup_world, shared_ok, signed_in

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)

STAFF_URL = re.compile(r'(?:href|src)="/(?:documents|api/v1/documents|departments)/')


@pytest.fixture
def world(app, client, people) -> World:
    world = setup_world(app, client, people)
    shared_ok(client, people, world.docs["shared"], world.X)
    rated = client.put(f"/api/v1/documents/{world.docs['shared']}/rating", json={"stars": 5},
                       headers=people.auth("staff"))
    assert rated.status_code == 200, rated.get_json()
    drain(app)
    return world


def test_staff_see_rating_and_department_the_customer_does_not(app, people, world):
    """Staff results carry the rating and department name, so the customer's absence of them means something."""
    staff = app.test_client().get("/api/v1/search?q=方案说明", headers=people.auth("staff")).get_json()
    hit = next(h for h in staff["results"] if h["id"] == world.docs["shared"])
    assert hit["rating"] and hit["department"] == "销售通产品部"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_customer_result_page_carries_no_staff_data(app, people, world, lang):
    """The page lists the shared document with its shared date and portal link: no stars, department or staff URL."""
    customer = signed_in(app, people, "customer")
    customer.post(f"/language/{lang}", data={"csrf_token": customer.csrf, "next": "/portal/"})
    html = customer.get("/search/?q=方案说明").get_data(as_text=True)
    results = html[html.index("search-layout"):]
    assert "shared方案说明" in results and "other方案说明" not in results
    assert f'href="/portal/documents/{world.docs["shared"]}"' in results
    assert "★" not in results and "销售通产品部" not in results
    assert not STAFF_URL.search(results), STAFF_URL.search(results)
    assert 'data-testid="shared-date"' in results and ("共享于" if lang == "zh" else "Shared") in results
    assert 'value="rating"' not in html  # no "best rated" sort
    for facet in ("department_id=", "min_rating=", "category="):
        assert facet not in results
    assert "search-page" in html  # lets search.css hide the top bar's second box on a phone


def test_customer_api_json_carries_no_staff_data(app, people, world):
    """GET /api/v1/search as the customer: no rating, department or staff URL, and no staff facets."""
    body = app.test_client().get("/api/v1/search?q=方案说明", headers=people.auth("customer")).get_json()
    assert [h["id"] for h in body["results"]] == [world.docs["shared"]]
    hit = body["results"][0]
    assert hit["rating"] is None and hit["department"] == "" and hit["department_id"] is None
    assert hit["url"] == f"/portal/documents/{world.docs['shared']}" and hit["page"] is None
    assert hit["thumbnail"] in (None, f"/api/v1/portal/documents/{world.docs['shared']}/thumbnail")
    assert hit["date"]  # the shared date
    assert set(body["facets"]) <= {"file_type"}
    text = str(body)
    assert "销售通产品部" not in text and "/documents/" not in text.replace("/portal/documents/", "")


def test_customer_cannot_probe_ratings_or_departments_through_filters(app, people, world):
    """A rating or department filter would tell the customer which documents have them: it is ignored."""
    auth = people.auth("customer")
    for extra in ("min_rating=5", f"department_id={people.departments['B']}", "sort=rating"):
        body = app.test_client().get(f"/api/v1/search?q=方案说明&{extra}", headers=auth).get_json()
        assert [h["id"] for h in body["results"]] == [world.docs["shared"]], extra
