"""The contact form: context carried along, clear errors that keep the typing, the request
stored before anything else, and every kind of rejected post answered without a 500."""

import uuid

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ContactRequest
from helpcenter.web.visitor import COOKIE
from tests.helpers import csrf_token, make_app, search_as_browser

CONTACT = "/en/contact"


def stored(app) -> list[ContactRequest]:
    with app.app_context():
        return list(db.session.scalars(select(ContactRequest)))


def form(client, url: str = CONTACT, **fields) -> dict:
    return {"csrf_token": csrf_token(client, url), **fields}


def test_context_from_an_article_is_shown_as_about_and_editable(client):
    page = client.get("/en/contact?article=account/reset-password&reason=steps-failed").get_data(
        as_text=True
    )
    assert 'value="Reset your password — The steps did not work"' in page
    assert 'name="article" type="hidden" value="account/reset-password"' in page
    assert 'name="reason" type="hidden" value="steps-failed"' in page


def test_context_from_a_search_and_unknown_context_is_dropped(client):
    page = client.get("/en/contact?q=gift+wrap&article=../../etc/passwd&reason=x").get_data(
        as_text=True
    )
    assert 'value="Search: gift wrap"' in page
    assert 'name="article" type="hidden" value=""' in page
    assert 'name="reason" type="hidden" value=""' in page


def test_missing_fields_get_localized_messages_and_keep_what_was_typed(app, client):
    url = "/pl/contact"
    response = client.post(url, data=form(client, url, email="", message="Mój stół się chwieje"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mój stół się chwieje" in page
    assert 'aria-invalid="true"' in page and 'id="email-error"' in page
    assert "Please enter your e-mail address" not in page  # Polish, not English
    response = client.post(url, data=form(client, url, email="anna@example", message=""))
    assert 'id="message-error"' in response.get_data(as_text=True)
    assert stored(app) == []


def test_a_valid_request_is_stored_with_its_context_and_confirmed(app, client):
    url = "/he/contact?article=account/reset-password&reason=unclear"
    data = {
        **form(client, url),
        "email": "dana@example.com",
        "name": "דנה",
        "message": "הקישור לא הגיע",
        "about": "איפוס סיסמה",
        "article": "account/reset-password",
        "reason": "unclear",
    }
    response = client.post("/he/contact", data=data)
    assert response.status_code == 303
    [request] = stored(app)
    assert (request.email, request.name, request.message) == (
        "dana@example.com",
        "דנה",
        "הקישור לא הגיע",
    )
    assert (request.lang, request.article_id, request.reason) == (
        "he",
        "account/reset-password",
        "unclear",
    )
    assert response.headers["Location"].endswith(f"/he/contact/sent/{request.reference}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert request.reference in page
    assert app.config["SUPPORT_HOURS"]["he"] in page
    assert app.config["RESPONSE_TIME"]["he"] in page
    assert 'dir="rtl"' in page


def test_forged_and_bot_posts_are_refused_and_keep_the_text(app, client):
    fields = {"email": "a@example.com", "message": "Where is my sofa?"}
    for data in (
        fields,  # no CSRF token
        {**fields, "csrf_token": "forged"},
        {**form(client), **fields, "website": "http://spam.example"},  # honeypot
    ):
        response = client.post(CONTACT, data=data)
        assert response.status_code == 400
        assert "Where is my sofa?" in response.get_data(as_text=True)
    assert stored(app) == []


def test_oversized_fields_and_posts_are_refused_cleanly(app, client):
    response = client.post(CONTACT, data=form(client, email="a@example.com", message="x" * 5001))
    assert response.status_code == 400 and 'id="message-error"' in response.get_data(as_text=True)
    response = client.post(CONTACT, data=form(client, email="a@example.com", message="x" * 70_000))
    assert response.status_code == 413
    assert "could not be handled" in response.get_data(as_text=True)
    assert stored(app) == []


def test_rate_limit_per_visitor_keeps_the_text(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = []
    for number in range(7):
        data = form(client, email="a@example.com", message=f"Message {number}")
        codes.append(client.post(CONTACT, data=data).status_code)
    assert codes[:5] == [303] * 5 and codes[5:] == [429, 429]
    page = client.post(CONTACT, data=form(client, email="a@example.com", message="Last one"))
    assert "Last one" in page.get_data(as_text=True)
    assert len(stored(app)) == 5
    other = app.test_client()  # another visitor is not affected
    response = other.post(CONTACT, data=form(other, email="b@example.com", message="Hi"))
    assert response.status_code == 303


def test_a_new_made_up_visitor_cookie_for_every_post_does_not_escape_the_limit(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = []
    for number in range(21):
        client.set_cookie(COOKIE, uuid.uuid4().hex)  # a fresh, well-formed visitor each time
        data = form(client, email="spam@example.com", message=f"Buy now {number}")
        codes.append(client.post(CONTACT, data=data).status_code)
    assert codes[:20] == [303] * 20 and codes[20] == 429
    assert len(stored(app)) == 20


def test_the_search_that_led_to_the_article_travels_along(app, client):
    # The results page's beacon remembers the search; its result link, followed, says it led here.
    found = search_as_browser(client, "en", "forgot password")
    client.get(next(link for link in found.links if link.endswith("a=account/reset-password")))
    page = client.get("/en/contact?article=account/reset-password").get_data(as_text=True)
    assert 'value="Reset your password — Search: forgot password"' in page
    assert 'name="q" type="hidden" value="forgot password"' in page
    polish = client.get("/pl/contact").get_data(as_text=True)
    assert "forgot password" not in polish.split("<form", 1)[1]  # another language's search


def test_pages_with_what_one_person_typed_are_never_cached(app, client):
    """A shared cache must not hand one customer's form, confirmation or login to another."""
    response = client.post(
        "/en/contact",
        data={
            **form(client),
            "email": "dana@example.com",
            "message": "Where is my parcel?",
        },
    )
    for url in (CONTACT, response.headers["Location"], "/login"):
        assert client.get(url).headers.get("Cache-Control") == "private, no-store", url
    refused = client.post("/en/contact", data={**form(client), "email": "not an address"})
    assert refused.status_code == 400
    assert refused.headers.get("Cache-Control") == "private, no-store"
