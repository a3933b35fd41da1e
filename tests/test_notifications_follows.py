"""Notifications worded in the reader's language (page, API, live push), and follows with their notices."""

import io
import re

from hub.extensions import db, socketio
from hub.models import CustomerAccount, Document, Follow, Notification, User
from hub.notifications.service import notify

from .conftest import csrf_token, login
from .customers_helpers import post, setup_accounts
from .documents_helpers import docx_bytes, pdf_bytes, upload
from .search_helpers import make_document as make_versioned_document
from .social_helpers import make_document

CJK = re.compile(r"[\u3400-\u9fff]")


def _api(client, people, who, method, path, **kw):
    return client.open(f"/api/v1{path}", method=method, headers=people.auth(who), **kw)


def _english(people, *who):
    """These people chose English (a token call has no session: their stored choice decides)."""
    for name in who:
        db.session.get(User, people.ids[name]).language = "en"
    db.session.commit()


def test_api_words_a_stored_notification_in_each_readers_language(app, client, people):
    """One row, kind + params: the API answers in Chinese by default, in English once chosen."""
    with app.test_request_context():
        notify([people.ids["expert"]], "rating_summary", {"title": "White paper", "count": 1, "average": 4.0},
               "/documents/1", actor_id=people.ids["staff"])
        notify([people.ids["expert"]], "rating_summary", {"title": "White paper", "count": 5, "average": 4.2},
               "/documents/1", actor_id=people.ids["staff"])
    zh = _api(client, people, "expert", "GET", "/notifications").get_json()["notifications"]
    _english(people, "expert")
    en = _api(client, people, "expert", "GET", "/notifications").get_json()["notifications"]
    assert [n["text"] for n in zh] == ["“White paper”已有 5 个评分，平均 4.2 星", "“White paper”已有 1 个评分，平均 4.0 星"]
    # Plurals through Babel: "1 rating", "5 ratings"; no Chinese left in English.
    assert [n["text"] for n in en] == ["“White paper” now has 5 ratings, average 4.2 stars",
                                       "“White paper” now has 1 rating, average 4.0 stars"]
    assert en[0]["params"] == {"title": "White paper", "count": 5, "average": 4.2}


def test_old_rows_without_params_keep_their_stored_text(app, client, people):
    """A notification written before kinds carried params still shows the text it was stored with."""
    db.session.add(Notification(user_id=people.ids["expert"], kind="mention", stored_text="旧的通知文字", url="/"))
    db.session.commit()
    _english(people, "expert")
    en = _api(client, people, "expert", "GET", "/notifications").get_json()["notifications"]
    assert [n["text"] for n in en] == ["旧的通知文字"]


def test_page_shows_english_with_a_clear_unread_mark(app, client, people):
    """The notifications page in English: the worded text, an unread mark, the plural on the button."""
    login(client, people.emails["expert"])
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    with app.test_request_context():
        notify([people.ids["expert"]], "answer", {"name": "Staff", "title": "SAP?"}, "/", people.ids["staff"])
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Staff answered your question “SAP?”" in html
    assert 'class="list-row note unread"' in html and 'class="unread-dot"' in html
    assert "Mark 1 unread as read" in html


def test_live_push_uses_the_recipients_stored_language(app, client, people):
    """Choosing English stores it; a notification pushed later from anywhere arrives in English."""
    login(client, people.emails["expert"])
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert db.session.get(User, people.ids["expert"]).language == "en"
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.is_connected()
    with app.test_request_context():  # the sender's request is Chinese; the push follows the recipient
        notify([people.ids["expert"]], "task", {"actor": "Staff", "account": "ACME", "text": "quote"}, "/", None)
    pushed = [m["args"][0] for m in sio.get_received() if m["name"] == "notification"]
    assert [n["text"] for n in pushed] == ["Staff assigned you a task on ACME: quote"]


def test_follow_api_put_get_delete(app, client, people):
    """PUT follows (twice is one follow), GET lists it with a title and link, DELETE ends it."""
    setup_accounts(people)
    account_id = people.accounts["customer"]
    for _ in range(2):
        r = _api(client, people, "staff", "PUT", f"/follows/customer/{account_id}")
        assert r.status_code == 200 and r.get_json() == {"kind": "customer", "id": account_id, "following": True}
    assert db.session.query(Follow).count() == 1
    listed = _api(client, people, "staff", "GET", "/follows").get_json()["follows"]
    assert [(f["kind"], f["id"], f["url"]) for f in listed] == [("customer", account_id, f"/customers/{account_id}")]
    r = _api(client, people, "staff", "DELETE", f"/follows/customer/{account_id}")
    assert r.get_json()["following"] is False and db.session.query(Follow).count() == 0


def test_only_what_the_follower_may_see(app, client, people):
    """A department-only document of another department, an unknown kind or id: 404; customers: 403."""
    hidden = make_document(people, owner="expert", dept="B", visibility="department")
    assert _api(client, people, "staff", "PUT", f"/follows/document/{hidden}").status_code == 404
    assert _api(client, people, "expert", "PUT", f"/follows/document/{hidden}").status_code == 200
    assert _api(client, people, "staff", "PUT", "/follows/planet/1").status_code == 404
    assert _api(client, people, "staff", "PUT", "/follows/question/999").status_code == 404
    assert _api(client, people, "customer", "PUT", f"/follows/document/{hidden}").status_code == 403
    assert _api(client, people, "customer", "GET", "/follows").status_code == 403


def test_followers_hear_of_a_new_answer_once_and_in_their_language(app, client, people):
    """The asker hears "answered your question"; a follower hears "which you follow"; nobody twice."""
    dept = people.departments["A"]
    q = _api(client, people, "staff", "POST", f"/departments/{dept}/questions",
             json={"title": "Does it connect to SAP?", "body": ""}).get_json()
    _api(client, people, "admin", "PUT", f"/follows/question/{q['id']}")
    _api(client, people, "staff", "PUT", f"/follows/question/{q['id']}")  # the asker follows too
    _api(client, people, "expert", "POST", f"/questions/{q['id']}/answers", json={"body": "Yes, over RFC."})
    _english(people, "admin")
    admin = _api(client, people, "admin", "GET", "/notifications").get_json()["notifications"]
    staff = db.session.query(Notification).filter_by(user_id=people.ids["staff"]).all()
    assert [n["kind"] for n in admin][:1] == ["follow_answer"]
    assert admin[0]["text"] == "Expert answered “Does it connect to SAP?”, which you follow"
    assert [n.kind for n in staff] == ["answer"]


def test_document_followers_hear_of_a_new_version(app, client, people):
    """A new version tells the document's followers (not the uploader)."""
    doc_id = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(1), "v1.pdf").get_json()["id"]
    _api(client, people, "expert", "PUT", f"/follows/document/{doc_id}")
    _api(client, people, "staff", "PUT", f"/follows/document/{doc_id}")
    added = client.post(f"/api/v1/documents/{doc_id}/versions", headers=people.auth("staff"),
                        data={"file": (io.BytesIO(docx_bytes()), "v2.docx")}, content_type="multipart/form-data")
    assert added.status_code == 201
    _english(people, "expert")
    notes = _api(client, people, "expert", "GET", "/notifications").get_json()["notifications"]
    title = db.session.get(Document, doc_id).title
    assert [n["text"] for n in notes] == [f"Version 2 of “{title}”, which you follow, is up"]
    assert db.session.query(Notification).filter_by(user_id=people.ids["staff"]).count() == 0


def test_account_followers_hear_of_feed_events_while_they_may_see_the_account(app, client, people):
    """A feed event tells the account's followers; once the account is disabled, staff no longer hear."""
    acc = setup_accounts(people)
    _api(client, people, "expert", "PUT", f"/follows/customer/{acc['X']}")
    post(client, people, "staff", acc["X"], kind="note", body="Visited the plant, **they want a demo**")
    _english(people, "expert")
    notes = _api(client, people, "expert", "GET", "/notifications").get_json()["notifications"]
    assert notes[0]["kind"] == "follow_feed" and not CJK.search(notes[0]["text"].replace("华东精密制造", ""))
    assert "**" not in notes[0]["text"]
    db.session.get(CustomerAccount, acc["X"]).active = False
    db.session.commit()
    before = db.session.query(Notification).filter_by(user_id=people.ids["expert"]).count()
    post(client, people, "admin", acc["X"], kind="note", body="After the account was closed")
    assert db.session.query(Notification).filter_by(user_id=people.ids["expert"]).count() == before


def test_profile_lists_what_i_follow_with_unfollow(app, client, people):
    """The profile's "following" list links each followed thing and unfollows from its button."""
    dept = people.departments["B"]
    login(client, people.emails["staff"])
    token = csrf_token(client, "/profile")
    r = client.post(f"/follows/department/{dept}", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/departments/{dept}")
    html = client.get("/profile").get_data(as_text=True)
    assert 'data-testid="following"' in html and f'href="/departments/{dept}"' in html
    client.post(f"/follows/department/{dept}/remove", data={"csrf_token": token, "next": "/profile#following"})
    assert db.session.query(Follow).count() == 0
    assert "You follow nothing yet" in client.get("/profile?lang=en").get_data(as_text=True)


def test_follow_button_on_each_followable_page(app, client, people):
    """Document, department, question and account pages carry the follow button in its current state."""
    acc = setup_accounts(people)
    doc = make_versioned_document(people, "Price list 2027", pages=["page one"])
    q = _api(client, people, "staff", "POST", f"/departments/{people.departments['A']}/questions",
             json={"title": "Pricing for 50 seats?", "body": ""}).get_json()
    _api(client, people, "staff", "PUT", f"/follows/question/{q['id']}")
    login(client, people.emails["staff"])
    for path in (f"/documents/{doc}", f"/departments/{people.departments['A']}", f"/customers/{acc['X']}"):
        html = client.get(path).get_data(as_text=True)
        assert 'data-testid="follow-button"' in html and 'aria-pressed="false"' in html, path
    html = client.get(f"/departments/questions/{q['id']}").get_data(as_text=True)
    assert 'data-testid="follow-button"' in html and 'aria-pressed="true"' in html


def test_counts_use_plurals_in_english(app, client, people):
    """A question with one answer reads "1 answer" in English (never "1 answers"); Chinese keeps its count."""
    dept = people.departments["A"]
    q = _api(client, people, "staff", "POST", f"/departments/{dept}/questions",
             json={"title": "One answer only?", "body": ""}).get_json()
    _api(client, people, "expert", "POST", f"/questions/{q['id']}/answers", json={"body": "Yes."})
    login(client, people.emails["staff"])
    zh = client.get(f"/departments/{dept}").get_data(as_text=True)
    assert "1 个回答" in zh
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    en = client.get(f"/departments/{dept}").get_data(as_text=True)
    assert "1 answer" in en and "1 answers" not in en
