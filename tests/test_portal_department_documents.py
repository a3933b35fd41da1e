"""Department-only documents shared with a customer stay in their department on the staff side.

Account X: owner `staff` (department A), service contact `service` (department B). A document only
department B may read is shared with X: `service` sees its title everywhere, `staff` only a count.
"""

import pytest

from hub.extensions import db
from hub.models import Notification

from .documents_helpers import drain, upload
from .portal_helpers import World, pdf, setup_world, share, signed_in

B_ONLY = "乙部门内部报价策略"
A_ONLY = "甲部门内部实施清单"


@pytest.fixture
def world(app, client, people) -> World:
    world = setup_world(app, client, people)
    for key, who, dept, title in (("b_only", "expert", "B", B_ONLY), ("a_only", "staff", "A", A_ONLY)):
        response = upload(client, people.auth(who), people.departments[dept], pdf(1, key), f"{key}.pdf",
                          title=title, visibility="department")
        assert response.status_code == 201, response.get_json()
        world.docs[key] = response.get_json()["id"]
        assert share(client, people, world.docs[key], world.X, who=who).status_code == 201
    drain(app)
    return world


def _open_all(app, people, world):
    customer = signed_in(app, people, "customer")
    for key in ("b_only", "a_only", "shared"):
        if key == "shared":
            assert share(app.test_client(), people, world.docs[key], world.X).status_code == 201
        assert customer.get(f"/portal/documents/{world.docs[key]}").status_code == 200


def test_first_open_notification_names_the_document_only_to_those_who_may_see_it(app, people, world):
    """The owner (department A) is told of both first opens; only the department-A document is named."""
    _open_all(app, people, world)
    texts = [n.text for n in db.session.query(Notification).filter_by(kind="share_opened",
                                                                       user_id=people.ids["staff"])]
    assert len(texts) == 3
    assert not any(B_ONLY in t for t in texts)
    assert any(A_ONLY in t for t in texts) and any("shared方案说明" in t for t in texts)


def test_engagement_api_counts_what_the_caller_may_not_see(app, client, people, world):
    """Outside department B: the document is counted, not named; inside: listed with its readers."""
    _open_all(app, people, world)
    outside = client.get(f"/api/v1/customers/{world.X}/engagement", headers=people.auth("staff"))
    assert outside.status_code == 200 and B_ONLY not in outside.get_data(as_text=True)
    body = outside.get_json()
    assert {d["document_id"] for d in body["documents"]} == {world.docs["a_only"], world.docs["shared"]}
    assert body["hidden_documents"] == 1
    inside = client.get(f"/api/v1/customers/{world.X}/engagement", headers=people.auth("service")).get_json()
    assert {d["document_id"] for d in inside["documents"]} == {world.docs["b_only"], world.docs["shared"]}
    assert B_ONLY in {d["title"] for d in inside["documents"]} and inside["hidden_documents"] == 1
    admin = client.get(f"/api/v1/customers/{world.X}/engagement", headers=people.auth("admin")).get_json()
    assert len(admin["documents"]) == 3 and admin["hidden_documents"] == 0


def test_account_page_panel_shows_titles_only_to_readers(app, people, world):
    """The shared-documents and engagement panels name department-only documents to their department only."""
    _open_all(app, people, world)
    html = signed_in(app, people, "staff").get(f"/customers/{world.X}").get_data(as_text=True)
    assert B_ONLY not in html and f"/documents/{world.docs['b_only']}" not in html
    assert A_ONLY in html and 'data-testid="hidden-shares"' in html and 'data-testid="hidden-engagement"' in html
    html = signed_in(app, people, "service").get(f"/customers/{world.X}").get_data(as_text=True)
    assert B_ONLY in html and A_ONLY not in html
    html = signed_in(app, people, "expert").get(f"/customers/{world.X}").get_data(as_text=True)
    assert B_ONLY in html and A_ONLY not in html and 'data-testid="hidden-shares"' in html
