"""'Did this answer your question?' at the end of every article, with and without JavaScript."""

from flask_babel import force_locale, gettext
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Vote
from tests.helpers import csrf_token

ARTICLE = "/en/account/reset-password"


def votes(app) -> list[Vote]:
    with app.app_context():
        return list(db.session.scalars(select(Vote)))


def test_every_article_asks_in_the_page_language(app, client):
    question = "Did this answer your question?"
    assert question in client.get(ARTICLE).get_data(as_text=True)
    with app.test_request_context(), force_locale("pl"):
        polish_question = gettext(question)
    assert polish_question != question
    polish = client.get("/pl/account/reset-password").get_data(as_text=True)
    assert polish_question in polish and question not in polish


def test_yes_thanks_the_visitor_without_javascript(app, client):
    token = csrf_token(client, ARTICLE)
    response = client.post(
        "/en/feedback/account/reset-password", data={"csrf_token": token, "helpful": "yes"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(
        ARTICLE + "#feedback"
    )
    page = client.get(ARTICLE).get_data(as_text=True)
    assert "Thank you for your answer!" in page
    [vote] = votes(app)
    assert (vote.article_id, vote.lang, vote.helpful) == ("account/reset-password", "en", True)
    assert len(vote.visitor) == 32


def test_no_asks_what_was_missing_then_offers_the_contact_form_with_context(app, client):
    token = csrf_token(client, ARTICLE)
    client.post("/en/feedback/account/reset-password", data={"csrf_token": token, "helpful": "no"})
    page = client.get(ARTICLE).get_data(as_text=True)
    assert "What was missing?" in page and "The steps did not work" in page
    assert "/en/contact?article=account/reset-password" in page

    client.post(
        "/en/feedback/account/reset-password",
        data={"csrf_token": token, "helpful": "no", "reason": "steps-failed", "comment": "No link"},
    )
    page = client.get(ARTICLE).get_data(as_text=True)
    assert "reason=steps-failed" in page
    [vote] = votes(app)
    assert (vote.helpful, vote.reason, vote.comment) == (False, "steps-failed", "No link")


def test_a_later_vote_replaces_the_earlier_one(app, client):
    token = csrf_token(client, ARTICLE)
    for helpful in ("no", "yes"):
        client.post(
            "/en/feedback/account/reset-password", data={"csrf_token": token, "helpful": helpful}
        )
    assert [v.helpful for v in votes(app)] == [True]


def test_two_visitors_two_votes(app, client):
    other = app.test_client()
    for visitor in (client, other):
        token = csrf_token(visitor, ARTICLE)
        visitor.post(
            "/en/feedback/account/reset-password", data={"csrf_token": token, "helpful": "yes"}
        )
    assert len(votes(app)) == 2


def test_inline_vote_returns_the_next_step_for_the_page_to_swap_in(client):
    token = csrf_token(client, ARTICLE)
    response = client.post(
        "/en/feedback/account/reset-password",
        data={"csrf_token": token, "helpful": "no"},
        headers={"X-Requested-With": "fetch"},
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith("<section") and "What was missing?" in fragment


def test_forged_votes_are_refused_and_not_stored(app, client):
    token = csrf_token(client, ARTICLE)
    url = "/en/feedback/account/reset-password"
    assert client.post(url, data={"helpful": "yes"}).status_code == 400  # no CSRF token
    assert client.post(url, data={"csrf_token": "forged", "helpful": "yes"}).status_code == 400
    bot = {"csrf_token": token, "helpful": "yes", "website": "http://spam.example"}
    assert client.post(url, data=bot).status_code == 400  # the honeypot was filled
    assert client.post(url, data={"csrf_token": token, "helpful": "maybe"}).status_code == 400
    assert client.post("/en/feedback/account/nope", data={"csrf_token": token}).status_code == 404
    assert votes(app) == []
