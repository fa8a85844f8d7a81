"""The confirmation repeats the address the answer goes to, with "not right? write again"
bringing the form back filled in, but only for the visitor who sent it: the reference alone
shows no one else the address or the message."""

from tests.helpers import csrf_token


def send(client):
    url = "/en/contact?article=account/reset-password"
    data = {
        "csrf_token": csrf_token(client, url),
        "email": "typo@exmaple.com",
        "name": "Ana",
        "message": "The link never came.",
        "article": "account/reset-password",
    }
    return client.post("/en/contact", data=data).headers["Location"]


def test_the_sender_sees_the_address_and_gets_the_form_back_filled(app):
    client = app.test_client()
    sent = client.get(send(client)).get_data(as_text=True)
    assert "We will answer at <bdi>typo@exmaple.com</bdi>." in sent
    assert 'href="/en/account/reset-password"' in sent  # back to the article
    assert "Contact our support team" not in sent
    again = sent.split('class="sent-to"')[1].split('href="')[1].split('"')[0]
    form = client.get(again.replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="typo@exmaple.com"' in form and "The link never came." in form
    assert 'value="account/reset-password"' in form


def test_someone_else_with_the_reference_sees_neither(app):
    location = send(app.test_client())
    reference = location.rsplit("/", 1)[1]
    other = app.test_client()
    sent = other.get(location).get_data(as_text=True)
    assert reference in sent and "typo@exmaple.com" not in sent
    form = other.get(f"/en/contact?again={reference}").get_data(as_text=True)
    assert "typo@exmaple.com" not in form and "The link never came." not in form
