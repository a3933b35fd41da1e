"""Helpers for the social tests: documents without files, and JSON calls through the test client."""

from hub.extensions import db
from hub.models import Document


def make_document(people, owner="expert", dept="B", visibility="staff", title="智能客服产品白皮书", tags=""):
    """Store a document row (no file needed for ratings and comments) and return its id."""
    doc = Document(
        department_id=people.departments[dept],
        owner_id=people.ids[owner],
        title=title,
        description="",
        category="product",
        tags=tags,
        visibility=visibility,
    )
    db.session.add(doc)
    db.session.commit()
    return doc.id


def api(client, people, who, method, path, json=None):
    """Call the API as `who` with their bearer token."""
    return client.open(f"/api/v1{path}", method=method, json=json, headers=people.auth(who))
