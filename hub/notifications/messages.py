"""What each kind of notification says, worded when it is shown: on the page and in the API in the
reader's language, in a live push in the recipient's stored one.

A notification stores its kind and the values the message needs (`params`); MESSAGES maps the kind to
a function that words it in whatever locale is current. The messages carry the gettext context
"notification" so their Chinese is written for this one use (addressing the reader as 您). Values are
user content (names, titles, snippets) and are escaped where they are shown, never here.
"""

from collections.abc import Callable

from flask_babel import force_locale, npgettext, pgettext


def _share_opened(p: dict) -> str:
    # The title only reaches an owner who may see the document (decided when the row is written).
    if p.get("title"):
        return pgettext("notification", "%(name)s (%(account)s) opened “%(title)s” for the first time.", **p)
    return pgettext("notification", "%(name)s (%(account)s) opened a shared document you cannot open for the first time.", **p)


def _rating_summary(p: dict) -> str:
    return npgettext("notification", "“%(title)s” now has %(num)d rating, average %(average).1f stars",
                     "“%(title)s” now has %(num)d ratings, average %(average).1f stars", p["count"],
                     title=p["title"], average=p["average"])


def _portal_message(p: dict) -> str:
    return npgettext("notification", "%(name)s (%(account)s) wrote in the portal: %(text)s",
                     "%(name)s (%(account)s) wrote %(num)d messages in the portal: %(text)s", p.get("count", 1),
                     name=p["name"], account=p["account"], text=p["text"])


MESSAGES: dict[str, Callable[[dict], str]] = {
    # comments, Q&A, ratings
    "mention": lambda p: pgettext("notification", "%(name)s mentioned you on “%(title)s”", **p),
    "comment": lambda p: pgettext("notification", "%(name)s commented on your “%(title)s”", **p),
    "answer": lambda p: pgettext("notification", "%(name)s answered your question “%(title)s”", **p),
    "question": lambda p: pgettext("notification", "%(name)s asked in %(department)s: “%(title)s”", **p),
    "answer_accepted": lambda p: pgettext("notification", "%(name)s accepted your answer to “%(title)s”", **p),
    "rating_summary": _rating_summary,
    # the account feed
    "task": lambda p: pgettext("notification", "%(actor)s assigned you a task on %(account)s: %(text)s", **p),
    "help_request": lambda p: pgettext("notification", "%(actor)s asks for your help on %(account)s: %(text)s", **p),
    "help_reply": lambda p: pgettext("notification", "%(actor)s replied to a help request on %(account)s: %(text)s", **p),
    "complaint": lambda p: pgettext("notification", "Complaint on %(account)s: %(text)s", **p),
    "service_request": lambda p: pgettext("notification", "%(actor)s sent a service request for %(account)s: %(text)s", **p),
    "feed_mention": lambda p: pgettext("notification", "%(actor)s mentioned you on %(account)s: %(text)s", **p),
    # the portal
    "portal_message": _portal_message,
    "portal_reply": lambda p: pgettext("notification", "Your service team answered your request: %(text)s", **p),
    "share_opened": _share_opened,
    # what is new on something the reader follows
    "follow_version": lambda p: pgettext("notification", "Version %(number)d of “%(title)s”, which you follow, is up", **p),
    "follow_document": lambda p: pgettext("notification", "%(name)s added “%(title)s” to %(department)s, which you follow", **p),
    "follow_question": lambda p: pgettext("notification", "%(name)s asked in %(department)s, which you follow: “%(title)s”", **p),
    "follow_post": lambda p: pgettext("notification", "%(name)s wrote in %(department)s, which you follow: “%(title)s”", **p),
    "follow_answer": lambda p: pgettext("notification", "%(name)s answered “%(title)s”, which you follow", **p),
    "follow_comment": lambda p: pgettext("notification", "%(name)s commented on “%(title)s”, which you follow", **p),
    "follow_feed": lambda p: pgettext("notification", "%(actor)s on %(account)s, which you follow: %(text)s", **p),
    "follow_assessment": lambda p: pgettext("notification", "%(actor)s assessed an opening on %(account)s, which you follow", **p),
}


def render(kind: str, params: dict | None, fallback: str = "") -> str:
    """Word one notification in the current locale; old rows (no params) keep the text they were stored with."""
    message = MESSAGES.get(kind)
    if message is not None and params is not None:
        try:
            return message(params)
        except (KeyError, TypeError, ValueError):  # params that no longer fit their message
            pass
    return fallback or pgettext("notification", "You have a new notification.")


def render_in(language: str | None, kind: str, params: dict | None, fallback: str = "") -> str:
    """Word it in a given language (a live push goes to someone outside this request)."""
    with force_locale(language or "zh"):
        return render(kind, params, fallback)
