"""A page of search hits costs a fixed number of statements, however many of its hits are comments.

Issue 15: a comment hit's link names its target (a document, an experience note, or an answer on
its question's page); looking each one up was a statement per hit. Both backends share the hit
building, so every test here runs on Whoosh and on PostgreSQL search.
"""

from hub.extensions import db
from hub.models import Answer, Comment, Post, Question
from tests import search_backends
from tests.search_helpers import hits, index_now, make_document
from tests.statements import counted_statements

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)

WORD = "审阅意见"


class Targets:
    """One document, experience note and answered question of department A to comment on."""

    def __init__(self, people):
        self.people = people
        self.doc_id = make_document(people, "交付手册", pages=["验收标准"])
        post = Post(
            department_id=people.departments["A"],
            author_id=people.ids["staff"],
            title="拜访心得",
            body="先听",
        )
        question = Question(
            department_id=people.departments["A"], author_id=people.ids["staff"], title="怎么报价"
        )
        db.session.add_all([post, question])
        db.session.flush()
        answer = Answer(question_id=question.id, author_id=people.ids["expert"], body="先问预算")
        db.session.add(answer)
        db.session.commit()
        self.post_id, self.question_id, self.answer_id = post.id, question.id, answer.id
        self.expected: dict[int, str] = {}  # comment id -> the link its hit must carry

    def comment_on_each(self, count: int) -> None:
        """Add comments until there are `count`, taking the three targets in turn."""
        author = self.people.ids["staff"]
        while len(self.expected) < count:
            n = len(self.expected)
            target = ("document", "post", "answer")[n % 3]
            if target == "document":
                comment = Comment(document_id=self.doc_id, author_id=author, body=f"{WORD} 第{n}条")
                page = f"/documents/{self.doc_id}"
            elif target == "post":
                comment = Comment(post_id=self.post_id, author_id=author, body=f"{WORD} 第{n}条")
                page = f"/departments/posts/{self.post_id}"
            else:
                comment = Comment(answer_id=self.answer_id, author_id=author, body=f"{WORD} 第{n}条")
                page = f"/departments/questions/{self.question_id}"
            db.session.add(comment)
            db.session.commit()
            self.expected[comment.id] = f"{page}#comment-{comment.id}"


def comment_search(app, people) -> tuple[int, dict]:
    """Statements of one staff search for the comments (after a warm-up request), and its answer."""
    client = app.test_client()
    headers = people.auth("staff")
    hits(
        client, WORD, headers=headers, kind="comment", per_page=50
    )  # first-use caches are not per-search work
    with counted_statements() as seen:
        body = hits(client, WORD, headers=headers, kind="comment", per_page=50)
    return len(seen), body


def test_comment_hits_cost_the_same_statements_for_two_and_for_ten(app, people):
    """Comments on a document, a note and an answer: 2 or 10 hits, same statements, each linked to its target."""
    targets = Targets(people)
    counts = {}
    for total in (2, 10):
        targets.comment_on_each(total)
        index_now(app)
        counts[total], body = comment_search(app, people)
        assert body["total"] == total
        assert {r["id"]: r["url"] for r in body["results"]} == targets.expected
        assert all(r["kind"] == "comment" and "<mark>" in r["snippet_html"] for r in body["results"])
    assert counts[2] == counts[10], counts


def test_answer_hits_link_to_their_question_at_a_constant_cost(app, people):
    """An answer hit opens its question's page at the answer, for 2 answers as for 10, with the same statements."""
    author = people.ids["expert"]
    counts, expected = {}, {}
    client = app.test_client()
    for total in (2, 10):
        while len(expected) < total:
            question = Question(
                department_id=people.departments["A"],
                author_id=people.ids["staff"],
                title=f"问题{len(expected)}",
            )
            db.session.add(question)
            db.session.flush()
            answer = Answer(question_id=question.id, author_id=author, body=f"{WORD} 回答{len(expected)}")
            db.session.add(answer)
            db.session.commit()
            expected[answer.id] = f"/departments/questions/{question.id}#answer-{answer.id}"
        index_now(app)
        hits(client, WORD, headers=people.auth("staff"), kind="answer", per_page=50)
        with counted_statements() as seen:
            body = hits(client, WORD, headers=people.auth("staff"), kind="answer", per_page=50)
        counts[total] = len(seen)
        assert {r["id"]: r["url"] for r in body["results"]} == expected
    assert counts[2] == counts[10], counts
