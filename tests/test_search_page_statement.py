"""A page of hits of every kind reads its rows (passages, link targets, department names) in one
statement: a UNION ALL of each kind's own select (hub/search/hit_rows.py). Runs on both backends."""

from hub.extensions import db
from hub.models import Answer, Comment, Post, Question
from hub.search import hit_rows
from hub.search import kinds as registry
from hub.search.hits import _DEPARTMENTS_PART
from tests import search_backends
from tests.search_helpers import hits, index_now, make_document
from tests.statements import counted_statements

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)

WORD = "交付验收"


def _content(people) -> dict:
    """A document, a note, a question with an answer, and a comment on each, all saying WORD."""
    staff, dept = people.ids["staff"], people.departments["A"]
    doc_id = make_document(people, f"{WORD}手册", pages=[f"{WORD}标准", "第二页"])
    post = Post(department_id=dept, author_id=staff, title=f"{WORD}心得", body=f"先听 {WORD}")
    question = Question(department_id=dept, author_id=staff, title=f"{WORD}怎么做", body=WORD)
    db.session.add_all([post, question])
    db.session.flush()
    answer = Answer(question_id=question.id, author_id=people.ids["expert"], body=f"先问预算 {WORD}")
    db.session.add(answer)
    db.session.flush()
    db.session.add_all(
        [
            Comment(document_id=doc_id, author_id=staff, body=f"{WORD} 一"),
            Comment(post_id=post.id, author_id=staff, body=f"{WORD} 二"),
            Comment(answer_id=answer.id, author_id=staff, body=f"{WORD} 三"),
        ]
    )
    db.session.commit()
    return {"document": [doc_id], "post": [post.id], "question": [question.id], "answer": [answer.id]}


def test_a_page_of_every_kind_reads_its_rows_in_one_statement(app, people):
    _content(people)
    index_now(app)
    client = app.test_client()
    headers = people.auth("staff")
    hits(client, WORD, headers=headers, per_page=50)  # first-use caches are not per-search work
    with counted_statements() as mixed:
        body = hits(client, WORD, headers=headers, per_page=50)
    assert {r["kind"] for r in body["results"]} >= {"document", "post", "question", "answer", "comment"}
    assert all(r["url"] != "#" and "<mark>" in r["snippet_html"] for r in body["results"])
    hits(client, WORD, headers=headers, per_page=50, kind="post")
    with counted_statements() as single:
        hits(client, WORD, headers=headers, per_page=50, kind="post")
    assert len(mixed) == len(single), (mixed, single)


def test_the_union_reads_what_each_kind_reads_alone(app, people):
    ids = _content(people)
    comment_ids = [c.id for c in db.session.scalars(db.select(Comment))]
    with app.test_request_context("/"):
        parts = [
            (registry.get(kind).extra["hit_rows"](thumbnails=True), found) for kind, found in ids.items()
        ]
        parts += [(registry.get("comment").extra["hit_rows"](), comment_ids)]
        parts += [(_DEPARTMENTS_PART, list(people.departments.values()))]
        together = hit_rows.read(parts)
        alone = [hit_rows.read([part])[0] for part in parts]
        assert len(together) == len(parts)
        for got, want in zip(together, alone, strict=True):
            if isinstance(want, dict):  # department names
                assert got == want and got
                continue
            assert got[0] == want[0] and got[0]  # passages, pages in order
            assert got[2] == want[2]  # thumbnails
            for ident in got[0]:
                assert got[1](ident, None) == want[1](ident, None)  # links
