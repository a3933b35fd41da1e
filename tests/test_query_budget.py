"""A query budget per route: SQL statements per GET page and API route, with few rows and with many.

Issue 15: a page must be loaded in a few planned queries, not from templates. For every GET route
a role may open, the test counts the statements one request issues with a small data set (3 of
each kind of row in view) and again with a large one (40): the count must not grow with the rows,
and stays within BUDGET (a route that truly needs more is named in EXCEPTIONS with its reason).
Run with -s to see the table of counts.
"""

import os

import pytest

from hub import policy
from hub.extensions import db
from hub.models import Comment, FeedEvent, Membership, Notification, Rating, Share, User
from hub.models.knowledge import Answer, Post, Question

from . import test_route_matrix as matrix
from .conftest import login
from .search_helpers import index_now, make_document
from .statements import counted_statements
from .test_route_matrix import CONVERTER, routes

samples = matrix.samples  # the route matrix's records for every URL parameter, as a fixture here too

BUDGET = 10
SMALL, LARGE = 3, 40
# Endpoint -> (limit, why it needs more than BUDGET). Each section is one flat statement; the sign-in
# itself costs 2-3 of every count (session or token, user, memberships: hub.auth, not these pages).
EXCEPTIONS: dict[str, tuple[int, str]] = {
    "customers.show": (28, "the account dashboard: timeline, team, contacts, open items, assessments, "
                           "shares and six portal-engagement panels"),
    "social.person": (18, "a person's contribution totals (five aggregates) and four lists"),
    "auth.profile": (16, "one's own contributions panel, tokens, sign-ins and follows"),
    "main.home": (15, "activity of five kinds, rankings, experts and departments on one screen"),
    "portal.home": (14, "the portal: brand, announcements, shared documents, requests, messages"),
    "search.index": (13, "search results and their hints (hub.search, measured here, changed there)"),
    "api.search": (12, "search results and their hints (hub.search, measured here, changed there)"),
    "departments.show": (12, "members, notes, questions with answers, documents (count and page), follow"),
    "departments.show_question": (11, "question, answers with votes (2), every answer's comments in one go"),
    "portal.document": (11, "the share checks (policy) and the open recorded"),
}
# Routes whose interesting answer needs a query string; the bare route is measured as well.
WITH_QUERY = {
    "search.index": "?q=方案",
    "api.search": "?q=方案",
    "api.list_customer_events": "?after=0",
}
SKIPPED = {"static", "auth.logout"}  # no database work / ends the session the walk runs under


class Rows:
    """Grows every kind of row a page lists: documents, comments, ratings, events, notifications, ..."""

    def __init__(self, people, records):
        self.people, self.records, self.made = people, records, 0

    def grow_to(self, total: int) -> None:
        people, samples = self.people, self.records
        watchers = [people.ids[w] for w in ("staff", "admin", "customer")]
        while self.made < total:
            n = self.made = self.made + 1
            # a different author each time, so a lazy load per row cannot hide in the identity map
            author = User(email=f"author{n}@test.hub", name=f"作者 {n}", role="staff", job="sales", password_hash="x")
            db.session.add(author)
            db.session.flush()
            db.session.add(Membership(user_id=author.id, department_id=samples["dept_id"]))
            db.session.flush()
            people.ids[f"author{n}"] = author.id
            doc_id = make_document(people, f"方案 {n}", pages=["方案内容"], owner=f"author{n}")
            db.session.add(Share(document_id=doc_id, account_id=samples["account_id"], created_by_id=author.id))
            db.session.add(Comment(document_id=samples["doc_id"], author_id=author.id, body=f"评论 {n}"))
            db.session.add(Comment(post_id=samples["post_id"], author_id=author.id, body=f"评论 {n}"))
            db.session.add(Rating(document_id=samples["doc_id"], user_id=author.id, stars=1 + n % 5))
            db.session.add(Rating(document_id=doc_id, user_id=people.ids["staff"], stars=1 + n % 5))
            db.session.add(FeedEvent(account_id=samples["account_id"], kind="note", author_id=author.id, body=f"拜访 {n}"))
            db.session.add(Post(department_id=samples["dept_id"], author_id=author.id, title=f"经验 {n}", body="内容"))
            db.session.add(Question(department_id=samples["dept_id"], author_id=author.id, title=f"问题 {n}", body=""))
            db.session.add(Answer(question_id=samples["question_id"], author_id=author.id, body=f"回答 {n}"))
            # the person page (/people/<user_id>) lists that person's own contributions
            make_document(people, f"白皮书 {n}", dept="B", pages=["内容"], owner="expert")
            question = Question(department_id=people.departments["B"], author_id=author.id, title=f"提问 {n}", body="")
            db.session.add(question)
            db.session.flush()
            answer = Answer(question_id=question.id, author_id=samples["user_id"], body=f"解答 {n}")
            db.session.add(answer)
            db.session.flush()
            db.session.add(Comment(answer_id=answer.id, author_id=samples["user_id"], body=f"补充 {n}"))
            for user_id in watchers:
                db.session.add(Notification(user_id=user_id, kind="comment", actor_id=author.id, url="/",
                                            params={"actor": author.name, "title": f"方案 {n}"}))
            db.session.commit()


def paths(app, records, role: str):
    """(endpoint, path) of every GET route the policy admits `role` to."""
    for rule, method in routes(app):
        if method != "GET" or rule.endpoint in SKIPPED:
            continue
        if not policy.audience_admits(policy.ROUTES.get(rule.endpoint, "none"), role):
            continue
        path = CONVERTER.sub(lambda m: str(records[m.group(1)]), rule.rule)
        yield rule.endpoint, path
        if rule.endpoint in WITH_QUERY:
            yield rule.endpoint, path + WITH_QUERY[rule.endpoint]


def measure(app, client, headers, endpoint_paths) -> dict:
    counts = {}
    for endpoint, path in endpoint_paths:
        kwargs = {"headers": headers} if path.startswith("/api/") else {}
        client.get(path, **kwargs).close()  # warm: first-use caches are not per-request work
        with counted_statements() as seen:
            response = client.get(path, **kwargs)
            response.get_data()
            response.close()
        assert response.status_code < 500, (path, response.status_code)
        counts[(endpoint, path)] = (len(seen), response.status_code)
        if path in os.environ.get("QUERY_BUDGET_SHOW", "").split(","):  # debugging aid: the statements of one path
            print("\n".join(["", path, *(s.replace("\n", " ")[:160] for s in seen)]))
    return counts


@pytest.mark.parametrize("role", ("staff", "admin", "customer"))
def test_statements_per_route_stay_small_and_flat(app, people, samples, role):
    client = app.test_client()
    assert login(client, people.emails[role]).status_code == 302
    headers = people.auth(role)
    walk = list(paths(app, samples, role))
    rows = Rows(people, samples)

    rows.grow_to(SMALL)
    index_now(app)
    small = measure(app, client, headers, walk)
    rows.grow_to(LARGE)
    index_now(app)
    large = measure(app, client, headers, walk)

    print(f"\n{role}: statements per request ({SMALL} rows / {LARGE} rows)")
    failures = []
    for key in walk:
        endpoint, path = key
        (few, status), (many, _) = small[key], large[key]
        limit = EXCEPTIONS.get(endpoint, (BUDGET, ""))[0]
        print(f"  {few:3d} {many:3d}  {status}  {path}")
        if many > few:
            failures.append(f"{path}: grows with the rows ({few} -> {many})")
        if max(few, many) > limit:
            failures.append(f"{path}: {max(few, many)} statements, budget {limit}")
    assert failures == []
