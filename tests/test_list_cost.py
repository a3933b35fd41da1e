"""Issue 15, the cheaper token lookup and document list keep their answers: a token is read afresh on
every request (a revoked one, a disabled person or a changed membership counts on the very next request,
in another app over the same database too), and the list's rows, built from plain columns with one
url_for, say exactly what the ORM summary of each document says."""

import pytest
from flask import url_for

from hub import create_app
from hub.auth import services as auth_services
from hub.documents import services
from hub.extensions import db
from hub.models import AccessToken, DocumentVersion, Membership, User
from hub.models.users import hash_token

from .conftest import TEST_DATABASE_URL, FreshContextClient, app_config
from .search_helpers import make_document


@pytest.fixture
def other_app(app, instance):
    """A second app on the same database, as another server process would be."""
    second = create_app(app_config(instance, TEST_DATABASE_URL))
    second.test_client_class = FreshContextClient
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def _token(raw: str) -> AccessToken:
    return db.session.scalar(db.select(AccessToken).where(AccessToken.token_hash == hash_token(raw)))


def test_a_revoked_token_is_refused_on_the_next_request_in_every_app(app, other_app, client, people):
    other = other_app.test_client()
    for c in (client, other):
        assert c.get("/api/v1/me", headers=people.auth("staff")).status_code == 200
    assert _token(people.tokens["staff"]).last_used_at is not None  # the "last used" write still happens
    auth_services.withdraw_token(_token(people.tokens["staff"]))
    for c in (client, other):
        assert c.get("/api/v1/me", headers=people.auth("staff")).status_code == 401
        assert c.get("/api/v1/documents", headers=people.auth("staff")).status_code == 401
    assert client.get("/api/v1/me", headers=people.auth("expert")).status_code == 200


def test_a_disabled_person_and_new_memberships_count_on_the_next_request(app, other_app, client, people):
    other = other_app.test_client()
    me = other.get("/api/v1/me", headers=people.auth("staff")).get_json()
    assert me["department_ids"] == [people.departments["A"]]
    db.session.add(Membership(user_id=people.ids["staff"], department_id=people.departments["B"]))
    db.session.commit()
    me = other.get("/api/v1/me", headers=people.auth("staff")).get_json()
    assert me["department_ids"] == sorted(people.departments.values())
    auth_services.switch_active(db.session.get(User, people.ids["staff"]), False)
    assert other.get("/api/v1/me", headers=people.auth("staff")).status_code == 401
    assert client.get("/api/v1/me", headers=people.auth("staff")).status_code == 401


@pytest.fixture
def shelf(people):
    """Documents with a thumbnail, without one, without any current version, and one hidden from staff."""
    with_thumb = make_document(people, "有缩略图", tags="报价,方案")
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.document_id == with_thumb))
    version.thumb_path, version.number = "thumbs/x.jpg", 3
    plain = make_document(people, "无缩略图", category="pricing", file_type="docx")
    bare = make_document(people, "无版本", dept="B", visibility="staff")
    db.session.get(services.Document, bare).current_version_id = None
    hidden = make_document(people, "部门内", dept="B", visibility="department", owner="expert")
    db.session.commit()
    return {"with_thumb": with_thumb, "plain": plain, "bare": bare, "hidden": hidden}


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_the_list_says_what_each_documents_own_summary_says(client, people, shelf, who):
    response = client.get("/api/v1/documents", headers=people.auth(who))
    assert response.status_code == 200, response.get_data(as_text=True)
    listed = response.get_json()
    ids = [d["id"] for d in listed["documents"]]
    expected = {shelf["with_thumb"], shelf["plain"], shelf["bare"]} | (
        {shelf["hidden"]} if who == "admin" else set()
    )
    assert set(ids) == expected and listed["total"] == len(expected)
    for entry in listed["documents"]:
        one = client.get(f"/api/v1/documents/{entry['id']}", headers=people.auth(who)).get_json()
        del one["description"], one["versions"]
        assert entry == one
    by_id = {d["id"]: d for d in listed["documents"]}
    thumb = by_id[shelf["with_thumb"]]
    assert thumb["thumbnail_url"] == f"/api/v1/documents/{shelf['with_thumb']}/thumbnail?version=3"
    assert thumb["tags"] == ["报价", "方案"] and thumb["preview"]["state"] == "ready"
    assert by_id[shelf["plain"]]["thumbnail_url"] is None
    bare = by_id[shelf["bare"]]
    assert (
        bare["version_id"] is None and bare["thumbnail_url"] is None and bare["preview"]["state"] == "failed"
    )


def test_thumbnail_urls_match_url_for_under_a_script_root(app, people, shelf):
    from hub.api.documents import thumbnail_urls

    with app.test_request_context("/api/v1/documents", base_url="http://example.test/hub/"):
        make = thumbnail_urls()
        for doc_id, number in ((1, 1), (shelf["with_thumb"], 3), (2_147_483_647, 12)):
            assert make(doc_id, number) == url_for(
                "api.get_document_thumbnail", doc_id=doc_id, version=number
            )
        assert make(5, 2).startswith("/hub/api/v1/documents/5/")


def test_the_rows_are_the_documents_list_with_every_filter(app, people, shelf):
    cases = [
        dict(),
        dict(department_id=people.departments["B"]),
        dict(category="pricing"),
        dict(page=2, per_page=2),
        dict(page=9),
        dict(category="other"),
    ]
    for who in ("admin", "staff", "customer"):
        with app.test_request_context("/"):
            user = db.session.get(User, people.ids[who])
            for case in cases:
                docs, total = services.list_documents(user, **case)
                rows, row_total = services.list_document_rows(user, **case)
                assert [r.id for r in rows] == [d.id for d in docs] and row_total == total, (who, case)
