"""Walk every route of the app for every role and check it against hub.policy.ROUTES."""

import re

import pytest

from hub import policy
from hub.departments import services as knowledge
from hub.extensions import db
from hub.models import CustomerAccount, Department, Share, User

from .conftest import login
from .search_helpers import make_document

ROLES = ("anonymous", "customer", "other_customer", "staff", "admin")  # other_customer: a second account
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def samples(app, people) -> dict:
    """A real record for each URL parameter name, reachable by the admitted roles."""
    dept = db.session.get(Department, people.departments["A"])
    staff = db.session.get(User, people.ids["staff"])
    post = knowledge.create_post(dept, staff, "报价经验", "先报模块价")
    question = knowledge.ask(dept, staff, "能对接 SAP 吗？", "")
    # answered by a colleague of the roles, so voting it helpful is not a vote on one's own answer
    answer = knowledge.answer(question, db.session.get(User, people.ids["expert"]), "可以")
    # portal: a document shared with account X (its owner is `staff`); other_customer is account Y's
    doc_id = make_document(people, "共享方案", pages=["第一页"])
    db.session.get(CustomerAccount, people.accounts["customer"]).owner_id = staff.id
    share = Share(document_id=doc_id, account_id=people.accounts["customer"], created_by_id=staff.id, allow_download=True)
    db.session.add(share)
    db.session.commit()
    return {
        "dept_id": dept.id,
        "post_id": post.id,
        "question_id": question.id,
        "answer_id": answer.id,
        "user_id": people.ids["expert"],
        "account_id": people.accounts["customer"],
        "token_id": 1,
        "session_id": 1,  # a sign-in: someone else's answers 404
        "code": "en",
        "filename": "css/hub.css",
        # customers: missing ids answer 404 to admitted roles, which the matrix accepts
        "task_id": 1,
        "request_id": 1,
        "complaint_id": 1,
        "contact_id": 1,
        "note_id": 1,
        # documents and social: missing ids answer 404 to admitted roles as well
        "doc_id": doc_id,
        "comment_id": 1,
        "number": 1,
        "share_id": share.id,
        # search: a missing dictionary word answers 404 to admins
        "word_id": 1,
        # follows: a department every staff member may follow
        "kind": "department",
        "ident": dept.id,
    }


def routes(app):
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule, ("GET" if "GET" in methods else methods[0])


def test_every_endpoint_has_a_policy_decision(app):
    """A route added without an entry in policy.ROUTES fails here (and is refused at run time)."""
    missing = sorted({rule.endpoint for rule, _ in routes(app)} - set(policy.ROUTES))
    assert missing == []


def test_policy_names_no_dead_endpoints(app):
    """Every ROUTES entry belongs to a real endpoint, so the table stays true."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(set(policy.ROUTES) - endpoints) == []


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, people, samples, role):
    """Each role is admitted or refused on every route exactly as the policy says; never a 500."""
    client = app.test_client()
    who = {"customer": "customer", "other_customer": "other_customer", "staff": "staff", "admin": "admin"}.get(role)
    leak_check, role = role == "other_customer", "customer" if role == "other_customer" else role
    if who:
        assert login(client, people.emails[who]).status_code == 302
    failures = []
    for rule, method in routes(app):
        names = CONVERTER.findall(rule.rule)
        unknown = [n for n in names if n not in samples]
        if unknown:
            failures.append(f"{rule.rule}: no sample value for {unknown} in test_route_matrix.samples")
            continue
        path = CONVERTER.sub(lambda m: str(samples[m.group(1)]), rule.rule)
        is_api = path.startswith("/api/")
        headers = people.auth(who) if (is_api and who) else {}
        kwargs = {"json": {}} if method != "GET" and is_api else {}
        response = client.open(path, method=method, headers=headers, **kwargs)
        status = response.status_code
        response.close()
        admitted = policy.audience_admits(policy.ROUTES.get(rule.endpoint, "none"), role) if rule.endpoint in policy.ROUTES else False
        if status >= 500:
            failures.append(f"{method} {path}: {status}")
        elif leak_check and "doc_id" in names and status < 400:
            failures.append(f"{method} {path}: another account's customer reached a document not shared with them")
        elif admitted and (status in (401, 403) or "/login" in response.headers.get("Location", "")):
            failures.append(f"{method} {path}: {role} refused ({status}) but policy admits")
        elif not admitted:
            refused = status == 403 or (role == "anonymous" and (status == 401 or "/login" in response.headers.get("Location", "")))
            if not refused:
                failures.append(f"{method} {path}: {role} got {status} but policy refuses")
    assert failures == []


PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.set_language", "api.openapi", "ops.healthz",
                    "auth.forgot_password", "auth.reset_password"}  # the reset link is its own credential


def test_policy_keeps_its_invariants():
    """Only the login, password reset, language, static and API-description routes are public; areas keep their audience."""
    public = {e for e, audience in policy.ROUTES.items() if audience == policy.PUBLIC}
    assert public == PUBLIC_ENDPOINTS
    for endpoint, audience in policy.ROUTES.items():
        if endpoint.startswith("admin."):
            assert audience == policy.ADMIN, endpoint
        if endpoint.startswith("portal.") or endpoint.startswith("api.portal_"):
            assert audience == policy.CUSTOMER, endpoint
        if endpoint.startswith("departments.") or endpoint.startswith("customers."):
            assert audience in (policy.STAFF, policy.ADMIN), endpoint


def test_anonymous_api_call_gets_json_401(client):
    """The API answers an anonymous caller with a JSON 401, not a login page."""
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
