"""Issue 15: the document page loads its social panel, comment thread and share panel in planned
statements from the view, so its count does not grow with the comments, and it still shows them all."""

import re
from datetime import date

from hub.extensions import db
from hub.follows import services as follows
from hub.models import Comment, CommentHelpful, CommentMention, Document, DocumentView, Rating, Share, User

from .search_helpers import make_document
from .statements import counted_statements


def _add_comments(doc_id: int, people, upto: int, made: list) -> None:
    """Comments by a new author each (a lazy load per comment cannot hide in the identity map), each
    naming a colleague with @ and marked helpful by one, and a rating by every author."""
    while len(made) < upto:
        n = len(made) + 1
        author = User(
            email=f"writer{n}@test.hub", name=f"作者{n}号", role="staff", job="sales", password_hash="x"
        )
        db.session.add(author)
        db.session.flush()
        comment = Comment(document_id=doc_id, author_id=author.id, body=f"第{n}条意见 @Expert 请看")
        db.session.add(comment)
        db.session.flush()
        db.session.add(CommentMention(comment_id=comment.id, user_id=people.ids["expert"]))
        db.session.add(CommentHelpful(comment_id=comment.id, user_id=people.ids["service"]))
        db.session.add(Rating(document_id=doc_id, user_id=author.id, stars=4 if n % 2 else 5))
        made.append((comment.id, author.name, comment.body))
    db.session.commit()


def _page(client, doc_id: int) -> tuple[str, list[str]]:
    db.session.expire_all()
    with counted_statements() as statements:
        response = client.get(f"/documents/{doc_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True), statements


def test_the_document_page_costs_the_same_with_2_and_15_comments(app, people, login_as):
    doc_id = make_document(people, "报价方案")
    db.session.add(
        Share(document_id=doc_id, account_id=people.accounts["customer"], created_by_id=people.ids["admin"])
    )
    db.session.add(Rating(document_id=doc_id, user_id=people.ids["staff"], stars=3))
    db.session.commit()
    client = login_as("staff")
    made: list = []
    counts = {}
    for size in (2, 15):
        _add_comments(doc_id, people, size, made)
        html, statements = _page(client, doc_id)
        counts[size] = len(statements)
        assert html.count('class="comment"') == size
        for comment_id, author, body in made:
            item = re.search(rf'<li class="comment" id="comment-{comment_id}".*?</li>', html, re.S).group(0)
            assert f'class="comment-author">{author}</a>' in item
            assert body.split(" @")[0] in item
            assert re.search(
                rf'<a href="/people/{people.ids["expert"]}"[^>]*>@Expert</a>', item
            )  # the mention, linked
            assert "data-helpful-count>1</span>" in item  # staff may vote on others' comments: a button
        assert f"data-comment-count>{size}</span>" in html
        ratings = [3] + [4 if n % 2 else 5 for n in range(1, size + 1)]
        assert f"data-rating-average >{sum(ratings) / len(ratings):.1f}</span>" in html
        assert f"<span data-rating-count>{len(ratings)}</span>" in html
        assert 'data-mine="3"' in html
    assert counts[2] == counts[15], counts
    assert counts[15] <= 10, counts

    # the share panel for staff: the share, its account and who made it
    sharing = re.search(r'<section class="card" id="sharing".*?</section>', html, re.S).group(0)
    assert "华东精密制造" in sharing and "· Admin" in sharing


def test_the_page_shows_the_stored_follow_views_and_no_ratings(app, people, login_as):
    doc_id = make_document(people, "交付手册")
    client = login_as("staff")
    html, _ = _page(client, doc_id)
    assert 'aria-pressed="false"' in html and "还没有评分。" in html and "0 次浏览" in html

    staff = db.session.get(User, people.ids["staff"])
    follows.follow(staff, "document", db.session.get(Document, doc_id))
    for n, who in enumerate(("staff", "expert")):
        db.session.add(DocumentView(document_id=doc_id, user_id=people.ids[who], day=date(2026, 1, 1 + n)))
    db.session.commit()
    html, _ = _page(client, doc_id)
    assert "follow-button is-following" in html and 'aria-pressed="true"' in html and "2 次浏览" in html
