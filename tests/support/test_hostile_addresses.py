"""Names and addresses typed to hijack the support team's replies, or to make the help center
mail strangers, checked on the mail a real SMTP server receives; and rows stored before the
form checked them, which must fail alone instead of blocking the outbox."""

from __future__ import annotations

import pytest

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.support.channels import ACKNOWLEDGEMENT, SUPPORT_EMAIL
from helpcenter.support.requests import RequestContext, create_request
from tests.helpers import SUPPORT, csrf_token, logged_in_staff, mail_app, requests

HOSTILE_NAMES = [
    "Jörg <attacker@evil.example>",
    "Jörg, attacker@evil.example",
    'Jörg "attacker@evil.example"',
    "Ζωή <attacker@evil.example>, Other <second@evil.example>",
    "=?utf-8?q?attacker=40evil.example?= <attacker@evil.example>",
    "Ann\r\nBcc: victim@example.com",
    "Ann\u2028<attacker@evil.example>",
    'ä\\" <attacker@evil.example>',
]
HOSTILE_ADDRESSES = [
    "=?utf-8?q?attacker=40evil.example=3E?=@example.com",
    "=?us-ascii?q?a=2C_b?=@example.com",
    "jörg@example.com",
]


def post_contact(client, lang: str = "en", **fields):
    url = f"/{lang}/contact"
    data = {"csrf_token": csrf_token(client, url), "message": "Where is my order?", **fields}
    return client.post(url, data=data)


def sent_to_support(smtp, reference: str):
    [message] = [m for m in smtp.mailbox.to(SUPPORT) if reference in m["Subject"]]
    return message


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_name_can_redirect_the_support_teams_reply(tmp_path, basic, smtp, name):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    response = post_contact(app.test_client(), email="ana@example.com", name=name)
    assert response.status_code == 303
    services.kicker(app).wait()
    reference = response.headers["Location"].rsplit("/", 1)[1]
    [reply_to] = sent_to_support(smtp, reference)["Reply-To"].addresses
    assert reply_to.addr_spec == "ana@example.com"
    assert "\n" not in reply_to.display_name and "\u2028" not in reply_to.display_name


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_addresses_that_are_not_plain_get_a_localized_field_error(tmp_path, basic, address):
    app = mail_app(tmp_path, basic, 9)  # nothing may be sent, so nothing needs to listen
    response = post_contact(app.test_client(), lang="pl", email=address)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="email-error"' in page
    assert "We cannot send mail to this address" not in page  # Polish, not English
    assert requests(app) == []


def test_the_acknowledgement_carries_nothing_the_visitor_typed(tmp_path, basic, smtp):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    spam = "Cheap watches at http://spam.example/buy"
    response = post_contact(
        app.test_client(),
        email="victim@example.com",
        name="Visit spam.example today",
        message=spam,
    )
    assert response.status_code == 303
    services.kicker(app).wait()
    [ack] = smtp.mailbox.to("victim@example.com")
    assert str(ack["To"]) == "victim@example.com"  # the bare address, without the typed name
    body = ack.get_content()
    assert body.startswith("Hello,") and "spam.example" not in body
    assert "spam.example" not in ack["Subject"]


# Stored before the form checked addresses (or written by another program): inserted directly.
OLD_ROWS = [
    ("=?utf-8?q?attacker=40evil.example=3E?=@example.com", "Eve"),
    ("=?us-ascii?q?a=2C_b?=@example.com", "Eve"),
    ("ann@example.com\r\nBcc: victim@example.com", "Ann"),
    ("jörg@example.com", "Jörg\r\n"),
    ("ann@example.com, victim@example.com", "Ann <attacker@evil.example>"),
]


def test_rows_that_can_never_be_sent_fail_alone_and_never_block_the_outbox(tmp_path, basic, smtp):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port, DELIVERY_KICK=False)
    with app.app_context():
        for email, name in [*OLD_ROWS, ("cr@example.com", "Carl\r\nRoss"), ("ok@example.com", "")]:
            create_request(
                email=email,
                name=name,
                message="Hello",
                context=RequestContext(lang="en"),
                visitor="v",
                channels=[SUPPORT_EMAIL, ACKNOWLEDGEMENT],
            )
        db.session.remove()
    stored = sorted(requests(app), key=lambda request: request.id)
    references = [request.reference for request in stored]

    runner = app.test_cli_runner()
    result = runner.invoke(args=["deliver"])
    assert result.exit_code == 1  # something failed this run …
    assert "4 sent, 10 failed" in result.output  # … and every due delivery was tried
    # A name with a line break is made one line; the two good requests are delivered.
    for address, reference in zip(
        ["cr@example.com", "ok@example.com"], references[5:], strict=True
    ):
        [reply_to] = sent_to_support(smtp, reference)["Reply-To"].addresses
        assert reply_to.addr_spec == address
        assert [str(m["To"]) for m in smtp.mailbox.to(address)] == [address]
    assert sent_to_support(smtp, references[5])["Reply-To"].addresses[0].display_name == "Carl Ross"
    assert len(smtp.mailbox.messages) == 4

    for request in sorted(requests(app), key=lambda request: request.id)[:5]:
        for delivery in request.deliveries:
            assert (delivery.state, delivery.attempts) == ("failed", 1)
            assert "e-mail address cannot be used" in delivery.last_error

    listing = runner.invoke(args=["requests", "--pending"]).output
    assert listing.count("failed (the customer's e-mail address cannot be used") == 10
    assert references[6] not in listing  # delivered: nothing owed

    again = runner.invoke(args=["deliver", "--retry-now"])  # failed is final: never retried
    assert again.exit_code == 0 and "0 sent, 0 failed" in again.output

    staff = logged_in_staff(app)
    page = staff.get(f"/reports/requests/{references[0]}").get_data(as_text=True)
    assert 'data-label="State">failed</td>' in page and "e-mail address cannot be used" in page
    assert "Try to deliver again now" not in page
