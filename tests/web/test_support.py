"""The contact form as the customer reaches it (web/support.py): what they wrote after "No"
starts their message, the search travels along only when it led to the article, and a page
opened from "Ask a person" starts in its first empty field."""

from __future__ import annotations

import re

from tests.helpers import SAME_ORIGIN, search_as_browser

VOTE = "/en/feedback/account/reset-password"
ASK_A_PERSON = "/en/contact?article=account/reset-password&reason=unclear"


def message_box(html: str) -> str:
    """The contact form's message, as the page fills it in (HTML-escaped)."""
    match = re.search(r'<textarea[^>]*\bid="message"[^>]*>\r?\n?(.*?)</textarea>', html, re.S)
    assert match, "no message box on the page"
    return match.group(1)


def carried_search(html: str) -> str:
    match = re.search(r'name="q" type="hidden" value="([^"]*)"', html)
    assert match, "no contact form on the page"
    return match.group(1)


def test_what_was_written_after_no_starts_the_contact_message(client):
    """Without JavaScript: "No", the reasons sent, then "Ask a person" on the next page."""
    client.post(
        VOTE,
        data={"helpful": "no", "reason": "unclear", "comment": "The reset link had expired"},
        headers=SAME_ORIGIN,
    )
    step = client.get(VOTE).get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]+)">Ask a person', step).group(1)
    assert link.replace("&amp;", "&") == ASK_A_PERSON  # the comment stays out of the URL
    page = client.get(ASK_A_PERSON)
    assert page.headers["Cache-Control"] == "private, no-store"
    html = page.get_data(as_text=True)
    assert message_box(html) == "The reset link had expired"
    assert 'value="Reset your password — It is hard to understand"' in html


def test_ask_a_person_under_the_reasons_sends_them_and_carries_the_comment(client):
    """Typed into the reasons box and then "Ask a person" instead of "Send": nothing is lost."""
    reasons = client.post(
        VOTE, data={"helpful": "no"}, headers={**SAME_ORIGIN, "X-Requested-With": "fetch"}
    ).get_data(as_text=True)
    assert re.search(
        r'<button type="submit" form="feedback-reasons" name="then" value="contact"', reasons
    )
    response = client.post(
        VOTE,
        data={"helpful": "no", "reason": "unclear", "comment": "No e-mail came", "then": "contact"},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 303 and response.headers["Location"] == ASK_A_PERSON
    assert message_box(client.get(ASK_A_PERSON).get_data(as_text=True)) == "No e-mail came"


def test_the_carried_comment_is_escaped_and_only_its_writer_sees_it(app, client):
    client.post(
        VOTE,
        data={"helpful": "no", "comment": '</textarea><script>alert("hi")</script>'},
        headers=SAME_ORIGIN,
    )
    html = client.get(ASK_A_PERSON).get_data(as_text=True)
    assert "<script>" not in html
    assert message_box(html) == "&lt;/textarea&gt;&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;"
    assert message_box(app.test_client().get(ASK_A_PERSON).get_data(as_text=True)) == ""


def test_a_yes_or_another_article_s_vote_starts_no_message(client):
    client.post(VOTE, data={"helpful": "no", "comment": "Too short"}, headers=SAME_ORIGIN)
    assert (
        message_box(client.get("/en/contact?article=payments/methods").get_data(as_text=True)) == ""
    )
    client.post(VOTE, data={"helpful": "yes"}, headers=SAME_ORIGIN)
    assert message_box(client.get(ASK_A_PERSON).get_data(as_text=True)) == ""


def test_the_search_whose_result_was_opened_travels_with_the_article(client):
    found = search_as_browser(client, "en", "forgot password")
    [link] = [link for link in found.links if link.endswith("a=account/reset-password")]
    assert client.get(link).headers["Location"] == "/en/account/reset-password"
    html = client.get("/en/contact?article=account/reset-password").get_data(as_text=True)
    assert carried_search(html) == "forgot password"
    assert 'value="Reset your password — Search: forgot password"' in html


def test_a_search_that_did_not_lead_to_the_article_stays_behind(client):
    """The visitor searched, then reached the article some other way (a category, a link)."""
    search_as_browser(client, "en", "card payment")
    client.get("/en/account/reset-password")
    html = client.get("/en/contact?article=account/reset-password").get_data(as_text=True)
    assert carried_search(html) == ""
    assert 'value="Reset your password"' in html
    # With no article, the visit's last search still says what they were looking for.
    assert carried_search(client.get("/en/contact").get_data(as_text=True)) == "card payment"


def test_a_later_search_does_not_replace_the_one_that_led_to_the_article(client):
    found = search_as_browser(client, "en", "forgot password")
    client.get(next(link for link in found.links if link.endswith("a=account/reset-password")))
    search_as_browser(client, "en", "declined card")  # read nothing from it
    html = client.get("/en/contact?article=account/reset-password").get_data(as_text=True)
    assert carried_search(html) == "forgot password"


def test_a_result_link_of_someone_else_s_search_is_not_this_visitor_s_search(app, client):
    """A click names its search by key: another visitor's (a shared link) says nothing here."""
    found = search_as_browser(app.test_client(), "en", "forgot password")
    search_as_browser(client, "en", "password")
    client.get(next(link for link in found.links if link.endswith("a=account/reset-password")))
    html = client.get("/en/contact?article=account/reset-password").get_data(as_text=True)
    assert carried_search(html) == ""


def test_ask_a_person_opens_the_form_in_its_first_empty_field(client):
    """From "Ask a person" (or "Ask our support team" on an empty search) the customer has
    decided to write: the page starts in the e-mail field, not eight Tabs away from it. The
    "Contact us" link on every page opens the page as any other."""
    autofocused = re.compile(r"<(?:input|textarea)[^>]*\bautofocus\b[^>]*>")
    for url in (ASK_A_PERSON, "/en/contact?q=gift+wrap"):
        [field] = autofocused.findall(client.get(url).get_data(as_text=True))
        assert 'id="email"' in field, url
    assert autofocused.findall(client.get("/en/contact").get_data(as_text=True)) == []


def test_a_late_search_beacon_does_not_expire_the_contact_form(app, client):
    """The results page's beacon can answer after the visitor has opened the next page. Its
    answer used to carry the session as it was when it was sent — without the contact form's
    token — so the customer's message came back "expired". A browser's late answer is played
    here by sending the beacon with the cookies from before the contact page."""
    from tests.helpers import beacon

    page = client.get("/en/search", query_string={"q": "card payment"}).get_data(as_text=True)
    token = re.search(r'data-beacon-search="([^"]+)"', page).group(1).replace("&amp;", "&")
    before = {name: client.get_cookie(name) for name in ("session", "hc_visitor")}
    html = client.get("/en/contact").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    late = app.test_client()
    for name, cookie in before.items():
        if cookie is not None:
            late.set_cookie(name, cookie.value)
    answer = beacon(late, "en", search=token, q="card payment")
    assert answer.status_code == 200
    for header in answer.headers.getlist("Set-Cookie"):  # what the browser keeps of it
        name, value = header.split(";", 1)[0].split("=", 1)
        client.set_cookie(name, value)

    sent = client.post(
        "/en/contact",
        data={"csrf_token": csrf, "email": "ana@example.com", "message": "Charged twice."},
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)[:500]
    assert "/en/contact/sent/" in sent.headers["Location"]
    # The search still travels with the next request, from its own cookie.
    assert carried_search(client.get("/en/contact").get_data(as_text=True)) == "card payment"


def test_what_customers_type_follows_its_own_direction_in_a_right_to_left_page(client):
    """An English message typed on the Hebrew form kept its full stop on the wrong side: the
    fields customers write in take the direction of their text, the e-mail address is always
    left-to-right."""
    contact = client.get("/he/contact").get_data(as_text=True)
    assert 'dir="rtl"' in contact[: contact.index("<body")]
    for name in ("message", "name"):
        [tag] = re.findall(rf'<(?:textarea|input)[^>]*\bname="{name}"[^>]*>', contact)
        assert 'dir="auto"' in tag, tag
    [email] = re.findall(r'<input[^>]*\bname="email"[^>]*>', contact)
    assert 'dir="ltr"' in email
    client.post(VOTE, data={"helpful": "no"}, headers=SAME_ORIGIN)  # the reasons, with a box
    reasons = client.get(VOTE).get_data(as_text=True)
    [comment] = re.findall(r'<textarea[^>]*\bname="comment"[^>]*>', reasons)
    assert 'dir="auto"' in comment
