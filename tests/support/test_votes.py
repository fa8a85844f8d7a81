"""'Did this answer your question?' at the end of every article, with and without JavaScript,
and only from the site's own pages: the article page is cached and shared, so the vote carries
no token and is checked by where it comes from (web/origin.py)."""

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Vote
from tests.helpers import SAME_ORIGIN, make_app

ARTICLE = "/en/account/reset-password"
VOTE = "/en/feedback/account/reset-password"


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


def test_yes_thanks_the_visitor_without_javascript_on_a_page_of_their_own(app, client):
    response = client.post(VOTE, data={"helpful": "yes"}, headers=SAME_ORIGIN)
    assert response.status_code == 303 and response.headers["Location"] == VOTE
    page = client.get(VOTE)
    assert "Thank you for your answer!" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    # The article itself is the same for every reader: it still asks.
    assert "Did this answer your question?" in client.get(ARTICLE).get_data(as_text=True)
    [vote] = votes(app)
    assert (vote.article_id, vote.lang, vote.helpful) == ("account/reset-password", "en", True)
    assert len(vote.visitor) == 32


def test_no_asks_what_was_missing_then_offers_the_contact_form_with_context(app, client):
    client.post(VOTE, data={"helpful": "no"}, headers=SAME_ORIGIN)
    page = client.get(VOTE).get_data(as_text=True)
    assert "What was missing?" in page and "The steps did not work" in page
    # "Ask a person" sends the reasons too, and goes on to the contact form (web/support.py).
    assert 'form="feedback-reasons" name="then" value="contact"' in page
    assert "csrf_token" not in page

    client.post(
        VOTE,
        data={"helpful": "no", "reason": "steps-failed", "comment": "No link"},
        headers=SAME_ORIGIN,
    )
    page = client.get(VOTE).get_data(as_text=True)
    assert "reason=steps-failed" in page
    [vote] = votes(app)
    assert (vote.helpful, vote.reason, vote.comment) == (False, "steps-failed", "No link")


def test_a_later_vote_replaces_the_earlier_one(app, client):
    for helpful in ("no", "yes"):
        client.post(VOTE, data={"helpful": helpful}, headers=SAME_ORIGIN)
    assert [v.helpful for v in votes(app)] == [True]


def test_two_visitors_two_votes(app, client):
    for visitor in (client, app.test_client()):
        visitor.post(VOTE, data={"helpful": "yes"}, headers=SAME_ORIGIN)
    assert len(votes(app)) == 2


def test_inline_vote_returns_the_next_step_for_the_page_to_swap_in(client):
    response = client.post(
        VOTE, data={"helpful": "no"}, headers={**SAME_ORIGIN, "X-Requested-With": "fetch"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith("<section") and "What was missing?" in fragment
    assert response.headers["Cache-Control"] == "private, no-store"


def test_malformed_votes_are_refused_and_not_stored(app, client):
    bot = {"helpful": "yes", "website": "http://spam.example"}
    assert client.post(VOTE, data=bot, headers=SAME_ORIGIN).status_code == 400  # the honeypot
    assert client.post(VOTE, data={"helpful": "maybe"}, headers=SAME_ORIGIN).status_code == 400
    nowhere = client.post("/en/feedback/account/nope", data={"helpful": "yes"}, headers=SAME_ORIGIN)
    assert nowhere.status_code == 404
    assert votes(app) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed frame, a data: URL
        {"Origin": "http://localhost.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site's page
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    ],
)
def test_a_vote_from_another_site_is_refused_and_nothing_recorded(app, client, headers):
    response = client.post(VOTE, data={"helpful": "no"}, headers=headers)
    assert response.status_code == 403
    assert votes(app) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://localhost"},  # the test client's own origin
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    ],
)
def test_a_vote_from_the_site_itself_is_accepted(app, client, headers):
    assert client.post(VOTE, data={"helpful": "no"}, headers=headers).status_code == 303
    assert len(votes(app)) == 1


def test_a_vote_from_the_public_address_behind_a_proxy_is_accepted(tmp_path, basic):
    """The app sees http://127.0.0.1 from its proxy; the customer's page was
    https://help.example.com, which PUBLIC_URL and (PROXY_COUNT) X-Forwarded-* both name."""
    for settings, forwarded in (
        ({"PUBLIC_URL": "https://help.example.com"}, {}),
        (
            {"PROXY_COUNT": 1},
            {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "help.example.com"},
        ),
    ):
        app = make_app(tmp_path / str(len(settings) + len(forwarded)), basic.root, **settings)
        client = app.test_client()
        headers = {"Origin": "https://help.example.com", **forwarded}
        response = client.post(VOTE, data={"helpful": "yes"}, headers=headers)
        assert response.status_code == 303, settings
        foreign = {**headers, "Origin": "https://help.example.com.evil.example"}
        assert client.post(VOTE, data={"helpful": "no"}, headers=foreign).status_code == 403
        assert [v.helpful for v in votes(app)] == [True]


def test_a_vote_from_a_browser_that_says_nothing_is_confirmed_on_a_page_of_ours(app, client):
    """An old browser sends neither Origin nor Sec-Fetch-Site: the answer could have come
    from a form on another site. Nothing is stored; the customer gets their answer back in a
    form of ours (with a token) and stores it with one press."""
    typed = {"helpful": "no", "reason": "unclear", "comment": "The third step is missing"}
    response = client.post(VOTE, data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Please confirm your answer" in page and "The third step is missing" in page
    assert response.headers["Cache-Control"] == "private, no-store"
    assert votes(app) == []

    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    confirmed = client.post(VOTE, data={**typed, "csrf_token": token})  # still no header
    assert confirmed.status_code == 303
    [vote] = votes(app)
    assert (vote.helpful, vote.reason, vote.comment) == (
        False,
        "unclear",
        "The third step is missing",
    )


def test_a_made_up_token_does_not_replace_the_origin_check(app, client):
    response = client.post(VOTE, data={"helpful": "yes", "csrf_token": "forged"})
    assert response.status_code == 403 and votes(app) == []
